//! A terminal simulator: the LEDs drawn in an ANSI terminal, redrawn in place.

use core::fmt::{self, Write as _};
use core::marker::PhantomData;
use std::io::{self, Stdout, Write};

use super::{Frame, Output};
use crate::{Instant, Matrix, Pixel, RGB8};

/// The colour of a lit `bool` LED: a red LED.
const LIT: RGB8 = RGB8::new(255, 48, 40);
/// The colour of a dark LED of any pixel type: dim grey, like an unlit LED.
const DARK: RGB8 = RGB8::new(64, 64, 64);

const HIDE_CURSOR: &str = "\x1b[?25l";
const SHOW_CURSOR: &str = "\x1b[?25h";
const RESET: &str = "\x1b[0m";
const CLEAR_TO_END_OF_LINE: &str = "\x1b[K";
const LED: char = '●';

/// How a [`Terminal`] colours a pixel value.
///
/// Implemented for `bool` (a red LED) and [`RGB8`] (the colour itself, in 24-bit
/// "truecolour"); implement it to draw your own pixel type. Dark pixels
/// ([`Pixel::is_on`] false) are always drawn in dim grey, whatever this returns.
///
pub trait Shade {
    /// The colour to draw a lit LED showing this value.
    fn rgb(&self) -> RGB8;
}

/// `true` is a red LED, `RGB8::new(255, 48, 40)`; `false` dim grey.
impl Shade for bool {
    fn rgb(&self) -> RGB8 {
        if *self { LIT } else { DARK }
    }
}

/// The colour itself.
impl Shade for RGB8 {
    fn rgb(&self) -> RGB8 {
        *self
    }
}

/// An [`Output`] that draws the LEDs as a grid of coloured dots in an ANSI terminal:
/// a simulator for running programs without hardware.
///
/// The first write hides the cursor and prints the grid (one `●` per LED, coloured
/// with a 24-bit colour escape, LEDs separated by a space) and, unless turned off with
/// [`Terminal::show_time`], a status line with the frame's time (seconds since the
/// first frame, as the [`Recorder`](crate::Recorder) prints them). Every later write
/// moves the cursor back up to the grid's first line and draws over it: the whole
/// frame is assembled in one reused buffer and sent with a single `write_all` and
/// `flush`, and the screen is never cleared, so nothing flickers.
///
/// Dropping the terminal (or [`Terminal::into_writer`]) shows the cursor again; the
/// cursor is then on the line below the grid.
///
/// The pixel type is `bool` unless changed with [`Terminal::with_pixel_type`]; any
/// [`Pixel`] that implements `Shade` can be drawn.
///
/// # Errors
///
/// A write reports the writer's [`io::Error`] (a closed stdout, a full disk), which
/// the driver returns as [`RunError::Output`](crate::RunError::Output).
///
/// # Examples
///
/// ```
/// use blinken::prelude::*;
///
/// let mut driver = Driver::new(Terminal::with_writer(Vec::new(), 1, 2), VirtualClock::new());
/// driver.run(&blink(0, ms(500)).times(1)).unwrap();
/// let shown = String::from_utf8(driver.into_output().into_writer()).unwrap();
/// let red = "\x1b[38;2;255;48;40m●";
/// let grey = "\x1b[38;2;64;64;64m●";
/// assert_eq!(
///     shown,
///     format!(
///         "\x1b[?25l{red} {grey}\x1b[0m\nt=0.000000\x1b[K\n\
///          \x1b[2A\r{grey} {grey}\x1b[0m\nt=0.500000\x1b[K\n\
///          \x1b[?25h"
///     ),
/// );
/// ```
///
/// On a real terminal, with the real clock (`no_run`: it takes three seconds):
///
/// ```no_run
/// use blinken::prelude::*;
///
/// let board = Matrix::talk();
/// let mut driver = Driver::new(Terminal::for_matrix(&board), SystemClock::new());
/// driver.run(&any((blink(board.outer_ring(), ms(200)), wait(secs(3))))).unwrap();
/// ```
pub struct Terminal<P = bool, W: Write = Stdout> {
    /// `None` only while being taken apart (`into_writer`, `with_pixel_type`, ...).
    writer: Option<W>,
    rows: usize,
    cols: usize,
    /// The output index drawn at each cell, row-major.
    layout: Box<[usize]>,
    len: usize,
    show_time: bool,
    /// The instant of the first frame: the status line counts from it.
    origin: Option<Instant>,
    /// Bytes may have gone out, so the cursor may be hidden.
    cursor_hidden: bool,
    /// Lines of the last complete drawing, above the cursor (0: nothing to draw over).
    drawn_lines: usize,
    buffer: String,
    pixel: PhantomData<fn() -> P>,
}

