use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::Poll;
use core::time::Duration;

use super::tuples::{drop_child, started};
use crate::color::Blend;
use crate::cx::{Layer, Start};
use crate::error::at_most_longest;
use crate::time::{MIN_STEP, mul, steps_due};
use crate::{Animation, Color, Cx, Instant, Sleep, ValidationError, ValidationErrorKind};

/// Two animations mixed from one to the other. Built by [`crossfade`] or
/// [`Animation::crossfade`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Crossfade<A, B> {
    from: A,
    to: B,
    duration: Duration,
    curve: Curve,
    step: Duration,
}

/// How a [`crossfade`] moves from one animation to the other: the share of the second
/// at each fraction `t` of the duration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// `t`: an even mix all the way (the default).
    #[default]
    Linear,
    /// Smoothstep, `3t² − 2t³`: starts and ends gently, even at the middle (0.5 at
    /// 0.5; 0.15625 at 0.25).
    EaseInOut,
}

impl Curve {
    /// The share of the second animation at the fraction `t` of the fade (clamped to
    /// `0.0..=1.0`); 0 at 0 and 1 at 1, exactly.
    ///
    /// ```
    /// use blinken::Curve;
    ///
    /// assert_eq!(Curve::Linear.at(0.25), 0.25);
    /// assert_eq!(Curve::EaseInOut.at(0.25), 0.15625);
    /// assert_eq!(Curve::EaseInOut.at(0.5), 0.5);
    /// assert_eq!(Curve::EaseInOut.at(2.0), 1.0);
    /// ```
    pub fn at(self, t: f64) -> f64 {
        let t = t.clamp(0.0, 1.0);
        match self {
            Curve::Linear => t,
            Curve::EaseInOut => t * t * (3.0 - 2.0 * t),
        }
    }
}

/// Runs `from` and `to` together, each on a layer of its own, and shows a mix of the
/// two that moves from `from` to `to` over `duration`; then `from` is cut and only
/// `to` runs. Ends when `to` ends. Colour pixels only (the mix is [`Color::lerp`]).
///
/// Both start on a copy of the frame as it was when the crossfade started. Each LED
/// shows `lerp(from, to, curve(t))` of its values in the two layers, where `t` is the
/// fraction of `duration` elapsed at the last blend step: an LED that only one of the
/// two lights fades in or out from black.
///
/// # Timing
///
/// The mix changes on a drift-free schedule: blend step `k` at `start + k·step`
/// (default [`Crossfade::DEFAULT_STEP`], 20 ms; see [`Crossfade::step`]) with
/// `t = k·step / duration` (its logical time, not the wake-up's), and at
/// `start + duration` exactly with `t = 1`. Between steps, what the children change is
/// mixed at the current `t`. After a stall the step due now is drawn, once. At one
/// instant the blend moves first, then `from` runs, then `to`, then the changed LEDs are
/// mixed into the frame: one write per instant.
///
/// A zero `duration` is a cut: `to` shows from the start and `from` never runs. If
/// `to` ends before the fade is over, the crossfade ends with it and the frame shows
/// `to`'s layer.
///
/// # Bounds
///
/// `to`'s: the crossfade lasts as long as `to`.
///
/// # Cancellation
///
/// At the end of the fade `from` is dropped in its layer (invisible: the mix shows
/// only `to` by then). Dropping the crossfade drops `from`, then `to`, and mixes what
/// their guards left: their LEDs go off.
///
/// # Errors
///
/// Validation refuses a blend step shorter than [`MIN_STEP`](crate::MIN_STEP)
/// ([`ValidationErrorKind::StepTooShort`]) and a duration or step longer than
/// [`LONGEST`](crate::LONGEST).
///
/// # Examples
///
/// Red to blue over 100 ms, in steps of 25 ms, linear and eased:
///
/// ```
/// use blinken::prelude::*;
///
/// let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
/// let from = fill(0, red).then(wait(secs(1)));
/// let to = fill(0, blue).then(wait(ms(200)));
/// let fade = crossfade(&from, &to, ms(100)).step(ms(25));
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
/// assert_eq!(driver.run(&fade).unwrap(), Instant::ZERO + ms(200));
/// let steps: Vec<_> = driver.output().steps().iter().map(|s| (s.at, s.pixels[0])).collect();
/// let at = |t| Instant::ZERO + ms(t);
/// assert_eq!(steps, [
///     (at(0), red),
///     (at(25), RGB8::new(191, 0, 64)),
///     (at(50), RGB8::new(128, 0, 128)),
///     (at(75), RGB8::new(64, 0, 191)),
///     (at(100), blue),
/// ]);
///
/// let eased = crossfade(&from, &to, ms(100)).step(ms(25)).curve(Curve::EaseInOut);
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
/// driver.run(&eased).unwrap();
/// let reds: Vec<u8> = driver.output().steps().iter().map(|s| s.pixels[0].r).collect();
/// assert_eq!(reds, [255, 215, 128, 40, 0]); // t' = 0, 0.15625, 0.5, 0.84375, 1
/// ```
pub fn crossfade<A, B>(from: A, to: B, duration: Duration) -> Crossfade<A, B> {
    Crossfade::new(from, to, duration)
}

