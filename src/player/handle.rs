//! The handle that controls a player from any thread or async task.

use core::fmt;
use core::future::{Future, poll_fn};
use core::sync::atomic::{AtomicU64, Ordering};
use core::task::{Poll, Waker};
use core::time::Duration;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::ThreadId;

use super::event::{Event, Events, Subscribers};
use super::queue::{Command, Commands, Fade, Refused};
use crate::{Animation, BoxAnimation, Curve, Instant, Interrupt, Pixel, ValidationError};

/// Names one [`PlayerHandle::play`] request; events and waits refer to it.
///
/// Ids grow by one with every accepted request of a player, from `#1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlayId(pub(crate) u64);

impl PlayId {
    /// The id as a number (`#7` is 7).
    pub fn get(self) -> u64 {
        self.0
    }
}

/// An id from its number, for ids that travelled as numbers (a control protocol).
impl From<u64> for PlayId {
    fn from(id: u64) -> PlayId {
        PlayId(id)
    }
}

impl fmt::Display for PlayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A request was refused; whatever was playing goes on playing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlayError {
    /// The animation does not fit the player's output.
    #[error("animation refused, the current one keeps playing: {0}")]
    Invalid(#[from] ValidationError),
    /// The player has shut down.
    #[error("the player has shut down; start a new one")]
    Gone,
    /// The command queue is full: the player is not keeping up (its thread is busy in
    /// an animation or an output that does not return). Only
    /// [`PlayerHandle::try_play`] and requests made on the player's own thread (from
    /// inside an animation) get this; the other requests wait for room.
    #[error(
        "the player's command queue is full ({capacity} commands): its thread is not keeping \
         up; retry later"
    )]
    Full {
        /// How many commands the queue holds.
        capacity: usize,
    },
}

/// Waiting for the end of a request could not give an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// [`PlayerHandle::wait`] on a handle that has made no play request.
    #[error("this handle has made no play request to wait for; wait_for(id) waits for another's")]
    NothingPlayed,
    /// The player thread ended before the request did (it panicked outside any
    /// animation, in the output).
    #[error("the player is gone, so request {0} will never end")]
    Gone(PlayId),
    /// The request ended too long ago: the player remembers the last 256 ends.
    #[error("request {0} ended too long ago to be remembered (the last 256 are kept)")]
    Forgotten(PlayId),
    /// The wait was called on the player's own thread (from inside an animation or an
    /// output), where it would wait forever: the thread cannot end a request while it
    /// waits for that request to end.
    #[error("waiting on the player's own thread would deadlock it; wait from another thread")]
    OnPlayerThread,
    /// [`PlayerHandle::wait_for_timeout`] gave up.
    #[error("request {0} did not end within the time given")]
    Timeout(PlayId),
}

/// What a player is playing now; see [`PlayerHandle::playing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Playing {
    /// The request.
    pub id: PlayId,
    /// Its logical start, on the player's clock.
    pub since: Instant,
}

/// How many ended play requests [`PlayerHandle::wait_for`] remembers.
const REMEMBERED: usize = 256;

pub(crate) struct Shared<P: Pixel> {
    len: usize,
    pub(crate) commands: Commands<P>,
    pub(crate) subscribers: Subscribers,
    status: Mutex<Status>,
    changed: Condvar,
    /// The player thread, set when it starts serving.
    pub(crate) thread: OnceLock<ThreadId>,
}

#[derive(Default)]
struct Status {
    /// The last event of each recently ended play request.
    ended: VecDeque<Event>,
    alive: bool,
    playing: Option<Playing>,
    overlay: Option<Playing>,
    wakers: Vec<Waker>,
}

impl<P: Pixel> Shared<P> {
    fn status(&self) -> MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Publishes `event`; a start or an end updates what is playing, an end is
    /// remembered and wakes the waiters.
    pub(crate) fn report(&self, event: Event) {
        self.subscribers.publish(&event);
        if let Event::Started { id, at } = event {
            self.status().playing = Some(Playing { id, since: at });
        } else if let Event::OverlayStarted { id, at } = event {
            self.status().overlay = Some(Playing { id, since: at });
        } else if event.is_end() {
            let mut status = self.status();
            if status.playing.is_some_and(|p| Some(p.id) == event.id()) {
                status.playing = None;
            }
            if status.overlay.is_some_and(|p| Some(p.id) == event.id()) {
                status.overlay = None;
            }
            if status.ended.len() == REMEMBERED {
                status.ended.pop_front();
            }
            status.ended.push_back(event);
            self.notify(status);
        }
    }

