//! Kernel-level tests of [`GpioInput`] against a `gpio-sim` chip: the simulator's
//! sysfs `pull` attribute drives an input line up and down.
//!
//! As in `tests/gpio_sim.rs`, the tests that need a chip are `#[ignore]`d, so a plain
//! `cargo test` reports them as ignored; run them with `-- --include-ignored` where
//! `GPIOSIM_DEV` (`/dev/gpiochipN`) and `GPIOSIM_SYSFS` (its sysfs directory, with
//! `sim_gpioK/pull` and `sim_gpioK/value`) name a gpio-sim chip. Asked to run, a test
//! without them fails, naming what is missing. In the gpio-sim VM, as CI does:
//!
//! ```sh
//! ../shared/tools/gpio-sim-vm/cargo-test --release --features gpiocdev --test gpio_input -- --include-ignored
//! ```
//!
//! The tests hold one lock and each uses its own lines.
#![cfg(feature = "gpiocdev")]

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration as StdDuration;

use blinken::input::{
    Bias, Edge, EdgeKind, Edges, GpioInput, GpioInputError, LineSettings, Subscription,
};
use blinken::output::{Frame, GpioLines, GpioLinesError};
use blinken::prelude::*;
use gpiocdev::Chip;

static CHIP: Mutex<()> = Mutex::new(());

struct Sim {
    dev: PathBuf,
    sysfs: PathBuf,
    lines: u32,
    _lock: MutexGuard<'static, ()>,
}

/// The shared chip named by `GPIOSIM_DEV` and `GPIOSIM_SYSFS`.
///
/// # Panics
///
/// When they are not set: the test was asked to run where there is no gpio-sim chip,
/// and must fail rather than pass without running.
#[track_caller]
fn sim() -> Sim {
    let var = |name: &str| {
        std::env::var_os(name).filter(|v| !v.is_empty()).unwrap_or_else(|| {
            panic!(
                "{name} is not set, so this test cannot run: it needs a gpio-sim chip. \
                 Set GPIOSIM_DEV (/dev/gpiochipN) and GPIOSIM_SYSFS (its sysfs directory), or \
                 run it in the gpio-sim VM; see README.md, \"Kernel-level GPIO tests\""
            )
        })
    };
    let (dev, sysfs) = (PathBuf::from(var("GPIOSIM_DEV")), PathBuf::from(var("GPIOSIM_SYSFS")));
    let lock = CHIP.lock().unwrap_or_else(PoisonError::into_inner);
    let lines = Chip::from_path(&dev)
        .and_then(|chip| chip.info())
        .unwrap_or_else(|e| panic!("cannot open the gpio-sim chip {}: {e}", dev.display()))
        .num_lines;
    Sim { dev, sysfs, lines, _lock: lock }
}

