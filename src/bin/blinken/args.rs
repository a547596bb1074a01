//! The command line: every subcommand and flag, and the parsers that turn a bad value
//! into a message naming it and saying what to write.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use blinken::output::apa102::PixelOrder;

/// Plays LED animations: a control server and its clients.
///
/// `blinken serve` plays on an output and takes requests on a Unix socket (and TCP);
/// the other subcommands are its clients, except `record`, which needs no server.
#[derive(Debug, Parser)]
#[command(name = "blinken", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the control server: one player on one output, requests on a socket.
    Serve(ServeArgs),
    /// Plays a program at once, replacing what plays.
    Play(PlayArgs),
    /// Plays a program over what plays now; when it ends, what played shows again.
    Overlay(PlayArgs),
    /// Fades from what plays now to a program.
    Crossfade(CrossfadeArgs),
    /// Stops what plays (the LEDs go off), or with --overlay only the overlay.
    Stop(StopArgs),
    /// Stops and switches every LED off.
    Clear(ClientArgs),
    /// Shows what plays, the overlay, the brightness and the last error.
    Status(ClientArgs),
    /// Lists the server's presets.
    Presets(ClientArgs),
    /// Sets the output's brightness, 0 to 1.
    Brightness(BrightnessArgs),
    /// Prints the player's events, one per line, until interrupted or the server
    /// closes.
    Watch(ClientArgs),
    /// Plays a program on the virtual clock (no hardware, no server) and prints its
    /// timeline or draws its picture.
    Record(RecordArgs),
}

/// Where the LEDs are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputKind {
    /// The terminal simulator on standard output.
    Terminal,
    /// One line per frame on standard output: the time and every LED.
    Log,
    /// GPIO lines on a chip (the Linux GPIO character device).
    Gpio,
    /// An APA102 (DotStar) strip on a spidev device.
    Apa102,
}

/// A ready-made board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Board {
    /// The talk's 5×5 board of red LEDs on GPIO lines (blinken::Matrix::talk).
    Talk,
}

/// A ready-made strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Strip {
    /// The seeds' 11 DotStar LEDs on /dev/spidev0.0, BGR, 4 MHz.
    Seeds,
}

/// A crossfade's curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Curve {
    /// Evenly over the duration.
    Linear,
    /// Slow at both ends.
    Ease,
}

impl Curve {
    pub fn name(self) -> &'static str {
        match self {
            Curve::Linear => "linear",
            Curve::Ease => "ease",
        }
    }
}

/// The key: from a file or an environment variable, never from the command line.
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// Reads the key from this file (keep it mode 0600).
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,
    /// Reads the key from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "key_file")]
    pub key_env: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to play.
    #[arg(long, value_enum, default_value = "terminal")]
    pub output: OutputKind,
    /// The talk's 5×5 board (GPIO lines, or drawn in the terminal).
    #[arg(long, value_enum, conflicts_with_all = ["strip", "leds"])]
    pub board: Option<Board>,
    /// The seeds' DotStar strip (11 LEDs, BGR, 4 MHz on /dev/spidev0.0).
    #[arg(long, value_enum, conflicts_with_all = ["board", "leds"])]
    pub strip: Option<Strip>,
    /// How many LEDs (a colour strip: apa102, or drawn in the terminal or the log).
    #[arg(long, value_name = "N", value_parser = parse_leds, allow_negative_numbers = true)]
    pub leds: Option<usize>,
    /// The GPIO chip (--output gpio; default /dev/gpiochip0).
    #[arg(long, value_name = "PATH")]
    pub chip: Option<PathBuf>,
    /// The GPIO line offsets, one per LED in order (--output gpio).
    #[arg(long, value_name = "4,5,6", value_parser = parse_lines, conflicts_with = "board")]
    pub lines: Option<Vec<u32>>,
    /// The spidev device (--output apa102; default /dev/spidev0.0).
    #[arg(long, value_name = "PATH")]
    pub spi: Option<PathBuf>,
    /// The strip's colour byte order (--output apa102; default BGR).
    #[arg(long, value_name = "ORDER", value_parser = parse_pixel_order)]
    pub pixel_order: Option<PixelOrder>,
    /// The SPI clock (--output apa102; default 4MHz): 4000000, 4MHz, 800kHz.
    #[arg(long, value_name = "HZ", value_parser = parse_hz)]
    pub hz: Option<u32>,
    /// The Unix socket to listen on.
    /// [default: $XDG_RUNTIME_DIR/blinken.sock, or /run/blinken/blinken.sock]
    #[arg(long, value_name = "PATH")]
    pub unix: Option<PathBuf>,
    /// Also listens on TCP, on a loopback address (a key is required): 10101,
    /// 127.0.0.1:10101 or [::1]:10101.
    #[arg(long, value_name = "ADDR", value_parser = parse_tcp)]
    pub tcp: Option<SocketAddr>,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Adds the presets in this directory (NAME.json, NAME.msgpack) to the built-in
    /// ones.
    #[arg(long, value_name = "DIR")]
    pub presets: Option<PathBuf>,
    /// The starting brightness of a colour output, 0 to 1 (clients may change it).
    #[arg(long, value_name = "F", value_parser = parse_fraction, allow_negative_numbers = true)]
    pub brightness: Option<f64>,
}

