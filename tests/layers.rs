//! Layers: `overlay` and `crossfade`, on exact virtual-clock timelines.

mod common;

use blinken::output::Step;
use blinken::prelude::*;
use common::{at_ms, run, window};

const RED: RGB8 = RGB8::new(255, 0, 0);
const BLUE: RGB8 = RGB8::new(0, 0, 255);

/// What the output showed at `at`: the last write at or before it.
fn shown_at<P: Pixel>(steps: &[Step<P>], at: Instant) -> &[P] {
    &steps.iter().rev().find(|s| s.at <= at).expect("a write before").pixels
}

/// Plays a colour program for `window` on `len` LEDs; returns the recorder.
fn colours(len: usize, program: &impl Animation<RGB8>, window: Duration) -> Recorder<RGB8> {
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(len), VirtualClock::new());
    driver.run_for(program, window).expect("the program plays");
    driver.into_output()
}

// ---------------------------------------------------------------- overlay

#[test]
fn top_wins_where_lit_and_base_keeps_its_own_timeline() {
    // The base walks over 4 LEDs (each on for 100 ms, then off for 100 ms); the top
    // blinks LEDs 2 and 3 for 450 ms. At 400 ms the base lights LED 2, which the top
    // already lights: no change; at 450 ms the top is cut and the base shows.
    let base = walk(0..4, ms(100)).forever();
    let top = blink(2..4, ms(150)).timeout(ms(450));
    let recorder = window(4, &overlay(base, top), ms(800));
    recorder.assert_timeline(
        "
        0.000000 #.##
        0.100000 ..##
        0.150000 ....
        0.200000 .#..
        0.300000 ..##
        0.450000 ..#.
        0.500000 ....
        0.600000 ...#
        0.700000 ....
        0.800000 #...
        ",
    );
}

#[test]
fn after_the_top_ends_the_base_shows_exactly_what_it_shows_alone() {
    let base = walk(0..5, ms(70)).then(blink(0..5, ms(110)).times(3)).forever();
    let top = blink(1..4, ms(40)).timeout(ms(1000));
    let alone = window(5, &base, secs(4));
    let layered = window(5, &overlay(&base, top), secs(4));
    // From the top's end on, every write is the base's own.
    let after = |r: &Recorder| -> Vec<(Instant, Box<[bool]>)> {
        r.steps().iter().filter(|s| s.at > at_ms(1000)).map(|s| (s.at, s.pixels.clone())).collect()
    };
    assert_eq!(after(&layered), after(&alone));
    assert_eq!(shown_at(layered.steps(), at_ms(1000)), shown_at(alone.steps(), at_ms(1000)));
}

#[test]
fn the_notification_a_red_pulse_for_3_s_over_a_rainbow_then_the_rainbow_untouched() {
    let rainbow = rainbow::<RGB8>(0..8, ms(20)).period(secs(2));
    let notification = pulse(0..8, ms(20), RED).period(secs(1)).timeout(secs(3));
    let alone = colours(8, &rainbow, secs(6));
    let layered = colours(8, &rainbow.clone().overlay(notification), secs(6));
    let (alone, layered) = (alone.steps(), layered.steps());
    // At the top of a breath the pulse is full red on every LED...
    assert_eq!(shown_at(layered, at_ms(500)), [RED; 8]);
    assert_eq!(shown_at(layered, at_ms(1500)), [RED; 8]);
    // ...at the bottom it is black, which is unlit: the rainbow shows through.
    assert_eq!(shown_at(layered, at_ms(2000)), shown_at(alone, at_ms(2000)));
    assert_ne!(shown_at(layered, at_ms(1000) + ms(100)), shown_at(alone, at_ms(1100)));
    // From 3 s on, the rainbow exactly as if untouched, at every instant.
    for t in (3000..6000).step_by(5) {
        assert_eq!(shown_at(layered, at_ms(t)), shown_at(alone, at_ms(t)), "at {t} ms");
    }
    let after = |steps: &[Step<RGB8>]| steps.iter().filter(|s| s.at > at_ms(3000)).count();
    assert_eq!(after(layered), after(alone), "the same writes after the notification");
}

