//! The player thread's loop.

use core::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use super::event::{Event, StopReason};
use super::handle::{Command, PlayId, Shared};
use crate::{BoxAnimation, Clock, Driver, Output, RunEnd, RunError};

/// What the thread hands back: the output and the error of the last all-off write.
pub(crate) struct Served<O> {
    pub(crate) output: O,
    pub(crate) error: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

pub(crate) fn serve<O: Output, C: Clock>(
    mut driver: Driver<O, C>,
    commands: &Receiver<Command<O::Pixel>>,
    shared: &Shared,
) -> Served<O> {
    // Waiters and subscribers learn that the player is gone however the thread ends,
    // also by a panic in the output.
    let _close = CloseOnDrop(shared);
    let mut next = None;
    let error = loop {
        let command = match next.take() {
            Some(command) => command,
            None => wait_for_command(&mut driver, commands),
        };
        match command {
            Command::Play(id, animation) => {
                next = play(&mut driver, id, &animation, commands, shared)
            }
            Command::Stop => report_flush(driver.flush(), &driver, None, shared),
            Command::Clear => report_flush(driver.clear(), &driver, None, shared),
            Command::Shutdown => {
                let error = driver.clear().err().map(|e| Arc::new(e) as Arc<_>);
                if let Some(error) = &error {
                    let at = driver.now();
                    shared.report(Event::OutputFailed { id: None, at, error: Arc::clone(error) });
                }
                break error;
            }
        }
    };
    Served { output: driver.into_output(), error }
}

struct CloseOnDrop<'a>(&'a Shared);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Blocks until a command arrives, waiting on the clock so that the handle's interrupt
/// wakes it; falls back to the queue for clocks that cannot wait without a deadline.
fn wait_for_command<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    commands: &Receiver<Command<O::Pixel>>,
) -> Command<O::Pixel> {
    loop {
        match commands.try_recv() {
            Ok(command) => return command,
            Err(TryRecvError::Disconnected) => return Command::Shutdown,
            Err(TryRecvError::Empty) => {}
        }
        if driver.clock_mut().sleep_until(None).is_err() {
            return commands.recv().unwrap_or(Command::Shutdown);
        }
    }
}

/// Plays one request until it ends or a command interrupts it; returns that command.
fn play<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    id: PlayId,
    animation: &BoxAnimation<O::Pixel>,
    commands: &Receiver<Command<O::Pixel>>,
    shared: &Shared,
) -> Option<Command<O::Pixel>> {
    shared.report(Event::Started { id, at: driver.now() });
    let mut next = None;
    let mut keep_going = || {
        if next.is_none() {
            next = match commands.try_recv() {
                Ok(command) => Some(command),
                Err(TryRecvError::Disconnected) => Some(Command::Shutdown),
                Err(TryRecvError::Empty) => None,
            };
        }
        next.is_none()
    };
    let result =
        catch_unwind(AssertUnwindSafe(|| driver.run_while(animation, None, &mut keep_going)));
    let end = match result {
        Ok(Ok(RunEnd::Finished(at))) => Event::Finished { id, at },
        Ok(Ok(RunEnd::Interrupted(at) | RunEnd::Stopped(at))) => {
            let reason = match &next {
                Some(Command::Play(new, _)) => StopReason::Replaced(*new),
                Some(Command::Clear) => StopReason::Clear,
                Some(Command::Shutdown) => StopReason::Shutdown,
                Some(Command::Stop) | None => StopReason::Stop,
            };
            Event::Stopped { id, at, reason }
        }
        Ok(Err(RunError::Output { at, source })) => {
            Event::OutputFailed { id: Some(id), at, error: Arc::new(source) }
        }
        Ok(Err(RunError::Idle { at })) => Event::Stopped { id, at, reason: StopReason::Idle },
        Ok(Err(RunError::Invalid(error))) => {
            // The handle validated against the same length; kept for completeness.
            Event::Panicked { id, at: driver.now(), message: error.to_string() }
        }
        Err(panic) => {
            driver.recover();
            Event::Panicked { id, at: driver.now(), message: panic_message(&*panic) }
        }
    };
    let failed = matches!(end, Event::OutputFailed { .. });
    shared.report(end);
    // A replacement writes the old animation's "off" together with its own first frame;
    // anything else shows the cancelled LEDs going off now.
    if !failed && !matches!(next, Some(Command::Play(..))) {
        report_flush(driver.flush(), driver, Some(id), shared);
    }
    next
}

fn report_flush<O: Output, C: Clock>(
    result: Result<(), O::Error>,
    driver: &Driver<O, C>,
    id: Option<PlayId>,
    shared: &Shared,
) {
    if let Err(error) = result {
        shared.report(Event::OutputFailed { id, at: driver.now(), error: Arc::new(error) });
    }
}

pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with a non-string payload".to_owned())
}
