//! Composable async LED animations with drift-free timing.
//!
//! An [`Animation`] is a *factory*: every run builds a fresh future, so one value can
//! be played again, listed twice in a [`sequence`], looped by [`forever`] and nested
//! anywhere. Leaves ([`blink`], [`on`], [`off`], [`wait`], [`walk`], [`fill`]) write
//! pixels; combinators ([`sequence`], [`all`], [`any`], [`forever`], [`repeat`],
//! [`cycle`], [`timeout`]) build programs out of them. A [`Driver`] plays a program on
//! an [`Output`] with a [`Clock`].
//!
//! ```
//! use blinken::prelude::*;
//!
//! // Two LEDs blink at different rates for one second, then both go dark.
//! let program = any((blink(0, ms(200)), blink(1, ms(300)), wait(secs(1))));
//!
//! // On the virtual clock it runs instantly and exactly; the recorder keeps the timeline.
//! let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
//! assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + secs(1));
//! driver.output().assert_timeline("
//!     0.000000 ##
//!     0.200000 .#
//!     0.300000 ..
//!     0.400000 #.
//!     0.600000 .#
//!     0.800000 ##
//!     0.900000 #.
//!     1.000000 ..
//! ");
//! ```
//!
//! # Timing
//!
//! Deadlines are computed from logical start times, never from the time a wake-up
//! happened: a leaf's `k`-th deadline is `start + k·period`, a sequence starts each
//! child at the previous child's logical end. Nothing drifts, on any clock. See
//! `docs/timing.md` in the repository for the whole model.
//!
//! # Cancellation
//!
//! Dropping a running animation (the loser of [`any`], a program cut by [`timeout`])
//! switches its LEDs off at that instant.
//!
//! # Playing in real time
//!
//! [`Player::spawn`] starts a thread that owns a driver on a [`SystemClock`]; its
//! [`PlayerHandle`] (`Clone + Send + Sync`) plays, replaces and stops animations from
//! any thread or async task, and reports [`Event`]s.
//!
//! # Features
//!
//! The default build needs no hardware crate: the recorder, the terminal simulator, the
//! APA102 encoder and everything above.
//!
//! | feature | enables |
//! |---|---|
//! | `gpiocdev` | `GpioLines` and `input::GpioInput`: GPIO output and input lines through the Linux character device |
//! | `embedded-hal` | `Pins` over any `embedded_hal::digital::OutputPin`; `Apa102Spi` over any `SpiBus` |
//! | `rppal` | `Pins::bcm`: Raspberry Pi pins by BCM number (rppal is unmaintained upstream; prefer `gpiocdev`) |
//! | `spidev` | `apa102::open_spidev_bus` and `Apa102Spi::open_spidev` on `/dev/spidevX.Y` |
//! | `smart-leds` | `SmartLeds`: any `smart-leds` writer (WS2812 and friends) |
//! | `spec` | `spec`: programs as data, read from JSON and MessagePack; keyframe files |
//! | `control` | `control`: Python's `multiprocessing.connection` protocol, and `control::Server` (Linux), which serves a player to other programs; implies `spec` |
//! | `png` | `output::Picture::write_png`: PNG pictures of recorded timelines |
//! | `cli` | the `blinken` command (a binary; `docs/blinken-command.md`) |
#![forbid(unsafe_code)]
#![warn(missing_docs, missing_debug_implementations, rustdoc::broken_intra_doc_links)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod animation;
mod clock;
mod color;
pub mod combinator;
#[cfg(feature = "control")]
#[cfg_attr(docsrs, doc(cfg(feature = "control")))]
pub mod control;
mod cx;
pub mod demos;
mod driver;
pub mod effect;
mod error;
mod from_fn;
#[cfg(feature = "gpiocdev")]
mod gpio_error;
pub mod input;
pub mod leaf;
mod leds;
mod matrix;
pub mod output;
mod pixel;
mod player;
#[cfg(feature = "spec")]
#[cfg_attr(docsrs, doc(cfg(feature = "spec")))]
pub mod spec;
mod strip;
mod time;
mod timer;

