//! A notification over a running program, then a crossfade to the next one, through
//! the player, on the seeds' 11-LED strip.
//!
//! A rainbow plays; at 2 s a red pulse is laid over it for 3 s (the notification: the
//! rainbow keeps running underneath and shows as if untouched when it ends); at 6 s
//! the player crossfades over 2 s from the rainbow to a comet, which then plays on.
//!
//! ```text
//! cargo run --example layers                          # terminal simulator
//! cargo run --example layers -- --record 9            # exact timeline (# lit, . dark)
//! cargo run --example layers -- --record 9 --svg layers.svg
//! ```
//!
//! Options: `--record SECONDS`, `--svg FILE`, `--for SECONDS`.

mod common;

use std::error::Error;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use blinken::prelude::*;
use blinken::{ManualClock, PlayerHandle};

/// How many LEDs: the seeds' DotStar strip.
const LEDS: usize = 11;
const RED: RGB8 = RGB8::new(255, 0, 0);
const BLUE: RGB8 = RGB8::new(0, 64, 255);

/// What happens when, from the start: the player's requests.
#[derive(Debug, Clone, Copy)]
enum Request {
    Rainbow,
    Notification,
    CrossfadeToComet,
}

const SCRIPT: [(Duration, Request); 3] = [
    (Duration::ZERO, Request::Rainbow),
    (Duration::from_secs(2), Request::Notification),
    (Duration::from_secs(6), Request::CrossfadeToComet),
];

fn send(handle: &PlayerHandle<RGB8>, request: Request) -> Result<PlayId, PlayError> {
    match request {
        Request::Rainbow => handle.play(rainbow(0..LEDS, ms(40)).period(secs(3))),
        // A red pulse, once a second, for 3 s.
        Request::Notification => {
            handle.overlay(pulse(0..LEDS, ms(20), RED).period(secs(1)).timeout(secs(3)))
        }
        Request::CrossfadeToComet => handle.crossfade(
            comet(0..LEDS, ms(80), BLUE).tail_length(4).bounce(true),
            secs(2),
            Curve::EaseInOut,
        ),
    }
}

/// `--record`, `--svg`: the same requests on a manual clock moved in 10 ms steps, so
/// the timeline is exact.
fn record(args: &common::Args) -> Result<(), Box<dyn Error>> {
    let window = args.record.unwrap_or(common::PICTURE_WINDOW);
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(Recorder::<RGB8>::with_len(LEDS), clock)?;
    let handle = player.handle();
    let mut script = SCRIPT.iter().peekable();
    loop {
        let now = control.now() - Instant::ZERO;
        while let Some((_, request)) = script.next_if(|(at, _)| *at <= now) {
            send(&handle, *request)?;
        }
        control.settle();
        if now >= window {
            break;
        }
        control.advance(ms(10));
    }
    let recorder = player.shutdown().map_err(|e| e.to_string())?;
    if let Some(path) = &args.svg {
        let picture = blinken::output::Picture::new(&recorder).until(window);
        std::fs::write(path, picture.svg())
            .map_err(|e| common::Failed::because(format!("could not write {path}"), e))?;
    }
    if args.record.is_some() {
        common::print(&recorder.render())?;
    }
    Ok(())
}

/// The terminal simulator, in real time, until `--for` or Ctrl-C.
fn play(args: &common::Args) -> Result<(), Box<dyn Error>> {
    eprintln!("layers: playing {LEDS} LEDs in the terminal simulator (Ctrl-C to stop)");
    common::hint_if_not_a_terminal("layers");
    let output = Terminal::new(1, LEDS).with_pixel_type::<RGB8>();
    let player = Player::spawn(output, SystemClock::new())?;
    let handle = player.handle();
    let stopped = Arc::new(AtomicBool::new(false));
    {
        let (handle, stopped) = (handle.clone(), Arc::clone(&stopped));
        ctrlc::set_handler(move || {
            stopped.store(true, Ordering::SeqCst);
            let _ = handle.stop();
        })?;
    }
    let start = std::time::Instant::now();
    let end = args.play_for.map(|d| start + d);
    let mut script = SCRIPT.iter().peekable();
    // Sleeps in small steps so that Ctrl-C and `--for` end the example at once.
    while !stopped.load(Ordering::SeqCst) && end.is_none_or(|end| std::time::Instant::now() < end) {
        let now = start.elapsed();
        while let Some((_, request)) = script.next_if(|(at, _)| *at <= now) {
            send(&handle, *request)?;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    common::shutdown(player)?;
    Ok(())
}

const USAGE: &str = "options: [--record SECONDS] [--svg FILE] [--for SECONDS]";

fn main() -> ExitCode {
    let args = match common::Args::parse(&[]) {
        Ok(args) if args.target.is_some() => {
            let message = "--terminal, --chip and --rppal are for the 5x5 board";
            return common::usage_with("layers", message, USAGE);
        }
        Ok(args) if args.png.is_some() => {
            return common::usage_with("layers", "--png is not offered here; use --svg", USAGE);
        }
        Ok(args) => match args.no_extra() {
            Ok(()) => args,
            Err(message) => return common::usage_with("layers", &message, USAGE),
        },
        Err(message) => return common::usage_with("layers", &message, USAGE),
    };
    let result = match args.records() {
        true => record(&args),
        false => play(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}
