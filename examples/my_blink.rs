//! The talk's my-blink: everything on 0.5 s, off 0.2 s, forever.
//!
//! ```text
//! cargo run --example my_blink                 # terminal simulator, or /dev/gpiochip0 with --features gpiocdev
//! cargo run --example my_blink -- --record 10  # the exact timeline on the virtual clock
//! ```

mod common;

fn main() -> std::process::ExitCode {
    common::main("my_blink", blinken::demos::my_blink())
}
