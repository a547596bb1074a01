//! The stage: what a player plays in one run, on layers.
//!
//! A run of the player plays a stage instead of one animation: up to four requests at
//! once, each a child future owning its boxed animation and drawing on a layer of its
//! own, composed into the frame as the [`overlay`](crate::overlay) and
//! [`crossfade`](crate::crossfade) combinators compose (with their functions):
//!
//! ```text
//! frame = over(base, top)                                  no crossfade
//! frame = over(mix(outgoing, base, s), top)                 during a crossfade
//! frame = over(mix(mix(older, outgoing, s1), base, s2), top)
//!                                    a crossfade arrived during a crossfade
//! ```
//!
//! A crossfade that arrives during a fade does not cut anything visible: the fade
//! under way goes on (on its own schedule) as the "from" side of the new one. Only a
//! third one arriving while both fades run cuts the oldest program, which by then
//! contributes `(1 - s1)·(1 - s2)` of the light.
//!
//! The requests that do not end the run (overlay, stop the overlay, crossfade,
//! refresh) reach the stage through the [`Board`]'s inbox, which the player's
//! `keep_going` fills (and then has the stage polled at once), so the base never
//! restarts for them. The board also tells the player, after the run, which requests
//! are still on stage and owe an end event.

use core::any::Any;
use core::cell::RefCell;
use core::convert::Infallible;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::any::TypeId;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::event::{Event, StopReason};
use super::handle::{PlayId, Shared};
use super::queue::{Command, Fade};
use super::serve::panic_message;
use crate::combinator::{Mix, over, share};
use crate::cx::{Layer, Start};
use crate::{
    Animation, BoxAnimation, Color, Crossfade, Cx, Dot, Instant, Pixel, RGB8, RunError, Sleep,
    ValidationError,
};

/// What the player and its stage share during a run (on the player thread).
pub(super) struct Board<P: Pixel> {
    /// Commands for the stage, in order.
    pub(super) inbox: VecDeque<Command<P>>,
    /// The requests on stage that owe an end event, and why they would stop.
    pub(super) on_stage: Vec<OnStage>,
    /// The last request, which ended by itself with the stage: its `Finished` waits
    /// for the last write (a failure of that write is its end instead).
    pub(super) finished: Option<(PlayId, Instant)>,
}

/// A request on stage.
#[derive(Debug, Clone)]
pub(super) struct OnStage {
    pub(super) id: PlayId,
    /// Set when dropping its animation panicked: its end is a panic.
    pub(super) panic: Option<String>,
}

impl<P: Pixel> Board<P> {
    pub(super) fn new(first: Command<P>) -> Board<P> {
        let mut inbox = VecDeque::with_capacity(4);
        inbox.push_back(first);
        Board { inbox, on_stage: Vec::with_capacity(4), finished: None }
    }

    fn enter(&mut self, id: PlayId) {
        self.on_stage.push(OnStage { id, panic: None });
    }

    fn leave(&mut self, id: PlayId) {
        self.on_stage.retain(|s| s.id != id);
    }
}

/// The animation a player runs; see the module's documentation.
pub(super) struct Stage<'s, P: Pixel> {
    pub(super) board: &'s RefCell<Board<P>>,
    pub(super) shared: &'s Shared<P>,
    /// The clock is virtual: programs that never end are refused.
    pub(super) virtual_clock: bool,
}

impl<P: Pixel> Animation<P> for Stage<'_, P> {
    fn run<'a>(&'a self, cx: &'a Cx<P>, _start: Instant) -> impl Future<Output = Instant> + 'a {
        Run {
            board: self.board,
            shared: self.shared,
            virtual_clock: self.virtual_clock,
            cx,
            mix: mixer::<P>(),
            older: Slot::new(cx.layer(Start::Copy)),
            outgoing: Slot::new(cx.layer(Start::Copy)),
            base: Slot::new(cx.layer(Start::Copy)),
            top: Slot::new(cx.layer(Start::Off)),
            mid_inner: cx.layer(Start::Off),
            mid: cx.layer(Start::Off),
            inner: None,
            fade: None,
            everything: false,
        }
    }

    fn validate(&self, _len: usize) -> Result<(), ValidationError> {
        // Every request was validated when it was made.
        Ok(())
    }
}

/// A place on stage: a layer and the request drawing on it, if any.
struct Slot<'a, P: Pixel> {
    layer: Layer<'a, P>,
    child: Option<Child<'a, P>>,
}

