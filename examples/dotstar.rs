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
//! in the output adapters `Gamma` and `PowerLimit`.

mod common;

use std::error::Error;
use std::process::ExitCode;

use blinken::output::adapter::{Gamma, PowerLimit};
use blinken::output::apa102::{Apa102, PixelOrder};
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

struct Options {
    spi: Option<String>,
    gamma: f64,
    max_ma: u32,
    encoder: Apa102,
    hz: u32,
    leds: usize,
}

fn options(args: &common::Args) -> Result<Options, String> {
    let mut options = Options {
        spi: None,
        gamma: 1.0,
        max_ma: u32::MAX,
        encoder: Apa102::new(),
        hz: 4_000_000,
        leds: 11,
    };
    for (flag, value) in &args.extra {
        let value = value.clone().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--spi" => options.spi = Some(value),
            "--pixel-order" => {
                let order: PixelOrder = value.parse().map_err(|e| format!("--pixel-order: {e}"))?;
                options.encoder = options.encoder.order(order);
            }
            "--brightness" => {
                let b: f64 = value
                    .parse()
                    .map_err(|_| format!("--brightness {value}: expected a number from 0 to 1"))?;
                options.encoder.set_brightness(b).map_err(|e| format!("--brightness: {e}"))?;
            }
            "--gamma" => {
                options.gamma =
                    value.parse().ok().filter(|g: &f64| g.is_finite() && *g > 0.0).ok_or_else(
                        || format!("--gamma {value}: expected an exponent, e.g. 2.8"),
                    )?;
            }
            "--max-ma" => {
                options.max_ma = value
                    .parse()
                    .map_err(|_| format!("--max-ma {value}: expected milliamps, e.g. 2000"))?;
            }
            "--hz" => {
                options.hz = value
                    .parse()
                    .map_err(|_| format!("--hz {value}: expected a clock in Hz, e.g. 4000000"))?;
            }
            "--leds" => {
                options.leds = value
                    .parse()
                    .map_err(|_| format!("--leds {value}: expected a number of LEDs"))?;
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

/// The output with gamma correction, then the power limit next to it (the identity
/// table and an unlimited budget unless asked for).
fn adapted<O>(output: O, gamma: f64, max_ma: u32) -> Gamma<PowerLimit<O>>
where
    O: Output<Pixel = RGB8>,
{
    Gamma::new(PowerLimit::new(output, max_ma), gamma)
}

fn run(args: &common::Args, options: Options) -> Result<(), Box<dyn Error>> {
    let program = chase(options.leds);
    let (gamma, max_ma) = (options.gamma, options.max_ma);
    if common::record_and_draw(&program, options.leds, args)? {
        return Ok(());
    }
    match options.spi {
        None => {
            eprintln!(
                "dotstar: playing {} LEDs in the terminal simulator (Ctrl-C to stop)",
                options.leds
            );
            common::hint_if_not_a_terminal("dotstar");
            // Dimmed as the strip's encoder dims it, so the simulator shows what the
            // strip would.
            let terminal = Terminal::new(1, options.leds)
                .with_pixel_type::<RGB8>()
                .brightness(options.encoder.get_brightness());
            common::play(adapted(terminal, gamma, max_ma), program, args.play_for)
        }
        #[cfg(feature = "spidev")]
        Some(path) => {
            use blinken::output::apa102::{Apa102Spi, open_spidev_bus};
            eprintln!(
                "dotstar: playing {} LEDs on {path} at {} Hz (Ctrl-C to stop)",
                options.leds, options.hz
            );
            let bus = open_spidev_bus(&path, options.hz)?;
            let strip = Apa102Spi::<_, RGB8>::with_config(bus, options.leds, options.encoder)?;
            common::play(adapted(strip, gamma, max_ma), program, args.play_for)
        }
        #[cfg(not(feature = "spidev"))]
        Some(path) => Err(format!("--spi {path} needs a build with `--features spidev`").into()),
    }
}

const USAGE: &str = "options: [--spi PATH] [--pixel-order RGB|RBG|GRB|GBR|BRG|BGR] \
    [--brightness 0..1] [--gamma EXPONENT] [--max-ma MILLIAMPS] [--hz CLOCK] [--leds N] [--record SECONDS] [--svg FILE] [--png FILE] \
    [--for SECONDS]";

fn main() -> ExitCode {
    let args = match common::Args::parse(&[
        "--spi",
        "--pixel-order",
        "--brightness",
        "--hz",
        "--leds",
        "--gamma",
        "--max-ma",
    ]) {
        Ok(args) if args.target.is_none() => args,
        Ok(_) => {
            return common::usage_with(
                "dotstar",
                "--terminal, --chip and --rppal are for the 5x5 board",
                USAGE,
            );
        }
        Err(message) => return common::usage_with("dotstar", &message, USAGE),
    };
    let options = match options(&args) {
        Ok(options) => options,
        Err(message) => return common::usage_with("dotstar", &message, USAGE),
    };
    match run(&args, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}
