//! What a player reports.

use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::collections::VecDeque;
use std::error::Error;
use std::sync::{Arc, Condvar, Mutex, Weak};

use futures::Stream;

use super::PlayId;
use crate::Instant;

/// Something that happened in a player, with the instant and the play request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// Play request `id` started at `at` ([`PlayerHandle::play`](super::PlayerHandle::play)
    /// or [`PlayerHandle::crossfade`](super::PlayerHandle::crossfade)).
    Started {
        /// The play request.
        id: PlayId,
        /// Its logical start.
        at: Instant,
    },
    /// Overlay request `id` ([`PlayerHandle::overlay`](super::PlayerHandle::overlay))
    /// started at `at`, over whatever plays.
    OverlayStarted {
        /// The overlay request.
        id: PlayId,
        /// Its logical start.
        at: Instant,
    },
    /// Play request `id` ended by itself at its logical end `at`.
    Finished {
        /// The play request.
        id: PlayId,
        /// Its logical end.
        at: Instant,
    },
    /// Play request `id` was cancelled at `at`; its LEDs went off.
    Stopped {
        /// The play request.
        id: PlayId,
        /// When it was cancelled.
        at: Instant,
        /// Why.
        reason: StopReason,
    },
    /// The output refused a frame. The animation playing (if any) was stopped; the
    /// next write sends the whole frame again.
    OutputFailed {
        /// The play request that was playing, if any.
        id: Option<PlayId>,
        /// The instant of the frame that could not be written.
        at: Instant,
        /// The backend's error.
        error: Arc<dyn Error + Send + Sync>,
    },
    /// The animation of play request `id` panicked (in a poll, or when its value was
    /// dropped); it was dropped (its LEDs went off) and the player goes on serving.
    Panicked {
        /// The play request.
        id: PlayId,
        /// When the panic was caught.
        at: Instant,
        /// The panic message.
        message: String,
    },
    /// Play request `id` was accepted but never started: the player shut down first.
    Skipped {
        /// The play request.
        id: PlayId,
        /// When it was dropped.
        at: Instant,
        /// Why.
        reason: StopReason,
    },
    /// Play request `id` was refused by the player thread itself, although
    /// [`PlayerHandle::play`](super::PlayerHandle::play) had accepted it: it cannot play
    /// on this player's clock (a program that never ends, on a virtual clock, would
    /// run through simulated centuries at full speed). It never started.
    Refused {
        /// The play request.
        id: PlayId,
        /// When it was refused.
        at: Instant,
        /// Why.
        error: Arc<dyn Error + Send + Sync>,
    },
    /// A write succeeded again after [`Event::OutputFailed`]: the output shows the
    /// frame again. While a write is failing, the player retries it (10 ms after the
    /// failure, then doubling up to 1 s) so that an LED whose "off" was lost does not
    /// stay lit.
    OutputRecovered {
        /// The instant of the frame that was written.
        at: Instant,
    },
    /// This subscriber did not keep up: `missed` events were dropped, the oldest first,
    /// to keep its queue within its capacity. The events after this one are the ones
    /// kept.
    Lagged {
        /// How many events were lost.
        missed: u64,
        /// The instant of the last event lost.
        at: Instant,
    },
}

/// Why a play request was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// A newer play request replaced it.
    Replaced(PlayId),
    /// [`PlayerHandle::stop`](super::PlayerHandle::stop).
    Stop,
    /// [`PlayerHandle::clear`](super::PlayerHandle::clear).
    Clear,
    /// The player shut down.
    Shutdown,
    /// It waits for nothing the clock can wait for (a virtual clock in a player).
    Idle,
}

impl Event {
    /// The play request the event is about.
    pub fn id(&self) -> Option<PlayId> {
        match self {
            Event::Started { id, .. }
            | Event::OverlayStarted { id, .. }
            | Event::Finished { id, .. }
            | Event::Stopped { id, .. }
            | Event::Panicked { id, .. }
            | Event::Skipped { id, .. }
            | Event::Refused { id, .. } => Some(*id),
            Event::OutputFailed { id, .. } => *id,
            Event::OutputRecovered { .. } | Event::Lagged { .. } => None,
        }
    }

    /// The instant it happened at.
    pub fn at(&self) -> Instant {
        match self {
            Event::Started { at, .. }
            | Event::OverlayStarted { at, .. }
            | Event::Finished { at, .. }
            | Event::Stopped { at, .. }
            | Event::OutputFailed { at, .. }
            | Event::Panicked { at, .. }
            | Event::Skipped { at, .. }
            | Event::Refused { at, .. }
            | Event::OutputRecovered { at }
            | Event::Lagged { at, .. } => *at,
        }
    }

