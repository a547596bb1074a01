//! Exact timelines of the leaves on the virtual clock.

mod common;

use blinken::prelude::*;
use common::{at_ms, run, window};

#[test]
fn blink_symmetric_finite_ends_after_last_off() {
    let (end, rec) = run(1, &blink(0, ms(100)).times(2));
    assert_eq!(end, at_ms(400));
    rec.assert_timeline(
        "
        0.000000 #
        0.100000 .
        0.200000 #
        0.300000 .
        ",
    );
}

#[test]
fn blink_asymmetric() {
    let (end, rec) = run(2, &blink([0, 1], ms(30)).off_for(ms(70)).times(2));
    assert_eq!(end, at_ms(200));
    rec.assert_timeline(
        "
        0.000000 ##
        0.030000 ..
        0.100000 ##
        0.130000 ..
        ",
    );
}

#[test]
fn blink_zero_times_ends_at_once_and_dark() {
    let program = fill(0, true).then(blink(0, ms(100)).times(0)).then(wait(ms(10)));
    let (end, rec) = run(1, &program);
    assert_eq!(end, at_ms(10));
    // fill lights it, blink(0 times) switches it off at once: no visible change.
    rec.assert_timeline("0.000000 .");
}

#[test]
fn blink_forever_keeps_going() {
    let rec = window(1, &blink(0, ms(250)), ms(1000));
    rec.assert_timeline(
        "
        0.000000 #
        0.250000 .
        0.500000 #
        0.750000 .
        1.000000 #
        ",
    );
}

#[test]
fn blink_with_zero_on_time_never_shows() {
    let (_, rec) = run(1, &blink(0, ms(0)).off_for(ms(10)).times(3));
    rec.assert_timeline("0.000000 .");
}

#[test]
fn on_holds_until_cancelled() {
    let rec = window(3, &on([0, 2]), secs(3600));
    rec.assert_timeline("0.000000 #.#");
}

#[test]
fn off_wait_fill_walk() {
    let program =
        sequence((fill(0..4, true), wait(ms(10)), off([1, 2]), wait(ms(10)), walk([3, 0], ms(5))));
    let (end, rec) = run(4, &program);
    assert_eq!(end, at_ms(40));
    rec.assert_timeline(
        "
        0.000000 ####
        0.010000 #..#
        0.025000 #...
        0.035000 ....
        ",
    );
}

#[test]
fn colours_reach_the_frame() {
    let red = RGB8::new(255, 0, 0);
    let blue = RGB8::new(0, 0, 255);
    let program = on(0).color(red).and(blink(1, ms(10)).times(1).color(blue)).timeout(ms(20));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
    driver.run(&program).unwrap();
    let steps = driver.output().steps();
    let frames: Vec<(Instant, Vec<RGB8>)> =
        steps.iter().map(|s| (s.at, s.pixels.to_vec())).collect();
    assert_eq!(
        frames,
        vec![
            (at_ms(0), vec![red, blue]),
            (at_ms(10), vec![red, RGB8::OFF]),
            (at_ms(20), vec![RGB8::OFF, RGB8::OFF]),
        ]
    );
}