/// A running request: its future owns its animation.
struct Child<'a, P: Pixel> {
    id: PlayId,
    /// Hands the animation back at its end, to be dropped apart (its `Drop` may panic).
    future: Pin<Box<dyn Future<Output = (Instant, BoxAnimation<P>)> + 'a>>,
    /// For an outgoing program: the request that replaces it.
    replaced_by: Option<PlayId>,
}

impl<'a, P: Pixel> Slot<'a, P> {
    fn new(layer: Layer<'a, P>) -> Slot<'a, P> {
        Slot { layer, child: None }
    }

    /// Starts `animation` at `start`, drawing on this slot's layer.
    fn start(&mut self, cx: &'a Cx<P>, id: PlayId, animation: BoxAnimation<P>, start: Instant) {
        let _in = self.layer.enter();
        let future = Box::pin(async move {
            let end = animation.run_boxed(cx, start).await;
            (end, animation)
        });
        self.child = Some(Child { id, future, replaced_by: None });
    }

    /// Polls the child in its layer: `Some(Ok(end))` if it ended, `Some(Err(message))`
    /// if it panicked.
    fn poll(&mut self, task: &mut Context<'_>) -> Option<Result<Instant, String>> {
        let child = self.child.as_mut()?;
        let polled = catch_unwind(AssertUnwindSafe(|| {
            let _in = self.layer.enter();
            child.future.as_mut().poll(task)
        }));
        match polled {
            Ok(Poll::Pending) => None,
            Ok(Poll::Ready((end, animation))) => {
                match catch_unwind(AssertUnwindSafe(move || drop(animation))) {
                    Ok(()) => Some(Ok(end)),
                    Err(panic) => Some(Err(format!(
                        "dropping the animation panicked: {}",
                        panic_message(&*panic)
                    ))),
                }
            }
            Err(panic) => Some(Err(panic_message(&*panic))),
        }
    }

    /// Drops the child in its layer (its guards switch its LEDs off there); returns
    /// it without its future, and the message if its drop panicked.
    fn drop_child(&mut self) -> Option<(PlayId, Option<PlayId>, Option<String>)> {
        let Child { id, future, replaced_by } = self.child.take()?;
        let _in = self.layer.enter();
        let panic = catch_unwind(AssertUnwindSafe(move || drop(future)))
            .err()
            .map(|panic| format!("dropping the animation panicked: {}", panic_message(&*panic)));
        Some((id, replaced_by, panic))
    }
}

/// The fade of a crossfade under way.
struct Fading<'a> {
    start: Instant,
    end: Instant,
    duration: Duration,
    curve: crate::Curve,
    /// The next blend step.
    next: u64,
    sleep: Option<Sleep<'a>>,
    /// The share of `base` now, with its blend table.
    share: Mix,
}

/// The stage's future.
struct Run<'a, P: Pixel> {
    board: &'a RefCell<Board<P>>,
    shared: &'a Shared<P>,
    virtual_clock: bool,
    cx: &'a Cx<P>,
    mix: fn(&Mix, P, P) -> P,
    /// The program the inner fade fades out.
    older: Slot<'a, P>,
    /// The program the fade fades out (and the inner fade fades in).
    outgoing: Slot<'a, P>,
    base: Slot<'a, P>,
    top: Slot<'a, P>,
    /// The mix of `older` and `outgoing` during the inner fade.
    mid_inner: Layer<'a, P>,
    /// The mix of the fade's "from" side and `base` during a fade.
    mid: Layer<'a, P>,
    /// From `older` to `outgoing`: a fade that was under way when the current one
    /// started (only while `fade` is).
    inner: Option<Fading<'a>>,
    /// From `outgoing` (or the inner fade's mix) to `base`.
    fade: Option<Fading<'a>>,
    /// The next composition takes every LED (the layers changed roles).
    everything: bool,
}

