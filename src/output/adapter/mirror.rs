//! A mirrored segment: one half of a range drawn, the other half showing it reversed.

use core::ops::Range;

use crate::Leds;
use crate::output::{Frame, Output};

/// An [`Output`] adapter that mirrors a segment: the second half of `range` shows the
/// first half reversed, so an effect drawn on [`Mirror::source`] (the first half, and
/// the middle LED of an odd range) plays symmetrically from both ends, as WLED's
/// "mirror" segments do.
///
/// A position of an effect is one LED ([`Leds`] lists one index per position), so
/// mirroring, one position on two LEDs, happens here, where the frame is complete.
/// What animations write to the mirrored half is overwritten; LEDs outside `range`
/// pass unchanged, so other effects share the strip. Nest adapters to mirror several
/// segments. Like the other adapters it keeps one reused buffer and passes on, as
/// `changed`, exactly the LEDs that differ from what it last sent.
///
/// # Panics
///
/// [`Mirror::new`] panics when `range` reaches beyond the output, naming both.
///
/// # Examples
///
/// A comet flies from both ends of an 8-LED strip to the middle:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::adapter::Mirror;
///
/// let mirror = Mirror::new(Recorder::<RGB8>::with_len(8), 0..8);
/// assert_eq!(mirror.source().as_slice(), &[0, 1, 2, 3]);
/// let red = RGB8::new(255, 0, 0);
/// let program = comet(mirror.source(), ms(100), red).tail_length(1);
/// let mut driver = Driver::new(mirror, VirtualClock::new());
/// driver.run_for(&program, ms(250)).unwrap();
/// let glyph = |p: &RGB8| if p.r > 0 { 'R' } else { '.' };
/// driver.output().inner().assert_timeline_with(glyph, "
///     0.000000 .... ....
///     0.100000 R... ...R
///     0.200000 .R.. ..R.
/// ");
/// ```
#[derive(Debug, Clone)]
pub struct Mirror<O: Output> {
    inner: O,
    range: Range<usize>,
    /// What was last sent (equal to what the output shows unless `full`).
    out: Vec<O::Pixel>,
    /// The frame being built, swapped with `out` after each write.
    next: Vec<O::Pixel>,
    changed: Vec<usize>,
    full: bool,
}

impl<O: Output> Mirror<O> {
    /// Wraps `inner`, mirroring the first half of `range` onto its second half.
    ///
    /// # Panics
    ///
    /// When `range` reaches beyond `inner` or ends before it starts.
    #[track_caller]
    pub fn new(inner: O, range: Range<usize>) -> Mirror<O> {
        if range.start > range.end || range.end > inner.len() {
            panic!(
                "the mirrored range {}..{} is not within the output of {} LEDs",
                range.start,
                range.end,
                inner.len()
            );
        }
        Mirror { inner, range, out: Vec::new(), next: Vec::new(), changed: Vec::new(), full: true }
    }

    /// The LEDs to draw on: the first half of the range, and its middle LED when the
    /// range is odd.
    pub fn source(&self) -> Leds {
        let Range { start, end } = self.range;
        Leds::from(start..start + (end - start).div_ceil(2))
    }

    /// The LED that shows LED `i`'s value mirrored, if `i` is in the source half and
    /// not the middle.
    fn image(&self, i: usize) -> Option<usize> {
        let Range { start, end } = self.range;
        let half = (end - start) / 2;
        (i >= start && i < start + half).then(|| end - 1 - (i - start))
    }

    /// The wrapped output.
    pub fn inner(&self) -> &O {
        &self.inner
    }

    /// The wrapped output, mutably; the next write sends every LED.
    pub fn inner_mut(&mut self) -> &mut O {
        self.full = true;
        &mut self.inner
    }

    /// The wrapped output, at once, with no I/O.
    pub fn into_inner(self) -> O {
        self.inner
    }
}

impl<O: Output> Output for Mirror<O> {
    type Pixel = O::Pixel;
    type Error = O::Error;

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn write(&mut self, frame: Frame<'_, O::Pixel>) -> Result<(), O::Error> {
        let len = frame.pixels.len();
        let full = self.full || self.out.len() != len || frame.changed.len() >= len;
        let mut next = core::mem::take(&mut self.next);
        next.clear();
        next.extend_from_slice(frame.pixels);
        for i in self.range.clone() {
            if let Some(image) = self.image(i).filter(|&image| image < len) {
                next[image] = next[i];
            }
        }
        self.changed.clear();
        if full {
            self.changed.extend(0..len);
        } else {
            for &i in frame.changed {
                for j in [Some(i), self.image(i)].into_iter().flatten() {
                    if j < len && next[j] != self.out[j] {
                        self.changed.push(j);
                    }
                }
            }
            self.changed.sort_unstable();
            self.changed.dedup();
        }
        self.next = core::mem::replace(&mut self.out, next);
        if self.changed.is_empty() {
            return Ok(());
        }
        self.full = true;
        self.inner.write(Frame { pixels: &self.out, changed: &self.changed, at: frame.at })?;
        self.full = false;
        Ok(())
    }

    fn clear(&mut self) -> Result<(), O::Error> {
        self.full = true;
        self.inner.clear()
    }
}