    /// The player thread is gone.
    pub(crate) fn close(&self) {
        let mut status = self.status();
        status.alive = false;
        status.playing = None;
        status.overlay = None;
        self.notify(status);
        self.subscribers.close();
    }

    fn notify(&self, mut status: MutexGuard<'_, Status>) {
        let wakers = core::mem::take(&mut status.wakers);
        drop(status);
        self.changed.notify_all();
        wakers.into_iter().for_each(Waker::wake);
    }

    fn on_player_thread(&self) -> bool {
        self.thread.get().is_some_and(|&id| id == std::thread::current().id())
    }

    /// The end of `id` if it is known or will never be.
    fn ended(status: &Status, id: PlayId) -> Option<Result<Event, WaitError>> {
        if let Some(event) = status.ended.iter().rev().find(|e| e.id() == Some(id)) {
            return Some(Ok(event.clone()));
        }
        let forgotten = status.ended.len() == REMEMBERED
            && status.ended.front().and_then(Event::id).is_some_and(|oldest| id < oldest);
        if forgotten {
            return Some(Err(WaitError::Forgotten(id)));
        }
        (!status.alive).then_some(Err(WaitError::Gone(id)))
    }
}

/// Controls a [`Player`](super::Player) from any thread or async task.
///
/// Cheap to clone, `Send + Sync`. Commands return at once: they validate, queue and
/// wake the player, which takes **every** queued command before it sleeps again, in
/// the order they were queued. The waits come in blocking and async forms and need no
/// async runtime.
///
/// # Bounds
///
/// The command queue holds [`Player::COMMANDS`](super::Player::COMMANDS) commands.
/// The player empties it at every wake-up, so it fills only when the player thread is
/// stuck in an animation or an output; then [`PlayerHandle::play`], `stop`, `clear`
/// and the other requests (`overlay`, `crossfade`, `stop_overlay`, `refresh`) wait for
/// room (and fail with [`PlayError::Gone`] if the player shuts down
/// meanwhile), while [`PlayerHandle::try_play`] fails at once with
/// [`PlayError::Full`].
pub struct PlayerHandle<P: Pixel> {
    shared: Arc<Shared<P>>,
    interrupt: Interrupt,
    /// The last request made through this handle (0: none).
    last: AtomicU64,
}

impl<P: Pixel> PlayerHandle<P> {
    pub(crate) fn new(len: usize, capacity: usize, interrupt: Interrupt) -> Self {
        let shared = Arc::new(Shared {
            len,
            commands: Commands::new(capacity),
            subscribers: Subscribers::default(),
            status: Mutex::new(Status { alive: true, ..Status::default() }),
            changed: Condvar::new(),
            thread: OnceLock::new(),
        });
        PlayerHandle { shared, interrupt, last: AtomicU64::new(0) }
    }

    pub(crate) fn shared(&self) -> Arc<Shared<P>> {
        Arc::clone(&self.shared)
    }

    /// How many LEDs the player's output has.
    pub fn len(&self) -> usize {
        self.shared.len
    }

    /// Whether the player's output has no LEDs.
    pub fn is_empty(&self) -> bool {
        self.shared.len == 0
    }

    /// Validates `animation` against the output here, on the calling thread, then
    /// makes it replace whatever is playing, starting now: the old animation is
    /// dropped (its LEDs go off in the frame in which the new one starts).
    ///
    /// Requests sent back to back are all carried out, in order: each animation starts
    /// (is polled once at the instant) and is replaced by the next at that same
    /// instant, and only the last one's frame is written. Every accepted request gets
    /// a [`Event::Started`] and exactly one end event.
    ///
    /// # Errors
    ///
    /// [`PlayError::Invalid`] (nothing changes, the current animation keeps playing),
    /// [`PlayError::Gone`] if the player has shut down, [`PlayError::Full`] only when
    /// called on the player's own thread with the queue full.
    pub fn play(&self, animation: impl Animation<P> + Send + 'static) -> Result<PlayId, PlayError> {
        self.play_boxed(Box::new(animation))
    }

