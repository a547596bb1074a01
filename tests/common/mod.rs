//! Helpers shared by the integration tests.
#![allow(dead_code)]

use blinken::prelude::*;

/// Runs `animation` to its end on the virtual clock over `len` LEDs; returns the end
/// and the recorded timeline.
pub fn run(len: usize, animation: &impl Animation<bool>) -> (Instant, Recorder) {
    let mut driver = Driver::new(Recorder::new(len), VirtualClock::new());
    let end = driver.run(animation).expect("the animation plays");
    (end, driver.into_output())
}

/// Plays `animation` for `window` on the virtual clock; returns the recorded timeline.
pub fn window(len: usize, animation: &impl Animation<bool>, window: Duration) -> Recorder {
    let mut driver = Driver::new(Recorder::new(len), VirtualClock::new());
    driver.run_for(animation, window).expect("the animation plays");
    driver.into_output()
}

/// The instant `millis` ms after the origin.
pub fn at_ms(millis: u64) -> Instant {
    Instant::ZERO + ms(millis)
}
