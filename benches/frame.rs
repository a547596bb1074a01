//! The cost of one frame on a 1,000-pixel APA102 strip: the effect computed by the
//! driver and the frame encoded into the strip's bytes.
//!
//! ```text
//! cargo bench --bench frame
//! ```
//!
//! Three programs on a [`VirtualClock`], one frame every 10 ms, each frame different
//! from the last (so every step is written and encoded):
//!
//! - `rainbow`: [`rainbow`] over the 1,000 pixels, its period 2.56 s so that the wheel
//!   turns one position a step: every pixel is drawn every frame.
//! - `comet`: [`comet`] with its default tail (a quarter of the pixels, 250), bouncing.
//! - `crossfade`: a crossfade from that rainbow to that comet lasting an hour, blended
//!   every 10 ms: both effects run on layers of their own and every pixel is mixed
//!   every frame.
//!
//! The output encodes every frame with [`Apa102`] (BGR, global brightness 0.5 so the
//! colour bytes are scaled) into the encoder's reused buffer, as `Apa102Spi` does
//! before it hands the bytes to the bus. The target is at most 20 µs a frame.
//!
//! Two measurements:
//!
//! 1. criterion (`frame/rainbow`, ...): each sample plays one run of `iters` frames and
//!    reports the time per frame, the run's start (validation, the effect's tables)
//!    spread over its frames;
//! 2. a sampler that timestamps every write and reports the time between two writes
//!    (one whole frame: timer, wake-up, the effect's step, the write with its encoding)
//!    as p50, p99 and mean over 20 runs of 1,000 frames each. Printed, and written to
//!    `$CARGO_TARGET_DIR/blinken-bench/frame.json` (`target/blinken-bench/frame.json`
//!    in the package when `CARGO_TARGET_DIR` is unset).
//!
//! Under `cargo test --benches` (no `--bench` argument) each program plays a few
//! frames once and nothing is written. `-- --only crossfade 5000` plays that many steps
//! of one program and nothing else, for a profiler.

mod common;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant as WallInstant};

use blinken::output::Frame;
use blinken::output::apa102::{Apa102, Apa102Error};
use blinken::prelude::*;
use criterion::{Criterion, Throughput};

use common::{json_str, load, machine};

/// Pixels on the strip.
const LEDS: usize = 1000;
/// One frame every 10 ms.
const SPEED: Duration = Duration::from_millis(10);
/// Frames a sampler run plays.
const SAMPLE_FRAMES: u64 = 1000;
/// Sampler runs per program.
const SAMPLE_RUNS: usize = 20;

/// The rainbow: 256 wheel positions turning one position a step.
fn rainbow_program() -> Rainbow<RGB8> {
    rainbow(0..LEDS, SPEED).period(SPEED * 256)
}

fn comet_program() -> Comet<RGB8> {
    comet(0..LEDS, SPEED, RGB8::new(255, 120, 20)).bounce(true)
}

fn crossfade_program() -> impl Animation<RGB8> {
    crossfade(rainbow_program(), comet_program(), secs(3600)).step(SPEED)
}

/// An APA102 strip without the bus: encodes every frame, optionally timestamping it.
struct Strip {
    encoder: Apa102,
    /// Frames written.
    frames: u64,
    /// The time of each write, up to the capacity reserved beforehand (no allocation
    /// while playing).
    stamps: Vec<WallInstant>,
}

impl Strip {
    fn new(stamps: usize) -> Strip {
        let mut encoder = Apa102::new().brightness(0.5);
        // The buffer is reserved before the first frame, as the first frame would.
        encoder.encode(&[RGB8::default(); LEDS]).expect("a valid encoder");
        Strip { encoder, frames: 0, stamps: Vec::with_capacity(stamps) }
    }
}

impl Output for Strip {
    type Pixel = RGB8;
    type Error = Apa102Error;

    fn len(&self) -> usize {
        LEDS
    }

    fn write(&mut self, frame: Frame<'_, RGB8>) -> Result<(), Apa102Error> {
        black_box(self.encoder.encode(frame.pixels)?);
        self.frames += 1;
        if self.stamps.len() < self.stamps.capacity() {
            self.stamps.push(WallInstant::now());
        }
        Ok(())
    }
}

/// Plays the `steps` steps of `program` at 0, 10 ms, ...: one write each, but for the
/// rare step that changes nothing (the comet's first, when it is still before the
/// strip, and its turns, when it is just past an end).
fn play(program: &impl Animation<RGB8>, steps: u64, stamps: usize) -> Strip {
    let mut driver = Driver::new(Strip::new(stamps), VirtualClock::new());
    let window = SPEED * u32::try_from(steps - 1).expect("a bench-sized run");
    driver.run_for(program, window).expect("the program plays");
    let strip = driver.into_output();
    assert!(strip.frames + 1 + steps / 1000 >= steps, "{} frames of {steps} steps", strip.frames);
    strip
}

