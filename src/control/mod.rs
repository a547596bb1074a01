//! The control protocol: Python's `multiprocessing.connection` on the wire, so that the
//! seeds' own client code (`Client(('localhost', 10101), authkey=b'...')`, then
//! `send_bytes`/`recv_bytes`) can talk to a blinken program.
//!
//! Built as pure parts plus a thin loop: [`frame`] splits a byte stream into messages
//! and [`auth`] runs the mutual HMAC handshake as state machines, both without I/O, so
//! property tests and fuzzers call them directly; [`Connection`] is the blocking loop
//! around them over any `Read + Write` stream. Nothing of a peer's messages is decoded
//! before it has proved it holds the key, and every size is bounded: handshake messages
//! to 256 bytes, later messages to the limit given.
//!
//! [`Server`] serves a [`PlayerHandle`](crate::PlayerHandle) over this protocol
//! (requests, pickles, subscriptions; Linux), as `docs/protocol.md` describes.

pub mod auth;
mod connection;
pub mod frame;
pub mod pickle;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod server;

pub use connection::{Connection, ControlError};
#[cfg(any(target_os = "linux", target_os = "android"))]
pub use server::{
    KeyError, Server, ServerBuilder, ServerError, ServerLimits, key_from_env, parse_request,
    read_key_file,
};
