//! Programs are refused whole, before anything plays, with errors that name the part.

use blinken::prelude::*;
use blinken::{RunError, ValidationErrorKind as Kind};

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
fn zero_length_loops() {
    for (program, path) in [
        (forever(off(0)).boxed(), "forever"),
        (forever(wait(ms(0)).then(fill(0, true))).boxed(), "forever"),
        (forever(blink(0, ms(0)).times(3)).boxed(), "forever"),
        (forever(any((on(0), wait(ms(0))))).boxed(), "forever"),
        (forever(repeat(0, wait(secs(1)))).boxed(), "forever"),
        (cycle(0, ms(0)).boxed(), "cycle"),
    ] {
        let err = refuse(&program, 1);
        assert_eq!(err.kind(), &Kind::ZeroLengthLoop, "{path}");
        assert_eq!(err.path(), path);
        assert!(err.to_string().ends_with("give the body a non-zero duration"), "{err}");
    }
}

#[test]
fn loops_of_unknown_or_infinite_length_are_accepted() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert!(driver.run_for(&forever(on(0)), secs(1)).is_ok());
    assert!(driver.run_for(&forever(blink(0, ms(1))), secs(1)).is_ok());
}

#[test]
#[should_panic(expected = "forever: a pass of the body started and ended at 0.000000")]
fn zero_length_pass_that_validation_cannot_see_panics_instead_of_spinning() {
    let sneaky = from_fn(async |_: &Cx<bool>, start: Instant| start);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let _ = driver.run_for(&forever(sneaky), secs(1));
}

#[test]
fn zero_interval_forever_blink() {
    let err = refuse(&blink(0, Duration::ZERO), 1);
    assert_eq!(err.kind(), &Kind::ZeroInterval { on: Duration::ZERO, off: Duration::ZERO });
    assert_eq!(
        err.to_string(),
        "blink: on 0ns + off 0ns is zero, so blinking forever would spin without time passing; \
         use a non-zero interval or a finite number of times"
    );
    // A finite zero-interval blink ends at once and is fine.
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&blink(0, Duration::ZERO).times(3)).unwrap(), Instant::ZERO);
}

#[test]
fn empty_cycle() {
    let err = refuse(&cycle(Leds::none(), ms(100)), 4);
    assert_eq!(err.kind(), &Kind::NoLeds);
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
