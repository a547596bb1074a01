//! The player thread's loop.
//!
//! Every piece of user code the thread runs is guarded: polls of an animation, the
//! drop of its future and of its value, and every call into the output. A panic in
//! any of them is reported as an event and the thread goes on serving.

use core::any::Any;
use core::convert::Infallible;
use core::time::Duration;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::event::{Event, StopReason};
use super::handle::{PlayId, Shared};
use super::queue::Command;
use crate::{BoxAnimation, Clock, Driver, Instant, Output, RunEnd, RunError};

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
            Command::Play(id, animation) => play(&mut driver, id, animation, shared, &mut pending),
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

/// Plays one request until it ends or a command interrupts it.
fn play<O: Output, C: Clock>(
    driver: &mut Driver<O, C>,
    id: PlayId,
    animation: BoxAnimation<O::Pixel>,
    shared: &Shared<O::Pixel>,
    pending: &mut VecDeque<Command<O::Pixel>>,
) {
    let was_failing = driver.write_failed();
    if driver.clock().is_virtual() && animation.min_duration_dyn() == Duration::MAX {
        let at = driver.now();
        let error = Arc::new(RunError::<Infallible>::Endless { at });
        drop_guarded(animation);
        shared.report(Event::Refused { id, at, error });
        return;
    }
    shared.report(Event::Started { id, at: driver.now() });
    // Asked before every sleep and after every wake-up: any queued command ends the
    // run at once.
    let mut keep_going = || {
        if pending.is_empty() {
            shared.commands.take_all(pending);
        }
        pending.is_empty()
    };
    let result =
        catch_unwind(AssertUnwindSafe(|| driver.run_while(&animation, None, &mut keep_going)));
    let at = driver.now();
    let mut end = match result {
        Ok(Ok(RunEnd::Finished(at))) => Event::Finished { id, at },
        Ok(Ok(RunEnd::Interrupted(at) | RunEnd::Stopped(at))) => {
            let reason = match pending.front() {
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
        Ok(Err(error @ (RunError::Invalid(_) | RunError::Endless { .. }))) => {
            Event::Refused { id, at, error: Arc::new(error) }
        }
        Err(panic) => {
            if driver.recover() {
                let error = Arc::new(OutputPanicked(panic_message(&*panic)));
                Event::OutputFailed { id: Some(id), at, error }
            } else {
                Event::Panicked { id, at, message: panic_message(&*panic) }
            }
        }
    };
    // The value is the user's too: its `Drop` may panic.
    if let Err(panic) = catch_unwind(AssertUnwindSafe(move || drop(animation))) {
        if !matches!(end, Event::Panicked { .. }) {
            let message = format!("dropping the animation panicked: {}", panic_message(&*panic));
            end = Event::Panicked { id, at, message };
        }
    }
    let failed = matches!(end, Event::OutputFailed { .. });
    shared.report(end);
    if was_failing && !driver.write_failed() && !failed {
        shared.report(Event::OutputRecovered { at });
    }
    // A replacement writes the old animation's "off" together with its own first frame;
    // anything else shows the cancelled LEDs going off now.
    if !failed && !matches!(pending.front(), Some(Command::Play(..))) {
        let _ = write(driver, Some(id), shared, |d| d.flush());
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
        if let Command::Play(id, animation) = command {
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
