//! Grids of LEDs: rows, columns, rings, diagonals and text-art patterns.

use core::fmt;
use std::collections::HashMap;

use crate::Leds;

/// A grid of `rows × cols` LEDs mapped onto output indices.
///
/// Every cell `(row, col)` (both counted from 0, row 0 at the top) is wired to one
/// output index. [`Matrix::new`] wires them row-major (`row * cols + col`);
/// [`Matrix::from_indices`] takes any other wiring (a serpentine strip, a board wired
/// by hand). The groups — [`row`](Matrix::row), [`col`](Matrix::col),
/// [`all`](Matrix::all), the [rings](Matrix::ring), the diagonals and
/// [text-art patterns](Matrix::pattern) — are [`Leds`], ready for any leaf.
///
/// A matrix may also know the GPIO line offset of each output index
/// ([`Matrix::with_lines`]), so a program can name LEDs by the lines they are wired to,
/// as the talk's demos do ([`Matrix::leds_on_lines`]). [`Matrix::talk`] is the talk's
/// 5×5 board.
///
/// `Display` draws the grid of output indices; the alternate form (`{:#}`) draws the
/// line offsets instead, when known.
///
/// # Panics
///
/// Like slice indexing, the methods taking a row, column or ring number panic when it
/// is out of range, naming it and the matrix's shape. Use [`Matrix::get`] for a
/// checked look-up.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let m = Matrix::new(3, 4);
/// assert_eq!(m.at(1, 2), 6);
/// assert_eq!(m.row(2).as_slice(), &[8, 9, 10, 11]);
/// assert_eq!(m.col(1).as_slice(), &[1, 5, 9]);
/// assert_eq!(m.outer_ring().as_slice(), &[0, 1, 2, 3, 7, 11, 10, 9, 8, 4]);
/// assert_eq!(m.to_string(), " 0  1  2  3\n 4  5  6  7\n 8  9 10 11\n");
///
/// // Light the middle row for a second.
/// let mut driver = Driver::new(Recorder::new(m.len()), VirtualClock::new());
/// driver.run(&on(m.row(1)).timeout(secs(1))).unwrap();
/// driver.output().assert_timeline("
///     0.000000 .... #### ....
///     1.000000 .... .... ....
/// ");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    /// The output index of each cell, row-major.
    cells: Box<[usize]>,
    /// The GPIO line offset of each output index.
    lines: Option<Box<[u32]>>,
}

/// A [`Matrix`] could not be built, or a line offset could not be found on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// [`Matrix::from_indices`] was given the wrong number of output indices.
    #[error(
        "a {rows}x{cols} matrix needs {expected} output indices, one per cell in row-major \
         order, but {found} were given"
    )]
    IndexCount {
        /// Rows of the matrix.
        rows: usize,
        /// Columns of the matrix.
        cols: usize,
        /// `rows × cols`.
        expected: usize,
        /// How many indices were given.
        found: usize,
    },
    /// [`Matrix::from_indices`] was given one output index for two cells.
    #[error(
        "output index {index} is given for both cell {first:?} and cell {second:?}; \
         give each cell its own LED"
    )]
    DuplicateIndex {
        /// The repeated output index.
        index: usize,
        /// The first cell `(row, col)` wired to it.
        first: (usize, usize),
        /// The second cell `(row, col)` wired to it.
        second: (usize, usize),
    },
    /// [`Matrix::with_lines`] was given fewer line offsets than the matrix has output
    /// indices.
    #[error(
        "{found} line offsets were given, but the matrix uses output indices up to {}, so it \
         needs at least {needed}: one per output index, in output order",
        .needed - 1
    )]
    LineCount {
        /// How many offsets are needed (the highest output index plus one).
        needed: usize,
        /// How many were given.
        found: usize,
    },
    /// [`Matrix::with_lines`] was given one line offset for two output indices.
    #[error(
        "line offset {line} is given for both output index {first} and output index \
         {second}; each LED needs its own line"
    )]
    DuplicateLine {
        /// The repeated line offset.
        line: u32,
        /// The first output index given that line.
        first: usize,
        /// The second output index given that line.
        second: usize,
    },
    /// [`Matrix::leds_on_lines`] was called on a matrix without line offsets.
    #[error("this matrix has no GPIO line map; give it one with `Matrix::with_lines`")]
    NoLines,
    /// [`Matrix::leds_on_lines`] was given a line offset that no LED is wired to.
    #[error("line offset {line} is not on this board; {}", describe_lines(.available))]
    UnknownLine {
        /// The offset asked for.
        line: u32,
        /// The offsets the board has, ascending.
        available: Vec<u32>,
    },
}

