//! Concurrent branches that poll only what was woken, in declaration order.
//!
//! `all` and `any` over a `Vec` or array may have thousands of children, most of them
//! asleep at any instant. Each branch gets its own waker that sets the branch's bit in
//! a shared ready set and wakes the parent; a poll of the parent then visits only the
//! set bits, lowest index first. Waking one of 1000 blinks therefore polls one future,
//! not 1000, and the order of writes at one instant is the order of declaration.
//!
//! A wake-up costs two atomic read-modify-writes here: the branch's bit, and its word's
//! bit in a summary word, which only the first branch woken since the parent's last
//! poll finds clear, so only that one wakes the parent; the poll then visits only the
//! words the summary names. The parent's waker is kept, not taken, and woken by
//! reference: the first one registered is stored once ([`OnceLock`]) and read without
//! a lock; only a parent whose waker changes (the future moved to another task) goes
//! through a mutex from then on.

use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::task::Wake;

use crate::Instant;

type Branch<'a> = Option<Pin<Box<dyn Future<Output = Instant> + 'a>>>;

pub(crate) struct Branches<'a> {
    futures: Vec<Branch<'a>>,
    wakers: Vec<Waker>,
    ready: Arc<ReadySet>,
    running: usize,
    /// The parent's waker last registered in `ready.moved_to` (poller's copy, to compare
    /// without locking).
    registered: Option<Waker>,
}

struct ReadySet {
    words: Box<[AtomicU64]>,
    /// Bit `w % 64` is set when word `w` of `words` may have bits set; nonzero when
    /// the parent was woken since it last looked.
    summary: AtomicU64,
    /// The parent's first waker.
    parent: OnceLock<Waker>,
    /// The parent's waker changed since: wake `moved_to` instead.
    moved: AtomicBool,
    moved_to: Mutex<Option<Waker>>,
}

impl ReadySet {
    /// Stores `waker` as the parent's waker (the poller calls this; never concurrently).
    fn register(&self, waker: &Waker, registered: &mut Option<Waker>) {
        if !self.moved.load(Ordering::SeqCst) {
            let first = self.parent.get_or_init(|| waker.clone());
            if first.will_wake(waker) {
                return;
            }
        }
        if registered.as_ref().is_some_and(|r| r.will_wake(waker)) {
            return;
        }
        *registered = Some(waker.clone());
        let old =
            self.moved_to.lock().unwrap_or_else(PoisonError::into_inner).replace(waker.clone());
        // From here on a wake-up reads `moved_to`; the poller looks at `words` after
        // this, so a wake-up that read `moved` before missed nothing.
        self.moved.store(true, Ordering::SeqCst);
        drop(old);
    }

