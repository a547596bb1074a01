//! `Matrix`: wiring, groups, line offsets and text-art patterns.

mod common;

use blinken::prelude::*;
use blinken::{Matrix, PatternError};

/// The GPIO line offsets of `leds` on the talk's board.
fn talk_lines(leds: &Leds) -> Vec<u32> {
    let board = Matrix::talk();
    let lines = board.lines().expect("the talk's board has lines");
    leds.iter().map(|&i| lines[i]).collect()
}

#[test]
fn new_is_row_major() {
    let m = Matrix::new(3, 4);
    assert_eq!((m.rows(), m.cols(), m.len()), (3, 4, 12));
    assert!(!m.is_empty());
    for r in 0..3 {
        for c in 0..4 {
            assert_eq!(m.at(r, c), r * 4 + c);
        }
    }
    assert_eq!(m.all().as_slice(), (0..12).collect::<Vec<_>>().as_slice());
    assert_eq!(m.row(1).as_slice(), &[4, 5, 6, 7]);
    assert_eq!(m.col(3).as_slice(), &[3, 7, 11]);
    assert_eq!(m.get(2, 3), Some(11));
    assert_eq!(m.get(3, 0), None);
    assert_eq!(m.get(0, 4), None);
    assert_eq!(m.lines(), None);
}

#[test]
fn empty_matrix() {
    let m = Matrix::new(0, 5);
    assert!(m.is_empty());
    assert_eq!(m.all(), Leds::none());
    assert_eq!(m.ring_count(), 0);
    assert_eq!(m.to_string(), "");
    assert_eq!(m.pattern("").unwrap(), Leds::none());
    assert_eq!(m.transpose().cols(), 0);
}

#[test]
fn talk_board_rows_and_columns_in_line_offsets() {
    let board = Matrix::talk();
    assert_eq!(board.lines(), Some(&Matrix::TALK_LINES[..]));
    assert_eq!(board.all().as_slice(), (0..25).collect::<Vec<_>>().as_slice());
    let rows: Vec<Vec<u32>> = (0..5).map(|r| talk_lines(&board.row(r))).collect();
    assert_eq!(
        rows,
        [
            [11, 10, 27, 4, 2],
            [0, 9, 22, 17, 3],
            [5, 20, 1, 25, 18],
            [6, 16, 7, 24, 15],
            [13, 12, 8, 23, 14],
        ]
    );
    assert_eq!(talk_lines(&board.col(0)), [11, 0, 5, 6, 13]);
    assert_eq!(talk_lines(&board.col(4)), [2, 3, 18, 15, 14]);
}

#[test]
fn talk_board_named_groups_match_the_talk() {
    let board = Matrix::talk();
    assert_eq!(
        talk_lines(&board.outer_ring()),
        [11, 10, 27, 4, 2, 3, 18, 15, 14, 23, 8, 12, 13, 6, 5, 0]
    );
    assert_eq!(talk_lines(&board.inner_ring()), [9, 22, 17, 25, 24, 7, 16, 20]);
    assert_eq!(talk_lines(&board.ring(2)), [1]);
    assert_eq!(board.ring_count(), 3);
    assert_eq!(talk_lines(&board.slash()), [13, 16, 1, 17, 2]);
    assert_eq!(talk_lines(&board.backslash()), [11, 9, 1, 24, 14]);
}

#[test]
fn leds_on_lines_keeps_the_given_order() {
    let board = Matrix::talk();
    assert_eq!(board.leds_on_lines(&[10, 4]).unwrap().as_slice(), &[1, 3]);
    assert_eq!(board.leds_on_lines(&[4, 10]).unwrap().as_slice(), &[3, 1]);
    assert_eq!(board.leds_on_lines(&[]).unwrap(), Leds::none());
    // Every line maps back to its LED.
    let all: Vec<u32> = Matrix::TALK_LINES.to_vec();
    assert_eq!(board.leds_on_lines(&all).unwrap(), board.all());
    // The smiley's mouths.
    assert_eq!(board.leds_on_lines(&[6, 16, 7, 24, 15]).unwrap(), board.row(3));
    assert_eq!(
        board.leds_on_lines(&[13, 16, 7, 24, 14]).unwrap().as_slice(),
        &[20, 16, 17, 18, 24]
    );
}

