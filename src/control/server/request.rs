//! Requests: what a message asks for, parsed from JSON or from a plain-data pickle.
//! Pure functions over bytes, so the fuzz tests call them directly.

use core::time::Duration;

use serde_json::{Map, Value as Json};

use crate::control::pickle::{self, PickleLimits, Value};
use crate::spec::{Limits, PixelBufAnimation, Spec, parse_duration};

/// The classes a pickled request may hold: the pixel-buffer player's dataclasses.
pub(crate) const CLASSES: [&str; 3] = ["Animation", "Frame", "Pixel"];

/// How a request was written; its reply is written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Pickle,
    /// A pickled bare `Animation`: the seed's manager, answered with a bare id or -1.
    Manager,
}

/// A program to play.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Program {
    Spec(Spec),
    Preset(String),
    PixelBuf(PixelBufAnimation),
}

/// How a crossfade eases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    Linear,
    Ease,
}

/// One request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Request {
    Play(Program),
    Overlay(Program),
    Crossfade { program: Program, duration: Duration, curve: Curve },
    Stop,
    StopOverlay,
    Clear,
    Status,
    Presets,
    Brightness(f64),
    Subscribe,
    Close,
}

/// The commands without an argument.
const BARE: [(&str, Request); 7] = [
    ("stop", Request::Stop),
    ("stop_overlay", Request::StopOverlay),
    ("clear", Request::Clear),
    ("status", Request::Status),
    ("presets", Request::Presets),
    ("subscribe", Request::Subscribe),
    ("close", Request::Close),
];

const COMMANDS: &str = "play, overlay, crossfade, stop, stop_overlay, clear, status, presets, \
                        brightness, subscribe, close";

/// The bounds parsing applies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ParseLimits {
    pub(crate) spec: Limits,
    pub(crate) pickle: PickleLimits,
}

/// JSON messages up to this size are parsed on the I/O thread (well under a
/// millisecond); larger ones on the decoder thread.
pub(crate) const LIGHT_JSON: usize = 64 << 10;
/// Pickles that decode within this many values are parsed on the I/O thread; a pickle
/// can hold more values than bytes (memo references copy whole objects), so the size
/// alone does not tell.
pub(crate) const LIGHT_VALUES: usize = 20_000;

/// [`parse`] if it is cheap: `None` for a message to parse on the decoder thread (a
/// large JSON text, or a pickle over [`LIGHT_VALUES`] values), so that one costly
/// request never delays the other clients' requests.
pub(crate) fn parse_light(
    message: &[u8],
    limits: &ParseLimits,
) -> Option<(Format, Result<Request, String>)> {
    if message.first() == Some(&0x80) {
        let light = PickleLimits {
            max_values: limits.pickle.max_values.min(LIGHT_VALUES),
            ..limits.pickle
        };
        let decoded = pickle::decode(message, &CLASSES, light);
        if let Err(pickle::PickleError::Limit { what: "values", .. }) = decoded {
            if limits.pickle.max_values > LIGHT_VALUES {
                return None;
            }
        }
        return Some(from_pickle(decoded, limits));
    }
    if message.len() > LIGHT_JSON {
        return None;
    }
    Some(parse(message, limits))
}

/// Parses one message: its format (for the reply) and the request, or an error message
/// saying what was wrong and what to send instead.
pub(crate) fn parse(message: &[u8], limits: &ParseLimits) -> (Format, Result<Request, String>) {
    if message.first() == Some(&0x80) {
        return from_pickle(pickle::decode(message, &CLASSES, limits.pickle), limits);
    }
    let Ok(text) = core::str::from_utf8(message) else {
        return (
            Format::Json,
            Err("the message is neither a pickle nor UTF-8 JSON text; send JSON with \
                 send_bytes, or any plain data with send"
                .into()),
        );
    };
    if let Some((_, bare)) = BARE.iter().find(|(name, _)| *name == text.trim()) {
        return (Format::Json, Ok(bare.clone()));
    }
    let json = match serde_json::from_str::<Json>(text) {
        Ok(json) => json,
        Err(error) => {
            return (Format::Json, Err(format!("the message is not JSON ({error}); {}", usage())));
        }
    };
    (Format::Json, request(&json, limits))
}

fn from_pickle(
    decoded: Result<Value, pickle::PickleError>,
    limits: &ParseLimits,
) -> (Format, Result<Request, String>) {
    match decoded {
        Err(error) => (Format::Pickle, Err(format!("the pickle was refused: {error}"))),
        Ok(value @ Value::Object { .. }) if is_class(&value, "Animation") => {
            let request = to_json(&value, 0)
                .and_then(|json| pixelbuf(&json))
                .map(|animation| Request::Play(Program::PixelBuf(animation)));
            (Format::Manager, request)
        }
        Ok(value) => (Format::Pickle, to_json(&value, 0).and_then(|j| request(&j, limits))),
    }
}

