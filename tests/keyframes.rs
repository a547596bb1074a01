//! The keyframe leaf: drift-free frame times, dark at the end and when cancelled,
//! validation naming the frame.

use blinken::prelude::*;
use blinken::{Clock, Idle};
use blinken::{Keyframe, Keyframes, LONGEST, ValidationErrorKind, keyframes};

fn rgb(r: u8, g: u8, b: u8) -> RGB8 {
    RGB8::new(r, g, b)
}

#[test]
fn ten_thousand_frames_of_ten_ms_end_at_exactly_100_s() {
    let frames = (0..10_000u32).map(|k| (ms(10), vec![k % 2 == 0]));
    let program = keyframes(frames);
    assert_eq!(Animation::<bool>::max_duration(&program), Some(secs(100)));
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + secs(100));
    let steps = driver.output().steps();
    // Every frame changes the LED, then the end switches it off (frame 9,999 is already off).
    assert_eq!(steps.len(), 10_000);
    for (k, step) in steps.iter().enumerate() {
        assert_eq!(step.at, Instant::ZERO + ms(10) * k as u32, "frame {k}");
    }
    assert_eq!(driver.shown(), &[false]);
}

#[test]
fn frame_k_starts_at_the_sum_of_the_earlier_durations() {
    // Uneven durations that do not add up exactly in floating point seconds.
    let durations = [100, 107, 113, 333, 1_000_001, 103];
    let frames: Vec<Keyframe<bool>> = durations
        .iter()
        .enumerate()
        .map(|(k, &us)| Keyframe::new(Duration::from_micros(us), vec![k % 2 == 0]))
        .collect();
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let end = driver.run(&keyframes(frames).plays(3)).unwrap();
    let play: u64 = durations.iter().sum();
    assert_eq!(end, Instant::ZERO + Duration::from_micros(3 * play));
    let mut expected = Vec::new();
    for p in 0..3 {
        let mut t = p * play;
        for us in durations {
            expected.push(Instant::ZERO + Duration::from_micros(t));
            t += us;
        }
    }
    // The last frame is dark already, so the end writes nothing new.
    let times: Vec<Instant> = driver.output().steps().iter().map(|s| s.at).collect();
    assert_eq!(times, expected);
}

#[test]
fn dark_at_the_end_and_when_cancelled() {
    let red = rgb(255, 0, 0);
    let frames = [(ms(100), vec![red, red]), (ms(100), vec![red])];
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
    driver.run(&keyframes(frames.clone())).unwrap();
    driver.output().assert_timeline(
        "
        0.000000 ##.
        0.100000 #..
        0.200000 ...
        ",
    );

    let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
    let end = driver.run(&keyframes(frames).looping().timeout(ms(250))).unwrap();
    assert_eq!(end, Instant::ZERO + ms(250));
    driver.output().assert_timeline(
        "
        0.000000 ##.
        0.100000 #..
        0.200000 ##.
        0.250000 ...
        ",
    );
}

#[test]
fn looping_forever_with_a_pause_between_plays_holds_the_last_frame() {
    let frames = [(ms(10), vec![true, false]), (ms(20), vec![false, true])];
    let program = keyframes(frames).looping().pause(ms(70));
    assert_eq!(Animation::<bool>::max_duration(&program), None);
    let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
    driver.run_for(&program, ms(250)).unwrap();
    driver.output().assert_timeline(
        "
        0.000000 #.
        0.010000 .#
        0.100000 #.
        0.110000 .#
        0.200000 #.
        0.210000 .#
        ",
    );
}

#[test]
fn leds_place_the_pixels_and_shorter_frames_leave_the_rest_dark() {
    let frames = [(ms(10), vec![true, true, true]), (ms(10), vec![true])];
    let program = keyframes(frames).leds([4, 2, 0]);
    let mut driver = Driver::new(Recorder::new(5), VirtualClock::new());
    driver.run(&program).unwrap();
    driver.output().assert_timeline(
        "
        0.000000 #.#.#
        0.010000 ....#
        0.020000 .....
        ",
    );
}

#[test]
fn plays_zero_ends_at_once_and_max_duration_is_exact() {
    let program: Keyframes<bool> = keyframes([(ms(30), vec![true])]).plays(0);
    assert_eq!(program.max_duration(), Some(Duration::ZERO));
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO);

    let program: Keyframes<bool> =
        keyframes([(ms(30), vec![true]), (ms(20), vec![])]).plays(4).pause(ms(5));
    assert_eq!(program.max_duration(), Some(ms(4 * 50 + 3 * 5)));
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(215));
}

