//! [`Binding`]: presses of an input turned into player requests.

use core::fmt;
use core::time::Duration;
use std::thread::JoinHandle;

use super::{Edge, EdgeKind, Input, Subscription};
use crate::{BoxAnimation, Clock, Instant, Pixel, PlayError, PlayerHandle, SystemClock};

/// Builds a fresh animation for each play of a preset.
pub type Preset<P> = Box<dyn Fn() -> BoxAnimation<P> + Send>;

/// What one press of a [`Binding`] does: play a preset, or lay one over what plays.
enum Target<P> {
    Play(Preset<P>),
    Overlay(Preset<P>),
}

/// What a gesture on the input asks of the player.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Play the next preset (or lay the next overlay, see [`Binding::overlay`]).
    Next,
    /// Stop what plays.
    Stop,
}

/// Recognises gestures in a stream of edges: the pure part of a [`Binding`].
///
/// Without a long press, every press is [`Action::Next`] at once. With one
/// ([`Binding::long_press_stops`]), a press is decided **while it is held**: once it
/// has been held for the long-press time, [`Gestures::tick`] gives [`Action::Stop`]
/// (its [`Gestures::deadline`] says when to call it), and its release then does
/// nothing; a release before that is [`Action::Next`]. Times are the edges'
/// timestamps and the instants given to `tick`, on one timeline.
///
/// A release that comes already past the deadline, with no `tick` in between (its
/// reader was late), is decided by the timestamps: [`Action::Stop`].
///
/// A long press needs the releases: a source that reports presses only (a GPIO line
/// with [`Edges::Rising`](crate::input::Edges::Rising)) would see every press as
/// held forever. Keys in a terminal are released the instant they are pressed
/// ([`Keys`](crate::input::Keys)), so they never make a long press.
///
/// # Examples
///
/// ```
/// use blinken::input::{Action, Edge, Gestures};
/// use blinken::prelude::*;
///
/// let mut gestures = Gestures::new(Some(ms(800)));
/// let at = |t| Instant::ZERO + ms(t);
/// // A short press: decided at its release.
/// assert_eq!(gestures.edge(Edge::press(at(0))), None);
/// assert_eq!(gestures.deadline(), Some(at(800)));
/// assert_eq!(gestures.edge(Edge::release(at(120))), Some(Action::Next));
/// assert_eq!(gestures.deadline(), None);
/// // A long press: decided when the hold reaches 800 ms, before the release.
/// assert_eq!(gestures.edge(Edge::press(at(500))), None);
/// assert_eq!(gestures.tick(at(1299)), None);
/// assert_eq!(gestures.tick(at(1300)), Some(Action::Stop));
/// assert_eq!(gestures.deadline(), None);
/// assert_eq!(gestures.edge(Edge::release(at(2000))), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gestures {
    long_press: Option<Duration>,
    /// The press being held, if any.
    pressed_at: Option<Instant>,
    /// The held press was already decided as long.
    fired: bool,
}

impl Gestures {
    /// Gestures with an optional long-press time.
    pub fn new(long_press: Option<Duration>) -> Gestures {
        Gestures { long_press, pressed_at: None, fired: false }
    }

    /// Takes the next edge; returns the action it completes, if any.
    ///
    /// A press while one is held (its release was lost) starts a new hold.
    pub fn edge(&mut self, edge: Edge) -> Option<Action> {
        match (edge.kind, self.long_press) {
            (EdgeKind::Press, None) => Some(Action::Next),
            (EdgeKind::Press, Some(_)) => {
                self.pressed_at = Some(edge.at);
                self.fired = false;
                None
            }
            (EdgeKind::Release, None) => None,
            (EdgeKind::Release, Some(long)) => {
                let pressed = self.pressed_at.take()?;
                if core::mem::take(&mut self.fired) {
                    return None;
                }
                match edge.at.saturating_duration_since(pressed) >= long {
                    true => Some(Action::Stop),
                    false => Some(Action::Next),
                }
            }
        }
    }

    /// When the press being held becomes a long press: the instant to call
    /// [`Gestures::tick`] at. `None` when nothing is held, the held press was decided
    /// already, or there is no long press.
    pub fn deadline(&self) -> Option<Instant> {
        match (self.pressed_at, self.long_press, self.fired) {
            (Some(pressed), Some(long), false) => Some(pressed + long),
            _ => None,
        }
    }

