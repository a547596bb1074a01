//! Clocks: where the driver's time comes from and how it waits.

mod interrupt;
mod manual;
mod os;
mod spin;
mod system;
mod virtual_clock;

pub use interrupt::Interrupt;
pub use manual::{ManualClock, ManualControl};
pub use system::SystemClock;
pub use virtual_clock::VirtualClock;

use crate::Instant;

/// A source of time that can wait for a deadline.
///
/// The driver asks [`Clock::now`] after every wait and serves every timer due by then,
/// so a clock may wake late (a real one always does, a little) or early (spuriously):
/// lateness is caught up in one round and an early return just waits again.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Instant;

    /// Blocks until `deadline` (`None`: until woken from outside), or returns earlier
    /// when interrupted.
    ///
    /// # Errors
    ///
    /// [`Idle`] when the clock cannot wait without a deadline: a virtual clock has
    /// nothing to jump to and nothing outside can wake it.
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle>;

    /// A handle that ends the current or next [`Clock::sleep_until`] early, from any
    /// thread: a player uses it so that a command wakes it at once.
    ///
    /// The default is a handle connected to nothing, for clocks that never block.
    fn interrupt(&self) -> Interrupt {
        Interrupt::detached()
    }

    /// Whether only the driver moves this clock, so that nothing from outside can make a
    /// wait end: true for a [`VirtualClock`], which jumps to the deadline it is given.
    ///
    /// On such a clock a program that never ends by itself (its
    /// [`min_duration`](crate::Animation::min_duration) is `Duration::MAX`) would be
    /// simulated forever, so [`Driver::run`](crate::Driver::run) refuses it at once
    /// with [`RunError::Idle`](crate::RunError::Idle). The default is false: a
    /// real clock can wait for a wake-up from another thread, and a
    /// [`ManualClock`] is moved by its [`ManualControl`] from another thread.
    fn is_virtual(&self) -> bool {
        false
    }
}

/// Nothing is scheduled and the clock cannot wait for an outside event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("nothing is scheduled and this clock cannot wait for an outside event")]
pub struct Idle;