fn usage() -> String {
    format!(
        "send a command name (\"status\") or an object such as {{\"play\": \"smiley\"}}; commands: {COMMANDS}"
    )
}

fn is_class(value: &Value, class: &str) -> bool {
    matches!(value, Value::Object { name, .. } if name == class)
}

/// A request from its JSON form.
pub(crate) fn request(json: &Json, limits: &ParseLimits) -> Result<Request, String> {
    let object = match json {
        Json::String(name) => {
            return BARE
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, r)| r.clone())
                .ok_or_else(|| format!("unknown command {name:?}; {}", usage()));
        }
        Json::Object(object) => object,
        other => return Err(format!("a request cannot be {}; {}", kind(other), usage())),
    };
    let command = ["play", "overlay", "crossfade", "brightness"]
        .into_iter()
        .chain(BARE.iter().map(|(name, _)| *name))
        .filter(|name| object.contains_key(*name))
        .collect::<Vec<_>>();
    let command = match command.as_slice() {
        [one] => *one,
        [] => {
            let keys = object.keys().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ");
            return Err(format!("no command in the request (keys: {keys}); {}", usage()));
        }
        many => {
            return Err(format!(
                "one command per request, not {}; send them one after the other",
                many.join(" and ")
            ));
        }
    };
    let allowed: &[&str] = if command == "crossfade" { &["duration", "curve"] } else { &[] };
    if let Some(extra) = object.keys().find(|k| *k != command && !allowed.contains(&k.as_str())) {
        return Err(format!("{command}: unknown key {extra:?}; remove it"));
    }
    let argument = &object[command];
    match command {
        "play" => Ok(Request::Play(program(argument, &limits.spec, "play")?)),
        "overlay" => Ok(Request::Overlay(program(argument, &limits.spec, "overlay")?)),
        "crossfade" => {
            let program = program(argument, &limits.spec, "crossfade")?;
            let duration = match object.get("duration") {
                None => {
                    return Err(
                        "crossfade: give a \"duration\" (\"500ms\", \"1.5s\" or seconds)".into()
                    );
                }
                Some(Json::String(text)) => {
                    parse_duration(text).map_err(|e| format!("crossfade.duration: {e}"))?
                }
                Some(Json::Number(n)) => match n.as_f64() {
                    Some(s) if s.is_finite() && (0.0..=1e9).contains(&s) => {
                        Duration::from_secs_f64(s)
                    }
                    _ => {
                        return Err(format!(
                            "crossfade.duration: {n} seconds is out of range; use 0 to 1e9"
                        ));
                    }
                },
                Some(other) => {
                    return Err(format!(
                        "crossfade.duration: {} is not a duration; write \"500ms\" or 0.5",
                        kind(other)
                    ));
                }
            };
            let curve = match object.get("curve") {
                None => Curve::Linear,
                Some(Json::String(c)) if c == "linear" => Curve::Linear,
                Some(Json::String(c)) if c == "ease" || c == "ease_in_out" => Curve::Ease,
                Some(other) => {
                    return Err(format!(
                        "crossfade.curve: {other} is not a curve; write \"linear\" or \"ease\""
                    ));
                }
            };
            Ok(Request::Crossfade { program, duration, curve })
        }
        "brightness" => match argument.as_f64() {
            Some(f) if (0.0..=1.0).contains(&f) => Ok(Request::Brightness(f)),
            _ => Err(format!("brightness: {argument} is not a brightness; use 0.0 to 1.0")),
        },
        bare => match argument {
            Json::Null => {
                Ok(BARE.iter().find(|(n, _)| *n == bare).expect("a bare command").1.clone())
            }
            other => Err(format!(
                "{bare} takes no argument, got {}; send {bare:?} or {{{bare:?}: null}}",
                kind(other)
            )),
        },
    }
}

/// A program: a preset name, `{"preset": name}`, a pixel-buffer animation (a map with
/// `frames`), or a spec.
fn program(json: &Json, limits: &Limits, command: &str) -> Result<Program, String> {
    match json {
        Json::String(name) => Ok(Program::Preset(name.clone())),
        Json::Object(map) if map.len() == 1 && map.contains_key("preset") => match &map["preset"] {
            Json::String(name) => Ok(Program::Preset(name.clone())),
            other => Err(format!("{command}.preset: {other} is not a preset name")),
        },
        Json::Object(map) if map.contains_key("frames") => {
            pixelbuf(json).map(Program::PixelBuf).map_err(|e| format!("{command}: {e}"))
        }
        Json::Object(_) => Spec::from_json_with(&json.to_string(), limits)
            .map(Program::Spec)
            .map_err(|e| format!("{command}.{e}")),
        other => Err(format!(
            "{command}: {} is not a program; give a spec, a preset name, or an animation with frames",
            kind(other)
        )),
    }
}

