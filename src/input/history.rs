//! [`Input`]: the shared history of edges, and the waiters of the next one.

use core::fmt;
use core::future::poll_fn;
use core::task::{Poll, Waker};
use core::time::Duration;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::Subscription;
use crate::Instant;

/// What happened on an input: the line became active (pressed) or inactive
/// (released).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The input became active: a button was pressed (an active-low line went low).
    Press,
    /// The input became inactive: a button was released.
    Release,
}

/// One change of an input, at an instant of the driver's timeline.
///
/// For a `GpioInput` `at` is the kernel's timestamp of the
/// edge, on `CLOCK_MONOTONIC`: the timeline of a [`SystemClock`](crate::SystemClock).
/// For a [scripted](Input::scripted) input it is an instant of the virtual clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge {
    /// When the edge happened.
    pub at: Instant,
    /// Which way the input changed.
    pub kind: EdgeKind,
}

impl Edge {
    /// A [`EdgeKind::Press`] at `at`.
    pub const fn press(at: Instant) -> Edge {
        Edge { at, kind: EdgeKind::Press }
    }

    /// A [`EdgeKind::Release`] at `at`.
    pub const fn release(at: Instant) -> Edge {
        Edge { at, kind: EdgeKind::Release }
    }
}

/// A source of [`Edge`]s that programs can wait for: a cheap-to-clone handle to a
/// shared, bounded history of edges.
///
/// Sources push edges into it ([`Input::push`], from any thread; a
/// `GpioInput` from its reader thread) or know them in
/// advance ([`Input::scripted`], for exact tests on a
/// [`VirtualClock`](crate::VirtualClock)). The leaves [`press`](crate::press),
/// [`until`](crate::until) and [`presses`](crate::presses) wait for presses;
/// [`Input::subscribe`] reads every edge, blocking or as a `Stream`.
///
/// The history keeps the last [`Input::CAPACITY`] edges (a script keeps all of its
/// own), in time order.
///
/// # Examples
///
/// A button scripted to be pressed at 250 ms and 600 ms: LED 0 blinks until the first
/// press, then LED 1 is on until the second.
///
/// ```
/// use blinken::input::{EdgeKind::*, Input};
/// use blinken::prelude::*;
///
/// let t = |ms_: u64| Instant::ZERO + ms(ms_);
/// let button = Input::scripted([(t(250), Press), (t(300), Release), (t(600), Press)]);
/// let program = until(&button, blink(0, ms(100))).then(until(&button, on(1)));
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), t(600));
/// driver.output().assert_timeline("
///     0.000000 #.
///     0.100000 ..
///     0.200000 #.
///     0.250000 .#
///     0.600000 ..
/// ");
/// ```
#[derive(Clone)]
pub struct Input {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Notified on every push and on close, for blocking readers.
    changed: Condvar,
}

pub(super) struct State {
    /// The kept edges, in time order.
    edges: VecDeque<Edge>,
    capacity: usize,
    /// How many edges were ever pushed: the last kept edge is number `pushed - 1`.
    pushed: u64,
    /// Async waiters (waiting leaves, streams), by id.
    wakers: Vec<(u64, Waker)>,
    next_id: u64,
    closed: bool,
}

/// What a reader at some position finds.
pub(super) enum Next {
    Edge(Edge),
    /// Nothing yet.
    Empty,
    /// Nothing, and nothing will come.
    Closed,
}

impl State {
    /// The edge number `*cursor` (or the oldest kept one, if that one is gone).
    pub(super) fn next(&self, cursor: &mut u64) -> Next {
        let oldest = self.pushed - self.edges.len() as u64;
        *cursor = (*cursor).max(oldest);
        match self.edges.get((*cursor - oldest) as usize) {
            Some(&edge) => {
                *cursor += 1;
                Next::Edge(edge)
            }
            None if self.closed => Next::Closed,
            None => Next::Empty,
        }
    }

    pub(super) fn pushed(&self) -> u64 {
        self.pushed
    }

    /// Points waiter `id` at `waker`; gives a fresh id the first time.
    pub(super) fn register(&mut self, id: &mut Option<u64>, waker: &Waker) {
        if let Some(id) = *id {
            if let Some((_, w)) = self.wakers.iter_mut().find(|(i, _)| *i == id) {
                w.clone_from(waker);
                return;
            }
        }
        let fresh = *id.get_or_insert_with(|| {
            self.next_id += 1;
            self.next_id
        });
        self.wakers.push((fresh, waker.clone()));
    }

    pub(super) fn unregister(&mut self, id: Option<u64>) {
        if let Some(id) = id {
            self.wakers.retain(|(i, _)| *i != id);
        }
    }
}

impl Input {
    /// How many edges an input keeps: the last 256.
    pub const CAPACITY: usize = 256;

    /// An input with no edges yet, open for [`Input::push`].
    pub fn new() -> Input {
        Input::with_edges(VecDeque::new(), Input::CAPACITY, false)
    }

    /// An input whose edges are known in advance, possibly in the future: presses and
    /// releases at given instants of the driver's timeline, for exact tests on a
    /// [`VirtualClock`](crate::VirtualClock).
    ///
    /// The edges are put in time order (edges at one instant keep their order); all
    /// of them are kept, however many. A scripted input is [closed](Input::close): its
    /// subscriptions end after the script, and [`Input::push`] does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::input::{Edge, EdgeKind::*, Input};
    /// use blinken::prelude::*;
    ///
    /// let at = Instant::ZERO + secs(1);
    /// let button = Input::scripted([(at + ms(80), Release), (at, Press)]);
    /// assert_eq!(button.edges(), [Edge::press(at), Edge::release(at + ms(80))]);
    /// ```
    pub fn scripted(edges: impl IntoIterator<Item = (Instant, EdgeKind)>) -> Input {
        let mut edges: Vec<Edge> = edges.into_iter().map(|(at, kind)| Edge { at, kind }).collect();
        edges.sort_by_key(|edge| edge.at);
        let capacity = edges.len().max(Input::CAPACITY);
        Input::with_edges(edges.into(), capacity, true)
    }

