//! The player thread, driven step by step with a manual clock: exact timelines.

mod common;

use std::convert::Infallible;

use blinken::output::Frame;
use blinken::prelude::*;
use blinken::{
    Event, ManualClock, ManualControl, PlayError, PlayId, Player, StopReason, WaitError,
};
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
        matches!(handle.wait(), Ok(Event::Finished { id: i, at }) if i == id && at == at_ms(400))
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
        Ok(Event::Panicked { message, at, .. }) => {
            assert_eq!(message, "the animation broke");
            assert_eq!(at, at_ms(10));
        }
        other => panic!("expected a panic event, got {other:?}"),
    }
    handle.play(blink(0, ms(10)).times(1)).unwrap();
    control.settle();
    step(&control, ms(10));
    step(&control, ms(10));
    assert!(matches!(handle.wait(), Ok(Event::Finished { .. })));
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
        Ok(Event::OutputFailed { at, error, .. }) => {
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
    assert_eq!(
        futures::executor::block_on(handle.wait_async()).unwrap_err(),
        WaitError::NothingPlayed
    );
    let id = handle.play(blink(0, ms(10)).times(3)).unwrap();
    let waiter = {
        let handle = handle.clone();
        std::thread::spawn(move || futures::executor::block_on(handle.wait_for_async(id)))
    };
    control.settle();
    step(&control, ms(60));
    let end = waiter.join().unwrap();
    assert!(matches!(end, Ok(Event::Finished { id: i, at }) if i == id && at == at_ms(60)));
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
fn a_panicking_output_is_reported_and_the_player_goes_on() {
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
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(Bomb, clock).unwrap();
    let handle = player.handle();
    let events = handle.events();
    let id = handle.play(on(0)).unwrap();
    // The panic of the write is told apart from the animation's, every time.
    match handle.wait_for(id) {
        Ok(Event::OutputFailed { error, .. }) => {
            assert_eq!(error.to_string(), "the output panicked: the driver chip caught fire")
        }
        other => panic!("expected an output failure, got {other:?}"),
    }
    control.settle();
    let second = handle.play(on(0)).unwrap();
    assert!(matches!(handle.wait_for(second), Ok(Event::OutputFailed { .. })));
    control.settle();
    assert!(handle.is_alive(), "the thread survives any number of panicking writes");
    match player.shutdown() {
        Err(blinken::ShutdownError::Output { source, .. }) => {
            assert_eq!(source.to_string(), "the output panicked: the driver chip caught fire")
        }
        other => panic!("expected the last write's panic, got {other:?}"),
    }
    assert!(!handle.is_alive());
    assert!(handle.wait().is_ok(), "the end of the last request is still known");
    assert!(std::iter::from_fn(|| events.recv()).count() >= 4, "the stream ends");
}

// ---- Commands under pressure: nothing is lost, nothing waits for a deadline. ----

fn ends(events: &blinken::Events) -> Vec<Event> {
    std::iter::from_fn(|| events.try_recv()).collect()
}

#[test]
fn back_to_back_plays_are_both_carried_out_in_one_write() {
    let (player, control) = player(2);
    let handle = player.handle();
    let events = handle.events();
    let first = handle.play(on(0)).unwrap();
    let second = handle.play(on(1)).unwrap();
    control.settle();
    // Without advancing the clock: both were seen before the player slept.
    let seen = ends(&events);
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::Stopped { id, reason: StopReason::Replaced(by), .. }
            if *id == first && *by == second)),
        "{seen:?}"
    );
    assert!(seen.iter().any(|e| matches!(e, Event::Started { id, .. } if *id == second)));
    assert_eq!(handle.playing().map(|p| p.id), Some(second));
    let recorder = player.shutdown().unwrap();
    // Whether the first was still being started when the second came or not, the
    // output never shows both, and ends with the second.
    let steps = recorder.steps();
    assert!(steps.iter().all(|s| *s.pixels != [true, true]));
    assert_eq!(&*steps[steps.len() - 2].pixels, &[false, true]);
}

#[test]
fn play_then_stop_back_to_back_leaves_everything_dark() {
    let (player, control) = player(1);
    let handle = player.handle();
    let events = handle.events();
    let id = handle.play(on(0)).unwrap();
    handle.stop().unwrap();
    control.settle();
    assert!(matches!(
        handle.wait_for(id),
        Ok(Event::Stopped { reason: StopReason::Stop, at, .. }) if at == Instant::ZERO
    ));
    assert_eq!(handle.playing(), None);
    assert_eq!(ends(&events).len(), 2);
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false]);
}

