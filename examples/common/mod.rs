//! What every talk example shares: the command line, choosing the output, playing.
//!
//! ```text
//! EXAMPLE [--record SECONDS] [--svg FILE] [--png FILE] [--for SECONDS]
//!         [--terminal | --chip PATH | --rppal]
//! ```
//!
//! - `--record SECONDS`: play on the virtual clock for that long and print the
//!   timeline, one line per instant at which the LEDs changed:
//!   `<seconds, 6 decimals> <25 chars, row-major, # on . off>`.
//! - `--svg FILE`, `--png FILE`: play on the virtual clock (for `--record`'s seconds,
//!   10 by default) and draw the timeline as a picture ([`blinken::output::Picture`]):
//!   one row per LED, time along x. PNG needs the feature `png`.
//! - `--for SECONDS`: stop after that long (default: until the program ends, or Ctrl-C).
//! - `--terminal`: the terminal simulator (the default when there is no GPIO chip).
//! - `--chip PATH`: GPIO lines of the talk's board on that chip (feature `gpiocdev`;
//!   the default when `/dev/gpiochip0` exists and the feature is on).
//! - `--rppal`: the same pins through rppal (feature `rppal`).
//!
//! The strip examples (`dotstar`, `strip_effects`) share [`StripOptions`] and
//! [`play_strip`]: the simulator, or APA102 LEDs on spidev.
//!
//! Errors end an example with the whole chain on standard error ([`report`]): an
//! `error: ...` line, then one `caused by: ...` line per cause. Output goes through
//! [`print`], so a closed standard output (`| head`) is such an error, not a panic.
#![allow(dead_code)]

use std::error::Error;
use std::fmt;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use blinken::prelude::*;
use blinken::{Event, Player, ShutdownError};

pub const USAGE: &str = "options: [--record SECONDS] [--svg FILE] [--png FILE] [--for SECONDS] \
    [--terminal | --chip PATH | --rppal]";

/// How long `--svg`/`--png` record without `--record`.
pub const PICTURE_WINDOW: Duration = Duration::from_secs(10);

/// Where to play.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Terminal,
    Chip(String),
    Rppal,
}

#[derive(Debug, Default)]
pub struct Args {
    pub record: Option<Duration>,
    /// `--svg FILE`.
    pub svg: Option<String>,
    /// `--png FILE`.
    pub png: Option<String>,
    pub play_for: Option<Duration>,
    pub target: Option<Target>,
    /// Options an example handles itself: `(name, value)`.
    pub extra: Vec<(String, Option<String>)>,
}

/// Seconds as typed on the command line: a positive, finite number.
pub fn seconds(flag: &str, value: Option<String>) -> Result<Duration, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a number of seconds, e.g. {flag} 10"))?;
    match value.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!("{flag} {value}: expected a positive number of seconds, e.g. {flag} 10")),
    }
}

impl Args {
    /// Parses the common options; `takes_value` names the example's own options that
    /// take a value.
    pub fn parse(takes_value: &[&str]) -> Result<Args, String> {
        let mut args = Args::default();
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--record" => args.record = Some(seconds("--record", it.next())?),
                "--for" => args.play_for = Some(seconds("--for", it.next())?),
                "--svg" => {
                    args.svg = Some(it.next().ok_or("--svg needs a file, e.g. --svg smiley.svg")?);
                }
                "--png" => {
                    args.png = Some(it.next().ok_or("--png needs a file, e.g. --png smiley.png")?);
                }
                "--terminal" => args.set_target(Target::Terminal)?,
                "--rppal" => args.set_target(Target::Rppal)?,
                "--chip" => {
                    let path =
                        it.next().ok_or("--chip needs a path, e.g. --chip /dev/gpiochip0")?;
                    args.set_target(Target::Chip(path))?;
                }
                "-h" | "--help" => return Err(String::new()),
                flag if takes_value.contains(&flag) => {
                    args.extra.push((flag.to_owned(), it.next()));
                }
                flag if flag.starts_with("--") => args.extra.push((flag.to_owned(), None)),
                other => return Err(format!("unexpected argument {other:?}")),
            }
        }
        Ok(args)
    }

    fn set_target(&mut self, target: Target) -> Result<(), String> {
        match &self.target {
            Some(previous) => {
                Err(format!("choose one output, not both {previous:?} and {target:?}"))
            }
            None => {
                self.target = Some(target);
                Ok(())
            }
        }
    }

    /// Whether `--record`, `--svg` or `--png` asks for a recording on the virtual clock.
    pub fn records(&self) -> bool {
        self.record.is_some() || self.svg.is_some() || self.png.is_some()
    }

    /// Refuses options nobody handled.
    pub fn no_extra(&self) -> Result<(), String> {
        match self.extra.first() {
            Some((flag, _)) => Err(format!("unknown option {flag}")),
            None => Ok(()),
        }
    }
}