    /// [`PlayerHandle::play`] for an animation that is already boxed.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::play`].
    pub fn play_boxed(&self, animation: BoxAnimation<P>) -> Result<PlayId, PlayError> {
        self.submit(animation, true)
    }

    /// [`PlayerHandle::play`] that never waits: fails with [`PlayError::Full`] when the
    /// command queue is full.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::play`], and [`PlayError::Full`].
    pub fn try_play(
        &self,
        animation: impl Animation<P> + Send + 'static,
    ) -> Result<PlayId, PlayError> {
        self.submit(Box::new(animation), false)
    }

    fn submit(&self, animation: BoxAnimation<P>, wait: bool) -> Result<PlayId, PlayError> {
        self.request(animation, wait, Command::Play)
    }

    /// Validates `animation` here and queues the command `make` builds with it.
    fn request(
        &self,
        animation: BoxAnimation<P>,
        wait: bool,
        make: impl FnOnce(PlayId, BoxAnimation<P>) -> Command<P>,
    ) -> Result<PlayId, PlayError> {
        if let Err(error) = animation.validate_dyn(self.shared.len) {
            drop_quietly(animation);
            return Err(error.into());
        }
        let id = self.send(make(PlayId(0), animation), wait)?.expect("requests get ids");
        self.last.store(id.0, Ordering::Relaxed);
        Ok(id)
    }

    /// Plays `top` over what plays now: where `top` lights an LED it shows `top`'s
    /// value, elsewhere what plays underneath (the base), as [`overlay`](crate::overlay)
    /// composes. The base is not restarted: it keeps running on its own timeline, so
    /// when `top` ends (or is replaced by another overlay, or stopped with
    /// [`PlayerHandle::stop_overlay`]) the LEDs show exactly what the base alone would
    /// have shown. Over nothing, `top` plays over what the LEDs show (dark, unless a
    /// finished program left LEDs lit with [`fill`](crate::fill)).
    ///
    /// The notification use: a red pulse for 3 s over whatever plays, then the
    /// program as if untouched.
    ///
    /// `top` is validated here, as [`PlayerHandle::play`] validates. The request gets
    /// [`Event::OverlayStarted`] and exactly one end event: [`Event::Finished`] when
    /// `top` ends by itself, [`Event::Stopped`] when a newer overlay replaces it
    /// ([`StopReason::Replaced`](super::StopReason::Replaced)), when
    /// [`stop_overlay`](PlayerHandle::stop_overlay) ends it, or when
    /// [`play`](PlayerHandle::play), [`stop`](PlayerHandle::stop),
    /// [`clear`](PlayerHandle::clear) or the shutdown end everything;
    /// [`Event::Panicked`] if `top` panics, which ends only the overlay. If the base
    /// ends first, the overlay goes on (over what the base left) until it ends: a
    /// notification is not cut short. [`PlayerHandle::playing`] stays the base;
    /// [`PlayerHandle::overlay_playing`] is the overlay.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::play`].
    ///
    /// # Examples
    ///
    /// LED 1 lit for 250 ms over a blink of both LEDs; the blink goes on as if nothing
    /// had happened:
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::{Event, ManualClock, Player};
    ///
    /// let (clock, control) = ManualClock::new();
    /// let player = Player::spawn(Recorder::new(2), clock).unwrap();
    /// let handle = player.handle();
    /// let base = handle.play(blink(0..2, ms(100)).times(3)).unwrap();
    /// control.settle();
    /// control.advance(ms(50));
    /// control.settle();
    /// let top = handle.overlay(on(1).timeout(ms(250))).unwrap();
    /// control.settle();
    /// assert_eq!(handle.overlay_playing().map(|p| p.id), Some(top));
    /// assert_eq!(handle.playing().map(|p| p.id), Some(base));
    /// for _ in 0..6 {
    ///     control.advance(ms(50));
    ///     control.settle();
    /// }
    /// assert!(matches!(handle.wait_for(top), Ok(Event::Finished { .. })));
    /// assert_eq!(handle.overlay_playing(), None);
    /// for _ in 0..6 {
    ///     control.advance(ms(50));
    ///     control.settle();
    /// }
    /// assert!(matches!(handle.wait_for(base), Ok(Event::Finished { .. })));
    /// player.shutdown().unwrap().assert_timeline("
    ///     0.000000 ##
    ///     0.100000 .#
    ///     0.200000 ##
    ///     0.300000 ..
    ///     0.400000 ##
    ///     0.500000 ..
    /// ");
    /// ```
    pub fn overlay(&self, top: impl Animation<P> + Send + 'static) -> Result<PlayId, PlayError> {
        self.overlay_boxed(Box::new(top))
    }

