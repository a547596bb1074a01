//! Output adapters: brightness, gamma and the power limit, exactly, alone and composed.

use blinken::output::adapter::{Brightness, BrightnessHandle, Gamma, PowerLimit};
use blinken::output::{Frame, Recorder};
use blinken::prelude::*;

/// An output that keeps every write with its `changed` list, and fails when told to.
#[derive(Debug)]
struct Spy<P> {
    len: usize,
    writes: Vec<(Vec<P>, Vec<usize>)>,
    fail_next: bool,
    clears: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("the spy refused the frame")]
struct Refused;

impl<P: Pixel> Spy<P> {
    fn new(len: usize) -> Spy<P> {
        Spy { len, writes: Vec::new(), fail_next: false, clears: 0 }
    }
}

impl<P: Pixel> Output for Spy<P> {
    type Pixel = P;
    type Error = Refused;
    fn len(&self) -> usize {
        self.len
    }
    fn write(&mut self, frame: Frame<'_, P>) -> Result<(), Refused> {
        if std::mem::take(&mut self.fail_next) {
            return Err(Refused);
        }
        self.writes.push((frame.pixels.to_vec(), frame.changed.to_vec()));
        Ok(())
    }
    fn clear(&mut self) -> Result<(), Refused> {
        self.clears += 1;
        Ok(())
    }
}

fn frame<'a, P>(pixels: &'a [P], changed: &'a [usize]) -> Frame<'a, P> {
    Frame { pixels, changed, at: Instant::ZERO }
}

const fn grey(c: u8) -> RGB8 {
    RGB8::new(c, c, c)
}

fn pixels(rec: &Recorder<RGB8>) -> Vec<Vec<RGB8>> {
    rec.steps().iter().map(|s| s.pixels.to_vec()).collect()
}

#[test]
fn brightness_scales_with_scale8_and_follows_its_handle() {
    let mut dim = Brightness::new(Spy::<RGB8>::new(3));
    let level = dim.handle();
    let all = [0, 1, 2];
    let a = [grey(255), grey(100), RGB8::OFF];
    dim.write(frame(&a, &all)).unwrap();
    // Full brightness changes nothing.
    assert_eq!(dim.inner().writes[0], (a.to_vec(), vec![0, 1, 2]));

    // Only LED 1 changes: only LED 1 is passed on.
    let b = [grey(255), grey(101), RGB8::OFF];
    dim.write(frame(&b, &[1])).unwrap();
    assert_eq!(dim.inner().writes[1], (b.to_vec(), vec![1]));

    // A new level from another thread: every LED is sent at it.
    std::thread::spawn(move || level.set(127)).join().unwrap();
    let c = [grey(255), grey(102), RGB8::OFF];
    dim.write(frame(&c, &[1])).unwrap();
    assert_eq!(dim.inner().writes[2], (vec![grey(127), grey(51), RGB8::OFF], vec![0, 1, 2]));

    // 102 and 103 both dim to 51: nothing changed, nothing written.
    let d = [grey(255), grey(103), RGB8::OFF];
    dim.write(frame(&d, &[1])).unwrap();
    assert_eq!(dim.inner().writes.len(), 3);
    // ...and a later change is measured against what was sent, not what was given.
    let e = [grey(255), grey(104), RGB8::OFF];
    dim.write(frame(&e, &[1])).unwrap();
    assert_eq!(dim.inner().writes[3], (vec![grey(127), grey(52), RGB8::OFF], vec![1]));
}

#[test]
fn brightness_zero_is_black_and_refresh_shows_a_new_level_on_a_still_frame() {
    let level = BrightnessHandle::new(0);
    let mut driver = Driver::new(
        Brightness::with_handle(Recorder::<RGB8>::with_len(2), level.clone()),
        VirtualClock::new(),
    );
    driver.run(&fill(1, RGB8::new(200, 100, 50))).unwrap();
    assert_eq!(pixels(driver.output().inner()), [vec![RGB8::OFF; 2]]);

    // Nothing to do while the level is the same.
    driver.output_mut().refresh().unwrap();
    assert_eq!(driver.output().inner().steps().len(), 1);

    level.set_fraction(1.0);
    driver.flush().unwrap(); // the driver's frame did not change
    assert_eq!(driver.output().inner().steps().len(), 1);
    driver.output_mut().refresh().unwrap();
    driver.output_mut().refresh().unwrap(); // once is enough
    assert_eq!(
        pixels(driver.output().inner()),
        [vec![RGB8::OFF; 2], vec![RGB8::OFF, RGB8::new(200, 100, 50)]]
    );
}

