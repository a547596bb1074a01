//! The driver's timer queue: a binary heap of deadlines with lazy cancellation.
//!
//! Every registration gets a fresh sequence number that doubles as a generation: a
//! slot whose sequence no longer matches its heap entry was cancelled or fired, and the
//! entry is skipped when it reaches the top. Entries are ordered by deadline, then by
//! sequence (registrations due at one instant fire in the order they were made).
//!
//! Playback is one pop and one push per event, on a heap as large as the number of
//! running leaves. The heap is written out rather than `std`'s `BinaryHeap` of tuples:
//! comparing a packed `(deadline, sequence)` pair is one wide comparison instead of a
//! chain of them, and the two children are compared without bounds checks. (A 4-ary
//! heap, half as deep, took more instructions per pop at 1000 timers and was no faster.)
//!
//! A slot keeps its waker after it fires or is cancelled: the next registration in that
//! slot is usually the same leaf again (the free list is a stack), which then costs no
//! clone (`Waker::clone_from` checks [`Waker::will_wake`]), and a due timer is woken by
//! reference, without moving its waker out. Slots, heap and free list keep their
//! capacity, so steady-state playback allocates nothing here.

use std::task::Waker;

use crate::Instant;

/// Names one registration; stale keys are harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimerKey {
    slot: u32,
    seq: u64,
}

#[derive(Debug)]
struct Slot {
    /// Sequence number of the live registration, 0 when free.
    seq: u64,
    /// The live registration's waker; in a free slot, the last one (kept for reuse).
    waker: Option<Waker>,
}

/// One heap entry.
#[derive(Debug, Clone, Copy)]
struct Entry {
    deadline: Instant,
    seq: u64,
    slot: u32,
}

impl Entry {
    /// The order of the queue: deadline, then registration.
    #[inline]
    fn key(&self) -> u128 {
        (u128::from(self.deadline.as_nanos()) << 64) | u128::from(self.seq)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Timers {
    /// A min-heap on [`Entry::key`]: the children of `i` are `2i + 1` and `2i + 2`.
    heap: Vec<Entry>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    next_seq: u64,
    live: usize,
}

impl Timers {
    pub(crate) fn insert(&mut self, deadline: Instant, waker: &Waker) -> TimerKey {
        self.next_seq += 1;
        let seq = self.next_seq;
        let slot = match self.free.pop() {
            Some(slot) => {
                let s = &mut self.slots[slot as usize];
                s.seq = seq;
                match &mut s.waker {
                    Some(w) => w.clone_from(waker),
                    None => s.waker = Some(waker.clone()),
                }
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len()).expect("more than 2^32 live timers");
                self.slots.push(Slot { seq, waker: Some(waker.clone()) });
                // The free list can come to hold every slot (many timers firing at one
                // instant): size it with the table, not at that instant.
                self.free.reserve(self.slots.len() - self.free.len());
                slot
            }
        };
        self.live += 1;
        self.push(Entry { deadline, seq, slot });
        TimerKey { slot, seq }
    }

    /// Points a live registration at a new waker; false if it already fired or was cancelled.
    pub(crate) fn update_waker(&mut self, key: TimerKey, waker: &Waker) -> bool {
        match self.slots.get_mut(key.slot as usize) {
            Some(s) if s.seq == key.seq => {
                if let Some(w) = &mut s.waker {
                    w.clone_from(waker);
                }
                true
            }
            _ => false,
        }
    }

    pub(crate) fn cancel(&mut self, key: TimerKey) {
        if let Some(s) = self.slots.get_mut(key.slot as usize) {
            if s.seq == key.seq {
                self.release(key.slot);
                // Many cancelled entries far in the future: rebuild rather than grow.
                if self.heap.len() > 64 && self.heap.len() > 4 * self.live {
                    let slots = &self.slots;
                    self.heap.retain(|e| slots[e.slot as usize].seq == e.seq);
                    self.heapify();
                }
            }
        }
    }

    fn release(&mut self, slot: u32) {
        self.slots[slot as usize].seq = 0;
        self.live -= 1;
        self.free.push(slot);
    }

    fn is_live(&self, e: &Entry) -> bool {
        self.slots[e.slot as usize].seq == e.seq
    }

    /// The earliest live deadline.
    pub(crate) fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(top) = self.heap.first() {
            if self.is_live(top) {
                return Some(top.deadline);
            }
            self.pop();
        }
        None
    }

    /// Wakes (by reference) every registration due at or before `now`, earliest first,
    /// and frees its slot.
    ///
    /// The wakers run while the queue is borrowed: a waker is `Send + Sync`, so it
    /// cannot reach the driver's `Cx` (which is neither), and only sets flags.
    pub(crate) fn wake_due(&mut self, now: Instant) {
        while let Some(&top) = self.heap.first() {
            if top.deadline > now {
                break;
            }
            self.pop();
            if self.is_live(&top) {
                self.release(top.slot);
                if let Some(waker) = &self.slots[top.slot as usize].waker {
                    waker.wake_by_ref();
                }
            }
        }
    }

    /// Forgets every registration (a new run starts from a clean queue).
    pub(crate) fn clear(&mut self) {
        self.heap.clear();
        self.free.clear();
        self.free.extend((0..self.slots.len()).rev().map(|s| s as u32));
        for s in &mut self.slots {
            s.seq = 0;
            s.waker = None;
        }
        self.live = 0;
    }

    fn push(&mut self, entry: Entry) {
        self.heap.push(entry);
        self.sift_up(self.heap.len() - 1, entry);
    }

