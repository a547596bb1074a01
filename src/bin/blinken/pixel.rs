//! The three pixel types the command plays: `bool` (the talk's board, GPIO lines),
//! `Dot` (the DotStar strip) and `RGB8` (any other colour strip).

use std::fmt::Write as _;

use blinken::output::Shade;
use blinken::spec::{PixelBufAnimation, SpecPixel};
use blinken::{Animation, BoxAnimation, Dot, RGB8};

/// What the command needs of a pixel: specs build for it, the terminal and pictures
/// draw it, the log prints it, keyframe files play on it (or are refused by name).
pub trait CliPixel: SpecPixel + Shade + Send + 'static {
    /// Whether the log separates LEDs by spaces (colours do; `#`/`.` need not).
    const SPACED: bool;

    /// What a keyframe file of the pixel-buffer player plays as on this pixel.
    fn keyframes(animation: &PixelBufAnimation) -> Result<BoxAnimation<Self>, String>;

    /// Appends the log's text for one LED.
    fn log(&self, out: &mut String);
}

impl CliPixel for bool {
    const SPACED: bool = false;

    fn keyframes(_: &PixelBufAnimation) -> Result<BoxAnimation<bool>, String> {
        Err("keyframe files are colour frames and the talk's board is on/off LEDs; \
             record them on a colour strip (--strip seeds or --output-len N)"
            .to_owned())
    }

    fn log(&self, out: &mut String) {
        out.push(if *self { '#' } else { '.' });
    }
}

impl CliPixel for RGB8 {
    const SPACED: bool = true;

    fn keyframes(animation: &PixelBufAnimation) -> Result<BoxAnimation<RGB8>, String> {
        Ok(animation.keyframes::<RGB8>().map_err(|e| e.to_string())?.boxed())
    }

    fn log(&self, out: &mut String) {
        let _ = write!(out, "{:02x}{:02x}{:02x}", self.r, self.g, self.b);
    }
}

impl CliPixel for Dot {
    const SPACED: bool = true;

    fn keyframes(animation: &PixelBufAnimation) -> Result<BoxAnimation<Dot>, String> {
        Ok(animation.keyframes::<Dot>().map_err(|e| e.to_string())?.boxed())
    }

    /// The light it gives: the colour scaled by its 5-bit brightness.
    fn log(&self, out: &mut String) {
        self.rgb().log(out);
    }
}