/// A text-art pattern does not fit its [`Matrix`]; see [`Matrix::pattern`].
///
/// Line and column numbers count from 1, as editors do: line 1 is the first line of
/// the text (blank leading lines included), column 1 its first character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The pattern has more or fewer rows than the matrix.
    #[error("the pattern has {found} rows but the matrix has {expected}; draw one line per row")]
    RowCount {
        /// Rows drawn.
        found: usize,
        /// Rows of the matrix.
        expected: usize,
    },
    /// A row of the pattern has more or fewer LEDs than the matrix has columns.
    #[error(
        "line {line} (row {row}) has {found} LEDs but the matrix has {expected} columns; \
         draw one character per LED"
    )]
    RowLength {
        /// The line of the text.
        line: usize,
        /// The matrix row it stands for (from 0).
        row: usize,
        /// LEDs drawn on that line.
        found: usize,
        /// Columns of the matrix.
        expected: usize,
    },
    /// A character that is neither an LED nor whitespace.
    #[error(
        "line {line}, column {column}: {found:?} is not an LED; draw `#`, `X` or `*` for a \
         lit LED and `.` for a dark one"
    )]
    UnknownChar {
        /// The line of the text.
        line: usize,
        /// The column of the character in that line (in characters).
        column: usize,
        /// The character found.
        found: char,
    },
}

/// `0-18, 20, 22-25, 27` for a sorted list of offsets.
fn describe_lines(lines: &[u32]) -> String {
    if lines.is_empty() {
        return "it has no lines".to_owned();
    }
    let mut out = String::from("its lines are ");
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        if start != lines[0] {
            out.push_str(", ");
        }
        match end - start {
            0 => out.push_str(&start.to_string()),
            1 => out.push_str(&format!("{start}, {end}")),
            _ => out.push_str(&format!("{start}-{end}")),
        }
        i += 1;
    }
    out
}

/// `rows × cols`, or a panic naming the shape.
fn cell_count(rows: usize, cols: usize) -> usize {
    rows.checked_mul(cols)
        .unwrap_or_else(|| panic!("a {rows}x{cols} matrix has more cells than memory can hold"))
}

impl Matrix {
    /// The GPIO line offsets of the talk's 5×5 board, row-major (row 0 first).
    ///
    /// ```text
    /// 11 10 27  4  2
    ///  0  9 22 17  3
    ///  5 20  1 25 18
    ///  6 16  7 24 15
    /// 13 12  8 23 14
    /// ```
    pub const TALK_LINES: [u32; 25] = [
        11, 10, 27, 4, 2, //
        0, 9, 22, 17, 3, //
        5, 20, 1, 25, 18, //
        6, 16, 7, 24, 15, //
        13, 12, 8, 23, 14,
    ];

    /// A `rows × cols` grid wired row-major: cell `(r, c)` is output index `r * cols + c`.
    ///
    /// # Panics
    ///
    /// When `rows × cols` overflows `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let m = Matrix::new(2, 3);
    /// assert_eq!(m.len(), 6);
    /// assert_eq!(m.at(1, 0), 3);
    /// assert_eq!(m.all().as_slice(), &[0, 1, 2, 3, 4, 5]);
    /// assert_eq!(m.lines(), None);
    /// ```
    pub fn new(rows: usize, cols: usize) -> Matrix {
        let cells = (0..cell_count(rows, cols)).collect();
        Matrix { rows, cols, cells, lines: None }
    }

