//! The talk's any-demo: every LED blinks at 0.2 s, stopped after 3 s.
//!
//! ```text
//! cargo run --example any_demo                 # terminal simulator, or /dev/gpiochip0 with --features gpiocdev
//! cargo run --example any_demo -- --record 10  # the exact timeline on the virtual clock
//! ```

mod common;

fn main() -> std::process::ExitCode {
    common::main("any_demo", blinken::demos::any_demo())
}
