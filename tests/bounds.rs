//! `min_duration` and `max_duration`: exact for every leaf and combinator.

mod common;

use blinken::DynAnimation;
use blinken::prelude::*;
use common::{at_ms, run};

fn bounds(a: &impl Animation<bool>) -> (Duration, Option<Duration>) {
    (a.min_duration(), a.max_duration())
}

const NEVER: (Duration, Option<Duration>) = (Duration::MAX, None);

#[test]
fn leaves() {
    assert_eq!(bounds(&blink(0, ms(10)).times(3)), (ms(60), Some(ms(60))));
    assert_eq!(bounds(&blink(0, ms(10)).off_for(ms(5)).times(2)), (ms(30), Some(ms(30))));
    assert_eq!(bounds(&blink(0, ms(10))), NEVER);
    assert_eq!(bounds(&on(0)), NEVER);
    assert_eq!(bounds(&off(0)), (Duration::ZERO, Some(Duration::ZERO)));
    assert_eq!(bounds(&fill(0, true)), (Duration::ZERO, Some(Duration::ZERO)));
    assert_eq!(bounds(&wait(ms(7))), (ms(7), Some(ms(7))));
    assert_eq!(bounds(&walk(0..3, ms(10))), (ms(60), Some(ms(60))));
    assert_eq!(bounds(&cycle(0..3, ms(10))), NEVER);
    // Unknown: may take no time, may last forever.
    let closure = from_fn(async |_: &Cx<bool>, start: Instant| start);
    assert_eq!(bounds(&closure), (Duration::ZERO, None));
    assert_eq!(bounds(&closure.at_least(ms(5))), (ms(5), None));
}

#[test]
fn combinators() {
    let (a, b) = (wait(ms(10)), blink(0, ms(10)).times(2)); // 10 ms and 40 ms
    assert_eq!(bounds(&sequence((&a, &b))), (ms(50), Some(ms(50))));
    assert_eq!(bounds(&sequence(vec![&a, &a, &a])), (ms(30), Some(ms(30))));
    assert_eq!(bounds(&sequence((&a, on(0)))), NEVER);
    assert_eq!(bounds(&all((&a, &b))), (ms(40), Some(ms(40))));
    assert_eq!(bounds(&all([&a, &a])), (ms(10), Some(ms(10))));
    assert_eq!(bounds(&all((&a, on(0)))), NEVER);
    assert_eq!(bounds(&any((&a, &b))), (ms(10), Some(ms(10))));
    assert_eq!(bounds(&any(vec![&b, &blink(0, ms(1)).times(1)])), (ms(2), Some(ms(2))));
    assert_eq!(bounds(&any((&b, on(0)))), (ms(40), Some(ms(40))));
    assert_eq!(bounds(&any((on(0), on(1)))), NEVER);
    assert_eq!(bounds(&timeout(ms(25), &b)), (ms(25), Some(ms(25))));
    assert_eq!(bounds(&timeout(ms(25), &a)), (ms(10), Some(ms(10))));
    assert_eq!(bounds(&on(0).timeout(ms(25))), (ms(25), Some(ms(25))));
    assert_eq!(bounds(&repeat(3, &b)), (ms(120), Some(ms(120))));
    assert_eq!(bounds(&repeat(0, on(0))), (Duration::ZERO, Some(Duration::ZERO)));
    assert_eq!(bounds(&repeat(2, on(0))), NEVER);
    assert_eq!(bounds(&forever(&a)), NEVER);
    // Saturating: a lower bound past the end of time counts as endless.
    assert_eq!(bounds(&repeat(u64::MAX, &a)), (Duration::MAX, Some(Duration::MAX)));
    // Mixed: the bounds differ when a child's do.
    let unknown =
        from_fn(async |cx: &Cx<bool>, start: Instant| cx.sleep_until(start + ms(3)).await)
            .at_least(ms(1));
    assert_eq!(bounds(&sequence((&a, &unknown))), (ms(11), None));
    assert_eq!(bounds(&any((&unknown, &b))), (ms(1), Some(ms(40))));
    assert_eq!(bounds(&all((&unknown, &a))), (ms(10), None));
}

#[test]
fn boxed_and_shared_forward_both_bounds() {
    let b = blink(0, ms(10)).times(2);
    let boxed: BoxAnimation<bool> = b.clone().boxed();
    let shared: std::sync::Arc<dyn DynAnimation<bool> + Send + Sync> = std::sync::Arc::new(b);
    assert_eq!(bounds(&boxed), (ms(40), Some(ms(40))));
    assert_eq!(bounds(&shared), (ms(40), Some(ms(40))));
    assert_eq!(bounds(&&boxed), (ms(40), Some(ms(40))));
    assert_eq!(boxed.min_duration_dyn(), ms(40));
}

#[test]
fn at_least_keeps_its_promise_at_run_time() {
    // The closure ends at once; the run lasts until start + 30 ms.
    let quick = from_fn(async |cx: &Cx<bool>, start: Instant| {
        cx.set(0, !cx.get(0));
        start
    })
    .at_least(ms(30));
    let (end, rec) = run(1, &repeat(3, &quick));
    assert_eq!(end, at_ms(90));
    rec.assert_timeline(
        "
        0.000000 #
        0.030000 .
        0.060000 #
        ",
    );
    // A closure that lasts longer than declared ends when it ends.
    let slow = from_fn(async |cx: &Cx<bool>, start: Instant| cx.sleep_until(start + ms(50)).await)
        .at_least(ms(30));
    assert_eq!(run(1, &repeat(2, &slow)).0, at_ms(100));
}
