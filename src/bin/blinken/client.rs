//! The client subcommands: connect (Unix socket or TCP, with or without a key), send one
//! JSON request, print the reply readably (or as it came, with `--json`), and fail with
//! the server's message on `{"ok": false}`.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use blinken::control::frame::{self, Decoder};
use blinken::control::{Connection, ControlError};
use serde_json::{Value, json};

use crate::args::{BrightnessArgs, ClientArgs, CrossfadeArgs, PlayArgs, StopArgs};
use crate::error::{Failed, print};
use crate::keys;
use crate::program::Program;

/// The largest reply a client reads (a long preset list fits many times over).
const MAX_REPLY: usize = 16 << 20;

/// The system service's socket.
const SYSTEM_SOCKET: &str = "/run/blinken/blinken.sock";

/// Where `serve` listens without `--unix`: `$XDG_RUNTIME_DIR/blinken.sock` when that
/// variable is set (a user's server), else `/run/blinken/blinken.sock` (the system
/// service).
pub fn default_socket() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("blinken.sock"),
        _ => PathBuf::from(SYSTEM_SOCKET),
    }
}

/// Where a client looks without `--unix`: the user's socket if it exists, else the
/// system service's (so a user logged in on the Pi reaches the service without flags).
fn client_sockets() -> Vec<PathBuf> {
    let mut places = vec![default_socket()];
    if places[0] != Path::new(SYSTEM_SOCKET) {
        places.push(PathBuf::from(SYSTEM_SOCKET));
    }
    places
}

pub fn play(args: &PlayArgs, command: &str) -> Result<(), Failed> {
    let program = Program::read(&args.program)?;
    let reply = request(&args.client, &json!({ command: program.to_wire() }))?;
    let what = if command == "overlay" { "overlay playing" } else { "playing" };
    done(&args.client, &reply, || format!("{what}, id {}\n", field(&reply, "id")))
}

pub fn crossfade(args: &CrossfadeArgs) -> Result<(), Failed> {
    let program = Program::read(&args.program)?;
    let duration = blinken::spec::format_duration(args.duration);
    let message = json!({
        "crossfade": program.to_wire(),
        "duration": duration,
        "curve": args.curve.name(),
    });
    let reply = request(&args.client, &message)?;
    done(&args.client, &reply, || {
        format!("crossfading to id {} over {duration}\n", field(&reply, "id"))
    })
}

pub fn stop(args: &StopArgs) -> Result<(), Failed> {
    let (message, said) =
        if args.overlay { ("stop_overlay", "overlay stopped") } else { ("stop", "stopped") };
    let reply = request(&args.client, &json!(message))?;
    done(&args.client, &reply, || format!("{said}\n"))
}

/// A request without an argument (`"clear"`).
pub fn simple(args: &ClientArgs, command: &str) -> Result<(), Failed> {
    let reply = request(args, &json!(command))?;
    done(args, &reply, || format!("{command}: done\n"))
}

pub fn brightness(args: &BrightnessArgs) -> Result<(), Failed> {
    let reply = request(&args.client, &json!({ "brightness": args.level }))?;
    let no_control = reply["error"].as_str().is_some_and(|e| e.contains("no brightness control"));
    if no_control && !args.client.json {
        return Err(Failed::new(
            "the server refused: its output has no brightness control; `blinken serve` has \
             one for colour LEDs only (--output apa102, or --strip seeds / --leds N), not for \
             GPIO lines or the talk's board",
        ));
    }
    done(&args.client, &reply, || format!("brightness {}\n", args.level))
}

pub fn status(args: &ClientArgs) -> Result<(), Failed> {
    let reply = request(args, &json!("status"))?;
    done(args, &reply, || {
        let play = |value: &Value| match value {
            Value::Object(map) => {
                format!("id {}, since {}", show(map.get("id")), seconds(map.get("since")))
            }
            _ => "nothing".to_owned(),
        };
        let or_none = |value: Option<&Value>| match value {
            None | Some(Value::Null) => "none".to_owned(),
            Some(value) => show(Some(value)),
        };
        let mut text = format!(
            "playing: {}\noverlay: {}\nbrightness: {}\nlast error: {}\n",
            play(&reply["playing"]),
            play(&reply["overlay"]),
            match reply.get("brightness").and_then(Value::as_f64) {
                Some(level) => format!("{level:.2}"),
                None => or_none(reply.get("brightness")),
            },
            or_none(reply.get("last_error")),
        );
        if let Some(now) = reply.get("now") {
            text.push_str(&format!("now: {}\n", seconds(Some(now))));
        }
        text
    })
}