#[test]
fn leds_on_lines_errors_say_what_the_board_has() {
    let err = Matrix::talk().leds_on_lines(&[10, 26, 40]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line offset 26 is not on this board; its lines are 0-18, 20, 22-25, 27"
    );
    let err = Matrix::new(5, 5).leds_on_lines(&[10]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "this matrix has no GPIO line map; give it one with `Matrix::with_lines`"
    );
    let pair = Matrix::new(1, 2).with_lines(vec![7, 8]).unwrap();
    assert_eq!(
        pair.leds_on_lines(&[9]).unwrap_err().to_string(),
        "line offset 9 is not on this board; its lines are 7, 8"
    );
}

#[test]
fn with_lines_checks_the_map() {
    let m = Matrix::new(2, 2).with_lines(vec![5, 6, 7, 8]).unwrap();
    assert_eq!(m.lines(), Some(&[5, 6, 7, 8][..]));
    assert_eq!(m.leds_on_lines(&[8, 5]).unwrap().as_slice(), &[3, 0]);

    // Longer is fine: the output may have LEDs outside the matrix.
    let m = Matrix::new(1, 2).with_lines(vec![1, 2, 3]).unwrap();
    assert_eq!(m.leds_on_lines(&[3]).unwrap().as_slice(), &[2]);

    let err = Matrix::new(2, 2).with_lines(vec![5, 6, 7]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "3 line offsets were given, but the matrix uses output indices up to 3, so it needs \
         at least 4: one per output index, in output order"
    );
    let err = Matrix::new(2, 2).with_lines(vec![5, 6, 7, 6]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line offset 6 is given for both output index 1 and output index 3; each LED needs \
         its own line"
    );
}

#[test]
fn from_indices_takes_any_wiring() {
    // A serpentine 2x3: the second row runs backwards.
    let m = Matrix::from_indices(2, 3, vec![0, 1, 2, 5, 4, 3]).unwrap();
    assert_eq!(m.row(1).as_slice(), &[5, 4, 3]);
    assert_eq!(m.col(2).as_slice(), &[2, 3]);
    assert_eq!(m.at(1, 0), 5);
    assert_eq!(m.outer_ring().as_slice(), &[0, 1, 2, 3, 4, 5]);
    assert_eq!(m.pattern("#..\n#..").unwrap().as_slice(), &[0, 5]);
    assert_eq!(m.to_string(), "0 1 2\n5 4 3\n");

    // A matrix at an offset in a longer strip.
    let m = Matrix::from_indices(1, 3, vec![10, 11, 12]).unwrap();
    assert_eq!(
        m.clone().with_lines(vec![0; 3]).unwrap_err().to_string(),
        "3 line offsets were given, but the matrix uses output indices up to 12, so it needs \
         at least 13: one per output index, in output order"
    );
}

#[test]
fn from_indices_errors_name_the_numbers() {
    let err = Matrix::from_indices(2, 3, vec![0, 1, 2, 3, 4]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a 2x3 matrix needs 6 output indices, one per cell in row-major order, but 5 were given"
    );
    let err = Matrix::from_indices(2, 3, vec![0, 1, 2, 3, 4, 1]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "output index 1 is given for both cell (0, 1) and cell (1, 2); give each cell its own LED"
    );
}

#[test]
fn transpose_swaps_rows_and_columns() {
    let board = Matrix::talk();
    let t = board.transpose();
    assert_eq!((t.rows(), t.cols()), (5, 5));
    for i in 0..5 {
        assert_eq!(t.row(i), board.col(i));
        assert_eq!(t.col(i), board.row(i));
    }
    // Lines stay with their LEDs.
    assert_eq!(t.lines(), board.lines());
    assert_eq!(talk_lines(&t.row(0)), [11, 0, 5, 6, 13]);
    assert_eq!(t.leds_on_lines(&[10, 4]).unwrap().as_slice(), &[1, 3]);
    assert_eq!(t.backslash(), board.backslash());
    assert_eq!(t.transpose(), board);

    let m = Matrix::new(2, 3).transpose();
    assert_eq!((m.rows(), m.cols()), (3, 2));
    assert_eq!(m.all().as_slice(), &[0, 3, 1, 4, 2, 5]);
    assert_eq!(m.at(2, 1), 5);
}

