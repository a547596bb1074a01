//! Steady-state playback allocates nothing: a counting global allocator proves it.
//!
//! The allocator counts allocations (`alloc`, `alloc_zeroed`, `realloc`) per thread, so
//! tests running in parallel, and the test harness itself, do not disturb each other.
//! A probe output reads the count of the driver's thread in its `write`, so the count
//! is taken between two frames, inside one run: warm-up and measurement are the same
//! run, and whatever a run allocates when it starts (the animation's futures, a
//! `Vec` of branches) is outside the window.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::convert::Infallible;

use blinken::output::Frame;
use blinken::prelude::*;

/// The system allocator, counting allocations of the calling thread.
struct Counting;

thread_local! {
    // Const-initialised and without a destructor: touching it never allocates.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: the allocator may be called while the thread is being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the contract;
// the counter is a thread-local `Cell` that does not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// An output that allocates nothing and reads the allocation count at the frames of a
/// window of virtual time.
struct Probe<P = bool> {
    len: usize,
    _pixel: std::marker::PhantomData<P>,
    /// Frames at or after this instant are in the window...
    from: Instant,
    /// ...and at or before this one.
    to: Instant,
    /// The count at the first frame of the window.
    first: Option<u64>,
    /// The count at the last frame of the window seen so far.
    last: u64,
    /// Frames written in the window.
    frames: u64,
    /// Instant of the last frame of the window.
    last_at: Instant,
    pixel: core::marker::PhantomData<P>,
}

impl<P> Probe<P> {
    fn new(len: usize, from: Duration, to: Duration) -> Probe<P> {
        Probe {
            len,
            _pixel: std::marker::PhantomData,
            from: Instant::ZERO + from,
            to: Instant::ZERO + to,
            first: None,
            last: 0,
            frames: 0,
            last_at: Instant::ZERO,
            pixel: core::marker::PhantomData,
        }
    }

    /// Allocations between the first and the last frame of the window.
    fn allocated(&self) -> u64 {
        self.last - self.first.expect("the window saw at least one frame")
    }
}

impl<P: Pixel> Output for Probe<P> {
    type Pixel = P;
    type Error = Infallible;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, P>) -> Result<(), Infallible> {
        if frame.at >= self.from && frame.at <= self.to {
            let now = allocations();
            self.first.get_or_insert(now);
            self.last = now;
            self.frames += 1;
            self.last_at = frame.at;
        }
        Ok(())
    }
}

/// Plays `program` on a virtual clock until `to` and returns the probe.
fn probe(len: usize, program: &impl Animation<bool>, from: Duration, to: Duration) -> Probe {
    probe_of(len, program, from, to)
}

/// [`probe`] for any pixel type.
fn probe_of<P: Pixel>(
    len: usize,
    program: &impl Animation<P>,
    from: Duration,
    to: Duration,
) -> Probe<P> {
    let mut driver = Driver::new(Probe::new(len, from, to), VirtualClock::new());
    driver.run_for(program, to).expect("the program plays");
    driver.into_output()
}

#[test]
fn the_smiley_demo_allocates_nothing_after_its_first_pass() {
    // The mouth loop takes 2 s a pass; from its second pass on nothing is new: the
    // talking until 7 s, the switch to the static face, then holding it. The window
    // ends with the run, after 70 s (a minute after a 10 s warm-up).
    let mut driver = Driver::new(Probe::new(25, secs(2), secs(70)), VirtualClock::new());
    driver.run_for(&blinken::demos::smiley(), secs(70)).expect("the demo plays");
    let after = allocations();
    let probe = driver.output();
    assert_eq!(probe.last_at, Instant::ZERO + secs(7), "the face is still from 7 s on");
    assert!(probe.frames >= 10, "the window saw {} frames", probe.frames);
    let allocated = after - probe.first.expect("frames in the window");
    assert_eq!(allocated, 0, "{allocated} allocations from 2 s to the end at 70 s");
}

