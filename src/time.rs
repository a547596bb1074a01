//! Instants on the driver's timeline.

use core::fmt;
use core::ops::{Add, AddAssign, Sub};
use core::time::Duration;

/// A point on the driver's timeline, in nanoseconds.
///
/// Virtual and real clocks share this type: a [`VirtualClock`](crate::VirtualClock)
/// starts at [`Instant::ZERO`], a [`SystemClock`](crate::SystemClock) counts from the
/// boot-time origin of `CLOCK_MONOTONIC`. Arithmetic with [`Duration`] saturates at
/// [`Instant::MAX`] (about 584 years) instead of overflowing, so "forever" needs no
/// special case.
///
/// # Examples
///
/// ```
/// use blinken::Instant;
/// use std::time::Duration;
///
/// let start = Instant::ZERO;
/// let t = start + Duration::from_millis(1500);
/// assert_eq!(t.as_nanos(), 1_500_000_000);
/// assert_eq!(t - start, Duration::from_millis(1500));
/// assert_eq!(t.to_string(), "1.500000");
/// assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

impl Instant {
    /// The origin of the timeline (where a virtual clock starts).
    pub const ZERO: Instant = Instant(0);
    /// The last representable instant; reached by saturation.
    pub const MAX: Instant = Instant(u64::MAX);

    /// The instant `nanos` nanoseconds after the origin.
    pub const fn from_nanos(nanos: u64) -> Instant {
        Instant(nanos)
    }

    /// Nanoseconds since the origin.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// The time elapsed from `earlier` to `self`, or zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// `self + d`, or `None` if that is past [`Instant::MAX`].
    pub fn checked_add(self, d: Duration) -> Option<Instant> {
        u64::try_from(d.as_nanos()).ok().and_then(|n| self.0.checked_add(n)).map(Instant)
    }

    /// `self + d × n`, saturating: the `n`-th tick of a period `d` from `self`.
    ///
    /// Drift-free schedules compute every deadline with this (one multiplication
    /// from the logical start) rather than by adding `d` again and again.
    pub fn add_times(self, d: Duration, n: u64) -> Instant {
        let step = d.as_nanos().saturating_mul(u128::from(n));
        // In nanoseconds throughout: leaves call this once a step.
        Instant(self.0.saturating_add(u64::try_from(step).unwrap_or(u64::MAX)))
    }
}

/// Saturating: never overflows past [`Instant::MAX`].
impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        self.checked_add(d).unwrap_or(Instant::MAX)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

/// Saturating: an earlier minus a later instant is zero.
impl Sub for Instant {
    type Output = Duration;
    fn sub(self, earlier: Instant) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

/// Seconds with six decimals, as the recorder prints them: `1.500000`.
impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:06}", self.0 / 1_000_000_000, self.0 % 1_000_000_000 / 1_000)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Instant({}.{:09}s)", self.0 / 1_000_000_000, self.0 % 1_000_000_000)
    }
}

/// The shortest step anything that repeats may take: 100 µs.
///
/// A [`blink`](crate::blink)'s period (on + off), a [`walk`](crate::walk)'s or
/// [`cycle`](crate::cycle)'s step and one pass of a loop ([`forever`](crate::forever),
/// [`repeat`](crate::repeat), [`cycle`](crate::cycle)) must last at least this long;
/// validation refuses shorter ones, naming the value.
///
/// Why a floor and not just "more than zero": a step of a few nanoseconds shows on no
/// LED (GPIO writes take microseconds, an APA102 frame of 100 LEDs at 8 MHz about
/// 400 µs), and it turns every stall of the machine into work: a loop whose pass takes
/// 1 ns runs a billion passes to catch up one second. 100 µs is ten times shorter than
/// the shortest blink a person can see and still above what an output can show.
///
/// Programs that do not repeat are exempt: a finite [`blink`](crate::blink) of zero or
/// one round and a [`walk`](crate::walk) over at most one LED may be as short as they
/// like (zero included), since they cost one step whatever the stall.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::MIN_STEP;
///
/// assert_eq!(MIN_STEP, Duration::from_micros(100));
/// let err = Animation::<bool>::validate(&blink(0, Duration::from_micros(10)), 1).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "blink: a period of 20µs (on 10µs + off 10µs) is shorter than MIN_STEP (100µs): \
///      no LED shows it, and catching up after a stall would cost work per missed step; \
///      use at least 100µs"
/// );
/// // A single flash may be as short as you like.
/// assert!(Animation::<bool>::validate(&blink(0, Duration::from_nanos(1)).times(1), 1).is_ok());
/// ```
pub const MIN_STEP: Duration = Duration::from_micros(100);

/// The longest single duration a leaf may be given: 100 years (of 365.25 days).
///
/// [`Instant`] counts nanoseconds in a `u64`, so the timeline ends about 584 years
/// after the clock's origin ([`Instant::MAX`]). A program that waits longer than
/// `LONGEST` in one step would run past that end instead of doing what it says, so
/// validation refuses a [`wait`](crate::wait), a [`blink`](crate::blink)'s on or off
/// time, a [`walk`](crate::walk)'s or [`cycle`](crate::cycle)'s step, a
/// [`timeout`](crate::timeout)'s limit or a [`from_fn`](crate::from_fn)'s
/// `at_least` longer than this, naming the part and the value. To hold something
/// until it is cancelled, use [`on`](crate::on) (or [`forever`](crate::forever)), which
/// never end by themselves.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::LONGEST;
///
/// assert_eq!(LONGEST, secs(3_155_760_000));
/// let err = Animation::<bool>::validate(&wait(Duration::MAX), 1).unwrap_err();
/// assert_eq!(err.path(), "wait");
/// assert!(err.to_string().contains("is longer than LONGEST"), "{err}");
/// ```
pub const LONGEST: Duration = Duration::from_secs(100 * 31_557_600);

/// `d × n`, saturating at `Duration::MAX`.
pub(crate) fn mul(d: Duration, n: u64) -> Duration {
    let nanos = d.as_nanos().saturating_mul(u128::from(n));
    u64::try_from(nanos).map_or(Duration::MAX, Duration::from_nanos)
}

/// How many whole periods lie between `start` and `now`: the index of the step of a
/// schedule `start + k·period` that is due at `now`, in O(1). Zero when `now` is
/// before `start` or the period is zero (every step is due at once: no skipping).
pub(crate) fn steps_due(start: Instant, now: Instant, period: Duration) -> u64 {
    match period.as_nanos() {
        0 => 0,
        p => u64::try_from((now - start).as_nanos() / p).unwrap_or(u64::MAX),
    }
}

/// `d` milliseconds: `ms(100)` reads like the talk's `0.1`.
///
/// ```
/// assert_eq!(blinken::ms(1500), std::time::Duration::from_millis(1500));
/// ```
pub const fn ms(d: u64) -> Duration {
    Duration::from_millis(d)
}

/// `d` seconds.
///
/// ```
/// assert_eq!(blinken::secs(3), std::time::Duration::from_secs(3));
/// ```
pub const fn secs(d: u64) -> Duration {
    Duration::from_secs(d)
}