/// Runs a talk example: parses the command line and plays `program` on the talk's
/// 5×5 board (or records it).
pub fn main(name: &str, program: impl Animation<bool> + Send + Sync + 'static) -> ExitCode {
    let result = Args::parse(&[]).and_then(|args| args.no_extra().map(|()| args));
    let args = match result {
        Ok(args) => args,
        Err(message) => return usage(name, &message),
    };
    match run(name, program, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&*error),
    }
}

/// Prints `error` and every cause under it on standard error, then gives the exit
/// code for a failure:
///
/// ```text
/// error: the output failed to show a frame
/// caused by: Broken pipe (os error 32)
/// ```
pub fn report(error: &dyn Error) -> ExitCode {
    let mut text = format!("error: {error}\n");
    let mut cause = error.source();
    while let Some(error) = cause {
        text.push_str(&format!("caused by: {error}\n"));
        cause = error.source();
    }
    // Nothing is left to tell if standard error is closed too.
    let _ = std::io::stderr().write_all(text.as_bytes());
    ExitCode::FAILURE
}

/// What an example was doing when it failed, and why (the source, if any).
#[derive(Debug)]
pub struct Failed {
    what: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl Failed {
    /// `what` failed because of `source`.
    pub fn because(what: impl Into<String>, source: impl Error + Send + Sync + 'static) -> Failed {
        Failed { what: what.into(), source: Some(Box::new(source)) }
    }

    /// `what` failed, and that is all there is to say.
    pub fn new(what: impl Into<String>) -> Failed {
        Failed { what: what.into(), source: None }
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl Error for Failed {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Writes `text` to standard output; a closed one (`| head`) is an error, not a panic.
pub fn print(text: &str) -> Result<(), Failed> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failed::because("could not write to standard output", e))
}

pub fn usage(name: &str, message: &str) -> ExitCode {
    usage_with(name, message, USAGE)
}

/// Prints `message` (or, for `--help`, nothing) and the usage line.
pub fn usage_with(name: &str, message: &str, usage: &str) -> ExitCode {
    if message.is_empty() {
        return match print(&format!("{name}: {usage}\n")) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => report(&error),
        };
    }
    eprintln!("{name}: {message}\n{name}: {usage}");
    ExitCode::from(2)
}

fn run(
    name: &str,
    program: impl Animation<bool> + Send + Sync + 'static,
    args: &Args,
) -> Result<(), Box<dyn Error>> {
    let board = Matrix::talk();
    if record_and_draw(&program, board.len(), args)? {
        return Ok(());
    }
    let target = match &args.target {
        Some(target) => target.clone(),
        None if cfg!(feature = "gpiocdev") && std::path::Path::new("/dev/gpiochip0").exists() => {
            Target::Chip("/dev/gpiochip0".into())
        }
        None => {
            if std::path::Path::new("/dev/gpiochip0").exists() {
                eprintln!(
                    "{name}: /dev/gpiochip0 exists; build with `--features gpiocdev` to play on it"
                );
            }
            Target::Terminal
        }
    };
    #[cfg_attr(not(any(feature = "gpiocdev", feature = "rppal")), allow(unused_variables))]
    let lines = board.lines().expect("the talk's board has line offsets");
    match target {
        Target::Terminal => {
            eprintln!("{name}: playing in the terminal simulator (Ctrl-C to stop)");
            hint_if_not_a_terminal(name);
            play(Terminal::for_matrix(&board), program, args.play_for)
        }
        #[cfg(feature = "gpiocdev")]
        Target::Chip(path) => {
            eprintln!("{name}: playing on {path}, lines {lines:?} (Ctrl-C to stop)");
            let output = blinken::output::GpioLines::builder(&path)
                .lines(lines.iter().copied())
                .consumer(name)
                .request()?;
            play(output, program, args.play_for)
        }
        #[cfg(feature = "rppal")]
        Target::Rppal => {
            eprintln!("{name}: playing on Raspberry Pi BCM pins {lines:?} through rppal (Ctrl-C to stop)");
            let pins = lines.iter().map(|&l| u8::try_from(l).expect("BCM numbers are small"));
            play(blinken::output::Pins::bcm(pins)?, program, args.play_for)
        }
        #[allow(unreachable_patterns)]
        other => Err(format!(
            "{other:?} needs a feature this build lacks: run with `--features gpiocdev` (or `rppal`)"
        )
        .into()),
    }
}

/// The simulator draws with ANSI escapes; piped into a file they are noise.
pub fn hint_if_not_a_terminal(name: &str) {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "{name}: standard output is not a terminal; `--record SECONDS` prints a plain timeline"
        );
    }
}