#[test]
fn a_minute_of_the_talking_smiley_allocates_nothing_after_warm_up() {
    // The demo talks for 7 s and then holds still; restarted every 8 s it talks for
    // the whole minute, and each restart builds the demo's futures afresh (no heap:
    // combinators of tuples live inside their parent's future).
    let talking = blinken::demos::smiley().timeout(secs(8)).forever();
    let probe = probe(25, &talking, secs(10), secs(70));
    assert!(probe.frames >= 100, "the window saw {} frames", probe.frames);
    assert_eq!(probe.allocated(), 0, "allocations in 60 s of virtual playback");
}

#[test]
fn a_thousand_concurrent_blinks_allocate_nothing_per_frame() {
    let blinks: Vec<_> =
        (0..1000).map(|i| blink(i, Duration::from_micros(1000 + i as u64))).collect();
    let probe = probe(1000, &all(blinks), ms(100), ms(600));
    assert!(probe.frames > 100_000, "the window saw {} frames", probe.frames);
    assert_eq!(probe.allocated(), 0, "allocations in 0.5 s of 1000 blinks");
}

#[test]
fn overlays_allocate_nothing_per_frame_nor_per_pass_after_warm_up() {
    // Every 2 s a fresh overlay (and one nested in its top) makes its layers: the
    // buffers of the first pass are reused, so a minute allocates nothing.
    let top = overlay(blink(3..6, ms(30)), blink(4, ms(7))).timeout(ms(700));
    let program = overlay(cycle(0..25, ms(10)), top).timeout(secs(2)).forever();
    let probe = probe(25, &program, secs(10), secs(70));
    assert!(probe.frames > 5_000, "the window saw {} frames", probe.frames);
    assert_eq!(probe.allocated(), 0, "allocations in 60 s of overlays");
}

#[test]
fn crossfades_allocate_nothing_per_frame_nor_per_pass_after_warm_up() {
    let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
    let from = blink(0..25, ms(40)).color(red);
    let to = pulse(0..25, ms(20), blue).period(secs(1));
    let program = crossfade(from, to, ms(500)).curve(Curve::EaseInOut).timeout(secs(2)).forever();
    let probe = probe_of::<RGB8>(25, &program, secs(10), secs(70));
    assert!(probe.frames > 2_000, "the window saw {} frames", probe.frames);
    assert_eq!(probe.allocated(), 0, "allocations in 60 s of crossfades");
}

#[test]
fn brightness_gamma_and_power_limit_allocate_nothing_per_frame() {
    use blinken::output::adapter::{Brightness, BrightnessHandle, Gamma, PowerLimit};
    // A rainbow over 60 LEDs draws ~1.8 A; a 1 A budget scales every frame (a new
    // scale each time, so every frame is sent whole), and the level changes halfway.
    let level = BrightnessHandle::new(200);
    let strip = PowerLimit::new(Probe::<RGB8>::new(60, ms(500), secs(3)), 1000);
    let chain = Brightness::with_handle(Gamma::new(strip, 2.8), level.clone());
    let dimmer = level.clone();
    let dim_at_1_5_s = from_fn(async move |cx: &Cx<RGB8>, start: Instant| {
        let end = cx.sleep_until(start + ms(1500)).await;
        dimmer.set(100);
        end
    });
    let program = all((rainbow(0..60, ms(10)).period(secs(1)), dim_at_1_5_s));
    let mut driver = Driver::new(chain, VirtualClock::new());
    driver.run_for(&program, secs(3)).expect("the rainbow plays");
    assert_eq!(level.get(), 100);
    let probe = driver.output().inner().inner().inner();
    assert!(probe.frames >= 150, "the window saw {} frames", probe.frames);
    assert_eq!(probe.allocated(), 0, "allocations in 2.5 s of an adapted rainbow");
}

