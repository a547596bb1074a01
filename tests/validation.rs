//! Programs are refused whole, before anything plays, with errors that name the part.

use blinken::prelude::*;
use blinken::{LONGEST, MIN_STEP, RunError, ValidationErrorKind as Kind};

fn refuse(program: &impl Animation<bool>, len: usize) -> ValidationError {
    let mut driver = Driver::new(Recorder::new(len), VirtualClock::new());
    match driver.run(program) {
        Err(RunError::Invalid(err)) => {
            assert!(driver.output().steps().is_empty(), "nothing may be written");
            err
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn accept(program: &impl Animation<bool>, len: usize) {
    if let Err(err) = program.validate(len) {
        panic!("expected the program to validate, got: {err}");
    }
}

fn ns(n: u64) -> Duration {
    Duration::from_nanos(n)
}

fn us(n: u64) -> Duration {
    Duration::from_micros(n)
}

#[test]
fn led_index_outside_the_output() {
    let err = refuse(&blink(25, ms(100)), 25);
    assert_eq!(err.to_string(), "blink: LED index 25 is outside the output (25 LEDs); use 0..=24");
    assert_eq!(err.kind(), &Kind::LedOutOfRange { index: 25, len: 25 });
    let err = refuse(&on([0, 7]), 0);
    assert_eq!(
        err.to_string(),
        "on: LED index 0 is outside the output (0 LEDs); this output has no LEDs"
    );
}

#[test]
fn path_names_the_offending_part() {
    let program = sequence((wait(ms(1)), all((on(0), any((wait(ms(1)), walk([1, 2, 9], ms(5))))))));
    let err = refuse(&program, 3);
    assert_eq!(err.path(), "sequence[1] > all[1] > any[1] > walk");
    assert_eq!(
        err.to_string(),
        "sequence[1] > all[1] > any[1] > walk: LED index 9 is outside the output (3 LEDs); use 0..=2"
    );
    let err = refuse(&forever(repeat(2, off(5)).then(wait(ms(1)))).timeout(ms(3)), 3);
    assert_eq!(err.path(), "timeout > forever > sequence[0] > repeat > off");
}

#[test]
fn empty_any() {
    let none: Vec<BoxAnimation<bool>> = Vec::new();
    let err = refuse(&sequence((wait(ms(1)), any(none))), 1);
    assert_eq!(err.kind(), &Kind::EmptyAny);
    assert_eq!(
        err.to_string(),
        "sequence[1] > any: `any` of no animations would never end; give it at least one"
    );
}

#[test]
fn loops_refuse_bodies_that_may_take_no_time() {
    // What was seen: `repeat(u64::MAX, wait(ms(0)))` spun (~95 ns a pass) while
    // `forever(wait(0))` was refused; `forever(timeout(ms(100), from_fn(..)))` passed
    // and panicked at run time; `repeat(u64::MAX, off(0))` never returned.
    let instant = from_fn(async |_: &Cx<bool>, start: Instant| start);
    for (program, path) in [
        (forever(off(0)).boxed(), "forever > off"),
        (forever(wait(ms(0)).then(fill(0, true))).boxed(), "forever > sequence"),
        (forever(any((on(0), wait(ms(0))))).boxed(), "forever > any"),
        (forever(repeat(0, wait(secs(1)))).boxed(), "forever > repeat"),
        (repeat(u64::MAX, wait(ms(0))).boxed(), "repeat > wait"),
        (repeat(u64::MAX, off(0)).boxed(), "repeat > off"),
        (repeat(2, fill(0, true)).boxed(), "repeat > fill"),
        (forever(timeout(ms(100), instant)).boxed(), "forever > timeout"),
        // A boxed body has no name of its own: the loop is named.
        (forever(off(0).boxed()).boxed(), "forever"),
    ] {
        let err = refuse(&program, 1);
        assert_eq!(err.kind(), &Kind::LoopMaySpin { min: Duration::ZERO }, "{path}");
        assert_eq!(err.path(), path);
    }
    let err = refuse(&forever(from_fn(async |_: &Cx<bool>, start: Instant| start)), 1);
    assert_eq!(
        err.to_string(),
        "forever > from_fn: a pass may take no time (min_duration 0ns), so the loop could spin \
         at one instant; give the body a wait of at least 100µs, or declare its length with \
         `from_fn(..).at_least(d)`, or implement `Animation::min_duration`"
    );
}

#[test]
fn loops_refuse_passes_shorter_than_min_step() {
    let err = refuse(&forever(wait(us(50))), 1);
    assert_eq!(err.kind(), &Kind::LoopMaySpin { min: us(50) });
    assert_eq!(
        err.to_string(),
        "forever > wait: a pass may take as little as 50µs (its min_duration), less than \
         MIN_STEP (100µs), so the loop could spin faster than any LED shows it; give the body \
         a wait of at least 100µs, or declare its length with `from_fn(..).at_least(d)`, or \
         implement `Animation::min_duration`"
    );
    // `any` ends with its shortest child: its lower bound is the smallest.
    let err = refuse(&repeat(3, any((wait(ms(10)), wait(us(99))))), 1);
    assert_eq!(err.kind(), &Kind::LoopMaySpin { min: us(99) });
    accept(&forever(wait(MIN_STEP)), 1);
    accept(&repeat(u64::MAX, wait(MIN_STEP)), 1);
    // `all` lasts as long as its longest child.
    accept(&forever(all((off(0), wait(ms(1))))), 1);
}

#[test]
fn one_pass_is_not_a_loop() {
    accept(&repeat(1, off(0)), 1);
    accept(&repeat(0, off(0)), 1);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&repeat(1, fill(0, true))).unwrap(), Instant::ZERO);
}

#[test]
fn loops_of_long_or_endless_bodies_are_accepted() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert!(driver.run_for(&forever(on(0)), secs(1)).is_ok());
    assert!(driver.run_for(&forever(blink(0, ms(1))), secs(1)).is_ok());
    assert!(driver.run_for(&forever(blink(0, ms(1)).times(1)), secs(1)).is_ok());
}

