//! The control server ([`Server`]): a builder, the I/O loop, and one file per concern
//! (listeners, connections, requests, replies, the handler that carries them out,
//! limits, keys, wake-ups).

mod connection;
mod error;
mod handler;
mod io_loop;
mod keys;
mod limits;
mod listener;
mod prepare;
mod reply;
mod request;
mod wake;
mod worker;

pub use error::ServerError;
pub use keys::{KeyError, key_from_env, read_key_file};
pub use limits::ServerLimits;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;

use crate::PlayerHandle;
use crate::output::adapter::BrightnessHandle;
use crate::spec::{Layout, Presets, SpecPixel};

/// Parses one request message, for the fuzz tests: the reply format and the request, or
/// the error reply's message. Never panics, whatever the bytes.
#[doc(hidden)]
pub fn parse_request(message: &[u8], limits: &ServerLimits) -> Result<String, String> {
    let parse = request::ParseLimits { spec: limits.spec, pickle: limits.pickle };
    let (format, request) = request::parse(message, &parse);
    request.map(|r| format!("{format:?} {r:?}"))
}

/// A running control server: one [`PlayerHandle`] served over a Unix socket and/or
/// TCP, in the protocol of `docs/protocol.md` (Python's `multiprocessing.connection`,
/// so the seeds' `Client(('localhost', 10101), authkey=b'...')` works unchanged).
///
/// Requests are JSON (`send_bytes`) or plain-data pickles (`send`): `play`,
/// `overlay`, `crossfade`, `stop`, `stop_overlay`, `clear`, `status`, `presets`,
/// `brightness`, `subscribe`, `close`; every one gets a reply, and an error reply
/// (`{"ok": false, "error": "..."}`) changes nothing. A pickled bare pixel-buffer
/// `Animation` is played and answered with its id, or -1, as the seed's manager did.
///
/// # Threads and bounds
///
/// One I/O thread (`blinken-control`) serves every connection with non-blocking
/// sockets and `poll`: 1,000 idle clients cost 1,000 small buffers, not 1,000 threads.
/// Cheap requests (JSON up to 64 KiB, pickles up to 20,000 values: under a millisecond)
/// are decoded and built there; costlier ones on a second thread (`blinken-decode`),
/// while their connection waits (its replies keep the order of its requests) and the
/// others are served. Programs go to the player with the never-waiting `try_*`
/// requests, so a player whose queue is full gets an error reply instead of a stalled
/// server. Every buffer is bounded ([`ServerLimits`]): messages,
/// handshake and idle time, connections, decoded size and depth, and each
/// subscriber's queue of events (one that does not read is sent `lagged` and
/// dropped). A slow, stuck or hostile client never delays the player or another
/// client.
///
/// # Security
///
/// Nothing a peer sends is decoded before it has answered the HMAC challenge; a wrong
/// key gets `#FAILURE#` (Python raises `AuthenticationError`), is logged, and ends
/// that connection only. TCP refuses to start without a key. The Unix socket is
/// created with mode `0660` (owner and group); without a key, everyone in the group
/// can drive the LEDs. Pickles decode as plain data only: no global is resolved,
/// nothing is executed. Neither transport is encrypted.
///
/// Failed logins, refused connections and dropped clients are logged through the `log`
/// crate (player events are not: subscribe to them).
///
/// # Examples
///
/// ```
/// use blinken::control::{Connection, Server};
/// use blinken::prelude::*;
/// use blinken::Player;
/// use std::os::unix::net::UnixStream;
///
/// let player = Player::spawn(Recorder::new(4), SystemClock::new())?;
/// let path = std::env::temp_dir().join(format!("blinken-doc-{}.sock", std::process::id()));
/// let server = Server::builder().unix(&path).key(b"secret".to_vec()).start(player.handle())?;
///
/// let stream = UnixStream::connect(&path)?;
/// let mut client = Connection::connect(stream, b"secret", 1 << 20)?;
/// client.send_bytes(br#"{"play": {"blink": {"leds": 0, "interval": "10ms"}}}"#)?;
/// assert_eq!(client.recv_bytes()?, br#"{"id":1,"ok":true}"#);
/// client.send_bytes(br#"{"play": {"blink": {"leds": 9, "interval": "10ms"}}}"#)?;
/// let reply = String::from_utf8(client.recv_bytes()?)?;
/// assert!(reply.starts_with(r#"{"error":"#) && reply.contains(r#""ok":false"#), "{reply}");
///
/// server.shutdown()?;
/// assert!(!path.exists());
/// player.shutdown().unwrap();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Server {
    wake: Arc<wake::Wake>,
    thread: Option<JoinHandle<()>>,
    unix: Option<PathBuf>,
    tcp: Option<SocketAddr>,
}

