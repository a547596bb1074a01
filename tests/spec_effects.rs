//! The effects as data: every effect written as a spec plays exactly the frames of the
//! Rust-built effect, with every parameter and with the defaults; written back it reads
//! as the same spec; bad parameters and on/off outputs get named errors.
#![cfg(feature = "spec")]

use blinken::prelude::*;
use blinken::spec::{Layout, Spec, SpecError};

const GOLD: RGB8 = RGB8::new(255, 222, 30);
const RED: RGB8 = RGB8::new(255, 0, 0);
const TEAL: RGB8 = RGB8::new(0, 128, 128);
const BLUE: RGB8 = RGB8::new(0, 0, 255);

/// The seeds' strip.
const N: usize = 11;

type Frames<P> = Vec<(Instant, Vec<P>)>;

fn frames<P: Pixel, A: Animation<P> + ?Sized>(
    program: &A,
    window: Duration,
) -> (RunEnd, Frames<P>) {
    let mut driver = Driver::new(Recorder::<P>::with_len(N), VirtualClock::new());
    let end = driver.run_for(program, window).unwrap();
    let steps = driver.output().steps().iter().map(|s| (s.at, s.pixels.to_vec())).collect();
    (end, steps)
}

/// The same frames, or the first that differs.
fn assert_same<P: PartialEq + core::fmt::Debug>(spec: &Frames<P>, rust: &Frames<P>, text: &str) {
    if let Some(i) = (0..spec.len().max(rust.len())).find(|&i| spec.get(i) != rust.get(i)) {
        panic!("{text}: frame {i} differs: spec {:?}, rust {:?}", spec.get(i), rust.get(i));
    }
}

/// `text` read as a spec, written back in both formats to the same spec, built for a
/// strip of 11 RGB8 and Dot LEDs, plays exactly the frames of `rust` (and of `dot`, the
/// same with the colours as full-brightness Dots and off as `Dot::OFF`) over `window`.
fn same_as<A: Animation<RGB8>, D: Animation<Dot>>(text: &str, rust: &A, dot: &D, window: Duration) {
    let spec = Spec::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec, "{}", spec.to_json());
    assert_eq!(Spec::from_json(&spec.to_json_pretty()).unwrap(), spec);
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);

    let layout = Layout::strip(N);
    let program = spec.build::<RGB8>(&layout).unwrap_or_else(|e| panic!("{text}: {e}"));
    let (spec_end, spec_frames) = frames(&program, window);
    let (rust_end, rust_frames) = frames(rust, window);
    assert_eq!(spec_end, rust_end, "{text}");
    assert!(spec_frames.len() >= 2, "{text}: {spec_frames:?}");
    assert_same(&spec_frames, &rust_frames, text);

    let program = spec.build::<Dot>(&layout).unwrap();
    let (spec_end, spec_frames) = frames(&program, window);
    let (rust_end, rust_frames) = frames(dot, window);
    assert_eq!(spec_end, rust_end, "{text}");
    assert_same(&spec_frames, &rust_frames, text);
}

/// Both pixel types from one expression.
macro_rules! same {
    ($text:expr, |$c:ident| $rust:expr, $window:expr) => {{
        let rgb = {
            #[allow(unused)]
            let $c = |c: RGB8| c;
            $rust
        };
        let dot = {
            #[allow(unused)]
            let $c = |c: RGB8| if c == RGB8::OFF { Dot::OFF } else { Dot::from(c) };
            $rust
        };
        same_as($text, &rgb, &dot, $window);
    }};
}

