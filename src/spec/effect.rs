//! The effects as data: one plain serde type per effect of [`crate::effect`].
//!
//! Each key is named as the effect's builder method (`tail_length`, `num_sparkles`); a
//! key left out takes the builder's default, and a `false` flag (`bounce`, `ring`,
//! `reverse`) is the same as none.

use core::fmt;
use core::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::{Color, LedsSpec, duration};

fn is_false(b: &bool) -> bool {
    !*b
}

/// [`Spec::Solid`](super::Spec::Solid): [`solid`](crate::solid), one colour until
/// cancelled.
///
/// ```json
/// {"solid": {"leds": "all", "color": "orange"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolidSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The colour.
    pub color: Color,
}

/// [`Spec::ColorCycle`](super::Spec::ColorCycle): [`color_cycle`](crate::color_cycle),
/// every LED in one colour, the next colour each step.
///
/// ```json
/// {"color_cycle": {"leds": "all", "speed": "500ms", "colors": ["red", "#00ff00", [0, 0, 255]],
///                  "start_color": 1}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColorCycleSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The time between two colours.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The colours, in order.
    pub colors: Vec<Color>,
    /// The index of the first colour shown (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_color: Option<usize>,
}

/// [`Spec::Chase`](super::Spec::Chase): [`chase`](crate::chase), bars marching along.
///
/// ```json
/// {"chase": {"leds": "all", "speed": "100ms", "color": "gold", "size": 2, "spacing": 3,
///            "reverse": false}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChaseSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The bars' colour.
    pub color: Color,
    /// How many LEDs a bar lights (default 2; at most the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<usize>,
    /// How many dark LEDs separate two bars (default 3; at most the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<usize>,
    /// Moves towards the first LED (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reverse: bool,
}

/// [`Spec::Comet`](super::Spec::Comet): [`comet`](crate::comet), a head with a fading
/// tail.
///
/// ```json
/// {"comet": {"leds": "all", "speed": "50ms", "color": "cyan", "tail_length": 4,
///            "bounce": true, "ring": false, "reverse": false, "background": "off"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CometSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The head's colour.
    pub color: Color,
    /// The tail, head included (default a quarter of the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail_length: Option<usize>,
    /// Turns round at each end (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub bounce: bool,
    /// Wraps round from the last LED to the first (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub ring: bool,
    /// Flies towards the first LED (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reverse: bool,
    /// The colour written behind the tail (default off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Color>,
}

/// [`Spec::Rainbow`](super::Spec::Rainbow): [`rainbow`](crate::rainbow), the colour
/// wheel along the LEDs, turning.
///
/// ```json
/// {"rainbow": {"leds": "all", "speed": "50ms", "period": "5s", "step": 1}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RainbowSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two frames.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// How long the wheel takes to turn once (default 5 s).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub period: Option<Duration>,
    /// The distance between neighbouring colours on the wheel, 1 to 255 (default 1).
    #[serde(default, with = "wheel_step", skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
}

/// [`Spec::RainbowChase`](super::Spec::RainbowChase):
/// [`rainbow_chase`](crate::rainbow_chase), a chase whose bars take colours from the
/// wheel.
///
/// ```json
/// {"rainbow_chase": {"leds": "all", "speed": "100ms", "size": 2, "spacing": 3,
///                    "reverse": false, "step": 8}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RainbowChaseSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// How many LEDs a bar lights (default 2; at most the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<usize>,
    /// How many dark LEDs separate two bars (default 3; at most the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<usize>,
    /// Moves towards the first LED (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reverse: bool,
    /// How far round the wheel one bar is from the next, 1 to 255 (default 8).
    #[serde(default, with = "wheel_step", skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
}