    fn wake_parent(&self) {
        if self.moved.load(Ordering::SeqCst) {
            // Woken outside the lock: a waker may run anything, even a poll of this
            // parent, which may register.
            let waker =
                self.moved_to.lock().unwrap_or_else(PoisonError::into_inner).as_ref().cloned();
            if let Some(waker) = waker {
                waker.wake();
            }
        } else if let Some(waker) = self.parent.get() {
            waker.wake_by_ref();
        }
    }
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
        // SeqCst: the poller clears `summary` before it reads `words`, so either it
        // sees this bit or the summary keeps it; then the first branch that finds the
        // summary clear wakes the parent.
        let word = self.index / 64;
        self.ready.words[word].fetch_or(1 << (self.index % 64), Ordering::SeqCst);
        if self.ready.summary.fetch_or(1 << (word % 64), Ordering::SeqCst) == 0 {
            self.ready.wake_parent();
        }
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
        let ready = Arc::new(ReadySet {
            words,
            // Every word may be set: the first poll looks at them all.
            summary: AtomicU64::new(u64::MAX),
            parent: OnceLock::new(),
            moved: AtomicBool::new(false),
            moved_to: Mutex::new(None),
        });
        let wakers = (0..n)
            .map(|index| Waker::from(Arc::new(BranchWake { ready: Arc::clone(&ready), index })))
            .collect();
        Branches { futures, wakers, ready, running: n, registered: None }
    }

    /// How many branches have not ended.
    pub(crate) fn running(&self) -> usize {
        self.running
    }

    /// Polls every woken branch, lowest index first; a branch that ends is dropped at
    /// once and reported to `ended` with its index and logical end.
    pub(crate) fn poll_woken(&mut self, task: &Context<'_>, mut ended: impl FnMut(usize, Instant)) {
        self.ready.register(task.waker(), &mut self.registered);
        // Before `words` is read: a branch woken from here on wakes the parent again.
        let mut summary = self.ready.summary.swap(0, Ordering::SeqCst);
        let words = self.ready.words.len();
        let mut w = 0;
        while w < words {
            if words <= 64 {
                // Up to 64 words (4096 branches) a summary bit names one word: jump to
                // the next one named.
                let ahead = summary >> w;
                if ahead == 0 {
                    break;
                }
                w += ahead.trailing_zeros() as usize;
            } else if summary & (1 << (w % 64)) == 0 {
                // Beyond, bit `b` stands for every word `w` with `w % 64 == b`.
                w += 1;
                continue;
            }
            self.poll_word(w, &mut ended);
            w += 1;
            // A branch this poll woke names its word: a later word is visited in this
            // pass, as a scan of every word would.
            summary |= self.ready.summary.load(Ordering::Relaxed);
        }
    }

    /// Polls the woken branches of word `w`, lowest index first.
    fn poll_word(&mut self, w: usize, ended: &mut impl FnMut(usize, Instant)) {
        // A plain load first: a word the summary names may have been emptied by an
        // earlier poll, and a swap is a locked read-modify-write even when it changes
        // nothing.
        if self.ready.words[w].load(Ordering::SeqCst) == 0 {
            return;
        }
        let mut bits = self.ready.words[w].swap(0, Ordering::SeqCst);
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

    /// Drops every branch still running, in declaration order.
    pub(crate) fn cancel_all(&mut self) {
        for future in &mut self.futures {
            *future = None;
        }
        self.running = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::sync::atomic::AtomicUsize;

    /// Counts its wake-ups.
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counter() -> (Arc<Count>, Waker) {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        (Arc::clone(&count), Waker::from(count))
    }

    #[test]
    fn a_wake_up_reaches_the_parent_waker_registered_last() {
        // One branch that stays pending and hands out its waker.
        let slot: Rc<RefCell<Option<Waker>>> = Rc::default();
        let branch = {
            let slot = Rc::clone(&slot);
            core::future::poll_fn(move |task: &mut Context<'_>| {
                *slot.borrow_mut() = Some(task.waker().clone());
                Poll::<Instant>::Pending
            })
        };
        let mut branches =
            Branches::new(core::iter::once(Box::pin(branch) as Pin<Box<dyn Future<Output = _>>>));
        let (a, waker_a) = counter();
        let (b, waker_b) = counter();
        let wake_branch = || slot.borrow().as_ref().unwrap().wake_by_ref();

        branches.poll_woken(&Context::from_waker(&waker_a), |_, _| {});
        wake_branch();
        wake_branch(); // the parent was woken already: once is enough
        assert_eq!((a.0.load(Ordering::SeqCst), b.0.load(Ordering::SeqCst)), (1, 0));

        // Polled from another task: the wake-up goes there, not to the first one.
        branches.poll_woken(&Context::from_waker(&waker_b), |_, _| {});
        wake_branch();
        assert_eq!((a.0.load(Ordering::SeqCst), b.0.load(Ordering::SeqCst)), (1, 1));

        // And back.
        branches.poll_woken(&Context::from_waker(&waker_a), |_, _| {});
        wake_branch();
        assert_eq!((a.0.load(Ordering::SeqCst), b.0.load(Ordering::SeqCst)), (2, 1));
        assert_eq!(branches.running(), 1);
    }

    #[test]
    fn a_branch_woken_from_another_thread_wakes_the_parent() {
        let slot: Arc<Mutex<Option<Waker>>> = Arc::default();
        let branch = {
            let slot = Arc::clone(&slot);
            core::future::poll_fn(move |task: &mut Context<'_>| {
                *slot.lock().unwrap() = Some(task.waker().clone());
                Poll::<Instant>::Pending
            })
        };
        let mut branches =
            Branches::new(core::iter::once(Box::pin(branch) as Pin<Box<dyn Future<Output = _>>>));
        let (a, waker_a) = counter();
        for round in 1..=100 {
            branches.poll_woken(&Context::from_waker(&waker_a), |_, _| {});
            let waker = slot.lock().unwrap().clone().unwrap();
            std::thread::spawn(move || waker.wake()).join().unwrap();
            assert_eq!(a.0.load(Ordering::SeqCst), round);
        }
    }

    #[test]
    fn woken_branches_are_polled_in_declaration_order_at_any_width() {
        for n in [1, 63, 64, 65, 1000, 4096, 4097, 9000] {
            let log: Rc<RefCell<Vec<usize>>> = Rc::default();
            let wakers: Rc<RefCell<Vec<Option<Waker>>>> = Rc::new(RefCell::new(vec![None; n]));
            let mut branches = Branches::new((0..n).map(|i| {
                let (log, wakers) = (Rc::clone(&log), Rc::clone(&wakers));
                Box::pin(core::future::poll_fn(move |task: &mut Context<'_>| {
                    log.borrow_mut().push(i);
                    wakers.borrow_mut()[i] = Some(task.waker().clone());
                    Poll::<Instant>::Pending
                })) as Pin<Box<dyn Future<Output = _>>>
            }));
            let (_, parent) = counter();
            branches.poll_woken(&Context::from_waker(&parent), |_, _| {});
            assert_eq!(*log.borrow(), (0..n).collect::<Vec<_>>(), "the first poll starts all");
            // Wake a scattered set in a scrambled order.
            let mut woken: Vec<usize> = (0..n).filter(|i| (i * 7 + 3) % 11 < 3).collect();
            woken.reverse();
            let third = woken.len() / 3;
            woken.rotate_left(third);
            log.borrow_mut().clear();
            for &i in &woken {
                wakers.borrow()[i].as_ref().unwrap().wake_by_ref();
            }
            branches.poll_woken(&Context::from_waker(&parent), |_, _| {});
            woken.sort_unstable();
            assert_eq!(*log.borrow(), woken, "{n} branches");
            log.borrow_mut().clear();
            branches.poll_woken(&Context::from_waker(&parent), |_, _| {});
            assert!(log.borrow().is_empty(), "nothing woken, nothing polled");
        }
    }
}
