use core::future::{Future, poll_fn};
use core::pin::pin;
use core::task::Poll;
use core::time::Duration;

use super::branches::Branches;
use super::tuples::{InOrder, drop_child, started};
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Runs animations together until all have ended. Built by [`all`] or [`Animation::and`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct All<T>(T);

/// Runs every animation at once, starting together; ends when the last one ends.
/// `all` of an empty list ends at once.
///
/// Takes a tuple of up to 12 animations of any types, or a `Vec` or array of one type.
/// A list polls only the children that were woken, so thousands of children cost per
/// wake-up what one does.
///
/// A `Vec` of different leaves does not compile: `vec![blink(0, d), wait(d)]` is
/// refused with "mismatched types: expected `Blink<_>`, found `Wait<_>`", since a
/// `Vec` holds one type. Erase the types with [`Animation::boxed`]:
///
/// ```
/// use blinken::prelude::*;
///
/// let children: Vec<BoxAnimation<bool>> =
///     vec![blink(0, ms(100)).times(2).boxed(), wait(ms(300)).boxed()];
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&all(children)).unwrap(), Instant::ZERO + ms(400));
/// ```
///
/// ```compile_fail,E0308
/// use blinken::prelude::*;
///
/// let children = vec![blink(0, ms(100)).times(2), wait(ms(300))]; // mismatched types
/// ```
///
/// # Bounds
///
/// [`min_duration`](Animation::min_duration) is the largest of the children's lower
/// bounds, [`max_duration`](Animation::max_duration) the largest of their upper bounds
/// (`None` if any child may never end).
///
/// # Timing
///
/// Ends at the latest logical end of its children. At one instant, children run in the
/// order they are listed, so where two write the same LED the later-listed one wins.
///
/// # Cancellation
///
/// Dropping the run drops every child still running, in the order they are listed (in
/// every form: tuple, `Vec`, array), so their LEDs go off at that instant; a child that
/// ends is dropped at once, so one child's end never touches the others.
///
/// # Examples
///
/// The talk's all-demo: the `all` lasts as long as its longest child.
///
/// ```
/// use blinken::prelude::*;
///
/// let program = all((blink(0, ms(100)).times(2), wait(ms(500))))
///     .then(blink(1, ms(300)).times(1));
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(1100));
/// driver.output().assert_timeline("
///     0.000000 #.
///     0.100000 ..
///     0.200000 #.
///     0.300000 ..
///     0.500000 .#
///     0.800000 ..
/// ");
/// ```
pub fn all<T>(children: T) -> All<T> {
    All(children)
}

impl<T> All<T> {
    pub(crate) fn new(children: T) -> All<T> {
        All(children)
    }
}

fn latest_min(mins: impl IntoIterator<Item = Duration>) -> Duration {
    mins.into_iter().max().unwrap_or(Duration::ZERO)
}

fn longest(lengths: impl IntoIterator<Item = Option<Duration>>) -> Option<Duration> {
    lengths.into_iter().try_fold(Duration::ZERO, |max, d| Some(max.max(d?)))
}

macro_rules! all_tuple {
    ($(($A:ident $i:tt $a:ident))+) => {
        impl<P: Pixel, $($A: Animation<P>),+> Animation<P> for All<($($A,)+)> {
            async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
                $(let $a = pin!(started(|| self.0.$i.run(cx, start)));)+
                // Declared last, dropped first: cancels the children in order.
                let mut children = InOrder(($($a,)+));
                let mut end = start;
                poll_fn(|task| {
                    let c = &mut children.0;
                    $(if let Some(child) = c.$i.as_mut().as_pin_mut() {
                        if let Poll::Ready(child_end) = child.poll(task) {
                            end = end.max(child_end);
                            drop_child(c.$i.as_mut()); // ended: dropped at once
                        }
                    })+
                    if $(c.$i.is_none())&&+ { Poll::Ready(end) } else { Poll::Pending }
                })
                .await
            }

            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                let _nested = crate::error::nest("all")?;
                $(self.0.$i.validate(len).map_err(|e| e.within("all", $i))?;)+
                Ok(())
            }

            fn min_duration(&self) -> Duration {
                latest_min([$(self.0.$i.min_duration()),+])
            }

            fn max_duration(&self) -> Option<Duration> {
                longest([$(self.0.$i.max_duration()),+])
            }
        }
    };
}

for_tuples!(all_tuple);

macro_rules! all_list {
    ($($ty:ty => [$($generic:tt)*]),+) => {$(
        impl<P: Pixel, A: Animation<P>, $($generic)*> Animation<P> for All<$ty> {
            async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
                let mut branches = Branches::new(
                    self.0.iter().map(|child| Box::pin(child.run(cx, start)) as _),
                );
                let mut end = start;
                poll_fn(|task| {
                    branches.poll_woken(task, |_, child_end| end = end.max(child_end));
                    if branches.running() == 0 { Poll::Ready(end) } else { Poll::Pending }
                })
                .await
            }

            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                super::tuples::validate_each(self.0.iter(), len, "all")
            }

            fn min_duration(&self) -> Duration {
                latest_min(self.0.iter().map(A::min_duration))
            }

            fn max_duration(&self) -> Option<Duration> {
                longest(self.0.iter().map(A::max_duration))
            }
        }
    )+};
}

all_list!(Vec<A> => [], [A; N] => [const N: usize]);
