//! Durations as people write them: `"500ms"`, `"1.5s"`, `0.005` (seconds), `{"ms": 500}`.

use core::fmt;
use core::time::Duration;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serializer};

/// The units a duration may be written in, with their length in nanoseconds.
const UNITS: [(&str, u64); 8] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("min", 60_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

const HINT: &str =
    "write a number and a unit, e.g. \"500ms\", \"1.5s\", \"2min\", or seconds as a number";

/// Parses a duration written as a decimal number and a unit (`ns`, `us`, `µs`, `ms`,
/// `s`, `min` or `m`, `h`), without a space: `"500ms"`, `"1.5s"`, `"0.25h"`. The value
/// is exact: `"0.1s"` is 100,000,000 ns, not the nearest binary fraction.
///
/// # Errors
///
/// A message that quotes the text and says how to write it:
/// `"5 ms" is not a duration; write "5ms" or 0.005`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let number_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    let Some(&(_, scale)) = UNITS.iter().find(|(name, _)| *name == unit) else {
        return Err(not_a_duration(text));
    };
    decimal(number, scale).ok_or_else(|| not_a_duration(text))?
}

fn not_a_duration(text: &str) -> String {
    // "5 ms", " 5ms ": the same without spaces would be fine; say so.
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed != text
        && let Ok(d) = parse_duration(&squeezed)
    {
        return format!("{text:?} is not a duration; write {squeezed:?} or {}", seconds(d));
    }
    format!("{text:?} is not a duration; {HINT}")
}

/// `d` as a number of seconds, as JSON would carry it.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    format!("{s}")
}

/// `number` (decimal digits with at most one point) times `scale` nanoseconds, exactly.
/// `None` when `number` is not a decimal; `Some(Err)` when it is too long or too fine.
fn decimal(number: &str, scale: u64) -> Option<Result<Duration, String>> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    if number.ends_with('.') {
        return None;
    }
    let too_long = || format!("{number} is too long a duration; the longest is about 584 years");
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        match whole.parse::<u128>() {
            Ok(w) => w,
            Err(_) => return Some(Err(too_long())),
        }
    };
    let mut nanos = whole * u128::from(scale);
    let mut place = u128::from(scale);
    for digit in fraction.bytes() {
        let d = u128::from(digit - b'0');
        if place % 10 != 0 {
            if d != 0 {
                return Some(Err(format!(
                    "{number} is finer than a nanosecond; round it to at most {} decimals",
                    scale.ilog10()
                )));
            }
            continue;
        }
        place /= 10;
        nanos += d * place;
    }
    Some(u64::try_from(nanos).map(Duration::from_nanos).map_err(|_| too_long()))
}

/// `d` written back in the largest unit that keeps it exact: `"3s"`, `"500ms"`,
/// `"250us"`, `"7ns"`. [`parse_duration`] reads it back to the same value.
pub fn format_duration(d: Duration) -> String {
    let nanos = d.as_nanos();
    for (unit, scale) in [("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)] {
        if nanos % scale == 0 && nanos != 0 {
            return format!("{}{unit}", nanos / scale);
        }
    }
    if nanos == 0 { "0s".to_owned() } else { format!("{nanos}ns") }
}

/// A number of seconds (the talk's `0.1`) as an exact duration: the shortest decimal
/// that reads back as the same `f64`, so `0.1` is 100 ms exactly.
fn from_seconds(s: f64, scale: u64) -> Result<Duration, String> {
    if !s.is_finite() || s < 0.0 {
        return Err(format!("{s} is not a duration; durations are finite and not negative"));
    }
    match decimal(&format!("{s}"), scale) {
        Some(result) => result,
        None => Err(format!("{s} is not a duration; {HINT}")),
    }
}

struct DurationVisitor;

impl<'de> Visitor<'de> for DurationVisitor {
    type Value = Duration;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a duration such as \"500ms\", \"1.5s\", 0.5 (seconds) or {\"ms\": 500}")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
        parse_duration(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
        Ok(Duration::from_secs(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
        u64::try_from(v)
            .map(Duration::from_secs)
            .map_err(|_| E::custom(format!("{v} is not a duration; durations are not negative")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Duration, E> {
        from_seconds(v, 1_000_000_000).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Duration, A::Error> {
        let unit_names = || UNITS.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", ");
        let Some(unit) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "an empty map is not a duration; write one unit and a number, e.g. {\"ms\": 500}",
            ));
        };
        let Some(&(_, scale)) = UNITS.iter().find(|(name, _)| *name == unit) else {
            return Err(de::Error::custom(format!(
                "{unit:?} is not a unit of time; use one of {}",
                unit_names()
            )));
        };
        let amount: Amount = map.next_value()?;
        if map.next_key::<de::IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(
                "a duration has one unit; write e.g. {\"ms\": 1500}, not several units",
            ));
        }
        let d = match amount.0 {
            Ok(n) => Ok(crate::time::mul(Duration::from_nanos(scale), n)),
            Err(f) => from_seconds(f, scale),
        };
        d.map_err(de::Error::custom)
    }
}

