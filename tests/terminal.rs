//! `Terminal`: the exact bytes drawn in each colour mode, brightness, in-place redraws,
//! drawing below foreign output, the cursor, and write errors.

use std::cell::RefCell;
use std::ffi::OsString;
use std::io::{self, Write};
use std::rc::Rc;

use blinken::output::apa102::Dot;
use blinken::output::{ColorMode, Frame};
use blinken::prelude::*;
use blinken::{Matrix, RunError};

const HIDE: &str = "\x1b[?25l";
const SHOW: &str = "\x1b[?25h";
const RED: &str = "\x1b[38;2;255;48;40m●";
const GREY: &str = "\x1b[38;2;64;64;64m●";
const END: &str = "\x1b[0m\x1b[K\n";

/// The bytes a `Vec<u8>` terminal wrote, as text.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("the terminal writes UTF-8")
}

#[test]
fn first_frame_then_redraw_in_place() {
    let mut driver = Driver::new(Terminal::with_writer(Vec::new(), 1, 3), VirtualClock::new());
    driver.run(&blink(1, ms(1500)).times(1)).unwrap();
    let shown = text(driver.into_output().into_writer());
    let expected = [
        // First frame: hide the cursor, draw the row, then the status line.
        HIDE,
        GREY,
        " ",
        RED,
        " ",
        GREY,
        END,
        "t=0.000000\x1b[K\n",
        // Second frame: two lines up, back to column 1, draw over.
        "\x1b[2A\r",
        GREY,
        " ",
        GREY,
        " ",
        GREY,
        END,
        "t=1.500000\x1b[K\n",
        // Taking the writer back shows the cursor again.
        SHOW,
    ]
    .concat();
    assert_eq!(shown, expected);
}

#[test]
fn each_frame_is_one_write_all_and_one_flush() {
    /// Records each `write` call and each flush.
    #[derive(Default)]
    struct Calls {
        writes: Vec<usize>,
        flushes: usize,
    }
    impl Write for Calls {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }
    let terminal = Terminal::with_writer(Calls::default(), 5, 5);
    let mut driver = Driver::new(terminal, VirtualClock::new());
    driver.run(&blink(Matrix::talk().outer_ring(), ms(100)).times(3)).unwrap();
    let calls = driver.output().writer();
    assert_eq!(calls.writes.len(), 6, "one write per frame");
    assert_eq!(calls.flushes, 6, "one flush per frame");
}

#[test]
fn without_status_line_only_the_grid_is_redrawn() {
    let terminal = Terminal::with_writer(Vec::new(), 2, 2).show_time(false);
    let mut driver = Driver::new(terminal, VirtualClock::new());
    driver.run(&on(3).timeout(ms(100))).unwrap();
    let shown = text(driver.into_output().into_writer());
    let expected = [
        HIDE,
        GREY,
        " ",
        GREY,
        END,
        GREY,
        " ",
        RED,
        END, //
        "\x1b[2A\r",
        GREY,
        " ",
        GREY,
        END,
        GREY,
        " ",
        GREY,
        END, //
        SHOW,
    ]
    .concat();
    assert_eq!(shown, expected);
}

#[test]
fn status_line_counts_from_the_first_frame() {
    let start = Instant::ZERO + secs(100);
    let terminal = Terminal::with_writer(Vec::new(), 1, 1);
    let mut driver = Driver::new(terminal, VirtualClock::starting_at(start));
    driver.run(&blink(0, ms(250)).times(2)).unwrap();
    let shown = text(driver.output().writer().clone());
    let times: Vec<&str> = shown.lines().filter_map(|l| l.strip_prefix("t=")).collect();
    assert_eq!(times, ["0.000000\x1b[K", "0.250000\x1b[K", "0.500000\x1b[K", "0.750000\x1b[K"]);
    // Every redraw goes back up over the LED line and the status line.
    assert_eq!(shown.matches("\x1b[2A\r").count(), 3);
    assert_eq!(shown.matches(HIDE).count(), 1);
    assert!(!shown.contains(SHOW), "the cursor stays hidden while drawing");
}

