use core::time::Duration;
use std::sync::Arc;

use crate::error::at_most_longest;
use crate::time::{MIN_STEP, mul};
use crate::{Animation, Cx, Instant, Leds, Pixel, ValidationError, ValidationErrorKind};

/// Frames of pixels, each shown for its own duration. Built by [`keyframes`].
#[derive(Debug, Clone, PartialEq)]
pub struct Keyframes<P> {
    frames: Arc<[Keyframe<P>]>,
    /// `offsets[k]`: when frame `k` starts, from the start of a play; the last entry is
    /// the length of one play (`frames.len() + 1` entries).
    offsets: Arc<[Duration]>,
    leds: Option<Leds>,
    plays: Option<u64>,
    pause: Duration,
}

/// One frame of [`Keyframes`]: pixels and how long they are shown.
///
/// Pixel `i` goes to the `i`-th LED the keyframes drive; a frame shorter than that
/// leaves the rest dark.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyframe<P> {
    /// How long the frame is shown.
    pub duration: Duration,
    /// The pixels, in the order of the LEDs.
    pub pixels: Vec<P>,
}

impl<P> Keyframe<P> {
    /// A frame of `pixels` shown for `duration`.
    pub fn new(duration: Duration, pixels: impl Into<Vec<P>>) -> Keyframe<P> {
        Keyframe { duration, pixels: pixels.into() }
    }
}

impl<P, V: Into<Vec<P>>> From<(Duration, V)> for Keyframe<P> {
    fn from((duration, pixels): (Duration, V)) -> Keyframe<P> {
        Keyframe::new(duration, pixels)
    }
}

/// Plays `frames` once: frame `k` is shown from the sum of the earlier frames'
/// durations to that sum plus its own; then the LEDs go dark.
///
/// The pixels of a frame go to LEDs `0, 1, 2, ...` (up to the longest frame), or to the
/// LEDs given by [`Keyframes::leds`]. [`Keyframes::plays`], [`Keyframes::looping`] and
/// [`Keyframes::pause`] play the frames again.
///
/// # Timing
///
/// Every frame's start is computed from the logical start of the run: frame `k` of
/// play `p` starts at `start + p·(play + pause) + d₀ + … + dₖ₋₁`, so 10,000 frames of
/// 10 ms end at exactly 100 s, however late any wake-up was. The run ends after the
/// last frame of the last play, with no pause after it. After a stall, the frame due
/// now is shown at once (found with a division and a binary search), without replaying
/// the frames missed.
///
/// # Cancellation
///
/// The LEDs go dark at the end of the run and at the instant the run is dropped.
///
/// # Errors
///
/// Validation refuses keyframes without frames ([`ValidationErrorKind::NoFrames`]), a
/// frame shorter than [`MIN_STEP`](crate::MIN_STEP)
/// ([`ValidationErrorKind::FrameTooShort`]), a frame or pause longer than
/// [`LONGEST`](crate::LONGEST) and a frame with more pixels than LEDs
/// ([`ValidationErrorKind::FrameTooLong`]), naming the frame.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::keyframes;
///
/// let frames = [
///     (ms(100), vec![true, false, true]),
///     (ms(300), vec![false, true]), // shorter: LED 2 goes dark
///     (ms(50), vec![true]),
/// ];
/// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
/// let end = driver.run(&keyframes(frames.clone()).plays(2).pause(ms(500))).unwrap();
/// assert_eq!(end, Instant::ZERO + ms(1400)); // 2 × 450 ms + one pause between
/// driver.output().assert_timeline("
///     0.000000 #.#
///     0.100000 .#.
///     0.400000 #..
///     0.950000 #.#
///     1.050000 .#.
///     1.350000 #..
///     1.400000 ...
/// ");
///
/// // A frame longer than the output is refused, naming the frame.
/// let err = Animation::<bool>::validate(&keyframes(frames), 2).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "keyframes: frame 0 has 3 pixels but only 2 LEDs show them; \
///      shorten the frame or play it on more LEDs"
/// );
/// ```
pub fn keyframes<P: Pixel, F: Into<Keyframe<P>>>(
    frames: impl IntoIterator<Item = F>,
) -> Keyframes<P> {
    let frames: Arc<[Keyframe<P>]> = frames.into_iter().map(Into::into).collect();
    let mut offsets = Vec::with_capacity(frames.len() + 1);
    let mut t = Duration::ZERO;
    offsets.push(t);
    for frame in frames.iter() {
        t = t.saturating_add(frame.duration);
        offsets.push(t);
    }
    Keyframes { frames, offsets: offsets.into(), leds: None, plays: Some(1), pause: Duration::ZERO }
}

impl<P: Pixel> Keyframes<P> {
    /// Plays the frames `plays` times (the default is once); `plays(0)` ends at once.
    #[must_use]
    pub fn plays(mut self, plays: u64) -> Keyframes<P> {
        self.plays = Some(plays);
        self
    }

    /// Plays the frames again and again; never ends by itself.
    #[must_use]
    pub fn looping(mut self) -> Keyframes<P> {
        self.plays = None;
        self
    }

