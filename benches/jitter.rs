//! Timing jitter and CPU cost on the real clock: blinken against what a user would
//! write instead.
//!
//! ```text
//! cargo bench --bench jitter -- --scale 0.01 --rounds 20 --round-ms 150 --swaps 1000
//! ```
//!
//! # Scenario
//!
//! The talk's five blink intervals (0.5, 0.4, 0.3, 0.2, 0.1 s) times `--scale` (default
//! 0.01: 5, 4, 3, 2, 1 ms) on five LEDs. LED `i` toggles at `start + k·interval_i`;
//! those deadlines are known analytically, and every contestant serves the same set.
//!
//! # Rounds
//!
//! The host's noise comes and goes, so contestants that run one after another meet
//! different weather. Instead every contestant plays `--rounds` (default 20) short
//! rounds of `--round-ms` (default 150 ms), in an order that rotates by one each round
//! (round `r` starts with contestant `r mod n`), each round on fresh threads; a
//! contestant's samples are pooled over its rounds. One uncounted warm-up round of
//! every contestant comes first (thread stacks, page faults, and the learned spin
//! window, which a fresh `SystemClock` takes over from the last one of the process).
//!
//! # Contestants
//!
//! - `blinken`: `Driver::new(stamping_output, SystemClock::new())` (the learned spin
//!   window) playing `all((blink(0, 5ms), blink(1, 4ms), ...))` with `run_for`. The
//!   output stamps every write with the clock; a deadline's lateness is the stamp of
//!   the first write of the round that served it (`frame.at >= deadline`) minus the
//!   deadline, so toggles sharing one write share its stamp.
//! - `blinken_nospin`: the same with `SystemClock::new().with_spin(Duration::ZERO)`.
//! - `blinken_spin100`: the same with a fixed 100 µs window (the old default).
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
//! blinken, the toggle for the others). Lateness statistics are over every deadline of
//! every round; **drift** is, per round, the median lateness of the last 10 % of
//! deadlines minus that of the first 10 % (a trend robust to single outliers), and the
//! table shows the median over the rounds, in µs.
//!
//! # CPU cost
//!
//! Whole-process on-CPU time from the moment a contestant starts playing to the moment
//! it stops, over the wall time between them, summed over its rounds: "% of a core".
//! The time is `CLOCK_PROCESS_CPUTIME_ID`: the kernel's sum of every thread's on-CPU
//! time, the counter `/proc/self/task/*/schedstat` shows per thread, including threads
//! that have ended. The bench's other threads are blocked meanwhile.
//!
//! # Preemption
//!
//! `Player::spawn(output, SystemClock::new())`, then `--swaps` times each:
//!
//! - single: stamp, `play(on(k % 5))`, wait (parked) until the output has written a
//!   frame with LED `k % 5` lit; the latency is the stamp of that write minus the stamp
//!   before `play`.
//! - back-to-back: `play(on(a))`, stamp, `play(on(b))` at once, wait until a frame with
//!   LED `b` lit; the latency is from the stamp before the second `play`. A pair whose
//!   second animation does not show within 200 ms counts as **lost**; after 3 lost in a
//!   row the player is abandoned (it may hang) and the rest are not tried.
//!
//! A 1 ms pause separates swaps, so each one finds the player asleep, as a user's
//! command would.
//!
//! Results are printed and written to `$CARGO_TARGET_DIR/blinken-bench/jitter.json`
//! (`target/blinken-bench/jitter.json` in the package when `CARGO_TARGET_DIR` is unset).
//! Nothing is asserted: timings depend on the machine.

mod common;

use std::convert::Infallible;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use blinken::Player;
use blinken::output::Frame;
use blinken::prelude::*;

use common::{json_str, machine, percentile};

const TALK_INTERVALS_MS: [u64; 5] = [500, 400, 300, 200, 100];

/// Plays one round of the schedule its own way and reports the lateness of every
/// deadline and what the playing cost.
struct Contestant {
    name: &'static str,
    run: fn(&Schedule) -> Lateness,
}

