//! Timing jitter on the real clock: blinken against what a user would write instead.
//!
//! ```text
//! cargo bench --bench jitter -- --scale 0.01 --seconds 3 --swaps 1000
//! ```
//!
//! # Scenario
//!
//! The talk's five blink intervals (0.5, 0.4, 0.3, 0.2, 0.1 s) times `--scale` (default
//! 0.01: 5, 4, 3, 2, 1 ms) on five LEDs, for `--seconds` (default 3) per contestant.
//! LED `i` toggles at `start + k·interval_i`; those deadlines are known analytically, and
//! every contestant serves the same set of them.
//!
//! # Contestants (all in the same run, one after another, each on fresh threads)
//!
//! - `blinken`: `Driver::new(stamping_output, SystemClock::new())` playing
//!   `all((blink(0, 5ms), blink(1, 4ms), ...))` with `run_for`. The output stamps every
//!   write with `CLOCK_MONOTONIC`; a deadline's lateness is the stamp of the first write
//!   of the round that served it (`frame.at >= deadline`) minus the deadline, so
//!   toggles sharing one write share its stamp.
//! - `thread_sleep`: one thread per LED, `toggle; std::thread::sleep(interval)` (relative
//!   sleeps, as the Python original), default timer slack.
//! - `tokio`: a current-thread tokio runtime (one thread, like blinken's driver), one task
//!   per LED, `tokio::time::sleep_until(deadline)` with the same drift-free deadlines as
//!   blinken, default timer slack.
//! - `os_floor`: one thread sleeping with absolute `clock_nanosleep(CLOCK_MONOTONIC,
//!   TIMER_ABSTIME)` to each distinct deadline, doing no work. It lowers its timer slack
//!   to 1 ns, as blinken's `SystemClock` does, so that it is the floor of what the kernel
//!   can do for a sleeping thread; blinken's spin window can beat its median but its
//!   tail is set by the same scheduler.
//!
//! The stamp is taken right after a contestant's "write" (the output's `write` for
//! blinken, the toggle for the others). Lateness statistics are over every deadline;
//! **drift** is the median lateness of the last 10 % of deadlines minus that of the
//! first 10 % (a trend robust to single outliers), in µs.
//!
//! # Preemption
//!
//! `Player::spawn(output, SystemClock::new())`, then `--swaps` times: stamp, `play(on(k %
//! 5))`, wait (parked) until the output has written a frame with LED `k % 5` lit; the
//! latency is the stamp of that write minus the stamp before `play`. A 1 ms pause
//! separates swaps, so each one finds the player asleep, as a user's command would.
//!
//! Results are printed and written to `$CARGO_TARGET_DIR/blinken-bench/jitter.json`
//! (`target/blinken-bench/jitter.json` in the package when `CARGO_TARGET_DIR` is unset).
//! Nothing is asserted: timings depend on the machine.

use std::convert::Infallible;
use std::fmt::Write as _;
use std::num::NonZeroU64;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use blinken::output::Frame;
use blinken::prelude::*;
use rustix::thread::{ClockId, Timespec};

const TALK_INTERVALS_MS: [u64; 5] = [500, 400, 300, 200, 100];

/// Plays the schedule its own way and reports the lateness of every deadline.
type Contestant = fn(&Schedule) -> Lateness;

