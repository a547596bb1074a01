//! The player thread's loop.
//!
//! Every piece of user code the thread runs is guarded: polls of an animation, the
//! drop of its future and of its value, and every call into the output. A panic in
//! any of them is reported as an event and the thread goes on serving.

use core::any::Any;
use core::cell::RefCell;
use core::time::Duration;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::event::{Event, StopReason};
use super::handle::{PlayId, Shared};
use super::queue::Command;
use super::stage::{Board, OnStage, Stage, refuse_endless};
use crate::driver::Go;
use crate::{Clock, Driver, Instant, Output, RunEnd, RunError};

/// What the thread hands back: the output and the error of the last all-off write.
pub(crate) struct Served<O> {
    pub(crate) output: O,
    pub(crate) error: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// The first retry of a failed write comes this long after the failure...
const FIRST_RETRY: Duration = Duration::from_millis(10);
/// ...and the wait doubles up to this.
const LAST_RETRY: Duration = Duration::from_secs(1);

pub(crate) fn serve<O: Output, C: Clock>(
    mut driver: Driver<O, C>,
    shared: &Shared<O::Pixel>,
) -> Served<O> {
    let _ = shared.thread.set(std::thread::current().id());
    // Waiters and subscribers learn that the player is gone however the thread ends.
    let _close = CloseOnDrop(shared);
    let mut pending = VecDeque::with_capacity(shared.commands.capacity());
    let mut retry = Retry { delay: FIRST_RETRY, at: None };
    let error = loop {
        let command = match pending.pop_front() {
            Some(command) => command,
            None => {
                wait_for_commands(&mut driver, shared, &mut pending, &mut retry);
                continue;
            }
        };
        match command {
            first @ (Command::Play(..) | Command::Overlay(..) | Command::Crossfade(..)) => {
                run(&mut driver, first, shared, &mut pending);
            }
            // Nothing plays: no overlay to stop.
            Command::StopOverlay => {}
            // The last frame, again.
            Command::Refresh => drop(write(&mut driver, None, shared, |d| d.refresh())),
            // The stopped animation's LEDs went off in the frame when it was dropped.
            Command::Stop => drop(write(&mut driver, None, shared, |d| d.flush())),
            Command::Clear => drop(write(&mut driver, None, shared, |d| d.clear())),
            Command::Shutdown => break shut_down(&mut driver, shared, &mut pending),
        }
        if !driver.write_failed() {
            retry = Retry { delay: FIRST_RETRY, at: None };
        }
    };
    Served { output: driver.into_output(), error }
}

struct CloseOnDrop<'a, P: crate::Pixel>(&'a Shared<P>);

impl<P: crate::Pixel> Drop for CloseOnDrop<'_, P> {
    fn drop(&mut self) {
        // A thread that dies outside the guards must not leave senders blocked.
        self.0.commands.close(&mut VecDeque::new());
        self.0.close();
    }
}

/// When to write a failed frame again.
struct Retry {
    delay: Duration,
    at: Option<Instant>,
}

/// Sleeps until a command arrives (the handle's interrupt wakes the clock), taking
/// every queued command; while the last write failed, wakes up to retry it.
fn wait_for_commands<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    shared: &Shared<O::Pixel>,
    pending: &mut VecDeque<Command<O::Pixel>>,
    retry: &mut Retry,
) {
    shared.commands.take_all(pending);
    if !pending.is_empty() {
        return;
    }
    if !driver.write_failed() {
        retry.at = None;
    } else if retry.at.is_none() {
        retry.at = Some(driver.now() + retry.delay);
    }
    if driver.clock_mut().sleep_until(retry.at).is_err() {
        // A clock that cannot wait for an outside event: block on the queue itself.
        shared.commands.wait(pending);
        return;
    }
    shared.commands.take_all(pending);
    if pending.is_empty() && retry.at.is_some_and(|at| driver.now() >= at) {
        retry.delay = (retry.delay * 2).min(LAST_RETRY);
        retry.at = None;
        let _ = write(driver, None, shared, |d| d.flush());
    }
}

