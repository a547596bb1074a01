//! Reading the shared key: from a file or the environment, never from a command line
//! (where every user of the machine can read it in the process list).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// A key could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key file could not be read.
    #[error("cannot read the key file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The key file can be read by every user of the machine.
    #[error(
        "the key file {} can be read by every user (mode {mode:o}); run `chmod o-rwx {}` \
         (or `chmod 600`) and start again",
        path.display(),
        path.display()
    )]
    WorldReadable {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The key is empty.
    #[error(
        "the key from {from} is empty; write a long random key there (`head -c 32 /dev/urandom | base64`)"
    )]
    Empty {
        /// Where it came from: a path or an environment variable.
        from: String,
    },
}

/// Reads a key from `path`: the file's bytes, without one trailing newline (`\n` or
/// `\r\n`), as `echo secret > key` writes it.
///
/// # Errors
///
/// [`KeyError::Read`], [`KeyError::Empty`], and [`KeyError::WorldReadable`]: a key
/// that every user of the machine can read is refused (as `ssh` refuses such private
/// keys), not just warned about.
///
/// # Examples
///
/// ```
/// use blinken::control::{KeyError, read_key_file};
/// use std::os::unix::fs::PermissionsExt;
///
/// let dir = std::env::temp_dir().join(format!("blinken-key-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("key");
/// std::fs::write(&path, "secret\n")?;
/// std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
/// assert_eq!(read_key_file(&path)?, b"secret");
///
/// std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
/// assert!(matches!(read_key_file(&path), Err(KeyError::WorldReadable { mode: 0o644, .. })));
/// std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_key_file(path: &Path) -> Result<Vec<u8>, KeyError> {
    use std::os::unix::fs::PermissionsExt;
    let read = |source| KeyError::Read { path: path.to_owned(), source };
    let mode = std::fs::metadata(path).map_err(read)?.permissions().mode() & 0o777;
    if mode & 0o004 != 0 {
        return Err(KeyError::WorldReadable { path: path.to_owned(), mode });
    }
    let mut key = std::fs::read(path).map_err(read)?;
    if key.ends_with(b"\n") {
        key.pop();
        if key.ends_with(b"\r") {
            key.pop();
        }
    }
    if key.is_empty() {
        return Err(KeyError::Empty { from: path.display().to_string() });
    }
    Ok(key)
}

/// Reads a key from the environment variable `var`: `None` when it is not set.
///
/// # Errors
///
/// [`KeyError::Empty`] when it is set but empty.
///
/// # Examples
///
/// ```
/// use blinken::control::key_from_env;
///
/// assert_eq!(key_from_env("BLINKEN_DOC_SURELY_UNSET").unwrap(), None);
/// ```
pub fn key_from_env(var: &str) -> Result<Option<Vec<u8>>, KeyError> {
    use std::os::unix::ffi::OsStringExt;
    match std::env::var_os(var).map(OsString::into_vec) {
        None => Ok(None),
        Some(key) if key.is_empty() => {
            Err(KeyError::Empty { from: format!("the environment variable {var}") })
        }
        Some(key) => Ok(Some(key)),
    }
}
