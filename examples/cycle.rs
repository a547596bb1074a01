//! The talk's cycle: the top row's LEDs blink one after another, forever.
//!
//! ```text
//! cargo run --example cycle                 # terminal simulator, or /dev/gpiochip0 with --features gpiocdev
//! cargo run --example cycle -- --record 10  # the exact timeline on the virtual clock
//! ```

mod common;

fn main() -> std::process::ExitCode {
    common::main("cycle", blinken::demos::cycle_demo())
}
