//! Building a request's program for the player's output: on the I/O thread for cheap
//! requests, on the decoder thread for costly ones. Plain functions of the presets and
//! the layout, so both threads share them.

use core::time::Duration;
use std::sync::Arc;

use super::request::{Curve, Program, Request};
use crate::spec::{
    Color, FrameSpec, KeyframesSpec, Layout, PixelBufAnimation, Plays, Presets, Spec, SpecPixel,
};
use crate::{BoxAnimation, Dot, RGB8};

/// What programs are built from.
#[derive(Debug)]
pub(crate) struct Programs {
    pub(crate) presets: Presets,
    /// The presets that fit the output ([`Presets::fitting`]): the ones listed and
    /// played by name.
    pub(crate) fitting: Presets,
    pub(crate) layout: Layout,
}

/// A request with its program built: ready for the player.
pub(crate) enum Prepared<P: SpecPixel> {
    Play(BoxAnimation<P>),
    Overlay(BoxAnimation<P>),
    Crossfade(BoxAnimation<P>, Duration, crate::Curve),
    /// A request without a program.
    Other(Request),
}

impl Programs {
    /// The programs of `presets` for an output of `P` pixels laid out as `layout`.
    pub(crate) fn new<P: SpecPixel>(presets: Presets, layout: Layout) -> Programs {
        Programs { fitting: presets.fitting::<P>(&layout), presets, layout }
    }

    /// Builds the program of `request`, if it has one.
    pub(crate) fn prepare<P: SpecPixel + 'static>(
        self: &Arc<Self>,
        request: Request,
    ) -> Result<Prepared<P>, String> {
        Ok(match request {
            Request::Play(program) => Prepared::Play(self.build(&program)?),
            Request::Overlay(program) => Prepared::Overlay(self.build(&program)?),
            Request::Crossfade { program, duration, curve } => {
                let curve = match curve {
                    Curve::Linear => crate::Curve::Linear,
                    Curve::Ease => crate::Curve::EaseInOut,
                };
                Prepared::Crossfade(self.build(&program)?, duration, curve)
            }
            other => Prepared::Other(other),
        })
    }

    /// Builds `program` for the output (the player validates it when it is queued).
    fn build<P: SpecPixel + 'static>(&self, program: &Program) -> Result<BoxAnimation<P>, String> {
        let spec = match program {
            Program::Spec(spec) => spec,
            Program::Preset(name) => match self.fitting.get(name) {
                Some(preset) => preset.spec(),
                None => {
                    let mut names: Vec<&str> = self.fitting.iter().map(|p| p.name()).collect();
                    names.sort_unstable();
                    let names = names.join(", ");
                    // A preset made for another output says why it does not fit.
                    if let Some(Err(error)) =
                        self.presets.get(name).map(|p| p.fits::<P>(&self.layout))
                    {
                        return Err(format!(
                            "the preset {name:?} does not fit this output: {error}; \
                             the presets that do are: {names}"
                        ));
                    }
                    return Err(format!("there is no preset {name:?}; the presets are: {names}"));
                }
            },
            Program::PixelBuf(animation) => &pixelbuf_spec(animation)?,
        };
        spec.build::<P>(&self.layout).map_err(|e| e.to_string())
    }
}

/// A pixel-buffer animation as a keyframes spec: a pixel at full brightness is its
/// colour, a dimmer one a DotStar colour at `int(brightness × 31)` (as the original's
/// driver set it), so it builds for every colour output.
pub(crate) fn pixelbuf_spec(animation: &PixelBufAnimation) -> Result<Spec, String> {
    let plays = animation.plays().map_err(|e| format!("the animation was refused: {e}"))?;
    let frames = animation
        .frames
        .iter()
        .map(|frame| FrameSpec {
            duration: Duration::from_millis(frame.display_ms),
            pixels: frame
                .pixels
                .iter()
                .map(|&p| {
                    if p.brightness >= 1.0 {
                        Color::Rgb(RGB8::new(p.red, p.green, p.blue))
                    } else {
                        Color::Dot(Dot::from(p))
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Spec::Keyframes(KeyframesSpec {
        frames,
        leds: None,
        plays: Some(match plays {
            None => Plays::Forever,
            Some(n) => Plays::Times(n),
        }),
        pause: (animation.pause_between_play_ms > 0)
            .then(|| Duration::from_millis(animation.pause_between_play_ms)),
    }))
}
