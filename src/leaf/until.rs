use core::time::Duration;

use super::press::{Press, press};
use crate::combinator::Any;
use crate::input::Input;
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Plays an animation until an input is pressed. Built by [`until`] or
/// [`Animation::until`].
#[derive(Debug, Clone)]
#[must_use = "animations do nothing unless played"]
pub struct Until<A, P = bool> {
    animation: A,
    press: Press<P>,
}

/// Plays `animation` until the next press of `input`, then cancels it (its LEDs go
/// off); ends with the animation if it ends first.
///
/// `until(&b, a)` is [`any`](crate::any)`((a, press(&b)))`: the same race, with
/// errors that name `until`. Presses count as for [`press`](crate::press): at least
/// [`MIN_STEP`](crate::MIN_STEP) after the start, so `until(&b, a).then(until(&b, c))` switches from `a` to `c` at
/// one press and ends at the next.
///
/// # Timing
///
/// The animation is cancelled at the press's instant (the kernel's timestamp for a
/// GPIO input, exact on a virtual clock); if it ends at that same instant, it wins
/// the tie, as the first child of an `any` does.
///
/// # Cancellation
///
/// Dropping the run cancels the animation; its leaves switch their LEDs off.
///
/// # Errors
///
/// Validation refuses what the animation refuses, with `until` in the path.
///
/// # Examples
///
/// ```
/// use blinken::input::{EdgeKind::*, Input};
/// use blinken::prelude::*;
///
/// let button = Input::scripted([(Instant::ZERO + ms(250), Press)]);
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// let end = driver.run(&until(&button, blink(0, ms(100)))).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(250));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.100000 .
///     0.200000 #
///     0.250000 .
/// ");
/// ```
pub fn until<P: Pixel, A: Animation<P>>(input: &Input, animation: A) -> Until<A, P> {
    Until { animation, press: press(input) }
}

impl<A, P> Until<A, P> {
    /// The animation played until the press.
    pub fn animation(&self) -> &A {
        &self.animation
    }

    /// The input waited for.
    pub fn input(&self) -> &Input {
        self.press.input()
    }
}

impl<P: Pixel, A: Animation<P>> Animation<P> for Until<A, P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let race = Any::new((&self.animation, &self.press));
        race.run(cx, start).await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        let _nested = crate::error::nest("until")?;
        self.animation.validate(len).map_err(|e| e.inside("until"))
    }

    /// The shorter of the animation's and a press's ([`MIN_STEP`](crate::MIN_STEP)).
    fn min_duration(&self) -> Duration {
        self.animation.min_duration().min(crate::MIN_STEP)
    }

    /// The animation's: it ends at the latest when the animation does.
    fn max_duration(&self) -> Option<Duration> {
        self.animation.max_duration()
    }
}
