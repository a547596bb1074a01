//! Parts of a strip: segments, reversed and rotated parts, effects side by side.

use blinken::Strip;
use blinken::output::Recorder;
use blinken::prelude::*;

/// What `rec` shows at `t`: the last step at or before it (all off before the first).
fn at(rec: &Recorder<RGB8>, t: Instant) -> Vec<RGB8> {
    rec.steps()
        .iter()
        .take_while(|s| s.at <= t)
        .last()
        .map_or_else(|| vec![RGB8::OFF; rec.len()], |s| s.pixels.to_vec())
}

fn record(len: usize, program: &impl Animation<RGB8>, window: Duration) -> Recorder<RGB8> {
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(len), VirtualClock::new());
    driver.run_for(program, window).expect("the program plays");
    driver.into_output()
}

const RED: RGB8 = RGB8::new(255, 0, 0);

#[test]
fn segments_reversed_and_rotated() {
    let strip = Strip::new(10);
    assert_eq!(strip.all().as_slice(), &(0..10).collect::<Vec<_>>()[..]);
    assert_eq!(strip.segment(3..6).as_slice(), &[3, 4, 5]);
    assert_eq!(strip.segment(..2).as_slice(), &[0, 1]);
    assert_eq!(strip.segment(8..).as_slice(), &[8, 9]);
    assert_eq!(strip.segment(8..=9).reversed().as_slice(), &[9, 8]);
    assert_eq!(strip.segment(4..4).as_slice(), &[] as &[usize]);
    assert_eq!(strip.ring(2..6, 4).as_slice(), &[4, 5, 2, 3]);
    let (a, b) = Strip::new(5).halves();
    assert_eq!((a.as_slice(), b.as_slice()), (&[0, 1][..], &[2, 3, 4][..]));
    assert_eq!(a.chain(&b.reversed()).as_slice(), &[0, 1, 4, 3, 2]);
}

#[test]
#[should_panic(expected = "segment 8..11 is not within the strip of 10 LEDs (0..10)")]
fn a_segment_beyond_the_strip_panics_naming_it() {
    let _ = Strip::new(10).segment(8..11);
}

#[test]
#[should_panic(expected = "the ring's first LED 7 is not one of its LEDs [2, 3, 4]")]
fn a_ring_must_start_on_one_of_its_leds() {
    let _ = Strip::new(10).ring(2..5, 7);
}

#[test]
fn an_effect_on_a_reversed_part_runs_backwards() {
    let forwards = record(4, &comet(0..4, ms(100), RED).tail_length(2), ms(1000));
    let backwards = record(
        6,
        &comet(Strip::new(6).segment(1..5).reversed(), ms(100), RED).tail_length(2),
        ms(1000),
    );
    assert_eq!(forwards.steps().len(), backwards.steps().len());
    for (f, b) in forwards.steps().iter().zip(backwards.steps()) {
        assert_eq!(f.at, b.at);
        let mut mirrored: Vec<RGB8> = f.pixels.iter().rev().copied().collect();
        mirrored.insert(0, RGB8::OFF);
        mirrored.push(RGB8::OFF);
        assert_eq!(b.pixels.to_vec(), mirrored, "at {:?}", f.at);
    }
}

#[test]
fn a_comet_and_a_rainbow_share_one_strip_side_by_side() {
    let strip = Strip::new(11);
    let (left, right) = (strip.segment(..5), strip.segment(5..));
    let comet_alone = comet(0..5, ms(100), RED).tail_length(3);
    let rainbow_alone = rainbow(0..6, ms(70)).period(secs(1));
    let both = all((
        comet(left, ms(100), RED).tail_length(3),
        rainbow(right.reversed(), ms(70)).period(secs(1)),
    ));
    let window = ms(1500);
    let shared = record(11, &both, window);
    let comet_rec = record(5, &comet_alone, window);
    let rainbow_rec = record(6, &rainbow_alone, window);

    // One write per instant at which either effect steps.
    let mut instants: Vec<Instant> =
        comet_rec.steps().iter().chain(rainbow_rec.steps()).map(|s| s.at).collect();
    instants.sort();
    instants.dedup();
    assert_eq!(shared.steps().iter().map(|s| s.at).collect::<Vec<_>>(), instants);

    // Every frame: the comet's LEDs as it shows them alone, the rainbow's reversed.
    for step in shared.steps() {
        let mut expected = at(&comet_rec, step.at);
        expected.extend(at(&rainbow_rec, step.at).into_iter().rev());
        assert_eq!(step.pixels.to_vec(), expected, "at {:?}", step.at);
    }

    // And a few values by hand: at 0.2 s the comet's head (174 = int(255·(2·0.95/3
    // + 0.05))) is on LED 1 and its tail (93) on LED 0; the rainbow starts on LED 10
    // at red.
    let at_200 = at(&shared, Instant::ZERO + ms(200));
    assert_eq!(
        at_200[..5],
        [RGB8::new(93, 0, 0), RGB8::new(174, 0, 0), RGB8::OFF, RGB8::OFF, RGB8::OFF]
    );
    let at_0 = at(&shared, Instant::ZERO);
    assert_eq!(at_0[10], RED);
}

