//! The listening sockets: a Unix socket created owner/group-only, and TCP.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use super::ServerError;

/// A listening socket.
#[derive(Debug)]
pub(crate) enum Listener {
    Unix(UnixListener),
    Tcp(TcpListener),
}

/// An accepted connection.
#[derive(Debug)]
pub(crate) enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

/// The Unix socket file we created, removed on shutdown if it is still ours.
#[derive(Debug)]
pub(crate) struct SocketFile {
    pub(crate) path: PathBuf,
    dev: u64,
    ino: u64,
}

impl SocketFile {
    pub(crate) fn remove(&self) {
        match std::fs::symlink_metadata(&self.path) {
            Ok(m) if m.dev() == self.dev && m.ino() == self.ino => {
                if let Err(error) = std::fs::remove_file(&self.path) {
                    log::warn!("could not remove the socket {}: {error}", self.path.display());
                }
            }
            // Replaced by another server meanwhile (or already gone): not ours to remove.
            _ => {}
        }
    }
}

/// Binds the Unix socket at `path` with mode 0660: it is bound under a temporary name
/// in the same directory, given its mode, then renamed into place, so it never exists
/// at `path` with wider permissions. A stale socket (no server answers) is replaced; a
/// live one, or anything that is not a socket, is refused.
pub(crate) fn bind_unix(path: &Path) -> Result<(UnixListener, SocketFile), ServerError> {
    let bind_error = |hint, source| ServerError::Bind {
        what: format!("the Unix socket {}", path.display()),
        hint,
        source,
    };
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_socket() => {
            if UnixStream::connect(path).is_ok() {
                return Err(ServerError::InUse { path: path.to_owned() });
            }
            log::info!("replacing the stale socket {}", path.display());
        }
        Ok(_) => return Err(ServerError::NotASocket { path: path.to_owned() }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(bind_error("check the path and its directory's permissions", error));
        }
    }
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).map_err(|e| {
        bind_error("the system gave no random bytes", io::Error::other(e.to_string()))
    })?;
    let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{suffix}.tmp"));
    let temporary = PathBuf::from(temporary);
    let listener = UnixListener::bind(&temporary).map_err(|e| {
        bind_error(
            "check that the directory exists and is writable, and that the path is short \
             (at most 107 bytes)",
            e,
        )
    })?;
    let placed = std::fs::set_permissions(&temporary, std::fs::Permissions::from_mode(0o660))
        .and_then(|()| std::fs::rename(&temporary, path))
        .and_then(|()| std::fs::symlink_metadata(path));
    match placed {
        Ok(meta) => {
            listener.set_nonblocking(true).map_err(|e| bind_error("", e))?;
            Ok((listener, SocketFile { path: path.to_owned(), dev: meta.dev(), ino: meta.ino() }))
        }
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            Err(bind_error("check the directory's permissions", error))
        }
    }
}

/// Binds TCP at `addr` (port 0: any free port).
pub(crate) fn bind_tcp(addr: SocketAddr) -> Result<TcpListener, ServerError> {
    let listener = TcpListener::bind(addr).map_err(|source| ServerError::Bind {
        what: format!("TCP {addr}"),
        hint: if source.kind() == io::ErrorKind::AddrInUse {
            "another program uses that port: stop it, or choose another port"
        } else {
            "check the address (loopback is 127.0.0.1:10101)"
        },
        source,
    })?;
    listener.set_nonblocking(true).map_err(|source| ServerError::Bind {
        what: format!("TCP {addr}"),
        hint: "",
        source,
    })?;
    if !addr.ip().is_loopback() {
        log::warn!(
            "listening on TCP {addr}, reachable from other machines; traffic is not encrypted"
        );
    }
    Ok(listener)
}

impl Listener {
    /// Accepts one connection, non-blocking; `None` when none waits.
    pub(crate) fn accept(&self) -> io::Result<Option<(Stream, String)>> {
        let accepted = match self {
            Listener::Unix(l) => l.accept().map(|(s, _)| (Stream::Unix(s), "unix".to_owned())),
            Listener::Tcp(l) => l.accept().map(|(s, peer)| {
                let _ = s.set_nodelay(true);
                (Stream::Tcp(s), peer.to_string())
            }),
        };
        match accepted {
            Ok((stream, peer)) => {
                stream.set_nonblocking()?;
                Ok(Some((stream, peer)))
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl AsFd for Listener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Listener::Unix(l) => l.as_fd(),
            Listener::Tcp(l) => l.as_fd(),
        }
    }
}

impl Stream {
    fn set_nonblocking(&self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_nonblocking(true),
            Stream::Tcp(s) => s.set_nonblocking(true),
        }
    }
}

impl AsFd for Stream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Stream::Unix(s) => s.as_fd(),
            Stream::Tcp(s) => s.as_fd(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
