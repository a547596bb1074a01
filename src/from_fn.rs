//! Animations from async closures.

use core::fmt;
use core::future::Future;

use crate::{Animation, Cx, Instant, Pixel};

/// An animation made from an async closure. Built by [`from_fn`].
pub struct FromFn<F>(F);

/// Makes an animation from an async closure `async |cx, start| -> end`: the Rust twin
/// of the talk's `@program` decorator. Each run calls the closure afresh.
///
/// The closure follows the rules of [`Animation`]: compute deadlines from `start`,
/// return the logical end, and switch your LEDs off on cancellation with
/// [`Cx::off_on_drop`]. Its length is unknown to validation, so a loop of a closure
/// that takes no time is caught only when it happens (see [`forever`](crate::forever)).
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
    FromFn(f)
}

impl<P, F> Animation<P> for FromFn<F>
where
    P: Pixel,
    F: AsyncFn(&Cx<P>, Instant) -> Instant,
{
    fn run<'a>(&'a self, cx: &'a Cx<P>, start: Instant) -> impl Future<Output = Instant> + 'a {
        (self.0)(cx, start)
    }
}

impl<F> fmt::Debug for FromFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FromFn(..)")
    }
}