#[test]
fn brightness_keeps_a_dots_own_brightness() {
    let mut dim = Brightness::with_handle(Spy::<Dot>::new(1), BrightnessHandle::new(63));
    dim.write(frame(&[Dot::new(RGB8::new(255, 128, 4), 9)], &[0])).unwrap();
    assert_eq!(dim.inner().writes[0].0, [Dot::new(RGB8::new(63, 32, 1), 9)]);
}

#[test]
fn gamma_maps_every_byte_through_its_table() {
    let mut table = [0u8; 256];
    for (i, t) in table.iter_mut().enumerate() {
        *t = 255 - i as u8;
    }
    let mut inverted = Gamma::with_table(Spy::<RGB8>::new(2), table);
    inverted.write(frame(&[RGB8::new(0, 1, 255), RGB8::OFF], &[0, 1])).unwrap();
    assert_eq!(inverted.inner().writes[0].0, [RGB8::new(255, 254, 0), grey(255)]);

    let mut g = Gamma::new(Recorder::<RGB8>::with_len(4), 2.8);
    g.write(frame(&[grey(0), grey(64), grey(128), grey(255)], &[0, 1, 2, 3])).unwrap();
    assert_eq!(pixels(g.inner()), [vec![grey(0), grey(5), grey(37), grey(255)]]);
}

#[test]
fn gamma_applies_after_brightness_when_wrapped_inside_it() {
    // 255 at level 127 is 127; gamma 2.8 of 127 is 36. The other order would give
    // scale8(255, 127) = 127.
    let mut chain = Brightness::with_handle(
        Gamma::new(Recorder::<RGB8>::with_len(1), 2.8),
        BrightnessHandle::new(127),
    );
    chain.write(frame(&[grey(255)], &[0])).unwrap();
    assert_eq!(pixels(chain.inner().inner()), [vec![grey(36)]]);
}

#[test]
fn a_frame_under_the_budget_passes_unchanged() {
    // 2 LEDs idle (2 mA) + one full red (20 mA) = 22 mA, within 22.
    let mut limited = PowerLimit::new(Spy::<RGB8>::new(2), 22);
    let red = [RGB8::new(255, 0, 0), RGB8::OFF];
    assert_eq!(limited.estimate_ma(&red), 22.0);
    limited.write(frame(&red, &[0, 1])).unwrap();
    limited.write(frame(&[RGB8::new(254, 0, 0), RGB8::OFF], &[0])).unwrap();
    assert_eq!(limited.inner().writes[0], (red.to_vec(), vec![0, 1]));
    assert_eq!(limited.inner().writes[1], (vec![RGB8::new(254, 0, 0), RGB8::OFF], vec![0]));
}

#[test]
fn a_frame_over_the_budget_is_scaled_exactly_and_sent_whole() {
    let mut limited = PowerLimit::new(Spy::<RGB8>::new(2), 21).channel_ma([10, 20, 30]).idle_ma(2);
    // Colour current: (255·10 + 255·20 + 255·30)/255 = 60 mA, plus 4 idle: 64 mA.
    let white = [grey(255), RGB8::OFF];
    assert_eq!(limited.estimate_ma(&white), 64.0);
    limited.write(frame(&white, &[0, 1])).unwrap();
    // Allowed 21 − 4 = 17 of 60 mA: 255·17/60 = 72.25, rounded down.
    assert_eq!(limited.inner().writes[0].0, [grey(72), RGB8::OFF]);
    assert!(limited.estimate_ma(&limited.inner().writes[0].0) <= 21.0);

    // LED 1 lights too: a new scale, every LED sent.
    let two = [grey(255), RGB8::new(0, 0, 255)];
    limited.write(frame(&two, &[1])).unwrap();
    // Colour 60 + 30 = 90 mA; 17/90 of 255 = 48.17.
    assert_eq!(limited.inner().writes[1], (vec![grey(48), RGB8::new(0, 0, 48)], vec![0, 1]));

    // Back under the budget: unchanged, and whole again (the scale changed).
    let low = [RGB8::new(0, 0, 10), RGB8::new(0, 0, 100)];
    limited.write(frame(&low, &[0, 1])).unwrap();
    assert_eq!(limited.inner().writes[2], (low.to_vec(), vec![0, 1]));
}

#[test]
fn a_budget_below_the_idle_current_gives_black() {
    let mut limited = PowerLimit::new(Spy::<RGB8>::new(3), 2);
    limited.write(frame(&[grey(255), grey(1), grey(0)], &[0, 1, 2])).unwrap();
    assert_eq!(limited.inner().writes[0].0, [RGB8::OFF; 3]);
}

