//! Bindings from inputs to a player, stepped on a `ManualClock`.

use std::time::Duration as StdDuration;

use blinken::input::{Binding, Bound, Edge, Input};
use blinken::prelude::*;
use blinken::{Events, ManualClock, ManualControl, StopReason};

const WAIT: StdDuration = StdDuration::from_secs(5);

fn at(ms_: u64) -> Instant {
    Instant::ZERO + ms(ms_)
}

/// The next event, failing after 5 s instead of hanging.
#[track_caller]
fn next(events: &Events) -> Event {
    events.recv_timeout(WAIT).expect("no event from the player within 5 s")
}

/// The instant of the next `Started`, skipping the ends of replaced plays.
#[track_caller]
fn started(events: &Events) -> Instant {
    loop {
        match next(events) {
            Event::Started { at, .. } => return at,
            Event::Stopped { reason: StopReason::Replaced(_), .. } => {}
            other => panic!("expected Started, got {other:?}"),
        }
    }
}

/// A player on a manual clock over `len` LEDs, its control and events, and an input.
fn setup(len: usize) -> (Player<Recorder>, ManualControl, Events, Input) {
    let (clock, control) = ManualClock::new();
    let player = Player::spawn(Recorder::new(len), clock).unwrap();
    let events = player.handle().events();
    (player, control, events, Input::new())
}

/// Closes the input, which ends the binding, and shuts the player down.
fn end(button: &Input, bound: Bound, player: Player<Recorder>) {
    button.close();
    bound.join().unwrap();
    player.shutdown().unwrap();
}

/// Advances the clock to `to` (from `from`) and lets the player catch up.
fn step(control: &ManualControl, from: u64, to: u64) {
    control.advance(ms(to - from));
    control.settle();
}

#[test]
fn presses_cycle_through_the_presets() {
    let (player, control, events, button) = setup(2);
    let bound = Binding::new(&button)
        .preset(|| on(0).boxed())
        .preset(|| on(1).boxed())
        .spawn(player.handle())
        .unwrap();
    let mut now = 0;
    for t in [0, 100, 200] {
        step(&control, now, t);
        now = t;
        button.push(Edge::press(at(t)));
        assert_eq!(started(&events), at(t));
        control.settle();
        // A release does nothing without a long press.
        button.push(Edge::release(at(t)));
    }
    button.close();
    bound.join().unwrap();
    // The last line is the shutdown switching everything off.
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 #.
        0.100000 .#
        0.200000 #.
        0.200000 ..
        ",
    );
}

#[test]
fn a_long_press_stops_while_held_and_a_short_one_plays() {
    let (player, control, events, button) = setup(1);
    let time = control.clone();
    let bound = Binding::new(&button)
        .preset(|| blink(0, ms(100)).boxed())
        .long_press_stops(ms(500))
        .time(move || time.now())
        .spawn(player.handle())
        .unwrap();
    // A press alone decides nothing yet.
    button.push(Edge::press(at(0)));
    step(&control, 0, 50);
    std::thread::sleep(Binding::<bool>::POLL * 3);
    assert!(events.try_recv().is_none());
    assert!(player.handle().playing().is_none());
    // Released after 50 ms: short, the preset plays at the release.
    button.push(Edge::release(at(50)));
    assert_eq!(started(&events), at(50));
    control.settle();
    step(&control, 50, 300);
    // Held from 300 ms: nothing at 799 ms...
    button.push(Edge::press(at(300)));
    step(&control, 300, 799);
    std::thread::sleep(Binding::<bool>::POLL * 3);
    assert!(events.try_recv().is_none(), "stopped before the hold reached 500 ms");
    assert!(player.handle().playing().is_some());
    // ...and the stop at 800 ms, the button still down.
    step(&control, 799, 800);
    match next(&events) {
        Event::Stopped { reason, at: stopped, .. } => {
            assert_eq!(reason, StopReason::Stop);
            assert_eq!(stopped, at(800));
        }
        other => panic!("expected Stopped, got {other:?}"),
    }
    // Its release does nothing more; the next short press plays again.
    step(&control, 800, 900);
    button.push(Edge::release(at(900)));
    button.push(Edge::press(at(900)));
    step(&control, 900, 1000);
    button.push(Edge::release(at(1000)));
    assert_eq!(started(&events), at(1000));
    end(&button, bound, player);
}

#[test]
fn a_release_exactly_at_the_long_press_time_is_long() {
    let (player, control, events, button) = setup(1);
    // Time stands still at 0 for the binding: only the timestamps decide.
    let bound = Binding::new(&button)
        .preset(|| on(0).boxed())
        .long_press_stops(ms(500))
        .time(|| Instant::ZERO)
        .spawn(player.handle())
        .unwrap();
    button.push(Edge::press(at(0)));
    button.push(Edge::release(at(499)));
    assert_eq!(started(&events), at(0));
    control.settle();
    button.push(Edge::press(at(1000)));
    button.push(Edge::release(at(1500)));
    match next(&events) {
        Event::Stopped { reason, .. } => assert_eq!(reason, StopReason::Stop),
        other => panic!("expected Stopped, got {other:?}"),
    }
    end(&button, bound, player);
}

