//! The talk's demos as ready-made programs for the 5×5 board of [`Matrix::talk`].
//!
//! LED indices are the board's row-major positions; the GPIO line offsets in the
//! comments are those of the talk (see `Matrix::TALK_LINES`). The examples of the
//! repository play these, and the tests assert their timelines.

use crate::{
    Animation, Leds, Matrix, all, any, blink, cycle, forever, ms, on, secs, sequence, wait,
};

fn lines(offsets: &[u32]) -> Leds {
    Matrix::talk().leds_on_lines(offsets).expect("the talk's board has these lines")
}

/// `sequence[ all[ blink(11, 0.1, 5), sleep 3 ], blink(1, 0.3, 5) ]`: the `all` lasts
/// 3 s (its longest child), then line 1 (the centre) blinks; 6 s in all.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(25), VirtualClock::new());
/// assert_eq!(driver.run(&blinken::demos::all_demo()).unwrap(), Instant::ZERO + secs(6));
/// ```
pub fn all_demo() -> impl Animation<bool> + Send + Sync + 'static {
    sequence((
        all((blink(lines(&[11]), ms(100)).times(5), wait(secs(3)))),
        blink(lines(&[1]), ms(300)).times(5),
    ))
}

/// `any[ blink(all, 0.2), sleep 3 ]`: every LED blinks at 0.2 s, stopped after 3 s.
pub fn any_demo() -> impl Animation<bool> + Send + Sync + 'static {
    any((blink(Matrix::talk().all(), ms(200)), wait(secs(3))))
}

/// `any[ on(all), sleep 0.5 ]`: every LED on for half a second.
pub fn any_on_demo() -> impl Animation<bool> + Send + Sync + 'static {
    any((on(Matrix::talk().all()), wait(ms(500))))
}

/// `forever( sequence[ any[ on(all), sleep 0.5 ], sleep 0.2 ] )`: on 0.5 s, off 0.2 s.
pub fn my_blink() -> impl Animation<bool> + Send + Sync + 'static {
    forever(sequence((any((on(Matrix::talk().all()), wait(ms(500)))), wait(ms(200)))))
}

/// `cycle(row 0, 0.1)`: the top row's LEDs blink one after another, forever.
pub fn cycle_demo() -> impl Animation<bool> + Send + Sync + 'static {
    cycle(Matrix::talk().row(0), ms(100))
}

/// For 7 s the eyes (lines 10 and 4) are on while the mouth loops smile → straight →
/// frown → straight, 0.5 s each; then the loop is cancelled and a static smile (eyes and
/// smiling mouth) is held until the program is stopped.
pub fn smiley() -> impl Animation<bool> + Send + Sync + 'static {
    let eyes = lines(&[10, 4]);
    let smile = lines(&[5, 16, 7, 24, 18]);
    let straight = lines(&[6, 16, 7, 24, 15]);
    let frown = lines(&[13, 16, 7, 24, 14]);
    let mouth = |leds: &Leds| on(leds.clone()).timeout(ms(500));
    let talking =
        forever(sequence((mouth(&smile), mouth(&straight), mouth(&frown), mouth(&straight))));
    let face: Leds = eyes.iter().chain(smile.iter()).copied().collect();
    sequence((any((on(eyes), talking, wait(secs(7)))), on(face)))
}
