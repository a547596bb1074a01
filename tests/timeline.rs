//! The ends of time: programs that never end, and the end of the timeline itself.

mod common;

use blinken::prelude::*;
use blinken::{Idle, RunError};
use common::at_ms;

fn idle_at(result: Result<Instant, RunError<std::convert::Infallible>>) -> Instant {
    match result {
        Err(RunError::Idle { at }) => at,
        other => panic!("expected Idle, got {other:?}"),
    }
}

#[test]
fn endless_programs_are_refused_at_once_on_a_virtual_clock() {
    // What was seen: `run` of `forever(..)` on a virtual clock simulated forever while
    // the recorder grew (330 MB after 8 s).
    let programs: Vec<(&str, BoxAnimation<bool>)> = vec![
        ("forever", forever(blink(0, ms(1)).times(1)).boxed()),
        ("blink", blink(0, ms(1)).boxed()),
        ("cycle", cycle(0, ms(1)).boxed()),
        ("on", on(0).boxed()),
        ("on after a wait", wait(ms(5)).then(on(0)).boxed()),
        ("all with an on", all((on(0), blink(0, ms(1)).times(3))).boxed()),
        ("repeat of forever", repeat(2, forever(wait(ms(1)))).boxed()),
    ];
    for (name, program) in &programs {
        assert_eq!(program.min_duration(), Duration::MAX, "{name}");
        let mut driver = Driver::new(Recorder::new(1), VirtualClock::starting_at(at_ms(7)));
        match driver.run(program) {
            Err(RunError::Endless { at }) => assert_eq!(at, at_ms(7), "{name}"),
            other => panic!("{name}: expected Endless, got {other:?}"),
        }
        assert!(driver.output().steps().is_empty(), "{name}: nothing may be played");
        assert_eq!(driver.now(), at_ms(7), "{name}: no time passed");
        // A limit at or past the end of the timeline is no limit.
        let Err(RunError::Endless { at }) = driver.run_for(program, Duration::MAX) else {
            panic!("{name}: run_for(Duration::MAX) is refused too");
        };
        assert_eq!(at, at_ms(7));
        assert!(matches!(driver.run_until(program, Instant::MAX), Err(RunError::Endless { .. })));
        // A window of it plays.
        assert!(matches!(driver.run_for(program, ms(10)), Ok(RunEnd::Stopped(_))), "{name}");
    }
    let err = Driver::new(Recorder::new(1), VirtualClock::new()).run(&on(0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the animation never ends by itself (an `on`, a `forever`, a `cycle` or a `blink` \
         without `.times` in it), so playing it to its end on a virtual clock would simulate \
         forever; play it with `run_for` to see a window of it"
    );
}

#[test]
fn a_race_with_an_end_is_not_endless() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&forever(blink(0, ms(1))).timeout(ms(10))).unwrap(), at_ms(10));
    assert_eq!(driver.run(&any((on(0), wait(ms(10))))).unwrap(), at_ms(20));
}

/// A clock that something else could move: endless programs are not refused up front.
struct RealLike(VirtualClock);

impl Clock for RealLike {
    fn now(&self) -> Instant {
        self.0.now()
    }
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        self.0.sleep_until(deadline)
    }
}

#[test]
fn only_a_virtual_clock_refuses_endless_programs_up_front() {
    assert!(VirtualClock::new().is_virtual());
    assert!(!RealLike(VirtualClock::new()).is_virtual());
    assert!(!blinken::ManualClock::new().0.is_virtual());
    // This clock happens to end the run when nothing is scheduled; what matters is that
    // the run started and showed its first frame.
    let mut driver = Driver::new(Recorder::new(1), RealLike(VirtualClock::new()));
    assert_eq!(idle_at(driver.run(&on(0))), Instant::ZERO);
    driver.output().assert_timeline("0.000000 #");
}

#[test]
fn a_sleep_until_the_end_of_the_timeline_never_completes() {
    let forever_asleep = from_fn(async |cx: &Cx<bool>, _: Instant| {
        let _off = cx.off_on_drop(0);
        cx.set(0, true);
        cx.sleep_until(Instant::MAX).await
    });
    // It registers no timer: a run of it has nothing to wait for...
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(idle_at(driver.run(&forever_asleep)), Instant::MAX);
    // ...and a window of it holds until the window ends, then it is cancelled.
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run_for(&forever_asleep, secs(5)).unwrap(), RunEnd::Stopped(at_ms(5000)));
    driver.flush().unwrap();
    driver.output().assert_timeline("0.000000 #\n5.000000 .");
    // A sleep until the end that was cancelled does not count: this run waits for
    // nothing at 5 ms.
    let pending = from_fn(async |_: &Cx<bool>, _: Instant| core::future::pending().await);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(idle_at(driver.run(&any((&forever_asleep, wait(ms(5)))).then(pending))), at_ms(5));
}

#[test]
fn a_program_that_reaches_the_end_of_the_timeline_ends_with_a_clear_error() {
    // What was seen: `forever(blink(0, Duration::MAX).times(1))` panicked with "a pass of
    // the body started and ended at 18446744073.709551" (now refused by validation: see
    // tests/validation.rs). Saturated deadlines at the end of the timeline mean "never",
    // so a program that runs into it holds instead of spinning at `Instant::MAX`.
    let start = Instant::from_nanos(Instant::MAX.as_nanos() - 1_000_000_000);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::starting_at(start));
    // Two seconds of blinking, one second of timeline left.
    let err = driver.run(&blink(0, ms(1)).times(1000)).unwrap_err();
    assert!(matches!(err, RunError::Idle { at: Instant::MAX }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the animation waits for the end of the timeline (about 584 years after the clock's \
         origin), which never comes; play it with `run_for` to see a window of it"
    );
    // It played its rounds up to the end, a bounded number of them.
    let steps = driver.output().steps();
    assert!((999..=1001).contains(&steps.len()), "{} steps", steps.len());
    assert!(steps.iter().all(|s| s.at >= start && s.at < Instant::MAX));
    // Forever, it is refused at once, as any endless program on a virtual clock.
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::starting_at(start));
    assert!(matches!(driver.run(&blink(0, ms(1))), Err(RunError::Endless { at }) if at == start));
    // A hand-written loop whose length validation cannot know runs into the end too.
    let ticks = from_fn(async |cx: &Cx<bool>, start: Instant| {
        let mut ticker = cx.ticker(start, ms(1));
        loop {
            let k = ticker.next().await;
            cx.set(0, k % 2 == 0);
        }
    });
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::starting_at(start));
    assert_eq!(idle_at(driver.run(&ticks)), Instant::MAX);
    assert!(driver.output().steps().len() <= 1001);
}