    /// [`PlayerHandle::overlay`] for an animation that is already boxed.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::play`].
    pub fn overlay_boxed(&self, top: BoxAnimation<P>) -> Result<PlayId, PlayError> {
        self.request(top, true, Command::Overlay)
    }

    /// Ends the overlay (with [`Event::Stopped`], reason
    /// [`StopReason::Stop`](super::StopReason::Stop)); the base shows through at once.
    /// Does nothing if no overlay plays.
    ///
    /// # Errors
    ///
    /// [`PlayError::Gone`] if the player has shut down.
    pub fn stop_overlay(&self) -> Result<(), PlayError> {
        self.send(Command::StopOverlay, true).map(drop)
    }

    /// Replaces what plays with `next`, blending from the current program to `next`
    /// over `duration` with `curve`: each LED shows the mix of its values in the two
    /// programs, as [`crossfade`](crate::crossfade) mixes, with the share of `next`
    /// moving on [`Crossfade::DEFAULT_STEP`](crate::Crossfade::DEFAULT_STEP) steps
    /// from the crossfade's start (and exactly 1 at `start + duration`). The old
    /// program keeps running during the fade and is then dropped; `next` starts on
    /// dark LEDs, so whatever the old one showed fades out. An overlay keeps playing
    /// over the fade. Over nothing, `next` fades in from what the LEDs show (dark,
    /// unless a finished program left LEDs lit).
    ///
    /// Colours ([`RGB8`](crate::RGB8), [`Dot`](crate::Dot)) mix with
    /// [`Color::lerp`](crate::Color::lerp); other pixels (`bool`) cannot be half on and
    /// switch from the old program to `next` where the curve reaches one half.
    ///
    /// `next` gets [`Event::Started`] at once and then one end event, as with `play`;
    /// the old program gets [`Event::Stopped`] with
    /// [`StopReason::Replaced`](super::StopReason::Replaced)`(id of next)` when the fade
    /// is over, or its own end if it ends first. If `next` ends during the fade, the
    /// fade is cut there (the old program is stopped the same way).
    ///
    /// A crossfade that arrives during a fade does not jump: the fade under way goes
    /// on, on its own schedule, as the "from" side of the new fade (each LED shows
    /// `mix(mix(oldest, previous, s1), next, s2)`), and each program faded out gets its
    /// `Stopped` when its fade ends. A third one arriving while both fades run cuts the
    /// oldest program at once (`Stopped`, replaced by the one that was fading it out),
    /// which then contributes `(1 - s1)·(1 - s2)` of the light.
    ///
    /// A zero `duration` swaps the program at once as [`PlayerHandle::play`] does (the
    /// old program is dropped and `next` starts on what it left), except that an
    /// overlay keeps playing.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::play`], and [`PlayError::Invalid`] for a `duration` longer than
    /// [`LONGEST`](crate::LONGEST).
    ///
    /// # Examples
    ///
    /// From red to blue over 100 ms, in the middle of a red program:
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::{ManualClock, Player};
    ///
    /// let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
    /// let (clock, control) = ManualClock::new();
    /// let player = Player::spawn(Recorder::<RGB8>::with_len(1), clock).unwrap();
    /// let handle = player.handle();
    /// handle.play(on(0).color(red)).unwrap();
    /// control.settle();
    /// control.advance(ms(100));
    /// control.settle();
    /// handle.crossfade(on(0).color(blue), ms(100), Curve::Linear).unwrap();
    /// control.settle();
    /// for _ in 0..5 {
    ///     control.advance(ms(20));
    ///     control.settle();
    /// }
    /// let recorder = player.shutdown().unwrap();
    /// let reds: Vec<u8> = recorder.steps().iter().map(|s| s.pixels[0].r).collect();
    /// // 0 %, 20 %, 40 %, 60 %, 80 %, 100 % blue, then the shutdown.
    /// assert_eq!(reds, [255, 204, 153, 102, 51, 0, 0]);
    /// ```
    pub fn crossfade(
        &self,
        next: impl Animation<P> + Send + 'static,
        duration: Duration,
        curve: Curve,
    ) -> Result<PlayId, PlayError> {
        self.crossfade_boxed(Box::new(next), duration, curve)
    }