pub fn presets(args: &ClientArgs) -> Result<(), Failed> {
    let reply = request(args, &json!("presets"))?;
    done(args, &reply, || {
        let list = reply["presets"].as_array().cloned().unwrap_or_default();
        let width = list.iter().map(|p| show(p.get("name")).len()).max().unwrap_or(0);
        list.iter()
            .map(|p| format!("{:width$}  {}\n", show(p.get("name")), show(p.get("description"))))
            .collect()
    })
}

pub fn watch(args: &ClientArgs) -> Result<(), Failed> {
    let mut link = connect(args)?;
    let reply = exchange(&mut link, &json!("subscribe"), args)?;
    refused(&reply)?;
    link.set_read_timeout(None)?;
    // On standard error, so that standard output holds only events; a script can wait
    // for this line to know that no later event will be missed.
    eprintln!("blinken: watching events (Ctrl-C to stop)");
    loop {
        let bytes = match link.recv() {
            Ok(bytes) => bytes,
            Err(ControlError::Closed) => return Ok(()),
            Err(e) => return Err(Failed::because("the connection to the server failed", e)),
        };
        let event = parse(&bytes)?;
        let line = if args.json {
            format!("{}\n", String::from_utf8_lossy(&bytes))
        } else {
            event_line(&event)
        };
        // A reader that has seen enough (`blinken watch | head -1`) ends the watch.
        if !print_unless_closed(&line)? {
            return Ok(());
        }
        if event["event"] == "lagged" {
            return Err(Failed::new(format!(
                "this watcher fell behind by {} events and the server disconnected it; \
                 read events as they come (a slow pipe holds them up)",
                show(event.get("missed"))
            )));
        }
    }
}

/// Writes `text` to standard output; `false` when the reader has closed it.
fn print_unless_closed(text: &str) -> Result<bool, Failed> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Failed::because("could not write to standard output", e)),
    }
}

/// One event as a line: `12.500000 stopped id=4 reason=replaced by=6`.
fn event_line(event: &Value) -> String {
    let Value::Object(map) = event else { return format!("{event}\n") };
    let mut line = String::new();
    if let Some(at) = map.get("at") {
        line.push_str(&seconds(Some(at)));
        line.push(' ');
    }
    line.push_str(&show(map.get("event")));
    let first = ["id", "reason", "by", "missed", "error"];
    let rest = map.keys().filter(|k| !first.contains(&k.as_str()) && *k != "event" && *k != "at");
    for key in first.iter().copied().chain(rest.map(String::as_str)) {
        if let Some(value) = map.get(key).filter(|v| !v.is_null()) {
            let text = show(Some(value));
            if text.contains(char::is_whitespace) || text.is_empty() {
                line.push_str(&format!(" {key}={}", Value::String(text)));
            } else {
                line.push_str(&format!(" {key}={text}"));
            }
        }
    }
    line.push('\n');
    line
}

/// Prints the reply: as it came with `--json`, else as `text` says; fails with the
/// server's message on `{"ok": false}`.
fn done(args: &ClientArgs, reply: &Value, text: impl FnOnce() -> String) -> Result<(), Failed> {
    if args.json {
        print(&format!("{reply}\n"))?;
        return refused(reply);
    }
    refused(reply)?;
    print(&text())
}

fn refused(reply: &Value) -> Result<(), Failed> {
    match reply.get("ok") {
        Some(Value::Bool(true)) => Ok(()),
        Some(Value::Bool(false)) => {
            Err(Failed::new(format!("the server refused: {}", show(reply.get("error")))))
        }
        _ => Err(Failed::new(format!("the server's reply has no \"ok\": {reply}"))),
    }
}

