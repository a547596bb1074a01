//! A terminal simulator: the LEDs drawn in an ANSI terminal, redrawn in place.

use core::fmt::{self, Write as _};
use core::marker::PhantomData;
use core::sync::atomic::{AtomicU64, Ordering};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Stdout, Write};
use std::sync::Once;

use super::apa102::Dot;
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
/// Every LED in the colour modes; the lit LEDs of [`ColorMode::Plain`] at full brightness.
const LED: char = '●';
/// [`ColorMode::Plain`]: a dark LED, then lit ones by brightness (up to a third, up to
/// two thirds, more).
const PLAIN_DARK: char = '·';
const PLAIN_LIT: [char; 3] = ['○', '◐', LED];

/// How many times something other than a terminal wrote to the screen (a panic
/// message, [`Terminal::note_foreign_output`]); terminals that watch it draw afresh
/// below such output instead of over it.
static FOREIGN_OUTPUT: AtomicU64 = AtomicU64::new(0);
static PANIC_HOOK: Once = Once::new();

/// How a [`Terminal`] shows colour: what the terminal it draws on understands.
///
/// [`Terminal::new`] and [`Terminal::for_matrix`] detect it for standard output with
/// [`ColorMode::detect`]; [`Terminal::with_writer`] uses [`ColorMode::TrueColor`];
/// [`Terminal::color_mode`] sets it.
///
/// # Examples
///
/// ```
/// use blinken::output::ColorMode;
/// use std::ffi::OsString;
///
/// // The environment as a list of variables, for the example.
/// let env = |vars: &'static [(&'static str, &'static str)]| {
///     move |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| OsString::from(v))
/// };
/// let tty = true;
/// assert_eq!(ColorMode::from_env(tty, env(&[("COLORTERM", "truecolor")])), ColorMode::TrueColor);
/// assert_eq!(ColorMode::from_env(tty, env(&[("TERM", "xterm-256color")])), ColorMode::Ansi256);
/// assert_eq!(ColorMode::from_env(tty, env(&[("COLORTERM", "truecolor"), ("NO_COLOR", "1")])), ColorMode::Plain);
/// assert_eq!(ColorMode::from_env(tty, env(&[("TERM", "dumb")])), ColorMode::Plain);
/// // Not a terminal (a pipe, a file): glyphs only.
/// assert_eq!(ColorMode::from_env(false, env(&[("COLORTERM", "truecolor")])), ColorMode::Plain);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ColorMode {
    /// 24-bit colour (`ESC[38;2;R;G;Bm●`): each LED in its own colour.
    TrueColor,
    /// The xterm 256-colour palette (`ESC[38;5;Nm●`): each LED in the nearest colour
    /// of the palette's 6×6×6 cube and grey ramp.
    Ansi256,
    /// No colour at all, for `NO_COLOR`, dumb terminals and captures: a dark LED is
    /// `·`, a lit one `○`, `◐` or `●` as its brightest channel is up to a third, up to
    /// two thirds, or more of full (so a dimmed LED looks dimmer).
    Plain,
}

impl ColorMode {
    /// The mode for a stream that `is_terminal` (or not), given the environment
    /// variables `var` looks up (`|name| std::env::var_os(name)`):
    ///
    /// 1. not a terminal, `NO_COLOR` set and non-empty (<https://no-color.org>), or
    ///    `TERM=dumb`: [`ColorMode::Plain`];
    /// 2. `COLORTERM=truecolor` or `COLORTERM=24bit`: [`ColorMode::TrueColor`];
    /// 3. any other terminal: [`ColorMode::Ansi256`].
    ///
    /// Pure: it reads nothing but its arguments.
    pub fn from_env(is_terminal: bool, var: impl Fn(&str) -> Option<OsString>) -> ColorMode {
        let set = |name: &str| var(name).filter(|value| !value.is_empty());
        if !is_terminal || set("NO_COLOR").is_some() || var("TERM").is_some_and(|t| t == "dumb") {
            return ColorMode::Plain;
        }
        match set("COLORTERM") {
            Some(c) if c.eq_ignore_ascii_case("truecolor") || c.eq_ignore_ascii_case("24bit") => {
                ColorMode::TrueColor
            }
            _ => ColorMode::Ansi256,
        }
    }

