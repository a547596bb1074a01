//! Opening a Linux spidev device for an APA102 strip.

use std::io;
use std::path::{Path, PathBuf};

use linux_embedded_hal::SpidevBus;
use linux_embedded_hal::spidev::{SpiModeFlags, SpidevOptions};

use super::Apa102Spi;
use crate::RGB8;

/// Why a spidev device could not be opened for an APA102 strip.
///
/// The message says what to do on a Raspberry Pi: enable SPI when the device is
/// missing, join the `spi` group when access is denied.
#[cfg_attr(docsrs, doc(cfg(feature = "spidev")))]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpidevError {
    /// A clock of 0 Hz.
    #[error(
        "an SPI clock of 0 Hz for {path} sends nothing; give the clock in hertz, such as \
         4_000_000 (APA102 strips take 4-8 MHz, less when long)",
        path = .path.display()
    )]
    ZeroClock {
        /// The device.
        path: PathBuf,
    },
    /// The device could not be opened.
    #[error("cannot open {path}: {hint}", path = .path.display(), hint = open_hint(.source))]
    Open {
        /// The device.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: io::Error,
    },
    /// The device refused SPI mode 0, 8 bits per word, MSB first, or the clock.
    #[error(
        "cannot set {path} to SPI mode 0, 8 bits, MSB first at {hz} Hz; check that it is \
         an spidev device and that the controller supports the clock",
        path = .path.display()
    )]
    Configure {
        /// The device.
        path: PathBuf,
        /// The clock asked for, in hertz.
        hz: u32,
        /// The system's error.
        #[source]
        source: io::Error,
    },
}

fn open_hint(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such device; enable SPI with `sudo raspi-config` \
            (Interface Options > SPI) or `dtparam=spi=on` in /boot/firmware/config.txt, \
            then reboot"
            .to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied; add the user to the `spi` \
            group (`sudo usermod -aG spi $USER`) and log in again"
            .to_owned(),
        _ => format!("{err}; check that the path names an spidev device (ls /dev/spidev*)"),
    }
}

/// Opens `path` (such as `/dev/spidev0.0`) as an embedded-hal `SpiBus` set up for
/// APA102 strips: SPI mode 0, 8 bits per word, most significant bit first, at `hz`
/// (4–8 MHz is typical; long strips need less).
///
/// The bus drives the device's chip-select line on every transfer; APA102 strips have
/// no chip select, so that line is simply unused.
///
/// # Errors
///
/// [`SpidevError`]: a clock of 0, a missing device (SPI not enabled), no permission
/// (not in the `spi` group), or a device that refuses the settings.
///
/// # Examples
///
/// ```no_run
/// use blinken::output::apa102::{Apa102, Apa102Spi, Dot, open_spidev_bus};
///
/// let bus = open_spidev_bus("/dev/spidev0.0", 8_000_000)?;
/// let strip = Apa102Spi::<_, Dot>::with_config(bus, 144, Apa102::new().brightness(0.5))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "spidev")))]
pub fn open_spidev_bus(path: impl AsRef<Path>, hz: u32) -> Result<SpidevBus, SpidevError> {
    let path = path.as_ref();
    if hz == 0 {
        return Err(SpidevError::ZeroClock { path: path.to_owned() });
    }
    let mut bus = SpidevBus::open(path)
        .map_err(|err| SpidevError::Open { path: path.to_owned(), source: into_io(err) })?;
    let options = SpidevOptions::new()
        .bits_per_word(8)
        .max_speed_hz(hz)
        .lsb_first(false)
        .mode(SpiModeFlags::SPI_MODE_0)
        .build();
    bus.configure(&options).map_err(|source| SpidevError::Configure {
        path: path.to_owned(),
        hz,
        source,
    })?;
    Ok(bus)
}

/// `SPIError` keeps the `io::Error` behind a reference; rebuild one with its kind and
/// message (and OS code when there is one) so it can be a `#[source]`.
fn into_io(err: linux_embedded_hal::SPIError) -> io::Error {
    let inner = err.inner();
    match inner.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(inner.kind(), inner.to_string()),
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "spidev")))]
impl Apa102Spi<SpidevBus, RGB8> {
    /// A strip of `len` [`RGB8`] LEDs on the spidev device at `path`, clocked at `hz`,
    /// with the default encoder: [`open_spidev_bus`] then [`Apa102Spi::new`].
    ///
    /// # Errors
    ///
    /// As [`open_spidev_bus`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use blinken::prelude::*;
    /// use blinken::output::apa102::Apa102Spi;
    ///
    /// let strip = Apa102Spi::open_spidev("/dev/spidev0.0", 11, 4_000_000)?;
    /// let mut driver = Driver::new(strip, SystemClock::new());
    /// driver.run(&blink(0..11, ms(200)).times(5).color(RGB8::new(255, 0, 0)))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_spidev(
        path: impl AsRef<Path>,
        len: usize,
        hz: u32,
    ) -> Result<Apa102Spi<SpidevBus, RGB8>, SpidevError> {
        Ok(Apa102Spi::new(open_spidev_bus(path, hz)?, len))
    }
}
