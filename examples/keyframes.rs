//! Plays a keyframe file of the pixel-buffer player on the seeds' 11-LED DotStar strip,
//! drift-free and without its defects (feature `spec`).
//!
//! ```text
//! cargo run --example keyframes --features spec                                  # a built-in file, terminal simulator
//! cargo run --example keyframes --features spec -- --file anim.json --record 3   # exact timeline (# lit, . dark)
//! cargo run --example keyframes --features spec,spidev -- --file anim.msgpack --spi /dev/spidev0.0 --pixel-order GBR
//! ```
//!
//! Options: `--file PATH` (`.json` or `.msgpack`, as its `JsonAnimationParser` or
//! `MsgPackAnimationParser` writes them; default: a blue flash looping forever),
//! `--spi PATH` (feature `spidev`), `--pixel-order RGB|RBG|GRB|GBR|BRG|BGR` (default
//! BGR), `--hz CLOCK` (default 4 MHz), `--leds N` (default 11), `--record SECONDS`,
//! `--for SECONDS`.

#[cfg(feature = "spec")]
mod common;

#[cfg(not(feature = "spec"))]
fn main() {
    eprintln!("keyframes: build with `--features spec`");
    std::process::exit(2);
}

#[cfg(feature = "spec")]
fn main() -> std::process::ExitCode {
    example::main()
}

#[cfg(feature = "spec")]
mod example {
    use std::error::Error;
    use std::process::ExitCode;

    use blinken::output::apa102::{Apa102, Dot, PixelOrder};
    use blinken::prelude::*;
    use blinken::spec::PixelBufAnimation;

    use super::common;

    /// The file played without `--file`: written by the original's JSON parser.
    const DEFAULT_FILE: &str = include_str!("../tests/fixtures/pixelbuf/looping.json");

    const USAGE: &str = "options: [--file PATH] [--spi PATH] \
        [--pixel-order RGB|RBG|GRB|GBR|BRG|BGR] [--hz CLOCK] [--leds N] [--record SECONDS] \
        [--svg FILE] [--png FILE] \
        [--for SECONDS]";

    struct Options {
        file: Option<String>,
        spi: Option<String>,
        encoder: Apa102,
        hz: u32,
        leds: usize,
    }

    fn options(args: &common::Args) -> Result<Options, String> {
        let mut options =
            Options { file: None, spi: None, encoder: Apa102::new(), hz: 4_000_000, leds: 11 };
        for (flag, value) in &args.extra {
            let value = value.clone().ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--file" => options.file = Some(value),
                "--spi" => options.spi = Some(value),
                "--pixel-order" => {
                    let order: PixelOrder =
                        value.parse().map_err(|e| format!("--pixel-order: {e}"))?;
                    options.encoder = options.encoder.order(order);
                }
                "--hz" => {
                    options.hz = value.parse().map_err(|_| {
                        format!("--hz {value}: expected a clock in Hz, e.g. 4000000")
                    })?;
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

    /// Reads the file: MessagePack for `.msgpack`, JSON otherwise.
    fn read(file: Option<&str>) -> Result<PixelBufAnimation, Box<dyn Error>> {
        let Some(path) = file else {
            return Ok(PixelBufAnimation::from_json(DEFAULT_FILE)?);
        };
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let animation = if path.ends_with(".msgpack") {
            PixelBufAnimation::from_msgpack(&bytes)
        } else {
            let text = String::from_utf8(bytes).map_err(|_| format!("{path}: not UTF-8 text"))?;
            PixelBufAnimation::from_json(&text)
        };
        animation.map_err(|e| format!("{path}: {e}").into())
    }

    fn run(args: &common::Args, options: Options) -> Result<(), Box<dyn Error>> {
        let animation = read(options.file.as_deref())?;
        let plays = match animation.plays()? {
            None => "looping forever".to_owned(),
            Some(n) => format!("{n} play(s)"),
        };
        if args.records() {
            let program = animation.keyframes::<Dot>()?;
            Animation::<Dot>::validate(&program, options.leds)?;
            common::record_and_draw(&program, options.leds, args)?;
            return Ok(());
        }
        eprintln!("keyframes: {} frames, {plays}", animation.frames.len());
        match options.spi {
            None => {
                eprintln!(
                    "keyframes: playing on {} LEDs in the terminal simulator (Ctrl-C to stop)",
                    options.leds
                );
                common::hint_if_not_a_terminal("keyframes");
                // The terminal has no per-LED brightness: RGB8 scales the colour by it.
                let program = animation.keyframes::<RGB8>()?;
                let terminal = Terminal::new(1, options.leds).with_pixel_type::<RGB8>();
                common::play(terminal, program, args.play_for)
            }
            #[cfg(feature = "spidev")]
            Some(path) => {
                use blinken::output::apa102::{Apa102Spi, open_spidev_bus};
                eprintln!(
                    "keyframes: playing on {} LEDs on {path} at {} Hz (Ctrl-C to stop)",
                    options.leds, options.hz
                );
                let program = animation.keyframes::<Dot>()?;
                let bus = open_spidev_bus(&path, options.hz)?;
                let strip = Apa102Spi::<_, Dot>::with_config(bus, options.leds, options.encoder)?;
                common::play(strip, program, args.play_for)
            }
            #[cfg(not(feature = "spidev"))]
            Some(path) => {
                let _ = (options.encoder, options.hz);
                Err(format!("--spi {path} needs a build with `--features spidev`").into())
            }
        }
    }

    pub fn main() -> ExitCode {
        let takes_value = ["--file", "--spi", "--pixel-order", "--hz", "--leds"];
        let args = match common::Args::parse(&takes_value) {
            Ok(args) if args.target.is_none() => args,
            Ok(_) => {
                return common::usage_with(
                    "keyframes",
                    "--terminal, --chip and --rppal are for the 5x5 board",
                    USAGE,
                );
            }
            Err(message) => return common::usage_with("keyframes", &message, USAGE),
        };
        let options = match options(&args) {
            Ok(options) => options,
            Err(message) => return common::usage_with("keyframes", &message, USAGE),
        };
        match run(&args, options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("keyframes: {error}");
                ExitCode::FAILURE
            }
        }
    }
}
