//! The pixel-buffer player's files, written by its own parser (tests/fixtures/pixelbuf),
//! read unchanged and played drift-free without its defects.
#![cfg(feature = "spec")]

use blinken::output::apa102::Dot;
use blinken::prelude::*;
use blinken::spec::{PixelBufAnimation, SpecError};

const STRIP: usize = 11;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pixelbuf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The same file in both of its encodings, read and checked to be the same animation.
fn both(name: &str) -> PixelBufAnimation {
    let from_json = PixelBufAnimation::from_json(
        std::str::from_utf8(&fixture(&format!("{name}.json"))).unwrap(),
    )
    .unwrap();
    let packed = fixture(&format!("{name}.msgpack"));
    let from_msgpack = PixelBufAnimation::from_msgpack(&packed).unwrap();
    assert_eq!(from_json, from_msgpack);
    from_json
}

fn play<P: Pixel + From<blinken::spec::PixelBufPixel> + Send>(
    animation: &PixelBufAnimation,
    window: Duration,
) -> (RunEnd, Recorder<P>) {
    let program = animation.keyframes::<P>().unwrap();
    let mut driver = Driver::new(Recorder::<P>::with_len(STRIP), VirtualClock::new());
    let end = driver.run_for(&program, window).unwrap();
    (end, driver.into_output())
}

fn dot(r: u8, g: u8, b: u8, brightness: u8) -> Dot {
    Dot { color: RGB8::new(r, g, b), brightness }
}

#[test]
fn colors_reach_the_strip_in_the_right_channels() {
    // Pixel(1.0, 10, 20, 30): the original sent red 10, green 30, blue 20.
    let (_, rec) = play::<Dot>(&both("colors"), secs(5));
    let first = &rec.steps()[0].pixels;
    assert_eq!(first[0], dot(10, 20, 30, 31));
    assert_eq!(first[1], dot(255, 0, 0, 15)); // brightness 0.5: int(0.5 × 31)
    assert_eq!(first[2], dot(0, 255, 0, 31)); // brightness written as the int 1
    // On an RGB8 output the brightness scales the colour instead.
    let (_, rec) = play::<RGB8>(&both("colors"), secs(5));
    assert_eq!(
        &rec.steps()[0].pixels[..3],
        &[RGB8::new(10, 20, 30), RGB8::new(127, 0, 0), RGB8::new(0, 255, 0)]
    );
}

#[test]
fn colors_play_twice_with_the_pause_between_only() {
    // Frames of 100, 250 and 50 ms, two plays, 500 ms pause: the second play starts at
    // 900 ms, the end (dark) is at 1300 ms, not 1800 ms.
    let animation = both("colors");
    let (end, rec) = play::<Dot>(&animation, secs(5));
    assert_eq!(end, RunEnd::Finished(Instant::ZERO + ms(1300)));
    // Frame 2's first pixel is white at brightness 0.0: dark (not lit).
    rec.assert_timeline(
        "
        0.000000 ###........
        0.100000 #..........
        0.350000 .#.........
        0.900000 ###........
        1.000000 #..........
        1.250000 .#.........
        1.300000 ...........
        ",
    );
    // The shorter frames left nothing of the longer ones: LEDs 1 and 2 are off, not stale.
    assert_eq!(&rec.steps()[1].pixels[..3], &[dot(0, 0, 255, 3), Dot::OFF, Dot::OFF]);
    assert_eq!(rec.steps()[2].pixels[0], dot(255, 255, 255, 0));
    assert_eq!(rec.steps()[2].pixels[1], dot(1, 2, 3, 31));
}

#[test]
fn ten_thousand_frames_end_at_exactly_100_s() {
    let animation = both("ten_thousand");
    assert_eq!(animation.frames.len(), 10_000);
    let (end, rec) = play::<Dot>(&animation, secs(200));
    assert_eq!(end, RunEnd::Finished(Instant::ZERO + secs(100)));
    let steps = rec.steps();
    // Red and black in turn: one write per frame, then the end switches the strip off
    // (black at brightness 31 becomes Dot::OFF, black at brightness 0).
    assert_eq!(steps.len(), 10_001);
    assert_eq!(steps[10_000].at, Instant::ZERO + secs(100));
    assert!(steps[10_000].pixels.iter().all(|&p| p == Dot::OFF));
    for (k, step) in steps[..10_000].iter().enumerate() {
        assert_eq!(step.at, Instant::ZERO + ms(10 * k as u64), "frame {k}");
        assert_eq!(step.pixels[0].is_on(), k % 2 == 0, "frame {k}");
    }
}

