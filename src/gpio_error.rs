//! What GPIO outputs and inputs share about the chip: resolving its path, opening it,
//! checking offsets against it, and sorting the kernel's errors into ones that name
//! the chip or line and say what to do.
//!
//! [`GpioLinesError`](crate::output::GpioLinesError) and
//! [`GpioInputError`](crate::input::GpioInputError) keep their own variants (their
//! users match on them); they implement [`ChipErrors`] to say how each case is built,
//! and take their messages from the functions here, so both read the same.

use std::io;
use std::path::{Path, PathBuf};

use gpiocdev::Chip;

/// How an error type of a GPIO backend builds the cases every backend shares.
pub(crate) trait ChipErrors: Sized {
    /// The chip's device file does not exist.
    fn missing(chip: PathBuf, source: gpiocdev::Error) -> Self;
    /// The user may not open the chip.
    fn denied(chip: PathBuf, source: gpiocdev::Error) -> Self;
    /// The path is not a GPIO character device.
    fn not_a_chip(chip: PathBuf, source: gpiocdev::Error) -> Self;
    /// Opening or querying the chip failed otherwise.
    fn open(chip: PathBuf, source: gpiocdev::Error) -> Self;
    /// `offset` is not below the chip's `lines`.
    fn out_of_range(chip: PathBuf, offset: u32, lines: u32) -> Self;
    /// Line `offset` is held by `consumer`.
    fn busy(chip: PathBuf, offset: u32, consumer: Option<String>, source: gpiocdev::Error) -> Self;
}

/// `gpiochip0` → `/dev/gpiochip0`; paths stay as they are.
pub(crate) fn chip_path(chip: &Path) -> PathBuf {
    let mut components = chip.components();
    match (components.next(), components.next()) {
        (Some(std::path::Component::Normal(name)), None) => Path::new("/dev").join(name),
        _ => chip.to_path_buf(),
    }
}

/// Opens the chip at `path` and checks that every one of `offsets` is on it.
pub(crate) fn open_chip<E: ChipErrors>(path: &Path, offsets: &[u32]) -> Result<Chip, E> {
    let chip = Chip::from_path(path).map_err(|source| open_error(path, source))?;
    let lines = chip.info().map_err(|source| E::open(path.to_path_buf(), source))?.num_lines;
    match offsets.iter().find(|&&offset| offset >= lines) {
        Some(&offset) => Err(E::out_of_range(path.to_path_buf(), offset, lines)),
        None => Ok(chip),
    }
}

/// Sorts an error from opening the chip: missing, not allowed, not a chip, other.
pub(crate) fn open_error<E: ChipErrors>(path: &Path, source: gpiocdev::Error) -> E {
    let chip = path.to_path_buf();
    match &source {
        gpiocdev::Error::Os(errno) => match io::Error::from_raw_os_error(errno.0).kind() {
            io::ErrorKind::NotFound => E::missing(chip, source),
            io::ErrorKind::PermissionDenied => E::denied(chip, source),
            _ => E::open(chip, source),
        },
        gpiocdev::Error::GpioChip(..) => E::not_a_chip(chip, source),
        _ => E::open(chip, source),
    }
}

/// A refused line request for `offsets`: the kernel answers a busy line with a bare
/// `EBUSY`, so the chip's line info is asked who holds which line; any other refusal
/// is built by `otherwise`.
pub(crate) fn request_error<E: ChipErrors>(
    chip: &Chip,
    path: &Path,
    offsets: &[u32],
    source: gpiocdev::Error,
    otherwise: impl FnOnce(PathBuf, gpiocdev::Error) -> E,
) -> E {
    let busy =
        offsets.iter().find_map(|&offset| chip.line_info(offset).ok().filter(|info| info.used));
    match busy {
        Some(info) => E::busy(
            path.to_path_buf(),
            info.offset,
            Some(info.consumer).filter(|c| !c.is_empty()),
            source,
        ),
        None => otherwise(path.to_path_buf(), source),
    }
}

/// The message of a missing chip.
pub(crate) fn missing_message(chip: &Path) -> String {
    format!(
        "{} does not exist — is this a Raspberry Pi? is the device mapped into the container? \
         (`ls /dev/gpiochip*` lists the chips)",
        chip.display()
    )
}

/// The message of a chip this user may not open.
pub(crate) fn denied_message(chip: &Path) -> String {
    format!(
        "permission denied opening {}: add your user to the `gpio` group \
         (`sudo usermod -aG gpio $USER`, then log in again) or run as root",
        chip.display()
    )
}

/// The message of a path that is not a GPIO chip.
pub(crate) fn not_a_chip_message(chip: &Path) -> String {
    format!(
        "{} is not a GPIO chip; give a GPIO character device such as /dev/gpiochip0 \
         (or its name, gpiochip0)",
        chip.display()
    )
}

/// The message of an offset the chip lacks.
pub(crate) fn out_of_range_message(chip: &Path, offset: u32, lines: u32) -> String {
    format!("line offset {offset} is not on {} (it has {lines} lines)", chip.display())
}

/// The message of a busy line, naming who holds it.
pub(crate) fn busy_message(chip: &Path, offset: u32, consumer: Option<&str>) -> String {
    let holder = match consumer {
        Some(name) => format!("{name:?}"),
        None => "a consumer that gave no name".to_owned(),
    };
    format!(
        "line {offset} on {} is busy: held by {holder}; stop that program or pick another \
         line (`gpioinfo` shows who holds each line)",
        chip.display()
    )
}

/// Implements [`ChipErrors`] for a backend's error enum whose shared variants have the
/// same names and fields in every backend.
macro_rules! impl_chip_errors {
    ($error:ty) => {
        impl $crate::gpio_error::ChipErrors for $error {
            fn missing(chip: std::path::PathBuf, source: gpiocdev::Error) -> Self {
                Self::ChipMissing { chip, source }
            }
            fn denied(chip: std::path::PathBuf, source: gpiocdev::Error) -> Self {
                Self::PermissionDenied { chip, source }
            }
            fn not_a_chip(chip: std::path::PathBuf, source: gpiocdev::Error) -> Self {
                Self::NotAChip { chip, source }
            }
            fn open(chip: std::path::PathBuf, source: gpiocdev::Error) -> Self {
                Self::Open { chip, source }
            }
            fn out_of_range(chip: std::path::PathBuf, offset: u32, lines: u32) -> Self {
                Self::OffsetOutOfRange { chip, offset, lines }
            }
            fn busy(
                chip: std::path::PathBuf,
                offset: u32,
                consumer: Option<String>,
                source: gpiocdev::Error,
            ) -> Self {
                Self::LineBusy { chip, offset, consumer, source }
            }
        }
    };
}
pub(crate) use impl_chip_errors;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chip_names_resolve_to_dev() {
        assert_eq!(chip_path(Path::new("gpiochip3")), Path::new("/dev/gpiochip3"));
        assert_eq!(chip_path(Path::new("/dev/gpiochip0")), Path::new("/dev/gpiochip0"));
        assert_eq!(chip_path(Path::new("./gpiochip0")), Path::new("./gpiochip0"));
    }

    #[test]
    fn busy_message_names_the_holder() {
        let chip = Path::new("/dev/gpiochip0");
        assert_eq!(
            busy_message(chip, 4, Some("other")),
            "line 4 on /dev/gpiochip0 is busy: held by \"other\"; stop that program or pick \
             another line (`gpioinfo` shows who holds each line)"
        );
        assert!(busy_message(chip, 4, None).contains("held by a consumer that gave no name"));
    }
}
