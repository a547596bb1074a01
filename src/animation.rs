//! The `Animation` factory trait and its object-safe twin.

use core::future::Future;
use core::pin::Pin;
use core::time::Duration;
use std::sync::Arc;

use crate::combinator::{All, Any, Crossfade, Forever, Overlay, Repeat, Sequence, Timeout};
use crate::input::Input;
use crate::leaf::Until;
use crate::{Color, Cx, Instant, Pixel, ValidationError};

/// A program that lights LEDs: a **factory** of runs.
///
/// # What a run is
///
/// An `Animation` is a description, not a running thing. [`Animation::run`] builds a
/// fresh future every time it is called, so one value can be played again, listed
/// several times in a [`sequence`](crate::sequence), looped by
/// [`forever`](crate::forever) or shared between programs. This is the fix for the
/// asyncio original's "cannot reuse already awaited coroutine": there, a program was a
/// coroutine object that could run once; here it is a factory of such runs.
///
/// The future borrows the animation and the driver's [`Cx`]; it never touches
/// hardware. It writes pixels into the driver's frame, and the driver sends the frame
/// to the output after each round of wake-ups.
///
/// # Logical start and end
///
/// `run` receives the **logical start** of the run and its future resolves to the
/// **logical end**: the instant the run was *due* to end, not the instant it happened to
/// be polled. A parent starts the next child at the previous child's logical end, so
/// lateness never accumulates. A future must not finish before its logical end is
/// reached (`Cx::now() >= end`); that is what lets [`any`](crate::any) pick its winner
/// by logical time.
///
/// # Timing
///
/// Compute every deadline from the logical start, never from [`Cx::now`]:
///
/// ```
/// use blinken::prelude::*;
///
/// /// Toggles LED 0 every `period`, `n` times.
/// struct Toggle { period: Duration, n: u64 }
///
/// impl Animation<bool> for Toggle {
///     async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
///         let _off = cx.off_on_drop(0);
///         for k in 1..=self.n {
///             cx.set(0, !cx.get(0));
///             // Right: the k-th deadline is start + k·period, however late we are.
///             cx.sleep_until(start.add_times(self.period, k)).await;
///             // Wrong: `cx.sleep_until(cx.now() + self.period)` adds every wake-up's
///             // lateness to all later steps: the drift of the Python original.
///         }
///         start.add_times(self.period, self.n)
///     }
///
///     // It always lasts exactly n periods: say so, and loops of it validate.
///     fn min_duration(&self) -> Duration {
///         self.period * self.n as u32
///     }
///
///     fn max_duration(&self) -> Option<Duration> {
///         Some(self.period * self.n as u32)
///     }
/// }
///
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// let end = driver.run(&Toggle { period: ms(250), n: 3 }).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(750));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.250000 .
///     0.500000 #
///     0.750000 .
/// ");
/// ```
///
/// For a periodic schedule, [`Cx::ticker`] gives step `k` at `start + k·period` and,
/// after a stall, jumps to the step due now in O(1) instead of running every missed
/// step.
///
/// # A value, not a run
///
/// Building an animation does nothing: it plays only when a [`Driver`](crate::Driver)
/// or a [`Player`](crate::Player) runs it. Every animation type is `#[must_use]`, so a
/// program built and dropped is a warning:
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// use blinken::prelude::*;
///
/// fn main() {
///     blink::<bool>(0, ms(100)).times(3); // error: unused `Blink` that must be used
/// }
/// ```
///
/// # Cancellation
///
/// Dropping a running future cancels the run at that instant: the loser of
/// [`any`](crate::any), the rest of a program cut by [`timeout`](crate::timeout), an
/// animation replaced in a player. Every leaf of this crate switches its own LEDs off
/// when dropped (the talk's `finally` blocks); hand-written leaves get the same with
/// [`Cx::off_on_drop`]. Completed children are dropped as soon as they complete, so a
/// guard never fires late.
///
/// # Validation
///
/// Before the first instant of a run, the driver calls [`Animation::validate`] with the
/// output's length; a program that names an LED the output lacks, that would spin
/// forever at one instant, or that nests deeper than [`MAX_DEPTH`](crate::MAX_DEPTH),
/// is refused whole with a [`ValidationError`]. The bounds [`Animation::min_duration`]
/// and [`Animation::max_duration`] let parents reason about a child's length without
/// running it; a leaf that knows its length should implement both.
pub trait Animation<P: Pixel> {
    /// Builds a fresh run starting at the logical instant `start`; the future resolves
    /// to the run's logical end.
    fn run<'a>(&'a self, cx: &'a Cx<P>, start: Instant) -> impl Future<Output = Instant> + 'a;