    /// Moves `entry`, meant for position `i`, up to its place.
    #[inline]
    fn sift_up(&mut self, mut i: usize, entry: Entry) {
        let key = entry.key();
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.heap[parent].key() <= key {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = entry;
    }

    /// Removes the top entry: the hole it leaves goes down along the smallest children
    /// to a leaf, where the last entry fills it and climbs back (usually not at all: it
    /// came from the bottom).
    fn pop(&mut self) {
        let Some(last) = self.heap.pop() else { return };
        let len = self.heap.len();
        if len == 0 {
            return;
        }
        let mut hole = 0;
        loop {
            let first = 2 * hole + 1;
            let best = match self.heap.get(first..first + 2) {
                Some(&[a, b]) => first + usize::from(b.key() < a.key()),
                _ if first >= len => break,
                // The last parent may have one child.
                _ => first,
            };
            self.heap[hole] = self.heap[best];
            hole = best;
        }
        self.sift_up(hole, last);
    }

    /// Restores the heap order after entries were removed in place.
    fn heapify(&mut self) {
        let len = self.heap.len();
        if len < 2 {
            return;
        }
        for i in (0..=(len - 2) / 2).rev() {
            let entry = self.heap[i];
            let key = entry.key();
            let mut hole = i;
            loop {
                let first = 2 * hole + 1;
                if first >= len {
                    break;
                }
                let end = (first + 2).min(len);
                let best = (first..end).min_by_key(|&c| self.heap[c].key()).unwrap_or(first);
                if self.heap[best].key() >= key {
                    break;
                }
                self.heap[hole] = self.heap[best];
                hole = best;
            }
            self.heap[hole] = entry;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(n: u64) -> Instant {
        Instant::from_nanos(n)
    }

    #[test]
    fn fires_in_deadline_order_and_skips_cancelled() {
        let mut t = Timers::default();
        let w = Waker::noop();
        let a = t.insert(ns(30), w);
        let _b = t.insert(ns(10), w);
        let c = t.insert(ns(20), w);
        t.cancel(c);
        assert_eq!(t.next_deadline(), Some(ns(10)));
        t.wake_due(ns(25));
        assert_eq!(t.live, 1);
        assert_eq!(t.next_deadline(), Some(ns(30)));
        assert!(t.update_waker(a, w));
        t.wake_due(ns(30));
        assert!(!t.update_waker(a, w), "a fired key is stale");
        assert_eq!(t.next_deadline(), None);
        assert_eq!(t.live, 0);
    }

    #[test]
    fn cancelled_entries_do_not_accumulate() {
        let mut t = Timers::default();
        let w = Waker::noop();
        for i in 0..10_000 {
            let k = t.insert(ns(1_000_000 + i), w);
            t.cancel(k);
        }
        assert!(t.heap.len() <= 65, "heap kept {} stale entries", t.heap.len());
        assert_eq!(t.slots.len(), 1, "slots are reused");
    }

    #[test]
    fn fires_like_a_sorted_list_through_inserts_cancels_and_reuse() {
        use std::sync::{Arc, Mutex};
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut t = Timers::default();
        // (deadline, id) of the live registrations, with their keys.
        let mut live: Vec<(u64, u64, TimerKey)> = Vec::new();
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut now = 0;
        for id in 0..20_000_u64 {
            match next() % 8 {
                // Many equal deadlines: ties fire in registration order.
                0..=4 => {
                    let deadline = now + next() % 50;
                    let waker = Waker::from(Arc::new(Shared(Arc::clone(&log), id)));
                    live.push((deadline, id, t.insert(Instant::from_nanos(deadline), &waker)));
                }
                5 if !live.is_empty() => {
                    let (_, _, key) = live.swap_remove((next() % live.len() as u64) as usize);
                    t.cancel(key);
                }
                _ => {
                    now += next() % 20;
                    t.wake_due(Instant::from_nanos(now));
                    let mut due: Vec<_> = live.iter().filter(|e| e.0 <= now).copied().collect();
                    due.sort_by_key(|e| (e.0, e.1));
                    live.retain(|e| e.0 > now);
                    let fired = core::mem::take(&mut *log.lock().unwrap());
                    assert_eq!(fired, due.iter().map(|e| e.1).collect::<Vec<_>>());
                    let earliest = live.iter().map(|e| e.0).min();
                    assert_eq!(t.next_deadline(), earliest.map(Instant::from_nanos));
                }
            }
            assert_eq!(t.live, live.len());
        }
    }

    /// Pushes its number to a shared log when woken.
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u64>>>, u64);

    impl std::task::Wake for Shared {
        fn wake(self: std::sync::Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &std::sync::Arc<Self>) {
            self.0.lock().unwrap().push(self.1);
        }
    }

    #[test]
    fn a_rebuild_after_many_cancels_keeps_the_order() {
        use std::sync::{Arc, Mutex};
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut t = Timers::default();
        let mut expected = Vec::new();
        for id in 0..200_u64 {
            let deadline = (id * 7919) % 500;
            let waker = Waker::from(Arc::new(Shared(Arc::clone(&log), id)));
            t.insert(ns(deadline), &waker);
            expected.push((deadline, id));
        }
        for i in 0..2_000 {
            let k = t.insert(ns(10_000 + i), Waker::noop());
            t.cancel(k);
        }
        assert!(t.heap.len() < 1_000, "the heap was rebuilt");
        t.wake_due(ns(1_000));
        expected.sort_unstable();
        let fired = core::mem::take(&mut *log.lock().unwrap());
        assert_eq!(fired, expected.iter().map(|e| e.1).collect::<Vec<_>>());
    }
}