/// `--record`, `--svg`, `--png`: plays `program` on `len` LEDs on the virtual clock,
/// prints the timeline (`--record`) and writes the pictures. Returns whether any was
/// asked for (then the example is done).
pub fn record_and_draw<P: Pixel + blinken::output::Shade>(
    program: &impl Animation<P>,
    len: usize,
    args: &Args,
) -> Result<bool, Box<dyn Error>> {
    if !args.records() {
        return Ok(false);
    }
    let window = args.record.unwrap_or(PICTURE_WINDOW);
    let mut driver = Driver::new(Recorder::<P>::with_len(len), VirtualClock::new());
    driver.run_for(program, window)?;
    let recorder = driver.output();
    let picture = blinken::output::Picture::new(recorder).until(window);
    if let Some(path) = &args.svg {
        std::fs::write(path, picture.svg())
            .map_err(|e| Failed::because(format!("could not write {path}"), e))?;
    }
    if let Some(path) = &args.png {
        write_png(&picture, path)?;
    }
    if args.record.is_some() {
        print(&recorder.render())?;
    }
    Ok(true)
}

#[cfg(feature = "png")]
fn write_png<P: Pixel + blinken::output::Shade>(
    picture: &blinken::output::Picture<'_, P>,
    path: &str,
) -> Result<(), Failed> {
    let file = std::fs::File::create(path)
        .map_err(|e| Failed::because(format!("could not create {path}"), e))?;
    picture
        .write_png(std::io::BufWriter::new(file))
        .map_err(|e| Failed::because(format!("could not write {path}"), e))
}

#[cfg(not(feature = "png"))]
fn write_png<P: Pixel + blinken::output::Shade>(
    _picture: &blinken::output::Picture<'_, P>,
    path: &str,
) -> Result<(), Failed> {
    Err(Failed::new(format!("--png {path} needs a build with `--features png`")))
}

/// Plays `program` on the virtual clock for `window`; returns the timeline text.
pub fn record<P: Pixel>(
    program: &impl Animation<P>,
    len: usize,
    window: Duration,
) -> Result<String, Box<dyn Error>> {
    let mut driver = Driver::new(Recorder::<P>::with_len(len), VirtualClock::new());
    driver.run_for(program, window)?;
    Ok(driver.output().render())
}

