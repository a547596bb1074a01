//! The spec's data types: plain serde data, one per leaf and combinator.

use core::fmt;
use core::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::{
    ChaseSpec, Color, ColorCycleSpec, CometSpec, FadeSpec, LarsonScannerSpec, LedsSpec, PulseSpec,
    RainbowChaseSpec, RainbowCometSpec, RainbowSparkleSpec, RainbowSpec, SolidSpec, SparkleSpec,
    duration,
};

/// A program as data: one leaf, effect or combinator, written as a map with one key.
///
/// See the [module documentation](crate::spec) for the format; [`Spec::build`] turns it
/// into an animation. The effects ([`crate::effect`]) build only for colour outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Spec {
    /// [`blink`](crate::blink): `{"blink": {"leds": 0, "interval": "100ms", "times": 5}}`.
    Blink(BlinkSpec),
    /// [`on`](crate::on): `{"on": {"leds": "all"}}`.
    On(OnSpec),
    /// [`off`](crate::off): `{"off": {"leds": "row 0"}}`.
    Off(OffSpec),
    /// [`fill`](crate::fill): `{"fill": {"leds": "all", "color": "orange"}}`.
    Fill(FillSpec),
    /// [`wait`](crate::wait): `{"wait": "3s"}`.
    Wait(#[serde(with = "duration")] Duration),
    /// [`walk`](crate::walk): `{"walk": {"leds": "row 0", "interval": "100ms"}}`.
    Walk(WalkSpec),
    /// [`cycle`](crate::cycle): `{"cycle": {"leds": "row 0", "interval": "100ms"}}`.
    Cycle(WalkSpec),
    /// [`keyframes`](crate::keyframes): frames of pixels.
    Keyframes(KeyframesSpec),
    /// [`sequence`](crate::sequence): `{"sequence": [..., ...]}`.
    Sequence(Vec<Spec>),
    /// [`all`](crate::all): `{"all": [..., ...]}`.
    All(Vec<Spec>),
    /// [`any`](crate::any): `{"any": [..., ...]}`.
    Any(Vec<Spec>),
    /// [`forever`](crate::forever): `{"forever": {...}}`.
    Forever(Box<Spec>),
    /// [`repeat`](crate::repeat): `{"repeat": {"times": 3, "body": {...}}}`.
    Repeat(RepeatSpec),
    /// [`timeout`](crate::timeout): `{"timeout": {"after": "7s", "body": {...}}}`.
    Timeout(TimeoutSpec),
    /// [`solid`](crate::solid): `{"solid": {"leds": "all", "color": "orange"}}`.
    Solid(SolidSpec),
    /// [`color_cycle`](crate::color_cycle):
    /// `{"color_cycle": {"leds": "all", "speed": "1s", "colors": ["red", "blue"]}}`.
    ColorCycle(ColorCycleSpec),
    /// [`chase`](crate::chase): `{"chase": {"leds": "all", "speed": "100ms", "color": "gold"}}`.
    Chase(ChaseSpec),
    /// [`comet`](crate::comet): `{"comet": {"leds": "all", "speed": "50ms", "color": "cyan"}}`.
    Comet(CometSpec),
    /// [`rainbow`](crate::rainbow): `{"rainbow": {"leds": "all", "speed": "50ms"}}`.
    Rainbow(RainbowSpec),
    /// [`rainbow_chase`](crate::rainbow_chase):
    /// `{"rainbow_chase": {"leds": "all", "speed": "100ms"}}`.
    RainbowChase(RainbowChaseSpec),
    /// [`rainbow_comet`](crate::rainbow_comet):
    /// `{"rainbow_comet": {"leds": "all", "speed": "50ms", "tail_length": 5}}`.
    RainbowComet(RainbowCometSpec),
    /// [`pulse`](crate::pulse): `{"pulse": {"leds": "all", "speed": "20ms", "color": "red"}}`.
    Pulse(PulseSpec),
    /// [`sparkle`](crate::sparkle):
    /// `{"sparkle": {"leds": "all", "speed": "100ms", "color": "white", "seed": 42}}`.
    Sparkle(SparkleSpec),
    /// [`rainbow_sparkle`](crate::rainbow_sparkle):
    /// `{"rainbow_sparkle": {"leds": "all", "speed": "100ms"}}`.
    RainbowSparkle(RainbowSparkleSpec),
    /// [`larson_scanner`](crate::larson_scanner):
    /// `{"larson_scanner": {"leds": "all", "speed": "60ms", "color": "red"}}`.
    LarsonScanner(LarsonScannerSpec),
    /// [`fade`](crate::fade):
    /// `{"fade": {"leds": "all", "from": "off", "to": "warm white", "duration": "2s"}}`.
    Fade(FadeSpec),
    /// [`overlay`](crate::overlay): `top` drawn over `base`, which keeps its own
    /// timeline: `{"overlay": {"base": {...}, "top": {...}}}`.
    Overlay(OverlaySpec),
    /// [`crossfade`](crate::crossfade) (colour outputs only):
    /// `{"crossfade": {"from": {...}, "to": {...}, "duration": "2s"}}`.
    Crossfade(CrossfadeSpec),
    /// [`press`](crate::press): waits for a press of the named input (see
    /// [`Layout::with_input`](super::Layout::with_input)): `{"press": "button"}`.
    Press(String),
    /// [`presses`](crate::presses): waits for `times` presses of the named input:
    /// `{"presses": {"input": "button", "times": 3}}`.
    Presses(PressesSpec),
    /// [`until`](crate::until): `body` until the named input is pressed:
    /// `{"until": {"input": "button", "body": {...}}}`.
    Until(UntilSpec),
}

