//! A thread that plays animations, and the handle that controls it from anywhere.

mod event;
mod handle;
mod queue;
mod serve;
mod stage;

pub use event::{Event, Events, StopReason};
pub use handle::{PlayError, PlayId, PlayerHandle, Playing, WaitError};

use core::fmt;
use std::thread::JoinHandle;

use crate::{Clock, Driver, Output};

/// A thread that owns a [`Driver`] and its output, and plays what it is told.
///
/// This replaces the seeds' "animation manager" that killed the playing process and
/// spawned a new one for every change: here [`PlayerHandle::play`] validates the new
/// animation on the caller's thread, and the player thread swaps it in within
/// microseconds; the old animation is dropped, so its LEDs go off in the same frame in
/// which the new one starts.
///
/// Two requests do not replace what plays: [`PlayerHandle::overlay`] lays an animation
/// over it (a notification) and [`PlayerHandle::crossfade`] blends from it to the next
/// program. The player carries them out inside the running program, on layers, so the
/// program underneath is not restarted: it keeps its own timeline.
///
/// The player needs a clock that can wait for a command: [`SystemClock`](crate::SystemClock)
/// in real programs, [`ManualClock`](crate::ManualClock) in tests.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::{Event, Player};
///
/// let player = Player::spawn(Recorder::new(2), SystemClock::new()).unwrap();
/// let handle = player.handle();
/// let events = handle.events();
/// let id = handle.play(blink(0, ms(2)).times(2)).unwrap();
/// assert!(matches!(handle.wait(), Ok(Event::Finished { id: done, .. }) if done == id));
/// // A program that does not fit the output is refused; nothing else changes.
/// assert!(handle.play(on(7)).is_err());
/// let recorder = player.shutdown().unwrap();
/// // Real time: how many writes depends on the machine's lateness; the end does not.
/// assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false, false]);
/// assert!(matches!(events.try_recv(), Some(Event::Started { .. })));
/// ```
pub struct Player<O: Output> {
    handle: PlayerHandle<O::Pixel>,
    thread: Option<JoinHandle<serve::Served<O>>>,
}

/// The player could not switch everything off at shutdown, or its thread died.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShutdownError<O> {
    /// The final all-off write failed; the output is handed back anyway.
    #[error("switching the LEDs off at shutdown failed; the output is returned as it is")]
    Output {
        /// The output, for the caller to retry or inspect.
        output: O,
        /// The backend's error.
        #[source]
        source: std::sync::Arc<dyn std::error::Error + Send + Sync>,
    },
    /// The player thread panicked outside an animation (in the output); the output is lost.
    #[error("the player thread panicked: {0}")]
    Panicked(String),
}

impl<O> Player<O>
where
    O: Output + Send + 'static,
    O::Pixel: Send,
{
    /// Starts a player thread (named `blinken-player`) that owns `output` and plays
    /// with `clock`. Nothing plays until [`PlayerHandle::play`].
    ///
    /// # Errors
    ///
    /// The thread could not be spawned.
    pub fn spawn<C: Clock + Send + 'static>(output: O, clock: C) -> std::io::Result<Player<O>> {
        let len = output.len();
        let interrupt = clock.interrupt();
        let handle = PlayerHandle::new(len, Player::<O>::COMMANDS, interrupt);
        let shared = handle.shared();
        let driver = Driver::new(output, clock);
        let thread = std::thread::Builder::new()
            .name("blinken-player".into())
            // Twice what the deepest program validation accepts needs (tested on a
            // 2 MiB stack in a debug build), whatever RUST_MIN_STACK says.
            .stack_size(4 << 20)
            .spawn(move || serve::serve(driver, &shared))?;
        Ok(Player { handle, thread: Some(thread) })
    }
}

impl<O: Output> Player<O> {
    /// How many commands the queue between the handles and the player thread holds.
    pub const COMMANDS: usize = 1024;

    /// A handle to control the player; clone it freely, send it anywhere. Each call
    /// returns a new handle (see [`PlayerHandle::wait`]).
    pub fn handle(&self) -> PlayerHandle<O::Pixel> {
        self.handle.clone()
    }

    /// Stops the current animation, switches every LED off, writes that, stops the
    /// thread and gives the output back.
    ///
    /// Commands queued before the shutdown are carried out first; play requests
    /// queued after it get [`Event::Skipped`], and later requests fail with
    /// [`PlayError::Gone`]. Returns once the thread has ended, however busy the
    /// handles are.
    ///
    /// # Errors
    ///
    /// [`ShutdownError::Output`] if the last write failed (with the output),
    /// [`ShutdownError::Panicked`] if the thread died.
    pub fn shutdown(mut self) -> Result<O, ShutdownError<O>> {
        self.stop_thread()
    }

    fn stop_thread(&mut self) -> Result<O, ShutdownError<O>> {
        self.handle.request_shutdown();
        let thread = self.thread.take().expect("the thread is joined once");
        match thread.join() {
            Ok(serve::Served { output, error: None }) => Ok(output),
            Ok(serve::Served { output, error: Some(source) }) => {
                Err(ShutdownError::Output { output, source })
            }
            Err(panic) => Err(ShutdownError::Panicked(serve::panic_message(&*panic))),
        }
    }
}

/// Shuts the player down (everything off) and releases the output; a failure of that
/// last write is reported as an [`Event::OutputFailed`] to subscribers.
impl<O: Output> Drop for Player<O> {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.stop_thread();
        }
    }
}

impl<O: Output> fmt::Debug for Player<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Player").field("handle", &self.handle).finish_non_exhaustive()
    }
}
