//! Programs that wait for inputs: exact timelines on the virtual clock with scripted
//! presses, cancellation, sharing, the end of a script, and a real-clock wake-up from
//! another thread.

mod common;

use std::time::Duration as StdDuration;

use blinken::MIN_STEP;
use blinken::input::{Edge, EdgeKind::*, Input, Subscription};
use blinken::prelude::*;
use common::{at_ms, run};

/// A button pressed at each of `presses` (ms) and released 20 ms later.
fn button(presses: &[u64]) -> Input {
    Input::scripted(presses.iter().flat_map(|&t| [(at_ms(t), Press), (at_ms(t + 20), Release)]))
}

#[test]
fn blink_until_pressed() {
    let b = button(&[250]);
    let (end, rec) = run(1, &until(&b, blink(0, ms(100))));
    assert_eq!(end, at_ms(250));
    rec.assert_timeline(
        "
        0.000000 #
        0.100000 .
        0.200000 #
        0.250000 .
        ",
    );
}

#[test]
fn until_ends_with_the_animation_if_it_ends_first() {
    let b = button(&[900]);
    let (end, rec) = run(1, &until(&b, blink(0, ms(100)).times(2)));
    assert_eq!(end, at_ms(400));
    rec.assert_timeline(
        "
        0.000000 #
        0.100000 .
        0.200000 #
        0.300000 .
        ",
    );
}

#[test]
fn a_press_switches_to_the_next_animation() {
    // The second `until` starts at the first press and must not end on it.
    let b = button(&[250, 700]);
    let program = until(&b, blink(0, ms(100))).then(until(&b, on(1))).then(on(0).timeout(ms(50)));
    let (end, rec) = run(2, &program);
    assert_eq!(end, at_ms(750));
    rec.assert_timeline(
        "
        0.000000 #.
        0.100000 ..
        0.200000 #.
        0.250000 .#
        0.700000 #.
        0.750000 ..
        ",
    );
}

#[test]
fn press_then_on() {
    let b = button(&[300, 500]);
    let program = sequence((press(&b), on(0).timeout(ms(100)), press(&b), on(1).timeout(ms(100))));
    let (end, rec) = run(2, &program);
    assert_eq!(end, at_ms(600));
    rec.assert_timeline(
        "
        0.000000 ..
        0.300000 #.
        0.400000 ..
        0.500000 .#
        0.600000 ..
        ",
    );
}

#[test]
fn presses_before_the_start_or_at_it_do_not_count() {
    let b = button(&[0, 100, 400]);
    // Starts at 100 ms, at a press: the next one after it is at 400 ms.
    let (end, _) = run(1, &wait(ms(100)).then(press(&b)));
    assert_eq!(end, at_ms(400));
    // The press at 0 ms is the instant the run starts: not counted either.
    let (end, _) = run(1, &press(&b));
    assert_eq!(end, at_ms(100));
}

#[test]
fn a_counter_ends_at_the_nth_press() {
    let b = button(&[50, 120, 250, 900]);
    let (end, rec) = run(1, &any((blink(0, ms(100)), presses(&b, 3))));
    assert_eq!(end, at_ms(250));
    rec.assert_timeline(
        "
        0.000000 #
        0.100000 .
        0.200000 #
        0.250000 .
        ",
    );
    let (end, _) = run(1, &presses(&b, 0));
    assert_eq!(end, Instant::ZERO);
    assert_eq!(Animation::<bool>::max_duration(&presses(&b, 0)), Some(Duration::ZERO));
    assert_eq!(Animation::<bool>::max_duration(&presses(&b, 1)), None);
}

#[test]
fn any_cancels_a_waiting_press() {
    // Nothing will ever be pushed: the press waits with its waker registered.
    let b = Input::new();
    let (end, rec) = run(1, &any((press(&b), blink(0, ms(100)).times(1))));
    assert_eq!(end, at_ms(200));
    rec.assert_timeline(
        "
        0.000000 #
        0.100000 .
        ",
    );
    assert_eq!(b.waiters(), 0, "the cancelled press left its waker behind");
}

