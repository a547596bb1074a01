//! Colours as people write them: `"#ff8000"`, `[255, 128, 0]`, `"orange"`, `"on"`.

use core::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::RGB8;

/// A colour in a spec: a plain "on" or "off" (which every output has), or an RGB
/// colour (which only colour outputs have).
///
/// Written as `"#ff8000"` (or `"#f80"`), `[255, 128, 0]`, a common name (`"red"`,
/// `"orange"`, `"warm white"`, see [`parse_color`]), `"on"`/`true` or `"off"`/`false`.
/// Written back as `"on"`, `"off"` or `"#rrggbb"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Color {
    /// The output's "on" value ([`Pixel::ON`](crate::Pixel::ON)): lit, white on a strip.
    On,
    /// Dark ([`Pixel::OFF`](crate::Pixel::OFF)); `"black"` is the same.
    Off,
    /// A colour; refused on an output of plain on/off LEDs.
    Rgb(RGB8),
}

/// Names of common colours, lower case.
const NAMES: [(&str, [u8; 3]); 16] = [
    ("white", [255, 255, 255]),
    ("red", [255, 0, 0]),
    ("green", [0, 255, 0]),
    ("blue", [0, 0, 255]),
    ("yellow", [255, 255, 0]),
    ("cyan", [0, 255, 255]),
    ("magenta", [255, 0, 255]),
    ("orange", [255, 128, 0]),
    ("purple", [128, 0, 128]),
    ("violet", [238, 130, 238]),
    ("pink", [255, 105, 180]),
    ("amber", [255, 191, 0]),
    ("gold", [255, 215, 0]),
    ("teal", [0, 128, 128]),
    ("warm white", [255, 214, 170]),
    ("grey", [128, 128, 128]),
];

/// Parses a colour: `"#rrggbb"`, `"#rgb"`, `"on"`, `"off"`, `"black"` or a name
/// (`white red green blue yellow cyan magenta orange purple violet pink amber gold teal
/// "warm white" grey`), case and surrounding spaces ignored.
///
/// # Errors
///
/// A message that quotes the text and lists the accepted forms.
pub fn parse_color(text: &str) -> Result<Color, String> {
    let name = text.trim().to_ascii_lowercase();
    match name.as_str() {
        "on" => return Ok(Color::On),
        "off" | "black" => return Ok(Color::Off),
        "gray" => return parse_color("grey"),
        _ => {}
    }
    if let Some((_, [r, g, b])) = NAMES.iter().find(|(n, _)| *n == name) {
        return Ok(Color::Rgb(RGB8::new(*r, *g, *b)));
    }
    if let Some(hex) = name.strip_prefix('#')
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        let byte = |s: &str| u8::from_str_radix(s, 16).ok();
        let rgb = match hex.len() {
            6 => (byte(&hex[0..2]), byte(&hex[2..4]), byte(&hex[4..6])),
            3 => {
                let twice = |i: usize| byte(&hex[i..=i]).map(|n| n * 17);
                (twice(0), twice(1), twice(2))
            }
            _ => (None, None, None),
        };
        if let (Some(r), Some(g), Some(b)) = rgb {
            return Ok(Color::Rgb(RGB8::new(r, g, b)));
        }
    }
    Err(format!(
        "{text:?} is not a colour; write \"#ff8000\", [255, 128, 0], \"on\", \"off\" or a name ({})",
        NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    ))
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Color::On => f.write_str("on"),
            Color::Off => f.write_str("off"),
            Color::Rgb(c) => write!(f, "#{:02x}{:02x}{:02x}", c.r, c.g, c.b),
        }
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
        d.deserialize_any(ColorVisitor)
    }
}

struct ColorVisitor;

impl<'de> Visitor<'de> for ColorVisitor {
    type Value = Color;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a colour such as \"#ff8000\", [255, 128, 0], \"orange\", \"on\" or \"off\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Color, E> {
        parse_color(v).map_err(E::custom)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Color, E> {
        Ok(if v { Color::On } else { Color::Off })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Color, A::Error> {
        let mut rgb = [0u8; 3];
        for (i, slot) in rgb.iter_mut().enumerate() {
            *slot = match seq.next_element::<u8>()? {
                Some(v) => v,
                None => {
                    return Err(de::Error::custom(format!(
                        "a colour list has 3 numbers, red, green and blue (0..=255); this one has {i}"
                    )));
                }
            };
        }
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a colour list has 3 numbers, red, green and blue (0..=255); this one has more",
            ));
        }
        Ok(Color::Rgb(RGB8::new(rgb[0], rgb[1], rgb[2])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let rgb = |r, g, b| Ok(Color::Rgb(RGB8::new(r, g, b)));
        assert_eq!(parse_color("#ff8000"), rgb(255, 128, 0));
        assert_eq!(parse_color("#FF8000"), rgb(255, 128, 0));
        assert_eq!(parse_color("#f80"), rgb(255, 136, 0));
        assert_eq!(parse_color("Orange"), rgb(255, 128, 0));
        assert_eq!(parse_color(" warm white "), rgb(255, 214, 170));
        assert_eq!(parse_color("gray"), rgb(128, 128, 128));
        assert_eq!(parse_color("on"), Ok(Color::On));
        assert_eq!(parse_color("off"), Ok(Color::Off));
        assert_eq!(parse_color("black"), Ok(Color::Off));
    }

    #[test]
    fn mistakes() {
        for bad in ["", "#", "#ff80", "#gg8000", "ff8000", "#ff8000ff", "chartreuse", "#ä12"] {
            let err = parse_color(bad).unwrap_err();
            assert!(err.starts_with(&format!("{bad:?} is not a colour; write")), "{err}");
        }
    }

    #[test]
    fn written_back_reads_the_same() {
        for c in [Color::On, Color::Off, Color::Rgb(RGB8::new(1, 128, 255))] {
            assert_eq!(parse_color(&c.to_string()), Ok(c));
        }
    }
}
