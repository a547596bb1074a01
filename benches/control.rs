//! The control server's latency: from a client's request to the first write of the new
//! animation at the output.
//!
//! ```text
//! cargo bench --features control --bench control -- --requests 1000
//! ```
//!
//! A player on the real clock (`SystemClock`) drives a probe output of two plain LEDs
//! that stamps every write (`std::time::Instant`) and passes the stamp and the lit LED
//! to the bench thread. Request `k` plays `{"play": {"on": {"leds": k mod 2}}}`, so
//! every request changes the frame; its latency is the probe's stamp of the first write
//! lighting LED `k mod 2` minus the instant just before the client sent the request
//! (for (b), just before it connected). The reply is read after the write was seen.
//!
//! - **(a) one open connection**: one authenticated TCP connection on loopback, the
//!   requests one after the other (and the same over the Unix socket);
//! - **(b) a new authenticated connection per request**: connect, the `{sha256}`
//!   handshake both ways, the request, close (TCP, and the Unix socket).
//!
//! 50 uncounted warm-up requests come first in each scenario. Then the cost of
//! decoding the largest requests, on the I/O thread and on the decoder thread. Results are printed and
//! written to `$CARGO_TARGET_DIR/blinken-bench/control.json` (`target/blinken-bench/`
//! in the package when `CARGO_TARGET_DIR` is unset).

mod common;

use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant};

use blinken::control::{Connection, Server};
use blinken::{Frame, Output, Player, SystemClock};
use serde_json::json;

use common::{machine, percentile};

const KEY: &[u8] = b"bench key";
const WARM_UP: usize = 50;

/// Two plain LEDs; every write is stamped and sent with the lit LED.
#[derive(Debug)]
struct Probe(SyncSender<(Instant, Option<usize>)>);

impl Output for Probe {
    type Pixel = bool;
    type Error = std::convert::Infallible;
    fn len(&self) -> usize {
        2
    }
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Self::Error> {
        let at = Instant::now();
        let _ = self.0.try_send((at, frame.pixels.iter().position(|&p| p)));
        Ok(())
    }
}

