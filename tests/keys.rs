//! Keys as buttons: the byte decoding and the key-to-edge routing, with byte strings;
//! the reader thread over readers that end, fail, or trickle bytes; a program and a
//! binding driven by keys.

mod common;

use std::io::{self, Read};
use std::sync::mpsc;
use std::time::Duration as StdDuration;

use blinken::input::{
    Binding, Edge, EdgeKind, Input, Key, KeyDecoder, KeyMap, Keys, KeysError, decode_keys,
};
use blinken::prelude::*;
use blinken::{ManualClock, StopReason};
use common::at_ms;

use Key::*;

#[test]
fn printable_bytes_and_controls() {
    assert_eq!(decode_keys(b"ab Q1"), [Char('a'), Char('b'), Char(' '), Char('Q'), Char('1')]);
    assert_eq!(decode_keys(b"\t\x7f\x08"), [Tab, Backspace, Backspace]);
    assert_eq!(decode_keys(b"\x03\x04\x1a\x01"), [Ctrl('c'), Ctrl('d'), Ctrl('z'), Ctrl('a')]);
    // NUL and the other C0 bytes are dropped.
    assert_eq!(decode_keys(b"\x00\x1c\x1d\x1e\x1fx"), [Char('x')]);
}

#[test]
fn enter_in_every_form() {
    // Raw mode sends `\r`, a pipe `\n`, a Windows file `\r\n`: one Enter each.
    assert_eq!(decode_keys(b"\r"), [Enter]);
    assert_eq!(decode_keys(b"\n"), [Enter]);
    assert_eq!(decode_keys(b"\r\n"), [Enter]);
    assert_eq!(decode_keys(b"\r\r\n\n"), [Enter, Enter, Enter]);
    assert_eq!(decode_keys(b"a\nb\r\nc"), [Char('a'), Enter, Char('b'), Enter, Char('c')]);
    // `\r` and `\n` split over two reads are still one Enter.
    let mut decoder = KeyDecoder::new();
    assert_eq!(decoder.feed(b"x\r"), [Char('x'), Enter]);
    assert_eq!(decoder.feed(b"\ny"), [Char('y')]);
}

#[test]
fn arrows_are_keys_and_other_sequences_are_dropped_whole() {
    assert_eq!(decode_keys(b"\x1b[A\x1b[B\x1b[C\x1b[D"), [Up, Down, Right, Left]);
    // Application mode (SS3) and modifiers (Ctrl-Up is `ESC [ 1 ; 5 A`).
    assert_eq!(decode_keys(b"\x1bOA\x1bOD\x1b[1;5A\x1b[1;2C"), [Up, Left, Up, Right]);
    // Function keys, Home/End, Delete, F1 (SS3 P): nothing, and none of their letters.
    assert_eq!(decode_keys(b"\x1b[15~\x1b[H\x1b[F\x1b[3~\x1bOPq"), [Char('q')]);
    // Not an arrow: a parameter other than `1;mods` (a cursor position report).
    assert_eq!(decode_keys(b"\x1b[12;40R"), []);
    // Mouse reports and bracketed paste marks; the pasted text itself is keys.
    assert_eq!(decode_keys(b"\x1b[<0;12;5M\x1b[200~ab\x1b[201~"), [Char('a'), Char('b')]);
}

#[test]
fn escape_alone_alt_and_broken_sequences() {
    assert_eq!(decode_keys(b"\x1b"), [Escape]);
    assert_eq!(decode_keys(b"\x1b\x1b"), [Escape, Escape]);
    // Alt-x: Escape, then x.
    assert_eq!(decode_keys(b"\x1bx"), [Escape, Char('x')]);
    // A CSI cut by a control byte: dropped, and the byte read on its own.
    assert_eq!(decode_keys(b"\x1b[1\x03"), [Ctrl('c')]);
    // A sequence that never ends is given up after 32 bytes, its ESC dropped.
    let mut junk = b"\x1b[".to_vec();
    junk.extend([b'1'; 40]);
    junk.push(b'A');
    let keys = decode_keys(&junk);
    assert!(!keys.contains(&Up), "{keys:?}");
    // The unfinished end of the input is dropped at the flush.
    assert_eq!(decode_keys(b"a\x1b[1;"), [Char('a')]);
}