impl Terminal<bool, Stdout> {
    /// A `rows × cols` grid of on/off LEDs on standard output; LED `i` is drawn at
    /// row-major position `i`.
    ///
    /// # Panics
    ///
    /// When `rows × cols` overflows `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let terminal = Terminal::new(2, 8).show_time(false);
    /// assert_eq!(terminal.len(), 16);
    /// // Nothing is drawn (and the cursor is left alone) until the first frame.
    /// drop(terminal);
    /// ```
    pub fn new(rows: usize, cols: usize) -> Terminal<bool, Stdout> {
        Terminal::with_writer(io::stdout(), rows, cols)
    }

    /// A grid of the same shape and wiring as `matrix` on standard output: each LED is
    /// drawn at its cell, so a serpentine strip looks like the picture, not like the
    /// wire. The output has one LED per output index up to the matrix's highest.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let terminal = Terminal::for_matrix(&Matrix::talk());
    /// assert_eq!(terminal.len(), 25);
    /// ```
    pub fn for_matrix(matrix: &Matrix) -> Terminal<bool, Stdout> {
        let layout: Box<[usize]> = matrix.all().as_slice().into();
        let len = layout.iter().max().map_or(0, |&max| max + 1);
        Terminal::build(io::stdout(), matrix.rows(), matrix.cols(), layout, len)
    }
}

impl<W: Write> Terminal<bool, W> {
    /// A `rows × cols` grid of on/off LEDs written to `writer` (a `Vec<u8>` in tests,
    /// `std::io::stderr()`, ...); LED `i` is drawn at row-major position `i`.
    ///
    /// # Panics
    ///
    /// When `rows × cols` overflows `usize`.
    pub fn with_writer(writer: W, rows: usize, cols: usize) -> Terminal<bool, W> {
        let len = rows.checked_mul(cols).unwrap_or_else(|| {
            panic!("a {rows}x{cols} terminal grid has more LEDs than memory can hold")
        });
        Terminal::build(writer, rows, cols, (0..len).collect(), len)
    }
}

impl<P, W: Write> Terminal<P, W> {
    fn build(writer: W, rows: usize, cols: usize, layout: Box<[usize]>, len: usize) -> Self {
        Terminal {
            writer: Some(writer),
            rows,
            cols,
            layout,
            len,
            show_time: true,
            origin: None,
            cursor_hidden: false,
            drawn_lines: 0,
            buffer: String::new(),
            pixel: PhantomData,
        }
    }

    /// Whether to print the status line with the frame's time under the grid
    /// (default: yes).
    #[must_use]
    pub fn show_time(mut self, show: bool) -> Self {
        self.show_time = show;
        self
    }

    /// Draws pixels of type `Q` instead: `Terminal::new(1, 11).with_pixel_type::<RGB8>()`
    /// shows an RGB strip.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let terminal = Terminal::with_writer(Vec::new(), 1, 2).with_pixel_type::<RGB8>();
    /// let mut driver = Driver::new(terminal.show_time(false), VirtualClock::new());
    /// driver.run(&blink(1, ms(100)).times(1).color(RGB8::new(0, 128, 255))).unwrap();
    /// let shown = String::from_utf8(driver.into_output().into_writer()).unwrap();
    /// assert!(shown.starts_with("\x1b[?25l\x1b[38;2;64;64;64m● \x1b[38;2;0;128;255m●\x1b[0m\n"));
    /// ```
    #[must_use]
    pub fn with_pixel_type<Q>(mut self) -> Terminal<Q, W> {
        let writer = self.writer.take();
        let (cursor_hidden, drawn_lines) = (self.cursor_hidden, self.drawn_lines);
        self.rebuild(writer, cursor_hidden, drawn_lines)
    }

