//! The key: from `--key-file PATH` or `--key-env VAR`, never from the command line.

use blinken::control::{key_from_env, read_key_file};

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
                "--key-env {var}: the environment variable {var} is not set; export it, or use \
                 --key-file PATH"
            ))),
            Err(e) => Err(Failed::because(format!("--key-env {var}: no usable key"), e)),
        };
    }
    Ok(None)
}
