//! Keys in a terminal as buttons: [`Keys`] reads standard input (or any reader) on a
//! thread and presses the [`Input`]s bound to each key.
//!
//! The pure parts are [`KeyDecoder`] (bytes to [`Key`]s, in `key.rs`) and [`KeyMap`]
//! (keys to edges, in `map.rs`); this file is the thread around them, and `raw.rs`
//! the terminal's raw mode.

mod error;
mod key;
mod map;
#[cfg(any(target_os = "linux", target_os = "android"))]
mod raw;

use core::fmt;
use std::io::{self, IsTerminal, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

pub use error::KeysError;
pub use key::{Key, KeyDecoder, decode_keys};
pub use map::KeyMap;

use super::Input;

/// Whether some `Keys` reads standard input now.
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

/// Keys of the keyboard as buttons, for the terminal simulator: each key bound to an
/// [`Input`] presses it.
///
/// [`Keys::new`] reads standard input on a thread from the start, so every key is
/// routed by the [`KeyMap`] it is given (`KeyMap::new().bind('b', &input)`). Each
/// key is decoded ([`KeyDecoder`]: arrows and other escape sequences are read whole,
/// never as letters) and every input bound to it gets a press and a release.
///
/// # Press and release
///
/// A terminal reports a key when it goes down, never when it comes up, so a key is
/// a press **and** a release at the same instant: the instant it was read, on the
/// timeline of a [`SystemClock`](crate::SystemClock) (unless [`KeyMap::time`] sets
/// another). The leaves
/// [`press`](crate::press), [`until`](crate::until) and [`presses`](crate::presses)
/// see one press per key, and a [`Binding`](crate::input::Binding) a short press: a
/// key cannot be held, so it **never makes a long press**. Auto-repeat, when a key
/// is held down, is many presses.
///
/// # Quitting
///
/// `q`, Ctrl-C and Ctrl-D (or [`KeyMap::quit_keys`]; Ctrl-C always) press the
/// [quit input](Keys::quit) instead: wait for it ([`Keys::wait_quit`], or
/// [`until`](crate::until)`(keys.quit(), program)`). The end of input (a pipe or file
/// read to its end) presses it too, then [closes](Input::close) it.
///
/// # The terminal
///
/// When standard input is a terminal (on Linux), `new` puts it in raw mode: keys
/// arrive one by one, unechoed, and Ctrl-C is a key rather than a signal that would
/// kill the program with the terminal still raw. Output is left as it is, so
/// [`Terminal`](crate::output::Terminal) draws as usual. Dropping `Keys` restores
/// the terminal's settings, and so does a panic (a panic hook restores them before
/// the message is printed; the keys are then read by lines).
///
/// When standard input is **not** a terminal (a pipe, a file, CI's `/dev/null`), it
/// is read as it is, without raw mode: every byte is a key (`\n` is
/// [`Key::Enter`]), and its end quits. Nothing is refused, so a program can be
/// driven by a script: `printf 'bbbq' | cargo run --example button`. (On other
/// systems than Linux a terminal is read this way too, a line at a time.)
///
/// # Examples
///
/// Keys from a byte string, as a pipe would give them: `b` twice, an arrow that is
/// bound to nothing, then `q`.
///
/// ```
/// use blinken::input::{EdgeKind, Input, KeyMap, Keys};
///
/// let button = Input::new();
/// let edges = button.subscribe();
/// let map = KeyMap::new().bind('b', &button).bind(' ', &button);
/// let keys = Keys::from_reader(map, &b"b\x1b[Ab q"[..])?;
/// keys.wait_quit();
/// let kinds: Vec<EdgeKind> = edges.take(6).map(|edge| edge.kind).collect();
/// assert_eq!(kinds, [EdgeKind::Press, EdgeKind::Release].repeat(3));
/// # Ok::<(), blinken::input::KeysError>(())
/// ```
///
/// In a program, on the terminal (`no_run`: it waits for keys):
///
/// ```no_run
/// use blinken::input::{Input, Key, KeyMap, Keys};
/// use blinken::prelude::*;
///
/// let button = Input::new();
/// let keys = Keys::new(KeyMap::new().bind(' ', &button).bind(Key::Enter, &button))?;
/// let program = until(&button, blink(0, ms(200))).then(until(&button, on(1)));
/// let mut driver = Driver::new(Terminal::new(1, 2), SystemClock::new());
/// driver.run(&until(keys.quit(), program))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Keys {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// Reads from standard input in raw mode: the thread ends within a tenth of a
    /// second of `stop`, and is joined before the terminal is restored.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    raw: Option<raw::RawMode>,
    is_raw: bool,
}

/// What the reader thread and the handle share.
struct Shared {
    map: KeyMap,
    stop: AtomicBool,
}

