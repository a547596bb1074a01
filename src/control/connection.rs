//! A blocking connection speaking Python's `multiprocessing.connection` protocol: the
//! thin I/O loop around the pure [`frame`](super::frame) and [`auth`](super::auth) parts.

use std::io::{self, Read, Write};

use super::auth::{self, ClientHandshake, RANDOM_LEN, ServerHandshake, Step};
use super::frame::{self, Decoder, FrameError};

/// A connection failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// Reading or writing the socket failed (a timeout shows here as
    /// `WouldBlock`/`TimedOut`).
    #[error("the connection failed")]
    Io(#[from] io::Error),
    /// The peer broke the framing, or sent a message over the limit.
    #[error("the peer broke the message framing")]
    Frame(#[from] FrameError),
    /// The handshake failed: a wrong key, or a peer that does not speak the protocol.
    #[error("authentication failed")]
    Auth(#[from] auth::AuthError),
    /// The peer closed the connection.
    #[error("the peer closed the connection")]
    Closed,
    /// The operating system gave no random bytes for the challenge.
    #[error("no random bytes for the challenge: {0}")]
    Random(String),
}

/// One authenticated connection, over any byte stream (a `TcpStream`, a
/// `UnixStream`, or a test's pipe).
///
/// Set timeouts on the stream itself (`set_read_timeout`): a handshake or a read that
/// times out fails with [`ControlError::Io`], so a silent peer cannot hold a thread.
///
/// # Examples
///
/// A Python client, written the way the seeds write theirs, talks to a Rust server:
///
/// ```no_run
/// use blinken::control::Connection;
/// use std::net::TcpListener;
///
/// let listener = TcpListener::bind(("127.0.0.1", 10101))?;
/// let (stream, _) = listener.accept()?;
/// stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
/// // Python: Client(('localhost', 10101), authkey=b'secret').send_bytes(b'hello')
/// let mut connection = Connection::accept(stream, b"secret", 1 << 20)?;
/// assert_eq!(connection.recv_bytes()?, b"hello");
/// connection.send_bytes(b"hi")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Connection<S> {
    stream: S,
    decoder: Decoder,
}

impl<S: Read + Write> Connection<S> {
    /// The server's side of the handshake (`Listener.accept`): nothing of the peer is
    /// decoded beyond handshake messages of at most 256 bytes until it has proved it
    /// holds `key`; then messages of at most `max_message` bytes are accepted.
    ///
    /// # Errors
    ///
    /// [`ControlError::Auth`] for a wrong key (the peer is told `#FAILURE#`), and the
    /// I/O and framing errors of [`Connection::recv_bytes`].
    pub fn accept(stream: S, key: &[u8], max_message: usize) -> Result<Self, ControlError> {
        let (mut handshake, first) = ServerHandshake::new(key, random()?);
        Connection::handshake(stream, Some(first), |m| handshake.receive(m), max_message)
    }

    /// The client's side of the handshake (`Client(address, authkey=key)`).
    ///
    /// # Errors
    ///
    /// As [`Connection::accept`].
    pub fn connect(stream: S, key: &[u8], max_message: usize) -> Result<Self, ControlError> {
        let mut handshake = ClientHandshake::new(key, random()?);
        Connection::handshake(stream, None, |m| handshake.receive(m), max_message)
    }

    /// Runs either side's handshake: sends `first` if given, then answers every
    /// message with what `receive` says until it is done or fails. Only handshake-sized
    /// messages are read until then; `max_message` applies afterwards.
    fn handshake(
        stream: S,
        first: Option<Vec<u8>>,
        mut receive: impl FnMut(&[u8]) -> Step,
        max_message: usize,
    ) -> Result<Self, ControlError> {
        let mut connection =
            Connection { stream, decoder: Decoder::new(auth::MAX_HANDSHAKE_MESSAGE) };
        if let Some(first) = first {
            connection.send_bytes(&first)?;
        }
        loop {
            let incoming = connection.recv_bytes()?;
            match receive(&incoming) {
                Step::Send(message) => connection.send_bytes(&message)?,
                Step::Done(message) => {
                    if let Some(message) = message {
                        connection.send_bytes(&message)?;
                    }
                    break;
                }
                Step::Fail(message, error) => {
                    if let Some(message) = message {
                        // Best effort: the peer learns why; the error is ours to report.
                        let _ = connection.send_bytes(&message);
                    }
                    return Err(error.into());
                }
            }
        }
        connection.decoder = Decoder::new(max_message);
        Ok(connection)
    }

    /// Sends one message (Python's `recv_bytes()` receives it).
    ///
    /// # Errors
    ///
    /// [`ControlError::Io`].
    pub fn send_bytes(&mut self, payload: &[u8]) -> Result<(), ControlError> {
        let mut out = Vec::with_capacity(payload.len() + 4);
        frame::encode(payload, &mut out);
        self.stream.write_all(&out)?;
        self.stream.flush()?;
        Ok(())
    }

    /// Receives one message (what Python's `send_bytes` sent).
    ///
    /// # Errors
    ///
    /// [`ControlError::Closed`] when the peer closed the connection between messages
    /// (mid-message is [`ControlError::Io`] `UnexpectedEof`), [`ControlError::Frame`]
    /// for a message over the limit (nothing of it is read), [`ControlError::Io`].
    pub fn recv_bytes(&mut self) -> Result<Vec<u8>, ControlError> {
        let mut buf = [0u8; 4096];
        loop {
            if let Some(message) = self.decoder.next_message()? {
                return Ok(message);
            }
            let want = self.decoder.wanted()?.min(buf.len());
            match self.stream.read(&mut buf[..want]) {
                Ok(0) if self.decoder.buffered() == 0 => return Err(ControlError::Closed),
                Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into()),
                Ok(n) => self.decoder.push(&buf[..n]),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// The stream.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// Gives the stream back.
    pub fn into_inner(self) -> S {
        self.stream
    }
}

fn random() -> Result<[u8; RANDOM_LEN], ControlError> {
    let mut bytes = [0; RANDOM_LEN];
    getrandom::fill(&mut bytes).map_err(|e| ControlError::Random(e.to_string()))?;
    Ok(bytes)
}