#[test]
fn colour_pixels_in_truecolour_and_dark_ones_grey() {
    let terminal = Terminal::with_writer(Vec::new(), 1, 3).with_pixel_type::<RGB8>();
    let mut driver = Driver::new(terminal.show_time(false), VirtualClock::new());
    let teal = RGB8::new(0, 128, 128);
    let program = all((on(0).color(teal), on(2).color(RGB8::new(255, 255, 255)))).timeout(ms(10));
    driver.run(&program).unwrap();
    let shown = text(driver.into_output().into_writer());
    let first_frame =
        [HIDE, "\x1b[38;2;0;128;128m●", " ", GREY, " ", "\x1b[38;2;255;255;255m●", END].concat();
    assert!(shown.starts_with(&first_frame), "{shown:?}");
}

#[test]
fn for_matrix_draws_each_led_at_its_cell() {
    // A strip wired right to left: LED 0 is the rightmost cell.
    let reversed = Matrix::from_indices(1, 3, vec![2, 1, 0]).unwrap();
    let terminal = Terminal::for_matrix(&reversed).redirect(Vec::new()).show_time(false);
    assert_eq!(terminal.len(), 3);
    let mut driver = Driver::new(terminal, VirtualClock::new());
    driver.run(&on(0).timeout(ms(10))).unwrap();
    let shown = text(driver.into_output().into_writer());
    assert!(shown.starts_with(&[HIDE, GREY, " ", GREY, " ", RED, END].concat()), "{shown:?}");

    // The talk's board is row-major: same length and shape as the matrix.
    assert_eq!(Terminal::for_matrix(&Matrix::talk()).len(), 25);
    assert_eq!(Terminal::new(5, 5).len(), 25);
}

#[test]
fn drop_shows_the_cursor_only_after_drawing() {
    /// A writer whose bytes outlive the terminal.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    let bytes = Shared::default();
    drop(Terminal::with_writer(bytes.clone(), 1, 2));
    assert!(bytes.0.borrow().is_empty(), "an unused terminal writes nothing");

    let mut driver = Driver::new(Terminal::with_writer(bytes.clone(), 1, 2), VirtualClock::new());
    driver.run(&blink(0, ms(10)).times(1)).unwrap();
    assert!(!text(bytes.0.borrow().clone()).ends_with(SHOW));
    drop(driver);
    let shown = text(bytes.0.borrow().clone());
    assert!(shown.ends_with(&format!("t=0.010000\x1b[K\n{SHOW}")), "{shown:?}");
    assert_eq!(shown.matches(SHOW).count(), 1);
}

#[test]
fn into_writer_before_drawing_is_empty() {
    assert!(Terminal::with_writer(Vec::new(), 3, 3).into_writer().is_empty());
}

/// Fails every write from the `fail_from`-th on (counting from 0) with a broken pipe.
struct Failing {
    out: Vec<u8>,
    writes: usize,
    fail_from: usize,
    fail_until: usize,
}