    /// Checks the program against an output of `len` LEDs.
    ///
    /// The default accepts everything; leaves check their indices, combinators their
    /// children (adding their position to the error's path).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the offending part.
    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        let _ = len;
        Ok(())
    }

    /// A lower bound on how long one run lasts: a run started at `start` never ends
    /// before `start + min_duration()`.
    ///
    /// The default, [`Duration::ZERO`], means "unknown: may take no time". Loops
    /// ([`forever`](crate::forever), [`repeat`](crate::repeat)) need a *lower* bound,
    /// "a pass certainly takes time", and refuse a body whose bound is below
    /// [`MIN_STEP`](crate::MIN_STEP): such a loop could spin at one instant. A
    /// hand-written leaf that always waits should say so here.
    ///
    /// [`Duration::MAX`] means "never ends by itself" ([`on`](crate::on),
    /// [`forever`](crate::forever), [`cycle`](crate::cycle), a [`blink`](crate::blink)
    /// without `times`). Bounds add up saturating, so a program whose lower bound
    /// reaches `Duration::MAX` (far past the end of the timeline) counts as endless too:
    /// [`Driver::run`](crate::Driver::run) refuses it on a virtual clock, where it would
    /// be simulated forever.
    ///
    /// The crate's combinators compute it from their children (a sequence adds them,
    /// `all` takes the largest, `any` the smallest, `timeout` caps it at its limit).
    /// Call it on a program that passed [`Animation::validate`]: validation refuses
    /// programs nested deeper than [`MAX_DEPTH`](crate::MAX_DEPTH), and this walk is
    /// recursive.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let program = sequence((blink(0, ms(100)).times(2), wait(ms(50))));
    /// assert_eq!(Animation::<bool>::min_duration(&program), ms(450));
    /// let endless = wait(ms(50)).then(on(0));
    /// assert_eq!(Animation::<bool>::min_duration(&endless), Duration::MAX);
    /// // A race ends with its shortest child.
    /// assert_eq!(Animation::<bool>::min_duration(&endless.or(wait(secs(1)))), secs(1));
    /// ```
    fn min_duration(&self) -> Duration {
        Duration::ZERO
    }

    /// An upper bound on how long one run lasts, or `None` when it may last forever or
    /// is unknown (the default).
    ///
    /// The crate's combinators compute it from their children like
    /// [`Animation::min_duration`]; the same advice about depth applies.
    fn max_duration(&self) -> Option<Duration> {
        None
    }

    /// Runs `self`, then `next` from `self`'s logical end; see [`sequence`](crate::sequence).
    fn then<B: Animation<P>>(self, next: B) -> Sequence<(Self, B)>
    where
        Self: Sized,
    {
        Sequence::new((self, next))
    }

    /// Runs `self` and `other` together until both end; see [`all`](crate::all).
    fn and<B: Animation<P>>(self, other: B) -> All<(Self, B)>
    where
        Self: Sized,
    {
        All::new((self, other))
    }

    /// Runs `self` and `other` together until the first ends (`self` on a tie); see
    /// [`any`](crate::any).
    fn or<B: Animation<P>>(self, other: B) -> Any<(Self, B)>
    where
        Self: Sized,
    {
        Any::new((self, other))
    }

    /// Runs `self` again and again; see [`forever`](crate::forever).
    fn forever(self) -> Forever<Self>
    where
        Self: Sized,
    {
        Forever::new(self)
    }

    /// Runs `self` `times` times; see [`repeat`](crate::repeat).
    fn repeat(self, times: u64) -> Repeat<Self>
    where
        Self: Sized,
    {
        Repeat::new(times, self)
    }

    /// Runs `self` for at most `limit`; see [`timeout`](crate::timeout).
    fn timeout(self, limit: Duration) -> Timeout<Self>
    where
        Self: Sized,
    {
        Timeout::new(limit, self)
    }

    /// Runs `self` until the next press of `input`, then cancels it; ends with `self`
    /// if it ends first. The method form of [`until`](crate::until)`(input, self)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::input::{EdgeKind::*, Input};
    /// use blinken::prelude::*;
    ///
    /// let at = |t| Instant::ZERO + ms(t);
    /// let button = Input::scripted([(at(250), Press), (at(600), Press)]);
    /// // Blink until the first press, then stay on until the second.
    /// let program = blink(0, ms(100)).until(&button).then(on(0).until(&button));
    /// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    /// assert_eq!(driver.run(&program).unwrap(), at(600));
    /// driver.output().assert_timeline("
    ///     0.000000 #
    ///     0.100000 .
    ///     0.200000 #
    ///     0.600000 .
    /// ");
    /// ```
    fn until(self, input: &Input) -> Until<Self, P>
    where
        Self: Sized,
    {
        crate::until(input, self)
    }

    /// Draws `top` over `self` while `self` keeps running; when `top` ends, `self`
    /// shows as if untouched. Ends when `self` ends; see [`overlay`](crate::overlay).
    fn overlay<T: Animation<P>>(self, top: T) -> Overlay<Self, T>
    where
        Self: Sized,
    {
        Overlay::new(self, top)
    }

    /// Mixes from `self` to `to` over `duration`, then runs only `to`; colour pixels
    /// only. See [`crossfade`](crate::crossfade).
    fn crossfade<B: Animation<P>>(self, to: B, duration: Duration) -> Crossfade<Self, B>
    where
        Self: Sized,
        P: Color,
    {
        Crossfade::new(self, to, duration)
    }

    /// Erases the type, for programs built at run time: lists of mixed animations,
    /// programs parsed from text, animations sent to a player.
    fn boxed(self) -> BoxAnimation<P>
    where
        Self: Sized + Send + 'static,
    {
        Box::new(self)
    }
}

