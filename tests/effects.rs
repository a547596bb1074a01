//! Effects: catching up after stalls, validation, cancellation, colour pixel types.

use blinken::prelude::*;

const RED: RGB8 = RGB8::new(255, 0, 0);
const GOLD: RGB8 = RGB8::new(255, 222, 30);

/// A clock that wakes `late` after every deadline, as a stalled machine does.
struct LateClock {
    now: Instant,
    late: Duration,
}

impl Clock for LateClock {
    fn now(&self) -> Instant {
        self.now
    }
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), blinken::Idle> {
        self.now = self.now.max(deadline.ok_or(blinken::Idle)? + self.late);
        Ok(())
    }
}

/// Plays `effect` on a clock that wakes `late` after each deadline and checks that
/// every frame written shows exactly what the effect shows on time at that instant
/// (given its `period`, at the same phase of its second period).
fn catches_up<A: Animation<RGB8>>(
    effect: &A,
    n: usize,
    late: Duration,
    horizon: Duration,
    period: Option<Duration>,
) {
    let mut on_time = Driver::new(Recorder::<RGB8>::with_len(n), VirtualClock::new());
    let reference = period.map_or(horizon + late * 2, |p| p * 3);
    on_time.run_for(effect, reference).unwrap();
    let expected = on_time.output().steps();
    let clock = LateClock { now: Instant::ZERO, late };
    let mut stalled = Driver::new(Recorder::<RGB8>::with_len(n), clock);
    stalled.run_for(effect, horizon).unwrap();
    let written = stalled.output().steps();
    assert!(written.len() > 1, "{written:?}");
    for step in written {
        let at = match period {
            Some(p) if step.at > Instant::ZERO + p * 2 => {
                let p = p.as_nanos() as u64;
                Instant::from_nanos(step.at.as_nanos() % p + p)
            }
            _ => step.at,
        };
        let want = expected.iter().rev().find(|s| s.at <= at).unwrap();
        assert_eq!(step.pixels, want.pixels, "at {}", step.at);
    }
}

#[test]
fn effects_catch_up_to_the_step_due_now() {
    for late in [ms(1), ms(35), ms(130), ms(999), secs(7)] {
        let horizon = late * 12 + secs(2);
        catches_up(&color_cycle(0..3, ms(100), [RED, GOLD]), 3, late, horizon, None);
        catches_up(&chase(0..9, ms(100), GOLD).reverse(true), 9, late, horizon, None);
        catches_up(&rainbow(0..9, ms(100)).period(secs(3)), 9, late, horizon, None);
        catches_up(&rainbow_chase(0..9, ms(100)).step(30), 9, late, horizon, None);
        let breathing = pulse(0..2, ms(100), GOLD).period(secs(2)).breath(ms(400));
        catches_up(&breathing, 2, late, horizon, None);
        let c = rainbow_comet(0..12, ms(100)).tail_length(4).bounce(true);
        catches_up(&c, 12, late, horizon, None);
        catches_up(&larson_scanner(0..7, ms(100), GOLD), 7, late, horizon, None);
        let f = fade(0..2, RED, GOLD, horizon / 2).step(ms(100)).then(solid(0..2, GOLD));
        catches_up(&f, 2, late, horizon, None);
        // Up to 8·LEDs missed steps, a sparkle's catch-up is exact.
        catches_up(&sparkle(0..9, ms(100), GOLD).num_sparkles(2).seed(9), 9, late, horizon, None);
        catches_up(&rainbow_sparkle(0..9, ms(100)).num_sparkles(2), 9, late, horizon, None);
        for (bounce, ring, reverse) in [
            (false, false, false),
            (false, false, true),
            (true, false, false),
            (true, false, true),
            (false, true, false),
            (false, true, true),
        ] {
            let c = comet(0..9, ms(100), GOLD).tail_length(3);
            let c = c.bounce(bounce).ring(ring).reverse(reverse).background(RGB8::new(0, 1, 2));
            catches_up(&c, 9, late, horizon, None);
        }
    }
}