/// How a client reaches the server.
#[derive(Debug, Clone, Args)]
pub struct ClientArgs {
    /// The server's Unix socket.
    /// [default: $XDG_RUNTIME_DIR/blinken.sock, or /run/blinken/blinken.sock]
    #[arg(long, value_name = "PATH")]
    pub unix: Option<PathBuf>,
    /// The server's TCP address instead: 10101, 127.0.0.1:10101, [::1]:10101.
    #[arg(long, value_name = "ADDR", value_parser = parse_client_tcp, conflicts_with = "unix")]
    pub tcp: Option<SocketAddr>,
    #[command(flatten)]
    pub key: KeyArgs,
    /// Prints the server's reply as it came (JSON), not as text.
    #[arg(long)]
    pub json: bool,
    /// How long to wait for the server to answer, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds, allow_negative_numbers = true)]
    pub timeout: Duration,
}

/// A program: a preset name, a file, or inline JSON.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct ProgramArgs {
    /// A preset name (smiley), a spec file (.json, .msgpack) or a keyframe file of the
    /// pixel-buffer player (a map with "frames").
    #[arg(value_name = "PROGRAM")]
    pub program: Option<String>,
    /// The program as JSON text: --spec '{"blink": {"leds": "all", "interval": "250ms"}}'.
    #[arg(long, value_name = "JSON")]
    pub spec: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlayArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
pub struct CrossfadeArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    /// How long the fade takes: 1.5s, 500ms, or seconds (0.5).
    #[arg(long, value_name = "D", value_parser = parse_duration, allow_negative_numbers = true)]
    pub duration: Duration,
    /// The fade's curve.
    #[arg(long, value_enum, default_value = "linear")]
    pub curve: Curve,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    /// Ends only the overlay; what plays under it shows again.
    #[arg(long)]
    pub overlay: bool,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
pub struct BrightnessArgs {
    /// The brightness, 0 (dark) to 1 (as the program says).
    #[arg(value_name = "F", value_parser = parse_fraction, allow_negative_numbers = true)]
    pub level: f64,
    #[command(flatten)]
    pub client: ClientArgs,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub program: ProgramArgs,
    /// A strip of N colour LEDs.
    #[arg(long, value_name = "N", value_parser = parse_leds, visible_alias = "leds")]
    pub output_len: Option<usize>,
    /// The talk's 5×5 board (on/off LEDs).
    #[arg(long, value_enum, conflicts_with = "output_len")]
    pub board: Option<Board>,
    /// The seeds' 11-LED DotStar strip.
    #[arg(long, value_enum, conflicts_with_all = ["output_len", "board"])]
    pub strip: Option<Strip>,
    /// How long to play: 10, 2.5s, 500ms.
    #[arg(long, value_name = "S", default_value = "10", value_parser = parse_duration, allow_negative_numbers = true)]
    pub seconds: Duration,
    /// Prints each LED's colour (rrggbb) instead of # lit and . dark.
    #[arg(long)]
    pub hex: bool,
    /// Draws the timeline as an SVG picture into this file (and prints nothing).
    #[arg(long, value_name = "OUT")]
    pub svg: Option<PathBuf>,
    /// Draws the timeline as a PNG picture into this file (a build with feature png).
    #[arg(long, value_name = "OUT")]
    pub png: Option<PathBuf>,
    /// Adds the presets in this directory, to record one by name.
    #[arg(long, value_name = "DIR")]
    pub presets: Option<PathBuf>,
}

/// The most LEDs a command-line output takes: far more than any strip on one SPI bus.
pub const MAX_LEDS: usize = 100_000;

fn parse_leds(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_LEDS).contains(&n) => Ok(n),
        _ => Err(format!("expected a number of LEDs from 1 to {MAX_LEDS}, e.g. --leds 11")),
    }
}