#[test]
fn a_players_overlay_and_crossfades_allocate_nothing_per_frame() {
    use blinken::{ManualClock, Player};
    // A blink plays; at 1 s an overlay (for 5 s) and a crossfade (over 4 s) arrive, at
    // 2 s a second crossfade (over 4 s) that fades on from the first. They are carried
    // out inside the running program. From 2.2 s to 4.8 s four programs run on the
    // player's layers, two blends every 20 ms: nothing is allocated (the probe counts
    // the player thread's allocations, between its writes).
    let (red, green, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 255, 0), RGB8::new(0, 0, 255));
    let (clock, control) = ManualClock::new();
    let probe = Probe::<RGB8>::new(25, ms(2200), ms(4800));
    let player = Player::spawn(probe, clock).unwrap();
    let handle = player.handle();
    handle.play(blink(0..25, ms(40)).color(red)).unwrap();
    control.settle();
    let step = |until: Duration| {
        while control.now() < Instant::ZERO + until {
            control.advance(ms(10));
            control.settle();
        }
    };
    step(secs(1));
    handle.overlay(blink(3..6, ms(30)).color(green).timeout(secs(5))).unwrap();
    let next = pulse(0..25, ms(20), blue).period(secs(1));
    handle.crossfade(next, secs(4), Curve::EaseInOut).unwrap();
    control.settle();
    step(secs(2));
    handle.crossfade(rainbow(0..25, ms(10)).period(secs(1)), secs(4), Curve::Linear).unwrap();
    control.settle();
    step(ms(4900));
    assert!(handle.overlay_playing().is_some(), "the overlay plays through the window");
    let Ok(probe) = player.shutdown() else { panic!("the last write failed") };
    assert!(probe.frames >= 150, "the window saw {} frames", probe.frames);
    assert_eq!(probe.allocated(), 0, "allocations in 2.6 s of an overlay over two crossfades");
}

// ---- The frame benchmark's programs (benches/frame.rs): 1,000 APA102-encoded pixels.

/// [`Probe`] behind an APA102 encoder: every frame is encoded into the encoder's reused
/// buffer before the probe reads the allocation count.
struct Encoding {
    encoder: blinken::output::apa102::Apa102,
    probe: Probe<RGB8>,
    /// Bytes encoded, so that the encoding is not optimised away.
    bytes: usize,
}

impl Output for Encoding {
    type Pixel = RGB8;
    type Error = blinken::output::apa102::Apa102Error;

    fn len(&self) -> usize {
        self.probe.len
    }

    fn write(&mut self, frame: Frame<'_, RGB8>) -> Result<(), Self::Error> {
        self.bytes += self.encoder.encode(frame.pixels)?.len();
        let Ok(()) = self.probe.write(frame);
        Ok(())
    }
}

/// Plays `program` on 1,000 encoded pixels for 12 s (a frame every 10 ms) and checks
/// that the frames from 2 s to the end allocated nothing.
fn encoded_frames_allocate_nothing(name: &str, program: &impl Animation<RGB8>) {
    const LEDS: usize = 1000;
    let output = Encoding {
        encoder: blinken::output::apa102::Apa102::new().brightness(0.5),
        probe: Probe::new(LEDS, secs(2), secs(12)),
        bytes: 0,
    };
    let mut driver = Driver::new(output, VirtualClock::new());
    driver.run_for(program, secs(12)).expect("the program plays");
    let output = driver.output();
    let probe = &output.probe;
    assert!(probe.frames >= 990, "{name}: the window saw {} frames", probe.frames);
    assert_eq!(output.bytes % output.encoder.frame_len(LEDS), 0, "{name}: whole frames");
    assert!(output.bytes >= 1000 * output.encoder.frame_len(LEDS), "{name}");
    assert_eq!(probe.allocated(), 0, "{name}: allocations in 10 s of 1,000 encoded pixels");
}

#[test]
fn rainbow_comet_and_their_crossfade_on_1000_encoded_pixels_allocate_nothing_per_frame() {
    let speed = ms(10);
    // As in benches/frame.rs: the wheel turns one position a step.
    let rainbow = || rainbow(0..1000, speed).period(speed * 256);
    let comet = || comet(0..1000, speed, RGB8::new(255, 120, 20)).bounce(true);
    encoded_frames_allocate_nothing("rainbow", &rainbow());
    encoded_frames_allocate_nothing("comet", &comet());
    let fading = crossfade(rainbow(), comet(), secs(3600)).step(speed);
    encoded_frames_allocate_nothing("crossfade", &fading);
}
