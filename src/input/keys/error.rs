//! Why [`Keys`](super::Keys) could not start.

use std::io;

/// Why [`Keys`](super::Keys) could not start reading keys.
///
/// # Examples
///
/// ```
/// use blinken::input::KeysError;
///
/// let err = KeysError::InUse;
/// assert!(err.to_string().starts_with("standard input is read by another `Keys` already"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeysError {
    /// Another [`Keys`](super::Keys) reads standard input: two readers would share out
    /// the keys between them.
    #[error(
        "standard input is read by another `Keys` already; drop it first, or bind more \
         keys to that one"
    )]
    InUse,
    /// Standard input is a terminal that could not be put in raw mode.
    #[error(
        "could not put the terminal on standard input in raw mode, which single keys need; \
         run with standard input from a pipe or a file to read its bytes as keys instead"
    )]
    RawMode {
        /// The error from the terminal.
        #[source]
        source: io::Error,
    },
    /// The reader thread could not be started.
    #[error("could not start the thread that reads the keys")]
    Spawn {
        /// The error from the system.
        #[source]
        source: io::Error,
    },
}