#[test]
fn from_fn_declares_its_length_with_at_least() {
    let light = from_fn(async |cx: &Cx<bool>, start: Instant| {
        cx.set(0, true);
        start
    });
    let err = refuse(&forever(&light), 1);
    assert_eq!(err.path(), "forever > from_fn");
    accept(&forever(light.at_least(ms(10))), 1);
}

/// A hand-written leaf that claims to last `claims` but ends at once.
struct Liar {
    claims: Duration,
}

impl Animation<bool> for Liar {
    async fn run(&self, _: &Cx<bool>, start: Instant) -> Instant {
        start
    }

    fn min_duration(&self) -> Duration {
        self.claims
    }
}

#[test]
#[should_panic(expected = "forever: a pass of the body started at 0.000000 and ended at \
                           0.000000, earlier than its min_duration (1s) promised")]
fn a_body_that_breaks_its_min_duration_panics_instead_of_spinning() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let _ = driver.run_for(&forever(Liar { claims: secs(1) }), secs(5));
}

#[test]
#[should_panic(expected = "repeat: a pass of the body started at 0.000000")]
fn a_repeated_body_that_breaks_its_min_duration_panics() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let _ = driver.run_for(&repeat(u64::MAX, Liar { claims: ms(1) }), secs(1));
}

#[test]
fn short_blink_periods_are_refused() {
    let err = refuse(&blink(0, ns(1)).off_for(Duration::ZERO), 1);
    assert_eq!(err.kind(), &Kind::PeriodTooShort { on: ns(1), off: Duration::ZERO });
    assert_eq!(
        err.to_string(),
        "blink: a period of 1ns (on 1ns + off 0ns) is shorter than MIN_STEP (100µs): no LED \
         shows it, and catching up after a stall would cost work per missed step; use at \
         least 100µs"
    );
    for program in [
        blink(0, Duration::ZERO),
        blink(0, Duration::ZERO).times(u64::MAX),
        blink(0, Duration::ZERO).times(2),
        blink(0, us(49)).off_for(us(50)),
    ] {
        let err = refuse(&program, 1);
        assert!(matches!(err.kind(), Kind::PeriodTooShort { .. }), "{err}");
    }
    // Inside a loop, the blink itself is named.
    assert_eq!(refuse(&forever(blink(0, ms(0)).times(3)), 1).path(), "forever > blink");
    // A period of exactly MIN_STEP blinks.
    accept(&blink(0, us(50)), 1);
    accept(&blink(0, Duration::ZERO).off_for(MIN_STEP), 1);
    // A single round (or none) does not repeat: as short as you like.
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&blink(0, ns(1)).times(1)).unwrap(), Instant::from_nanos(2));
    assert_eq!(driver.run(&blink(0, Duration::ZERO).times(0)).unwrap(), Instant::from_nanos(2));
}

