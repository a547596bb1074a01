//! Raspberry Pi pins by BCM number, through `rppal`: a convenience over [`Pins`].
//!
//! rppal's author stopped maintaining it in 2025. On Linux the recommended backend is
//! `gpiocdev` (`blinken::output::GpioLines` with the `gpiocdev` feature),
//! which works on every board with a GPIO character device, a Pi included
//! (`/dev/gpiochip0`, line offset = BCM number on most models). This module only saves
//! the set-up code of the generic embedded-hal backend for those who use rppal anyway.

use rppal::gpio::{Gpio, OutputPin};

use super::Pins;

/// Why [`Pins::bcm`] could not set up the Raspberry Pi pins (rppal backend, an optional
/// convenience: rppal is unmaintained since 2025, `gpiocdev` is the recommended backend).
///
/// Messages name the BCM pin where the failure is about one, and say what to do; the
/// rppal error is the [`source`](std::error::Error::source).
///
/// # Examples
///
/// ```
/// use blinken::output::{Pins, RpiError};
///
/// // Checked before any hardware is touched.
/// let err = Pins::bcm([17, 27, 17]).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "BCM pin 17 is listed twice (LEDs 0 and 2); give each LED its own pin"
/// );
/// assert!(matches!(err, RpiError::DuplicatePin { pin: 17, .. }));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "rppal")))]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RpiError {
    /// No pins were given.
    #[error("no BCM pins given; list one pin per LED")]
    NoPins,
    /// The same BCM pin was given for two LEDs.
    #[error("BCM pin {pin} is listed twice (LEDs {first} and {second}); give each LED its own pin")]
    DuplicatePin {
        /// The pin given twice.
        pin: u8,
        /// The first LED on it.
        first: usize,
        /// The second LED on it.
        second: usize,
    },
    /// rppal does not recognise the board as a Raspberry Pi.
    #[error(
        "rppal does not recognise this board as a Raspberry Pi; on other boards (or a Pi \
         newer than rppal) use the `gpiocdev` feature and `GpioLines` on /dev/gpiochip0"
    )]
    NotAPi {
        /// rppal's error.
        #[source]
        source: rppal::gpio::Error,
    },
    /// The GPIO device may not be opened by this user.
    #[error(
        "permission denied opening {path}: add your user to the `gpio` group \
         (`sudo usermod -aG gpio $USER`, then log in again)"
    )]
    PermissionDenied {
        /// The device rppal tried to open.
        path: String,
        /// rppal's error.
        #[source]
        source: rppal::gpio::Error,
    },
    /// The pin number is not a GPIO of this Pi.
    #[error(
        "BCM pin {pin} does not exist on this Raspberry Pi; use BCM GPIO numbers \
         (GPIO17 is 17), not physical header positions"
    )]
    PinNotAvailable {
        /// The BCM number.
        pin: u8,
        /// rppal's error.
        #[source]
        source: rppal::gpio::Error,
    },
    /// The pin is already taken elsewhere in this program.
    #[error(
        "BCM pin {pin} is already in use in this program; drop the other rppal `Pin` \
         first or pick another pin"
    )]
    PinUsed {
        /// The BCM number.
        pin: u8,
        /// rppal's error.
        #[source]
        source: rppal::gpio::Error,
    },
    /// Another failure while opening the GPIO (`pin: None`) or setting up a pin.
    #[error("could not set up {}", match pin {
        Some(pin) => format!("BCM pin {pin} as an output"),
        None => "the Raspberry Pi GPIO".to_owned(),
    })]
    Gpio {
        /// The BCM pin being set up, if the failure was about one.
        pin: Option<u8>,
        /// rppal's error.
        #[source]
        source: rppal::gpio::Error,
    },
}