    /// A `rows × cols` grid with any wiring: `indices[r * cols + c]` is the output index
    /// of cell `(r, c)`.
    ///
    /// # Errors
    ///
    /// [`MatrixError::IndexCount`] unless there are exactly `rows × cols` indices;
    /// [`MatrixError::DuplicateIndex`] when two cells are given the same index.
    ///
    /// # Panics
    ///
    /// When `rows × cols` overflows `usize`.
    ///
    /// # Examples
    ///
    /// A strip folded into a 3×3 serpentine (every other row runs backwards):
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let m = Matrix::from_indices(3, 3, vec![0, 1, 2, 5, 4, 3, 6, 7, 8]).unwrap();
    /// assert_eq!(m.row(1).as_slice(), &[5, 4, 3]);
    /// assert_eq!(m.col(0).as_slice(), &[0, 5, 6]);
    ///
    /// let err = Matrix::from_indices(3, 3, vec![0, 1, 2]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "a 3x3 matrix needs 9 output indices, one per cell in row-major order, but 3 were given"
    /// );
    /// ```
    pub fn from_indices(
        rows: usize,
        cols: usize,
        indices: Vec<usize>,
    ) -> Result<Matrix, MatrixError> {
        let expected = cell_count(rows, cols);
        if indices.len() != expected {
            return Err(MatrixError::IndexCount { rows, cols, expected, found: indices.len() });
        }
        let mut seen = HashMap::with_capacity(indices.len());
        for (cell, &index) in indices.iter().enumerate() {
            if let Some(first) = seen.insert(index, cell) {
                return Err(MatrixError::DuplicateIndex {
                    index,
                    first: (first / cols, first % cols),
                    second: (cell / cols, cell % cols),
                });
            }
        }
        Ok(Matrix { rows, cols, cells: indices.into(), lines: None })
    }

    /// The talk's 5×5 board: output index = row-major position, with the GPIO line
    /// offsets of [`Matrix::TALK_LINES`].
    ///
    /// # Examples
    ///
    /// The smiley demo's eyes are lines 10 and 4:
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let board = Matrix::talk();
    /// assert_eq!(board.leds_on_lines(&[10, 4]).unwrap().as_slice(), &[1, 3]);
    /// assert_eq!(board.lines().unwrap()[board.at(2, 2)], 1);
    /// assert_eq!(format!("{board:#}").lines().next(), Some("11 10 27  4  2"));
    /// ```
    pub fn talk() -> Matrix {
        Matrix::new(5, 5)
            .with_lines(Matrix::TALK_LINES.to_vec())
            .expect("the talk's line map fits its board")
    }

    /// The GPIO line offset of each output index (`lines()[i]` drives LED `i`), when
    /// known: the list to request from the GPIO chip, in output order.
    pub fn lines(&self) -> Option<&[u32]> {
        self.lines.as_deref()
    }

    /// Records the GPIO line offset of each output index: `lines[i]` drives LED `i`.
    ///
    /// `lines` must cover every output index the matrix uses (it may be longer, when the
    /// output has more LEDs than the matrix), and no offset may appear twice.
    ///
    /// # Errors
    ///
    /// [`MatrixError::LineCount`] when `lines` is too short for the highest output
    /// index; [`MatrixError::DuplicateLine`] when an offset is listed twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let m = Matrix::new(1, 3).with_lines(vec![17, 27, 22]).unwrap();
    /// assert_eq!(m.leds_on_lines(&[22, 17]).unwrap().as_slice(), &[2, 0]);
    ///
    /// let err = Matrix::new(1, 3).with_lines(vec![17, 27, 17]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "line offset 17 is given for both output index 0 and output index 2; \
    ///      each LED needs its own line"
    /// );
    /// ```
    pub fn with_lines(self, lines: Vec<u32>) -> Result<Matrix, MatrixError> {
        let needed = self.cells.iter().max().map_or(0, |&max| max + 1);
        if lines.len() < needed {
            return Err(MatrixError::LineCount { needed, found: lines.len() });
        }
        let mut seen = HashMap::with_capacity(lines.len());
        for (index, &line) in lines.iter().enumerate() {
            if let Some(first) = seen.insert(line, index) {
                return Err(MatrixError::DuplicateLine { line, first, second: index });
            }
        }
        Ok(Matrix { lines: Some(lines.into()), ..self })
    }

