//! A program named on the command line: a preset name, a spec file, a keyframe file of
//! the pixel-buffer player, or inline JSON (`--spec`). Read and checked here, so that
//! a typo is reported with its line and column before any server is asked.

use std::path::Path;

use blinken::BoxAnimation;
use blinken::spec::{Layout, Limits, PixelBufAnimation, Preset, Presets, Spec};

use crate::args::ProgramArgs;
use crate::error::Failed;
use crate::pixel::CliPixel;

/// What a program argument named.
#[derive(Debug)]
pub enum Program {
    /// A preset, by name (the server or `--presets` knows it).
    Preset(String),
    /// A spec.
    Spec(Spec),
    /// A keyframe file of the pixel-buffer player.
    Keyframes(PixelBufAnimation),
}

impl Program {
    /// Reads the program the arguments name.
    pub fn read(args: &ProgramArgs) -> Result<Program, Failed> {
        if let Some(text) = &args.spec {
            return from_json_text(text).map_err(|e| Failed::new(format!("--spec: {e}")));
        }
        let name = args.program.as_deref().expect("clap requires PROGRAM or --spec");
        let path = Path::new(name);
        let is_file_name = name.ends_with(".json") || name.ends_with(".msgpack");
        if is_file_name || path.is_file() {
            return from_file(path);
        }
        if name.contains(['/', '.', '{', ' ']) {
            return Err(Failed::new(format!(
                "{name}: no such file, and not a preset name; give a spec file (.json, \
                 .msgpack), a preset name (blinken presets lists them) or --spec JSON"
            )));
        }
        Ok(Program::Preset(name.to_owned()))
    }

    /// The program as the protocol writes it (`P` of `{"play": P}`).
    pub fn to_wire(&self) -> serde_json::Value {
        match self {
            Program::Preset(name) => serde_json::Value::String(name.clone()),
            Program::Spec(spec) => {
                serde_json::from_str(&spec.to_json()).expect("a spec writes valid JSON")
            }
            Program::Keyframes(animation) => {
                serde_json::from_str(&animation.to_json()).expect("keyframes write valid JSON")
            }
        }
    }

    /// Builds the program for `layout`, looking presets up in `presets`.
    pub fn build<P: CliPixel>(
        &self,
        layout: &Layout,
        presets: &Presets,
    ) -> Result<BoxAnimation<P>, Failed> {
        match self {
            Program::Preset(name) => {
                let Some(preset) = presets.get(name) else {
                    let names: Vec<&str> = presets.iter().map(|p| p.name()).collect();
                    return Err(Failed::new(format!(
                        "there is no preset {name:?}; the presets are: {}",
                        names.join(", ")
                    )));
                };
                // What the preset says it needs first (a board, LEDs, colour), then its build.
                preset
                    .fits::<P>(layout)
                    .map_err(|e| Failed::because(format!("the preset {name} does not fit"), e))?;
                preset
                    .spec()
                    .build::<P>(layout)
                    .map_err(|e| Failed::because(format!("the preset {name} does not build"), e))
            }
            Program::Spec(spec) => {
                spec.build::<P>(layout).map_err(|e| Failed::because("the spec does not build", e))
            }
            Program::Keyframes(animation) => {
                let program = P::keyframes(animation).map_err(Failed::new)?;
                program
                    .validate_dyn(layout.len())
                    .map_err(|e| Failed::because("the keyframes do not fit the LEDs", e))?;
                Ok(program)
            }
        }
    }
}

