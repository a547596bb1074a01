//! The control server driven by CPython's own `multiprocessing.connection` client, as
//! the seeds wrote theirs: the MD5 handshake of Python 3.11, `{sha256}` of 3.12 and
//! 3.13, over TCP and a Unix socket; the seed's manager flow with a pickled keyframe
//! `Animation` dataclass, a dict request, a JSON request, a wrong key
//! (`AuthenticationError`), a client that vanishes mid-message, and a subscriber that
//! never reads; and a client that plays, swaps, overlays and stops programs on an APA102
//! strip (checked byte by byte on the SPI bus).
//!
//! They need the interpreters, so they are ignored (reported as skipped) by a plain
//! `cargo test`; CI runs them with `--include-ignored`, where a missing interpreter is a
//! failure.

#![cfg(all(feature = "control", target_os = "linux"))]

use std::process::{Command, Stdio};
use std::time::Duration;

use blinken::control::{Server, ServerLimits};
use blinken::prelude::*;
use blinken::spec::Layout;
use blinken::{PlayId, Player};
use serde_json::{Value as Json, json};

#[path = "common/python.rs"]
mod interpreter;
use interpreter::python;

/// A Python client script as the seeds write theirs: their dataclasses (`Pixel`,
/// `Frame`, `Animation`), the address (a port or a socket path) and key from the
/// command line, an `out` dict to print; then `$body`.
macro_rules! seed_client {
    ($body:literal) => {
        concat!(
            r#"
import json, struct, sys
from dataclasses import dataclass
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client

@dataclass
class Pixel:
    brightness: float
    red: int
    green: int
    blue: int

@dataclass
class Frame:
    display_ms: int
    pixels: list

@dataclass
class Animation:
    frames: list
    loop_infinitely: bool
    pause_between_play_ms: int
    max_plays: int = None

address = sys.argv[1]
address = ('localhost', int(address)) if address.isdigit() else address
key = sys.argv[2].encode()
out = {}"#,
            $body
        )
    };
}

/// The seed's client side, then every unhappy path; prints what it saw as JSON.
const SCRIPT: &str = seed_client!(
    r#"
with Client(address, authkey=key) as c:
    red = Pixel(1.0, 255, 0, 0)
    c.send(Animation([Frame(100, [red] * 25), Frame(50, [Pixel(0.5, 0, 0, 255)] * 3)], True, 0, None))
    out['manager'] = c.recv()
    c.send(Animation([Frame(0, [red])], False, 0, 1))
    out['manager_refused'] = c.recv()
    # 2,000 frames through the memo: a small pickle, megabytes as JSON.
    c.send(Animation([Frame(10, [red] * 25)] * 2000, False, 0, 1))
    out['manager_long'] = c.recv()
    c.send({'play': 'smiley'})
    out['dict'] = c.recv()
    c.send('status')
    out['status'] = c.recv()
    c.send_bytes(b'{"play": {"blink": {"leds": 0, "interval": "100ms"}}}')
    out['json'] = json.loads(c.recv_bytes())
    c.send({'play': {'wait': 'forever'}})
    out['bad_dict'] = c.recv()
try:
    Client(address, authkey=b'not the key')
    out['wrong_key'] = 'accepted'
except AuthenticationError:
    out['wrong_key'] = 'AuthenticationError'
vanishing = Client(address, authkey=key)
vanishing._send(struct.pack('!i', 100) + b'{"pl')
vanishing.close()
stuck = Client(address, authkey=key)
stuck.send('subscribe')
out['subscribe'] = stuck.recv()
with Client(address, authkey=key) as c:
    for _ in range(300):
        c.send({'play': 'rainbow'})
        out['flood'] = c.recv()
    c.send('status')
    out['final'] = c.recv()
print(json.dumps(out), flush=True)
"#
);

/// Runs the script with Python `version` against a server on TCP (or a Unix socket);
/// returns what it printed and what the player plays at the end.
fn run(version: &str, unix: bool) -> (Json, Option<PlayId>) {
    let player = Player::spawn(Recorder::<RGB8>::with_len(25), SystemClock::new()).unwrap();
    let key = "seed key";
    let mut limits = ServerLimits::default();
    limits.subscriber_queue = 8;
    let builder = Server::builder().key(key).layout(Layout::talk()).limits(limits);
    let path =
        std::env::temp_dir().join(format!("blinken-py-{}-{version}.sock", std::process::id()));
    let (server, address) = if unix {
        let server = builder.unix(&path).start(player.handle()).unwrap();
        (server, path.display().to_string())
    } else {
        let server = builder.tcp("127.0.0.1:0".parse().unwrap()).start(player.handle()).unwrap();
        let port = server.tcp_addr().unwrap().port();
        (server, port.to_string())
    };
    let output = Command::new(python(version))
        .args(["-c", SCRIPT, &address, key])
        .stderr(Stdio::inherit())
        .output()
        .expect("python runs");
    assert!(output.status.success(), "python {version} failed");
    let seen: Json = serde_json::from_slice(&output.stdout).expect("the script prints JSON");
    // Let the last play start (a safety net, not a timing assertion).
    let last = PlayId::from(seen["flood"]["id"].as_u64().unwrap_or(0));
    let give_up = std::time::Instant::now() + Duration::from_secs(20);
    while player.handle().playing().map(|p| p.id) != Some(last)
        && std::time::Instant::now() < give_up
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let playing = player.handle().playing().map(|p| p.id);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
    (seen, playing)
}

