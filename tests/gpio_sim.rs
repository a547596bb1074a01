//! Kernel-level tests of [`GpioLines`] against a `gpio-sim` chip.
//!
//! The tests that need a chip are `#[ignore]`d, so a plain `cargo test` reports them as
//! ignored instead of passing without running; the few at the end that need no chip
//! run everywhere. Run them all with `-- --include-ignored` where there is a gpio-sim
//! chip: `GPIOSIM_DEV` names the chip (`/dev/gpiochipN`) and `GPIOSIM_SYSFS` its sysfs
//! directory (with `sim_gpioK/value`). Asked to run, a test without them fails, naming
//! what is missing. Two (`more_than_64_lines_take_two_requests`,
//! `write_errors_reach_the_driver`) make chips of their own through configfs (root).
//!
//! In the gpio-sim VM (as CI does), or natively: see the README, "Kernel-level GPIO
//! tests".
//!
//! ```sh
//! ../shared/tools/gpio-sim-vm/cargo-test --release --features gpiocdev --test gpio_sim -- --include-ignored
//! ```
//!
//! The tests on the shared chip hold one lock and each uses its own lines.
#![cfg(feature = "gpiocdev")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use blinken::output::{Frame, GpioLines, GpioLinesError, ReleaseError};
use blinken::prelude::*;
use blinken::{Driver, RunError};
use gpiocdev::Chip;
use gpiocdev::line::Value;

/// The shared chip is used by one test at a time.
static CHIP: Mutex<()> = Mutex::new(());

/// A simulated chip: the shared one (holding the lock for the test's duration) or one
/// of a test's own ([`OwnChip`]).
struct Sim {
    dev: PathBuf,
    sysfs: PathBuf,
    lines: u32,
    _lock: Option<MutexGuard<'static, ()>>,
}

/// The shared chip named by `GPIOSIM_DEV` and `GPIOSIM_SYSFS`.
///
/// # Panics
///
/// When they are not set: the test was asked to run (`--include-ignored`) where there
/// is no gpio-sim chip, and must fail rather than pass without running.
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
    Sim::open(dev, sysfs, Some(lock))
}

impl Sim {
    fn open(dev: PathBuf, sysfs: PathBuf, lock: Option<MutexGuard<'static, ()>>) -> Sim {
        let info = Chip::from_path(&dev)
            .and_then(|chip| chip.info())
            .unwrap_or_else(|e| panic!("cannot open the gpio-sim chip {}: {e}", dev.display()));
        Sim { dev, sysfs, lines: info.num_lines, _lock: lock }
    }

    /// What the consumer drives on `offset`, as gpio-sim reports it.
    fn level(&self, offset: u32) -> bool {
        let path = self.sysfs.join(format!("sim_gpio{offset}/value"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        match text.trim() {
            "1" => true,
            "0" => false,
            other => panic!("{}: unexpected value {other:?}", path.display()),
        }
    }

    /// The levels of `offsets` as `#` (high) and `.` (low).
    fn levels(&self, offsets: &[u32]) -> String {
        offsets.iter().map(|&o| if self.level(o) { '#' } else { '.' }).collect()
    }

    fn info(&self, offset: u32) -> gpiocdev::line::Info {
        Chip::from_path(&self.dev).unwrap().line_info(offset).unwrap()
    }

    fn lines(&self, offsets: impl IntoIterator<Item = u32>) -> GpioLines {
        GpioLines::builder(&self.dev).lines(offsets).consumer("blinken-test").request().unwrap()
    }
}

/// Wraps `GpioLines`: after every write it reads every line back through sysfs and
/// records the timeline the kernel saw, and how many ioctls the write took.
struct Probe<'a> {
    lines: GpioLines,
    sim: &'a Sim,
    /// `seconds levels` per write, levels read from sysfs.
    timeline: String,
    /// Ioctls issued by each write.
    ioctls: Vec<u64>,
}

impl<'a> Probe<'a> {
    fn new(sim: &'a Sim, lines: GpioLines) -> Probe<'a> {
        Probe { lines, sim, timeline: String::new(), ioctls: Vec::new() }
    }
}

impl Output for Probe<'_> {
    type Pixel = bool;
    type Error = GpioLinesError;