#[test]
fn every_effect_with_its_defaults() {
    let w = secs(12);
    same!(
        r#"{"timeout": {"after": "1s", "body": {"solid": {"leds": "all", "color": [255, 222, 30]}}}}"#,
        |c| solid(0..N, c(GOLD)).timeout(secs(1)),
        w
    );
    same!(
        r#"{"color_cycle": {"leds": "all", "speed": "300ms", "colors": ["red", "teal"]}}"#,
        |c| color_cycle(0..N, ms(300), [c(RED), c(TEAL)]),
        w
    );
    same!(
        r#"{"chase": {"leds": "all", "speed": "100ms", "color": [255, 222, 30]}}"#,
        |c| chase(0..N, ms(100), c(GOLD)),
        w
    );
    same!(
        r#"{"comet": {"leds": "all", "speed": "100ms", "color": "red"}}"#,
        |c| comet(0..N, ms(100), c(RED)),
        w
    );
    same!(r#"{"rainbow": {"leds": "all", "speed": "100ms"}}"#, |c| rainbow(0..N, ms(100)), w);
    same!(
        r#"{"rainbow_chase": {"leds": "all", "speed": "100ms"}}"#,
        |c| rainbow_chase(0..N, ms(100)),
        w
    );
    same!(
        r#"{"rainbow_comet": {"leds": "all", "speed": "100ms"}}"#,
        |c| rainbow_comet(0..N, ms(100)),
        w
    );
    same!(
        r#"{"pulse": {"leds": "all", "speed": "100ms", "color": "red"}}"#,
        |c| pulse(0..N, ms(100), c(RED)),
        w
    );
    same!(
        r#"{"sparkle": {"leds": "all", "speed": "100ms", "color": "gold"}}"#,
        |c| sparkle(0..N, ms(100), c(RGB8::new(255, 215, 0))),
        w
    );
    same!(
        r#"{"rainbow_sparkle": {"leds": "all", "speed": "100ms"}}"#,
        |c| rainbow_sparkle(0..N, ms(100)),
        w
    );
    same!(
        r#"{"larson_scanner": {"leds": "all", "speed": "100ms", "color": "red"}}"#,
        |c| larson_scanner(0..N, ms(100), c(RED)),
        w
    );
    same!(
        r#"{"fade": {"leds": "all", "from": "red", "to": "blue", "duration": "1s"}}"#,
        |c| fade(0..N, c(RED), c(BLUE), secs(1)),
        w
    );
}

#[test]
fn every_effect_with_every_parameter() {
    let w = secs(12);
    same!(
        r#"{"color_cycle": {"leds": "2..9", "speed": 0.25, "colors": ["red", [0, 0, 255], "teal"], "start_color": 2}}"#,
        |c| color_cycle(2..9, ms(250), [c(RED), c(BLUE), c(TEAL)]).start_color(2),
        w
    );
    same!(
        r#"{"chase": {"leds": [10, 9, 8, 7, 6, 5, 4], "speed": "70ms", "color": "teal", "size": 1, "spacing": 2, "reverse": true}}"#,
        |c| chase([10, 9, 8, 7, 6, 5, 4], ms(70), c(TEAL)).size(1).spacing(2).reverse(true),
        w
    );
    same!(
        r#"{"comet": {"leds": "all", "speed": "40ms", "color": "blue", "tail_length": 4, "bounce": true, "reverse": true, "background": "red"}}"#,
        |c| comet(0..N, ms(40), c(BLUE))
            .tail_length(4)
            .bounce(true)
            .reverse(true)
            .background(c(RED)),
        w
    );
    same!(
        r#"{"comet": {"leds": "all", "speed": "40ms", "color": "blue", "tail_length": 5, "ring": true, "bounce": false}}"#,
        |c| comet(0..N, ms(40), c(BLUE)).tail_length(5).ring(true),
        w
    );
    same!(
        r#"{"rainbow": {"leds": "all", "speed": "30ms", "period": "1.5s", "step": 7}}"#,
        |c| rainbow(0..N, ms(30)).period(ms(1500)).step(7),
        w
    );
    same!(
        r#"{"rainbow_chase": {"leds": "all", "speed": "60ms", "size": 3, "spacing": 1, "reverse": true, "step": 30}}"#,
        |c| rainbow_chase(0..N, ms(60)).size(3).spacing(1).reverse(true).step(30),
        w
    );
    same!(
        r#"{"rainbow_comet": {"leds": "all", "speed": "50ms", "tail_length": 6, "bounce": true, "reverse": true, "colorwheel_offset": 100, "step": 20}}"#,
        |c| rainbow_comet(0..N, ms(50))
            .tail_length(6)
            .bounce(true)
            .reverse(true)
            .colorwheel_offset(100)
            .step(20),
        w
    );
    same!(
        r#"{"rainbow_comet": {"leds": "all", "speed": "50ms", "tail_length": 3, "ring": true}}"#,
        |c| rainbow_comet(0..N, ms(50)).tail_length(3).ring(true),
        w
    );
    same!(
        r#"{"pulse": {"leds": "all", "speed": "20ms", "color": "teal", "period": "2s", "breath": "300ms", "min_intensity": 0.1, "max_intensity": 0.875}}"#,
        |c| pulse(0..N, ms(20), c(TEAL))
            .period(secs(2))
            .breath(ms(300))
            .min_intensity(0.1)
            .max_intensity(0.875),
        w
    );
    same!(
        r#"{"pulse": {"leds": 3, "speed": "50ms", "color": "red", "min_intensity": 0, "max_intensity": 1}}"#,
        |c| pulse(3, ms(50), c(RED)).min_intensity(0.0).max_intensity(1.0),
        w
    );
    same!(
        r#"{"sparkle": {"leds": "all", "speed": "80ms", "color": [255, 222, 30], "num_sparkles": 3, "seed": 18446744073709551615}}"#,
        |c| sparkle(0..N, ms(80), c(GOLD)).num_sparkles(3).seed(u64::MAX),
        w
    );
    same!(
        r#"{"rainbow_sparkle": {"leds": "all", "speed": "90ms", "period": "2s", "step": 3, "num_sparkles": 4, "background_brightness": 0.35, "seed": 7}}"#,
        |c| rainbow_sparkle(0..N, ms(90))
            .period(secs(2))
            .step(3)
            .num_sparkles(4)
            .background_brightness(0.35)
            .seed(7),
        w
    );
    same!(
        r#"{"larson_scanner": {"leds": "1..10", "speed": "60ms", "color": "gold", "trail": 5}}"#,
        |c| larson_scanner(1..10, ms(60), c(RGB8::new(255, 215, 0))).trail(5),
        w
    );
    same!(
        r#"{"sequence": [{"fade": {"leds": "all", "from": "off", "to": [255, 222, 30], "duration": "2s", "step": "100ms"}},
                         {"timeout": {"after": "1s", "body": {"solid": {"leds": "all", "color": [255, 222, 30]}}}}]}"#,
        |c| fade(0..N, c(RGB8::OFF), c(GOLD), secs(2))
            .step(ms(100))
            .then(solid(0..N, c(GOLD)).timeout(secs(1))),
        w
    );
}