/// Configures a [`Server`]; from [`Server::builder`].
///
/// Its `Debug` output shows the key's length, never the key.
#[derive(Default)]
#[must_use = "a builder does nothing until start"]
pub struct ServerBuilder {
    unix: Option<PathBuf>,
    tcp: Option<SocketAddr>,
    key: Option<Vec<u8>>,
    presets: Option<Presets>,
    layout: Option<Layout>,
    brightness: Option<BrightnessHandle>,
    limits: ServerLimits,
}

impl core::fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("unix", &self.unix)
            .field("tcp", &self.tcp)
            .field("key", &self.key.as_ref().map(|k| format!("<{} bytes>", k.len())))
            .field("presets", &self.presets.as_ref().map(Presets::len))
            .field("layout", &self.layout)
            .field("brightness", &self.brightness)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Server {
    /// A builder: give it a Unix socket path and/or a TCP address, a key, then
    /// [`ServerBuilder::start`].
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    /// The Unix socket's path, if it listens on one.
    pub fn unix_path(&self) -> Option<&Path> {
        self.unix.as_deref()
    }

    /// The bound TCP address (with the real port when port 0 was asked for).
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        self.tcp
    }

    /// Stops accepting, closes every connection, removes the Unix socket file, and
    /// joins the server's thread; always returns.
    ///
    /// # Errors
    ///
    /// [`ServerError::Panicked`] if the server's thread had panicked (everything is
    /// closed anyway).
    pub fn shutdown(mut self) -> Result<(), ServerError> {
        self.stop()
    }

    fn stop(&mut self) -> Result<(), ServerError> {
        let Some(thread) = self.thread.take() else { return Ok(()) };
        self.wake.stop.store(true, Ordering::Release);
        self.wake.wake_now();
        thread.join().map_err(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            ServerError::Panicked(message)
        })
    }
}

impl Drop for Server {
    /// Shuts down, as [`Server::shutdown`].
    fn drop(&mut self) {
        if let Err(error) = self.stop() {
            log::error!("{error}");
        }
    }
}

impl ServerBuilder {
    /// Listens on a Unix socket at `path`, created with mode `0660` (owner and group
    /// only). A stale socket file there (no server answers) is replaced; a live one is
    /// an error ([`ServerError::InUse`]).
    pub fn unix(mut self, path: impl Into<PathBuf>) -> Self {
        self.unix = Some(path.into());
        self
    }

    /// Listens on TCP at `addr` (use a loopback address unless other machines must
    /// reach it: the protocol authenticates but does not encrypt). Needs a key.
    pub fn tcp(mut self, addr: SocketAddr) -> Self {
        self.tcp = Some(addr);
        self
    }

    /// The shared key every client must prove it holds (required for TCP; without one,
    /// Unix socket clients connect without a handshake, as Python's
    /// `Client(path, authkey=None)` does). Read it with [`read_key_file`] or
    /// [`key_from_env`], never from a command line.
    pub fn key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The presets clients may play by name (default [`Presets::builtin`]): those that
    /// fit the player's output ([`Presets::fitting`]) are listed and played; asked for
    /// another, the server says why it does not fit.
    pub fn presets(mut self, presets: Presets) -> Self {
        self.presets = Some(presets);
        self
    }