/// [`Spec::RainbowComet`](super::Spec::RainbowComet):
/// [`rainbow_comet`](crate::rainbow_comet), a comet whose tail runs round the wheel.
///
/// ```json
/// {"rainbow_comet": {"leds": "all", "speed": "50ms", "tail_length": 10, "bounce": false,
///                    "ring": false, "reverse": false, "colorwheel_offset": 0, "step": 25}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RainbowCometSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The tail, head included (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail_length: Option<usize>,
    /// Turns round at each end (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub bounce: bool,
    /// Wraps round from the last LED to the first (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub ring: bool,
    /// Flies towards the first LED (default false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reverse: bool,
    /// The wheel position of the head, 0 to 255 (default 0).
    #[serde(default, with = "wheel_position", skip_serializing_if = "Option::is_none")]
    pub colorwheel_offset: Option<u8>,
    /// How far round the wheel one LED of the tail is from the next, 1 to 255 (default
    /// `max(256 / tail_length, 1)`).
    #[serde(default, with = "wheel_step", skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
}

/// [`Spec::Pulse`](super::Spec::Pulse): [`pulse`](crate::pulse), breathing in one
/// colour.
///
/// ```json
/// {"pulse": {"leds": "all", "speed": "20ms", "color": "red", "period": "3s",
///            "breath": "500ms", "min_intensity": 0.1, "max_intensity": 0.9}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulseSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The time between two frames.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The colour at full intensity.
    pub color: Color,
    /// The time to rise and fall, holds excluded (default 5 s).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub period: Option<Duration>,
    /// The hold at the top, and in total at the bottom (default 0).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub breath: Option<Duration>,
    /// The lowest intensity, 0 to 1 (default 0).
    #[serde(default, with = "fraction", skip_serializing_if = "Option::is_none")]
    pub min_intensity: Option<f64>,
    /// The highest intensity, `min_intensity` to 1 (default 1).
    #[serde(default, with = "fraction", skip_serializing_if = "Option::is_none")]
    pub max_intensity: Option<f64>,
}

/// [`Spec::Sparkle`](super::Spec::Sparkle): [`sparkle`](crate::sparkle), random LEDs
/// flashing and staying dimly lit.
///
/// ```json
/// {"sparkle": {"leds": "all", "speed": "100ms", "color": "white", "num_sparkles": 2,
///              "seed": 42}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SparkleSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The sparkles' colour.
    pub color: Color,
    /// How many LEDs sparkle at each step (default 1; at most the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_sparkles: Option<usize>,
    /// The seed of the sparkles' randomness (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// [`Spec::RainbowSparkle`](super::Spec::RainbowSparkle):
/// [`rainbow_sparkle`](crate::rainbow_sparkle), a dim turning rainbow with bright
/// sparkles.
///
/// ```json
/// {"rainbow_sparkle": {"leds": "all", "speed": "100ms", "period": "5s", "step": 1,
///                      "num_sparkles": 1, "background_brightness": 0.2, "seed": 7}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RainbowSparkleSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// How long the wheel takes to turn once (default 5 s).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub period: Option<Duration>,
    /// The distance between neighbouring colours on the wheel, 1 to 255 (default 1).
    #[serde(default, with = "wheel_step", skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
    /// How many LEDs sparkle at each step (default one per 20 LEDs, at least 1; at most
    /// the LEDs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_sparkles: Option<usize>,
    /// The brightness of the rainbow under the sparkles, 0 to 1 (default 0.2).
    #[serde(default, with = "fraction", skip_serializing_if = "Option::is_none")]
    pub background_brightness: Option<f64>,
    /// The seed of the sparkles' randomness (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// [`Spec::LarsonScanner`](super::Spec::LarsonScanner):
/// [`larson_scanner`](crate::larson_scanner), an eye sweeping to and fro.
///
/// ```json
/// {"larson_scanner": {"leds": "all", "speed": "60ms", "color": "red", "trail": 3}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LarsonScannerSpec {
    /// Which LEDs, in order.
    pub leds: LedsSpec,
    /// The time between two steps.
    #[serde(with = "duration")]
    pub speed: Duration,
    /// The eye's colour.
    pub color: Color,
    /// How many LEDs the fading trail covers (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail: Option<usize>,
}