impl Sim {
    /// Drives input `offset` high (`pull-up`) or low (`pull-down`) through sysfs.
    fn pull(&self, offset: u32, high: bool) {
        let path = self.sysfs.join(format!("sim_gpio{offset}/pull"));
        let value = if high { "pull-up" } else { "pull-down" };
        std::fs::write(&path, value).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// What the consumer drives on output `offset`.
    fn level(&self, offset: u32) -> bool {
        let path = self.sysfs.join(format!("sim_gpio{offset}/value"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        text.trim() == "1"
    }

    fn info(&self, offset: u32) -> gpiocdev::line::Info {
        Chip::from_path(&self.dev).unwrap().line_info(offset).unwrap()
    }
}

/// The next `n` edges, failing after 5 s instead of hanging.
#[track_caller]
fn take(edges: &mut Subscription, n: usize) -> Vec<Edge> {
    let deadline = std::time::Instant::now() + StdDuration::from_secs(5);
    let mut got = Vec::new();
    while got.len() < n {
        match edges.try_next() {
            Some(edge) => got.push(edge),
            None if std::time::Instant::now() > deadline => {
                panic!("only {} of {n} edges came within 5 s: {got:?}", got.len())
            }
            None => std::thread::sleep(StdDuration::from_millis(1)),
        }
    }
    got
}

fn kinds(edges: &[Edge]) -> Vec<EdgeKind> {
    edges.iter().map(|e| e.kind).collect()
}

fn now() -> Instant {
    SystemClock::new().now()
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn pulls_give_edges_in_order_with_kernel_timestamps() {
    let sim = sim();
    sim.pull(20, false);
    let button = GpioInput::builder(&sim.dev, 20).consumer("blinken-test").request().unwrap();
    assert_eq!(sim.info(20).consumer, "blinken-test");
    assert!(!button.is_active().unwrap());
    let mut edges = button.edges();
    let before = now();
    for high in [true, false, true, false] {
        sim.pull(20, high);
        std::thread::sleep(StdDuration::from_millis(5));
    }
    let got = take(&mut edges, 4);
    let after = now();
    assert_eq!(
        kinds(&got),
        [EdgeKind::Press, EdgeKind::Release, EdgeKind::Press, EdgeKind::Release]
    );
    // Kernel timestamps on the SystemClock's timeline, strictly increasing.
    assert!(got[0].at >= before && got[3].at <= after, "{before} {got:?} {after}");
    assert!(got.windows(2).all(|w| w[0].at < w[1].at), "{got:?}");
    assert_eq!(button.input().edges(), got);
    assert!(button.take_error().is_none());
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn active_low_with_pull_up_presses_on_low() {
    let sim = sim();
    // The request's own bias pulls the simulated line up: idle, not pressed.
    let button =
        GpioInput::builder(&sim.dev, 21).bias(Bias::PullUp).active_low(true).request().unwrap();
    assert!(!button.is_active().unwrap());
    let mut edges = button.edges();
    sim.pull(21, false);
    assert_eq!(kinds(&take(&mut edges, 1)), [EdgeKind::Press]);
    assert!(button.is_active().unwrap());
    sim.pull(21, true);
    assert_eq!(kinds(&take(&mut edges, 1)), [EdgeKind::Release]);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn rising_edges_only() {
    let sim = sim();
    sim.pull(22, false);
    let button = GpioInput::builder(&sim.dev, 22).edges(Edges::Rising).request().unwrap();
    let mut edges = button.edges();
    for high in [true, false, true, false] {
        sim.pull(22, high);
        std::thread::sleep(StdDuration::from_millis(5));
    }
    assert_eq!(kinds(&take(&mut edges, 2)), [EdgeKind::Press, EdgeKind::Press]);
    std::thread::sleep(StdDuration::from_millis(50));
    assert_eq!(edges.try_next(), None, "no releases");
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn bounces_shorter_than_the_debounce_period_give_one_edge() {
    let sim = sim();
    sim.pull(23, false);
    let button = GpioInput::builder(&sim.dev, 23).debounce(ms(50)).request().unwrap();
    let mut edges = button.edges();
    // A bouncing press: five level changes within well under 50 ms, ending high.
    let start = now();
    for high in [true, false, true, false, true] {
        sim.pull(23, high);
    }
    let got = take(&mut edges, 1);
    assert_eq!(kinds(&got), [EdgeKind::Press]);
    // The kernel reports the edge once the level held for the period, give or take
    // one tick: its debounce timer counts jiffies (10 ms at HZ=100), so it may fire up
    // to a tick early.
    assert!(got[0].at >= start + ms(30), "{start} {got:?}");
    std::thread::sleep(StdDuration::from_millis(150));
    assert_eq!(edges.try_next(), None, "the bounces gave more than one edge");
    // A clean release is reported too.
    sim.pull(23, false);
    assert_eq!(kinds(&take(&mut edges, 1)), [EdgeKind::Release]);
}

/// Records, after every write, the output lines as gpio-sim sees them.
struct Probe<'a> {
    lines: GpioLines,
    sim: &'a Sim,
    frames: Vec<(Instant, String)>,
}

impl Output for Probe<'_> {
    type Pixel = bool;
    type Error = GpioLinesError;

    fn len(&self) -> usize {
        self.lines.len()
    }

    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), GpioLinesError> {
        self.lines.write(frame)?;
        let seen: String = self
            .lines
            .offsets()
            .iter()
            .map(|&o| if self.sim.level(o) { '#' } else { '.' })
            .collect();
        self.frames.push((frame.at, seen));
        Ok(())
    }
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn a_press_switches_the_animation() {
    let sim = sim();
    sim.pull(24, false);
    let button = GpioInput::builder(&sim.dev, 24).debounce(ms(1)).request().unwrap();
    let lines =
        GpioLines::builder(&sim.dev).lines([25, 26]).consumer("blinken-test").request().unwrap();
    let program = until(button.input(), blink(0, ms(20))).then(until(button.input(), on(1)));
    let pusher = {
        let sysfs = sim.sysfs.clone();
        std::thread::spawn(move || {
            let pull = |v: &str| std::fs::write(sysfs.join("sim_gpio24/pull"), v).unwrap();
            std::thread::sleep(StdDuration::from_millis(150));
            pull("pull-up");
            std::thread::sleep(StdDuration::from_millis(100));
            pull("pull-down");
            std::thread::sleep(StdDuration::from_millis(100));
            pull("pull-up");
        })
    };
    let mut driver =
        Driver::new(Probe { lines, sim: &sim, frames: Vec::new() }, SystemClock::new());
    let end = driver.run(&program).unwrap();
    pusher.join().unwrap();
    let presses: Vec<Instant> = button
        .input()
        .edges()
        .into_iter()
        .filter(|e| e.kind == EdgeKind::Press)
        .map(|e| e.at)
        .collect();
    assert_eq!(presses.len(), 2, "{:?}", button.input().edges());
    // The program ends at the second press's kernel timestamp.
    assert_eq!(end, presses[1]);
    let frames = &driver.output().frames;
    let (first, second) = (presses[0], presses[1]);
    // The switch: the one frame with LED 1 on, written once the driver heard of the
    // first press (a blink step due just after the press may come before it).
    let lit: Vec<usize> = (0..frames.len()).filter(|&i| frames[i].1 == ".#").collect();
    assert_eq!(lit.len(), 1, "{frames:?}");
    let switch = lit[0];
    assert!(frames[switch].0 >= first && frames[switch].0 < second, "{frames:?}");
    // Before it LED 0 blinks (both levels seen) and LED 1 stays dark.
    let blinking: Vec<&str> = frames[..switch].iter().map(|(_, s)| s.as_str()).collect();
    assert!(blinking.contains(&"#.") && blinking.contains(&".."), "{frames:?}");
    assert!(blinking.iter().all(|s| s.ends_with('.')), "{frames:?}");
    // After it, nothing until the second press ends the program.
    assert_eq!(frames.len(), switch + 2, "{frames:?}");
    // At the end everything is dark again, on the lines themselves.
    assert_eq!(frames.last().unwrap().1, "..", "{frames:?}");
    assert!(!sim.level(25) && !sim.level(26));
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn a_busy_line_names_its_consumer() {
    let sim = sim();
    let holder = GpioLines::builder(&sim.dev).line(27).consumer("other-app").request().unwrap();
    let err = GpioInput::builder(&sim.dev, 27).request().unwrap_err();
    match &err {
        GpioInputError::LineBusy { offset: 27, consumer, .. } => {
            assert_eq!(consumer.as_deref(), Some("other-app"));
        }
        other => panic!("expected LineBusy, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "line 27 on {} is busy: held by \"other-app\"; stop that program or pick another line \
             (`gpioinfo` shows who holds each line)",
            sim.dev.display()
        )
    );
    drop(holder);
    drop(GpioInput::builder(&sim.dev, 27).request().unwrap());
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn an_offset_out_of_range_names_the_chip() {
    let sim = sim();
    let err = GpioInput::builder(&sim.dev, sim.lines).request().unwrap_err();
    assert!(matches!(err, GpioInputError::OffsetOutOfRange { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "line offset {} is not on {} (it has {} lines)",
            sim.lines,
            sim.dev.display(),
            sim.lines
        )
    );
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn drop_stops_the_reader_and_releases_the_line() {
    let sim = sim();
    let button = GpioInput::builder(&sim.dev, 28).request().unwrap();
    assert!(sim.info(28).used);
    let edges = button.edges();
    let input = button.input().clone();
    let started = std::time::Instant::now();
    drop(button);
    assert!(started.elapsed() < StdDuration::from_secs(1), "drop took {:?}", started.elapsed());
    assert!(!sim.info(28).used, "the line is released");
    assert!(input.is_closed());
    // The iterator ends instead of blocking.
    assert_eq!(edges.count(), 0);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn two_lines_in_one_request_give_tagged_edges_in_order() {
    let sim = sim();
    sim.pull(50, false);
    sim.pull(51, false);
    let buttons = GpioInput::lines(&sim.dev, [50, 51]).consumer("blinken-two").request().unwrap();
    assert_eq!(buttons.offsets(), [50, 51]);
    assert_eq!(buttons.offset(), 50);
    assert_eq!(
        (sim.info(50).consumer, sim.info(51).consumer),
        ("blinken-two".into(), "blinken-two".into())
    );
    let (mut a, mut b) =
        (buttons.input_of(50).unwrap().subscribe(), buttons.input_of(51).unwrap().subscribe());
    assert!(buttons.input().same_as(buttons.input_of(50).unwrap()));
    // Interleaved: 50 up, 51 up, 50 down, 51 down.
    for (offset, high) in [(50, true), (51, true), (50, false), (51, false)] {
        sim.pull(offset, high);
        std::thread::sleep(StdDuration::from_millis(5));
        if high {
            assert!(buttons.is_line_active(offset).unwrap(), "line {offset}");
        }
    }
    let (a, b) = (take(&mut a, 2), take(&mut b, 2));
    assert_eq!(kinds(&a), [EdgeKind::Press, EdgeKind::Release]);
    assert_eq!(kinds(&b), [EdgeKind::Press, EdgeKind::Release]);
    // Each edge went to its own line's input, in the order of the pulls.
    assert!(a[0].at < b[0].at && b[0].at < a[1].at && a[1].at < b[1].at, "{a:?} {b:?}");
    assert!(!buttons.is_line_active(51).unwrap());
    let err = buttons.is_line_active(7).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "line 7 on {} is not one of this input's lines [50, 51]; add it to the builder",
            sim.dev.display()
        )
    );
    let inputs: Vec<u32> = buttons.inputs().map(|(offset, _)| offset).collect();
    assert_eq!(inputs, [50, 51]);
    let first = buttons.input_of(50).unwrap().clone();
    drop(buttons);
    assert!(first.is_closed());
    assert!(!sim.info(50).used && !sim.info(51).used);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn each_line_is_debounced_on_its_own() {
    let sim = sim();
    sim.pull(52, false);
    sim.pull(53, false);
    // Line 52 debounced 50 ms; line 53 not at all.
    let buttons = GpioInput::lines(&sim.dev, [53])
        .line_with(52, LineSettings::new().debounce(ms(50)))
        .request()
        .unwrap();
    assert_eq!(buttons.offsets(), [53, 52]);
    let mut slow = buttons.input_of(52).unwrap().subscribe();
    let mut fast = buttons.input_of(53).unwrap().subscribe();
    for high in [true, false, true, false, true] {
        sim.pull(52, high);
        sim.pull(53, high);
        std::thread::sleep(StdDuration::from_millis(2));
    }
    assert_eq!(
        kinds(&take(&mut fast, 5)),
        [EdgeKind::Press, EdgeKind::Release, EdgeKind::Press, EdgeKind::Release, EdgeKind::Press]
    );
    assert_eq!(kinds(&take(&mut slow, 1)), [EdgeKind::Press]);
    std::thread::sleep(StdDuration::from_millis(150));
    assert_eq!(slow.try_next(), None, "the debounced line gave more than one edge");
    assert_eq!(fast.try_next(), None);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn errors_name_the_offending_line_among_several() {
    let sim = sim();
    let holder = GpioLines::builder(&sim.dev).line(55).consumer("other-app").request().unwrap();
    let err = GpioInput::lines(&sim.dev, [54, 55]).request().unwrap_err();
    assert!(
        matches!(&err, GpioInputError::LineBusy { offset: 55, consumer: Some(c), .. } if c == "other-app"),
        "{err:?}"
    );
    // Nothing stays requested: line 54 is free again.
    assert!(!sim.info(54).used);
    drop(holder);
    // The first offset the chip lacks (the message is the one `GpioLines` gives).
    let err = GpioInput::lines(&sim.dev, [54, sim.lines + 3, sim.lines]).request().unwrap_err();
    assert!(
        matches!(err, GpioInputError::OffsetOutOfRange { offset, lines, .. }
            if offset == sim.lines + 3 && lines == sim.lines),
        "{err:?}"
    );
}
