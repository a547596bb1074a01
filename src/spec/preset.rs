//! Named programs: the talk's six demos and the twelve effects built in, more from a
//! directory.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::read::{json, msgpack};
use super::{Color, Layout, Limits, Spec, SpecError, SpecPixel};
use crate::{Matrix, RGB8};

/// A named program with a one-line description, and what it needs of an output.
///
/// A preset file (`NAME.json` or `NAME.msgpack`) holds the description and the program:
///
/// ```json
/// {"description": "The talk's any-on-demo: every LED on for half a second",
///  "layout": "talk",
///  "program": {"any": [{"on": {"leds": "all"}}, {"wait": "500ms"}]}}
/// ```
///
/// Three optional keys say what the preset is made for, so that a list can offer only
/// the presets that fit an output ([`Preset::fits`], [`Presets::fitting`]):
///
/// | key | value | fits |
/// |---|---|---|
/// | `"layout"` | `"talk"` | the talk's 5×5 board ([`Layout::talk`]) |
/// | | `"matrix"` | any matrix ([`Layout::matrix`]) |
/// | `"min_leds"` | a number, at least 1 | an output of at least that many LEDs |
/// | `"pixels"` | `"color"` | colour pixels ([`RGB8`](crate::RGB8), [`Dot`](crate::Dot)), not on/off LEDs |
/// | | `"any"` | any pixels |
///
/// Left out, a key asks nothing. Whatever they say, the program must also build for
/// the output. Other keys are refused; written back ([`Preset::to_json`]) the keys
/// given are kept, and only those.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::spec::{Layout, Preset, PresetLayout, PresetPixels};
///
/// let text = r#"{"description": "A red comet", "pixels": "color", "min_leds": 4,
///                "program": {"comet": {"leds": "all", "speed": "50ms", "color": "red",
///                                      "tail_length": 4}}}"#;
/// let preset = Preset::from_json("red_comet", text).unwrap();
/// assert_eq!(preset.pixels(), Some(PresetPixels::Color));
/// assert_eq!(preset.min_leds(), Some(4));
/// assert_eq!(preset.layout(), None);
/// assert_eq!(Preset::from_json("red_comet", &preset.to_json()).unwrap(), preset);
///
/// assert!(preset.fits::<RGB8>(&Layout::strip(11)).is_ok());
/// assert_eq!(
///     preset.fits::<RGB8>(&Layout::strip(3)).unwrap_err().to_string(),
///     "min_leds: red_comet needs at least 4 LEDs, and this output has 3; \
///      choose a preset that fits it (Presets::fitting)"
/// );
/// assert_eq!(
///     preset.fits::<bool>(&Layout::talk()).unwrap_err().to_string(),
///     "pixels: red_comet needs colour pixels (\"pixels\": \"color\"), and this output \
///      has plain on/off LEDs; play it on an RGB8 or Dot output"
/// );
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    layout: Option<PresetLayout>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "at_least_one")]
    min_leds: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pixels: Option<PresetPixels>,
    program: Spec,
}

/// `min_leds`: a number of LEDs, at least 1.
fn at_least_one<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    match usize::deserialize(d)? {
        0 => Err(serde::de::Error::custom(
            "0 LEDs asks nothing; write 1 or more, or leave min_leds out",
        )),
        n => Ok(Some(n)),
    }
}

/// The layout a preset is made for: its `"layout"` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PresetLayout {
    /// `"talk"`: the talk's 5×5 board, [`Layout::talk`] (its rows, rings, art and GPIO
    /// lines).
    Talk,
    /// `"matrix"`: any matrix ([`Layout::matrix`]): rows, columns, text art.
    Matrix,
}

/// The pixels a preset needs: its `"pixels"` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PresetPixels {
    /// `"any"`: plain on/off LEDs or colour.
    Any,
    /// `"color"`: colour pixels ([`RGB8`](crate::RGB8), [`Dot`](crate::Dot)), as the
    /// effects need.
    Color,
}

