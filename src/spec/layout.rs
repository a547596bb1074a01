//! What a spec is built for: the output's length and the names of its LED groups.

use crate::{Leds, Matrix};

/// The output a spec is built for: how many LEDs, and which names mean which LEDs.
///
/// A strip knows `"all"` and ranges (`"0..5"`); a [`Matrix`] also knows its rows,
/// columns, rings, diagonals, GPIO lines and text art; [`Layout::with_group`] adds
/// names of your own (a strip map: `"left wing"`).
///
/// # Examples
///
/// ```
/// use blinken::spec::Layout;
/// use blinken::{Leds, Matrix};
///
/// let board = Layout::matrix(Matrix::talk());
/// assert_eq!(board.len(), 25);
/// let strip = Layout::strip(11).with_group("left wing", Leds::from(0..5));
/// assert_eq!(strip.group("left wing").unwrap().as_slice(), &[0, 1, 2, 3, 4]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    len: usize,
    matrix: Option<Matrix>,
    groups: Vec<(String, Leds)>,
}

impl Layout {
    /// A strip (or any row of outputs) of `len` LEDs.
    pub fn strip(len: usize) -> Layout {
        Layout { len, matrix: None, groups: Vec::new() }
    }

    /// A matrix; its length is the number of cells.
    pub fn matrix(matrix: Matrix) -> Layout {
        Layout { len: matrix.len(), matrix: Some(matrix), groups: Vec::new() }
    }

    /// The talk's 5×5 board ([`Matrix::talk`]).
    pub fn talk() -> Layout {
        Layout::matrix(Matrix::talk())
    }

    /// Adds a named group; names are matched exactly (after trimming) and before the
    /// built-in ones.
    #[must_use]
    pub fn with_group(mut self, name: &str, leds: impl Into<Leds>) -> Layout {
        self.groups.push((name.trim().to_owned(), leds.into()));
        self
    }

    /// How many LEDs the output has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the output has no LEDs.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The matrix, if the output is one.
    pub fn as_matrix(&self) -> Option<&Matrix> {
        self.matrix.as_ref()
    }

    /// A group added with [`Layout::with_group`].
    pub fn group(&self, name: &str) -> Option<&Leds> {
        self.groups.iter().find(|(n, _)| n == name.trim()).map(|(_, leds)| leds)
    }

    pub(crate) fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|(n, _)| n.as_str())
    }
}