impl<A, B> Crossfade<A, B> {
    /// The default time between two blend steps: 20 ms (50 mixes a second).
    pub const DEFAULT_STEP: Duration = Duration::from_millis(20);

    pub(crate) fn new(from: A, to: B, duration: Duration) -> Crossfade<A, B> {
        Crossfade { from, to, duration, curve: Curve::Linear, step: Self::DEFAULT_STEP }
    }

    /// The curve of the mix (default [`Curve::Linear`]).
    pub fn curve(mut self, curve: Curve) -> Crossfade<A, B> {
        self.curve = curve;
        self
    }

    /// The time between two blend steps (default [`Crossfade::DEFAULT_STEP`], 20 ms; at
    /// least [`MIN_STEP`](crate::MIN_STEP)).
    pub fn step(mut self, step: Duration) -> Crossfade<A, B> {
        self.step = step;
        self
    }

    /// The share of `to` at blend step `k`.
    fn share(&self, k: u64) -> f64 {
        share(self.step, self.duration, self.curve, k)
    }
}

/// The share of the second animation at blend step `k` of a fade over `duration` in
/// steps of `step` (also a player's crossfade).
pub(crate) fn share(step: Duration, duration: Duration, curve: Curve, k: u64) -> f64 {
    let elapsed = mul(step, k).min(duration);
    curve.at(elapsed.as_nanos() as f64 / duration.as_nanos() as f64)
}

/// The mix of `from` and `to` with a `share` of `to`: what [`Mix`] computes by table,
/// the reference of the tests.
#[cfg(test)]
pub(crate) fn mix<P: Color>(from: P, to: P, share: f64) -> P {
    if share <= 0.0 {
        from
    } else if share >= 1.0 {
        to
    } else {
        P::lerp(from, to, share)
    }
}

/// [`mix`] at one share, by table (see [`Blend`]): the same pixels.
pub(crate) struct Mix {
    pub(crate) share: f64,
    blend: Blend,
}

impl Mix {
    pub(crate) fn new(share: f64) -> Mix {
        Mix { share, blend: Blend::new(share) }
    }

    /// Moves to `share`; the table is made again only for a new share strictly
    /// between 0 and 1 (the others need none).
    pub(crate) fn set(&mut self, share: f64) {
        if share.to_bits() != self.share.to_bits() {
            self.share = share;
            if share > 0.0 && share < 1.0 {
                self.blend = Blend::new(share);
            }
        }
    }