#[test]
fn rings_of_any_shape() {
    let m = Matrix::new(4, 6);
    assert_eq!(m.ring_count(), 2);
    assert_eq!(m.ring(0).as_slice(), &[0, 1, 2, 3, 4, 5, 11, 17, 23, 22, 21, 20, 19, 18, 12, 6]);
    assert_eq!(m.ring(1).as_slice(), &[7, 8, 9, 10, 16, 15, 14, 13]);

    // One row, one column, one cell.
    assert_eq!(Matrix::new(1, 4).outer_ring().as_slice(), &[0, 1, 2, 3]);
    assert_eq!(Matrix::new(3, 1).outer_ring().as_slice(), &[0, 1, 2]);
    assert_eq!(Matrix::new(1, 1).outer_ring().as_slice(), &[0]);
    assert_eq!(Matrix::new(2, 2).outer_ring().as_slice(), &[0, 1, 3, 2]);

    // Every cell is on exactly one ring.
    for (rows, cols) in [(5, 5), (4, 6), (7, 3), (6, 6), (1, 9)] {
        let m = Matrix::new(rows, cols);
        let mut seen: Vec<usize> = (0..m.ring_count()).flat_map(|k| m.ring(k).to_vec()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..rows * cols).collect::<Vec<_>>(), "{rows}x{cols}");
    }
}

#[test]
fn diagonals_of_a_square() {
    let m = Matrix::new(4, 4);
    assert_eq!(m.backslash().as_slice(), &[0, 5, 10, 15]);
    assert_eq!(m.slash().as_slice(), &[12, 9, 6, 3]);
    assert_eq!(Matrix::new(1, 1).slash().as_slice(), &[0]);
}

#[test]
#[should_panic(expected = "the slash diagonal needs a square matrix, and this one is 2x3")]
fn slash_of_a_rectangle_panics() {
    Matrix::new(2, 3).slash();
}

#[test]
#[should_panic(expected = "the backslash diagonal needs a square matrix, and this one is 3x2")]
fn backslash_of_a_rectangle_panics() {
    Matrix::new(3, 2).backslash();
}

#[test]
#[should_panic(expected = "row 7 is out of range for the 5x5 matrix (it has 5 rows: 0..5)")]
fn row_out_of_range_panics() {
    Matrix::talk().row(7);
}

#[test]
#[should_panic(expected = "column 3 is out of range for the 2x3 matrix (it has 3 columns: 0..3)")]
fn col_out_of_range_panics() {
    Matrix::new(2, 3).col(3);
}

#[test]
#[should_panic(expected = "cell (9, 0) is outside the 5x5 matrix (rows 0..5, columns 0..5)")]
fn at_out_of_range_panics() {
    Matrix::talk().at(9, 0);
}

#[test]
#[should_panic(expected = "ring 1 is out of range for the 2x7 matrix (it has 1 ring: 0..1)")]
fn inner_ring_of_a_thin_matrix_panics() {
    Matrix::new(2, 7).inner_ring();
}

#[test]
fn pattern_reads_text_art() {
    let board = Matrix::talk();
    let smiley = board
        .pattern(
            "
            .#.#.
            .....
            #...#
            .###.
            .....
            ",
        )
        .unwrap();
    let mut expected = talk_lines(&smiley);
    expected.sort_unstable();
    assert_eq!(smiley.as_slice(), &[1, 3, 10, 14, 16, 17, 18]);
    // Eyes 10 and 4, smile mouth 5 16 7 24 18.
    assert_eq!(expected, [4, 5, 7, 10, 16, 18, 24]);

    // Spaced out, other marks, no indentation, unindented first line: the same.
    let spaced = board.pattern(". X . * .\n. . . . .\n# . . . #\n. # # # .\n. . . . .\n").unwrap();
    assert_eq!(spaced, smiley);

    // Row-major whatever the wiring.
    let m = Matrix::from_indices(2, 2, vec![3, 2, 1, 0]).unwrap();
    assert_eq!(m.pattern("##\n.#").unwrap().as_slice(), &[3, 2, 0]);
    assert_eq!(m.pattern("..\n..").unwrap(), Leds::none());
}