#[test]
fn the_overlay_ends_with_its_base_and_cuts_the_top() {
    let program = overlay(on(0).timeout(ms(200)), on(1)).then(on(2).timeout(ms(100)));
    let (end, recorder) = run(3, &program);
    assert_eq!(end, at_ms(300));
    recorder.assert_timeline(
        "
        0.000000 ##.
        0.200000 ..#
        0.300000 ...
        ",
    );
}

#[test]
fn cancelling_the_overlay_switches_both_layers_off() {
    // The top left LED 2 lit with a `fill`: its layer goes with it.
    let top = fill(2, true).then(blink(1, ms(30)));
    let program = overlay(blink(0..2, ms(50)), top).timeout(ms(120));
    let (end, recorder) = run(3, &program);
    assert_eq!(end, at_ms(120));
    recorder.assert_timeline(
        "
        0.000000 ###
        0.050000 ..#
        0.060000 .##
        0.090000 ..#
        0.100000 ###
        0.120000 ...
        ",
    );
}

#[test]
fn what_the_top_left_lit_goes_when_it_ends() {
    let top = fill(1, true).then(wait(ms(100)));
    let (end, recorder) = run(2, &overlay(on(0).timeout(ms(300)), top));
    assert_eq!(end, at_ms(300));
    recorder.assert_timeline(
        "
        0.000000 ##
        0.100000 #.
        0.300000 ..
        ",
    );
}

#[test]
fn the_base_starts_on_the_frame_as_it_was() {
    // LED 0 is lit before the overlay; the base never touches it, the top lights it
    // and ends: it stays lit, as it would without the overlay. The base's own `off`
    // of LED 1 reaches the frame as it would without the overlay.
    let before = fill(0..2, true);
    let base = off(1).then(wait(ms(200)));
    let top = on(0).timeout(ms(100));
    let (end, recorder) = run(2, &before.then(overlay(base, top)));
    assert_eq!(end, at_ms(200));
    recorder.assert_timeline("0.000000 #.");
}

#[test]
fn nested_overlays_compose_inner_first() {
    let base = blink(0..3, ms(100)).times(4);
    let middle = on(1).timeout(ms(250));
    let top = blink(2, ms(60)).timeout(ms(500));
    let program = overlay(overlay(&base, middle), top);
    let (end, recorder) = run(3, &program);
    assert_eq!(end, at_ms(800));
    recorder.assert_timeline(
        "
        0.000000 ###
        0.100000 .#.
        0.120000 .##
        0.180000 .#.
        0.200000 ###
        0.300000 ...
        0.360000 ..#
        0.400000 ###
        0.500000 ...
        0.600000 ###
        0.700000 ...
        ",
    );
    // The same program nested the other way: the top of the outer one is the inner.
    let other = overlay(&base, overlay(on(1).timeout(ms(250)), blink(2, ms(60))));
    let (end, again) = run(3, &other);
    assert_eq!(end, at_ms(800));
    assert_ne!(again.steps().len(), 0);
}

#[test]
fn overlays_play_in_every_combinator_and_loop() {
    let pass = overlay(walk(0..2, ms(50)), on(1).timeout(ms(50)));
    let (end, recorder) = run(2, &pass.repeat(2));
    assert_eq!(end, at_ms(400));
    recorder.assert_timeline(
        "
        0.000000 ##
        0.050000 ..
        0.100000 .#
        0.150000 ..
        0.200000 ##
        0.250000 ..
        0.300000 .#
        0.350000 ..
        ",
    );
}

