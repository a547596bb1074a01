use core::pin::pin;
use core::time::Duration;

use crate::error::part_name;
use crate::time::MIN_STEP;
use crate::{Animation, Cx, Instant, Pixel, ValidationError, ValidationErrorKind};

/// Runs an animation again and again. Built by [`forever`] or [`Animation::forever`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Forever<A>(A);

/// Runs `body` again and again, a fresh run each pass; never ends by itself.
///
/// # Timing
///
/// Each pass starts at the previous pass's logical end: after an hour of
/// `forever(blink(x, d).times(1))` the N-th toggle is due exactly at `start + N·d`.
///
/// After a stall, every missed pass runs (all at the instant of the late wake-up), so
/// the work grows with the stall divided by the length of a pass: at least
/// [`MIN_STEP`]. Leaves that repeat by themselves ([`blink`](crate::blink) without
/// `times`, [`cycle`](crate::cycle)) jump to the step due now instead; prefer them for
/// fast periodic programs.
///
/// # Errors
///
/// Validation refuses a body that may take less than [`MIN_STEP`] per pass
/// ([`ValidationErrorKind::LoopMaySpin`], the path naming the body): its
/// [`min_duration`](Animation::min_duration) is a lower bound, and a body that may take
/// no time would spin at one instant forever. A [`from_fn`](crate::from_fn) body has no
/// known lower bound: declare one with [`FromFn::at_least`](crate::FromFn::at_least).
///
/// # Panics
///
/// If a pass ends earlier than the body's [`min_duration`](Animation::min_duration)
/// promised (a hand-written leaf that breaks the contract of
/// [`Animation::min_duration`]), rather than spinning.
///
/// # Examples
///
/// The talk's my-blink: everything on for 0.5 s, off for 0.2 s, forever.
///
/// ```
/// use blinken::prelude::*;
///
/// let program = forever(any((on(0..2), wait(ms(500)))).then(wait(ms(200))));
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// driver.run_for(&program, ms(1400)).unwrap();
/// driver.output().assert_timeline("
///     0.000000 ##
///     0.500000 ..
///     0.700000 ##
///     1.200000 ..
///     1.400000 ##
/// ");
///
/// let spin = forever(off(0));
/// let err = Animation::<bool>::validate(&spin, 2).unwrap_err();
/// assert_eq!(err.path(), "forever > off");
/// assert_eq!(
///     err.to_string(),
///     "forever > off: a pass may take no time (min_duration 0ns), so the loop could spin \
///      at one instant; give the body a wait of at least 100µs, or declare its length with \
///      `from_fn(..).at_least(d)`, or implement `Animation::min_duration`"
/// );
/// ```
pub fn forever<A>(body: A) -> Forever<A> {
    Forever(body)
}

impl<A> Forever<A> {
    pub(crate) fn new(body: A) -> Forever<A> {
        Forever(body)
    }
}

/// Validates a loop body and refuses one that may take less than [`MIN_STEP`] a pass.
pub(crate) fn validate_body<P: Pixel, A: Animation<P>>(
    body: &A,
    len: usize,
    name: &str,
) -> Result<(), ValidationError> {
    let _nested = crate::error::nest(name)?;
    body.validate(len).map_err(|e| e.inside(name))?;
    // Only now, with the body's depth known to be bounded, walk it for its length.
    let min = body.min_duration();
    if min < MIN_STEP {
        let kind = ValidationErrorKind::LoopMaySpin { min };
        return Err(match part_name::<A>() {
            Some(part) => ValidationError::new(&part, kind).inside(name),
            None => ValidationError::new(name, kind),
        });
    }
    Ok(())
}

/// Panics if a pass of a loop ended earlier than the body's `min_duration` promised:
/// validation relied on that bound to rule out a spin.
pub(crate) fn check_pass(name: &str, t: Instant, end: Instant, min: Duration) {
    assert!(
        end > t && end >= t + min,
        "{name}: a pass of the body started at {t} and ended at {end}, earlier than its \
         min_duration ({min:?}) promised, so the loop could spin without time passing; \
         the body breaks the contract of `Animation::min_duration`: fix that bound"
    );
}

impl<P: Pixel, A: Animation<P>> Animation<P> for Forever<A> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        // The loop is written out here (and in `repeat`) rather than shared as an async
        // fn: one future less per level keeps deeply nested programs' stack small in
        // debug builds.
        let min = self.0.min_duration();
        let mut t = start;
        loop {
            let end = pin!(self.0.run(cx, t)).await;
            check_pass("forever", t, end, min);
            t = end;
        }
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        validate_body(&self.0, len, "forever")
    }

    /// `Duration::MAX`: never ends by itself.
    fn min_duration(&self) -> Duration {
        Duration::MAX
    }

    /// `None`: never ends by itself.
    fn max_duration(&self) -> Option<Duration> {
        None
    }
}
