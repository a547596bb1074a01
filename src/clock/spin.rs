//! How long before a deadline the real clock stops sleeping and starts spinning.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

/// A spin window that learns how late this machine wakes a sleeping thread.
///
/// Every wait of a [`SystemClock`](crate::SystemClock) sleeps until `deadline - window`
/// and spins from there. When the kernel wakes it at `sleep_end + lateness`, the wait
/// spins for `window - lateness` if that is positive, and otherwise serves the deadline
/// `lateness - window` late. So the window should cover the lateness the machine
/// usually shows, and no more: every nanosecond of window above it is spun away.
///
/// The window tracks the [`AdaptiveSpin::QUANTILE`] of the observed lateness with a
/// stochastic quantile estimate: a lateness above the window raises it by
/// `window / 32 · q`, one at or below lowers it by `window / 32 · (1 - q)`. It settles
/// where a fraction `q` of the wake-ups fall within the window, without storing any
/// samples. The steps are relative (1/64 of the window each way at the median), so it
/// moves by the same factor at 5 µs as at 80 µs: from its 100 µs start it reaches 30 µs
/// in about 80 wake-ups and 5 µs in about 200, and a single stall of milliseconds moves
/// it by one step only. It is clamped to [`AdaptiveSpin::MIN`]`..=`[`AdaptiveSpin::MAX`].
///
/// Pure arithmetic, no clock: the clock feeds it what it measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AdaptiveSpin {
    /// The window, ns, within `MIN..=MAX`.
    window: u64,
}

/// What the last adaptive clock of the process learned, ns (0: nothing yet).
static LEARNED: AtomicU64 = AtomicU64::new(0);

impl AdaptiveSpin {
    /// The smallest window: even a machine that wakes sleepers on time keeps a little
    /// margin, for the time from the wake-up to the first clock reading.
    pub(crate) const MIN: Duration = Duration::from_micros(2);
    /// The largest window, where a fresh estimate starts: 100 µs covers a sleeping
    /// thread's wake-up on most machines that are not overloaded.
    pub(crate) const MAX: Duration = Duration::from_micros(100);
    /// The fraction of wake-ups the window aims to cover, in percent.
    ///
    /// The median: half the wake-ups land before the deadline and spin, which serves
    /// them on time, so the median deadline is on time; the other half are late only by
    /// how far their wake-up lateness exceeds its median, not by all of it. A higher
    /// quantile buys a better upper tail with a longer average spin, a lower one saves
    /// spinning and gives up the median (measured in `docs/benchmarks.md`).
    pub(crate) const QUANTILE: u64 = 50;

    const MIN_NS: u64 = Self::MIN.as_nanos() as u64;
    const MAX_NS: u64 = Self::MAX.as_nanos() as u64;

    /// An estimate starting at `window` (clamped).
    pub(crate) fn starting_at(window: Duration) -> AdaptiveSpin {
        let ns = u64::try_from(window.as_nanos()).unwrap_or(u64::MAX);
        AdaptiveSpin { window: ns.clamp(Self::MIN_NS, Self::MAX_NS) }
    }

    /// An estimate starting where the last adaptive clock of this process left off
    /// (see [`AdaptiveSpin::remember`]), or at [`AdaptiveSpin::MAX`].
    pub(crate) fn learned() -> AdaptiveSpin {
        AdaptiveSpin::learned_from(&LEARNED)
    }

    /// Keeps this estimate for the next [`AdaptiveSpin::learned`]: wake-up lateness is
    /// a property of the machine, not of one clock.
    pub(crate) fn remember(&self) {
        self.remember_in(&LEARNED);
    }

    fn learned_from(slot: &AtomicU64) -> AdaptiveSpin {
        match slot.load(Ordering::Relaxed) {
            0 => AdaptiveSpin::starting_at(Self::MAX),
            ns => AdaptiveSpin::starting_at(Duration::from_nanos(ns)),
        }
    }

    fn remember_in(&self, slot: &AtomicU64) {
        slot.store(self.window, Ordering::Relaxed);
    }

    /// The current window.
    #[cfg(test)]
    pub(crate) fn window(&self) -> Duration {
        Duration::from_nanos(self.window)
    }

    /// The current window in ns.
    pub(crate) fn window_nanos(&self) -> u64 {
        self.window
    }