/// Plays `program` in real time through a player until it ends, `play_for` passes or
/// Ctrl-C; then switches everything off.
pub fn play<O>(
    output: O,
    program: impl Animation<O::Pixel> + Send + 'static,
    play_for: Option<Duration>,
) -> Result<(), Box<dyn Error>>
where
    O: Output + Send + 'static,
    O::Pixel: Send,
{
    let player = Player::spawn(output, SystemClock::new())?;
    let handle = player.handle();
    stop_on_ctrl_c(&handle)?;
    handle.play(program)?;
    if let Some(limit) = play_for {
        let handle = handle.clone();
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            let _ = handle.stop();
        });
    }
    let end = match handle.wait() {
        Ok(Event::OutputFailed { error, .. }) => Err(Failed::because(
            "the output failed to show a frame; the animation was stopped",
            error,
        )),
        Ok(Event::Panicked { message, .. }) => {
            Err(Failed::new(format!("the animation panicked: {message}")))
        }
        _ => Ok(()),
    };
    let shutdown = shutdown(player);
    // A failed output usually fails to switch off too: the first error tells why.
    end.and(shutdown)?;
    Ok(())
}

/// Shuts `player` down (everything off, the output dropped), keeping the cause of a
/// failure.
pub fn shutdown<O: Output>(player: Player<O>) -> Result<(), Failed> {
    match player.shutdown() {
        Ok(output) => {
            drop(output);
            Ok(())
        }
        Err(ShutdownError::Output { output, source }) => {
            drop(output);
            Err(Failed::because("switching the LEDs off at shutdown failed", source))
        }
        Err(other) => Err(Failed::new(other.to_string())),
    }
}

/// Ctrl-C stops the animation; the caller then shuts the player down cleanly (LEDs
/// off, terminal cursor back).
pub fn stop_on_ctrl_c<P: Pixel>(handle: &blinken::PlayerHandle<P>) -> Result<(), Box<dyn Error>> {
    let handle = handle.clone();
    ctrlc::set_handler(move || {
        let _ = handle.stop();
    })?;
    Ok(())
}

/// The options of the examples for an APA102 strip, which take a value.
pub const STRIP_FLAGS: [&str; 7] =
    ["--spi", "--pixel-order", "--brightness", "--hz", "--leds", "--gamma", "--max-ma"];

/// Where and how a strip example plays: the seeds' 11 DotStar LEDs by default.
///
/// - `--spi PATH`: APA102 LEDs on that spidev device (feature `spidev`); without it,
///   the terminal simulator.
/// - `--pixel-order RGB|RBG|GRB|GBR|BRG|BGR` (default BGR), `--brightness 0..1`
///   (default 1; the simulator shows it too), `--hz CLOCK` (default 4 MHz),
///   `--leds N` (default 11).
/// - `--gamma EXPONENT` (e.g. 2.8; default none) and `--max-ma MILLIAMPS` (the
///   supply's budget: every frame is scaled to stay within it; default none) wrap the
///   strip or the simulator in the output adapters `Gamma` and `PowerLimit`.
pub struct StripOptions {
    pub spi: Option<String>,
    pub gamma: f64,
    pub max_ma: u32,
    pub encoder: blinken::output::apa102::Apa102,
    pub hz: u32,
    pub leds: usize,
}

impl StripOptions {
    /// Takes the strip options out of `args.extra`, leaving the example's own.
    pub fn take(args: &mut Args) -> Result<StripOptions, String> {
        use blinken::output::apa102::{Apa102, PixelOrder};
        let mut options = StripOptions {
            spi: None,
            gamma: 1.0,
            max_ma: u32::MAX,
            encoder: Apa102::new(),
            hz: 4_000_000,
            leds: 11,
        };
        let (mine, rest) = std::mem::take(&mut args.extra)
            .into_iter()
            .partition::<Vec<_>, _>(|(flag, _)| STRIP_FLAGS.contains(&flag.as_str()));
        args.extra = rest;
        for (flag, value) in mine {
            let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--spi" => options.spi = Some(value),
                "--pixel-order" => {
                    let order: PixelOrder =
                        value.parse().map_err(|e| format!("--pixel-order: {e}"))?;
                    options.encoder = options.encoder.order(order);
                }
                "--brightness" => {
                    let b: f64 = value.parse().map_err(|_| {
                        format!("--brightness {value}: expected a number from 0 to 1")
                    })?;
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
                    options.hz = value.parse().map_err(|_| {
                        format!("--hz {value}: expected a clock in Hz, e.g. 4000000")
                    })?;
                }
                "--leds" => {
                    options.leds =
                        value.parse().ok().filter(|&n: &usize| n > 0).ok_or_else(|| {
                            format!("--leds {value}: expected a number of LEDs, at least 1")
                        })?;
                }
                other => unreachable!("{other} is one of STRIP_FLAGS"),
            }
        }
        Ok(options)
    }
}

