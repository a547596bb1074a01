//! Programs as data: reading, writing back, building, errors with places, limits, and
//! hostile input that must never panic.
#![cfg(feature = "spec")]

use blinken::prelude::*;
use blinken::spec::{Layout, Limits, Position, Spec, SpecError};
use blinken::{RunEnd, demos};
use proptest::arbitrary::any;
use proptest::prelude::{ProptestConfig, prop, proptest};

const ALL_DEMO: &str = r#"{"sequence": [{"all": [{"blink": {"leds": 0, "interval": "100ms", "times": 5}}, {"wait": "3s"}]}, {"blink": {"leds": 12, "interval": "300ms", "times": 5}}]}"#;

/// Every leaf and combinator, with every optional key, in every value form.
const EVERYTHING: &str = r##"
{"sequence": [
  {"blink": {"leds": [0, "row 4"], "interval": "100ms", "off": 0.3, "times": 2, "color": "on"}},
  {"blink": {"leds": "line 11", "interval": {"ms": 50}, "times": 1}},
  {"timeout": {"after": "1.5s", "body": {"on": {"leds": "outer ring"}}}},
  {"timeout": {"after": "250ms", "body": {"on": {"leds": {"art": [".#.#.", ".....", "#...#", ".###.", "....."]}, "color": true}}}},
  {"fill": {"leds": "slash", "color": "on"}},
  {"wait": 1},
  {"off": {"leds": "all"}},
  {"walk": {"leds": "col 2", "interval": "20ms"}},
  {"repeat": {"times": 2, "body": {"walk": {"leds": "3..=5", "interval": "10ms", "color": "off"}}}},
  {"all": [{"wait": "100ms"}, {"blink": {"leds": "inner ring", "interval": "25ms", "times": 2}}]},
  {"any": [{"cycle": {"leds": "backslash", "interval": "10ms"}}, {"wait": "95ms"}]},
  {"keyframes": {"frames": [{"duration": "10ms", "pixels": ["on", "off", true]},
                            {"duration": "20ms", "pixels": [false, "on"]}],
                 "leds": "row 1", "plays": 2, "pause": "5ms"}},
  {"timeout": {"after": "100ms", "body": {"keyframes": {"frames": [{"duration": "30ms", "pixels": ["on"]}], "plays": "forever"}}}},
  {"timeout": {"after": "1s", "body": {"forever": {"blink": {"leds": "ring 2", "interval": "200ms", "times": 1}}}}}
]}
"##;

/// Every effect, with every optional key, on a colour output.
const EFFECTS: &str = r#"
{"sequence": [
  {"timeout": {"after": "100ms", "body": {"solid": {"leds": "row 0", "color": {"color": "orange", "brightness": 7}}}}},
  {"timeout": {"after": "100ms", "body": {"color_cycle": {"leds": "all", "speed": "10ms", "colors": ["red", [0, 255, 0], "on", [0, 0, 255, 3]], "start_color": 1}}}},
  {"timeout": {"after": "100ms", "body": {"chase": {"leds": "outer ring", "speed": "10ms", "color": "gold", "size": 3, "spacing": 1, "reverse": true}}}},
  {"timeout": {"after": "100ms", "body": {"comet": {"leds": "all", "speed": "10ms", "color": "cyan", "tail_length": 6, "bounce": true, "ring": false, "reverse": true, "background": "off"}}}},
  {"timeout": {"after": "100ms", "body": {"rainbow": {"leds": "col 2", "speed": "10ms", "period": "1s", "step": 3}}}},
  {"timeout": {"after": "100ms", "body": {"rainbow_chase": {"leds": "all", "speed": "10ms", "size": 1, "spacing": 2, "reverse": false, "step": 9}}}},
  {"timeout": {"after": "100ms", "body": {"rainbow_comet": {"leds": "all", "speed": "10ms", "tail_length": 7, "ring": true, "colorwheel_offset": 30, "step": 11}}}},
  {"timeout": {"after": "100ms", "body": {"pulse": {"leds": "slash", "speed": "10ms", "color": "red", "period": "50ms", "breath": "10ms", "min_intensity": 0.25, "max_intensity": 0.75}}}},
  {"timeout": {"after": "100ms", "body": {"sparkle": {"leds": "all", "speed": "10ms", "color": "white", "num_sparkles": 3, "seed": 5}}}},
  {"timeout": {"after": "100ms", "body": {"rainbow_sparkle": {"leds": "all", "speed": "10ms", "period": "2s", "step": 2, "num_sparkles": 2, "background_brightness": 0.5, "seed": 6}}}},
  {"timeout": {"after": "100ms", "body": {"larson_scanner": {"leds": "row 2", "speed": "10ms", "color": "red", "trail": 2}}}},
  {"fade": {"leds": "all", "from": "off", "to": "warm white", "duration": "100ms", "step": "10ms"}}
]}
"#;

fn timeline<A: Animation<bool> + ?Sized>(program: &A, window: Duration) -> (RunEnd, String) {
    let mut driver = Driver::new(Recorder::new(25), VirtualClock::new());
    let end = driver.run_for(program, window).unwrap();
    (end, driver.output().render())
}

#[test]
fn the_talk_all_demo_as_written_in_the_issue() {
    let spec = Spec::from_json(ALL_DEMO).unwrap();
    let program = spec.build::<bool>(&Layout::talk()).unwrap();
    assert_eq!(timeline(&program, secs(10)), timeline(&demos::all_demo(), secs(10)));
}

