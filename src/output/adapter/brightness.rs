//! A global brightness that another thread may change while the LEDs play.

use core::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use super::buffer::Adapted;
use crate::output::{Frame, Output};
use crate::{Color, Instant};

/// A brightness level shared between a [`Brightness`] adapter and anyone who wants to
/// change it: cheap to clone, `Send` and `Sync`.
///
/// The level is `0..=255` (255, the default, leaves colours as they are) and is applied
/// with FastLED's `scale8`: each colour byte becomes `c × (level + 1) / 256`, rounded
/// down ([`Color::scale8`]).
///
/// # Examples
///
/// ```
/// use blinken::output::adapter::BrightnessHandle;
///
/// let level = BrightnessHandle::new(255);
/// let other = level.clone();
/// other.set_fraction(0.5);
/// assert_eq!(level.get(), 128);
/// level.set(10);
/// assert_eq!(other.get(), 10);
/// ```
#[derive(Debug, Clone)]
pub struct BrightnessHandle(Arc<AtomicU8>);

impl BrightnessHandle {
    /// A new shared level.
    pub fn new(level: u8) -> BrightnessHandle {
        BrightnessHandle(Arc::new(AtomicU8::new(level)))
    }

    /// The current level.
    pub fn get(&self) -> u8 {
        self.0.load(Ordering::Relaxed)
    }

    /// Sets the level; the adapter uses it from its next write (see [`Brightness`],
    /// "When a change shows").
    pub fn set(&self, level: u8) {
        self.0.store(level, Ordering::Relaxed);
    }

    /// Sets the level from a fraction of full (`0.0..=1.0`, clamped; NaN is 0):
    /// `round(fraction × 255)`.
    pub fn set_fraction(&self, fraction: f64) {
        let fraction = if fraction.is_nan() { 0.0 } else { fraction.clamp(0.0, 1.0) };
        self.set((fraction * 255.0).round() as u8);
    }
}

impl Default for BrightnessHandle {
    /// Full brightness (255).
    fn default() -> BrightnessHandle {
        BrightnessHandle::new(u8::MAX)
    }
}

/// An [`Output`] adapter that dims every colour by a level another thread may change:
/// `c × (level + 1) / 256` per colour byte (FastLED's `scale8`; 255 changes nothing, 0
/// is black). A [`Dot`](crate::Dot) keeps its 5-bit brightness.
///
/// See [the module](super) for the order in which to wrap adapters (brightness
/// outermost, then gamma, then the power limit) and what every adapter does alike.
///
/// # When a change shows
///
/// The level is read at each write; when it differs from the one last applied, every
/// LED is sent again at the new level. A driver writes only when the animation
/// changed something, so while a still frame is shown a new level waits for the next
/// change: [`Driver::flush`](crate::Driver::flush) does nothing then (its frame did
/// not change). Call [`Brightness::refresh`] (through
/// [`Driver::output_mut`](crate::Driver::output_mut)) to show it at once; under a
/// [`Player`](crate::Player) the level shows with the animation's next step.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::adapter::Brightness;
///
/// let dimmed = Brightness::new(Recorder::<RGB8>::with_len(2));
/// let level = dimmed.handle(); // clone it into another thread, a server, a button
/// level.set(127);
/// let mut driver = Driver::new(dimmed, VirtualClock::new());
/// driver.run(&fill(0, RGB8::new(255, 100, 1))).unwrap(); // lit, and it stays lit
///
/// // A still frame: the driver has nothing to write, the adapter shows the new level
/// // when asked to.
/// level.set(63);
/// driver.flush().unwrap();
/// assert_eq!(driver.output().inner().steps().len(), 1);
/// driver.output_mut().refresh().unwrap();
///
/// let rec = driver.output().inner();
/// let first: Vec<RGB8> = rec.steps().iter().map(|s| s.pixels[0]).collect();
/// assert_eq!(first, [RGB8::new(127, 50, 0), RGB8::new(63, 25, 0)]);
/// ```
#[derive(Debug, Clone)]
pub struct Brightness<O: Output> {
    inner: O,
    level: BrightnessHandle,
    /// The level of the last write.
    applied: u8,
    /// The last frame as the adapter was given it, for [`Brightness::refresh`].
    source: Vec<O::Pixel>,
    at: Instant,
    adapted: Adapted<O::Pixel>,
}

impl<O: Output> Brightness<O>
where
    O::Pixel: Color,
{
    /// Wraps `inner` at full brightness (255), with a new [`BrightnessHandle`].
    pub fn new(inner: O) -> Brightness<O> {
        Brightness::with_handle(inner, BrightnessHandle::default())
    }

    /// Wraps `inner`, dimmed by the level `handle` holds.
    pub fn with_handle(inner: O, handle: BrightnessHandle) -> Brightness<O> {
        Brightness {
            inner,
            applied: handle.get(),
            level: handle,
            source: Vec::new(),
            at: Instant::ZERO,
            adapted: Adapted::new(),
        }
    }

    /// A handle on the level (a clone: setting it anywhere sets it here).
    pub fn handle(&self) -> BrightnessHandle {
        self.level.clone()
    }

    /// Writes the last frame again at the current level, if the level changed since it
    /// was written (or that write failed); otherwise, and before the first write, does
    /// nothing. The frame keeps its instant.
    ///
    /// # Errors
    ///
    /// The wrapped output's error.
    pub fn refresh(&mut self) -> Result<(), O::Error> {
        let level = self.level.get();
        if self.source.is_empty() || (level == self.applied && !self.adapted.is_stale()) {
            return Ok(());
        }
        self.applied = level;
        let frame = Frame { pixels: &self.source, changed: &[], at: self.at };
        self.adapted.write(&mut self.inner, frame, true, |p| p.scale8(level))
    }

    /// The wrapped output.
    pub fn inner(&self) -> &O {
        &self.inner
    }

    /// The wrapped output, mutably; the next write sends every LED, since the adapter
    /// cannot know what was done with it.
    pub fn inner_mut(&mut self) -> &mut O {
        self.adapted.invalidate();
        &mut self.inner
    }

    /// The wrapped output, at once, with no I/O.
    pub fn into_inner(self) -> O {
        self.inner
    }
}

impl<O: Output> Output for Brightness<O>
where
    O::Pixel: Color,
{
    type Pixel = O::Pixel;
    type Error = O::Error;

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn write(&mut self, frame: Frame<'_, O::Pixel>) -> Result<(), O::Error> {
        self.source.clear();
        self.source.extend_from_slice(frame.pixels);
        self.at = frame.at;
        let level = self.level.get();
        let rewrite = level != self.applied;
        self.applied = level;
        self.adapted.write(&mut self.inner, frame, rewrite, |p| p.scale8(level))
    }

    fn clear(&mut self) -> Result<(), O::Error> {
        self.adapted.invalidate();
        self.inner.clear()
    }
}
