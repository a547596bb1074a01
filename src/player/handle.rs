//! The handle that controls a player from any thread or async task.

use core::fmt;
use core::future::{Future, poll_fn};
use core::sync::atomic::{AtomicU64, Ordering};
use core::task::{Poll, Waker};
use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::event::{Event, Events, Subscribers};
use crate::{Animation, BoxAnimation, Interrupt, Pixel, ValidationError};

/// Names one [`PlayerHandle::play`] request; events and waits refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlayId(pub(crate) u64);

impl fmt::Display for PlayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A play request was refused; whatever was playing goes on playing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlayError {
    /// The animation does not fit the player's output.
    #[error("animation refused, the current one keeps playing: {0}")]
    Invalid(#[from] ValidationError),
    /// The player has shut down.
    #[error("the player has shut down; start a new one")]
    Gone,
}

pub(crate) enum Command<P: Pixel> {
    Play(PlayId, BoxAnimation<P>),
    Stop,
    Clear,
    Shutdown,
}

/// How many ended play requests [`PlayerHandle::wait_for`] remembers.
const REMEMBERED: usize = 256;

pub(crate) struct Shared {
    len: usize,
    next_id: AtomicU64,
    pub(crate) subscribers: Subscribers,
    status: Mutex<Status>,
    changed: Condvar,
}

#[derive(Default)]
struct Status {
    /// The last event of each recently ended play request.
    ended: VecDeque<Event>,
    alive: bool,
    wakers: Vec<Waker>,
}

impl Shared {
    fn status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Publishes `event`; an end is remembered and wakes the waiters.
    pub(crate) fn report(&self, event: Event) {
        self.subscribers.publish(&event);
        if event.is_end() {
            let mut status = self.status();
            if status.ended.len() == REMEMBERED {
                status.ended.pop_front();
            }
            status.ended.push_back(event);
            self.notify(status);
        }
    }

    /// The player thread is gone.
    pub(crate) fn close(&self) {
        let mut status = self.status();
        status.alive = false;
        self.notify(status);
        self.subscribers.close();
    }

    fn notify(&self, mut status: MutexGuard<'_, Status>) {
        let wakers = core::mem::take(&mut status.wakers);
        drop(status);
        self.changed.notify_all();
        wakers.into_iter().for_each(Waker::wake);
    }