#[test]
fn short_walk_and_cycle_steps_are_refused() {
    let err = refuse(&walk(0..2, Duration::ZERO), 2);
    assert_eq!(err.kind(), &Kind::StepTooShort { step: Duration::ZERO });
    assert_eq!(
        err.to_string(),
        "walk: a step of 0ns is shorter than MIN_STEP (100µs): no LED shows it, and catching up \
         after a stall would cost work per missed step; use at least 100µs"
    );
    assert_eq!(refuse(&repeat(u64::MAX, walk(0..2, Duration::ZERO)), 2).path(), "repeat > walk");
    let err = refuse(&cycle(0, ms(0)), 1);
    assert_eq!(err.kind(), &Kind::StepTooShort { step: Duration::ZERO });
    assert_eq!(err.path(), "cycle");
    assert!(matches!(refuse(&cycle(0..3, us(99)), 3).kind(), Kind::StepTooShort { .. }));
    accept(&cycle(0..3, MIN_STEP), 3);
    // A walk over one LED is a single flash.
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&walk(0, Duration::ZERO)).unwrap(), Instant::ZERO);
}

#[test]
fn durations_past_the_end_of_the_timeline_are_refused() {
    // What was seen: `forever(blink(0, Duration::MAX).times(1))` panicked, "a pass of the
    // body started and ended at 18446744073.709551".
    let err = refuse(&forever(blink(0, Duration::MAX).times(1)), 1);
    assert_eq!(err.path(), "forever > blink");
    assert_eq!(err.kind(), &Kind::TooLong { what: "the on time", value: Duration::MAX });
    assert_eq!(
        err.to_string(),
        "forever > blink: the on time of 18446744073709551615.999999999s is longer than \
         LONGEST (3155760000s, 100 years), so the program would run past the end of the \
         timeline (about 584 years); use a shorter one, or `on`/`forever` to hold until \
         cancelled"
    );
    let too_long = LONGEST + ns(1);
    for (program, path, what) in [
        (blink(0, ms(1)).off_for(too_long).boxed(), "blink", "the off time"),
        (wait(too_long).boxed(), "wait", "the wait"),
        (walk(0, too_long).boxed(), "walk", "the interval"),
        (cycle(0, too_long).boxed(), "cycle", "the interval"),
        (on(0).timeout(too_long).boxed(), "timeout", "the limit"),
        (
            from_fn(async |_: &Cx<bool>, start: Instant| start).at_least(too_long).boxed(),
            "from_fn",
            "the declared length (`at_least`)",
        ),
    ] {
        let err = refuse(&program, 1);
        assert_eq!(err.path(), path);
        assert_eq!(err.kind(), &Kind::TooLong { what, value: too_long });
    }
    accept(&wait(LONGEST), 1);
    accept(&blink(0, LONGEST).times(1), 1);
}

#[test]
fn empty_cycle() {
    let err = refuse(&cycle(Leds::none(), ms(100)), 4);
    assert_eq!(err.kind(), &Kind::NoLeds);
}

#[test]
fn error_paths_build_in_linear_time() {
    // Each enclosing part is a push; the path is joined once, on display. (Prepending
    // to a string made a 30 000-part path cost 2.2 s.)
    let mut err = ValidationError::new("blink", Kind::EmptyAny);
    for i in 0..100_000 {
        err = err.within("sequence", i % 10);
    }
    let err = err.inside("forever");
    let path = err.path();
    assert!(path.starts_with("forever > sequence[9] > sequence[8] > "));
    assert!(path.ends_with("sequence[1] > sequence[0] > blink"));
    assert_eq!(path.matches(" > ").count(), 100_001);
    assert_eq!(err.to_string(), format!("{path}: {}", Kind::EmptyAny));
}

#[test]
fn validation_errors_are_std_errors() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let err = refuse(&on(3), 1);
    is_error(&err);
    let run_err: RunError<std::convert::Infallible> = RunError::Invalid(err);
    is_error(&run_err);
    assert!(run_err.to_string().starts_with("animation refused: on: LED index 3"));
}
