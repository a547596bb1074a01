//! The pixel-buffer player's animation files (REFERENCE.md §2), read unchanged and
//! played without its defects.

use core::fmt;
use core::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::read::{json, msgpack};
use super::{Format, Limits, SpecError};
use crate::output::apa102::Dot;
use crate::{Keyframe, Keyframes, Pixel, RGB8, keyframes};

/// An animation file of the pixel-buffer player, as its parser writes it
/// (`dataclasses.asdict(animation)` as JSON, or the same map as MessagePack):
///
/// ```json
/// {"frames": [{"display_ms": 1000,
///              "pixels": [{"brightness": 1.0, "red": 0, "green": 0, "blue": 255}]}],
///  "loop_infinitely": false, "pause_between_play_ms": 0, "max_plays": 1}
/// ```
///
/// Read with its loader's rules: every key required except `max_plays` (missing means
/// `null`); extra keys accepted, as its loader accepts them; at least one frame, each
/// shown for a whole number of milliseconds, at least 1, with at least one pixel;
/// brightness from 0.0 to 1.0 (an integer such as 1 too), colour values 0 to 255;
/// `pause_between_play_ms` not negative; `max_plays` not negative, and `null` when
/// looping forever. Where blinken is stricter, it says so: `true` is not a number
/// (Python's `bool` is an `int`), a `NaN` brightness is refused (Python compares it as
/// in range), and so is `max_plays` 0 (below).
///
/// # Playing: the original's defects, and the test that shows each is gone
///
/// [`PixelBufAnimation::keyframes`] plays it as a [`Keyframes`] leaf:
///
/// | the original | here | test (`tests/pixelbuf.rs`) |
/// |---|---|---|
/// | swaps green and blue on the way to the strip | red, green and blue reach the pixel as written | `colors_reach_the_strip_in_the_right_channels` |
/// | `max_plays` `null` without looping passes its checks, then crashes after the first play | plays once | `max_plays_null_without_looping_plays_once` |
/// | `max_plays` 0 passes its checks as "false" and plays once | refused, saying what to write | `max_plays_zero_is_refused` |
/// | pauses after the last play too, so the strip goes dark late | pauses only between plays | `colors_play_twice_with_the_pause_between_only` |
/// | sleeps after each frame: 11.7 s late over 10,000 frames of 10 ms | frame `k` starts at the sum of the earlier durations: exactly 100 s | `ten_thousand_frames_end_at_exactly_100_s` |
/// | cannot be interrupted; killing it leaves the strip frozen on its last frame | dark at the end and at the instant it is cancelled | `dark_when_cancelled` |
/// | a frame shorter than the strip leaves the previous frame's pixels lit | the rest of the strip goes dark | `colors_play_twice_with_the_pause_between_only` |
/// | a frame longer than the strip fails with an index error mid-play | refused before playing, naming the frame | `a_frame_longer_than_the_strip_is_refused` |
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::spec::PixelBufAnimation;
///
/// let file = r#"{"frames": [{"display_ms": 100, "pixels": [{"brightness": 1.0, "red": 10, "green": 20, "blue": 30}]},
///                           {"display_ms": 50, "pixels": [{"brightness": 1, "red": 0, "green": 0, "blue": 0}]}],
///                "loop_infinitely": false, "pause_between_play_ms": 0, "max_plays": 1}"#;
/// let animation = PixelBufAnimation::from_json(file).unwrap();
/// let program = animation.keyframes::<RGB8>().unwrap();
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(11), VirtualClock::new());
/// assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(150));
/// assert_eq!(driver.output().steps()[0].pixels[0], RGB8::new(10, 20, 30));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PixelBufAnimation {
    /// The frames, in order.
    pub frames: Vec<PixelBufFrame>,
    /// Plays again and again when true.
    pub loop_infinitely: bool,
    /// The pause between two plays, in milliseconds; the last frame stays shown.
    #[serde(deserialize_with = "count")]
    pub pause_between_play_ms: u64,
    /// How many plays; `None` with `loop_infinitely`, or to play once.
    #[serde(default, deserialize_with = "count_option")]
    pub max_plays: Option<u64>,
}