/// Connects, sends `message`, returns the reply.
fn request(args: &ClientArgs, message: &Value) -> Result<Value, Failed> {
    let mut link = connect(args)?;
    let reply = exchange(&mut link, message, args)?;
    // Best effort: the server closes an idle connection anyway.
    let _ = link.send(b"\"close\"");
    Ok(reply)
}

/// The largest request a server takes by default (`ServerLimits`' message size): a
/// larger one would only get the connection closed.
const MAX_REQUEST: usize = 1 << 20;

fn check_size(len: usize) -> Result<(), Failed> {
    if len > MAX_REQUEST {
        return Err(Failed::new(format!(
            "the request is {len} bytes as JSON, over the {MAX_REQUEST} bytes a server takes; \
             play a shorter program, or put it in the server's --presets DIR and play it by name"
        )));
    }
    Ok(())
}

fn exchange(link: &mut Link, message: &Value, args: &ClientArgs) -> Result<Value, Failed> {
    let text = message.to_string();
    check_size(text.len())?;
    link.send(text.as_bytes()).map_err(|e| Failed::because("could not send the request", e))?;
    let bytes = match link.recv() {
        Ok(bytes) => bytes,
        Err(ControlError::Io(e)) if is_timeout(&e) => {
            return Err(Failed::new(format!(
                "the server did not answer within {}; try a longer --timeout",
                blinken::spec::format_duration(args.timeout)
            )));
        }
        Err(e) => return Err(Failed::because("the server did not answer", e)),
    };
    if bytes.starts_with(blinken::control::auth::CHALLENGE) {
        return Err(Failed::new(
            "the server asks for a key; pass --key-file PATH or --key-env VAR",
        ));
    }
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Result<Value, Failed> {
    serde_json::from_slice(bytes).map_err(|e| {
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).into_owned();
        Failed::because(format!("the server's reply is not JSON: {start:?}"), e)
    })
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// A reply's field, shown plainly.
fn field(reply: &Value, name: &str) -> String {
    show(reply.get(name))
}

fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn seconds(value: Option<&Value>) -> String {
    match value.and_then(Value::as_f64) {
        Some(s) => format!("{s:.6}"),
        None => show(value),
    }
}

/// The socket, either kind.
#[derive(Debug)]
enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_read_timeout(timeout),
            Stream::Tcp(s) => s.set_read_timeout(timeout),
        }
    }

    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_write_timeout(timeout),
            Stream::Tcp(s) => s.set_write_timeout(timeout),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

/// A connection: authenticated with a key, or plain framing without one (a Unix
/// socket's server may run keyless, as Python's `Listener(authkey=None)` does).
#[derive(Debug)]
enum Link {
    Keyed(Connection<Stream>),
    Plain { stream: Stream, decoder: Decoder },
}

impl Link {
    fn send(&mut self, payload: &[u8]) -> Result<(), ControlError> {
        match self {
            Link::Keyed(connection) => connection.send_bytes(payload),
            Link::Plain { stream, .. } => {
                let mut out = Vec::with_capacity(payload.len() + 4);
                frame::encode(payload, &mut out);
                stream.write_all(&out)?;
                stream.flush()?;
                Ok(())
            }
        }
    }

