//! The server's log (`log` records from `blinken::control`) on standard error, one
//! line each: `blinken: warn: unix:3: authentication failed: ...`. Under systemd that
//! is the journal.

use std::io::Write;

use log::{Level, LevelFilter, Log, Metadata, Record};

use blinken::output::Terminal;

/// Prints records at `Info` and above.
#[derive(Debug)]
struct Stderr;

static LOGGER: Stderr = Stderr;

impl Log for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Info
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = record.level().as_str().to_ascii_lowercase();
        let line = format!("blinken: {level}: {}\n", record.args());
        // Nothing is left to tell if standard error is closed.
        let _ = std::io::stderr().write_all(line.as_bytes());
        // The terminal simulator redraws below what was printed.
        Terminal::note_foreign_output();
    }

    fn flush(&self) {}
}

/// Installs the logger (once; a second call changes nothing).
pub fn init() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Info);
    }
}
