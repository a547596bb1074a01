//! The buffer every adapter keeps: what it last sent, and which LEDs changed.

use crate::Pixel;
use crate::output::{Frame, Output};

/// The adapted frame, reused from write to write.
#[derive(Debug, Clone)]
pub(super) struct Adapted<P> {
    /// The adapted pixels; equal to what the inner output shows unless `full`.
    out: Vec<P>,
    /// The indices passed on with the current write.
    changed: Vec<usize>,
    /// Send every LED with the next write: nothing sent yet, a failed or panicking
    /// write, or the inner output touched from outside.
    full: bool,
}

impl<P: Pixel> Adapted<P> {
    pub(super) fn new() -> Adapted<P> {
        Adapted { out: Vec::new(), changed: Vec::new(), full: true }
    }

    /// The next write sends every LED.
    pub(super) fn invalidate(&mut self) {
        self.full = true;
    }

    /// Adapts `frame` pixel by pixel with `map` and writes what changed to `inner`;
    /// `rewrite` sends every LED (the adapter's setting changed).
    pub(super) fn write<O: Output<Pixel = P>>(
        &mut self,
        inner: &mut O,
        frame: Frame<'_, P>,
        rewrite: bool,
        map: impl Fn(P) -> P,
    ) -> Result<(), O::Error> {
        let len = frame.pixels.len();
        if self.out.len() != len {
            self.out.clear();
            self.out.resize(len, P::OFF);
            self.full = true;
        }
        self.changed.clear();
        if self.full || rewrite || frame.changed.len() >= len {
            for (out, &pixel) in self.out.iter_mut().zip(frame.pixels) {
                *out = map(pixel);
            }
            self.changed.extend(0..len);
        } else {
            for &i in frame.changed {
                let value = map(frame.pixels[i]);
                if value != self.out[i] {
                    self.out[i] = value;
                    self.changed.push(i);
                }
            }
            if self.changed.is_empty() {
                return Ok(());
            }
        }
        // Set until the write succeeds, so that a failure or a panic sends everything next.
        self.full = true;
        inner.write(Frame { pixels: &self.out, changed: &self.changed, at: frame.at })?;
        self.full = false;
        Ok(())
    }
}

impl<P> Adapted<P> {
    /// Whether the inner output may not show the adapted frame.
    pub(super) fn is_stale(&self) -> bool {
        self.full
    }
}