    fn recv(&mut self) -> Result<Vec<u8>, ControlError> {
        let (stream, decoder) = match self {
            Link::Keyed(connection) => return connection.recv_bytes(),
            Link::Plain { stream, decoder } => (stream, decoder),
        };
        let mut buf = [0u8; 4096];
        loop {
            if let Some(message) = decoder.next_message()? {
                return Ok(message);
            }
            let want = decoder.wanted()?.min(buf.len());
            match stream.read(&mut buf[..want]) {
                Ok(0) if decoder.buffered() == 0 => return Err(ControlError::Closed),
                Ok(0) => return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into()),
                Ok(n) => decoder.push(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<(), Failed> {
        let stream = match self {
            Link::Keyed(connection) => connection.get_ref(),
            Link::Plain { stream, .. } => stream,
        };
        stream.set_read_timeout(timeout).map_err(|e| Failed::because("could not set a timeout", e))
    }
}

fn connect(args: &ClientArgs) -> Result<Link, Failed> {
    let key = keys::load(&args.key)?;
    let (stream, place) = match args.tcp {
        Some(address) => {
            let stream = TcpStream::connect_timeout(&address, args.timeout).map_err(|e| {
                let hint = match e.kind() {
                    io::ErrorKind::ConnectionRefused => {
                        "nothing listens there: is `blinken serve --tcp` running?"
                    }
                    _ => "check the address",
                };
                Failed::because(format!("could not connect to {address}; {hint}"), e)
            })?;
            (Stream::Tcp(stream), address.to_string())
        }
        None => {
            let path = match &args.unix {
                Some(path) => path.clone(),
                None => {
                    let places = client_sockets();
                    match places.iter().find(|p| p.exists()) {
                        Some(found) => found.clone(),
                        None if places.len() > 1 => {
                            return Err(Failed::new(format!(
                                "no server socket at {} or {}: is `blinken serve` running? \
                                 Name its socket with --unix PATH",
                                places[0].display(),
                                places[1].display()
                            )));
                        }
                        None => places[0].clone(),
                    }
                }
            };
            let shown = path.display().to_string();
            let stream = UnixStream::connect(&path).map_err(|e| {
                let hint = match e.kind() {
                    io::ErrorKind::NotFound => {
                        "no such socket: is `blinken serve` running? Name its socket with --unix PATH"
                    }
                    io::ErrorKind::PermissionDenied => {
                        "permission denied: join the socket's group (the service's, e.g. blinken) or run as its owner"
                    }
                    io::ErrorKind::ConnectionRefused => {
                        "nothing listens there (a stale socket file): is `blinken serve` running?"
                    }
                    _ => "check the path",
                };
                Failed::because(format!("could not connect to {shown}; {hint}"), e)
            })?;
            (Stream::Unix(stream), shown)
        }
    };
    let timeouts = stream
        .set_read_timeout(Some(args.timeout))
        .and_then(|()| stream.set_write_timeout(Some(args.timeout)));
    timeouts.map_err(|e| Failed::because("could not set a timeout", e))?;
    let Some(key) = key else {
        return Ok(Link::Plain { stream, decoder: Decoder::new(MAX_REPLY) });
    };
    match Connection::connect(stream, &key, MAX_REPLY) {
        Ok(connection) => Ok(Link::Keyed(connection)),
        Err(ControlError::Io(e)) if is_timeout(&e) => Err(Failed::new(format!(
            "{place} sent no challenge within {}: does the server run without a key? Then \
             leave out --key-file and --key-env",
            blinken::spec::format_duration(args.timeout)
        ))),
        Err(ControlError::Auth(e)) => Err(Failed::because(
            format!(
                "{place} refused the key: check that --key-file or --key-env names the server's key"
            ),
            e,
        )),
        Err(e) => Err(Failed::because(format!("the handshake with {place} failed"), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_lines() {
        let event =
            json!({"event": "stopped", "id": 4, "at": 20.25, "reason": "replaced", "by": 6});
        assert_eq!(event_line(&event), "20.250000 stopped id=4 reason=replaced by=6\n");
        let event = json!({"event": "stopped", "id": 4, "at": 20.25, "reason": "stop", "by": null});
        assert_eq!(event_line(&event), "20.250000 stopped id=4 reason=stop\n");
        let event = json!({"event": "output_failed", "id": 6, "at": 21.0, "error": "no device"});
        assert_eq!(event_line(&event), "21.000000 output_failed id=6 error=\"no device\"\n");
        assert_eq!(event_line(&json!({"event": "lagged", "missed": 17})), "lagged missed=17\n");
    }

    #[test]
    fn requests_fit_the_servers_limit() {
        assert!(check_size(MAX_REQUEST).is_ok());
        let error = check_size(MAX_REQUEST + 1).unwrap_err().to_string();
        assert!(error.starts_with("the request is 1048577 bytes as JSON"), "{error}");
    }

    #[test]
    fn refusals_carry_the_servers_message() {
        let error = refused(&json!({"ok": false, "error": "no preset \"x\""})).unwrap_err();
        assert_eq!(error.to_string(), "the server refused: no preset \"x\"");
        assert!(refused(&json!({"ok": true})).is_ok());
        assert!(refused(&json!([1])).unwrap_err().to_string().contains("no \"ok\""));
    }
}
