//! Configuring and requesting a [`GpioInput`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use gpiocdev::Chip;
use gpiocdev::line::{Bias as KernelBias, EdgeDetection, EventClock};
use gpiocdev::request::Request;

use super::error::request_error;
use super::{GpioInput, GpioInputError};
use crate::gpio_error::{chip_path, open_chip};

/// Which edges of a line the kernel reports; see [`GpioInputBuilder::edges`].
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Edges {
    /// The line becoming active: presses only.
    Rising,
    /// The line becoming inactive: releases only.
    Falling,
    /// Both: presses and releases (the default).
    #[default]
    Both,
}

/// The pull resistor of an input line; see [`GpioInputBuilder::bias`].
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bias {
    /// Pulled up: a button to ground pulls the line low (use with `active_low`).
    PullUp,
    /// Pulled down: a button to the supply pulls the line high.
    PullDown,
    /// No pull: the line floats unless something drives it.
    Disabled,
}

/// The settings of one line of a [`GpioInput`] that differ from the builder's shared
/// ones; see [`GpioInputBuilder::line_with`]. A setting left unset is the shared one.
///
/// # Examples
///
/// ```
/// use blinken::input::{Bias, LineSettings};
/// use blinken::prelude::*;
///
/// let settings = LineSettings::new().bias(Bias::PullDown).active_low(false).debounce(ms(30));
/// assert_eq!(settings, LineSettings::new().debounce(ms(30)).active_low(false).bias(Bias::PullDown));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[must_use]
pub struct LineSettings {
    edges: Option<Edges>,
    bias: Option<Bias>,
    debounce: Option<Duration>,
    active_low: Option<bool>,
}

impl LineSettings {
    /// Nothing of its own: every setting is the builder's shared one.
    pub const fn new() -> LineSettings {
        LineSettings { edges: None, bias: None, debounce: None, active_low: None }
    }

    /// Which edges this line reports; see [`GpioInputBuilder::edges`].
    pub const fn edges(mut self, edges: Edges) -> LineSettings {
        self.edges = Some(edges);
        self
    }

    /// This line's pull resistor; see [`GpioInputBuilder::bias`].
    pub const fn bias(mut self, bias: Bias) -> LineSettings {
        self.bias = Some(bias);
        self
    }

    /// This line's debounce period (zero: none); see [`GpioInputBuilder::debounce`].
    /// Checked when given to [`GpioInputBuilder::line_with`].
    pub const fn debounce(mut self, period: Duration) -> LineSettings {
        self.debounce = Some(period);
        self
    }

    /// Whether this line is active low; see [`GpioInputBuilder::active_low`].
    pub const fn active_low(mut self, active_low: bool) -> LineSettings {
        self.active_low = Some(active_low);
        self
    }

    /// `self`'s settings where it has them, `shared`'s otherwise.
    fn over(self, shared: LineSettings) -> LineSettings {
        LineSettings {
            edges: self.edges.or(shared.edges),
            bias: self.bias.or(shared.bias),
            debounce: self.debounce.or(shared.debounce),
            active_low: self.active_low.or(shared.active_low),
        }
    }
}

/// Configures and requests a [`GpioInput`]; made by [`GpioInput::builder`] (one line)
/// or [`GpioInput::lines`] (several).
///
/// The settings ([`edges`](Self::edges), [`bias`](Self::bias),
/// [`debounce`](Self::debounce), [`active_low`](Self::active_low)) are shared by every
/// line, whenever they are called; [`line_with`](Self::line_with) gives one line
/// settings of its own. All the lines are held by **one** kernel request, whose edge
/// events carry the offset of their line: each goes to that line's [`Input`](crate::input::Input)
/// ([`GpioInput::input_of`]).
///
/// Every method can be chained; a mistake is kept and returned by
/// [`GpioInputBuilder::request`], the final call.
///
/// # Examples
///
/// One button:
///
/// ```no_run
/// use blinken::input::{Bias, Edges, GpioInput};
/// use blinken::prelude::*;
///
/// let button = GpioInput::builder("gpiochip0", 4)
///     .edges(Edges::Both)
///     .bias(Bias::PullUp)
///     .active_low(true)
///     .debounce(ms(10))
///     .consumer("doorbell")
///     .request()?;
/// for edge in button.edges().take(2) {
///     println!("{:?} at {}", edge.kind, edge.at);
/// }
/// # Ok::<(), blinken::input::GpioInputError>(())
/// ```
///
/// Three buttons to ground on the talk's board's free lines, one of them a slow
/// switch that needs more debounce:
///
/// ```no_run
/// use blinken::input::{Bias, GpioInput, LineSettings};
/// use blinken::prelude::*;
///
/// let buttons = GpioInput::lines("/dev/gpiochip0", [5, 6])
///     .line_with(13, LineSettings::new().debounce(ms(40)))
///     .bias(Bias::PullUp)
///     .active_low(true)
///     .debounce(ms(10))
///     .request()?;
/// assert_eq!(buttons.offsets(), [5, 6, 13]);
/// let (next, stop) = (buttons.input_of(5).unwrap(), buttons.input_of(13).unwrap());
/// # let _ = (next, stop);
/// # Ok::<(), blinken::input::GpioInputError>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug)]
#[must_use = "a builder does nothing until `.request()` is called"]
pub struct GpioInputBuilder {
    chip: PathBuf,
    consumer: String,
    /// The settings every line has unless it has its own.
    shared: LineSettings,
    /// The lines in the order given, with their own settings.
    lines: Vec<(u32, LineSettings)>,
    error: Option<GpioInputError>,
}

