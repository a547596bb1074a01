//! Replies and events on the wire: JSON text, or a pickle a Python `recv()` loads.

use serde_json::{Value as Json, json};

use super::request::Format;
use crate::control::pickle::{self, Value};
use crate::{Event, Instant, PlayId, StopReason};

/// Seconds on the player's clock.
pub(crate) fn seconds(at: Instant) -> f64 {
    (at - Instant::ZERO).as_secs_f64()
}

/// `{"ok": true, ...fields}`.
pub(crate) fn ok(fields: Json) -> Json {
    let mut reply = json!({"ok": true});
    if let (Json::Object(reply), Json::Object(fields)) = (&mut reply, fields) {
        reply.extend(fields);
    }
    reply
}

/// `{"ok": false, "error": message}`.
pub(crate) fn error(message: &str) -> Json {
    json!({"ok": false, "error": message})
}

/// The payload of `reply` in `format`; for the seed's manager, the play id or -1.
pub(crate) fn encode(reply: &Json, format: Format) -> Vec<u8> {
    match format {
        Format::Json => reply.to_string().into_bytes(),
        Format::Pickle => pickle::encode(&to_pickle(reply)),
        Format::Manager => {
            let id = match (&reply["ok"], reply["id"].as_i64()) {
                (Json::Bool(true), Some(id)) => id,
                _ => -1,
            };
            pickle::encode(&Value::Int(id))
        }
    }
}

fn to_pickle(json: &Json) -> Value {
    match json {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(to_pickle).collect()),
        Json::Object(map) => {
            Value::Dict(map.iter().map(|(k, v)| (Value::Str(k.clone()), to_pickle(v))).collect())
        }
    }
}

fn reason(reason: StopReason) -> Json {
    let (name, by) = match reason {
        StopReason::Replaced(by) => ("replaced", Some(by)),
        StopReason::Stop => ("stop", None),
        StopReason::Clear => ("clear", None),
        StopReason::Shutdown => ("shutdown", None),
        StopReason::Idle => ("idle", None),
    };
    json!({"reason": name, "by": by.map(PlayId::get)})
}

/// An event as sent to subscribers.
pub(crate) fn event(event: &Event) -> Json {
    let with = |name: &str, id: Option<PlayId>, at: Instant, more: Json| {
        let mut out = json!({"event": name, "id": id.map(PlayId::get), "at": seconds(at)});
        if let (Json::Object(out), Json::Object(more)) = (&mut out, more) {
            out.extend(more);
        }
        out
    };
    match event {
        Event::Started { id, at } => with("started", Some(*id), *at, json!({})),
        Event::OverlayStarted { id, at } => with("overlay_started", Some(*id), *at, json!({})),
        Event::Finished { id, at } => with("finished", Some(*id), *at, json!({})),
        Event::Stopped { id, at, reason: r } => with("stopped", Some(*id), *at, reason(*r)),
        Event::Skipped { id, at, reason: r } => with("skipped", Some(*id), *at, reason(*r)),
        Event::OutputFailed { id, at, error } => {
            with("output_failed", *id, *at, json!({"error": error.to_string()}))
        }
        Event::Panicked { id, at, message } => {
            with("panicked", Some(*id), *at, json!({"error": message}))
        }
        Event::Refused { id, at, error } => {
            with("refused", Some(*id), *at, json!({"error": error.to_string()}))
        }
        Event::OutputRecovered { at } => with("output_recovered", None, *at, json!({})),
        Event::Lagged { missed, at } => with("lagged", None, *at, json!({"missed": missed})),
    }
}

/// The error an event reports, if it reports one (for `status`'s `last_error`).
pub(crate) fn event_error(event: &Event) -> Option<String> {
    match event {
        Event::OutputFailed { error, .. } => Some(format!("the output failed: {error}")),
        Event::Panicked { id, message, .. } => Some(format!("{id} panicked: {message}")),
        Event::Refused { id, error, .. } => Some(format!("{id} was refused: {error}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::pickle::{PickleLimits, decode};

    #[test]
    fn replies_keep_their_shape_in_both_formats() {
        let reply = ok(json!({"id": 3}));
        assert_eq!(
            String::from_utf8(encode(&reply, Format::Json)).unwrap(),
            r#"{"id":3,"ok":true}"#
        );
        let back = decode(&encode(&reply, Format::Pickle), &[], PickleLimits::default()).unwrap();
        assert_eq!(back.get("id"), Some(&Value::Int(3)));
        assert_eq!(back.get("ok"), Some(&Value::Bool(true)));
        let manager = |r: &Json| decode(&encode(r, Format::Manager), &[], PickleLimits::default());
        assert_eq!(manager(&reply), Ok(Value::Int(3)));
        assert_eq!(manager(&error("no")), Ok(Value::Int(-1)));
    }

    #[test]
    fn events_name_their_reason() {
        let at = Instant::ZERO + core::time::Duration::from_millis(1500);
        let stopped = Event::Stopped {
            id: PlayId::from(4),
            at,
            reason: StopReason::Replaced(PlayId::from(6)),
        };
        assert_eq!(
            event(&stopped),
            json!({"event": "stopped", "id": 4, "at": 1.5, "reason": "replaced", "by": 6})
        );
        let lagged = event(&Event::Lagged { missed: 17, at });
        assert_eq!(lagged["missed"], 17);
        assert_eq!(lagged["event"], "lagged");
    }
}
