//! What can go wrong reading or building a spec.

use core::fmt;

use crate::ValidationError;

/// A spec could not be read or built; says where and what to write instead.
///
/// The place is a path into the document in the spec's own words
/// (`sequence[2].blink.interval`), followed, for JSON text, by the line and column.
///
/// # Examples
///
/// ```
/// use blinken::spec::{Spec, SpecError};
///
/// let text = r#"{"sequence": [{"wait": "1s"}, {"wait": "2s"},
///                {"blink": {"leds": 0, "interval": "5 ms"}}]}"#;
/// let err = Spec::from_json(text).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"sequence[2].blink.interval: "5 ms" is not a duration; write "5ms" or 0.005 (line 2, column 55)"#
/// );
/// assert_eq!(err.path().as_deref(), Some("sequence[2].blink.interval"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The document is larger than [`Limits::max_bytes`](super::Limits::max_bytes).
    #[error(
        "the document is {size} bytes, more than the limit of {max} bytes; \
         make it smaller or raise the limit (Limits::max_bytes)"
    )]
    TooLarge {
        /// The document's size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The document nests lists and maps deeper than
    /// [`Limits::max_depth`](super::Limits::max_depth).
    #[error(
        "{}the document nests lists and maps deeper than {max} levels; flatten the program \
         or raise the limit (Limits::max_depth)",
        at(position)
    )]
    TooDeep {
        /// The limit.
        max: usize,
        /// Where the limit was crossed (JSON text only).
        position: Option<Position>,
    },
    /// The document is not a spec: bad syntax, a wrong type, an unknown or missing key,
    /// a value that cannot be read.
    #[error("{}{message}{}", prefix(path), suffix(position))]
    Parse {
        /// JSON or MessagePack.
        format: Format,
        /// Where in the document (empty for the whole document).
        path: String,
        /// What is wrong and what to write instead.
        message: String,
        /// Line and column (JSON text only).
        position: Option<Position>,
    },
    /// The spec is well formed but does not fit the output: an LED it lacks, a name it
    /// does not know, a colour on an output of plain on/off LEDs.
    #[error("{path}: {message}")]
    Build {
        /// Where in the spec.
        path: String,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// The animation built from the spec does not pass validation (for example a loop
    /// whose body takes no time); the path is the animation's.
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

/// A line and column in JSON text, both counted from 1 (columns in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// The encoding a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// JSON text.
    Json,
    /// MessagePack bytes.
    MessagePack,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::MessagePack => "MessagePack",
        })
    }
}

fn at(position: &Option<Position>) -> String {
    position.map(|p| format!("{p}: ")).unwrap_or_default()
}

fn prefix(path: &str) -> String {
    if path.is_empty() { String::new() } else { format!("{path}: ") }
}

fn suffix(position: &Option<Position>) -> String {
    position.map(|p| format!(" ({p})")).unwrap_or_default()
}

impl SpecError {
    /// Where in the document or spec, when the error has a place.
    pub fn path(&self) -> Option<String> {
        match self {
            SpecError::Parse { path, .. } | SpecError::Build { path, .. } => Some(path.clone()),
            SpecError::Validation(e) => Some(e.path()),
            _ => None,
        }
    }

    /// The line and column in JSON text, when known.
    pub fn position(&self) -> Option<Position> {
        match self {
            SpecError::Parse { position, .. } | SpecError::TooDeep { position, .. } => *position,
            _ => None,
        }
    }

    pub(crate) fn build(path: &str, message: impl Into<String>) -> SpecError {
        SpecError::Build { path: path.to_owned(), message: message.into() }
    }
}