/// One frame of a [`PixelBufAnimation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PixelBufFrame {
    /// How long the frame is shown, in milliseconds (at least 1).
    #[serde(deserialize_with = "count")]
    pub display_ms: u64,
    /// The pixels, in the order of the strip (at least one).
    pub pixels: Vec<PixelBufPixel>,
}

/// One pixel of a [`PixelBufFrame`]: a colour and a brightness from 0.0 to 1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PixelBufPixel {
    /// From 0.0 to 1.0.
    pub brightness: f64,
    /// 0 to 255.
    #[serde(deserialize_with = "channel")]
    pub red: u8,
    /// 0 to 255.
    #[serde(deserialize_with = "channel")]
    pub green: u8,
    /// 0 to 255.
    #[serde(deserialize_with = "channel")]
    pub blue: u8,
}

/// The colour at 5-bit APA102 brightness `int(brightness × 31)`, as the DotStar driver
/// the original used sets it.
impl From<PixelBufPixel> for Dot {
    fn from(p: PixelBufPixel) -> Dot {
        let brightness = (p.brightness.clamp(0.0, 1.0) * 31.0) as u8;
        Dot { color: RGB8::new(p.red, p.green, p.blue), brightness }
    }
}

/// The colour scaled by the brightness, each value `int(value × brightness)`, for
/// outputs without a brightness of their own.
impl From<PixelBufPixel> for RGB8 {
    fn from(p: PixelBufPixel) -> RGB8 {
        let b = p.brightness.clamp(0.0, 1.0);
        let scale = |v: u8| (f64::from(v) * b) as u8;
        RGB8::new(scale(p.red), scale(p.green), scale(p.blue))
    }
}

impl PixelBufAnimation {
    /// Large enough for long animations (64 MiB), and as deep as a file nests (16).
    pub const LIMITS: Limits = Limits { max_bytes: 64 << 20, max_depth: 16 };

    /// Reads a file written by the original's `JsonAnimationParser`, within
    /// [`PixelBufAnimation::LIMITS`].
    ///
    /// # Errors
    ///
    /// [`SpecError`] naming the place (`frames[3].pixels[0].brightness`), with line and
    /// column when the text itself is wrong, and what to write instead.
    pub fn from_json(text: &str) -> Result<PixelBufAnimation, SpecError> {
        PixelBufAnimation::from_json_with(text.as_bytes(), &PixelBufAnimation::LIMITS)
    }

    /// Reads JSON bytes within `limits`.
    ///
    /// # Errors
    ///
    /// As [`PixelBufAnimation::from_json`].
    pub fn from_json_with(text: &[u8], limits: &Limits) -> Result<PixelBufAnimation, SpecError> {
        let animation: PixelBufAnimation = json(text, limits)?;
        animation.check(Format::Json)?;
        Ok(animation)
    }

    /// Reads a file written by the original's `MsgPackAnimationParser`, within
    /// [`PixelBufAnimation::LIMITS`].
    ///
    /// # Errors
    ///
    /// As [`PixelBufAnimation::from_json`], without line and column.
    pub fn from_msgpack(bytes: &[u8]) -> Result<PixelBufAnimation, SpecError> {
        PixelBufAnimation::from_msgpack_with(bytes, &PixelBufAnimation::LIMITS)
    }

    /// Reads MessagePack bytes within `limits`.
    ///
    /// # Errors
    ///
    /// As [`PixelBufAnimation::from_msgpack`].
    pub fn from_msgpack_with(
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<PixelBufAnimation, SpecError> {
        let animation: PixelBufAnimation = msgpack(bytes, limits)?;
        animation.check(Format::MessagePack)?;
        Ok(animation)
    }

    /// The file as the original's MessagePack writer writes it: the same bytes, except
    /// that a brightness it kept as an integer (`1`) is written as a float (`1.0`).
    pub fn to_msgpack(&self) -> Vec<u8> {
        rmp_serde::to_vec_named(self).unwrap_or_else(|e| unreachable!("plain data: {e}"))
    }

    /// The file as JSON (compact; the original's writer puts a space after `:` and `,`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| unreachable!("plain data: {e}"))
    }

