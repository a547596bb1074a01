//! Colours as people write them: `"#ff8000"`, `[255, 128, 0]`, `"orange"`, `"on"`,
//! and with a DotStar brightness: `{"color": "red", "brightness": 7}`, `[255, 0, 0, 7]`.

use core::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::{Dot, RGB8};

/// A colour in a spec: a plain "on" or "off" (which every output has), an RGB colour
/// (which only colour outputs have), or an RGB colour at a DotStar brightness.
///
/// Written as `"#ff8000"` (or `"#f80"`), `[255, 128, 0]`, a common name (`"red"`,
/// `"orange"`, `"warm white"`, see [`parse_color`]), `"on"`/`true` or `"off"`/`false`;
/// with a brightness of `0..=31` ([`Dot`]'s 5 bits), `{"color": "red", "brightness": 7}`
/// or `[255, 0, 0, 7]`. Written back as `"on"`, `"off"`, `"#rrggbb"` or
/// `{"color": "#rrggbb", "brightness": 7}`.
///
/// # Examples
///
/// ```
/// use blinken::spec::{Color, SpecPixel};
/// use blinken::{Dot, RGB8};
///
/// let dim: Color = serde_json::from_str(r#"{"color": "red", "brightness": 7}"#).unwrap();
/// assert_eq!(dim, Color::Dot(Dot::new(RGB8::new(255, 0, 0), 7)));
/// assert_eq!(serde_json::from_str::<Color>("[255, 0, 0, 7]").unwrap(), dim);
/// // A DotStar gets the brightness; an RGB8 output the colour scaled by 7/31.
/// assert_eq!(Dot::from_color(dim), Ok(Dot::new(RGB8::new(255, 0, 0), 7)));
/// assert_eq!(RGB8::from_color(dim), Ok(RGB8::new(57, 0, 0)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Color {
    /// The output's "on" value ([`Pixel::ON`](crate::Pixel::ON)): lit, white on a strip.
    On,
    /// Dark ([`Pixel::OFF`](crate::Pixel::OFF)); `"black"` is the same.
    Off,
    /// A colour; refused on an output of plain on/off LEDs.
    Rgb(RGB8),
    /// A colour at a DotStar brightness (`0..=31`): exact on a [`Dot`] output; an
    /// [`RGB8`] output shows the colour scaled by `brightness / 31` (truncated, as
    /// [`Color::scale`](crate::Color::scale)); refused on plain on/off LEDs.
    Dot(Dot),
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
            Color::Dot(d) => write!(f, "{} at brightness {}", Color::Rgb(d.color), d.brightness),
        }
    }
}

impl Serialize for Color {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Color::Dot(d) => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("color", &Color::Rgb(d.color))?;
                map.serialize_entry("brightness", &d.brightness)?;
                map.end()
            }
            _ => s.collect_str(self),
        }
    }
}

/// `color` at `brightness`, which must fit a [`Dot`]'s 5 bits.
fn at_brightness(color: Color, brightness: u64) -> Result<Color, String> {
    let rgb = match color {
        Color::On => RGB8::new(255, 255, 255),
        Color::Off => RGB8::new(0, 0, 0),
        Color::Rgb(c) => c,
        Color::Dot(_) => return Err("a colour with a brightness has one brightness".to_owned()),
    };
    match u8::try_from(brightness).ok().and_then(|b| Dot::try_new(rgb, b).ok()) {
        Some(dot) => Ok(Color::Dot(dot)),
        None => Err(format!(
            "brightness {brightness} does not fit the DotStar's 5 bits; use 0 to 31 (31 is full)"
        )),
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
        f.write_str(
            "a colour such as \"#ff8000\", [255, 128, 0], \"orange\", \"on\", \"off\" or \
             {\"color\": \"red\", \"brightness\": 7}",
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Color, A::Error> {
        const KEYS: &str = "a colour with a brightness has two keys, \"color\" and \"brightness\" \
                            (0 to 31), e.g. {\"color\": \"red\", \"brightness\": 7}";
        let (mut color, mut brightness): (Option<Color>, Option<u64>) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "color" if color.is_none() => color = Some(map.next_value()?),
                "brightness" if brightness.is_none() => brightness = Some(map.next_value()?),
                _ => return Err(de::Error::custom(format!("{key:?}: {KEYS}"))),
            }
        }
        match (color, brightness) {
            (Some(c), Some(b)) => at_brightness(c, b).map_err(de::Error::custom),
            _ => Err(de::Error::custom(KEYS)),
        }
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
        let color = Color::Rgb(RGB8::new(rgb[0], rgb[1], rgb[2]));
        let Some(brightness) = seq.next_element::<u64>()? else { return Ok(color) };
        if seq.next_element::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a colour list has 3 numbers, red, green and blue (0..=255), and maybe a \
                 brightness (0..=31); this one has more",
            ));
        }
        at_brightness(color, brightness).map_err(de::Error::custom)
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
        let dot = Color::Dot(Dot::new(RGB8::new(1, 128, 255), 9));
        let text = serde_json::to_string(&dot).unwrap();
        assert_eq!(text, r##"{"color":"#0180ff","brightness":9}"##);
        assert_eq!(serde_json::from_str::<Color>(&text).unwrap(), dot);
        assert_eq!(rmp_serde::from_slice::<Color>(&rmp_serde::to_vec(&dot).unwrap()).unwrap(), dot);
    }

    #[test]
    fn brightness_forms_and_mistakes() {
        let read = |t: &str| serde_json::from_str::<Color>(t).map_err(|e| e.to_string());
        let dot = |r, g, b, k| Ok(Color::Dot(Dot::new(RGB8::new(r, g, b), k)));
        assert_eq!(read(r#"{"brightness": 31, "color": "on"}"#), dot(255, 255, 255, 31));
        assert_eq!(read(r#"{"color": [1, 2, 3], "brightness": 0}"#), dot(1, 2, 3, 0));
        assert_eq!(read("[1, 2, 3, 4]"), dot(1, 2, 3, 4));
        let err = read("[1, 2, 3, 32]").unwrap_err();
        assert!(
            err.starts_with("brightness 32 does not fit the DotStar's 5 bits; use 0 to 31"),
            "{err}"
        );
        assert!(read("[1, 2, 3, 4, 5]").unwrap_err().contains("this one has more"));
        assert!(read(r#"{"color": "red"}"#).unwrap_err().contains("has two keys"));
        assert!(
            read(r#"{"colour": "red", "brightness": 3}"#).unwrap_err().starts_with("\"colour\": ")
        );
        let nested = r#"{"color": {"color": "red", "brightness": 1}, "brightness": 2}"#;
        assert!(read(nested).unwrap_err().contains("has one brightness"));
    }
}