impl GpioInput {
    /// Starts configuring line `offset` of `chip` (a path, `/dev/gpiochip0`, or a chip
    /// name, `gpiochip0`, looked up in `/dev`) as an input: both edges, the bias left
    /// as it is, no debounce, active high. More lines can be added
    /// ([`GpioInputBuilder::line`]).
    pub fn builder(chip: impl AsRef<Path>, offset: u32) -> GpioInputBuilder {
        GpioInput::lines(chip, [offset])
    }

    /// Starts configuring several lines of `chip` as inputs in one kernel request,
    /// with the same defaults as [`GpioInput::builder`]; their order is the order of
    /// [`GpioInput::offsets`].
    pub fn lines(
        chip: impl AsRef<Path>,
        offsets: impl IntoIterator<Item = u32>,
    ) -> GpioInputBuilder {
        let builder = GpioInputBuilder {
            chip: chip_path(chip.as_ref()),
            consumer: GpioInput::DEFAULT_CONSUMER.to_owned(),
            shared: LineSettings::new(),
            lines: Vec::new(),
            error: None,
        };
        offsets.into_iter().fold(builder, GpioInputBuilder::line)
    }
}

impl GpioInputBuilder {
    /// Adds line `offset`, with the shared settings.
    pub fn line(mut self, offset: u32) -> GpioInputBuilder {
        if self.lines.iter().any(|&(o, _)| o == offset) {
            let chip = self.chip.clone();
            self.fail(GpioInputError::DuplicateOffset { chip, offset });
        } else {
            self.lines.push((offset, LineSettings::new()));
        }
        self
    }

    /// Adds line `offset` (or, if it is listed already, changes it) with settings of
    /// its own; what `settings` leaves unset is shared.
    pub fn line_with(mut self, offset: u32, settings: LineSettings) -> GpioInputBuilder {
        if let Some(debounce) = settings.debounce.filter(|&d| d > MAX_DEBOUNCE) {
            self.fail(GpioInputError::DebounceTooLong { debounce, line: Some(offset) });
        }
        match self.lines.iter_mut().find(|(o, _)| *o == offset) {
            Some((_, own)) => *own = settings.over(*own),
            None => self.lines.push((offset, settings)),
        }
        self
    }

    /// Which edges become [`Edge`](crate::input::Edge)s: presses, releases or both
    /// (the default).
    pub fn edges(mut self, edges: Edges) -> GpioInputBuilder {
        self.shared.edges = Some(edges);
        self
    }

    /// The lines' pull resistor; left as it is unless set.
    pub fn bias(mut self, bias: Bias) -> GpioInputBuilder {
        self.shared.bias = Some(bias);
        self
    }

    /// The kernel's debounce period (uAPI v2): a line must hold a level that long
    /// before an edge is reported, so a bouncing contact gives one edge. Each line is
    /// debounced on its own. Zero (the default) is none; whole microseconds, at most
    /// `u32::MAX` of them.
    ///
    /// Where the chip cannot debounce in hardware the kernel does it in software, and
    /// an edge's timestamp is then the end of the debounce period.
    pub fn debounce(mut self, period: Duration) -> GpioInputBuilder {
        if period > MAX_DEBOUNCE {
            self.fail(GpioInputError::DebounceTooLong { debounce: period, line: None });
        } else {
            self.shared.debounce = Some(period);
        }
        self
    }

    /// Whether the lines are active low: a button that pulls its line low when
    /// pressed (to ground, with a pull-up). Presses are then falling levels. `false`
    /// by default.
    pub fn active_low(mut self, active_low: bool) -> GpioInputBuilder {
        self.shared.active_low = Some(active_low);
        self
    }

    /// The consumer name the kernel shows for the lines (`gpioinfo`); `"blinken"` by
    /// default.
    pub fn consumer(mut self, name: impl Into<String>) -> GpioInputBuilder {
        let name = name.into();
        if name.is_empty() {
            self.fail(GpioInputError::EmptyConsumer);
        } else {
            self.consumer = name;
        }
        self
    }

