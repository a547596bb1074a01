//! What a spec is built for: the output's length and the names of its LED groups.

use crate::input::Input;
use crate::{Leds, Matrix};

/// The output a spec is built for: how many LEDs, and which names mean which LEDs.
///
/// A strip knows `"all"` and ranges (`"0..5"`); a [`Matrix`] also knows its rows,
/// columns, rings, diagonals, GPIO lines and text art; [`Layout::with_group`] adds
/// names of your own (a strip map: `"left wing"`), and [`Layout::with_input`] the
/// inputs (buttons) that the input leaves of a spec name (`{"until": {"input":
/// "button", "body": ...}}`).
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
#[derive(Debug, Clone)]
pub struct Layout {
    len: usize,
    matrix: Option<Matrix>,
    groups: Vec<(String, Leds)>,
    inputs: Vec<(String, Input)>,
}

/// Equal when the LEDs, the names and the inputs are (the same [`Input`]s, by
/// [`Input::same_as`]).
impl PartialEq for Layout {
    fn eq(&self, other: &Layout) -> bool {
        self.len == other.len
            && self.matrix == other.matrix
            && self.groups == other.groups
            && self.inputs.len() == other.inputs.len()
            && self.inputs.iter().zip(&other.inputs).all(|((a, x), (b, y))| a == b && x.same_as(y))
    }
}

impl Layout {
    /// A strip (or any row of outputs) of `len` LEDs.
    pub fn strip(len: usize) -> Layout {
        Layout { len, matrix: None, groups: Vec::new(), inputs: Vec::new() }
    }

    /// A matrix; its length is the number of cells.
    pub fn matrix(matrix: Matrix) -> Layout {
        Layout { len: matrix.len(), matrix: Some(matrix), groups: Vec::new(), inputs: Vec::new() }
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

    /// Adds an input that specs name `name` (trimmed; a later one of the same name
    /// replaces it): `{"press": "button"}`, `{"until": {"input": "button", "body":
    /// ...}}`, `{"presses": {"input": "button", "times": 3}}`.
    ///
    /// ```
    /// use blinken::input::{EdgeKind::Press, Input};
    /// use blinken::prelude::*;
    /// use blinken::spec::{Layout, Spec};
    ///
    /// let at = |t| Instant::ZERO + ms(t);
    /// let button = Input::scripted([(at(250), Press)]);
    /// let layout = Layout::strip(1).with_input("button", &button);
    /// let spec = Spec::from_json(
    ///     r#"{"until": {"input": "button", "body": {"blink": {"leds": 0, "interval": "100ms"}}}}"#,
    /// )
    /// .unwrap();
    /// let program = spec.build::<bool>(&layout).unwrap();
    /// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    /// assert_eq!(driver.run(&program).unwrap(), at(250));
    ///
    /// // Without it, the spec is refused by name.
    /// let err = spec.build::<bool>(&Layout::strip(1)).map(drop).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "until.input: there is no input \"button\"; this output has none: \
    ///      add it with Layout::with_input"
    /// );
    /// ```
    #[must_use]
    pub fn with_input(mut self, name: &str, input: &Input) -> Layout {
        let name = name.trim();
        self.inputs.retain(|(n, _)| n != name);
        self.inputs.push((name.to_owned(), input.clone()));
        self
    }

    /// The input named `name` ([`Layout::with_input`]).
    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|(n, _)| n == name.trim()).map(|(_, input)| input)
    }

    pub(crate) fn input_names(&self) -> impl Iterator<Item = &str> {
        self.inputs.iter().map(|(n, _)| n.as_str())
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