    /// Says that it is `now` with no release seen: [`Action::Stop`] once, if the press
    /// held has reached the long-press time by then.
    pub fn tick(&mut self, now: Instant) -> Option<Action> {
        match self.deadline() {
            Some(deadline) if now >= deadline => {
                self.fired = true;
                Some(Action::Stop)
            }
            _ => None,
        }
    }
}

/// Binds an input to a player: a press plays the next of a list of presets, a long
/// press stops. Start it with [`Binding::spawn`].
///
/// # Examples
///
/// ```
/// use std::time::Duration as StdDuration;
///
/// use blinken::input::{Binding, Edge, Input};
/// use blinken::prelude::*;
/// use blinken::{ManualClock, Player};
///
/// let (clock, _control) = ManualClock::new();
/// let player = Player::spawn(Recorder::new(2), clock).unwrap();
/// let events = player.handle().events();
/// let button = Input::new();
/// let binding = Binding::new(&button)
///     .preset(|| on(0).boxed())
///     .preset(|| blink(1, ms(100)).boxed())
///     .spawn(player.handle())
///     .unwrap();
/// button.push(Edge::press(Instant::ZERO));
/// let started = events.recv_timeout(StdDuration::from_secs(5)).unwrap();
/// assert!(matches!(started, Event::Started { .. }));
/// button.close(); // the binding ends with its input
/// binding.join().unwrap();
/// player.shutdown().unwrap();
/// ```
#[must_use = "a binding does nothing until `.spawn()` is called"]
pub struct Binding<P: Pixel> {
    input: Input,
    presets: Vec<Target<P>>,
    long_press: Option<Duration>,
    now: Box<dyn Fn() -> Instant + Send>,
}

impl<P: Pixel> Binding<P> {
    /// The longest the binding's thread waits before it looks at the time again while
    /// a press is held: 10 ms.
    pub const POLL: Duration = Duration::from_millis(10);

    /// A binding of `input` with no presets and no long press.
    pub fn new(input: &Input) -> Binding<P> {
        Binding {
            input: input.clone(),
            presets: Vec::new(),
            long_press: None,
            now: Box::new(|| SystemClock::new().now()),
        }
    }

    /// Adds a preset: the `n`-th press plays preset `n` modulo their number (built
    /// fresh by `make` each time).
    pub fn preset(mut self, make: impl Fn() -> BoxAnimation<P> + Send + 'static) -> Binding<P> {
        self.presets.push(Target::Play(Box::new(make)));
        self
    }

    /// Adds a temporary overlay: the press whose turn it is (presets and overlays take
    /// turns in the order they were added) lays `make()` over what plays, with
    /// [`PlayerHandle::overlay_boxed`]. The overlay lasts as long as its animation
    /// (bound it, with [`timeout`](crate::Animation::timeout) or a finite leaf); when
    /// it ends, what played underneath shows as if untouched. A press while it plays
    /// starts it afresh. With no presets, every press shows the overlay.
    ///
    /// ```
    /// use std::time::Duration as StdDuration;
    /// use blinken::input::{Binding, Edge, Input};
    /// use blinken::prelude::*;
    /// use blinken::ManualClock;
    ///
    /// let (clock, control) = ManualClock::new();
    /// let player = Player::spawn(Recorder::new(3), clock).unwrap();
    /// let events = player.handle().events();
    /// player.handle().play(on(0)).unwrap();
    /// control.settle();
    /// let button = Input::new();
    /// // A press flashes LED 2 twice over whatever plays.
    /// let bound = Binding::new(&button)
    ///     .overlay(|| blink(2, ms(50)).times(2).boxed())
    ///     .spawn(player.handle())
    ///     .unwrap();
    /// button.push(Edge::press(Instant::ZERO));
    /// let wait = StdDuration::from_secs(5);
    /// assert!(matches!(events.recv_timeout(wait), Some(Event::Started { .. })));
    /// assert!(matches!(events.recv_timeout(wait), Some(Event::OverlayStarted { .. })));
    /// control.settle();
    /// for _ in 0..4 {
    ///     control.advance(ms(50));
    ///     control.settle();
    /// }
    /// assert!(player.handle().overlay_playing().is_none(), "it ended after two blinks");
    /// button.close();
    /// bound.join().unwrap();
    /// let recorder = player.shutdown().unwrap();
    /// recorder.assert_timeline("
    ///     0.000000 #..
    ///     0.000000 #.#
    ///     0.050000 #..
    ///     0.100000 #.#
    ///     0.150000 #..
    ///     0.200000 ...
    /// ");
    /// ```
    pub fn overlay(mut self, make: impl Fn() -> BoxAnimation<P> + Send + 'static) -> Binding<P> {
        self.presets.push(Target::Overlay(Box::new(make)));
        self
    }

