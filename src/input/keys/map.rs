//! [`KeyMap`]: which inputs a key presses, and which keys quit.

use core::fmt;

use super::Key;
use crate::input::{Edge, Input};
use crate::{Clock, Instant, SystemClock};

/// Which [`Input`]s each key presses, and which keys quit: the routing of
/// [`Keys`](super::Keys), without the terminal.
///
/// A terminal sends a key when it is pressed and nothing when it is released, so a
/// key is a press **and** a release at the same instant ([`KeyMap::press`]): the
/// leaves [`press`](crate::press), [`until`](crate::until) and
/// [`presses`](crate::presses) see a press, and a [`Binding`](crate::input::Binding)
/// sees a short press. A key cannot be held: it never makes a long press.
///
/// The quit keys (`q`, Ctrl-C and Ctrl-D unless [`KeyMap::quit_keys`] says otherwise; Ctrl-C
/// always) press the [quit input](KeyMap::quit) instead of their bindings.
///
/// # Examples
///
/// ```
/// use blinken::input::{Edge, Input, Key, KeyMap};
/// use blinken::prelude::*;
///
/// let (button, other) = (Input::new(), Input::new());
/// let map = KeyMap::new().bind('b', &button).bind(Key::Enter, &button).bind(' ', &other);
/// let at = Instant::ZERO + ms(5);
/// assert!(!map.press(Key::Char('b'), at));
/// assert!(!map.press(Key::Up, at)); // not bound: nothing
/// assert_eq!(button.edges(), [Edge::press(at), Edge::release(at)]);
/// assert!(other.edges().is_empty());
/// // `q` quits: its press goes to the quit input.
/// assert!(map.press(Key::Char('q'), at));
/// assert_eq!(map.quit().edges(), [Edge::press(at), Edge::release(at)]);
/// ```
#[must_use]
pub struct KeyMap {
    bindings: Vec<(Key, Input)>,
    quit_keys: Vec<Key>,
    quit: Input,
    now: Box<dyn Fn() -> Instant + Send + Sync>,
}

impl KeyMap {
    /// The quit keys unless told otherwise: `q`, Ctrl-C and Ctrl-D.
    pub const DEFAULT_QUIT_KEYS: [Key; 3] = [Key::Char('q'), Key::Ctrl('c'), Key::Ctrl('d')];

    /// No bindings; the default quit keys.
    pub fn new() -> KeyMap {
        KeyMap {
            bindings: Vec::new(),
            quit_keys: KeyMap::DEFAULT_QUIT_KEYS.to_vec(),
            quit: Input::new(),
            now: Box::new(|| SystemClock::new().now()),
        }
    }

    /// Makes `key` (a `char` or a [`Key`]) press `input`; several keys may press one
    /// input, and one key several inputs.
    pub fn bind(mut self, key: impl Into<Key>, input: &Input) -> KeyMap {
        self.bindings.push((key.into(), input.clone()));
        self
    }

    /// Replaces the quit keys; an empty list leaves `q` free for a binding. Ctrl-C
    /// quits whatever the list: in raw mode the
    /// terminal no longer turns it into a signal, and a program must stay easy to
    /// leave.
    pub fn quit_keys(mut self, keys: impl IntoIterator<Item = Key>) -> KeyMap {
        self.quit_keys = keys.into_iter().collect();
        self
    }

    /// Where [`Keys`](super::Keys) takes the instant of a key it reads: a
    /// [`SystemClock`] unless set (the timeline of a driver on a `SystemClock`).
    pub fn time(mut self, now: impl Fn() -> Instant + Send + Sync + 'static) -> KeyMap {
        self.now = Box::new(now);
        self
    }

    /// The instant now, as [`KeyMap::time`] reads it.
    pub fn now(&self) -> Instant {
        (self.now)()
    }

    /// The input that a quit key presses: wait for it with
    /// [`press`](crate::press), [`until`](crate::until) or a
    /// [subscription](Input::subscribe).
    pub fn quit(&self) -> &Input {
        &self.quit
    }

    /// Whether `key` quits.
    pub fn quits(&self, key: Key) -> bool {
        key == Key::Ctrl('c') || self.quit_keys.contains(&key)
    }

    /// Presses and releases, at `at`, every input bound to `key`, or the quit input
    /// if `key` quits; returns whether it quits.
    pub fn press(&self, key: Key, at: Instant) -> bool {
        let click = |input: &Input| {
            input.push(Edge::press(at));
            input.push(Edge::release(at));
        };
        if self.quits(key) {
            click(&self.quit);
            return true;
        }
        for (_, input) in self.bindings.iter().filter(|(bound, _)| *bound == key) {
            click(input);
        }
        false
    }
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        KeyMap::new()
    }
}

impl fmt::Debug for KeyMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound: Vec<Key> = self.bindings.iter().map(|(key, _)| *key).collect();
        f.debug_struct("KeyMap")
            .field("bound", &bound)
            .field("quit_keys", &self.quit_keys)
            .finish_non_exhaustive()
    }
}