const CONTESTANTS: [Contestant; 6] = [
    Contestant { name: "blinken", run: run_blinken_adaptive },
    Contestant { name: "blinken_nospin", run: run_blinken_no_spin },
    Contestant { name: "blinken_spin100", run: run_blinken_spin_100 },
    Contestant { name: "thread_sleep", run: run_thread_sleep },
    Contestant { name: "tokio", run: run_tokio },
    Contestant { name: "os_floor", run: run_os_floor },
];

fn main() {
    let args = Args::parse();
    let schedule = Schedule::new(&args);
    let machine = machine();
    println!("machine: {machine}");
    println!(
        "scenario: intervals {:?} µs on {} LEDs; {} rounds of {} ms per contestant in \
         rotating order, {} deadlines per round",
        schedule.intervals.iter().map(|&n| n / 1000).collect::<Vec<_>>(),
        schedule.intervals.len(),
        args.rounds,
        args.round_ms,
        schedule.deadline_count(),
    );
    println!(
        "timer slack of the bench's threads before any contestant: {} ns",
        sys::timer_slack().map_or_else(|| "?".to_owned(), |s| s.to_string())
    );

    // One uncounted warm-up round each, then the rounds in rotating order.
    for contestant in &CONTESTANTS {
        play_round(contestant, &schedule);
    }
    let mut pooled: Vec<Pooled> = CONTESTANTS.iter().map(|c| Pooled::new(c.name)).collect();
    for round in 0..args.rounds {
        for i in 0..CONTESTANTS.len() {
            let c = (round + i) % CONTESTANTS.len();
            let (lateness, steal) = play_round(&CONTESTANTS[c], &schedule);
            pooled[c].add(&lateness, steal);
        }
    }
    let results: Vec<Stats> = pooled.iter().map(Stats::new).collect();
    let learned = SystemClock::new().spin();

    let preempt = std::thread::spawn(move || preemption(args.swaps)).join().expect("preemption");
    let spin_gaps = std::thread::spawn(spin_gaps).join().expect("spin gaps");

    print_table(&results);
    println!(
        "learned spin window after the rounds (SystemClock::new().spin()): {:.1} µs",
        us(learned.as_nanos() as f64)
    );
    print_preemption(&preempt);
    println!(
        "machine noise: a thread spinning on the clock for 1 s saw {} gaps over 100 µs, \
         the longest {:.1} µs",
        spin_gaps.0,
        us(spin_gaps.1 as f64),
    );

    let json = to_json(&machine, &args, &results, learned, &preempt, spin_gaps.1);
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

/// One round of one contestant on a fresh thread, and the steal time meanwhile.
fn play_round(contestant: &Contestant, schedule: &Schedule) -> (Lateness, u64) {
    let steal = steal_ms();
    // A fresh thread spawned from this one, whose timer slack is never touched, so a
    // lowered slack cannot leak into the next contestant (threads inherit their
    // creator's slack).
    let s = schedule.restarted();
    let run = contestant.run;
    let lateness = std::thread::spawn(move || run(&s)).join().expect(contestant.name);
    (lateness, steal_ms() - steal)
}

// ---------------------------------------------------------------------------------------
// Arguments and scenario

struct Args {
    scale: f64,
    rounds: usize,
    round_ms: u64,
    swaps: usize,
}

impl Args {
    /// `--scale X`, `--rounds N`, `--round-ms N`, `--swaps N` (also `--flag=value`);
    /// anything else (cargo passes `--bench`) is ignored.
    fn parse() -> Args {
        let mut args = Args { scale: 0.01, rounds: 20, round_ms: 150, swaps: 1000 };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
                None => (arg, None),
            };
            if !matches!(flag.as_str(), "--scale" | "--rounds" | "--round-ms" | "--swaps") {
                continue;
            }
            let Some(value) = inline.or_else(|| it.next()) else { break };
            let number: f64 =
                value.parse().unwrap_or_else(|_| panic!("{flag} wants a number, got {value:?}"));
            match flag.as_str() {
                "--scale" => args.scale = number,
                "--rounds" => args.rounds = number as usize,
                "--round-ms" => args.round_ms = number as u64,
                _ => args.swaps = number as usize,
            }
        }
        assert!(args.scale > 0.0, "--scale must be > 0, got {}", args.scale);
        assert!(
            args.rounds > 0 && args.round_ms > 0,
            "--rounds and --round-ms must be > 0, got {} and {}",
            args.rounds,
            args.round_ms
        );
        args
    }
}

