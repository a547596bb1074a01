//! The control server from Rust clients: requests in JSON and pickles, the seed's
//! manager flow, keys, sockets, limits, subscribers, and hostile input (fuzzed).
//!
//! Real time and real sockets: the assertions are on replies and on what the player
//! plays, never on how long anything took; the timeouts are safety nets.

#![cfg(all(feature = "control", target_os = "linux"))]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use blinken::control::auth::AuthError;
use blinken::control::pickle::{PickleLimits, Value, decode, encode};
use blinken::control::{Connection, ControlError, Server, ServerError, ServerLimits};
use blinken::prelude::*;
use blinken::spec::Layout;
use blinken::{Event, PlayId, Player};
use serde_json::{Value as Json, json};

const KEY: &[u8] = b"test key";

/// The server's log lines, from every test of this file.
struct Capture(std::sync::Mutex<Vec<String>>);

static LOGS: Capture = Capture(std::sync::Mutex::new(Vec::new()));

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}", record.level(), record.args());
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line);
    }
    fn flush(&self) {}
}

/// Whether a log line containing `text` was written (installs the logger first).
fn logged(text: &str) -> bool {
    LOGS.0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .any(|l| l.contains(text))
}

fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        log::set_logger(&LOGS).expect("the only logger");
        log::set_max_level(log::LevelFilter::Debug);
    });
}
/// A safety net against a hang, not a timing assertion.
const PATIENCE: Duration = Duration::from_secs(20);

fn player() -> Player<Recorder<RGB8>> {
    Player::spawn(Recorder::<RGB8>::with_len(25), SystemClock::new()).unwrap()
}

/// The default limits, changed by `change` (the struct is `#[non_exhaustive]`).
fn with(change: impl FnOnce(&mut ServerLimits)) -> ServerLimits {
    let mut limits = ServerLimits::default();
    change(&mut limits);
    limits
}

fn socket(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("blinken-server-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.sock"));
    let _ = std::fs::remove_file(&path);
    path
}

fn serve(name: &str, limits: ServerLimits) -> (Player<Recorder<RGB8>>, Server, PathBuf) {
    capture_logs();
    let player = player();
    let path = socket(name);
    let server = Server::builder()
        .unix(&path)
        .key(KEY)
        .layout(Layout::talk())
        .limits(limits)
        .start(player.handle())
        .unwrap();
    (player, server, path)
}

fn connect(path: &PathBuf, key: &[u8]) -> Result<Connection<UnixStream>, ControlError> {
    let stream = UnixStream::connect(path)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    Connection::connect(stream, key, 1 << 20)
}

fn ask(client: &mut Connection<UnixStream>, request: &str) -> Json {
    client.send_bytes(request.as_bytes()).unwrap();
    serde_json::from_slice(&client.recv_bytes().unwrap()).unwrap()
}

fn ask_pickle(client: &mut Connection<UnixStream>, request: &[u8]) -> Value {
    client.send_bytes(request).unwrap();
    let classes: [&str; 0] = [];
    decode(&client.recv_bytes().unwrap(), &classes, PickleLimits::default()).unwrap()
}

fn dict(items: &[(&str, Value)]) -> Value {
    Value::Dict(items.iter().map(|(k, v)| (Value::Str((*k).into()), v.clone())).collect())
}

/// `pickle.dumps(Animation([Frame(100, [Pixel(1.0, 10, 20, 30)] * 3)], False, 0, 1))`
/// of the seed's dataclasses, defined in `__main__`, as Python 3.12 writes it.
const ANIMATION: &str = "800495e2000000000000008c085f5f6d61696e5f5f948c09416e696d6174696f6e9493942981947d94288c066672616d6573945d9468008c054672616d659493942981947d94288c0a646973706c61795f6d73944b648c06706978656c73945d942868008c05506978656c9493942981947d94288c0a6272696768746e65737394473ff00000000000008c03726564944b0a8c05677265656e944b148c04626c7565944b1e756268106810657562618c0f6c6f6f705f696e66696e6974656c7994898c1570617573655f6265747765656e5f706c61795f6d73944b008c096d61785f706c617973944b0175622e";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn id(reply: &Json) -> PlayId {
    assert_eq!(reply["ok"], true, "{reply}");
    PlayId::from(reply["id"].as_u64().expect("an id"))
}