    /// Opens the chip, requests the lines as inputs with edge detection in one kernel
    /// request, and starts the reader thread.
    ///
    /// # Errors
    ///
    /// The first mistake made while building ([`GpioInputError::DebounceTooLong`],
    /// [`GpioInputError::DuplicateOffset`], [`GpioInputError::EmptyConsumer`]); then
    /// [`GpioInputError::NoLines`]; [`GpioInputError::ChipMissing`],
    /// [`GpioInputError::PermissionDenied`], [`GpioInputError::NotAChip`] or
    /// [`GpioInputError::Open`] if the chip cannot be opened;
    /// [`GpioInputError::OffsetOutOfRange`] naming the first line the chip lacks;
    /// [`GpioInputError::LineBusy`] (naming the line and who holds it) or
    /// [`GpioInputError::Request`] if the kernel refuses the lines;
    /// [`GpioInputError::Spawn`] if the thread cannot start. Nothing stays requested
    /// after an error.
    pub fn request(self) -> Result<GpioInput, GpioInputError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let path = self.chip;
        if self.lines.is_empty() {
            return Err(GpioInputError::NoLines { chip: path });
        }
        let offsets: Vec<u32> = self.lines.iter().map(|&(offset, _)| offset).collect();
        let chip: Chip = open_chip(&path, &offsets)?;
        let mut builder = Request::builder();
        builder.on_chip(chip.path()).with_consumer(self.consumer.as_str());
        for &(offset, own) in &self.lines {
            configure(&mut builder, offset, own.over(self.shared));
        }
        let request =
            builder.request().map_err(|source| request_error(&chip, &path, &offsets, source))?;
        GpioInput::start(path, offsets, self.consumer, request)
    }

    fn fail(&mut self, error: GpioInputError) {
        self.error.get_or_insert(error);
    }
}

/// The longest debounce period the uAPI takes: `u32::MAX` microseconds.
const MAX_DEBOUNCE: Duration = Duration::from_micros(u32::MAX as u64);

/// Adds line `offset` to the kernel request with `settings`.
fn configure(builder: &mut gpiocdev::request::Builder, offset: u32, settings: LineSettings) {
    builder
        .with_line(offset)
        .as_input()
        .with_edge_detection(match settings.edges.unwrap_or_default() {
            Edges::Rising => EdgeDetection::RisingEdge,
            Edges::Falling => EdgeDetection::FallingEdge,
            Edges::Both => EdgeDetection::BothEdges,
        })
        .with_event_clock(EventClock::Monotonic);
    if let Some(bias) = settings.bias {
        builder.with_bias(match bias {
            Bias::PullUp => KernelBias::PullUp,
            Bias::PullDown => KernelBias::PullDown,
            Bias::Disabled => KernelBias::Disabled,
        });
    }
    if let Some(period) = settings.debounce.filter(|period| !period.is_zero()) {
        builder.with_debounce_period(period);
    }
    if settings.active_low == Some(true) {
        builder.as_active_low();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_keeps_the_first_error() {
        let err = GpioInput::builder("gpiochip0", 4)
            .debounce(Duration::from_secs(10_000))
            .consumer("")
            .request()
            .unwrap_err();
        assert!(matches!(err, GpioInputError::DebounceTooLong { line: None, .. }));
    }

    #[test]
    fn a_missing_chip_is_named() {
        let err = GpioInput::builder("/dev/gpiochip-blinken-none", 4).request().unwrap_err();
        assert!(matches!(err, GpioInputError::ChipMissing { .. }), "{err:?}");
        assert!(err.to_string().starts_with("/dev/gpiochip-blinken-none does not exist"));
    }

    #[test]
    fn several_lines_are_checked_before_the_chip_is_opened() {
        let err = GpioInput::lines("/dev/gpiochip-blinken-none", [5, 6, 5]).request().unwrap_err();
        assert_eq!(
            err.to_string(),
            "line offset 5 on /dev/gpiochip-blinken-none is listed twice; give each button its \
             own line (`line_with` changes the settings of a line already listed)"
        );
        let err = GpioInput::lines("gpiochip0", []).request().unwrap_err();
        assert_eq!(
            err.to_string(),
            "no line offsets given for /dev/gpiochip0; list the line of each button"
        );
        let err = GpioInput::lines("gpiochip0", [5, 6])
            .line_with(6, LineSettings::new().debounce(Duration::from_secs(10_000)))
            .request()
            .unwrap_err();
        assert!(matches!(err, GpioInputError::DebounceTooLong { line: Some(6), .. }), "{err:?}");
    }

    #[test]
    fn own_settings_override_the_shared_ones() {
        let builder = GpioInput::lines("gpiochip0", [5])
            .line_with(6, LineSettings::new().active_low(false))
            .line_with(5, LineSettings::new().debounce(Duration::from_millis(40)))
            .line_with(5, LineSettings::new().bias(Bias::PullDown))
            .active_low(true)
            .debounce(Duration::from_millis(10));
        let settings: Vec<_> =
            builder.lines.iter().map(|&(o, own)| (o, own.over(builder.shared))).collect();
        let shared = LineSettings::new().active_low(true).debounce(Duration::from_millis(10));
        assert_eq!(
            settings,
            [
                (5, shared.debounce(Duration::from_millis(40)).bias(Bias::PullDown)),
                (6, shared.active_low(false)),
            ]
        );
    }
}
