//! The `blinken` command, run as a program: every bad flag gets a message naming the
//! value and what to write; `record` prints exact timelines; the client subcommands
//! send the protocol's requests and print the replies (against a fake server built from
//! `Connection::accept`, with and without a key, on Unix sockets and TCP).
#![cfg(feature = "cli")]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use blinken::control::Connection;
use blinken::control::frame::{self, Decoder};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_blinken");

fn blinken(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .expect("the blinken binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Runs `args`, expects exit code `code` and `needle` in standard error.
#[track_caller]
fn fails(args: &[&str], code: i32, needle: &str) -> String {
    let output = blinken(args);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(code), "{args:?}: stderr {err}");
    assert!(err.contains(needle), "{args:?}: expected {needle:?} in stderr:\n{err}");
    assert!(output.stdout.is_empty(), "{args:?} printed {:?}", stdout(&output));
    err
}

/// A fresh directory under the system's temporary directory.
fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("blinken-cli-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------------------------------
// Bad flags: exit code 2 and a message naming the value and what to write.

#[test]
fn serve_refuses_bad_outputs_and_devices() {
    fails(&["serve", "--output", "lamp"], 2, "invalid value 'lamp' for '--output <OUTPUT>'");
    fails(&["serve", "--output", "lamp"], 2, "[possible values: terminal, log, gpio, apa102]");
    fails(&["serve", "--output", "gpio"], 2, "--output gpio needs the LEDs' lines: --board talk");
    fails(&["serve", "--output", "gpio", "--leds", "3"], 2, "--leds is for a colour strip");
    fails(&["serve", "--output", "gpio", "--strip", "seeds"], 2, "--strip is for a colour strip");
    fails(&["serve", "--output", "gpio", "--lines", "4,x"], 2, "\"x\" is not a GPIO line offset");
    fails(&["serve", "--output", "gpio", "--lines", "4,4"], 2, "line 4 is listed twice");
    fails(
        &["serve", "--output", "gpio", "--board", "talk", "--lines", "4"],
        2,
        "the argument '--board <BOARD>' cannot be used with '--lines <4,5,6>'",
    );
    fails(
        &["serve", "--output", "gpio", "--board", "talk", "--spi", "/dev/spidev0.0"],
        2,
        "--spi is for --output apa102, not --output gpio",
    );
    fails(
        &["serve", "--output", "gpio", "--board", "talk", "--brightness", "0.5"],
        2,
        "GPIO lines are on or off",
    );
    fails(
        &["serve", "--output", "terminal", "--chip", "/dev/gpiochip0"],
        2,
        "--chip is for --output gpio, not --output terminal",
    );
    fails(&["serve", "--output", "log", "--hz", "4MHz"], 2, "--hz is for --output apa102");
    fails(&["serve", "--brightness", "0.5"], 2, "the talk's board is on/off LEDs");
    fails(&["serve", "--output", "apa102"], 2, "--output apa102 needs the strip: --strip seeds");
    fails(&["serve", "--output", "apa102", "--board", "talk"], 2, "--board talk is GPIO lines");
    fails(&["serve", "--board", "chess"], 2, "invalid value 'chess' for '--board <BOARD>'");
    fails(&["serve", "--strip", "seeds", "--leds", "3"], 2, "cannot be used with");
    fails(&["serve", "--leds", "0"], 2, "expected a number of LEDs from 1 to 100000");
    fails(&["serve", "--hz", "fast"], 2, "invalid value 'fast' for '--hz <HZ>': expected a clock");
    fails(&["serve", "--pixel-order", "XYZ"], 2, "invalid value 'XYZ' for '--pixel-order <ORDER>'");
    fails(&["serve", "--brightness", "2"], 2, "expected a number from 0 (dark) to 1 (full)");
}

#[test]
fn serve_refuses_bad_listeners_and_keys() {
    fails(&["serve", "--tcp", "0.0.0.0:10101"], 2, "0.0.0.0 is not a loopback address");
    fails(&["serve", "--tcp", "somewhere"], 2, "expected a port or an address with a port");
    fails(&["serve", "--tcp", "10101"], 2, "--tcp needs a key");
    fails(
        &["serve", "--key-file", "/k", "--key-env", "K"],
        2,
        "the argument '--key-file <PATH>' cannot be used with '--key-env <VAR>'",
    );
    fails(&["serve", "--key", "secret"], 2, "unexpected argument '--key'");
    fails(
        &["serve", "--output", "log", "--key-file", "/nonexistent/key"],
        1,
        "--key-file /nonexistent/key: could not read the key",
    );
    fails(
        &["serve", "--output", "log", "--key-env", "BLINKEN_CLI_TEST_UNSET"],
        1,
        "the environment variable BLINKEN_CLI_TEST_UNSET is not set",
    );
    fails(
        &["serve", "--output", "log", "--unix", "/nonexistent/dir/blinken.sock"],
        2,
        "the directory /nonexistent/dir does not exist",
    );
    fails(
        &["serve", "--output", "log", "--presets", "/nonexistent/presets"],
        1,
        "--presets /nonexistent/presets: could not load the presets",
    );
}

#[test]
fn serve_names_a_missing_device() {
    let dir = temp_dir();
    let socket = dir.join("s.sock");
    let socket = socket.to_str().unwrap();
    let err = fails(
        &[
            "serve",
            "--output",
            "gpio",
            "--board",
            "talk",
            "--chip",
            "/nonexistent/chip",
            "--unix",
            socket,
        ],
        1,
        "could not request lines [",
    );
    assert!(err.contains("/nonexistent/chip"), "{err}");
    fails(
        &[
            "serve",
            "--output",
            "apa102",
            "--strip",
            "seeds",
            "--spi",
            "/nonexistent/spi",
            "--unix",
            socket,
        ],
        1,
        "could not open /nonexistent/spi at 4000000 Hz",
    );
}

#[test]
fn clients_refuse_bad_flags() {
    fails(&["play"], 2, "the following required arguments were not provided");
    fails(&["play", "smiley", "--spec", "{}"], 2, "cannot be used with");
    fails(&["crossfade", "smiley"], 2, "--duration <D>");
    fails(&["crossfade", "smiley", "--duration", "5 ms"], 2, "\"5 ms\" is not a duration");
    fails(
        &["crossfade", "smiley", "--duration", "1s", "--curve", "bouncy"],
        2,
        "[possible values: linear, ease]",
    );
    fails(&["brightness", "1.5"], 2, "expected a number from 0 (dark) to 1 (full)");
    fails(&["brightness", "-0.5"], 2, "expected a number from 0 (dark) to 1 (full)");
    fails(&["status", "--timeout", "soon"], 2, "expected a positive number of seconds");
    fails(&["status", "--unix", "/a", "--tcp", "1"], 2, "cannot be used with");
    fails(&["play", "./smiley"], 1, "no such file, and not a preset name");
    fails(&["play", "missing.json"], 1, "could not read missing.json");
    fails(
        &["play", "--spec", r#"{"blink": {"leds": 0, "interval": "5 ms"}}"#],
        1,
        "--spec: blink.interval: \"5 ms\" is not a duration; write \"5ms\" or 0.005",
    );
    fails(&["frobnicate"], 2, "unrecognized subcommand 'frobnicate'");
}

#[test]
fn clients_say_where_no_server_is() {
    fails(
        &["status", "--unix", "/nonexistent/blinken.sock"],
        1,
        "could not connect to /nonexistent/blinken.sock; no such socket: is `blinken serve` running?",
    );
    // A socket file nobody listens on (a server that died).
    let dir = temp_dir();
    let stale = dir.join("stale.sock");
    drop(UnixListener::bind(&stale).unwrap());
    fails(&["status", "--unix", stale.to_str().unwrap()], 1, "nothing listens there");
    // Without --unix: the default path, named.
    let output = Command::new(BIN).arg("status").env("XDG_RUNTIME_DIR", &dir).output().unwrap();
    let expected = format!("could not connect to {}", dir.join("blinken.sock").display());
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
}

// ---------------------------------------------------------------------------------------
// record: the virtual clock, exact.

#[test]
fn record_prints_the_timeline() {
    let output = blinken(&[
        "record",
        "--spec",
        r#"{"blink": {"leds": "row 0", "interval": "100ms", "times": 2}}"#,
        "--board",
        "talk",
        "--seconds",
        "1",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "0.000000 #####....................\n\
         0.100000 .........................\n\
         0.200000 #####....................\n\
         0.300000 .........................\n"
    );

    let output = blinken(&["record", "chase", "--strip", "seeds", "--seconds", "0.25"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "0.000000 ##...##...#\n0.100000 .##...##...\n0.200000 ..##...##..\n"
    );

    let output = blinken(&[
        "record",
        "--spec",
        r##"{"on": {"leds": 1, "color": "#ff8000"}}"##,
        "--output-len",
        "2",
        "--seconds",
        "1",
        "--hex",
    ]);
    assert_eq!(stdout(&output), "0.000000 000000 ff8000\n");
}

#[test]
fn record_plays_files() {
    let dir = temp_dir();
    let spec = dir.join("blink.json");
    std::fs::write(&spec, r#"{"blink": {"leds": 0, "interval": 0.5, "times": 1}}"#).unwrap();
    let output = blinken(&["record", spec.to_str().unwrap(), "--output-len", "2"]);
    assert_eq!(stdout(&output), "0.000000 #.\n0.500000 ..\n");

    let keyframes = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pixelbuf/colors.msgpack");
    let output = blinken(&["record", keyframes, "--strip", "seeds", "--seconds", "0.2", "--hex"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("0.000000 "), "{}", stdout(&output));

    // Keyframes are colour frames: not for the on/off board.
    fails(&["record", keyframes, "--board", "talk"], 1, "keyframe files are colour frames");

    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"blink": {"leds": 0, "intervall": 0.5}}"#).unwrap();
    let err = fails(&["record", broken.to_str().unwrap(), "--board", "talk"], 1, "broken.json: ");
    assert!(err.contains("intervall"), "{err}");
}

#[test]
fn record_refuses_what_cannot_play() {
    fails(&["record", "smiley"], 2, "record needs the LEDs to play on: --board talk");
    fails(
        &["record", "nope", "--board", "talk"],
        1,
        "there is no preset \"nope\"; the presets are: all_demo",
    );
    fails(&["record", "chase", "--board", "talk"], 1, "chase is a colour effect");
    fails(
        &["record", "--spec", r#"{"on": {"leds": 30}}"#, "--output-len", "3"],
        1,
        "the spec does not build",
    );
    fails(
        &["record", "smiley", "--board", "talk", "--seconds", "-1"],
        2,
        "invalid value '-1' for '--seconds <S>'",
    );
    fails(
        &["record", "smiley", "--board", "talk", "--seconds", "0"],
        2,
        "expected a duration above zero",
    );
}

#[test]
fn record_draws_pictures() {
    let dir = temp_dir();
    let svg = dir.join("smiley.svg");
    let output = blinken(&[
        "record",
        "smiley",
        "--board",
        "talk",
        "--seconds",
        "2",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));

    let png = dir.join("smiley.png");
    let output = blinken(&["record", "smiley", "--board", "talk", "--png", png.to_str().unwrap()]);
    if cfg!(feature = "png") {
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    } else {
        assert!(stderr(&output).contains("needs a build with the feature png"));
    }
    let err = fails(
        &["record", "smiley", "--board", "talk", "--svg", "/nonexistent/dir/x.svg"],
        1,
        "could not write /nonexistent/dir/x.svg",
    );
    assert!(err.contains("caused by:"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Clients against a fake server.

/// One side of a fake server's connection: with a key (the handshake) or plain frames.
enum Side<S> {
    Keyed(Connection<S>),
    Plain(S, Decoder),
}

impl<S: Read + Write> Side<S> {
    fn new(stream: S, key: Option<&[u8]>) -> Result<Side<S>, blinken::control::ControlError> {
        Ok(match key {
            Some(key) => Side::Keyed(Connection::accept(stream, key, 1 << 20)?),
            None => Side::Plain(stream, Decoder::new(1 << 20)),
        })
    }

    fn send(&mut self, payload: &[u8]) {
        match self {
            Side::Keyed(c) => c.send_bytes(payload).unwrap(),
            Side::Plain(s, _) => {
                let mut out = Vec::new();
                frame::encode(payload, &mut out);
                s.write_all(&out).unwrap();
            }
        }
    }

    fn recv(&mut self) -> Option<Vec<u8>> {
        match self {
            Side::Keyed(c) => c.recv_bytes().ok(),
            Side::Plain(s, decoder) => loop {
                if let Some(m) = decoder.next_message().unwrap() {
                    return Some(m);
                }
                let mut buf = [0; 4096];
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => return None,
                    Ok(n) => decoder.push(&buf[..n]),
                }
            },
        }
    }
}

/// Serves one connection: reads one request, sends `replies`, then (unless `hang_up`)
/// collects what else the client sends until it hangs up. Returns every message
/// received.
fn serve_one<S: Read + Write>(
    stream: S,
    key: Option<&[u8]>,
    replies: &[Value],
    hang_up: bool,
) -> Vec<Value> {
    let Ok(mut side) = Side::new(stream, key) else { return Vec::new() };
    let mut received = Vec::new();
    let Some(first) = side.recv() else { return received };
    received.push(serde_json::from_slice(&first).unwrap());
    for reply in replies {
        side.send(reply.to_string().as_bytes());
    }
    if hang_up {
        return received;
    }
    while let Some(more) = side.recv() {
        received.push(serde_json::from_slice(&more).unwrap());
    }
    received
}

/// A fake server on a Unix socket for one connection.
fn fake_unix(key: Option<&'static [u8]>, replies: Vec<Value>) -> (PathBuf, JoinHandle<Vec<Value>>) {
    fake_unix_with(key, replies, false)
}

fn fake_unix_with(
    key: Option<&'static [u8]>,
    replies: Vec<Value>,
    hang_up: bool,
) -> (PathBuf, JoinHandle<Vec<Value>>) {
    let path = temp_dir().join("blinken.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        serve_one(stream, key, &replies, hang_up)
    });
    (path, server)
}

/// Runs a client subcommand against a fake server answering `replies`; returns the
/// client's output and what the server received.
fn against(args: &[&str], replies: Vec<Value>) -> (Output, Vec<Value>) {
    let (path, server) = fake_unix(None, replies);
    let mut all = args.to_vec();
    all.extend(["--unix", path.to_str().unwrap()]);
    let output = blinken(&all);
    (output, server.join().unwrap())
}

#[test]
fn play_sends_programs() {
    let (output, got) = against(&["play", "smiley"], vec![json!({"ok": true, "id": 3})]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "playing, id 3\n");
    assert_eq!(got, [json!({"play": "smiley"}), json!("close")]);

    let spec = r#"{"blink": {"leds": "all", "interval": "250ms"}}"#;
    let (output, got) = against(&["overlay", "--spec", spec], vec![json!({"ok": true, "id": 4})]);
    assert_eq!(stdout(&output), "overlay playing, id 4\n");
    assert_eq!(got[0], json!({"overlay": {"blink": {"leds": "all", "interval": "250ms"}}}));

    let keyframes = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pixelbuf/looping.msgpack");
    let (output, got) = against(&["play", keyframes], vec![json!({"ok": true, "id": 5})]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(got[0]["play"]["frames"].is_array(), "{}", got[0]);

    let (output, got) = against(
        &["crossfade", "rainbow", "--duration", "1.5s", "--curve", "ease", "--json"],
        vec![json!({"ok": true, "id": 6})],
    );
    assert_eq!(stdout(&output), "{\"id\":6,\"ok\":true}\n");
    assert_eq!(got[0], json!({"crossfade": "rainbow", "duration": "1500ms", "curve": "ease"}));
}

#[test]
fn a_refusal_is_a_failure_with_the_servers_message() {
    let refusal =
        json!({"ok": false, "error": "there is no preset \"nope\"; blinken presets lists them"});
    let (output, _) = against(&["play", "nope"], vec![refusal.clone()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "blinken: error: the server refused: there is no preset \"nope\"; blinken presets lists them\n"
    );
    // --json prints the reply as it came, and still fails.
    let (output, _) = against(&["play", "nope", "--json"], vec![refusal]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("\"ok\":false"));

    let (output, _) = against(&["status"], vec![json!("what")]);
    assert!(stderr(&output).contains("the server's reply has no \"ok\""), "{}", stderr(&output));
}

#[test]
fn requests_without_programs() {
    let ok = || vec![json!({"ok": true})];
    let (output, got) = against(&["stop"], ok());
    assert_eq!((stdout(&output).as_str(), &got[0]), ("stopped\n", &json!("stop")));
    let (output, got) = against(&["stop", "--overlay"], ok());
    assert_eq!((stdout(&output).as_str(), &got[0]), ("overlay stopped\n", &json!("stop_overlay")));
    let (output, got) = against(&["clear"], ok());
    assert_eq!((stdout(&output).as_str(), &got[0]), ("clear: done\n", &json!("clear")));
    let (output, got) = against(&["brightness", "0.25"], ok());
    assert_eq!(
        (stdout(&output).as_str(), &got[0]),
        ("brightness 0.25\n", &json!({"brightness": 0.25}))
    );
}

#[test]
fn status_and_presets_read_plainly() {
    let reply = json!({"ok": true, "playing": {"id": 4, "since": 12.5}, "overlay": null,
                       "last_error": null, "brightness": 0.5, "now": 20.0});
    let (output, got) = against(&["status"], vec![reply]);
    assert_eq!(got[0], json!("status"));
    assert_eq!(
        stdout(&output),
        "playing: id 4, since 12.500000\noverlay: nothing\nbrightness: 0.5\nlast error: none\nnow: 20.000000\n"
    );

    let reply = json!({"ok": true, "presets": [
        {"name": "smiley", "description": "A smiley"},
        {"name": "all_demo", "description": "The talk's all-demo"}]});
    let (output, _) = against(&["presets"], vec![reply]);
    assert_eq!(stdout(&output), "smiley    A smiley\nall_demo  The talk's all-demo\n");
}

#[test]
fn watch_prints_events_until_the_server_closes() {
    let replies = vec![
        json!({"ok": true}),
        json!({"event": "started", "id": 4, "at": 12.5}),
        json!({"event": "stopped", "id": 4, "at": 20.25, "reason": "replaced", "by": 6}),
    ];
    // The server sends two events and hangs up: watch ends then, successfully.
    let (path, server) = fake_unix_with(None, replies, true);
    let child = Command::new(BIN)
        .args(["watch", "--unix", path.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let output = wait_with_deadline(child, Duration::from_secs(20));
    assert_eq!(server.join().unwrap(), [json!("subscribe")]);
    let output = output.expect("watch ended when the server closed");
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "12.500000 started id=4\n20.250000 stopped id=4 reason=replaced by=6\n"
    );

    let replies = vec![json!({"ok": true}), json!({"event": "lagged", "missed": 17})];
    let (output, _) = against(&["watch"], replies);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "lagged missed=17\n");
    assert!(stderr(&output).contains("fell behind by 17 events"));
}

/// Waits for `child` at most `limit` (then kills it and returns `None`).
fn wait_with_deadline(mut child: std::process::Child, limit: Duration) -> Option<Output> {
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn keys_from_files_and_the_environment() {
    let dir = temp_dir();
    let key_file = dir.join("key");
    std::fs::write(&key_file, "secret\n").unwrap();

    let (path, server) = fake_unix(Some(b"secret"), vec![json!({"ok": true, "id": 1})]);
    let output = blinken(&[
        "play",
        "smiley",
        "--unix",
        path.to_str().unwrap(),
        "--key-file",
        key_file.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.join().unwrap()[0], json!({"play": "smiley"}));

    let (path, server) = fake_unix(Some(b"secret"), vec![json!({"ok": true, "id": 1})]);
    let output = Command::new(BIN)
        .args(["play", "smiley", "--unix", path.to_str().unwrap(), "--key-env", "BLINKEN_TEST_KEY"])
        .env("BLINKEN_TEST_KEY", "secret")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.join().unwrap()[0], json!({"play": "smiley"}));

    // A wrong key.
    let (path, server) = fake_unix(Some(b"other"), vec![]);
    let err = fails(
        &["status", "--unix", path.to_str().unwrap(), "--key-file", key_file.to_str().unwrap()],
        1,
        "refused the key: check that --key-file or --key-env names the server's key",
    );
    assert!(err.contains("caused by: the peer refused our answer"), "{err}");
    assert!(server.join().unwrap().is_empty());

    // No key for a server that wants one.
    let (path, server) = fake_unix(Some(b"secret"), vec![]);
    fails(
        &["status", "--unix", path.to_str().unwrap()],
        1,
        "the server asks for a key; pass --key-file PATH",
    );
    drop(server);

    // A key for a server that has none: no challenge comes.
    let (path, server) = fake_unix(None, vec![]);
    fails(
        &[
            "status",
            "--unix",
            path.to_str().unwrap(),
            "--key-file",
            key_file.to_str().unwrap(),
            "--timeout",
            "0.3",
        ],
        1,
        "sent no challenge within 300ms: does the server run without a key?",
    );
    drop(server);
}

#[test]
fn tcp_with_a_key() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        serve_one(stream, Some(b"tcp key"), &[json!({"ok": true})], false)
    });
    let output = Command::new(BIN)
        .args(["clear", "--tcp", &port, "--key-env", "BLINKEN_TEST_KEY"])
        .env("BLINKEN_TEST_KEY", "tcp key")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(server.join().unwrap(), [json!("clear"), json!("close")]);
}

#[test]
fn a_reply_that_is_not_json() {
    let path = temp_dir().join("blinken.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut side = Side::new(stream, None).unwrap();
        side.recv();
        side.send(b"\x80\x04K\x01.");
    });
    fails(&["status", "--unix", path.to_str().unwrap()], 1, "the server's reply is not JSON");
    server.join().unwrap();
}