    fn with_edges(edges: VecDeque<Edge>, capacity: usize, closed: bool) -> Input {
        let pushed = edges.len() as u64;
        let state = State { edges, capacity, pushed, wakers: Vec::new(), next_id: 0, closed };
        Input { shared: Arc::new(Shared { state: Mutex::new(state), changed: Condvar::new() }) }
    }

    /// Adds an edge and wakes whoever waits for one (a driver sleeping on another
    /// thread is interrupted). Real sources call it from their reader thread.
    ///
    /// Edges are kept in time order: an edge earlier than the last one is recorded at
    /// the last one's instant. The oldest edge is forgotten once
    /// [`Input::CAPACITY`] are kept. On a [closed](Input::close) input it does nothing.
    pub fn push(&self, edge: Edge) {
        let wakers = {
            let mut state = self.lock();
            if state.closed {
                return;
            }
            let at = state.edges.back().map_or(edge.at, |last| last.at.max(edge.at));
            if state.edges.len() == state.capacity {
                state.edges.pop_front();
            }
            state.edges.push_back(Edge { at, ..edge });
            state.pushed += 1;
            core::mem::take(&mut state.wakers)
        };
        self.shared.changed.notify_all();
        // Outside the lock: a waker may run the waiter's code at once.
        for (_, waker) in wakers {
            waker.wake();
        }
    }

    /// Says that no more edges will come (the source stopped): subscriptions end once
    /// they have read every kept edge. Programs waiting for a press keep waiting.
    pub fn close(&self) {
        let wakers = {
            let mut state = self.lock();
            state.closed = true;
            core::mem::take(&mut state.wakers)
        };
        self.shared.changed.notify_all();
        for (_, waker) in wakers {
            waker.wake();
        }
    }

    /// Whether [`Input::close`] was called (or the input is scripted).
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// How many futures wait for this input now (waiting leaves, streams): zero once
    /// they ended or were cancelled.
    pub fn waiters(&self) -> usize {
        self.lock().wakers.len()
    }

    /// The kept edges, oldest first.
    pub fn edges(&self) -> Vec<Edge> {
        self.lock().edges.iter().copied().collect()
    }

    /// Reads the edges pushed from now on (for a scripted input, the whole script), as
    /// a blocking [`Iterator`] or as a [`Stream`](futures::Stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::input::{Edge, Input};
    /// use blinken::prelude::*;
    ///
    /// let button = Input::new();
    /// let edges = button.subscribe();
    /// let pusher = button.clone();
    /// std::thread::spawn(move || {
    ///     pusher.push(Edge::press(Instant::ZERO + ms(5)));
    ///     pusher.close();
    /// });
    /// assert_eq!(edges.collect::<Vec<_>>(), [Edge::press(Instant::ZERO + ms(5))]);
    /// ```
    pub fn subscribe(&self) -> Subscription {
        let state = self.lock();
        let cursor = match state.closed {
            true => state.pushed - state.edges.len() as u64,
            false => state.pushed,
        };
        Subscription::new(self.clone(), cursor)
    }

    /// The first press at least [`MIN_STEP`](crate::MIN_STEP) after `after`, waiting
    /// for it if it is not known yet.
    ///
    /// A wait that starts at the instant of a press (because a previous wait ended on
    /// it) therefore waits for the next one, and a bounce within `MIN_STEP` of the
    /// press a wait started from is not a new press.
    pub(crate) async fn next_press(&self, after: Instant) -> Edge {
        // The last instant that does not count.
        let after = after + (crate::MIN_STEP - Duration::from_nanos(1));
        let mut waiter = Waiter { input: self, id: None };
        poll_fn(|task| {
            let mut state = self.lock();
            let from = state.edges.partition_point(|edge| edge.at <= after);
            match state.edges.range(from..).find(|edge| edge.kind == EdgeKind::Press) {
                Some(&edge) => Poll::Ready(edge),
                None => {
                    state.register(&mut waiter.id, task.waker());
                    Poll::Pending
                }
            }
        })
        .await
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits on the condition variable for a push or a close.
    pub(super) fn wait<'a>(&self, guard: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.shared.changed.wait(guard).unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits like [`Input::wait`], for at most `timeout`.
    pub(super) fn wait_timeout<'a>(
        &self,
        guard: MutexGuard<'a, State>,
        timeout: Duration,
    ) -> MutexGuard<'a, State> {
        match self.shared.changed.wait_timeout(guard, timeout) {
            Ok((guard, _)) => guard,
            Err(poisoned) => poisoned.into_inner().0,
        }
    }

    /// Whether `self` and `other` are handles to the same input.
    pub fn same_as(&self, other: &Input) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl Default for Input {
    fn default() -> Input {
        Input::new()
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Input")
            .field("kept", &state.edges.len())
            .field("pushed", &state.pushed)
            .field("last", &state.edges.back())
            .field("closed", &state.closed)
            .finish_non_exhaustive()
    }
}

/// Removes a waiting future's waker when it is dropped (cancelled or done).
struct Waiter<'a> {
    input: &'a Input,
    id: Option<u64>,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        if self.id.is_some() {
            self.input.lock().unregister(self.id);
        }
    }
}
