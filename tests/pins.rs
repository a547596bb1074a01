//! `Pins`: LEDs on embedded-hal output pins, checked pin call by pin call with
//! `embedded-hal-mock`.
#![cfg(feature = "embedded-hal")]

use std::io::ErrorKind as IoErrorKind;

use blinken::RunError;
use blinken::output::{PinError, Pins};
use blinken::prelude::*;
use embedded_hal::digital::{ErrorKind, PinState};
use embedded_hal_mock::eh1::MockError;
use embedded_hal_mock::eh1::digital::{Mock, State, Transaction};

use State::{High, Low};

/// A mock pin expecting `states`, in order.
fn pin(states: &[State]) -> Mock {
    let expected: Vec<Transaction> = states.iter().map(|&s| Transaction::set(s)).collect();
    Mock::new(&expected)
}

fn done(pins: &mut [Mock]) {
    for pin in pins {
        pin.done();
    }
}

#[test]
fn drives_only_the_changed_pins() {
    // LED 0: on 0, off 100, on 200, off 300. LED 1: on 0, off 150.
    let mut mocks = [pin(&[High, Low, High, Low, Low]), pin(&[High, Low, Low])];
    //                                        drop: ^^^                  ^^^
    let program = blink(0, ms(100)).times(2).and(blink(1, ms(150)).times(1));
    let mut driver = Driver::new(Pins::new(mocks.to_vec()), VirtualClock::new());
    assert_eq!(driver.run(&program).unwrap(), Instant::ZERO + ms(400));
    drop(driver);
    done(&mut mocks);
}

#[test]
fn the_first_write_drives_every_pin() {
    let mut mocks = [pin(&[Low, Low]), pin(&[High, Low]), pin(&[Low, Low])];
    let mut driver = Driver::new(Pins::new(mocks.to_vec()), VirtualClock::new());
    driver.run_for(&on(1), ms(50)).unwrap();
    drop(driver);
    done(&mut mocks);
}

#[test]
fn a_pin_error_stops_the_run_and_names_the_led() {
    let failing = Transaction::set(High).with_error(MockError::Io(IoErrorKind::NotConnected));
    let mut mocks = [
        // first run: high; second run (full frame): low; drop: low.
        pin(&[High, Low, Low]),
        // first run: fails going high; second run: low; drop: low.
        Mock::new(&[failing, Transaction::set(Low), Transaction::set(Low)]),
        // first run: never reached; second run: high, then low; drop: low.
        pin(&[High, Low, Low]),
    ];
    let mut driver = Driver::new(Pins::new(mocks.to_vec()), VirtualClock::new());
    let err = driver.run(&blink(0..3, ms(100)).times(1)).unwrap_err();
    let RunError::Output { at, source } = &err else {
        panic!("expected an output error, got {err:?}")
    };
    assert_eq!(*at, Instant::ZERO);
    assert_eq!(source.led(), 1);
    assert_eq!(source.state(), PinState::High);
    assert_eq!(source.kind(), ErrorKind::Other);
    assert_eq!(source.pin_error(), &MockError::Io(IoErrorKind::NotConnected));
    assert_eq!(
        source.to_string(),
        "could not drive the pin of LED 1 high (Other error: Io(NotConnected)); \
         check the pin's wiring and its HAL"
    );
    let chain = std::error::Error::source(&err).expect("the pin error is the run error's source");
    assert_eq!(chain.to_string(), source.to_string());
    // The next run sends the whole frame again: the failed pin is driven anew.
    driver.run(&blink(2, ms(10)).times(1)).unwrap();
    drop(driver);
    done(&mut mocks);
}

#[test]
fn active_low_pins_sink_the_leds() {
    let mut mocks = [pin(&[Low, High, High]), pin(&[High, High])];
    let pins = Pins::new(mocks.to_vec()).active_low(true);
    let mut driver = Driver::new(pins, VirtualClock::new());
    driver.run(&blink(0, ms(10)).times(1)).unwrap();
    let released = driver.into_output().release().unwrap();
    assert_eq!(released.len(), 2);
    done(&mut mocks);
}

#[test]
fn release_switches_off_and_into_inner_does_not() {
    let mut mocks = [pin(&[High, Low]), pin(&[Low, Low])];
    let mut driver = Driver::new(Pins::new(mocks.to_vec()), VirtualClock::new());
    driver.run_for(&on(0), ms(1)).unwrap();
    // `release` drives every pin low, then gives them back (no more calls on drop).
    let pins = driver.into_output().release().unwrap();
    drop(pins);
    done(&mut mocks);

    let mut mocks = [pin(&[High]), pin(&[Low])];
    let mut driver = Driver::new(Pins::new(mocks.to_vec()), VirtualClock::new());
    driver.run_for(&on(0), ms(1)).unwrap();
    // `into_inner` leaves LED 0 lit.
    let pins = driver.into_output().into_inner();
    drop(pins);
    done(&mut mocks);
}

#[test]
fn clear_tries_every_pin_and_reports_the_first_error() {
    let broken = || Transaction::set(Low).with_error(MockError::Io(IoErrorKind::BrokenPipe));
    let mut mocks = [pin(&[Low]), Mock::new(&[broken()]), Mock::new(&[broken()]), pin(&[Low])];
    let mut pins = Pins::new(mocks.to_vec());
    let err: PinError<MockError> = Output::clear(&mut pins).unwrap_err();
    assert_eq!((err.led(), err.state()), (1, PinState::Low));
    let _ = pins.into_inner();
    done(&mut mocks);
}

#[test]
fn arrays_of_pins_work_too() {
    let mut a = pin(&[High, Low, Low]);
    let mut b = pin(&[Low, Low]);
    let mut driver = Driver::new(Pins::new([a.clone(), b.clone()]), VirtualClock::new());
    assert_eq!(driver.output().len(), 2);
    driver.run(&blink(0, ms(5)).times(1)).unwrap();
    assert_eq!(driver.output().pins().len(), 2);
    drop(driver);
    a.done();
    b.done();
}

#[test]
fn auto_traits() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Pins<Mock>>();
    send_sync::<PinError<MockError>>();
}