#[test]
fn a_queue_of_thousands_is_drained_before_the_next_sleep() {
    let (player, control) = player(2);
    let handle = player.handle();
    let events = handle.events_with_capacity(50_000);
    let mut last = None;
    for k in 0..20_000 {
        last = Some(handle.play(on(k % 2)).unwrap());
    }
    control.settle();
    // No advance of the clock: every request started and all but the last ended.
    let seen = ends(&events);
    assert_eq!(seen.iter().filter(|e| matches!(e, Event::Started { .. })).count(), 20_000);
    assert_eq!(seen.iter().filter(|e| e.is_end()).count(), 19_999);
    assert_eq!(handle.playing().map(|p| p.id), last);
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false, false]);
}

#[test]
fn ids_grow_in_the_order_the_player_takes_requests() {
    let (player, control) = player(1);
    let handle = player.handle();
    let events = handle.events_with_capacity(100_000);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let handle = handle.clone();
            std::thread::spawn(move || {
                (0..2_000).map(|_| handle.play(on(0)).unwrap()).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids: Vec<PlayId> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    control.settle();
    drop(player);
    let started: Vec<PlayId> = std::iter::from_fn(|| events.recv())
        .filter_map(|e| matches!(e, Event::Started { .. }).then(|| e.id().unwrap()))
        .collect();
    assert!(started.windows(2).all(|w| w[0] < w[1]), "started in id order");
    ids.sort();
    assert_eq!(started, ids, "every accepted request started, once");
}

#[test]
fn each_handle_waits_for_its_own_request() {
    let (player, control) = player(2);
    let a = player.handle();
    let b = a.clone();
    assert_eq!(b.wait().unwrap_err(), WaitError::NothingPlayed, "a clone starts afresh");
    let mine = a.play(blink(0, ms(10)).times(1)).unwrap();
    let theirs = b.play(blink(1, ms(10)).times(3)).unwrap();
    control.settle();
    step(&control, ms(60));
    // `a`'s request was replaced by `b`'s; each handle hears about its own.
    assert!(matches!(a.wait(), Ok(Event::Stopped { id, .. }) if id == mine));
    assert!(matches!(b.wait(), Ok(Event::Finished { id, .. }) if id == theirs));
    drop(player);
}

#[test]
fn waiting_from_inside_an_animation_is_refused_not_a_deadlock() {
    let (player, control) = player(1);
    let handle = player.handle();
    let inner = handle.clone();
    let answer = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = answer.clone();
    let id = handle
        .play(from_fn(async move |cx: &Cx<bool>, start: Instant| {
            *seen.lock().unwrap() = Some(inner.wait_for(PlayId::from(1)));
            cx.sleep_until(start + ms(10)).await
        }))
        .unwrap();
    control.settle();
    step(&control, ms(10));
    assert!(matches!(handle.wait_for(id), Ok(Event::Finished { .. })));
    assert!(matches!(*answer.lock().unwrap(), Some(Err(WaitError::OnPlayerThread))));
    drop(player);
}

/// An animation whose value panics when dropped (a user's `Drop`).
struct DropBomb;

impl Animation<bool> for DropBomb {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        cx.sleep_until(start + ms(10)).await
    }

    fn validate(&self, len: usize) -> Result<(), blinken::ValidationError> {
        Animation::<bool>::validate(&on(0), len)
    }
}

impl Drop for DropBomb {
    fn drop(&mut self) {
        panic!("boom in drop");
    }
}

#[test]
fn a_panic_in_an_animation_drop_is_reported_and_the_player_goes_on() {
    let (player, control) = player(1);
    let handle = player.handle();
    let id = handle.play(DropBomb).unwrap();
    control.settle();
    step(&control, ms(10));
    match handle.wait_for(id) {
        Ok(Event::Panicked { message, .. }) => {
            assert_eq!(message, "dropping the animation panicked: boom in drop")
        }
        other => panic!("expected the drop's panic, got {other:?}"),
    }
    // Refused on the caller's thread: the refusal comes back, not the panic.
    let (empty, _control) = {
        let (clock, control) = ManualClock::new();
        (Player::spawn(Recorder::new(0), clock).unwrap(), control)
    };
    assert!(matches!(empty.handle().play(DropBomb), Err(PlayError::Invalid(_))));
    // Replaced before it ends, and skipped at shutdown: guarded too.
    handle.play(DropBomb).unwrap();
    let next = handle.play(on(0)).unwrap();
    control.settle();
    assert!(handle.is_alive());
    assert_eq!(handle.playing().map(|p| p.id), Some(next));
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false]);
}