fn bench(c: &mut Criterion, name: &str, program: &impl Animation<RGB8>) {
    let mut group = c.benchmark_group("frame");
    group.throughput(Throughput::Elements(1));
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let started = WallInstant::now();
            let strip = black_box(play(program, iters.max(2), 0));
            // The time of `iters` frames, from the time per frame written.
            started.elapsed().mul_f64(iters as f64 / strip.frames as f64)
        });
    });
    group.finish();
}

/// Time between consecutive writes, in ns, over [`SAMPLE_RUNS`] runs.
#[derive(Debug)]
struct Sampled {
    name: &'static str,
    frames: usize,
    p50_ns: u64,
    p99_ns: u64,
    mean_ns: f64,
    min_ns: u64,
    max_ns: u64,
}

fn sample(name: &'static str, program: &impl Animation<RGB8>) -> Sampled {
    let mut gaps: Vec<u64> = Vec::new();
    for _ in 0..SAMPLE_RUNS {
        let strip = play(program, SAMPLE_FRAMES, SAMPLE_FRAMES as usize);
        gaps.extend(strip.stamps.windows(2).map(|w| (w[1] - w[0]).as_nanos() as u64));
    }
    gaps.sort_unstable();
    let at = |p: f64| gaps[((gaps.len() - 1) as f64 * p).round() as usize];
    Sampled {
        name,
        frames: gaps.len(),
        p50_ns: at(0.5),
        p99_ns: at(0.99),
        mean_ns: gaps.iter().sum::<u64>() as f64 / gaps.len() as f64,
        min_ns: gaps[0],
        max_ns: gaps[gaps.len() - 1],
    }
}

fn to_json(machine: &str, load_before: &str, results: &[Sampled]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{{\n  \"machine\": {},", json_str(machine));
    let _ = writeln!(out, "  \"load_1min\": {load_before},");
    let _ = writeln!(
        out,
        "  \"leds\": {LEDS},\n  \"frame_ms\": {},\n  \"runs\": {SAMPLE_RUNS},\n  \
         \"frames_per_run\": {SAMPLE_FRAMES},\n  \"target_us\": 20,",
        SPEED.as_millis()
    );
    out.push_str("  \"programs\": [\n");
    for (i, s) in results.iter().enumerate() {
        let us = |ns: f64| ns / 1000.0;
        let _ = write!(
            out,
            "    {{\"name\": {}, \"frames\": {}, \"p50_us\": {:.3}, \"p99_us\": {:.3}, \
             \"mean_us\": {:.3}, \"min_us\": {:.3}, \"max_us\": {:.3}}}",
            json_str(s.name),
            s.frames,
            us(s.p50_ns as f64),
            us(s.p99_ns as f64),
            us(s.mean_ns),
            us(s.min_ns as f64),
            us(s.max_ns as f64),
        );
        out.push_str(if i + 1 < results.len() { ",\n" } else { "\n" });
    }
    out.push_str("  ]\n}\n");
    out
}

fn main() {
    let rainbow = rainbow_program();
    let comet = comet_program();
    let crossfade = crossfade_program();
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--only") {
        // `frame --only crossfade 5000`: plays that many steps and nothing else, for a
        // profiler (`valgrind --tool=callgrind`, `perf record`).
        let steps = args.get(at + 2).and_then(|n| n.parse().ok()).unwrap_or(5000);
        let strip = match args.get(at + 1).map(String::as_str) {
            Some("rainbow") => play(&rainbow, steps, 0),
            Some("comet") => play(&comet, steps, 0),
            Some("crossfade") => play(&crossfade, steps, 0),
            other => panic!("--only {other:?}: name rainbow, comet or crossfade"),
        };
        println!("{} frames", strip.frames);
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --benches`: check that each program plays, quickly.
        for strip in [play(&rainbow, 5, 0), play(&comet, 5, 0), play(&crossfade, 5, 0)] {
            assert!(strip.encoder.bytes().len() == strip.encoder.frame_len(LEDS));
        }
        return;
    }
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut criterion, "rainbow", &rainbow);
    bench(&mut criterion, "comet", &comet);
    bench(&mut criterion, "crossfade", &crossfade);
    criterion.final_summary();

    let machine = machine();
    let load_before = load();
    let results =
        [sample("rainbow", &rainbow), sample("comet", &comet), sample("crossfade", &crossfade)];
    println!("\nmachine: {machine}; load average (1 min) {load_before}");
    println!(
        "time between two writes, {LEDS} pixels APA102-encoded, {SAMPLE_RUNS} runs of \
         {SAMPLE_FRAMES} frames (target 20 µs):"
    );
    println!("{:<10} {:>9} {:>9} {:>9} {:>9}", "program", "p50 µs", "p99 µs", "mean µs", "max µs");
    for s in &results {
        println!(
            "{:<10} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            s.name,
            s.p50_ns as f64 / 1000.0,
            s.p99_ns as f64 / 1000.0,
            s.mean_ns / 1000.0,
            s.max_ns as f64 / 1000.0
        );
    }
    let json = to_json(&machine, &load_before, &results);
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target")),
            PathBuf::from,
        )
        .join("blinken-bench");
    let path = dir.join("frame.json");
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, json)) {
        Ok(()) => println!("written to {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}
