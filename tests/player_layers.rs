//! The player's overlays, crossfades and refresh, on a manual clock: exact timelines.

mod common;

use std::collections::HashMap;

use blinken::output::adapter::{Brightness, BrightnessHandle};
use blinken::prelude::*;
use blinken::{Events, ManualClock, ManualControl, PlayError, PlayId, StopReason};
use common::at_ms;

const RED: RGB8 = RGB8::new(255, 0, 0);
const BLUE: RGB8 = RGB8::new(0, 0, 255);
const GREEN: RGB8 = RGB8::new(0, 255, 0);
const BLACK: RGB8 = RGB8::new(0, 0, 0);

fn player(len: usize) -> (Player<Recorder>, ManualControl) {
    let (clock, control) = ManualClock::new();
    (Player::spawn(Recorder::new(len), clock).unwrap(), control)
}

fn colour_player(len: usize) -> (Player<Recorder<RGB8>>, ManualControl) {
    let (clock, control) = ManualClock::new();
    (Player::spawn(Recorder::<RGB8>::with_len(len), clock).unwrap(), control)
}

/// Moves the clock to `to_ms` in steps of `every_ms`, letting the player catch up
/// after each.
fn walk_to(control: &ManualControl, every_ms: u64, to_ms: u64) {
    while control.now() < at_ms(to_ms) {
        control.advance(ms(every_ms));
        control.settle();
    }
}

fn drain(events: &Events) -> Vec<Event> {
    std::iter::from_fn(|| events.try_recv()).collect()
}

/// The recorded frames as `(ms, pixels)`.
fn frames<P: Pixel>(recorder: &Recorder<P>) -> Vec<(u64, Vec<P>)> {
    recorder
        .steps()
        .iter()
        .map(|s| ((s.at - Instant::ZERO).as_millis() as u64, s.pixels.to_vec()))
        .collect()
}

#[test]
fn an_overlay_over_a_blink_leaves_the_blink_as_if_untouched() {
    let base = || blink(0..3, ms(100)).times(5);
    // The blink alone, on the same schedule of clock steps.
    let (alone, control) = player(3);
    alone.handle().play(base()).unwrap();
    control.settle();
    walk_to(&control, 50, 1100);
    let alone = frames(&alone.shutdown().unwrap());

    let (player, control) = player(3);
    let handle = player.handle();
    let events = handle.events();
    let id = handle.play(base()).unwrap();
    control.settle();
    walk_to(&control, 50, 150);
    let top = handle.overlay(on(2).timeout(ms(200))).unwrap();
    control.settle();
    assert_eq!(handle.overlay_playing().map(|p| (p.id, p.since)), Some((top, at_ms(150))));
    assert_eq!(handle.playing().map(|p| (p.id, p.since)), Some((id, Instant::ZERO)));
    walk_to(&control, 50, 1100);
    assert_eq!(handle.overlay_playing(), None);
    assert_eq!(handle.playing(), None);
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 ###
        0.100000 ...
        0.150000 ..#
        0.200000 ###
        0.300000 ..#
        0.350000 ...
        0.400000 ###
        0.500000 ...
        0.600000 ###
        0.700000 ...
        0.800000 ###
        0.900000 ...
        ",
    );
    // From the overlay's end on, exactly what the blink alone showed.
    let after = |f: &Vec<(u64, Vec<bool>)>| {
        f.iter().filter(|(t, _)| *t >= 350).cloned().collect::<Vec<_>>()
    };
    let with_overlay = frames(&recorder);
    assert_eq!(after(&with_overlay)[1..], after(&alone)[..], "the blink's own frames");
    let seen = drain(&events);
    assert!(matches!(seen[0], Event::Started { id: i, at } if i == id && at == Instant::ZERO));
    assert!(matches!(seen[1], Event::OverlayStarted { id: i, at } if i == top && at == at_ms(150)));
    assert!(matches!(seen[2], Event::Finished { id: i, at } if i == top && at == at_ms(350)));
    assert!(matches!(seen[3], Event::Finished { id: i, at } if i == id && at == at_ms(1000)));
    assert_eq!(seen.len(), 4, "{seen:?}");
}