    /// The end of `id`: `Some(Some(event))` if known, `Some(None)` if it will never be
    /// known (player gone, or forgotten), `None` if it has not ended yet.
    fn ended(status: &Status, id: PlayId) -> Option<Option<Event>> {
        if let Some(event) = status.ended.iter().rev().find(|e| e.id() == Some(id)) {
            return Some(Some(event.clone()));
        }
        let forgotten = status.ended.len() == REMEMBERED
            && status.ended.front().and_then(Event::id).is_some_and(|oldest| id < oldest);
        (!status.alive || forgotten).then_some(None)
    }
}

/// Controls a [`Player`](super::Player) from any thread or async task.
///
/// Cheap to clone, `Send + Sync`. Commands return at once (they only validate and
/// queue); the waits come in blocking and async forms and need no async runtime.
pub struct PlayerHandle<P: Pixel> {
    shared: Arc<Shared>,
    commands: Sender<Command<P>>,
    interrupt: Interrupt,
}

impl<P: Pixel> PlayerHandle<P> {
    pub(crate) fn new(len: usize, interrupt: Interrupt) -> (Self, Receiver<Command<P>>) {
        let (commands, receiver) = channel();
        let shared = Arc::new(Shared {
            len,
            next_id: AtomicU64::new(1),
            subscribers: Subscribers::default(),
            status: Mutex::new(Status { alive: true, ..Status::default() }),
            changed: Condvar::new(),
        });
        (PlayerHandle { shared, commands, interrupt }, receiver)
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// How many LEDs the player's output has.
    pub fn len(&self) -> usize {
        self.shared.len
    }

    /// Whether the player's output has no LEDs.
    pub fn is_empty(&self) -> bool {
        self.shared.len == 0
    }

    /// Validates `animation` against the output here, on the calling thread, then
    /// makes it replace whatever is playing, starting now: the old animation is
    /// dropped (its LEDs go off in the frame in which the new one starts).
    ///
    /// # Errors
    ///
    /// [`PlayError::Invalid`] (nothing changes, the current animation keeps playing),
    /// [`PlayError::Gone`] if the player has shut down.
    pub fn play(&self, animation: impl Animation<P> + Send + 'static) -> Result<PlayId, PlayError> {
        self.play_boxed(Box::new(animation))
    }

    /// [`PlayerHandle::play`] for an animation that is already boxed.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::play`].
    pub fn play_boxed(&self, animation: BoxAnimation<P>) -> Result<PlayId, PlayError> {
        animation.validate(self.shared.len)?;
        let id = PlayId(self.shared.next_id.fetch_add(1, Ordering::Relaxed));
        self.send(Command::Play(id, animation))?;
        Ok(id)
    }

    /// Stops the current animation; its LEDs go off. LEDs set by finished animations
    /// (with [`fill`](crate::fill)) stay as they are; see [`PlayerHandle::clear`].
    ///
    /// # Errors
    ///
    /// [`PlayError::Gone`] if the player has shut down.
    pub fn stop(&self) -> Result<(), PlayError> {
        self.send(Command::Stop)
    }

    /// Stops the current animation and switches every LED off.
    ///
    /// # Errors
    ///
    /// [`PlayError::Gone`] if the player has shut down.
    pub fn clear(&self) -> Result<(), PlayError> {
        self.send(Command::Clear)
    }

    /// Subscribes to the player's events from now on.
    pub fn events(&self) -> Events {
        self.shared.subscribers.subscribe()
    }

    /// Blocks until the most recent play request has ended; returns its last event
    /// ([`Event::Finished`], [`Event::Stopped`], [`Event::OutputFailed`] or
    /// [`Event::Panicked`]), or `None` if nothing was ever played or the player is gone.
    pub fn wait(&self) -> Option<Event> {
        self.latest().and_then(|id| self.wait_for(id))
    }

    /// Blocks until play request `id` has ended; returns its last event, or `None` if
    /// that will never be known (the player is gone, or `id` is hundreds of requests old).
    pub fn wait_for(&self, id: PlayId) -> Option<Event> {
        let mut status = self.shared.status();
        loop {
            if let Some(end) = Shared::ended(&status, id) {
                return end;
            }
            status = self.shared.changed.wait(status).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// [`PlayerHandle::wait`] for async code (any runtime, or none).
    pub fn wait_async(&self) -> impl Future<Output = Option<Event>> + Send + '_ {
        let latest = self.latest();
        async move {
            match latest {
                Some(id) => self.wait_for_async(id).await,
                None => None,
            }
        }
    }

    /// [`PlayerHandle::wait_for`] for async code (any runtime, or none).
    pub fn wait_for_async(&self, id: PlayId) -> impl Future<Output = Option<Event>> + Send + '_ {
        poll_fn(move |task| {
            let mut status = self.shared.status();
            match Shared::ended(&status, id) {
                Some(end) => Poll::Ready(end),
                None => {
                    if !status.wakers.iter().any(|w| w.will_wake(task.waker())) {
                        status.wakers.push(task.waker().clone());
                    }
                    Poll::Pending
                }
            }
        })
    }

    /// Whether the player thread is still serving.
    pub fn is_alive(&self) -> bool {
        self.shared.status().alive
    }

    fn latest(&self) -> Option<PlayId> {
        let next = self.shared.next_id.load(Ordering::Relaxed);
        (next > 1).then(|| PlayId(next - 1))
    }

    fn send(&self, command: Command<P>) -> Result<(), PlayError> {
        // Send first, then interrupt: the player answers interrupts by reading the queue.
        self.commands.send(command).map_err(|_| PlayError::Gone)?;
        self.interrupt.interrupt();
        Ok(())
    }

    pub(crate) fn request_shutdown(&self) {
        let _ = self.send(Command::Shutdown);
    }
}

impl<P: Pixel> Clone for PlayerHandle<P> {
    fn clone(&self) -> Self {
        PlayerHandle {
            shared: Arc::clone(&self.shared),
            commands: self.commands.clone(),
            interrupt: self.interrupt.clone(),
        }
    }
}

impl<P: Pixel> fmt::Debug for PlayerHandle<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlayerHandle")
            .field("len", &self.shared.len)
            .field("alive", &self.is_alive())
            .finish_non_exhaustive()
    }
}
