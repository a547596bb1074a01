//! Configuring and requesting a [`GpioInput`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use gpiocdev::Chip;
use gpiocdev::line::{Bias as KernelBias, EdgeDetection, EventClock};
use gpiocdev::request::Request;

use super::error::{open_error, request_error};
use super::{GpioInput, GpioInputError};

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

/// Configures and requests a [`GpioInput`]; made by [`GpioInput::builder`].
///
/// Every method can be chained; a mistake is kept and returned by
/// [`GpioInputBuilder::request`], the final call.
///
/// # Examples
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
#[cfg_attr(docsrs, doc(cfg(feature = "gpiocdev")))]
#[derive(Debug)]
#[must_use = "a builder does nothing until `.request()` is called"]
pub struct GpioInputBuilder {
    chip: PathBuf,
    offset: u32,
    consumer: String,
    edges: Edges,
    bias: Option<Bias>,
    debounce: Duration,
    active_low: bool,
    error: Option<GpioInputError>,
}

impl GpioInput {
    /// Starts configuring line `offset` of `chip` (a path, `/dev/gpiochip0`, or a chip
    /// name, `gpiochip0`, looked up in `/dev`) as an input: both edges, the bias left
    /// as it is, no debounce, active high.
    pub fn builder(chip: impl AsRef<Path>, offset: u32) -> GpioInputBuilder {
        GpioInputBuilder {
            chip: chip_path(chip.as_ref()),
            offset,
            consumer: GpioInput::DEFAULT_CONSUMER.to_owned(),
            edges: Edges::Both,
            bias: None,
            debounce: Duration::ZERO,
            active_low: false,
            error: None,
        }
    }
}

impl GpioInputBuilder {
    /// Which edges become [`Edge`](crate::input::Edge)s: presses, releases or both
    /// (the default).
    pub fn edges(mut self, edges: Edges) -> GpioInputBuilder {
        self.edges = edges;
        self
    }

    /// The line's pull resistor; left as it is unless set.
    pub fn bias(mut self, bias: Bias) -> GpioInputBuilder {
        self.bias = Some(bias);
        self
    }

    /// The kernel's debounce period (uAPI v2): the line must hold a level that long
    /// before an edge is reported, so a bouncing contact gives one edge. Zero (the
    /// default) is none; whole microseconds, at most `u32::MAX` of them.
    ///
    /// Where the chip cannot debounce in hardware the kernel does it in software, and
    /// an edge's timestamp is then the end of the debounce period.
    pub fn debounce(mut self, period: Duration) -> GpioInputBuilder {
        if period > Duration::from_micros(u32::MAX.into()) {
            self.fail(GpioInputError::DebounceTooLong { debounce: period });
        } else {
            self.debounce = period;
        }
        self
    }

    /// Whether the line is active low: a button that pulls the line low when pressed
    /// (to ground, with a pull-up). Presses are then falling levels. `false` by
    /// default.
    pub fn active_low(mut self, active_low: bool) -> GpioInputBuilder {
        self.active_low = active_low;
        self
    }

    /// The consumer name the kernel shows for the line (`gpioinfo`); `"blinken"` by
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

    /// Opens the chip, requests the line as an input with edge detection and starts
    /// the reader thread.
    ///
    /// # Errors
    ///
    /// The first mistake made while building ([`GpioInputError::DebounceTooLong`],
    /// [`GpioInputError::EmptyConsumer`]); then [`GpioInputError::ChipMissing`],
    /// [`GpioInputError::PermissionDenied`], [`GpioInputError::NotAChip`] or
    /// [`GpioInputError::Open`] if the chip cannot be opened;
    /// [`GpioInputError::OffsetOutOfRange`]; [`GpioInputError::LineBusy`] (naming who
    /// holds the line) or [`GpioInputError::Request`] if the kernel refuses the line;
    /// [`GpioInputError::Spawn`] if the thread cannot start. Nothing stays requested
    /// after an error.
    pub fn request(self) -> Result<GpioInput, GpioInputError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let (path, offset) = (self.chip, self.offset);
        let chip = Chip::from_path(&path).map_err(|source| open_error(&path, source))?;
        let lines = chip
            .info()
            .map_err(|source| GpioInputError::Open { chip: path.clone(), source })?
            .num_lines;
        if offset >= lines {
            return Err(GpioInputError::OffsetOutOfRange { chip: path, offset, lines });
        }
        let mut builder = Request::builder();
        builder
            .on_chip(chip.path())
            .with_consumer(self.consumer.as_str())
            .with_line(offset)
            .as_input()
            .with_edge_detection(match self.edges {
                Edges::Rising => EdgeDetection::RisingEdge,
                Edges::Falling => EdgeDetection::FallingEdge,
                Edges::Both => EdgeDetection::BothEdges,
            })
            .with_event_clock(EventClock::Monotonic);
        if let Some(bias) = self.bias {
            builder.with_bias(match bias {
                Bias::PullUp => KernelBias::PullUp,
                Bias::PullDown => KernelBias::PullDown,
                Bias::Disabled => KernelBias::Disabled,
            });
        }
        if !self.debounce.is_zero() {
            builder.with_debounce_period(self.debounce);
        }
        if self.active_low {
            builder.as_active_low();
        }
        let request =
            builder.request().map_err(|source| request_error(&chip, &path, offset, source))?;
        GpioInput::start(path, offset, self.consumer, request)
    }

    fn fail(&mut self, error: GpioInputError) {
        self.error.get_or_insert(error);
    }
}

/// `gpiochip0` → `/dev/gpiochip0`; paths stay as they are.
fn chip_path(chip: &Path) -> PathBuf {
    let mut components = chip.components();
    match (components.next(), components.next()) {
        (Some(std::path::Component::Normal(name)), None) => Path::new("/dev").join(name),
        _ => chip.to_path_buf(),
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
        assert!(matches!(err, GpioInputError::DebounceTooLong { .. }));
    }

    #[test]
    fn a_missing_chip_is_named() {
        let err = GpioInput::builder("/dev/gpiochip-blinken-none", 4).request().unwrap_err();
        assert!(matches!(err, GpioInputError::ChipMissing { .. }), "{err:?}");
        assert!(err.to_string().starts_with("/dev/gpiochip-blinken-none does not exist"));
    }

    #[test]
    fn chip_names_resolve_to_dev() {
        assert_eq!(chip_path(Path::new("gpiochip3")), Path::new("/dev/gpiochip3"));
        assert_eq!(chip_path(Path::new("/dev/gpiochip0")), Path::new("/dev/gpiochip0"));
    }
}
