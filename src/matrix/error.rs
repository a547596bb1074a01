//! What can go wrong building a [`Matrix`] or looking up its lines.

#[cfg(doc)]
use super::Matrix;

/// A [`Matrix`] could not be built, or a line offset could not be found on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// [`Matrix::from_indices`] was given the wrong number of output indices.
    #[error(
        "a {rows}x{cols} matrix needs {expected} output indices, one per cell in row-major \
         order, but {found} were given"
    )]
    IndexCount {
        /// Rows of the matrix.
        rows: usize,
        /// Columns of the matrix.
        cols: usize,
        /// `rows × cols`.
        expected: usize,
        /// How many indices were given.
        found: usize,
    },
    /// [`Matrix::from_indices`] was given one output index for two cells.
    #[error(
        "output index {index} is given for both cell {first:?} and cell {second:?}; \
         give each cell its own LED"
    )]
    DuplicateIndex {
        /// The repeated output index.
        index: usize,
        /// The first cell `(row, col)` wired to it.
        first: (usize, usize),
        /// The second cell `(row, col)` wired to it.
        second: (usize, usize),
    },
    /// [`Matrix::with_lines`] was given fewer line offsets than the matrix has output
    /// indices.
    #[error(
        "{found} line offsets were given, but the matrix uses output indices up to {}, so it \
         needs at least {needed}: one per output index, in output order",
        .needed - 1
    )]
    LineCount {
        /// How many offsets are needed (the highest output index plus one).
        needed: usize,
        /// How many were given.
        found: usize,
    },
    /// [`Matrix::with_lines`] was given one line offset for two output indices.
    #[error(
        "line offset {line} is given for both output index {first} and output index \
         {second}; each LED needs its own line"
    )]
    DuplicateLine {
        /// The repeated line offset.
        line: u32,
        /// The first output index given that line.
        first: usize,
        /// The second output index given that line.
        second: usize,
    },
    /// [`Matrix::leds_on_lines`] was called on a matrix without line offsets.
    #[error("this matrix has no GPIO line map; give it one with `Matrix::with_lines`")]
    NoLines,
    /// [`Matrix::leds_on_lines`] was given a line offset that no LED is wired to.
    #[error("line offset {line} is not on this board; {}", describe_lines(.available))]
    UnknownLine {
        /// The offset asked for.
        line: u32,
        /// The offsets the board has, ascending.
        available: Vec<u32>,
    },
}

/// `0-18, 20, 22-25, 27` for a sorted list of offsets.
fn describe_lines(lines: &[u32]) -> String {
    if lines.is_empty() {
        return "it has no lines".to_owned();
    }
    let mut out = String::from("its lines are ");
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        if start != lines[0] {
            out.push_str(", ");
        }
        match end - start {
            0 => out.push_str(&start.to_string()),
            1 => out.push_str(&format!("{start}, {end}")),
            _ => out.push_str(&format!("{start}-{end}")),
        }
        i += 1;
    }
    out
}
