//! One client connection: its handshake, bounded input and output buffers, deadline,
//! and (once subscribed) its event stream. No blocking call: the loop reads and writes
//! only what the non-blocking socket takes.

use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::io::{self, Read, Write};
use std::time::Instant;

use futures::Stream as _;

use super::ServerLimits;
use super::handler::{Action, Handler};
use super::listener::Stream;
use super::prepare::Prepared;
use super::reply;
use super::request::{self, Format};
use super::worker::{Done, Job};
use crate::Events;
use crate::control::auth::{self, RANDOM_LEN, ServerHandshake, Step};
use crate::control::frame::{self, Decoder, FrameError};
use crate::spec::SpecPixel;

/// Stop reading from a client while this much of its output is unsent (it pipelines
/// requests without reading the replies).
const OUT_HIGH: usize = 256 << 10;
/// Stop taking events for a subscriber while this much is unsent; its queue of events
/// fills up instead, and then it is told it lagged and dropped.
const EVENTS_HIGH: usize = 64 << 10;
/// Bytes read from one connection per turn of the loop, so no client starves another.
const READ_BUDGET: usize = 256 << 10;
/// Requests answered for one connection per turn of the loop, so a client that
/// pipelines thousands of requests delays the others by a few dozen at most.
const MESSAGES_PER_TURN: usize = 32;
/// How long a connection being closed may take to receive its last message.
const LINGER: std::time::Duration = std::time::Duration::from_secs(1);

pub(crate) enum Phase {
    Handshake(ServerHandshake),
    Ready,
    Subscribed { events: Events, format: Format },
}

/// What the loop does with a connection after an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    Yes,
    Drop,
}

pub(crate) struct Connection {
    pub(crate) stream: Stream,
    pub(crate) peer: String,
    /// Names the connection to the decoder thread.
    pub(crate) token: u64,
    /// A request of this connection is on the decoder thread: nothing more is read
    /// until it is answered, so replies keep the order of the requests.
    busy: bool,
    phase: Phase,
    decoder: Decoder,
    out: Vec<u8>,
    sent: usize,
    /// The handshake's deadline, the idle deadline, or the linger of a closing one.
    pub(crate) deadline: Option<Instant>,
    /// Reads nothing more; dropped once its output is sent (or at the deadline).
    closing: bool,
}

impl Connection {
    /// A new connection: with a key it starts the handshake (sending the challenge),
    /// without one it is ready at once.
    pub(crate) fn new(
        stream: Stream,
        peer: String,
        token: u64,
        key: Option<&[u8]>,
        limits: &ServerLimits,
        now: Instant,
    ) -> io::Result<Connection> {
        let mut connection = Connection {
            stream,
            peer,
            token,
            busy: false,
            phase: Phase::Ready,
            decoder: Decoder::new(limits.max_message),
            out: Vec::new(),
            sent: 0,
            deadline: now.checked_add(limits.idle_timeout),
            closing: false,
        };
        if let Some(key) = key {
            let mut random = [0; RANDOM_LEN];
            getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
            let (handshake, first) = ServerHandshake::new(key, random);
            connection.phase = Phase::Handshake(handshake);
            connection.decoder = Decoder::new(auth::MAX_HANDSHAKE_MESSAGE);
            connection.deadline = now.checked_add(limits.handshake_timeout);
            connection.send(&first);
        }
        Ok(connection)
    }

    fn send(&mut self, payload: &[u8]) {
        frame::encode(payload, &mut self.out);
    }

    fn unsent(&self) -> usize {
        self.out.len() - self.sent
    }

    pub(crate) fn wants_read(&self) -> bool {
        !self.closing && !self.busy && self.unsent() < OUT_HIGH
    }

    pub(crate) fn wants_write(&self) -> bool {
        self.unsent() > 0
    }

    pub(crate) fn is_subscribed(&self) -> bool {
        matches!(self.phase, Phase::Subscribed { .. })
    }

    /// Starts closing: nothing more is read; the output left is sent within `LINGER`.
    fn close(&mut self, now: Instant) {
        self.closing = true;
        self.deadline = now.checked_add(LINGER);
    }

    /// Whether the connection is done: closing with everything sent.
    pub(crate) fn finished(&self) -> bool {
        self.closing && self.unsent() == 0
    }