impl<P: Pixel> Future for Run<'_, P> {
    type Output = Instant;

    fn poll(self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Instant> {
        let this = self.get_mut();
        let now = this.cx.now();
        loop {
            // Not borrowed while user code runs: a child may make requests.
            let command = this.board.borrow_mut().inbox.pop_front();
            match command {
                Some(command) => this.take(command, now),
                None => break,
            }
        }
        this.blend(task, now);
        // As the combinators order them: the oldest program first, the overlay last.
        if let Some(ended) = this.older.poll(task) {
            let (id, _, panic) = this.older.drop_child().expect("it was polled");
            this.end(id, ended, panic, now);
        }
        if let Some(ended) = this.outgoing.poll(task) {
            let (id, _, panic) = this.outgoing.drop_child().expect("it was polled");
            this.end(id, ended, panic, now);
        }
        let base_ended = this.base.poll(task);
        if let Some(ended) = base_ended {
            let (id, _, panic) = this.base.drop_child().expect("it was polled");
            // The fade is cut: the frame shows what the base left.
            this.end_fade(now);
            this.end(id, ended, panic, now);
        }
        if let Some(ended) = this.top.poll(task) {
            let (id, _, panic) = this.top.drop_child().expect("it was polled");
            // What it left lit goes with it.
            this.top.layer.clear();
            this.end(id, ended, panic, now);
        }
        this.compose();
        match this.is_empty() {
            true => Poll::Ready(now),
            false => Poll::Pending,
        }
    }
}

impl<'a, P: Pixel> Run<'a, P> {
    fn report(&self, event: Event) {
        self.shared.report(event);
    }

    /// Whether no request is left on stage.
    fn is_empty(&self) -> bool {
        [&self.older, &self.outgoing, &self.base, &self.top].iter().all(|s| s.child.is_none())
    }

    /// Carries out one command of the inbox at `now`.
    fn take(&mut self, command: Command<P>, now: Instant) {
        match command {
            Command::Play(id, animation) => {
                // Only a run's first command: the stage starts with it.
                let Some(animation) = self.admit(id, animation, now) else { return };
                self.report(Event::Started { id, at: now });
                self.board.borrow_mut().enter(id);
                self.base.start(self.cx, id, animation, now);
            }
            Command::Overlay(id, animation) => {
                let Some(animation) = self.admit(id, animation, now) else { return };
                self.stop_overlay(StopReason::Replaced(id), now);
                self.report(Event::OverlayStarted { id, at: now });
                self.board.borrow_mut().enter(id);
                self.top.start(self.cx, id, animation, now);
            }
            Command::StopOverlay => self.stop_overlay(StopReason::Stop, now),
            Command::Crossfade(id, animation, fade) => {
                let Some(animation) = self.admit(id, animation, now) else { return };
                self.crossfade(id, animation, fade, now);
            }
            Command::Refresh => self.cx.refresh(),
            Command::Stop | Command::Clear | Command::Shutdown => {
                unreachable!("commands that end the run stay in the player's queue")
            }
        }
    }

    /// The animation, unless it never ends and the clock is virtual: then the request
    /// is refused (as `play` is) and never starts.
    fn admit(
        &self,
        id: PlayId,
        animation: BoxAnimation<P>,
        now: Instant,
    ) -> Option<BoxAnimation<P>> {
        refuse_endless(self.virtual_clock, id, animation, now, self.shared)
    }

    fn stop_overlay(&mut self, reason: StopReason, now: Instant) {
        if let Some((id, _, panic)) = self.top.drop_child() {
            self.top.layer.clear();
            self.stop(id, reason, panic, now);
        }
    }

    fn crossfade(&mut self, id: PlayId, animation: BoxAnimation<P>, fade: Fade, now: Instant) {
        if fade.duration.is_zero() {
            // A cut, as `play` swaps: the new program starts on what the old one left;
            // the programs fading out go at once.
            self.end_fade(now);
            if let Some((old, _, panic)) = self.base.drop_child() {
                self.stop(old, StopReason::Replaced(id), panic, now);
            }
            self.report(Event::Started { id, at: now });
            self.board.borrow_mut().enter(id);
            self.base.start(self.cx, id, animation, now);
            return;
        }
        if self.fade.is_some() {
            // A fade under way goes on as the new one's "from" side; if one was
            // already going on under it, its oldest program goes now.
            self.end_inner(now);
            core::mem::swap(&mut self.older, &mut self.outgoing);
            self.inner = self.fade.take();
        }
        // The base becomes the outgoing program, with its layer; the new one starts on
        // a dark layer.
        core::mem::swap(&mut self.outgoing, &mut self.base);
        if let Some(child) = &mut self.outgoing.child {
            child.replaced_by = Some(id);
        }
        self.base.layer.clear();
        self.report(Event::Started { id, at: now });
        self.board.borrow_mut().enter(id);
        self.base.start(self.cx, id, animation, now);
        self.fade = Some(Fading {
            start: now,
            end: now + fade.duration,
            duration: fade.duration,
            curve: fade.curve,
            next: 0,
            sleep: None,
            share: Mix::new(0.0),
        });
        self.everything = true;
    }

