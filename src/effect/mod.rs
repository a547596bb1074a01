//! Effects: colour animations people know from CircuitPython's `adafruit_led_animation`.

mod chase;
mod color_cycle;
mod comet;
mod solid;
mod step;

pub use chase::{Chase, chase};
pub use color_cycle::{ColorCycle, color_cycle};
pub use comet::{Comet, comet};
pub use solid::{Solid, solid};