#[test]
fn on_colours_black_is_unlit() {
    let top = fill(0..2, RGB8::OFF).then(fill(1, BLUE)).then(wait(ms(50)));
    let program = fill(0..2, RED).then(wait(ms(100))).overlay(top);
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), at_ms(100));
    let steps = driver.output().steps();
    assert_eq!(&*steps[0].pixels, [RED, BLUE]);
    assert_eq!((steps[1].at, &*steps[1].pixels), (at_ms(50), &[RED, RED][..]));
    assert_eq!(steps.len(), 2);
}

#[test]
fn overlay_bounds_are_the_bases() {
    let b = |a: &dyn DynBounds| a.bounds();
    assert_eq!(b(&overlay(wait(ms(10)), on(0))), (ms(10), Some(ms(10))));
    assert_eq!(b(&overlay(on(0), wait(ms(10)))), (Duration::MAX, None));
    assert_eq!(b(&wait(ms(10)).then(wait(ms(5))).overlay(wait(ms(1)))), (ms(15), Some(ms(15))));
}

#[test]
fn overlay_validation_names_the_child() {
    let err = Animation::<bool>::validate(&overlay(on(0), on(5)), 3).unwrap_err();
    assert_eq!(err.path(), "overlay[1] > on");
    let err = Animation::<bool>::validate(&overlay(on(7), on(0)), 3).unwrap_err();
    assert_eq!(err.path(), "overlay[0] > on");
}

// ---------------------------------------------------------------- crossfade

/// The first pixel of every write, with its instant in ms.
fn firsts(recorder: &Recorder<RGB8>) -> Vec<(u64, RGB8)> {
    let ms_of = |at: Instant| (at - Instant::ZERO).as_millis() as u64;
    recorder.steps().iter().map(|s| (ms_of(s.at), s.pixels[0])).collect()
}

#[test]
fn crossfade_values_at_known_instants() {
    let from = on(0).color(RED);
    let to = on(0).color(BLUE);
    // 50 ms in steps of 20 ms: t = 0, 0.4, 0.8 at the steps, 1 at the end of the fade.
    let linear = crossfade(&from, &to, ms(50)).step(ms(20));
    assert_eq!(
        firsts(&colours(1, &linear, ms(200))),
        [(0, RED), (20, RGB8::new(153, 0, 102)), (40, RGB8::new(51, 0, 204)), (50, BLUE)]
    );
    // Eased: smoothstep(0.4) = 0.352, smoothstep(0.8) = 0.896.
    let eased = linear.clone().curve(Curve::EaseInOut);
    assert_eq!(
        firsts(&colours(1, &eased, ms(200))),
        [(0, RED), (20, RGB8::new(165, 0, 90)), (40, RGB8::new(27, 0, 228)), (50, BLUE)]
    );
    // The default step is 20 ms: 1 s of fade is 50 mixes and the end.
    let default = crossfade(&from, &to, secs(1));
    let writes = firsts(&colours(1, &default, secs(2)));
    assert_eq!(writes.len(), 51);
    assert_eq!(writes[25], (500, RGB8::new(128, 0, 128)));
}

#[test]
fn crossfade_fades_what_only_one_side_lights_from_and_to_black() {
    let fade = crossfade(on(0).color(RED), on(1).color(BLUE), ms(100)).step(ms(50));
    let recorder = colours(2, &fade, ms(300));
    let steps: Vec<_> = recorder.steps().iter().map(|s| (s.at, s.pixels.to_vec())).collect();
    assert_eq!(
        steps,
        [
            (at_ms(0), vec![RED, RGB8::OFF]),
            (at_ms(50), vec![RGB8::new(128, 0, 0), RGB8::new(0, 0, 128)]),
            (at_ms(100), vec![RGB8::OFF, BLUE]),
        ]
    );
}

