//! The smart-leds adapter, against fake writers.
#![cfg(feature = "smart-leds")]

use blinken::RunError;
use blinken::output::{SmartLeds, SmartLedsError};
use blinken::prelude::*;
use smart_leds_trait::SmartLedsWrite;

const OFF: RGB8 = RGB8::new(0, 0, 0);
const RED: RGB8 = RGB8::new(255, 0, 0);
const GREEN: RGB8 = RGB8::new(0, 255, 0);

/// Keeps every frame; fails the `fail_on`-th write (from 0) when set.
#[derive(Debug, Default)]
struct Fake {
    frames: Vec<Vec<RGB8>>,
    writes: usize,
    fail_on: Option<usize>,
}

impl SmartLedsWrite for Fake {
    type Error = &'static str;
    type Color = RGB8;

    fn write<T, I>(&mut self, pixels: T) -> Result<(), &'static str>
    where
        T: IntoIterator<Item = I>,
        I: Into<RGB8>,
    {
        let n = self.writes;
        self.writes += 1;
        if self.fail_on == Some(n) {
            return Err("data line stuck");
        }
        self.frames.push(pixels.into_iter().map(Into::into).collect());
        Ok(())
    }
}

#[test]
fn plays_a_program_one_whole_frame_per_instant() {
    let program = fill(3, GREEN).then(blink([0, 1], ms(100)).times(2).color(RED));
    let mut driver = Driver::new(SmartLeds::new(Fake::default(), 4), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(400));
    assert_eq!(
        driver.output().writer().frames,
        [
            vec![RED, RED, OFF, GREEN],
            vec![OFF, OFF, OFF, GREEN],
            vec![RED, RED, OFF, GREEN],
            vec![OFF, OFF, OFF, GREEN],
        ]
    );
    assert_eq!(driver.output().len(), 4);
}

#[test]
fn show_sends_exactly_len_pixels() {
    let mut leds = SmartLeds::new(Fake::default(), 3);
    leds.show(&[RED]).unwrap();
    leds.show(&[RED, GREEN, RED, GREEN]).unwrap();
    leds.clear().unwrap();
    assert_eq!(
        leds.writer().frames,
        [vec![RED, OFF, OFF], vec![RED, GREEN, RED], vec![OFF, OFF, OFF]]
    );
}

#[test]
fn writer_error_surfaces_as_run_error_output() {
    let fake = Fake { fail_on: Some(1), ..Fake::default() };
    let mut driver = Driver::new(SmartLeds::new(fake, 2), VirtualClock::new());
    let err = driver.run(&blink(0, ms(100)).times(3)).unwrap_err();
    let RunError::Output { at, source } = &err else { panic!("not an output error: {err}") };
    assert_eq!(*at, Instant::ZERO + ms(100));
    assert_eq!(*source, SmartLedsError::new(2, "data line stuck"));
    assert_eq!(source.leds(), 2);
    assert_eq!(*source.error(), "data line stuck");
    assert_eq!(
        source.to_string(),
        "the smart-leds driver failed to show a 2-LED frame: \"data line stuck\"; check its \
         bus or data pin and the LED count"
    );
    assert_eq!(source.clone().into_error(), "data line stuck");
    // The frame before the failure went out.
    assert_eq!(driver.output().writer().frames, [vec![RGB8::new(255, 255, 255), OFF]]);
}

#[test]
fn release_switches_off_and_returns_the_writer() {
    let mut leds = SmartLeds::new(Fake::default(), 2);
    leds.show(&[RED, GREEN]).unwrap();
    let fake = leds.release().unwrap();
    assert_eq!(fake.frames, [vec![RED, GREEN], vec![OFF, OFF]]);

    let leds = SmartLeds::new(Fake { fail_on: Some(0), ..Fake::default() }, 2);
    let err = leds.release().unwrap_err();
    assert_eq!(err.source, SmartLedsError::new(2, "data line stuck"));
    assert!(err.output.into_inner().frames.is_empty());

    // into_writer writes nothing.
    let fake = SmartLeds::new(Fake::default(), 2).into_writer();
    assert!(fake.frames.is_empty());
}

/// A driver whose colour type is not `RGB8` but converts from it.
#[derive(Debug, Default)]
struct Grbw {
    frames: Vec<Vec<[u8; 4]>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct GrbwColor([u8; 4]);

impl From<RGB8> for GrbwColor {
    fn from(c: RGB8) -> GrbwColor {
        GrbwColor([c.g, c.r, c.b, 0])
    }
}

impl SmartLedsWrite for Grbw {
    type Error = core::convert::Infallible;
    type Color = GrbwColor;

    fn write<T, I>(&mut self, pixels: T) -> Result<(), Self::Error>
    where
        T: IntoIterator<Item = I>,
        I: Into<GrbwColor>,
    {
        self.frames.push(pixels.into_iter().map(|p| p.into().0).collect());
        Ok(())
    }
}

#[test]
fn any_colour_type_converting_from_rgb8_works() {
    let mut driver = Driver::new(SmartLeds::new(Grbw::default(), 2), VirtualClock::new());
    driver.run(&fill(1, RGB8::new(1, 2, 3))).unwrap();
    assert_eq!(driver.output().writer().frames, [vec![[0, 0, 0, 0], [2, 1, 3, 0]]]);
}

#[test]
fn auto_traits_and_debug() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SmartLeds<Fake>>();
    send_sync::<SmartLedsError<&'static str>>();
    let leds = SmartLeds::new(Fake::default(), 7);
    assert_eq!(format!("{leds:?}"), "SmartLeds { len: 7, .. }");
}