fn check(version: &str, unix: bool) {
    let (seen, played) = run(version, unix);
    let manager = seen["manager"].as_i64().expect("the manager gets a bare id");
    assert!(manager > 0, "{seen}");
    assert_eq!(seen["manager_refused"], -1, "{seen}");
    assert!(seen["manager_long"].as_i64().unwrap() > manager, "{seen}");
    assert_eq!(seen["dict"]["ok"], true, "{seen}");
    assert!(seen["dict"]["id"].as_i64().unwrap() > manager);
    assert_eq!(seen["status"]["ok"], true, "{seen}");
    // What plays: the player may not have taken the play just acknowledged yet.
    let playing = &seen["status"]["playing"];
    assert!(playing.is_null() || playing["id"].as_i64() <= seen["dict"]["id"].as_i64(), "{seen}");
    assert_eq!(seen["json"]["ok"], true, "{seen}");
    assert_eq!(seen["bad_dict"]["ok"], false, "{seen}");
    assert!(seen["bad_dict"]["error"].as_str().unwrap().contains("wait"), "{seen}");
    assert_eq!(seen["wrong_key"], "AuthenticationError", "{seen}");
    assert_eq!(seen["subscribe"], json!({"ok": true}), "{seen}");
    assert_eq!(seen["flood"]["ok"], true, "{seen}");
    assert_eq!(seen["final"]["ok"], true, "{seen}");
    assert_eq!(played.map(PlayId::get), seen["flood"]["id"].as_u64(), "the last play took effect");
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_11_md5_handshake_over_tcp() {
    check("3.11", false);
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_12_sha256_handshake_over_tcp() {
    check("3.12", false);
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_13_sha256_handshake_over_a_unix_socket() {
    check("3.13", true);
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_11_over_a_unix_socket() {
    check("3.11", true);
}

// ---- A strip: the seed's manager flow, a swap, an overlay and a stop, on APA102 bytes.

/// A Python client as the seeds write theirs drives a server whose player plays on an
/// 11-LED APA102 strip (the seeds' DotStars) over an SPI bus that records every byte.
/// Each step waits for its `started` event on a second connection, so every program is
/// on the wire before the next request; the bytes are then decoded and checked in order.
const STRIP_SCRIPT: &str = seed_client!(
    r#"
events = Client(address, authkey=key)
events.send('subscribe')
out['subscribe'] = events.recv()

seen = []
def wait_for(kind, id):
    # Bounded: a missing event fails the test instead of hanging it.
    while events.poll(20):
        event = events.recv()
        seen.append(event)
        if event['event'] == kind and event['id'] == id:
            return event
    print(json.dumps({'missing': [kind, id], 'events': seen, 'so_far': out}, default=str), flush=True)
    sys.exit(1)

with Client(address, authkey=key) as c:
    red, blue = Pixel(1.0, 255, 0, 0), Pixel(0.5, 0, 0, 255)
    c.send(Animation([Frame(100, [blue] * 11), Frame(100, [red] * 11)], True, 0, None))
    out['manager'] = c.recv()
    wait_for('started', out['manager'])
    c.send({'play': {'on': {'leds': 'all', 'color': '#00ff00'}}})
    out['green'] = c.recv()
    wait_for('started', out['green']['id'])
    c.send({'overlay': {'on': {'leds': [0, 10], 'color': 'white'}}})
    out['overlay'] = c.recv()
    wait_for('overlay_started', out['overlay']['id'])
    c.send({'play': {'fill': {'leds': 'all', 'color': 'orange'}}, 'volume': 11})
    out['refused'] = c.recv()
    c.send('status')
    out['status'] = c.recv()
    c.send('stop')
    out['stop'] = c.recv()
    out['stopped'] = wait_for('stopped', out['green']['id'])
events.send('close')
print(json.dumps(out), flush=True)
"#
);

/// An SPI bus that keeps every write.
#[derive(Clone, Default)]
struct Wire(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl embedded_hal::spi::ErrorType for Wire {
    type Error = core::convert::Infallible;
}

impl embedded_hal::spi::SpiBus for Wire {
    fn read(&mut self, words: &mut [u8]) -> Result<(), Self::Error> {
        words.fill(0);
        Ok(())
    }
    fn write(&mut self, words: &[u8]) -> Result<(), Self::Error> {
        self.0.lock().unwrap().extend_from_slice(words);
        Ok(())
    }
    fn transfer(&mut self, read: &mut [u8], write: &[u8]) -> Result<(), Self::Error> {
        read.fill(0);
        self.write(write)
    }
    fn transfer_in_place(&mut self, words: &mut [u8]) -> Result<(), Self::Error> {
        self.0.lock().unwrap().extend_from_slice(words);
        words.fill(0);
        Ok(())
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Splits the recorded bytes into frames of `leds` LEDs (start frame, LED frames, end
/// bytes), each LED as its four bytes.
fn frames(bytes: &[u8], leds: usize) -> Vec<Vec<[u8; 4]>> {
    let end = leds.div_ceil(16);
    let len = 4 + 4 * leds + end;
    assert_eq!(bytes.len() % len, 0, "whole frames on the wire");
    bytes
        .chunks(len)
        .map(|frame| {
            assert_eq!(&frame[..4], &[0, 0, 0, 0], "a start frame");
            frame[4..4 + 4 * leds].chunks(4).map(|led| led.try_into().unwrap()).collect()
        })
        .collect()
}

#[test]
#[ignore = "needs python3.11 and python3.12 or newer on PATH (pyenv): run with --include-ignored"]
fn python_3_12_plays_swaps_overlays_and_stops_an_apa102_strip() {
    use blinken::Dot;
    use blinken::output::apa102::{Apa102, Apa102Spi};
    const LEDS: usize = 11;
    let wire = Wire::default();
    let strip = Apa102Spi::<_, Dot>::with_config(wire.clone(), LEDS, Apa102::new()).unwrap();
    let player = Player::spawn(strip, SystemClock::new()).unwrap();
    let key = "seed key";
    let server = Server::builder()
        .key(key)
        .layout(Layout::strip(LEDS))
        .tcp("127.0.0.1:0".parse().unwrap())
        .start(player.handle())
        .unwrap();
    let port = server.tcp_addr().unwrap().port().to_string();
    let output = Command::new(python("3.12"))
        .args(["-c", STRIP_SCRIPT, &port, key])
        .stderr(Stdio::inherit())
        .output()
        .expect("python runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "python 3.12 failed: {printed}");
    let seen: Json = serde_json::from_slice(&output.stdout).expect("the script prints JSON");
    server.shutdown().unwrap();
    player.shutdown().unwrap();

    assert_eq!(seen["subscribe"], json!({"ok": true}), "{seen}");
    assert!(seen["manager"].as_i64().unwrap() > 0, "{seen}");
    assert_eq!(seen["overlay"]["ok"], true, "{seen}");
    assert_eq!(seen["refused"]["ok"], false, "{seen}");
    assert!(seen["refused"]["error"].as_str().unwrap().contains("volume"), "{seen}");
    // The refused request changed nothing: the green and its overlay still play.
    assert_eq!(seen["status"]["playing"]["id"], seen["green"]["id"], "{seen}");
    assert_eq!(seen["status"]["overlay"]["id"], seen["overlay"]["id"], "{seen}");
    assert_eq!(seen["stop"], json!({"ok": true}), "{seen}");
    assert_eq!(seen["stopped"]["reason"], "stop", "{seen}");

    // The wire, frame by frame (BGR order, brightness in the first byte's low 5 bits).
    let led = |brightness: u8, r: u8, g: u8, b: u8| [0xE0 | brightness, b, g, r];
    let all = |pixel: [u8; 4]| vec![pixel; LEDS];
    let blue = all(led(15, 0, 0, 255)); // int(0.5 × 31), as the seed's driver sent it
    let green = all(led(31, 0, 255, 0));
    let mut marked = green.clone();
    (marked[0], marked[10]) = (led(31, 255, 255, 255), led(31, 255, 255, 255));
    let bytes = wire.0.lock().unwrap().clone();
    let frames = frames(&bytes, LEDS);
    let mut expected = [&blue, &green, &marked].into_iter().peekable();
    for frame in &frames {
        if expected.peek() == Some(&frame) {
            expected.next();
        }
    }
    assert_eq!(
        expected.next(),
        None,
        "the dimmed blue, then green, then the marks, in order: {frames:?}"
    );
    let last = frames.last().unwrap();
    assert!(last.iter().all(|led| led[1..] == [0, 0, 0]), "stopped: all dark: {last:?}");
}
