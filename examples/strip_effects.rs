//! Every effect in turn on the seeds' 11-LED DotStar strip, each for a few seconds with
//! its name on standard error: the terminal simulator by default, APA102 LEDs on a
//! Raspberry Pi with `--spi`.
//!
//! ```text
//! cargo run --example strip_effects                            # terminal simulator
//! cargo run --example strip_effects -- --record 8              # exact timeline (# lit, . dark)
//! cargo run --example strip_effects -- --each 2 --svg effects.svg --record 24
//! cargo run --example strip_effects --features spidev -- --spi /dev/spidev0.0 --pixel-order GBR --brightness 0.3
//! ```
//!
//! Options: `--each SECONDS` (how long each effect plays, default 4), the strip's
//! (`--spi PATH` with feature `spidev`, `--pixel-order`, `--brightness`, `--hz`,
//! `--leds N`, `--gamma`, `--max-ma`; see `examples/dotstar.rs`), `--record SECONDS`,
//! `--svg FILE`, `--png FILE` (feature `png`), `--for SECONDS`.
//!
//! The effects play through a player, one after another, round and round, with the
//! parameters of the effect presets (`presets/*.json`) scaled down for strips shorter
//! than 11 LEDs. As each starts, a line names it on standard error with its time:
//! `strip_effects: 4.000 s: color_cycle`; the simulator draws its next frame below
//! that line.

mod common;

use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use blinken::prelude::*;

/// The twelve effects on `leds` LEDs, with their names.
fn effects(leds: usize) -> Vec<(&'static str, BoxAnimation<RGB8>)> {
    let rgb = RGB8::new;
    let (warm, gold, purple) = (rgb(255, 214, 170), rgb(255, 215, 0), rgb(128, 0, 128));
    let (red, amber) = (rgb(255, 0, 0), rgb(255, 191, 0));
    let rainbow_colors = [red, rgb(255, 128, 0), rgb(255, 255, 0), rgb(0, 255, 0), rgb(0, 0, 255)];
    let all = 0..leds;
    // Bars, tails, trails and sparkles at most as long as the strip.
    let at_most = |n: usize| n.min(leds);
    let trail = 3.min(2 * (leds - 1));
    let fades = fade(all.clone(), RGB8::OFF, warm, secs(2)).then(fade(
        all.clone(),
        warm,
        RGB8::OFF,
        secs(2),
    ));
    vec![
        ("solid", solid(all.clone(), warm).boxed()),
        (
            "color_cycle",
            color_cycle(all.clone(), ms(500), rainbow_colors.into_iter().chain([purple])).boxed(),
        ),
        ("chase", chase(all.clone(), ms(100), gold).size(at_most(2)).spacing(at_most(3)).boxed()),
        ("comet", comet(all.clone(), ms(50), purple).tail_length(at_most(4)).bounce(true).boxed()),
        ("rainbow", rainbow(all.clone(), ms(50)).period(secs(5)).boxed()),
        (
            "rainbow_chase",
            rainbow_chase(all.clone(), ms(100))
                .size(at_most(2))
                .spacing(at_most(3))
                .step(8)
                .boxed(),
        ),
        (
            "rainbow_comet",
            rainbow_comet(all.clone(), ms(50)).tail_length(at_most(5)).bounce(true).boxed(),
        ),
        ("pulse", pulse(all.clone(), ms(20), red).period(secs(3)).breath(ms(500)).boxed()),
        ("sparkle", sparkle(all.clone(), ms(100), amber).num_sparkles(at_most(2)).boxed()),
        (
            "rainbow_sparkle",
            rainbow_sparkle(all.clone(), ms(100)).period(secs(5)).num_sparkles(at_most(2)).boxed(),
        ),
        ("larson_scanner", larson_scanner(all.clone(), ms(80), red).trail(trail).boxed()),
        ("fade", forever(fades).boxed()),
    ]
}

/// Names the effect on standard error at the instant it starts, with the time since
/// `first` (the first effect's start), and takes no time.
fn announce(
    name: &'static str,
    first: Arc<OnceLock<Instant>>,
) -> impl Animation<RGB8> + Send + 'static {
    from_fn(async move |_: &Cx<RGB8>, start: Instant| {
        let seconds = (start - *first.get_or_init(|| start)).as_secs_f64();
        eprintln!("strip_effects: {seconds:.3} s: {name}");
        // The simulator draws its next frame below the line instead of over it.
        Terminal::note_foreign_output();
        start
    })
}

/// Each effect for `each`, after its name, round and round.
fn program(leds: usize, each: Duration) -> impl Animation<RGB8> + Send + 'static {
    let first = Arc::new(OnceLock::new());
    let turns: Vec<BoxAnimation<RGB8>> = effects(leds)
        .into_iter()
        .map(|(name, effect)| announce(name, first.clone()).then(effect.timeout(each)).boxed())
        .collect();
    forever(sequence(turns))
}

const USAGE: &str = "options: [--each SECONDS] [--spi PATH] \
    [--pixel-order RGB|RBG|GRB|GBR|BRG|BGR] [--brightness 0..1] [--gamma EXPONENT] \
    [--max-ma MILLIAMPS] [--hz CLOCK] [--leds N] [--record SECONDS] [--svg FILE] \
    [--png FILE] [--for SECONDS]";

fn main() -> ExitCode {
    let (args, strip) = match common::strip_args("strip_effects", &["--each"], USAGE) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    let each = args
        .extra
        .iter()
        .find(|(flag, _)| flag == "--each")
        .map(|(flag, value)| common::seconds(flag, value.clone()));
    let each = match each.transpose() {
        Ok(each) => each.unwrap_or(Duration::from_secs(4)),
        Err(message) => return common::usage_with("strip_effects", &message, USAGE),
    };
    match common::play_strip("strip_effects", &strip, program(strip.leds, each), &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => common::report(&*error),
    }
}