    fn len(&self) -> usize {
        self.lines.len()
    }

    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), GpioLinesError> {
        let before = self.lines.writes();
        self.lines.write(frame)?;
        self.ioctls.push(self.lines.writes() - before);
        let seen = self.sim.levels(self.lines.offsets());
        let wanted: String = frame.pixels.iter().map(|&p| if p { '#' } else { '.' }).collect();
        assert_eq!(seen, wanted, "the lines at {} differ from the frame", frame.at);
        writeln!(self.timeline, "{} {seen}", frame.at).unwrap();
        Ok(())
    }
}

/// Compares timelines line by line, ignoring indentation and blank lines.
#[track_caller]
fn assert_timeline(actual: &str, expected: &str) {
    let lines = |text: &str| -> Vec<String> {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
    };
    assert_eq!(lines(actual), lines(expected), "\nactual timeline:\n{actual}");
}

/// The timeline a program should have, from the in-memory recorder.
fn recorded<A: Animation<bool>>(len: usize, program: &A) -> String {
    let mut driver = Driver::new(Recorder::new(len), VirtualClock::new());
    driver.run(program).unwrap();
    driver.output().render()
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn program_reaches_the_lines_frame_by_frame() {
    let sim = sim();
    // Offsets out of order: LED i is on the i-th offset given, whatever its number.
    let lines = sim.lines([3, 0, 2, 1]);
    let program = sequence((
        blink(0, ms(100)).times(2).and(blink(3, ms(150)).times(1)),
        any((blink(1, ms(50)), on(2), wait(ms(120)))),
    ));
    let mut driver = Driver::new(Probe::new(&sim, lines), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(520));
    let probe = driver.output();
    assert_timeline(
        &probe.timeline,
        "
        0.000000 #..#
        0.100000 ...#
        0.150000 ....
        0.200000 #...
        0.300000 ....
        0.400000 .##.
        0.450000 ..#.
        0.500000 .##.
        0.520000 ....
        ",
    );
    assert_eq!(probe.timeline, recorded(4, &program));
    // One ioctl per frame.
    assert!(probe.ioctls.iter().all(|&n| n == 1), "ioctls per frame: {:?}", probe.ioctls);
    assert_eq!(probe.lines.writes(), probe.ioctls.len() as u64);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn one_ioctl_per_frame_for_many_lines() {
    let sim = sim();
    let lines = sim.lines(4..14);
    // Ten LEDs at five rates: many instants change several lines at once.
    let program = all((
        blink(0..2, ms(20)).times(6),
        blink(2..4, ms(30)).times(4),
        blink(4..6, ms(40)).times(3),
        cycle(6..9, ms(10)).timeout(ms(240)),
        walk([9, 8, 7], ms(50)),
    ));
    let mut driver = Driver::new(Probe::new(&sim, lines), VirtualClock::new());
    driver.run(&program).unwrap();
    let probe = driver.output();
    let expected = recorded(10, &program);
    assert_eq!(probe.timeline, expected);
    assert_eq!(probe.ioctls.len(), expected.lines().count());
    assert!(probe.ioctls.iter().all(|&n| n == 1), "ioctls per frame: {:?}", probe.ioctls);
    assert_eq!(probe.lines.requests(), 1);
    assert_eq!(probe.lines.writes(), probe.ioctls.len() as u64);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn run_for_windows_and_clear() {
    let sim = sim();
    let offsets = [30, 31, 32];
    let mut lines = sim.lines(offsets);
    assert_eq!(sim.levels(&offsets), "...", "requested off");
    let program = blink(0, ms(100)).and(blink(1, ms(150))).and(on(2)).forever();
    // Play the program from the start for longer and longer windows: a cut-off run
    // leaves its last served instant on the lines.
    for (window, expected) in [(0, "###"), (100, ".##"), (150, "..#"), (200, "#.#"), (300, ".##")] {
        let mut driver = Driver::new(&mut lines, VirtualClock::new());
        driver.run_for(&program, ms(window)).unwrap();
        assert_eq!(sim.levels(&offsets), expected, "after a {window} ms window");
    }
    let writes = lines.writes();
    let mut driver = Driver::new(&mut lines, VirtualClock::new());
    driver.clear().unwrap();
    assert_eq!(sim.levels(&offsets), "...");
    assert_eq!(lines.writes(), writes + 1, "clearing is one ioctl");
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn frames_are_split_over_requests() {
    let sim = sim();
    let offsets: Vec<u32> = (20..30).collect();
    let lines = GpioLines::builder(&sim.dev)
        .lines(offsets.iter().copied())
        .lines_per_request(4)
        .request()
        .unwrap();
    assert_eq!(lines.requests(), 3);
    let program = sequence((
        wait(ms(10)),
        // LEDs 0 and 9 are in the first and the last request: two ioctls.
        blink([0, 9], ms(10)).times(1),
        // LED 5 alone: one ioctl, for the middle request only.
        blink(5, ms(10)).times(1),
        // Everything: three ioctls.
        blink(0..10, ms(10)).times(1),
    ));
    let mut driver = Driver::new(Probe::new(&sim, lines), VirtualClock::new());
    driver.run(&program).unwrap();
    let probe = driver.output();
    assert_timeline(
        &probe.timeline,
        "
        0.000000 ..........
        0.010000 #........#
        0.020000 ..........
        0.030000 .....#....
        0.040000 ..........
        0.050000 ##########
        0.060000 ..........
        ",
    );
    // The first write sends the whole frame: every request.
    assert_eq!(probe.ioctls, [3, 2, 2, 1, 1, 3, 3]);
}

#[test]
#[ignore = "needs root and gpio-sim in configfs: it makes a chip of its own (see README, Kernel-level GPIO tests)"]
fn more_than_64_lines_take_two_requests() {
    let own = OwnChip::new("blinken-100-lines", 100);
    let sim = &own.sim;
    let n = sim.lines;
    let lines = sim.lines(0..n);
    assert_eq!(lines.requests(), 2);
    let len = n as usize;
    let program = sequence((
        blink(0..len, ms(10)).times(1),
        blink(70, ms(10)).times(1),
        blink([3, 64], ms(10)).times(1),
    ));
    let mut driver = Driver::new(Probe::new(sim, lines), VirtualClock::new());
    driver.run(&program).unwrap();
    let probe = driver.output();
    assert_eq!(probe.timeline, recorded(len, &program));
    assert_eq!(probe.ioctls, [2, 2, 1, 1, 2, 2]);
    let mut lines = driver.into_output().lines;
    Output::clear(&mut lines).unwrap();
    drop(lines);
    assert!(!sim.info(70).used, "released");
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn busy_line_names_its_consumer() {
    let sim = sim();
    let other = gpiocdev::Request::builder()
        .on_chip(&sim.dev)
        .with_consumer("other-app")
        .with_line(40)
        .as_output(Value::Inactive)
        .request()
        .unwrap();
    // One line per request, so line 38 is requested (and must be let go) before 40 fails.
    let err = GpioLines::builder(&sim.dev)
        .lines([38, 39, 40])
        .lines_per_request(1)
        .request()
        .unwrap_err();
    match &err {
        GpioLinesError::LineBusy { offset, consumer, .. } => {
            assert_eq!(*offset, 40);
            assert_eq!(consumer.as_deref(), Some("other-app"));
        }
        other => panic!("expected LineBusy, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "line 40 on {} is busy: held by \"other-app\"; stop that program or pick another line \
             (`gpioinfo` shows who holds each line)",
            sim.dev.display()
        )
    );
    assert!(std::error::Error::source(&err).is_some(), "the kernel's error is kept");
    assert!(!sim.info(38).used && !sim.info(39).used, "nothing stays requested after an error");
    drop(other);
    // Free again: the same request works.
    let lines = GpioLines::builder(&sim.dev).lines([38, 39, 40]).request().unwrap();
    assert_eq!(sim.info(40).consumer, "blinken");
    drop(lines);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn offset_out_of_range_names_the_chip() {
    let sim = sim();
    let err = GpioLines::new(&sim.dev, [1, sim.lines + 3]).unwrap_err();
    assert!(matches!(err, GpioLinesError::OffsetOutOfRange { offset, lines, .. }
        if offset == sim.lines + 3 && lines == sim.lines));
    assert_eq!(
        err.to_string(),
        format!(
            "line offset {} is not on {} (it has {} lines)",
            sim.lines + 3,
            sim.dev.display(),
            sim.lines
        )
    );
    assert!(!sim.info(1).used);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn duplicate_offsets_are_refused() {
    let sim = sim();
    let err = GpioLines::new(&sim.dev, [41, 42, 41]).unwrap_err();
    assert!(matches!(err, GpioLinesError::DuplicateOffset { offset: 41, first: 0, second: 2, .. }));
    assert!(!sim.info(41).used);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn drop_switches_off_then_releases() {
    let sim = sim();
    let offsets = [44, 45, 46, 47];
    let mut driver = Driver::new(sim.lines(offsets), VirtualClock::new());
    driver.run_for(&on(0..4), ms(5)).unwrap();
    // A cut-off run leaves its last served instant on the lines.
    assert_eq!(sim.levels(&offsets), "####");
    let info = sim.info(45);
    assert!(info.used);
    assert_eq!(info.consumer, "blinken-test");
    assert_eq!(driver.output().writes(), 1);
    drop(driver);
    // gpio-sim puts a released line back to its pull (down here), so the low levels
    // alone do not show the switch-off that dropping does first; `clear`, which drop
    // calls, is checked on held lines in `clear_and_release_report_errors`.
    assert_eq!(sim.levels(&offsets), "....");
    assert!(offsets.iter().all(|&o| !sim.info(o).used), "released");
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn clear_and_release_report_errors() {
    let sim = sim();
    let offsets = [48, 49];
    let mut driver = Driver::new(sim.lines(offsets), VirtualClock::new());
    driver.run_for(&on(0..2), ms(1)).unwrap();
    assert_eq!(sim.levels(&offsets), "##");
    let mut lines = driver.into_output();
    let writes = lines.writes();
    Output::clear(&mut lines).unwrap();
    assert_eq!(lines.writes(), writes + 1, "one ioctl per request");
    assert_eq!(sim.levels(&offsets), "..");
    assert!(sim.info(48).used, "clear keeps the lines");
    lines.release().unwrap();
    assert!(!sim.info(48).used && !sim.info(49).used);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn active_low_lines_idle_high() {
    let sim = sim();
    let offsets = [50, 51];
    let lines = GpioLines::builder(&sim.dev).lines(offsets).active_low(true).request().unwrap();
    assert_eq!(sim.levels(&offsets), "##", "off is high on active-low lines");
    let mut driver = Driver::new(lines, VirtualClock::new());
    driver.run_for(&on(0), ms(1)).unwrap();
    assert_eq!(sim.levels(&offsets), ".#");
    driver.clear().unwrap();
    assert_eq!(sim.levels(&offsets), "##");
    assert!(sim.info(50).active_low);
}

#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn chip_name_and_default_consumer() {
    let sim = sim();
    let name = sim.dev.file_name().unwrap().to_str().unwrap().to_owned();
    let lines = GpioLines::new(&name, [52]).unwrap();
    assert_eq!(lines.chip(), Path::new("/dev").join(&name));
    let info = sim.info(52);
    assert!(info.used);
    assert_eq!(info.consumer, GpioLines::DEFAULT_CONSUMER);
    assert!(format!("{lines:?}").contains("requests: 1"), "{lines:?}");
}

/// What a control server does for its clients, on real lines: a player thread plays a
/// program, swaps it for another, lays an overlay over it and stops, each reaching the
/// kernel in one write; shutdown switches off and hands the lines back.
#[test]
#[ignore = "needs a gpio-sim chip: set GPIOSIM_DEV and GPIOSIM_SYSFS (see README, Kernel-level GPIO tests)"]
fn a_player_plays_swaps_overlays_and_stops_on_the_lines() {
    use blinken::{ManualClock, Player};
    use std::time::Duration;
    let sim = sim();
    let offsets = [56, 57, 58, 59, 60];
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(sim.lines(offsets), clock).unwrap();
    let handle = player.handle();
    let step = |d: Duration| {
        control.advance(d);
        control.settle();
    };
    // A client's blink, as the server builds it from `{"blink": {"leds": 0, ...}}`.
    #[cfg(feature = "spec")]
    let first = blinken::spec::Spec::from_json(r#"{"blink": {"leds": 0, "interval": "100ms"}}"#)
        .unwrap()
        .build::<bool>(&blinken::spec::Layout::strip(offsets.len()))
        .unwrap();
    #[cfg(not(feature = "spec"))]
    let first = blink(0, ms(100)).boxed();
    handle.play_boxed(first).unwrap();
    control.settle();
    assert_eq!(sim.levels(&offsets), "#....");
    step(ms(100));
    assert_eq!(sim.levels(&offsets), ".....");
    step(ms(100));
    assert_eq!(sim.levels(&offsets), "#....");
    // The swap: the blink's LED off and the new LEDs on, in one write.
    handle.play(on(1..3)).unwrap();
    control.settle();
    assert_eq!(sim.levels(&offsets), ".##..");
    // An overlay over it: what it lights wins, and when it ends the base shows again.
    handle.overlay(blink(2..5, ms(50)).times(1)).unwrap();
    control.settle();
    assert_eq!(sim.levels(&offsets), ".####");
    step(ms(50));
    assert_eq!(sim.levels(&offsets), ".##..");
    step(ms(50));
    assert_eq!(sim.levels(&offsets), ".##..");
    assert!(handle.overlay_playing().is_none(), "the overlay ended");
    // A program refused on the caller's thread changes nothing.
    assert!(handle.play(on(5)).is_err());
    control.settle();
    assert_eq!(sim.levels(&offsets), ".##..");
    handle.stop().unwrap();
    control.settle();
    assert_eq!(sim.levels(&offsets), ".....");
    handle.play(on(4)).unwrap();
    control.settle();
    assert_eq!(sim.levels(&offsets), "....#");
    let lines = player.shutdown().unwrap();
    assert_eq!(sim.levels(&offsets), ".....", "shutdown switches off");
    drop(lines);
    assert!(offsets.iter().all(|&o| !sim.info(o).used), "released");
}

/// A gpio-sim chip of a test's own, made through configfs and removed again on drop.
struct OwnChip {
    dir: PathBuf,
    sim: Sim,
}

impl OwnChip {
    /// A chip of `lines` lines under `/sys/kernel/config/gpio-sim/<name>` (or beside
    /// `GPIOSIM_CONFIGFS`, which the VM sets).
    ///
    /// # Panics
    ///
    /// When configfs cannot be written (not root, no gpio-sim), naming the directory.
    #[track_caller]
    fn new(name: &str, lines: u32) -> OwnChip {
        let root = std::env::var_os("GPIOSIM_CONFIGFS")
            .and_then(|dir| Some(PathBuf::from(dir).parent()?.to_path_buf()))
            .unwrap_or_else(|| PathBuf::from("/sys/kernel/config/gpio-sim"));
        let dir = root.join(name);
        remove(&dir); // left over from an interrupted run
        let made = (|| -> std::io::Result<(PathBuf, PathBuf)> {
            std::fs::create_dir(&dir)?;
            std::fs::create_dir(dir.join("bank0"))?;
            std::fs::write(dir.join("bank0/num_lines"), lines.to_string())?;
            std::fs::write(dir.join("live"), "1")?;
            let read = |file: &str| std::fs::read_to_string(dir.join(file));
            let (chip, device) = (read("bank0/chip_name")?, read("dev_name")?);
            let (chip, device) = (chip.trim(), device.trim());
            let sysfs = Path::new("/sys/devices/platform").join(device).join(chip);
            Ok((Path::new("/dev").join(chip), sysfs))
        })();
        let (dev, sysfs) = made.unwrap_or_else(|e| {
            remove(&dir);
            panic!(
                "cannot make a gpio-sim chip at {}: {e}; this test needs root and gpio-sim \
                 (`modprobe gpio-sim`), see README.md, \"Kernel-level GPIO tests\"",
                dir.display()
            )
        });
        OwnChip { sim: Sim::open(dev, sysfs, None), dir }
    }

    fn set_live(&self, live: bool) -> std::io::Result<()> {
        std::fs::write(self.dir.join("live"), if live { "1" } else { "0" })
    }
}

/// Takes a configfs chip down and removes it, if it is there.
fn remove(dir: &Path) {
    let _ = std::fs::write(dir.join("live"), "0");
    let _ = std::fs::remove_dir(dir.join("bank0"));
    let _ = std::fs::remove_dir(dir);
}

impl Drop for OwnChip {
    fn drop(&mut self) {
        remove(&self.dir);
    }
}

#[test]
#[ignore = "needs root and gpio-sim in configfs: it makes a chip of its own (see README, Kernel-level GPIO tests)"]
fn write_errors_reach_the_driver() {
    let extra = OwnChip::new("blinken-write-error", 2);
    let chip = &extra.sim.dev;
    let mut driver = Driver::new(GpioLines::new(chip, [0, 1]).unwrap(), VirtualClock::new());
    driver.run_for(&on(0), ms(1)).unwrap();
    // The chip goes away under the request: the next frame cannot be written.
    extra.set_live(false).unwrap();
    let err = driver.run_for(&blink(0..2, ms(10)), ms(30)).unwrap_err();
    match &err {
        RunError::Output { at, source: GpioLinesError::Write { chip: failed, offsets, .. } } => {
            assert_eq!(*at, Instant::ZERO + ms(1));
            assert_eq!(failed, chip);
            assert_eq!(offsets, &[0, 1]);
        }
        other => panic!("expected a write error, got {other:?}"),
    }
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), format!("could not set lines [0, 1] on {}", chip.display()));
    assert!(source.source().is_some(), "the kernel's error is kept: {source:?}");
    // Releasing reports that the lines could not be switched off.
    assert!(matches!(
        driver.into_output().release(),
        Err(ReleaseError { source: GpioLinesError::Write { .. }, .. })
    ));
}

// ---- errors that need no gpio-sim chip: these run everywhere ----

#[test]
fn auto_traits() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<GpioLines>();
    send_sync::<GpioLinesError>();
}

#[test]
fn missing_chip_is_explained() {
    let err = GpioLines::new("/dev/gpiochip-blinken-missing", [0]).unwrap_err();
    assert!(matches!(err, GpioLinesError::ChipMissing { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "/dev/gpiochip-blinken-missing does not exist — is this a Raspberry Pi? is the device \
         mapped into the container? (`ls /dev/gpiochip*` lists the chips)"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn a_file_that_is_no_chip_is_explained() {
    let err = GpioLines::new("/dev/null", [0]).unwrap_err();
    assert!(matches!(err, GpioLinesError::NotAChip { .. }), "{err:?}");
    assert!(err.to_string().starts_with("/dev/null is not a GPIO chip"), "{err}");
}