#[test]
fn catching_up_a_long_stall_costs_one_step() {
    // A comet stalled for a day redraws at most one flight: the run takes no time. A
    // bouncing comet of 30 LEDs with a tail of 7 repeats every 2·(30 + 7 + 1) steps.
    let effect = comet(0..30, ms(100), GOLD).bounce(true);
    catches_up(&effect, 30, secs(86_400), secs(86_400 * 5), Some(ms(7600)));
}

fn refuses<A: Animation<RGB8>>(effect: A, len: usize, message: &str) {
    let err = effect.validate(len).unwrap_err();
    assert_eq!(err.to_string(), message);
}

#[test]
fn effects_validate_their_parameters_with_named_errors() {
    refuses(
        comet(0..3, ms(100), RED),
        3,
        "comet: tail_length = 0 is not allowed; give a tail of 1 to 3 LEDs (the comet's LEDs)",
    );
    refuses(
        comet(0..3, ms(100), RED).tail_length(4),
        3,
        "comet: tail_length = 4 is not allowed; give a tail of 1 to 3 LEDs (the comet's LEDs)",
    );
    refuses(
        comet(0..8, ms(100), RED).bounce(true).ring(true),
        8,
        "comet: bounce = true is not allowed; a comet on a ring cannot bounce",
    );
    refuses(
        comet(0..8, Duration::from_micros(99), RED),
        8,
        "comet: a step of 99µs is shorter than MIN_STEP (100µs): no LED shows it, and catching \
         up after a stall would cost work per missed step; use at least 100µs",
    );
    refuses(
        chase(0..8, ms(100), RED).size(0),
        8,
        "chase: size = 0 is not allowed; a bar lights at least 1 LED",
    );
    refuses(
        chase(0..9, ms(100), RED),
        8,
        "chase: LED index 8 is outside the output (8 LEDs); use 0..=7",
    );
    refuses(
        color_cycle(0..2, ms(100), []),
        2,
        "color_cycle: colors = [] is not allowed; give it at least one colour",
    );
    refuses(
        color_cycle(0..2, ms(100), [RED]).start_color(1),
        2,
        "color_cycle: start_color = 1 is not allowed; use 0..=0 (an index into the colours)",
    );
    refuses(
        rainbow(0..2, ms(100)).period(ms(0)),
        2,
        "rainbow: period = 0s is not allowed; the wheel needs some time to turn",
    );
    refuses(
        rainbow(0..2, ms(100)).step(0),
        2,
        "rainbow: step = 0 is not allowed; use a step of 1 to 255 on the wheel",
    );
    refuses(
        rainbow_chase(0..2, ms(100)).step(0),
        2,
        "rainbow_chase: step = 0 is not allowed; use a step of 1 to 255 on the wheel",
    );
    refuses(
        rainbow_comet(0..5, ms(100)),
        5,
        "rainbow_comet: tail_length = 10 is not allowed; give a tail of 1 to 5 LEDs (the \
         comet's LEDs)",
    );
    refuses(
        pulse(0..2, ms(100), RED).period(Duration::from_micros(1500)),
        2,
        "pulse: period = 1.5ms is not allowed; use at least 2ms",
    );
    refuses(
        pulse(0..2, ms(100), RED).min_intensity(0.5).max_intensity(0.4),
        2,
        "pulse: max_intensity = 0.4 is not allowed; use 0.5 (min_intensity) to 1.0",
    );
    refuses(
        pulse(0..2, ms(100), RED).min_intensity(-0.1),
        2,
        "pulse: min_intensity = -0.1 is not allowed; use 0.0 to 1.0",
    );
    refuses(
        sparkle(0..2, ms(100), RED).num_sparkles(0),
        2,
        "sparkle: num_sparkles = 0 is not allowed; sparkle at least 1 LED a step",
    );
    refuses(
        rainbow_sparkle(0..2, ms(100)).background_brightness(1.5),
        2,
        "rainbow_sparkle: background_brightness = 1.5 is not allowed; use 0.0 to 1.0",
    );
    refuses(
        larson_scanner(0..3, ms(100), RED).trail(5),
        3,
        "larson_scanner: trail = 5 is not allowed; use 0 to 4 (one sweep there and back)",
    );
    refuses(
        fade(0..3, RED, GOLD, secs(1)).step(Duration::from_micros(50)),
        3,
        "fade: a step of 50µs is shorter than MIN_STEP (100µs): no LED shows it, and catching \
         up after a stall would cost work per missed step; use at least 100µs",
    );
    // A fade of one step may be as short as you like.
    assert!(Animation::<RGB8>::validate(&fade(0, RED, GOLD, ms(1)).step(ms(1)), 1).is_ok());
    refuses(solid(Leds::none(), RED), 2, "solid: no LEDs to walk over; give it at least one LED");
    let err = Animation::<RGB8>::validate(&chase(0..2, secs(4_000_000_000), RED), 2).unwrap_err();
    assert!(err.to_string().starts_with("chase: the speed of"), "{err}");
    // Effects are animations like any other: inside a program the path names them.
    let program = sequence((wait(ms(1)), comet(0..2, ms(100), RED).timeout(secs(1))));
    let err = Animation::<RGB8>::validate(&program, 2).unwrap_err();
    assert_eq!(err.path(), "sequence[1] > timeout > comet");
}

