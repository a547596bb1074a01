//! Programs as data: a serde description of every leaf, effect and combinator, read from
//! JSON and MessagePack, built into a [`BoxAnimation`](crate::BoxAnimation) for any
//! output.
//!
//! A [`Spec`] is plain data, apart from the animation types: one map with one key per
//! leaf, effect or combinator. The talk's all-demo on its 5×5 board:
//!
//! ```json
//! {"sequence": [{"all": [{"blink": {"leds": 0, "interval": "100ms", "times": 5}},
//!                        {"wait": "3s"}]},
//!               {"blink": {"leds": 12, "interval": "300ms", "times": 5}}]}
//! ```
//!
//! # The format
//!
//! | spec | builds |
//! |---|---|
//! | `{"blink": {"leds": L, "interval": D, "off": D, "times": N, "color": C}}` | [`blink`](crate::blink) (`off`, `times`, `color` optional) |
//! | `{"on": {"leds": L, "color": C}}` | [`on`](crate::on) |
//! | `{"off": {"leds": L}}` | [`off`](crate::off) |
//! | `{"fill": {"leds": L, "color": C}}` | [`fill`](crate::fill) |
//! | `{"wait": D}` | [`wait`](crate::wait) |
//! | `{"walk": {"leds": L, "interval": D, "color": C}}` | [`walk`](crate::walk) |
//! | `{"cycle": {"leds": L, "interval": D, "color": C}}` | [`cycle`](crate::cycle) |
//! | `{"keyframes": {"frames": [{"duration": D, "pixels": [C, ...]}, ...], "leds": L, "plays": N or "forever", "pause": D}}` | [`keyframes`](crate::keyframes) |
//! | `{"sequence": [S, ...]}`, `{"all": [S, ...]}`, `{"any": [S, ...]}` | [`sequence`](crate::sequence), [`all`](crate::all), [`any`](crate::any) |
//! | `{"forever": S}` | [`forever`](crate::forever) |
//! | `{"repeat": {"times": N, "body": S}}` | [`repeat`](crate::repeat) |
//! | `{"timeout": {"after": D, "body": S}}` | [`timeout`](crate::timeout) |
//! | `{"overlay": {"base": S, "top": S}}` | [`overlay`](crate::overlay) |
//! | `{"crossfade": {"from": S, "to": S, "duration": D, "step": D, "curve": "linear" or "ease_in_out"}}` | [`crossfade`](crate::crossfade), colour outputs only (`step` 20 ms, `curve` linear) |
//!
//! The effects ([`crate::effect`]) play on colour outputs ([`RGB8`](crate::RGB8),
//! [`Dot`](crate::Dot)); on plain on/off LEDs, [`Spec::build`] refuses them by name.
//! Their keys are named as the builder methods, and a key left out takes the builder's
//! default (in brackets):
//!
//! | spec | builds |
//! |---|---|
//! | `{"solid": {"leds": L, "color": C}}` | [`solid`](crate::solid) |
//! | `{"color_cycle": {"leds": L, "speed": D, "colors": [C, ...], "start_color": N}}` | [`color_cycle`](crate::color_cycle) (`start_color` 0) |
//! | `{"chase": {"leds": L, "speed": D, "color": C, "size": N, "spacing": N, "reverse": B}}` | [`chase`](crate::chase) (2, 3, false) |
//! | `{"comet": {"leds": L, "speed": D, "color": C, "tail_length": N, "bounce": B, "ring": B, "reverse": B, "background": C}}` | [`comet`](crate::comet) (a quarter of the LEDs, false, false, false, off) |
//! | `{"rainbow": {"leds": L, "speed": D, "period": D, "step": N}}` | [`rainbow`](crate::rainbow) (5 s, 1) |
//! | `{"rainbow_chase": {"leds": L, "speed": D, "size": N, "spacing": N, "reverse": B, "step": N}}` | [`rainbow_chase`](crate::rainbow_chase) (2, 3, false, 8) |
//! | `{"rainbow_comet": {"leds": L, "speed": D, "tail_length": N, "bounce": B, "ring": B, "reverse": B, "colorwheel_offset": N, "step": N}}` | [`rainbow_comet`](crate::rainbow_comet) (10, false, false, false, 0, `max(256 / tail_length, 1)`) |
//! | `{"pulse": {"leds": L, "speed": D, "color": C, "period": D, "breath": D, "min_intensity": F, "max_intensity": F}}` | [`pulse`](crate::pulse) (5 s, 0, 0, 1) |
//! | `{"sparkle": {"leds": L, "speed": D, "color": C, "num_sparkles": N, "seed": N}}` | [`sparkle`](crate::sparkle) (1, 0) |
//! | `{"rainbow_sparkle": {"leds": L, "speed": D, "period": D, "step": N, "num_sparkles": N, "background_brightness": F, "seed": N}}` | [`rainbow_sparkle`](crate::rainbow_sparkle) (5 s, 1, one per 20 LEDs, 0.2, 0) |
//! | `{"larson_scanner": {"leds": L, "speed": D, "color": C, "trail": N}}` | [`larson_scanner`](crate::larson_scanner) (3) |
//! | `{"fade": {"leds": L, "from": C, "to": C, "duration": D, "step": D}}` | [`fade`](crate::fade) (20 ms) |
//!
//! Wheel steps (`step` of the rainbows) are 1 to 255; fractions (`F`: intensities, the
//! background brightness) are 0 to 1 with at most 6 decimals, so that they read back
//! exactly; a chase's `size` and `spacing` and a sparkle's `num_sparkles` are at most
//! the effect's LEDs (a file cannot ask for unbounded work per step).
//!
//! The input leaves name an [`Input`](crate::input::Input) that the program gives the
//! layout ([`Layout::with_input`]); a name the layout lacks is refused by name:
//!
//! | spec | builds |
//! |---|---|
//! | `{"press": "button"}` | [`press`](crate::press) |
//! | `{"presses": {"input": "button", "times": N}}` | [`presses`](crate::presses) |
//! | `{"until": {"input": "button", "body": S}}` | [`until`](crate::until) |
//!
//! - **LEDs** (`L`): `3`, `[0, 4, "row 2"]`, `"all"`, `"0..5"`, `"0..=4"`, `"row 0"`,
//!   `"col 2"`, `"outer ring"`, `"inner ring"`, `"ring 1"`, `"slash"`, `"backslash"`,
//!   `"line 11"` (the LED wired to GPIO line 11), a group of the [`Layout`], or text
//!   art `{"art": [".#.#.", ".....", "#...#", ".###.", "....."]}`; see [`LedsSpec`].
//! - **Colours** (`C`): `"#ff8000"`, `"#f80"`, `[255, 128, 0]`, a common name
//!   (`"orange"`), `"on"`/`true`, `"off"`/`false`, or with a DotStar brightness
//!   (`0..=31`) `{"color": "red", "brightness": 7}` or `[255, 0, 0, 7]`; see [`Color`].
//!   An output of plain on/off LEDs takes only `"on"` and `"off"`.
//! - **Durations** (`D`): `"500ms"`, `"1.5s"`, `"2min"`, `"250us"`, a number of
//!   seconds (`0.5`), or `{"ms": 500}`; exact to the nanosecond; see
//!   [`parse_duration`].
//! - **Numbers** (`N`) and flags (`B`, `true` or `false`) as JSON writes them.
//!
//! Unknown keys are refused. Written back ([`Spec::to_json`], [`Spec::to_msgpack`]),
//! durations become `"1500ms"`, colours `"#rrggbb"`, and reading that again gives an
//! equal spec.
//!
//! # Presets
//!
//! A preset file (`NAME.json` or `NAME.msgpack`, read by [`Preset`] and
//! [`Presets::load_dir`]) is a program with a one-line description and, optionally,
//! what it needs of an output: `"layout"` (`"talk"` for the talk's 5×5 board,
//! `"matrix"` for any matrix), `"min_leds"` (at least that many LEDs) and `"pixels"`
//! (`"color"` for colour pixels, `"any"`):
//!
//! ```json
//! {"description": "A purple comet with a 4-LED tail bouncing from end to end at 50 ms a step",
//!  "min_leds": 4, "pixels": "color",
//!  "program": {"comet": {"leds": "all", "speed": "50ms", "color": "purple", "tail_length": 4, "bounce": true}}}
//! ```
//!
//! [`Preset::fits`] checks those keys against an output (its pixel type and
//! [`Layout`]) and then builds the program there; [`Presets::fitting`] lists the
//! presets that fit, which is what a server offers. The built-in talk demos say
//! `"layout": "talk"`, the built-in effects `"pixels": "color"` and the fewest LEDs
//! their tails, bars and sparkles need. Files without these keys still load, and ask
//! nothing beyond building.
//!
//! # Errors
//!
//! Every error names the place and what to write instead, with the line and column for
//! JSON text:
//! `sequence[2].blink.interval: "5 ms" is not a duration; write "5ms" or 0.005 (line 1, column 80)`.
//! Reading is bounded by [`Limits`] (document size, nesting depth), so a hostile file
//! gets an error, never a stack overflow or an exhausted memory.
//!
//! # Examples
//!
//! ```
//! use blinken::prelude::*;
//! use blinken::spec::{Layout, Spec};
//!
//! let spec = Spec::from_json(r#"{"timeout": {"after": "250ms",
//!                                 "body": {"blink": {"leds": "0..2", "interval": 0.1}}}}"#)
//!     .unwrap();
//! assert_eq!(Spec::from_json(&spec.to_json()).unwrap(), spec);
//! assert_eq!(Spec::from_msgpack(&spec.to_msgpack()).unwrap(), spec);
//!
//! let program = spec.build::<bool>(&Layout::strip(3)).unwrap();
//! let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
//! driver.run(&program).unwrap();
//! driver.output().assert_timeline("
//!     0.000000 ##.
//!     0.100000 ...
//!     0.200000 ##.
//!     0.250000 ...
//! ");
//!
//! // An effect, on a colour strip.
//! let spec = Spec::from_json(r#"{"chase": {"leds": "all", "speed": "100ms", "color": "gold",
//!                                          "size": 1, "spacing": 2}}"#).unwrap();
//! let program = spec.build::<RGB8>(&Layout::strip(6)).unwrap();
//! let mut driver = Driver::new(Recorder::<RGB8>::with_len(6), VirtualClock::new());
//! driver.run_for(&program, ms(250)).unwrap();
//! driver.output().assert_timeline("
//!     0.000000 #..#..
//!     0.100000 .#..#.
//!     0.200000 ..#..#
//! ");
//! assert_eq!(driver.output().steps()[0].pixels[0], RGB8::new(255, 215, 0));
//! ```

mod build;
mod color;
pub(crate) mod duration;
mod effect;
mod error;
mod layout;
mod leds;
mod pixelbuf;
mod preset;
mod read;
mod types;

pub use build::{SpecPixel, build_effect};
pub use color::{Color, parse_color};
pub use duration::{format_duration, parse_duration};
pub use effect::{
    ChaseSpec, ColorCycleSpec, CometSpec, FadeSpec, LarsonScannerSpec, PulseSpec, RainbowChaseSpec,
    RainbowCometSpec, RainbowSparkleSpec, RainbowSpec, SolidSpec, SparkleSpec,
};
pub use error::{Format, Position, SpecError};
pub use layout::Layout;
pub use leds::{LedItem, LedsSpec};
pub use pixelbuf::{PixelBufAnimation, PixelBufFrame, PixelBufPixel};
pub use preset::{Preset, PresetError, PresetLayout, PresetPixels, Presets};
pub use read::Limits;
pub use types::{
    BlinkSpec, CrossfadeSpec, CurveSpec, FillSpec, FrameSpec, KeyframesSpec, OffSpec, OnSpec,
    OverlaySpec, Plays, PressesSpec, RepeatSpec, Spec, TimeoutSpec, UntilSpec, WalkSpec,
};
