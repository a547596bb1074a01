//! What the LEDs show when runs are dropped; ties; the order of writes at one instant.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use blinken::prelude::*;
use common::{at_ms, run, window};

#[test]
fn loser_of_any_goes_dark_at_the_winners_end() {
    // The loser is mid-"on" at 10 ms; it goes off at exactly 10 ms.
    let (end, rec) = run(3, &any((wait(ms(10)), on(0), blink(1, ms(20)), blink(2, ms(5)))));
    assert_eq!(end, at_ms(10));
    rec.assert_timeline(
        "
        0.000000 ###
        0.005000 ##.
        0.010000 ...
        ",
    );
}

#[test]
fn ties_go_to_the_first_listed() {
    // Both end at 20 ms; the first listed wins, so the second never lights LED 1.
    let first = wait(ms(20));
    let second = blink(0, ms(10)).times(1).then(on(1));
    let (end, rec) = run(2, &any((&first, &second)));
    assert_eq!(end, at_ms(20));
    rec.assert_timeline(
        "
        0.000000 #.
        0.010000 ..
        ",
    );
    // Listed the other way round: the blink-then-on child lights LED 1 at 20 ms but has
    // not ended (`on` never ends), so `wait` wins and LED 1 is switched off again
    // within the same instant: no frame shows it.
    let (end, rec) = run(2, &any((&second, &first)));
    assert_eq!(end, at_ms(20));
    rec.assert_timeline(
        "
        0.000000 #.
        0.010000 ..
        ",
    );
}

#[test]
fn tie_between_finishing_children_keeps_declaration_order() {
    // Two children end at the same instant with different logical ends reported by
    // their last child: the first listed of the earliest wins.
    let a = blink(0, ms(10)).times(1); // ends at 20
    let b = wait(ms(20)); // ends at 20
    let c = wait(ms(30));
    assert_eq!(run(1, &any((&c, &a, &b))).0, at_ms(20));
    assert_eq!(run(1, &any(vec![c.boxed(), a.boxed(), b.boxed()])).0, at_ms(20));
}

#[test]
fn last_write_of_an_instant_wins() {
    // Both write LED 0 at 0 ms: the later-listed `off` wins, so nothing shows.
    let (_, rec) = run(1, &all((fill(0, true), off(0))).then(wait(ms(10))));
    rec.assert_timeline("0.000000 .");
    let (_, rec) = run(1, &all((off(0), fill(0, true))).then(wait(ms(10))));
    rec.assert_timeline("0.000000 #");
}

#[test]
fn shared_led_turned_off_by_a_cancelled_leaf() {
    // `on(0)` is cancelled at 10 ms and switches LED 0 off, although the other branch
    // lit it at 5 ms: the last write wins, documented on `Cx`.
    let program = all((on(0).timeout(ms(10)), wait(ms(5)).then(fill(0, true)).then(wait(ms(20)))));
    let (_, rec) = run(1, &program);
    rec.assert_timeline(
        "
        0.000000 #
        0.010000 .
        ",
    );
}

#[test]
fn finished_children_are_dropped_when_they_finish() {
    // The first child of `all` ends at 10 ms; if it were dropped only when `all` ends
    // (at 30 ms) its guard would switch LED 0 off again after `fill` lit it at 20 ms.
    let program =
        all((blink(0, ms(5)).times(1), wait(ms(20)).then(fill(0, true)).then(wait(ms(10)))));
    let (end, rec) = run(1, &program);
    assert_eq!(end, at_ms(30));
    rec.assert_timeline(
        "
        0.000000 #
        0.005000 .
        0.020000 #
        ",
    );
}

#[test]
fn run_for_cancels_and_flush_shows_it() {
    let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
    let end = driver.run_for(&on([0, 1]), ms(50)).unwrap();
    assert_eq!(end, RunEnd::Stopped(at_ms(50)));
    assert_eq!(driver.shown(), &[true, true], "the output still shows the last frame");
    driver.flush().unwrap();
    assert_eq!(driver.shown(), &[false, false], "the cancelled `on` switched its LEDs off");
    driver.output().assert_timeline(
        "
        0.000000 ##
        0.050000 ..
        ",
    );
}

#[test]
fn a_panicking_branch_leaves_no_sibling_lit() {
    // The asyncio original left the siblings of a failed child running with their LEDs
    // lit. Here a panic unwinds through the driver, dropping every branch.
    let bomb = from_fn(async |cx: &Cx<bool>, start: Instant| {
        cx.sleep_until(start + ms(15)).await;
        panic!("boom");
    });
    let program = all((on(0), blink(1, ms(10)), bomb));
    let mut driver = Driver::new(Recorder::new(2), VirtualClock::new());
    // (`run` would refuse it: `on` never ends, so neither does the `all`.)
    let result = catch_unwind(AssertUnwindSafe(|| driver.run_for(&program, secs(1))));
    assert!(result.is_err());
    driver.flush().unwrap();
    assert_eq!(driver.shown(), &[false, false]);
    // The driver plays again after the panic.
    let end = driver.run(&blink(0, ms(10)).times(1)).unwrap();
    assert_eq!(end, at_ms(35));
}