#[test]
fn effects_compose_with_the_combinators() {
    let text = r#"{"forever": {"sequence": [
        {"timeout": {"after": "2s", "body": {"any": [{"comet": {"leds": "all", "speed": "50ms", "color": "red", "tail_length": 3}},
                                                      {"blink": {"leds": 0, "interval": "250ms", "color": "blue"}}]}}},
        {"repeat": {"times": 2, "body": {"fade": {"leds": "0..5", "from": "red", "to": "off", "duration": "500ms"}}}}
    ]}}"#;
    same!(
        text,
        |c| forever(
            any((
                comet(0..N, ms(50), c(RED)).tail_length(3).boxed(),
                blink(0, ms(250)).color(c(BLUE)).boxed()
            ))
            .timeout(secs(2))
            .then(repeat(2, fade(0..5, c(RED), c(RGB8::OFF), ms(500))))
        ),
        secs(10)
    );
}

fn build_err(text: &str) -> String {
    let spec = Spec::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    spec.build::<RGB8>(&Layout::strip(N)).map(drop).unwrap_err().to_string()
}

fn read_err(text: &str) -> String {
    Spec::from_json(text).unwrap_err().to_string()
}

#[test]
fn on_plain_on_off_leds_an_effect_is_refused_by_name() {
    let spec = Spec::from_json(
        r#"{"sequence": [{"wait": "1s"}, {"chase": {"leds": "all", "speed": "100ms", "color": "on"}}]}"#,
    )
    .unwrap();
    let err = spec.build::<bool>(&Layout::strip(N)).map(drop).unwrap_err();
    assert!(matches!(err, SpecError::Build { .. }));
    assert_eq!(err.path().as_deref(), Some("sequence[1].chase"));
    assert_eq!(
        err.to_string(),
        "sequence[1].chase: chase is a colour effect, and this output has plain on/off LEDs; \
         use blink, walk or cycle, or build for a colour output (RGB8, Dot)"
    );
    for text in [
        r#"{"solid": {"leds": 0, "color": "on"}}"#,
        r#"{"rainbow": {"leds": 0, "speed": "1s"}}"#,
        r#"{"fade": {"leds": 0, "from": "off", "to": "on", "duration": "1s"}}"#,
    ] {
        let err = Spec::from_json(text).unwrap().build::<bool>(&Layout::strip(N)).map(drop);
        assert!(err.unwrap_err().to_string().contains("is a colour effect"), "{text}");
    }
}

