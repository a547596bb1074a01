//! The server's one I/O thread: non-blocking sockets and `poll`, every connection a
//! small state machine ([`Connection`]), timers as deadlines. Nothing here blocks but
//! the `poll` itself, so no client can delay another or the player.

use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::Waker;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

use super::ServerLimits;
use super::connection::{Connection, Keep};
use super::handler::Handler;
use super::listener::{Listener, SocketFile};
use super::wake::Wake;
use crate::spec::SpecPixel;

/// Connections accepted per listener per turn, so a flood of connects cannot starve
/// the clients already served.
const ACCEPTS_PER_TURN: usize = 64;

pub(crate) struct IoLoop<P: SpecPixel> {
    pub(crate) listeners: Vec<Listener>,
    /// Removed when the loop ends (or unwinds).
    pub(crate) socket_file: Option<SocketFile>,
    pub(crate) wake: Arc<Wake>,
    pub(crate) wake_rx: UnixStream,
    pub(crate) handler: Handler<P>,
    pub(crate) key: Option<Vec<u8>>,
    pub(crate) limits: ServerLimits,
}

impl<P: SpecPixel + 'static> IoLoop<P> {
    pub(crate) fn run(mut self) {
        let waker = Waker::from(Arc::clone(&self.wake));
        let mut connections: Vec<Connection> = Vec::new();
        let mut refused_logged: Option<Instant> = None;
        let mut revents: Vec<PollFlags> = Vec::new();
        let mut next_token: u64 = 0;
        while !self.wake.stop.load(Ordering::Acquire) {
            let now = Instant::now();
            self.handler.track(&waker);
            for done in self.handler.worker.finished() {
                // A connection gone meanwhile drops its result (and the program).
                if let Some(c) = connections.iter_mut().find(|c| c.token == done.token) {
                    c.complete(done, &mut self.handler, &self.limits, now);
                }
            }
            for connection in connections.iter_mut().filter(|c| c.is_subscribed()) {
                connection.pump(&waker, now);
            }
            let mut keep: Vec<bool> = connections
                .iter_mut()
                .map(|c| {
                    (!c.wants_write() || c.flush() == Keep::Yes)
                        && !c.finished()
                        && !expired(c, now)
                })
                .collect();
            retain(&mut connections, &keep);

            let timeout =
                connections.iter().filter_map(|c| c.deadline).min().map(|deadline| {
                    deadline.saturating_duration_since(now) + Duration::from_millis(1)
                });
            let timeout = timeout.map(|t| Timespec {
                tv_sec: t.as_secs().try_into().unwrap_or(i64::MAX),
                tv_nsec: t.subsec_nanos().into(),
            });
            {
                let mut fds = Vec::with_capacity(1 + self.listeners.len() + connections.len());
                fds.push(PollFd::new(&self.wake_rx, PollFlags::IN));
                for listener in &self.listeners {
                    fds.push(PollFd::new(listener, PollFlags::IN));
                }
                for c in &connections {
                    let mut flags = PollFlags::empty();
                    if c.wants_read() {
                        flags |= PollFlags::IN;
                    }
                    if c.wants_write() {
                        flags |= PollFlags::OUT;
                    }
                    fds.push(PollFd::new(&c.stream, flags));
                }
                match poll(&mut fds, timeout.as_ref()) {
                    Ok(_) => {}
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(error) => {
                        log::error!("poll failed, the server stops: {error}");
                        break;
                    }
                }
                revents.clear();
                revents.extend(fds.iter().map(PollFd::revents));
            }

            let now = Instant::now();
            if !revents[0].is_empty() {
                self.wake.drain(&self.wake_rx);
            }
            let served = connections.len();
            for (i, listener) in self.listeners.iter().enumerate() {
                if revents[1 + i].is_empty() {
                    continue;
                }
                for _ in 0..ACCEPTS_PER_TURN {
                    let (stream, peer) = match listener.accept() {
                        Ok(Some(accepted)) => accepted,
                        Ok(None) => break,
                        Err(error) => {
                            log::warn!("accepting a connection failed: {error}");
                            break;
                        }
                    };
                    if connections.len() >= self.limits.max_connections {
                        if refused_logged
                            .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(10))
                        {
                            log::warn!(
                                "{peer}: refused, {} connections are served already (the limit)",
                                connections.len()
                            );
                            refused_logged = Some(now);
                        }
                        continue;
                    }
                    next_token += 1;
                    let key = self.key.as_deref();
                    match Connection::new(stream, peer, next_token, key, &self.limits, now) {
                        Ok(mut connection) => {
                            if connection.flush() == Keep::Yes {
                                connections.push(connection);
                            }
                        }
                        Err(error) => log::warn!("cannot start a handshake: {error}"),
                    }
                }
            }
            let first = 1 + self.listeners.len();
            keep.clear();
            keep.resize(connections.len(), true);
            for (i, connection) in connections.iter_mut().enumerate().take(served) {
                let flags = revents[first + i];
                if flags.is_empty() {
                    continue;
                }
                if flags.intersects(PollFlags::IN | PollFlags::HUP | PollFlags::ERR)
                    && connection.wants_read()
                    && connection.read(&mut self.handler, &self.limits, now) == Keep::Drop
                {
                    keep[i] = false;
                    continue;
                }
                if flags.intersects(PollFlags::ERR | PollFlags::NVAL)
                    || (flags.contains(PollFlags::HUP) && !connection.wants_read())
                {
                    keep[i] = false;
                    continue;
                }
                if connection.wants_write() && connection.flush() == Keep::Drop {
                    keep[i] = false;
                }
            }
            retain(&mut connections, &keep);
        }
        let count = connections.len();
        drop(connections);
        if let Some(file) = self.socket_file.take() {
            file.remove();
        }
        log::info!("the control server stopped ({count} connections closed)");
    }
}

fn expired(connection: &Connection, now: Instant) -> bool {
    if !connection.expired(now) {
        return false;
    }
    if connection.in_handshake() {
        log::warn!("{}: the handshake timed out", connection.peer);
    } else if !connection.is_closing() {
        log::info!("{}: closed after the idle timeout", connection.peer);
    }
    true
}

fn retain(connections: &mut Vec<Connection>, keep: &[bool]) {
    let mut i = 0;
    connections.retain(|_| {
        let kept = keep.get(i).copied().unwrap_or(true);
        i += 1;
        kept
    });
}