    /// The mode for `stream` in this process's environment:
    /// [`ColorMode::from_env`] with `stream.is_terminal()` and [`std::env::var_os`].
    ///
    /// ```
    /// use blinken::output::ColorMode;
    ///
    /// let mode = ColorMode::detect(&std::io::stderr());
    /// if std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty()) {
    ///     assert_eq!(mode, ColorMode::Plain);
    /// }
    /// ```
    pub fn detect(stream: &impl IsTerminal) -> ColorMode {
        ColorMode::from_env(stream.is_terminal(), |name| std::env::var_os(name))
    }
}

/// How a [`Terminal`] colours a pixel value.
///
/// Implemented for `bool` (a red LED), [`RGB8`] (the colour itself) and
/// [`Dot`] (its colour dimmed by its 5-bit brightness, as the strip shows it);
/// implement it to draw your own pixel type. Dark pixels ([`Pixel::is_on`] false) are
/// always drawn in dim grey, whatever this returns.
pub trait Shade {
    /// The colour a lit LED showing this value gives.
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

/// The colour scaled by the 5-bit brightness, rounded down: `c × brightness / 31`
/// (31 and above is full), which is how much light the LED gives.
///
/// ```
/// use blinken::RGB8;
/// use blinken::output::Shade;
/// use blinken::output::apa102::Dot;
///
/// assert_eq!(Dot::new(RGB8::new(255, 62, 0), 31).rgb(), RGB8::new(255, 62, 0));
/// assert_eq!(Dot::new(RGB8::new(255, 62, 0), 4).rgb(), RGB8::new(32, 8, 0));
/// ```
impl Shade for Dot {
    fn rgb(&self) -> RGB8 {
        let level = u16::from(self.brightness.min(Dot::MAX_BRIGHTNESS));
        let dim = |c: u8| {
            u8::try_from(u16::from(c) * level / u16::from(Dot::MAX_BRIGHTNESS)).expect("at most c")
        };
        RGB8::new(dim(self.color.r), dim(self.color.g), dim(self.color.b))
    }
}

/// An [`Output`] that draws the LEDs as a grid of dots in an ANSI terminal: a
/// simulator for running programs without hardware.
///
/// The first write hides the cursor and prints the grid (one `●` per LED, LEDs
/// separated by a space) and, unless turned off with [`Terminal::show_time`], a status
/// line with the frame's time (seconds since the first frame, as the
/// [`Recorder`](crate::output::Recorder) prints them). Every later write moves the cursor back
/// up to the grid's first line and draws over it: the whole frame is assembled in one
/// reused buffer and sent with a single `write_all` and `flush`, and the screen is
/// never cleared, so nothing flickers. Each line ends by clearing the rest of it.
///
/// # What it shows
///
/// - **Colour**, as the [`ColorMode`] allows: 24-bit colour, the nearest of the
///   256-colour palette, or, with no colour at all, glyphs (`·` dark, `○ ◐ ●` lit).
///   [`Terminal::new`] detects the mode from the environment (`NO_COLOR`,
///   `COLORTERM`, `TERM`, whether standard output is a terminal).
/// - **Brightness**, as a strip would show it: a [`Dot`]'s 5-bit brightness dims its
///   colour ([`Shade`]), and a global brightness ([`Terminal::brightness`]) dims every
///   LED as an APA102 encoder's global brightness does.
///
/// # Other output on the screen
///
/// A terminal that watches for foreign output (the default for [`Terminal::new`] and
/// [`Terminal::for_matrix`], see [`Terminal::watch_foreign_output`]) draws its next
/// frame afresh *below* anything else printed since its last frame, instead of moving
/// up over it, so such text stays readable. It learns of that output from a panic (on
/// its first frame it adds a panic hook that notes the panic, then calls the hook that
/// was there: a panic message from an animation under a [`Player`](crate::Player) is
/// kept above the grid) and from [`Terminal::note_foreign_output`], which a program
/// calls after printing while the simulator plays. (A panic hook set later replaces
/// that one; call `note_foreign_output` from it.)
///
/// Dropping the terminal (or [`Terminal::into_writer`]) shows the cursor again; the
/// cursor is then on the line below the grid.
///
/// The pixel type is `bool` unless changed with [`Terminal::with_pixel_type`]; any
/// [`Pixel`] that implements [`Shade`] can be drawn.
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
///         "\x1b[?25l{red} {grey}\x1b[0m\x1b[K\nt=0.000000\x1b[K\n\
///          \x1b[2A\r{grey} {grey}\x1b[0m\x1b[K\nt=0.500000\x1b[K\n\
///          \x1b[?25h"
///     ),
/// );
/// ```
///
/// Without colour, at a third of full brightness:
///
/// ```
/// use blinken::prelude::*;
/// use blinken::output::ColorMode;
///
/// let terminal = Terminal::with_writer(Vec::new(), 1, 3)
///     .color_mode(ColorMode::Plain)
///     .brightness(0.34)
///     .show_time(false);
/// let mut driver = Driver::new(terminal, VirtualClock::new());
/// driver.run(&on([0, 2]).timeout(ms(10))).unwrap();
/// let shown = String::from_utf8(driver.into_output().into_writer()).unwrap();
/// assert!(shown.starts_with("\x1b[?25l◐ · ◐\x1b[K\n"), "{shown:?}");
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
    mode: ColorMode,
    /// The global brightness, `0.0..=1.0`.
    brightness: f64,
    /// Whether to draw afresh below foreign output (see `FOREIGN_OUTPUT`).
    watch_foreign: bool,
    /// The `FOREIGN_OUTPUT` count at the last frame.
    foreign_seen: u64,
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
    /// row-major position `i`. The colour mode is [detected](ColorMode::detect) for
    /// standard output, and the terminal [watches for foreign
    /// output](Terminal::watch_foreign_output).
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
        Terminal::with_writer(io::stdout(), rows, cols).on_stdout()
    }

    /// A grid of the same shape and wiring as `matrix` on standard output: each LED is
    /// drawn at its cell, so a serpentine strip looks like the picture, not like the
    /// wire. The output has one LED per output index up to the matrix's highest. As
    /// [`Terminal::new`], the colour mode is detected and foreign output watched for.
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
        Terminal::build(io::stdout(), matrix.rows(), matrix.cols(), layout, len).on_stdout()
    }

    /// Standard output's colour mode, and watching for foreign output.
    fn on_stdout(self) -> Self {
        let mode = ColorMode::detect(&io::stdout());
        self.color_mode(mode).watch_foreign_output(true)
    }

    /// Tells every terminal that watches for foreign output that something else was
    /// printed on the screen: each draws its next frame afresh, below that text,
    /// instead of over it.
    ///
    /// Call it after printing (to standard output or standard error) while a
    /// simulator plays; a panic does it by itself (see [Other output on the
    /// screen](Terminal#other-output-on-the-screen)).
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::output::Frame;
    ///
    /// let mut terminal = Terminal::with_writer(Vec::new(), 1, 1)
    ///     .show_time(false)
    ///     .watch_foreign_output(true);
    /// terminal.write(Frame { pixels: &[true], changed: &[0], at: Instant::ZERO }).unwrap();
    /// eprintln!("something else speaks");
    /// Terminal::note_foreign_output();
    /// terminal.write(Frame { pixels: &[false], changed: &[0], at: Instant::ZERO }).unwrap();
    /// let shown = String::from_utf8(terminal.into_writer()).unwrap();
    /// // The second frame is drawn afresh (no move up over the message).
    /// assert!(!shown.contains("\x1b[1A"), "{shown:?}");
    /// ```
    pub fn note_foreign_output() {
        FOREIGN_OUTPUT.fetch_add(1, Ordering::Relaxed);
    }
}