#[test]
fn every_leaf_and_combinator_builds_and_plays() {
    let spec = Spec::from_json(EVERYTHING).unwrap();
    let layout = Layout::talk();
    let program = spec.build::<bool>(&layout).unwrap();
    let (end, text) = timeline(&program, secs(60));
    assert!(matches!(end, RunEnd::Finished(_)), "{end:?}");
    assert!(text.lines().count() > 40, "{text}");
    // The same spec on colour outputs.
    assert!(spec.build::<RGB8>(&layout).is_ok());
    assert!(spec.build::<blinken::Dot>(&layout).is_ok());
}

#[test]
fn every_effect_builds_and_plays_on_colour_outputs_only() {
    let spec = Spec::from_json(EFFECTS).unwrap();
    assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec);
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
    let layout = Layout::talk();
    let program = spec.build::<RGB8>(&layout).unwrap();
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(25), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(1200));
    assert!(driver.output().steps().len() > 100);
    assert!(spec.build::<blinken::Dot>(&layout).is_ok());
    let err = spec.build::<bool>(&layout).map(drop).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("sequence[0].timeout.body.solid"));
}

#[test]
fn written_back_it_reads_as_the_same_program() {
    for text in [ALL_DEMO, EVERYTHING] {
        let spec = Spec::from_json(text).unwrap();
        let json = spec.to_json();
        assert_eq!(Spec::from_json(&json).unwrap(), spec, "{json}");
        assert_eq!(Spec::from_json(&spec.to_json_pretty()).unwrap(), spec);
        let packed = spec.to_msgpack();
        assert_eq!(Spec::from_msgpack(&packed).unwrap(), spec);
        // And it plays the same.
        let a = spec.build::<bool>(&Layout::talk()).unwrap();
        let b = Spec::from_msgpack(&packed).unwrap().build::<bool>(&Layout::talk()).unwrap();
        assert_eq!(timeline(&a, secs(60)), timeline(&b, secs(60)));
    }
    let spec = Spec::from_json(ALL_DEMO).unwrap();
    assert_eq!(
        spec.to_json(),
        r#"{"sequence":[{"all":[{"blink":{"leds":0,"interval":"100ms","times":5}},{"wait":"3s"}]},{"blink":{"leds":12,"interval":"300ms","times":5}}]}"#
    );
}