#[test]
fn sequences_and_characters_split_between_reads() {
    let mut decoder = KeyDecoder::new();
    let mut keys = Vec::new();
    for chunk in [&b"\x1b"[..], b"[", b"1;5", b"B", b"\xc3", b"\xa9", b"\xe2\x82", b"\xac!"] {
        keys.extend(decoder.feed(chunk));
    }
    assert_eq!(keys, [Down, Char('é'), Char('€'), Char('!')]);
    assert!(decoder.flush().is_empty());
    // A lone ESC waits for the next read, which makes it the start of an arrow.
    assert_eq!(decoder.feed(b"\x1b"), []);
    assert_eq!(decoder.feed(b"OC"), [Right]);
}

#[test]
fn invalid_utf8_is_dropped_a_byte_at_a_time() {
    assert_eq!(decode_keys(b"\xffa\xc3(b\x80"), [Char('a'), Char('('), Char('b')]);
    assert_eq!(decode_keys("ñ😀".as_bytes()), [Char('ñ'), Char('😀')]);
    // A cut character at the end is dropped.
    assert_eq!(decode_keys(b"z\xe2\x82"), [Char('z')]);
}

#[test]
fn a_key_is_a_press_and_a_release_at_one_instant() {
    let (b, space) = (Input::new(), Input::new());
    let map = KeyMap::new().bind('b', &b).bind(Enter, &b).bind(' ', &space).bind(' ', &b);
    for (i, key) in decode_keys(b"b\r \x1b[Ax").into_iter().enumerate() {
        assert!(!map.press(key, at_ms(i as u64)));
    }
    let click = |t| [Edge::press(at_ms(t)), Edge::release(at_ms(t))];
    assert_eq!(b.edges(), [click(0), click(1), click(2)].concat());
    assert_eq!(space.edges(), click(2));
    assert!(map.quit().edges().is_empty());
}

#[test]
fn quit_keys() {
    let q = Input::new();
    let map = KeyMap::new().bind('q', &q);
    // `q` quits by default, before any binding of it.
    assert!(map.quits(Char('q')) && map.quits(Ctrl('c')) && map.quits(Ctrl('d')));
    assert!(map.press(Char('q'), at_ms(1)));
    assert!(q.edges().is_empty());
    // Other quit keys: `q` is free; Ctrl-C quits whatever the list says.
    let map = KeyMap::new().quit_keys([Escape]).bind('q', &q);
    assert!(!map.press(Char('q'), at_ms(2)));
    assert_eq!(q.edges(), [Edge::press(at_ms(2)), Edge::release(at_ms(2))]);
    assert!(map.press(Escape, at_ms(3)) && map.press(Ctrl('c'), at_ms(4)));
    assert!(!map.quits(Ctrl('d')));
    assert_eq!(map.quit().edges().len(), 4);
}

#[test]
fn a_reader_presses_the_bound_inputs_and_its_end_quits() {
    let b = Input::new();
    let edges = b.subscribe();
    let map = KeyMap::new().bind('b', &b).time(|| at_ms(7));
    let keys = Keys::from_reader(map, &b"bb\x1b[Ab"[..]).unwrap();
    keys.wait_quit();
    assert!(keys.is_quit() && !keys.is_raw());
    // The end of input pressed the quit input, then closed it: its edges end.
    keys.quit().subscribe().for_each(drop);
    assert!(keys.quit().is_closed());
    assert_eq!(keys.quit().edges(), [Edge::press(at_ms(7)), Edge::release(at_ms(7))]);
    assert!(keys.quit().is_closed());
    let got: Vec<EdgeKind> = edges.take(6).map(|e| e.kind).collect();
    assert_eq!(got, [EdgeKind::Press, EdgeKind::Release].repeat(3));
    assert!(!b.is_closed(), "a bound input may have other sources: it stays open");
}

/// A reader that gives its chunks one by one, as a terminal does, then fails.
struct Chunks(mpsc::Receiver<Vec<u8>>);

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.recv() {
            Ok(chunk) => {
                buf[..chunk.len()].copy_from_slice(&chunk);
                Ok(chunk.len())
            }
            Err(_) => Err(io::Error::other("the terminal went away")),
        }
    }
}