/// Plays a stage that starts with `first` (a play, an overlay or a crossfade) until
/// nothing is left on it or a command ends the run (play, stop, clear, shutdown).
/// Overlays, crossfades and refreshes that arrive meanwhile are carried out by the
/// stage without ending the run.
fn run<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    first: Command<O::Pixel>,
    shared: &Shared<O::Pixel>,
    pending: &mut VecDeque<Command<O::Pixel>>,
) {
    let was_failing = driver.write_failed();
    let virtual_clock = driver.clock().is_virtual();
    // A request refused before it starts leaves the LEDs alone (nothing is written).
    let first = match first {
        Command::Play(id, animation) => {
            match refuse_endless(virtual_clock, id, animation, driver.now(), shared) {
                Some(animation) => Command::Play(id, animation),
                None => return,
            }
        }
        Command::Overlay(id, animation) => {
            match refuse_endless(virtual_clock, id, animation, driver.now(), shared) {
                Some(animation) => Command::Overlay(id, animation),
                None => return,
            }
        }
        Command::Crossfade(id, animation, fade) => {
            match refuse_endless(virtual_clock, id, animation, driver.now(), shared) {
                Some(animation) => Command::Crossfade(id, animation, fade),
                None => return,
            }
        }
        other => other,
    };
    let board = RefCell::new(Board::new(first));
    let stage = Stage { board: &board, shared, virtual_clock };
    // Asked before every sleep and after every wake-up: the commands the stage carries
    // out go to its inbox (and it is polled at once); any other ends the run.
    let keep_going = || {
        if pending.is_empty() {
            shared.commands.take_all(pending);
        }
        let mut staged = false;
        while pending.front().is_some_and(Command::is_staged) {
            board.borrow_mut().inbox.extend(pending.pop_front());
            staged = true;
        }
        match (staged, pending.is_empty()) {
            (true, _) => Go::Poll,
            (false, true) => Go::On,
            (false, false) => Go::Stop,
        }
    };
    let result = catch_unwind(AssertUnwindSafe(|| driver.run_stage(&stage, keep_going)));
    let at = driver.now();
    let Board { inbox, on_stage, finished } = board.into_inner();
    // Commands the stage did not get to (the run failed first) come next.
    for command in inbox.into_iter().rev() {
        pending.push_front(command);
    }
    // The end of every request still on stage, for the reason the run ended.
    let (end, output_failed): (Box<dyn Fn(PlayId) -> Event>, bool) = match result {
        Ok(Ok(RunEnd::Finished(_))) => (Box::new(|id| Event::Finished { id, at }), false),
        Ok(Ok(RunEnd::Interrupted(at) | RunEnd::Stopped(at))) => {
            let reason = match pending.front() {
                Some(Command::Play(new, _)) => StopReason::Replaced(*new),
                Some(Command::Clear) => StopReason::Clear,
                Some(Command::Shutdown) => StopReason::Shutdown,
                _ => StopReason::Stop,
            };
            (Box::new(move |id| Event::Stopped { id, at, reason }), false)
        }
        Ok(Err(RunError::Output { at, source })) => {
            let error: Arc<dyn std::error::Error + Send + Sync> = Arc::new(source);
            let end = move |id| Event::OutputFailed { id: Some(id), at, error: Arc::clone(&error) };
            (Box::new(end), true)
        }
        Ok(Err(RunError::Idle { at })) => {
            (Box::new(move |id| Event::Stopped { id, at, reason: StopReason::Idle }), false)
        }
        Ok(Err(error @ (RunError::Invalid(_) | RunError::Endless { .. }))) => {
            let error: Arc<dyn std::error::Error + Send + Sync> = Arc::new(error);
            (Box::new(move |id| Event::Refused { id, at, error: Arc::clone(&error) }), false)
        }
        Err(panic) => {
            if driver.recover() {
                let error: Arc<dyn std::error::Error + Send + Sync> =
                    Arc::new(OutputPanicked(panic_message(&*panic)));
                let end =
                    move |id| Event::OutputFailed { id: Some(id), at, error: Arc::clone(&error) };
                (Box::new(end), true)
            } else {
                let message = panic_message(&*panic);
                (Box::new(move |id| Event::Panicked { id, at, message: message.clone() }), false)
            }
        }
    };
    if let Some((id, end_at)) = finished {
        match output_failed {
            true => shared.report(end(id)),
            false => shared.report(Event::Finished { id, at: end_at }),
        }
    }
    for OnStage { id, panic } in on_stage {
        shared.report(match panic {
            Some(message) => Event::Panicked { id, at, message },
            None => end(id),
        });
    }
    drop(end);
    if was_failing && !driver.write_failed() && !output_failed {
        shared.report(Event::OutputRecovered { at });
    }
    // A replacement writes the old program's "off" together with its own first frame;
    // anything else shows the cancelled LEDs going off now.
    if !output_failed && !matches!(pending.front(), Some(Command::Play(..))) {
        let _ = write(driver, None, shared, |d| d.flush());
    }
}

/// Refuses every later command, reports the accepted requests that will never start,
/// switches everything off.
fn shut_down<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    shared: &Shared<O::Pixel>,
    pending: &mut VecDeque<Command<O::Pixel>>,
) -> Option<Arc<dyn std::error::Error + Send + Sync>> {
    shared.commands.close(pending);
    let at = driver.now();
    for command in pending.drain(..) {
        if let Some((id, animation)) = command.into_request() {
            drop_guarded(animation);
            shared.report(Event::Skipped { id, at, reason: StopReason::Shutdown });
        }
    }
    write(driver, None, shared, |d| d.clear())
}

/// Calls the output through `f`, guarded; a failure or a panic is reported (and
/// returned), a success after failures too.
fn write<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    id: Option<PlayId>,
    shared: &Shared<O::Pixel>,
    f: impl FnOnce(&mut Driver<O, C>) -> Result<(), O::Error>,
) -> Option<Arc<dyn std::error::Error + Send + Sync>> {
    let was_failing = driver.write_failed();
    let error: Arc<dyn std::error::Error + Send + Sync> =
        match catch_unwind(AssertUnwindSafe(|| f(driver))) {
            Ok(Ok(())) => {
                if was_failing {
                    shared.report(Event::OutputRecovered { at: driver.now() });
                }
                return None;
            }
            Ok(Err(error)) => Arc::new(error),
            Err(panic) => {
                let _ = driver.recover();
                Arc::new(OutputPanicked(panic_message(&*panic)))
            }
        };
    shared.report(Event::OutputFailed { id, at: driver.now(), error: Arc::clone(&error) });
    Some(error)
}

/// Drops a user's value; a panic in its `Drop` is swallowed (its request already has
/// its end event).
fn drop_guarded<T>(value: T) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(value)));
}

/// The output panicked; its message.
#[derive(Debug, thiserror::Error)]
#[error("the output panicked: {0}")]
pub(crate) struct OutputPanicked(pub(crate) String);

pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with a non-string payload".to_owned())
}