/// A pixel-buffer animation, within the bounds of its files
/// ([`PixelBufAnimation::LIMITS`]): the message it came in was bounded already, and a
/// pickle's memo references (`[pixel] * 25`) make its text larger than the pickle.
fn pixelbuf(json: &Json) -> Result<PixelBufAnimation, String> {
    PixelBufAnimation::from_json_with(json.to_string().as_bytes(), &PixelBufAnimation::LIMITS)
        .map_err(|e| format!("the animation was refused: {e}"))
}

fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

/// Plain pickle data as JSON: objects become their state, tuples lists; bytes, keys
/// that are not strings, and floats JSON cannot write are refused.
pub(crate) fn to_json(value: &Value, depth: usize) -> Result<Json, String> {
    // The pickle decoder bounded the depth already; this only guards the recursion.
    if depth > 256 {
        return Err("the pickle nests too deep".into());
    }
    Ok(match value {
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .ok_or_else(|| format!("{f} is not a number a request can hold"))?,
        Value::Str(s) => Json::String(s.clone()),
        Value::Bytes(b) => {
            return Err(format!(
                "bytes ({} of them) have no place in a request; send text",
                b.len()
            ));
        }
        Value::List(items) | Value::Tuple(items) => {
            Json::Array(items.iter().map(|v| to_json(v, depth + 1)).collect::<Result<_, _>>()?)
        }
        Value::Dict(items) => {
            let mut map = Map::new();
            for (key, value) in items {
                let Value::Str(key) = key else {
                    return Err("a dict key that is not a string has no place in a request".into());
                };
                map.insert(key.clone(), to_json(value, depth + 1)?);
            }
            Json::Object(map)
        }
        Value::Object { state, .. } => to_json(state, depth + 1)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ParseLimits {
        ParseLimits { spec: Limits::default(), pickle: PickleLimits::default() }
    }

    fn json(text: &str) -> Result<Request, String> {
        let (format, request) = parse(text.as_bytes(), &limits());
        assert_eq!(format, Format::Json);
        request
    }

    #[test]
    fn commands_parse_in_every_spelling() {
        assert_eq!(json("\"status\""), Ok(Request::Status));
        assert_eq!(json("status"), Ok(Request::Status));
        assert_eq!(json("{\"stop\": null}"), Ok(Request::Stop));
        assert_eq!(json("{\"brightness\": 0.5}"), Ok(Request::Brightness(0.5)));
        assert_eq!(
            json("{\"play\": \"smiley\"}"),
            Ok(Request::Play(Program::Preset("smiley".into())))
        );
        assert_eq!(
            json("{\"play\": {\"preset\": \"smiley\"}}"),
            Ok(Request::Play(Program::Preset("smiley".into())))
        );
        assert!(matches!(
            json("{\"play\": {\"wait\": \"1s\"}}"),
            Ok(Request::Play(Program::Spec(_)))
        ));
        assert_eq!(
            json("{\"crossfade\": \"smiley\", \"duration\": \"500ms\", \"curve\": \"ease\"}"),
            Ok(Request::Crossfade {
                program: Program::Preset("smiley".into()),
                duration: Duration::from_millis(500),
                curve: Curve::Ease
            })
        );
    }

    #[test]
    fn mistakes_are_named() {
        let err = |text: &str| json(text).unwrap_err();
        assert!(err("\"dance\"").contains("unknown command \"dance\""));
        assert!(err("{\"play\": 1, \"stop\": null}").contains("one command per request"));
        assert!(err("{\"play\": \"x\", \"loud\": 1}").contains("unknown key \"loud\""));
        assert!(err("{\"brightness\": 2}").contains("use 0.0 to 1.0"));
        assert!(err("{\"stop\": 3}").contains("takes no argument"));
        assert!(err("{\"crossfade\": \"x\"}").contains("give a \"duration\""));
        assert!(err("{\"play\": {\"blink\": {\"leds\": 0}}}").starts_with("play.blink"));
        assert!(err("[1, 2]").contains("cannot be a list"));
        assert!(err("{nope").contains("is not JSON"));
        let (_, bad) = parse(&[0xff, 0xfe], &limits());
        assert!(bad.unwrap_err().contains("neither a pickle nor UTF-8"));
    }

    #[test]
    fn pickles_parse_as_plain_data() {
        // pickle.dumps({'play': 'smiley'}, protocol=2)
        let bytes = b"\x80\x02}q\x00X\x04\x00\x00\x00playq\x01X\x06\x00\x00\x00smileyq\x02s.";
        let (format, request) = parse(bytes, &limits());
        assert_eq!(format, Format::Pickle);
        assert_eq!(request, Ok(Request::Play(Program::Preset("smiley".into()))));
        let bytes = pickle::encode(&Value::Dict(vec![(
            Value::Str("brightness".into()),
            Value::Bytes(vec![1]),
        )]));
        assert!(parse(&bytes, &limits()).1.unwrap_err().contains("bytes"));
    }
}
