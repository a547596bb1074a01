//! The talk's any-on-demo: every LED on for half a second.
//!
//! ```text
//! cargo run --example any_on_demo                 # terminal simulator, or /dev/gpiochip0 with --features gpiocdev
//! cargo run --example any_on_demo -- --record 10  # the exact timeline on the virtual clock
//! ```

mod common;

fn main() -> std::process::ExitCode {
    common::main("any_on_demo", blinken::demos::any_on_demo())
}
