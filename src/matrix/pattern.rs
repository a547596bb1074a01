//! LEDs drawn as text art (`"#...#"` lines), and what can be wrong with a drawing.

use super::Matrix;
use crate::Leds;

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

impl Matrix {
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
}
