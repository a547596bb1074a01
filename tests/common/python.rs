//! Finding CPython interpreters for the tests that drive blinken with Python's own
//! `multiprocessing.connection` (`tests/control_python.rs`, `tests/control_server_python.rs`).
#![allow(dead_code)]

use std::process::{Command, Stdio};

pub const NEEDS: &str =
    "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored";

/// The interpreter of Python `version`: `python3.12` on `PATH` if it runs, else one
/// installed by pyenv (`$PYENV_ROOT` or `~/.pyenv`, `versions/3.12.*/bin/python3.12`).
pub fn python(version: &str) -> String {
    let name = format!("python{version}");
    let runs = |path: &str| {
        Command::new(path)
            .args(["-c", "pass"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if runs(&name) {
        return name;
    }
    let root = std::env::var("PYENV_ROOT")
        .ok()
        .or_else(|| std::env::var("HOME").ok().map(|home| format!("{home}/.pyenv")));
    let installed = root.and_then(|root| {
        let mut found: Vec<_> = std::fs::read_dir(format!("{root}/versions"))
            .ok()?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|v| v.starts_with(&format!("{version}.")))
            .map(|v| format!("{root}/versions/{v}/bin/{name}"))
            .filter(|path| runs(path))
            .collect();
        found.sort();
        found.pop()
    });
    installed.unwrap_or_else(|| {
        panic!("Python {version} was not found ({name} on PATH or under pyenv); {NEEDS}")
    })
}
