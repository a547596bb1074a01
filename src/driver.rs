//! The driver: polls one animation, fires its timers, writes each frame once.

use core::future::Future;
use core::pin::{Pin, pin};
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::sync::Arc;
use std::task::Wake;

use crate::clock::{Clock, Idle, Interrupt, VirtualClock};
use crate::output::{Frame, Output};
use crate::{Animation, Cx, Instant, Pixel, ValidationError};

/// Plays animations on an [`Output`] with a [`Clock`].
///
/// The driver owns the frame buffer and the timer queue. Each round it advances the
/// clock to the next deadline, wakes every timer due by then, polls the woken parts of
/// the animation, and writes the frame to the output **once**, and only if it changed,
/// with the list of changed LEDs.
///
/// # Timing
///
/// On a [`VirtualClock`] every round happens exactly at a deadline. On a real clock a
/// round happens when the clock wakes (a little late); every timer due by then fires
/// in that round, so a stalled driver catches up in one write and never replays stale
/// frames. Deadlines come from the animations' logical times, so lateness never
/// accumulates.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
/// let program = blink(0, ms(100)).and(blink(1, ms(150)));
/// // A forever-program on a virtual clock: look at the first 300 ms.
/// let end = driver.run_for(&program.forever(), ms(300)).unwrap();
/// assert_eq!(end, RunEnd::Stopped(Instant::ZERO + ms(300)));
/// driver.output().assert_timeline("
///     0.000000 ##
///     0.100000 .#
///     0.150000 ..
///     0.200000 #.
///     0.300000 .#
/// ");
/// ```
#[derive(Debug)]
pub struct Driver<O: Output, C: Clock = VirtualClock> {
    cx: Cx<O::Pixel>,
    engine: Engine<O, C>,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// The animation ended at this logical instant.
    Finished(Instant),
    /// The time limit was reached at this instant and the animation was cancelled.
    Stopped(Instant),
    /// The caller's check asked to stop at this instant (see [`Driver::run_while`]);
    /// the animation was cancelled.
    Interrupted(Instant),
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError<E> {
    /// The animation does not fit the output; nothing was played.
    #[error("animation refused: {0}")]
    Invalid(#[from] ValidationError),
    /// The output refused a frame; the animation was stopped.
    #[error("the output failed to show the frame of {at}; the animation was stopped")]
    Output {
        /// The instant of the frame that could not be written.
        at: Instant,
        /// The backend's error.
        #[source]
        source: E,
    },
    /// The animation never ends by itself (its
    /// [`min_duration`](crate::Animation::min_duration) is `Duration::MAX`: an `on`, a
    /// `forever`, a `cycle`, a `blink` without `.times`) and was to be played to its
    /// end on a [virtual](Clock::is_virtual) clock, which would simulate forever while
    /// the output fills: refused **before anything plays**.
    #[error(
        "the animation never ends by itself (an `on`, a `forever`, a `cycle` or a `blink` \
         without `.times` in it), so playing it to its end on a virtual clock would simulate \
         forever; play it with `run_for` to see a window of it"
    )]
    Endless {
        /// The instant it would have started at.
        at: Instant,
    },
    /// The animation waits for something that never comes on this clock, which cannot
    /// wait for anything from outside (a virtual clock): nothing is scheduled, or only
    /// a deadline at or past the end of the timeline.
    ///
    /// `at` is the instant at which nothing was left to wait for, or [`Instant::MAX`]
    /// when the animation waits for the end of the timeline (about 584 years after the
    /// clock's origin).
    #[error("{}", idle_message(*at))]
    Idle {
        /// The instant at which nothing was left to wait for, or [`Instant::MAX`] for
        /// the end of the timeline.
        at: Instant,
    },
}

fn idle_message(at: Instant) -> String {
    let why = match at {
        Instant::MAX => "the animation waits for the end of the timeline (about 584 years after \
                         the clock's origin), which never comes"
            .to_owned(),
        at => format!(
            "the animation never ends on this clock: from {at} it waits with nothing \
             scheduled, and nothing outside moves a virtual clock"
        ),
    };
    format!("{why}; play it with `run_for` to see a window of it")
}

