use core::marker::PhantomData;
use core::time::Duration;

use crate::input::Input;
use crate::{Animation, Cx, Instant, Pixel};

/// Counts presses of an input. Built by [`presses`].
#[derive(Debug, Clone)]
#[must_use = "animations do nothing unless played"]
pub struct Presses<P = bool> {
    input: Input,
    count: u64,
    pixel: PhantomData<fn() -> P>,
}

/// Waits for `count` presses of `input` and ends at the instant of the last one;
/// `presses(&b, 0)` ends at once.
///
/// Presses are counted as [`press`](crate::press) sees them: at least
/// [`MIN_STEP`](crate::MIN_STEP) after the start, each at least `MIN_STEP` after the
/// previous one.
///
/// # Timing
///
/// The logical end is the instant of the `count`-th press; see [`press`](crate::press).
///
/// # Cancellation
///
/// Dropping the run stops counting; it writes no LEDs.
///
/// # Examples
///
/// Blink until the button was pressed three times.
///
/// ```
/// use blinken::input::{EdgeKind::*, Input};
/// use blinken::prelude::*;
///
/// let at = |t| Instant::ZERO + ms(t);
/// let button = Input::scripted(
///     [50, 120, 250].into_iter().flat_map(|t| [(at(t), Press), (at(t + 20), Release)]),
/// );
/// let program = any((blink(0, ms(100)), presses(&button, 3)));
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), at(250));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.100000 .
///     0.200000 #
///     0.250000 .
/// ");
/// ```
pub fn presses<P: Pixel>(input: &Input, count: u64) -> Presses<P> {
    Presses { input: input.clone(), count, pixel: PhantomData }
}

impl<P> Presses<P> {
    /// The input counted.
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// How many presses end the run.
    pub fn count(&self) -> u64 {
        self.count
    }
}

impl<P: Pixel> Animation<P> for Presses<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let mut last = start;
        for _ in 0..self.count {
            // Each press is waited for at its own instant, so that on a virtual clock
            // the count moves exactly when the presses happen.
            last = self.input.next_press(last).await.at;
            cx.sleep_until(last).await;
        }
        last
    }

    /// `count` × [`MIN_STEP`](crate::MIN_STEP): presses closer than that do not count.
    fn min_duration(&self) -> Duration {
        crate::time::mul(crate::MIN_STEP, self.count)
    }

    /// Zero for no presses; otherwise unknown: a press may never come.
    fn max_duration(&self) -> Option<Duration> {
        (self.count == 0).then_some(Duration::ZERO)
    }
}