    /// Draws to `writer` instead, from scratch (after showing the cursor again on the
    /// old writer if anything was drawn there): `Terminal::for_matrix(&m).redirect(
    /// std::io::stderr())`.
    #[must_use]
    pub fn redirect<V: Write>(mut self, writer: V) -> Terminal<P, V> {
        self.restore_cursor();
        self.rebuild(Some(writer), false, 0)
    }

    /// The same terminal with another pixel type or writer; `self` is left empty, so
    /// its `Drop` does nothing.
    fn rebuild<Q, V: Write>(
        &mut self,
        writer: Option<V>,
        cursor_hidden: bool,
        drawn_lines: usize,
    ) -> Terminal<Q, V> {
        Terminal {
            writer,
            rows: self.rows,
            cols: self.cols,
            layout: core::mem::take(&mut self.layout),
            len: self.len,
            show_time: self.show_time,
            origin: self.origin,
            cursor_hidden,
            drawn_lines,
            buffer: core::mem::take(&mut self.buffer),
            pixel: PhantomData,
        }
    }

    /// The writer, for instance to look at the bytes written so far.
    pub fn writer(&self) -> &W {
        self.writer.as_ref().expect("the writer is only taken when the terminal is consumed")
    }

    /// Shows the cursor again (as dropping does) and gives the writer back.
    ///
    /// Errors writing that last escape are ignored, as in `Drop`.
    pub fn into_writer(mut self) -> W {
        self.restore_cursor();
        self.writer.take().expect("the writer is only taken when the terminal is consumed")
    }

    /// Shows the cursor again if a drawing may have hidden it; errors are ignored (the
    /// terminal is going away).
    fn restore_cursor(&mut self) {
        if let Some(writer) = self.writer.as_mut().filter(|_| self.cursor_hidden) {
            let _ = writer.write_all(SHOW_CURSOR.as_bytes()).and_then(|()| writer.flush());
            self.cursor_hidden = false;
        }
    }
}

impl<P: Pixel + Shade, W: Write> Output for Terminal<P, W> {
    type Pixel = P;
    type Error = io::Error;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, P>) -> io::Result<()> {
        let origin = *self.origin.get_or_insert(frame.at);
        let buffer = &mut self.buffer;
        buffer.clear();
        if self.drawn_lines > 0 {
            // Back to the first line of the grid, first column.
            let _ = write!(buffer, "\x1b[{}A\r", self.drawn_lines);
        } else {
            buffer.push_str(HIDE_CURSOR);
        }
        let mut lines = 0;
        if self.cols > 0 {
            for row in self.layout.chunks(self.cols) {
                for (col, &index) in row.iter().enumerate() {
                    if col > 0 {
                        buffer.push(' ');
                    }
                    // The driver always sends `len()` pixels; a short frame shows dark LEDs.
                    let pixel = frame.pixels.get(index).copied().unwrap_or(P::OFF);
                    let RGB8 { r, g, b } = if pixel.is_on() { pixel.rgb() } else { DARK };
                    let _ = write!(buffer, "\x1b[38;2;{r};{g};{b}m{LED}");
                }
                buffer.push_str(RESET);
                buffer.push('\n');
                lines += 1;
            }
        }
        if self.show_time {
            let elapsed = Instant::ZERO + (frame.at - origin);
            let _ = writeln!(buffer, "t={elapsed}{CLEAR_TO_END_OF_LINE}");
            lines += 1;
        }
        let writer =
            self.writer.as_mut().expect("the writer is only taken when the terminal is consumed");
        self.cursor_hidden = true;
        // Until the bytes are out, where the cursor stands is unknown: after a failed
        // write the next one draws afresh rather than over lines that may not be there.
        self.drawn_lines = 0;
        writer.write_all(buffer.as_bytes())?;
        self.drawn_lines = lines;
        writer.flush()
    }
}

impl<P, W: Write> Drop for Terminal<P, W> {
    fn drop(&mut self) {
        self.restore_cursor();
    }
}

impl<P, W: Write> fmt::Debug for Terminal<P, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Terminal")
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .field("len", &self.len)
            .field("show_time", &self.show_time)
            .field("drawn_lines", &self.drawn_lines)
            .finish_non_exhaustive()
    }
}