impl<O: Output, C: Clock> Driver<O, C> {
    /// A driver writing to `output` with time from `clock`. Nothing is written until
    /// the first run (or [`Driver::flush`]); the first write sends every LED.
    pub fn new(output: O, clock: C) -> Driver<O, C> {
        let len = output.len();
        let root = Arc::new(RootWake {
            woken: AtomicBool::new(false),
            sleeping: AtomicBool::new(false),
            interrupt: clock.interrupt(),
        });
        Driver {
            cx: Cx::new(len, clock.now()),
            engine: Engine {
                output,
                clock,
                shown: vec![O::Pixel::OFF; len],
                frame: vec![O::Pixel::OFF; len],
                failed: false,
                output_panicked: false,
                changed: Vec::with_capacity(len),
                full_write: true,
                root_waker: Waker::from(Arc::clone(&root)),
                root,
            },
        }
    }

    /// Plays `animation` from now until it ends; returns its logical end.
    ///
    /// # Errors
    ///
    /// [`RunError::Invalid`] before anything plays if the animation does not fit the
    /// output; [`RunError::Output`] if a write fails (the animation is dropped, so its
    /// LEDs go off in the frame). On a virtual clock ([`Clock::is_virtual`]),
    /// [`RunError::Endless`] before anything plays if it never ends by itself (an
    /// [`on`](crate::on), a [`forever`](crate::forever)), and [`RunError::Idle`] when
    /// it turns out to wait for nothing (or for the end of the timeline).
    pub fn run<A: Animation<O::Pixel> + ?Sized>(
        &mut self,
        animation: &A,
    ) -> Result<Instant, RunError<O::Error>> {
        match self.play(animation, Limit::None, &mut || Go::On, true)? {
            RunEnd::Finished(end) => Ok(end),
            _ => unreachable!("a run without a limit or check is never stopped"),
        }
    }

    /// Plays `animation` for at most `limit`: every instant up to and including
    /// `now + limit` is served, then the animation is cancelled.
    ///
    /// # Cancellation
    ///
    /// When the limit is reached the animation is dropped: its leaves switch their
    /// LEDs off in the frame. That frame is not written; the output keeps showing the
    /// last instant served until the next run or [`Driver::flush`].
    ///
    /// A limit past the end of the timeline (`Duration::MAX`, or anything beyond
    /// [`Instant::MAX`]) means no limit: the call is [`Driver::run`].
    ///
    /// # Errors
    ///
    /// As [`Driver::run`]; with a limit, never [`RunError::Idle`] nor
    /// [`RunError::Endless`].
    pub fn run_for<A: Animation<O::Pixel> + ?Sized>(
        &mut self,
        animation: &A,
        limit: Duration,
    ) -> Result<RunEnd, RunError<O::Error>> {
        self.play(animation, Limit::After(limit), &mut || Go::On, true)
    }

    /// Like [`Driver::run_for`] with an absolute deadline; [`Instant::MAX`] means no
    /// limit.
    ///
    /// # Errors
    ///
    /// As [`Driver::run_for`].
    pub fn run_until<A: Animation<O::Pixel> + ?Sized>(
        &mut self,
        animation: &A,
        deadline: Instant,
    ) -> Result<RunEnd, RunError<O::Error>> {
        self.play(animation, Limit::At(deadline), &mut || Go::On, true)
    }