/// The object-safe twin of [`Animation`]: the same factory, with a boxed future.
///
/// Every `Animation` is a `DynAnimation` (blanket impl), and `Box<dyn DynAnimation<P>>`
/// and `Arc<dyn DynAnimation<P>>` are `Animation`s again, so dynamic programs compose
/// with static ones.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// // A program whose shape is only known at run time.
/// let steps: Vec<BoxAnimation<bool>> = (0..3)
///     .map(|i| blink(i, ms(100)).times(1).boxed())
///     .collect();
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// driver.run(&sequence(steps)).unwrap();
/// driver.output().assert_timeline("
///     0.000000 #..
///     0.100000 ...
///     0.200000 .#.
///     0.300000 ...
///     0.400000 ..#
///     0.500000 ...
/// ");
/// ```
pub trait DynAnimation<P: Pixel> {
    /// [`Animation::run`] with the future boxed.
    fn run_boxed<'a>(
        &'a self,
        cx: &'a Cx<P>,
        start: Instant,
    ) -> Pin<Box<dyn Future<Output = Instant> + 'a>>;

    /// [`Animation::validate`].
    ///
    /// # Errors
    ///
    /// As [`Animation::validate`].
    fn validate_dyn(&self, len: usize) -> Result<(), ValidationError>;

    /// [`Animation::min_duration`]. The default, zero, is "unknown" (kept for types
    /// that implement this trait by hand; every [`Animation`] forwards its own).
    fn min_duration_dyn(&self) -> Duration {
        Duration::ZERO
    }

    /// [`Animation::max_duration`].
    fn max_duration_dyn(&self) -> Option<Duration>;
}

impl<P: Pixel, A: Animation<P>> DynAnimation<P> for A {
    fn run_boxed<'a>(
        &'a self,
        cx: &'a Cx<P>,
        start: Instant,
    ) -> Pin<Box<dyn Future<Output = Instant> + 'a>> {
        Box::pin(self.run(cx, start))
    }

    fn validate_dyn(&self, len: usize) -> Result<(), ValidationError> {
        self.validate(len)
    }

    fn min_duration_dyn(&self) -> Duration {
        self.min_duration()
    }

    fn max_duration_dyn(&self) -> Option<Duration> {
        self.max_duration()
    }
}

/// A type-erased animation that can be sent to another thread (a player).
pub type BoxAnimation<P> = Box<dyn DynAnimation<P> + Send>;

macro_rules! forward_dyn {
    ($($ty:ty),* $(,)?) => {$(
        impl<'d, P: Pixel> Animation<P> for $ty {
            fn run<'a>(&'a self, cx: &'a Cx<P>, start: Instant) -> impl Future<Output = Instant> + 'a {
                (**self).run_boxed(cx, start)
            }
            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                (**self).validate_dyn(len)
            }
            fn min_duration(&self) -> Duration {
                (**self).min_duration_dyn()
            }
            fn max_duration(&self) -> Option<Duration> {
                (**self).max_duration_dyn()
            }
        }
    )*};
}

forward_dyn!(
    Box<dyn DynAnimation<P> + 'd>,
    Box<dyn DynAnimation<P> + Send + 'd>,
    Box<dyn DynAnimation<P> + Send + Sync + 'd>,
    Arc<dyn DynAnimation<P> + 'd>,
    Arc<dyn DynAnimation<P> + Send + Sync + 'd>,
);

/// A shared reference plays the animation it points to, so one value can be listed
/// in several places without cloning.
impl<P: Pixel, A: Animation<P> + ?Sized> Animation<P> for &A {
    fn run<'a>(&'a self, cx: &'a Cx<P>, start: Instant) -> impl Future<Output = Instant> + 'a {
        (**self).run(cx, start)
    }
    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        (**self).validate(len)
    }
    fn min_duration(&self) -> Duration {
        (**self).min_duration()
    }
    fn max_duration(&self) -> Option<Duration> {
        (**self).max_duration()
    }
}
