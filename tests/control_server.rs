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
fn wait_playing(player: &Player<Recorder<RGB8>>, id: PlayId) {
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
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_thousand_idle_clients_and_a_slow_one_do_not_delay_a_play() {
    let (player, server, path) = serve("crowd", ServerLimits::default());
    let idle: Vec<UnixStream> = (0..1000).map(|_| UnixStream::connect(&path).unwrap()).collect();
    let slow_path = path.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let slow_stop = std::sync::Arc::clone(&stop);
    let slow = std::thread::spawn(move || {
        let mut slow = connect(&slow_path, KEY).unwrap().into_inner();
        let mut wire = vec![0, 0, 0, 19];
        wire.extend_from_slice(br#"{"play": "smiley"}"#);
        for byte in wire {
            if slow_stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            slow.write_all(&[byte]).unwrap();
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    let mut client = connect(&path, KEY).unwrap();
    let played = id(&ask(&mut client, r#"{"play": {"blink": {"leds": 3, "interval": "20ms"}}}"#));
    wait_playing(&player, played);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    slow.join().unwrap();
    drop(idle);
    server.shutdown().unwrap();
    player.shutdown().unwrap();
}
