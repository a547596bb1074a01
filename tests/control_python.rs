//! The control protocol against CPython's own `multiprocessing.connection`: the MD5
//! handshake of Python 3.11 (what Raspberry Pi OS ships) and the `{sha256}` one of
//! 3.12 and newer, both directions, and a wrong key.
//!
//! They need the interpreters, so they are ignored (reported as skipped) by a plain
//! `cargo test`; CI runs them with `--include-ignored`, where a missing interpreter is a
//! failure. The interpreters are found on `PATH` as `python3.11`, `python3.12`, ...

#![cfg(feature = "control")]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use blinken::control::auth::AuthError;
use blinken::control::{Connection, ControlError};

#[path = "common/python.rs"]
mod interpreter;
use interpreter::python;

/// Far longer than any handshake here; a safety net against a hang, not a timing test.
const PATIENCE: Duration = Duration::from_secs(30);

/// A Python client that authenticates with `key`, sends `hello`, prints the reply.
fn python_client(version: &str, port: u16, key: &str) -> std::process::Child {
    let script = "
import sys
from multiprocessing.connection import Client
try:
    c = Client(('127.0.0.1', int(sys.argv[1])), authkey=sys.argv[2].encode())
except Exception as e:
    print(type(e).__name__, flush=True)
    sys.exit(0)
c.send_bytes(b'hello from python')
print(c.recv_bytes().decode(), flush=True)
c.close()
";
    Command::new(python(version))
        .args(["-c", script, &port.to_string(), key])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python starts")
}

fn serve_one(key: &[u8]) -> (u16, std::thread::JoinHandle<Result<Vec<u8>, ControlError>>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn({
        let key = key.to_vec();
        move || {
            let (stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            let mut connection = Connection::accept(stream, &key, 1 << 20)?;
            let got = connection.recv_bytes()?;
            connection.send_bytes(b"hello from rust")?;
            Ok(got)
        }
    });
    (port, server)
}

fn first_line(child: std::process::Child) -> String {
    let output = child.wait_with_output().unwrap();
    let mut line = String::new();
    BufReader::new(&output.stdout[..]).read_line(&mut line).unwrap();
    line.trim().to_owned()
}

fn python_client_talks_to_rust_server(version: &str) {
    let (port, server) = serve_one(b"seed key");
    let client = python_client(version, port, "seed key");
    assert_eq!(first_line(client), "hello from rust", "python {version}");
    assert_eq!(server.join().unwrap().unwrap(), b"hello from python");
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_11_client_md5_handshake() {
    python_client_talks_to_rust_server("3.11");
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_12_client_sha256_handshake() {
    python_client_talks_to_rust_server("3.12");
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_13_client_sha256_handshake() {
    python_client_talks_to_rust_server("3.13");
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn a_wrong_key_fails_both_sides_and_only_that_connection() {
    for version in ["3.11", "3.12"] {
        let (port, server) = serve_one(b"right key");
        let client = python_client(version, port, "wrong key");
        assert_eq!(first_line(client), "AuthenticationError", "python {version}");
        match server.join().unwrap() {
            Err(ControlError::Auth(AuthError::WrongKey)) => {}
            other => panic!("python {version}: expected a wrong key, got {other:?}"),
        }
        // The listener's next connection is served as usual.
        python_client_talks_to_rust_server(version);
    }
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn rust_client_talks_to_python_listeners() {
    for version in ["3.11", "3.12", "3.13"] {
        let script = "
import sys
from multiprocessing.connection import Listener
with Listener(('127.0.0.1', 0), authkey=b'k') as listener:
    print(listener.address[1], flush=True)
    with listener.accept() as c:
        c.send_bytes(c.recv_bytes().upper())
";
        let mut child = Command::new(python(version))
            .args(["-c", script])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut port = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut port).unwrap();
        let stream =
            TcpStream::connect(("127.0.0.1", port.trim().parse::<u16>().unwrap())).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut connection = Connection::connect(stream, b"k", 1 << 20).unwrap();
        connection.send_bytes(b"shout").unwrap();
        assert_eq!(connection.recv_bytes().unwrap(), b"SHOUT", "python {version}");
        assert!(child.wait().unwrap().success());
    }
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn pickles_from_python_decode_and_our_replies_load() {
    use blinken::control::pickle::{PickleLimits, Value, decode, encode};
    for version in ["3.11", "3.12", "3.13"] {
        let script = "
import sys, dataclasses
from multiprocessing.connection import Client

@dataclasses.dataclass
class Pixel:
    brightness: float
    red: int
    green: int
    blue: int

@dataclasses.dataclass
class Frame:
    display_ms: int
    pixels: list

@dataclasses.dataclass
class Animation:
    frames: list
    loop_infinitely: bool
    pause_between_play_ms: int
    max_plays: int = None

c = Client(('127.0.0.1', int(sys.argv[1])), authkey=b'k')
pixel = Pixel(1.0, 10, 20, 30)
c.send(Animation([Frame(100, [pixel] * 11)], False, 0, 1))
print(c.recv(), flush=True)
c.send({'play': 'smiley', 'ids': (1, 2), 'none': None, 'raw': b'\\x00'})
print(c.recv(), flush=True)
";
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let child = Command::new(python(version))
            .args(["-c", script, &port.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut c = Connection::accept(stream, b"k", 1 << 20).unwrap();
        let classes = ["Animation", "Frame", "Pixel"];
        let animation =
            decode(&c.recv_bytes().unwrap(), &classes, PickleLimits::default()).unwrap();
        let Some(Value::List(frames)) = animation.get("frames") else { panic!("{animation:?}") };
        let Some(Value::List(pixels)) = frames[0].get("pixels") else { panic!() };
        assert_eq!(pixels.len(), 11, "python {version}: the memo trap");
        assert!(pixels.iter().all(|p| p.get("green") == Some(&Value::Int(20))));
        c.send_bytes(&encode(&Value::Int(1))).unwrap();
        let request = decode(&c.recv_bytes().unwrap(), &[], PickleLimits::default()).unwrap();
        assert_eq!(request.get("play"), Some(&Value::Str("smiley".into())));
        assert_eq!(request.get("ids"), Some(&Value::Tuple(vec![Value::Int(1), Value::Int(2)])));
        let reply = Value::Dict(vec![
            (Value::Str("ok".into()), Value::Bool(true)),
            (Value::Str("id".into()), Value::Int(-1)),
        ]);
        c.send_bytes(&encode(&reply)).unwrap();
        let output = child.wait_with_output().unwrap();
        let printed = String::from_utf8(output.stdout).unwrap();
        assert_eq!(printed, "1\n{'ok': True, 'id': -1}\n", "python {version}");
    }
}
