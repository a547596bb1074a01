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
    let expected = format!(
        "no server socket at {} or /run/blinken/blinken.sock",
        dir.join("blinken.sock").display()
    );
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

    // A preset file plays its program; a preset directory adds names.
    let presets = dir.join("presets");
    std::fs::create_dir(&presets).unwrap();
    let preset = r#"{"description": "LED 1 for a second", "program": {"timeout": {"after": "1s", "body": {"on": {"leds": 1}}}}}"#;
    std::fs::write(presets.join("one.json"), preset).unwrap();
    let file = presets.join("one.json");
    let output = blinken(&["record", file.to_str().unwrap(), "--output-len", "2"]);
    assert_eq!(stdout(&output), "0.000000 .#\n1.000000 ..\n", "{}", stderr(&output));
    let output =
        blinken(&["record", "one", "--output-len", "2", "--presets", presets.to_str().unwrap()]);
    assert_eq!(stdout(&output), "0.000000 .#\n1.000000 ..\n", "{}", stderr(&output));
    std::fs::write(presets.join("two.json"), "{").unwrap();
    let err = fails(
        &["record", "one", "--output-len", "2", "--presets", presets.to_str().unwrap()],
        1,
        "could not load the presets",
    );
    assert!(err.contains("two.json"), "{err}");

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
    fails(&["record", "chase", "--board", "talk"], 1, "chase needs colour pixels");
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
        "playing: id 4, since 12.500000\noverlay: nothing\nbrightness: 0.50\nlast error: none\nnow: 20.000000\n"
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

