//! Simulation speed on the virtual clock, in events per second (one event = one toggle
//! of one LED reaching the output).
//!
//! ```text
//! cargo bench --bench throughput
//! ```
//!
//! - `smiley_hour`: one hour of [`blinken::demos::smiley`] on a 25-LED null output.
//!   After 7 s the demo holds a static face, so the hour is 7 s of animation and one
//!   jump of the clock: this measures the cost of a whole run (validation, building the
//!   futures, the first write), not a steady state.
//! - `smiley_talking_hour`: one hour of the smiley restarted every 8 s
//!   (`forever(smiley().timeout(8 s))`): the face talks all hour, a steady state of
//!   the talk's own program.
//! - `blinks_1000`: 1000 concurrent blinks with distinct intervals (1000, 1001, ...,
//!   1999 µs) in one `all(Vec)`, for 2 s of virtual time: about 1.33 million toggles,
//!   nearly every one at its own instant, so nearly every toggle is one round of the
//!   driver (timer, wake-up, poll, flush, write). The target is 7.8 M events/s, 100×
//!   the Python original.
//!
//! Each iteration builds a fresh driver on a fresh `VirtualClock`; the number of toggles
//! is counted by the output in a first run and given to criterion as the throughput.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::Duration;

use blinken::output::Frame;
use blinken::prelude::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// An output that shows nothing and counts toggles.
#[derive(Debug)]
struct Null {
    len: usize,
    writes: u64,
    toggles: u64,
}

impl Null {
    fn new(len: usize) -> Null {
        Null { len, writes: 0, toggles: 0 }
    }
}

impl Output for Null {
    type Pixel = bool;
    type Error = Infallible;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Infallible> {
        // The first write lists every LED; from an all-off start only the lit ones toggled.
        self.toggles += if self.writes == 0 {
            frame.pixels.iter().filter(|&&on| on).count() as u64
        } else {
            frame.changed.len() as u64
        };
        self.writes += 1;
        Ok(())
    }
}

/// Plays `program` for `window` of virtual time on a fresh driver; returns the output.
fn play(len: usize, program: &impl Animation<bool>, window: Duration) -> Null {
    let mut driver = Driver::new(Null::new(len), VirtualClock::new());
    driver.run_for(program, window).expect("the program plays");
    driver.into_output()
}

fn smiley_hour(c: &mut Criterion) {
    let program = blinken::demos::smiley();
    let hour = secs(3600);
    let toggles = play(25, &program, hour).toggles;
    let mut group = c.benchmark_group("virtual");
    group.throughput(Throughput::Elements(toggles));
    group.bench_function("smiley_hour", |b| b.iter(|| black_box(play(25, &program, hour))));
    group.finish();
}

fn smiley_talking_hour(c: &mut Criterion) {
    let program = forever(blinken::demos::smiley().timeout(secs(8)));
    let hour = secs(3600);
    let toggles = play(25, &program, hour).toggles;
    let mut group = c.benchmark_group("virtual");
    group.throughput(Throughput::Elements(toggles));
    group.bench_function("smiley_talking_hour", |b| b.iter(|| black_box(play(25, &program, hour))));
    group.finish();
}

fn blinks_1000(c: &mut Criterion) {
    const N: usize = 1000;
    let program =
        all((0..N).map(|i| blink(i, Duration::from_micros(1000 + i as u64))).collect::<Vec<_>>());
    let window = secs(2);
    let counted = play(N, &program, window);
    let mut group = c.benchmark_group("virtual");
    group.throughput(Throughput::Elements(counted.toggles));
    group.bench_function("blinks_1000", |b| b.iter(|| black_box(play(N, &program, window))));
    group.finish();
    println!(
        "blinks_1000: {} toggles in {} writes per iteration ({:.2} toggles per write)",
        counted.toggles,
        counted.writes,
        counted.toggles as f64 / counted.writes as f64
    );
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = benches;
    config = config();
    targets = smiley_hour, smiley_talking_hour, blinks_1000
}
criterion_main!(benches);
