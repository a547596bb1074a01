//! A rainbow comet on the seeds' 11-LED strip: the picture in the README.
//!
//! ```text
//! cargo run --example rainbow_comet                              # terminal simulator
//! cargo run --example rainbow_comet -- --record 3                # exact timeline (# lit, . dark)
//! cargo run --example rainbow_comet -- --record 3 --svg docs/rainbow_comet.svg
//! cargo run --example rainbow_comet --features png -- --png rainbow_comet.png
//! ```
//!
//! Options: `--record SECONDS`, `--svg FILE`, `--png FILE` (feature `png`),
//! `--for SECONDS`.

mod common;

use std::error::Error;
use std::process::ExitCode;

use blinken::prelude::*;

/// How many LEDs: the seeds' DotStar strip.
const LEDS: usize = 11;

/// A comet with a 5-LED rainbow tail, one LED every 80 ms, bouncing.
fn program() -> impl Animation<RGB8> + Send + Sync + 'static {
    rainbow_comet(0..LEDS, ms(80)).tail_length(5).bounce(true)
}

fn run(args: &common::Args) -> Result<(), Box<dyn Error>> {
    let program = program();
    if common::record_and_draw(&program, LEDS, args)? {
        return Ok(());
    }
    eprintln!("rainbow_comet: playing {LEDS} LEDs in the terminal simulator (Ctrl-C to stop)");
    common::hint_if_not_a_terminal("rainbow_comet");
    common::play(Terminal::new(1, LEDS).with_pixel_type::<RGB8>(), program, args.play_for)
}

const USAGE: &str = "options: [--record SECONDS] [--svg FILE] [--png FILE] [--for SECONDS]";

fn main() -> ExitCode {
    let args = match common::Args::parse(&[]) {
        Ok(args) if args.target.is_some() => {
            let message = "--terminal, --chip and --rppal are for the 5x5 board";
            return common::usage_with("rainbow_comet", message, USAGE);
        }
        Ok(args) => match args.no_extra() {
            Ok(()) => args,
            Err(message) => return common::usage_with("rainbow_comet", &message, USAGE),
        },
        Err(message) => return common::usage_with("rainbow_comet", &message, USAGE),
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}