#[test]
fn watch_ends_quietly_when_its_reader_does() {
    use std::io::BufRead;
    let path = temp_dir().join("blinken.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let (next, go) = std::sync::mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut side = Side::new(stream, None).unwrap();
        side.recv();
        side.send(br#"{"ok": true}"#);
        side.send(br#"{"event": "started", "id": 1, "at": 1.0}"#);
        go.recv().unwrap();
        // Events until the client hangs up. (One alone is not enough: while another
        // test forks, its child briefly holds our pipe's read end too, and a write then
        // succeeds.)
        let Side::Plain(mut stream, _) = side else { unreachable!() };
        let mut out = Vec::new();
        frame::encode(br#"{"event": "finished", "id": 1, "at": 2.0}"#, &mut out);
        for _ in 0..3000 {
            if stream.write_all(&out).is_err() {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Some("the client never hung up")
    });
    let mut child = Command::new(BIN)
        .args(["watch", "--unix", path.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert_eq!(first, "1.000000 started id=1\n");
    drop(reader); // `| head -1`
    next.send(()).unwrap();
    let output = wait_with_deadline(child, Duration::from_secs(30)).expect("watch ends");
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "blinken: watching events (Ctrl-C to stop)\n");
    assert_eq!(server.join().unwrap(), None);
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
    // A key every user can read is refused, saying what to do.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    fails(
        &["status", "--key-file", key_file.to_str().unwrap()],
        1,
        "can be read by every user (mode 644); run `chmod o-rwx",
    );
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();

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

// ---------------------------------------------------------------------------------------
// End to end: `blinken serve --output log` and the clients, all through the binary.

/// A running `blinken serve`, stopped with SIGTERM when dropped.
struct Served {
    child: Option<std::process::Child>,
    /// Standard error's lines, read by a thread.
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Served {
    /// Starts `blinken serve ARGS` and waits for its "listening on" line (the sockets
    /// are bound then); returns that line too.
    fn start(args: &[&str], env: &[(&str, &str)]) -> (Served, String) {
        use std::io::BufRead;
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(args)
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, stderr) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let served = Served { child: Some(child), stderr };
        loop {
            let line = served
                .stderr
                .recv_timeout(Duration::from_secs(30))
                .expect("blinken serve says where it listens");
            if line.starts_with("blinken: playing on") {
                return (served, line);
            }
            assert!(!line.contains("error"), "blinken serve failed: {line}");
        }
    }

    /// Sends SIGTERM, waits; returns the exit status, standard output and the rest of
    /// standard error.
    fn terminate(mut self) -> (std::process::ExitStatus, String, String) {
        let child = self.child.take().unwrap();
        let pid = child.id().to_string();
        let kill = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(kill.success());
        let output = wait_with_deadline(child, Duration::from_secs(30))
            .expect("blinken serve ends on SIGTERM");
        // The reader thread ends at the pipe's end, after the exit: take every line.
        let mut rest = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(Duration::from_secs(30)) {
            rest.push(line);
        }
        (output.status, stdout(&output), rest.join("\n"))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs a client with `args` and `--unix socket`; expects success; returns stdout.
#[track_caller]
fn client(socket: &std::path::Path, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--unix", socket.to_str().unwrap()]);
    let output = blinken(&all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

/// Runs the client until its output satisfies `done` (readiness, not timing: at most
/// 30 s, then it fails).
#[track_caller]
fn eventually(socket: &std::path::Path, args: &[&str], done: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        let output = client(socket, args);
        if done(&output) {
            return output;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{args:?} still says {output}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn serve_plays_what_clients_ask_and_stops_on_sigterm() {
    let dir = temp_dir();
    let socket = dir.join("blinken.sock");
    let (served, line) =
        Served::start(&["--output", "log", "--unix", socket.to_str().unwrap()], &[]);
    assert!(line.contains(&format!("listening on unix socket {}", socket.display())), "{line}");

    // A watcher first: it sees every event from the moment it says it watches.
    let mut watcher = Command::new(BIN)
        .args(["watch", "--unix", socket.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(watcher.stderr.take().unwrap()).read_line(&mut said).unwrap();
    assert_eq!(said, "blinken: watching events (Ctrl-C to stop)\n");

    assert_eq!(client(&socket, &["play", "smiley"]), "playing, id 1\n");
    // The player starts a request on its own thread: status shows it once started.
    let status = eventually(&socket, &["status"], |s| s.starts_with("playing: id 1, since "));
    assert!(status.contains("overlay: nothing\nbrightness: none\nlast error: none\n"), "{status}");
    let presets = client(&socket, &["presets"]);
    assert!(presets.lines().any(|l| l.starts_with("smiley ")), "{presets}");

    // A refused program changes nothing, and says why.
    let output = blinken(&["play", "nope", "--unix", socket.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("the server refused: "), "{}", stderr(&output));
    assert!(stderr(&output).contains("nope"), "{}", stderr(&output));
    assert!(client(&socket, &["status"]).starts_with("playing: id 1,"));

    // The talk's board is on/off: no brightness, said in the command's words.
    let output = blinken(&["brightness", "0.5", "--unix", socket.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("has one for colour LEDs only"), "{}", stderr(&output));

    let blink = r#"{"blink": {"leds": "row 0", "interval": "50ms"}}"#;
    assert_eq!(client(&socket, &["play", "--spec", blink]), "playing, id 2\n");
    let corner = r#"{"on": {"leds": 24}}"#;
    assert_eq!(client(&socket, &["overlay", "--spec", corner]), "overlay playing, id 3\n");
    eventually(&socket, &["status"], |s| s.contains("\noverlay: id 3, since "));
    assert_eq!(client(&socket, &["stop", "--overlay"]), "overlay stopped\n");
    eventually(&socket, &["status"], |s| s.contains("\noverlay: nothing\n"));
    let fade = client(&socket, &["crossfade", "smiley", "--duration", "200ms"]);
    assert_eq!(fade, "crossfading to id 4 over 200ms\n");
    eventually(&socket, &["status"], |s| s.starts_with("playing: id 4,"));
    assert_eq!(client(&socket, &["stop"]), "stopped\n");
    eventually(&socket, &["status"], |s| s.starts_with("playing: nothing\n"));

    let (status, log, rest) = served.terminate();
    assert!(status.success(), "serve failed: {rest}");
    assert!(rest.contains("shutting down"), "{rest}");
    assert!(!socket.exists(), "the socket file is removed at shutdown");

    // The log: the smiley's first frame, then row 0 blinking, then everything off.
    let frames: Vec<&str> = log.lines().map(|l| l.split_once(' ').unwrap().1).collect();
    assert_eq!(frames[0], ".#.#......#...#.###......", "{log}");
    assert!(frames.contains(&"#####...................."), "{log}");
    assert_eq!(*frames.last().unwrap(), ".........................", "{log}");

    // The watcher ended when the server closed, having printed every event.
    let watched = wait_with_deadline(watcher, Duration::from_secs(30)).expect("watch ends");
    assert!(watched.status.success());
    let events: Vec<String> =
        stdout(&watched).lines().map(|l| l.split_once(' ').unwrap().1.to_owned()).collect();
    assert_eq!(
        events[..6],
        [
            "started id=1",
            "stopped id=1 reason=replaced by=2",
            "started id=2",
            "overlay_started id=3",
            "stopped id=3 reason=stop",
            "started id=4",
        ],
        "{}",
        stdout(&watched)
    );
    // Then the fade's end and the stop: the faded-out program and id 4 end (in an order
    // that depends on whether the fade was over).
    assert!(events[6..].iter().any(|e| e == "stopped id=4 reason=stop"), "{events:?}");
    assert!(events[6..].iter().any(|e| e.starts_with("stopped id=2 ")), "{events:?}");
}

#[test]
fn serve_on_tcp_with_a_key_and_brightness() {
    let dir = temp_dir();
    let socket = dir.join("blinken.sock");
    let (served, line) = Served::start(
        &[
            "--output",
            "log",
            "--leds",
            "3",
            "--brightness",
            "0.5",
            "--unix",
            socket.to_str().unwrap(),
            "--tcp",
            "127.0.0.1:0",
            "--key-env",
            "BLINKEN_TEST_KEY",
        ],
        &[("BLINKEN_TEST_KEY", "e2e key")],
    );
    let port = line.rsplit_once("tcp 127.0.0.1:").unwrap().1.split_once(' ').unwrap().0.to_owned();
    let tcp = |args: &[&str], key: &str| {
        let mut all = args.to_vec();
        all.extend(["--tcp", &port, "--key-env", "BLINKEN_TEST_KEY"]);
        Command::new(BIN).args(&all).env("BLINKEN_TEST_KEY", key).output().unwrap()
    };
    let on = r##"{"on": {"leds": 0, "color": "#ff8000"}}"##;
    let output = tcp(&["play", "--spec", on], "e2e key");
    assert!(output.status.success(), "{}", stderr(&output));
    let start = std::time::Instant::now();
    let status = loop {
        let status = stdout(&tcp(&["status"], "e2e key"));
        if status.starts_with("playing: id 1,") {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "status still says {status}");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.contains("brightness: 0.50\n"), "{status}");
    let output = tcp(&["brightness", "1"], "e2e key");
    assert!(output.status.success(), "{}", stderr(&output));
    let output = tcp(&["status"], "wrong key");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("refused the key"), "{}", stderr(&output));

    // The Unix socket wants the key too.
    let output = blinken(&["status", "--unix", socket.to_str().unwrap()]);
    assert!(stderr(&output).contains("the server asks for a key"), "{}", stderr(&output));

    // A second server on the same socket is refused, naming it.
    let output = blinken(&["serve", "--output", "log", "--unix", socket.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("a server already answers on"), "{}", stderr(&output));

    let (status, log, rest) = served.terminate();
    assert!(status.success(), "{rest}");
    // Orange at half brightness (scale8: c × 129 / 256), at full, then everything off.
    let lines: Vec<&str> = log.lines().map(|l| l.split_once(' ').unwrap().1).collect();
    assert_eq!(lines[0], "804000 000000 000000", "{log}");
    // `brightness 1` redraws the still frame at once.
    assert!(lines.contains(&"ff8000 000000 000000"), "{log}");
    assert_eq!(*lines.last().unwrap(), "000000 000000 000000", "{log}");
}
