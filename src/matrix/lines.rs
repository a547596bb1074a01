//! The GPIO line map of a matrix: which line offset drives each output index.

use std::collections::HashMap;

use super::{Matrix, MatrixError};
use crate::Leds;

impl Matrix {
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
}