fn parse_lines(text: &str) -> Result<Vec<u32>, String> {
    let mut lines = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let line: u32 = part.parse().map_err(|_| {
            format!("{part:?} is not a GPIO line offset; write offsets separated by commas, e.g. --lines 4,5,6")
        })?;
        if lines.contains(&line) {
            return Err(format!("line {line} is listed twice; list each LED's line once"));
        }
        lines.push(line);
    }
    Ok(lines)
}

fn parse_pixel_order(text: &str) -> Result<PixelOrder, String> {
    text.parse().map_err(|e: blinken::output::apa102::Apa102Error| e.to_string())
}

fn parse_hz(text: &str) -> Result<u32, String> {
    let lower = text.trim().to_ascii_lowercase();
    let (number, scale) = if let Some(n) = lower.strip_suffix("mhz") {
        (n, 1_000_000.0)
    } else if let Some(n) = lower.strip_suffix("khz") {
        (n, 1_000.0)
    } else {
        (lower.strip_suffix("hz").unwrap_or(&lower), 1.0)
    };
    let hz = number.trim().parse::<f64>().ok().map(|n| n * scale);
    match hz {
        Some(hz) if hz.is_finite() && hz >= 1.0 && hz <= f64::from(u32::MAX) => Ok(hz as u32),
        _ => Err("expected a clock in Hz, e.g. 4000000, 4MHz or 800kHz".to_owned()),
    }
}

fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err("expected a number from 0 (dark) to 1 (full), e.g. 0.3".to_owned()),
    }
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected a positive number of seconds, e.g. 10".to_owned()),
    }
}

/// A duration as specs write them (`1.5s`, `500ms`) or a plain number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    if let Ok(d) = parse_seconds(text) {
        return Ok(d);
    }
    if text.parse::<f64>().is_ok() {
        return Err("expected a duration above zero, e.g. 1.5s, 500ms or 0.5".to_owned());
    }
    match blinken::spec::parse_duration(text) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err("expected a duration above zero, e.g. 1.5s".to_owned()),
        Err(message) => Err(message),
    }
}

/// A TCP address: a port alone means 127.0.0.1.
fn parse_address(text: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    if let Some(port) = text.strip_prefix("localhost:").and_then(|p| p.parse::<u16>().ok()) {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    text.parse().map_err(|_| {
        "expected a port or an address with a port, e.g. 10101, 127.0.0.1:10101 or [::1]:10101"
            .to_owned()
    })
}

/// The server's TCP address: loopback only.
fn parse_tcp(text: &str) -> Result<SocketAddr, String> {
    let address = parse_address(text)?;
    if !address.ip().is_loopback() {
        return Err(format!(
            "{} is not a loopback address; blinken serves TCP on loopback only (the protocol \
             authenticates but does not encrypt): use 127.0.0.1:{port} and reach it from \
             elsewhere through an SSH tunnel",
            address.ip(),
            port = address.port()
        ));
    }
    Ok(address)
}

fn parse_client_tcp(text: &str) -> Result<SocketAddr, String> {
    parse_address(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hz_takes_units() {
        assert_eq!(parse_hz("4000000"), Ok(4_000_000));
        assert_eq!(parse_hz("4MHz"), Ok(4_000_000));
        assert_eq!(parse_hz("800kHz"), Ok(800_000));
        assert_eq!(parse_hz("2.5mhz"), Ok(2_500_000));
        assert!(parse_hz("fast").is_err());
        assert!(parse_hz("0").is_err());
        assert!(parse_hz("5000MHz").is_err());
    }

    #[test]
    fn durations_take_seconds_and_units() {
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("5 ms").unwrap_err().contains("\"5 ms\""));
    }

    #[test]
    fn addresses() {
        assert_eq!(parse_tcp("10101").unwrap().to_string(), "127.0.0.1:10101");
        assert_eq!(parse_tcp("localhost:7").unwrap().to_string(), "127.0.0.1:7");
        assert_eq!(parse_tcp("[::1]:7").unwrap().to_string(), "[::1]:7");
        assert!(parse_tcp("0.0.0.0:10101").unwrap_err().contains("0.0.0.0 is not a loopback"));
        assert_eq!(parse_client_tcp("192.168.1.2:7").unwrap().to_string(), "192.168.1.2:7");
        assert!(parse_tcp("host").is_err());
    }

    #[test]
    fn lines_are_offsets_once_each() {
        assert_eq!(parse_lines("4,5, 6"), Ok(vec![4, 5, 6]));
        assert!(parse_lines("4,x").unwrap_err().contains("\"x\""));
        assert!(parse_lines("4,4").unwrap_err().contains("twice"));
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