#[test]
fn a_serpentine_panel_runs_effects_along_its_rows() {
    let panel = Matrix::serpentine(2, 3);
    // Row 1 is wired 5, 4, 3: a walk along it lights them left to right on the panel.
    let rec = record(6, &walk(panel.row(1), ms(10)).color(RED), ms(100));
    let lit: Vec<usize> =
        rec.steps().iter().filter_map(|s| s.pixels.iter().position(|p| *p != RGB8::OFF)).collect();
    assert_eq!(lit, [5, 4, 3]);
}

#[test]
fn a_mirrored_comet_and_a_rainbow_share_one_strip() {
    use blinken::output::adapter::Mirror;
    // LEDs 0..6 mirrored (the comet draws on 0..3, 5..3 show it reversed), the rainbow
    // on 6..10.
    let mirror = Mirror::new(Recorder::<RGB8>::with_len(10), 0..6);
    let program = all((
        comet(mirror.source(), ms(100), RED).tail_length(2),
        rainbow(Strip::new(10).segment(6..), ms(70)).period(secs(1)),
    ));
    let mut driver = Driver::new(mirror, VirtualClock::new());
    driver.run_for(&program, ms(1000)).unwrap();
    let shared = driver.into_output().into_inner();

    let comet_rec = record(3, &comet(0..3, ms(100), RED).tail_length(2), ms(1000));
    let rainbow_rec = record(4, &rainbow(0..4, ms(70)).period(secs(1)), ms(1000));
    assert!(shared.steps().len() > 10);
    for step in shared.steps() {
        let half = at(&comet_rec, step.at);
        let mut expected = half.clone();
        expected.extend(half.iter().rev());
        expected.extend(at(&rainbow_rec, step.at));
        assert_eq!(step.pixels.to_vec(), expected, "at {:?}", step.at);
    }
}

#[test]
fn a_mirror_passes_on_exactly_the_leds_that_changed() {
    use blinken::output::Frame;
    use blinken::output::adapter::Mirror;

    #[derive(Debug, Default)]
    struct Changes(usize, Vec<Vec<usize>>);
    impl Output for Changes {
        type Pixel = bool;
        type Error = std::convert::Infallible;
        fn len(&self) -> usize {
            self.0
        }
        fn write(&mut self, frame: Frame<'_, bool>) -> Result<(), Self::Error> {
            self.1.push(frame.changed.to_vec());
            Ok(())
        }
    }
    let mut mirror = Mirror::new(Changes(7, Vec::new()), 1..6); // 1, 2 onto 5, 4; 3 alone
    assert_eq!(mirror.source().as_slice(), &[1, 2, 3]);
    let f = |pixels: &[bool; 7], changed: &[usize]| (pixels.to_owned(), changed.to_owned());
    let frames = [
        f(&[false; 7], &[0, 1, 2, 3, 4, 5, 6]),
        f(&[false, true, false, false, false, false, false], &[1]),
        f(&[false, true, false, true, false, false, true], &[3, 6]),
        // Writing into the mirrored half changes nothing: the mirror wins.
        f(&[false, true, false, true, true, false, true], &[4]),
    ];
    for (pixels, changed) in &frames {
        mirror.write(Frame { pixels, changed, at: Instant::ZERO }).unwrap();
    }
    assert_eq!(mirror.inner().1, [vec![0, 1, 2, 3, 4, 5, 6], vec![1, 5], vec![3, 6]]);
}

#[test]
#[should_panic(expected = "the mirrored range 2..9 is not within the output of 8 LEDs")]
fn a_mirror_beyond_the_output_panics_naming_it() {
    let _ = blinken::output::adapter::Mirror::new(Recorder::new(8), 2..9);
}