impl Keys {
    /// Reads keys from standard input, in raw mode if it is a terminal (see
    /// [the type's docs](Keys#the-terminal)).
    ///
    /// # Errors
    ///
    /// [`KeysError::InUse`] if another `Keys` reads standard input (one that read a
    /// pipe may hold it until its next byte or its end); [`KeysError::RawMode`] if the
    /// terminal refuses raw mode; [`KeysError::Spawn`] if the thread cannot start.
    /// The terminal is left as it was after an error.
    pub fn new(map: KeyMap) -> Result<Keys, KeysError> {
        if STDIN_TAKEN.swap(true, Ordering::AcqRel) {
            return Err(KeysError::InUse);
        }
        let taken = StdinTaken;
        let is_raw =
            cfg!(any(target_os = "linux", target_os = "android")) && io::stdin().is_terminal();
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let raw = match is_raw {
            true => Some(raw::RawMode::enter().map_err(|source| KeysError::RawMode { source })?),
            false => None,
        };
        #[cfg_attr(not(any(target_os = "linux", target_os = "android")), allow(unused_mut))]
        let mut keys = Keys::start(map, Box::new(io::stdin()), is_raw, Some(taken))?;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            keys.raw = raw;
        }
        Ok(keys)
    }

    /// Reads keys from `reader` (a pipe, a file, bytes in a test) as
    /// [`Keys::new`] reads a standard input that is not a terminal: every byte is a
    /// key, and the end quits.
    ///
    /// # Errors
    ///
    /// [`KeysError::Spawn`] if the thread cannot start.
    pub fn from_reader(map: KeyMap, reader: impl Read + Send + 'static) -> Result<Keys, KeysError> {
        Keys::start(map, Box::new(reader), false, None)
    }

    fn start(
        map: KeyMap,
        reader: Box<dyn Read + Send>,
        is_raw: bool,
        taken: Option<StdinTaken>,
    ) -> Result<Keys, KeysError> {
        let shared = Arc::new(Shared { map, stop: AtomicBool::new(false) });
        let reader = Reader { reader, is_raw, shared: Arc::clone(&shared), _taken: taken };
        let thread = std::thread::Builder::new()
            .name("blinken-keys".into())
            .spawn(move || reader.run())
            .map_err(|source| KeysError::Spawn { source })?;
        Ok(Keys {
            shared,
            thread: Some(thread),
            #[cfg(any(target_os = "linux", target_os = "android"))]
            raw: None,
            is_raw,
        })
    }

    /// The input a quit key (or the end of input) presses.
    pub fn quit(&self) -> &Input {
        self.shared.map.quit()
    }

    /// Whether a quit key was pressed or the input ended.
    pub fn is_quit(&self) -> bool {
        !self.shared.map.quit().edges().is_empty() || self.shared.map.quit().is_closed()
    }

    /// Blocks until a quit key is pressed or the input ends.
    pub fn wait_quit(&self) {
        let mut edges = self.shared.map.quit().subscribe();
        while !self.is_quit() {
            edges.next_timeout(core::time::Duration::from_millis(100));
        }
    }

    /// Whether standard input is read in raw mode (it is a terminal).
    pub fn is_raw(&self) -> bool {
        self.is_raw
    }
}

/// How long the reader of a terminal waits for a key before it looks whether to stop.
#[cfg(any(target_os = "linux", target_os = "android"))]
const RAW_WAIT: core::time::Duration = core::time::Duration::from_millis(100);

impl Drop for Keys {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            // In raw mode the reader reads only what is there and looks at `stop`
            // every tenth of a second: wait for it, so that no read is left behind
            // the restored terminal. A pipe may block for good: let its thread go (it
            // reads one more chunk at most, and drops it).
            if self.is_raw {
                let _ = thread.join();
            }
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        drop(self.raw.take());
        self.shared.map.quit().close();
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("map", &self.shared.map)
            .field("is_raw", &self.is_raw)
            .finish_non_exhaustive()
    }
}

/// Marks standard input as read until dropped (by the reader thread, when it ends).
struct StdinTaken;

impl Drop for StdinTaken {
    fn drop(&mut self) {
        STDIN_TAKEN.store(false, Ordering::Release);
    }
}

/// The reader thread's side.
struct Reader {
    reader: Box<dyn Read + Send>,
    is_raw: bool,
    shared: Arc<Shared>,
    _taken: Option<StdinTaken>,
}

impl Reader {
    fn run(mut self) {
        let mut decoder = KeyDecoder::new();
        let mut buffer = [0; 64];
        loop {
            if self.shared.stop.load(Ordering::Acquire) {
                return;
            }
            // Raw mode: read only what is there, so that no read can block, even once
            // the terminal is cooked again (a panic hook restores it before the drop
            // of `Keys` waits for this thread).
            #[cfg(any(target_os = "linux", target_os = "android"))]
            if self.is_raw && !raw::readable(RAW_WAIT) {
                let at = self.shared.map.now();
                for key in decoder.flush() {
                    self.shared.map.press(key, at);
                }
                continue;
            }
            let (keys, ended) = match self.reader.read(&mut buffer) {
                // Raw mode: no key within a tenth of a second. A lone ESC is Escape.
                Ok(0) if self.is_raw => (decoder.flush(), false),
                Ok(0) => (decoder.flush(), true),
                Ok(n) => (decoder.feed(&buffer[..n]), false),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                // A broken standard input: as its end.
                Err(_) => (decoder.flush(), true),
            };
            if self.shared.stop.load(Ordering::Acquire) {
                return;
            }
            let map = &self.shared.map;
            let at = map.now();
            for key in keys {
                map.press(key, at);
            }
            if ended {
                map.press(Key::Ctrl('c'), at);
                self.shared.map.quit().close();
                return;
            }
        }
    }
}
