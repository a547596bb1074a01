//! Seeing colour: hex and glyph timelines, and pictures of timelines.

use blinken::output::{Picture, Recorder};
use blinken::prelude::*;

const RED: RGB8 = RGB8::new(255, 0, 0);

fn recorded() -> Recorder<RGB8> {
    // LED 0 red from 0 to 0.5 s (written twice: LED 1 changes at 0.25 s), LED 1 blue
    // from 0.25 s to 0.75 s.
    let program = all((
        on(0).color(RED).timeout(ms(500)),
        wait(ms(250)).then(on(1).color(RGB8::new(0, 0, 255)).timeout(ms(500))),
    ));
    let mut driver = Driver::new(Recorder::<RGB8>::with_len(2), VirtualClock::new());
    driver.run(&program).unwrap();
    driver.into_output()
}

#[test]
fn hex_timelines_show_every_colour() {
    let rec = recorded();
    rec.assert_hex_timeline(
        "
        0.000000 ff0000 000000
        0.250000 FF0000 0000ff
        0.500000 000000 0000ff
        0.750000 000000 000000
    ",
    );
    let glyph = |p: &RGB8| {
        if p.r > 0 {
            'R'
        } else if p.b > 0 {
            'B'
        } else {
            '.'
        }
    };
    rec.assert_timeline_with(glyph, "0.000000 R.\n0.250000 RB\n0.500000 .B\n0.750000 ..");
    // The on/off timeline is unchanged.
    assert_eq!(rec.render(), "0.000000 #.\n0.250000 ##\n0.500000 .#\n0.750000 ..\n");
}

#[test]
#[should_panic(expected = "timeline differs at line 2")]
fn a_wrong_colour_fails_naming_the_line() {
    recorded().assert_hex_timeline(
        "0.000000 ff0000 000000\n0.250000 ff0000 0000fe\n0.500000 000000 0000ff\n0.750000 000000 000000",
    );
}

#[test]
fn a_dot_is_shown_as_the_light_it_gives() {
    let mut driver = Driver::new(Recorder::<Dot>::with_len(1), VirtualClock::new());
    driver.run(&fill(0, Dot::new(RGB8::new(255, 62, 0), 4))).unwrap();
    driver.output().assert_hex_timeline("0.000000 200800");
}

#[test]
fn the_svg_fills_each_span_once_in_its_colour() {
    let rec = recorded();
    let svg = Picture::new(&rec).until(secs(1)).width(200).row_height(10).svg();
    let rects: Vec<&str> = svg.lines().filter(|l| l.starts_with("<rect x=")).collect();
    assert_eq!(
        rects,
        [
            r##"<rect x="36" y="8" width="200" height="20" fill="#181818"/>"##,
            // LED 0, merged across the write at 0.25 s.
            r##"<rect x="36.000" y="8" width="100.000" height="9" fill="#ff0000"/>"##,
            r##"<rect x="86.000" y="18" width="100.000" height="9" fill="#0000ff"/>"##,
        ]
    );
    // A tick about every 80 pixels of 200: every 0.4 s, rounded up to 0.5 s.
    let labels: Vec<&str> = svg
        .lines()
        .filter(|l| l.contains("text-anchor=\"middle\""))
        .map(|l| l.rsplit_once("\">").unwrap().1.trim_end_matches("</text>"))
        .collect();
    assert_eq!(labels, ["0 s", "0.5 s", "1 s"]);
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"252\" height=\"62\"")
    );
    assert!(svg.ends_with("</svg>\n"));
}

#[test]
fn without_an_end_the_picture_ends_a_tenth_after_the_last_write() {
    let rec = recorded();
    // 0.75 s × 1.1 = 0.825 s over 825 pixels: one pixel a millisecond.
    let svg = Picture::new(&rec).width(825).svg();
    assert!(
        svg.contains(r##"<rect x="36.000" y="8" width="500.000" height="11" fill="#ff0000"/>"##),
        "{svg}"
    );
}

#[cfg(feature = "png")]
#[test]
fn the_png_has_the_same_colours() {
    let rec = recorded();
    let mut bytes = Vec::new();
    Picture::new(&rec).until(secs(1)).width(200).row_height(10).write_png(&mut bytes).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut data = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut data).unwrap();
    assert_eq!((info.width, info.height), (252, 62));
    let at = |x: usize, y: usize| {
        let i = (y * 252 + x) * 3;
        RGB8::new(data[i], data[i + 1], data[i + 2])
    };
    assert_eq!(at(36 + 10, 8 + 4), RED); // LED 0 at 0.05 s
    assert_eq!(at(36 + 110, 8 + 4), RGB8::new(24, 24, 24)); // LED 0 at 0.55 s: dark
    assert_eq!(at(36 + 110, 18 + 4), RGB8::new(0, 0, 255)); // LED 1 at 0.55 s
    assert_eq!(at(36 + 10, 18 + 9), RGB8::new(24, 24, 24)); // the gap between rows
}