fn main() {
    let args = Args::parse();
    let schedule = Schedule::new(&args);
    let machine = machine();
    println!("machine: {machine}");
    println!(
        "scenario: intervals {:?} µs on {} LEDs, {} s per contestant, {} deadlines each",
        schedule.intervals.iter().map(|&n| n / 1000).collect::<Vec<_>>(),
        schedule.intervals.len(),
        args.seconds,
        schedule.deadline_count(),
    );
    println!(
        "timer slack of the bench's threads before any contestant: {} ns",
        rustix::thread::current_timer_slack().map_or_else(|e| e.to_string(), |s| s.to_string())
    );

    let contestants: [(&str, Contestant); 4] = [
        ("blinken", run_blinken),
        ("thread_sleep", run_thread_sleep),
        ("tokio", run_tokio),
        ("os_floor", run_os_floor),
    ];
    let mut results = Vec::new();
    for (name, run) in contestants {
        let steal = steal_ms();
        // Each contestant runs on a fresh thread spawned from this one, whose timer
        // slack is never touched, so a lowered slack cannot leak into the next one
        // (threads inherit their creator's slack).
        let s = schedule.clone();
        let lateness = std::thread::spawn(move || run(&s.restarted())).join().expect(name);
        let mut stats = Stats::new(name, &lateness);
        stats.steal_ms = steal_ms() - steal;
        results.push(stats);
    }
    let preempt = std::thread::spawn(move || preemption(args.swaps)).join().expect("preemption");
    let spin_gaps = std::thread::spawn(spin_gaps).join().expect("spin gaps");

    print_table(&results);
    println!(
        "\npreemption over {} swaps (play() to the first write of the new animation): \
         p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        preempt.len(),
        us(percentile(&preempt, 0.50) as f64),
        us(percentile(&preempt, 0.99) as f64),
        us(percentile(&preempt, 1.0) as f64),
    );
    println!(
        "machine noise: a thread spinning on CLOCK_MONOTONIC for 1 s saw {} gaps over 100 µs, \
         the longest {:.1} µs",
        spin_gaps.0,
        us(spin_gaps.1 as f64),
    );

    let json = to_json(&machine, &args, &results, &preempt, spin_gaps.1);
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target")),
            PathBuf::from,
        )
        .join("blinken-bench");
    let path = dir.join("jitter.json");
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, json)) {
        Ok(()) => println!("wrote {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}

// ---------------------------------------------------------------------------------------
// Arguments and scenario

struct Args {
    scale: f64,
    seconds: f64,
    swaps: usize,
}

impl Args {
    /// `--scale X`, `--seconds X`, `--swaps N` (also `--flag=value`); anything else
    /// (cargo passes `--bench`) is ignored.
    fn parse() -> Args {
        let mut args = Args { scale: 0.01, seconds: 3.0, swaps: 1000 };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
                None => (arg, None),
            };
            if !matches!(flag.as_str(), "--scale" | "--seconds" | "--swaps") {
                continue;
            }
            let Some(value) = inline.or_else(|| it.next()) else { break };
            let number: f64 =
                value.parse().unwrap_or_else(|_| panic!("{flag} wants a number, got {value:?}"));
            match flag.as_str() {
                "--scale" => args.scale = number,
                "--seconds" => args.seconds = number,
                _ => args.swaps = number as usize,
            }
        }
        assert!(args.scale > 0.0 && args.seconds > 0.0, "--scale and --seconds must be > 0");
        args
    }
}

/// The deadlines every contestant must serve: LED `i` at `start + k·intervals[i]` for
/// every `k` with the deadline within `duration` of `start`.
#[derive(Clone)]
struct Schedule {
    /// Toggle interval of each LED, ns.
    intervals: Vec<u64>,
    /// Length of the run, ns.
    duration: u64,
    /// `CLOCK_MONOTONIC` ns of the first deadline (set by each contestant).
    start: u64,
}

impl Schedule {
    fn new(args: &Args) -> Schedule {
        let intervals = TALK_INTERVALS_MS
            .iter()
            .map(|&ms| ((ms as f64) * 1e6 * args.scale).round().max(1.0) as u64)
            .collect();
        Schedule { intervals, duration: (args.seconds * 1e9).round() as u64, start: 0 }
    }

    /// The same schedule starting 20 ms from now (time for threads to start).
    fn restarted(&self) -> Schedule {
        Schedule { start: SystemClock::monotonic_now().as_nanos() + 20_000_000, ..self.clone() }
    }

    /// How many toggles LED `led` has: `k = 0 ..= duration / interval`.
    fn toggles(&self, led: usize) -> u64 {
        self.duration / self.intervals[led] + 1
    }

    fn deadline(&self, led: usize, k: u64) -> u64 {
        self.start + k * self.intervals[led]
    }

    fn deadline_count(&self) -> u64 {
        (0..self.intervals.len()).map(|led| self.toggles(led)).sum()
    }