/// Parses the command line of a strip example: the common options, the strip options
/// and the example's own (`own` take a value); refuses the 5×5 board's outputs and
/// unknown options. `Err` is the exit code after the message.
pub fn strip_args(name: &str, own: &[&str], usage: &str) -> Result<(Args, StripOptions), ExitCode> {
    let takes_value: Vec<&str> = STRIP_FLAGS.iter().chain(own).copied().collect();
    let mut args = match Args::parse(&takes_value) {
        Ok(args) if args.target.is_none() => args,
        Ok(_) => {
            let message = "--terminal, --chip and --rppal are for the 5x5 board; use --spi PATH";
            return Err(usage_with(name, message, usage));
        }
        Err(message) => return Err(usage_with(name, &message, usage)),
    };
    let strip =
        StripOptions::take(&mut args).map_err(|message| usage_with(name, &message, usage))?;
    let unknown = args.extra.iter().find(|(flag, _)| !own.contains(&flag.as_str()));
    if let Some((flag, _)) = unknown {
        return Err(usage_with(name, &format!("unknown option {flag}"), usage));
    }
    Ok((args, strip))
}

/// `output` with gamma correction, then the power limit next to it (the identity
/// table and an unlimited budget unless asked for).
fn adapted<O>(
    output: O,
    gamma: f64,
    max_ma: u32,
) -> blinken::output::adapter::Gamma<blinken::output::adapter::PowerLimit<O>>
where
    O: Output<Pixel = RGB8>,
{
    use blinken::output::adapter::{Gamma, PowerLimit};
    Gamma::new(PowerLimit::new(output, max_ma), gamma)
}

/// Records `program` (`--record`, `--svg`, `--png`), or plays it on the strip
/// (`--spi`) or in the terminal simulator until it ends, `--for` passes or Ctrl-C.
pub fn play_strip(
    name: &str,
    strip: &StripOptions,
    program: impl Animation<RGB8> + Send + 'static,
    args: &Args,
) -> Result<(), Box<dyn Error>> {
    if record_and_draw(&program, strip.leds, args)? {
        return Ok(());
    }
    let (gamma, max_ma) = (strip.gamma, strip.max_ma);
    match &strip.spi {
        None => {
            eprintln!(
                "{name}: playing {} LEDs in the terminal simulator (Ctrl-C to stop)",
                strip.leds
            );
            hint_if_not_a_terminal(name);
            // Dimmed as the strip's encoder dims it, so the simulator shows what the
            // strip would.
            let terminal = Terminal::new(1, strip.leds)
                .with_pixel_type::<RGB8>()
                .brightness(strip.encoder.get_brightness());
            play(adapted(terminal, gamma, max_ma), program, args.play_for)
        }
        #[cfg(feature = "spidev")]
        Some(path) => {
            use blinken::output::apa102::{Apa102Spi, open_spidev_bus};
            eprintln!(
                "{name}: playing {} LEDs on {path} at {} Hz (Ctrl-C to stop)",
                strip.leds, strip.hz
            );
            let bus = open_spidev_bus(path, strip.hz)?;
            let output = Apa102Spi::<_, RGB8>::with_config(bus, strip.leds, strip.encoder.clone())?;
            play(adapted(output, gamma, max_ma), program, args.play_for)
        }
        #[cfg(not(feature = "spidev"))]
        Some(path) => Err(format!("--spi {path} needs a build with `--features spidev`").into()),
    }
}