/// Adds, once per process, a panic hook that notes the panic as foreign output, then
/// calls the hook that was there before (the default one prints the message).
fn note_panics() {
    // Setting a hook while panicking would abort the process: leave it to a later frame.
    if std::thread::panicking() {
        return;
    }
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            Terminal::note_foreign_output();
            previous(info);
        }));
    });
}

impl<W: Write> Terminal<bool, W> {
    /// A `rows × cols` grid of on/off LEDs written to `writer` (a `Vec<u8>` in tests,
    /// `std::io::stderr()`, ...); LED `i` is drawn at row-major position `i`.
    ///
    /// Whatever the environment, it draws in [`ColorMode::TrueColor`] and does not
    /// watch for foreign output; [`Terminal::color_mode`] (with [`ColorMode::detect`])
    /// and [`Terminal::watch_foreign_output`] change that.
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
            mode: ColorMode::TrueColor,
            brightness: 1.0,
            watch_foreign: false,
            foreign_seen: 0,
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

    /// Draws in `mode` (see [`ColorMode`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    /// use blinken::output::ColorMode;
    ///
    /// let terminal = Terminal::with_writer(Vec::new(), 1, 2).color_mode(ColorMode::Ansi256);
    /// let mut driver = Driver::new(terminal.show_time(false), VirtualClock::new());
    /// driver.run(&on(0).timeout(ms(10))).unwrap();
    /// let shown = String::from_utf8(driver.into_output().into_writer()).unwrap();
    /// // The red LED is colour 202 of the palette, the dark one grey 238.
    /// assert!(shown.starts_with("\x1b[?25l\x1b[38;5;202m● \x1b[38;5;238m●\x1b[0m\x1b[K\n"));
    /// ```
    #[must_use]
    pub fn color_mode(mut self, mode: ColorMode) -> Self {
        self.mode = mode;
        self
    }