#[test]
fn an_input_shared_by_two_branches() {
    let b = button(&[350]);
    let program = all((until(&b, blink(0, ms(100))), until(&b, blink(1, ms(150)))));
    let (end, rec) = run(2, &program);
    assert_eq!(end, at_ms(350));
    rec.assert_timeline(
        "
        0.000000 ##
        0.100000 .#
        0.150000 ..
        0.200000 #.
        0.300000 .#
        0.350000 ..
        ",
    );
}

#[test]
fn a_press_the_script_never_brings_is_idle() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    match driver.run(&press(&Input::new())) {
        Err(RunError::Idle { at }) => assert_eq!(at, Instant::ZERO),
        other => panic!("expected Idle, got {other:?}"),
    }
    // One press, two waited for: idle at the first press, once the LED went dark.
    let b = button(&[200]);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    match driver.run(&until(&b, on(0)).then(press(&b))) {
        Err(RunError::Idle { at }) => assert_eq!(at, at_ms(200)),
        other => panic!("expected Idle, got {other:?}"),
    }
    driver.output().assert_timeline(
        "
        0.000000 #
        0.200000 .
        ",
    );
    // `run_for` shows a window of it instead.
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let end = driver.run_for(&press(&Input::new()), secs(1)).unwrap();
    assert_eq!(end, RunEnd::Stopped(at_ms(1000)));
}

#[test]
fn validation_names_until() {
    let b = Input::new();
    let err = Driver::new(Recorder::new(2), VirtualClock::new())
        .run(&until(&b, blink(5, ms(100))))
        .unwrap_err();
    let RunError::Invalid(err) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(err.path(), "until > blink");
    // Nothing beyond the children: leaves that wait for presses accept any output.
    assert!(Animation::<bool>::validate(&press(&b), 0).is_ok());
    assert!(Animation::<bool>::validate(&presses(&b, 3), 0).is_ok());
    assert_eq!(Animation::<bool>::min_duration(&until(&b, wait(ms(5)))), MIN_STEP);
    assert_eq!(Animation::<bool>::min_duration(&press(&b)), MIN_STEP);
    assert_eq!(Animation::<bool>::min_duration(&presses(&b, 3)), MIN_STEP * 3);
    assert_eq!(Animation::<bool>::max_duration(&until(&b, wait(ms(5)))), Some(ms(5)));
}

#[test]
fn a_push_from_another_thread_wakes_a_real_clock_driver() {
    let b = Input::new();
    let pusher = b.clone();
    let clock = SystemClock::new();
    let pushed = std::thread::spawn(move || {
        std::thread::sleep(StdDuration::from_millis(50));
        let at = SystemClock::new().now();
        pusher.push(Edge::press(at));
        at
    });
    let mut driver = Driver::new(Recorder::new(1), clock);
    let started = std::time::Instant::now();
    let end = driver.run(&until(&b, on(0))).unwrap();
    let at = pushed.join().unwrap();
    // The logical end is the edge's own instant (already past when the driver heard).
    assert_eq!(end, at);
    assert!(started.elapsed() < StdDuration::from_secs(5));
    assert_eq!(b.waiters(), 0);
}

#[test]
fn a_player_plays_until_a_pushed_press() {
    let b = Input::new();
    let player = Player::spawn(Recorder::new(1), SystemClock::new()).unwrap();
    let handle = player.handle();
    let id = handle.play(until(&b, blink(0, ms(10))).boxed()).unwrap();
    std::thread::sleep(StdDuration::from_millis(30));
    b.push(Edge::press(SystemClock::new().now()));
    let event = handle.wait_for(id).unwrap();
    assert!(matches!(event, Event::Finished { .. }), "{event:?}");
    player.shutdown().unwrap();
}

#[test]
fn subscriptions_read_every_edge_in_order() {
    let b = button(&[100, 300]);
    let edges: Vec<Edge> = b.subscribe().collect();
    assert_eq!(
        edges,
        [
            Edge::press(at_ms(100)),
            Edge::release(at_ms(120)),
            Edge::press(at_ms(300)),
            Edge::release(at_ms(320))
        ]
    );
    // As a stream, from another thread's pushes.
    let live = Input::new();
    let stream = live.subscribe();
    let pusher = live.clone();
    std::thread::spawn(move || {
        for t in [1, 2, 3] {
            pusher.push(Edge::press(at_ms(t)));
        }
        pusher.close();
    });
    let got: Vec<Edge> = futures::executor::block_on(futures::StreamExt::collect(stream));
    assert_eq!(got, [1, 2, 3].map(|t| Edge::press(at_ms(t))));
    assert_eq!(live.waiters(), 0);
}