    /// Moves the fades to the blend steps due now, as [`crossfade`](crate::crossfade)
    /// does; at the end of a fade, the program it faded out is stopped.
    fn blend(&mut self, task: &mut Context<'_>, now: Instant) {
        let (stepped, done) = advance(self.fade.as_mut(), self.cx, task, now);
        self.everything |= stepped;
        if done {
            self.end_fade(now);
        }
        let (stepped, done) = advance(self.inner.as_mut(), self.cx, task, now);
        self.everything |= stepped;
        if done {
            self.end_inner(now);
        }
    }

    /// Ends the fade (if any) here: the programs it faded out are stopped, the frame
    /// shows the base.
    fn end_fade(&mut self, now: Instant) {
        self.end_inner(now);
        if self.fade.take().is_none() {
            return;
        }
        self.everything = true;
        if let Some((old, by, panic)) = self.outgoing.drop_child() {
            let by = by.expect("an outgoing program knows its replacement");
            self.stop(old, StopReason::Replaced(by), panic, now);
        }
    }

    /// Ends the inner fade (if any) here: the oldest program is stopped.
    fn end_inner(&mut self, now: Instant) {
        if self.inner.take().is_none() {
            return;
        }
        self.everything = true;
        if let Some((old, by, panic)) = self.older.drop_child() {
            let by = by.expect("an outgoing program knows its replacement");
            self.stop(old, StopReason::Replaced(by), panic, now);
        }
    }

    /// Reports the end of a request that ended by itself (or panicked) at `now`.
    fn end(
        &mut self,
        id: PlayId,
        ended: Result<Instant, String>,
        panic: Option<String>,
        now: Instant,
    ) {
        let event = match (ended, panic) {
            (Err(message), _) | (Ok(_), Some(message)) => Event::Panicked { id, at: now, message },
            (Ok(end), None) => {
                if self.is_empty() {
                    // Reported after the last write, which may fail instead.
                    let mut board = self.board.borrow_mut();
                    board.leave(id);
                    board.finished = Some((id, end));
                    return;
                }
                Event::Finished { id, at: end }
            }
        };
        self.board.borrow_mut().leave(id);
        self.report(event);
    }

    /// Reports the end of a request the stage stopped.
    fn stop(&mut self, id: PlayId, reason: StopReason, panic: Option<String>, now: Instant) {
        self.board.borrow_mut().leave(id);
        self.report(match panic {
            Some(message) => Event::Panicked { id, at: now, message },
            None => Event::Stopped { id, at: now, reason },
        });
    }

    /// Composes the layers into the frame: every LED changed since the last time
    /// (every LED after a change of roles or a blend step).
    fn compose(&mut self) {
        let everything = core::mem::take(&mut self.everything);
        let (cx, mix) = (self.cx, self.mix);
        let Some(fade) = &self.fade else {
            return cx.compose(&self.base.layer, &self.top.layer, everything, over);
        };
        let from = match &self.inner {
            Some(inner) => {
                let share = &inner.share;
                let _in = self.mid_inner.enter();
                cx.compose(&self.older.layer, &self.outgoing.layer, everything, |a, b| {
                    mix(share, a, b)
                });
                &self.mid_inner
            }
            None => &self.outgoing.layer,
        };
        {
            let share = &fade.share;
            let _in = self.mid.enter();
            cx.compose(from, &self.base.layer, everything, |a, b| mix(share, a, b));
        }
        cx.compose(&self.mid, &self.top.layer, everything, over);
    }
}

/// Moves `fade` to the blend step due `now`: whether a step was taken (the share
/// changed) and whether the fade is over.
fn advance<'a, P: Pixel>(
    fade: Option<&mut Fading<'a>>,
    cx: &'a Cx<P>,
    task: &mut Context<'_>,
    now: Instant,
) -> (bool, bool) {
    let Some(fade) = fade else { return (false, false) };
    let step = Crossfade::<(), ()>::DEFAULT_STEP;
    let mut stepped = false;
    loop {
        let deadline = fade.start.add_times(step, fade.next).min(fade.end);
        let sleep = fade.sleep.get_or_insert_with(|| cx.sleep_until(deadline));
        if Pin::new(sleep).poll(task).is_pending() {
            return (stepped, false);
        }
        fade.sleep = None;
        stepped = true;
        if now >= fade.end {
            fade.share.set(1.0);
            return (true, true);
        }
        let k = match now == deadline {
            true => fade.next,
            false => crate::time::steps_due(fade.start, now, step).max(fade.next),
        };
        fade.share.set(share(step, fade.duration, fade.curve, k));
        fade.next = k + 1;
    }
}

