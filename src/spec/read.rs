//! Reading documents from JSON and MessagePack, within limits.

use serde::de::DeserializeOwned;

use super::{Format, Position, SpecError};

/// Bounds on what a document may ask for, so that a hostile file cannot exhaust the
/// stack or memory.
///
/// - `max_bytes` bounds the document, and with it every list in it (each element takes
///   at least one byte) and the memory it is read into.
/// - `max_depth` bounds the nesting of lists and maps, so reading and building never
///   recurse deeper than that. Both formats are scanned for it before serde sees them,
///   without recursion (for JSON text the error gives the line and column); behind
///   that, serde_json's own recursion limit and rmp-serde's depth limit (set to the
///   same value) are a second wall. Values above 128, serde_json's recursion limit,
///   count as 128 in both formats: deeper documents need no raised limit, and 128 levels
///   read, build and play on a 2 MiB thread stack (a test checks it).
///
/// # Examples
///
/// ```
/// use blinken::spec::{Limits, Spec, SpecError};
///
/// let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
/// let err = Spec::from_json(&deep).unwrap_err();
/// assert!(matches!(err, SpecError::TooDeep { max: 64, .. }));
///
/// let limits = Limits { max_bytes: 10, ..Limits::default() };
/// let err = Spec::from_json_with(r#"{"wait": "1s"}"#, &limits).unwrap_err();
/// assert!(matches!(err, SpecError::TooLarge { size: 14, max: 10 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// The largest document, in bytes (default 1 MiB).
    pub max_bytes: usize,
    /// The deepest nesting of lists and maps (default 64: a spec nests each combinator
    /// in a map and most in a list, so about 30 combinators deep).
    pub max_depth: usize,
}

impl Limits {
    /// 1 MiB, 64 levels.
    pub const DEFAULT: Limits = Limits { max_bytes: 1 << 20, max_depth: 64 };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// The deepest nesting read whatever the limits say: serde_json's own recursion limit.
const DEEPEST: usize = 128;

/// Reads a `T` from JSON text within `limits`.
pub(crate) fn json<T: DeserializeOwned>(text: &[u8], limits: &Limits) -> Result<T, SpecError> {
    if text.len() > limits.max_bytes {
        return Err(SpecError::TooLarge { size: text.len(), max: limits.max_bytes });
    }
    let max = limits.max_depth.min(DEEPEST);
    if let Some(position) = json_too_deep(text, max) {
        return Err(SpecError::TooDeep { max, position: Some(position) });
    }
    let mut de = serde_json::Deserializer::from_slice(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = path(e.path());
        json_error(path, e.into_inner())
    })?;
    de.end().map_err(|e| json_error(String::new(), e))?;
    Ok(value)
}

fn json_error(path: String, e: serde_json::Error) -> SpecError {
    let position = (e.line() > 0).then(|| Position { line: e.line(), column: e.column() });
    let mut message = e.to_string();
    if position.is_some() {
        let tail = format!(" at line {} column {}", e.line(), e.column());
        if let Some(stripped) = message.strip_suffix(&tail) {
            message = stripped.to_owned();
        }
    }
    SpecError::Parse { format: Format::Json, path, message, position }
}

/// Reads a `T` from MessagePack within `limits`; bytes after the document are an error.
pub(crate) fn msgpack<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<T, SpecError> {
    if bytes.len() > limits.max_bytes {
        return Err(SpecError::TooLarge { size: bytes.len(), max: limits.max_bytes });
    }
    let max = limits.max_depth.min(DEEPEST);
    if msgpack_too_deep(bytes, max) {
        return Err(SpecError::TooDeep { max, position: None });
    }
    let mut rest = bytes;
    let mut de = rmp_serde::Deserializer::new(&mut rest);
    de.set_max_depth(max);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = path(e.path());
        match e.into_inner() {
            rmp_serde::decode::Error::DepthLimitExceeded => {
                SpecError::TooDeep { max, position: None }
            }
            e => msgpack_error(path, &e),
        }
    })?;
    if !rest.is_empty() {
        let message = format!(
            "{} bytes follow the end of the document; send one document at a time",
            rest.len()
        );
        return Err(SpecError::Parse {
            format: Format::MessagePack,
            path: String::new(),
            message,
            position: None,
        });
    }
    Ok(value)
}

