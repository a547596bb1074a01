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

/// On time, except the first wake-up at or after `stall_at`, which comes `stall` late:
/// a machine that froze once.
struct StallClock {
    now: Instant,
    stall_at: Instant,
    stall: Duration,
    stalled: bool,
}

impl StallClock {
    fn new(stall_at: Instant, stall: Duration) -> StallClock {
        StallClock { now: Instant::ZERO, stall_at, stall, stalled: false }
    }
}

impl Clock for StallClock {
    fn now(&self) -> Instant {
        self.now
    }
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        let mut deadline = deadline.ok_or(Idle)?;
        if !self.stalled && deadline >= self.stall_at {
            self.stalled = true;
            deadline += self.stall;
        }
        self.now = self.now.max(deadline);
        Ok(())
    }
}

/// Plays `inner` and counts the sleeps it starts ([`Cx::sleeps_started`]): the work it
/// does, independent of real time.
struct Counted<A> {
    inner: A,
    sleeps: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<A: Animation<bool>> Animation<bool> for Counted<A> {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        struct Guard<'a>(&'a Cx<bool>, u64, std::rc::Rc<std::cell::Cell<u64>>);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                self.2.set(self.0.sleeps_started() - self.1);
            }
        }
        let _count = Guard(cx, cx.sleeps_started(), self.sleeps.clone());
        self.inner.run(cx, start).await
    }
    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        self.inner.validate(len)
    }
}

fn counted<A>(inner: A) -> (Counted<A>, std::rc::Rc<std::cell::Cell<u64>>) {
    let sleeps = std::rc::Rc::default();
    (Counted { inner, sleeps: std::rc::Rc::clone(&sleeps) }, sleeps)
}

fn us(n: u64) -> Duration {
    Duration::from_micros(n)
}

fn timeline(driver: &Driver<Recorder, StallClock>) -> Vec<(Instant, Vec<bool>)> {
    driver.output().steps().iter().map(|s| (s.at, s.pixels.to_vec())).collect()
}

#[test]
fn a_blink_jumps_to_the_round_due_after_a_stall() {
    // What was seen: after holding `blink(0, 1 ns)` for 1 s, `stop()` took seconds at
    // 100 % CPU, looping through every missed round. Now the round and phase due are
    // computed from the logical start: the work is the same for any stall.
    let period = us(200); // on 100 µs + off 100 µs: MIN_STEP
    for missed in [1_000_000, 1_000_000_000_000] {
        let round = Instant::ZERO.add_times(period, missed);
        // Asked to wake at 100 µs (the first off edge), the clock wakes in the off
        // phase of round `missed`.
        let clock = StallClock::new(Instant::ZERO + us(100), (round + us(50)) - Instant::ZERO);
        let mut driver = Driver::new(Recorder::new(1), clock);
        let (program, sleeps) = counted(blink(0, us(100)));
        let end = driver.run_for(&program, (round + period + us(100)) - Instant::ZERO).unwrap();
        assert_eq!(end, RunEnd::Stopped(round + period + us(100)));
        assert_eq!(
            timeline(&driver),
            vec![
                (Instant::ZERO, vec![true]),
                (round + us(150), vec![false]), // the late wake-up: off phase of the round
                (round + period, vec![true]),   // then on time, in phase
                (round + period + us(100), vec![false]),
            ],
            "{missed} periods missed"
        );
        assert!(sleeps.get() <= 6, "{missed} periods missed: {} sleeps", sleeps.get());
    }
}

#[test]
fn a_finite_blink_that_stalls_past_its_end_ends_at_its_logical_end() {
    let clock = StallClock::new(Instant::ZERO + us(100), secs(3600));
    let mut driver = Driver::new(Recorder::new(1), clock);
    let (program, sleeps) = counted(blink(0, us(100)).times(1_000_000));
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + secs(200));
    assert!(sleeps.get() <= 2, "{} sleeps", sleeps.get());
}

#[test]
fn a_cycle_jumps_across_passes_after_a_stall() {
    // Three LEDs, six steps of 100 µs a pass. Wake in step 4 of pass `missed`: LED 2 on.
    let step = us(100);
    for missed in [1_000_000, 1_000_000_000_000] {
        let due = Instant::ZERO.add_times(step, 6 * missed + 4);
        let clock = StallClock::new(Instant::ZERO + step, ((due + us(50)) - Instant::ZERO) - step);
        let mut driver = Driver::new(Recorder::new(3), clock);
        let (program, sleeps) = counted(cycle(0..3, step));
        driver.run_for(&program, (due + step + step) - Instant::ZERO).unwrap();
        assert_eq!(
            timeline(&driver),
            vec![
                (Instant::ZERO, vec![true, false, false]),
                (due + us(50), vec![false, false, true]),
                (due + step, vec![false, false, false]),
                (due + step + step, vec![true, false, false]),
            ],
            "{missed} passes missed"
        );
        assert!(sleeps.get() <= 6, "{missed} passes missed: {} sleeps", sleeps.get());
    }
}

#[test]
fn a_walk_jumps_to_the_step_due_after_a_stall() {
    let clock = StallClock::new(Instant::ZERO + us(100), us(350));
    let mut driver = Driver::new(Recorder::new(3), clock);
    let (program, sleeps) = counted(walk(0..3, us(100)));
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + us(600));
    assert_eq!(
        timeline(&driver),
        vec![
            (Instant::ZERO, vec![true, false, false]),
            (Instant::ZERO + us(450), vec![false, false, true]), // step 4: LED 2 on
            (Instant::ZERO + us(500), vec![false, false, false]),
        ]
    );
    assert!(sleeps.get() <= 4, "{} sleeps", sleeps.get());
}

/// Counts its loop iterations and remembers the steps the ticker yielded.
struct TickerLeaf {
    period: Duration,
    steps: std::rc::Rc<std::cell::RefCell<Vec<u64>>>,
}

impl Animation<bool> for TickerLeaf {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        let mut ticker = cx.ticker(start, self.period);
        loop {
            let k = ticker.next().await;
            self.steps.borrow_mut().push(k);
            cx.set(0, k % 2 == 0);
        }
    }
}

#[test]
fn a_ticker_skips_missed_steps_in_one_iteration() {
    let period = ms(1);
    let missed: u64 = 1_000_000_000_000;
    let due = Instant::ZERO.add_times(period, missed);
    // Asked for step 1, the clock wakes a quarter period into step `missed`.
    let clock = StallClock::new(Instant::ZERO + period, ((due + us(250)) - Instant::ZERO) - period);
    let mut driver = Driver::new(Recorder::new(1), clock);
    let steps = std::rc::Rc::default();
    let leaf = TickerLeaf { period, steps: std::rc::Rc::clone(&steps) };
    driver.run_for(&leaf, (due + period) - Instant::ZERO).unwrap();
    // One loop iteration per wake-up: steps 0, then the one due, then the next on time.
    assert_eq!(*steps.borrow(), [0, missed, missed + 1]);
}

#[test]
fn a_ticker_on_a_virtual_clock_yields_every_step() {
    let steps = std::rc::Rc::default();
    let leaf = TickerLeaf { period: ms(10), steps: std::rc::Rc::clone(&steps) };
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    driver.run_for(&leaf, ms(50)).unwrap();
    assert_eq!(*steps.borrow(), [0, 1, 2, 3, 4, 5]);
}
