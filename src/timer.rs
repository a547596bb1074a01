//! The driver's timer queue: a binary heap of deadlines with lazy cancellation.
//!
//! Every registration gets a fresh sequence number that doubles as a generation: a
//! slot whose sequence no longer matches its heap entry was cancelled or fired, and the
//! entry is skipped when it reaches the top. Slots, heap and free list keep their
//! capacity, so steady-state playback allocates nothing here.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
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
    waker: Option<Waker>,
}

#[derive(Debug, Default)]
pub(crate) struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64, u32)>>,
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
        self.heap.push(Reverse((deadline, seq, slot)));
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
                    self.heap.retain(|Reverse((_, seq, slot))| slots[*slot as usize].seq == *seq);
                }
            }
        }
    }

    fn release(&mut self, slot: u32) -> Option<Waker> {
        let s = &mut self.slots[slot as usize];
        s.seq = 0;
        self.live -= 1;
        self.free.push(slot);
        s.waker.take()
    }

    fn is_live(&self, seq: u64, slot: u32) -> bool {
        self.slots[slot as usize].seq == seq
    }

    /// The earliest live deadline.
    pub(crate) fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(&Reverse((deadline, seq, slot))) = self.heap.peek() {
            if self.is_live(seq, slot) {
                return Some(deadline);
            }
            self.heap.pop();
        }
        None
    }

    /// Moves the wakers of every registration due at or before `now` into `due`.
    pub(crate) fn take_due(&mut self, now: Instant, due: &mut Vec<Waker>) {
        // Room for every live timer: `due` reaches its high-water mark when the slot
        // table does, not at the first instant where more timers coincide than before.
        due.reserve(self.live);
        while let Some(&Reverse((deadline, seq, slot))) = self.heap.peek() {
            if deadline > now {
                break;
            }
            self.heap.pop();
            if self.is_live(seq, slot) {
                due.extend(self.release(slot));
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
        let mut due = Vec::new();
        t.take_due(ns(25), &mut due);
        assert_eq!(due.len(), 1);
        assert_eq!(t.next_deadline(), Some(ns(30)));
        assert!(t.update_waker(a, w));
        t.take_due(ns(30), &mut due);
        assert_eq!(due.len(), 2);
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
}