impl Write for Failing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.writes;
        self.writes += 1;
        if (self.fail_from..self.fail_until).contains(&n) {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "stdout is closed"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_is_reported_as_an_output_error() {
    let closed = Failing { out: Vec::new(), writes: 0, fail_from: 0, fail_until: usize::MAX };
    let mut driver = Driver::new(Terminal::with_writer(closed, 1, 3), VirtualClock::new());
    let err = driver.run(&blink(0, ms(100)).times(1)).unwrap_err();
    match &err {
        RunError::Output { at, source } => {
            assert_eq!(*at, Instant::ZERO);
            assert_eq!(source.kind(), io::ErrorKind::BrokenPipe);
            assert_eq!(source.to_string(), "stdout is closed");
        }
        other => panic!("expected an output error, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "the output failed to show the frame of 0.000000; the animation was stopped"
    );
}

#[test]
fn after_a_failed_write_the_next_frame_is_drawn_afresh() {
    // The first frame goes out, the second fails, then the writer recovers.
    let flaky = Failing { out: Vec::new(), writes: 0, fail_from: 1, fail_until: 2 };
    let terminal = Terminal::with_writer(flaky, 1, 1).show_time(false);
    let mut driver = Driver::new(terminal, VirtualClock::new());
    let err = driver.run(&blink(0, ms(100)).times(1)).unwrap_err();
    assert!(matches!(err, RunError::Output { at, .. } if at == Instant::ZERO + ms(100)));

    driver.run(&on(0).timeout(ms(100))).unwrap();
    let shown = text(driver.into_output().into_writer().out);
    // Where the failed write left the cursor is unknown, so the grid is drawn anew
    // below instead of over lines that may not be there.
    let expected = [
        HIDE,
        RED,
        END, // 0.0, written
        HIDE,
        RED,
        END, // 0.1, the whole frame again (the failed one was not written)
        "\x1b[1A\r",
        GREY,
        END, // 0.2
        SHOW,
    ]
    .concat();
    assert_eq!(shown, expected);
}

#[test]
fn terminal_auto_traits() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Terminal>();
    send_sync::<Terminal<RGB8, Vec<u8>>>();
}

// ---- colour modes ----

/// `ColorMode::from_env` over a list of variables.
fn mode(is_terminal: bool, vars: &[(&str, &str)]) -> ColorMode {
    ColorMode::from_env(is_terminal, |name| {
        vars.iter().find(|(n, _)| *n == name).map(|(_, v)| OsString::from(v))
    })
}

#[test]
fn color_mode_follows_no_color_colorterm_and_term() {
    use ColorMode::{Ansi256, Plain, TrueColor};
    assert_eq!(mode(true, &[("COLORTERM", "truecolor")]), TrueColor);
    assert_eq!(mode(true, &[("COLORTERM", "24bit"), ("TERM", "xterm-256color")]), TrueColor);
    assert_eq!(mode(true, &[("COLORTERM", "TrueColor")]), TrueColor, "any case");
    assert_eq!(mode(true, &[("TERM", "xterm-256color")]), Ansi256);
    assert_eq!(mode(true, &[("TERM", "linux"), ("COLORTERM", "yes")]), Ansi256);
    assert_eq!(mode(true, &[]), Ansi256);
    // NO_COLOR, when present and not empty, wins over everything.
    assert_eq!(mode(true, &[("NO_COLOR", "1"), ("COLORTERM", "truecolor")]), Plain);
    assert_eq!(mode(true, &[("NO_COLOR", "0")]), Plain, "any non-empty value");
    assert_eq!(mode(true, &[("NO_COLOR", ""), ("COLORTERM", "truecolor")]), TrueColor);
    assert_eq!(mode(true, &[("TERM", "dumb"), ("COLORTERM", "truecolor")]), Plain);
    // A pipe or a file.
    assert_eq!(mode(false, &[("COLORTERM", "truecolor")]), Plain);
}

/// Two frames of a 1×3 grid of `bool` LEDs in `mode`: LED 1 on, then LEDs 0 and 2.
fn two_bool_frames(mode: ColorMode) -> String {
    let terminal = Terminal::with_writer(Vec::new(), 1, 3).color_mode(mode).show_time(false);
    let mut driver = Driver::new(terminal, VirtualClock::new());
    driver.run(&on(1).timeout(ms(10)).then(on([0, 2]).timeout(ms(10)))).unwrap();
    text(driver.into_output().into_writer())
}

/// What [`two_bool_frames`] draws in a colour mode that draws `lit` and `dark` LEDs so.
fn two_frames_in_colour(lit: &str, dark: &str) -> String {
    let line = |leds: [&str; 3]| leds.join(" ") + END;
    let up = "\x1b[1A\r";
    [HIDE, &line([dark, lit, dark]), up, &line([lit, dark, lit]), up, &line([dark; 3]), SHOW]
        .concat()
}

#[test]
fn truecolor_bytes() {
    assert_eq!(two_bool_frames(ColorMode::TrueColor), two_frames_in_colour(RED, GREY));
}

#[test]
fn ansi256_bytes() {
    let (red, grey) = ("\x1b[38;5;202m●", "\x1b[38;5;238m●");
    assert_eq!(two_bool_frames(ColorMode::Ansi256), two_frames_in_colour(red, grey));
}

#[test]
fn plain_bytes_have_no_colour_and_tell_on_from_off() {
    let expected = [
        HIDE,
        "· ● ·\x1b[K\n", //
        "\x1b[1A\r",
        "● · ●\x1b[K\n", //
        "\x1b[1A\r",
        "· · ·\x1b[K\n", //
        SHOW,
    ]
    .concat();
    let shown = two_bool_frames(ColorMode::Plain);
    assert_eq!(shown, expected);
    assert!(!shown.contains("\x1b[0m") && !shown.contains("38;"), "no colour escapes");
}

#[test]
fn colours_in_each_mode() {
    let shown = |mode| {
        let terminal = Terminal::with_writer(Vec::new(), 1, 4)
            .with_pixel_type::<RGB8>()
            .color_mode(mode)
            .show_time(false);
        let mut driver = Driver::new(terminal, VirtualClock::new());
        let program = all((
            on(0).color(RGB8::new(0, 128, 255)),
            on(1).color(RGB8::new(255, 255, 255)),
            on(2).color(RGB8::new(100, 40, 0)),
        ));
        driver.run_for(&program, ms(0)).unwrap();
        let bytes = text(driver.into_output().into_writer());
        bytes.strip_prefix(HIDE).unwrap().strip_suffix(SHOW).unwrap().to_owned()
    };
    assert_eq!(
        shown(ColorMode::TrueColor),
        ["\x1b[38;2;0;128;255m● \x1b[38;2;255;255;255m● \x1b[38;2;100;40;0m● ", GREY, END].concat()
    );
    assert_eq!(
        shown(ColorMode::Ansi256),
        ["\x1b[38;5;33m● \x1b[38;5;231m● \x1b[38;5;52m● \x1b[38;5;238m●", END].concat()
    );
    // The shade ramp: by the brightest channel, and dark LEDs apart.
    assert_eq!(shown(ColorMode::Plain), "● ● ◐ ·\x1b[K\n");
}

#[test]
fn color_mode_is_kept_by_with_pixel_type_and_reset_by_redirect() {
    let terminal = Terminal::with_writer(Vec::new(), 1, 1).color_mode(ColorMode::Plain);
    let terminal = terminal.with_pixel_type::<RGB8>();
    assert_eq!(terminal.get_color_mode(), ColorMode::Plain);
    assert_eq!(terminal.redirect(Vec::new()).get_color_mode(), ColorMode::TrueColor);
}

// ---- brightness ----

#[test]
fn a_dot_shows_its_own_brightness() {
    let terminal = Terminal::with_writer(Vec::new(), 1, 3).with_pixel_type::<Dot>();
    let mut driver = Driver::new(terminal.show_time(false), VirtualClock::new());
    let white = RGB8::new(255, 255, 255);
    let program = all((on(0).color(Dot::new(white, 31)), on(1).color(Dot::new(white, 4))));
    driver.run_for(&program, ms(0)).unwrap();
    let shown = text(driver.into_output().into_writer());
    // 255 × 4 / 31 = 32.9, rounded down.
    let expected = [HIDE, "\x1b[38;2;255;255;255m● \x1b[38;2;32;32;32m● ", GREY, END].concat();
    assert!(shown.starts_with(&expected), "{shown:?}");
}

#[test]
fn global_brightness_dims_like_the_strip_encoder() {
    use blinken::output::apa102::Apa102;

    let color = RGB8::new(200, 100, 3);
    let terminal = Terminal::with_writer(Vec::new(), 1, 1).with_pixel_type::<RGB8>();
    let mut driver = Driver::new(terminal.brightness(0.5).show_time(false), VirtualClock::new());
    driver.run_for(&on(0).color(color), ms(0)).unwrap();
    let shown = text(driver.into_output().into_writer());
    // The strip gets int(c × 0.5) in each colour byte (RGB order here, header 31).
    let mut strip = Apa102::new().order(blinken::output::apa102::PixelOrder::Rgb).brightness(0.5);
    assert_eq!(&strip.encode(&[color]).unwrap()[4..8], &[0xFF, 100, 50, 1]);
    assert!(shown.starts_with(&[HIDE, "\x1b[38;2;100;50;1m●"].concat()), "{shown:?}");
}

#[test]
fn global_brightness_and_dot_brightness_multiply() {
    let terminal = Terminal::with_writer(Vec::new(), 1, 1)
        .with_pixel_type::<Dot>()
        .color_mode(ColorMode::Plain)
        .brightness(0.5);
    let mut driver = Driver::new(terminal.show_time(false), VirtualClock::new());
    // Full: 255 → ●; at 5-bit 31 and global 0.5: 127 → ◐; at 5-bit 10: 41 → ○.
    let red = RGB8::new(255, 0, 0);
    driver.run_for(&on(0).color(Dot::new(red, 31)), ms(0)).unwrap();
    driver.run_for(&on(0).color(Dot::new(red, 10)), ms(0)).unwrap();
    let shown = text(driver.into_output().into_writer());
    assert_eq!(shown, [HIDE, "◐\x1b[K\n", "\x1b[1A\r", "○\x1b[K\n", SHOW].concat());
}

#[test]
fn brightness_outside_zero_to_one_is_refused() {
    let _screen = screen();
    for wrong in [1.5, -0.1, f64::NAN] {
        let panic =
            std::panic::catch_unwind(|| Terminal::with_writer(Vec::new(), 1, 1).brightness(wrong))
                .unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert_eq!(
            *message,
            format!(
                "terminal brightness {wrong} is outside 0.0..=1.0; use a fraction of full \
                 brightness, such as 0.25 for a quarter"
            )
        );
    }
}

// ---- foreign output ----

/// Foreign output is counted process-wide (it is one screen), and a panic counts: the
/// tests that watch for it, or that panic, take turns.
fn screen() -> std::sync::MutexGuard<'static, ()> {
    static SCREEN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SCREEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One frame of a 1×1 grid at `at` ms.
fn frame(on: bool, at: u64) -> Frame<'static, bool> {
    Frame { pixels: if on { &[true] } else { &[false] }, changed: &[0], at: Instant::ZERO + ms(at) }
}

