//! Concurrent branches that poll only what was woken, in declaration order.
//!
//! `all` and `any` over a `Vec` or array may have thousands of children, most of them
//! asleep at any instant. Each branch gets its own waker that sets the branch's bit in
//! a shared ready set and wakes the parent; a poll of the parent then visits only the
//! set bits, lowest index first. Waking one of 1000 blinks therefore polls one future,
//! not 1000, and the order of writes at one instant is the order of declaration.

use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicU64, Ordering};
use core::task::{Context, Poll, Waker};
use std::sync::Arc;
use std::task::Wake;

use futures::task::AtomicWaker;

use crate::Instant;

type Branch<'a> = Option<Pin<Box<dyn Future<Output = Instant> + 'a>>>;

pub(crate) struct Branches<'a> {
    futures: Vec<Branch<'a>>,
    wakers: Vec<Waker>,
    ready: Arc<ReadySet>,
    running: usize,
}

struct ReadySet {
    words: Box<[AtomicU64]>,
    parent: AtomicWaker,
}

struct BranchWake {
    ready: Arc<ReadySet>,
    index: usize,
}

impl Wake for BranchWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.ready.words[self.index / 64].fetch_or(1 << (self.index % 64), Ordering::AcqRel);
        self.ready.parent.wake();
    }
}

impl<'a> Branches<'a> {
    /// Every branch starts ready, so the first poll starts them all in order.
    pub(crate) fn new(
        futures: impl Iterator<Item = Pin<Box<dyn Future<Output = Instant> + 'a>>>,
    ) -> Self {
        let futures: Vec<Branch<'a>> = futures.map(Some).collect();
        let n = futures.len();
        let words = (0..n.div_ceil(64))
            .map(|w| AtomicU64::new(if (w + 1) * 64 <= n { u64::MAX } else { (1 << (n % 64)) - 1 }))
            .collect();
        let ready = Arc::new(ReadySet { words, parent: AtomicWaker::new() });
        let wakers = (0..n)
            .map(|index| Waker::from(Arc::new(BranchWake { ready: Arc::clone(&ready), index })))
            .collect();
        Branches { futures, wakers, ready, running: n }
    }

    /// How many branches have not ended.
    pub(crate) fn running(&self) -> usize {
        self.running
    }

    /// Polls every woken branch, lowest index first; a branch that ends is dropped at
    /// once and reported to `ended` with its index and logical end.
    pub(crate) fn poll_woken(&mut self, task: &Context<'_>, mut ended: impl FnMut(usize, Instant)) {
        self.ready.parent.register(task.waker());
        for w in 0..self.ready.words.len() {
            // A plain load first: most words are empty, and a swap is a locked
            // read-modify-write even when it changes nothing.
            if self.ready.words[w].load(Ordering::Relaxed) == 0 {
                continue;
            }
            let mut bits = self.ready.words[w].swap(0, Ordering::AcqRel);
            while bits != 0 {
                let index = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let Some(future) = &mut self.futures[index] else { continue };
                let mut branch_task = Context::from_waker(&self.wakers[index]);
                if let Poll::Ready(end) = future.as_mut().poll(&mut branch_task) {
                    self.futures[index] = None;
                    self.running -= 1;
                    ended(index, end);
                }
            }
        }
    }

    /// Drops every branch still running, in declaration order.
    pub(crate) fn cancel_all(&mut self) {
        for future in &mut self.futures {
            *future = None;
        }
        self.running = 0;
    }
}
