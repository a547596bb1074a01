//! The key: from `--key-file PATH` or `--key-env VAR`, never from the command line.

use crate::args::KeyArgs;
use crate::error::Failed;

/// The key the flags name, or `None` when they name none.
pub fn load(args: &KeyArgs) -> Result<Option<Vec<u8>>, Failed> {
    if let Some(path) = &args.key_file {
        return read_key_file(path).map(Some).map_err(|e| {
            Failed::because(format!("--key-file {}: could not read the key", path.display()), e)
        });
    }
    if let Some(var) = &args.key_env {
        return match key_from_env(var) {
            Ok(Some(key)) => Ok(Some(key)),
            Ok(None) => Err(Failed::new(format!(
                "--key-env {var}: the environment variable {var} is not set; export it, or use --key-file PATH"
            ))),
            Err(e) => Err(Failed::because(format!("--key-env {var}: no usable key"), e)),
        };
    }
    Ok(None)
}

// Stand-ins for `blinken::control::{read_key_file, key_from_env}` until the server
// lands.
fn read_key_file(
    path: &std::path::Path,
) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    let mut key = std::fs::read(path)?;
    if key.ends_with(b"\n") {
        key.pop();
    }
    if key.is_empty() {
        return Err("the file is empty; write a key into it".into());
    }
    Ok(key)
}

fn key_from_env(var: &str) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
    match std::env::var_os(var) {
        None => Ok(None),
        Some(value) if value.is_empty() => Err("the variable is empty".into()),
        Some(value) => Ok(Some(value.into_encoded_bytes())),
    }
}
