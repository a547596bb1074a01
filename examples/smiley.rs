//! The talk's smiley: eyes on while the mouth talks for 7 s, then a held smile.
//!
//! ```text
//! cargo run --example smiley                 # terminal simulator, or /dev/gpiochip0 with --features gpiocdev
//! cargo run --example smiley -- --record 10  # the exact timeline on the virtual clock
//! ```

mod common;

fn main() -> std::process::ExitCode {
    common::main("smiley", blinken::demos::smiley())
}
