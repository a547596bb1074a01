//! `Terminal`: the exact bytes drawn, in-place redraws, the cursor, and write errors.

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use blinken::prelude::*;
use blinken::{Matrix, RunError};

const HIDE: &str = "\x1b[?25l";
const SHOW: &str = "\x1b[?25h";
const RED: &str = "\x1b[38;2;255;48;40m●";
const GREY: &str = "\x1b[38;2;64;64;64m●";
const END: &str = "\x1b[0m\n";

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