    /// `mix(from, to, share)`.
    #[inline]
    pub(crate) fn apply<P: Color>(&self, from: P, to: P) -> P {
        if self.share <= 0.0 {
            from
        } else if self.share >= 1.0 {
            to
        } else {
            self.blend.lerp(from, to)
        }
    }
}

impl<P: Color, A: Animation<P>, B: Animation<P>> Animation<P> for Crossfade<A, B> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let from_layer = cx.layer(Start::Copy);
        let to_layer = cx.layer(Start::Copy);
        let from = pin!({
            let _in = from_layer.enter();
            started(|| self.from.run(cx, start))
        });
        let to = pin!({
            let _in = to_layer.enter();
            started(|| self.to.run(cx, start))
        });
        // Declared last, dropped first: cancels the children in their layers.
        let mut mixed =
            Mixed { cx, from: (&from_layer, from), to: (&to_layer, to), mix: Mix::new(0.0) };
        let fade_end = start + self.duration;
        let mut fading = true;
        let mut next = 0;
        let mut blend: Option<Sleep<'_>> = None;
        poll_fn(|task| {
            let m = &mut mixed;
            let mut everything = false;
            // The blend first: step `next` is due at `start + next·step`, the end of
            // the fade at `fade_end`.
            while fading {
                let deadline = start.add_times(self.step, next).min(fade_end);
                let sleep = blend.get_or_insert_with(|| cx.sleep_until(deadline));
                if Pin::new(sleep).poll(task).is_pending() {
                    break;
                }
                blend = None;
                everything = true;
                let now = cx.now();
                if now >= fade_end {
                    fading = false;
                    m.mix.set(1.0);
                    let _in = m.from.0.enter();
                    drop_child(m.from.1.as_mut());
                } else {
                    let k = match now == deadline {
                        true => next,
                        false => steps_due(start, now, self.step).max(next),
                    };
                    m.mix.set(self.share(k));
                    next = k + 1;
                }
            }
            if let Some(child) = m.from.1.as_mut().as_pin_mut() {
                let _in = m.from.0.enter();
                if child.poll(task).is_ready() {
                    drop_child(m.from.1.as_mut());
                }
            }
            let mut end = None;
            if let Some(child) = m.to.1.as_mut().as_pin_mut() {
                let _in = m.to.0.enter();
                if let Poll::Ready(to_end) = child.poll(task) {
                    end = Some(to_end);
                    drop_child(m.to.1.as_mut());
                }
            }
            if end.is_some() {
                // `to` ended: the fade is cut, the frame shows `to`.
                let _in = m.from.0.enter();
                drop_child(m.from.1.as_mut());
                everything |= m.mix.share != 1.0;
                m.mix.set(1.0);
            }
            // `mix.apply`, its share looked at once rather than at every LED.
            let (from, to, mix) = (m.from.0, m.to.0, &m.mix);
            if mix.share <= 0.0 {
                cx.compose(from, to, everything, |a, _| a);
            } else if mix.share >= 1.0 {
                cx.compose(from, to, everything, |_, b| b);
            } else {
                cx.compose(from, to, everything, |a, b| mix.blend.lerp(a, b));
            }
            end.map_or(Poll::Pending, Poll::Ready)
        })
        .await
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        let _nested = crate::error::nest("crossfade")?;
        at_most_longest("crossfade", "the duration", self.duration)?;
        at_most_longest("crossfade", "the step", self.step)?;
        if self.step < MIN_STEP {
            let kind = ValidationErrorKind::StepTooShort { step: self.step };
            return Err(ValidationError::new("crossfade", kind));
        }
        self.from.validate(len).map_err(|e| e.within("crossfade", 0))?;
        self.to.validate(len).map_err(|e| e.within("crossfade", 1))
    }

    fn min_duration(&self) -> Duration {
        self.to.min_duration()
    }

    fn max_duration(&self) -> Option<Duration> {
        self.to.max_duration()
    }
}