#[test]
fn smiley_mouth_shares_leds_without_flicker() {
    // Two `on`s in sequence sharing LED 1: the first is cancelled (off) and the second
    // lights it at the same instant, so LED 1 never goes dark.
    let program = forever(sequence((on([0, 1]).timeout(ms(10)), on([1, 2]).timeout(ms(10)))));
    let rec = window(3, &program, ms(30));
    rec.assert_timeline(
        "
        0.000000 ##.
        0.010000 .##
        0.020000 ##.
        0.030000 .##
        ",
    );
}

/// Drop order of cancelled children, recorded by their guards.
type Log = std::sync::Arc<std::sync::Mutex<Vec<usize>>>;

/// A leaf that lasts `lasts` (`None`: until cancelled) and records its id when its run
/// is dropped, whether it ended or was cancelled.
#[derive(Clone)]
struct Tracked {
    id: usize,
    lasts: Option<Duration>,
    log: Log,
}

struct Record(usize, Log);

impl Drop for Record {
    fn drop(&mut self) {
        self.1.lock().unwrap().push(self.0);
    }
}

impl Animation<bool> for Tracked {
    async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
        let _record = Record(self.id, self.log.clone());
        match self.lasts {
            Some(d) => cx.sleep_until(start + d).await,
            None => core::future::pending().await,
        }
    }
}

fn tracked(log: &Log, lasts: impl IntoIterator<Item = Option<Duration>>) -> Vec<Tracked> {
    lasts
        .into_iter()
        .enumerate()
        .map(|(id, lasts)| Tracked { id, lasts, log: log.clone() })
        .collect()
}

#[test]
fn losers_of_any_are_cancelled_in_declaration_order() {
    // Child 1 wins at 10 ms (its run ends and is dropped first); 0, 2 and 3 lose.
    let lasts = [None, Some(ms(10)), None, None];
    let log = Log::default();
    let t = tracked(&log, lasts);
    let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
    let tuple = any((t[0].clone(), t[1].clone(), t[2].clone(), t[3].clone()));
    assert_eq!(driver.run(&tuple).unwrap(), at_ms(10));
    assert_eq!(*log.lock().unwrap(), [1, 0, 2, 3], "tuple");
    log.lock().unwrap().clear();
    driver.run(&any(t.clone())).unwrap();
    assert_eq!(*log.lock().unwrap(), [1, 0, 2, 3], "Vec");
    log.lock().unwrap().clear();
    driver.run(&any([t[0].clone(), t[1].clone(), t[2].clone(), t[3].clone()])).unwrap();
    assert_eq!(*log.lock().unwrap(), [1, 0, 2, 3], "array");
    log.lock().unwrap().clear();
    // The method form nests: `(a or b) or c`; the inner race is the first child.
    driver.run(&t[0].clone().or(t[1].clone()).or(t[2].clone())).unwrap();
    assert_eq!(*log.lock().unwrap(), [1, 0, 2], "or");
    log.lock().unwrap().clear();
    // `timeout` races the body against a wait: the body's children go in order.
    let body = all((t[0].clone(), t[2].clone(), t[3].clone()));
    driver.run(&body.timeout(ms(5))).unwrap();
    assert_eq!(*log.lock().unwrap(), [0, 2, 3], "timeout");
}

#[test]
fn dropping_a_running_all_or_any_cancels_in_declaration_order() {
    let log = Log::default();
    let t = tracked(&log, [None, None, None]);
    let (a, b, c) = (t[0].clone(), t[1].clone(), t[2].clone());
    let programs: Vec<(&str, BoxAnimation<bool>)> = vec![
        ("all tuple", all((a.clone(), b.clone(), c.clone())).boxed()),
        ("any tuple", any((a.clone(), b.clone(), c.clone())).boxed()),
        ("all Vec", all(vec![a.clone(), b.clone(), c.clone()]).boxed()),
        ("any Vec", any(vec![a.clone(), b.clone(), c.clone()]).boxed()),
        ("all array", all([a.clone(), b.clone(), c.clone()]).boxed()),
        ("any array", any([a.clone(), b.clone(), c.clone()]).boxed()),
        ("and", a.clone().and(b.clone()).and(c.clone()).boxed()),
    ];
    for (name, program) in &programs {
        log.lock().unwrap().clear();
        let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
        // The limit cancels the run: the whole `all`/`any` is dropped.
        assert_eq!(driver.run_for(program, ms(10)).unwrap(), RunEnd::Stopped(at_ms(10)));
        assert_eq!(*log.lock().unwrap(), [0, 1, 2], "{name}");
    }
}