#[test]
fn a_subscriber_that_does_not_read_is_told_what_it_lost() {
    let (player, control) = player(1);
    let handle = player.handle();
    let events = handle.events_with_capacity(4);
    for _ in 0..10 {
        handle.play(on(0)).unwrap();
    }
    control.settle();
    // 10 starts and 9 ends were published; the 4 newest are kept.
    match events.try_recv() {
        Some(Event::Lagged { missed, .. }) => assert_eq!(missed, 15),
        other => panic!("expected a lag report, got {other:?}"),
    }
    let kept = ends(&events);
    assert_eq!(kept.len(), 4);
    assert!(matches!(kept[3], Event::Started { id, .. } if id == PlayId::from(10)));
    drop(player);
}

/// Fails as many writes as it is told to, then works again.
#[derive(Debug)]
struct Flaky {
    failures: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    shown: std::sync::Arc<std::sync::Mutex<Vec<bool>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("flaky write")]
struct FlakyError;

impl Output for Flaky {
    type Pixel = bool;
    type Error = FlakyError;
    fn len(&self) -> usize {
        1
    }
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), FlakyError> {
        use std::sync::atomic::Ordering::SeqCst;
        if self.failures.fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1)).is_ok() {
            return Err(FlakyError);
        }
        *self.shown.lock().unwrap() = frame.pixels.to_vec();
        Ok(())
    }
}

#[test]
fn a_lost_off_write_is_retried_until_the_led_is_dark() {
    use std::sync::atomic::Ordering::SeqCst;
    let shown = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let failures = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (clock, control) = ManualClock::new();
    let output = Flaky { failures: failures.clone(), shown: shown.clone() };
    let player = Player::spawn(output, clock).unwrap();
    let handle = player.handle();
    let events = handle.events();
    handle.play(on(0)).unwrap();
    control.settle();
    assert_eq!(*shown.lock().unwrap(), vec![true]);
    failures.store(3, SeqCst);
    handle.stop().unwrap(); // "off" fails (and so does the stop's own second try)
    control.settle();
    assert_eq!(*shown.lock().unwrap(), vec![true], "the LED is still lit");
    step(&control, ms(10)); // retry 10 ms later: fails once more
    assert_eq!(*shown.lock().unwrap(), vec![true]);
    step(&control, ms(10)); // the next retry comes 20 ms later, not before
    assert_eq!(*shown.lock().unwrap(), vec![true]);
    step(&control, ms(10));
    assert_eq!(*shown.lock().unwrap(), vec![false], "dark at last");
    let seen = ends(&events);
    assert_eq!(seen.iter().filter(|e| matches!(e, Event::OutputFailed { .. })).count(), 3);
    assert!(
        matches!(seen.last(), Some(Event::OutputRecovered { at }) if *at == at_ms(30)),
        "{seen:?}"
    );
    drop(player);
}

#[test]
fn a_stuck_player_fills_the_queue_and_try_play_says_so() {
    let (player, control) = player(1);
    let handle = player.handle();
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let gate = std::sync::Mutex::new(gate);
    // A badly written animation that blocks its thread in a poll.
    let stuck = handle
        .play(from_fn(async move |cx: &Cx<bool>, start: Instant| {
            let _ = gate.lock().unwrap().recv();
            cx.sleep_until(start + ms(1)).await
        }))
        .unwrap();
    while handle.playing().map(|p| p.id) != Some(stuck) {
        std::thread::yield_now();
    }
    let mut accepted = 0;
    let full = loop {
        match handle.try_play(on(0)) {
            Ok(_) => accepted += 1,
            Err(error) => break error,
        }
        assert!(accepted <= Player::<Recorder>::COMMANDS, "the queue is bounded");
    };
    assert!(matches!(full, PlayError::Full { capacity: 1024 }), "{full}");
    assert_eq!(accepted, Player::<Recorder>::COMMANDS);
    release.send(()).unwrap();
    control.settle();
    assert!(handle.try_play(on(0)).is_ok(), "room again once the player caught up");
    drop(player);
}

#[test]
fn a_virtual_clock_player_refuses_programs_that_never_end() {
    let player = Player::spawn(Recorder::new(1), VirtualClock::new()).unwrap();
    let handle = player.handle();
    let endless = handle.play(blink(0, ms(10))).unwrap();
    match handle.wait_for(endless) {
        Ok(Event::Refused { error, at, .. }) => {
            assert_eq!(at, Instant::ZERO);
            assert!(error.to_string().contains("play it with `run_for`"), "{error}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A finite program plays at once, exactly, on the same player.
    let finite = handle.play(blink(0, ms(10)).times(2)).unwrap();
    assert!(matches!(handle.wait_for(finite), Ok(Event::Finished { at, .. }) if at == at_ms(40)));
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 #
        0.010000 .
        0.020000 #
        0.030000 .
        ",
    );
}