/// [`Spec::Fade`](super::Spec::Fade): [`fade`](crate::fade), from one colour to another,
/// then the end.
///
/// ```json
/// {"fade": {"leds": "all", "from": "off", "to": "warm white", "duration": "2s",
///           "step": "20ms"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FadeSpec {
    /// Which LEDs.
    pub leds: LedsSpec,
    /// The colour at the start.
    pub from: Color,
    /// The colour at the end.
    pub to: Color,
    /// How long the fade takes.
    #[serde(with = "duration")]
    pub duration: Duration,
    /// The time between two frames (default 20 ms).
    #[serde(default, with = "duration::option", skip_serializing_if = "Option::is_none")]
    pub step: Option<Duration>,
}

/// A byte on the colour wheel, `least..=255`, read with an error that says so.
fn wheel_byte<'de, D: Deserializer<'de>>(
    d: D,
    what: &'static str,
    least: u8,
) -> Result<u8, D::Error> {
    struct V {
        what: &'static str,
        least: u8,
    }
    impl V {
        fn refuse<E: de::Error>(&self, v: impl fmt::Display) -> E {
            E::custom(format!(
                "{v} is not a {} on the colour wheel; use {} to 255 (the wheel has 256 \
                 positions), or leave it out for the default",
                self.what, self.least
            ))
        }
    }
    impl Visitor<'_> for V {
        type Value = u8;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} on the colour wheel, {} to 255", self.what, self.least)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u8, E> {
            match u8::try_from(v) {
                Ok(b) if b >= self.least => Ok(b),
                _ => Err(self.refuse(v)),
            }
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u8, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(self.refuse(v)),
            }
        }
    }
    d.deserialize_any(V { what, least })
}

fn serialize_byte<S: Serializer>(v: &Option<u8>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_u8(*v),
        None => s.serialize_none(),
    }
}

/// A step on the colour wheel, `1..=255`.
mod wheel_step {
    use super::*;

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
        wheel_byte(d, "step", 1).map(Some)
    }

    pub(super) use super::serialize_byte as serialize;
}

/// A position on the colour wheel, `0..=255`.
mod wheel_position {
    use super::*;

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
        wheel_byte(d, "position", 0).map(Some)
    }

    pub(super) use super::serialize_byte as serialize;
}

/// A fraction `0.0..=1.0` (an intensity, a brightness) with at most 6 decimals, read
/// with an error that says so.
///
/// Six decimals are finer than any 8-bit colour shows, and keep the value exact
/// through JSON: written back, it reads as the same `f64`.
mod fraction {
    use super::*;

    const HINT: &str = "write a number from 0 to 1 such as 0.25, with at most 6 decimals";

    pub(crate) fn check(v: f64) -> Result<f64, String> {
        if !(0.0..=1.0).contains(&v) {
            return Err(format!("{v} is not between 0 and 1; {HINT}"));
        }
        let scaled = (v * 1e6).round();
        if scaled / 1e6 != v {
            return Err(format!("{v} has more than 6 decimals; {HINT}"));
        }
        // Adding 0.0 turns -0.0 into 0.0.
        Ok(scaled / 1e6 + 0.0)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number from 0 to 1")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                match v {
                    0 | 1 => Ok(v as f64),
                    _ => Err(E::custom(format!("{v} is not between 0 and 1; {HINT}"))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                if let Ok(v) = u64::try_from(v) {
                    return self.visit_u64(v);
                }
                Err(E::custom(format!("{v} is not between 0 and 1; {HINT}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                check(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V).map(Some)
    }

    pub(super) fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_f64(*v),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fraction::check;

    #[test]
    fn fractions_are_exact_and_bounded() {
        assert_eq!(check(0.25), Ok(0.25));
        assert_eq!(check(0.123456), Ok(0.123456));
        assert_eq!(check(-0.0).map(f64::is_sign_negative), Ok(false));
        assert!(check(0.1234567).unwrap_err().contains("more than 6 decimals"));
        assert!(check(1.5).unwrap_err().contains("not between 0 and 1"));
        assert!(check(f64::NAN).unwrap_err().contains("not between 0 and 1"));
        assert!(check(f64::INFINITY).is_err());
        for k in [0u32, 1, 7, 33, 999_999, 1_000_000] {
            let v = f64::from(k) / 1e6;
            assert_eq!(check(v), Ok(v));
            let text = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<f64>(&text).unwrap(), v, "{text}");
        }
    }
}
