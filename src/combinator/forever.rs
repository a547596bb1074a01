use core::time::Duration;

use crate::{Animation, Cx, Instant, Pixel, ValidationError, ValidationErrorKind};

/// Runs an animation again and again. Built by [`forever`] or [`Animation::forever`].
#[derive(Debug, Clone, PartialEq)]
pub struct Forever<A>(A);

/// Runs `body` again and again, a fresh run each pass; never ends by itself.
///
/// # Timing
///
/// Each pass starts at the previous pass's logical end: after an hour of
/// `forever(blink(x, d).times(1))` the N-th toggle is due exactly at `start + N·d`.
///
/// # Errors
///
/// Validation refuses a body that takes no time
/// ([`ValidationErrorKind::ZeroLengthLoop`]): it would spin at one instant forever.
///
/// # Panics
///
/// If a pass ends at the instant it started although validation could not tell (a
/// [`from_fn`](crate::from_fn) body, whose length is unknown), rather than spinning.
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
/// assert_eq!(err.path(), "forever");
/// ```
pub fn forever<A>(body: A) -> Forever<A> {
    Forever(body)
}

impl<A> Forever<A> {
    pub(crate) fn new(body: A) -> Forever<A> {
        Forever(body)
    }
}

/// Refuses a loop body that certainly takes no time.
pub(crate) fn validate_body<P: Pixel, A: Animation<P>>(
    body: &A,
    len: usize,
    name: &str,
) -> Result<(), ValidationError> {
    body.validate(len).map_err(|e| e.inside(name))?;
    if body.max_duration() == Some(Duration::ZERO) {
        return Err(ValidationError::new(name, ValidationErrorKind::ZeroLengthLoop));
    }
    Ok(())
}

/// Runs `body` from `start` until `passes` passes have run (`None`: forever).
pub(crate) async fn run_passes<P: Pixel, A: Animation<P>>(
    body: &A,
    cx: &Cx<P>,
    start: Instant,
    passes: Option<u64>,
    name: &str,
) -> Instant {
    let mut t = start;
    let mut done = 0;
    while passes.is_none_or(|n| done < n) {
        let end = body.run(cx, t).await;
        assert!(
            passes.is_some() || end > t,
            "{name}: a pass of the body started and ended at {t}, so the loop would spin \
             without time passing; give the body a non-zero duration"
        );
        t = end;
        done += 1;
    }
    t
}

impl<P: Pixel, A: Animation<P>> Animation<P> for Forever<A> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        run_passes(&self.0, cx, start, None, "forever").await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        validate_body(&self.0, len, "forever")
    }

    fn max_duration(&self) -> Option<Duration> {
        None
    }
}
