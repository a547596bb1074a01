//! LEDs as people write them: `3`, `[0, 4, "row 2"]`, `"0..5"`, `"outer ring"`,
//! `{"art": ["#...#", ".###."]}`.

use core::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use super::Layout;
use crate::{Leds, Matrix};

/// Which LEDs a leaf drives, as written in a spec; resolved against a [`Layout`] when
/// the spec is built.
///
/// | written | means |
/// |---|---|
/// | `3` | LED 3 (output index) |
/// | `[0, 4, "row 2"]` | those, in order (indices and names) |
/// | `"all"` | every LED |
/// | `"0..5"`, `"0..=4"` | a range of indices |
/// | `"row 0"`, `"col 2"` (`"column 2"`) | a row or column of a matrix |
/// | `"outer ring"`, `"inner ring"`, `"ring 1"` | rings of a matrix, clockwise from the top-left |
/// | `"slash"`, `"backslash"` | the diagonals of a square matrix |
/// | `"line 11"`, `"lines 10 4"` | the LEDs wired to those GPIO lines (a matrix that knows its lines) |
/// | `"left wing"` | a group added with [`Layout::with_group`] |
/// | `{"art": [".#.#.", ".....", "#...#", ".###.", "....."]}` | text art on a matrix (`#`, `X`, `*` lit, `.` dark), one string per row |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LedsSpec {
    /// One index.
    Index(usize),
    /// A name: a group, a range, `"all"`.
    Name(String),
    /// Indices and names, in order.
    List(Vec<LedItem>),
    /// Text art on a matrix, one string per row.
    Art(Vec<String>),
}

/// One entry of [`LedsSpec::List`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LedItem {
    /// One index.
    Index(usize),
    /// A name, as [`LedsSpec::Name`].
    Name(String),
}

impl From<usize> for LedsSpec {
    fn from(i: usize) -> LedsSpec {
        LedsSpec::Index(i)
    }
}

impl From<&str> for LedsSpec {
    fn from(name: &str) -> LedsSpec {
        LedsSpec::Name(name.to_owned())
    }
}

impl LedsSpec {
    /// The LEDs on `layout`, in order.
    ///
    /// # Errors
    ///
    /// A message naming the unknown name, the index or range outside the output, or the
    /// group that needs a matrix, and what to write instead.
    pub fn resolve(&self, layout: &Layout) -> Result<Leds, String> {
        match self {
            LedsSpec::Index(i) => index(*i, layout).map(Leds::from),
            LedsSpec::Name(name) => resolve_name(name, layout),
            LedsSpec::List(items) => {
                let mut all = Vec::new();
                for item in items {
                    match item {
                        LedItem::Index(i) => all.push(index(*i, layout)?),
                        LedItem::Name(name) => all.extend_from_slice(&resolve_name(name, layout)?),
                    }
                }
                Ok(Leds::from(all))
            }
            LedsSpec::Art(rows) => {
                let matrix = needs_matrix("text art", layout)?;
                matrix.pattern(&rows.join("\n")).map_err(|e| format!("text art: {e}"))
            }
        }
    }
}

fn index(i: usize, layout: &Layout) -> Result<usize, String> {
    if i < layout.len() {
        return Ok(i);
    }
    Err(match layout.len() {
        0 => format!("LED {i} is outside the output, which has no LEDs"),
        n => format!("LED {i} is outside the output ({n} LEDs); use 0..={}", n - 1),
    })
}

fn needs_matrix<'a>(what: &str, layout: &'a Layout) -> Result<&'a Matrix, String> {
    layout.as_matrix().ok_or_else(|| {
        format!(
            "{what} needs a matrix, and this output is a strip of {} LEDs; use indices, \
             ranges such as \"0..5\", or \"all\"",
            layout.len()
        )
    })
}

fn number(text: &str, what: &str, name: &str) -> Result<usize, String> {
    text.trim().parse().map_err(|_| format!("{name:?}: {text:?} is not a {what} number"))
}

