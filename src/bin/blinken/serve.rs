//! `blinken serve`: checks the flags, builds the output, spawns a player, serves it on
//! a Unix socket (and TCP), and shuts everything down cleanly on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use blinken::control::Server;
use blinken::output::Output;
use blinken::output::adapter::{Brightness, BrightnessHandle};
use blinken::output::apa102::{Apa102, Apa102Spi, PixelOrder, open_spidev_bus};
use blinken::output::{GpioLines, Terminal};
use blinken::spec::{Layout, Presets};
use blinken::{Color, Dot, Matrix, Player, RGB8, ShutdownError, SystemClock};

use crate::args::{OutputKind, ServeArgs};
use crate::client::default_socket;
use crate::error::Failed;
use crate::keys;
use crate::log::Log;
use crate::pixel::CliPixel;
use crate::shape::Shape;

/// The default GPIO chip.
const CHIP: &str = "/dev/gpiochip0";
/// The default spidev device (SPI0, chip select 0: the seeds' wiring).
const SPI: &str = "/dev/spidev0.0";
/// The default SPI clock.
const HZ: u32 = 4_000_000;

/// Everything the server needs besides the player.
#[derive(Debug)]
pub struct Listen {
    pub unix: PathBuf,
    pub tcp: Option<SocketAddr>,
    pub key: Option<Vec<u8>>,
    pub presets: Presets,
}

/// The output the flags ask for, checked.
#[derive(Debug, PartialEq)]
enum Plan {
    Terminal(Shape),
    Log(Shape),
    Gpio { chip: PathBuf, lines: Vec<u32>, talk: bool },
    Apa102 { spi: PathBuf, leds: usize, order: PixelOrder, hz: u32 },
}

/// Refuses a flag that the chosen output does not use.
fn unused(flag: &str, given: bool, output: &str, belongs: &str) -> Result<(), Failed> {
    if given {
        return Err(Failed::usage(format!("{flag} is for {belongs}, not --output {output}")));
    }
    Ok(())
}

fn plan(args: &ServeArgs) -> Result<Plan, Failed> {
    let name = match args.output {
        OutputKind::Terminal => "terminal",
        OutputKind::Log => "log",
        OutputKind::Gpio => "gpio",
        OutputKind::Apa102 => "apa102",
    };
    let shape = match (args.board, args.strip, args.leds) {
        (Some(_), _, _) => Some(Shape::Talk),
        (_, Some(_), _) => Some(Shape::Seeds),
        (_, _, Some(n)) => Some(Shape::Strip(n)),
        _ => None,
    };
    let gpio_flags = [("--chip", args.chip.is_some()), ("--lines", args.lines.is_some())];
    let spi_flags = [
        ("--spi", args.spi.is_some()),
        ("--pixel-order", args.pixel_order.is_some()),
        ("--hz", args.hz.is_some()),
    ];
    match args.output {
        OutputKind::Terminal | OutputKind::Log => {
            for (flag, given) in gpio_flags {
                unused(flag, given, name, "--output gpio")?;
            }
            for (flag, given) in spi_flags {
                unused(flag, given, name, "--output apa102")?;
            }
            let shape = shape.unwrap_or(Shape::Talk);
            if args.brightness.is_some() && shape == Shape::Talk {
                return Err(Failed::usage(
                    "--brightness needs colour LEDs; the talk's board is on/off LEDs: use --strip \
                     seeds or --leds N, or leave --brightness out",
                ));
            }
            Ok(if args.output == OutputKind::Terminal {
                Plan::Terminal(shape)
            } else {
                Plan::Log(shape)
            })
        }
        OutputKind::Gpio => {
            for (flag, given) in spi_flags {
                unused(flag, given, name, "--output apa102")?;
            }
            if args.strip.is_some() || args.leds.is_some() {
                let flag = if args.strip.is_some() { "--strip" } else { "--leds" };
                return Err(Failed::usage(format!(
                    "{flag} is for a colour strip (--output apa102, terminal or log); GPIO lines \
                     take --board talk or --lines 4,5,6"
                )));
            }
            if args.brightness.is_some() {
                return Err(Failed::usage(
                    "--brightness needs colour LEDs; GPIO lines are on or off: leave --brightness out",
                ));
            }
            let chip = args.chip.clone().unwrap_or_else(|| CHIP.into());
            match (&args.lines, args.board) {
                (Some(lines), None) => Ok(Plan::Gpio { chip, lines: lines.clone(), talk: false }),
                (None, Some(_)) => {
                    let lines =
                        Matrix::talk().lines().expect("the talk's board has lines").to_vec();
                    Ok(Plan::Gpio { chip, lines, talk: true })
                }
                _ => Err(Failed::usage(
                    "--output gpio needs the LEDs' lines: --board talk (the talk's 5x5 board) or \
                     --lines 4,5,6 (one line offset per LED)",
                )),
            }
        }
        OutputKind::Apa102 => {
            for (flag, given) in gpio_flags {
                unused(flag, given, name, "--output gpio")?;
            }
            let leds = match shape {
                Some(Shape::Seeds) => Shape::SEEDS_LEDS,
                Some(Shape::Strip(n)) => n,
                Some(Shape::Talk) => {
                    return Err(Failed::usage(
                        "--board talk is GPIO lines, not an APA102 strip: use --output gpio \
                         --board talk, or --output apa102 --strip seeds",
                    ));
                }
                None => {
                    return Err(Failed::usage(
                        "--output apa102 needs the strip: --strip seeds (11 DotStars) or --leds N",
                    ));
                }
            };
            Ok(Plan::Apa102 {
                spi: args.spi.clone().unwrap_or_else(|| SPI.into()),
                leds,
                order: args.pixel_order.unwrap_or(PixelOrder::Bgr),
                hz: args.hz.unwrap_or(HZ),
            })
        }
    }
}