#[test]
fn a_watching_terminal_draws_below_foreign_output() {
    let _screen = screen();
    let mut terminal = Terminal::with_writer(Vec::new(), 1, 1)
        .watch_foreign_output(true)
        .color_mode(ColorMode::Plain);
    terminal.write(frame(true, 0)).unwrap();
    terminal.write(frame(false, 10)).unwrap();
    Terminal::note_foreign_output();
    terminal.write(frame(true, 20)).unwrap();
    terminal.write(frame(false, 30)).unwrap();
    let expected = [
        HIDE,
        "●\x1b[K\n",
        "t=0.000000\x1b[K\n", //
        "\x1b[2A\r",
        "·\x1b[K\n",
        "t=0.010000\x1b[K\n", //
        // Something else printed: drawn afresh below it, not two lines up over it.
        HIDE,
        "●\x1b[K\n",
        "t=0.020000\x1b[K\n", //
        "\x1b[2A\r",
        "·\x1b[K\n",
        "t=0.030000\x1b[K\n", //
        SHOW,
    ]
    .concat();
    assert_eq!(text(terminal.into_writer()), expected);
}

#[test]
fn a_panic_counts_as_foreign_output() {
    let _screen = screen();
    let mut terminal =
        Terminal::with_writer(Vec::new(), 1, 1).watch_foreign_output(true).show_time(false);
    // The first frame of a watching terminal adds the panic hook.
    terminal.write(frame(true, 0)).unwrap();
    let panic = std::panic::catch_unwind(|| panic!("an animation fails"));
    assert!(panic.is_err());
    terminal.write(frame(false, 10)).unwrap();
    let shown = text(terminal.into_writer());
    assert_eq!(shown, [HIDE, RED, END, HIDE, GREY, END, SHOW].concat(), "{shown:?}");
}

#[test]
fn a_terminal_that_does_not_watch_draws_over_everything() {
    // `with_writer` does not watch: a `Vec` shares the screen with nobody.
    let mut terminal = Terminal::with_writer(Vec::new(), 1, 1).show_time(false);
    terminal.write(frame(true, 0)).unwrap();
    Terminal::note_foreign_output();
    terminal.write(frame(false, 10)).unwrap();
    assert_eq!(
        text(terminal.into_writer()),
        [HIDE, RED, END, "\x1b[1A\r", GREY, END, SHOW].concat()
    );
}
