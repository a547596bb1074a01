//! Kernel-level tests of [`GpioLines`] against a `gpio-sim` chip.
//!
//! They need `GPIOSIM_DEV` (the chip, `/dev/gpiochipN`) and `GPIOSIM_SYSFS` (its sysfs
//! directory with `sim_gpioK/value`) and skip, with a note, when those are unset. Run
//! them in the gpio-sim VM:
//!
//! ```sh
//! ../shared/tools/gpio-sim-vm/cargo-test --release --features gpiocdev --test gpio_sim -- --nocapture
//! # more than 64 lines (two requests per frame):
//! GPIO_SIM_VM_LINES=128 ../shared/tools/gpio-sim-vm/cargo-test --release --features gpiocdev --test gpio_sim
//! ```
//!
//! or natively after `modprobe gpio-sim` and creating a chip through configfs. Every
//! test holds one lock (the tests share one chip) and uses its own lines; the error
//! tests at the end that need no chip run everywhere.
#![cfg(feature = "gpiocdev")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use blinken::output::{Frame, GpioLines, GpioLinesError};
use blinken::prelude::*;
use blinken::{Driver, RunError};
use gpiocdev::Chip;
use gpiocdev::line::Value;

static CHIP: Mutex<()> = Mutex::new(());

/// The simulated chip; holds the lock for the test's duration.
struct Sim {
    dev: PathBuf,
    sysfs: PathBuf,
    lines: u32,
    _lock: MutexGuard<'static, ()>,
}

/// The chip, or `None` (and a note) when the test runs without gpio-sim.
fn sim(test: &str) -> Option<Sim> {
    let (Some(dev), Some(sysfs)) =
        (std::env::var_os("GPIOSIM_DEV"), std::env::var_os("GPIOSIM_SYSFS"))
    else {
        eprintln!(
            "note: {test}: skipped, GPIOSIM_DEV/GPIOSIM_SYSFS are not set; run it with \
             ../shared/tools/gpio-sim-vm/cargo-test (see tests/gpio_sim.rs)"
        );
        return None;
    };
    let lock = CHIP.lock().unwrap_or_else(PoisonError::into_inner);
    let dev = PathBuf::from(dev);
    let lines =
        Chip::from_path(&dev).expect("open GPIOSIM_DEV").info().expect("chip info").num_lines;
    Some(Sim { dev, sysfs: sysfs.into(), lines, _lock: lock })
}