fn msgpack_error(path: String, e: &rmp_serde::decode::Error) -> SpecError {
    use rmp_serde::decode::Error as E;
    let message = match e {
        E::InvalidMarkerRead(_) | E::InvalidDataRead(_) => {
            "the document ends too early (or cannot be read); it may be cut short".to_owned()
        }
        E::LengthMismatch(n) => format!("a list of the wrong length ({n} entries)"),
        other => other.to_string(),
    };
    SpecError::Parse { format: Format::MessagePack, path, message, position: None }
}

/// serde_path_to_error's path, with "" for the whole document.
fn path(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." { String::new() } else { text }
}

/// Where JSON text nests deeper than `max` (outside strings), if it does.
pub(crate) fn json_too_deep(text: &[u8], max: usize) -> Option<Position> {
    let (mut depth, mut line, mut line_start) = (0usize, 1, 0);
    let (mut in_string, mut escaped) = (false, false);
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(Position { line, column: i - line_start + 1 });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Whether the first MessagePack value in `bytes` nests arrays and maps deeper than
/// `max`. Walks the markers without recursion or allocation beyond `max` counters;
/// stops (answering `false`) at anything it cannot read, which the decoder then reports.
pub(crate) fn msgpack_too_deep(bytes: &[u8], max: usize) -> bool {
    // Items still to read in each open array or map.
    let mut open: Vec<u64> = Vec::new();
    let mut at = 0usize;
    let len_at = |at: usize, n: usize| -> Option<u64> {
        let b = bytes.get(at..at.checked_add(n)?)?;
        Some(b.iter().fold(0u64, |acc, &x| acc << 8 | u64::from(x)))
    };
    loop {
        let Some(&marker) = bytes.get(at) else { return false };
        at += 1;
        // (bytes to skip, items of a new array or map)
        let (skip, items): (u64, Option<u64>) = match marker {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => (0, None),
            0x80..=0x8f => (0, Some(2 * u64::from(marker & 0x0f))),
            0x90..=0x9f => (0, Some(u64::from(marker & 0x0f))),
            0xa0..=0xbf => (u64::from(marker & 0x1f), None),
            0xc4 | 0xd9 => (1 + len_at(at, 1).unwrap_or(0), None),
            0xc5 | 0xda => (2 + len_at(at, 2).unwrap_or(0), None),
            0xc6 | 0xdb => (4 + len_at(at, 4).unwrap_or(0), None),
            0xc7 => (2 + len_at(at, 1).unwrap_or(0), None),
            0xc8 => (3 + len_at(at, 2).unwrap_or(0), None),
            0xc9 => (5 + len_at(at, 4).unwrap_or(0), None),
            0xca => (4, None),
            0xcb => (8, None),
            0xcc | 0xd0 => (1, None),
            0xcd | 0xd1 => (2, None),
            0xce | 0xd2 => (4, None),
            0xcf | 0xd3 => (8, None),
            0xd4 => (2, None),
            0xd5 => (3, None),
            0xd6 => (5, None),
            0xd7 => (9, None),
            0xd8 => (17, None),
            0xdc => (2, len_at(at, 2)),
            0xdd => (4, len_at(at, 4)),
            0xde => (2, len_at(at, 2).map(|n| 2 * n)),
            0xdf => (4, len_at(at, 4).map(|n| 2 * n)),
            0xc1 => return false,
        };
        let Some(next) = usize::try_from(skip).ok().and_then(|s| at.checked_add(s)) else {
            return false;
        };
        at = next;
        // The value just read fills one slot of the innermost open container.
        if let Some(n) = items.filter(|&n| n > 0) {
            if open.len() == max {
                return true;
            }
            open.push(n);
            continue;
        }
        loop {
            match open.last_mut() {
                None => return false,
                Some(left) => {
                    *left -= 1;
                    if *left > 0 {
                        break;
                    }
                    open.pop();
                }
            }
        }
    }
}

impl super::Spec {
    /// Reads a spec from JSON text within the default [`Limits`].
    ///
    /// # Errors
    ///
    /// [`SpecError::Parse`] naming the place (path, line and column) and the fix;
    /// [`SpecError::TooLarge`] and [`SpecError::TooDeep`] beyond the limits.
    pub fn from_json(text: &str) -> Result<super::Spec, SpecError> {
        json(text.as_bytes(), &Limits::DEFAULT)
    }

    /// Reads a spec from JSON text within `limits`.
    ///
    /// # Errors
    ///
    /// As [`Spec::from_json`](super::Spec::from_json).
    pub fn from_json_with(text: &str, limits: &Limits) -> Result<super::Spec, SpecError> {
        json(text.as_bytes(), limits)
    }

    /// Reads a spec from MessagePack bytes within the default [`Limits`].
    ///
    /// # Errors
    ///
    /// As [`Spec::from_json`](super::Spec::from_json), without line and column.
    pub fn from_msgpack(bytes: &[u8]) -> Result<super::Spec, SpecError> {
        msgpack(bytes, &Limits::DEFAULT)
    }

    /// Reads a spec from MessagePack bytes within `limits`.
    ///
    /// # Errors
    ///
    /// As [`Spec::from_msgpack`](super::Spec::from_msgpack).
    pub fn from_msgpack_with(bytes: &[u8], limits: &Limits) -> Result<super::Spec, SpecError> {
        msgpack(bytes, limits)
    }

    /// The spec as compact JSON text; [`Spec::from_json`](super::Spec::from_json) reads
    /// it back to an equal spec.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| unreachable!("a spec is plain data: {e}"))
    }

    /// The spec as indented JSON text.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| unreachable!("a spec is plain data: {e}"))
    }

    /// The spec as MessagePack (maps with string keys, as JSON has them);
    /// [`Spec::from_msgpack`](super::Spec::from_msgpack) reads it back to an equal spec.
    pub fn to_msgpack(&self) -> Vec<u8> {
        rmp_serde::to_vec_named(self).unwrap_or_else(|e| unreachable!("a spec is plain data: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_skips_strings_and_finds_the_place() {
        assert_eq!(json_too_deep(b"[[]]", 2), None);
        assert_eq!(json_too_deep(b"[[[]]]", 2), Some(Position { line: 1, column: 3 }));
        assert_eq!(json_too_deep(b"[\"[[[[\\\"[[\"]", 1), None);
        assert_eq!(json_too_deep(b"{\n  \"a\": [[1]]}", 2), Some(Position { line: 2, column: 9 }));
        assert_eq!(json_too_deep(b"]]]][[", 2), None);
    }

    #[test]
    fn msgpack_depth_scan() {
        let nested = |n: usize| {
            let mut v = vec![0x91u8; n];
            v.push(0xc0);
            v
        };
        assert!(!msgpack_too_deep(&nested(2), 2));
        assert!(msgpack_too_deep(&nested(3), 2));
        assert!(msgpack_too_deep(&nested(100_000), 64));
        // A map {"a": [[1]], "b": 2} is three deep; its siblings do not add up.
        let doc = b"\x82\xa1a\x91\x91\x01\xa1b\x02";
        assert!(!msgpack_too_deep(doc, 3));
        assert!(msgpack_too_deep(doc, 2));
        // Lists of lists side by side stay shallow; long strings and ints are skipped.
        let wide = b"\x93\x91\x01\x91\xd9\x03[[[\x91\xcd\x01\x02";
        assert!(!msgpack_too_deep(wide, 2));
        // Cut short or unreadable: left to the decoder.
        assert!(!msgpack_too_deep(b"\xdc\x00", 1));
        assert!(!msgpack_too_deep(b"\x91\xc1", 1));
        assert!(!msgpack_too_deep(b"", 0));
    }
}