#[test]
fn after_the_fade_only_to_runs_and_the_crossfade_ends_with_it() {
    // `from` would switch LED 1 on at 150 ms: it is cut at the end of the fade.
    let from = on(0).color(RED).and(wait(ms(150)).then(on(1).color(RED)));
    let to = blink(0, ms(40)).color(BLUE).times(3);
    let fade = crossfade(from, to, ms(100)).step(ms(100));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
    assert_eq!(driver.run(&fade).unwrap(), at_ms(240));
    let writes: Vec<_> =
        driver.output().steps().iter().map(|s| (s.at, s.pixels.to_vec())).collect();
    let off = RGB8::OFF;
    // `from` alone at t = 0 (the blink's changes in its layer do not show), then the
    // blink alone from the end of the fade.
    assert_eq!(
        writes,
        [
            (at_ms(0), vec![RED, off]),
            (at_ms(100), vec![BLUE, off]),
            (at_ms(120), vec![off, off]),
            (at_ms(160), vec![BLUE, off]),
            (at_ms(200), vec![off, off]),
        ]
    );
}

#[test]
fn a_to_that_ends_early_cuts_the_fade() {
    let to = fill(0, BLUE).then(wait(ms(30)));
    let fade = crossfade(on(0).color(RED), to, ms(100)).step(ms(20));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
    assert_eq!(driver.run(&fade).unwrap(), at_ms(30));
    assert_eq!(firsts(driver.output()), [(0, RED), (20, RGB8::new(204, 0, 51)), (30, BLUE)]);
}

#[test]
fn a_zero_crossfade_is_a_cut() {
    let ran = std::cell::Cell::new(false);
    let from = from_fn(async |_: &Cx<RGB8>, start: Instant| {
        ran.set(true);
        start
    });
    let fade = crossfade(from, on(0).color(BLUE).timeout(ms(10)), Duration::ZERO);
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
    assert_eq!(driver.run(&fade).unwrap(), at_ms(10));
    assert!(!ran.get(), "`from` never runs");
    assert_eq!(firsts(driver.output()), [(0, BLUE), (10, RGB8::OFF)]);
}

#[test]
fn cancelling_a_crossfade_switches_everything_off() {
    let fade = crossfade(on(0..2).color(RED), on(1..3).color(BLUE), ms(100)).step(ms(25));
    let program = fade.timeout(ms(60));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), at_ms(60));
    let last = driver.output().steps().last().unwrap();
    assert_eq!((last.at, &*last.pixels), (at_ms(60), &[RGB8::OFF; 3][..]));
}

#[test]
fn crossfades_nest_in_overlays_and_overlays_in_crossfades() {
    let base = on(0..2).color(RED);
    let fade = crossfade(&base, on(0..2).color(BLUE), ms(100)).step(ms(50));
    let program = overlay(fade.timeout(ms(200)), on(1).color(RGB8::new(0, 255, 0)).timeout(ms(75)));
    let recorder = colours(2, &program, ms(300));
    let green = RGB8::new(0, 255, 0);
    let half = RGB8::new(128, 0, 128);
    let steps: Vec<_> = recorder.steps().iter().map(|s| (s.at, s.pixels.to_vec())).collect();
    assert_eq!(
        steps,
        [
            (at_ms(0), vec![RED, green]),
            (at_ms(50), vec![half, green]),
            (at_ms(75), vec![half, half]),
            (at_ms(100), vec![BLUE, BLUE]),
            (at_ms(200), vec![RGB8::OFF, RGB8::OFF]),
        ]
    );
    let inner = crossfade(overlay(&base, on(1).color(green)), on(0..2).color(BLUE), ms(100))
        .step(ms(50))
        .timeout(ms(150));
    let recorder = colours(2, &inner, ms(300));
    let steps: Vec<_> = recorder.steps().iter().map(|s| (s.at, s.pixels.to_vec())).collect();
    assert_eq!(steps[0], (at_ms(0), vec![RED, green]));
    assert_eq!(steps[1], (at_ms(50), vec![half, RGB8::new(0, 128, 128)]));
    assert_eq!(steps[2], (at_ms(100), vec![BLUE, BLUE]));
}