fn request(k: usize) -> Vec<u8> {
    format!(r#"{{"play": {{"on": {{"leds": {}}}}}}}"#, k % 2).into_bytes()
}

/// Waits for the write that lights LED `k mod 2`; its stamp.
fn written(writes: &Receiver<(Instant, Option<usize>)>, k: usize) -> Instant {
    loop {
        let (at, lit) = writes.recv_timeout(Duration::from_secs(5)).expect("the output is written");
        if lit == Some(k % 2) {
            return at;
        }
    }
}

trait Connect {
    type Stream: std::io::Read + std::io::Write;
    fn open(&self) -> Connection<Self::Stream>;
}

impl Connect for SocketAddr {
    type Stream = TcpStream;
    fn open(&self) -> Connection<TcpStream> {
        let stream = TcpStream::connect(self).unwrap();
        stream.set_nodelay(true).unwrap();
        Connection::connect(stream, KEY, 1 << 20).unwrap()
    }
}

impl Connect for PathBuf {
    type Stream = UnixStream;
    fn open(&self) -> Connection<UnixStream> {
        Connection::connect(UnixStream::connect(self).unwrap(), KEY, 1 << 20).unwrap()
    }
}

fn one_connection(
    to: &impl Connect,
    writes: &Receiver<(Instant, Option<usize>)>,
    n: usize,
    k: &mut usize,
) -> Vec<Duration> {
    let mut client = to.open();
    let mut out = Vec::with_capacity(n);
    for i in 0..WARM_UP + n {
        *k += 1;
        let sent = Instant::now();
        client.send_bytes(&request(*k)).unwrap();
        let at = written(writes, *k);
        assert!(client.recv_bytes().unwrap().starts_with(b"{\"id\""));
        if i >= WARM_UP {
            out.push(at - sent);
        }
    }
    out
}

fn new_connections(
    to: &impl Connect,
    writes: &Receiver<(Instant, Option<usize>)>,
    n: usize,
    k: &mut usize,
) -> Vec<Duration> {
    let mut out = Vec::with_capacity(n);
    for i in 0..WARM_UP + n {
        *k += 1;
        let sent = Instant::now();
        let mut client = to.open();
        client.send_bytes(&request(*k)).unwrap();
        let at = written(writes, *k);
        assert!(client.recv_bytes().unwrap().starts_with(b"{\"id\""));
        drop(client);
        if i >= WARM_UP {
            out.push(at - sent);
        }
    }
    out
}

fn us(d: Duration) -> f64 {
    (d.as_nanos() as f64 / 1000.0 * 10.0).round() / 10.0
}

/// What the largest requests cost to decode, in µs (the median of 20): on the I/O
/// thread at most a 64 KiB JSON text or a pickle cut off at 20,000 values (what every
/// other client may wait for); on the decoder thread a 1 MiB JSON text or a pickle of
/// a million values (which only other costly requests wait for).
fn decode_costs() -> Vec<(&'static str, f64)> {
    use blinken::control::{ServerLimits, parse_request};
    let json = |size: usize| {
        let mut json = b"[0".to_vec();
        while json.len() < size - 1 {
            json.extend_from_slice(b",0");
        }
        json.push(b']');
        json
    };
    // `[[1] * 1000] * 1000` through the memo: 4 KB, a million values.
    let mut pickle = b"\x80\x02]q\x00(".to_vec();
    pickle.extend(std::iter::repeat_n(&b"K\x01"[..], 1000).flatten());
    pickle.extend_from_slice(b"e]q\x01(");
    pickle.extend(std::iter::repeat_n(&b"h\x00"[..], 1000).flatten());
    pickle.extend_from_slice(b"e.");
    let time = |message: &[u8], limits: &ServerLimits| {
        let mut samples: Vec<Duration> = (0..20)
            .map(|_| {
                let start = Instant::now();
                let _ = std::hint::black_box(parse_request(message, limits));
                start.elapsed()
            })
            .collect();
        samples.sort();
        us(samples[10])
    };
    let full = ServerLimits::default();
    let mut light = ServerLimits::default();
    light.pickle.max_values = 20_000;
    vec![
        ("io_thread_json_64kib_us", time(&json(64 << 10), &full)),
        ("io_thread_pickle_20k_values_us", time(&pickle, &light)),
        ("decoder_json_1mib_us", time(&json(1 << 20), &full)),
        ("decoder_pickle_1m_values_us", time(&pickle, &full)),
    ]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut n = 1000;
    while let Some(arg) = args.next() {
        if arg == "--requests" {
            n = args.next().and_then(|v| v.parse().ok()).expect("--requests N");
        }
    }
    let (tx, writes) = sync_channel(4096);
    let player = Player::spawn(Probe(tx), SystemClock::new()).unwrap();
    let path = std::env::temp_dir().join(format!("blinken-bench-{}.sock", std::process::id()));
    let server = Server::builder()
        .tcp("127.0.0.1:0".parse().unwrap())
        .unix(&path)
        .key(KEY)
        .start(player.handle())
        .unwrap();
    let tcp = server.tcp_addr().unwrap();
    let mut k = 0;
    let scenarios: Vec<(&str, &str, Vec<Duration>)> = vec![
        ("a_tcp", "(a) one open TCP connection", one_connection(&tcp, &writes, n, &mut k)),
        ("a_unix", "(a) one open Unix connection", one_connection(&path, &writes, n, &mut k)),
        (
            "b_tcp",
            "(b) a new TCP connection per request",
            new_connections(&tcp, &writes, n, &mut k),
        ),
        (
            "b_unix",
            "(b) a new Unix connection per request",
            new_connections(&path, &writes, n, &mut k),
        ),
    ];
    server.shutdown().unwrap();
    player.shutdown().unwrap();
    let decode = decode_costs();

    let machine = machine();
    println!("control server: request -> first write of the new animation, {n} requests each");
    println!("machine: {machine}");
    println!("{:<40} {:>9} {:>9} {:>9} {:>9}", "scenario", "p50 µs", "p99 µs", "max µs", "mean µs");
    let mut results = serde_json::Map::new();
    for (key, name, mut samples) in scenarios {
        samples.sort();
        let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
        let (p50, p99, max) =
            (percentile(&samples, 0.5), percentile(&samples, 0.99), *samples.last().unwrap());
        println!("{name:<40} {:>9} {:>9} {:>9} {:>9}", us(p50), us(p99), us(max), us(mean));
        results.insert(
            key.into(),
            json!({"name": name, "p50_us": us(p50), "p99_us": us(p99), "max_us": us(max),
                   "mean_us": us(mean), "requests": n}),
        );
    }
    println!("decoding (median of 20, µs):");
    for (key, micros) in &decode {
        println!("  {key:<38} {micros:>9}");
        results.insert((*key).into(), json!(micros));
    }
    let targets = json!({"a_p99_us": 500.0, "b_p99_us": 5000.0});
    let report = json!({"machine": machine, "requests": n, "results": results, "targets": targets});
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target")),
            PathBuf::from,
        )
        .join("blinken-bench");
    let file = dir.join("control.json");
    let text = serde_json::to_string_pretty(&report).unwrap();
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, text)) {
        Ok(()) => println!("wrote {}", file.display()),
        Err(e) => eprintln!("could not write {}: {e}", file.display()),
    }
}
