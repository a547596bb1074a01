//! Pictures of a recorded timeline: SVG (always) and PNG (feature `png`).

use core::fmt::Write as _;
use core::time::Duration;

use super::{Output, Recorder, Shade};
use crate::{Pixel, RGB8};

/// Left of the plot: the LED numbers.
const LEFT: u32 = 36;
/// Above the plot.
const TOP: u32 = 8;
/// Right of the plot.
const RIGHT: u32 = 16;
/// Below the plot: the time axis and its labels.
const BOTTOM: u32 = 34;
/// Behind the LEDs: the colour of a dark LED.
const BACKGROUND: RGB8 = RGB8::new(24, 24, 24);
/// Lines between rows, ticks and labels.
const INK: RGB8 = RGB8::new(136, 136, 136);

/// A picture of a [`Recorder`]'s timeline: one row per LED (LED 0 at the top), time
/// along x from the first write, each span of time filled with the colour the LED
/// showed ([`Shade::rgb`]; a dark LED shows the dark background; a one-pixel gap
/// keeps neighbouring rows apart), and a time axis in seconds below.
///
/// [`Picture::svg`] writes SVG text by hand (no dependency); [`Picture::write_png`]
/// draws the same picture without the text (feature `png`). The examples' `--svg FILE`
/// and `--png FILE` use them.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::Picture;
///
/// let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
/// driver.run(&on(1).color(RGB8::new(255, 128, 0)).timeout(ms(500))).unwrap();
/// let svg = Picture::new(driver.output()).until(secs(1)).width(100).svg();
/// assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"152\""));
/// // LED 1 is orange for the first half: 50 of the 100 pixels.
/// assert!(svg.contains(r##"<rect x="36.000" y="20" width="50.000" height="11" fill="#ff8000"/>"##));
/// assert!(svg.contains(">1 s</text>"));
/// ```
#[derive(Clone, Copy)]
pub struct Picture<'a, P> {
    recorder: &'a Recorder<P>,
    until: Option<Duration>,
    width: u32,
    row: u32,
}

/// One filled span: LED, start and end (seconds from the first write), colour.
type Span = (usize, f64, f64, RGB8);

impl<'a, P: Pixel + Shade> Picture<'a, P> {
    /// A picture of `recorder`'s timeline: 800 pixels of time, rows 12 pixels high,
    /// ending a tenth after the last write (1 s when everything happened at once).
    pub fn new(recorder: &'a Recorder<P>) -> Picture<'a, P> {
        Picture { recorder, until: None, width: 800, row: 12 }
    }

    /// Ends the picture `end` after the first write (a recording's window).
    pub fn until(mut self, end: Duration) -> Picture<'a, P> {
        self.until = Some(end);
        self
    }

