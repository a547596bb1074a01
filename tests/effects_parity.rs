//! The effects give the same pixels as CircuitPython's `adafruit_led_animation` 2.12.6
//! at the same parameters and the same step instants.
//!
//! Each test runs the library itself (`tests/parity/harness.py`) on a patched clock with a
//! fake pixel object, stepping it at exactly `k·speed`, and compares its frames with the
//! blinken effect's on the virtual clock. They need Python with the library:
//!
//! ```sh
//! export BLINKEN_PARITY_PYTHON=$(tests/parity/setup.sh target/parity-venv)
//! cargo test --test effects_parity -- --include-ignored
//! ```
//!
//! Without `BLINKEN_PARITY_PYTHON` they are ignored by a plain `cargo test`, and fail
//! (saying what is missing) when run with `--include-ignored`.

use std::process::Command;

use blinken::prelude::*;

/// The frames CircuitPython shows at each step `k` (drawn at `k·speed_ms`): every
/// `show()` of that step, in order.
fn circuitpython(spec: &str) -> Vec<Vec<Vec<RGB8>>> {
    let python = std::env::var("BLINKEN_PARITY_PYTHON").unwrap_or_else(|_| {
        panic!(
            "BLINKEN_PARITY_PYTHON is not set: point it at a python3 with \
             adafruit-circuitpython-led-animation 2.12.6 and Adafruit-Blinka, e.g. \
             `export BLINKEN_PARITY_PYTHON=$(tests/parity/setup.sh target/parity-venv)`"
        )
    });
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/parity/harness.py");
    let out = Command::new(&python)
        .arg(harness)
        .arg(spec)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the harness failed on {spec}:\n{stderr}");
    let n = spec_n(spec);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let bytes: Vec<u8> = line
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            assert_eq!(bytes.len() % (3 * n), 0, "a frame of {n} pixels: {line}");
            bytes
                .chunks(3 * n)
                .map(|frame| frame.chunks(3).map(|c| RGB8::new(c[0], c[1], c[2])).collect())
                .collect()
        })
        .collect()
}

fn spec_n(spec: &str) -> usize {
    let at = spec.find("\"n\":").expect("the spec has n") + 4;
    spec[at..].split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
}

/// The frames a blinken effect shows at `k·speed` for `k` in `0..steps`, on `n` LEDs.
fn blinken<A: Animation<RGB8>>(
    effect: &A,
    n: usize,
    speed: Duration,
    steps: u64,
) -> Vec<Vec<RGB8>> {
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(n), VirtualClock::new());
    driver.run_for(effect, speed * (steps as u32 - 1) + speed / 2).unwrap();
    let recorded = driver.output().steps();
    (0..steps)
        .map(|k| {
            let at = Instant::ZERO + speed * k as u32;
            let step = recorded.iter().rev().find(|s| s.at <= at).expect("a frame at the start");
            step.pixels.to_vec()
        })
        .collect()
}

/// CircuitPython's shows at each step and blinken's frames, for effects compared by
/// structure (random ones).
fn both<A: Animation<RGB8>>(
    effect: &str,
    kwargs: &str,
    n: usize,
    speed_ms: u64,
    steps: u64,
    ours: &A,
) -> (Vec<Vec<Vec<RGB8>>>, Vec<Vec<RGB8>>) {
    let spec = format!(
        r#"{{"effect":"{effect}","n":{n},"speed_ms":{speed_ms},"steps":{steps},"seed":1,"kwargs":{kwargs}}}"#
    );
    let theirs = circuitpython(&spec);
    assert_eq!(theirs.len() as u64, steps, "{spec}");
    (theirs, blinken(ours, n, ms(speed_ms), steps))
}

/// Runs `effect` on CircuitPython with `kwargs` (a JSON object) and compares the last
/// frame shown at each step with blinken's `ours`.
fn same_frames<A: Animation<RGB8>>(
    effect: &str,
    kwargs: &str,
    n: usize,
    speed_ms: u64,
    steps: u64,
    ours: &A,
) {
    let spec = format!(
        r#"{{"effect":"{effect}","n":{n},"speed_ms":{speed_ms},"steps":{steps},"kwargs":{kwargs}}}"#
    );
    let theirs = circuitpython(&spec);
    assert_eq!(theirs.len() as u64, steps, "{spec}");
    let ours = blinken(ours, n, ms(speed_ms), steps);
    for (k, (theirs, ours)) in theirs.iter().zip(&ours).enumerate() {
        let theirs = theirs.last().expect("a show at every step");
        assert_eq!(ours, theirs, "step {k} of {spec}");
    }
}