    /// Holds the last frame for `pause` more between two plays (never after the last).
    #[must_use]
    pub fn pause(mut self, pause: Duration) -> Keyframes<P> {
        self.pause = pause;
        self
    }

    /// Shows pixel `i` of each frame on `leds[i]` instead of LED `i`.
    #[must_use]
    pub fn leds(mut self, leds: impl Into<Leds>) -> Keyframes<P> {
        self.leds = Some(leds.into());
        self
    }

    /// The frames, in order.
    pub fn frames(&self) -> &[Keyframe<P>] {
        &self.frames
    }

    /// How many times the frames play; `None` when looping forever.
    pub fn play_count(&self) -> Option<u64> {
        self.plays
    }

    /// The length of one play: the sum of the frames' durations (saturating).
    fn total(&self) -> Duration {
        self.offsets.last().copied().unwrap_or_default()
    }

    /// The LEDs the frames are shown on.
    fn targets(&self) -> Leds {
        match &self.leds {
            Some(leds) => leds.clone(),
            None => Leds::from(0..self.frames.iter().map(|f| f.pixels.len()).max().unwrap_or(0)),
        }
    }

    /// The length of a play and the pause after it.
    fn period(&self) -> Duration {
        self.total().saturating_add(self.pause)
    }

    fn play_start(&self, start: Instant, play: u64) -> Instant {
        start.add_times(self.period(), play)
    }

    fn frame_start(&self, start: Instant, (play, frame): (u64, usize)) -> Instant {
        self.play_start(start, play) + self.offsets[frame]
    }

    /// The (play, frame) due at `now`: the frame whose time contains `now`, or the last
    /// frame during a pause; O(log frames).
    fn due(&self, start: Instant, now: Instant) -> (u64, usize) {
        let period = self.period().as_nanos();
        if period == 0 {
            return (0, 0);
        }
        let elapsed = (now - start).as_nanos();
        let play = u64::try_from(elapsed / period).unwrap_or(u64::MAX);
        let within = Duration::from_nanos(u64::try_from(elapsed % period).unwrap_or(u64::MAX));
        let frame = self.offsets[1..].partition_point(|&o| o <= within);
        (play, frame.min(self.frames.len().saturating_sub(1)))
    }

    fn show(&self, cx: &Cx<P>, leds: &Leds, frame: &Keyframe<P>) {
        for (i, &led) in leds.iter().enumerate() {
            cx.set(led, frame.pixels.get(i).copied().unwrap_or(P::OFF));
        }
    }
}

impl<P: Pixel> Animation<P> for Keyframes<P> {
    async fn run(&self, cx: &Cx<P>, start: Instant) -> Instant {
        let leds = self.targets();
        let _off = cx.off_on_drop(&leds);
        let last = self.frames.len().saturating_sub(1);
        let mut end = start;
        // (play, frame) of the frame to show now.
        let mut at = (0u64, 0usize);
        while self.plays.is_none_or(|plays| at.0 < plays) {
            let (play, frame) = at;
            self.show(cx, &leds, &self.frames[frame]);
            end = self.play_start(start, play) + self.total();
            let next = if frame < last { (play, frame + 1) } else { (play.saturating_add(1), 0) };
            if self.plays.is_some_and(|plays| next.0 >= plays) {
                break;
            }
            let due = cx.sleep_until(self.frame_start(start, next)).await;
            // Late? Jump to the frame due now (a division and a binary search); on time,
            // this is `next`.
            at = match cx.now() == due {
                true => next,
                false => self.due(start, cx.now()).max(next),
            };
        }
        cx.sleep_until(end).await;
        cx.fill(&leds, P::OFF);
        end
    }

    fn validate(&self, len: usize) -> Result<(), ValidationError> {
        let fail = |kind| Err(ValidationError::new("keyframes", kind));
        if self.frames.is_empty() {
            return fail(ValidationErrorKind::NoFrames);
        }
        for (frame, f) in self.frames.iter().enumerate() {
            if f.duration < MIN_STEP {
                return fail(ValidationErrorKind::FrameTooShort { frame, duration: f.duration });
            }
            at_most_longest("keyframes", "a frame", f.duration)?;
        }
        at_most_longest("keyframes", "the pause", self.pause)?;
        let shown = self.leds.as_ref().map_or(len, |leds| leds.len());
        if let Some(frame) = self.frames.iter().position(|f| f.pixels.len() > shown) {
            let pixels = self.frames[frame].pixels.len();
            return fail(ValidationErrorKind::FrameTooLong { frame, pixels, leds: shown });
        }
        self.targets().validate(len, "keyframes")
    }

    /// Exact: `plays·play + (plays − 1)·pause`; `Duration::MAX` (never ends) when looping.
    fn min_duration(&self) -> Duration {
        self.max_duration().unwrap_or(Duration::MAX)
    }

    /// Exact: `plays·play + (plays − 1)·pause`; `None` (never ends) when looping.
    fn max_duration(&self) -> Option<Duration> {
        match self.plays? {
            0 => Some(Duration::ZERO),
            n => Some(mul(self.total(), n).saturating_add(mul(self.pause, n - 1))),
        }
    }
}
