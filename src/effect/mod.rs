//! Effects: colour animations people know from CircuitPython's `adafruit_led_animation`.

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
