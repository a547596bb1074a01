//! The server's bounds.

use core::time::Duration;

use crate::control::pickle::PickleLimits;
use crate::spec::Limits;

/// Every bound of a [`Server`](super::Server); the defaults are those of
/// `docs/protocol.md`.
///
/// # Examples
///
/// ```
/// use blinken::control::ServerLimits;
/// use std::time::Duration;
///
/// let mut limits = ServerLimits::default();
/// assert_eq!(limits.max_message, 1 << 20);
/// assert_eq!(limits.handshake_timeout, Duration::from_secs(5));
/// assert_eq!(limits.max_connections, 1024);
/// limits.subscriber_queue = 64;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerLimits {
    /// The largest message accepted after the handshake, in bytes (default 1 MiB); a
    /// longer one closes the connection before any of it is read.
    pub max_message: usize,
    /// How long a connection may take to authenticate (default 5 s).
    pub handshake_timeout: Duration,
    /// How long an authenticated connection may go without a complete request before
    /// it is closed (default 10 min); subscribers are exempt.
    pub idle_timeout: Duration,
    /// How many connections are served at once (default 1,024); one more is accepted
    /// and closed at once (the client sees the connection end).
    pub max_connections: usize,
    /// How many unsent events a subscriber may have (default 1,024); when more come,
    /// it is sent `lagged` and disconnected.
    pub subscriber_queue: usize,
    /// The bounds of a spec in a request (document size, nesting depth).
    pub spec: Limits,
    /// The bounds of a pickled request (nesting depth, number of values).
    pub pickle: PickleLimits,
}

impl Default for ServerLimits {
    fn default() -> ServerLimits {
        ServerLimits {
            max_message: 1 << 20,
            handshake_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(600),
            max_connections: 1024,
            subscriber_queue: 1024,
            spec: Limits::default(),
            pickle: PickleLimits::default(),
        }
    }
}