#[test]
fn effects_compose_and_switch_their_leds_off_when_cancelled() {
    let program = sequence((
        chase(0..4, ms(100), RED).size(1).spacing(1).timeout(ms(250)),
        comet(0..4, ms(100), RED).tail_length(1).timeout(ms(300)),
    ))
    .or(wait(secs(1)));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(4), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(550));
    driver.output().assert_timeline(
        "
        0.000000 #.#.
        0.100000 .#.#
        0.200000 #.#.
        0.250000 ....
        0.350000 #...
        0.450000 .#..
        0.550000 ....
        ",
    );
}

#[test]
fn effects_play_on_dots_keeping_their_brightness() {
    let dim = Dot::new(RGB8::new(200, 100, 0), 5);
    let mut driver = Driver::new(Recorder::<Dot>::with_len(4), VirtualClock::new());
    driver.run(&comet(0..4, ms(100), dim).tail_length(2).timeout(ms(250))).unwrap();
    let steps = driver.output().steps();
    // Step 2 (0.2 s): tail end at 0 (intensity 0.05), head at 1 (0.525).
    let frame = &steps.iter().find(|s| s.at == Instant::ZERO + ms(200)).unwrap().pixels;
    assert_eq!(frame[0], Dot::new(RGB8::new(10, 5, 0), 5));
    assert_eq!(frame[1], Dot::new(RGB8::new(105, 52, 0), 5));
    assert_eq!(frame[2], Dot::OFF);
}

fn frames<A: Animation<RGB8>>(effect: &A, n: usize) -> Vec<Box<[RGB8]>> {
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(n), VirtualClock::new());
    driver.run_for(effect, secs(10)).unwrap();
    driver.output().steps().iter().map(|s| s.pixels.clone()).collect()
}

#[test]
fn random_effects_repeat_with_their_seed() {
    let a = sparkle(0..30, ms(50), GOLD).num_sparkles(3).seed(1);
    assert_eq!(frames(&a, 30), frames(&a.clone(), 30));
    assert_ne!(frames(&a, 30), frames(&a.clone().seed(2), 30));
    let b = rainbow_sparkle(0..30, ms(50)).seed(1);
    assert_eq!(frames(&b, 30), frames(&b.clone(), 30));
    assert_ne!(frames(&b, 30), frames(&b.clone().seed(2), 30));
    // Every LED gets its turn.
    let all = frames(&sparkle(0..30, ms(50), GOLD), 30);
    let last = all.last().unwrap();
    assert!(last.iter().all(|&p| p != RGB8::OFF), "{last:?}");
}