#[test]
fn an_overlay_over_nothing_plays_over_dark_and_ends_the_run() {
    let (player, control) = player(2);
    let handle = player.handle();
    let events = handle.events();
    let id = handle.overlay(blink(1, ms(10)).times(2)).unwrap();
    control.settle();
    assert_eq!(handle.playing(), None, "no base");
    assert_eq!(handle.overlay_playing().map(|p| p.id), Some(id));
    walk_to(&control, 10, 50);
    assert!(
        matches!(handle.wait(), Ok(Event::Finished { id: i, at }) if i == id && at == at_ms(40))
    );
    assert_eq!(handle.overlay_playing(), None);
    // The run is over: a play starts afresh.
    let next = handle.play(on(0)).unwrap();
    control.settle();
    assert_eq!(handle.playing().map(|p| (p.id, p.since)), Some((next, at_ms(50))));
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 .#
        0.010000 ..
        0.020000 .#
        0.030000 ..
        0.050000 #.
        0.050000 ..
        ",
    );
    let seen = drain(&events);
    assert!(
        matches!(seen[0], Event::OverlayStarted { id: i, at } if i == id && at == Instant::ZERO)
    );
    assert!(matches!(seen[1], Event::Finished { id: i, .. } if i == id));
}

#[test]
fn a_newer_overlay_replaces_the_older_and_stop_overlay_ends_it() {
    let (player, control) = player(3);
    let handle = player.handle();
    let events = handle.events();
    let base = handle.play(on(0)).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    let first = handle.overlay(on(1)).unwrap();
    control.settle();
    walk_to(&control, 10, 20);
    let second = handle.overlay(on(2)).unwrap();
    control.settle();
    assert_eq!(handle.overlay_playing().map(|p| p.id), Some(second));
    walk_to(&control, 10, 30);
    handle.stop_overlay().unwrap();
    control.settle();
    assert_eq!(handle.overlay_playing(), None);
    // No overlay: a no-op, also when nothing plays at all.
    handle.stop_overlay().unwrap();
    control.settle();
    assert_eq!(handle.playing().map(|p| p.id), Some(base));
    walk_to(&control, 10, 40);
    handle.stop().unwrap();
    handle.stop_overlay().unwrap();
    control.settle();
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 #..
        0.010000 ##.
        0.020000 #.#
        0.030000 #..
        0.040000 ...
        ",
    );
    let seen = drain(&events);
    let end = |id: PlayId| seen.iter().find(|e| e.is_end() && e.id() == Some(id)).unwrap();
    assert!(matches!(end(first), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(20) && *by == second));
    assert!(matches!(end(second), Event::Stopped { at, reason: StopReason::Stop, .. }
        if *at == at_ms(30)));
    assert!(matches!(end(base), Event::Stopped { at, reason: StopReason::Stop, .. }
        if *at == at_ms(40)));
    assert_eq!(seen.len(), 6, "{seen:?}");
}

#[test]
fn a_play_during_an_overlay_replaces_both_in_one_write() {
    let (player, control) = player(3);
    let handle = player.handle();
    let events = handle.events();
    let base = handle.play(on(0)).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    let top = handle.overlay(on(1)).unwrap();
    control.settle();
    walk_to(&control, 10, 20);
    let next = handle.play(on(2)).unwrap();
    control.settle();
    assert_eq!(handle.overlay_playing(), None);
    assert_eq!(handle.playing().map(|p| p.id), Some(next));
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 #..
        0.010000 ##.
        0.020000 ..#
        0.020000 ...
        ",
    );
    let seen = drain(&events);
    for id in [base, top] {
        let end = seen.iter().find(|e| e.is_end() && e.id() == Some(id)).unwrap();
        assert!(
            matches!(end, Event::Stopped { at, reason: StopReason::Replaced(by), .. }
            if *at == at_ms(20) && *by == next),
            "{end:?}"
        );
    }
}