impl Sim {
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
fn program_reaches_the_lines_frame_by_frame() {
    let Some(sim) = sim("program_reaches_the_lines_frame_by_frame") else { return };
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
fn one_ioctl_per_frame_for_many_lines() {
    let Some(sim) = sim("one_ioctl_per_frame_for_many_lines") else { return };
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
fn run_for_windows_and_clear() {
    let Some(sim) = sim("run_for_windows_and_clear") else { return };
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
fn frames_are_split_over_requests() {
    let Some(sim) = sim("frames_are_split_over_requests") else { return };
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
fn more_than_64_lines_take_two_requests() {
    let Some(sim) = sim("more_than_64_lines_take_two_requests") else { return };
    if sim.lines <= 64 {
        eprintln!(
            "note: more_than_64_lines_take_two_requests: skipped, the chip has {} lines; \
             run with GPIO_SIM_VM_LINES=128 (the splitting is also covered by \
             frames_are_split_over_requests)",
            sim.lines
        );
        return;
    }
    let n = sim.lines.min(100);
    let lines = sim.lines(0..n);
    assert_eq!(lines.requests(), 2);
    let len = n as usize;
    let program = sequence((
        blink(0..len, ms(10)).times(1),
        blink(70, ms(10)).times(1),
        blink([3, 64], ms(10)).times(1),
    ));
    let mut driver = Driver::new(Probe::new(&sim, lines), VirtualClock::new());
    driver.run(&program).unwrap();
    let probe = driver.output();
    assert_eq!(probe.timeline, recorded(len, &program));
    assert_eq!(probe.ioctls, [2, 2, 1, 1, 2, 2]);
    let mut lines = driver.into_output().lines;
    lines.all_off().unwrap();
    drop(lines);
    assert!(!sim.info(70).used, "released");
}

#[test]
fn busy_line_names_its_consumer() {
    let Some(sim) = sim("busy_line_names_its_consumer") else { return };
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
fn offset_out_of_range_names_the_chip() {
    let Some(sim) = sim("offset_out_of_range_names_the_chip") else { return };
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
fn duplicate_offsets_are_refused() {
    let Some(sim) = sim("duplicate_offsets_are_refused") else { return };
    let err = GpioLines::new(&sim.dev, [41, 42, 41]).unwrap_err();
    assert!(matches!(err, GpioLinesError::DuplicateOffset { offset: 41, first: 0, second: 2, .. }));
    assert!(!sim.info(41).used);
}

#[test]
fn drop_switches_off_then_releases() {
    let Some(sim) = sim("drop_switches_off_then_releases") else { return };
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
    // alone do not show the switch-off that dropping does first; `all_off`, which drop
    // calls, is checked on held lines in `all_off_and_release_report_errors`.
    assert_eq!(sim.levels(&offsets), "....");
    assert!(offsets.iter().all(|&o| !sim.info(o).used), "released");
}

#[test]
fn all_off_and_release_report_errors() {
    let Some(sim) = sim("all_off_and_release_report_errors") else { return };
    let offsets = [48, 49];
    let mut driver = Driver::new(sim.lines(offsets), VirtualClock::new());
    driver.run_for(&on(0..2), ms(1)).unwrap();
    assert_eq!(sim.levels(&offsets), "##");
    let mut lines = driver.into_output();
    let writes = lines.writes();
    lines.all_off().unwrap();
    assert_eq!(lines.writes(), writes + 1, "one ioctl per request");
    assert_eq!(sim.levels(&offsets), "..");
    assert!(sim.info(48).used, "all_off keeps the lines");
    lines.release().unwrap();
    assert!(!sim.info(48).used && !sim.info(49).used);
}

#[test]
fn active_low_lines_idle_high() {
    let Some(sim) = sim("active_low_lines_idle_high") else { return };
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
fn chip_name_and_default_consumer() {
    let Some(sim) = sim("chip_name_and_default_consumer") else { return };
    let name = sim.dev.file_name().unwrap().to_str().unwrap().to_owned();
    let lines = GpioLines::new(&name, [52]).unwrap();
    assert_eq!(lines.chip(), Path::new("/dev").join(&name));
    let info = sim.info(52);
    assert!(info.used);
    assert_eq!(info.consumer, GpioLines::DEFAULT_CONSUMER);
    assert!(format!("{lines:?}").contains("requests: 1"), "{lines:?}");
}

/// A second gpio-sim device made through configfs, removed again on drop.
struct ExtraChip {
    dir: PathBuf,
    chip: PathBuf,
}

impl ExtraChip {
    /// A 2-line chip, or `None` when configfs cannot be written here.
    fn new(name: &str) -> Option<ExtraChip> {
        let root = PathBuf::from(std::env::var_os("GPIOSIM_CONFIGFS")?).parent()?.to_path_buf();
        let mut extra = ExtraChip { dir: root.join(name), chip: PathBuf::new() };
        drop(ExtraChip { dir: extra.dir.clone(), chip: PathBuf::new() }); // a stale one
        std::fs::create_dir(&extra.dir).ok()?;
        std::fs::create_dir(extra.dir.join("bank0")).ok()?;
        std::fs::write(extra.dir.join("bank0/num_lines"), "2").ok()?;
        extra.set_live(true).ok()?;
        let chip_name = std::fs::read_to_string(extra.dir.join("bank0/chip_name")).ok()?;
        extra.chip = Path::new("/dev").join(chip_name.trim());
        Some(extra)
    }

    fn set_live(&self, live: bool) -> std::io::Result<()> {
        std::fs::write(self.dir.join("live"), if live { "1" } else { "0" })
    }
}

impl Drop for ExtraChip {
    fn drop(&mut self) {
        let _ = self.set_live(false);
        let _ = std::fs::remove_dir(self.dir.join("bank0"));
        let _ = std::fs::remove_dir(&self.dir);
    }
}

#[test]
fn write_errors_reach_the_driver() {
    let Some(_sim) = sim("write_errors_reach_the_driver") else { return };
    let Some(extra) = ExtraChip::new("blinken-write-error") else {
        eprintln!(
            "note: write_errors_reach_the_driver: skipped, cannot create a gpio-sim chip in configfs"
        );
        return;
    };
    let mut driver = Driver::new(GpioLines::new(&extra.chip, [0, 1]).unwrap(), VirtualClock::new());
    driver.run_for(&on(0), ms(1)).unwrap();
    // The chip goes away under the request: the next frame cannot be written.
    extra.set_live(false).unwrap();
    let err = driver.run_for(&blink(0..2, ms(10)), ms(30)).unwrap_err();
    match &err {
        RunError::Output { at, source: GpioLinesError::Write { chip, offsets, .. } } => {
            assert_eq!(*at, Instant::ZERO + ms(1));
            assert_eq!(chip, &extra.chip);
            assert_eq!(offsets, &[0, 1]);
        }
        other => panic!("expected a write error, got {other:?}"),
    }
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(
        source.to_string(),
        format!("could not set lines [0, 1] on {}", extra.chip.display())
    );
    assert!(source.source().is_some(), "the kernel's error is kept: {source:?}");
    // Releasing reports that the lines could not be switched off.
    assert!(matches!(driver.into_output().release(), Err(GpioLinesError::Write { .. })));
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