/// Cancelled (the run ended by a command, an error or a panic): the children are
/// dropped in their layers, the oldest first, and what their guards left is composed
/// into the frame. A panic in a drop is kept for the request's end event.
impl<P: Pixel> Drop for Run<'_, P> {
    fn drop(&mut self) {
        let mut panics = Vec::new();
        for slot in [&mut self.older, &mut self.outgoing, &mut self.base, &mut self.top] {
            if let Some((id, _, Some(message))) = slot.drop_child() {
                panics.push((id, message));
            }
        }
        if !panics.is_empty() {
            if let Ok(mut board) = self.board.try_borrow_mut() {
                for (id, message) in panics {
                    if let Some(s) = board.on_stage.iter_mut().find(|s| s.id == id) {
                        s.panic = Some(message);
                    }
                }
            }
        }
        self.top.layer.clear();
        // Not on a panic that left the layers borrowed: the driver recovers anyway.
        let _ = catch_unwind(AssertUnwindSafe(|| self.compose()));
    }
}

/// Refuses a request that never ends on a virtual clock (as `play` always did);
/// otherwise hands the animation back.
pub(super) fn refuse_endless<P: Pixel>(
    virtual_clock: bool,
    id: PlayId,
    animation: BoxAnimation<P>,
    at: Instant,
    shared: &Shared<P>,
) -> Option<BoxAnimation<P>> {
    if !virtual_clock || animation.min_duration_dyn() != Duration::MAX {
        return Some(animation);
    }
    let error = Arc::new(RunError::<Infallible>::Endless { at });
    let _ = catch_unwind(AssertUnwindSafe(move || drop(animation)));
    shared.report(Event::Refused { id, at, error });
    None
}

/// The mix of a crossfade for pixels of type `P`: [`Color::lerp`] for the crate's
/// colours, a switch at one half for the others (`bool` cannot be half on).
pub(super) fn mixer<P: Pixel>() -> fn(&Mix, P, P) -> P {
    if TypeId::of::<P>() == TypeId::of::<RGB8>() {
        mix_as::<P, RGB8>
    } else if TypeId::of::<P>() == TypeId::of::<Dot>() {
        mix_as::<P, Dot>
    } else {
        switch
    }
}

/// [`mix`] for a `P` that is the colour type `C`.
fn mix_as<P: Pixel, C: Color>(mix: &Mix, a: P, b: P) -> P {
    let colours = (&a as &dyn Any).downcast_ref::<C>().zip((&b as &dyn Any).downcast_ref::<C>());
    match colours {
        Some((&a, &b)) => *(&mix.apply(a, b) as &dyn Any)
            .downcast_ref::<P>()
            .expect("the mix of two `C` is a `C`, which is `P`"),
        None => switch(mix, a, b),
    }
}

/// `a` until the share reaches one half, then `b`.
fn switch<P: Pixel>(mix: &Mix, a: P, b: P) -> P {
    if mix.share < 0.5 { a } else { b }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_mix_and_the_rest_switches_at_one_half() {
        let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
        assert_eq!(mixer::<RGB8>()(&Mix::new(0.2), red, blue), RGB8::new(204, 0, 51));
        let (a, b) = (Dot::new(red, 31), Dot::new(blue, 1));
        assert_eq!(mixer::<Dot>()(&Mix::new(0.5), a, b), Dot::new(RGB8::new(128, 0, 128), 16));
        assert_eq!(mixer::<RGB8>()(&Mix::new(0.0), red, blue), red);
        assert_eq!(mixer::<RGB8>()(&Mix::new(1.0), red, blue), blue);
        // The table gives `lerp`'s bytes at every share a player's fade takes.
        let mut mix = Mix::new(0.0);
        for k in 0..=1000 {
            let t = f64::from(k) / 1000.0;
            mix.set(t);
            for (x, y) in [(red, blue), (RGB8::new(3, 200, 77), RGB8::new(250, 1, 128))] {
                assert_eq!(mixer::<RGB8>()(&mix, x, y), RGB8::lerp(x, y, t), "at {t}");
            }
        }
        let switch = mixer::<bool>();
        assert!(switch(&Mix::new(0.49), true, false));
        assert!(!switch(&Mix::new(0.5), true, false));
    }
}