#[test]
fn crossfade_bounds_are_tos_and_steps_are_validated() {
    let fade = crossfade(on(0).color(RED), wait(ms(30)), ms(100));
    assert_eq!((fade.min_duration(), fade.max_duration()), (ms(30), Some(ms(30))));
    let fade = crossfade(wait(ms(30)), on(0).color(RED), ms(10));
    assert_eq!((fade.min_duration(), fade.max_duration()), (Duration::MAX, None));

    let short =
        crossfade(on(0).color(RED), on(0).color(BLUE), ms(10)).step(Duration::from_micros(50));
    let err = Animation::<RGB8>::validate(&short, 1).unwrap_err();
    assert_eq!(err.path(), "crossfade");
    assert!(matches!(err.kind(), ValidationErrorKind::StepTooShort { .. }), "{err}");
    let long = crossfade(on(0).color(RED), on(0).color(BLUE), Duration::MAX);
    let err = Animation::<RGB8>::validate(&long, 1).unwrap_err();
    assert!(matches!(err.kind(), ValidationErrorKind::TooLong { .. }), "{err}");
    let outside = crossfade(on(0).color(RED), on(3).color(BLUE), ms(10));
    assert_eq!(Animation::<RGB8>::validate(&outside, 2).unwrap_err().path(), "crossfade[1] > on");
}

/// Both bounds of any animation, for short assertions.
trait DynBounds {
    fn bounds(&self) -> (Duration, Option<Duration>);
}

impl<A: Animation<bool>> DynBounds for A {
    fn bounds(&self) -> (Duration, Option<Duration>) {
        (self.min_duration(), self.max_duration())
    }
}

#[test]
fn a_panic_in_a_layer_leaves_the_driver_drawing_into_the_frame() {
    let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
    let boom = from_fn(async |cx: &Cx<bool>, start: Instant| {
        cx.sleep_until(start + ms(5)).await;
        panic!("boom")
    });
    let program = overlay(on(0).timeout(ms(10)), boom);
    let panicked =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| driver.run(&program))).is_err();
    assert!(panicked);
    // The next run draws into the frame again, and so does another overlay.
    let next = on(1).timeout(ms(10)).then(overlay(wait(ms(10)), on(0).timeout(ms(5))));
    driver.run(&next).unwrap();
    let last: Vec<_> =
        driver.output().steps().iter().rev().take(3).map(|s| s.pixels.to_vec()).collect();
    assert_eq!(last, [vec![false, false], vec![true, false], vec![false, true]]);
}

#[test]
fn layered_programs_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Overlay<Blink<bool>, On<bool>>>();
    send_sync::<Crossfade<Pulse<RGB8>, Rainbow<RGB8>>>();
    send_sync::<Curve>();
    fn send<T: Send>() {}
    send::<Driver<Recorder, VirtualClock>>();
}

/// On time, except the first wake-up at or after `stall_at`, which comes `stall` late:
/// a machine that froze once (as in `tests/drift.rs`).
struct StallClock {
    now: Instant,
    stall_at: Instant,
    stall: Duration,
    stalled: bool,
}

impl Clock for StallClock {
    fn now(&self) -> Instant {
        self.now
    }
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), blinken::Idle> {
        let mut deadline = deadline.ok_or(blinken::Idle)?;
        if !self.stalled && deadline >= self.stall_at {
            self.stalled = true;
            deadline += self.stall;
        }
        self.now = self.now.max(deadline);
        Ok(())
    }
}

