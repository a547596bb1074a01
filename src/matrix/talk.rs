//! The talk's 5×5 board and its GPIO line offsets.

use super::Matrix;

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
}
