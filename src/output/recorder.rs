//! An in-memory output that keeps the timeline.

use core::convert::Infallible;
use core::fmt::{self, Write as _};

use super::{Frame, Output, Shade};
use crate::{Instant, Pixel};

/// An [`Output`] that records every frame it is sent: the exact timeline of a program.
///
/// One [`Step`] per write, that is one per instant at which the frame changed (the
/// first write, at the start, has the whole frame). With a [`VirtualClock`](crate::VirtualClock)
/// the times are exact, so tests assert timelines as text.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// driver.run(&blink(1, ms(500)).times(1).then(on(2).timeout(secs(1)))).unwrap();
/// let rec = driver.output();
/// assert_eq!(rec.render(), "0.000000 .#.\n0.500000 ...\n1.000000 ..#\n2.000000 ...\n");
/// // Whitespace inside the pixels is ignored, so rows of a matrix can be spaced out.
/// rec.assert_timeline("
///     0.000000 .#.
///     0.500000 ...
///     t=1.000000 ..#
///     t=2.000000 . . .
/// ");
/// assert_eq!(rec.steps()[2].pixels[2], true);
/// ```
#[derive(Clone)]
pub struct Recorder<P = bool> {
    len: usize,
    steps: Vec<Step<P>>,
}

/// One recorded write: the instant and the whole frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<P> {
    /// When the frame was written (the driver's instant).
    pub at: Instant,
    /// Every LED's value.
    pub pixels: Box<[P]>,
}

impl Recorder<bool> {
    /// A recorder of `len` on/off LEDs.
    pub fn new(len: usize) -> Recorder<bool> {
        Recorder::with_len(len)
    }
}

impl<P: Pixel> Recorder<P> {
    /// A recorder of `len` LEDs of any pixel type: `Recorder::<RGB8>::with_len(11)`.
    pub fn with_len(len: usize) -> Recorder<P> {
        Recorder { len, steps: Vec::new() }
    }

    /// Every recorded write, in order.
    pub fn steps(&self) -> &[Step<P>] {
        &self.steps
    }

    /// Forgets what was recorded.
    pub fn forget(&mut self) {
        self.steps.clear();
    }

    /// The timeline as text, one line per write: the seconds since the first write
    /// with six decimals, a space, then one character per LED, `#` on and `.` off.
    pub fn render(&self) -> String {
        self.render_with(|p| if p.is_on() { '#' } else { '.' })
    }

    /// The timeline as text with one character per LED chosen by `glyph` (as
    /// embedded-graphics' `MockDisplay` draws colours as letters); the lines as
    /// [`Recorder::render`] prints them.
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let (red, blue) = (RGB8::new(255, 0, 0), RGB8::new(0, 0, 255));
    /// let mut driver = Driver::new(Recorder::<RGB8>::with_len(3), VirtualClock::new());
    /// driver.run(&fill(0, red).then(on(2).color(blue).timeout(ms(100)))).unwrap();
    /// let glyph = |p: &RGB8| match (p.r, p.g, p.b) {
    ///     (0, 0, 0) => '.',
    ///     (_, 0, 0) => 'R',
    ///     (0, 0, _) => 'B',
    ///     _ => '?',
    /// };
    /// assert_eq!(driver.output().render_with(glyph), "0.000000 R.B\n0.100000 R..\n");
    /// ```
    pub fn render_with(&self, glyph: impl Fn(&P) -> char) -> String {
        self.render_pixels("", |out, p| out.push(glyph(p)))
    }

    /// One line per step: the time, a space, then each pixel drawn by `pixel`, with
    /// `gap` between two pixels.
    fn render_pixels(&self, gap: &str, mut pixel: impl FnMut(&mut String, &P)) -> String {
        let mut out = String::new();
        let origin = self.steps.first().map_or(Instant::ZERO, |s| s.at);
        for step in &self.steps {
            let _ = write!(out, "{} ", Instant::from_nanos((step.at - origin).as_nanos() as u64));
            for (i, p) in step.pixels.iter().enumerate() {
                if i > 0 {
                    out.push_str(gap);
                }
                pixel(&mut out, p);
            }
            out.push('\n');
        }
        out
    }

