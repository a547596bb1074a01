//! [`Binding`]: presses of an input turned into player requests.

use core::fmt;
use core::time::Duration;
use std::thread::JoinHandle;

use super::{Edge, EdgeKind, Input};
use crate::{BoxAnimation, Instant, Pixel, PlayError, PlayerHandle};

/// Builds a fresh animation for each play of a preset.
pub type Preset<P> = Box<dyn Fn() -> BoxAnimation<P> + Send>;

/// What a gesture on the input asks of the player.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Play the next preset.
    Next,
    /// Stop what plays.
    Stop,
}

/// Recognises gestures in a stream of edges: the pure part of a [`Binding`].
///
/// Without a long press, every press is [`Action::Next`] at once. With one
/// ([`Binding::long_press_stops`]), a gesture is decided when the button is released:
/// held for at least the long-press time (between the press's and the release's
/// timestamps) it is [`Action::Stop`], otherwise [`Action::Next`].
///
/// # Examples
///
/// ```
/// use blinken::input::{Action, Edge, Gestures};
/// use blinken::prelude::*;
///
/// let mut gestures = Gestures::new(Some(ms(800)));
/// let at = |t| Instant::ZERO + ms(t);
/// assert_eq!(gestures.edge(Edge::press(at(0))), None);
/// assert_eq!(gestures.edge(Edge::release(at(120))), Some(Action::Next));
/// assert_eq!(gestures.edge(Edge::press(at(500))), None);
/// assert_eq!(gestures.edge(Edge::release(at(1300))), Some(Action::Stop));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gestures {
    long_press: Option<Duration>,
    pressed_at: Option<Instant>,
}

impl Gestures {
    /// Gestures with an optional long-press time.
    pub fn new(long_press: Option<Duration>) -> Gestures {
        Gestures { long_press, pressed_at: None }
    }

    /// Takes the next edge; returns the action it completes, if any.
    pub fn edge(&mut self, edge: Edge) -> Option<Action> {
        match (edge.kind, self.long_press) {
            (EdgeKind::Press, None) => Some(Action::Next),
            (EdgeKind::Press, Some(_)) => {
                self.pressed_at = Some(edge.at);
                None
            }
            (EdgeKind::Release, None) => None,
            (EdgeKind::Release, Some(long)) => {
                let pressed = self.pressed_at.take()?;
                match edge.at.saturating_duration_since(pressed) >= long {
                    true => Some(Action::Stop),
                    false => Some(Action::Next),
                }
            }
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
    presets: Vec<Preset<P>>,
    long_press: Option<Duration>,
}

impl<P: Pixel> Binding<P> {
    /// A binding of `input` with no presets and no long press.
    pub fn new(input: &Input) -> Binding<P> {
        Binding { input: input.clone(), presets: Vec::new(), long_press: None }
    }

    /// Adds a preset: the `n`-th press plays preset `n` modulo their number (built
    /// fresh by `make` each time).
    pub fn preset(mut self, make: impl Fn() -> BoxAnimation<P> + Send + 'static) -> Binding<P> {
        self.presets.push(Box::new(make));
        self
    }

    /// A press held at least `held` (from the press's timestamp to the release's)
    /// stops the player instead of playing the next preset. Presses are then decided
    /// at their release; see [`Gestures`].
    pub fn long_press_stops(mut self, held: Duration) -> Binding<P> {
        self.long_press = Some(held);
        self
    }

    /// Starts a thread that reads the input's edges from now on and sends the
    /// player what they ask for.
    ///
    /// The thread ends when the input is [closed](Input::close) (a
    /// `GpioInput` was dropped) or the player is gone. A
    /// preset the player refuses ([`PlayError::Invalid`]) is skipped: what plays keeps
    /// playing.
    ///
    /// # Errors
    ///
    /// The system's error if the thread cannot start.
    pub fn spawn(self, player: PlayerHandle<P>) -> std::io::Result<Bound> {
        let edges = self.input.subscribe();
        let thread =
            std::thread::Builder::new().name("blinken-binding".into()).spawn(move || {
                let mut gestures = Gestures::new(self.long_press);
                let mut next = 0;
                for edge in edges {
                    let done = match gestures.edge(edge) {
                        None => Ok(()),
                        Some(Action::Stop) => player.stop(),
                        Some(Action::Next) if self.presets.is_empty() => Ok(()),
                        Some(Action::Next) => {
                            let preset = &self.presets[next % self.presets.len()];
                            next += 1;
                            player.play_boxed(preset()).map(drop)
                        }
                    };
                    match done {
                        Ok(()) | Err(PlayError::Invalid(_)) => {}
                        Err(error) => return Err(error),
                    }
                }
                Ok(())
            })?;
        Ok(Bound { thread })
    }
}

impl<P: Pixel> fmt::Debug for Binding<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binding")
            .field("input", &self.input)
            .field("presets", &self.presets.len())
            .field("long_press", &self.long_press)
            .finish()
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