/// Waits (bounded) until the player plays `id`.
fn wait_playing<O: Output<Pixel = RGB8> + Send + 'static>(player: &Player<O>, id: PlayId) {
    let give_up = std::time::Instant::now() + PATIENCE;
    while player.handle().playing().map(|p| p.id) != Some(id) {
        assert!(std::time::Instant::now() < give_up, "{id} never played");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn json_requests_play_stop_and_report() {
    let (player, server, path) = serve("json", ServerLimits::default());
    assert_eq!(server.unix_path(), Some(path.as_path()));
    let mut client = connect(&path, KEY).unwrap();

    let first = id(&ask(&mut client, r#"{"play": {"blink": {"leds": 0, "interval": "50ms"}}}"#));
    wait_playing(&player, first);
    let status = ask(&mut client, "\"status\"");
    assert_eq!(status["ok"], true);
    assert_eq!(status["playing"]["id"], first.get());
    assert!(status["playing"]["since"].is_f64());
    assert_eq!(status["overlay"], Json::Null);
    assert_eq!(status["last_error"], Json::Null);

    // A preset by name, both spellings.
    let smiley = id(&ask(&mut client, r#"{"play": "smiley"}"#));
    assert!(smiley > first);
    let again = id(&ask(&mut client, r#"{"play": {"preset": "smiley"}}"#));
    wait_playing(&player, again);

    // A refused program changes nothing, and the error says what to do.
    let refused = ask(&mut client, r#"{"play": {"blink": {"leds": 99, "interval": "50ms"}}}"#);
    assert_eq!(refused["ok"], false);
    assert!(refused["error"].as_str().unwrap().contains("99"), "{refused}");
    let unknown = ask(&mut client, r#"{"play": "no such preset"}"#);
    assert!(unknown["error"].as_str().unwrap().contains("smiley"), "{unknown}");
    assert_eq!(player.handle().playing().map(|p| p.id), Some(again));

    let presets = ask(&mut client, "presets");
    let names: Vec<&str> = presets["presets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"smiley") && names.contains(&"rainbow"), "{names:?}");

    assert_eq!(ask(&mut client, r#"{"stop": null}"#), json!({"ok": true}));
    let give_up = std::time::Instant::now() + PATIENCE;
    while player.handle().playing().is_some() {
        assert!(std::time::Instant::now() < give_up);
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(ask(&mut client, "\"clear\""), json!({"ok": true}));
    let no_brightness = ask(&mut client, r#"{"brightness": 0.5}"#);
    assert!(no_brightness["error"].as_str().unwrap().contains("brightness"));
    assert_eq!(ask(&mut client, "{\"dance\": 1}")["ok"], false);
    assert_eq!(ask(&mut client, "\"close\""), json!({"ok": true}));
    assert!(matches!(client.recv_bytes(), Err(ControlError::Closed)));

    server.shutdown().unwrap();
    assert!(!path.exists(), "the socket file is removed");
    player.shutdown().unwrap();
}

#[test]
fn pickled_requests_get_pickled_replies_and_the_manager_flow_works() {
    let (player, server, path) = serve("pickle", ServerLimits::default());
    let mut client = connect(&path, KEY).unwrap();

    let reply = ask_pickle(&mut client, &encode(&dict(&[("play", Value::Str("smiley".into()))])));
    assert_eq!(reply.get("ok"), Some(&Value::Bool(true)));
    let Some(Value::Int(smiley)) = reply.get("id") else { panic!("{reply:?}") };
    assert!(*smiley > 0);
    let status = ask_pickle(&mut client, &encode(&Value::Str("status".into())));
    assert_eq!(status.get("ok"), Some(&Value::Bool(true)));

    // The seed's manager: a bare pickled Animation, answered with a positive id...
    let reply = ask_pickle(&mut client, &hex(ANIMATION));
    let Value::Int(animation) = reply else { panic!("{reply:?}") };
    assert!(animation > *smiley);
    let ended = player.handle().wait_for(PlayId::from(animation as u64)).unwrap();
    assert!(matches!(ended, Event::Finished { .. }), "{ended:?}");

    // ...or -1 on an error: the same animation with `max_plays` 0 (the last value,
    // `K\x00` before `ub.`), which would play nothing.
    let mut long = hex(ANIMATION);
    let at = long.len() - 4;
    assert_eq!(long[at - 1..at + 1], [b'K', 1]);
    long[at] = 0;
    assert_eq!(ask_pickle(&mut client, &long), Value::Int(-1));

    // A global that is not allowed is refused without being looked up.
    let evil = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.";
    let reply = ask_pickle(&mut client, evil);
    assert_eq!(reply.get("ok"), Some(&Value::Bool(false)));
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_wrong_key_ends_that_connection_only() {
    let (player, server, path) = serve("wrong-key", ServerLimits::default());
    let mut good = connect(&path, KEY).unwrap();
    let playing = id(&ask(&mut good, r#"{"play": {"blink": {"leds": 0, "interval": "5ms"}}}"#));
    wait_playing(&player, playing);
    let events = player.handle().events();

    match connect(&path, b"not the key") {
        Err(ControlError::Auth(AuthError::Refused)) => {}
        other => panic!("{other:?}"),
    }
    // Garbage instead of a handshake answer: closed, nothing decoded.
    let mut raw = UnixStream::connect(&path).unwrap();
    raw.set_read_timeout(Some(PATIENCE)).unwrap();
    raw.write_all(&[0, 0, 0, 14]).unwrap();
    raw.write_all(br#"{"play": "x"}!"#).unwrap();
    let mut all = Vec::new();
    raw.read_to_end(&mut all).unwrap();
    assert!(all.ends_with(b"#FAILURE#"), "{all:?}");
    assert!(logged("authentication failed"), "failed logins are logged");

    // The player never noticed: no event, the same program playing.
    assert!(events.try_recv().is_none());
    assert_eq!(player.handle().playing().map(|p| p.id), Some(playing));
    let played = id(&ask(&mut good, r#"{"play": "smiley"}"#));
    wait_playing(&player, played);
    drop(server);
    assert!(!path.exists(), "dropping shuts down too");
    player.shutdown().unwrap();
}

#[test]
fn without_a_key_a_unix_socket_needs_no_handshake_and_is_owner_and_group_only() {
    let player = player();
    let path = socket("no-key");
    let server = Server::builder().unix(&path).start(player.handle()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o660);
    let mut stream = UnixStream::connect(&path).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(&[0, 0, 0, 8]).unwrap();
    stream.write_all(b"\"status\"").unwrap();
    let mut len = [0; 4];
    stream.read_exact(&mut len).unwrap();
    let mut reply = vec![0; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut reply).unwrap();
    let reply: Json = serde_json::from_slice(&reply).unwrap();
    assert_eq!(reply["ok"], true);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn tcp_needs_a_key_and_reports_its_port() {
    let player = player();
    let loopback: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let error = Server::builder().tcp(loopback).start(player.handle()).unwrap_err();
    assert!(matches!(error, ServerError::TcpWithoutKey { .. }));
    assert!(error.to_string().contains("without a key"), "{error}");
    assert!(matches!(
        Server::builder().key(Vec::new()).tcp(loopback).start(player.handle()),
        Err(ServerError::EmptyKey)
    ));
    assert!(matches!(Server::builder().start(player.handle()), Err(ServerError::NoListener)));
    assert!(matches!(
        Server::builder().unix(socket("layout")).layout(Layout::strip(3)).start(player.handle()),
        Err(ServerError::Layout { layout: 3, player: 25 })
    ));

    let server = Server::builder().tcp(loopback).key(KEY).start(player.handle()).unwrap();
    let addr = server.tcp_addr().unwrap();
    assert_ne!(addr.port(), 0);
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut client = Connection::connect(stream, KEY, 1 << 20).unwrap();
    client.send_bytes(br#"{"play": "rainbow"}"#).unwrap();
    let reply: Json = serde_json::from_slice(&client.recv_bytes().unwrap()).unwrap();
    wait_playing(&player, id(&reply));
    // The same port again: a bind error naming the address.
    let taken = Server::builder().tcp(addr).key(KEY).start(player.handle()).unwrap_err();
    assert!(taken.to_string().contains(&addr.to_string()), "{taken}");
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_live_socket_is_kept_a_stale_one_replaced_and_a_file_left_alone() {
    let (player, server, path) = serve("live", ServerLimits::default());
    let second = Server::builder().unix(&path).key(KEY).start(player.handle()).unwrap_err();
    assert!(matches!(second, ServerError::InUse { .. }), "{second}");
    server.shutdown().unwrap();

    // A stale socket: bound, then its listener gone without removing the file.
    let stale = std::os::unix::net::UnixListener::bind(&path).unwrap();
    drop(stale);
    assert!(path.exists());
    let server = Server::builder().unix(&path).key(KEY).start(player.handle()).unwrap();
    let mut client = connect(&path, KEY).unwrap();
    assert_eq!(ask(&mut client, "status")["ok"], true);
    server.shutdown().unwrap();

    let file = socket("a-file");
    std::fs::write(&file, "important").unwrap();
    let error = Server::builder().unix(&file).start(player.handle()).unwrap_err();
    assert!(matches!(error, ServerError::NotASocket { .. }), "{error}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "important");
    player.shutdown().unwrap();
}

#[test]
fn oversized_messages_and_broken_frames_close_the_connection() {
    let limits = with(|l| l.max_message = 1000);
    let (player, server, path) = serve("oversized", limits);
    let mut client = connect(&path, KEY).unwrap();
    client.send_bytes(&vec![b' '; 1001]).unwrap();
    assert!(client.recv_bytes().is_err());
    // Under the limit: a reply, even for garbage.
    let mut client = connect(&path, KEY).unwrap();
    client.send_bytes(&vec![b'['; 999]).unwrap();
    let reply: Json = serde_json::from_slice(&client.recv_bytes().unwrap()).unwrap();
    assert_eq!(reply["ok"], false);
    // A negative length.
    let mut client = connect(&path, KEY).unwrap().into_inner();
    client.write_all(&(-5i32).to_be_bytes()).unwrap();
    assert_eq!(client.read(&mut [0; 16]).unwrap(), 0);
    // Deep JSON and deep pickles get error replies, not a crash.
    let mut client = connect(&path, KEY).unwrap();
    let deep = format!("{{\"play\": {}{}}}", "[".repeat(400), "]".repeat(400));
    assert_eq!(ask(&mut client, &deep[..deep.len().min(999)])["ok"], false);
    let mut pickle = b"\x80\x02".to_vec();
    pickle.extend(std::iter::repeat_n(b']', 200));
    pickle.push(b'.');
    let reply = ask_pickle(&mut client, &pickle);
    assert_eq!(reply.get("ok"), Some(&Value::Bool(false)));
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn handshake_and_idle_timeouts_close_silent_clients() {
    let limits = with(|l| {
        l.handshake_timeout = Duration::from_millis(100);
        l.idle_timeout = Duration::from_millis(300);
    });
    let (player, server, path) = serve("timeouts", limits);
    // Never answers the challenge.
    let mut silent = UnixStream::connect(&path).unwrap();
    silent.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut all = Vec::new();
    silent.read_to_end(&mut all).unwrap();
    assert!(all.windows(11).any(|w| w == b"#CHALLENGE#"), "only the challenge was sent");
    // Authenticates, then says nothing.
    let mut idle = connect(&path, KEY).unwrap();
    assert!(matches!(idle.recv_bytes(), Err(ControlError::Closed)));
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn connections_over_the_limit_are_closed_at_once() {
    let limits = with(|l| l.max_connections = 2);
    let (player, server, path) = serve("max-connections", limits);
    let mut first = connect(&path, KEY).unwrap();
    let _second = connect(&path, KEY).unwrap();
    assert!(connect(&path, KEY).is_err(), "the third is closed");
    assert_eq!(ask(&mut first, "status")["ok"], true);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_client_that_vanishes_mid_message_harms_no_one() {
    let (player, server, path) = serve("vanish", ServerLimits::default());
    for cut in [1, 3, 4, 10] {
        let mut client = connect(&path, KEY).unwrap().into_inner();
        let mut wire = vec![0, 0, 0, 19];
        wire.extend_from_slice(br#"{"play": "smiley"}"#);
        client.write_all(&wire[..cut]).unwrap();
        drop(client);
    }
    let mut client = connect(&path, KEY).unwrap();
    let played = id(&ask(&mut client, r#"{"play": "rainbow"}"#));
    wait_playing(&player, played);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn subscribers_get_events_and_one_that_never_reads_is_dropped() {
    let limits = with(|l| l.subscriber_queue = 8);
    let (player, server, path) = serve("subscribe", limits);
    let mut reader = connect(&path, KEY).unwrap();
    assert_eq!(ask(&mut reader, "subscribe"), json!({"ok": true}));
    let mut stuck = connect(&path, KEY).unwrap();
    assert_eq!(ask(&mut stuck, "subscribe"), json!({"ok": true}));

    let mut control = connect(&path, KEY).unwrap();
    let played = id(&ask(&mut control, r#"{"play": "smiley"}"#));
    let started: Json = serde_json::from_slice(&reader.recv_bytes().unwrap()).unwrap();
    assert_eq!(started["event"], "started");
    assert_eq!(started["id"], played.get());
    let next = id(&ask(&mut control, r#"{"play": "rainbow"}"#));
    let stopped: Json = serde_json::from_slice(&reader.recv_bytes().unwrap()).unwrap();
    assert_eq!(
        (&stopped["event"], &stopped["reason"], &stopped["by"]),
        (&json!("stopped"), &json!("replaced"), &json!(next.get()))
    );
    // The reader leaves politely.
    reader.send_bytes(b"\"close\"").unwrap();
    loop {
        let message: Json = serde_json::from_slice(&reader.recv_bytes().unwrap()).unwrap();
        if message == json!({"ok": true}) {
            break;
        }
        assert!(message["event"].is_string(), "{message}");
    }

    // Thousands of events the stuck subscriber never reads (the socket's buffer, the
    // server's small output buffer, then its queue of 8 fill up): it is dropped, and
    // the server goes on answering.
    let handle = player.handle();
    for _ in 0..20_000 {
        handle.play(blink(0, ms(50))).unwrap();
    }
    let last = id(&ask(&mut control, r#"{"play": "smiley"}"#));
    wait_playing(&player, last);
    let mut stuck = stuck.into_inner();
    stuck.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut everything = Vec::new();
    stuck.read_to_end(&mut everything).expect("the server closes the connection");
    let text = String::from_utf8_lossy(&everything);
    assert!(text.contains(r#""event":"lagged""#), "told it lagged before being dropped");
    assert!(logged("dropping a subscriber"), "dropped subscribers are logged");
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_thousand_idle_clients_and_a_slow_one_do_not_delay_a_play() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let (player, server, path) = serve("crowd", ServerLimits::default());
    // 500 that never answer the challenge, 500 authenticated that never send a request.
    let mut idle: Vec<UnixStream> = (0..500).map(|_| UnixStream::connect(&path).unwrap()).collect();
    idle.extend((0..500).map(|_| connect(&path, KEY).unwrap().into_inner()));
    // One that sends its request one byte a second.
    let (stop, sent) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let slow = std::thread::spawn({
        let (path, stop, sent) = (path.clone(), Arc::clone(&stop), Arc::clone(&sent));
        move || {
            let mut slow = connect(&path, KEY).unwrap().into_inner();
            let mut wire = vec![0, 0, 0, 19];
            wire.extend_from_slice(br#"{"play": "smiley"}"#);
            for byte in wire {
                slow.write_all(&[byte]).unwrap();
                sent.fetch_add(1, Ordering::Release);
                for _ in 0..100 {
                    if stop.load(Ordering::Acquire) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    });
    while sent.load(Ordering::Acquire) < 2 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut client = connect(&path, KEY).unwrap();
    let played = id(&ask(&mut client, r#"{"play": {"blink": {"leds": 3, "interval": "20ms"}}}"#));
    wait_playing(&player, played);
    assert!(sent.load(Ordering::Acquire) < 23, "the slow client is still mid-message");
    stop.store(true, Ordering::Release);
    slow.join().unwrap();
    drop(idle);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn shutdown_always_returns_while_events_stream() {
    capture_logs();
    let player = player();
    let handle = player.handle();
    let busy = std::thread::spawn(move || {
        for _ in 0..2_000 {
            if handle.play(blink(0, ms(1))).is_err() {
                break;
            }
        }
    });
    for round in 0..20 {
        let path = socket(&format!("shutdown-{round}"));
        let server = Server::builder().unix(&path).start(player.handle()).unwrap();
        let mut stream = UnixStream::connect(&path).unwrap();
        stream.write_all(&[0, 0, 0, 11]).unwrap();
        stream.write_all(b"\"subscribe\"").unwrap();
        server.shutdown().unwrap();
        assert!(!path.exists());
    }
    busy.join().unwrap();
    player.shutdown().unwrap();
}

mod fuzz {
    //! Random and mutated input to the request decoders and to a live server, before
    //! and after the handshake: never a panic, and the player keeps playing.
    //!
    //! A longer run: `PROPTEST_CASES=20000 cargo test --release --features control
    //! --test control_server fuzz`.

    use super::*;
    use blinken::control::parse_request;
    use proptest::prelude::{
        ProptestConfig, Strategy, any, prop, prop_assert, prop_oneof, proptest,
    };
    use proptest::test_runner::{Config, TestRunner};

    fn cases(default: u32) -> u32 {
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default)
    }

    /// Valid requests of every kind, to mutate.
    fn seeds() -> Vec<Vec<u8>> {
        let mut seeds: Vec<Vec<u8>> = [
            r#"{"play": {"blink": {"leds": 0, "interval": "100ms", "times": 5}}}"#,
            r#"{"play": "smiley"}"#,
            r#"{"crossfade": "rainbow", "duration": "1s", "curve": "ease"}"#,
            r#"{"play": {"frames": [{"display_ms": 10, "pixels": [{"brightness": 1.0, "red": 1, "green": 2, "blue": 3}]}], "loop_infinitely": false, "pause_between_play_ms": 0, "max_plays": 1}}"#,
            r#"{"brightness": 0.25}"#,
            "\"status\"",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        seeds.push(hex(ANIMATION));
        seeds.push(encode(&dict(&[("play", Value::Str("smiley".into()))])));
        seeds
    }

    fn mutated() -> impl Strategy<Value = Vec<u8>> {
        let seeds = seeds();
        (
            0..seeds.len(),
            prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
            any::<prop::sample::Index>(),
        )
            .prop_map(move |(seed, edits, cut)| {
                let mut bytes = seeds[seed].clone();
                for (at, byte) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = byte;
                }
                if cut.index(4) == 0 {
                    bytes.truncate(cut.index(bytes.len() + 1));
                }
                bytes
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(512)))]

        #[test]
        fn random_requests_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse_request(&bytes, &ServerLimits::default());
        }

        #[test]
        fn mutated_requests_never_panic(bytes in mutated()) {
            let _ = parse_request(&bytes, &ServerLimits::default());
        }

        /// The framing, as the server feeds it: never more buffered than one message.
        #[test]
        fn random_streams_never_overfill_the_frame_decoder(
            chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..40),
            max in 0usize..64,
        ) {
            let mut decoder = blinken::control::frame::Decoder::new(max);
            'stream: for chunk in chunks {
                let mut rest = &chunk[..];
                while !rest.is_empty() {
                    let Ok(want) = decoder.wanted() else { break 'stream };
                    let take = want.min(rest.len());
                    decoder.push(&rest[..take]);
                    rest = &rest[take..];
                    prop_assert!(decoder.buffered() <= max + 12);
                    match decoder.next_message() {
                        Ok(Some(message)) => prop_assert!(message.len() <= max),
                        Ok(None) => {}
                        Err(_) => break 'stream,
                    }
                }
            }
        }

        /// The server's handshake never lets a peer in without the key.
        #[test]
        fn random_answers_never_authenticate(
            messages in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 1..5),
            random in any::<[u8; 32]>(),
        ) {
            use blinken::control::auth::{ServerHandshake, Step};
            let mut bytes = [0u8; 40];
            bytes[..32].copy_from_slice(&random);
            let (mut server, _) = ServerHandshake::new(KEY, bytes);
            for message in messages {
                if let Step::Fail(..) = server.receive(&message) {
                    break;
                }
            }
            prop_assert!(!server.is_done());
        }
    }

    /// Reads whatever the server sends until it closes or goes quiet.
    fn drain(stream: &mut UnixStream) {
        stream.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let mut buf = [0; 4096];
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    }

    #[test]
    fn a_live_server_survives_garbage_and_the_player_keeps_playing() {
        let mut limits = ServerLimits::default();
        limits.max_message = 4096;
        let (player, server, path) = serve("fuzz", limits);
        let mut control = connect(&path, KEY).unwrap();
        let playing =
            id(&ask(&mut control, r#"{"play": {"blink": {"leds": 0, "interval": "5ms"}}}"#));
        wait_playing(&player, playing);

        let mut runner = TestRunner::new(Config { cases: cases(64), ..Config::default() });
        let garbage = (
            any::<bool>(),
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..600),
                mutated().prop_map(|m| {
                    let mut framed = Vec::new();
                    blinken::control::frame::encode(&m, &mut framed);
                    framed
                }),
            ],
        );
        runner
            .run(&garbage, |(authenticated, bytes)| {
                let mut stream = if authenticated {
                    connect(&path, KEY).unwrap().into_inner()
                } else {
                    UnixStream::connect(&path).unwrap()
                };
                // The server may close at once (a wrong answer, a broken frame).
                let _ = stream.write_all(&bytes);
                drain(&mut stream);
                Ok(())
            })
            .unwrap();

        // Still answering, and the player still plays (a garbage play may have
        // replaced the blink: what plays is the newest accepted).
        assert_eq!(ask(&mut control, "status")["ok"], true);
        assert!(player.handle().is_alive());
        let last = id(&ask(&mut control, r#"{"play": "rainbow"}"#));
        wait_playing(&player, last);
        server.shutdown().unwrap();
        player.shutdown().unwrap();
    }
}

#[test]
fn overlays_crossfades_and_brightness() {
    use blinken::output::adapter::{Brightness, BrightnessHandle};
    capture_logs();
    let level = BrightnessHandle::new(255);
    let output = Brightness::with_handle(Recorder::<RGB8>::with_len(25), level.clone());
    let player = Player::spawn(output, SystemClock::new()).unwrap();
    let path = socket("layers");
    let server = Server::builder()
        .unix(&path)
        .key(KEY)
        .layout(Layout::talk())
        .brightness(level.clone())
        .start(player.handle())
        .unwrap();
    let mut client = connect(&path, KEY).unwrap();
    let mut events = connect(&path, KEY).unwrap();
    assert_eq!(ask(&mut events, "\"subscribe\""), json!({"ok": true}));

    let base = id(&ask(&mut client, r#"{"play": "rainbow"}"#));
    let top = id(&ask(&mut client, r#"{"overlay": {"on": {"leds": "row 0", "color": "red"}}}"#));
    let give_up = std::time::Instant::now() + PATIENCE;
    while player.handle().overlay_playing().map(|p| p.id) != Some(top) {
        assert!(std::time::Instant::now() < give_up, "the overlay never played");
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = ask(&mut client, "status");
    assert_eq!(status["playing"]["id"], base.get(), "{status}");
    assert_eq!(status["overlay"]["id"], top.get(), "{status}");
    let seen: Vec<Json> =
        (0..2).map(|_| serde_json::from_slice(&events.recv_bytes().unwrap()).unwrap()).collect();
    assert_eq!(seen[1]["event"], "overlay_started", "{seen:?}");
    assert_eq!(seen[1]["id"], top.get());

    assert_eq!(ask(&mut client, "\"stop_overlay\""), json!({"ok": true}));
    while player.handle().overlay_playing().is_some() {
        assert!(std::time::Instant::now() < give_up, "the overlay never stopped");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(player.handle().playing().map(|p| p.id), Some(base), "the base plays on");

    let faded =
        id(&ask(&mut client, r#"{"crossfade": "smiley", "duration": "50ms", "curve": "ease"}"#));
    wait_playing(&player, faded);
    let fade = ask(&mut client, r#"{"crossfade": "smiley", "duration": 1e12}"#);
    assert!(fade["error"].as_str().unwrap().contains("out of range"), "{fade}");
    let curve = ask(&mut client, r#"{"crossfade": "smiley", "duration": 1, "curve": "wobbly"}"#);
    assert!(curve["error"].as_str().unwrap().contains("\"linear\" or \"ease\""), "{curve}");

    assert_eq!(ask(&mut client, r#"{"brightness": 0.5}"#), json!({"ok": true}));
    assert!((i32::from(level.get()) - 128).abs() <= 1, "{}", level.get());
    let status = ask(&mut client, "status");
    assert!((status["brightness"].as_f64().unwrap() - 0.5).abs() < 0.01, "{status}");
    assert_eq!(ask(&mut client, r#"{"brightness": -1}"#)["ok"], false);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

/// An output whose writes wait until the gate opens: a player stuck in its output.
#[derive(Debug)]
struct Stuck(std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>);

impl Output for Stuck {
    type Pixel = RGB8;
    type Error = std::convert::Infallible;
    fn len(&self) -> usize {
        25
    }
    fn write(&mut self, _: blinken::Frame<'_, RGB8>) -> Result<(), Self::Error> {
        let (open, changed) = &*self.0;
        let mut open = open.lock().unwrap();
        while !*open {
            open = changed.wait(open).unwrap();
        }
        Ok(())
    }
}

#[test]
fn a_stuck_player_gets_error_replies_and_never_blocks_the_server() {
    capture_logs();
    let gate = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
    let player = Player::spawn(Stuck(std::sync::Arc::clone(&gate)), SystemClock::new()).unwrap();
    let path = socket("stuck");
    let server =
        Server::builder().unix(&path).layout(Layout::talk()).start(player.handle()).unwrap();
    let stream = UnixStream::connect(&path).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    // No key on this socket: a connection without a handshake.
    let ask_raw = |stream: &UnixStream, request: &str| -> Json {
        let mut wire = Vec::new();
        blinken::control::frame::encode(request.as_bytes(), &mut wire);
        (&*stream).write_all(&wire).unwrap();
        let mut len = [0; 4];
        (&*stream).read_exact(&mut len).unwrap();
        let mut reply = vec![0; u32::from_be_bytes(len) as usize];
        (&*stream).read_exact(&mut reply).unwrap();
        serde_json::from_slice(&reply).unwrap()
    };
    let mut full = None;
    for _ in 0..10_000 {
        let reply = ask_raw(&stream, r#"{"play": {"blink": {"leds": 0, "interval": "10ms"}}}"#);
        if reply["ok"] == false {
            full = Some(reply);
            break;
        }
    }
    let full = full.expect("the player's queue fills up");
    assert!(full["error"].as_str().unwrap().contains("full"), "{full}");
    assert_eq!(ask_raw(&stream, "\"stop\"")["ok"], false, "stop is refused too, not waited for");
    assert_eq!(ask_raw(&stream, "\"status\"")["ok"], true, "the server still answers");

    *gate.0.lock().unwrap() = true;
    gate.1.notify_all();
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Server>();
    send_sync::<blinken::control::ServerBuilder>();
    send_sync::<ServerLimits>();
    send_sync::<ServerError>();
    send_sync::<blinken::control::KeyError>();
}

#[test]
fn keys_come_from_files_and_the_environment() {
    use blinken::control::{KeyError, key_from_env, read_key_file};
    let dir = std::env::temp_dir().join(format!("blinken-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("key");
    let write = |text: &[u8], mode: u32| {
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    write(b"secret\r\n", 0o640);
    assert_eq!(read_key_file(&path).unwrap(), b"secret");
    write(b"two lines\n\n", 0o600);
    assert_eq!(read_key_file(&path).unwrap(), b"two lines\n", "one newline is trimmed");
    write(b"\n", 0o600);
    let empty = read_key_file(&path).unwrap_err();
    assert!(matches!(empty, KeyError::Empty { .. }), "{empty}");
    write(b"secret", 0o604);
    let open = read_key_file(&path).unwrap_err();
    assert!(open.to_string().contains("chmod"), "{open}");
    let missing = read_key_file(&dir.join("nope")).unwrap_err();
    assert!(missing.to_string().contains("nope"), "{missing}");
    assert_eq!(key_from_env("BLINKEN_TEST_KEY_SURELY_UNSET").unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_client_pipelining_thousands_of_requests_gets_every_reply_and_delays_no_one() {
    let (player, server, path) = serve("pipeline", ServerLimits::default());
    let mut greedy = connect(&path, KEY).unwrap();
    let mut wire = Vec::new();
    for _ in 0..5_000 {
        blinken::control::frame::encode(b"\"status\"", &mut wire);
    }
    let writer = {
        let mut writing = greedy.get_ref().try_clone().unwrap();
        std::thread::spawn(move || writing.write_all(&wire).unwrap())
    };
    let mut client = connect(&path, KEY).unwrap();
    let played = id(&ask(&mut client, r#"{"play": "smiley"}"#));
    wait_playing(&player, played);
    for _ in 0..5_000 {
        let reply: Json = serde_json::from_slice(&greedy.recv_bytes().unwrap()).unwrap();
        assert_eq!(reply["ok"], true);
    }
    writer.join().unwrap();
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_player_that_shut_down_gets_error_replies_and_ends_subscriptions() {
    let (player, server, path) = serve("player-gone", ServerLimits::default());
    let mut client = connect(&path, KEY).unwrap();
    let mut subscriber = connect(&path, KEY).unwrap();
    assert_eq!(ask(&mut subscriber, "subscribe"), json!({"ok": true}));
    player.shutdown().unwrap();
    let reply = ask(&mut client, r#"{"play": "smiley"}"#);
    assert!(reply["error"].as_str().unwrap().contains("shut down"), "{reply}");
    loop {
        match subscriber.recv_bytes() {
            Ok(_) => {}
            Err(ControlError::Closed) => break,
            Err(other) => panic!("{other:?}"),
        }
    }
    server.shutdown().unwrap();
}

/// A pickle of 4 KB that decodes to a million values: `[[1] * 1000] * 1000` through
/// the memo, as `pickle` writes a list listed many times.
fn costly_pickle() -> Vec<u8> {
    let mut bytes = b"\x80\x02]q\x00(".to_vec();
    bytes.extend(std::iter::repeat_n(&b"K\x01"[..], 1000).flatten());
    bytes.extend_from_slice(b"e]q\x01(");
    bytes.extend(std::iter::repeat_n(&b"h\x00"[..], 1000).flatten());
    bytes.extend_from_slice(b"e.");
    bytes
}

#[test]
fn a_costly_request_is_decoded_aside_and_delays_no_one() {
    let (player, server, path) = serve("costly", ServerLimits::default());
    let mut costly = connect(&path, KEY).unwrap();
    // The costly pickle, then a status pipelined behind it.
    costly.send_bytes(&costly_pickle()).unwrap();
    costly.send_bytes(b"\"status\"").unwrap();
    let waiting = std::thread::spawn(move || {
        let first = costly.recv_bytes().unwrap();
        let answered = std::time::Instant::now();
        let second = costly.recv_bytes().unwrap();
        (first, second, answered)
    });
    std::thread::sleep(Duration::from_millis(20));
    let mut other = connect(&path, KEY).unwrap();
    let played = id(&ask(&mut other, r#"{"play": "smiley"}"#));
    let other_answered = std::time::Instant::now();
    wait_playing(&player, played);

    let (first, second, costly_answered) = waiting.join().unwrap();
    let classes: [&str; 0] = [];
    let first = decode(&first, &classes, PickleLimits::default()).unwrap();
    assert_eq!(first.get("ok"), Some(&Value::Bool(false)), "{first:?}");
    let Some(Value::Str(error)) = first.get("error") else { panic!("{first:?}") };
    assert!(error.contains("limits"), "{error}");
    let second: Json = serde_json::from_slice(&second).unwrap();
    assert_eq!(second["ok"], true, "replies keep the order of the requests");
    // Not a timing bound: the order of two answers. Decoding a million values takes
    // far longer than a play's round trip, so the play is answered first.
    assert!(other_answered < costly_answered, "the play waited for the costly request");
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

/// An output whose every write fails.
#[derive(Debug)]
struct Failing;

impl Output for Failing {
    type Pixel = RGB8;
    type Error = std::io::Error;
    fn len(&self) -> usize {
        25
    }
    fn write(&mut self, _: blinken::Frame<'_, RGB8>) -> Result<(), Self::Error> {
        Err(std::io::Error::other("the wire is cut"))
    }
}

#[test]
fn status_reports_the_last_error_and_custom_presets_are_listed() {
    use blinken::spec::{Preset, Presets, Spec};
    capture_logs();
    let player = Player::spawn(Failing, SystemClock::new()).unwrap();
    let path = socket("last-error");
    let mut presets = Presets::default();
    let wink = Spec::from_json(r#"{"blink": {"leds": 0, "interval": "10ms"}}"#).unwrap();
    presets.insert(Preset::new("wink", "LED 0 winks", wink));
    let server = Server::builder()
        .unix(&path)
        .key(KEY)
        .layout(Layout::talk())
        .presets(presets)
        .start(player.handle())
        .unwrap();
    let mut client = connect(&path, KEY).unwrap();
    let listed = ask(&mut client, "presets");
    assert_eq!(listed["presets"], json!([{"name": "wink", "description": "LED 0 winks"}]));
    assert_eq!(ask(&mut client, r#"{"play": "smiley"}"#)["ok"], false, "not a preset here");
    assert_eq!(ask(&mut client, r#"{"play": "wink"}"#)["ok"], true);
    let give_up = std::time::Instant::now() + PATIENCE;
    loop {
        let status = ask(&mut client, "status");
        if let Some(error) = status["last_error"].as_str() {
            assert!(error.contains("the wire is cut"), "{status}");
            break;
        }
        assert!(std::time::Instant::now() < give_up, "no error reported: {status}");
        std::thread::sleep(Duration::from_millis(2));
    }
    server.shutdown().unwrap();
    drop(player);
}

#[test]
fn a_builder_never_shows_its_key() {
    let builder = Server::builder().key(b"hunter2".to_vec()).unix("/tmp/x.sock");
    let shown = format!("{builder:?}");
    assert!(!shown.contains("hunter2") && !shown.contains("104, 117"), "{shown}");
    assert!(shown.contains("<7 bytes>"), "{shown}");
}

/// Presets are listed and played only where they fit: on the talk's plain on/off board
/// the six demos, not the colour effects; on a strip of 11 colour LEDs the effects, not
/// the demos. Asked for one that does not fit, the server says why and lists the rest.
#[test]
fn only_presets_that_fit_the_output_are_listed_and_played() {
    fn names(reply: &Json) -> Vec<String> {
        let list = reply["presets"].as_array().unwrap_or_else(|| panic!("{reply}"));
        list.iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
    }
    let board = Player::spawn(Recorder::new(25), SystemClock::new()).unwrap();
    let path = socket("fit-board");
    let server = Server::builder()
        .unix(&path)
        .key(KEY)
        .layout(Layout::talk())
        .start(board.handle())
        .unwrap();
    let mut client = connect(&path, KEY).unwrap();
    let listed = names(&ask(&mut client, "presets"));
    assert_eq!(listed, ["all_demo", "any_demo", "any_on_demo", "my_blink", "cycle", "smiley"]);
    let refused = ask(&mut client, r#"{"play": "rainbow"}"#);
    let error = refused["error"].as_str().unwrap();
    assert!(error.starts_with("the preset \"rainbow\" does not fit this output: "), "{error}");
    assert!(error.contains("colour"), "{error}");
    assert!(
        error.ends_with(
            "the presets that do are: all_demo, any_demo, any_on_demo, cycle, my_blink, smiley"
        ),
        "{error}"
    );
    assert_eq!(ask(&mut client, r#"{"play": "smiley"}"#)["ok"], true);
    server.shutdown().unwrap();
    board.shutdown().unwrap();

    let strip = Player::spawn(Recorder::<RGB8>::with_len(11), SystemClock::new()).unwrap();
    let path = socket("fit-strip");
    let server = Server::builder()
        .unix(&path)
        .key(KEY)
        .layout(Layout::strip(11))
        .start(strip.handle())
        .unwrap();
    let mut client = connect(&path, KEY).unwrap();
    let listed = names(&ask(&mut client, "presets"));
    assert!(listed.contains(&"rainbow".to_owned()) && listed.contains(&"comet".to_owned()));
    assert!(!listed.contains(&"smiley".to_owned()), "{listed:?}");
    let refused = ask(&mut client, r#"{"play": "smiley"}"#);
    let error = refused["error"].as_str().unwrap();
    assert!(error.contains("the talk's 5×5 board"), "{error}");
    assert!(error.contains("a strip of 11 LEDs"), "{error}");
    assert_eq!(ask(&mut client, r#"{"play": "comet"}"#)["ok"], true);
    server.shutdown().unwrap();
    strip.shutdown().unwrap();
}