/// The deadlines every contestant must serve: LED `i` at `start + k·intervals[i]` for
/// every `k` with the deadline within `duration` of `start`.
#[derive(Clone)]
struct Schedule {
    /// Toggle interval of each LED, ns.
    intervals: Vec<u64>,
    /// Length of a round, ns.
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
        Schedule { intervals, duration: args.round_ms * 1_000_000, start: 0 }
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

/// Lateness in ns of every deadline of a round, with the deadline it belongs to, and
/// the round's CPU cost.
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
    /// Whole-process on-CPU time while playing, ns (`None` without `/proc`).
    cpu_ns: Option<u64>,
    /// Wall time while playing, ns.
    wall_ns: u64,
}

impl Lateness {
    fn new(slack: Option<u64>, cost: Cost) -> Lateness {
        Lateness {
            samples: Vec::new(),
            missed: 0,
            collapsed: 0,
            slack,
            cpu_ns: cost.cpu_ns,
            wall_ns: cost.wall_ns,
        }
    }
}

/// What playing cost: on-CPU time of the whole process and wall time.
#[derive(Clone, Copy)]
struct Cost {
    cpu_ns: Option<u64>,
    wall_ns: u64,
}

/// A running measurement of [`Cost`], started when a contestant starts playing.
struct Meter {
    cpu: Option<u64>,
    wall: u64,
}

impl Meter {
    fn start() -> Meter {
        Meter { cpu: process_cpu_ns(), wall: mono_ns() }
    }

    fn stop(self) -> Cost {
        let wall_ns = mono_ns() - self.wall;
        let cpu_ns = self.cpu.zip(process_cpu_ns()).map(|(before, after)| after - before);
        Cost { cpu_ns, wall_ns }
    }
}

/// On-CPU time of every thread of this process so far, ns.
fn process_cpu_ns() -> Option<u64> {
    sys::process_cpu_ns()
}

/// An empty `Vec` whose buffer has been touched, so that the first writes into it do
/// not take page faults while being timed.
fn prefaulted<T: Default + Clone>(capacity: usize) -> Vec<T> {
    let mut v = vec![T::default(); capacity];
    v.clear();
    v
}

/// Now on the real clock's timeline (`CLOCK_MONOTONIC` on Linux).
fn mono_ns() -> u64 {
    SystemClock::monotonic_now().as_nanos()
}

/// The operating system's own sleeping and timer slack, for the contestants that do not
/// use blinken's clock.
mod sys {
    /// Sleeps until `deadline_ns` on the real clock's timeline: an absolute
    /// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)`.
    #[cfg(all(target_os = "linux", not(blinken_portable)))]
    pub fn sleep_until(deadline_ns: u64) {
        use rustix::thread::{ClockId, Timespec};
        let ts = Timespec {
            tv_sec: (deadline_ns / 1_000_000_000) as i64,
            tv_nsec: (deadline_ns % 1_000_000_000) as i64,
        };
        // EINTR only makes us wake early, which the next loop iteration or stamp shows.
        let _ = rustix::thread::clock_nanosleep_absolute(ClockId::Monotonic, &ts);
    }

    /// Sleeps until `deadline_ns` on the real clock's timeline, which is not
    /// `CLOCK_MONOTONIC` here: relative `std::thread::sleep`s until it has passed.
    #[cfg(not(all(target_os = "linux", not(blinken_portable))))]
    pub fn sleep_until(deadline_ns: u64) {
        loop {
            let now = super::mono_ns();
            if now >= deadline_ns {
                return;
            }
            std::thread::sleep(std::time::Duration::from_nanos(deadline_ns - now));
        }
    }

    /// The calling thread's timer slack, ns.
    #[cfg(target_os = "linux")]
    pub fn timer_slack() -> Option<u64> {
        rustix::thread::current_timer_slack().ok()
    }

