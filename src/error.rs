//! Errors found by validating an animation against an output, before it plays.

use core::fmt;
use core::time::Duration;

/// An animation cannot play on an output; says which part and why.
///
/// Every animation is checked with [`Animation::validate`](crate::Animation::validate)
/// against the output's length before its first instant, so a bad program is refused
/// whole instead of failing half-way. The message names the offending part by its
/// position in the program (`sequence[1] > blink`) and says what to do.
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
    path: String,
    kind: ValidationErrorKind,
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
    /// A loop whose body takes no time would spin at one instant forever.
    #[error(
        "the loop body takes no time, so the loop would spin without time passing; \
         give the body a non-zero duration"
    )]
    ZeroLengthLoop,
    /// A walk or cycle over no LEDs.
    #[error("no LEDs to walk over; give it at least one LED")]
    NoLeds,
    /// An interval of zero where the animation would repeat forever without time passing.
    #[error(
        "on {on:?} + off {off:?} is zero, so blinking forever would spin without time passing; \
         use a non-zero interval or a finite number of times"
    )]
    ZeroInterval {
        /// The on time.
        on: Duration,
        /// The off time.
        off: Duration,
    },
    /// Keyframes without a single frame.
    #[error("no frames to play; give the keyframes at least one frame")]
    NoFrames,
    /// A keyframe that would be shown for no time at all.
    #[error("frame {frame} lasts zero time; give every frame a duration of at least 1 ns")]
    ZeroFrameDuration {
        /// The frame's position, from 0.
        frame: usize,
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

impl ValidationError {
    /// An error of `kind` in the part named `part` (a leaf's or combinator's name).
    pub fn new(part: &str, kind: ValidationErrorKind) -> ValidationError {
        ValidationError { path: part.to_owned(), kind }
    }

    /// Adds the enclosing combinator and the child's position to the path:
    /// `blink` inside the second child of a `sequence` becomes `sequence[1] > blink`.
    #[must_use]
    pub fn within(mut self, combinator: &str, index: usize) -> ValidationError {
        self.path = format!("{combinator}[{index}] > {}", self.path);
        self
    }

    /// Adds the enclosing single-child combinator to the path: `forever > blink`.
    #[must_use]
    pub fn inside(mut self, combinator: &str) -> ValidationError {
        self.path = format!("{combinator} > {}", self.path);
        self
    }

    /// Where in the program: `sequence[1] > blink`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn kind(&self) -> &ValidationErrorKind {
        &self.kind
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl std::error::Error for ValidationError {}
