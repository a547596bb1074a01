//! Deep programs: refused past `MAX_DEPTH` before anything runs; at the limit they
//! validate, play and drop on a 2 MiB thread stack (the player's), in a debug build.
#![recursion_limit = "1024"]

use blinken::prelude::*;
use blinken::{MAX_DEPTH, RunError, ValidationErrorKind};

/// Runs `f` on a thread with a 2 MiB stack, like the player's.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .expect("no panic, no overflow");
}

/// One more level of a boxed program, by kind.
fn wrap(kind: &str, inner: BoxAnimation<bool>) -> BoxAnimation<bool> {
    match kind {
        "sequence" => sequence((inner, wait(ms(1)))).boxed(),
        "sequence vec" => sequence(vec![inner]).boxed(),
        "all" => all((inner, wait(ms(1)))).boxed(),
        "all vec" => all(vec![inner]).boxed(),
        "any" => any((inner, wait(secs(1000)))).boxed(),
        "any vec" => any(vec![inner]).boxed(),
        "timeout" => inner.timeout(secs(1000)).boxed(),
        "repeat" => inner.repeat(2).boxed(),
        "forever" => forever(inner).boxed(),
        _ => unreachable!(),
    }
}

const KINDS: [&str; 9] = [
    "sequence",
    "sequence vec",
    "all",
    "all vec",
    "any",
    "any vec",
    "timeout",
    "repeat",
    "forever",
];

fn boxed(kind: &str, depth: usize) -> BoxAnimation<bool> {
    (0..depth).fold(blink(0, ms(1)).times(1).boxed(), |inner, _| wrap(kind, inner))
}

#[test]
fn boxed_programs_of_max_depth_validate_play_and_drop_on_a_small_stack() {
    for kind in KINDS {
        on_small_stack(move || {
            let program = boxed(kind, MAX_DEPTH);
            assert!(program.validate(1).is_ok(), "{kind}");
            let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
            driver.run_for(&program, ms(10)).unwrap();
            drop(program);
        });
    }
}

#[test]
fn boxed_programs_one_deeper_are_refused() {
    for kind in KINDS {
        let program = boxed(kind, MAX_DEPTH + 1);
        let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
        let Err(RunError::Invalid(err)) = driver.run(&program) else {
            panic!("{kind}: expected a validation error");
        };
        assert_eq!(err.kind(), &ValidationErrorKind::TooDeep { limit: MAX_DEPTH }, "{kind}");
        assert!(driver.output().steps().is_empty());
        // The path names every level, outermost first.
        assert_eq!(err.path().matches(" > ").count(), MAX_DEPTH, "{kind}");
    }
    let err = Animation::<bool>::validate(&boxed("sequence", MAX_DEPTH + 1), 1).unwrap_err();
    assert!(err.to_string().starts_with("sequence[0] > sequence[0] > "), "{err}");
    assert!(
        err.to_string().ends_with(
            "sequence: the program nests more than 128 combinators (MAX_DEPTH), which could \
             overflow the stack; flatten it: `sequence`, `all` and `any` of a Vec hold any \
             number of children at one level"
        ),
        "{err}"
    );
}

#[test]
fn validating_a_very_deep_program_stops_at_the_limit() {
    // What was seen: `validate` overflowed the main stack at 50 000 levels. It now stops
    // at MAX_DEPTH, on a small stack too. (Dropping the program is the caller's
    // recursion; give that a big stack.)
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let program = boxed("sequence", 50_000);
            let (program, validated) = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || {
                    let validated = program.validate(1);
                    (program, validated)
                })
                .unwrap()
                .join()
                .unwrap();
            drop(program);
            let err = validated.unwrap_err();
            assert_eq!(err.kind(), &ValidationErrorKind::TooDeep { limit: MAX_DEPTH });
        })
        .unwrap()
        .join()
        .unwrap();
}

// Statically nested programs: `MAX_DEPTH` (128) levels written out by doubling macros,
// each level a different combinator in turn, so every kind of future is nested.
macro_rules! level {
    ($e:expr) => {
        ($e).then(wait(ms(1))).and(wait(ms(1))).or(wait(secs(1000))).timeout(secs(1000))
    };
}
macro_rules! x2 {
    ($e:expr) => {
        level!(level!($e))
    };
}
macro_rules! x4 {
    ($e:expr) => {
        x2!(x2!($e))
    };
}
macro_rules! x8 {
    ($e:expr) => {
        x4!(x4!($e))
    };
}
macro_rules! x16 {
    ($e:expr) => {
        x8!(x8!($e))
    };
}
macro_rules! x32 {
    ($e:expr) => {
        x16!(x16!($e))
    };
}

fn static_program() -> impl Animation<bool> + Send + 'static {
    // 32 levels of four combinators each: 128 nested combinators.
    x32!(blink(0, ms(1)).times(1))
}

#[test]
fn a_static_program_of_max_depth_validates_plays_and_drops_on_a_small_stack() {
    assert_eq!(MAX_DEPTH, 128, "the macros above write out 128 levels");
    on_small_stack(|| {
        let program = static_program();
        assert!(program.validate(1).is_ok());
        let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
        let end = driver.run(&program).unwrap();
        assert_eq!(end, Instant::ZERO + ms(2 + 32));
        driver.run_for(&program, ms(5)).unwrap(); // dropped while running
        drop(program);
    });
    let deeper = static_program().then(wait(ms(1)));
    let err = Animation::<bool>::validate(&deeper, 1).unwrap_err();
    assert_eq!(err.kind(), &ValidationErrorKind::TooDeep { limit: MAX_DEPTH });
}