#[test]
fn a_crossfade_mid_blink_blends_the_running_blink_into_the_next_program() {
    let (player, control) = colour_player(2);
    let handle = player.handle();
    let events = handle.events();
    let old = handle.play(blink(0, ms(100)).color(RED)).unwrap();
    control.settle();
    walk_to(&control, 10, 150);
    let new = handle.crossfade(on(0..2).color(BLUE), ms(100), Curve::Linear).unwrap();
    control.settle();
    assert_eq!(handle.playing().map(|p| (p.id, p.since)), Some((new, at_ms(150))));
    walk_to(&control, 10, 320);
    let seen = drain(&events);
    let recorder = player.shutdown().unwrap();
    let rgb = |r, b| RGB8::new(r, 0, b);
    assert_eq!(
        frames(&recorder),
        [
            (0, vec![RED, BLACK]),
            (100, vec![BLACK, BLACK]),
            // 150: the share of blue is 0, nothing changes. The blink, still running
            // underneath, lights LED 0 again at 200.
            (170, vec![rgb(0, 51), rgb(0, 51)]),
            (190, vec![rgb(0, 102), rgb(0, 102)]),
            (200, vec![rgb(153, 102), rgb(0, 102)]),
            (210, vec![rgb(102, 153), rgb(0, 153)]),
            (230, vec![rgb(51, 204), rgb(0, 204)]),
            (250, vec![BLUE, BLUE]),
            (320, vec![BLACK, BLACK]),
        ]
    );
    assert!(matches!(seen[0], Event::Started { id, .. } if id == old));
    assert!(matches!(seen[1], Event::Started { id, at } if id == new && at == at_ms(150)));
    assert!(matches!(seen[2], Event::Stopped { id, at, reason: StopReason::Replaced(by) }
        if id == old && at == at_ms(250) && by == new));
    assert_eq!(seen.len(), 3, "{seen:?}");
}

#[test]
fn a_crossfade_over_nothing_fades_in_from_dark() {
    let (player, control) = colour_player(1);
    let handle = player.handle();
    let id = handle.crossfade(on(0).color(BLUE), ms(100), Curve::Linear).unwrap();
    control.settle();
    assert_eq!(handle.playing().map(|p| p.id), Some(id));
    walk_to(&control, 20, 120);
    let recorder = player.shutdown().unwrap();
    let blues: Vec<(u64, u8)> = frames(&recorder).into_iter().map(|(t, p)| (t, p[0].b)).collect();
    assert_eq!(blues, [(0, 0), (20, 51), (40, 102), (60, 153), (80, 204), (100, 255), (120, 0)]);
}

#[test]
fn an_eased_crossfade_follows_its_curve() {
    let (player, control) = colour_player(1);
    let handle = player.handle();
    handle.play(on(0).color(RED)).unwrap();
    control.settle();
    handle.crossfade(on(0).color(BLUE), ms(80), Curve::EaseInOut).unwrap();
    control.settle();
    walk_to(&control, 20, 80);
    let recorder = player.shutdown().unwrap();
    let reds: Vec<u8> = recorder.steps().iter().map(|s| s.pixels[0].r).collect();
    // t' = 0, 0.15625, 0.5, 0.84375, 1; then the shutdown.
    assert_eq!(reds, [255, 215, 128, 40, 0, 0]);
}

#[test]
fn a_crossfade_during_a_crossfade_fades_on_from_the_fade_under_way() {
    let (player, control) = colour_player(1);
    let handle = player.handle();
    let events = handle.events();
    let a = handle.play(on(0).color(RED)).unwrap();
    control.settle();
    walk_to(&control, 20, 100);
    let b = handle.crossfade(on(0).color(BLUE), ms(100), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 20, 140);
    // The red-to-blue fade (at 40 %) goes on as the "from" side of the fade to green.
    let c = handle.crossfade(on(0).color(GREEN), ms(100), Curve::Linear).unwrap();
    control.settle();
    assert_eq!(handle.playing().map(|p| p.id), Some(c));
    walk_to(&control, 20, 260);
    let seen = drain(&events);
    let recorder = player.shutdown().unwrap();
    let px: Vec<(u64, RGB8)> = frames(&recorder).into_iter().map(|(t, p)| (t, p[0])).collect();
    assert_eq!(
        px,
        [
            (0, RED),
            (120, RGB8::new(204, 0, 51)),
            (140, RGB8::new(153, 0, 102)), // no jump when green arrives: its share is 0
            (160, RGB8::new(82, 51, 122)), // 20 % of green over 60 % of blue over red
            (180, RGB8::new(31, 102, 122)),
            (200, RGB8::new(0, 153, 102)), // red is gone
            (220, RGB8::new(0, 204, 51)),
            (240, GREEN),
            (260, BLACK),
        ]
    );
    let end = |id: PlayId| seen.iter().find(|e| e.is_end() && e.id() == Some(id)).unwrap();
    assert!(matches!(end(a), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(200) && *by == b));
    assert!(matches!(end(b), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(240) && *by == c));
    assert_eq!(seen.len(), 5, "{seen:?}");
}

