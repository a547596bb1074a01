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
    /// Play request `id` started at `at`.
    Started {
        /// The play request.
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
    /// The animation of play request `id` panicked; it was dropped (its LEDs went off)
    /// and the player goes on serving.
    Panicked {
        /// The play request.
        id: PlayId,
        /// When the panic was caught.
        at: Instant,
        /// The panic message.
        message: String,
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
            | Event::Finished { id, .. }
            | Event::Stopped { id, .. }
            | Event::Panicked { id, .. } => Some(*id),
            Event::OutputFailed { id, .. } => *id,
        }
    }

    /// The instant it happened at.
    pub fn at(&self) -> Instant {
        match self {
            Event::Started { at, .. }
            | Event::Finished { at, .. }
            | Event::Stopped { at, .. }
            | Event::OutputFailed { at, .. }
            | Event::Panicked { at, .. } => *at,
        }
    }

    /// Whether this event ends its play request.
    pub fn is_end(&self) -> bool {
        !matches!(self, Event::Started { .. }) && self.id().is_some()
    }
}

/// A subscription to a player's events, from [`PlayerHandle::events`](super::PlayerHandle::events).
///
/// Receives every event from the moment it was created. Blocking ([`Events::recv`]),
/// polling ([`Events::try_recv`]) or async (it is a [`Stream`]); it ends when the player
/// has shut down and every event was read.
#[derive(Debug)]
pub struct Events(Arc<Queue>);

#[derive(Debug, Default)]
pub(crate) struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

#[derive(Debug, Default)]
struct QueueState {
    events: VecDeque<Event>,
    closed: bool,
    waker: Option<Waker>,
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Events {
    /// Waits for the next event; `None` once the player is gone and all was read.
    pub fn recv(&self) -> Option<Event> {
        let mut state = self.0.lock();
        loop {
            if let Some(event) = state.events.pop_front() {
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
            if let Some(event) = state.events.pop_front() {
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
        self.0.lock().events.pop_front()
    }
}

impl Stream for Events {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut state = self.0.lock();
        if let Some(event) = state.events.pop_front() {
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
    pub(crate) fn subscribe(&self) -> Events {
        let queue = Arc::new(Queue::default());
        self.lock().push(Arc::downgrade(&queue));
        Events(queue)
    }

    pub(crate) fn publish(&self, event: &Event) {
        self.lock().retain(|queue| {
            let Some(queue) = queue.upgrade() else { return false };
            let mut state = queue.lock();
            state.events.push_back(event.clone());
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
