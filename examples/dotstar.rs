//! The seeds' DotStar rig: 11 APA102 LEDs on SPI0, a colour chase played by a player.
//!
//! ```text
//! cargo run --example dotstar                       # terminal simulator
//! cargo run --example dotstar -- --record 3         # exact timeline (# lit, . dark)
//! cargo run --example dotstar --features spidev -- --spi /dev/spidev0.0 --pixel-order GBR --brightness 0.3
//! ```
//!
//! Options: `--spi PATH` (feature `spidev`), `--pixel-order RGB|RBG|GRB|GBR|BRG|BGR`
//! (default BGR), `--brightness 0..1` (default 1; the simulator shows it too),
//! `--hz CLOCK` (default 4 MHz), `--leds N` (default 11), `--record SECONDS`,
//! `--svg FILE`, `--png FILE` (feature `png`), `--for SECONDS`, `--gamma EXPONENT`
//! (e.g. 2.8; default none) and `--max-ma MILLIAMPS` (the supply's budget: every frame
//! is scaled to stay within it; default none), which wrap the strip or the simulator
//! in the output adapters `Gamma` and `PowerLimit` (all parsed by
//! `common::StripOptions`, shared with `strip_effects`).

mod common;

use std::process::ExitCode;

use blinken::prelude::*;

/// A red comet out, a green one back, then the whole strip blinks blue three times.
fn chase(leds: usize) -> impl Animation<RGB8> + Send + Sync + 'static {
    let out: Vec<usize> = (0..leds).collect();
    let back: Vec<usize> = (0..leds).rev().collect();
    forever(sequence((
        walk(out, ms(40)).color(RGB8::new(255, 0, 0)),
        walk(back, ms(40)).color(RGB8::new(0, 255, 0)),
        blink(0..leds, ms(150)).times(3).color(RGB8::new(0, 0, 255)),
    )))
}

const USAGE: &str = "options: [--spi PATH] [--pixel-order RGB|RBG|GRB|GBR|BRG|BGR] \
    [--brightness 0..1] [--gamma EXPONENT] [--max-ma MILLIAMPS] [--hz CLOCK] [--leds N] \
    [--record SECONDS] [--svg FILE] [--png FILE] [--for SECONDS]";

fn main() -> ExitCode {
    let (args, strip) = match common::strip_args("dotstar", &[], USAGE) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    match common::play_strip("dotstar", &strip, chase(strip.leds), &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}