    /// Every distinct deadline, ascending.
    fn instants(&self) -> Vec<u64> {
        let mut all: Vec<u64> = (0..self.intervals.len())
            .flat_map(|led| (0..self.toggles(led)).map(move |k| self.deadline(led, k)))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    fn as_durations(&self) -> Vec<Duration> {
        self.intervals.iter().map(|&n| Duration::from_nanos(n)).collect()
    }
}

/// Lateness in ns of every deadline of a run, with the deadline it belongs to.
struct Lateness {
    /// `(deadline, lateness)`, any order.
    samples: Vec<(u64, i64)>,
    /// Deadlines never served (a contestant that stopped early).
    missed: u64,
    /// Deadlines whose write did not show the expected LED value (blinken only: two
    /// toggles of one LED caught up in one round).
    collapsed: u64,
    /// Timer slack of the contestant's thread, ns.
    slack: Option<u64>,
}

/// An empty `Vec` whose buffer has been touched, so that the first writes into it do
/// not take page faults while being timed.
fn prefaulted<T: Default + Clone>(capacity: usize) -> Vec<T> {
    let mut v = vec![T::default(); capacity];
    v.clear();
    v
}

fn mono_ns() -> u64 {
    SystemClock::monotonic_now().as_nanos()
}

fn sleep_until_abs(deadline_ns: u64) {
    let ts = Timespec {
        tv_sec: (deadline_ns / 1_000_000_000) as i64,
        tv_nsec: (deadline_ns % 1_000_000_000) as i64,
    };
    // EINTR only makes us wake early, which the next loop iteration or stamp shows.
    let _ = rustix::thread::clock_nanosleep_absolute(ClockId::Monotonic, &ts);
}

// ---------------------------------------------------------------------------------------
// blinken

/// Stamps every write; the buffer is reserved up front so a write never allocates.
struct Stamping {
    len: usize,
    /// `(frame.at, stamp, pixels as bits)`.
    writes: Vec<(u64, u64, u32)>,
}

impl Output for Stamping {
    type Pixel = bool;
    type Error = Infallible;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Infallible> {
        let stamp = mono_ns();
        let bits = frame.pixels.iter().enumerate().fold(0, |b, (i, &on)| b | (u32::from(on) << i));
        self.writes.push((frame.at.as_nanos(), stamp, bits));
        Ok(())
    }
}

fn run_blinken(schedule: &Schedule) -> Lateness {
    let leds = schedule.intervals.len();
    let mut out = Stamping { len: leds, writes: prefaulted(schedule.instants().len() + 64) };
    let iv = schedule.as_durations();
    let program =
        all((blink(0, iv[0]), blink(1, iv[1]), blink(2, iv[2]), blink(3, iv[3]), blink(4, iv[4])));
    let mut driver = Driver::new(&mut out, SystemClock::new());
    // Start at the same distance from thread start as the others.
    sleep_until_abs(schedule.start);
    // `run_for` takes its limit from a clock reading made just before the one that
    // becomes the logical start, so the limit falls a few hundred ns short of
    // `start + duration` and the last instant would not be served. Half the shortest
    // interval more serves it without reaching the next one; later frames are ignored.
    let margin = schedule.intervals.iter().min().map_or(0, |&iv| iv / 2);
    let limit = Duration::from_nanos(schedule.duration + margin);
    driver.run_for(&program, limit).expect("plays");
    drop(driver);
    let slack = rustix::thread::current_timer_slack().ok();

    // The driver's logical start is the instant of its first frame.
    let start = out.writes[0].0;
    let schedule = Schedule { start, ..schedule.clone() };
    let mut lateness = Lateness { samples: Vec::new(), missed: 0, collapsed: 0, slack };
    for led in 0..leds {
        for k in 0..schedule.toggles(led) {
            let deadline = schedule.deadline(led, k);
            let first = out.writes.partition_point(|&(at, _, _)| at < deadline);
            let Some(&(_, stamp, bits)) = out.writes.get(first) else {
                lateness.missed += 1;
                continue;
            };
            if (bits >> led & 1 == 1) != (k % 2 == 0) {
                lateness.collapsed += 1;
            }
            lateness.samples.push((deadline, stamp as i64 - deadline as i64));
        }
    }
    lateness
}

// ---------------------------------------------------------------------------------------
// Alternatives

fn run_thread_sleep(schedule: &Schedule) -> Lateness {
    let threads: Vec<_> = (0..schedule.intervals.len())
        .map(|led| {
            let s = schedule.clone();
            std::thread::spawn(move || {
                let state = AtomicBool::new(false);
                let interval = Duration::from_nanos(s.intervals[led]);
                let mut stamps = prefaulted(s.toggles(led) as usize);
                sleep_until_abs(s.start);
                for _ in 0..s.toggles(led) {
                    state.fetch_xor(true, Ordering::Relaxed);
                    stamps.push(mono_ns());
                    std::thread::sleep(interval);
                }
                (stamps, rustix::thread::current_timer_slack().ok())
            })
        })
        .collect();
    per_led(schedule, threads.into_iter().map(|t| t.join().expect("an LED thread")))
}

fn run_tokio(schedule: &Schedule) -> Lateness {
    let rt =
        tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
    // Map CLOCK_MONOTONIC ns to std::time::Instant (also CLOCK_MONOTONIC on Linux).
    let before = mono_ns();
    let base = std::time::Instant::now();
    let base_ns = (before + mono_ns()) / 2;
    let to_tokio =
        move |ns: u64| tokio::time::Instant::from_std(base + Duration::from_nanos(ns - base_ns));
    let per_led_stamps = rt.block_on(async {
        let tasks: Vec<_> = (0..schedule.intervals.len())
            .map(|led| {
                let s = schedule.clone();
                tokio::spawn(async move {
                    let state = AtomicBool::new(false);
                    let mut stamps = prefaulted(s.toggles(led) as usize);
                    for k in 0..s.toggles(led) {
                        tokio::time::sleep_until(to_tokio(s.deadline(led, k))).await;
                        state.fetch_xor(true, Ordering::Relaxed);
                        stamps.push(mono_ns());
                    }
                    stamps
                })
            })
            .collect();
        let mut all = Vec::new();
        for task in tasks {
            all.push(task.await.expect("an LED task"));
        }
        all
    });
    let slack = rustix::thread::current_timer_slack().ok();
    per_led(schedule, per_led_stamps.into_iter().map(|stamps| (stamps, slack)))
}

fn run_os_floor(schedule: &Schedule) -> Lateness {
    let _ = rustix::thread::set_current_timer_slack(NonZeroU64::new(1));
    let slack = rustix::thread::current_timer_slack().ok();
    let instants = schedule.instants();
    let mut stamps = prefaulted(instants.len());
    for &deadline in &instants {
        sleep_until_abs(deadline);
        stamps.push(mono_ns());
    }
    let mut lateness = Lateness { samples: Vec::new(), missed: 0, collapsed: 0, slack };
    for led in 0..schedule.intervals.len() {
        for k in 0..schedule.toggles(led) {
            let deadline = schedule.deadline(led, k);
            let i = instants.binary_search(&deadline).expect("every deadline is an instant");
            lateness.samples.push((deadline, stamps[i] as i64 - deadline as i64));
        }
    }
    lateness
}

/// Lateness of contestants that stamp every toggle of every LED separately.
fn per_led(schedule: &Schedule, leds: impl Iterator<Item = (Vec<u64>, Option<u64>)>) -> Lateness {
    let mut lateness = Lateness { samples: Vec::new(), missed: 0, collapsed: 0, slack: None };
    for (led, (stamps, slack)) in leds.enumerate() {
        lateness.slack = slack;
        lateness.missed += schedule.toggles(led) - stamps.len() as u64;
        for (k, &stamp) in stamps.iter().enumerate() {
            let deadline = schedule.deadline(led, k as u64);
            lateness.samples.push((deadline, stamp as i64 - deadline as i64));
        }
    }
    lateness
}

// ---------------------------------------------------------------------------------------
// Preemption

/// Notes which LED is lit and when each frame was written.
#[derive(Debug)]
struct Watch {
    len: usize,
    shared: Arc<Watched>,
}

#[derive(Debug)]
struct Watched {
    /// Stamp of the last write.
    stamp: AtomicU64,
    /// 1 + the lowest lit LED of the last write, 0 if none.
    lit: AtomicUsize,
    /// The measuring thread, unparked after each write (after the stamp is taken).
    waiter: std::thread::Thread,
}

impl Output for Watch {
    type Pixel = bool;
    type Error = Infallible;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Infallible> {
        let stamp = mono_ns();
        let lit = frame.pixels.iter().position(|&on| on).map_or(0, |i| i + 1);
        self.shared.stamp.store(stamp, Ordering::Relaxed);
        self.shared.lit.store(lit, Ordering::Release);
        self.shared.waiter.unpark();
        Ok(())
    }
}

/// Latencies in ns from the `play()` call to the first write of the new animation,
/// ascending.
fn preemption(swaps: usize) -> Vec<i64> {
    const LEDS: usize = 5;
    let shared = Arc::new(Watched {
        stamp: AtomicU64::new(0),
        lit: AtomicUsize::new(0),
        waiter: std::thread::current(),
    });
    let player =
        Player::spawn(Watch { len: LEDS, shared: Arc::clone(&shared) }, SystemClock::new())
            .expect("a player thread");
    let handle = player.handle();
    let warm_up = 20;
    let mut latencies = Vec::with_capacity(swaps);
    for swap in 0..warm_up + swaps {
        let led = swap % LEDS;
        let before = mono_ns();
        handle.play(on(led)).expect("the player plays");
        let give_up = before + 1_000_000_000;
        // Block rather than spin: on two CPUs a spinning waiter would compete with
        // the player thread. The stamp is taken in the write, so how late this thread
        // wakes does not count.
        while shared.lit.load(Ordering::Acquire) != led + 1 {
            assert!(mono_ns() < give_up, "the player did not show swap {swap} within 1 s");
            std::thread::park_timeout(Duration::from_millis(100));
        }
        let stamp = shared.stamp.load(Ordering::Relaxed);
        if swap >= warm_up {
            latencies.push(stamp as i64 - before as i64);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    player.shutdown().expect("the player shuts down");
    latencies.sort_unstable();
    latencies
}

/// How often, and for how long at most, a thread that never sleeps is kept off the CPU
/// (by the kernel or the hypervisor) in one second: `(gaps over 100 µs, longest gap ns)`.
fn spin_gaps() -> (u64, u64) {
    let start = mono_ns();
    let (mut previous, mut longest, mut gaps) = (start, 0, 0);
    while previous - start < 1_000_000_000 {
        let now = mono_ns();
        let gap = now - previous;
        longest = longest.max(gap);
        gaps += u64::from(gap > 100_000);
        previous = now;
    }
    (gaps, longest)
}

// ---------------------------------------------------------------------------------------
// Statistics and reporting

struct Stats {
    name: &'static str,
    events: usize,
    p50: f64,
    p99: f64,
    p999: f64,
    max: f64,
    drift: f64,
    first_to_last: f64,
    missed: u64,
    collapsed: u64,
    slack: Option<u64>,
    /// CPU time stolen by the hypervisor from all CPUs while the contestant ran.
    steal_ms: u64,
}

impl Stats {
    fn new(name: &'static str, lateness: &Lateness) -> Stats {
        let mut by_time = lateness.samples.clone();
        by_time.sort_unstable();
        let mut sorted: Vec<i64> = by_time.iter().map(|&(_, l)| l).collect();
        sorted.sort_unstable();
        let pct = |p: f64| us(percentile(&sorted, p) as f64);
        let tenth = (by_time.len() / 10).max(1);
        let median_of = |part: &[(u64, i64)]| {
            let mut v: Vec<i64> = part.iter().map(|&(_, l)| l).collect();
            v.sort_unstable();
            percentile(&v, 0.5) as f64
        };
        let n = by_time.len();
        Stats {
            name,
            events: n,
            p50: pct(0.50),
            p99: pct(0.99),
            p999: pct(0.999),
            max: pct(1.0),
            drift: us(median_of(&by_time[n - tenth..]) - median_of(&by_time[..tenth])),
            first_to_last: us((by_time[n - 1].1 - by_time[0].1) as f64),
            missed: lateness.missed,
            collapsed: lateness.collapsed,
            slack: lateness.slack,
            steal_ms: 0,
        }
    }
}

/// Nearest-rank percentile of sorted samples (`p` in 0..=1).
fn percentile(sorted: &[i64], p: f64) -> i64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn us(ns: f64) -> f64 {
    ns / 1000.0
}

fn print_table(results: &[Stats]) {
    println!(
        "\n{:<13} {:>7} {:>10} {:>10} {:>10} {:>10} {:>11} {:>13} {:>9} {:>9}",
        "lateness µs",
        "events",
        "p50",
        "p99",
        "p99.9",
        "max",
        "drift",
        "last-first",
        "slack ns",
        "steal ms"
    );
    for s in results {
        println!(
            "{:<13} {:>7} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>11.1} {:>13.1} {:>9} {:>9}",
            s.name,
            s.events,
            s.p50,
            s.p99,
            s.p999,
            s.max,
            s.drift,
            s.first_to_last,
            s.slack.map_or("?".into(), |v| v.to_string()),
            s.steal_ms,
        );
        if s.missed > 0 || s.collapsed > 0 {
            println!("  ({} deadlines missed, {} collapsed)", s.missed, s.collapsed);
        }
    }
    println!(
        "drift = median lateness of the last 10 % of deadlines - that of the first 10 %; \
         last-first = lateness of the last deadline - that of the first;\n\
         collapsed = toggles overtaken by the same LED's next toggle in one catch-up write \
         (a stall longer than the interval);\n\
         steal = CPU time the hypervisor took from this VM during the contestant (/proc/stat)"
    );
}

/// Total steal time of all CPUs so far, ms (0 where /proc/stat has no such column).
fn steal_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks = stat
        .lines()
        .find_map(|l| l.strip_prefix("cpu "))
        .and_then(|l| l.split_whitespace().nth(7))
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap_or(0);
    // USER_HZ is 100 on every Linux ABI that matters here.
    ticks * 10
}

/// CPU model, logical CPUs and kernel release.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
        .map_or("unknown CPU", |(_, m)| m.trim());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let vm = cpuinfo
        .lines()
        .any(|l| l.starts_with("flags") && l.split_whitespace().any(|f| f == "hypervisor"));
    format!(
        "{model}, {cpus} CPUs{}, Linux {}",
        if vm { " (virtual machine)" } else { "" },
        kernel.trim()
    )
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn to_json(
    machine: &str,
    args: &Args,
    results: &[Stats],
    preempt: &[i64],
    spin_gap_max: u64,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{{\n  \"machine\": {},", json_str(machine));
    let _ = writeln!(out, "  \"scale\": {},\n  \"seconds\": {},", args.scale, args.seconds);
    out.push_str("  \"contestants\": [\n");
    for (i, s) in results.iter().enumerate() {
        let _ = write!(
            out,
            "    {{\"name\": {}, \"p50_us\": {:.3}, \"p99_us\": {:.3}, \"p999_us\": {:.3}, \
             \"max_us\": {:.3}, \"drift_us\": {:.3}, \"events\": {}}}",
            json_str(s.name),
            s.p50,
            s.p99,
            s.p999,
            s.max,
            s.drift,
            s.events
        );
        out.push_str(if i + 1 < results.len() { ",\n" } else { "\n" });
    }
    out.push_str("  ],\n");
    let _ = writeln!(out, "  \"spin_gap_max_us\": {:.3},", us(spin_gap_max as f64));
    let _ = writeln!(out, "  \"preempt_swaps\": {},", preempt.len());
    let _ = writeln!(out, "  \"preempt_p50_us\": {:.3},", us(percentile(preempt, 0.5) as f64));
    let _ = writeln!(out, "  \"preempt_p99_us\": {:.3}", us(percentile(preempt, 0.99) as f64));
    out.push_str("}\n");
    out
}
