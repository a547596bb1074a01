//! The bounded command queue between the handles and the player thread.
//!
//! A mutex-protected `VecDeque` rather than a channel, for three reasons: it is bounded
//! (a burst from many threads cannot grow memory without limit), it can be *closed*
//! atomically with respect to senders (a command is either accepted before the close,
//! and then answered with an event, or refused with [`PlayError::Gone`]), and the
//! player takes everything queued in one lock, so no command waits for a later round.

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use super::handle::PlayId;
use crate::{BoxAnimation, Pixel};

pub(crate) enum Command<P: Pixel> {
    Play(PlayId, BoxAnimation<P>),
    /// Carried out inside the running program (the stage), if any.
    Overlay(PlayId, BoxAnimation<P>),
    /// Inside the running program, if any.
    StopOverlay,
    /// Inside the running program, if any.
    Crossfade(PlayId, BoxAnimation<P>, Fade),
    /// Inside the running program, if any.
    Refresh,
    Stop,
    Clear,
    Shutdown,
}

/// How a crossfade blends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fade {
    pub(crate) duration: core::time::Duration,
    pub(crate) curve: crate::Curve,
}

impl<P: Pixel> Command<P> {
    /// Whether the running program carries it out without ending (the others end it).
    pub(crate) fn is_staged(&self) -> bool {
        matches!(
            self,
            Command::Overlay(..) | Command::StopOverlay | Command::Crossfade(..) | Command::Refresh
        )
    }

    /// The request's id and animation, for the commands that carry one.
    pub(crate) fn into_request(self) -> Option<(PlayId, BoxAnimation<P>)> {
        match self {
            Command::Play(id, animation)
            | Command::Overlay(id, animation)
            | Command::Crossfade(id, animation, _) => Some((id, animation)),
            _ => None,
        }
    }
}

/// Why a command was not queued; the command is handed back (to be dropped by the
/// caller, outside the lock: a user's `Drop` may panic).
pub(crate) enum Refused<P: Pixel> {
    /// The player has shut down.
    Closed(Command<P>),
    /// The queue is full and the caller may not wait.
    Full(Command<P>),
}

pub(crate) struct Commands<P: Pixel> {
    state: Mutex<State<P>>,
    /// Signalled when the player took commands or closed the queue.
    not_full: Condvar,
    /// Signalled when a command arrives while the player blocks on the queue itself
    /// (a clock that cannot wait for outside events).
    not_empty: Condvar,
    /// How many commands are queued, readable without the lock.
    queued: AtomicUsize,
    /// The player is blocked in [`Commands::wait`].
    player_blocked: AtomicBool,
    capacity: usize,
}

struct State<P: Pixel> {
    items: VecDeque<Command<P>>,
    closed: bool,
    /// The id of the last play request queued; ids are given under the lock, so
    /// they grow in the order the player takes the requests.
    last_id: u64,
}

impl<P: Pixel> Commands<P> {
    pub(crate) fn new(capacity: usize) -> Commands<P> {
        Commands {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity),
                closed: false,
                last_id: 0,
            }),
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
            queued: AtomicUsize::new(0),
            player_blocked: AtomicBool::new(false),
            capacity,
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    pub(crate) fn len(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }

    fn lock(&self) -> MutexGuard<'_, State<P>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `command`; a play request gets its id here (the one it carries is a
    /// placeholder). While the queue is full, waits for the player if `wait`, else
    /// refuses. `Shutdown` is never refused for lack of room.
    pub(crate) fn push(
        &self,
        mut command: Command<P>,
        wait: bool,
    ) -> Result<Option<PlayId>, Refused<P>> {
        let mut state = self.lock();
        loop {
            if state.closed {
                return Err(Refused::Closed(command));
            }
            if state.items.len() < self.capacity || matches!(command, Command::Shutdown) {
                break;
            }
            if !wait {
                return Err(Refused::Full(command));
            }
            state = self.not_full.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        let id = match &mut command {
            Command::Play(id, _) | Command::Overlay(id, _) | Command::Crossfade(id, _, _) => {
                state.last_id += 1;
                *id = PlayId(state.last_id);
                Some(*id)
            }
            _ => None,
        };
        state.items.push_back(command);
        self.queued.store(state.items.len(), Ordering::Release);
        if self.player_blocked.load(Ordering::Acquire) {
            self.not_empty.notify_one();
        }
        Ok(id)
    }

    /// Moves every queued command to the end of `into`, in order.
    pub(crate) fn take_all(&self, into: &mut VecDeque<Command<P>>) {
        if self.queued.load(Ordering::Acquire) == 0 {
            return;
        }
        self.drain(self.lock(), into);
    }

    /// Blocks until a command is queued, then takes them all (for clocks that cannot
    /// wait for an outside event).
    pub(crate) fn wait(&self, into: &mut VecDeque<Command<P>>) {
        let mut state = self.lock();
        self.player_blocked.store(true, Ordering::Release);
        while state.items.is_empty() {
            state = self.not_empty.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        self.player_blocked.store(false, Ordering::Release);
        self.drain(state, into);
    }

    /// Refuses every later command and moves the queued ones to `into`.
    pub(crate) fn close(&self, into: &mut VecDeque<Command<P>>) {
        let mut state = self.lock();
        state.closed = true;
        self.drain(state, into);
    }

    /// Moves the queued commands to `into`, unlocks, and tells waiting senders.
    fn drain(&self, mut state: MutexGuard<'_, State<P>>, into: &mut VecDeque<Command<P>>) {
        into.extend(state.items.drain(..));
        self.queued.store(0, Ordering::Release);
        drop(state);
        self.not_full.notify_all();
    }
}