/// A plain number: an integer kept exact, or a float.
struct Amount(Result<u64, f64>);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number that is not negative")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount(Ok(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                u64::try_from(v).map(|v| Amount(Ok(v))).map_err(|_| {
                    E::custom(format!("{v} is not a duration; durations are not negative"))
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Ok(Amount(Err(v)))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Reads a duration in any of the forms above (`#[serde(with = "duration")]`).
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    d.deserialize_any(DurationVisitor)
}

/// Writes a duration as [`format_duration`] does.
pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_duration(*d))
}

/// The same for `Option<Duration>` (`#[serde(default, with = "duration::option")]`).
pub(crate) mod option {
    use super::*;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        super::deserialize(d).map(Some)
    }

    pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_decimals_are_exact() {
        let ok = |s: &str| parse_duration(s).unwrap();
        assert_eq!(ok("500ms"), Duration::from_millis(500));
        assert_eq!(ok("1.5s"), Duration::from_millis(1500));
        assert_eq!(ok("0.1s"), Duration::from_millis(100));
        assert_eq!(ok(".25s"), Duration::from_millis(250));
        assert_eq!(ok("2min"), Duration::from_secs(120));
        assert_eq!(ok("2m"), Duration::from_secs(120));
        assert_eq!(ok("0.5h"), Duration::from_secs(1800));
        assert_eq!(ok("250us"), Duration::from_micros(250));
        assert_eq!(ok("250µs"), Duration::from_micros(250));
        assert_eq!(ok("7ns"), Duration::from_nanos(7));
        assert_eq!(ok("1.000000001s"), Duration::from_nanos(1_000_000_001));
        assert_eq!(ok("1.50000s"), Duration::from_millis(1500));
        assert_eq!(ok("0s"), Duration::ZERO);
    }

    #[test]
    fn mistakes_are_named_with_a_fix() {
        let err = |s: &str| parse_duration(s).unwrap_err();
        assert_eq!(err("5 ms"), r#""5 ms" is not a duration; write "5ms" or 0.005"#);
        assert_eq!(err(" 2s"), r#"" 2s" is not a duration; write "2s" or 2"#);
        assert!(err("5").contains("write a number and a unit"), "{}", err("5"));
        assert!(err("5 parsecs").contains("write a number and a unit"));
        assert!(err("ms").contains("is not a duration"));
        assert!(err("1..5s").contains("is not a duration"));
        assert!(err("1.s").contains("is not a duration"));
        assert!(err("-1s").contains("is not a duration"));
        assert!(err("1e3ms").contains("is not a duration"));
        assert_eq!(
            err("1.0000000001s"),
            "1.0000000001 is finer than a nanosecond; round it to at most 9 decimals"
        );
        assert!(err("99999999999999999999999h").contains("too long"));
        assert!(err("600000000000h").contains("too long"));
    }

    #[test]
    fn formatting_reads_back_exactly() {
        for nanos in [0, 1, 999, 1_000, 1_500_000, 100_000_000, 3_000_000_000, 1_000_000_001] {
            let d = Duration::from_nanos(nanos);
            assert_eq!(parse_duration(&format_duration(d)).unwrap(), d, "{nanos}");
        }
        assert_eq!(format_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(format_duration(Duration::from_secs(3)), "3s");
        assert_eq!(parse_duration(&format_duration(Duration::MAX)).ok(), None);
    }

    #[test]
    fn seconds_as_numbers_are_exact_decimals() {
        assert_eq!(from_seconds(0.1, 1_000_000_000).unwrap(), Duration::from_millis(100));
        assert_eq!(from_seconds(0.005, 1_000_000_000).unwrap(), Duration::from_millis(5));
        assert_eq!(from_seconds(1e-9, 1_000_000_000).unwrap(), Duration::from_nanos(1));
        assert!(from_seconds(-1.0, 1).is_err());
        assert!(from_seconds(f64::NAN, 1).is_err());
        assert!(from_seconds(f64::INFINITY, 1).is_err());
        assert!(from_seconds(1e300, 1_000_000_000).is_err());
    }
}