pub fn run(args: &ServeArgs) -> Result<(), Failed> {
    let plan = plan(args)?;
    crate::logger::init();
    let key = keys::load(&args.key)?;
    if args.tcp.is_some() && key.is_none() {
        return Err(Failed::usage(
            "--tcp needs a key (every local user can reach a TCP port): add --key-file PATH \
             or --key-env VAR",
        ));
    }
    let listen = Listen {
        unix: args.unix.clone().unwrap_or_else(default_socket),
        tcp: args.tcp,
        key,
        presets: crate::record::presets(args.presets.as_deref())?,
    };
    socket_dir(&listen.unix)?;
    if args.output == OutputKind::Terminal && !std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        eprintln!(
            "blinken: standard output is not a terminal; --output log prints plain lines instead \
             of the simulator's drawing"
        );
    }
    let level = args.brightness.unwrap_or(1.0);
    match plan {
        Plan::Terminal(Shape::Talk) => serve(
            Terminal::for_matrix(&Matrix::talk()),
            Layout::talk(),
            None,
            listen,
            "the terminal",
        ),
        Plan::Terminal(Shape::Seeds) => {
            let terminal = Terminal::new(1, Shape::SEEDS_LEDS).with_pixel_type::<Dot>();
            colour(terminal, Shape::Seeds.layout(), level, listen, "the terminal")
        }
        Plan::Terminal(Shape::Strip(n)) => {
            let terminal = Terminal::new(1, n).with_pixel_type::<RGB8>();
            colour(terminal, Layout::strip(n), level, listen, "the terminal")
        }
        Plan::Log(shape @ Shape::Talk) => serve(
            Log::<bool, _>::new(std::io::stdout(), shape.len()),
            shape.layout(),
            None,
            listen,
            "the log",
        ),
        Plan::Log(shape @ Shape::Seeds) => {
            let log = Log::<Dot, _>::new(std::io::stdout(), shape.len());
            colour(log, shape.layout(), level, listen, "the log")
        }
        Plan::Log(shape @ Shape::Strip(_)) => {
            let log = Log::<RGB8, _>::new(std::io::stdout(), shape.len());
            colour(log, shape.layout(), level, listen, "the log")
        }
        Plan::Gpio { chip, lines, talk } => {
            let shown = chip.display().to_string();
            let output = GpioLines::builder(&chip)
                .lines(lines.iter().copied())
                .consumer("blinken")
                .request()
                .map_err(|e| {
                    Failed::because(format!("could not request lines {lines:?} on {shown}"), e)
                })?;
            let layout = if talk { Layout::talk() } else { Layout::strip(lines.len()) };
            serve(output, layout, None, listen, &format!("GPIO lines {lines:?} on {shown}"))
        }
        Plan::Apa102 { spi, leds, order, hz } => {
            let shown = spi.display().to_string();
            let bus = open_spidev_bus(&spi, hz)
                .map_err(|e| Failed::because(format!("could not open {shown} at {hz} Hz"), e))?;
            let strip = Apa102Spi::<_, Dot>::with_config(bus, leds, Apa102::new().order(order))
                .map_err(|e| {
                    Failed::because(format!("could not set up {leds} LEDs on {shown}"), e)
                })?;
            let what = format!("{leds} APA102 LEDs ({order}) on {shown} at {hz} Hz");
            colour(strip, Layout::strip(leds), level, listen, &what)
        }
    }
}