    /// Plays `animation` until it ends, until `limit` if given, or until
    /// `keep_going` returns false. `keep_going` is asked before every wait of the
    /// clock and after every wake-up, so a request that arrives while the animation is
    /// being polled is seen before the driver sleeps, and a clock woken through its
    /// [`Interrupt`](crate::Interrupt) lets the caller stop the run at once: this is
    /// how a [`Player`](crate::Player) swaps animations.
    ///
    /// When `keep_going` says no, the animation is dropped (its leaves switch their
    /// LEDs off in the frame) and the frame of that instant is **not** written: the
    /// next run or [`Driver::flush`] writes it, so that a swap is one write.
    ///
    /// # Errors
    ///
    /// As [`Driver::run`].
    pub fn run_while<A: Animation<O::Pixel> + ?Sized>(
        &mut self,
        animation: &A,
        limit: Option<Instant>,
        mut keep_going: impl FnMut() -> bool,
    ) -> Result<RunEnd, RunError<O::Error>> {
        let mut go = || if keep_going() { Go::On } else { Go::Stop };
        self.play(animation, limit.map_or(Limit::None, Limit::At), &mut go, false)
    }

    /// [`Driver::run_while`] for a player's stage: `keep_going` may also ask for the
    /// animation to be polled again at once ([`Go::Poll`]: it handed the animation
    /// something to do), before the frame of this instant is written.
    pub(crate) fn run_stage<A: Animation<O::Pixel> + ?Sized>(
        &mut self,
        animation: &A,
        mut keep_going: impl FnMut() -> Go,
    ) -> Result<RunEnd, RunError<O::Error>> {
        self.play(animation, Limit::None, &mut keep_going, false)
    }

    /// Writes the whole frame at the next write (now, if no run is going on), even
    /// the LEDs that did not change: for outputs that transform the frame (a
    /// brightness that was changed) or devices that may have lost it.
    ///
    /// # Errors
    ///
    /// The output's error.
    pub(crate) fn refresh(&mut self) -> Result<(), O::Error> {
        self.cx.refresh();
        self.flush()
    }

    /// `whole`: the caller waits for the end (no `keep_going`), so a program that
    /// certainly cannot end is refused before it starts.
    fn play<A: Animation<O::Pixel> + ?Sized>(
        &mut self,
        animation: &A,
        limit: Limit,
        keep_going: &mut dyn FnMut() -> Go,
        whole: bool,
    ) -> Result<RunEnd, RunError<O::Error>> {
        animation.validate(self.cx.len())?;
        let start = self.engine.clock.now();
        // A relative limit counts from the same reading as the start, so that a
        // deadline at exactly `start + limit` is served on a real clock too. A limit at
        // or past the end of the timeline is no limit.
        let limit = match limit {
            Limit::None => None,
            Limit::At(deadline) => Some(deadline),
            Limit::After(window) => start.checked_add(window),
        }
        .filter(|&limit| limit < Instant::MAX);
        // After validation, which bounds the depth of this recursive walk.
        if whole
            && limit.is_none()
            && self.engine.clock.is_virtual()
            && animation.min_duration() == Duration::MAX
        {
            return Err(RunError::Endless { at: start });
        }
        self.cx.set_now(start);
        self.cx.timers().borrow_mut().clear();
        let future = pin!(animation.run(&self.cx, start));
        match self.engine.drive(&self.cx, future, limit, keep_going) {
            Err(RunError::Idle { .. }) if self.cx.waits_for_end_of_time() => {
                Err(RunError::Idle { at: Instant::MAX })
            }
            result => result,
        }
    }

    /// After a panic unwound through a run: forget its timers and send the whole frame
    /// with the next write, whatever state the output was left in.
    /// Returns whether the panic came from the output (in a write).
    pub(crate) fn recover(&mut self) -> bool {
        self.cx.timers().borrow_mut().clear();
        self.engine.full_write = true;
        core::mem::take(&mut self.engine.output_panicked)
    }

    /// Writes the frame buffer to the output if it differs from what the output shows
    /// (for instance after a cancelled run switched LEDs off).
    ///
    /// # Errors
    ///
    /// The output's error.
    pub fn flush(&mut self) -> Result<(), O::Error> {
        self.cx.set_now(self.engine.clock.now().max(self.cx.now()));
        self.engine.flush(&self.cx)
    }

