//! Grids of LEDs: rows, columns, rings, diagonals and text-art patterns.
//!
//! [`Matrix`] is defined here; its methods live with what they are about: `grid.rs`
//! (building, cells, rows, columns, rings, diagonals, `Display`), `lines.rs` (the GPIO
//! line map), `pattern.rs` (text art and [`PatternError`]), `talk.rs` (the talk's 5×5
//! board), `error.rs` ([`MatrixError`]).

mod error;
mod grid;
mod lines;
mod pattern;
mod talk;

pub use error::MatrixError;
pub use pattern::PatternError;

/// A grid of `rows × cols` LEDs mapped onto output indices.
///
/// Every cell `(row, col)` (both counted from 0, row 0 at the top) is wired to one
/// output index. [`Matrix::new`] wires them row-major (`row * cols + col`);
/// [`Matrix::from_indices`] takes any other wiring (a serpentine strip, a board wired
/// by hand). The groups — [`row`](Matrix::row), [`col`](Matrix::col),
/// [`all`](Matrix::all), the [rings](Matrix::ring), the diagonals and
/// [text-art patterns](Matrix::pattern) — are [`Leds`](crate::Leds), ready for any leaf.
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
