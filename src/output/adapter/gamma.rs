//! Gamma correction by a 256-entry table.

use super::buffer::Adapted;
use crate::Color;
use crate::RGB8;
use crate::output::{Frame, Output};

/// An [`Output`] adapter that maps every colour byte through a 256-entry table, as
/// smart-leds' `gamma` and FastLED's `dim8_video`/`napplyGamma` do: LEDs give light
/// linearly in their duty cycle, eyes see it roughly as a power, so a table with
/// exponent 2.8 makes half of full *look* half as bright.
///
/// [`Gamma::new`] builds the table `round(255 × (i / 255)^exponent)` (Adafruit's
/// `gamma8` at 2.8); [`Gamma::with_table`] takes any table. A [`Dot`](crate::Dot)'s
/// 5-bit brightness is not mapped.
///
/// Wrap it *inside* a [`Brightness`](super::Brightness), so that gamma applies after
/// brightness (see [the module](super)).
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::adapter::Gamma;
///
/// let corrected = Gamma::new(Recorder::<RGB8>::with_len(1), 2.8);
/// assert_eq!(corrected.table()[128], 37);
/// let mut driver = Driver::new(corrected, VirtualClock::new());
/// driver.run(&on(0).color(RGB8::new(255, 128, 1)).timeout(ms(10))).unwrap();
/// assert_eq!(driver.output().inner().steps()[0].pixels[0], RGB8::new(255, 37, 0));
/// ```
#[derive(Debug, Clone)]
pub struct Gamma<O: Output> {
    inner: O,
    table: [u8; 256],
    adapted: Adapted<O::Pixel>,
}

impl<O: Output> Gamma<O>
where
    O::Pixel: Color,
{
    /// Wraps `inner` with the table of `exponent`: entry `i` is
    /// `round(255 × (i / 255)^exponent)`. An exponent that is not finite and above 0
    /// gives the identity table (1.0).
    pub fn new(inner: O, exponent: f64) -> Gamma<O> {
        Gamma::with_table(inner, table(exponent))
    }

    /// Wraps `inner` with `table`: colour byte `c` becomes `table[c]`.
    pub fn with_table(inner: O, table: [u8; 256]) -> Gamma<O> {
        Gamma { inner, table, adapted: Adapted::new() }
    }

    /// The table.
    pub fn table(&self) -> &[u8; 256] {
        &self.table
    }

    /// The wrapped output.
    pub fn inner(&self) -> &O {
        &self.inner
    }

    /// The wrapped output, mutably; the next write sends every LED.
    pub fn inner_mut(&mut self) -> &mut O {
        self.adapted.invalidate();
        &mut self.inner
    }

    /// The wrapped output, at once, with no I/O.
    pub fn into_inner(self) -> O {
        self.inner
    }
}

/// `round(255 × (i / 255)^exponent)` for every byte `i`.
fn table(exponent: f64) -> [u8; 256] {
    let exponent = if exponent.is_finite() && exponent > 0.0 { exponent } else { 1.0 };
    core::array::from_fn(|i| ((i as f64 / 255.0).powf(exponent) * 255.0).round() as u8)
}

impl<O: Output> Output for Gamma<O>
where
    O::Pixel: Color,
{
    type Pixel = O::Pixel;
    type Error = O::Error;

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn write(&mut self, frame: Frame<'_, O::Pixel>) -> Result<(), O::Error> {
        let table = &self.table;
        self.adapted.write(&mut self.inner, frame, false, |p| {
            let c = p.rgb();
            p.with_rgb(RGB8::new(
                table[usize::from(c.r)],
                table[usize::from(c.g)],
                table[usize::from(c.b)],
            ))
        })
    }

    fn clear(&mut self) -> Result<(), O::Error> {
        self.adapted.invalidate();
        self.inner.clear()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_at_2_8_is_adafruits_gamma8() {
        // Adafruit's gamma8 table (learn.adafruit.com, "LED tricks: gamma correction").
        let t = super::table(2.8);
        assert!(t[..28].iter().all(|&c| c == 0));
        assert_eq!(t[28..32], [1, 1, 1, 1]);
        assert_eq!(t[64..72], [5, 6, 6, 6, 6, 7, 7, 7]);
        assert_eq!(t[128], 37);
        assert_eq!(t[248..], [236, 239, 241, 244, 247, 249, 252, 255]);
        assert_eq!(super::table(1.0), core::array::from_fn(|i| i as u8));
        assert_eq!(super::table(f64::NAN), super::table(1.0));
    }
}
