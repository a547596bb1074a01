//! Errors found by validating an animation against an output, before it plays.

use core::cell::Cell;
use core::fmt;
use core::time::Duration;

use crate::time::{LONGEST, MIN_STEP};

/// How many combinators a program may nest: 128.
///
/// Every level of nesting costs stack when the program is validated, polled and
/// dropped (about 1.2 kB per level in a debug build, less in release). A program
/// nested deeper than this is refused by validation with
/// [`ValidationErrorKind::TooDeep`] before anything runs, instead of overflowing the
/// player thread's stack half-way. Programs of exactly `MAX_DEPTH` nested combinators
/// validate, play and drop on a 2 MiB thread stack in a debug build (tested).
///
/// 128 is far more than a hand-written program needs and the limit `serde_json` puts
/// on nested input; a long list is not deep: `sequence(vec![..])` (or `all`/`any` of a
/// `Vec`) holds thousands of children at one level. Only the crate's combinators count;
/// `Box`, `&` and a hand-written leaf do not.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::MAX_DEPTH;
///
/// let mut program = wait(ms(1)).boxed();
/// for _ in 0..MAX_DEPTH {
///     program = program.then(wait(ms(1))).boxed();
/// }
/// assert!(Animation::<bool>::validate(&program, 1).is_ok());
/// let program = program.then(wait(ms(1)));
/// let err = Animation::<bool>::validate(&program, 1).unwrap_err();
/// assert_eq!(err.kind(), &ValidationErrorKind::TooDeep { limit: MAX_DEPTH });
/// ```
pub const MAX_DEPTH: usize = 128;

/// An animation cannot play on an output; says which part and why.
///
/// Every animation is checked with [`Animation::validate`](crate::Animation::validate)
/// against the output's length before its first instant, so a bad program is refused
/// whole instead of failing half-way. The message names the offending part by its
/// position in the program (`sequence[1] > blink`) and says what to do.
///
/// Hand-written leaves build one with [`ValidationError::new`]; hand-written
/// combinators add their position with [`ValidationError::within`] or
/// [`ValidationError::inside`] as the error travels out.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let program = sequence((wait(ms(100)), blink(25, ms(100))));
/// let err = Animation::<bool>::validate(&program, 25).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "sequence[1] > blink: LED index 25 is outside the output (25 LEDs); use 0..=24"
/// );
/// assert!(matches!(err.kind(), ValidationErrorKind::LedOutOfRange { index: 25, len: 25 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The parts from the offending one outwards; joined outermost-first on display.
    /// Adding an enclosing part is a push, so a path of `n` parts costs O(n) to build.
    path: Vec<Segment>,
    kind: ValidationErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    part: Box<str>,
    index: Option<usize>,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(index) => write!(f, "{}[{index}]", self.part),
            None => f.write_str(&self.part),
        }
    }
}

/// What is wrong, without where; see [`ValidationError::kind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// An LED index is not below the output's length.
    #[error("LED index {index} is outside the output ({len} LEDs); {hint}", hint = range_hint(*.len))]
    LedOutOfRange {
        /// The offending index.
        index: usize,
        /// How many LEDs the output has.
        len: usize,
    },
    /// `any` of no animations: nothing could ever win.
    #[error("`any` of no animations would never end; give it at least one")]
    EmptyAny,
    /// A loop ([`forever`](crate::forever), [`repeat`](crate::repeat) of two passes or
    /// more) whose body may take less than [`MIN_STEP`] per pass
    /// ([`Animation::min_duration`](crate::Animation::min_duration)): it could spin at
    /// one instant, or catch up a stall one tiny pass at a time. The path names the
    /// body.
    #[error("{}", loop_message(*.min))]
    LoopMaySpin {
        /// The body's lower bound on the length of a pass.
        min: Duration,
    },
    /// A walk or cycle over no LEDs.
    #[error("no LEDs to walk over; give it at least one LED")]
    NoLeds,
    /// A blink that repeats with a period (on + off) shorter than [`MIN_STEP`].
    #[error(
        "a period of {period:?} (on {on:?} + off {off:?}) is shorter than MIN_STEP \
         ({MIN_STEP:?}): no LED shows it, and catching up after a stall would cost work \
         per missed step; use at least {MIN_STEP:?}",
        period = on.saturating_add(*off)
    )]
    PeriodTooShort {
        /// The on time.
        on: Duration,
        /// The off time.
        off: Duration,
    },
    /// A walk of several LEDs, or a cycle, with a step shorter than [`MIN_STEP`].
    #[error(
        "a step of {step:?} is shorter than MIN_STEP ({MIN_STEP:?}): no LED shows it, and \
         catching up after a stall would cost work per missed step; use at least {MIN_STEP:?}"
    )]
    StepTooShort {
        /// The step (the walk's or cycle's interval).
        step: Duration,
    },
    /// One duration of a leaf is longer than [`LONGEST`]: the program would run past the
    /// end of the timeline.
    #[error(
        "{what} of {value:?} is longer than LONGEST ({LONGEST:?}, 100 years), so the program \
         would run past the end of the timeline (about 584 years); use a shorter one, or \
         `on`/`forever` to hold until cancelled"
    )]
    TooLong {
        /// Which duration: `"the wait"`, `"the on time"`, `"the limit"`, ...
        what: &'static str,
        /// The offending duration.
        value: Duration,
    },
    /// A parameter of an effect that makes no sense (a tail longer than the strip, no
    /// colours to cycle through, ...).
    #[error("{name} = {value} is not allowed; {hint}")]
    InvalidParameter {
        /// The parameter, as its builder method is named: `"tail_length"`.
        name: &'static str,
        /// The offending value, printed.
        value: String,
        /// What to give instead.
        hint: String,
    },
    /// The program nests more combinators than [`MAX_DEPTH`].
    #[error(
        "the program nests more than {limit} combinators (MAX_DEPTH), which could overflow \
         the stack; flatten it: `sequence`, `all` and `any` of a Vec hold any number of \
         children at one level"
    )]
    TooDeep {
        /// The limit, [`MAX_DEPTH`].
        limit: usize,
    },
    /// Keyframes without a single frame.
    #[error("no frames to play; give the keyframes at least one frame")]
    NoFrames,
    /// A keyframe shown for less than [`MIN_STEP`].
    #[error(
        "frame {frame} lasts {duration:?}, less than MIN_STEP ({MIN_STEP:?}): no LED shows \
         it; give every frame at least {MIN_STEP:?}"
    )]
    FrameTooShort {
        /// The frame's position, from 0.
        frame: usize,
        /// How long it lasts.
        duration: Duration,
    },
    /// A keyframe with more pixels than LEDs to show them on.
    #[error(
        "frame {frame} has {pixels} pixels but only {leds} LEDs show them; \
         shorten the frame or play it on more LEDs"
    )]
    FrameTooLong {
        /// The frame's position, from 0.
        frame: usize,
        /// How many pixels the frame has.
        pixels: usize,
        /// How many LEDs the keyframes drive (the output's length unless placed with
        /// [`Keyframes::leds`](crate::leaf::Keyframes::leds)).
        leds: usize,
    },
}

