//! Animations from async closures.

use core::fmt;
use core::time::Duration;

use crate::error::at_most_longest;
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// An animation made from an async closure. Built by [`from_fn`].
#[must_use = "animations do nothing unless played"]
pub struct FromFn<F> {
    f: F,
    at_least: Duration,
}

/// Makes an animation from an async closure `async |cx, start| -> end`: the Rust twin
/// of the talk's `@program` decorator. Each run calls the closure afresh.
///
/// The closure follows the rules of [`Animation`]: compute deadlines from `start`,
/// return the logical end, and switch your LEDs off on cancellation with
/// [`Cx::off_on_drop`]. Its length is unknown to validation: its
/// [`min_duration`](Animation::min_duration) is zero (it may take no time), so a loop
/// ([`forever`](crate::forever), [`repeat`](crate::repeat)) of it is refused unless you
/// declare a lower bound with [`FromFn::at_least`].
///
/// # `async |..|`, not `|..| async move {..}`
///
/// Write an async closure. A closure that *returns* an async block does not compile:
///
/// ```compile_fail
/// use blinken::prelude::*;
///
/// // error: lifetime may not live long enough
/// let flash = from_fn(|cx: &Cx<bool>, start: Instant| async move {
///     cx.set(0, true);
///     cx.sleep_until(start + ms(10)).await
/// });
/// # let _ = flash;
/// ```
///
/// rustc says only "lifetime may not live long enough". The reason: the block borrows
/// `cx`, whose lifetime is chosen anew by each caller, so the future's type would have
/// to depend on that lifetime, and a closure's return type cannot (it is one type for
/// all calls). An async closure's future may borrow its arguments, which is what
/// `AsyncFn` expresses:
///
/// ```
/// use blinken::prelude::*;
///
/// let flash = from_fn(async |cx: &Cx<bool>, start: Instant| {
///     let _off = cx.off_on_drop(0);
///     cx.set(0, true);
///     cx.sleep_until(start + ms(10)).await
/// });
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&flash).unwrap(), Instant::ZERO + ms(10));
/// ```
///
/// To move captured values into the closure, write `async move |cx, start| { .. }`.
///
/// # Examples
///
/// LED `k` on for `k` × 100 ms, one after another (LED 0 for no time at all):
///
/// ```
/// use blinken::prelude::*;
///
/// let staircase = from_fn(async |cx: &Cx<bool>, start: Instant| {
///     let mut t = start;
///     for k in 0..cx.len() {
///         let _off = cx.off_on_drop(k);
///         cx.set(k, true);
///         t = cx.sleep_until(t + ms(100) * k as u32).await;
///     }
///     t
/// });
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// assert_eq!(driver.run(&staircase).unwrap(), Instant::ZERO + ms(300));
/// driver.output().assert_timeline("
///     0.000000 .#.
///     0.100000 ..#
///     0.300000 ...
/// ");
/// ```
pub fn from_fn<P, F>(f: F) -> FromFn<F>
where
    P: Pixel,
    F: AsyncFn(&Cx<P>, Instant) -> Instant,
{
    FromFn { f, at_least: Duration::ZERO }
}

impl<F> FromFn<F> {
    /// Declares that a run lasts at least `d`, so that loops of it validate
    /// (see [`Animation::min_duration`]).
    ///
    /// The promise is kept at run time: if the closure ends before `start + d`, the run
    /// sleeps until `start + d` and ends there. So a closure that ends early never makes
    /// a loop spin or panic; its loop simply waits out the rest of the pass.
    ///
    /// # Errors
    ///
    /// Validation refuses `d` longer than [`LONGEST`](crate::LONGEST).
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// // Lights LED 0 and ends at once: a loop of it would spin at one instant.
    /// let light = from_fn(async |cx: &Cx<bool>, start: Instant| {
    ///     cx.set(0, !cx.get(0));
    ///     start
    /// });
    /// let err = Animation::<bool>::validate(&forever(&light), 1).unwrap_err();
    /// assert_eq!(err.path(), "forever > from_fn");
    ///
    /// // Declared to last 100 ms, it toggles LED 0 every 100 ms.
    /// let toggle = light.at_least(ms(100));
    /// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    /// driver.run_for(&forever(&toggle), ms(300)).unwrap();
    /// driver.output().assert_timeline("
    ///     0.000000 #
    ///     0.100000 .
    ///     0.200000 #
    ///     0.300000 .
    /// ");
    /// ```
    pub fn at_least(mut self, d: Duration) -> FromFn<F> {
        self.at_least = d;
        self
    }
}

impl<P, F> Animation<P> for FromFn<F>
where
    P: Pixel,
    F: AsyncFn(&Cx<P>, Instant) -> Instant,
{
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let end = (self.f)(cx, start).await;
        match self.at_least.is_zero() {
            true => end,
            false => end.max(cx.sleep_until(start + self.at_least).await),
        }
    }

    fn validate(&self, _len: usize) -> Result<(), ValidationError> {
        at_most_longest("from_fn", "the declared length (`at_least`)", self.at_least)
    }

    /// Zero unless declared with [`FromFn::at_least`].
    fn min_duration(&self) -> Duration {
        self.at_least
    }
}

impl<F> fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromFn").field("at_least", &self.at_least).finish_non_exhaustive()
    }
}