fn resolve_name(name: &str, layout: &Layout) -> Result<Leds, String> {
    if let Some(leds) = layout.group(name) {
        return Ok(leds.clone());
    }
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let checked = |what: &str, k: usize, count: usize| {
        if k < count {
            Ok(k)
        } else {
            Err(format!(
                "{name:?}: the matrix has no {what} {k} (it has {count}); use 0..={}",
                count.saturating_sub(1)
            ))
        }
    };
    match words.as_slice() {
        ["all"] => Ok(Leds::from(0..layout.len())),
        ["row", k] => {
            let m = needs_matrix(name, layout)?;
            Ok(m.row(checked("row", number(k, "row", name)?, m.rows())?))
        }
        ["col" | "column", k] => {
            let m = needs_matrix(name, layout)?;
            Ok(m.col(checked("column", number(k, "column", name)?, m.cols())?))
        }
        ["ring", k] => {
            let m = needs_matrix(name, layout)?;
            Ok(m.ring(checked("ring", number(k, "ring", name)?, m.ring_count())?))
        }
        ["outer", "ring"] => Ok(needs_matrix(name, layout)?.outer_ring()),
        ["inner", "ring"] => {
            let m = needs_matrix(name, layout)?;
            checked("ring", 1, m.ring_count())?;
            Ok(m.inner_ring())
        }
        ["slash" | "backslash"] => {
            let m = needs_matrix(name, layout)?;
            if m.rows() != m.cols() {
                return Err(format!(
                    "{name:?} needs a square matrix; this one is {}x{}",
                    m.rows(),
                    m.cols()
                ));
            }
            Ok(if words[0] == "slash" { m.slash() } else { m.backslash() })
        }
        ["line" | "lines", offsets @ ..] if !offsets.is_empty() => {
            let m = needs_matrix(name, layout)?;
            let offsets = offsets
                .iter()
                .map(|o| {
                    o.parse::<u32>().map_err(|_| format!("{name:?}: {o:?} is not a line offset"))
                })
                .collect::<Result<Vec<u32>, String>>()?;
            m.leds_on_lines(&offsets).map_err(|e| format!("{name:?}: {e}"))
        }
        _ => match range(&lower) {
            Some(Ok((from, to))) => {
                if from > to {
                    return Err(format!(
                        "{name:?} is an empty range; write the smaller index first"
                    ));
                }
                if to > layout.len() {
                    return Err(format!(
                        "{name:?} goes past the output ({} LEDs); use at most \"0..{}\"",
                        layout.len(),
                        layout.len()
                    ));
                }
                Ok(Leds::from(from..to))
            }
            Some(Err(e)) => Err(e),
            None => Err(unknown(name, layout)),
        },
    }
}

/// `"a..b"` or `"a..=b"` as a half-open range.
fn range(text: &str) -> Option<Result<(usize, usize), String>> {
    let (from, to) = text.split_once("..")?;
    let (to, inclusive) = match to.strip_prefix('=') {
        Some(to) => (to, true),
        None => (to, false),
    };
    let parse = |s: &str| s.trim().parse::<usize>();
    Some(match (parse(from), parse(to)) {
        (Ok(from), Ok(to)) => match inclusive {
            true => to
                .checked_add(1)
                .map(|to| (from, to))
                .ok_or_else(|| format!("{text:?} is too large a range")),
            false => Ok((from, to)),
        },
        _ => Err(format!("{text:?} is not a range; write e.g. \"0..5\" or \"0..=4\"")),
    })
}

fn unknown(name: &str, layout: &Layout) -> String {
    let mut known = vec!["\"all\"", "ranges such as \"0..5\""];
    if layout.as_matrix().is_some() {
        known.extend([
            "\"row N\"",
            "\"col N\"",
            "\"ring N\"",
            "\"outer ring\"",
            "\"inner ring\"",
            "\"slash\"",
            "\"backslash\"",
            "\"line N\"",
            "{\"art\": [...]}",
        ]);
    }
    let mine: Vec<String> = layout.group_names().map(|n| format!("{n:?}")).collect();
    let mut text = format!("{name:?} is not a group of LEDs; use {}", known.join(", "));
    if !mine.is_empty() {
        text.push_str(&format!(", or one of this output's groups: {}", mine.join(", ")));
    }
    text
}

impl Serialize for LedsSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LedsSpec::Index(i) => s.serialize_u64(*i as u64),
            LedsSpec::Name(name) => s.serialize_str(name),
            LedsSpec::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    match item {
                        LedItem::Index(i) => seq.serialize_element(&(*i as u64))?,
                        LedItem::Name(name) => seq.serialize_element(name)?,
                    }
                }
                seq.end()
            }
            LedsSpec::Art(rows) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("art", rows)?;
                map.end()
            }
        }
    }
}

const EXPECTING: &str = "LEDs: an index such as 3, a list such as [0, 4, \"row 2\"], a range \
     such as \"0..5\", a group such as \"row 0\" or \"outer ring\", or {\"art\": [...]}";

fn to_index<E: de::Error>(v: u64) -> Result<usize, E> {
    usize::try_from(v).map_err(|_| E::custom(format!("LED {v} is too large an index")))
}

