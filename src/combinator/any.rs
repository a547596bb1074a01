use core::future::{Future, poll_fn};
use core::pin::pin;
use core::task::Poll;
use core::time::Duration;

use super::branches::Branches;
use super::tuples::{CancelAll, InOrder, drop_child, started};
use crate::{Animation, Cx, Instant, Pixel, ValidationError, ValidationErrorKind};

/// Runs animations together until the first ends. Built by [`any`] or [`Animation::or`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "animations do nothing unless played"]
pub struct Any<T>(T);

/// Runs every animation at once; when the first one ends, the others are cancelled at
/// that instant and `any` ends with it. `any` of nothing is refused by validation.
///
/// Takes a tuple of up to 12 animations of any types, or a `Vec` or array of one type.
/// A `Vec` of different leaves is refused by the compiler with "mismatched types"
/// (a `Vec` holds one type): erase the types with [`Animation::boxed`], as in
/// `vec![on(0).boxed(), wait(ms(500)).boxed()]` (see [`all`](crate::all)).
///
/// # Bounds
///
/// [`min_duration`](Animation::min_duration) is the smallest of the children's lower
/// bounds, [`max_duration`](Animation::max_duration) the smallest of their upper bounds
/// (children that may never end do not count; `None` if none ends).
///
/// # Timing
///
/// The winner is the child with the earliest **logical** end, whatever order the
/// wake-ups came in; on a tie the child listed first wins.
///
/// # Cancellation
///
/// The losers are dropped at the winner's end, in the order they are listed (in every
/// form: tuple, `Vec`, array), so their LEDs go off at that instant. Dropping the `any`
/// drops every child still running, in the same order.
///
/// # Panics
///
/// A run of an empty list that skipped validation panics.
///
/// # Examples
///
/// The talk's any-demo, blinking stopped after 3 s; and a tie, won by the first child:
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// let end = driver.run(&any((blink(0, ms(200)), wait(ms(500))))).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(500));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.200000 .
///     0.400000 #
///     0.500000 .
/// ");
///
/// // Both end at 300 ms: the first listed wins, so the second's LED stays dark.
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// let tie = any((wait(ms(300)), wait(ms(300)).then(on(1))));
/// assert_eq!(driver.run(&tie).unwrap(), Instant::ZERO + ms(300));
/// driver.output().assert_timeline("0.000000 ..");
/// ```
pub fn any<T>(children: T) -> Any<T> {
    Any(children)
}

impl<T> Any<T> {
    pub(crate) fn new(children: T) -> Any<T> {
        Any(children)
    }
}

fn earliest_min(mins: impl IntoIterator<Item = Duration>) -> Duration {
    mins.into_iter().min().unwrap_or(Duration::ZERO)
}

fn shortest(lengths: impl IntoIterator<Item = Option<Duration>>) -> Option<Duration> {
    lengths.into_iter().flatten().min()
}

/// Keeps the earliest end; on a tie the first reported (lowest index) stays.
fn earliest(winner: &mut Option<Instant>, end: Instant) {
    if winner.is_none_or(|w| end < w) {
        *winner = Some(end);
    }
}

macro_rules! any_tuple {
    ($(($A:ident $i:tt $a:ident))+) => {
        impl<P: Pixel, $($A: Animation<P>),+> Animation<P> for Any<($($A,)+)> {
            async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
                $(let $a = pin!(started(|| self.0.$i.run(cx, start)));)+
                // Declared last, dropped first: cancels the children in order.
                let mut children = InOrder(($($a,)+));
                poll_fn(|task| {
                    let c = &mut children.0;
                    let mut winner = None;
                    $(if let Some(child) = c.$i.as_mut().as_pin_mut() {
                        if let Poll::Ready(end) = child.poll(task) {
                            earliest(&mut winner, end);
                            drop_child(c.$i.as_mut());
                        }
                    })+
                    if winner.is_some() {
                        // The losers, at the winner's end, in the order they are listed.
                        c.cancel_all();
                    }
                    winner.map_or(Poll::Pending, Poll::Ready)
                })
                .await
            }

            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                let _nested = crate::error::nest("any")?;
                $(self.0.$i.validate(len).map_err(|e| e.within("any", $i))?;)+
                Ok(())
            }

            fn min_duration(&self) -> Duration {
                earliest_min([$(self.0.$i.min_duration()),+])
            }

            fn max_duration(&self) -> Option<Duration> {
                shortest([$(self.0.$i.max_duration()),+])
            }
        }
    };
}

for_tuples!(any_tuple);

macro_rules! any_list {
    ($($ty:ty => [$($generic:tt)*]),+) => {$(
        impl<P: Pixel, A: Animation<P>, $($generic)*> Animation<P> for Any<$ty> {
            async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
                assert!(!self.0.is_empty(), "any: {}", ValidationErrorKind::EmptyAny);
                let mut branches = Branches::new(
                    self.0.iter().map(|child| Box::pin(child.run(cx, start)) as _),
                );
                poll_fn(|task| {
                    let mut winner = None;
                    branches.poll_woken(task, |_, end| earliest(&mut winner, end));
                    if winner.is_some() {
                        branches.cancel_all();
                    }
                    winner.map_or(Poll::Pending, Poll::Ready)
                })
                .await
            }

            fn validate(&self, len: usize) -> Result<(), ValidationError> {
                if self.0.is_empty() {
                    return Err(ValidationError::new("any", ValidationErrorKind::EmptyAny));
                }
                super::tuples::validate_each(self.0.iter(), len, "any")
            }

            fn min_duration(&self) -> Duration {
                earliest_min(self.0.iter().map(A::min_duration))
            }

            fn max_duration(&self) -> Option<Duration> {
                shortest(self.0.iter().map(A::max_duration))
            }
        }
    )+};
}

any_list!(Vec<A> => [], [A; N] => [const N: usize]);