const RED: RGB8 = RGB8::new(255, 0, 0);
const TEAL: RGB8 = RGB8::new(0, 255, 120);
const GOLD: RGB8 = RGB8::new(255, 222, 30);

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn solid_is_circuitpythons() {
    same_frames("Solid", r#"{"color":[255,0,0]}"#, 5, 1000, 4, &solid(0..5, RED));
    same_frames("Solid", r#"{"color":[0,255,120]}"#, 1, 1000, 3, &solid(0, TEAL));
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn color_cycle_is_circuitpythons() {
    let colors = r#"[[255,0,0],[0,255,120],[255,222,30]]"#;
    same_frames(
        "ColorCycle",
        &format!(r#"{{"colors":{colors}}}"#),
        4,
        100,
        10,
        &color_cycle(0..4, ms(100), [RED, TEAL, GOLD]),
    );
    same_frames(
        "ColorCycle",
        &format!(r#"{{"colors":{colors},"start_color":2}}"#),
        3,
        250,
        8,
        &color_cycle(0..3, ms(250), [RED, TEAL, GOLD]).start_color(2),
    );
    same_frames(
        "ColorCycle",
        r#"{"colors":[[1,2,3]]}"#,
        2,
        7,
        5,
        &color_cycle(0..2, ms(7), [RGB8::new(1, 2, 3)]),
    );
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn chase_is_circuitpythons() {
    for (n, size, spacing, reverse, speed_ms) in [
        (10, 2, 3, false, 100),
        (10, 2, 3, true, 100),
        (7, 1, 1, false, 50),
        (12, 3, 0, false, 20),
        (12, 3, 0, true, 20),
        (3, 4, 2, true, 100),
        (13, 4, 2, true, 33),
        (1, 1, 5, false, 100),
    ] {
        same_frames(
            "Chase",
            &format!(
                r#"{{"color":[255,222,30],"size":{size},"spacing":{spacing},"reverse":{reverse}}}"#
            ),
            n,
            speed_ms,
            3 * n as u64 + 7,
            &chase(0..n, ms(speed_ms), GOLD).size(size).spacing(spacing).reverse(reverse),
        );
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn comet_is_circuitpythons() {
    // (n, tail (0: default), bounce, ring, reverse, background)
    for (n, tail, bounce, ring, reverse, bg) in [
        (10, 3, false, false, false, [0, 0, 0]),
        (10, 0, false, false, false, [0, 0, 0]),
        (10, 4, false, false, true, [0, 0, 0]),
        (8, 3, true, false, false, [0, 0, 0]),
        (8, 3, true, false, true, [0, 0, 0]),
        (9, 4, false, true, false, [0, 0, 0]),
        (9, 4, false, true, true, [0, 0, 0]),
        (12, 5, false, false, false, [0, 10, 40]),
        (5, 5, true, false, false, [3, 2, 1]),
        (6, 6, false, true, false, [0, 0, 0]),
        (1, 1, false, false, false, [0, 0, 0]),
    ] {
        let kwargs = format!(
            r#"{{"color":[255,222,30],"tail_length":{tail},"bounce":{bounce},"ring":{ring},"reverse":{reverse},"background_color":{bg:?}}}"#
        );
        let [r, g, b] = bg;
        let mut ours = comet(0..n, ms(40), GOLD)
            .bounce(bounce)
            .ring(ring)
            .reverse(reverse)
            .background(RGB8::new(r, g, b));
        if tail > 0 {
            ours = ours.tail_length(tail);
        }
        same_frames("Comet", &kwargs, n, 40, 5 * n as u64 + 3 * tail as u64 + 9, &ours);
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn rainbow_is_circuitpythons() {
    for (n, speed_ms, period_ms, step) in [
        (10, 100, 5000, 1),
        (30, 20, 1000, 1),
        (7, 30, 1000, 3),
        (300, 50, 2000, 1),
        (5, 70, 300, 85),
        (12, 10, 333, 7),
        (3, 100, 1700, 255),
    ] {
        let steps = 2 * period_ms / speed_ms + 5;
        same_frames(
            "Rainbow",
            &format!(r#"{{"period":{},"step":{step}}}"#, period_ms as f64 / 1000.0),
            n,
            speed_ms,
            steps,
            &rainbow(0..n, ms(speed_ms)).period(ms(period_ms)).step(step),
        );
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn rainbow_chase_is_circuitpythons() {
    for (n, size, spacing, reverse, step) in [
        (10, 2, 3, false, 8),
        (10, 2, 3, true, 8),
        (7, 1, 1, false, 85),
        (12, 3, 0, true, 16),
        (13, 4, 2, false, 5),
        (4, 1, 2, true, 100),
    ] {
        same_frames(
            "RainbowChase",
            &format!(r#"{{"size":{size},"spacing":{spacing},"reverse":{reverse},"step":{step}}}"#),
            n,
            25,
            6 * n as u64 + 3,
            &rainbow_chase(0..n, ms(25)).size(size).spacing(spacing).reverse(reverse).step(step),
        );
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn rainbow_comet_is_circuitpythons() {
    // (n, tail, bounce, ring, reverse, offset, step)
    for (n, tail, bounce, ring, reverse, offset, step) in [
        (20, 10, false, false, false, 0, 0),
        (20, 10, false, false, true, 40, 0),
        (12, 5, true, false, false, 0, 7),
        (12, 5, true, false, true, 200, 0),
        (9, 4, false, true, false, 0, 0),
        (9, 9, false, true, true, 17, 30),
        (30, 3, false, false, false, 255, 200),
    ] {
        let kwargs = format!(
            r#"{{"tail_length":{tail},"bounce":{bounce},"ring":{ring},"reverse":{reverse},"colorwheel_offset":{offset},"step":{step}}}"#
        );
        let ours = rainbow_comet(0..n, ms(30))
            .tail_length(tail)
            .bounce(bounce)
            .ring(ring)
            .reverse(reverse)
            .colorwheel_offset(offset)
            .step(step);
        same_frames("RainbowComet", &kwargs, n, 30, 5 * n as u64 + 3 * tail as u64 + 9, &ours);
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn pulse_is_circuitpythons() {
    // (speed, period, breath, min, max), durations in ms
    for (speed_ms, period_ms, breath_ms, min, max) in [
        (100, 5000, 0, 0.0, 1.0),
        (20, 1000, 0, 0.0, 1.0),
        (30, 1000, 500, 0.0, 1.0),
        (25, 1003, 301, 0.1, 0.9), // odd milliseconds: halves rounded down
        (25, 999, 251, 0.1, 0.9),
        (10, 333, 77, 0.25, 0.5),
        (50, 2000, 1000, 0.0, 0.3),
        (7, 2, 0, 0.0, 1.0),
    ] {
        let steps = 2 * (period_ms + 2 * breath_ms) / speed_ms + 7;
        same_frames(
            "Pulse",
            &format!(
                r#"{{"color":[255,222,30],"period":{},"breath":{},"min_intensity":{min:?},"max_intensity":{max:?}}}"#,
                period_ms as f64 / 1000.0,
                breath_ms as f64 / 1000.0
            ),
            3,
            speed_ms,
            steps,
            &pulse(0..3, ms(speed_ms), GOLD)
                .period(ms(period_ms))
                .breath(ms(breath_ms))
                .min_intensity(min)
                .max_intensity(max),
        );
    }
}

/// Checks a sparkle's frames: only `color`, its quarter and black; 1 to `sparkles`
/// LEDs in full colour; a lit LED dims to the quarter at the next step (or sparkles
/// again) and never goes dark.
fn sparkle_structure(frames: &[Vec<RGB8>], color: RGB8, sparkles: usize, who: &str) {
    let quarter = RGB8::new(color.r / 4, color.g / 4, color.b / 4);
    for (k, frame) in frames.iter().enumerate() {
        assert!(
            frame.iter().all(|p| [color, quarter, RGB8::OFF].contains(p)),
            "{who} step {k}: {frame:?}"
        );
        let bright = frame.iter().filter(|&&p| p == color).count();
        assert!((1..=sparkles).contains(&bright), "{who} step {k}: {bright} sparkles");
        if k > 0 {
            for (p, (&before, &now)) in frames[k - 1].iter().zip(frame).enumerate() {
                match before {
                    b if b == RGB8::OFF => {}
                    _ => assert!(now == quarter || now == color, "{who} step {k} LED {p}"),
                }
            }
        }
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn sparkle_is_circuitpythons_in_structure() {
    for (n, sparkles, color) in [(10, 1, GOLD), (20, 3, RED), (2, 1, TEAL), (50, 10, GOLD)] {
        let [r, g, b] = [color.r, color.g, color.b];
        let kwargs = format!(r#"{{"color":[{r},{g},{b}],"num_sparkles":{sparkles}}}"#);
        let ours = sparkle(0..n, ms(40), color).num_sparkles(sparkles).seed(3);
        let (theirs, ours) = both("Sparkle", &kwargs, n, 40, 60, &ours);
        // CircuitPython shows each step twice: the sparkles bright, then dimmed at once.
        let bright: Vec<_> = theirs.iter().map(|shows| shows[0].clone()).collect();
        sparkle_structure(&bright, color, sparkles, "CircuitPython");
        sparkle_structure(&ours, color, sparkles, "blinken");
        for (k, shows) in theirs.iter().enumerate() {
            let quarter = RGB8::new(r / 4, g / 4, b / 4);
            let dimmed = shows[0].iter().map(|&p| if p == color { quarter } else { p });
            assert_eq!(shows[1], dimmed.collect::<Vec<_>>(), "CircuitPython step {k}");
        }
    }
}

#[test]
#[ignore = "needs python3 with adafruit-circuitpython-led-animation 2.12.6: set BLINKEN_PARITY_PYTHON (see README)"]
fn rainbow_sparkle_is_circuitpythons_under_the_sparkles() {
    for (n, speed_ms, period_ms, step, sparkles, background) in [
        (40, 50, 2000, 1, None, 0.2),
        (10, 30, 1000, 3, Some(3), 0.2),
        (25, 20, 700, 1, Some(1), 0.5),
        (7, 100, 5000, 85, Some(2), 0.0),
    ] {
        let mut kwargs = format!(
            r#"{{"period":{},"step":{step},"background_brightness":{background:?}"#,
            period_ms as f64 / 1000.0
        );
        let mut ours = rainbow_sparkle(0..n, ms(speed_ms))
            .period(ms(period_ms))
            .step(step)
            .background_brightness(background)
            .seed(5);
        if let Some(s) = sparkles {
            kwargs += &format!(r#","num_sparkles":{s}"#);
            ours = ours.num_sparkles(s);
        }
        kwargs += "}";
        let most = sparkles.unwrap_or((n / 20).max(1));
        let steps = 2 * period_ms / speed_ms + 3;
        let (theirs, ours) = both("RainbowSparkle", &kwargs, n, speed_ms, steps, &ours);
        let bright = |c: RGB8| u16::from(c.r) + u16::from(c.g) + u16::from(c.b) == 255;
        for (k, (shows, ours)) in theirs.iter().zip(&ours).enumerate() {
            let theirs = shows.last().unwrap();
            // Under the sparkles the rainbows are the same; a sparkle is the colour the
            // rainbow dims at that LED.
            for (p, (&a, &b)) in theirs.iter().zip(ours).enumerate() {
                let ok = a == b
                    || (bright(a) && b == a.scale(background))
                    || (bright(b) && a == b.scale(background));
                assert!(ok, "step {k} LED {p}: CircuitPython {a:?}, blinken {b:?} ({kwargs})");
            }
            for frame in [theirs, ours] {
                let lit = frame.iter().zip(&shows[0]).filter(|(a, b)| a != b).count();
                assert!(lit <= most, "step {k}: {lit} sparkles");
            }
            let lit = ours.iter().filter(|&&c| bright(c)).count();
            assert!(background == 1.0 || (1..=most).contains(&lit), "step {k}: {lit} sparkles");
        }
    }
}
