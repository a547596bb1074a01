//! The talk's six demos and the twelve effects written as spec files (presets/) play
//! exactly the timelines of the Rust programs; presets from a directory.
#![cfg(feature = "spec")]

use blinken::demos;
use blinken::output::Step;
use blinken::prelude::*;
use blinken::spec::{
    Layout, Limits, Preset, PresetError, PresetLayout, PresetPixels, Presets, Spec, SpecError,
};

fn timeline<A: Animation<bool> + ?Sized>(program: &A, window: Duration) -> (RunEnd, String) {
    let mut driver = Driver::new(Recorder::new(25), VirtualClock::new());
    let end = driver.run_for(program, window).unwrap();
    (end, driver.output().render())
}

fn same_as(name: &str, rust: &(impl Animation<bool> + ?Sized), window: Duration) {
    let presets = Presets::builtin();
    let preset = presets.get(name).unwrap_or_else(|| panic!("no preset {name}"));
    let program = preset.spec().build::<bool>(&Layout::talk()).unwrap();
    let (spec_end, spec_timeline) = timeline(&program, window);
    let (rust_end, rust_timeline) = timeline(rust, window);
    assert_eq!(spec_end, rust_end, "{name}");
    assert_eq!(spec_timeline, rust_timeline, "{name}");
    assert!(spec_timeline.lines().count() > 1, "{name}");
}

#[test]
fn the_six_demos_as_files_play_the_rust_demos_timelines() {
    same_as("all_demo", &demos::all_demo(), secs(10));
    same_as("any_demo", &demos::any_demo(), secs(10));
    same_as("any_on_demo", &demos::any_on_demo(), secs(10));
    same_as("my_blink", &demos::my_blink(), secs(20));
    same_as("cycle", &demos::cycle_demo(), secs(20));
    same_as("smiley", &demos::smiley(), secs(20));
}

fn frames<A: Animation<RGB8> + ?Sized>(program: &A, window: Duration) -> (RunEnd, Vec<Step<RGB8>>) {
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(11), VirtualClock::new());
    let end = driver.run_for(program, window).unwrap();
    (end, driver.output().steps().to_vec())
}

/// The effect preset `name` on the seeds' 11-LED strip plays the frames of `rust`.
fn effect_same_as(name: &str, rust: &impl Animation<RGB8>, window: Duration) {
    let presets = Presets::effects();
    let preset = presets.get(name).unwrap_or_else(|| panic!("no preset {name}"));
    let program = preset.spec().build::<RGB8>(&Layout::strip(11)).unwrap();
    let (spec_end, spec_frames) = frames(&program, window);
    let (rust_end, rust_frames) = frames(rust, window);
    assert_eq!(spec_end, rust_end, "{name}");
    assert_eq!(spec_frames, rust_frames, "{name}");
    assert!(!spec_frames.is_empty(), "{name}");
    // Plain on/off LEDs cannot show it, and say so.
    let err = preset.spec().build::<bool>(&Layout::strip(11)).map(drop).unwrap_err();
    assert!(err.to_string().contains("is a colour effect"), "{name}: {err}");
    // The presets also play on the talk's board, as a colour matrix.
    assert!(preset.spec().build::<RGB8>(&Layout::talk()).is_ok(), "{name}");
}

#[test]
fn the_twelve_effects_as_files_play_the_rust_effects() {
    let rgb = |r, g, b| RGB8::new(r, g, b);
    let (warm, gold, purple) = (rgb(255, 214, 170), rgb(255, 215, 0), rgb(128, 0, 128));
    let (red, amber) = (rgb(255, 0, 0), rgb(255, 191, 0));
    let w = secs(12);
    effect_same_as("solid", &solid(0..11, warm), w);
    let rainbow_colors = [red, rgb(255, 128, 0), rgb(255, 255, 0), rgb(0, 255, 0), rgb(0, 0, 255)];
    let colors = rainbow_colors.into_iter().chain([purple]);
    effect_same_as("color_cycle", &color_cycle(0..11, ms(500), colors), w);
    effect_same_as("chase", &chase(0..11, ms(100), gold).size(2).spacing(3), w);
    effect_same_as("comet", &comet(0..11, ms(50), purple).tail_length(4).bounce(true), w);
    effect_same_as("rainbow", &rainbow(0..11, ms(50)).period(secs(5)), w);
    effect_same_as("rainbow_chase", &rainbow_chase(0..11, ms(100)).size(2).spacing(3).step(8), w);
    effect_same_as("rainbow_comet", &rainbow_comet(0..11, ms(50)).tail_length(5).bounce(true), w);
    effect_same_as("pulse", &pulse(0..11, ms(20), red).period(secs(3)).breath(ms(500)), w);
    effect_same_as("sparkle", &sparkle(0..11, ms(100), amber).num_sparkles(2), w);
    let sparkles = rainbow_sparkle(0..11, ms(100)).period(secs(5)).num_sparkles(2);
    effect_same_as("rainbow_sparkle", &sparkles, w);
    effect_same_as("larson_scanner", &larson_scanner(0..11, ms(80), red).trail(3), w);
    let fades = fade(0..11, RGB8::OFF, warm, secs(2)).then(fade(0..11, warm, RGB8::OFF, secs(2)));
    effect_same_as("fade", &forever(fades), w);
}

