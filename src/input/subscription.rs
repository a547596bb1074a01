//! [`Subscription`]: every edge of an input, blocking or as a `Stream`.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::history::Next;
use super::{Edge, Input};

/// The edges of an [`Input`] in order, from the moment of
/// [`Input::subscribe`]: a blocking [`Iterator`] and a [`Stream`](futures::Stream).
///
/// Both end once the input is [closed](Input::close) and every edge was read. A
/// reader that falls more than [`Input::CAPACITY`] edges behind skips to the oldest
/// kept edge ([`Subscription::missed`] counts what it lost).
pub struct Subscription {
    input: Input,
    /// The number of the next edge to read.
    cursor: u64,
    missed: u64,
    /// Registered as an async waiter.
    id: Option<u64>,
}

impl Subscription {
    pub(super) fn new(input: Input, cursor: u64) -> Subscription {
        Subscription { input, cursor, missed: 0, id: None }
    }

    /// The next edge if one is there, without waiting; `None` when there is none yet
    /// (or the input is closed and drained).
    pub fn try_next(&mut self) -> Option<Edge> {
        let input = self.input.clone();
        let state = input.lock();
        match self.read(&state) {
            Next::Edge(edge) => Some(edge),
            Next::Empty | Next::Closed => None,
        }
    }

    /// The next edge, waiting at most `timeout` (of real time) for it; `None` if none
    /// came by then, or the input is closed and drained (then
    /// [`Input::is_closed`] is true and [`Subscription::try_next`] stays `None`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// use blinken::input::{Edge, Input};
    /// use blinken::prelude::*;
    ///
    /// let button = Input::new();
    /// let mut edges = button.subscribe();
    /// assert_eq!(edges.next_timeout(Duration::from_millis(1)), None);
    /// button.push(Edge::press(Instant::ZERO));
    /// assert_eq!(edges.next_timeout(Duration::from_millis(1)), Some(Edge::press(Instant::ZERO)));
    /// ```
    pub fn next_timeout(&mut self, timeout: core::time::Duration) -> Option<Edge> {
        let input = self.input.clone();
        let give_up = std::time::Instant::now() + timeout;
        let mut state = input.lock();
        loop {
            match self.read(&state) {
                Next::Edge(edge) => return Some(edge),
                Next::Closed => return None,
                Next::Empty => {
                    let left = give_up.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        return None;
                    }
                    state = input.wait_timeout(state, left);
                }
            }
        }
    }

    /// How many edges this reader lost by falling behind.
    pub fn missed(&self) -> u64 {
        self.missed
    }

    /// The input read.
    pub fn input(&self) -> &Input {
        &self.input
    }

    fn read(&mut self, state: &super::history::State) -> Next {
        let before = self.cursor;
        let next = state.next(&mut self.cursor);
        if let Next::Edge(_) = next {
            self.missed += self.cursor - 1 - before;
        }
        debug_assert!(self.cursor <= state.pushed());
        next
    }
}

impl Iterator for Subscription {
    type Item = Edge;

    /// Blocks until the next edge, or returns `None` once the input is closed and
    /// drained.
    fn next(&mut self) -> Option<Edge> {
        let input = self.input.clone();
        let mut state = input.lock();
        loop {
            match self.read(&state) {
                Next::Edge(edge) => return Some(edge),
                Next::Closed => return None,
                Next::Empty => state = input.wait(state),
            }
        }
    }
}

impl futures::Stream for Subscription {
    type Item = Edge;

    fn poll_next(self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Option<Edge>> {
        let this = self.get_mut();
        let input = this.input.clone();
        let mut state = input.lock();
        match this.read(&state) {
            Next::Edge(edge) => Poll::Ready(Some(edge)),
            Next::Closed => Poll::Ready(None),
            Next::Empty => {
                state.register(&mut this.id, task.waker());
                Poll::Pending
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if self.id.is_some() {
            self.input.lock().unregister(self.id);
        }
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("input", &self.input)
            .field("cursor", &self.cursor)
            .field("missed", &self.missed)
            .finish_non_exhaustive()
    }
}