#[test]
fn after_a_stall_the_crossfade_draws_the_blend_step_due_now_once() {
    let clock =
        StallClock { now: Instant::ZERO, stall_at: at_ms(100), stall: ms(500), stalled: false };
    let fade = crossfade(on(0).color(RED), on(0).color(BLUE).timeout(ms(700)), secs(1));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), clock);
    assert_eq!(driver.run(&fade).unwrap(), at_ms(700));
    let writes = firsts(driver.output());
    // Steps of 20 ms until the stall; woken at 600 ms instead of 100 ms, it draws
    // step 30 (t = 0.6) once, then goes on from step 31 (t = 0.62) on time.
    assert_eq!(writes[..5].iter().map(|w| w.0).collect::<Vec<_>>(), [0, 20, 40, 60, 80]);
    assert_eq!(writes[5], (600, RGB8::new(102, 0, 153)));
    assert_eq!(writes[6], (620, RGB8::new(97, 0, 158)));
    // The end of `to` at 700 ms ends the crossfade: black.
    assert_eq!(writes.last(), Some(&(700, RGB8::OFF)));
}

/// Toggles LED 0 every `period`, `n` times, reading what it shows (the `Animation`
/// docs' example).
struct Toggle {
    period: Duration,
    n: u64,
}

impl Animation<bool> for Toggle {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        let _off = cx.off_on_drop(0);
        for k in 1..=self.n {
            cx.set(0, !cx.get(0));
            cx.sleep_until(start.add_times(self.period, k)).await;
        }
        start.add_times(self.period, self.n)
    }
}

#[test]
fn a_base_that_reads_the_frame_reads_what_it_would_without_the_overlay() {
    // LED 0 is lit before the toggle starts, so its first toggle switches it off.
    let before = fill(0, true);
    let toggle = Toggle { period: ms(100), n: 4 };
    let (_, alone) = run(2, &(&before).then(&toggle));
    let (_, layered) = run(2, &(&before).then(overlay(&toggle, on(1).timeout(ms(150)))));
    let led0 = |r: &Recorder| -> Vec<(Instant, bool)> {
        let mut last = None;
        let mut out = Vec::new();
        for s in r.steps() {
            if last != Some(s.pixels[0]) {
                out.push((s.at, s.pixels[0]));
                last = Some(s.pixels[0]);
            }
        }
        out
    };
    assert_eq!(led0(&layered), led0(&alone));
    alone.assert_timeline(
        "
        0.000000 ..
        0.100000 #.
        0.200000 ..
        0.300000 #.
        0.400000 ..
        ",
    );
}

#[test]
fn boxed_and_listed_children_draw_in_their_layers() {
    // The top is a race of boxed children (polled through a ready set, dropped by it);
    // the whole overlay is boxed, as a player receives it.
    let top: Vec<BoxAnimation<bool>> =
        vec![blink(1, ms(30)).boxed(), wait(ms(100)).boxed(), on(2).boxed()];
    let base: Vec<BoxAnimation<bool>> =
        vec![on(0).timeout(ms(200)).boxed(), on(1).timeout(ms(50)).boxed()];
    // At 30 ms the blink goes off over the base's lit LED 1: no change until 50 ms.
    let program: BoxAnimation<bool> = overlay(all(base), any(top)).boxed();
    let (end, recorder) = run(3, &program);
    assert_eq!(end, at_ms(200));
    recorder.assert_timeline(
        "
        0.000000 ###
        0.050000 #.#
        0.060000 ###
        0.090000 #.#
        0.100000 #..
        0.200000 ...
        ",
    );
}

#[test]
fn dots_are_lit_only_with_some_brightness() {
    let dim = Dot::new(RGB8::new(255, 0, 0), 0); // a colour at brightness 0: unlit
    let blue = Dot::new(BLUE, 31);
    let program = fill(0..2, blue)
        .then(wait(ms(100)))
        .overlay(fill(0, dim).then(fill(1, Dot::from(RED))).then(wait(ms(50))));
    let mut driver = Driver::new(Recorder::<Dot>::with_len(2), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), at_ms(100));
    let steps = driver.output().steps();
    assert_eq!(&*steps[0].pixels, [blue, Dot::from(RED)]);
    assert_eq!((steps[1].at, &*steps[1].pixels), (at_ms(50), &[blue, blue][..]));
}
