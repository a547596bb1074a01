use core::marker::PhantomData;
use core::time::Duration;

use crate::input::Input;
use crate::{Animation, Cx, Instant, Pixel};

/// Waits for the next press of an input. Built by [`press`].
#[derive(Debug, Clone)]
#[must_use = "animations do nothing unless played"]
pub struct Press<P = bool> {
    input: Input,
    pixel: PhantomData<fn() -> P>,
}

/// Waits for the next press of `input` and ends at the press's instant.
///
/// A run started at `start` ends at the first [`Press`](crate::input::EdgeKind::Press)
/// edge at least [`MIN_STEP`](crate::MIN_STEP) (100 µs) after `start`. A press that
/// happened before the wait started does not count, and neither does a press at
/// `start` itself (that is the press a previous wait ended on, so
/// `press(&b).then(press(&b))` waits for two presses) nor one within `MIN_STEP` of it
/// (a bounce, far shorter than any finger). So a press always takes at least
/// `MIN_STEP`, and loops over presses (`forever(until(&b, a))`) are accepted.
///
/// # Timing
///
/// The logical end is the edge's instant: the kernel's timestamp of the press for a
/// `GpioInput` (a little before the driver hears of it), the
/// scripted instant for a [scripted](Input::scripted) input, reached exactly on a
/// [`VirtualClock`](crate::VirtualClock). What follows starts from it, so timing after
/// a press does not drift with the time the driver took to wake up.
///
/// On a virtual clock, a wait for a press that the input will never bring (the script
/// has no more presses) ends the run with [`RunError::Idle`](crate::RunError::Idle):
/// nothing else is scheduled. On a real clock it waits until a source pushes a press
/// (which wakes the driver) or the run is stopped.
///
/// # Cancellation
///
/// Dropping the run stops waiting; it writes no LEDs.
///
/// # Examples
///
/// ```
/// use blinken::input::{EdgeKind::*, Input};
/// use blinken::prelude::*;
///
/// let at = |t| Instant::ZERO + ms(t);
/// let button = Input::scripted([(at(300), Press), (at(350), Release), (at(500), Press)]);
/// // Light LED 0 at the first press, LED 1 at the second.
/// let program = press(&button).then(on(0).timeout(ms(1))).then(press(&button)).then(on(1).timeout(ms(1)));
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), at(501));
/// driver.output().assert_timeline("
///     0.000000 ..
///     0.300000 #.
///     0.301000 ..
///     0.500000 .#
///     0.501000 ..
/// ");
/// ```
pub fn press<P: Pixel>(input: &Input) -> Press<P> {
    Press { input: input.clone(), pixel: PhantomData }
}

impl<P> Press<P> {
    /// The input waited for.
    pub fn input(&self) -> &Input {
        &self.input
    }
}

impl<P: Pixel> Animation<P> for Press<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let edge = self.input.next_press(start).await;
        // A press in the future (scripted) is waited for exactly; one in the past ends
        // the wait at once, at its own instant.
        cx.sleep_until(edge.at).await
    }

    /// [`MIN_STEP`](crate::MIN_STEP): earlier presses do not count.
    fn min_duration(&self) -> Duration {
        crate::MIN_STEP
    }

    /// Unknown: a press may never come.
    fn max_duration(&self) -> Option<Duration> {
        None
    }
}