#[test]
fn a_third_crossfade_during_two_fades_cuts_the_oldest() {
    let (player, control) = colour_player(1);
    let handle = player.handle();
    let events = handle.events();
    let a = handle.play(on(0).color(RED)).unwrap();
    control.settle();
    walk_to(&control, 20, 100);
    let b = handle.crossfade(on(0).color(BLUE), ms(100), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 20, 140);
    let c = handle.crossfade(on(0).color(GREEN), ms(100), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 20, 160);
    let d = handle.crossfade(on(0).color(RED), ms(100), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 20, 300);
    let seen = drain(&events);
    let recorder = player.shutdown().unwrap();
    let px: Vec<(u64, RGB8)> = frames(&recorder).into_iter().map(|(t, p)| (t, p[0])).collect();
    // At 160 ms red is cut (it made 40 % × 80 % of the light); the blue-to-green fade
    // goes on under the fade to red.
    assert_eq!(px[3], (160, RGB8::new(82, 51, 122)));
    assert_eq!(px[4], (160, RGB8::new(0, 51, 204)));
    assert_eq!(px[5], (180, RGB8::new(51, 82, 122))); // 20 % red over 40 % green over blue
    assert_eq!(px[px.len() - 2], (260, RED));
    let end = |id: PlayId| seen.iter().find(|e| e.is_end() && e.id() == Some(id)).unwrap();
    assert!(matches!(end(a), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(160) && *by == b));
    assert!(matches!(end(b), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(240) && *by == c));
    assert!(matches!(end(c), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(260) && *by == d));
    assert_eq!(seen.len(), 7, "{seen:?}"); // four starts, three ends: `d` plays on
}

#[test]
fn a_zero_duration_crossfade_swaps_like_play_and_keeps_the_overlay() {
    let (player, control) = player(3);
    let handle = player.handle();
    let events = handle.events();
    let base = handle.play(fill(1, true).then(on(0))).unwrap();
    control.settle();
    let top = handle.overlay(on(2).timeout(ms(30))).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    let next = handle.crossfade(blink(0, ms(10)).times(1), Duration::ZERO, Curve::Linear).unwrap();
    control.settle();
    assert_eq!(handle.overlay_playing().map(|p| p.id), Some(top));
    assert_eq!(handle.playing().map(|p| p.id), Some(next));
    walk_to(&control, 10, 40);
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 ##.
        0.000000 ###
        0.020000 .##
        0.030000 .#.
        0.040000 ...
        ",
    );
    let seen = drain(&events);
    let end = |id: PlayId| seen.iter().find(|e| e.is_end() && e.id() == Some(id)).unwrap();
    assert!(matches!(end(base), Event::Stopped { at, reason: StopReason::Replaced(by), .. }
        if *at == at_ms(10) && *by == next));
    assert!(matches!(end(next), Event::Finished { at, .. } if *at == at_ms(30)));
    assert!(matches!(end(top), Event::Finished { at, .. } if *at == at_ms(30)));
}

#[test]
fn refresh_writes_the_frame_again_playing_or_idle() {
    let level = BrightnessHandle::new(255);
    let output = Brightness::with_handle(Recorder::<RGB8>::with_len(2), level.clone());
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(output, clock).unwrap();
    let handle = player.handle();
    let colour = RGB8::new(200, 100, 0);
    // Playing: a still frame of an endless program.
    handle.play(on(0).color(colour)).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    level.set(127);
    control.settle();
    walk_to(&control, 10, 20);
    handle.refresh().unwrap();
    control.settle();
    // Idle: the last frame, left lit by a finished `fill`.
    handle.play(fill(1, colour)).unwrap();
    control.settle();
    walk_to(&control, 10, 30);
    level.set(255);
    handle.refresh().unwrap();
    control.settle();
    // Nothing changed at all: the same frame, written again.
    handle.refresh().unwrap();
    control.settle();
    let recorder = player.shutdown().unwrap().into_inner();
    let half = RGB8::new(100, 50, 0);
    assert_eq!(
        frames(&recorder),
        [
            (0, vec![colour, BLACK]),
            (20, vec![half, BLACK]),
            (20, vec![BLACK, half]),
            (30, vec![BLACK, colour]),
            (30, vec![BLACK, colour]),
            (30, vec![BLACK, BLACK]),
        ]
    );
}