/// JSON text: a keyframe file (a map with `frames`), a preset file (a map with
/// `program`), a preset name (a JSON string), or a spec.
fn from_json_text(text: &str) -> Result<Program, String> {
    let limits = Limits::default();
    if text.len() > limits.max_bytes {
        return Err(format!(
            "{} bytes is larger than a program may be ({} bytes)",
            text.len(),
            limits.max_bytes
        ));
    }
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        // Spec's own reader words the error (line, column, what to write).
        Err(_) => return Spec::from_json(text).map(Program::Spec).map_err(|e| e.to_string()),
    };
    match &value {
        serde_json::Value::String(name) => Ok(Program::Preset(name.clone())),
        serde_json::Value::Object(map) if map.contains_key("frames") => {
            PixelBufAnimation::from_json(text).map(Program::Keyframes).map_err(|e| e.to_string())
        }
        serde_json::Value::Object(map) if map.contains_key("program") => {
            Preset::from_json("file", text)
                .map(|p| Program::Spec(p.spec().clone()))
                .map_err(|e| e.to_string())
        }
        _ => Spec::from_json(text).map(Program::Spec).map_err(|e| e.to_string()),
    }
}

fn from_file(path: &Path) -> Result<Program, Failed> {
    let shown = path.display();
    let limits = Limits::default();
    let size = std::fs::metadata(path)
        .map_err(|e| Failed::because(format!("could not read {shown}"), e))?
        .len();
    if size > limits.max_bytes as u64 {
        return Err(Failed::new(format!(
            "{shown}: {size} bytes is larger than a program may be ({} bytes)",
            limits.max_bytes
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Failed::because(format!("could not read {shown}"), e))?;
    if path.extension().is_some_and(|e| e == "msgpack") {
        return match Spec::from_msgpack(&bytes) {
            Ok(spec) => Ok(Program::Spec(spec)),
            Err(as_spec) => match PixelBufAnimation::from_msgpack(&bytes) {
                Ok(animation) => Ok(Program::Keyframes(animation)),
                Err(as_keyframes) => Err(Failed::new(format!(
                    "{shown} is neither a spec nor a keyframe file: as a spec, {as_spec}; \
                     as keyframes, {as_keyframes}"
                ))),
            },
        };
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        Failed::new(format!("{shown} is not UTF-8 text; a MessagePack file must end in .msgpack"))
    })?;
    from_json_text(&text).map_err(|e| Failed::new(format!("{shown}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inline(text: &str) -> Result<Program, Failed> {
        Program::read(&ProgramArgs { program: None, spec: Some(text.to_owned()) })
    }

    #[test]
    fn inline_programs() {
        let spec = inline(r#"{"blink": {"leds": 0, "interval": "100ms"}}"#).unwrap();
        assert!(matches!(spec, Program::Spec(_)));
        assert_eq!(spec.to_wire()["blink"]["interval"], "100ms");
        assert!(
            matches!(inline(r#""smiley""#).unwrap(), Program::Preset(name) if name == "smiley")
        );
        let frames = r#"{"frames": [{"display_ms": 30, "pixels": [{"brightness": 1.0, "red": 0, "green": 0, "blue": 255}]}], "loop_infinitely": true, "pause_between_play_ms": 100, "max_plays": null}"#;
        let keyframes = inline(frames);
        assert!(matches!(keyframes, Ok(Program::Keyframes(_))), "{keyframes:?}");
    }

    #[test]
    fn bad_inline_programs_name_the_place() {
        let error = inline(r#"{"blink": {"leds": 0, "interval": "5 ms"}}"#).unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("--spec: blink.interval: \"5 ms\" is not a duration"), "{text}");
        let error = inline(r#"{"blink": "#).unwrap_err().to_string();
        assert!(error.contains("line 1"), "{error}");
    }

    #[test]
    fn names_and_files() {
        let read =
            |name: &str| Program::read(&ProgramArgs { program: Some(name.into()), spec: None });
        assert!(matches!(read("smiley").unwrap(), Program::Preset(_)));
        let missing = read("missing.json").unwrap_err();
        assert!(missing.to_string().contains("could not read missing.json"), "{missing}");
        let typo = read("./smiley").unwrap_err().to_string();
        assert!(typo.contains("no such file, and not a preset name"), "{typo}");
    }
}
