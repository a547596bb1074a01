//! Drift-free timing: deadlines come from logical starts, lateness is caught up.

mod common;

use std::convert::Infallible;

use blinken::output::Frame;
use blinken::prelude::*;
use blinken::{Idle, RunError};
use common::at_ms;

#[test]
fn one_hour_of_forever_blink_ends_on_the_exact_tick() {
    let period = ms(100);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let hour = secs(3600);
    driver.run_for(&forever(blink(0, period).times(1)), hour).unwrap();
    let steps = driver.output().steps();
    // One toggle every 100 ms for an hour, plus the first write.
    assert_eq!(steps.len(), 36_001);
    for (n, step) in steps.iter().enumerate() {
        assert_eq!(step.at, Instant::ZERO.add_times(period, n as u64), "toggle {n}");
        assert_eq!(step.pixels[0], n % 2 == 0, "toggle {n}");
    }
    assert_eq!(steps.last().unwrap().at, Instant::ZERO + hour);
}

#[test]
fn periods_that_are_not_whole_nanoseconds_per_toggle_do_not_drift() {
    // 1/3 s cannot be represented exactly; each deadline is start + k·period, so the
    // rounding error never grows beyond one nanosecond.
    let third = Duration::from_nanos(333_333_333);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    driver.run_for(&blink(0, third), secs(3600)).unwrap();
    let last = driver.output().steps().last().unwrap();
    assert_eq!(last.at, Instant::from_nanos(10_800 * 333_333_333));
}

/// A clock that wakes `late` after every deadline, like a loaded machine.
struct LateClock {
    now: Instant,
    late: Duration,
}

impl Clock for LateClock {
    fn now(&self) -> Instant {
        self.now
    }
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        self.now = self.now.max(deadline.ok_or(Idle)? + self.late);
        Ok(())
    }
}

#[test]
fn late_wake_ups_do_not_accumulate() {
    let clock = LateClock { now: Instant::ZERO, late: ms(7) };
    let mut driver = Driver::new(Recorder::new(1), clock);
    let end = driver.run(&blink(0, ms(100)).times(50)).unwrap();
    // Logical end is exact; every write is 7 ms late, never more.
    assert_eq!(end, at_ms(10_000));
    for (n, step) in driver.output().steps().iter().enumerate().skip(1) {
        assert_eq!(step.at, Instant::ZERO.add_times(ms(100), n as u64) + ms(7), "write {n}");
    }
}

#[test]
fn a_stall_is_caught_up_in_one_write_keeping_the_phase() {
    // The clock wakes 250 ms after each deadline: asked for 100 ms it wakes at 350 ms,
    // where the toggles of 100, 200 and 300 ms are all due. They run in one round and
    // one write shows the result; no stale frame is replayed.
    let clock = LateClock { now: Instant::ZERO, late: ms(250) };
    let mut driver = Driver::new(Recorder::new(1), clock);
    driver.run(&blink(0, ms(100)).times(3)).unwrap();
    let steps: Vec<(Instant, bool)> =
        driver.output().steps().iter().map(|s| (s.at, s.pixels[0])).collect();
    // 0 ms: on. Woke at 350 ms: off (100), on (200), off (300): one write, off.
    // Woke at 650 ms: on (400), off (500), end (600): still off, so no write.
    assert_eq!(steps, vec![(at_ms(0), true), (at_ms(350), false)]);
}

#[test]
fn any_picks_the_earliest_logical_end_after_a_stall() {
    // Both children become ready in the same late round; the one listed second ended
    // earlier in logical time, so it wins and the `any` ends at its end.
    let clock = LateClock { now: Instant::ZERO, late: ms(50) };
    let mut driver = Driver::new(Recorder::new(1), clock);
    let end = driver.run(&any((wait(ms(30)), wait(ms(20))))).unwrap();
    assert_eq!(end, at_ms(20));
    let end = driver.run(&any(vec![wait(ms(30)), wait(ms(20))])).unwrap();
    assert_eq!(end, at_ms(70 + 20));
}

/// Counts writes and remembers the changed lists.
struct Spy {
    len: usize,
    writes: Vec<(Instant, Vec<usize>)>,
}

impl Output for Spy {
    type Pixel = bool;
    type Error = Infallible;
    fn len(&self) -> usize {
        self.len
    }
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Infallible> {
        self.writes.push((frame.at, frame.changed.to_vec()));
        Ok(())
    }
}

#[test]
fn one_write_per_instant_with_the_changed_leds() {
    let spy = Spy { len: 4, writes: Vec::new() };
    let mut driver = Driver::new(spy, VirtualClock::new());
    // Four leaves due at the same instants: one write each time, not four.
    let program =
        all((blink(0, ms(10)).times(2), blink(1, ms(10)).times(2), blink(3, ms(20)).times(1)));
    driver.run(&program).unwrap();
    assert_eq!(
        driver.output().writes,
        vec![
            (at_ms(0), vec![0, 1, 2, 3]), // first write: everything
            (at_ms(10), vec![0, 1]),
            (at_ms(20), vec![0, 1, 3]),
            (at_ms(30), vec![0, 1]),
        ]
    );
}

#[test]
fn run_on_a_virtual_clock_that_never_ends_is_an_error() {
    // Nothing that could end it is scheduled at 5 ms. (`wait(ms(5)).then(on(0))` is now
    // refused before it starts: see tests/timeline.rs.)
    let pending = from_fn(async |_: &Cx<bool>, _: Instant| core::future::pending().await);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    match driver.run(&wait(ms(5)).then(pending)) {
        Err(RunError::Idle { at }) => assert_eq!(at, at_ms(5)),
        other => panic!("expected Idle, got {other:?}"),
    }
}