    /// A press held for `held` stops the player instead of playing the next preset:
    /// the stop is sent when the hold reaches `held` (the button still down), a press
    /// released sooner plays the next preset at its release. See [`Gestures`].
    ///
    /// The hold is timed from the press's timestamp on the timeline of
    /// [`Binding::time`] (a [`SystemClock`]'s unless set), which must be the edges'
    /// timeline.
    pub fn long_press_stops(mut self, held: Duration) -> Binding<P> {
        self.long_press = Some(held);
        self
    }

    /// Where the binding reads the time to decide a long press while it is held:
    /// `now` must give instants on the edges' timeline. The default reads a
    /// [`SystemClock`], the timeline of the kernel's timestamps of a `GpioInput` and
    /// of [`Keys`](crate::input::Keys); a test that pushes edges at instants of a
    /// [`ManualClock`](crate::ManualClock) gives its control's
    /// [`now`](crate::ManualControl::now).
    ///
    /// While a press is held the binding's thread looks at the time at its deadline,
    /// and at least every [`Binding::POLL`] (a clock moved by hand wakes nobody).
    pub fn time(mut self, now: impl Fn() -> Instant + Send + 'static) -> Binding<P> {
        self.now = Box::new(now);
        self
    }

    /// Starts a thread that reads the input's edges from now on and sends the
    /// player what they ask for.
    ///
    /// The thread ends when the input is [closed](Input::close) (a
    /// `GpioInput` was dropped) or the player is gone. A
    /// preset or overlay the player refuses ([`PlayError::Invalid`]) is skipped: what plays keeps
    /// playing.
    ///
    /// # Errors
    ///
    /// The system's error if the thread cannot start.
    pub fn spawn(self, player: PlayerHandle<P>) -> std::io::Result<Bound> {
        let edges = self.input.subscribe();
        let thread = std::thread::Builder::new()
            .name("blinken-binding".into())
            .spawn(move || self.serve(edges, &player))?;
        Ok(Bound { thread })
    }

    /// The binding's thread: edges (and the deadlines of held presses) to requests.
    fn serve(self, mut edges: Subscription, player: &PlayerHandle<P>) -> Result<(), PlayError> {
        let mut gestures = Gestures::new(self.long_press);
        let mut next = 0;
        loop {
            // Every edge already there first: a release that came in time decides its
            // press, whatever the time is now.
            let action = match edges.try_next() {
                Some(edge) => gestures.edge(edge),
                None => match gestures.deadline() {
                    None => match edges.next() {
                        Some(edge) => gestures.edge(edge),
                        None => return Ok(()),
                    },
                    Some(deadline) => {
                        let now = (self.now)();
                        if now >= deadline {
                            gestures.tick(now)
                        } else {
                            let wait = deadline.saturating_duration_since(now).min(Self::POLL);
                            match edges.next_timeout(wait) {
                                Some(edge) => gestures.edge(edge),
                                None if self.input.is_closed() => return Ok(()),
                                None => None,
                            }
                        }
                    }
                },
            };
            let done = match action {
                None => Ok(()),
                Some(Action::Stop) => player.stop(),
                Some(Action::Next) if self.presets.is_empty() => Ok(()),
                Some(Action::Next) => {
                    let target = &self.presets[next % self.presets.len()];
                    next += 1;
                    match target {
                        Target::Play(make) => player.play_boxed(make()).map(drop),
                        Target::Overlay(make) => player.overlay_boxed(make()).map(drop),
                    }
                }
            };
            match done {
                Ok(()) | Err(PlayError::Invalid(_)) => {}
                Err(error) => return Err(error),
            }
        }
    }
}

impl<P: Pixel> fmt::Debug for Binding<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binding")
            .field("input", &self.input)
            .field("presets", &self.presets.len())
            .field("long_press", &self.long_press)
            .finish_non_exhaustive()
    }
}

/// A running [`Binding`]'s thread. Dropping it lets the thread run on until its input
/// closes or its player is gone.
#[derive(Debug)]
pub struct Bound {
    thread: JoinHandle<Result<(), PlayError>>,
}

impl Bound {
    /// Waits until the binding ends.
    ///
    /// # Errors
    ///
    /// The player's error that ended it ([`PlayError::Gone`] when the player shut
    /// down); `Ok` when the input was closed.
    ///
    /// # Panics
    ///
    /// If a preset panicked while being built.
    pub fn join(self) -> Result<(), PlayError> {
        self.thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }
}
