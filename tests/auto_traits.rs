//! Auto traits of public types, pinned so that a change is a conscious one.

use blinken::output::Frame;
use blinken::prelude::*;
use blinken::*;

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>() {}
fn unpin<T: Unpin>() {}

#[test]
fn programs_are_send_and_sync() {
    // Programs built from the crate's leaves can be sent to a player thread.
    send_sync::<Blink<bool>>();
    send_sync::<On<RGB8>>();
    send_sync::<Off<bool>>();
    send_sync::<Wait<bool>>();
    send_sync::<Walk<bool>>();
    send_sync::<Fill<RGB8>>();
    send_sync::<Cycle<bool>>();
    send_sync::<Sequence<(Blink<bool>, Wait<bool>)>>();
    send_sync::<All<Vec<Blink<bool>>>>();
    send_sync::<Any<[On<bool>; 2]>>();
    send_sync::<Forever<Blink<bool>>>();
    send_sync::<Repeat<Blink<bool>>>();
    send_sync::<Timeout<Blink<bool>>>();
    send::<BoxAnimation<bool>>();
    send_sync::<Leds>();
    send_sync::<Matrix>();
    send_sync::<Strip>();
    send_sync::<ValidationError>();
    send_sync::<RunError<std::io::Error>>();
    send_sync::<Instant>();
    unpin::<Blink<bool>>();
}

#[test]
fn drivers_and_outputs_move_between_threads() {
    send::<Driver<Recorder, VirtualClock>>();
    send::<Driver<Recorder<RGB8>, SystemClock>>();
    send_sync::<Recorder>();
    send_sync::<blinken::output::adapter::BrightnessHandle>();
    send_sync::<
        blinken::output::adapter::Brightness<
            blinken::output::adapter::Gamma<blinken::output::adapter::PowerLimit<Recorder<RGB8>>>,
        >,
    >();
    unpin::<blinken::output::adapter::Brightness<Recorder<RGB8>>>();
    send_sync::<SystemClock>();
    send_sync::<Interrupt>();
    send_sync::<Frame<'static, bool>>();
}

#[test]
fn player_handles_go_anywhere() {
    send_sync::<PlayerHandle<bool>>();
    send_sync::<PlayerHandle<RGB8>>();
    send_sync::<Player<Recorder>>();
    send_sync::<Event>();
    send_sync::<PlayError>();
    send::<Events>();
    unpin::<Events>();
    send_sync::<ManualControl>();
    send::<ManualClock>();
}

#[test]
fn sleep_is_unpin() {
    unpin::<Sleep<'static>>();
}