    /// Lowers the calling thread's timer slack to 1 ns.
    #[cfg(target_os = "linux")]
    pub fn lower_timer_slack() {
        let _ = rustix::thread::set_current_timer_slack(core::num::NonZeroU64::new(1));
    }

    /// On-CPU time of every thread of the process so far, ns:
    /// `CLOCK_PROCESS_CPUTIME_ID`, the kernel's sum of the per-thread counter that
    /// `/proc/self/task/*/schedstat` shows first, plus that of threads that have ended
    /// (`thread_sleep`'s end before its round is measured).
    #[cfg(target_os = "linux")]
    pub fn process_cpu_ns() -> Option<u64> {
        let ts = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        Some(ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
    }

    #[cfg(not(target_os = "linux"))]
    pub fn process_cpu_ns() -> Option<u64> {
        None
    }

    #[cfg(not(target_os = "linux"))]
    pub fn timer_slack() -> Option<u64> {
        None
    }

    #[cfg(not(target_os = "linux"))]
    pub fn lower_timer_slack() {}
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

fn run_blinken_adaptive(schedule: &Schedule) -> Lateness {
    run_blinken(schedule, SystemClock::new())
}

fn run_blinken_no_spin(schedule: &Schedule) -> Lateness {
    run_blinken(schedule, SystemClock::new().with_spin(Duration::ZERO))
}

fn run_blinken_spin_100(schedule: &Schedule) -> Lateness {
    run_blinken(schedule, SystemClock::new().with_spin(Duration::from_micros(100)))
}

fn run_blinken(schedule: &Schedule, clock: SystemClock) -> Lateness {
    let leds = schedule.intervals.len();
    let mut out = Stamping { len: leds, writes: prefaulted(schedule.instants().len() + 64) };
    let iv = schedule.as_durations();
    let program =
        all((blink(0, iv[0]), blink(1, iv[1]), blink(2, iv[2]), blink(3, iv[3]), blink(4, iv[4])));
    let mut driver = Driver::new(&mut out, clock);
    // Start at the same distance from thread start as the others.
    sys::sleep_until(schedule.start);
    let meter = Meter::start();
    // Half the shortest interval more than the round serves its last instant (a limit
    // of exactly `duration` ends the run at that instant, maybe before its write)
    // without reaching the next one; later frames are ignored anyway.
    let margin = schedule.intervals.iter().min().map_or(0, |&iv| iv / 2);
    let limit = Duration::from_nanos(schedule.duration + margin);
    driver.run_for(&program, limit).expect("plays");
    let cost = meter.stop();
    drop(driver);

    // The driver's logical start is the instant of its first frame.
    let start = out.writes[0].0;
    let schedule = Schedule { start, ..schedule.clone() };
    let mut lateness = Lateness::new(sys::timer_slack(), cost);
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
                sys::sleep_until(s.start);
                for _ in 0..s.toggles(led) {
                    state.fetch_xor(true, Ordering::Relaxed);
                    stamps.push(mono_ns());
                    std::thread::sleep(interval);
                }
                (stamps, sys::timer_slack())
            })
        })
        .collect();
    sys::sleep_until(schedule.start);
    let meter = Meter::start();
    let stamps: Vec<_> = threads.into_iter().map(|t| t.join().expect("an LED thread")).collect();
    per_led(schedule, stamps.into_iter(), meter.stop())
}

fn run_tokio(schedule: &Schedule) -> Lateness {
    let rt =
        tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
    // Map the real clock's ns to std::time::Instant (both CLOCK_MONOTONIC on Linux).
    let before = mono_ns();
    let base = std::time::Instant::now();
    let base_ns = (before + mono_ns()) / 2;
    let to_tokio =
        move |ns: u64| tokio::time::Instant::from_std(base + Duration::from_nanos(ns - base_ns));
    // Enter the runtime just before the first deadline, as the others start.
    sys::sleep_until(schedule.start.saturating_sub(200_000));
    let meter = Meter::start();
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
    let cost = meter.stop();
    let slack = sys::timer_slack();
    per_led(schedule, per_led_stamps.into_iter().map(|stamps| (stamps, slack)), cost)
}