#[test]
fn history_is_bounded_and_ordered() {
    let b = Input::new();
    let mut slow: Subscription = b.subscribe();
    for t in 0..300 {
        b.push(Edge::press(at_ms(t)));
    }
    assert_eq!(b.edges().len(), Input::CAPACITY);
    assert_eq!(b.edges()[0], Edge::press(at_ms(44)));
    assert_eq!(slow.try_next(), Some(Edge::press(at_ms(44))));
    assert_eq!(slow.missed(), 44);
    // An edge earlier than the last is recorded at the last one's instant.
    b.push(Edge::release(at_ms(10)));
    assert_eq!(b.edges().last(), Some(&Edge::release(at_ms(299))));
    b.close();
    b.push(Edge::press(at_ms(400)));
    assert_eq!(b.edges().last(), Some(&Edge::release(at_ms(299))));
    assert_eq!(slow.by_ref().count(), 256);
    assert_eq!(slow.try_next(), None);
}

#[test]
fn input_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Input>();
    send_sync::<Subscription>();
    send_sync::<blinken::Press>();
    send_sync::<Presses>();
    send_sync::<Until<Blink<bool>>>();
    #[cfg(feature = "gpiocdev")]
    send_sync::<blinken::input::GpioInput>();
}

#[test]
fn loops_over_presses_play_and_bounces_do_not_count() {
    // What was refused at first: a press may be known already, so `press` said it may
    // take no time and loops refused it. A press counts only from MIN_STEP after the
    // start (a bounce is far shorter), so a press takes at least MIN_STEP and a loop
    // over presses cannot spin.
    let b = button(&[100, 300, 500]);
    let program = forever(until(&b, blink(0, ms(40))));
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run_for(&program, ms(600)).unwrap(), RunEnd::Stopped(at_ms(600)));
    // Each press restarts the blink from its own instant (lit at 100, 300 and 500 as
    // it already was, so no write there; off 40 ms later, not at 120).
    driver.output().assert_timeline(
        "
        0.000000 #
        0.040000 .
        0.080000 #
        0.140000 .
        0.180000 #
        0.220000 .
        0.260000 #
        0.340000 .
        0.380000 #
        0.420000 .
        0.460000 #
        0.540000 .
        0.580000 #
        ",
    );
    // A bounce 50 µs after a press is not a second press.
    let bouncy = Input::scripted([
        (at_ms(100), Press),
        (at_ms(100) + Duration::from_micros(20), Release),
        (at_ms(100) + Duration::from_micros(50), Press),
        (at_ms(200), Press),
    ]);
    let (end, _) = run(1, &presses(&bouncy, 2));
    assert_eq!(end, at_ms(200));
}

#[test]
fn the_until_method_is_the_until_leaf() {
    let b = button(&[250, 700]);
    let method = blink(0, ms(100)).until(&b).then(on(1).until(&b)).then(on(0).timeout(ms(50)));
    let leaf = until(&b, blink(0, ms(100))).then(until(&b, on(1))).then(on(0).timeout(ms(50)));
    let (end, rec) = run(2, &method);
    let (leaf_end, leaf_rec) = run(2, &leaf);
    assert_eq!((end, rec.render()), (leaf_end, leaf_rec.render()));
    assert_eq!(end, at_ms(750));
    // It chains with the other methods, and names `until` in validation errors.
    let err = Driver::new(Recorder::new(1), VirtualClock::new())
        .run(&on(3).until(&b).timeout(ms(10)))
        .unwrap_err();
    let RunError::Invalid(err) = err else { panic!("expected Invalid, got {err:?}") };
    assert_eq!(err.path(), "timeout > until > on");
    assert_eq!(Animation::<bool>::max_duration(&wait(ms(5)).until(&b)), Some(ms(5)));
    assert!(on::<bool>(0).until(&b).input().same_as(&b));
}