#[test]
fn a_panic_in_the_overlay_ends_only_the_overlay() {
    let (player, control) = player(2);
    let handle = player.handle();
    let base = handle.play(blink(0, ms(20))).unwrap();
    control.settle();
    let bomb = from_fn(async |cx: &Cx<bool>, start: Instant| {
        let _off = cx.off_on_drop(1);
        cx.set(1, true);
        cx.sleep_until(start + ms(10)).await;
        panic!("the notification broke");
    });
    let top = handle.overlay(bomb).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    match handle.wait_for(top) {
        Ok(Event::Panicked { message, at, .. }) => {
            assert_eq!(message, "the notification broke");
            assert_eq!(at, at_ms(10));
        }
        other => panic!("expected the overlay's panic, got {other:?}"),
    }
    assert_eq!(handle.overlay_playing(), None);
    assert_eq!(handle.playing().map(|p| p.id), Some(base));
    walk_to(&control, 10, 40);
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 #.
        0.000000 ##
        0.010000 #.
        0.020000 ..
        0.040000 #.
        0.040000 ..
        ",
    );
}

#[test]
fn a_panic_in_the_base_leaves_the_overlay_playing_until_it_ends() {
    let (player, control) = player(2);
    let handle = player.handle();
    let bomb = from_fn(async |cx: &Cx<bool>, start: Instant| {
        let _off = cx.off_on_drop(0);
        cx.set(0, true);
        cx.sleep_until(start + ms(10)).await;
        panic!("the program broke");
    });
    let base = handle.play(bomb).unwrap();
    control.settle();
    let top = handle.overlay(blink(1, ms(10)).times(2)).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    assert!(matches!(handle.wait_for(base), Ok(Event::Panicked { at, .. }) if at == at_ms(10)));
    assert_eq!(handle.playing(), None);
    assert_eq!(handle.overlay_playing().map(|p| p.id), Some(top));
    walk_to(&control, 10, 50);
    assert!(matches!(handle.wait_for(top), Ok(Event::Finished { at, .. }) if at == at_ms(40)));
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 #.
        0.000000 ##
        0.010000 ..
        0.020000 .#
        0.030000 ..
        ",
    );
}

#[test]
fn a_finished_base_leaves_the_overlay_playing_over_what_it_left() {
    let (player, control) = player(3);
    let handle = player.handle();
    let base = handle.play(fill(2, true).then(blink(0, ms(10)).times(1))).unwrap();
    control.settle();
    let top = handle.overlay(blink(1, ms(10)).times(3)).unwrap();
    control.settle();
    walk_to(&control, 10, 70);
    assert!(matches!(handle.wait_for(base), Ok(Event::Finished { at, .. }) if at == at_ms(20)));
    assert!(matches!(handle.wait_for(top), Ok(Event::Finished { at, .. }) if at == at_ms(60)));
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 #.#
        0.000000 ###
        0.010000 ..#
        0.020000 .##
        0.030000 ..#
        0.040000 .##
        0.050000 ..#
        0.070000 ...
        ",
    );
}