pub use animation::{Animation, BoxAnimation, DynAnimation};
pub use clock::{Clock, Idle, Interrupt, ManualClock, ManualControl, SystemClock, VirtualClock};
pub use color::Color;
pub use combinator::{
    All, Any, Crossfade, Curve, Cycle, Forever, Overlay, Repeat, Sequence, Timeout,
};
pub use combinator::{all, any, crossfade, cycle, forever, overlay, repeat, sequence, timeout};
pub use cx::{Cx, OffOnDrop, Sleep, Ticker};
pub use driver::{Driver, RunEnd, RunError};
pub use effect::{
    Chase, ColorCycle, Comet, Fade, LarsonScanner, Pulse, Rainbow, RainbowChase, RainbowComet,
    RainbowSparkle, Solid, Sparkle,
};
pub use effect::{
    chase, color_cycle, comet, fade, larson_scanner, pulse, rainbow, rainbow_chase, rainbow_comet,
    rainbow_sparkle, solid, sparkle,
};
pub use error::{MAX_DEPTH, ValidationError, ValidationErrorKind};
pub use from_fn::{FromFn, from_fn};
pub use leaf::{Blink, Fill, Keyframe, Keyframes, Off, On, Press, Presses, Until, Wait, Walk};
pub use leaf::{blink, fill, keyframes, off, on, press, presses, until, wait, walk};
pub use leds::Leds;
pub use matrix::{Matrix, MatrixError, PatternError};
pub use output::apa102::Dot;
pub use output::{Frame, Output};
pub use pixel::{Pixel, RGB8};
pub use player::{
    Event, Events, PlayError, PlayId, Player, PlayerHandle, Playing, ShutdownError, StopReason,
    WaitError,
};
pub use strip::Strip;
pub use time::{Instant, LONGEST, MIN_STEP, ms, secs};

/// The vocabulary of writing and playing programs: `use blinken::prelude::*;`.
///
/// - to write programs: [`Animation`] and
///   [`BoxAnimation`], every leaf, effect and combinator (the functions
///   and their types, so that a function can name what it returns), the [`Color`] maths, [`Cx`]
///   and [`from_fn`] for your own leaves, [`Instant`],
///   [`Duration`](core::time::Duration), [`ms`], [`secs`],
///   [`Leds`], [`Matrix`], the pixel types and
///   validation errors;
/// - to play them: [`Driver`] and its results, the two clocks,
///   [`Player`], its handle and events, the [`Output`]
///   trait and its [`Frame`], and the two outputs that need no hardware,
///   [`Recorder`](crate::output::Recorder) and [`Terminal`](crate::output::Terminal).
///
/// Hardware backends live in [`output`]; test and tuning tools
/// ([`ManualClock`], [`Interrupt`], the limits)
/// at the crate root.
pub mod prelude {
    pub use crate::output::{Recorder, Terminal};
    pub use crate::{
        All, Animation, Any, Blink, BoxAnimation, Chase, Clock, Color, ColorCycle, Comet,
        Crossfade, Curve, Cx, Cycle, Dot, Driver, Event, Fade, Fill, Forever, Frame, FromFn,
        Instant, Keyframe, Keyframes, LarsonScanner, Leds, Matrix, Off, On, Output, Overlay, Pixel,
        PlayError, PlayId, Player, PlayerHandle, Press, Presses, Pulse, RGB8, Rainbow,
        RainbowChase, RainbowComet, RainbowSparkle, Repeat, RunEnd, RunError, Sequence, Solid,
        Sparkle, SystemClock, Timeout, Until, ValidationError, ValidationErrorKind, VirtualClock,
        Wait, Walk, all, any, blink, chase, color_cycle, comet, crossfade, cycle, fade, fill,
        forever, from_fn, keyframes, larson_scanner, ms, off, on, overlay, press, presses, pulse,
        rainbow, rainbow_chase, rainbow_comet, rainbow_sparkle, repeat, secs, sequence, solid,
        sparkle, timeout, until, wait, walk,
    };
    pub use core::time::Duration;
}

/// The README's examples are doctests too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