#[test]
fn looping_forever_pauses_between_plays() {
    let animation = both("looping");
    assert_eq!(animation.plays().unwrap(), None);
    let (end, rec) = play::<Dot>(&animation, ms(400));
    assert_eq!(end, RunEnd::Stopped(Instant::ZERO + ms(400)));
    rec.assert_timeline(
        "
        0.000000 ###########
        0.030000 ...........
        0.150000 ###########
        0.180000 ...........
        0.300000 ###########
        0.330000 ...........
        ",
    );
}

#[test]
fn max_plays_null_without_looping_plays_once() {
    let animation = both("max_plays_none");
    assert_eq!(animation.max_plays, None);
    assert_eq!(animation.plays().unwrap(), Some(1));
    let (end, rec) = play::<Dot>(&animation, secs(5));
    assert_eq!(end, RunEnd::Finished(Instant::ZERO + ms(40)));
    rec.assert_timeline(
        "
        0.000000 #..........
        0.040000 ...........
        ",
    );
}

#[test]
fn max_plays_zero_is_refused() {
    let message = "max_plays: 0 plays would play nothing (the original played once); write 1 to \
                   play once";
    let json = fixture("max_plays_zero.json");
    let err = PixelBufAnimation::from_json(std::str::from_utf8(&json).unwrap()).unwrap_err();
    assert_eq!(err.to_string(), message);
    let err = PixelBufAnimation::from_msgpack(&fixture("max_plays_zero.msgpack")).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[test]
fn a_frame_longer_than_the_strip_is_refused() {
    let program = both("too_long").keyframes::<Dot>().unwrap();
    let err = Animation::<Dot>::validate(&program, STRIP).unwrap_err();
    assert_eq!(
        err.to_string(),
        "keyframes: frame 1 has 12 pixels but only 11 LEDs show them; shorten the frame or \
         play it on more LEDs"
    );
    assert!(Animation::<Dot>::validate(&program, 12).is_ok());
}

#[test]
fn dark_when_cancelled() {
    let program = both("looping").keyframes::<Dot>().unwrap();
    let mut driver = Driver::new(Recorder::<Dot>::with_len(STRIP), VirtualClock::new());
    driver.run(&program.timeout(ms(10))).unwrap();
    driver.output().assert_timeline(
        "
        0.000000 ###########
        0.010000 ...........
        ",
    );
}

#[test]
fn our_msgpack_writer_gives_the_originals_bytes() {
    // Not "colors": its brightness written as the int 1 comes back as the float 1.0.
    for name in ["looping", "max_plays_none", "too_long", "ten_thousand"] {
        let packed = fixture(&format!("{name}.msgpack"));
        assert_eq!(
            PixelBufAnimation::from_msgpack(&packed).unwrap().to_msgpack(),
            packed,
            "{name}"
        );
    }
}

fn json_err(text: &str) -> String {
    PixelBufAnimation::from_json(text).unwrap_err().to_string()
}

const PIXEL: &str = r#"{"brightness": 1.0, "red": 1, "green": 2, "blue": 3}"#;

fn file(frames: &str, rest: &str) -> String {
    format!(r#"{{"frames": {frames}, "loop_infinitely": false, "pause_between_play_ms": 0{rest}}}"#)
}

#[test]
fn its_loader_rules() {
    let frame = format!(r#"[{{"display_ms": 10, "pixels": [{PIXEL}]}}]"#);
    // A missing max_plays is null; extra keys are accepted, as its loader accepts them.
    let a =
        PixelBufAnimation::from_json(&file(&frame, r#", "comment": {"made by": [1, 2]}"#)).unwrap();
    assert_eq!(a.max_plays, None);
    let extra = r#"[{"display_ms": 10, "note": "x", "pixels": [{"brightness": 1, "red": 1, "green": 2, "blue": 3, "w": 0}]}]"#;
    assert!(PixelBufAnimation::from_json(&file(extra, "")).is_ok());

    let cases = [
        (file("[]", ""), "frames: an animation needs at least one frame"),
        (
            file(r#"[{"display_ms": 0, "pixels": [{}]}]"#.replace("{}", PIXEL).as_str(), ""),
            "frames[0].display_ms: 0 ms is too short; a frame is shown for at least 1 ms",
        ),
        (
            file(&format!(r#"[{{"display_ms": 1.5, "pixels": [{PIXEL}]}}]"#), ""),
            "frames[0].display_ms: invalid type: floating point `1.5`, expected a whole number, \
             0 or more (line 1, column 30)",
        ),
        (
            file(&format!(r#"[{{"display_ms": -5, "pixels": [{PIXEL}]}}]"#), ""),
            "frames[0].display_ms: -5 is negative; expected a whole number, 0 or more (line 1, \
             column 29)",
        ),
        (
            file(r#"[{"display_ms": 5, "pixels": []}]"#, ""),
            "frames[0].pixels: a frame needs at least one pixel",
        ),
        (
            file(r#"[{"display_ms": 5, "pixels": [null]}]"#, ""),
            "frames[0].pixels[0]: invalid type: null, expected struct PixelBufPixel (line 1, \
             column 45)",
        ),
        (
            file(
                r#"[{"display_ms": 5, "pixels": [{"brightness": 1.5, "red": 1, "green": 2, "blue": 3}]}]"#,
                "",
            ),
            "frames[0].pixels[0].brightness: 1.5 is not a brightness; use 0.0 to 1.0",
        ),
        (
            file(
                r#"[{"display_ms": 5, "pixels": [{"brightness": 1, "red": 256, "green": 2, "blue": 3}]}]"#,
                "",
            ),
            "frames[0].pixels[0].red: 256 is too large; expected a colour value from 0 to 255 \
             (line 1, column 69)",
        ),
        (
            file(r#"[{"display_ms": 5, "pixels": [{"brightness": 1, "red": 2, "blue": 3}]}]"#, ""),
            "frames[0].pixels[0]: missing field `green` (line 1, column 79)",
        ),
        (
            file(&frame, r#", "max_plays": -1"#),
            "max_plays: -1 is negative; expected a whole number of plays, or null (line 1, \
             column 168)",
        ),
        (
            file(&frame, r#", "max_plays": 2"#).replace("false", "true"),
            "max_plays: 2 plays and loop_infinitely contradict each other; write null to loop \
             forever, or set loop_infinitely to false",
        ),
        (
            file(&frame, r#", "max_plays": 0"#).replace("false", "true"),
            "max_plays: 0 plays with loop_infinitely is ambiguous (the original looped \
             forever); write null to loop forever",
        ),
        (
            file(&frame, "").replace(r#", "pause_between_play_ms": 0"#, ""),
            "missing field `pause_between_play_ms` (line 1, column 124)",
        ),
        (
            file(&frame, "").replace("false", "\"no\""),
            "loop_infinitely: invalid type: string \"no\", expected a boolean (line 1, column \
             122)",
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(text, expected)| json_err(text) != *expected)
        .map(|(text, expected)| {
            format!("{text}\n  expected {expected}\n  got      {}", json_err(text))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // NaN cannot be written in JSON, but MessagePack carries it; Python let it through.
    let mut a = PixelBufAnimation::from_json(&file(&frame, "")).unwrap();
    a.frames[0].pixels[0].brightness = f64::NAN;
    let err = PixelBufAnimation::from_msgpack(&a.to_msgpack()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "frames[0].pixels[0].brightness: NaN is not a brightness; use 0.0 to 1.0"
    );
    assert!(matches!(a.keyframes::<Dot>(), Err(SpecError::Parse { .. })));
}

/// Reads `bytes` as both encodings and plays whatever is accepted; only errors may come out.
fn try_both(bytes: &[u8]) {
    let read = [
        std::str::from_utf8(bytes).ok().and_then(|t| PixelBufAnimation::from_json(t).ok()),
        PixelBufAnimation::from_msgpack(bytes).ok(),
    ];
    for animation in read.into_iter().flatten() {
        let program = animation.keyframes::<Dot>().unwrap();
        let mut driver = Driver::new(Recorder::<Dot>::with_len(STRIP), VirtualClock::new());
        let _ = driver.run_for(&program, secs(2));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_files_never_panic(
        packed in proptest::arbitrary::any::<bool>(),
        edits in proptest::collection::vec(
            (proptest::arbitrary::any::<proptest::sample::Index>(), proptest::arbitrary::any::<u8>(), 0..3u8),
            1..8,
        ),
    ) {
        let mut bytes = fixture(if packed { "colors.msgpack" } else { "colors.json" });
        for (at, byte, kind) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        try_both(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::arbitrary::any::<u8>(), 0..200)) {
        try_both(&bytes);
    }
}