fn range_hint(len: usize) -> String {
    match len {
        0 => "this output has no LEDs".to_owned(),
        n => format!("use 0..={}", n - 1),
    }
}

fn loop_message(min: Duration) -> String {
    let what = if min.is_zero() {
        "a pass may take no time (min_duration 0ns), so the loop could spin at one instant"
            .to_owned()
    } else {
        format!(
            "a pass may take as little as {min:?} (its min_duration), less than MIN_STEP \
             ({MIN_STEP:?}), so the loop could spin faster than any LED shows it"
        )
    };
    format!(
        "{what}; give the body a wait of at least {MIN_STEP:?}, or declare its length with \
         `from_fn(..).at_least(d)`, or implement `Animation::min_duration`"
    )
}

impl ValidationError {
    /// An error of `kind` in the part named `part` (a leaf's or combinator's name).
    pub fn new(part: &str, kind: ValidationErrorKind) -> ValidationError {
        ValidationError { path: vec![Segment { part: part.into(), index: None }], kind }
    }

    /// Adds the enclosing combinator and the child's position to the path:
    /// `blink` inside the second child of a `sequence` becomes `sequence[1] > blink`.
    #[must_use]
    pub fn within(mut self, combinator: &str, index: usize) -> ValidationError {
        self.path.push(Segment { part: combinator.into(), index: Some(index) });
        self
    }

    /// Adds the enclosing single-child combinator to the path: `forever > blink`.
    #[must_use]
    pub fn inside(mut self, combinator: &str) -> ValidationError {
        self.path.push(Segment { part: combinator.into(), index: None });
        self
    }

    /// Where in the program: `sequence[1] > blink`.
    pub fn path(&self) -> String {
        let mut path = String::new();
        self.write_path(&mut path).expect("writing to a String succeeds");
        path
    }

    /// What is wrong.
    pub fn kind(&self) -> &ValidationErrorKind {
        &self.kind
    }

    fn write_path(&self, f: &mut impl fmt::Write) -> fmt::Result {
        for (n, segment) in self.path.iter().rev().enumerate() {
            if n > 0 {
                f.write_str(" > ")?;
            }
            write!(f, "{segment}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_path(f)?;
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for ValidationError {}

thread_local! {
    /// How many of the crate's combinators the validation under way on this thread is
    /// inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// One level of nesting of a validation walk; leaving it (drop, also by unwinding)
/// gives the level back.
#[derive(Debug)]
pub(crate) struct Nested(());

/// Enters one more level of combinators in a validation walk: a combinator's
/// `validate` calls this first, so no walk recurses past [`MAX_DEPTH`].
pub(crate) fn nest(part: &str) -> Result<Nested, ValidationError> {
    DEPTH.with(|depth| {
        if depth.get() >= MAX_DEPTH {
            return Err(ValidationError::new(
                part,
                ValidationErrorKind::TooDeep { limit: MAX_DEPTH },
            ));
        }
        depth.set(depth.get() + 1);
        Ok(Nested(()))
    })
}

impl Drop for Nested {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get() - 1));
    }
}

/// Refuses a duration of a leaf longer than [`LONGEST`].
pub(crate) fn at_most_longest(
    part: &str,
    what: &'static str,
    value: Duration,
) -> Result<(), ValidationError> {
    match value > LONGEST {
        true => Err(ValidationError::new(part, ValidationErrorKind::TooLong { what, value })),
        false => Ok(()),
    }
}

/// A short name for an animation type, for error paths: the type's own name in
/// snake case (`FromFn<..>` → `from_fn`, `Sequence<..>` → `sequence`), which is the
/// name of its constructor for the crate's types. `None` for a box, whose name says
/// nothing. Only for messages: `type_name` is not guaranteed to be stable.
pub(crate) fn part_name<A: ?Sized>() -> Option<String> {
    let full = core::any::type_name::<A>().trim_start_matches('&');
    let base = full.split('<').next().unwrap_or(full);
    let name = base.rsplit("::").next().unwrap_or(base);
    if matches!(name, "Box" | "Arc" | "Rc") {
        return None;
    }
    let mut snake = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                snake.push('_');
            }
            snake.extend(c.to_lowercase());
        } else {
            snake.push(c);
        }
    }
    (!snake.is_empty()).then_some(snake)
}
