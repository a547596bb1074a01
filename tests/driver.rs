//! The driver's contract with outputs: errors reported, retried whole, nothing swallowed.

mod common;

use blinken::RunError;
use blinken::output::Frame;
use blinken::prelude::*;
use common::at_ms;

/// Fails the writes whose numbers (0-based) are listed.
struct Flaky {
    fail: Vec<usize>,
    writes: usize,
    seen: Vec<(Instant, Vec<usize>, Vec<bool>)>,
}

#[derive(Debug, thiserror::Error)]
#[error("bus glitch on write {0}")]
struct Glitch(usize);

impl Output for Flaky {
    type Pixel = bool;
    type Error = Glitch;
    fn len(&self) -> usize {
        3
    }
    fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Glitch> {
        let n = self.writes;
        self.writes += 1;
        if self.fail.contains(&n) {
            return Err(Glitch(n));
        }
        self.seen.push((frame.at, frame.changed.to_vec(), frame.pixels.to_vec()));
        Ok(())
    }
}

#[test]
fn output_errors_stop_the_run_and_the_next_write_is_whole() {
    let flaky = Flaky { fail: vec![1], writes: 0, seen: Vec::new() };
    let mut driver = Driver::new(flaky, VirtualClock::new());
    let program = blink(0, ms(10)).times(2).and(on(2));
    match driver.run_for(&program, secs(1)) {
        Err(RunError::Output { at, source }) => {
            assert_eq!(at, at_ms(10));
            assert_eq!(source.0, 1);
        }
        other => panic!("expected an output error, got {other:?}"),
    }
    // The failed run was dropped: `on(2)` switched LED 2 off in the frame. The next
    // write sends every LED, since the device state is unknown.
    driver.flush().unwrap();
    let seen = &driver.output().seen;
    assert_eq!(seen[0], (at_ms(0), vec![0, 1, 2], vec![true, false, true]));
    assert_eq!(seen[1], (at_ms(10), vec![0, 1, 2], vec![false, false, false]));
}

#[test]
fn error_messages_name_the_instant_and_keep_the_source() {
    let flaky = Flaky { fail: vec![0], writes: 0, seen: Vec::new() };
    let mut driver = Driver::new(flaky, VirtualClock::new());
    let err = driver.run(&on(0).timeout(ms(5))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the output failed to show the frame of 0.000000; the animation was stopped"
    );
    let source = std::error::Error::source(&err).expect("the backend error is kept");
    assert_eq!(source.to_string(), "bus glitch on write 0");
}

#[test]
fn clear_switches_everything_off() {
    let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
    driver.run(&fill(0..2, true)).unwrap();
    assert_eq!(driver.shown(), &[true, true]);
    driver.clear().unwrap();
    assert_eq!(driver.shown(), &[false, false]);
    assert_eq!(driver.into_output().steps().len(), 2);
}

#[test]
fn runs_continue_on_the_same_timeline() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    assert_eq!(driver.run(&blink(0, ms(10)).times(1)).unwrap(), at_ms(20));
    assert_eq!(driver.now(), at_ms(20));
    let end = driver.run_until(&blink(0, ms(10)), at_ms(45)).unwrap();
    assert_eq!(end, RunEnd::Stopped(at_ms(45)));
    driver.output().assert_timeline(
        "
        0.000000 #
        0.010000 .
        0.020000 #
        0.030000 .
        0.040000 #
        ",
    );
}

#[test]
fn nothing_changed_means_nothing_written() {
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    driver.run(&wait(ms(10)).then(off(0)).then(wait(ms(10)))).unwrap();
    assert_eq!(driver.output().steps().len(), 1, "only the first, whole write");
    driver.flush().unwrap();
    assert_eq!(driver.output().steps().len(), 1);
}

/// A future completed from another thread: what a "wait for a button" leaf awaits.
#[derive(Default)]
struct Signal {
    fired: std::sync::atomic::AtomicBool,
    waker: std::sync::Mutex<Option<std::task::Waker>>,
}

impl Signal {
    fn fire(&self) {
        self.fired.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(waker) = self.waker.lock().unwrap().take() {
            waker.wake();
        }
    }

    async fn fired(&self) {
        std::future::poll_fn(|task| {
            *self.waker.lock().unwrap() = Some(task.waker().clone());
            if self.fired.load(std::sync::atomic::Ordering::SeqCst) {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
    }
}

#[test]
fn a_wake_up_from_another_thread_ends_the_drivers_sleep() {
    let signal = std::sync::Arc::new(Signal::default());
    let (started, waiting) = std::sync::mpsc::channel();
    let leaf = {
        let signal = signal.clone();
        from_fn(async move |cx: &Cx<bool>, _start: Instant| {
            let _off = cx.off_on_drop(0);
            cx.set(0, true);
            let _ = started.send(());
            signal.fired().await;
            cx.now()
        })
    };
    // Inside `all` too: the branch's waker must reach the sleeping driver. After the
    // blink nothing is scheduled, so the driver sleeps with no deadline at all.
    let program = all(vec![leaf.boxed(), blink(1, ms(1)).times(1).boxed()]);
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut driver = Driver::new(Recorder::new(2), SystemClock::new());
        let end = driver.run(&program).map(|_| driver.shown().to_vec());
        let _ = done.send(end.map_err(|e| e.to_string()));
    });
    waiting.recv().unwrap();
    std::thread::sleep(Duration::from_millis(20)); // let the driver fall asleep
    signal.fire();
    // A generous safety net, not a timing assertion: without the wake-up the driver
    // would sleep forever.
    let shown = finished.recv_timeout(Duration::from_secs(30)).expect("the driver woke up");
    assert_eq!(shown, Ok(vec![false, false]), "the leaf ended and switched LED 0 off");
}