#[test]
fn a_binding_holding_a_press_ends_when_its_input_closes() {
    let (player, _control, _events, button) = setup(1);
    let bound = Binding::new(&button)
        .preset(|| on(0).boxed())
        .long_press_stops(secs(3600))
        .time(|| Instant::ZERO)
        .spawn(player.handle())
        .unwrap();
    button.push(Edge::press(at(0)));
    std::thread::sleep(Binding::<bool>::POLL * 2);
    button.close();
    let give_up = std::time::Instant::now() + WAIT;
    while !bound.is_finished() {
        assert!(std::time::Instant::now() < give_up, "the binding did not end");
        std::thread::sleep(StdDuration::from_millis(1));
    }
    bound.join().unwrap();
    player.shutdown().unwrap();
}

#[test]
fn a_refused_preset_is_skipped() {
    let (player, _control, events, button) = setup(1);
    let bound = Binding::new(&button)
        .preset(|| on(5).boxed()) // no LED 5 on a 1-LED output
        .preset(|| on(0).boxed())
        .spawn(player.handle())
        .unwrap();
    button.push(Edge::press(at(0)));
    button.push(Edge::press(at(0)));
    started(&events);
    end(&button, bound, player);
}

/// Presets and overlays take turns; an overlay is temporary (the base shows again as
/// if untouched), one the player refuses is skipped, and the next preset replaces the
/// base and any overlay.
#[test]
fn presses_take_turns_between_presets_and_temporary_overlays() {
    let (player, control, events, button) = setup(3);
    let bound = Binding::new(&button)
        .preset(|| blink(0, ms(100)).boxed())
        .overlay(|| on(1..3).timeout(ms(150)).boxed())
        .overlay(|| on(7).boxed()) // no LED 7 on a 3-LED output: refused, skipped
        .preset(|| on(2).boxed())
        .spawn(player.handle())
        .unwrap();
    let overlay_started = |events: &Events| loop {
        match next(events) {
            Event::OverlayStarted { at, .. } => return at,
            Event::Started { .. } | Event::Stopped { .. } | Event::Finished { .. } => {}
            other => panic!("expected OverlayStarted, got {other:?}"),
        }
    };
    button.push(Edge::press(at(0)));
    assert_eq!(started(&events), at(0));
    control.settle();
    step(&control, 0, 50);
    button.push(Edge::press(at(50)));
    assert_eq!(overlay_started(&events), at(50));
    control.settle();
    let mut now = 50;
    for t in (100..=300).step_by(50) {
        step(&control, now, t);
        now = t;
    }
    assert!(player.handle().overlay_playing().is_none(), "the overlay timed out at 200 ms");
    // The refused overlay, then the second preset.
    button.push(Edge::press(at(300)));
    button.push(Edge::press(at(300)));
    loop {
        match next(&events) {
            Event::Started { at: t, .. } => break assert_eq!(t, at(300)),
            Event::Finished { at: t, .. } => assert_eq!(t, at(200), "the overlay's end"),
            Event::Stopped { at: t, reason: StopReason::Replaced(_), .. } => {
                assert_eq!(t, at(300), "the blink, replaced by the second preset");
            }
            other => panic!("expected the overlay's end and a start, got {other:?}"),
        }
    }
    control.settle();
    button.close();
    bound.join().unwrap();
    let recorder = player.shutdown().unwrap();
    recorder.assert_timeline(
        "
        0.000000 #..
        0.050000 ###
        0.100000 .##
        0.200000 #..
        0.300000 ...
        0.300000 ..#
        0.300000 ...
        ",
    );
}

#[test]
fn a_binding_ends_when_its_player_is_gone() {
    let (player, _control, _events, button) = setup(1);
    let bound = Binding::new(&button).preset(|| on(0).boxed()).spawn(player.handle()).unwrap();
    player.shutdown().unwrap();
    button.push(Edge::press(at(0)));
    assert_eq!(bound.join().unwrap_err().to_string(), "the player has shut down; start a new one");
}

#[test]
fn gestures_decide_a_long_press_at_its_deadline() {
    use blinken::input::{Action, Gestures};
    let mut g = Gestures::new(Some(ms(500)));
    // Nothing held: no deadline, ticks do nothing, a release alone is nothing.
    assert_eq!((g.deadline(), g.tick(at(10_000))), (None, None));
    assert_eq!(g.edge(Edge::release(at(0))), None);
    // Held: the deadline is the press + 500 ms, reached exactly.
    assert_eq!(g.edge(Edge::press(at(100))), None);
    assert_eq!(g.deadline(), Some(at(600)));
    assert_eq!(g.tick(Instant::from_nanos(at(600).as_nanos() - 1)), None);
    assert_eq!(g.tick(at(600)), Some(Action::Stop));
    assert_eq!(g.tick(at(700)), None, "one stop per hold");
    assert_eq!(g.edge(Edge::release(at(900))), None);
    // A press while one is held (its release was lost) starts a new hold.
    assert_eq!(g.edge(Edge::press(at(1000))), None);
    assert_eq!(g.edge(Edge::press(at(1300))), None);
    assert_eq!(g.deadline(), Some(at(1800)));
    assert_eq!(g.edge(Edge::release(at(1700))), Some(Action::Next));
    // A late reader: the release comes past the deadline with no tick in between.
    assert_eq!(g.edge(Edge::press(at(2000))), None);
    assert_eq!(g.edge(Edge::release(at(2500))), Some(Action::Stop));
    // Without a long press, presses act at once and releases never.
    let mut g = Gestures::new(None);
    assert_eq!(g.edge(Edge::press(at(0))), Some(Action::Next));
    assert_eq!((g.deadline(), g.tick(at(10_000))), (None, None));
    assert_eq!(g.edge(Edge::release(at(5000))), None);
}