    /// The colour mode it draws in.
    pub fn get_color_mode(&self) -> ColorMode {
        self.mode
    }

    /// Dims every lit LED as a strip at global brightness `brightness` (`0.0..=1.0`,
    /// default 1.0) shows it: each colour byte becomes `int(c × brightness)`, as the
    /// APA102 encoder's default [`BrightnessMode::Scale`](super::apa102::BrightnessMode::Scale)
    /// sends it. Give it the strip's brightness to see what the strip will show.
    ///
    /// # Panics
    ///
    /// When `brightness` is outside `0.0..=1.0` or NaN, naming it.
    ///
    /// # Examples
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// let terminal = Terminal::with_writer(Vec::new(), 1, 1).with_pixel_type::<RGB8>();
    /// let mut driver = Driver::new(terminal.brightness(0.1).show_time(false), VirtualClock::new());
    /// driver.run(&on(0).color(RGB8::new(255, 128, 0)).timeout(ms(10))).unwrap();
    /// let shown = String::from_utf8(driver.into_output().into_writer()).unwrap();
    /// assert!(shown.starts_with("\x1b[?25l\x1b[38;2;25;12;0m●"), "{shown:?}");
    /// ```
    #[must_use]
    #[track_caller]
    pub fn brightness(mut self, brightness: f64) -> Self {
        assert!(
            (0.0..=1.0).contains(&brightness),
            "terminal brightness {brightness} is outside 0.0..=1.0; use a fraction of full \
             brightness, such as 0.25 for a quarter"
        );
        self.brightness = brightness;
        self
    }

    /// The global brightness.
    pub fn get_brightness(&self) -> f64 {
        self.brightness
    }

