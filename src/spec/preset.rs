//! Named programs: the talk's six demos and the twelve effects built in, more from a
//! directory.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::read::{json, msgpack};
use super::{Limits, Spec, SpecError};

/// A named program with a one-line description.
///
/// A preset file (`NAME.json` or `NAME.msgpack`) holds the description and the program:
///
/// ```json
/// {"description": "The talk's any-on-demo: every LED on for half a second",
///  "program": {"any": [{"on": {"leds": "all"}}, {"wait": "500ms"}]}}
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    name: String,
    file: PresetFile,
}

/// What a preset file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    description: String,
    program: Spec,
}

/// The built-in presets, as the files in the repository's `presets/` directory: the
/// talk's six demos for its 5×5 board ([`Layout::talk`](super::Layout::talk)), then the
/// twelve effects on `"all"` LEDs of a colour strip (made for the seeds' 11-LED
/// DotStar strip, [`Layout::strip`](super::Layout::strip)`(11)`).
const BUILT_IN: [(&str, &str); 18] = [
    ("all_demo", include_str!("../../presets/all_demo.json")),
    ("any_demo", include_str!("../../presets/any_demo.json")),
    ("any_on_demo", include_str!("../../presets/any_on_demo.json")),
    ("my_blink", include_str!("../../presets/my_blink.json")),
    ("cycle", include_str!("../../presets/cycle.json")),
    ("smiley", include_str!("../../presets/smiley.json")),
    ("solid", include_str!("../../presets/solid.json")),
    ("color_cycle", include_str!("../../presets/color_cycle.json")),
    ("chase", include_str!("../../presets/chase.json")),
    ("comet", include_str!("../../presets/comet.json")),
    ("rainbow", include_str!("../../presets/rainbow.json")),
    ("rainbow_chase", include_str!("../../presets/rainbow_chase.json")),
    ("rainbow_comet", include_str!("../../presets/rainbow_comet.json")),
    ("pulse", include_str!("../../presets/pulse.json")),
    ("sparkle", include_str!("../../presets/sparkle.json")),
    ("rainbow_sparkle", include_str!("../../presets/rainbow_sparkle.json")),
    ("larson_scanner", include_str!("../../presets/larson_scanner.json")),
    ("fade", include_str!("../../presets/fade.json")),
];

/// How many of [`BUILT_IN`] are the talk's demos (the rest are effects).
const TALK_DEMOS: usize = 6;

impl Preset {
    /// A preset named `name` from the text of a preset file.
    ///
    /// # Errors
    ///
    /// As [`Spec::from_json`], with paths starting at `program`.
    pub fn from_json(name: &str, text: &str) -> Result<Preset, SpecError> {
        Preset::from_json_with(name, text, &Limits::DEFAULT)
    }

    fn from_json_with(name: &str, text: &str, limits: &Limits) -> Result<Preset, SpecError> {
        let file = json(text.as_bytes(), limits)?;
        Ok(Preset { name: name.to_owned(), file })
    }

    /// A preset named `name` from the bytes of a MessagePack preset file.
    ///
    /// # Errors
    ///
    /// As [`Spec::from_msgpack`].
    pub fn from_msgpack(name: &str, bytes: &[u8]) -> Result<Preset, SpecError> {
        let file = msgpack(bytes, &Limits::DEFAULT)?;
        Ok(Preset { name: name.to_owned(), file })
    }

    /// A preset of `program`, in code.
    pub fn new(name: &str, description: &str, program: Spec) -> Preset {
        let file = PresetFile { description: description.to_owned(), program };
        Preset { name: name.to_owned(), file }
    }

    /// The name: `"smiley"`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// One line saying what it shows.
    pub fn description(&self) -> &str {
        &self.file.description
    }

    /// The program.
    pub fn spec(&self) -> &Spec {
        &self.file.program
    }

    /// The preset file as JSON text; [`Preset::from_json`] reads it back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.file)
            .unwrap_or_else(|e| unreachable!("a preset is plain data: {e}"))
    }
}

/// A preset directory could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PresetError {
    /// The directory or a file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not a preset.
    #[error("{}: {source}", path.display())]
    Spec {
        /// The file.
        path: PathBuf,
        /// What is wrong in it, and where.
        #[source]
        source: SpecError,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PresetError + '_ {
    move |source| PresetError::Io { path: path.to_owned(), source }
}

