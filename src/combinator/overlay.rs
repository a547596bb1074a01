use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::Poll;
use core::time::Duration;

use super::tuples::{drop_child, started};
use crate::cx::{Layer, Start};
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// One animation drawn over another that keeps running. Built by [`overlay`] or
/// [`Animation::overlay`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Overlay<B, T> {
    base: B,
    top: T,
}

/// Runs `base` and `top` together, each on a layer of its own: where `top` lights an
/// LED, the LED shows `top`'s value; everywhere else it shows `base`'s. `base` keeps
/// running on its own timeline underneath, so when `top` ends (or is cut) the LEDs
/// show exactly what `base` alone would have shown. The overlay ends when `base` ends.
///
/// An LED is lit in `top` when its value [is on](Pixel::is_on), that is, not
/// [`Pixel::OFF`]: `true` for GPIO LEDs, any colour but black for [`RGB8`](crate::RGB8),
/// a non-black colour at a brightness above 0 for a [`Dot`](crate::Dot). So `top`
/// cannot draw black over `base`; where it lights nothing, `base` shows through. On
/// `bool` pixels the overlay is an "or" of the two.
///
/// `base` starts on a copy of the frame as it was when the overlay started (so it
/// reads and changes what it would have without the overlay); `top` starts with every
/// LED unlit, and [`Cx::get`] in `top` reads its own layer.
///
/// The notification use: a red pulse for 3 s over whatever plays, then the previous
/// program as if untouched, is `program.overlay(pulse(leds, speed, red).timeout(secs(3)))`.
///
/// # Bounds
///
/// `base`'s: the overlay lasts as long as `base`, whatever `top` does.
///
/// # Timing
///
/// Both start at the overlay's start; it ends at `base`'s logical end. At one instant
/// `base` runs before `top`, then the changed LEDs are composed into the frame: still
/// one write per instant. When `base` ends, `top` is cut at that instant.
///
/// # Cancellation
///
/// When `top` ends or is cut, its layer goes with it: its leaves switch their LEDs off
/// *in its layer*, and whatever it left lit (a [`fill`](crate::fill)) is cleared, so
/// `base` shows through everywhere at that instant. Dropping the overlay drops `base`, then
/// `top`, and composes what their guards left: their LEDs go off.
///
/// # Examples
///
/// LED 1 lit over a blink of both LEDs for 350 ms; afterwards the blink shows as if
/// nothing had happened:
///
/// ```
/// use blinken::prelude::*;
///
/// let program = overlay(blink(0..2, ms(100)).times(3), on(1).timeout(ms(350)));
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(600));
/// driver.output().assert_timeline("
///     0.000000 ##
///     0.100000 .#
///     0.200000 ##
///     0.300000 .#
///     0.350000 ..
///     0.400000 ##
///     0.500000 ..
/// ");
/// ```
///
/// Colours: the top's red wins where it is lit, the base's blue shows elsewhere.
///
/// ```
/// use blinken::prelude::*;
///
/// let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
/// let program = fill(0..3, blue).then(wait(ms(300))).overlay(fill(1, red).then(wait(ms(100))));
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(300));
/// let steps = driver.output().steps();
/// assert_eq!(&*steps[0].pixels, &[blue, red, blue]);
/// // The top ends at 100 ms and takes its red with it: the base shows everywhere.
/// assert_eq!(steps[1].at, Instant::ZERO + ms(100));
/// assert_eq!(&*steps[1].pixels, &[blue, blue, blue]);
/// assert_eq!(steps.len(), 2);
/// ```
pub fn overlay<B, T>(base: B, top: T) -> Overlay<B, T> {
    Overlay { base, top }
}

impl<B, T> Overlay<B, T> {
    pub(crate) fn new(base: B, top: T) -> Overlay<B, T> {
        Overlay { base, top }
    }
}

/// What `top` lights wins; elsewhere `base` shows (also a player's overlay).
pub(crate) fn over<P: Pixel>(base: P, top: P) -> P {
    if top.is_on() { top } else { base }
}

impl<P: Pixel, B: Animation<P>, T: Animation<P>> Animation<P> for Overlay<B, T> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let base_layer = cx.layer(Start::Copy);
        let top_layer = cx.layer(Start::Off);
        let base = pin!({
            let _in = base_layer.enter();
            started(|| self.base.run(cx, start))
        });
        let top = pin!({
            let _in = top_layer.enter();
            started(|| self.top.run(cx, start))
        });
        // Declared last, dropped first: cancels the children in their layers.
        let mut layered = Layered { cx, base: (&base_layer, base), top: (&top_layer, top) };
        poll_fn(|task| {
            let l = &mut layered;
            let mut end = None;
            if let Some(child) = l.base.1.as_mut().as_pin_mut() {
                let _in = l.base.0.enter();
                if let Poll::Ready(base_end) = child.poll(task) {
                    end = Some(base_end);
                    drop_child(l.base.1.as_mut());
                }
            }
            if let Some(child) = l.top.1.as_mut().as_pin_mut() {
                let _in = l.top.0.enter();
                // Cut when the base ends, before it writes anything at that instant.
                if end.is_some() || child.poll(task).is_ready() {
                    drop_child(l.top.1.as_mut());
                    // What it left lit goes with it.
                    l.top.0.clear();
                }
            }
            cx.compose(l.base.0, l.top.0, false, over);
            end.map_or(Poll::Pending, Poll::Ready)
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        let _nested = crate::error::nest("overlay")?;
        self.base.validate(len).map_err(|e| e.within("overlay", 0))?;
        self.top.validate(len).map_err(|e| e.within("overlay", 1))
    }

    fn min_duration(&self) -> Duration {
        self.base.min_duration()
    }

    fn max_duration(&self) -> Option<Duration> {
        self.base.max_duration()
    }
}

/// The two running children with their layers; dropping it cancels them in their
/// layers (base first), then composes what their guards left into the parent.
struct Layered<'a, 'p, P: Pixel, FB: Future, FT: Future> {
    cx: &'a Cx<P>,
    base: (&'a Layer<'a, P>, Pin<&'p mut Option<FB>>),
    top: (&'a Layer<'a, P>, Pin<&'p mut Option<FT>>),
}

impl<P: Pixel, FB: Future, FT: Future> Drop for Layered<'_, '_, P, FB, FT> {
    fn drop(&mut self) {
        if self.base.1.is_none() && self.top.1.is_none() {
            return;
        }
        {
            let _in = self.base.0.enter();
            self.base.1.set(None);
        }
        {
            let _in = self.top.0.enter();
            self.top.1.set(None);
        }
        self.top.0.clear();
        self.cx.compose(self.base.0, self.top.0, false, over);
    }
}
