use core::pin::pin;
use core::time::Duration;

use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Runs animations one after another. Built by [`sequence`] or [`Animation::then`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Sequence<T>(T);

/// Runs each animation after the previous one ends: a tuple of up to 12 animations of
/// any types, or a `Vec` or array of one type.
///
/// A `Vec` holds one type, so a list of different leaves is refused by the compiler
/// with "mismatched types" (`expected Blink<_>, found Wait<_>`). Erase the types with
/// [`Animation::boxed`] (a [`BoxAnimation`](crate::BoxAnimation)), which is also how
/// lists built at run time are made:
///
/// ```compile_fail,E0308
/// use blinken::prelude::*;
///
/// let steps = vec![blink(0, ms(100)).times(1), wait(ms(300))]; // mismatched types
/// ```
///
/// ```
/// use blinken::prelude::*;
///
/// let steps = vec![blink(0, ms(100)).times(1).boxed(), wait(ms(300)).boxed()];
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&sequence(steps)).unwrap(), Instant::ZERO + ms(500));
/// ```
///
/// A longer fixed program nests tuples (`sequence((a, sequence((b, c))))`) or chains
/// [`Animation::then`]; each level counts towards [`MAX_DEPTH`](crate::MAX_DEPTH),
/// a `Vec` of any length does not.
///
/// # Bounds
///
/// [`min_duration`](Animation::min_duration) and
/// [`max_duration`](Animation::max_duration) are the sums of the children's (saturating;
/// `None` if any child may never end).
///
/// # Timing
///
/// Each child starts at the previous child's logical end, so the sequence ends exactly
/// at the sum of its children's lengths, however late the wake-ups were.
///
/// # Cancellation
///
/// Dropping the run drops the child that is running; children that have ended were
/// dropped when they ended.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let twice = blink(0, ms(100)).times(1);
/// // The same value listed twice: each listing is a fresh run.
/// let program = sequence((&twice, wait(ms(300)), &twice));
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(700));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.100000 .
///     0.500000 #
///     0.600000 .
/// ");
/// ```
pub fn sequence<T>(children: T) -> Sequence<T> {
    Sequence(children)
}

impl<T> Sequence<T> {
    pub(crate) fn new(children: T) -> Sequence<T> {
        Sequence(children)
    }
}

fn total_min(mins: impl IntoIterator<Item = Duration>) -> Duration {
    mins.into_iter().fold(Duration::ZERO, Duration::saturating_add)
}

fn total(lengths: impl IntoIterator<Item = Option<Duration>>) -> Option<Duration> {
    lengths.into_iter().try_fold(Duration::ZERO, |sum, d| Some(sum.saturating_add(d?)))
}

macro_rules! sequence_tuple {
    ($(($A:ident $i:tt $a:ident))+) => {
        impl<P: Pixel, $($A: Animation<P>),+> Animation<P> for Sequence<($($A,)+)> {
            async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
                let t = start;
                // `pin!` builds each child's future in place: `.await` on the call
                // would keep a child-sized temporary in this frame (debug builds).
                $(let t = pin!(self.0.$i.run(cx, t)).await;)+
                t
            }

            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                let _nested = crate::error::nest("sequence")?;
                $(self.0.$i.validate(len).map_err(|e| e.within("sequence", $i))?;)+
                Ok(())
            }

            fn min_duration(&self) -> Duration {
                total_min([$(self.0.$i.min_duration()),+])
            }

            fn max_duration(&self) -> Option<Duration> {
                total([$(self.0.$i.max_duration()),+])
            }
        }
    };
}

for_tuples!(sequence_tuple);

macro_rules! sequence_list {
    ($($ty:ty => [$($generic:tt)*]),+) => {$(
        impl<P: Pixel, A: Animation<P>, $($generic)*> Animation<P> for Sequence<$ty> {
            async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
                let mut t = start;
                for child in self.0.iter() {
                    t = child.run(cx, t).await;
                }
                t
            }

            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                super::tuples::validate_each(self.0.iter(), len, "sequence")
            }

            fn min_duration(&self) -> Duration {
                total_min(self.0.iter().map(A::min_duration))
            }

            fn max_duration(&self) -> Option<Duration> {
                total(self.0.iter().map(A::max_duration))
            }
        }
    )+};
}

sequence_list!(Vec<A> => [], [A; N] => [const N: usize]);
