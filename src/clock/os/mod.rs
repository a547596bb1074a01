//! What the real clock needs from the operating system: a monotonic reading, a counter
//! a thread can block on until a deadline, and (where it exists) a finer timer slack.
//!
//! Two implementations with the same items:
//!
//! - `linux`: Linux and Android. `CLOCK_MONOTONIC` through rustix, a futex with an
//!   absolute `CLOCK_MONOTONIC` timeout, and `PR_SET_TIMERSLACK`.
//! - `portable`: every other target, and Linux built with `--cfg blinken_portable`
//!   (so that this path is built and tested where only Linux can be installed). Only
//!   `std`: a `std::time::Instant` anchor, a `Mutex` and `Condvar`, no timer slack.
//!
//! Both measure time on one timeline in nanoseconds (`now_nanos`), and `Counter::wait`
//! takes its deadline on that timeline.

#[cfg(all(any(target_os = "linux", target_os = "android"), not(blinken_portable)))]
mod linux;
#[cfg(all(any(target_os = "linux", target_os = "android"), not(blinken_portable)))]
pub(crate) use linux::{Counter, lower_timer_slack, now_nanos};

#[cfg(not(all(any(target_os = "linux", target_os = "android"), not(blinken_portable))))]
mod portable;
#[cfg(not(all(any(target_os = "linux", target_os = "android"), not(blinken_portable))))]
pub(crate) use portable::{Counter, lower_timer_slack, now_nanos};