#[test]
fn validation_names_the_frame() {
    let check = |program: &Keyframes<bool>, len| Animation::<bool>::validate(program, len);

    let none: Keyframes<bool> = keyframes(Vec::<Keyframe<bool>>::new());
    let err = check(&none, 3).unwrap_err();
    assert_eq!(err.kind(), &ValidationErrorKind::NoFrames);
    assert_eq!(
        err.to_string(),
        "keyframes: no frames to play; give the keyframes at least one frame"
    );

    let zero = keyframes([(ms(1), vec![true]), (Duration::from_micros(99), vec![false])]);
    let err = check(&zero, 3).unwrap_err();
    let duration = Duration::from_micros(99);
    assert_eq!(err.kind(), &ValidationErrorKind::FrameTooShort { frame: 1, duration });
    assert_eq!(
        err.to_string(),
        "keyframes: frame 1 lasts 99µs, less than MIN_STEP (100µs): no LED shows it; give \
         every frame at least 100µs"
    );
    let long = keyframes([(LONGEST + Duration::from_nanos(1), vec![true])]);
    assert!(check(&long, 1).unwrap_err().to_string().contains("a frame of"));
    let pause = keyframes([(ms(1), vec![true])]).plays(2).pause(LONGEST * 2);
    assert!(check(&pause, 1).unwrap_err().to_string().contains("the pause of"));

    let long = keyframes([(ms(1), vec![true]), (ms(1), vec![true; 4]), (ms(1), vec![true; 5])]);
    let err = check(&long, 3).unwrap_err();
    assert_eq!(err.kind(), &ValidationErrorKind::FrameTooLong { frame: 1, pixels: 4, leds: 3 });
    let err = check(&long.clone().leds([0, 1, 2, 3]), 9).unwrap_err();
    assert_eq!(err.kind(), &ValidationErrorKind::FrameTooLong { frame: 2, pixels: 5, leds: 4 });
    let err = check(&long.clone().leds(0..5), 4).unwrap_err();
    assert_eq!(err.kind(), &ValidationErrorKind::LedOutOfRange { index: 4, len: 4 });
    assert!(check(&long, 5).is_ok());

    // Inside a combinator the path says where.
    let err = Animation::<bool>::validate(&wait(ms(1)).then(zero), 3).unwrap_err();
    assert_eq!(err.path(), "sequence[1] > keyframes");
    // Looping, they never end: a forever of them is fine, and their bounds are exact.
    let looping: Keyframes<bool> = keyframes([(ms(1), vec![true])]).looping();
    assert_eq!(looping.min_duration(), Duration::MAX);
    assert!(Animation::<bool>::validate(&forever(looping), 1).is_ok());
    let twice: Keyframes<bool> = keyframes([(ms(1), vec![true])]).plays(2).pause(ms(3));
    assert_eq!(twice.min_duration(), ms(5));
    assert_eq!(twice.max_duration(), Some(ms(5)));
}

#[test]
fn keyframes_are_send_sync_and_boxable() {
    fn send_sync<T: Send + Sync + 'static>(_: &T) {}
    let program = keyframes([(ms(1), vec![rgb(1, 2, 3)])]);
    send_sync(&program);
    let boxed: BoxAnimation<RGB8> = program.boxed();
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(1), VirtualClock::new());
    assert_eq!(driver.run(&boxed).unwrap(), Instant::ZERO + ms(1));
}

/// On time, except the first wake-up at or after `stall_at`, which comes `stall` late.
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
    fn sleep_until(&mut self, deadline: Option<Instant>) -> Result<(), Idle> {
        let mut deadline = deadline.ok_or(Idle)?;
        if !self.stalled && deadline >= self.stall_at {
            self.stalled = true;
            deadline += self.stall;
        }
        self.now = self.now.max(deadline);
        Ok(())
    }
}

/// Counts the sleeps a run starts: the work it does.
struct Counted<A>(A, std::rc::Rc<std::cell::Cell<u64>>);

impl<A: Animation<bool>> Animation<bool> for Counted<A> {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        let before = cx.sleeps_started();
        let end = self.0.run(cx, start).await;
        self.1.set(cx.sleeps_started() - before);
        end
    }
    fn validate(&self, len: usize) -> Result<(), blinken::ValidationError> {
        self.0.validate(len)
    }
}

#[test]
fn a_stall_jumps_to_the_frame_due_keeping_the_phase() {
    // Three frames of 10, 20 and 30 ms and a pause of 40 ms: a play every 100 ms. The
    // machine freezes at 10 ms for 10^9 plays and 65 ms: it wakes in the pause of a play,
    // where the last frame is held, and goes on in phase, without replaying the frames
    // it missed.
    let frames =
        [(ms(10), vec![true, false]), (ms(20), vec![false, true]), (ms(30), vec![true, true])];
    let program = keyframes(frames).plays(1_000_000_002).pause(ms(40));
    let sleeps = std::rc::Rc::default();
    let counted = Counted(program, std::rc::Rc::clone(&sleeps));
    let stall = ms(100) * 1_000_000_000 + ms(65);
    let clock =
        StallClock { now: Instant::ZERO, stall_at: Instant::ZERO + ms(10), stall, stalled: false };
    let mut driver = Driver::new(Recorder::new(2), clock);
    let plays = 1_000_000_002u64;
    let end = driver.run(&counted).unwrap();
    assert_eq!(end, Instant::ZERO.add_times(ms(100), plays - 1) + ms(60));
    let woke = Instant::ZERO + ms(10) + stall;
    let play = |p: u64, t: u64| Instant::ZERO.add_times(ms(100), p) + ms(t);
    let steps: Vec<(Instant, String)> = driver
        .output()
        .steps()
        .iter()
        .map(|s| (s.at, s.pixels.iter().map(|&p| if p { '#' } else { '.' }).collect()))
        .collect();
    let expected: Vec<(Instant, String)> = [
        (Instant::ZERO, "#."),
        (woke, "##"), // 10^9 plays + 75 ms: the pause after frame 2
        (play(1_000_000_001, 0), "#."),
        (play(1_000_000_001, 10), ".#"),
        (play(1_000_000_001, 30), "##"),
        (end, ".."),
    ]
    .into_iter()
    .map(|(t, s)| (t, s.to_owned()))
    .collect();
    assert_eq!(steps, expected);
    assert!(sleeps.get() < 20, "{} sleeps", sleeps.get());
}
