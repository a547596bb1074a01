//! The player thread, driven step by step with a manual clock: exact timelines.

mod common;

use std::convert::Infallible;

use blinken::output::Frame;
use blinken::prelude::*;
use blinken::{Event, ManualClock, ManualControl, PlayError, Player, StopReason};
use common::at_ms;

fn player(len: usize) -> (Player<Recorder>, ManualControl) {
    let (clock, control) = ManualClock::new();
    (Player::spawn(Recorder::new(len), clock).unwrap(), control)
}

fn step(control: &ManualControl, d: Duration) {
    control.advance(d);
    control.settle();
}

#[test]
fn plays_on_the_clock_and_reports_events() {
    let (player, control) = player(2);
    let handle = player.handle();
    let events = handle.events();
    let id = handle.play(blink(0, ms(100)).times(2)).unwrap();
    control.settle();
    step(&control, ms(150));
    step(&control, ms(100));
    step(&control, ms(200));
    assert!(
        matches!(handle.wait(), Some(Event::Finished { id: i, at }) if i == id && at == at_ms(400))
    );
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 #.
        0.150000 ..
        0.250000 #.
        0.450000 ..
        ",
    );
    let seen: Vec<Event> = std::iter::from_fn(|| events.recv()).collect();
    assert!(matches!(seen[0], Event::Started { id: i, at } if i == id && at == Instant::ZERO));
    assert!(matches!(seen[1], Event::Finished { id: i, at } if i == id && at == at_ms(400)));
    assert_eq!(seen.len(), 2);
}

#[test]
fn play_replaces_at_once_in_one_frame() {
    let (player, control) = player(3);
    let handle = player.handle();
    let events = handle.events();
    let first = handle.play(on([0, 1])).unwrap();
    control.settle();
    step(&control, ms(30));
    let second = handle.play(on([1, 2])).unwrap();
    control.settle();
    let recorder = player.shutdown().unwrap();
    // The old `on` goes off and the new one lights in the same write: LED 1 never blinks.
    recorder.assert_timeline(
        "
        0.000000 ##.
        0.030000 .##
        0.030000 ...
        ",
    );
    let stop = std::iter::from_fn(|| events.recv())
        .find(|e| matches!(e, Event::Stopped { id, .. } if *id == first))
        .unwrap();
    assert!(
        matches!(stop, Event::Stopped { at, reason: StopReason::Replaced(by), .. } if at == at_ms(30) && by == second)
    );
}

#[test]
fn an_invalid_play_is_refused_and_the_current_one_keeps_playing() {
    let (player, control) = player(2);
    let handle = player.handle();
    handle.play(blink(0, ms(10))).unwrap();
    control.settle();
    match handle.play(sequence((wait(ms(1)), on(5)))) {
        Err(PlayError::Invalid(err)) => assert_eq!(err.path(), "sequence[1] > on"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    step(&control, ms(10));
    step(&control, ms(10));
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 #.
        0.010000 ..
        0.020000 #.
        0.020000 ..
        ",
    );
}

#[test]
fn stop_and_clear() {
    let (player, control) = player(3);
    let handle = player.handle();
    handle.play(fill(2, true).then(on(0))).unwrap();
    control.settle();
    step(&control, ms(5));
    handle.stop().unwrap();
    control.settle();
    step(&control, ms(5));
    handle.clear().unwrap();
    control.settle();
    let recorder = player.shutdown().unwrap();
    // stop: the `on` goes off, the filled LED stays; clear: everything off.
    recorder.assert_timeline(
        "
        0.000000 #.#
        0.005000 ..#
        0.010000 ...
        ",
    );
}

#[test]
fn a_panicking_animation_is_reported_and_the_player_goes_on() {
    let (player, control) = player(1);
    let handle = player.handle();
    let bomb = from_fn(async |cx: &Cx<bool>, start: Instant| {
        let _off = cx.off_on_drop(0);
        cx.set(0, true);
        cx.sleep_until(start + ms(10)).await;
        panic!("the animation broke");
    });
    let id = handle.play(bomb).unwrap();
    control.settle();
    step(&control, ms(10));
    match handle.wait_for(id) {
        Some(Event::Panicked { message, at, .. }) => {
            assert_eq!(message, "the animation broke");
            assert_eq!(at, at_ms(10));
        }
        other => panic!("expected a panic event, got {other:?}"),
    }
    handle.play(blink(0, ms(10)).times(1)).unwrap();
    control.settle();
    step(&control, ms(10));
    step(&control, ms(10));
    assert!(matches!(handle.wait(), Some(Event::Finished { .. })));
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 #
        0.010000 .
        0.010000 #
        0.020000 .
        ",
    );
}

/// Fails writes while `failing` is set.
#[derive(Debug)]
struct Fragile {
    failing: std::sync::Arc<std::sync::atomic::AtomicBool>,
    writes: Vec<(Instant, Vec<usize>)>,
}