fn reds(driver: &Driver<Recorder<RGB8>, VirtualClock>) -> Vec<(u64, Vec<u8>)> {
    let steps = driver.output().steps();
    steps
        .iter()
        .map(|s| (s.at.as_nanos() / 1_000_000, s.pixels.iter().map(|p| p.r).collect()))
        .collect()
}

#[test]
fn the_larson_scanner_sweeps_with_a_fading_trail() {
    let scanner = larson_scanner(0..5, ms(10), RED).trail(3);
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(5), VirtualClock::new());
    driver.run(&scanner.timeout(ms(95))).unwrap();
    // Intensities 4/4, 3/4, 2/4, 1/4 of 255, truncated: 255, 191, 127, 63.
    assert_eq!(
        reds(&driver),
        [
            (0, vec![255, 0, 0, 0, 0]),
            (10, vec![191, 255, 0, 0, 0]),
            (20, vec![127, 191, 255, 0, 0]),
            (30, vec![63, 127, 191, 255, 0]),
            (40, vec![0, 63, 127, 191, 255]),
            (50, vec![0, 0, 63, 255, 191]), // turned: the trail folds under the eye
            (60, vec![0, 0, 255, 191, 127]),
            (70, vec![0, 255, 191, 127, 63]),
            (80, vec![255, 191, 127, 63, 0]),
            (90, vec![191, 255, 63, 0, 0]),
            (95, vec![0, 0, 0, 0, 0]),
        ]
    );
    // One LED: the eye stays.
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
    driver.run(&larson_scanner(0, ms(10), RED).trail(0).timeout(ms(35))).unwrap();
    assert_eq!(reds(&driver), [(0, vec![255]), (35, vec![0])]);
}

#[test]
fn a_fade_ends_at_its_duration_whatever_the_step() {
    let program = fade(0, RGB8::OFF, RED, ms(250)).step(ms(100));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(250));
    // 0, 0.4 and 0.8 of 255, rounded; off at the end.
    assert_eq!(reds(&driver), [(0, vec![0]), (100, vec![102]), (200, vec![204]), (250, vec![0])]);
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
    assert_eq!(driver.run(&fade(0, RED, RED, ms(0))).unwrap(), Instant::ZERO);
    assert_eq!(Animation::<RGB8>::min_duration(&program), ms(250));
    assert_eq!(Animation::<RGB8>::max_duration(&program), Some(ms(250)));
}

#[test]
fn a_fade_of_dots_mixes_their_brightness() {
    let (from, to) = (Dot::new(RED, 31), Dot::new(RGB8::new(0, 0, 255), 1));
    let mut driver = Driver::new(Recorder::<Dot>::with_len(1), VirtualClock::new());
    driver
        .run(&fade(0, from, to, ms(100)).step(ms(50)).then(solid(0, to)).timeout(ms(200)))
        .unwrap();
    let steps = driver.output().steps();
    assert_eq!(steps[0].pixels[0], from);
    assert_eq!(steps[1].pixels[0], Dot::new(RGB8::new(128, 0, 128), 16));
    assert_eq!(steps[2].pixels[0], to);
}

fn send_sync_unpin<T: Send + Sync + Unpin>() {}

#[test]
fn effects_are_send_sync_and_unpin() {
    // Effects can be sent to a player thread, as the leaves can.
    send_sync_unpin::<Solid<RGB8>>();
    send_sync_unpin::<ColorCycle<Dot>>();
    send_sync_unpin::<Chase<RGB8>>();
    send_sync_unpin::<Comet<Dot>>();
    send_sync_unpin::<Rainbow<RGB8>>();
    send_sync_unpin::<RainbowChase<RGB8>>();
    send_sync_unpin::<RainbowComet<Dot>>();
    send_sync_unpin::<Pulse<RGB8>>();
    send_sync_unpin::<Sparkle<RGB8>>();
    send_sync_unpin::<RainbowSparkle<Dot>>();
    send_sync_unpin::<LarsonScanner<RGB8>>();
    send_sync_unpin::<Fade<Dot>>();
}