#[test]
fn a_program_waits_for_keys_and_a_failing_reader_quits() {
    let (send, chunks) = mpsc::channel();
    let button = Input::new();
    let keys = Keys::from_reader(KeyMap::new().bind(' ', &button), Chunks(chunks)).unwrap();
    let player = Player::spawn(Recorder::new(1), SystemClock::new()).unwrap();
    let handle = player.handle();
    let events = handle.events();
    let id = handle.play(until(&button, blink(0, ms(5)))).unwrap();
    // Once it plays (a press before its start would not count)...
    let started = events.recv_timeout(StdDuration::from_secs(5)).unwrap();
    assert!(matches!(started, Event::Started { .. }), "{started:?}");
    // (and more than MIN_STEP after its start, where a press is a bounce)...
    std::thread::sleep(StdDuration::from_millis(2));
    // ...half an arrow, then its end and a space: the program ends at the space.
    send.send(b"\x1b[".to_vec()).unwrap();
    send.send(b"A ".to_vec()).unwrap();
    let event = handle.wait_for_timeout(id, StdDuration::from_secs(5)).unwrap();
    assert!(matches!(event, Event::Finished { .. }), "{event:?}");
    assert_eq!(button.edges().len(), 2);
    assert!(!keys.is_quit());
    // The reader fails: as the end of input.
    drop(send);
    keys.wait_quit();
    keys.quit().subscribe().for_each(drop);
    assert!(keys.quit().is_closed());
    player.shutdown().unwrap();
}

#[test]
fn keys_drive_a_binding_with_short_presses_only() {
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(Recorder::new(2), clock).unwrap();
    let events = player.handle().events();
    let button = Input::new();
    let time = control.clone();
    let bound = Binding::new(&button)
        .preset(|| on(0).boxed())
        .preset(|| on(1).boxed())
        .long_press_stops(ms(1)) // a key is never held, even for 1 ms
        .time(move || time.now())
        .spawn(player.handle())
        .unwrap();
    let (send, chunks) = mpsc::channel();
    // The keys' instants on the same manual timeline.
    let time = control.clone();
    let map = KeyMap::new().bind('n', &button).time(move || time.now());
    let keys = Keys::from_reader(map, Chunks(chunks)).unwrap();
    for (i, t) in [0, 100].into_iter().enumerate() {
        control.advance(ms(t) - (control.now() - Instant::ZERO));
        control.settle();
        send.send(b"n".to_vec()).unwrap();
        match events.recv_timeout(StdDuration::from_secs(5)).unwrap() {
            Event::Started { .. } => {}
            Event::Stopped { reason: StopReason::Replaced(_), .. } if i == 1 => {
                let next = events.recv_timeout(StdDuration::from_secs(5)).unwrap();
                assert!(matches!(next, Event::Started { .. }), "{next:?}");
            }
            other => panic!("expected Started, got {other:?}"),
        }
    }
    drop(send);
    keys.wait_quit();
    button.close();
    bound.join().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn keys_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Keys>();
    send_sync::<KeyMap>();
    send_sync::<KeyDecoder>();
    send_sync::<KeysError>();
}

#[test]
fn keys_errors_say_what_to_do() {
    let err = KeysError::RawMode { source: io::Error::other("not a tty") };
    assert_eq!(
        err.to_string(),
        "could not put the terminal on standard input in raw mode, which single keys need; \
         run with standard input from a pipe or a file to read its bytes as keys instead"
    );
    assert!(std::error::Error::source(&err).is_some());
}

// ---- A real terminal: raw mode, one reader, Ctrl-C as a key, the terminal restored.

/// Set in the child this test starts on a pseudo-terminal.
#[cfg(any(target_os = "linux", target_os = "android"))]
const PTY_CHILD: &str = "BLINKEN_KEYS_PTY_CHILD";