/// [`Spec::Blink`]: on for `interval`, off for `off` (default: `interval`), `times`
/// rounds (default: forever), in `color` (default: on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlinkSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The on time (and the off time unless `off` is given).
    #[serde(with = "duration")]
    pub interval: Duration,
    /// The off time, when it differs from `interval`.
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub off: Option<Duration>,
    /// How many rounds; none means forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// The colour when on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
}

/// [`Spec::On`]: `leds` lit in `color` (default: on) until cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
}

/// [`Spec::Off`]: `leds` switched off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
}

/// [`Spec::Fill`]: `leds` set to `color`, kept after the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FillSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The colour.
    pub color: Color,
}

/// [`Spec::Walk`] and [`Spec::Cycle`]: each LED on for `interval`, off for `interval`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The on (and off) time of each LED.
    #[serde(with = "duration")]
    pub interval: Duration,
    /// The colour when on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
}

/// [`Spec::Keyframes`]: frames of pixels, each shown for its duration.
///
/// ```json
/// {"keyframes": {"frames": [{"duration": "100ms", "pixels": ["red", "off", "#00ff00"]},
///                           {"duration": "1s", "pixels": [[0, 0, 255]]}],
///                "plays": 3, "pause": "500ms", "leds": "0..3"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyframesSpec {
    /// The frames, in order.
    pub frames: Vec<FrameSpec>,
    /// Where pixel `i` goes (default: LED `i`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leds: Option<LedsSpec>,
    /// How many plays (default: 1), or `"forever"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plays: Option<Plays>,
    /// How long the last frame is held between two plays (default: none).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub pause: Option<Duration>,
}

/// One frame of a [`KeyframesSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameSpec {
    /// How long the frame is shown.
    #[serde(with = "duration")]
    pub duration: Duration,
    /// The pixels, in the order of the LEDs; missing ones are dark.
    pub pixels: Vec<Color>,
}

/// How many times [`KeyframesSpec`] plays: a number, or `"forever"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plays {
    /// That many times.
    Times(u64),
    /// Again and again.
    Forever,
}

impl Serialize for Plays {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Plays::Times(n) => s.serialize_u64(*n),
            Plays::Forever => s.serialize_str("forever"),
        }
    }
}

impl<'de> Deserialize<'de> for Plays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Plays, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Plays;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of plays such as 3, or \"forever\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Plays, E> {
                Ok(Plays::Times(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Plays, E> {
                match v {
                    "forever" => Ok(Plays::Forever),
                    _ => Err(E::custom(format!(
                        "{v:?} is not a number of plays; write a number such as 3, or \"forever\""
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// [`Spec::Repeat`]: `body` `times` times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatSpec {
    /// How many passes.
    pub times: u64,
    /// What to repeat.
    pub body: Box<Spec>,
}

/// [`Spec::Timeout`]: `body`, cut after `after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeoutSpec {
    /// The time limit.
    #[serde(with = "duration")]
    pub after: Duration,
    /// What to cut.
    pub body: Box<Spec>,
}

/// [`Spec::Overlay`]: `top` drawn over `base`; `base` runs on its own timeline and shows
/// again, untouched, where and when `top` lights nothing. Ends when `base` ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlaySpec {
    /// What plays underneath.
    pub base: Box<Spec>,
    /// What is drawn over it.
    pub top: Box<Spec>,
}

/// [`Spec::Crossfade`]: `from` and `to` together, mixed from `from` to `to` over
/// `duration`; then `to` alone. Colour outputs only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossfadeSpec {
    /// What fades out.
    pub from: Box<Spec>,
    /// What fades in (and plays on after the fade).
    pub to: Box<Spec>,
    /// How long the fade takes.
    #[serde(with = "duration")]
    pub duration: Duration,
    /// The time between two blend steps (default: 20 ms).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub step: Option<Duration>,
    /// The curve of the mix (default: linear).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curve: Option<CurveSpec>,
}

/// The curve of a [`CrossfadeSpec`]: `"linear"` or `"ease_in_out"` (also read as
/// `"ease"`, the control protocol's word) ([`Curve`](crate::Curve)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveSpec {
    /// [`Curve::Linear`](crate::Curve::Linear).
    Linear,
    /// [`Curve::EaseInOut`](crate::Curve::EaseInOut).
    #[serde(alias = "ease")]
    EaseInOut,
}

impl From<CurveSpec> for crate::Curve {
    fn from(curve: CurveSpec) -> crate::Curve {
        match curve {
            CurveSpec::Linear => crate::Curve::Linear,
            CurveSpec::EaseInOut => crate::Curve::EaseInOut,
        }
    }
}

/// [`Spec::Presses`]: `times` presses of `input`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PressesSpec {
    /// The input's name in the layout.
    pub input: String,
    /// How many presses.
    pub times: u64,
}

/// [`Spec::Until`]: `body`, until `input` is pressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UntilSpec {
    /// The input's name in the layout.
    pub input: String,
    /// What plays until then.
    pub body: Box<Spec>,
}