#[test]
fn built_in_presets_are_listed_with_one_line_descriptions() {
    let presets = Presets::builtin();
    assert_eq!(presets.len(), 18);
    assert_eq!(Presets::talk_demos().len(), 6);
    assert_eq!(Presets::effects().len(), 12);
    let names = |p: Presets| p.iter().map(|p| p.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(
        names(presets.clone()),
        [names(Presets::talk_demos()), names(Presets::effects())].concat()
    );
    for preset in presets.iter() {
        let d = preset.description();
        assert!(!d.is_empty() && !d.contains('\n') && d.len() < 120, "{}: {d}", preset.name());
        // Written back and read again, the same preset.
        assert_eq!(&Preset::from_json(preset.name(), &preset.to_json()).unwrap(), preset);
    }
}

#[test]
fn presets_from_a_directory() {
    let dir = std::env::temp_dir().join(format!("blinken-presets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        "blink_all.json",
        r#"{"description": "Everything blinks", "program": {"blink": {"leds": "all", "interval": "1s"}}}"#,
    );
    write(
        "smiley.json",
        r#"{"description": "A smiley of my own", "program": {"on": {"leds": "row 2"}}}"#,
    );
    write("notes.txt", "not a preset");
    let mut presets = Presets::builtin();
    presets.load_dir(&dir, &Limits::default()).unwrap();
    assert_eq!(presets.len(), 19);
    assert_eq!(presets.get("smiley").unwrap().description(), "A smiley of my own");
    assert_eq!(presets.get("blink_all").unwrap().description(), "Everything blinks");

    // A broken file names itself and the place in it; nothing is added.
    write("broken.json", r#"{"description": "x", "program": {"wait": "5 ms"}}"#);
    let mut presets = Presets::builtin();
    let err = presets.load_dir(&dir, &Limits::default()).unwrap_err();
    assert!(matches!(&err, PresetError::Spec { source: SpecError::Parse { .. }, .. }));
    assert!(
        err.to_string().ends_with(
            "broken.json: program.wait: \"5 ms\" is not a duration; write \"5ms\" or 0.005 (line 1, column 47)"
        ),
        "{err}"
    );
    assert_eq!(presets, Presets::builtin());
    let err = presets.load_dir(&dir.join("missing"), &Limits::default()).unwrap_err();
    assert!(matches!(err, PresetError::Io { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn names(presets: &Presets) -> Vec<String> {
    presets.iter().map(|p| p.name().to_owned()).collect()
}

#[test]
fn built_in_presets_say_what_they_are_made_for() {
    for demo in Presets::talk_demos().iter() {
        assert_eq!(demo.layout(), Some(PresetLayout::Talk), "{}", demo.name());
        assert_eq!((demo.min_leds(), demo.pixels()), (None, None), "{}", demo.name());
    }
    for effect in Presets::effects().iter() {
        assert_eq!(effect.layout(), None, "{}", effect.name());
        assert_eq!(effect.pixels(), Some(PresetPixels::Color), "{}", effect.name());
        // The fewest LEDs declared are exactly the fewest its program builds on.
        let min = effect.min_leds().unwrap_or(1);
        let builds = |n: usize| effect.spec().build::<RGB8>(&Layout::strip(n)).is_ok();
        assert!(builds(min), "{} on {min} LEDs", effect.name());
        assert!(min == 1 || !builds(min - 1), "{} builds on {} LEDs", effect.name(), min - 1);
    }
}

#[test]
fn presets_fitting_an_output_are_those_made_for_it() {
    let presets = Presets::builtin();
    let talk = Layout::talk();
    let strip = Layout::strip(11);
    assert_eq!(names(&presets.fitting::<bool>(&talk)), names(&Presets::talk_demos()));
    assert_eq!(names(&presets.fitting::<RGB8>(&talk)), names(&presets));
    assert_eq!(names(&presets.fitting::<Dot>(&talk)), names(&presets));
    assert_eq!(names(&presets.fitting::<RGB8>(&strip)), names(&Presets::effects()));
    assert_eq!(names(&presets.fitting::<Dot>(&strip)), names(&Presets::effects()));
    assert!(presets.fitting::<bool>(&strip).is_empty());
    // Three LEDs are too few for a comet with a 4-LED tail, and the others like it.
    assert_eq!(
        names(&presets.fitting::<RGB8>(&Layout::strip(3))),
        [
            "solid",
            "color_cycle",
            "chase",
            "rainbow",
            "rainbow_chase",
            "pulse",
            "sparkle",
            "rainbow_sparkle",
            "larson_scanner",
            "fade"
        ]
    );
    // A 5×5 matrix without the talk's wiring is not the talk's board.
    let plain = Layout::matrix(Matrix::new(5, 5));
    assert_eq!(names(&presets.fitting::<RGB8>(&plain)), names(&Presets::effects()));
    // Everything that fits builds and plays.
    for preset in presets.fitting::<RGB8>(&strip).iter() {
        let program = preset.spec().build::<RGB8>(&strip).unwrap();
        let mut driver = Driver::new(Recorder::<RGB8>::with_len(11), VirtualClock::new());
        driver.run_for(&program, secs(1)).unwrap();
    }
}

#[test]
fn a_preset_that_does_not_fit_says_why() {
    let presets = Presets::builtin();
    let err = |name: &str, f: &dyn Fn(&Preset) -> Result<(), SpecError>| {
        f(presets.get(name).unwrap()).unwrap_err().to_string()
    };
    assert_eq!(
        err("smiley", &|p| p.fits::<RGB8>(&Layout::strip(11))),
        "layout: smiley is made for the talk's 5×5 board (\"layout\": \"talk\"), and this \
         output is a strip of 11 LEDs; choose a preset that fits it (Presets::fitting)"
    );
    let plain = Layout::matrix(Matrix::new(5, 5));
    assert_eq!(
        err("any_on_demo", &|p| p.fits::<bool>(&plain)),
        "layout: any_on_demo is made for the talk's 5×5 board (\"layout\": \"talk\"), and this \
         output is a 5×5 matrix without the talk's wiring; choose a preset that fits it \
         (Presets::fitting)"
    );
    assert_eq!(
        err("chase", &|p| p.fits::<bool>(&Layout::talk())),
        "pixels: chase needs colour pixels (\"pixels\": \"color\"), and this output has plain \
         on/off LEDs; play it on an RGB8 or Dot output"
    );
    assert_eq!(
        err("rainbow_comet", &|p| p.fits::<Dot>(&Layout::strip(4))),
        "min_leds: rainbow_comet needs at least 5 LEDs, and this output has 4; choose a preset \
         that fits it (Presets::fitting)"
    );
    // A preset that says nothing is checked by building its program.
    let wide = Preset::from_json(
        "wide",
        r#"{"description": "LED 20 on", "program": {"on": {"leds": 20}}}"#,
    )
    .unwrap();
    assert_eq!((wide.layout(), wide.min_leds(), wide.pixels()), (None, None, None));
    assert!(wide.fits::<bool>(&Layout::strip(21)).is_ok());
    let build = wide.spec().build::<bool>(&Layout::strip(11)).map(drop).unwrap_err();
    assert_eq!(wide.fits::<bool>(&Layout::strip(11)).unwrap_err(), build);
    // So is one whose keys are satisfied.
    let matrix = wide.clone().with_layout(PresetLayout::Matrix).with_pixels(PresetPixels::Any);
    assert_eq!(matrix.fits::<RGB8>(&Layout::talk()), Ok(()));
    assert!(matrix.fits::<RGB8>(&plain).is_ok());
    assert_eq!(
        matrix.fits::<RGB8>(&Layout::strip(25)).unwrap_err().to_string(),
        "layout: wide is made for a matrix (\"layout\": \"matrix\"), and this output is a strip \
         of 25 LEDs; choose a preset that fits it (Presets::fitting)"
    );
}

#[test]
fn what_a_preset_needs_reads_back_exactly_and_bad_values_are_refused() {
    let program = Spec::from_json(r#"{"on": {"leds": "all"}}"#).unwrap();
    let all_keys = Preset::new("all_keys", "Everything on", program.clone())
        .with_layout(PresetLayout::Talk)
        .with_min_leds(25)
        .with_pixels(PresetPixels::Any);
    let json = all_keys.to_json();
    assert!(json.contains(r#""layout": "talk""#), "{json}");
    assert!(json.contains(r#""min_leds": 25"#), "{json}");
    assert!(json.contains(r#""pixels": "any""#), "{json}");
    assert_eq!(Preset::from_json("all_keys", &json).unwrap(), all_keys);
    // Keys left out stay out when written back.
    let none = Preset::new("none", "Everything on", program).with_min_leds(0);
    assert_eq!(none.min_leds(), None);
    let json = none.to_json();
    for key in ["layout", "min_leds", "pixels"] {
        assert!(!json.contains(key), "{json}");
    }
    assert_eq!(Preset::from_json("none", &json).unwrap(), none);

    let read = |extra: &str| {
        let text = format!(r#"{{"description": "x", {extra}, "program": {{"wait": "1s"}}}}"#);
        Preset::from_json("bad", &text).unwrap_err().to_string()
    };
    assert_eq!(
        read(r#""layout": "ring""#),
        "layout: unknown variant `ring`, expected `talk` or `matrix` (line 1, column 37)"
    );
    assert_eq!(
        read(r#""pixels": "rgb""#),
        "pixels: unknown variant `rgb`, expected `any` or `color` (line 1, column 36)"
    );
    assert_eq!(
        read(r#""min_leds": 0"#),
        "min_leds: 0 LEDs asks nothing; write 1 or more, or leave min_leds out (line 1, column 34)"
    );
    assert!(read(r#""min_leds": -3"#).starts_with("min_leds: invalid value: integer `-3`"));
    assert_eq!(
        read(r#""fits": "strip""#),
        "fits: unknown field `fits`, expected one of `description`, `layout`, `min_leds`, \
         `pixels`, `program` (line 1, column 27)"
    );
}