/// What `layout` is, in words: `a strip of 11 LEDs`, `a 5×5 matrix`.
fn describe(layout: &Layout) -> String {
    match layout.as_matrix() {
        Some(m) if *m == Matrix::talk() => "the talk's 5×5 board".to_owned(),
        Some(m) => format!("a {}×{} matrix without the talk's wiring", m.rows(), m.cols()),
        None => format!("a strip of {} LEDs", layout.len()),
    }
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

    /// A preset of `program`, in code, that asks nothing of the output (add that with
    /// [`Preset::with_layout`], [`Preset::with_min_leds`], [`Preset::with_pixels`]).
    pub fn new(name: &str, description: &str, program: Spec) -> Preset {
        let file = PresetFile {
            description: description.to_owned(),
            layout: None,
            min_leds: None,
            pixels: None,
            program,
        };
        Preset { name: name.to_owned(), file }
    }

    /// Made for `layout` (the file's `"layout"` key).
    #[must_use]
    pub fn with_layout(mut self, layout: PresetLayout) -> Preset {
        self.file.layout = Some(layout);
        self
    }

    /// Needs at least `leds` LEDs (the file's `"min_leds"` key); 0 asks nothing and
    /// leaves the key out.
    #[must_use]
    pub fn with_min_leds(mut self, leds: usize) -> Preset {
        self.file.min_leds = (leds > 0).then_some(leds);
        self
    }

    /// Needs `pixels` (the file's `"pixels"` key).
    #[must_use]
    pub fn with_pixels(mut self, pixels: PresetPixels) -> Preset {
        self.file.pixels = Some(pixels);
        self
    }

    /// The layout it is made for, if it says.
    pub fn layout(&self) -> Option<PresetLayout> {
        self.file.layout
    }

    /// The fewest LEDs it needs, if it says.
    pub fn min_leds(&self) -> Option<usize> {
        self.file.min_leds
    }

    /// The pixels it needs, if it says.
    pub fn pixels(&self) -> Option<PresetPixels> {
        self.file.pixels
    }

    /// Whether it plays on an output of `P` pixels laid out as `layout`: what its keys
    /// ask (layout, LEDs, pixels), then whether its program builds there
    /// ([`Spec::build`], which also validates it).
    ///
    /// # Errors
    ///
    /// [`SpecError::Build`] at `layout`, `min_leds` or `pixels` naming the preset, what
    /// it needs and what the output is; otherwise the error of [`Spec::build`].
    pub fn fits<P: SpecPixel>(&self, layout: &Layout) -> Result<(), SpecError> {
        let name = &self.name;
        let choose = "choose a preset that fits it (Presets::fitting)";
        let colour = P::from_color(Color::Rgb(RGB8::new(255, 0, 0))).is_ok();
        if self.file.pixels == Some(PresetPixels::Color) && !colour {
            return Err(SpecError::build(
                "pixels",
                format!(
                    "{name} needs colour pixels (\"pixels\": \"color\"), and this output has \
                     plain on/off LEDs; play it on an RGB8 or Dot output"
                ),
            ));
        }
        let made_for = match self.file.layout {
            Some(PresetLayout::Talk) if layout.as_matrix() != Some(&Matrix::talk()) => {
                Some("the talk's 5×5 board (\"layout\": \"talk\")")
            }
            Some(PresetLayout::Matrix) if layout.as_matrix().is_none() => {
                Some("a matrix (\"layout\": \"matrix\")")
            }
            _ => None,
        };
        if let Some(made_for) = made_for {
            let is = describe(layout);
            return Err(SpecError::build(
                "layout",
                format!("{name} is made for {made_for}, and this output is {is}; {choose}"),
            ));
        }
        if let Some(min) = self.file.min_leds.filter(|&min| min > layout.len()) {
            let has = layout.len();
            return Err(SpecError::build(
                "min_leds",
                format!("{name} needs at least {min} LEDs, and this output has {has}; {choose}"),
            ));
        }
        self.file.program.build::<P>(layout).map(drop)
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

    /// The presets that play on an output of `P` pixels laid out as `layout`
    /// ([`Preset::fits`]), in order: what a server offers for its output.
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::spec::{Layout, Presets};
    ///
    /// let presets = Presets::builtin();
    /// let names = |p: Presets| p.iter().map(|p| p.name().to_owned()).collect::<Vec<_>>();
    /// // On the talk's board of plain LEDs: its six demos.
    /// assert_eq!(names(presets.fitting::<bool>(&Layout::talk())), names(Presets::talk_demos()));
    /// // On the seeds' DotStar strip: the twelve effects.
    /// assert_eq!(names(presets.fitting::<Dot>(&Layout::strip(11))), names(Presets::effects()));
    /// // On a colour matrix wired as the talk's board: all of them.
    /// assert_eq!(presets.fitting::<RGB8>(&Layout::talk()).len(), 18);
    /// ```
    #[must_use]
    pub fn fitting<P: SpecPixel>(&self, layout: &Layout) -> Presets {
        let list = self.list.iter().filter(|p| p.fits::<P>(layout).is_ok()).cloned().collect();
        Presets { list }
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