    /// Whether to draw afresh below anything else printed on the screen since the last
    /// frame (see [Other output on the screen](Terminal#other-output-on-the-screen));
    /// on for [`Terminal::new`] and [`Terminal::for_matrix`], off for
    /// [`Terminal::with_writer`] and after [`Terminal::redirect`]. Turning it on also
    /// adds the panic hook at the first frame.
    #[must_use]
    pub fn watch_foreign_output(mut self, watch: bool) -> Self {
        self.watch_foreign = watch;
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
    /// assert!(shown.starts_with("\x1b[?25l\x1b[38;2;64;64;64m● \x1b[38;2;0;128;255m●\x1b[0m"));
    /// ```
    #[must_use]
    pub fn with_pixel_type<Q>(mut self) -> Terminal<Q, W> {
        let writer = self.writer.take();
        let (cursor_hidden, drawn_lines) = (self.cursor_hidden, self.drawn_lines);
        let mut terminal = self.rebuild(writer, cursor_hidden, drawn_lines);
        terminal.watch_foreign = self.watch_foreign;
        terminal.mode = self.mode;
        terminal
    }

    /// Draws to `writer` instead, from scratch (after showing the cursor again on the
    /// old writer if anything was drawn there), as [`Terminal::with_writer`] would:
    /// in [`ColorMode::TrueColor`], not watching for foreign output, unless set again.
    /// `Terminal::for_matrix(&m).redirect(std::io::stderr())
    /// .color_mode(ColorMode::detect(&std::io::stderr()))`.
    #[must_use]
    pub fn redirect<V: Write>(mut self, writer: V) -> Terminal<P, V> {
        self.restore_cursor();
        self.rebuild(Some(writer), false, 0)
    }

    /// The same terminal with another pixel type or writer, in true colour and not
    /// watching for foreign output; `self` is left empty, so its `Drop` does nothing.
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
            mode: ColorMode::TrueColor,
            brightness: self.brightness,
            watch_foreign: false,
            foreign_seen: self.foreign_seen,
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

    /// Whether the next frame must be drawn afresh because something else was printed
    /// since the last one; notes the count either way.
    fn foreign_output_since_last_frame(&mut self) -> bool {
        if !self.watch_foreign {
            return false;
        }
        note_panics();
        let count = FOREIGN_OUTPUT.load(Ordering::Relaxed);
        core::mem::replace(&mut self.foreign_seen, count) != count
    }
}

/// Appends one LED: `shown` is the colour of a lit LED, `None` for a dark one.
fn push_led(buffer: &mut String, mode: ColorMode, shown: Option<RGB8>) {
    let RGB8 { r, g, b } = shown.unwrap_or(DARK);
    let _ = match mode {
        ColorMode::TrueColor => write!(buffer, "\x1b[38;2;{r};{g};{b}m{LED}"),
        ColorMode::Ansi256 => write!(buffer, "\x1b[38;5;{}m{LED}", xterm256(RGB8 { r, g, b })),
        ColorMode::Plain => {
            let glyph = match shown {
                None => PLAIN_DARK,
                Some(_) => {
                    PLAIN_LIT[match r.max(g).max(b) {
                        0..=85 => 0,
                        86..=170 => 1,
                        _ => 2,
                    }]
                }
            };
            buffer.push(glyph);
            Ok(())
        }
    };
}

/// The levels of the xterm 256-colour palette's 6×6×6 cube (colours 16 to 231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The xterm 256-colour palette entry nearest to `color` (by squared distance in RGB):
/// a colour of the 6×6×6 cube (16–231) or of the grey ramp (232–255, `8 + 10·k`). The
/// 16 system colours are left out: terminals let users change them.
fn xterm256(color: RGB8) -> u8 {
    let nearest_level =
        |c: u8| (0..CUBE.len()).min_by_key(|&i| CUBE[i].abs_diff(c)).expect("the cube has levels");
    let (r, g, b) = (nearest_level(color.r), nearest_level(color.g), nearest_level(color.b));
    let cube = (16 + 36 * r + 6 * g + b, RGB8::new(CUBE[r], CUBE[g], CUBE[b]));
    let grey = (0..24u8)
        .map(|k| (232 + usize::from(k), RGB8::new(8 + 10 * k, 8 + 10 * k, 8 + 10 * k)))
        .min_by_key(|&(_, grey)| distance(grey, color))
        .expect("the ramp has greys");
    let (index, _) = if distance(grey.1, color) < distance(cube.1, color) { grey } else { cube };
    u8::try_from(index).expect("palette indices fit a byte")
}

/// Squared distance between two colours in RGB.
fn distance(a: RGB8, b: RGB8) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    d(a.r, b.r) + d(a.g, b.g) + d(a.b, b.b)
}

