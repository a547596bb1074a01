//! The talk's six demos written as spec files (presets/) play exactly the timelines of
//! the Rust demos; presets from a directory.
#![cfg(feature = "spec")]

use blinken::demos;
use blinken::prelude::*;
use blinken::spec::{Layout, Limits, Preset, PresetError, Presets, SpecError};

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

#[test]
fn built_in_presets_are_listed_with_one_line_descriptions() {
    let presets = Presets::builtin();
    assert_eq!(presets.len(), 6);
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
    assert_eq!(presets.len(), 7);
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