    /// The LEDs wired to the GPIO line offsets `offsets`, in the order given.
    ///
    /// # Errors
    ///
    /// [`MatrixError::NoLines`] when the matrix has no line map (see
    /// [`Matrix::with_lines`]); [`MatrixError::UnknownLine`] for the first offset that no
    /// LED is wired to (the message lists the board's lines).
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let board = Matrix::talk();
    /// let mouth = board.leds_on_lines(&[5, 16, 7, 24, 18]).unwrap();
    /// assert_eq!(mouth.as_slice(), &[10, 16, 17, 18, 14]);
    ///
    /// let err = board.leds_on_lines(&[19]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "line offset 19 is not on this board; its lines are 0-18, 20, 22-25, 27"
    /// );
    /// ```
    pub fn leds_on_lines(&self, offsets: &[u32]) -> Result<Leds, MatrixError> {
        let lines = self.lines().ok_or(MatrixError::NoLines)?;
        offsets
            .iter()
            .map(|&line| {
                lines.iter().position(|&l| l == line).ok_or_else(|| {
                    let mut available = lines.to_vec();
                    available.sort_unstable();
                    MatrixError::UnknownLine { line, available }
                })
            })
            .collect()
    }

    /// How many rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// How many columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// How many cells (`rows × cols`).
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the matrix has no cells.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The output index of cell `(row, col)`, or `None` outside the grid.
    pub fn get(&self, row: usize, col: usize) -> Option<usize> {
        (row < self.rows && col < self.cols).then(|| self.cells[row * self.cols + col])
    }

    /// The output index of cell `(row, col)`.
    ///
    /// # Panics
    ///
    /// When the cell is outside the grid.
    #[track_caller]
    pub fn at(&self, row: usize, col: usize) -> usize {
        self.get(row, col).unwrap_or_else(|| {
            panic!(
                "cell ({row}, {col}) is outside the {}x{} matrix (rows 0..{}, columns 0..{})",
                self.rows, self.cols, self.rows, self.cols
            )
        })
    }

    /// Row `i`, left to right.
    ///
    /// # Panics
    ///
    /// When `i >= rows()`.
    #[track_caller]
    pub fn row(&self, i: usize) -> Leds {
        self.check("row", i, self.rows);
        self.cells[i * self.cols..(i + 1) * self.cols].into()
    }

    /// Column `i`, top to bottom.
    ///
    /// # Panics
    ///
    /// When `i >= cols()`.
    #[track_caller]
    pub fn col(&self, i: usize) -> Leds {
        self.check("column", i, self.cols);
        (0..self.rows).map(|r| self.cells[r * self.cols + i]).collect()
    }

    /// Every cell, row-major.
    pub fn all(&self) -> Leds {
        self.cells[..].into()
    }

    /// The matrix flipped over its diagonal: rows become columns, so its `row(i)` is
    /// this one's `col(i)`. The output indices and line offsets stay with their LEDs.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let m = Matrix::new(2, 3);
    /// let t = m.transpose();
    /// assert_eq!((t.rows(), t.cols()), (3, 2));
    /// assert_eq!(t.row(2), m.col(2));
    /// assert_eq!(t.transpose(), m);
    /// ```
    #[must_use]
    pub fn transpose(&self) -> Matrix {
        let cells = (0..self.cols)
            .flat_map(|c| (0..self.rows).map(move |r| (r, c)))
            .map(|(r, c)| self.cells[r * self.cols + c])
            .collect();
        Matrix { rows: self.cols, cols: self.rows, cells, lines: self.lines.clone() }
    }

    /// How many rings the grid has: `ceil(min(rows, cols) / 2)`.
    pub fn ring_count(&self) -> usize {
        self.rows.min(self.cols).div_ceil(2)
    }

