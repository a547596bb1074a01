//! Exact timelines of the combinators on the virtual clock, static and dynamic forms.

mod common;

use blinken::prelude::*;
use common::{at_ms, run, window};

#[test]
fn sequence_chains_logical_ends() {
    let (end, rec) =
        run(2, &sequence((blink(0, ms(10)).times(1), wait(ms(5)), blink(1, ms(10)).times(1))));
    assert_eq!(end, at_ms(45));
    rec.assert_timeline(
        "
        0.000000 #.
        0.010000 ..
        0.025000 .#
        0.035000 ..
        ",
    );
}

#[test]
fn sequence_vec_array_and_method_agree() {
    let step = |i| blink(i, ms(10)).times(1);
    let tuple = run(3, &sequence((step(0), step(1), step(2)))).1.render();
    let vec = run(3, &sequence(vec![step(0), step(1), step(2)])).1.render();
    let array = run(3, &sequence([step(0), step(1), step(2)])).1.render();
    let method = run(3, &step(0).then(step(1)).then(step(2))).1.render();
    assert_eq!(tuple, vec);
    assert_eq!(tuple, array);
    assert_eq!(tuple, method);
}

#[test]
fn empty_sequence_and_all_end_at_once() {
    let none: Vec<blinken::Wait> = Vec::new();
    assert_eq!(run(1, &sequence(none.clone())).0, Instant::ZERO);
    assert_eq!(run(1, &all(none)).0, Instant::ZERO);
}

#[test]
fn all_ends_with_the_latest_child() {
    let (end, rec) = run(2, &all((blink(0, ms(10)).times(3), blink(1, ms(25)).times(1))));
    assert_eq!(end, at_ms(60));
    rec.assert_timeline(
        "
        0.000000 ##
        0.010000 .#
        0.020000 ##
        0.025000 #.
        0.030000 ..
        0.040000 #.
        0.050000 ..
        ",
    );
}

#[test]
fn all_vec_matches_tuple() {
    let a = || blink(0, ms(10)).times(3);
    let b = || blink(1, ms(25)).times(1);
    let tuple = run(2, &all((a(), b())));
    let vec = run(2, &all(vec![a().boxed(), b().boxed()]));
    assert_eq!(tuple.0, vec.0);
    assert_eq!(tuple.1.render(), vec.1.render());
}

#[test]
fn all_of_many_children_polls_in_declaration_order() {
    // 200 children: exercises more than three words of the ready set.
    let children: Vec<_> = (0..200).map(|i| blink(i, ms(1 + i as u64 % 7)).times(2)).collect();
    let (end, rec) = run(200, &all(children));
    assert_eq!(end, at_ms(4 * 7));
    let last = rec.steps().last().unwrap();
    // The slowest children switch off at 21 ms and then wait out their last off time.
    assert_eq!(last.at, at_ms(21));
    assert!(last.pixels.iter().all(|&p| !p));
    // Children with period 1 ms switch off at 1 ms, others stay on.
    let at_1ms = &rec.steps()[1];
    assert_eq!(at_1ms.at, at_ms(1));
    for (i, &lit) in at_1ms.pixels.iter().enumerate() {
        assert_eq!(lit, i % 7 != 0, "LED {i}");
    }
}

#[test]
fn any_stops_the_rest_at_the_winners_end() {
    let (end, rec) = run(2, &any((blink(0, ms(10)), on(1), wait(ms(35)))));
    assert_eq!(end, at_ms(35));
    rec.assert_timeline(
        "
        0.000000 ##
        0.010000 .#
        0.020000 ##
        0.030000 .#
        0.035000 ..
        ",
    );
}

#[test]
fn any_vec_matches_tuple() {
    let tuple = run(2, &any((blink(0, ms(10)).boxed(), on(1).boxed(), wait(ms(35)).boxed())));
    let vec = run(2, &any(vec![blink(0, ms(10)).boxed(), on(1).boxed(), wait(ms(35)).boxed()]));
    assert_eq!(tuple.0, vec.0);
    assert_eq!(tuple.1.render(), vec.1.render());
}

#[test]
fn forever_restarts_from_the_previous_end() {
    let rec = window(1, &forever(blink(0, ms(10)).off_for(ms(20)).times(1)), ms(90));
    rec.assert_timeline(
        "
        0.000000 #
        0.010000 .
        0.030000 #
        0.040000 .
        0.060000 #
        0.070000 .
        0.090000 #
        ",
    );
}

#[test]
fn repeat_runs_n_passes() {
    let (end, rec) = run(1, &blink(0, ms(10)).times(1).repeat(3));
    assert_eq!(end, at_ms(60));
    assert_eq!(rec.steps().len(), 6);
    assert_eq!(run(1, &repeat(0, blink(0, ms(10)))).0, Instant::ZERO);
}

#[test]
fn repeat_of_a_short_body_is_finite() {
    // (A body that may take no time, `repeat(1000, off(0))`, is now refused: see
    // tests/validation.rs.)
    let (end, rec) = run(1, &repeat(1000, blink(0, ms(1)).times(1)));
    assert_eq!(end, at_ms(2000));
    assert_eq!(rec.steps().len(), 2000);
}

#[test]
fn cycle_walks_forever() {
    let rec = window(2, &cycle([1, 0], ms(10)), ms(80));
    rec.assert_timeline(
        "
        0.000000 .#
        0.010000 ..
        0.020000 #.
        0.030000 ..
        0.040000 .#
        0.050000 ..
        0.060000 #.
        0.070000 ..
        0.080000 .#
        ",
    );
}

#[test]
fn timeout_cuts_or_lets_finish() {
    assert_eq!(run(1, &timeout(ms(50), blink(0, ms(10)).times(1))).0, at_ms(20));
    let (end, rec) = run(1, &blink(0, ms(10)).timeout(ms(15)));
    assert_eq!(end, at_ms(15));
    rec.assert_timeline(
        "
        0.000000 #
        0.010000 .
        ",
    );
    // Ends exactly at the limit: the body wins the tie, the result is the same instant.
    assert_eq!(run(1, &blink(0, ms(10)).times(1).timeout(ms(20))).0, at_ms(20));
}

#[test]
fn from_fn_closure_is_a_factory() {
    let program = from_fn(async |cx: &Cx<bool>, start: Instant| {
        let _off = cx.off_on_drop(0);
        cx.set(0, true);
        cx.sleep_until(start + ms(10)).await
    });
    // A closure's length is unknown (it may take no time): declare it to loop it.
    let (end, rec) = run(1, &program.at_least(ms(10)).repeat(2));
    assert_eq!(end, at_ms(20));
    // Off at 10 (guard) and on again at 10 (next pass): no visible change until 20.
    rec.assert_timeline(
        "
        0.000000 #
        0.020000 .
        ",
    );
}

#[test]
fn nested_dynamic_program() {
    let rows: Vec<BoxAnimation<bool>> = (0..3)
        .map(|r| {
            let leds: Vec<usize> = (0..2).map(|c| r * 2 + c).collect();
            any((on(leds), wait(ms(10)))).boxed()
        })
        .collect();
    let (end, rec) = run(6, &forever(sequence(rows)).timeout(ms(40)));
    assert_eq!(end, at_ms(40));
    rec.assert_timeline(
        "
        0.000000 ##....
        0.010000 ..##..
        0.020000 ....##
        0.030000 ##....
        0.040000 ......
        ",
    );
}