    /// Reads what the socket has (within a budget) and answers every whole message.
    pub(crate) fn read<P: SpecPixel + 'static>(
        &mut self,
        handler: &mut Handler<P>,
        limits: &ServerLimits,
        now: Instant,
    ) -> Keep {
        let mut buf = [0u8; 16 << 10];
        let mut budget = READ_BUDGET;
        let mut answered = 0;
        while budget > 0 && answered < MESSAGES_PER_TURN && self.wants_read() {
            let want = match self.decoder.wanted() {
                Ok(want) => want.min(buf.len()),
                Err(error) => return self.frame_error(&error),
            };
            match self.stream.read(&mut buf[..want]) {
                Ok(0) => {
                    if self.decoder.buffered() > 0 {
                        log::info!("{}: the client left in the middle of a message", self.peer);
                    }
                    return Keep::Drop;
                }
                Ok(n) => {
                    budget = budget.saturating_sub(n);
                    self.decoder.push(&buf[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    log::debug!("{}: reading failed: {e}", self.peer);
                    return Keep::Drop;
                }
            }
            loop {
                let message = match self.decoder.next_message() {
                    Ok(Some(message)) => message,
                    Ok(None) => break,
                    Err(error) => return self.frame_error(&error),
                };
                self.message(&message, handler, limits, now);
                answered += 1;
                if self.closing || self.busy {
                    break;
                }
            }
        }
        Keep::Yes
    }

    fn frame_error(&mut self, error: &FrameError) -> Keep {
        log::warn!("{}: closing the connection: {error}", self.peer);
        Keep::Drop
    }

    fn message<P: SpecPixel + 'static>(
        &mut self,
        message: &[u8],
        handler: &mut Handler<P>,
        limits: &ServerLimits,
        now: Instant,
    ) {
        match &mut self.phase {
            Phase::Handshake(handshake) => match handshake.receive(message) {
                Step::Send(reply) => self.send(&reply),
                Step::Done(reply) => {
                    if let Some(reply) = reply {
                        self.send(&reply);
                    }
                    self.phase = Phase::Ready;
                    self.decoder = Decoder::new(limits.max_message);
                    self.deadline = now.checked_add(limits.idle_timeout);
                }
                Step::Fail(reply, error) => {
                    log::warn!("{}: authentication failed: {error}", self.peer);
                    if let Some(reply) = reply {
                        self.send(&reply);
                    }
                    self.close(now);
                }
            },
            Phase::Ready => {
                self.deadline = now.checked_add(limits.idle_timeout);
                match request::parse_light(message, &handler.parse) {
                    Some((format, parsed)) => {
                        let prepared = parsed.and_then(|r| handler.programs.prepare(r));
                        self.respond(format, prepared, handler, now);
                    }
                    None => {
                        let job = Job { token: self.token, message: message.to_vec() };
                        match handler.worker.submit(job) {
                            Ok(()) => self.busy = true,
                            Err(_) => {
                                let busy = reply::error("the server is busy; retry later");
                                self.send(&reply::encode(&busy, Format::Json));
                            }
                        }
                    }
                }
            }
            Phase::Subscribed { format, .. } => {
                let format = *format;
                let parsed = request::parse_light(message, &handler.parse);
                if matches!(parsed, Some((_, Ok(request::Request::Close)))) {
                    self.send(&reply::encode(&reply::ok(serde_json::json!({})), format));
                    self.close(now);
                } else {
                    let error =
                        reply::error("this connection is subscribed: it takes only \"close\"");
                    self.send(&reply::encode(&error, format));
                }
            }
        }
    }

    /// Carries out a request parsed (and its program built) here or on the decoder
    /// thread, and queues the reply.
    fn respond<P: SpecPixel + 'static>(
        &mut self,
        format: Format,
        prepared: Result<Prepared<P>, String>,
        handler: &mut Handler<P>,
        now: Instant,
    ) {
        let (reply, action) = match prepared {
            Ok(request) => handler.handle(request),
            Err(error) => (reply::error(&error), Action::Reply),
        };
        if format == Format::Manager && reply["ok"] != true {
            log::warn!("{}: the animation was refused: {}", self.peer, reply["error"]);
        }
        self.send(&reply::encode(&reply, format));
        match action {
            Action::Reply => {}
            Action::Close => self.close(now),
            Action::Subscribe(events) => {
                let format = if format == Format::Json { Format::Json } else { Format::Pickle };
                self.phase = Phase::Subscribed { events, format };
                self.deadline = None;
            }
        }
    }

    /// The decoder thread is done with this connection's request.
    pub(crate) fn complete<P: SpecPixel + 'static>(
        &mut self,
        done: Done<P>,
        handler: &mut Handler<P>,
        limits: &ServerLimits,
        now: Instant,
    ) {
        self.busy = false;
        self.deadline = now.checked_add(limits.idle_timeout);
        self.respond(done.format, done.result, handler, now);
    }

    /// Takes the subscriber's events into its output, while it reads them; one that
    /// lagged is sent `lagged` and closed.
    pub(crate) fn pump(&mut self, waker: &Waker, now: Instant) {
        let Phase::Subscribed { events, format } = &mut self.phase else { return };
        let format = *format;
        let mut task = Context::from_waker(waker);
        while !self.closing && self.out.len() - self.sent < EVENTS_HIGH {
            match Pin::new(&mut *events).poll_next(&mut task) {
                Poll::Ready(Some(event)) => {
                    let lagged = matches!(event, crate::Event::Lagged { .. });
                    frame::encode(&reply::encode(&reply::event(&event), format), &mut self.out);
                    if lagged {
                        log::warn!(
                            "{}: dropping a subscriber that does not read its events",
                            self.peer
                        );
                        self.closing = true;
                        self.deadline = now.checked_add(LINGER);
                    }
                }
                Poll::Ready(None) => {
                    self.closing = true;
                    self.deadline = now.checked_add(LINGER);
                }
                Poll::Pending => break,
            }
        }
    }

    /// Writes what the socket takes.
    pub(crate) fn flush(&mut self) -> Keep {
        while self.sent < self.out.len() {
            match self.stream.write(&self.out[self.sent..]) {
                Ok(0) => return Keep::Drop,
                Ok(n) => self.sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    log::debug!("{}: writing failed: {e}", self.peer);
                    return Keep::Drop;
                }
            }
        }
        if self.sent == self.out.len() {
            self.out.clear();
            self.sent = 0;
            if self.out.capacity() > OUT_HIGH {
                self.out.shrink_to(4096);
            }
        } else if self.sent > OUT_HIGH {
            self.out.drain(..self.sent);
            self.sent = 0;
        }
        Keep::Yes
    }

    /// Whether its deadline has passed (a handshake too slow, an idle client, or a
    /// closing one that does not take its last message).
    pub(crate) fn expired(&self, now: Instant) -> bool {
        self.deadline.is_some_and(|deadline| now >= deadline)
    }

    pub(crate) fn is_closing(&self) -> bool {
        self.closing
    }

    pub(crate) fn in_handshake(&self) -> bool {
        matches!(self.phase, Phase::Handshake(_))
    }
}