fn run_os_floor(schedule: &Schedule) -> Lateness {
    sys::lower_timer_slack();
    let instants = schedule.instants();
    let mut stamps = prefaulted(instants.len());
    sys::sleep_until(schedule.start);
    let meter = Meter::start();
    for &deadline in &instants {
        sys::sleep_until(deadline);
        stamps.push(mono_ns());
    }
    let mut lateness = Lateness::new(sys::timer_slack(), meter.stop());
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
fn per_led(
    schedule: &Schedule,
    leds: impl Iterator<Item = (Vec<u64>, Option<u64>)>,
    cost: Cost,
) -> Lateness {
    let mut lateness = Lateness::new(None, cost);
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

/// Latencies of the preemption benchmark, ns, ascending.
struct Preemption {
    /// `play()` to the first write of the new animation.
    single: Vec<i64>,
    /// `play(a); play(b)`: the second `play()` to the first write of `b`.
    back_to_back: Vec<i64>,
    /// Pairs tried, and those whose `b` never showed within [`LOST_AFTER`].
    pairs_tried: usize,
    pairs_lost: usize,
    /// Whether the pairs stopped after 3 lost in a row.
    stopped_early: bool,
}

/// How long a back-to-back pair may take before it counts as lost.
const LOST_AFTER: Duration = Duration::from_millis(200);

fn preemption(swaps: usize) -> Preemption {
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
    let mut result = Preemption {
        single: Vec::new(),
        back_to_back: Vec::new(),
        pairs_tried: 0,
        pairs_lost: 0,
        stopped_early: false,
    };

    for swap in 0..warm_up + swaps {
        let led = swap % LEDS;
        let before = mono_ns();
        handle.play(on(led)).expect("the player plays");
        let stamp = shown(&shared, led, Duration::from_secs(1))
            .unwrap_or_else(|| panic!("the player did not show swap {swap} within 1 s"));
        if swap >= warm_up {
            result.single.push(stamp as i64 - before as i64);
        }
        std::thread::sleep(Duration::from_millis(1));
    }

    let mut lost_in_a_row = 0;
    for pair in 0..warm_up + swaps {
        // `b` is never the LED the previous pair left lit.
        let (a, b) = ((2 * pair) % LEDS, (2 * pair + 1) % LEDS);
        handle.play(on(a)).expect("the player plays");
        let before = mono_ns();
        handle.play(on(b)).expect("the player plays");
        let Some(stamp) = shown(&shared, b, LOST_AFTER) else {
            result.pairs_tried += 1;
            result.pairs_lost += 1;
            lost_in_a_row += 1;
            if lost_in_a_row == 3 {
                result.stopped_early = true;
                break;
            }
            continue;
        };
        lost_in_a_row = 0;
        if pair >= warm_up {
            result.pairs_tried += 1;
            result.back_to_back.push(stamp as i64 - before as i64);
        }
        std::thread::sleep(Duration::from_millis(1));
    }

    if result.pairs_lost == 0 {
        player.shutdown().expect("the player shuts down");
    } else {
        // A player that lost a command may be stuck: shut it down on a thread nobody
        // waits for, so that the benchmark still ends.
        std::thread::spawn(move || drop(player.shutdown()));
    }
    result.single.sort_unstable();
    result.back_to_back.sort_unstable();
    result
}

/// Waits (parked) until the output has written a frame whose lowest lit LED is `led`,
/// for at most `within`; the stamp of that write.
fn shown(shared: &Watched, led: usize, within: Duration) -> Option<u64> {
    let give_up = mono_ns() + u64::try_from(within.as_nanos()).unwrap_or(u64::MAX);
    // Block rather than spin: on two CPUs a spinning waiter would compete with the
    // player thread. The stamp is taken in the write, so how late this thread wakes
    // does not count.
    while shared.lit.load(Ordering::Acquire) != led + 1 {
        let now = mono_ns();
        if now >= give_up {
            return None;
        }
        std::thread::park_timeout(Duration::from_nanos((give_up - now).min(100_000_000)));
    }
    Some(shared.stamp.load(Ordering::Relaxed))
}

fn print_preemption(p: &Preemption) {
    let line = |what: &str, latencies: &[i64]| {
        if latencies.is_empty() {
            println!("{what}: no samples");
        } else {
            println!(
                "{what} over {} swaps: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
                latencies.len(),
                us(percentile(latencies, 0.50) as f64),
                us(percentile(latencies, 0.99) as f64),
                us(percentile(latencies, 1.0) as f64),
            );
        }
    };
    println!();
    line("preemption (play() to the first write of the new animation)", &p.single);
    line("back-to-back (play(a); play(b): the second play() to b's first write)", &p.back_to_back);
    if p.pairs_lost > 0 {
        println!(
            "  back-to-back: {} of {} pairs LOST (b not shown within {} ms){}",
            p.pairs_lost,
            p.pairs_tried,
            LOST_AFTER.as_millis(),
            if p.stopped_early { "; stopped after 3 lost in a row" } else { "" }
        );
    }
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

/// One contestant's rounds, pooled.
struct Pooled {
    name: &'static str,
    /// Lateness of every deadline of every round, ns.
    lateness: Vec<i64>,
    /// Each round's drift, ns.
    drifts: Vec<i64>,
    missed: u64,
    collapsed: u64,
    slack: Option<u64>,
    cpu_ns: Option<u64>,
    wall_ns: u64,
    steal_ms: u64,
}

impl Pooled {
    fn new(name: &'static str) -> Pooled {
        Pooled {
            name,
            lateness: Vec::new(),
            drifts: Vec::new(),
            missed: 0,
            collapsed: 0,
            slack: None,
            cpu_ns: Some(0),
            wall_ns: 0,
            steal_ms: 0,
        }
    }

    fn add(&mut self, round: &Lateness, steal_ms: u64) {
        let mut by_time = round.samples.clone();
        by_time.sort_unstable();
        let tenth = (by_time.len() / 10).max(1);
        let median_of = |part: &[(u64, i64)]| {
            let mut v: Vec<i64> = part.iter().map(|&(_, l)| l).collect();
            v.sort_unstable();
            percentile(&v, 0.5)
        };
        let n = by_time.len();
        self.drifts.push(median_of(&by_time[n - tenth..]) - median_of(&by_time[..tenth]));
        self.lateness.extend(by_time.iter().map(|&(_, l)| l));
        self.missed += round.missed;
        self.collapsed += round.collapsed;
        self.slack = round.slack;
        self.cpu_ns = self.cpu_ns.zip(round.cpu_ns).map(|(a, b)| a + b);
        self.wall_ns += round.wall_ns;
        self.steal_ms += steal_ms;
    }
}

struct Stats {
    name: &'static str,
    events: usize,
    rounds: usize,
    p50: f64,
    p99: f64,
    p999: f64,
    max: f64,
    /// Median over the rounds of each round's drift, µs.
    drift: f64,
    missed: u64,
    collapsed: u64,
    slack: Option<u64>,
    /// On-CPU time of the whole process over wall time while playing, % of one core.
    cpu_percent: Option<f64>,
    /// CPU time stolen by the hypervisor from all CPUs during the contestant's rounds.
    steal_ms: u64,
}

impl Stats {
    fn new(pooled: &Pooled) -> Stats {
        let mut sorted = pooled.lateness.clone();
        sorted.sort_unstable();
        let mut drifts = pooled.drifts.clone();
        drifts.sort_unstable();
        let pct = |p: f64| us(percentile(&sorted, p) as f64);
        Stats {
            name: pooled.name,
            events: sorted.len(),
            rounds: drifts.len(),
            p50: pct(0.50),
            p99: pct(0.99),
            p999: pct(0.999),
            max: pct(1.0),
            drift: us(percentile(&drifts, 0.5) as f64),
            missed: pooled.missed,
            collapsed: pooled.collapsed,
            slack: pooled.slack,
            cpu_percent: pooled.cpu_ns.map(|cpu| 100.0 * cpu as f64 / pooled.wall_ns.max(1) as f64),
            steal_ms: pooled.steal_ms,
        }
    }
}

/// Nearest-rank percentile of sorted samples (`p` in 0..=1).
fn us(ns: f64) -> f64 {
    ns / 1000.0
}

fn print_table(results: &[Stats]) {
    println!(
        "\n{:<16} {:>7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>9} {:>9} {:>9}",
        "lateness µs",
        "events",
        "p50",
        "p99",
        "p99.9",
        "max",
        "drift",
        "CPU %",
        "slack ns",
        "steal ms"
    );
    for s in results {
        println!(
            "{:<16} {:>7} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.1} {:>9} {:>9} {:>9}",
            s.name,
            s.events,
            s.p50,
            s.p99,
            s.p999,
            s.max,
            s.drift,
            s.cpu_percent.map_or("?".into(), |c| format!("{c:.2}")),
            s.slack.map_or("?".into(), |v| v.to_string()),
            s.steal_ms,
        );
        if s.missed > 0 || s.collapsed > 0 {
            println!("  ({} deadlines missed, {} collapsed)", s.missed, s.collapsed);
        }
    }
    println!(
        "events = deadlines over all {} rounds; drift = per round, median lateness of the \
         last 10 % of deadlines - that of the first 10 %, median over the rounds;\n\
         CPU % = on-CPU time of the whole process (CLOCK_PROCESS_CPUTIME_ID, the sum of \
         /proc/self/task/*/schedstat) over wall time while playing, in % of one core;\n\
         collapsed = toggles overtaken by the same LED's next toggle in one catch-up write \
         (a stall longer than the interval);\n\
         steal = CPU time the hypervisor took from this VM during the contestant's rounds \
         (/proc/stat)",
        results.first().map_or(0, |s| s.rounds),
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

fn to_json(
    machine: &str,
    args: &Args,
    results: &[Stats],
    learned: Duration,
    preempt: &Preemption,
    spin_gap_max: u64,
) -> String {
    let number = |x: Option<f64>| x.map_or("null".to_owned(), |x| format!("{x:.3}"));
    let mut out = String::new();
    let _ = writeln!(out, "{{\n  \"machine\": {},", json_str(machine));
    let _ = writeln!(
        out,
        "  \"scale\": {},\n  \"rounds\": {},\n  \"round_ms\": {},",
        args.scale, args.rounds, args.round_ms
    );
    out.push_str("  \"contestants\": [\n");
    for (i, s) in results.iter().enumerate() {
        let _ = write!(
            out,
            "    {{\"name\": {}, \"p50_us\": {:.3}, \"p99_us\": {:.3}, \"p999_us\": {:.3}, \
             \"max_us\": {:.3}, \"drift_us\": {:.3}, \"events\": {}, \"missed\": {}, \
             \"collapsed\": {}, \"cpu_percent\": {}, \"steal_ms\": {}}}",
            json_str(s.name),
            s.p50,
            s.p99,
            s.p999,
            s.max,
            s.drift,
            s.events,
            s.missed,
            s.collapsed,
            number(s.cpu_percent),
            s.steal_ms,
        );
        out.push_str(if i + 1 < results.len() { ",\n" } else { "\n" });
    }
    out.push_str("  ],\n");
    let _ = writeln!(out, "  \"learned_spin_us\": {:.3},", us(learned.as_nanos() as f64));
    let _ = writeln!(out, "  \"spin_gap_max_us\": {:.3},", us(spin_gap_max as f64));
    let pct = |v: &[i64], p: f64| number((!v.is_empty()).then(|| us(percentile(v, p) as f64)));
    let _ = writeln!(out, "  \"preempt_swaps\": {},", preempt.single.len());
    let _ = writeln!(out, "  \"preempt_p50_us\": {},", pct(&preempt.single, 0.5));
    let _ = writeln!(out, "  \"preempt_p99_us\": {},", pct(&preempt.single, 0.99));
    let _ = writeln!(out, "  \"back_to_back_pairs\": {},", preempt.pairs_tried);
    let _ = writeln!(out, "  \"back_to_back_lost\": {},", preempt.pairs_lost);
    let _ = writeln!(out, "  \"back_to_back_p50_us\": {},", pct(&preempt.back_to_back, 0.5));
    let _ = writeln!(out, "  \"back_to_back_p99_us\": {}", pct(&preempt.back_to_back, 0.99));
    out.push_str("}\n");
    out
}