    /// [`PlayerHandle::crossfade`] for an animation that is already boxed.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::crossfade`].
    pub fn crossfade_boxed(
        &self,
        next: BoxAnimation<P>,
        duration: Duration,
        curve: Curve,
    ) -> Result<PlayId, PlayError> {
        if let Err(error) = crate::error::at_most_longest("crossfade", "the duration", duration) {
            drop_quietly(next);
            return Err(error.into());
        }
        self.request(next, true, |id, next| Command::Crossfade(id, next, Fade { duration, curve }))
    }

    /// Writes the whole current frame to the output again at once, even the LEDs that
    /// did not change: after a
    /// [`BrightnessHandle::set`](crate::output::adapter::BrightnessHandle::set), a still
    /// frame shows the new brightness without waiting for the next change. Works while
    /// a program plays (the frame of this instant) and when nothing does (the last
    /// frame).
    ///
    /// # Errors
    ///
    /// [`PlayError::Gone`] if the player has shut down.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::output::adapter::{Brightness, BrightnessHandle};
    /// use blinken::prelude::*;
    /// use blinken::{ManualClock, Player};
    ///
    /// let level = BrightnessHandle::new(255);
    /// let output = Brightness::with_handle(Recorder::<RGB8>::with_len(1), level.clone());
    /// let (clock, control) = ManualClock::new();
    /// let player = Player::spawn(output, clock).unwrap();
    /// let handle = player.handle();
    /// handle.play(on(0).color(RGB8::new(200, 100, 0))).unwrap();
    /// control.settle();
    /// level.set(127); // a still frame: nothing is written...
    /// handle.refresh().unwrap(); // ...until now
    /// control.settle();
    /// let recorder = player.shutdown().unwrap().into_inner();
    /// let shown: Vec<RGB8> = recorder.steps().iter().map(|s| s.pixels[0]).collect();
    /// assert_eq!(shown[..2], [RGB8::new(200, 100, 0), RGB8::new(100, 50, 0)]);
    /// ```
    pub fn refresh(&self) -> Result<(), PlayError> {
        self.send(Command::Refresh, true).map(drop)
    }

    /// Stops the current animation; its LEDs go off. LEDs set by finished animations
    /// (with [`fill`](crate::fill)) stay as they are; see [`PlayerHandle::clear`].
    ///
    /// # Errors
    ///
    /// [`PlayError::Gone`] if the player has shut down.
    pub fn stop(&self) -> Result<(), PlayError> {
        self.send(Command::Stop, true).map(drop)
    }

    /// Stops the current animation and switches every LED off.
    ///
    /// # Errors
    ///
    /// [`PlayError::Gone`] if the player has shut down.
    pub fn clear(&self) -> Result<(), PlayError> {
        self.send(Command::Clear, true).map(drop)
    }

