//! What the combinators of several children share: the tuple impls are written once
//! per combinator and stamped out for arities 1 to 12, lists validate alike, and
//! running tuples cancel their children in declaration order.

use core::future::Future;
use core::pin::Pin;

use crate::{Animation, Pixel, ValidationError};

/// Validates each child of a list, naming the failing one as `combinator[i]`.
pub(super) fn validate_each<'a, P: Pixel, A: Animation<P> + 'a>(
    children: impl IntoIterator<Item = &'a A>,
    len: usize,
    combinator: &str,
) -> Result<(), ValidationError> {
    let _nested = crate::error::nest(combinator)?;
    for (i, child) in children.into_iter().enumerate() {
        child.validate(len).map_err(|e| e.within(combinator, i))?;
    }
    Ok(())
}

/// Calls a macro once per tuple arity (1 to 12) with `(Type index binding)` triples.
macro_rules! for_tuples {
    ($m:ident) => {
        $m!((A0 0 a0));
        $m!((A0 0 a0) (A1 1 a1));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8) (A9 9 a9));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8) (A9 9 a9) (A10 10 a10));
        $m!((A0 0 a0) (A1 1 a1) (A2 2 a2) (A3 3 a3) (A4 4 a4) (A5 5 a5) (A6 6 a6) (A7 7 a7)
            (A8 8 a8) (A9 9 a9) (A10 10 a10) (A11 11 a11));
    };
}

/// A child's future, in an `Option` so that it can be dropped as soon as it ends.
///
/// Built in this function's frame, which is gone before the child is first polled: a
/// caller writing `Some(child.run(..))` keeps a temporary of the child's size in its
/// own frame for as long as it runs, and in a debug build those temporaries add up to
/// a stack quadratic in the depth of a statically nested program.
pub(super) fn started<F>(run: impl FnOnce() -> F) -> Option<F> {
    Some(run())
}

/// Drops a child that ended, in this function's frame: `slot.set(None)` written in the
/// caller would keep a child-sized `None` in the caller's frame (see [`started`]).
pub(super) fn drop_child<F>(mut slot: Pin<&mut Option<F>>) {
    slot.set(None);
}

/// The pinned children of a running tuple combinator (`all`, `any`), dropped in
/// declaration order. Each child is an `Option` of its future, set to `None` (dropped)
/// as soon as it ends or is cancelled. (Not `futures`' `MaybeDone`: one temporary less
/// per level keeps the stack of deeply nested programs small in debug builds.)
///
/// Children pinned as separate locals would be dropped last-first when the run is
/// dropped (Rust drops locals in reverse), so a cancelled `any((a, b, c))` would switch
/// `c`'s LEDs off before `a`'s. Bind the pins into this guard *after* them: it is
/// dropped first and drops the children in the order they are listed.
pub(super) struct InOrder<T: CancelAll>(pub(super) T);

impl<T: CancelAll> Drop for InOrder<T> {
    fn drop(&mut self) {
        self.0.cancel_all();
    }
}

/// Drops every child still running, first listed first.
pub(super) trait CancelAll {
    fn cancel_all(&mut self);
}

macro_rules! cancel_tuple {
    ($(($A:ident $i:tt $a:ident))+) => {
        impl<'p, $($A: Future),+> CancelAll for ($(Pin<&'p mut Option<$A>>,)+) {
            fn cancel_all(&mut self) {
                $(self.$i.set(None);)+
            }
        }
    };
}

for_tuples!(cancel_tuple);