    /// The layout specs are built for (default a strip of the player's length).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = Some(layout);
        self
    }

    /// The output's brightness control, for `{"brightness": F}` requests; without it
    /// they get an error reply.
    pub fn brightness(mut self, handle: BrightnessHandle) -> Self {
        self.brightness = Some(handle);
        self
    }

    /// The bounds (default [`ServerLimits::default`]).
    pub fn limits(mut self, limits: ServerLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Binds the sockets and starts the server's thread.
    ///
    /// # Errors
    ///
    /// [`ServerError::NoListener`], [`ServerError::TcpWithoutKey`],
    /// [`ServerError::EmptyKey`], [`ServerError::Layout`], [`ServerError::PlayerGone`],
    /// the binding errors ([`ServerError::Bind`], [`ServerError::InUse`],
    /// [`ServerError::NotASocket`]) and [`ServerError::Thread`].
    pub fn start<P: SpecPixel + 'static>(
        self,
        player: PlayerHandle<P>,
    ) -> Result<Server, ServerError> {
        if self.unix.is_none() && self.tcp.is_none() {
            return Err(ServerError::NoListener);
        }
        if self.key.as_ref().is_some_and(Vec::is_empty) {
            return Err(ServerError::EmptyKey);
        }
        if let (Some(addr), None) = (self.tcp, &self.key) {
            return Err(ServerError::TcpWithoutKey { addr });
        }
        let layout = self.layout.unwrap_or_else(|| Layout::strip(player.len()));
        if layout.len() != player.len() {
            return Err(ServerError::Layout { layout: layout.len(), player: player.len() });
        }
        if !player.is_alive() {
            return Err(ServerError::PlayerGone);
        }
        let mut listeners = Vec::new();
        let tcp = match self.tcp {
            Some(addr) => {
                let listener = listener::bind_tcp(addr)?;
                let bound = listener.local_addr().unwrap_or(addr);
                listeners.push(listener::Listener::Tcp(listener));
                Some(bound)
            }
            None => None,
        };
        let (socket_file, unix) = match &self.unix {
            Some(path) => {
                let (listener, file) = listener::bind_unix(path)?;
                listeners.push(listener::Listener::Unix(listener));
                (Some(file), Some(path.clone()))
            }
            None => (None, None),
        };
        let (wake, wake_rx) = wake::Wake::pair().map_err(ServerError::Thread)?;
        let parse = request::ParseLimits { spec: self.limits.spec, pickle: self.limits.pickle };
        let presets = self.presets.unwrap_or_else(Presets::builtin);
        let programs = Arc::new(prepare::Programs::new::<P>(presets, layout));
        let worker = worker::Worker::spawn(
            Arc::clone(&programs),
            parse,
            Arc::clone(&wake),
            self.limits.max_connections,
        )
        .map_err(ServerError::Thread)?;
        let handler = handler::Handler {
            status_events: player.events_with_capacity(256),
            player,
            programs,
            worker,
            brightness: self.brightness,
            parse,
            subscriber_queue: self.limits.subscriber_queue.max(1),
            last_error: None,
        };
        let io = io_loop::IoLoop {
            listeners,
            socket_file,
            wake: Arc::clone(&wake),
            wake_rx,
            handler,
            key: self.key,
            limits: self.limits,
        };
        let thread = std::thread::Builder::new()
            .name("blinken-control".into())
            .spawn(move || io.run())
            .map_err(ServerError::Thread)?;
        log::info!(
            "control server listening on{}{}",
            unix.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default(),
            tcp.map(|a| format!(" tcp {a}")).unwrap_or_default()
        );
        Ok(Server { wake, thread: Some(thread), unix, tcp })
    }
}