/// A colour output, dimmed by a brightness clients may change.
fn colour<O>(
    output: O,
    layout: Layout,
    level: f64,
    listen: Listen,
    what: &str,
) -> Result<(), Failed>
where
    O: Output + Send + 'static,
    O::Pixel: CliPixel + Color,
{
    let dimmed = Brightness::new(output);
    let handle = dimmed.handle();
    handle.set_fraction(level);
    serve(dimmed, layout, Some(handle), listen, what)
}

/// Plays on `output` and serves the player until Ctrl-C or SIGTERM.
fn serve<O>(
    output: O,
    layout: Layout,
    brightness: Option<BrightnessHandle>,
    listen: Listen,
    what: &str,
) -> Result<(), Failed>
where
    O: Output + Send + 'static,
    O::Pixel: CliPixel,
{
    let (stop, stopped) = mpsc::sync_channel::<()>(1);
    ctrlc::set_handler(move || {
        // A second signal while the first is being handled finds the channel full.
        let _ = stop.try_send(());
    })
    .map_err(|e| Failed::because("could not handle Ctrl-C and SIGTERM", e))?;
    let player = Player::spawn(output, SystemClock::new())
        .map_err(|e| Failed::because("could not start the player thread", e))?;
    let server = match start(player.handle(), layout, brightness, listen) {
        Ok(server) => server,
        Err(error) => {
            // The server's failure is the story; the player's shutdown is best effort.
            let _ = shutdown_player(player);
            return Err(error);
        }
    };
    let mut places: Vec<String> =
        server.unix_path().map(|p| format!("unix socket {}", p.display())).into_iter().collect();
    // The bound address (port 0 asks the system for a port).
    places.extend(server.tcp_addr().map(|a| format!("tcp {a}")));
    eprintln!(
        "blinken: playing on {what}; listening on {} (Ctrl-C or SIGTERM to stop)",
        places.join(" and ")
    );
    Terminal::note_foreign_output();
    // A closed channel cannot happen while `stop` lives in the handler; either way,
    // shut down.
    let _ = stopped.recv();
    eprintln!("blinken: shutting down");
    let served = stop_server(server);
    let played = shutdown_player(player);
    served.and(played)
}

fn shutdown_player<O>(player: Player<O>) -> Result<(), Failed>
where
    O: Output + Send + 'static,
    O::Pixel: Send,
{
    match player.shutdown() {
        Ok(_) => Ok(()),
        Err(ShutdownError::Output { source, .. }) => {
            Err(Failed::because("switching the LEDs off at shutdown failed", source))
        }
        Err(other) => {
            Err(Failed::because("the player did not shut down cleanly", other.to_string()))
        }
    }
}

/// Starts the control server on `player`.
fn start<P: CliPixel>(
    player: blinken::PlayerHandle<P>,
    layout: Layout,
    brightness: Option<BrightnessHandle>,
    listen: Listen,
) -> Result<Server, Failed> {
    let mut builder = Server::builder().unix(&listen.unix).layout(layout).presets(listen.presets);
    if let Some(tcp) = listen.tcp {
        builder = builder.tcp(tcp);
    }
    if let Some(key) = listen.key {
        builder = builder.key(key);
    }
    if let Some(handle) = brightness {
        builder = builder.brightness(handle);
    }
    builder.start(player).map_err(|e| Failed::because("the control server could not start", e))
}

fn stop_server(server: Server) -> Result<(), Failed> {
    server.shutdown().map_err(|e| Failed::because("the control server did not stop cleanly", e))
}

/// Makes sure `path`'s directory exists, for a clear error before the server tries.
fn socket_dir(path: &Path) -> Result<(), Failed> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => Err(Failed::usage(format!(
            "--unix {}: the directory {} does not exist; create it (the service's \
             RuntimeDirectory=blinken does) or choose another path",
            path.display(),
            dir.display()
        ))),
        _ => Ok(()),
    }
}
