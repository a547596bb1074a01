//! A strip of LEDs and the parts of it that effects run on.

use core::ops::{Bound, RangeBounds};

use crate::Leds;

/// A strip of `len` LEDs, output indices `0..len`, cut into the parts that effects run
/// on: [segments](Strip::segment), [halves](Strip::halves) and
/// [rings](Strip::ring).
///
/// Every part is [`Leds`]: an ordered list of output indices. An effect indexes its
/// positions in that order, so it runs on any part of a strip, backwards on a
/// [`reversed`](Leds::reversed) part, from any LED of a [`rotated`](Leds::rotated)
/// one, and two effects side by side share one strip under [`all`](crate::all).
/// (Serpentine grids are [`Matrix::serpentine`](crate::Matrix::serpentine); a
/// mirrored segment, one position shown on two LEDs, is the output adapter
/// [`Mirror`](crate::output::adapter::Mirror).)
///
/// # Panics
///
/// Like slice indexing, the methods panic, naming the range and the strip's length,
/// when a part reaches beyond the strip.
///
/// # Examples
///
/// A comet on the first half and a rainbow running backwards on the second, side by side:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::Strip;
///
/// let strip = Strip::new(8);
/// let (left, right) = strip.halves();
/// assert_eq!(left.as_slice(), &[0, 1, 2, 3]);
/// assert_eq!(right.reversed().as_slice(), &[7, 6, 5, 4]);
/// assert_eq!(strip.segment(2..=3).as_slice(), &[2, 3]);
///
/// let red = RGB8::new(255, 0, 0);
/// let program = all((
///     comet(left, ms(100), red).tail_length(2),
///     rainbow(right.reversed(), ms(100)),
/// ));
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(strip.len()), VirtualClock::new());
/// driver.run_for(&program, ms(250)).unwrap();
/// let first = &driver.output().steps()[0].pixels;
/// // The rainbow's first LED is LED 7: red at the start of the wheel.
/// assert_eq!(first[7], red);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Strip {
    len: usize,
}

impl Strip {
    /// A strip of `len` LEDs.
    pub fn new(len: usize) -> Strip {
        Strip { len }
    }

    /// How many LEDs.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the strip has no LEDs.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every LED, first to last.
    pub fn all(&self) -> Leds {
        Leds::from(0..self.len)
    }

    /// The LEDs in `range` (`2..5`, `..3`, `4..`, `1..=2`), in order.
    ///
    /// # Panics
    ///
    /// When the range reaches beyond the strip or ends before it starts.
    #[track_caller]
    pub fn segment(&self, range: impl RangeBounds<usize>) -> Leds {
        let start = match range.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.saturating_add(1),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => self.len,
        };
        if start > end || end > self.len {
            panic!(
                "segment {start}..{end} is not within the strip of {} LEDs (0..{})",
                self.len, self.len
            );
        }
        Leds::from(start..end)
    }

    /// The first half and the second; with an odd length the middle LED is in the
    /// second half.
    pub fn halves(&self) -> (Leds, Leds) {
        let mid = self.len / 2;
        (self.segment(..mid), self.segment(mid..))
    }

    /// The LEDs in `range` as a ring that starts at its LED `first` (an output index
    /// inside the range) and goes round in index order: `ring(0..6, 4)` is
    /// `[4, 5, 0, 1, 2, 3]`. Effects that wrap (a comet's
    /// [`ring`](crate::Comet::ring)) go round it.
    ///
    /// # Panics
    ///
    /// When the range reaches beyond the strip, or `first` is not in it.
    #[track_caller]
    pub fn ring(&self, range: impl RangeBounds<usize>, first: usize) -> Leds {
        let leds = self.segment(range);
        let Some(k) = leds.iter().position(|&i| i == first) else {
            panic!("the ring's first LED {first} is not one of its LEDs {leds:?}");
        };
        leds.rotated(k)
    }
}