#[test]
fn a_dots_brightness_counts_in_the_estimate() {
    let limited = PowerLimit::new(Spy::<Dot>::new(1), 1000).idle_ma(0);
    assert_eq!(limited.estimate_ma(&[Dot::new(grey(255), 31)]), 60.0);
    // 60 mA × 3 / 31
    let dim = limited.estimate_ma(&[Dot::new(grey(255), 3)]);
    assert!((dim - 180.0 / 31.0).abs() < 1e-9, "{dim}");
}

proptest::proptest! {
    #[test]
    fn a_limited_frame_never_exceeds_its_budget(
        bytes in proptest::collection::vec((0u8..=255, 0u8..=255, 0u8..=255, 0u8..=31), 1..40),
        budget in 0u32..3000,
        channel in proptest::array::uniform3(0u32..60),
        idle in 0u32..3,
    ) {
        let dots: Vec<Dot> = bytes.iter().map(|&(r, g, b, l)| Dot::new(RGB8::new(r, g, b), l)).collect();
        let all: Vec<usize> = (0..dots.len()).collect();
        let mut limited = PowerLimit::new(Spy::<Dot>::new(dots.len()), budget).channel_ma(channel).idle_ma(idle);
        limited.write(frame(&dots, &all)).unwrap();
        let sent = limited.inner().writes[0].0.clone();
        let before = limited.estimate_ma(&dots);
        let after = limited.estimate_ma(&sent);
        let idle_ma = f64::from(idle) * dots.len() as f64;
        if before <= f64::from(budget) {
            proptest::prop_assert_eq!(&sent, &dots);
        } else {
            proptest::prop_assert!(after <= f64::from(budget).max(idle_ma) + 1e-9, "{} > {}", after, budget);
        }
    }
}

#[test]
fn the_three_compose_with_exact_values() {
    // Brightness 127, then gamma 2.8, then a 50 mA budget over 4 LEDs.
    let strip = PowerLimit::new(Recorder::<RGB8>::with_len(4), 50);
    let chain = Brightness::with_handle(Gamma::new(strip, 2.8), BrightnessHandle::new(127));
    let mut driver = Driver::new(chain, VirtualClock::new());
    driver.run(&on(0..4).color(grey(255)).timeout(ms(10))).unwrap();
    let rec = driver.output().inner().inner().inner();
    // 255 → 127 → gamma 36; 4 LEDs: 4 idle + 4·3·20·36/255 = 37.9 mA, within 50.
    // Then off.
    assert_eq!(pixels(rec), [vec![grey(36); 4], vec![RGB8::OFF; 4]]);

    // At full brightness: 255 → 255 → 255; 244 mA over 50: 46/240 of 255 = 48.9.
    let strip = PowerLimit::new(Recorder::<RGB8>::with_len(4), 50);
    let mut driver = Driver::new(Brightness::new(Gamma::new(strip, 2.8)), VirtualClock::new());
    driver.run(&on(0..4).color(grey(255)).timeout(ms(10))).unwrap();
    let rec = driver.into_output().into_inner().into_inner().into_inner();
    assert_eq!(pixels(&rec), [vec![grey(48); 4], vec![RGB8::OFF; 4]]);
}

#[test]
fn a_failed_write_sends_every_led_next_time() {
    let mut g = Gamma::with_table(Spy::<RGB8>::new(3), core::array::from_fn(|i| i as u8));
    g.write(frame(&[grey(1), grey(2), grey(3)], &[0, 1, 2])).unwrap();
    g.inner_mut().fail_next = true; // inner_mut: the next write is whole anyway
    assert!(g.write(frame(&[grey(1), grey(9), grey(3)], &[1])).is_err());
    g.write(frame(&[grey(1), grey(9), grey(4)], &[2])).unwrap();
    assert_eq!(g.inner().writes[1], (vec![grey(1), grey(9), grey(4)], vec![0, 1, 2]));
    g.write(frame(&[grey(1), grey(8), grey(4)], &[1])).unwrap();
    assert_eq!(g.inner().writes[2].1, [1]);
}

#[test]
fn clear_goes_to_the_wrapped_output_and_the_next_write_is_whole() {
    let mut chain = Brightness::new(PowerLimit::new(Spy::<RGB8>::new(2), 1000));
    chain.write(frame(&[grey(1), grey(2)], &[0, 1])).unwrap();
    chain.clear().unwrap();
    assert_eq!(chain.inner().inner().clears, 1);
    chain.write(frame(&[grey(1), grey(3)], &[1])).unwrap();
    assert_eq!(chain.inner().inner().writes[1].1, [0, 1]);
    let spy: Spy<RGB8> = chain.into_inner().into_inner();
    assert_eq!(spy.writes.len(), 2);
}
