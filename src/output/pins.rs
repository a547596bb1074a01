//! LEDs on any embedded-hal 1.0 output pins.

use core::fmt;

use embedded_hal::digital::{ErrorKind, OutputPin, PinState};

use super::{Frame, Output, ReleaseError};

/// LEDs on embedded-hal [`OutputPin`]s: LED `i` is pin `i`.
///
/// Works with any HAL: a microcontroller's pins, `linux-embedded-hal` lines, rppal's
/// pins (`Pins::bcm` with the `rppal` feature), a mock in tests. Each
/// frame drives only the pins whose LEDs changed, in LED order, with `set_high` /
/// `set_low`. The pins are driven as they are given: set them low (off) before
/// handing them over if the first frame should not be a surprise.
///
/// # Errors
///
/// A pin that fails stops the write at that LED with a [`PinError`] naming it; the
/// driver reports it and sends the whole frame on its next write.
///
/// # Drop
///
/// Dropping `Pins` drives every pin low (errors ignored). [`Pins::release`] does the
/// same and reports errors; [`Pins::into_inner`] gives the pins back untouched.
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::Pins;
/// # use embedded_hal::digital::{ErrorType, OutputPin};
/// # use std::convert::Infallible;
/// # /// A pin that remembers its level, as a stand-in for a HAL's pin.
/// # #[derive(Default)]
/// # struct Led(bool);
/// # impl ErrorType for Led { type Error = Infallible; }
/// # impl OutputPin for Led {
/// #     fn set_low(&mut self) -> Result<(), Infallible> { self.0 = false; Ok(()) }
/// #     fn set_high(&mut self) -> Result<(), Infallible> { self.0 = true; Ok(()) }
/// # }
///
/// // Any `OutputPin`s: a Vec or an array.
/// let pins = Pins::new([Led::default(), Led::default(), Led::default()]);
/// let mut driver = Driver::new(pins, VirtualClock::new());
/// driver.run_for(&on(1).and(blink(2, ms(100))), ms(150)).unwrap();
/// let levels: Vec<bool> = driver.output().pins().iter().map(|led| led.0).collect();
/// assert_eq!(levels, [false, true, false]);
/// ```
///
/// Active-low wiring (the pin sinks the LED's current), with pins from a HAL:
///
/// ```no_run
/// # struct HalPin;
/// # impl embedded_hal::digital::ErrorType for HalPin { type Error = core::convert::Infallible; }
/// # impl embedded_hal::digital::OutputPin for HalPin {
/// #     fn set_low(&mut self) -> Result<(), Self::Error> { Ok(()) }
/// #     fn set_high(&mut self) -> Result<(), Self::Error> { Ok(()) }
/// # }
/// # fn hal_pins() -> Vec<HalPin> { Vec::new() }
/// use blinken::prelude::*;
/// use blinken::output::Pins;
///
/// let pins = Pins::new(hal_pins()).active_low(true);
/// let mut driver = Driver::new(pins, SystemClock::new());
/// driver.run(&cycle(0..4, ms(100)).timeout(secs(5)))?;
/// driver.into_output().release()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-hal")))]
pub struct Pins<P: OutputPin> {
    pins: Vec<P>,
    active_low: bool,
}

/// A pin of [`Pins`] failed: which LED, which level, and the pin's own error.
///
/// embedded-hal pin errors only promise [`Debug`](core::fmt::Debug) and an
/// [`ErrorKind`]; this wraps one into a [`std::error::Error`]. The pin's error is
/// available from [`PinError::pin_error`] (it is not a `std` error, so it is not the
/// [`source`](std::error::Error::source)).
///
/// # Examples
///
/// ```
/// use blinken::output::PinError;
/// use embedded_hal::digital::{ErrorKind, PinState};
///
/// let err = PinError::new(2, PinState::High, ErrorKind::Other);
/// assert_eq!(
///     err.to_string(),
///     "could not drive the pin of LED 2 high (Other error: Other); \
///      check the pin's wiring and its HAL"
/// );
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-hal")))]
#[derive(Clone, PartialEq, Eq)]
pub struct PinError<E> {
    led: usize,
    state: PinState,
    error: E,
}

impl<P: OutputPin> Pins<P> {
    /// LEDs on `pins`, in order: a `Vec`, an array or a boxed slice of pins.
    pub fn new(pins: impl Into<Vec<P>>) -> Pins<P> {
        Pins { pins: pins.into(), active_low: false }
    }