    /// Switches every LED off and writes the frame.
    ///
    /// # Errors
    ///
    /// The output's error.
    pub fn clear(&mut self) -> Result<(), O::Error> {
        for i in 0..self.cx.len() {
            self.cx.set(i, O::Pixel::OFF);
        }
        self.flush()
    }

    /// What the output shows: the last frame it accepted. After a failed write the
    /// device may show something else (see [`Driver::write_failed`]).
    pub fn shown(&self) -> &[O::Pixel] {
        &self.engine.shown
    }

    /// Whether the last write failed. The output then may not show [`Driver::shown`]
    /// nor the frame being built; the next [`Driver::flush`] sends every LED again,
    /// also when nothing changed since.
    pub fn write_failed(&self) -> bool {
        self.engine.failed
    }

    /// The clock's current instant.
    pub fn now(&self) -> Instant {
        self.engine.clock.now()
    }

    /// The output.
    pub fn output(&self) -> &O {
        &self.engine.output
    }

    /// The output, mutably (to configure it between runs).
    pub fn output_mut(&mut self) -> &mut O {
        &mut self.engine.output
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.engine.clock
    }

    pub(crate) fn clock_mut(&mut self) -> &mut C {
        &mut self.engine.clock
    }

    /// Gives the output back (without switching anything off: see [`Driver::clear`]).
    pub fn into_output(self) -> O {
        self.engine.output
    }
}

/// What a run's check asks for; see [`Driver::run_stage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Go {
    /// Go on.
    On,
    /// Poll the animation again at this instant before writing the frame.
    Poll,
    /// Stop the run (cancel the animation) now.
    Stop,
}

/// When a run stops at the latest.
#[derive(Debug, Clone, Copy)]
enum Limit {
    None,
    At(Instant),
    After(Duration),
}

/// Everything but the frame buffer, so that a running future can borrow the `Cx`
/// while the engine is borrowed mutably.
#[derive(Debug)]
struct Engine<O: Output, C> {
    output: O,
    clock: C,
    /// What the output shows: the last frame it accepted.
    shown: Vec<O::Pixel>,
    /// The frame being sent (equal to `shown` after a successful write).
    frame: Vec<O::Pixel>,
    /// The last write failed: the output may show anything.
    failed: bool,
    /// The last write panicked (until [`Driver::recover`]).
    output_panicked: bool,
    /// Indices changed in the current flush (reused buffer).
    changed: Vec<usize>,
    /// The next write sends every LED: first write, or after a failed one.
    full_write: bool,
    root: Arc<RootWake>,
    root_waker: Waker,
}

impl<O: Output, C: Clock> Engine<O, C> {
    fn drive<F: Future<Output = Instant>>(
        &mut self,
        cx: &Cx<O::Pixel>,
        mut future: Pin<&mut F>,
        limit: Option<Instant>,
        keep_going: &mut dyn FnMut() -> Go,
    ) -> Result<RunEnd, RunError<O::Error>> {
        let output_error = |at| move |source| RunError::Output { at, source };
        let virtual_clock = self.clock.is_virtual();
        self.root.wake_by_ref();
        loop {
            let now = cx.now();
            while self.root.take() {
                let mut task = Context::from_waker(&self.root_waker);
                if let Poll::Ready(end) = future.as_mut().poll(&mut task) {
                    self.flush(cx).map_err(output_error(now))?;
                    return Ok(RunEnd::Finished(end));
                }
            }
            // Asked before every sleep, not only after one: a request that arrived while
            // the animation was being polled must not wait for the next deadline. The
            // frame of this instant is left for whoever runs next, so that a swap is
            // still one write.
            match keep_going() {
                Go::On => {}
                Go::Stop => return Ok(RunEnd::Interrupted(now)),
                // Polled again at this instant, before the frame is written: still one
                // write per instant.
                Go::Poll => {
                    self.root.wake_by_ref();
                    continue;
                }
            }
            self.flush(cx).map_err(output_error(now))?;
            if limit.is_some_and(|limit| now >= limit) {
                return Ok(RunEnd::Stopped(now));
            }
            let next = cx.timers().borrow_mut().next_deadline();
            let wake_at = match (next, limit) {
                (Some(next), Some(limit)) => Some(next.min(limit)),
                (next, limit) => next.or(limit),
            };
            // A wake-up from outside (a future of the animation woken by another thread)
            // must end the sleep: announce it, then look at the flag once more. A
            // virtual clock never waits, so there is no sleep to end.
            if !virtual_clock {
                self.root.sleeping.store(true, Ordering::SeqCst);
            }
            let slept = match self.root.woken.load(Ordering::SeqCst) {
                true => Ok(()),
                false => self.clock.sleep_until(wake_at),
            };
            if !virtual_clock {
                self.root.sleeping.store(false, Ordering::SeqCst);
            }
            slept.map_err(|Idle| RunError::Idle { at: now })?;
            let mut later = self.clock.now().max(now);
            match keep_going() {
                Go::On => {}
                Go::Stop => return Ok(RunEnd::Interrupted(later)),
                Go::Poll => self.root.wake_by_ref(),
            }
            if let Some(limit) = limit {
                later = later.min(limit);
            }
            cx.set_now(later);
            cx.timers().borrow_mut().wake_due(later);
        }
    }

