//! The talk's all-demo: line 11 blinks while a 3 s sleep runs, then line 1 blinks.
//!
//! ```text
//! cargo run --example all_demo                 # terminal simulator, or /dev/gpiochip0 with --features gpiocdev
//! cargo run --example all_demo -- --record 10  # the exact timeline on the virtual clock
//! ```

mod common;

fn main() -> std::process::ExitCode {
    common::main("all_demo", blinken::demos::all_demo())
}