/// `int(c × global)` for each colour byte, as the APA102 encoder's scale mode.
fn scale(color: RGB8, global: f64) -> RGB8 {
    if global >= 1.0 {
        return color;
    }
    let scale = |c: u8| (f64::from(c) * global) as u8;
    RGB8::new(scale(color.r), scale(color.g), scale(color.b))
}

impl<P: Pixel + Shade, W: Write> Output for Terminal<P, W> {
    type Pixel = P;
    type Error = io::Error;

    fn len(&self) -> usize {
        self.len
    }

    fn write(&mut self, frame: Frame<'_, P>) -> io::Result<()> {
        let origin = *self.origin.get_or_insert(frame.at);
        if self.foreign_output_since_last_frame() {
            // The cursor is below that text now: draw there rather than over it.
            self.drawn_lines = 0;
        }
        let (mode, brightness) = (self.mode, self.brightness);
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
                    let shown = pixel.is_on().then(|| scale(pixel.rgb(), brightness));
                    push_led(buffer, mode, shown);
                }
                if mode != ColorMode::Plain {
                    buffer.push_str(RESET);
                }
                buffer.push_str(CLEAR_TO_END_OF_LINE);
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
            .field("mode", &self.mode)
            .field("brightness", &self.brightness)
            .field("watch_foreign", &self.watch_foreign)
            .field("drawn_lines", &self.drawn_lines)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xterm256_picks_the_nearest_cube_colour_or_grey() {
        assert_eq!(xterm256(RGB8::new(0, 0, 0)), 16);
        assert_eq!(xterm256(RGB8::new(255, 255, 255)), 231);
        assert_eq!(xterm256(RGB8::new(255, 0, 0)), 196);
        assert_eq!(xterm256(RGB8::new(0, 0, 255)), 21);
        assert_eq!(xterm256(RGB8::new(0, 128, 255)), 33);
        // Greys between the cube's levels come from the ramp.
        assert_eq!(xterm256(RGB8::new(64, 64, 64)), 238);
        assert_eq!(xterm256(RGB8::new(128, 128, 128)), 244);
        assert_eq!(xterm256(RGB8::new(8, 8, 8)), 232);
        // The lit red of a `bool` LED and a dimmed one.
        assert_eq!(xterm256(LIT), 202);
        assert_eq!(xterm256(scale(LIT, 0.1)), 232, "(25, 4, 4): nearly black");
    }

    #[test]
    fn scale_truncates_like_the_encoder() {
        assert_eq!(scale(RGB8::new(200, 100, 3), 0.5), RGB8::new(100, 50, 1));
        assert_eq!(scale(RGB8::new(255, 9, 10), 0.1), RGB8::new(25, 0, 1));
        assert_eq!(scale(RGB8::new(1, 2, 3), 1.0), RGB8::new(1, 2, 3));
        assert_eq!(scale(RGB8::new(1, 2, 3), 0.0), RGB8::new(0, 0, 0));
    }

    #[test]
    fn plain_glyphs_follow_the_brightest_channel() {
        let glyph = |shown| {
            let mut buffer = String::new();
            push_led(&mut buffer, ColorMode::Plain, shown);
            buffer
        };
        assert_eq!(glyph(None), "·");
        assert_eq!(glyph(Some(RGB8::new(0, 0, 0))), "○", "lit, if barely");
        assert_eq!(glyph(Some(RGB8::new(85, 0, 0))), "○");
        assert_eq!(glyph(Some(RGB8::new(0, 86, 0))), "◐");
        assert_eq!(glyph(Some(RGB8::new(0, 0, 170))), "◐");
        assert_eq!(glyph(Some(RGB8::new(171, 0, 0))), "●");
        assert_eq!(glyph(Some(LIT)), "●");
    }
}