    /// Sends what changed since the last successful write (everything after a failed
    /// one); `shown` moves only when the output accepted the frame.
    fn flush(&mut self, cx: &Cx<O::Pixel>) -> Result<(), O::Error> {
        if cx.take_refresh() {
            self.full_write = true;
        }
        self.changed.clear();
        // Whether every LED was compared (then `changed` is in order).
        let mut dense = false;
        let (frame, shown, changed) = (&mut self.frame, &self.shown, &mut self.changed);
        if self.full_write {
            cx.clear_dirty();
            for (slot, pixel) in frame.iter_mut().zip(cx.pixels()) {
                *slot = pixel;
            }
            changed.extend(0..frame.len());
        } else {
            // Between writes `frame == shown` everywhere but at the dirty indices.
            dense = cx.drain_changes(frame, shown, changed);
            if changed.is_empty() {
                return Ok(());
            }
            if !dense {
                changed.sort_unstable();
            }
        }
        let frame = Frame { pixels: &self.frame, changed: &self.changed, at: cx.now() };
        // A backend that panics leaves the device in an unknown state: mark it so
        // before the panic goes on (a player catches it and keeps serving).
        let written =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.output.write(frame)))
                .unwrap_or_else(|panic| {
                    self.full_write = true;
                    self.failed = true;
                    self.output_panicked = true;
                    std::panic::resume_unwind(panic)
                });
        if let Err(error) = written {
            self.full_write = true;
            self.failed = true;
            return Err(error);
        }
        if dense {
            // `frame == shown` at every LED not changed: copying all is the same, and
            // cheaper than visiting the many changed ones.
            self.shown.copy_from_slice(&self.frame);
        } else {
            for &i in &self.changed {
                self.shown[i] = self.frame[i];
            }
        }
        self.full_write = false;
        self.failed = false;
        Ok(())
    }
}

/// The top-level waker: marks the animation as needing a poll, and interrupts the
/// clock when the driver sleeps (a wake-up from another thread; the driver's own timers
/// fire while it is awake and cost no system call).
#[derive(Debug)]
struct RootWake {
    woken: AtomicBool,
    sleeping: AtomicBool,
    interrupt: Interrupt,
}

impl RootWake {
    fn take(&self) -> bool {
        // A plain load first: after the polls of a round the flag is usually clear,
        // and a swap is a locked read-modify-write even when it changes nothing.
        self.woken.load(Ordering::Relaxed) && self.woken.swap(false, Ordering::AcqRel)
    }
}

impl Wake for RootWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst) {
            self.interrupt.interrupt();
        }
    }
}