    /// Whether this event ends its play request.
    pub fn is_end(&self) -> bool {
        !matches!(self, Event::Started { .. } | Event::OverlayStarted { .. }) && self.id().is_some()
    }
}

/// A subscription to a player's events, from [`PlayerHandle::events`](super::PlayerHandle::events).
///
/// Receives every event from the moment it was created. Blocking ([`Events::recv`]),
/// polling ([`Events::try_recv`]) or async (it is a [`Stream`]); it ends when the player
/// has shut down and every event was read.
///
/// # Bounds
///
/// A subscription keeps at most its capacity of unread events
/// ([`Events::CAPACITY`] unless chosen with
/// [`PlayerHandle::events_with_capacity`](super::PlayerHandle::events_with_capacity)).
/// When a new event finds it full, the oldest unread event is dropped; the next read
/// then returns [`Event::Lagged`] with the number lost before the events kept. A
/// subscriber that never reads costs at most its capacity, and never slows the player.
#[derive(Debug)]
pub struct Events(Arc<Queue>);

#[derive(Debug)]
pub(crate) struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

#[derive(Debug)]
struct QueueState {
    events: VecDeque<Event>,
    capacity: usize,
    /// Events dropped since the last read, and the instant of the last of them.
    missed: u64,
    missed_at: Instant,
    closed: bool,
    waker: Option<Waker>,
}

impl QueueState {
    fn pop(&mut self) -> Option<Event> {
        if self.missed > 0 {
            let missed = core::mem::take(&mut self.missed);
            return Some(Event::Lagged { missed, at: self.missed_at });
        }
        self.events.pop_front()
    }

    fn push(&mut self, event: &Event) {
        if self.events.len() >= self.capacity {
            if let Some(lost) = self.events.pop_front() {
                self.missed += 1;
                self.missed_at = lost.at();
            }
        }
        self.events.push_back(event.clone());
    }
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Events {
    /// How many unread events a subscription keeps by default.
    pub const CAPACITY: usize = 1024;

    /// Waits for the next event; `None` once the player is gone and all was read.
    pub fn recv(&self) -> Option<Event> {
        let mut state = self.0.lock();
        loop {
            if let Some(event) = state.pop() {
                return Some(event);
            }
            if state.closed {
                return None;
            }
            state = self.0.ready.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Waits at most `timeout` for the next event.
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Event> {
        let mut state = self.0.lock();
        let give_up = std::time::Instant::now() + timeout;
        loop {
            if let Some(event) = state.pop() {
                return Some(event);
            }
            let left = give_up.saturating_duration_since(std::time::Instant::now());
            if state.closed || left.is_zero() {
                return None;
            }
            state = self
                .0
                .ready
                .wait_timeout(state, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// The next event if there is one.
    pub fn try_recv(&self) -> Option<Event> {
        self.0.lock().pop()
    }

    /// How many events are waiting to be read (not counting a pending
    /// [`Event::Lagged`]).
    pub fn len(&self) -> usize {
        self.0.lock().events.len()
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        let state = self.0.lock();
        state.events.is_empty() && state.missed == 0
    }
}

impl Stream for Events {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut state = self.0.lock();
        if let Some(event) = state.pop() {
            return Poll::Ready(Some(event));
        }
        if state.closed {
            return Poll::Ready(None);
        }
        state.waker = Some(task.waker().clone());
        Poll::Pending
    }
}

/// The player's side: every live subscription.
#[derive(Debug, Default)]
pub(crate) struct Subscribers(Mutex<Vec<Weak<Queue>>>);

impl Subscribers {
    pub(crate) fn subscribe(&self, capacity: usize) -> Events {
        let queue = Arc::new(Queue {
            state: Mutex::new(QueueState {
                events: VecDeque::new(),
                capacity,
                missed: 0,
                missed_at: Instant::ZERO,
                closed: false,
                waker: None,
            }),
            ready: Condvar::new(),
        });
        self.lock().push(Arc::downgrade(&queue));
        Events(queue)
    }

    pub(crate) fn publish(&self, event: &Event) {
        self.lock().retain(|queue| {
            let Some(queue) = queue.upgrade() else { return false };
            let mut state = queue.lock();
            state.push(event);
            let waker = state.waker.take();
            drop(state);
            queue.ready.notify_all();
            if let Some(waker) = waker {
                waker.wake();
            }
            true
        });
    }

    pub(crate) fn close(&self) {
        for queue in self.lock().drain(..).filter_map(|q| q.upgrade()) {
            let mut state = queue.lock();
            state.closed = true;
            let waker = state.waker.take();
            drop(state);
            queue.ready.notify_all();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Weak<Queue>>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