    /// Ring `k`, clockwise from its top-left cell: ring 0 is the border of the grid,
    /// ring 1 the border of what is left inside it, and so on. A ring one cell thick is
    /// read left to right (a row) or top to bottom (a column).
    ///
    /// # Panics
    ///
    /// When `k >= ring_count()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let m = Matrix::new(3, 5);
    /// assert_eq!(m.ring_count(), 2);
    /// assert_eq!(m.ring(0).as_slice(), &[0, 1, 2, 3, 4, 9, 14, 13, 12, 11, 10, 5]);
    /// assert_eq!(m.ring(1).as_slice(), &[6, 7, 8]);
    /// ```
    #[track_caller]
    pub fn ring(&self, k: usize) -> Leds {
        self.check("ring", k, self.ring_count());
        let (top, left) = (k, k);
        let (bottom, right) = (self.rows - 1 - k, self.cols - 1 - k);
        let mut cells = Vec::with_capacity(2 * (bottom - top + right - left) + 1);
        cells.extend((left..=right).map(|c| (top, c)));
        cells.extend((top + 1..=bottom).map(|r| (r, right)));
        if bottom > top {
            cells.extend((left..right).rev().map(|c| (bottom, c)));
        }
        if right > left {
            cells.extend((top + 1..bottom).rev().map(|r| (r, left)));
        }
        cells.into_iter().map(|(r, c)| self.cells[r * self.cols + c]).collect()
    }

    /// The border of the grid, clockwise from the top-left: [`ring(0)`](Matrix::ring).
    ///
    /// # Panics
    ///
    /// When the matrix is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let board = Matrix::talk();
    /// let lines = board.lines().unwrap();
    /// let ring: Vec<u32> = board.outer_ring().iter().map(|&i| lines[i]).collect();
    /// assert_eq!(ring, [11, 10, 27, 4, 2, 3, 18, 15, 14, 23, 8, 12, 13, 6, 5, 0]);
    /// ```
    #[track_caller]
    pub fn outer_ring(&self) -> Leds {
        self.ring(0)
    }

    /// The ring one cell in from the border, clockwise from its top-left:
    /// [`ring(1)`](Matrix::ring).
    ///
    /// # Panics
    ///
    /// When the matrix has fewer than 3 rows or 3 columns (there is no inner ring).
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// let board = Matrix::talk();
    /// let lines = board.lines().unwrap();
    /// let ring: Vec<u32> = board.inner_ring().iter().map(|&i| lines[i]).collect();
    /// assert_eq!(ring, [9, 22, 17, 25, 24, 7, 16, 20]);
    /// ```
    #[track_caller]
    pub fn inner_ring(&self) -> Leds {
        self.ring(1)
    }

    /// The diagonal from the top-left to the bottom-right corner (`\`).
    ///
    /// # Panics
    ///
    /// When the matrix is not square.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// assert_eq!(Matrix::new(3, 3).backslash().as_slice(), &[0, 4, 8]);
    /// ```
    #[track_caller]
    pub fn backslash(&self) -> Leds {
        self.check_square("backslash");
        (0..self.rows).map(|i| self.cells[i * self.cols + i]).collect()
    }

    /// The diagonal from the bottom-left to the top-right corner (`/`).
    ///
    /// # Panics
    ///
    /// When the matrix is not square.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::Matrix;
    ///
    /// assert_eq!(Matrix::new(3, 3).slash().as_slice(), &[6, 4, 2]);
    /// ```
    #[track_caller]
    pub fn slash(&self) -> Leds {
        self.check_square("slash");
        let n = self.rows;
        (0..n).map(|i| self.cells[(n - 1 - i) * self.cols + i]).collect()
    }