/// A list of presets, looked up by name, in order.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::spec::{Layout, Presets};
///
/// let presets = Presets::builtin();
/// let names: Vec<&str> = presets.iter().map(|p| p.name()).collect();
/// assert_eq!(names[..6], ["all_demo", "any_demo", "any_on_demo", "my_blink", "cycle", "smiley"]);
/// assert_eq!(names[6..], [
///     "solid", "color_cycle", "chase", "comet", "rainbow", "rainbow_chase", "rainbow_comet",
///     "pulse", "sparkle", "rainbow_sparkle", "larson_scanner", "fade",
/// ]);
/// let any_on = presets.get("any_on_demo").unwrap();
/// assert_eq!(any_on.description(), "The talk's any-on-demo: every LED on for half a second");
///
/// let program = any_on.spec().build::<bool>(&Layout::talk()).unwrap();
/// let mut driver = Driver::new(Recorder::new(25), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(500));
///
/// // The effects play on a colour strip, such as the seeds' 11 DotStar LEDs.
/// let chase = presets.get("chase").unwrap().spec().build::<Dot>(&Layout::strip(11)).unwrap();
/// let mut driver = Driver::new(Recorder::<Dot>::with_len(11), VirtualClock::new());
/// driver.run_for(&chase, ms(250)).unwrap();
/// driver.output().assert_timeline("
///     0.000000 ##...##...#
///     0.100000 .##...##...
///     0.200000 ..##...##..
/// ");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Presets {
    list: Vec<Preset>,
}

impl Presets {
    /// The talk's six demos, for its 5×5 board ([`Presets::talk_demos`]), and the
    /// twelve effects, for a colour strip ([`Presets::effects`]).
    pub fn builtin() -> Presets {
        Presets::parse(&BUILT_IN)
    }

    /// The talk's six demos, for its 5×5 board ([`Layout::talk`](super::Layout::talk)):
    /// `all_demo`, `any_demo`, `any_on_demo`, `my_blink`, `cycle`, `smiley`.
    pub fn talk_demos() -> Presets {
        Presets::parse(&BUILT_IN[..TALK_DEMOS])
    }

    /// The twelve effects of [`crate::effect`], one preset each, named after the effect
    /// and played on `"all"` LEDs of a colour output (made for the seeds' 11-LED
    /// DotStar strip, [`Layout::strip`](super::Layout::strip)`(11)`).
    pub fn effects() -> Presets {
        Presets::parse(&BUILT_IN[TALK_DEMOS..])
    }

    fn parse(files: &[(&str, &str)]) -> Presets {
        let list = files
            .iter()
            .map(|(name, text)| {
                Preset::from_json(name, text)
                    .unwrap_or_else(|e| panic!("built-in preset {name} is broken: {e}"))
            })
            .collect();
        Presets { list }
    }

    /// Adds `preset`, replacing one of the same name.
    pub fn insert(&mut self, preset: Preset) {
        match self.list.iter_mut().find(|p| p.name == preset.name) {
            Some(old) => *old = preset,
            None => self.list.push(preset),
        }
    }

    /// Adds every `NAME.json` and `NAME.msgpack` file of `dir` (other files are
    /// skipped), in name order; a file named like a preset already listed replaces it.
    /// Each file is read within `limits`.
    ///
    /// # Errors
    ///
    /// The first file that cannot be read or is not a preset, naming it; nothing is
    /// added then.
    pub fn load_dir(&mut self, dir: &Path, limits: &Limits) -> Result<(), PresetError> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io(dir))?;
        paths.sort();
        let mut found = Vec::new();
        for path in paths {
            let (Some(name), Some(ext)) = (path.file_stem(), path.extension()) else { continue };
            let name = name.to_string_lossy();
            let spec_error = |source| PresetError::Spec { path: path.clone(), source };
            let size = std::fs::metadata(&path).map_err(io(&path))?.len();
            if size > limits.max_bytes as u64 {
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                return Err(spec_error(SpecError::TooLarge { size, max: limits.max_bytes }));
            }
            let preset = match ext.to_str() {
                Some("json") => {
                    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
                    Preset::from_json_with(&name, &text, limits)
                }
                Some("msgpack") => {
                    let bytes = std::fs::read(&path).map_err(io(&path))?;
                    msgpack(&bytes, limits).map(|file| Preset { name: name.to_string(), file })
                }
                _ => continue,
            };
            found.push(preset.map_err(spec_error)?);
        }
        for preset in found {
            self.insert(preset);
        }
        Ok(())
    }

    /// The preset named `name`.
    pub fn get(&self, name: &str) -> Option<&Preset> {
        self.list.iter().find(|p| p.name == name)
    }

    /// Every preset, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Preset> {
        self.list.iter()
    }

    /// How many presets.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