    /// How many plays: `None` when looping forever; `null` without looping plays once.
    ///
    /// # Errors
    ///
    /// As [`PixelBufAnimation::check`].
    pub fn plays(&self) -> Result<Option<u64>, SpecError> {
        self.check(Format::Json)?;
        Ok(match (self.loop_infinitely, self.max_plays) {
            (true, _) => None,
            (false, None) => Some(1),
            (false, Some(n)) => Some(n),
        })
    }

    /// Checks the loader's rules (and refuses `max_plays` 0); reading a file already
    /// did. `format` only labels the error.
    ///
    /// # Errors
    ///
    /// [`SpecError::Parse`] naming the place and the fix.
    pub fn check(&self, format: Format) -> Result<(), SpecError> {
        let fail = |path: String, message: String| {
            Err(SpecError::Parse { format, path, message, position: None })
        };
        if self.frames.is_empty() {
            return fail("frames".into(), "an animation needs at least one frame".into());
        }
        for (k, frame) in self.frames.iter().enumerate() {
            if frame.display_ms == 0 {
                return fail(
                    format!("frames[{k}].display_ms"),
                    "0 ms is too short; a frame is shown for at least 1 ms".into(),
                );
            }
            if frame.pixels.is_empty() {
                return fail(
                    format!("frames[{k}].pixels"),
                    "a frame needs at least one pixel".into(),
                );
            }
            for (i, pixel) in frame.pixels.iter().enumerate() {
                if !(0.0..=1.0).contains(&pixel.brightness) {
                    return fail(
                        format!("frames[{k}].pixels[{i}].brightness"),
                        format!("{} is not a brightness; use 0.0 to 1.0", pixel.brightness),
                    );
                }
            }
        }
        match (self.loop_infinitely, self.max_plays) {
            (true, Some(n)) if n > 0 => fail(
                "max_plays".into(),
                format!(
                    "{n} plays and loop_infinitely contradict each other; write null to loop \
                     forever, or set loop_infinitely to false"
                ),
            ),
            (true, Some(_)) => fail(
                "max_plays".into(),
                "0 plays with loop_infinitely is ambiguous (the original looped forever); \
                 write null to loop forever"
                    .into(),
            ),
            (false, Some(0)) => fail(
                "max_plays".into(),
                "0 plays would play nothing (the original played once); write 1 to play once"
                    .into(),
            ),
            _ => Ok(()),
        }
    }

    /// The animation as a [`Keyframes`] leaf of `Dot` (colour and 5-bit brightness) or
    /// `RGB8` (colour scaled by the brightness) pixels: frame `k` on LEDs `0..`, the
    /// plays and the pause between them as the file says; dark at the end.
    ///
    /// # Errors
    ///
    /// As [`PixelBufAnimation::check`] (for an animation built in code; a file read by
    /// this module has been checked).
    pub fn keyframes<P: Pixel + From<PixelBufPixel>>(&self) -> Result<Keyframes<P>, SpecError> {
        let plays = self.plays()?;
        let frames = self.frames.iter().map(|frame| {
            let pixels: Vec<P> = frame.pixels.iter().map(|&p| P::from(p)).collect();
            Keyframe::new(Duration::from_millis(frame.display_ms), pixels)
        });
        let program = keyframes(frames).pause(Duration::from_millis(self.pause_between_play_ms));
        Ok(match plays {
            None => program.looping(),
            Some(n) => program.plays(n),
        })
    }
}

/// A whole number that is not negative (Python's `int` in these places).
struct Count<const MAX: u64>(&'static str);

impl<const MAX: u64> Visitor<'_> for Count<MAX> {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        if v > MAX {
            return Err(E::custom(format!("{v} is too large; expected {}", self.0)));
        }
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(format!("{v} is negative; expected {}", self.0))),
        }
    }
}

fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    d.deserialize_i64(Count::<{ u64::MAX }>("a whole number, 0 or more"))
}

fn count_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Option::<Plays>::deserialize(d).map(|p| p.map(|p| p.0))
}

/// `max_plays` when it is not `null`.
struct Plays(u64);

impl<'de> Deserialize<'de> for Plays {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Plays, D::Error> {
        d.deserialize_i64(Count::<{ u64::MAX }>("a whole number of plays, or null")).map(Plays)
    }
}

fn channel<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    d.deserialize_i64(Count::<255>("a colour value from 0 to 255"))
        .map(|v| u8::try_from(v).unwrap_or(u8::MAX))
}
