//! Effects: the colour animations people know from CircuitPython's
//! `adafruit_led_animation`, for every colour pixel ([`Color`](crate::Color): `RGB8`,
//! `Dot`).
//!
//! Each effect is an [`Animation`](crate::Animation) like any other: it composes with
//! `sequence`, `any`, `timeout`, ..., switches its LEDs off when cancelled, and is
//! validated before it plays. Each steps on a [`Ticker`](crate::Ticker): step `k` at
//! `start + k·speed`, never drifting, jumping to the step due now after a stall.
//!
//! | effect | CircuitPython (2.12.6) | same pixels at the instants `k·speed` |
//! |---|---|---|
//! | [`solid`], [`color_cycle`] | `Solid`, `ColorCycle` | yes |
//! | [`chase`], [`rainbow_chase`] | `Chase`, `RainbowChase` | yes |
//! | [`comet`], [`rainbow_comet`] | `Comet`, `RainbowComet` | yes |
//! | [`rainbow`], [`pulse`] | `Rainbow`, `Pulse` | yes (durations in whole ms) |
//! | [`sparkle`], [`rainbow_sparkle`] | `Sparkle`, `RainbowSparkle` | same structure; the random LEDs come from a seed |
//! | [`larson_scanner`], [`fade`] | none | defined here |
//!
//! CircuitPython draws a step when `now >= next_update` and then sets
//! `next_update = now + speed`, so its lateness accumulates; its time-based effects
//! (`Rainbow`, `Pulse`) use the time of the wake-up. blinken uses logical instants for
//! both. `tests/effects_parity.rs` runs the library on a patched clock and compares
//! frame by frame.

mod chase;
mod color_cycle;
mod comet;
mod fade;
mod larson_scanner;
mod pulse;
mod rainbow;
mod rainbow_chase;
mod rainbow_comet;
mod rainbow_sparkle;
mod random;
mod solid;
mod sparkle;
mod step;

pub use chase::{Chase, chase};
pub use color_cycle::{ColorCycle, color_cycle};
pub use comet::{Comet, comet};
pub use fade::{Fade, fade};
pub use larson_scanner::{LarsonScanner, larson_scanner};
pub use pulse::{Pulse, pulse};
pub use rainbow::{Rainbow, rainbow};
pub use rainbow_chase::{RainbowChase, rainbow_chase};
pub use rainbow_comet::{RainbowComet, rainbow_comet};
pub use rainbow_sparkle::{RainbowSparkle, rainbow_sparkle};
pub use solid::{Solid, solid};
pub use sparkle::{Sparkle, sparkle};
