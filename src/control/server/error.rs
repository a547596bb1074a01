//! Why a server could not start or stop cleanly.

use std::net::SocketAddr;
use std::path::PathBuf;

/// A [`Server`](super::Server) could not start, or did not stop cleanly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// Neither a Unix socket nor a TCP address was given.
    #[error("the server has nowhere to listen: give it a Unix socket path, a TCP address, or both")]
    NoListener,
    /// TCP was asked for without a key: anyone who can reach the port could drive the
    /// LEDs.
    #[error(
        "refusing to listen on TCP {addr} without a key: give a key (from a file or the \
         environment), or listen on a Unix socket only"
    )]
    TcpWithoutKey {
        /// The address.
        addr: SocketAddr,
    },
    /// The key given is empty.
    #[error("the key is empty; use a long random key")]
    EmptyKey,
    /// A socket could not be bound.
    #[error("cannot listen on {what}: {source}; {hint}")]
    Bind {
        /// The address or path.
        what: String,
        /// What to do.
        hint: &'static str,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Another server answers on the Unix socket path.
    #[error(
        "a server already answers on {}; stop it first, or choose another path",
        path.display()
    )]
    InUse {
        /// The socket's path.
        path: PathBuf,
    },
    /// Something that is not a socket is in the way.
    #[error(
        "{} exists and is not a socket; it is left alone: remove it, or choose another path",
        path.display()
    )]
    NotASocket {
        /// The path.
        path: PathBuf,
    },
    /// The layout does not match the player's output.
    #[error(
        "the layout has {layout} LEDs but the player's output has {player}; give a layout \
         of the output's length"
    )]
    Layout {
        /// LEDs in the layout.
        layout: usize,
        /// LEDs of the player.
        player: usize,
    },
    /// The player has shut down.
    #[error("the player has shut down; start the server with a running player")]
    PlayerGone,
    /// The server's thread or its wake-up channel could not be created.
    #[error("cannot start the server's thread: {0}")]
    Thread(#[source] std::io::Error),
    /// The server's thread panicked (a bug: please report it); everything was closed
    /// anyway.
    #[error("the server's thread panicked: {0}")]
    Panicked(String),
}