    /// The LEDs drawn in text art, row-major.
    ///
    /// One line per row, one character per LED: `#`, `X` or `*` for a lit LED, `.` for
    /// a dark one. Whitespace is ignored everywhere, so rows may be indented and LEDs
    /// spaced out (`# . . . #` reads as `#...#`), and blank lines before the first row
    /// and after the last are skipped. A blank line between rows is a row without LEDs
    /// (an error). (In a doctest, rustdoc hides lines starting with `# `: draw such rows
    /// unspaced, `#...#`, or with `X`.)
    ///
    /// # Errors
    ///
    /// [`PatternError::UnknownChar`] for any other character,
    /// [`PatternError::RowLength`] for a line without exactly `cols()` LEDs,
    /// [`PatternError::RowCount`] unless there are exactly `rows()` lines; each names
    /// the line (and column) of the text.
    ///
    /// # Examples
    ///
    /// The talk's smiley:
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let board = Matrix::talk();
    /// let smiley = board.pattern("
    ///     .#.#.
    ///     .....
    ///     #...#
    ///     .###.
    ///     .....
    /// ").unwrap();
    /// let eyes = board.leds_on_lines(&[10, 4]).unwrap();
    /// let mouth = board.leds_on_lines(&[5, 16, 7, 24, 18]).unwrap();
    /// assert_eq!(smiley.as_slice(), &[1, 3, 10, 14, 16, 17, 18]);
    /// assert_eq!(smiley.len(), eyes.len() + mouth.len());
    ///
    /// // Spaced out, with the other marks: the same LEDs.
    /// let spaced = board.pattern(". X . X .\n. . . . .\n* . . . *\n. * * * .\n. . . . .");
    /// assert_eq!(spaced.unwrap(), smiley);
    ///
    /// let err = board.pattern("#...#\n.....\n..o..").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "line 3, column 3: 'o' is not an LED; draw `#`, `X` or `*` for a lit LED and `.` for a dark one"
    /// );
    /// ```
    pub fn pattern(&self, art: &str) -> Result<Leds, PatternError> {
        let lines: Vec<&str> = art.lines().collect();
        let blank = |line: &&str| line.trim().is_empty();
        let first = lines.iter().position(|l| !blank(l)).unwrap_or(lines.len());
        let last = lines.iter().rposition(|l| !blank(l)).map_or(first, |last| last + 1);
        let mut leds = Vec::new();
        for (row, (number, line)) in lines.iter().enumerate().take(last).skip(first).enumerate() {
            let mut col = 0;
            for (column, ch) in line.chars().enumerate() {
                match ch {
                    '#' | 'X' | '*' => {
                        if let Some(index) = self.get(row, col) {
                            leds.push(index);
                        }
                        col += 1;
                    }
                    '.' => col += 1,
                    ch if ch.is_whitespace() => {}
                    found => {
                        return Err(PatternError::UnknownChar {
                            line: number + 1,
                            column: column + 1,
                            found,
                        });
                    }
                }
            }
            if col != self.cols {
                return Err(PatternError::RowLength {
                    line: number + 1,
                    row,
                    found: col,
                    expected: self.cols,
                });
            }
        }
        let found = last - first;
        if found != self.rows {
            return Err(PatternError::RowCount { found, expected: self.rows });
        }
        Ok(leds.into())
    }

    #[track_caller]
    fn check(&self, what: &str, i: usize, count: usize) {
        if i >= count {
            let has = match count {
                0 => format!("no {what}s"),
                1 => format!("1 {what}: 0..1"),
                n => format!("{n} {what}s: 0..{n}"),
            };
            panic!(
                "{what} {i} is out of range for the {}x{} matrix (it has {has})",
                self.rows, self.cols
            );
        }
    }

    #[track_caller]
    fn check_square(&self, diagonal: &str) {
        assert!(
            self.rows == self.cols,
            "the {diagonal} diagonal needs a square matrix, and this one is {}x{}",
            self.rows,
            self.cols,
        );
    }
}

/// Draws the grid of output indices, right-aligned, one line per row; the alternate
/// form (`{:#}`) draws the GPIO line offsets instead when the matrix has them.
impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.lines().filter(|_| f.alternate());
        let label = |index: usize| match lines {
            Some(lines) => lines[index] as usize,
            None => index,
        };
        let width = self.cells.iter().map(|&i| label(i).to_string().len()).max().unwrap_or(1);
        for row in self.cells.chunks(self.cols.max(1)) {
            for (c, &index) in row.iter().enumerate() {
                if c > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{:>width$}", label(index))?;
            }
            f.write_str("\n")?;
        }
        Ok(())
    }
}