#[derive(Debug, thiserror::Error)]
#[error("device unplugged")]
struct Unplugged;

impl Output for Fragile {
    type Pixel = bool;
    type Error = Unplugged;
    fn len(&self) -> usize {
        2
    }
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Unplugged> {
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(Unplugged);
        }
        self.writes.push((frame.at, frame.changed.to_vec()));
        Ok(())
    }
}

#[test]
fn an_output_error_stops_the_animation_and_later_plays_retry() {
    let failing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (clock, control) = ManualClock::new();
    let output = Fragile { failing: failing.clone(), writes: Vec::new() };
    let player = Player::spawn(output, clock).unwrap();
    let handle = player.handle();
    handle.play(blink(0, ms(10))).unwrap();
    control.settle();
    failing.store(true, std::sync::atomic::Ordering::SeqCst);
    step(&control, ms(10));
    match handle.wait() {
        Some(Event::OutputFailed { at, error, .. }) => {
            assert_eq!(at, at_ms(10));
            assert_eq!(error.to_string(), "device unplugged");
        }
        other => panic!("expected an output error, got {other:?}"),
    }
    failing.store(false, std::sync::atomic::Ordering::SeqCst);
    handle.play(on(1)).unwrap();
    control.settle();
    let output = player.shutdown().unwrap();
    assert_eq!(
        output.writes,
        vec![
            (Instant::ZERO, vec![0, 1]),
            (at_ms(10), vec![0, 1]), // after the failure, the whole frame
            (at_ms(10), vec![1]),    // shutdown: all off
        ]
    );
}

#[test]
fn waits_in_async_code_without_a_runtime() {
    let (player, control) = player(1);
    let handle = player.handle();
    assert!(futures::executor::block_on(handle.wait_async()).is_none(), "nothing played yet");
    let id = handle.play(blink(0, ms(10)).times(3)).unwrap();
    let waiter = {
        let handle = handle.clone();
        std::thread::spawn(move || futures::executor::block_on(handle.wait_async()))
    };
    control.settle();
    step(&control, ms(60));
    let end = waiter.join().unwrap();
    assert!(matches!(end, Some(Event::Finished { id: i, at }) if i == id && at == at_ms(60)));
    drop(player);
    assert!(!handle.is_alive());
    assert!(matches!(handle.play(on(0)), Err(PlayError::Gone)));
}

#[test]
fn events_are_a_stream() {
    use futures::StreamExt;
    let (player, control) = player(1);
    let handle = player.handle();
    let mut events = handle.events();
    handle.play(blink(0, ms(10)).times(1)).unwrap();
    control.settle();
    step(&control, ms(20));
    drop(player);
    let all: Vec<Event> = futures::executor::block_on(async { (&mut events).collect().await });
    assert_eq!(all.len(), 2);
    assert!(matches!(all[1], Event::Finished { .. }));
}

#[test]
fn dropping_the_player_switches_everything_off() {
    struct Last(std::sync::Arc<std::sync::Mutex<Vec<bool>>>);
    impl Output for Last {
        type Pixel = bool;
        type Error = Infallible;
        fn len(&self) -> usize {
            2
        }
        fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Infallible> {
            *self.0.lock().unwrap() = frame.pixels.to_vec();
            Ok(())
        }
    }
    let shown = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(Last(shown.clone()), clock).unwrap();
    player.handle().play(fill(0..2, true)).unwrap();
    control.settle();
    assert_eq!(*shown.lock().unwrap(), vec![true, true]);
    drop(player);
    assert_eq!(*shown.lock().unwrap(), vec![false, false]);
}

#[test]
fn a_panicking_output_ends_the_player_and_nobody_waits_forever() {
    #[derive(Debug)]
    struct Bomb;
    impl Output for Bomb {
        type Pixel = bool;
        type Error = Infallible;
        fn len(&self) -> usize {
            1
        }
        fn write(&mut self, _: Frame<'_, bool>) -> Result<(), Infallible> {
            panic!("the driver chip caught fire");
        }
    }
    let (clock, _control) = ManualClock::new();
    let player = Player::spawn(Bomb, clock).unwrap();
    let handle = player.handle();
    let events = handle.events();
    let id = handle.play(on(0)).unwrap();
    // The first panic is inside the run and is reported as the animation's; the write
    // that follows (switching the dropped animation's LEDs off) panics outside any run
    // and ends the thread: waiters and subscribers must still be released.
    assert!(matches!(handle.wait_for(id), Some(Event::Panicked { .. })));
    match player.shutdown() {
        Err(blinken::ShutdownError::Panicked(message)) => {
            assert_eq!(message, "the driver chip caught fire")
        }
        other => panic!("expected the thread's panic, got {other:?}"),
    }
    assert!(!handle.is_alive());
    assert!(handle.wait().is_some(), "the end of #1 is still known");
    assert!(std::iter::from_fn(|| events.recv()).count() >= 2, "the stream ends");
}