    /// Learns from one wake-up: the kernel ended a sleep `lateness_ns` after the
    /// instant it was asked for.
    pub(crate) fn observe(&mut self, lateness_ns: u64) {
        let step = self.window / 32;
        self.window = if lateness_ns > self.window {
            self.window + step * Self::QUANTILE / 100
        } else {
            self.window - step * (100 - Self::QUANTILE) / 100
        }
        .clamp(Self::MIN_NS, Self::MAX_NS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: u64 = 1_000;

    fn us(window: Duration) -> f64 {
        window.as_nanos() as f64 / 1e3
    }

    /// A fixed, shuffled cycle through 21 values spread evenly over 20..=40 µs:
    /// median 30 µs.
    fn spread_20_to_40() -> impl Iterator<Item = u64> {
        (0..).map(|i: u64| 20 * US + (i * 13 % 21) * US)
    }

    #[test]
    fn starts_at_the_ceiling_when_nothing_was_learned() {
        assert_eq!(AdaptiveSpin::starting_at(Duration::from_secs(1)).window(), AdaptiveSpin::MAX);
        assert_eq!(AdaptiveSpin::starting_at(Duration::ZERO).window(), AdaptiveSpin::MIN);
    }

    #[test]
    fn settles_on_a_steady_lateness_within_one_step() {
        let mut spin = AdaptiveSpin::starting_at(AdaptiveSpin::MAX);
        for _ in 0..1_000 {
            spin.observe(30 * US);
        }
        let window = us(spin.window());
        assert!((29.0..=31.0).contains(&window), "window {window} µs for a steady 30 µs");
    }

    #[test]
    fn settles_on_the_median_of_a_spread() {
        let mut spin = AdaptiveSpin::starting_at(AdaptiveSpin::MAX);
        for lateness in spread_20_to_40().take(2_000) {
            spin.observe(lateness);
        }
        // It keeps moving by a step (about 0.5 µs) around the median.
        let mut seen = (f64::MAX, 0.0_f64);
        for lateness in spread_20_to_40().take(2_000) {
            spin.observe(lateness);
            let w = us(spin.window());
            seen = (seen.0.min(w), seen.1.max(w));
        }
        assert!(seen.0 >= 27.0 && seen.1 <= 33.0, "window ranged over {seen:?} µs, median 30 µs");
    }

    #[test]
    fn learns_within_a_few_hundred_wake_ups() {
        let mut spin = AdaptiveSpin::starting_at(AdaptiveSpin::MAX);
        let mut count = 0;
        while spin.window() > Duration::from_micros(31) {
            spin.observe(30 * US);
            count += 1;
        }
        assert!(count < 100, "{count} wake-ups to come down from 100 µs to 31 µs");
    }

    #[test]
    fn a_stall_moves_it_by_one_step() {
        let mut spin = AdaptiveSpin::starting_at(Duration::from_micros(32));
        spin.observe(5_000 * US);
        assert_eq!(spin.window(), Duration::from_micros(32) + Duration::from_nanos(500));
    }

    #[test]
    fn decays_when_wake_ups_get_better_and_grows_when_they_get_worse() {
        let mut spin = AdaptiveSpin::starting_at(Duration::from_micros(40));
        for _ in 0..500 {
            spin.observe(5 * US);
        }
        let better = us(spin.window());
        assert!((4.5..=5.5).contains(&better), "window {better} µs after wake-ups 5 µs late");
        for _ in 0..500 {
            spin.observe(60 * US);
        }
        let worse = us(spin.window());
        assert!((58.0..=62.0).contains(&worse), "window {worse} µs after wake-ups 60 µs late");
    }

    #[test]
    fn stays_within_its_bounds() {
        let mut spin = AdaptiveSpin::starting_at(AdaptiveSpin::MAX);
        for _ in 0..1_000 {
            spin.observe(0);
        }
        assert_eq!(spin.window(), AdaptiveSpin::MIN);
        for _ in 0..1_000 {
            spin.observe(u64::MAX);
        }
        assert_eq!(spin.window(), AdaptiveSpin::MAX);
    }

    proptest::proptest! {
        #[test]
        fn any_lateness_keeps_the_window_in_bounds_and_moves_it_by_one_step_at_most(
            start in 0u64..1_000_000,
            lateness in proptest::collection::vec(0u64..100_000_000, 0..300),
        ) {
            let mut spin = AdaptiveSpin::starting_at(Duration::from_nanos(start));
            for l in lateness {
                let before = spin.window_nanos();
                spin.observe(l);
                let after = spin.window_nanos();
                let bounds = AdaptiveSpin::MIN..=AdaptiveSpin::MAX;
                proptest::prop_assert!(bounds.contains(&spin.window()));
                proptest::prop_assert!(after.abs_diff(before) <= before / 64 + 1);
                // Up after a wake-up later than the window, never down; and the reverse.
                let right_way = if l > before { after >= before } else { after <= before };
                proptest::prop_assert!(right_way, "lateness {} moved {} to {}", l, before, after);
            }
        }
    }

    #[test]
    fn remembers_what_it_learned_for_the_next_clock() {
        // A slot of its own: clocks in other tests use the process-wide one.
        let slot = AtomicU64::new(0);
        assert_eq!(AdaptiveSpin::learned_from(&slot).window(), AdaptiveSpin::MAX);
        let spin = AdaptiveSpin::starting_at(Duration::from_micros(37));
        spin.remember_in(&slot);
        assert_eq!(AdaptiveSpin::learned_from(&slot), spin);
    }
}