#[test]
fn requests_are_validated_on_the_callers_thread() {
    let (player, control) = colour_player(2);
    let handle = player.handle();
    match handle.overlay(on(5)) {
        Err(PlayError::Invalid(err)) => assert_eq!(err.path(), "on"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    match handle.crossfade(on(0), secs(200 * 365 * 24 * 3600), Curve::Linear) {
        Err(PlayError::Invalid(err)) => {
            let message = err.to_string();
            assert!(message.contains("the duration of 6307200000s"), "{message}");
            assert!(message.contains("LONGEST"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    match handle.crossfade(on(9), ms(10), Curve::Linear) {
        Err(PlayError::Invalid(err)) => assert_eq!(err.path(), "on"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    control.settle();
    assert_eq!(handle.playing(), None);
    drop(player);
    assert!(matches!(handle.overlay(on(0)), Err(PlayError::Gone)));
    assert!(matches!(handle.crossfade(on(0), ms(1), Curve::Linear), Err(PlayError::Gone)));
    assert!(matches!(handle.stop_overlay(), Err(PlayError::Gone)));
    assert!(matches!(handle.refresh(), Err(PlayError::Gone)));
}

#[test]
fn endless_overlays_and_fades_are_refused_on_a_virtual_clock() {
    let player = Player::spawn(Recorder::<RGB8>::with_len(1), VirtualClock::new()).unwrap();
    let handle = player.handle();
    let top = handle.overlay(on(0)).unwrap();
    assert!(matches!(handle.wait_for(top), Ok(Event::Refused { .. })));
    let next = handle.crossfade(on(0), ms(10), Curve::Linear).unwrap();
    assert!(matches!(handle.wait_for(next), Ok(Event::Refused { .. })));
    // A finite one plays to its end at full speed.
    let fade = handle.crossfade(on(0).color(BLUE).timeout(ms(40)), ms(20), Curve::Linear);
    assert!(matches!(handle.wait_for(fade.unwrap()), Ok(Event::Finished { .. })));
    let recorder = player.shutdown().unwrap();
    let blues: Vec<u8> = recorder.steps().iter().map(|s| s.pixels[0].b).collect();
    assert_eq!(blues, [0, 255, 0]);
}

/// Every accepted request has exactly one start and one end among `events`.
fn assert_one_start_and_one_end(events: &[Event], ids: &[PlayId]) {
    let mut starts: HashMap<PlayId, usize> = HashMap::new();
    let mut ends: HashMap<PlayId, usize> = HashMap::new();
    for event in events {
        match event {
            Event::Started { id, .. } | Event::OverlayStarted { id, .. } => {
                *starts.entry(*id).or_default() += 1
            }
            e if e.is_end() => *ends.entry(e.id().unwrap()).or_default() += 1,
            _ => {}
        }
    }
    for id in ids {
        let refused_or_skipped = events.iter().any(|e| {
            e.id() == Some(*id) && matches!(e, Event::Skipped { .. } | Event::Refused { .. })
        });
        let started = starts.get(id).copied().unwrap_or(0);
        assert_eq!(started, usize::from(!refused_or_skipped), "starts of {id}");
        assert_eq!(ends.get(id).copied().unwrap_or(0), 1, "ends of {id}");
    }
    assert_eq!(ends.len(), ids.len(), "no end of a request never made");
}

#[test]
fn bursts_of_overlays_crossfades_and_plays_from_four_threads() {
    let (player, control) = colour_player(4);
    let handle = player.handle();
    let events = handle.events_with_capacity(100_000);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let handle = handle.clone();
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for k in 0..600 {
                    let led = (t + k) % 4;
                    let id = match k % 6 {
                        0 => handle.play(on(led).color(RED)),
                        1 | 4 => handle.overlay(blink(led, ms(3)).times(2).color(GREEN)),
                        2 => handle.crossfade(on(led).color(BLUE), ms(7), Curve::EaseInOut),
                        3 => handle.crossfade(on(led), Duration::ZERO, Curve::Linear),
                        _ => {
                            handle.stop_overlay().unwrap();
                            handle.refresh().unwrap();
                            continue;
                        }
                    };
                    ids.push(id.unwrap());
                }
                ids
            })
        })
        .collect();
    // The clock moves while the requests pour in.
    let clock = {
        let control = control.clone();
        std::thread::spawn(move || {
            for _ in 0..50 {
                control.advance(ms(1));
                control.settle();
            }
        })
    };
    let ids: Vec<PlayId> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    clock.join().unwrap();
    control.settle();
    walk_to(&control, 1, control.now().as_nanos() / 1_000_000 + 20);
    assert_eq!(handle.overlay_playing(), None, "every overlay ended by itself");
    let last = handle.playing().expect("the last play or crossfade plays on").id;
    let recorder = player.shutdown().unwrap();
    let seen: Vec<Event> = std::iter::from_fn(|| events.recv()).collect();
    assert!(!seen.iter().any(|e| matches!(e, Event::Lagged { .. })));
    assert_eq!(ids.len(), 4 * 500);
    assert_one_start_and_one_end(&seen, &ids);
    assert!(seen.iter().all(|e| !matches!(e, Event::Panicked { .. } | Event::Refused { .. })));
    assert!(matches!(
        seen.iter().rev().find(|e| e.id() == Some(last)),
        Some(Event::Stopped { reason: StopReason::Shutdown, .. })
    ));
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[BLACK; 4]);
}

#[test]
fn shutdown_during_a_fade_returns_and_ends_both_programs() {
    let (player, control) = colour_player(2);
    let handle = player.handle();
    let events = handle.events();
    let old = handle.play(on(0).color(RED)).unwrap();
    control.settle();
    let top = handle.overlay(on(1).color(GREEN)).unwrap();
    let new = handle.crossfade(on(0..2).color(BLUE), secs(60), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 20, 100);
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[BLACK, BLACK]);
    let seen = drain(&events);
    for id in [old, top, new] {
        let end = seen.iter().find(|e| e.is_end() && e.id() == Some(id)).unwrap();
        assert!(
            matches!(end, Event::Stopped { reason: StopReason::Shutdown, at, .. } if *at == at_ms(100)),
            "{end:?}"
        );
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
}

#[test]
fn an_output_failure_ends_every_request_on_stage() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[derive(Debug)]
    struct Fragile(Arc<AtomicBool>);
    #[derive(Debug, thiserror::Error)]
    #[error("device unplugged")]
    struct Unplugged;
    impl Output for Fragile {
        type Pixel = bool;
        type Error = Unplugged;
        fn len(&self) -> usize {
            2
        }
        fn write(&mut self, _: blinken::Frame<'_, bool>) -> Result<(), Unplugged> {
            match self.0.load(Ordering::SeqCst) {
                true => Err(Unplugged),
                false => Ok(()),
            }
        }
    }
    let failing = Arc::new(AtomicBool::new(false));
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(Fragile(failing.clone()), clock).unwrap();
    let handle = player.handle();
    let base = handle.play(blink(0, ms(10))).unwrap();
    let top = handle.overlay(blink(1, ms(15))).unwrap();
    control.settle();
    failing.store(true, Ordering::SeqCst);
    walk_to(&control, 10, 10);
    for id in [base, top] {
        match handle.wait_for(id) {
            Ok(Event::OutputFailed { id: Some(i), at, error }) => {
                assert_eq!((i, at), (id, at_ms(10)));
                assert_eq!(error.to_string(), "device unplugged");
            }
            other => panic!("expected an output failure, got {other:?}"),
        }
    }
    failing.store(false, Ordering::SeqCst);
    drop(player);
}

#[test]
fn stop_and_clear_end_everything_on_stage() {
    let (player, control) = colour_player(3);
    let handle = player.handle();
    let old = handle.play(fill(2, GREEN).then(on(0).color(RED))).unwrap();
    control.settle();
    let new = handle.crossfade(on(1).color(BLUE), ms(100), Curve::Linear).unwrap();
    let top = handle.overlay(on(0).color(GREEN)).unwrap();
    control.settle();
    walk_to(&control, 20, 40);
    handle.stop().unwrap();
    control.settle();
    for id in [old, new, top] {
        assert!(matches!(handle.wait_for(id),
            Ok(Event::Stopped { reason: StopReason::Stop, at, .. }) if at == at_ms(40)));
    }
    assert_eq!((handle.playing(), handle.overlay_playing()), (None, None));
    // Stopped: the fade's outgoing side still shows what the old program left lit
    // (its `fill`), faded as it was at 40 ms.
    let top = handle.overlay(on(1).color(RED)).unwrap();
    control.settle();
    handle.clear().unwrap();
    control.settle();
    assert!(matches!(handle.wait_for(top), Ok(Event::Stopped { reason: StopReason::Clear, .. })));
    let recorder = player.shutdown().unwrap();
    let px = frames(&recorder);
    let faded = RGB8::new(0, 153, 0);
    assert_eq!(
        px,
        [
            (0, vec![RED, BLACK, GREEN]),
            (0, vec![GREEN, BLACK, GREEN]),
            (20, vec![GREEN, RGB8::new(0, 0, 51), RGB8::new(0, 204, 0)]),
            (40, vec![GREEN, RGB8::new(0, 0, 102), faded]),
            (40, vec![BLACK, BLACK, faded]), // stop
            (40, vec![BLACK, RED, faded]),   // an overlay over nothing
            (40, vec![BLACK, BLACK, faded]), // clear: the run ends (as with a play)...
            (40, vec![BLACK, BLACK, BLACK]), // ...then everything goes off
        ]
    );
}

#[test]
fn the_ends_of_either_side_during_a_fade() {
    // The outgoing program ends by itself during the fade: it finishes, the fade goes on.
    let (player, control) = colour_player(1);
    let handle = player.handle();
    let old = handle.play(on(0).color(RED).timeout(ms(50))).unwrap();
    control.settle();
    let new = handle.crossfade(on(0).color(BLUE), ms(100), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 10, 120);
    assert!(matches!(handle.wait_for(old), Ok(Event::Finished { at, .. }) if at == at_ms(50)));
    assert_eq!(handle.playing().map(|p| p.id), Some(new));
    drop(player);

    // The incoming program ends during the fade: the fade is cut there.
    let (player, control) = colour_player(1);
    let handle = player.handle();
    let old = handle.play(on(0).color(RED)).unwrap();
    control.settle();
    let new = handle.crossfade(on(0).color(BLUE).timeout(ms(50)), ms(100), Curve::Linear);
    let new = new.unwrap();
    control.settle();
    walk_to(&control, 10, 120);
    assert!(matches!(handle.wait_for(new), Ok(Event::Finished { at, .. }) if at == at_ms(50)));
    assert!(matches!(handle.wait_for(old),
        Ok(Event::Stopped { at, reason: StopReason::Replaced(by), .. }) if at == at_ms(50) && by == new));
    assert_eq!(handle.playing(), None);
    let recorder = player.shutdown().unwrap();
    let reds: Vec<(u64, u8)> = frames(&recorder).into_iter().map(|(t, p)| (t, p[0].r)).collect();
    // Blend steps at 20 and 40 ms; at 50 ms the blue ends and takes its light along.
    assert_eq!(reds, [(0, 255), (20, 204), (40, 153), (50, 0)]);
}

/// An animation whose value panics when dropped (a user's `Drop`).
struct DropBomb;

impl Animation<bool> for DropBomb {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(1);
        cx.set(1, true);
        cx.sleep_until(start + ms(10)).await
    }
}

impl Drop for DropBomb {
    fn drop(&mut self) {
        panic!("boom in drop");
    }
}

#[test]
fn an_overlay_that_panics_when_dropped_is_reported_once() {
    let (player, control) = player(2);
    let handle = player.handle();
    let events = handle.events();
    let base = handle.play(on(0)).unwrap();
    control.settle();
    // Ends by itself, then its value panics.
    let first = handle.overlay(DropBomb).unwrap();
    control.settle();
    walk_to(&control, 10, 10);
    // Replaced by a newer overlay, then stopped with the run.
    let second = handle.overlay(DropBomb).unwrap();
    let third = handle.overlay(DropBomb).unwrap();
    control.settle();
    handle.stop().unwrap();
    control.settle();
    let seen = drain(&events);
    for id in [first, second, third] {
        let ends: Vec<_> = seen.iter().filter(|e| e.is_end() && e.id() == Some(id)).collect();
        assert_eq!(ends.len(), 1, "{ends:?}");
        assert!(
            matches!(ends[0], Event::Panicked { message, .. }
            if message == "dropping the animation panicked: boom in drop"),
            "{ends:?}"
        );
    }
    assert!(matches!(handle.wait_for(base), Ok(Event::Stopped { reason: StopReason::Stop, .. })));
    assert!(handle.is_alive());
    let recorder = player.shutdown().unwrap();
    assert_eq!(&*recorder.steps().last().unwrap().pixels, &[false, false]);
}

#[test]
fn a_crossfade_of_plain_leds_switches_where_the_curve_reaches_one_half() {
    let (player, control) = player(2);
    let handle = player.handle();
    let old = handle.play(on(0)).unwrap();
    control.settle();
    let new = handle.crossfade(on(1), ms(100), Curve::Linear).unwrap();
    control.settle();
    walk_to(&control, 20, 120);
    assert!(matches!(handle.wait_for(old),
        Ok(Event::Stopped { at, reason: StopReason::Replaced(by), .. }) if at == at_ms(100) && by == new));
    player.shutdown().unwrap().assert_timeline(
        "
        0.000000 #.
        0.060000 .#
        0.120000 ..
        ",
    );
}