/// `Keys::new` on a terminal, end to end: the test runs itself again as a child whose
/// standard input and output are a pseudo-terminal, types keys into it, and checks
/// what the child reports and the terminal's settings after it is gone: raw mode while
/// reading (a second reader refused with `InUse`), a key pressing its input, Ctrl-C a
/// key and not a signal, and the settings restored on drop and after a panic.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn keys_in_a_real_terminal() {
    if std::env::var_os(PTY_CHILD).is_some() {
        return pty::child();
    }
    pty::parent();
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod pty {
    use std::fs::File;
    use std::io::{BufRead, BufReader, Write};
    use std::process::Command;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use blinken::input::{Input, KeyMap, Keys, KeysError};
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use rustix::termios::{LocalModes, Termios, tcgetattr};

    const PATIENCE: Duration = Duration::from_secs(20);

    /// Polls `done` until it is true, for at most [`PATIENCE`].
    fn until(what: &str, mut done: impl FnMut() -> bool) {
        let give_up = Instant::now() + PATIENCE;
        while !done() {
            assert!(Instant::now() < give_up, "child: gave up waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn is_raw(settings: &Termios) -> bool {
        !settings.local_modes.intersects(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG)
    }

    /// The child: standard input is the terminal.
    pub(super) fn child() {
        let button = Input::new();
        let keys = Keys::new(KeyMap::new().bind('n', &button)).expect("keys on a terminal");
        assert!(is_raw(&tcgetattr(std::io::stdin()).unwrap()), "raw mode while reading");
        assert!(matches!(Keys::new(KeyMap::new()), Err(KeysError::InUse)), "one reader");
        println!("child: raw");
        until("the key n", || !button.edges().is_empty());
        println!("child: pressed");
        until("Ctrl-C", || keys.is_quit());
        println!("child: quit");
        drop(keys);
        assert!(!is_raw(&tcgetattr(std::io::stdin()).unwrap()), "restored on drop");
        println!("child: restored");
        // Raw again, then a panic: the terminal is given back before the message.
        let mut again = None;
        until("the reader of the first Keys to end", || {
            again = Keys::new(KeyMap::new()).ok();
            again.is_some()
        });
        assert!(is_raw(&tcgetattr(std::io::stdin()).unwrap()));
        println!("child: raw again");
        panic!("child: a panic while the terminal is raw");
    }

    /// The parent: a pseudo-terminal, the child on it, keys typed when it asks.
    pub(super) fn parent() {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = File::options().read(true).write(true).open(name.to_str().unwrap()).unwrap();
        let original = tcgetattr(&slave).unwrap();
        assert!(!is_raw(&original), "a new terminal is cooked");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "keys_in_a_real_terminal", "--nocapture", "--test-threads", "1"])
            .env(super::PTY_CHILD, "1")
            .env("RUST_BACKTRACE", "0")
            .stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave.try_clone().unwrap())
            .spawn()
            .unwrap();
        // The child's output, line by line, from the master side.
        let mut typing = File::from(master);
        let reading = typing.try_clone().unwrap();
        let (lines, seen) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(reading).lines() {
                let Ok(line) = line else { break };
                if lines.send(line.trim_end().to_owned()).is_err() {
                    break;
                }
            }
        });
        let mut transcript = Vec::new();
        let mut wait_for = |wanted: &str| loop {
            match seen.recv_timeout(PATIENCE) {
                Ok(line) if line.contains(wanted) => {
                    transcript.push(line);
                    return transcript.clone();
                }
                Ok(line) => transcript.push(line),
                Err(_) => panic!("no {wanted:?} from the child; it said: {transcript:#?}"),
            }
        };
        wait_for("child: raw");
        typing.write_all(b"n").unwrap();
        wait_for("child: pressed");
        typing.write_all(b"\x03").unwrap(); // Ctrl-C: a key in raw mode, not SIGINT
        wait_for("child: restored");
        wait_for("child: raw again");
        let said = wait_for("a panic while the terminal is raw");
        let give_up = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > give_up {
                let _ = child.kill();
                panic!("the child did not end; it said: {said:#?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        // The child's test failed (the panic), it was not killed by a signal.
        assert_eq!(status.code(), Some(101), "{status}; it said: {said:#?}");
        let after = tcgetattr(&slave).unwrap();
        assert_eq!(after.local_modes, original.local_modes, "the terminal is restored");
        assert_eq!(after.input_modes, original.input_modes, "the terminal is restored");
    }
}
