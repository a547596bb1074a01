//! Carrying out requests on the player: never blocking (a full command queue is an
//! error reply), never changing anything on an error.

use core::time::Duration;

use serde_json::{Value as Json, json};

use super::reply::{self, seconds};
use super::request::{Curve, ParseLimits, Program, Request};
use crate::output::adapter::BrightnessHandle;
use crate::spec::{
    Color, FrameSpec, KeyframesSpec, Layout, PixelBufAnimation, Plays, Presets, Spec, SpecPixel,
};
use crate::{BoxAnimation, Dot, Events, PlayError, PlayerHandle, RGB8};

/// What the connection does after the reply.
#[derive(Debug)]
pub(crate) enum Action {
    Reply,
    Subscribe(Events),
    Close,
}

/// The server's side of every request.
pub(crate) struct Handler<P: SpecPixel> {
    pub(crate) player: PlayerHandle<P>,
    pub(crate) presets: Presets,
    pub(crate) layout: Layout,
    pub(crate) brightness: Option<BrightnessHandle>,
    pub(crate) parse: ParseLimits,
    pub(crate) subscriber_queue: usize,
    /// The server's own subscription, for `status`'s last error.
    pub(crate) status_events: Events,
    pub(crate) last_error: Option<String>,
}

impl<P: SpecPixel + 'static> Handler<P> {
    /// Reads the server's own subscription (on every turn of the loop; `waker` wakes
    /// the loop when more come).
    pub(crate) fn track(&mut self, waker: &core::task::Waker) {
        use core::task::{Context, Poll};
        use futures::Stream as _;
        let mut task = Context::from_waker(waker);
        while let Poll::Ready(Some(event)) =
            core::pin::Pin::new(&mut self.status_events).poll_next(&mut task)
        {
            if let Some(error) = reply::event_error(&event) {
                self.last_error = Some(error);
            }
        }
    }

    /// Carries out `request`; the reply and what to do next.
    pub(crate) fn handle(&mut self, request: Request) -> (Json, Action) {
        let played = |result: Result<crate::PlayId, String>| match result {
            Ok(id) => reply::ok(json!({"id": id.get()})),
            Err(message) => reply::error(&message),
        };
        match request {
            Request::Play(program) => {
                let result = self.build(&program).and_then(|animation| {
                    self.player.try_play_boxed(animation).map_err(|e| play_error(&e))
                });
                (played(result), Action::Reply)
            }
            Request::Overlay(program) => {
                let result = self.build(&program).and_then(|animation| {
                    self.player.try_overlay_boxed(animation).map_err(|e| play_error(&e))
                });
                (played(result), Action::Reply)
            }
            Request::Crossfade { program, duration, curve } => {
                let curve = match curve {
                    Curve::Linear => crate::Curve::Linear,
                    Curve::Ease => crate::Curve::EaseInOut,
                };
                let result = self.build(&program).and_then(|animation| {
                    self.player
                        .try_crossfade_boxed(animation, duration, curve)
                        .map_err(|e| play_error(&e))
                });
                (played(result), Action::Reply)
            }
            Request::StopOverlay => (done(self.player.try_stop_overlay()), Action::Reply),
            Request::Stop => (done(self.player.try_stop()), Action::Reply),
            Request::Clear => (done(self.player.try_clear()), Action::Reply),
            Request::Status => (self.status(), Action::Reply),
            Request::Presets => {
                let presets: Vec<Json> = self
                    .presets
                    .iter()
                    .map(|p| json!({"name": p.name(), "description": p.description()}))
                    .collect();
                (reply::ok(json!({"presets": presets})), Action::Reply)
            }
            Request::Brightness(level) => match &self.brightness {
                Some(handle) => {
                    handle.set_fraction(level);
                    // A still frame is written again at the new level now, not at
                    // the next change; if the queue is full, the next frame shows it.
                    if let Err(error) = self.player.try_refresh() {
                        log::debug!("brightness set; the refresh was not queued: {error}");
                    }
                    (reply::ok(json!({})), Action::Reply)
                }
                None => (
                    reply::error(
                        "this server's output has no brightness control; start it with one \
                         (ServerBuilder::brightness)",
                    ),
                    Action::Reply,
                ),
            },
            Request::Subscribe => (
                reply::ok(json!({})),
                Action::Subscribe(self.player.events_with_capacity(self.subscriber_queue)),
            ),
            Request::Close => (reply::ok(json!({})), Action::Close),
        }
    }

    fn status(&self) -> Json {
        let described = |p: crate::Playing| json!({"id": p.id.get(), "since": seconds(p.since)});
        let playing = self.player.playing().map(described);
        let overlay = self.player.overlay_playing().map(described);
        let brightness = self.brightness.as_ref().map(|b| f64::from(b.get()) / 255.0);
        reply::ok(json!({
            "playing": playing,
            "overlay": overlay,
            "last_error": self.last_error,
            "brightness": brightness,
        }))
    }

    /// Builds `program` for the player's output, on this thread (validation included).
    pub(crate) fn build(&self, program: &Program) -> Result<BoxAnimation<P>, String> {
        let spec = match program {
            Program::Spec(spec) => spec,
            Program::Preset(name) => match self.presets.get(name) {
                Some(preset) => preset.spec(),
                None => {
                    let mut names: Vec<&str> = self.presets.iter().map(|p| p.name()).collect();
                    names.sort_unstable();
                    return Err(format!(
                        "there is no preset {name:?}; the presets are: {}",
                        names.join(", ")
                    ));
                }
            },
            Program::PixelBuf(animation) => &pixelbuf_spec(animation)?,
        };
        // `try_play` validates it against the output.
        spec.build::<P>(&self.layout).map_err(|e| e.to_string())
    }
}

fn done(result: Result<(), PlayError>) -> Json {
    match result {
        Ok(()) => reply::ok(json!({})),
        Err(error) => reply::error(&play_error(&error)),
    }
}

fn play_error(error: &PlayError) -> String {
    error.to_string()
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