/// The two running children with their layers and the current share of `to`; dropping
/// it cancels them in their layers (`from` first), then mixes what their guards left
/// into the parent.
struct Mixed<'a, 'p, P: Color, FA: Future, FB: Future> {
    cx: &'a Cx<P>,
    from: (&'a Layer<'a, P>, Pin<&'p mut Option<FA>>),
    to: (&'a Layer<'a, P>, Pin<&'p mut Option<FB>>),
    mix: Mix,
}

impl<P: Color, FA: Future, FB: Future> Drop for Mixed<'_, '_, P, FA, FB> {
    fn drop(&mut self) {
        if self.from.1.is_none() && self.to.1.is_none() {
            return;
        }
        {
            let _in = self.from.0.enter();
            self.from.1.set(None);
        }
        {
            let _in = self.to.0.enter();
            self.to.1.set(None);
        }
        let mix = &self.mix;
        self.cx.compose(self.from.0, self.to.0, false, |a, b| mix.apply(a, b));
    }
}

#[cfg(test)]
mod tests {
    use crate::output::Step;
    use crate::output::apa102::Dot;
    use crate::prelude::*;

    use super::{mix, share};

    /// What the output showed at `at`: the last write at or before it.
    fn shown_at<P: Pixel>(steps: &[Step<P>], at: Instant) -> &[P] {
        &steps.iter().rev().find(|s| s.at <= at).expect("a write before").pixels
    }

    fn steps<P: Color>(len: usize, program: &impl Animation<P>, window: Duration) -> Vec<Step<P>> {
        let mut driver = Driver::new(Recorder::<P>::with_len(len), VirtualClock::new());
        driver.run_for(program, window).expect("the program plays");
        driver.into_output().steps().to_vec()
    }

    /// Every frame of a crossfade whose blend steps fall on the children's steps is
    /// `lerp` of what each child shows alone at that instant, at that step's share:
    /// the table the mix goes by gives exactly `Color::lerp`'s bytes.
    fn check_against_lerp<P: Color>(
        from: &impl Animation<P>,
        to: &impl Animation<P>,
        duration: Duration,
        curve: Curve,
    ) {
        let (len, step) = (48, ms(10));
        let window = duration + ms(300);
        let fade = crossfade(from, to, duration).step(step).curve(curve);
        let (alone_from, alone_to) = (steps(len, from, window), steps(len, to, window));
        let mixed = steps(len, &fade, window);
        for k in 0..=(window.as_millis() / 10) as u64 {
            let at = Instant::ZERO + step * k as u32;
            let s = share(step, duration, curve, k);
            let expected: Vec<P> = shown_at(&alone_from, at)
                .iter()
                .zip(shown_at(&alone_to, at))
                .map(|(&a, &b)| mix(a, b, s))
                .collect();
            assert_eq!(shown_at(&mixed, at), &expected[..], "at {at}, share {s}");
        }
    }

    #[test]
    fn every_frame_is_lerp_of_the_two_alone() {
        let step = ms(10);
        let colour = RGB8::new(255, 120, 20);
        let rainbow = rainbow(0..48, step).period(step * 256);
        let comet = comet(0..48, step, colour).bounce(true).tail_length(17);
        check_against_lerp(&rainbow, &comet, ms(1500), Curve::Linear);
        check_against_lerp(&comet, &rainbow, ms(1230), Curve::EaseInOut);
        let pulse = pulse(0..48, ms(20), RGB8::new(9, 200, 77));
        check_against_lerp(&pulse, &rainbow, ms(2000), Curve::Linear);
    }

    #[test]
    fn every_frame_of_dots_is_lerp_of_the_two_alone() {
        let step = ms(10);
        let rainbow = rainbow(0..48, step).period(step * 256);
        let comet = comet(0..48, step, Dot::new(RGB8::new(255, 120, 20), 7)).bounce(true);
        check_against_lerp(&rainbow, &comet, ms(1500), Curve::Linear);
    }
}