    /// Panics with both timelines unless the recording matches `expected`.
    ///
    /// `expected` has one line per write as [`Recorder::render`] prints it (the time may
    /// also be written `t=0.500000`); blank lines, indentation and whitespace between
    /// pixel characters are ignored.
    ///
    /// # Panics
    ///
    /// When the timelines differ, naming the first differing line.
    #[track_caller]
    pub fn assert_timeline(&self, expected: &str) {
        assert_same(&self.render(), expected);
    }

    /// [`Recorder::assert_timeline`] for timelines drawn by
    /// [`Recorder::render_with`] with `glyph`.
    ///
    /// # Panics
    ///
    /// When the timelines differ, naming the first differing line.
    #[track_caller]
    pub fn assert_timeline_with(&self, glyph: impl Fn(&P) -> char, expected: &str) {
        assert_same(&self.render_with(glyph), expected);
    }
}

impl<P: Pixel + Shade> Recorder<P> {
    /// The timeline with every LED as the six hex digits of the light it gives
    /// ([`Shade::rgb`]: an [`RGB8`](crate::RGB8) itself, a [`Dot`](crate::Dot) dimmed
    /// by its 5-bit brightness), `000000` when dark; LEDs separated by a space.
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
    /// driver.run(&on(1).color(RGB8::new(255, 128, 0)).timeout(ms(250))).unwrap();
    /// assert_eq!(
    ///     driver.output().render_hex(),
    ///     "0.000000 000000 ff8000\n0.250000 000000 000000\n",
    /// );
    /// driver.output().assert_hex_timeline("
    ///     0.000000 000000 FF8000
    ///     0.250000 000000 000000
    /// ");
    /// ```
    pub fn render_hex(&self) -> String {
        self.render_pixels(" ", |out, p| {
            let c = if p.is_on() { p.rgb() } else { crate::RGB8::new(0, 0, 0) };
            let _ = write!(out, "{:02x}{:02x}{:02x}", c.r, c.g, c.b);
        })
    }

    /// Panics with both timelines unless the recording matches `expected`, written as
    /// [`Recorder::render_hex`] prints it (hex digits in either case; blank lines,
    /// indentation and whitespace between pixels ignored).
    ///
    /// # Panics
    ///
    /// When the timelines differ, naming the first differing line.
    #[track_caller]
    pub fn assert_hex_timeline(&self, expected: &str) {
        assert_same(&self.render_hex(), &expected.to_ascii_lowercase());
    }
}

/// Panics with both timelines unless `actual` and `expected` are the same timeline:
/// lines compared after trimming, `t=` dropped from times, whitespace between pixels
/// dropped, blank lines ignored.
#[track_caller]
fn assert_same(actual: &str, expected: &str) {
    let normalize = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| {
                let line = line.trim();
                let (time, pixels) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                let time = time.strip_prefix("t=").unwrap_or(time);
                (!line.is_empty()).then(|| {
                    let pixels: String = pixels.split_whitespace().collect();
                    format!("{time} {pixels}")
                })
            })
            .collect()
    };
    let actual = normalize(actual);
    let expected = normalize(expected);
    if actual != expected {
        let first = actual
            .iter()
            .zip(&expected)
            .position(|(a, e)| a != e)
            .unwrap_or(actual.len().min(expected.len()));
        panic!(
            "timeline differs at line {}\n--- expected ({} lines)\n{}\n--- actual ({} lines)\n{}",
            first + 1,
            expected.len(),
            expected.join("\n"),
            actual.len(),
            actual.join("\n"),
        );
    }
}

impl<P: Pixel> Output for Recorder<P> {
    type Pixel = P;
    type Error = Infallible;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, P>) -> Result<(), Infallible> {
        self.steps.push(Step { at: frame.at, pixels: frame.pixels.into() });
        Ok(())
    }

    /// Records an all-off step at the instant of the last step (a recorder has no
    /// clock of its own).
    fn clear(&mut self) -> Result<(), Infallible> {
        let at = self.steps.last().map_or(Instant::ZERO, |s| s.at);
        self.steps.push(Step { at, pixels: vec![P::OFF; self.len].into() });
        Ok(())
    }
}

impl<P: Pixel> fmt::Debug for Recorder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorder")
            .field("len", &self.len)
            .field("steps", &self.steps.len())
            .finish()
    }
}