    /// [`PlayerHandle::stop`] that never waits: fails with [`PlayError::Full`] when the
    /// command queue is full (a server's I/O thread must not block on a stuck player).
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::stop`], and [`PlayError::Full`].
    pub fn try_stop(&self) -> Result<(), PlayError> {
        self.send(Command::Stop, false).map(drop)
    }

    /// [`PlayerHandle::clear`] that never waits: fails with [`PlayError::Full`] when
    /// the command queue is full.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::clear`], and [`PlayError::Full`].
    pub fn try_clear(&self) -> Result<(), PlayError> {
        self.send(Command::Clear, false).map(drop)
    }

    /// [`PlayerHandle::play_boxed`] that never waits, as [`PlayerHandle::try_play`].
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::try_play`].
    pub fn try_play_boxed(&self, animation: BoxAnimation<P>) -> Result<PlayId, PlayError> {
        self.submit(animation, false)
    }

    /// [`PlayerHandle::overlay_boxed`] that never waits: fails with [`PlayError::Full`]
    /// when the command queue is full.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::overlay`], and [`PlayError::Full`].
    pub fn try_overlay_boxed(&self, top: BoxAnimation<P>) -> Result<PlayId, PlayError> {
        self.request(top, false, Command::Overlay)
    }

    /// [`PlayerHandle::crossfade_boxed`] that never waits: fails with
    /// [`PlayError::Full`] when the command queue is full.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::crossfade`], and [`PlayError::Full`].
    pub fn try_crossfade_boxed(
        &self,
        next: BoxAnimation<P>,
        duration: Duration,
        curve: Curve,
    ) -> Result<PlayId, PlayError> {
        if let Err(error) = crate::error::at_most_longest("crossfade", "the duration", duration) {
            drop_quietly(next);
            return Err(error.into());
        }
        self.request(next, false, |id, next| Command::Crossfade(id, next, Fade { duration, curve }))
    }

    /// [`PlayerHandle::stop_overlay`] that never waits.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::stop_overlay`], and [`PlayError::Full`].
    pub fn try_stop_overlay(&self) -> Result<(), PlayError> {
        self.send(Command::StopOverlay, false).map(drop)
    }

    /// [`PlayerHandle::refresh`] that never waits.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::refresh`], and [`PlayError::Full`].
    pub fn try_refresh(&self) -> Result<(), PlayError> {
        self.send(Command::Refresh, false).map(drop)
    }

    /// Subscribes to the player's events from now on, keeping at most
    /// [`Events::CAPACITY`] unread events; see [`Events`] for what happens to a
    /// subscriber that does not keep up.
    pub fn events(&self) -> Events {
        self.events_with_capacity(Events::CAPACITY)
    }

    /// [`PlayerHandle::events`] keeping at most `capacity` unread events (at least 1).
    pub fn events_with_capacity(&self, capacity: usize) -> Events {
        self.shared.subscribers.subscribe(capacity.max(1))
    }

    /// What is playing now: the request and its start, or `None` between requests.
    pub fn playing(&self) -> Option<Playing> {
        self.shared.status().playing
    }

    /// The overlay playing now ([`PlayerHandle::overlay`]): the request and its start,
    /// or `None`.
    pub fn overlay_playing(&self) -> Option<Playing> {
        self.shared.status().overlay
    }

    /// Blocks until the last request made **through this handle** has ended; returns
    /// its last event ([`Event::Finished`], [`Event::Stopped`], [`Event::Skipped`],
    /// [`Event::Refused`], [`Event::OutputFailed`] or [`Event::Panicked`]).
    ///
    /// A clone starts with no request of its own (and [`Player::handle`](super::Player::handle)
    /// returns a new clone each time): keep the handle you played with, or use
    /// [`PlayerHandle::wait_for`] with the id `play` returned.
    ///
    /// # Errors
    ///
    /// [`WaitError::NothingPlayed`], and as [`PlayerHandle::wait_for`].
    pub fn wait(&self) -> Result<Event, WaitError> {
        self.wait_for(self.last()?)
    }

    /// Blocks until play request `id` (from any handle) has ended; returns its last
    /// event.
    ///
    /// # Errors
    ///
    /// [`WaitError::OnPlayerThread`] when called from inside an animation or output
    /// of this player; [`WaitError::Gone`] if the player died first;
    /// [`WaitError::Forgotten`] for a request hundreds of ends old.
    pub fn wait_for(&self, id: PlayId) -> Result<Event, WaitError> {
        self.wait_until(id, None)
    }

    /// [`PlayerHandle::wait_for`], giving up after `timeout`.
    ///
    /// # Errors
    ///
    /// As [`PlayerHandle::wait_for`], and [`WaitError::Timeout`].
    pub fn wait_for_timeout(&self, id: PlayId, timeout: Duration) -> Result<Event, WaitError> {
        self.wait_until(id, Some(std::time::Instant::now() + timeout))
    }

    fn wait_until(
        &self,
        id: PlayId,
        give_up: Option<std::time::Instant>,
    ) -> Result<Event, WaitError> {
        if self.shared.on_player_thread() {
            return Err(WaitError::OnPlayerThread);
        }
        let mut status = self.shared.status();
        loop {
            if let Some(end) = Shared::<P>::ended(&status, id) {
                return end;
            }
            status = match give_up {
                None => self.shared.changed.wait(status).unwrap_or_else(PoisonError::into_inner),
                Some(give_up) => {
                    let left = give_up.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() {
                        return Err(WaitError::Timeout(id));
                    }
                    let waited = self.shared.changed.wait_timeout(status, left);
                    waited.unwrap_or_else(PoisonError::into_inner).0
                }
            };
        }
    }

    /// [`PlayerHandle::wait`] for async code (any runtime, or none).
    pub fn wait_async(&self) -> impl Future<Output = Result<Event, WaitError>> + Send + '_ {
        let last = self.last();
        async move { self.wait_for_async(last?).await }
    }

    /// [`PlayerHandle::wait_for`] for async code (any runtime, or none).
    pub fn wait_for_async(
        &self,
        id: PlayId,
    ) -> impl Future<Output = Result<Event, WaitError>> + Send + '_ {
        poll_fn(move |task| {
            if self.shared.on_player_thread() {
                return Poll::Ready(Err(WaitError::OnPlayerThread));
            }
            let mut status = self.shared.status();
            match Shared::<P>::ended(&status, id) {
                Some(end) => Poll::Ready(end),
                None => {
                    if !status.wakers.iter().any(|w| w.will_wake(task.waker())) {
                        status.wakers.push(task.waker().clone());
                    }
                    Poll::Pending
                }
            }
        })
    }

    /// Whether the player thread is still serving.
    pub fn is_alive(&self) -> bool {
        self.shared.status().alive
    }

    fn last(&self) -> Result<PlayId, WaitError> {
        match self.last.load(Ordering::Relaxed) {
            0 => Err(WaitError::NothingPlayed),
            id => Ok(PlayId(id)),
        }
    }

    fn send(&self, command: Command<P>, wait: bool) -> Result<Option<PlayId>, PlayError> {
        // Waiting for room on the player's own thread would wait forever.
        let wait = wait && !self.shared.on_player_thread();
        match self.shared.commands.push(command, wait) {
            // Queue first, then interrupt: the player answers an interrupt by taking
            // the whole queue, and looks at the queue before every sleep.
            Ok(id) => {
                self.interrupt.interrupt();
                Ok(id)
            }
            Err(Refused::Closed(command)) => {
                drop_command(command);
                Err(PlayError::Gone)
            }
            Err(Refused::Full(command)) => {
                drop_command(command);
                Err(PlayError::Full { capacity: self.shared.commands.capacity() })
            }
        }
    }

    pub(crate) fn request_shutdown(&self) {
        let _ = self.send(Command::Shutdown, true);
    }
}

/// Drops a refused command on the caller's thread; a panic in the animation's `Drop`
/// must not turn a clean refusal into a panic of the caller.
fn drop_command<P: Pixel>(command: Command<P>) {
    if let Some((_, animation)) = command.into_request() {
        drop_quietly(animation);
    }
}

fn drop_quietly<T>(value: T) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(value)));
}

impl<P: Pixel> Clone for PlayerHandle<P> {
    /// A handle to the same player, with no request of its own yet (see
    /// [`PlayerHandle::wait`]).
    fn clone(&self) -> Self {
        PlayerHandle {
            shared: Arc::clone(&self.shared),
            interrupt: self.interrupt.clone(),
            last: AtomicU64::new(0),
        }
    }
}

impl<P: Pixel> fmt::Debug for PlayerHandle<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlayerHandle")
            .field("len", &self.shared.len)
            .field("alive", &self.is_alive())
            .field("queued", &self.shared.commands.len())
            .finish_non_exhaustive()
    }
}
