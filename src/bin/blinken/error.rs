//! A failure: what the command was doing, and why; printed once, with its causes.

use std::error::Error;
use std::fmt;
use std::io::Write;
use std::process::ExitCode;

/// What failed, and the error that caused it (if any).
#[derive(Debug)]
pub struct Failed {
    what: String,
    source: Option<Box<dyn Error + Send + Sync>>,
    /// A bad command line (exit code 2, as clap's own errors), not a failure to do it.
    usage: bool,
}

impl Failed {
    /// `what` failed, and that is all there is to say.
    pub fn new(what: impl Into<String>) -> Failed {
        Failed { what: what.into(), source: None, usage: false }
    }

    /// The flags do not fit together: `what` says which and what to write.
    pub fn usage(what: impl Into<String>) -> Failed {
        Failed { what: what.into(), source: None, usage: true }
    }

    /// `what` failed because of `source`.
    pub fn because(
        what: impl Into<String>,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> Failed {
        Failed { what: what.into(), source: Some(source.into()), usage: false }
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl Error for Failed {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Prints `error` and every cause under it on standard error, then gives the exit code
/// of a failure (2 for a bad command line, as clap's, 1 otherwise):
///
/// ```text
/// blinken: error: could not open /dev/spidev0.0
/// blinken: caused by: Permission denied (os error 13)
/// ```
pub fn report(error: &Failed) -> ExitCode {
    let mut text = format!("blinken: error: {error}\n");
    let mut cause = Error::source(error);
    while let Some(error) = cause {
        text.push_str(&format!("blinken: caused by: {error}\n"));
        cause = error.source();
    }
    // Nothing is left to tell if standard error is closed too.
    let _ = std::io::stderr().write_all(text.as_bytes());
    if error.usage { ExitCode::from(2) } else { ExitCode::FAILURE }
}

/// Writes `text` to standard output; a closed one (`| head`) is an error, not a panic.
pub fn print(text: &str) -> Result<(), Failed> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failed::because("could not write to standard output", e))
}
