//! Carrying out requests on the player: never blocking (a full command queue is an
//! error reply), never changing anything on an error.

use std::sync::Arc;

use serde_json::{Value as Json, json};

use super::prepare::{Prepared, Programs};
use super::reply::{self, seconds};
use super::request::{ParseLimits, Request};
use super::worker::Worker;
use crate::output::adapter::BrightnessHandle;
use crate::spec::SpecPixel;
use crate::{Events, PlayError, PlayerHandle};

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
    pub(crate) programs: Arc<Programs>,
    /// The decoder thread, for costly requests.
    pub(crate) worker: Worker<P>,
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

    /// Carries out `request` (its program built); the reply and what to do next.
    pub(crate) fn handle(&mut self, request: Prepared<P>) -> (Json, Action) {
        let played = |result: Result<crate::PlayId, PlayError>| match result {
            Ok(id) => reply::ok(json!({"id": id.get()})),
            Err(error) => reply::error(&play_error(&error)),
        };
        match request {
            Prepared::Play(animation) => {
                (played(self.player.try_play_boxed(animation)), Action::Reply)
            }
            Prepared::Overlay(animation) => {
                (played(self.player.try_overlay_boxed(animation)), Action::Reply)
            }
            Prepared::Crossfade(animation, duration, curve) => {
                (played(self.player.try_crossfade_boxed(animation, duration, curve)), Action::Reply)
            }
            Prepared::Other(request) => self.other(request),
        }
    }

    fn other(&mut self, request: Request) -> (Json, Action) {
        match request {
            // `Programs::prepare` turns these into the variants played above.
            Request::Play(_) | Request::Overlay(_) | Request::Crossfade { .. } => {
                (reply::error("the program was not built (a bug: please report it)"), Action::Reply)
            }
            Request::StopOverlay => (done(self.player.try_stop_overlay()), Action::Reply),
            Request::Stop => (done(self.player.try_stop()), Action::Reply),
            Request::Clear => (done(self.player.try_clear()), Action::Reply),
            Request::Status => (self.status(), Action::Reply),
            Request::Presets => {
                let presets: Vec<Json> = self
                    .programs
                    .fitting
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
