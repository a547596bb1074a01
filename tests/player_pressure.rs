//! The player on the real clock under bursts of commands from many threads: no command
//! is lost, every accepted request gets its events, `shutdown` always returns.
//!
//! These tests never assert how long anything took (the machine is shared); the
//! timeouts below only turn a lost command into a failure instead of a hang.

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use blinken::prelude::*;
use blinken::{Event, PlayError, PlayId, StopReason};

/// Far longer than anything here takes; a safety net, not a timing assertion.
const LOST: StdDuration = StdDuration::from_secs(30);

fn system_player(len: usize) -> Player<Recorder> {
    Player::spawn(Recorder::new(len), SystemClock::new()).unwrap()
}

#[test]
fn back_to_back_commands_on_the_real_clock_are_never_lost() {
    let player = system_player(2);
    let handle = player.handle();
    for _ in 0..200 {
        let first = handle.play(on(0)).unwrap();
        let second = handle.play(on(1)).unwrap();
        match handle.wait_for_timeout(first, LOST) {
            Ok(Event::Stopped { reason: StopReason::Replaced(by), .. }) => assert_eq!(by, second),
            other => panic!("the second play was lost: {other:?}"),
        }
        handle.stop().unwrap();
        match handle.wait_for_timeout(second, LOST) {
            Ok(Event::Stopped { reason: StopReason::Stop, .. }) => {}
            other => panic!("the stop was lost: {other:?}"),
        }
    }
    let recorder = player.shutdown().unwrap();
    assert!(recorder.steps().iter().all(|s| *s.pixels != [true, true]));
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false, false]);
}

/// Every accepted id: its start (if any) and its ends, from a subscriber that kept all.
fn fates(events: &blinken::Events) -> HashMap<PlayId, (usize, usize)> {
    let mut fates: HashMap<PlayId, (usize, usize)> = HashMap::new();
    for event in std::iter::from_fn(|| events.recv()) {
        assert!(!matches!(event, Event::Lagged { .. }), "the test's subscriber kept up");
        let Some(id) = event.id() else { continue };
        let fate = fates.entry(id).or_default();
        match event {
            Event::Started { .. } => fate.0 += 1,
            _ if event.is_end() => fate.1 += 1,
            _ => {}
        }
    }
    fates
}

#[test]
fn bursts_from_many_threads_while_playing_then_shutdown() {
    let player = system_player(4);
    let handle = player.handle();
    let events = handle.events_with_capacity(1 << 20);
    let first = handle.play(blink(0..4, ms(1))).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let handle = handle.clone();
            std::thread::spawn(move || {
                let mut accepted = Vec::new();
                for k in 0..5_000 {
                    match k % 5 {
                        3 => handle.stop().unwrap(),
                        4 if t == 0 => handle.clear().unwrap(),
                        _ => accepted.push(handle.play(blink(t, ms(1)).times(2)).unwrap()),
                    }
                }
                accepted
            })
        })
        .collect();
    let accepted: Vec<PlayId> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let last = handle.play(on(3)).unwrap();
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false; 4]);
    let fates = fates(&events);
    for id in accepted.iter().chain([&last, &first]) {
        assert_eq!(fates.get(id), Some(&(1, 1)), "request {id}: one start and one end");
    }
    assert_eq!(fates.len(), accepted.len() + 2);
}

#[test]
fn plays_racing_a_shutdown_are_answered_or_refused_never_dropped() {
    let player = system_player(1);
    let handle = player.handle();
    let events = handle.events_with_capacity(1 << 22);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let handle = handle.clone();
            std::thread::spawn(move || {
                let mut accepted = Vec::new();
                // Bounded, so that a player that never shuts down fails the test
                // instead of exhausting memory.
                for _ in 0..200_000 {
                    match handle.play(on(0)) {
                        Ok(id) => accepted.push(id),
                        Err(PlayError::Gone) => return (accepted, true),
                        Err(other) => panic!("unexpected refusal: {other}"),
                    }
                }
                (accepted, false)
            })
        })
        .collect();
    std::thread::sleep(StdDuration::from_millis(20));
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false]);
    let mut accepted = Vec::new();
    for thread in threads {
        let (ids, refused) = thread.join().unwrap();
        assert!(refused, "after the shutdown every play is refused");
        accepted.extend(ids);
    }
    let fates = fates(&events);
    for id in &accepted {
        let (starts, ends) = fates.get(id).copied().unwrap_or_default();
        assert_eq!(ends, 1, "request {id} got no end (started {starts} times)");
        assert!(starts <= 1);
    }
    assert_eq!(fates.len(), accepted.len(), "no event for a refused request");
}