#[test]
fn bad_parameters_name_the_place_and_the_fix() {
    // Read: unknown keys, wheel steps, fractions, missing keys.
    let err = read_err(r#"{"comet": {"leds": "all", "speed": "1s", "color": "red", "tail": 3}}"#);
    assert!(err.starts_with("comet.tail: unknown field `tail`, expected one of"), "{err}");
    assert!(err.contains("`tail_length`"), "{err}");
    assert_eq!(
        read_err(r#"{"rainbow": {"leds": "all", "speed": "1s", "step": 0}}"#),
        "rainbow.step: 0 is not a step on the colour wheel; use 1 to 255 (the wheel has 256 \
         positions), or leave it out for the default (line 1, column 52)"
    );
    assert!(
        read_err(r#"{"rainbow_chase": {"leds": "all", "speed": "1s", "step": 256}}"#)
            .starts_with("rainbow_chase.step: 256 is not a step on the colour wheel")
    );
    assert!(
        read_err(r#"{"rainbow_comet": {"leds": "all", "speed": "1s", "step": -1}}"#)
            .starts_with("rainbow_comet.step: -1 is not a step on the colour wheel")
    );
    assert!(
        read_err(r#"{"rainbow_comet": {"leds": "all", "speed": "1s", "colorwheel_offset": 256}}"#)
            .starts_with("rainbow_comet.colorwheel_offset: 256 is not a position on the colour wheel; use 0 to 255")
    );
    assert_eq!(
        read_err(r#"{"pulse": {"leds": 0, "speed": "1s", "color": "red", "max_intensity": 1.5}}"#),
        "pulse.max_intensity: 1.5 is not between 0 and 1; write a number from 0 to 1 such as \
         0.25, with at most 6 decimals (line 1, column 73)"
    );
    assert!(
        read_err(
            r#"{"rainbow_sparkle": {"leds": 0, "speed": "1s", "background_brightness": 0.1234567}}"#
        )
        .starts_with("rainbow_sparkle.background_brightness: 0.1234567 has more than 6 decimals")
    );
    assert!(
        read_err(r#"{"pulse": {"leds": 0, "speed": "1s", "color": "red", "min_intensity": 2}}"#)
            .starts_with("pulse.min_intensity: 2 is not between 0 and 1")
    );
    assert!(
        read_err(r#"{"chase": {"leds": 0, "color": "red"}}"#).contains("missing field `speed`")
    );
    assert!(
        read_err(r#"{"sparkle": {"leds": 0, "speed": "1s", "color": "red", "seed": -3}}"#)
            .starts_with("sparkle.seed: ")
    );
    assert!(
        read_err(r#"{"fade": {"leds": 0, "from": "red", "to": "bleu", "duration": "1s"}}"#)
            .starts_with(r#"fade.to: "bleu" is not a colour; write"#)
    );
    assert!(
        read_err(r#"{"color_cycle": {"leds": 0, "speed": "5 ms", "colors": []}}"#)
            .starts_with(r#"color_cycle.speed: "5 ms" is not a duration; write "5ms" or 0.005"#)
    );

    // Built: LEDs, counts bounded by the LEDs.
    assert_eq!(
        build_err(
            r#"{"all": [{"chase": {"leds": "0..3", "speed": "1s", "color": "red", "size": 4}}]}"#
        ),
        "all[0].chase.size: 4 is more than the effect's 3 LEDs; use 1 to 3"
    );
    assert_eq!(
        build_err(
            r#"{"rainbow_chase": {"leds": "0..3", "speed": "1s", "spacing": 18446744073709551615}}"#
        ),
        "rainbow_chase.spacing: 18446744073709551615 is more than the effect's 3 LEDs; use 0 to 3"
    );
    assert_eq!(
        build_err(
            r#"{"sparkle": {"leds": "all", "speed": "1s", "color": "red", "num_sparkles": 12}}"#
        ),
        "sparkle.num_sparkles: 12 is more than the effect's 11 LEDs; use 1 to 11"
    );
    assert!(
        build_err(r#"{"rainbow_sparkle": {"leds": "all", "speed": "1s", "num_sparkles": 99}}"#)
            .starts_with("rainbow_sparkle.num_sparkles: 99 is more than")
    );
    assert_eq!(
        build_err(r#"{"comet": {"leds": 11, "speed": "1s", "color": "red"}}"#),
        "comet.leds: LED 11 is outside the output (11 LEDs); use 0..=10"
    );

    // Validated: the effect's own checks, with the animation's path.
    assert_eq!(
        build_err(
            r#"{"sequence": [{"wait": "1s"}, {"comet": {"leds": "all", "speed": "1s", "color": "red", "tail_length": 0}}]}"#
        ),
        "sequence[1] > comet: tail_length = 0 is not allowed; give a tail of 1 to 11 LEDs (the \
         comet's LEDs)"
    );
    assert!(
        build_err(r#"{"comet": {"leds": "0..3", "speed": "1s", "color": "red"}}"#)
            .contains("tail_length = 0 is not allowed")
    );
    assert!(
        build_err(
            r#"{"rainbow_comet": {"leds": "all", "speed": "1s", "bounce": true, "ring": true}}"#
        )
        .contains("a comet on a ring cannot bounce")
    );
    assert!(
        build_err(r#"{"color_cycle": {"leds": "all", "speed": "1s", "colors": []}}"#)
            .contains("colors = [] is not allowed; give it at least one colour")
    );
    assert!(
        build_err(r#"{"color_cycle": {"leds": "all", "speed": "1s", "colors": ["red"], "start_color": 1}}"#)
            .contains("start_color = 1 is not allowed; use 0..=0")
    );
    assert!(
        build_err(r#"{"pulse": {"leds": 0, "speed": "1s", "color": "red", "min_intensity": 0.5, "max_intensity": 0.25}}"#)
            .contains("max_intensity = 0.25 is not allowed")
    );
    assert!(
        build_err(
            r#"{"larson_scanner": {"leds": "0..3", "speed": "1s", "color": "red", "trail": 5}}"#
        )
        .contains("trail = 5 is not allowed; use 0 to 4")
    );
    assert!(
        build_err(r#"{"chase": {"leds": "all", "speed": 0, "color": "red"}}"#)
            .contains("shorter than MIN_STEP")
    );
    assert!(build_err(r#"{"rainbow": {"leds": [], "speed": "1s"}}"#).contains("no LEDs"));
    assert!(
        build_err(r#"{"rainbow": {"leds": 0, "speed": "1s", "period": 0}}"#)
            .contains("period = 0s is not allowed")
    );
    assert!(
        build_err(
            r#"{"forever": {"fade": {"leds": 0, "from": "red", "to": "off", "duration": 0}}}"#
        )
        .contains("a pass may take no time")
    );
}

#[test]
fn written_back_keys_left_out_stay_out() {
    let spec = Spec::from_json(
        r#"{"comet": {"leds": "all", "speed": "50ms", "color": "red", "bounce": false, "ring": true}}"#,
    )
    .unwrap();
    assert_eq!(
        spec.to_json(),
        r##"{"comet":{"leds":"all","speed":"50ms","color":"#ff0000","ring":true}}"##
    );
    let spec = Spec::from_json(
        r#"{"pulse": {"leds": 0, "speed": 0.02, "color": "on", "min_intensity": 0, "max_intensity": 0.5}}"#,
    )
    .unwrap();
    assert_eq!(
        spec.to_json(),
        r#"{"pulse":{"leds":0,"speed":"20ms","color":"on","min_intensity":0.0,"max_intensity":0.5}}"#
    );
}

#[test]
fn a_dotstar_brightness_in_a_colour() {
    let text = r#"{"pulse": {"leds": "all", "speed": "100ms", "color": {"color": "red", "brightness": 7}, "period": "1s"}}"#;
    let spec = Spec::from_json(text).unwrap();
    assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec);
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
    // A DotStar keeps the brightness through the effect; RGB8 gets the colour scaled.
    let dim = Dot::new(RED, 7);
    let program = spec.build::<Dot>(&Layout::strip(N)).unwrap();
    let (_, spec_frames) = frames(&program, secs(3));
    let (_, rust_frames) = frames(&pulse(0..N, ms(100), dim).period(secs(1)), secs(3));
    assert_same(&spec_frames, &rust_frames, text);
    let program = spec.build::<RGB8>(&Layout::strip(N)).unwrap();
    let (_, spec_frames) = frames(&program, secs(3));
    let scaled = RGB8::new(57, 0, 0); // 255 · 7/31, truncated
    let (_, rust_frames) = frames(&pulse(0..N, ms(100), scaled).period(secs(1)), secs(3));
    assert_same(&spec_frames, &rust_frames, text);
    // Plain on/off LEDs cannot show it.
    let on = Spec::from_json(r#"{"on": {"leds": 0, "color": [255, 0, 0, 7]}}"#).unwrap();
    let err = on.build::<bool>(&Layout::strip(N)).map(drop).unwrap_err();
    assert!(err.to_string().starts_with("on.color: #ff0000 at brightness 7 is a colour"), "{err}");
    assert_eq!(
        read_err(r#"{"solid": {"leds": 0, "color": [255, 0, 0, 40]}}"#),
        "solid.color: brightness 40 does not fit the DotStar's 5 bits; use 0 to 31 (31 is full) \
         (line 1, column 46)"
    );
}