#[test]
fn pattern_errors_point_at_the_text() {
    let board = Matrix::talk();
    let err = board.pattern("\n  #...#\n  ..o..\n").unwrap_err();
    assert_eq!(err, PatternError::UnknownChar { line: 3, column: 5, found: 'o' });
    assert_eq!(
        err.to_string(),
        "line 3, column 5: 'o' is not an LED; draw `#`, `X` or `*` for a lit LED and `.` for a \
         dark one"
    );

    let err = board.pattern("#...#\n#...\n").unwrap_err();
    assert_eq!(err, PatternError::RowLength { line: 2, row: 1, found: 4, expected: 5 });
    assert_eq!(
        err.to_string(),
        "line 2 (row 1) has 4 LEDs but the matrix has 5 columns; draw one character per LED"
    );

    let err = board.pattern("\n#...#\n.....\n\n").unwrap_err();
    assert_eq!(err, PatternError::RowCount { found: 2, expected: 5 });
    assert_eq!(
        err.to_string(),
        "the pattern has 2 rows but the matrix has 5; draw one line per row"
    );

    // A blank line between rows is a row without LEDs.
    let err = board.pattern("#...#\n\n#...#\n#...#\n#...#\n#...#").unwrap_err();
    assert_eq!(err, PatternError::RowLength { line: 2, row: 1, found: 0, expected: 5 });

    let err = board.pattern("#...#\n#...#\n#...#\n#...#\n#...#\n#...#").unwrap_err();
    assert_eq!(err, PatternError::RowCount { found: 6, expected: 5 });
}

#[test]
fn display_draws_indices_or_lines() {
    let board = Matrix::talk();
    assert_eq!(
        board.to_string(),
        " 0  1  2  3  4\n 5  6  7  8  9\n10 11 12 13 14\n15 16 17 18 19\n20 21 22 23 24\n"
    );
    assert_eq!(
        format!("{board:#}"),
        "11 10 27  4  2\n 0  9 22 17  3\n 5 20  1 25 18\n 6 16  7 24 15\n13 12  8 23 14\n"
    );
    // Without lines the alternate form is the same as the plain one.
    assert_eq!(format!("{:#}", Matrix::new(1, 3)), "0 1 2\n");
}

#[test]
fn groups_drive_the_talk_board() {
    // The smiley demo's shape: eyes held, mouth switching between smile and straight.
    let board = Matrix::talk();
    let eyes = board.leds_on_lines(&[10, 4]).unwrap();
    let smile = board.leds_on_lines(&[5, 16, 7, 24, 18]).unwrap();
    let straight = board.row(3);
    let mouth = forever(sequence((on(smile).timeout(ms(500)), on(straight).timeout(ms(500)))));
    let program = any((on(eyes), mouth, wait(secs(1))));
    let (end, recorder) = common::run(board.len(), &program);
    assert_eq!(end, common::at_ms(1000));
    recorder.assert_timeline(
        "
        0.000000 .#.#. ..... #...# .###. .....
        0.500000 .#.#. ..... ..... ##### .....
        1.000000 ..... ..... ..... ..... .....
        ",
    );
}

#[test]
fn matrix_auto_traits_and_comparisons() {
    fn value<T: Send + Sync + Clone + Eq + std::fmt::Debug>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    value::<Matrix>();
    value::<PatternError>();
    error::<PatternError>();
    error::<blinken::RunError<std::io::Error>>();
    assert_eq!(Matrix::talk(), Matrix::talk().clone());
    assert_ne!(Matrix::talk(), Matrix::new(5, 5));
}