/// The layers as data: `overlay` plays on every output, `crossfade` on colour outputs,
/// and both give exactly the frames of the same program written in Rust.
#[test]
fn layers_as_data_play_as_the_rust_programs() {
    let talk = Layout::talk();
    let text = r#"{"overlay": {"base": {"blink": {"leds": "row 0", "interval": "100ms", "times": 10}},
                              "top": {"timeout": {"after": "450ms", "body": {"walk": {"leds": "col 2", "interval": "50ms"}}}}}}"#;
    let spec = Spec::from_json(text).unwrap();
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
    let built = spec.build::<bool>(&talk).unwrap();
    let name = |n: &str| blinken::spec::LedsSpec::Name(n.into()).resolve(&talk).unwrap();
    let rust = overlay(
        blink(name("row 0"), ms(100)).times(10),
        walk(name("col 2"), ms(50)).timeout(ms(450)),
    );
    let (end, text) = timeline(&built, secs(5));
    assert_eq!((end, text.clone()), timeline(&rust, secs(5)));
    assert!(matches!(end, RunEnd::Finished(at) if at == Instant::ZERO + secs(2)), "{end:?}");
    assert!(text.lines().count() > 20, "{text}");

    let text = r#"{"crossfade": {"from": {"fill": {"leds": "all", "color": "red"}},
                                "to": {"sequence": [{"fill": {"leds": "all", "color": "blue"}}, {"wait": "1s"}]},
                                "duration": "500ms", "step": "50ms", "curve": "ease_in_out"}}"#;
    let spec = Spec::from_json(text).unwrap();
    assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec);
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
    let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
    let rust = crossfade(fill(0..25, red), fill(0..25, blue).then(wait(secs(1))), ms(500))
        .step(ms(50))
        .curve(Curve::EaseInOut);
    fn frames<A: Animation<RGB8> + ?Sized>(program: &A) -> (Instant, Vec<(Instant, Vec<RGB8>)>) {
        let mut driver = Driver::new(Recorder::<RGB8>::with_len(25), VirtualClock::new());
        let end = driver.run(program).unwrap();
        let steps = driver.output().steps().iter().map(|s| (s.at, s.pixels.to_vec()));
        (end, steps.collect())
    }
    let built = spec.build::<RGB8>(&talk).unwrap();
    let (end, steps) = frames(&built);
    assert_eq!((end, steps.clone()), frames(&rust));
    assert_eq!(end, Instant::ZERO + secs(1));
    assert_eq!(steps.len(), 11, "a blend every 50 ms from 0 to 500 ms");
    assert_eq!(steps[5].1[0], RGB8::new(128, 0, 128), "half way at 250 ms");
    assert!(spec.build::<blinken::Dot>(&talk).is_ok());

    // Colour mixing on plain LEDs is refused by name, and the fade's step is validated.
    let err = spec.build::<bool>(&talk).map(drop).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("crossfade.from.fill.color"), "{err}");
    let plain = r#"{"sequence": [{"wait": "1s"}, {"crossfade": {"from": {"on": {"leds": 0}}, "to": {"on": {"leds": 1}}, "duration": "1s"}}]}"#;
    let err = Spec::from_json(plain).unwrap().build::<bool>(&talk).map(drop).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sequence[1].crossfade: crossfade mixes colours, and this output has plain on/off LEDs; \
         use any or sequence to switch between programs, or build for a colour output (RGB8, Dot)"
    );
    let fast = r#"{"crossfade": {"from": {"on": {"leds": 0}}, "to": {"on": {"leds": 1}}, "duration": "1s", "step": "1ns"}}"#;
    let err = Spec::from_json(fast).unwrap().build::<RGB8>(&talk).map(drop).unwrap_err();
    assert!(matches!(err, SpecError::Validation(_)), "{err}");
    assert!(err.to_string().starts_with("crossfade"), "{err}");
    let err = json_err(
        r#"{"crossfade": {"from": {"on": {"leds": 0}}, "to": {"on": {"leds": 1}}, "duration": "1s", "curve": "bounce"}}"#,
    );
    assert!(err.to_string().contains("bounce"), "{err}");
    assert!(err.to_string().contains("ease_in_out"), "{err}");
    let ease = r#"{"crossfade": {"from": {"on": {"leds": 0}}, "to": {"on": {"leds": 1}}, "duration": "1s", "curve": "ease"}}"#;
    let ease = Spec::from_json(ease).unwrap();
    assert!(ease.to_json().contains(r#""curve":"ease_in_out""#), "{}", ease.to_json());
    let err = json_err(r#"{"overlay": {"base": {"on": {"leds": 0}}}}"#);
    assert!(err.to_string().contains("top"), "{err}");
}

/// The input leaves as data, on inputs the layout names: the same timelines as the
/// program written in Rust, and names the layout lacks refused at their place.
#[test]
fn input_leaves_as_data_wait_for_the_layouts_inputs() {
    use blinken::input::{EdgeKind::Press, EdgeKind::Release, Input};
    let at = |t: u64| Instant::ZERO + ms(t);
    let clicks = |times: &[u64]| {
        Input::scripted(times.iter().flat_map(|&t| [(at(t), Press), (at(t + 20), Release)]))
    };
    let text = r#"{"sequence": [
        {"until": {"input": "button", "body": {"blink": {"leds": "row 0", "interval": "100ms"}}}},
        {"any": [{"on": {"leds": "col 2"}}, {"presses": {"input": "bell", "times": 2}}]},
        {"press": "button"},
        {"blink": {"leds": 12, "interval": "50ms", "times": 2}}
    ]}"#;
    let spec = Spec::from_json(text).unwrap();
    assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec);
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
    let (button, bell) = (clicks(&[250, 900]), clicks(&[400, 600]));
    let layout = Layout::talk().with_input("button", &button).with_input("bell", &bell);
    let built = spec.build::<bool>(&layout).unwrap();
    let (end, text) = timeline(&built, secs(5));
    assert!(matches!(end, RunEnd::Finished(t) if t == at(1100)), "{end:?}\n{text}");

    let (button, bell) = (clicks(&[250, 900]), clicks(&[400, 600]));
    let name = |n: &str| blinken::spec::LedsSpec::Name(n.into()).resolve(&Layout::talk()).unwrap();
    let rust = sequence((
        until(&button, blink(name("row 0"), ms(100))),
        blinken::any((on(name("col 2")), presses(&bell, 2))),
        press(&button),
        blink(12, ms(50)).times(2),
    ));
    assert_eq!((end, text), timeline(&rust, secs(5)));

    // Names the layout lacks, at their place; the inputs it has are listed.
    let err =
        spec.build::<bool>(&Layout::talk().with_input("button", &button)).map(drop).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sequence[1].any[1].presses.input: there is no input \"bell\"; the inputs are: button"
    );
    let err = Spec::from_json(r#"{"press": "door"}"#).unwrap().build::<RGB8>(&Layout::strip(3));
    assert_eq!(
        err.map(drop).unwrap_err().to_string(),
        "press: there is no input \"door\"; this output has none: add it with Layout::with_input"
    );
    assert!(json_err(r#"{"presses": {"input": "bell"}}"#).to_string().contains("times"));
    assert!(
        json_err(r#"{"until": {"input": 3, "body": {"wait": "1s"}}}"#)
            .to_string()
            .contains("string")
    );
}

fn json_err(text: &str) -> SpecError {
    Spec::from_json(text).unwrap_err()
}

#[test]
fn errors_name_the_place_and_the_fix() {
    let text = r#"{"sequence": [{"wait": "1s"}, {"wait": "2s"}, {"blink": {"leds": 0, "interval": "5 ms"}}]}"#;
    let err = json_err(text);
    assert_eq!(err.path().as_deref(), Some("sequence[2].blink.interval"));
    assert_eq!(err.position(), Some(Position { line: 1, column: 86 }));
    assert_eq!(
        err.to_string(),
        r#"sequence[2].blink.interval: "5 ms" is not a duration; write "5ms" or 0.005 (line 1, column 86)"#
    );

    // Unknown keys are refused, with the keys that exist.
    let err = json_err(r#"{"blink": {"leds": 0, "interval": "1s", "colour": "red"}}"#);
    assert_eq!(err.path().as_deref(), Some("blink.colour"));
    assert!(err.to_string().contains("unknown field `colour`, expected one of"), "{err}");
    let err = json_err(r#"{"blnk": {"leds": 0}}"#);
    assert!(err.to_string().contains("unknown variant `blnk`, expected one of"), "{err}");
    let err = json_err(r#"{"wait": "1s", "extra": 1}"#);
    assert!(matches!(err, SpecError::Parse { .. }), "{err}");

    // Missing keys, wrong types, bad values.
    let err = json_err(r#"{"blink": {"leds": 0}}"#);
    assert!(err.to_string().contains("missing field `interval`"), "{err}");
    let err = json_err(r#"{"repeat": {"times": -1, "body": {"wait": "1s"}}}"#);
    assert_eq!(err.path().as_deref(), Some("repeat.times"));
    let err = json_err(r##"{"on": {"leds": "all", "color": "#ff80"}}"##);
    assert_eq!(err.path().as_deref(), Some("on.color"));
    assert!(err.to_string().contains(r##""#ff80" is not a colour; write "#ff8000""##), "{err}");
    let err = json_err(r#"{"on": {"leds": {"arts": []}}}"#);
    assert_eq!(err.path().as_deref(), Some("on.leds"));
    let err = json_err(r#"{"on": {"leds": [1, [2]]}}"#);
    assert_eq!(err.path().as_deref(), Some("on.leds[1]"));
    let err = json_err(r#"{"keyframes": {"frames": [], "plays": "often"}}"#);
    assert!(err.to_string().contains(r#""often" is not a number of plays"#), "{err}");
    let err = json_err(r#"{"wait": "1s"} {"wait": "1s"}"#);
    assert!(err.to_string().contains("trailing characters"), "{err}");
    let err = json_err("{\"wait\":\n  \"1s\"");
    assert_eq!(err.position().map(|p| p.line), Some(2), "{err}");
    let err = Spec::from_msgpack(b"\x81\xa4wait\xa41 ms").unwrap_err();
    assert_eq!(err.to_string(), r#"wait: "1 ms" is not a duration; write "1ms" or 0.001"#);
    let mut two = Spec::from_json(r#"{"wait": "1s"}"#).unwrap().to_msgpack();
    two.extend_from_within(..);
    let err = Spec::from_msgpack(&two).unwrap_err();
    assert!(err.to_string().contains("bytes follow the end of the document"), "{err}");
    let err = Spec::from_msgpack(&two[..3]).unwrap_err();
    assert!(err.to_string().contains("ends too early"), "{err}");
}

fn build_err(text: &str, layout: &Layout) -> String {
    let spec = Spec::from_json(text).unwrap();
    spec.build::<bool>(layout).map(drop).unwrap_err().to_string()
}

#[test]
fn build_errors_name_the_place() {
    let talk = Layout::talk();
    assert_eq!(
        build_err(r#"{"sequence": [{"wait": "1s"}, {"on": {"leds": 25}}]}"#, &talk),
        "sequence[1].on.leds: LED 25 is outside the output (25 LEDs); use 0..=24"
    );
    assert_eq!(
        build_err(r#"{"all": [{"on": {"leds": "row 7"}}]}"#, &talk),
        "all[0].on.leds: \"row 7\": the matrix has no row 7 (it has 5); use 0..=4"
    );
    assert_eq!(
        build_err(
            r#"{"repeat": {"times": 2, "body": {"blink": {"leds": 0, "interval": "1s", "color": "red"}}}}"#,
            &talk
        ),
        "repeat.body.blink.color: #ff0000 is a colour, and this output has plain on/off LEDs; \
         write \"on\" or \"off\", or leave the colour out"
    );
    assert_eq!(
        build_err(
            r##"{"keyframes": {"frames": [{"duration": "1s", "pixels": ["on", "#102030"]}]}}"##,
            &talk
        ),
        "keyframes.frames[0].pixels[1]: #102030 is a colour, and this output has plain on/off \
         LEDs; write \"on\" or \"off\", or leave the colour out"
    );
    assert_eq!(
        build_err(r#"{"on": {"leds": "row 0"}}"#, &Layout::strip(11)),
        "on.leds: row 0 needs a matrix, and this output is a strip of 11 LEDs; use indices, \
         ranges such as \"0..5\", or \"all\""
    );
    // What only validation can see keeps the animation's path: loops that could spin
    // at one instant, however many passes, and durations past the end of the timeline.
    let err = build_err(r#"{"forever": {"off": {"leds": 0}}}"#, &talk);
    assert!(err.starts_with("forever: a pass may take no time"), "{err}");
    assert!(build_err(r#"{"any": []}"#, &talk).contains("`any` of no animations"));
    assert!(
        build_err(r#"{"keyframes": {"frames": [{"duration": "1s", "pixels": []}, {"duration": 0, "pixels": []}]}}"#, &talk)
            .contains("frame 1 lasts 0ns, less than MIN_STEP")
    );
    let err =
        build_err(r#"{"blink": {"leds": 0, "interval": 0, "times": 18446744073709551615}}"#, &talk);
    assert!(
        err.starts_with("blink: a period of 0ns (on 0ns + off 0ns) is shorter than MIN_STEP"),
        "{err}"
    );
    let err = build_err(
        r#"{"sequence": [{"repeat": {"times": 1000000000000, "body": {"all": [{"off": {"leds": 0}}, {"any": [{"on": {"leds": 1}}, {"wait": 0}]}]}}}]}"#,
        &talk,
    );
    assert!(err.starts_with("sequence[0] > repeat"), "{err}");
    assert!(err.contains("a pass may take no time"), "{err}");
    let err = build_err(r#"{"wait": "1000000h"}"#, &talk);
    assert!(err.starts_with("wait: the wait of"), "{err}");
    let once =
        r#"{"repeat": {"times": 1, "body": {"blink": {"leds": 0, "interval": "0s", "times": 1}}}}"#;
    assert!(Spec::from_json(once).unwrap().build::<bool>(&talk).is_ok());
    // A list that repeats the whole output over and over is refused before it is built.
    let many = format!(r#"{{"on": {{"leds": [{}"all"]}}}}"#, "\"all\", ".repeat(200));
    assert!(build_err(&many, &talk).contains("LEDs in one list is more than 16 times"));
}

#[test]
fn plain_data_types_cross_threads() {
    fn send_sync<T: Send + Sync + Unpin + 'static>() {}
    send_sync::<Spec>();
    send_sync::<SpecError>();
    send_sync::<Layout>();
    send_sync::<blinken::spec::Presets>();
    send_sync::<blinken::spec::PixelBufAnimation>();
}

#[test]
fn hostile_nesting_gets_an_error_not_a_stack_overflow() {
    // 100,000 nested lists, in JSON and in MessagePack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let err = json_err(&deep);
    assert_eq!(
        err,
        SpecError::TooDeep { max: 64, position: Some(Position { line: 1, column: 65 }) }
    );
    assert_eq!(
        err.to_string(),
        "line 1, column 65: the document nests lists and maps deeper than 64 levels; flatten \
         the program or raise the limit (Limits::max_depth)"
    );
    let mut packed = vec![0x91u8; 100_000]; // fixarray of one element, nested
    packed.push(0xc0);
    let err = Spec::from_msgpack(&packed).unwrap_err();
    assert_eq!(err, SpecError::TooDeep { max: 64, position: None });
    let mut maps = b"\x81\xa7forever".repeat(100_000);
    maps.extend_from_slice(b"\x81\xa4wait\xa21s");
    assert!(matches!(Spec::from_msgpack(&maps).unwrap_err(), SpecError::TooDeep { .. }));

    // A program nested as deep as the limit allows reads, builds and plays, on a test
    // thread's small stack.
    let depth = 63;
    let text = format!(
        "{}{{\"wait\": \"1s\"}}{}",
        "{\"repeat\": {\"times\": 1, \"body\": ".repeat(depth / 2),
        "}}".repeat(depth / 2)
    );
    let spec = Spec::from_json(&text).unwrap();
    assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
    let program = spec.build::<bool>(&Layout::strip(1)).unwrap();
    assert_eq!(timeline(&program, secs(5)).0, RunEnd::Finished(Instant::ZERO + secs(1)));

    // A raised limit counts as 128 at most (serde_json's recursion limit) in both formats,
    // and 128 levels read, build and play on a test thread's 2 MiB stack.
    let limits = Limits { max_depth: 100_000, ..Limits::default() };
    assert!(matches!(
        Spec::from_json_with(&deep, &limits),
        Err(SpecError::TooDeep { max: 128, .. })
    ));
    assert!(matches!(
        Spec::from_msgpack_with(&packed, &limits),
        Err(SpecError::TooDeep { max: 128, .. })
    ));
    let body = |n| {
        format!(
            "{}{{\"wait\": \"1s\"}}{}",
            "{\"repeat\": {\"times\": 1, \"body\": ".repeat(n),
            "}}".repeat(n)
        )
    };
    let spec = Spec::from_json_with(&body(63), &limits).unwrap();
    assert!(matches!(
        Spec::from_json_with(&body(64), &limits),
        Err(SpecError::TooDeep { max: 128, .. })
    ));
    let packed = spec.to_msgpack();
    assert_eq!(Spec::from_msgpack_with(&packed, &limits).unwrap(), spec);
    let program = spec.build::<bool>(&Layout::strip(1)).unwrap();
    assert_eq!(timeline(&program, secs(5)).0, RunEnd::Finished(Instant::ZERO + secs(1)));
}

#[test]
fn hostile_sizes_are_refused() {
    let big = format!(r#"{{"on": {{"leds": [{}0]}}}}"#, "0, ".repeat(400_000));
    assert!(matches!(json_err(&big), SpecError::TooLarge { max: 1_048_576, .. }));
    // A MessagePack list claiming four billion entries in a few bytes.
    let err = Spec::from_msgpack(b"\x81\xa8sequence\xdd\xff\xff\xff\xff").unwrap_err();
    assert!(matches!(err, SpecError::Parse { .. }), "{err}");
    // Ranges are checked against the output before they are expanded.
    let talk = Layout::talk();
    assert!(
        build_err(r#"{"on": {"leds": "0..18446744073709551615"}}"#, &talk).contains("goes past")
    );
}

/// The layers, as the mutation tests' third seed document.
const LAYERS: &str = r#"{"crossfade": {"from": {"overlay": {"base": {"rainbow": {"leds": "all", "speed": "10ms"}}, "top": {"blink": {"leds": "row 2", "interval": "30ms", "times": 3, "color": "red"}}}}, "to": {"comet": {"leds": "all", "speed": "10ms", "color": "cyan"}}, "duration": "300ms", "step": "30ms", "curve": "linear"}}"#;

fn documents() -> Vec<Vec<u8>> {
    [ALL_DEMO, EVERYTHING, EFFECTS, LAYERS].iter().map(|t| t.as_bytes().to_vec()).collect()
}

/// Reads and builds `bytes` as JSON and as MessagePack; only errors may come out, and
/// what is read writes back to itself.
fn try_everything(bytes: &[u8]) {
    let button = blinken::input::Input::new();
    let layouts = [Layout::talk().with_input("button", &button), Layout::strip(3)];
    for spec in [
        std::str::from_utf8(bytes).ok().and_then(|t| Spec::from_json(t).ok()),
        Spec::from_msgpack(bytes).ok(),
    ]
    .into_iter()
    .flatten()
    {
        // Whatever is accepted is written back to the same spec, in both formats.
        assert_eq!(Spec::from_json(&spec.to_json()).as_ref(), Ok(&spec));
        assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).as_ref(), Ok(&spec));
        for layout in &layouts {
            if let Ok(program) = spec.build::<bool>(layout) {
                let mut driver = Driver::new(Recorder::new(layout.len()), VirtualClock::new());
                let _ = driver.run_for(&program, ms(50));
            }
            if let Ok(program) = spec.build::<RGB8>(layout) {
                let mut driver =
                    Driver::new(Recorder::<RGB8>::with_len(layout.len()), VirtualClock::new());
                let _ = driver.run_for(&program, ms(50));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        try_everything(&bytes);
    }

    #[test]
    fn mutated_documents_never_panic(
        doc in 0..3usize,
        packed in any::<bool>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8),
    ) {
        let mut bytes = documents()[doc].clone();
        if packed {
            bytes = Spec::from_json(std::str::from_utf8(&bytes).unwrap()).unwrap().to_msgpack();
        }
        for (at, byte, kind) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        try_everything(&bytes);
    }

    #[test]
    fn json_tokens_swapped_never_panic(
        doc in 0..3usize,
        swaps in proptest::collection::vec((any::<prop::sample::Index>(), 0..12usize), 1..4),
    ) {
        // Replace a value-like token with another, more likely to reach deep code than a byte.
        const TOKENS: [&str; 12] = ["0", "-1", "1e308", "18446744073709551616", "\"\"", "null",
            "[]", "{}", "true", "\"0..99999999999\"", "\"5 ms\"", "{\"art\": [\"#\"]}"];
        let mut text = String::from_utf8(documents()[doc].clone()).unwrap();
        for (at, token) in swaps {
            let starts: Vec<usize> = text.match_indices([':', ',', '[']).map(|(i, _)| i + 1).collect();
            let start = starts[at.index(starts.len())];
            let end = text[start..].find([',', ']', '}']).map_or(text.len(), |e| start + e);
            text.replace_range(start..end, TOKENS[token]);
        }
        try_everything(text.as_bytes());
    }
}

mod generated {
    //! Random programs built from the spec's own types: written back, they read as the
    //! same spec in both formats, and they build and play without a panic.
    use super::*;
    use blinken::spec::{
        BlinkSpec, ChaseSpec, Color, ColorCycleSpec, CometSpec, FadeSpec, FillSpec, FrameSpec,
        KeyframesSpec, LarsonScannerSpec, LedItem, LedsSpec, OffSpec, OnSpec, Plays, PulseSpec,
        RainbowChaseSpec, RainbowCometSpec, RainbowSparkleSpec, RainbowSpec, RepeatSpec, SolidSpec,
        SparkleSpec, TimeoutSpec, WalkSpec,
    };
    use blinken::spec::{CrossfadeSpec, CurveSpec, OverlaySpec, PressesSpec, UntilSpec};
    use proptest::prelude::{Just, Strategy, prop_oneof};
    use proptest::strategy::BoxedStrategy;

    fn duration() -> BoxedStrategy<Duration> {
        prop_oneof![
            (0u64..3_000).prop_map(Duration::from_millis),
            (0u64..5_000_000_000).prop_map(Duration::from_nanos),
            Just(Duration::ZERO),
        ]
        .boxed()
    }

    fn leds() -> BoxedStrategy<LedsSpec> {
        let name = prop_oneof![
            Just("all"),
            Just("row 0"),
            Just("col 4"),
            Just("outer ring"),
            Just("inner ring"),
            Just("ring 2"),
            Just("slash"),
            Just("backslash"),
            Just("line 11"),
            Just("0..5"),
            Just("3..=7"),
            Just("row 9"),
            Just("nonsense")
        ]
        .prop_map(str::to_owned);
        prop_oneof![
            (0usize..30).prop_map(LedsSpec::Index),
            name.clone().prop_map(LedsSpec::Name),
            proptest::collection::vec(
                prop_oneof![(0usize..30).prop_map(LedItem::Index), name.prop_map(LedItem::Name)],
                0..4
            )
            .prop_map(LedsSpec::List),
            Just(LedsSpec::Art(vec![
                ".#.#.".into(),
                ".....".into(),
                "#...#".into(),
                ".###.".into(),
                ".....".into()
            ])),
        ]
        .boxed()
    }

    fn color() -> BoxedStrategy<Color> {
        prop_oneof![
            Just(Color::On),
            Just(Color::Off),
            proptest::arbitrary::any::<[u8; 3]>()
                .prop_map(|[r, g, b]| Color::Rgb(RGB8::new(r, g, b))),
            (proptest::arbitrary::any::<[u8; 3]>(), 0u8..=31).prop_map(|([r, g, b], k)| {
                Color::Dot(blinken::Dot::new(RGB8::new(r, g, b), k))
            }),
        ]
        .boxed()
    }

    fn leaf() -> BoxedStrategy<Spec> {
        let some_color = proptest::option::of(color());
        prop_oneof![
            (
                leds(),
                duration(),
                proptest::option::of(duration()),
                proptest::option::of(0u64..4),
                some_color.clone()
            )
                .prop_map(|(leds, interval, off, times, color)| Spec::Blink(
                    BlinkSpec { leds, interval, off, times, color }
                )),
            (leds(), some_color.clone()).prop_map(|(leds, color)| Spec::On(OnSpec { leds, color })),
            leds().prop_map(|leds| Spec::Off(OffSpec { leds })),
            (leds(), color()).prop_map(|(leds, color)| Spec::Fill(FillSpec { leds, color })),
            duration().prop_map(Spec::Wait),
            (leds(), duration(), some_color.clone())
                .prop_map(|(leds, interval, color)| Spec::Walk(WalkSpec { leds, interval, color })),
            (leds(), duration(), some_color).prop_map(|(leds, interval, color)| Spec::Cycle(
                WalkSpec { leds, interval, color }
            )),
            (
                proptest::collection::vec(
                    (duration(), proptest::collection::vec(color(), 0..6)),
                    0..4
                ),
                proptest::option::of(leds()),
                proptest::option::of(prop_oneof![
                    (0u64..3).prop_map(Plays::Times),
                    Just(Plays::Forever)
                ]),
                proptest::option::of(duration()),
            )
                .prop_map(|(frames, leds, plays, pause)| {
                    let frames = frames
                        .into_iter()
                        .map(|(duration, pixels)| FrameSpec { duration, pixels })
                        .collect();
                    Spec::Keyframes(KeyframesSpec { frames, leds, plays, pause })
                }),
        ]
        .boxed()
    }

    /// A count: mostly small, sometimes 0 or far too large.
    fn count() -> BoxedStrategy<Option<usize>> {
        proptest::option::of(prop_oneof![0usize..8, Just(0), Just(40), Just(usize::MAX)]).boxed()
    }

    /// A step on the wheel (never 0: read refuses it, so the types cannot round-trip it).
    fn wheel() -> BoxedStrategy<Option<u8>> {
        proptest::option::of(1u8..=255).boxed()
    }

    /// A fraction with at most 6 decimals, as the spec reads them.
    fn fraction() -> BoxedStrategy<Option<f64>> {
        proptest::option::of((0u32..=1_000_000).prop_map(|k| f64::from(k) / 1e6)).boxed()
    }

    fn effect() -> BoxedStrategy<Spec> {
        let flag = proptest::arbitrary::any::<bool>;
        let seed = || proptest::option::of(proptest::arbitrary::any::<u64>());
        prop_oneof![
            (leds(), color()).prop_map(|(leds, color)| Spec::Solid(SolidSpec { leds, color })),
            (
                leds(),
                duration(),
                proptest::collection::vec(color(), 0..4),
                proptest::option::of(0usize..5)
            )
                .prop_map(|(leds, speed, colors, start_color)| Spec::ColorCycle(
                    ColorCycleSpec { leds, speed, colors, start_color }
                )),
            (leds(), duration(), color(), count(), count(), flag()).prop_map(
                |(leds, speed, color, size, spacing, reverse)| Spec::Chase(ChaseSpec {
                    leds,
                    speed,
                    color,
                    size,
                    spacing,
                    reverse
                })
            ),
            (
                (leds(), duration(), color(), count()),
                (flag(), flag(), flag(), proptest::option::of(color()))
            )
                .prop_map(
                    |((leds, speed, color, tail_length), (bounce, ring, reverse, background))| {
                        Spec::Comet(CometSpec {
                            leds,
                            speed,
                            color,
                            tail_length,
                            bounce,
                            ring,
                            reverse,
                            background,
                        })
                    }
                ),
            (leds(), duration(), proptest::option::of(duration()), wheel()).prop_map(
                |(leds, speed, period, step)| Spec::Rainbow(RainbowSpec {
                    leds,
                    speed,
                    period,
                    step
                })
            ),
            (leds(), duration(), count(), count(), flag(), wheel()).prop_map(
                |(leds, speed, size, spacing, reverse, step)| Spec::RainbowChase(
                    RainbowChaseSpec { leds, speed, size, spacing, reverse, step }
                )
            ),
            (
                (leds(), duration(), count()),
                (
                    flag(),
                    flag(),
                    flag(),
                    proptest::option::of(proptest::arbitrary::any::<u8>()),
                    wheel()
                )
            )
                .prop_map(
                    |(
                        (leds, speed, tail_length),
                        (bounce, ring, reverse, colorwheel_offset, step),
                    )| {
                        Spec::RainbowComet(RainbowCometSpec {
                            leds,
                            speed,
                            tail_length,
                            bounce,
                            ring,
                            reverse,
                            colorwheel_offset,
                            step,
                        })
                    }
                ),
            (
                (leds(), duration(), color()),
                (
                    proptest::option::of(duration()),
                    proptest::option::of(duration()),
                    fraction(),
                    fraction()
                )
            )
                .prop_map(
                    |((leds, speed, color), (period, breath, min_intensity, max_intensity))| {
                        Spec::Pulse(PulseSpec {
                            leds,
                            speed,
                            color,
                            period,
                            breath,
                            min_intensity,
                            max_intensity,
                        })
                    }
                ),
            (leds(), duration(), color(), count(), seed()).prop_map(
                |(leds, speed, color, num_sparkles, seed)| Spec::Sparkle(SparkleSpec {
                    leds,
                    speed,
                    color,
                    num_sparkles,
                    seed
                })
            ),
            (
                (leds(), duration(), proptest::option::of(duration()), wheel()),
                (count(), fraction(), seed())
            )
                .prop_map(
                    |((leds, speed, period, step), (num_sparkles, background_brightness, seed))| {
                        Spec::RainbowSparkle(RainbowSparkleSpec {
                            leds,
                            speed,
                            period,
                            step,
                            num_sparkles,
                            background_brightness,
                            seed,
                        })
                    }
                ),
            (leds(), duration(), color(), count()).prop_map(|(leds, speed, color, trail)| {
                Spec::LarsonScanner(LarsonScannerSpec { leds, speed, color, trail })
            }),
            (leds(), color(), color(), duration(), proptest::option::of(duration())).prop_map(
                |(leds, from, to, duration, step)| Spec::Fade(FadeSpec {
                    leds,
                    from,
                    to,
                    duration,
                    step
                })
            ),
        ]
        .boxed()
    }

    /// An input's name: the one the layouts have, or one they lack.
    fn input() -> BoxedStrategy<String> {
        prop_oneof![Just("button".to_owned()), Just("bell".to_owned())].boxed()
    }

    fn program() -> impl Strategy<Value = Spec> {
        prop_oneof![3 => leaf(), 2 => effect()].prop_recursive(4, 24, 4, |inner| {
            let list = proptest::collection::vec(inner.clone(), 0..4);
            prop_oneof![
                list.clone().prop_map(Spec::Sequence),
                list.clone().prop_map(Spec::All),
                list.prop_map(Spec::Any),
                inner.clone().prop_map(|s| Spec::Forever(Box::new(s))),
                (0u64..4, inner.clone()).prop_map(|(times, body)| Spec::Repeat(RepeatSpec {
                    times,
                    body: Box::new(body)
                })),
                (duration(), inner.clone()).prop_map(|(after, body)| Spec::Timeout(TimeoutSpec {
                    after,
                    body: Box::new(body)
                })),
                input().prop_map(Spec::Press),
                (input(), 0u64..4)
                    .prop_map(|(input, times)| Spec::Presses(PressesSpec { input, times })),
                (input(), inner.clone()).prop_map(|(input, body)| Spec::Until(UntilSpec {
                    input,
                    body: Box::new(body)
                })),
                (inner.clone(), inner.clone()).prop_map(|(base, top)| Spec::Overlay(OverlaySpec {
                    base: Box::new(base),
                    top: Box::new(top)
                })),
                (
                    inner.clone(),
                    inner,
                    duration(),
                    proptest::option::of(duration()),
                    proptest::option::of(prop_oneof![
                        Just(CurveSpec::Linear),
                        Just(CurveSpec::EaseInOut)
                    ])
                )
                    .prop_map(|(from, to, duration, step, curve)| Spec::Crossfade(
                        CrossfadeSpec {
                            from: Box::new(from),
                            to: Box::new(to),
                            duration,
                            step,
                            curve
                        }
                    )),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn random_programs_round_trip_and_play(spec in program()) {
            proptest::prop_assert_eq!(&Spec::from_json(&spec.to_json()).unwrap(), &spec);
            proptest::prop_assert_eq!(&Spec::from_json(&spec.to_json_pretty()).unwrap(), &spec);
            proptest::prop_assert_eq!(&Spec::from_msgpack(&spec.to_msgpack()).unwrap(), &spec);
            try_everything(spec.to_json().as_bytes());
            // Many of them build on the talk's board; the rest are refused
            // with a named error.
            let _ = spec.build::<blinken::Dot>(&Layout::talk()).map(drop);
            // Built, or refused with an error that names its place (effects on plain
            // on/off LEDs among them).
            let button = blinken::input::Input::new();
            for layout in [Layout::talk().with_input("button", &button), Layout::strip(11)] {
                let errors = [
                    spec.build::<bool>(&layout).err(),
                    spec.build::<RGB8>(&layout).err(),
                    spec.build::<blinken::Dot>(&layout).err(),
                ];
                for err in errors.into_iter().flatten() {
                    proptest::prop_assert!(
                        matches!(err, SpecError::Build { .. } | SpecError::Validation(_)),
                        "{err}"
                    );
                    proptest::prop_assert!(err.path().is_some_and(|p| !p.is_empty()), "{err}");
                }
            }
        }
    }
}
