//! A matrix's geometry: building it, its cells, and the groups of LEDs it names.

use core::fmt;
use std::collections::HashMap;

use super::{Matrix, MatrixError};
use crate::Leds;

/// `rows × cols`, or a panic naming the shape.
fn cell_count(rows: usize, cols: usize) -> usize {
    rows.checked_mul(cols)
        .unwrap_or_else(|| panic!("a {rows}x{cols} matrix has more cells than memory can hold"))
}

impl Matrix {
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

    /// A `rows × cols` grid on one strip folded back and forth (a serpentine, or
    /// "zigzag", as most LED panels are wired): row 0 runs left to right from index 0,
    /// row 1 right to left, and so on.
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
    /// let m = Matrix::serpentine(3, 4);
    /// assert_eq!(m.to_string(), " 0  1  2  3\n 7  6  5  4\n 8  9 10 11\n");
    /// assert_eq!(m.row(1).as_slice(), &[7, 6, 5, 4]); // left to right on the panel
    /// assert_eq!(m.col(0).as_slice(), &[0, 7, 8]);
    /// ```
    pub fn serpentine(rows: usize, cols: usize) -> Matrix {
        let count = cell_count(rows, cols);
        let cells = (0..count)
            .map(|cell| {
                let (row, col) = (cell / cols, cell % cols);
                if row % 2 == 0 { cell } else { row * cols + (cols - 1 - col) }
            })
            .collect();
        Matrix { rows, cols, cells, lines: None }
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