impl Pins<OutputPin> {
    /// LEDs on Raspberry Pi pins by BCM GPIO number, in order, each set up as an output
    /// driven low (off) with rppal (`Gpio::new()?.get(n)?.into_output_low()`).
    ///
    /// # rppal is unmaintained
    ///
    /// rppal's author stopped maintaining it in 2025. On Linux the recommended backend is
    /// `gpiocdev` (`blinken::output::GpioLines`, feature `gpiocdev`): it works
    /// on every board with a GPIO character device, a Pi included (`/dev/gpiochip0`,
    /// where the line offset is the BCM number on most models). This function is an
    /// optional convenience over the generic embedded-hal backend, [`Pins`], for those
    /// who use rppal anyway.
    ///
    ///
    /// # Errors
    ///
    /// [`RpiError::NoPins`] or [`RpiError::DuplicatePin`] before touching the
    /// hardware; then [`RpiError::NotAPi`], [`RpiError::PermissionDenied`] or
    /// [`RpiError::Gpio`] if the GPIO cannot be opened; [`RpiError::PinNotAvailable`],
    /// [`RpiError::PinUsed`] or [`RpiError::Gpio`] naming the pin that failed.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use blinken::prelude::*;
    /// use blinken::output::Pins;
    ///
    /// // GPIO17, GPIO27 and GPIO22 (header pins 11, 13 and 15).
    /// let pins = Pins::bcm([17, 27, 22])?;
    /// let mut driver = Driver::new(pins, SystemClock::new());
    /// driver.run(&cycle(0..3, ms(200)).timeout(secs(3)))?;
    /// driver.into_output().release()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "rppal")))]
    pub fn bcm(pins: impl IntoIterator<Item = u8>) -> Result<Pins<OutputPin>, RpiError> {
        let numbers: Vec<u8> = pins.into_iter().collect();
        check_numbers(&numbers)?;
        let gpio = Gpio::new().map_err(|source| gpio_error(None, source))?;
        let pins = numbers
            .iter()
            .map(|&pin| {
                gpio.get(pin)
                    .map(|p| p.into_output_low())
                    .map_err(|source| gpio_error(Some(pin), source))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pins::new(pins))
    }

    /// The BCM numbers of the pins, in LED order.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use blinken::output::Pins;
    ///
    /// let pins = Pins::bcm([17, 27])?;
    /// assert_eq!(pins.bcm_numbers(), [17, 27]);
    /// # Ok::<(), blinken::output::RpiError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "rppal")))]
    pub fn bcm_numbers(&self) -> Vec<u8> {
        self.pins().iter().map(OutputPin::pin).collect()
    }
}

fn check_numbers(numbers: &[u8]) -> Result<(), RpiError> {
    if numbers.is_empty() {
        return Err(RpiError::NoPins);
    }
    for (second, &pin) in numbers.iter().enumerate() {
        if let Some(first) = numbers[..second].iter().position(|&p| p == pin) {
            return Err(RpiError::DuplicatePin { pin, first, second });
        }
    }
    Ok(())
}

fn gpio_error(pin: Option<u8>, source: rppal::gpio::Error) -> RpiError {
    use rppal::gpio::Error;
    match (&source, pin) {
        (Error::UnknownModel, _) => RpiError::NotAPi { source },
        (Error::PermissionDenied(path), _) => {
            RpiError::PermissionDenied { path: path.clone(), source }
        }
        (Error::PinNotAvailable(_), Some(pin)) => RpiError::PinNotAvailable { pin, source },
        (Error::PinUsed(_), Some(pin)) => RpiError::PinUsed { pin, source },
        _ => RpiError::Gpio { pin, source },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_traits() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<RpiError>();
        send_sync::<Pins<OutputPin>>();
    }

    #[test]
    fn numbers_are_checked_before_the_hardware() {
        assert!(matches!(Pins::bcm([]), Err(RpiError::NoPins)));
        assert!(matches!(
            Pins::bcm([4, 17, 27, 17]),
            Err(RpiError::DuplicatePin { pin: 17, first: 1, second: 3 })
        ));
    }

    #[test]
    fn rppal_errors_name_the_pin() {
        use rppal::gpio::Error;
        let err = gpio_error(Some(40), Error::PinNotAvailable(40));
        assert_eq!(
            err.to_string(),
            "BCM pin 40 does not exist on this Raspberry Pi; use BCM GPIO numbers (GPIO17 is \
             17), not physical header positions"
        );
        assert!(std::error::Error::source(&err).is_some());
        assert!(matches!(gpio_error(Some(5), Error::PinUsed(5)), RpiError::PinUsed { pin: 5, .. }));
        assert!(matches!(gpio_error(None, Error::UnknownModel), RpiError::NotAPi { .. }));
        let denied = gpio_error(None, Error::PermissionDenied("/dev/gpiomem".into()));
        assert!(
            denied.to_string().starts_with("permission denied opening /dev/gpiomem: add your user")
        );
        assert_eq!(
            gpio_error(Some(7), Error::ThreadPanic).to_string(),
            "could not set up BCM pin 7 as an output"
        );
        assert_eq!(
            gpio_error(None, Error::ThreadPanic).to_string(),
            "could not set up the Raspberry Pi GPIO"
        );
    }
}