    /// The width of the time axis in pixels (at least 1).
    pub fn width(mut self, pixels: u32) -> Picture<'a, P> {
        self.width = pixels.max(1);
        self
    }

    /// The height of one LED's row in pixels (at least 1).
    pub fn row_height(mut self, pixels: u32) -> Picture<'a, P> {
        self.row = pixels.max(1);
        self
    }

    /// Seconds from the first write to the end of the picture.
    fn end(&self) -> f64 {
        let steps = self.recorder.steps();
        let last = match (steps.first(), steps.last()) {
            (Some(first), Some(last)) => (last.at - first.at).as_secs_f64(),
            _ => 0.0,
        };
        match self.until {
            Some(end) if !end.is_zero() => end.as_secs_f64(),
            _ if last > 0.0 => last * 1.1,
            _ => 1.0,
        }
    }

    /// Every lit span, merged where an LED keeps its colour across writes.
    fn spans(&self, end: f64) -> Vec<Span> {
        let steps = self.recorder.steps();
        let Some(origin) = steps.first().map(|s| s.at) else { return Vec::new() };
        let mut spans = Vec::new();
        for led in 0..self.recorder.len() {
            let mut open: Option<(f64, RGB8)> = None;
            for step in steps {
                let t = (step.at - origin).as_secs_f64().min(end);
                let pixel = step.pixels.get(led).copied().unwrap_or(P::OFF);
                let colour = pixel.is_on().then(|| pixel.rgb());
                if open.map(|(_, c)| c) == colour {
                    continue;
                }
                if let Some((from, c)) = open.take() {
                    spans.push((led, from, t, c));
                }
                open = colour.map(|c| (t, c));
            }
            if let Some((from, c)) = open {
                spans.push((led, from, end, c));
            }
        }
        spans.retain(|&(_, from, to, _)| to > from);
        spans
    }

    /// The tick interval: 1, 2 or 5 × 10^k seconds, about every 80 pixels.
    fn tick(&self, end: f64) -> f64 {
        let raw = end / (f64::from(self.width) / 80.0).max(1.0);
        let magnitude = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|&t| t >= raw).unwrap_or(raw)
    }

    /// The height of a lit span: a row, less a one-pixel gap when rows are 4 pixels
    /// or more, so that neighbouring LEDs stay apart.
    fn lit_height(&self) -> u32 {
        if self.row >= 4 { self.row - 1 } else { self.row }
    }

    fn size(&self) -> (u32, u32) {
        let rows = u32::try_from(self.recorder.len()).unwrap_or(u32::MAX);
        (LEFT + self.width + RIGHT, TOP + rows.saturating_mul(self.row) + BOTTOM)
    }

    /// The picture as an SVG document.
    pub fn svg(&self) -> String {
        let end = self.end();
        let (w, h) = self.size();
        let plot_h = h - TOP - BOTTOM;
        let x = |t: f64| f64::from(LEFT) + t / end * f64::from(self.width);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"monospace\" font-size=\"10\">"
        );
        let _ = writeln!(out, "<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>");
        let _ = writeln!(
            out,
            "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{}\" height=\"{plot_h}\" fill=\"{}\"/>",
            self.width,
            hex(BACKGROUND)
        );
        for (led, from, to, colour) in self.spans(end) {
            let y = TOP + u32::try_from(led).unwrap_or(u32::MAX).saturating_mul(self.row);
            let _ = writeln!(
                out,
                "<rect x=\"{:.3}\" y=\"{y}\" width=\"{:.3}\" height=\"{}\" fill=\"{}\"/>",
                x(from),
                x(to) - x(from),
                self.lit_height(),
                hex(colour)
            );
        }
        // LED numbers: every row when there is room, else every fifth.
        let every = if self.row >= 10 { 1 } else { 5 };
        for led in (0..self.recorder.len()).step_by(every) {
            let y = TOP + u32::try_from(led).unwrap_or(u32::MAX).saturating_mul(self.row);
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\" \
                 fill=\"{}\">{led}</text>",
                LEFT - 4,
                f64::from(y) + f64::from(self.row) / 2.0,
                hex(INK)
            );
        }
        let axis = TOP + plot_h;
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{axis}\" x2=\"{}\" y2=\"{axis}\" stroke=\"{}\"/>",
            LEFT + self.width,
            hex(INK)
        );
        let tick = self.tick(end);
        let mut k = 0u32;
        loop {
            let t = f64::from(k) * tick;
            if t > end * (1.0 + 1e-9) {
                break;
            }
            let tx = x(t);
            let label = format!("{}", (t * 1e6).round() / 1e6);
            let _ = writeln!(
                out,
                "<line x1=\"{tx:.3}\" y1=\"{axis}\" x2=\"{tx:.3}\" y2=\"{}\" stroke=\"{}\"/>",
                axis + 4,
                hex(INK)
            );
            let _ = writeln!(
                out,
                "<text x=\"{tx:.3}\" y=\"{}\" text-anchor=\"middle\" fill=\"#333333\">{label} s</text>",
                axis + 16
            );
            k += 1;
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#333333\">time (s)</text>",
            LEFT + self.width,
            axis + 30
        );
        out.push_str("</svg>\n");
        out
    }

    /// The picture as RGB rows, top to bottom: the SVG's rectangles and lines, no text.
    #[cfg_attr(not(feature = "png"), allow(dead_code))]
    fn raster(&self) -> (u32, u32, Vec<u8>) {
        let end = self.end();
        let (w, h) = self.size();
        let mut data = vec![255u8; (w as usize) * (h as usize) * 3];
        let mut put = |px: u32, py: u32, c: RGB8| {
            if px < w && py < h {
                let i = ((py as usize) * (w as usize) + px as usize) * 3;
                data[i..i + 3].copy_from_slice(&[c.r, c.g, c.b]);
            }
        };
        let plot_h = h - TOP - BOTTOM;
        for py in TOP..TOP + plot_h {
            for px in LEFT..LEFT + self.width {
                put(px, py, BACKGROUND);
            }
        }
        // A column shows the colour at its middle instant.
        let column = |t: f64| (t / end * f64::from(self.width)).round() as u32;
        for (led, from, to, colour) in self.spans(end) {
            let y = TOP + u32::try_from(led).unwrap_or(u32::MAX).saturating_mul(self.row);
            for px in column(from)..column(to).min(self.width) {
                for py in y..y.saturating_add(self.lit_height()).min(TOP + plot_h) {
                    put(LEFT + px, py, colour);
                }
            }
        }
        let axis = TOP + plot_h;
        for px in LEFT..LEFT + self.width {
            put(px, axis, INK);
        }
        let tick = self.tick(end);
        let mut k = 0u32;
        while f64::from(k) * tick <= end * (1.0 + 1e-9) {
            let px = LEFT + column(f64::from(k) * tick).min(self.width);
            for py in axis..axis + 5 {
                put(px, py, INK);
            }
            k += 1;
        }
        (w, h, data)
    }

    /// Writes the picture as a PNG (8-bit RGB): the SVG's colours, row lines and time
    /// ticks, without the text (no font needed). A span shorter than a pixel column
    /// may not show.
    ///
    /// # Errors
    ///
    /// The writer's error, or the encoder's as [`std::io::Error`].
    #[cfg(feature = "png")]
    #[cfg_attr(docsrs, doc(cfg(feature = "png")))]
    pub fn write_png(&self, writer: impl std::io::Write) -> std::io::Result<()> {
        let (w, h, data) = self.raster();
        let mut encoder = png::Encoder::new(writer, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut png = encoder.write_header().map_err(std::io::Error::other)?;
        png.write_image_data(&data).map_err(std::io::Error::other)?;
        png.finish().map_err(std::io::Error::other)
    }
}

impl<P: Pixel> core::fmt::Debug for Picture<'_, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Picture")
            .field("recorder", self.recorder)
            .field("until", &self.until)
            .field("width", &self.width)
            .field("row", &self.row)
            .finish()
    }
}

/// `#rrggbb`.
fn hex(c: RGB8) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}