    /// Whether an LED that is on drives its pin low (LEDs wired from the supply to the
    /// pin); `false` by default. Switching off then drives pins high.
    #[must_use]
    pub fn active_low(mut self, active_low: bool) -> Pins<P> {
        self.active_low = active_low;
        self
    }

    /// The pins, in LED order.
    pub fn pins(&self) -> &[P] {
        &self.pins
    }

    /// The pins, mutably.
    pub fn pins_mut(&mut self) -> &mut [P] {
        &mut self.pins
    }

    /// Switches every LED off, then gives the pins back.
    ///
    /// # Errors
    ///
    /// If a pin fails to switch off (every pin is tried): the [`ReleaseError`] holds
    /// these `Pins` and the first error.
    pub fn release(mut self) -> Result<Vec<P>, ReleaseError<Self, PinError<P::Error>>> {
        match self.all_off() {
            Ok(()) => Ok(self.into_inner()),
            Err(source) => Err(ReleaseError { output: self, source }),
        }
    }

    /// Gives the pins back as they are, without switching anything off.
    pub fn into_inner(mut self) -> Vec<P> {
        core::mem::take(&mut self.pins)
    }

    /// Every pin off, each tried; the first error.
    fn all_off(&mut self) -> Result<(), PinError<P::Error>> {
        let mut result = Ok(());
        for led in 0..self.pins.len() {
            if let (Err(error), Ok(())) = (self.set(led, false), &result) {
                result = Err(error);
            }
        }
        result
    }

    fn set(&mut self, led: usize, on: bool) -> Result<(), PinError<P::Error>> {
        let state = PinState::from(on != self.active_low);
        self.pins[led].set_state(state).map_err(|error| PinError { led, state, error })
    }
}

impl<E> PinError<E> {
    /// The error of the pin of LED `led`, which failed to go to `state`.
    pub fn new(led: usize, state: PinState, error: E) -> PinError<E> {
        PinError { led, state, error }
    }

    /// The LED whose pin failed.
    pub fn led(&self) -> usize {
        self.led
    }

    /// The level the pin was to be driven to.
    pub fn state(&self) -> PinState {
        self.state
    }

    /// The pin's own error.
    pub fn pin_error(&self) -> &E {
        &self.error
    }

    /// The pin's own error, by value.
    pub fn into_pin_error(self) -> E {
        self.error
    }
}

impl<E: embedded_hal::digital::Error> PinError<E> {
    /// The pin error's generic kind.
    pub fn kind(&self) -> ErrorKind {
        self.error.kind()
    }
}

impl<E: embedded_hal::digital::Error> fmt::Display for PinError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.state {
            PinState::High => "high",
            PinState::Low => "low",
        };
        write!(
            f,
            "could not drive the pin of LED {} {level} ({:?} error: {:?}); \
             check the pin's wiring and its HAL",
            self.led,
            self.error.kind(),
            self.error
        )
    }
}

impl<E: fmt::Debug> fmt::Debug for PinError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinError")
            .field("led", &self.led)
            .field("state", &self.state)
            .field("error", &self.error)
            .finish()
    }
}

impl<E: embedded_hal::digital::Error> std::error::Error for PinError<E> {}

impl<P> Output for Pins<P>
where
    P: OutputPin,
    P::Error: Send + Sync + 'static,
{
    type Pixel = bool;
    type Error = PinError<P::Error>;

    fn len(&self) -> usize {
        self.pins.len()
    }

    /// Drives the pins of the changed LEDs, in LED order; stops at the first failure.
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), PinError<P::Error>> {
        for &led in frame.changed {
            self.set(led, frame.pixels[led])?;
        }
        Ok(())
    }

    /// Switches every pin off, trying every one even after a failure; returns the
    /// first error.
    fn clear(&mut self) -> Result<(), PinError<P::Error>> {
        self.all_off()
    }
}

impl<P: OutputPin> Drop for Pins<P> {
    fn drop(&mut self) {
        // Nothing can report an error from here; `release` does.
        let _ = self.all_off();
    }
}

impl<P: OutputPin> fmt::Debug for Pins<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pins")
            .field("len", &self.pins.len())
            .field("active_low", &self.active_low)
            .finish()
    }
}