impl<'de> Deserialize<'de> for LedItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LedItem, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LedItem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an LED index such as 3 or a group such as \"row 0\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LedItem, E> {
                to_index(v).map(LedItem::Index)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LedItem, E> {
                Ok(LedItem::Name(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for LedsSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LedsSpec, D::Error> {
        d.deserialize_any(LedsVisitor)
    }
}

struct LedsVisitor;

impl<'de> Visitor<'de> for LedsVisitor {
    type Value = LedsSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<LedsSpec, E> {
        to_index(v).map(LedsSpec::Index)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<LedsSpec, E> {
        Ok(LedsSpec::Name(v.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LedsSpec, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(LedsSpec::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LedsSpec, A::Error> {
        match map.next_key::<String>()?.as_deref() {
            Some("art") => {}
            Some(other) => {
                return Err(de::Error::custom(format!(
                    "unknown key {other:?} for LEDs; the only one is \"art\" (text art)"
                )));
            }
            None => return Err(de::Error::custom(format!("an empty map is not {EXPECTING}"))),
        }
        let rows: Vec<String> = map.next_value()?;
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("LEDs as text art have one key, \"art\""));
        }
        Ok(LedsSpec::Art(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(layout: &Layout, spec: LedsSpec) -> Result<Vec<usize>, String> {
        spec.resolve(layout).map(|l| l.to_vec())
    }

    #[test]
    fn names_on_the_talk_board() {
        let talk = Layout::talk();
        let name = |n: &str| on(&talk, LedsSpec::from(n)).unwrap();
        assert_eq!(name("all"), (0..25).collect::<Vec<_>>());
        assert_eq!(name("row 0"), [0, 1, 2, 3, 4]);
        assert_eq!(name(" Row  4 "), [20, 21, 22, 23, 24]);
        assert_eq!(name("col 1"), [1, 6, 11, 16, 21]);
        assert_eq!(name("column 1"), [1, 6, 11, 16, 21]);
        assert_eq!(name("outer ring"), Matrix::talk().outer_ring().to_vec());
        assert_eq!(name("inner ring"), Matrix::talk().inner_ring().to_vec());
        assert_eq!(name("ring 2"), [12]);
        assert_eq!(name("slash"), Matrix::talk().slash().to_vec());
        assert_eq!(name("backslash"), [0, 6, 12, 18, 24]);
        assert_eq!(name("line 11"), [0]);
        assert_eq!(name("lines 10 4"), [1, 3]);
        assert_eq!(name("3..6"), [3, 4, 5]);
        assert_eq!(name("3..=6"), [3, 4, 5, 6]);
        assert_eq!(name("0..0"), Vec::<usize>::new());
        let list = LedsSpec::List(vec![LedItem::Index(7), LedItem::Name("row 0".into())]);
        assert_eq!(on(&talk, list).unwrap(), [7, 0, 1, 2, 3, 4]);
        let art = LedsSpec::Art(vec![
            ".#.#.".into(),
            ".....".into(),
            "#...#".into(),
            ".###.".into(),
            ".....".into(),
        ]);
        assert_eq!(on(&talk, art).unwrap(), [1, 3, 10, 14, 16, 17, 18]);
    }

    #[test]
    fn mistakes_say_what_to_write() {
        let talk = Layout::talk();
        let err = |spec: LedsSpec| on(&talk, spec).unwrap_err();
        assert_eq!(err(LedsSpec::Index(25)), "LED 25 is outside the output (25 LEDs); use 0..=24");
        assert_eq!(err("row 5".into()), "\"row 5\": the matrix has no row 5 (it has 5); use 0..=4");
        assert_eq!(err("row x".into()), "\"row x\": \"x\" is not a row number");
        assert!(err("rowe 1".into()).starts_with("\"rowe 1\" is not a group of LEDs; use \"all\""));
        assert!(err("0..26".into()).contains("goes past the output (25 LEDs)"));
        assert!(err("0..18446744073709551615".into()).contains("goes past the output"));
        assert!(err("0..=18446744073709551615".into()).contains("too large"));
        assert!(err("5..2".into()).contains("empty range"));
        assert!(err("1..x".into()).contains("is not a range"));
        assert!(err("line 99".into()).starts_with("\"line 99\": "));
        assert!(err(LedsSpec::Art(vec!["#".into()])).starts_with("text art: "));

        let strip = Layout::strip(11).with_group("left wing", Leds::from(0..5));
        assert_eq!(on(&strip, "left wing".into()).unwrap(), [0, 1, 2, 3, 4]);
        let e = on(&strip, "row 0".into()).unwrap_err();
        assert_eq!(
            e,
            "row 0 needs a matrix, and this output is a strip of 11 LEDs; use indices, ranges \
             such as \"0..5\", or \"all\""
        );
        let e = on(&strip, "wings".into()).unwrap_err();
        assert!(e.ends_with("or one of this output's groups: \"left wing\""), "{e}");
        let e = on(&Layout::strip(0), LedsSpec::Index(0)).unwrap_err();
        assert_eq!(e, "LED 0 is outside the output, which has no LEDs");
    }
}
