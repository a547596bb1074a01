//! [`Key`] and [`KeyDecoder`]: the bytes a terminal sends, as keys. Pure: no I/O.

use core::fmt;

/// A key read from a terminal: what [`Keys`](super::Keys) binds to inputs.
///
/// Built from the bytes by a [`KeyDecoder`]. A `char` converts into a key:
/// `'\r'` and `'\n'` are [`Key::Enter`], `'\t'` is [`Key::Tab`], anything else
/// [`Key::Char`] (so `' '` is the space bar).
///
/// # Examples
///
/// ```
/// use blinken::input::Key;
///
/// assert_eq!(Key::from('b'), Key::Char('b'));
/// assert_eq!(Key::from('\n'), Key::Enter);
/// assert_eq!(Key::Ctrl('c').to_string(), "Ctrl-C");
/// assert_eq!(Key::Char(' ').to_string(), "space");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Key {
    /// A printable character (letters keep their case: `'Q'` is not `'q'`).
    Char(char),
    /// Enter (Return): `\r`, `\n`, or `\r\n` as one.
    Enter,
    /// Tab.
    Tab,
    /// Backspace (`DEL` or `BS`).
    Backspace,
    /// Escape, alone: not the start of a sequence.
    Escape,
    /// The up arrow.
    Up,
    /// The down arrow.
    Down,
    /// The left arrow.
    Left,
    /// The right arrow.
    Right,
    /// Control and a letter, lower case: `Ctrl('c')` is Ctrl-C (byte 3). (Ctrl-I, -J
    /// and -M are [`Key::Tab`] and [`Key::Enter`]: the terminal sends the same bytes.)
    Ctrl(char),
}

impl From<char> for Key {
    fn from(c: char) -> Key {
        match c {
            '\r' | '\n' => Key::Enter,
            '\t' => Key::Tab,
            c => Key::Char(c),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(' ') => f.write_str("space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Enter => f.write_str("Enter"),
            Key::Tab => f.write_str("Tab"),
            Key::Backspace => f.write_str("Backspace"),
            Key::Escape => f.write_str("Esc"),
            Key::Up => f.write_str("Up"),
            Key::Down => f.write_str("Down"),
            Key::Left => f.write_str("Left"),
            Key::Right => f.write_str("Right"),
            Key::Ctrl(c) => write!(f, "Ctrl-{}", c.to_ascii_uppercase()),
        }
    }
}

const ESC: u8 = 0x1b;
/// The longest escape sequence kept while waiting for its end; longer ones are junk.
const MAX_SEQUENCE: usize = 32;

/// Turns the bytes a terminal sends into [`Key`]s, across reads: a sequence or a
/// UTF-8 character split between two reads is completed by the next.
///
/// - Printable ASCII and UTF-8 characters are [`Key::Char`]; control bytes are
///   [`Key::Enter`] (`\r`, `\n`, `\r\n`), [`Key::Tab`], [`Key::Backspace`] (`0x7f`,
///   `0x08`) or [`Key::Ctrl`]; other control bytes (`NUL`, `0x1c`..`0x1f`) are
///   dropped.
/// - The arrows' escape sequences (`ESC [ A`, `ESC O A`, with modifiers `ESC [ 1 ; 5 A`)
///   are [`Key::Up`] and so on; every other CSI or SS3 sequence (function keys, Home,
///   bracketed paste marks, mouse reports) is dropped whole, never read as letters.
/// - `ESC` alone is [`Key::Escape`]; `ESC` and another key (Alt and that key) is
///   `Escape` then that key. A final `ESC` is kept until the next bytes, or until
///   [`KeyDecoder::flush`] (end of input, or a pause in it) says that nothing follows.
/// - Invalid UTF-8 is dropped a byte at a time.
///
/// # Examples
///
/// ```
/// use blinken::input::{Key, KeyDecoder};
///
/// let mut decoder = KeyDecoder::new();
/// // The up arrow split over two reads, then `q`:
/// assert_eq!(decoder.feed(b"a\x1b["), [Key::Char('a')]);
/// assert_eq!(decoder.feed(b"Aq"), [Key::Up, Key::Char('q')]);
/// // F5 (`ESC [ 1 5 ~`) is dropped; Ctrl-C is a key.
/// assert_eq!(decoder.feed(b"\x1b[15~\x03"), [Key::Ctrl('c')]);
/// // A lone Escape waits for what follows, until a flush.
/// assert_eq!(decoder.feed(b"\x1b"), []);
/// assert_eq!(decoder.flush(), [Key::Escape]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeyDecoder {
    /// Bytes of an unfinished sequence or character.
    pending: Vec<u8>,
    /// The last byte was `\r`: a `\n` right after it is the same Enter.
    after_cr: bool,
}

/// What the bytes at the front of the buffer are.
enum Token {
    /// `n` bytes make `key` (or nothing, when `key` is `None`).
    Done(usize, Option<Key>),
    /// The bytes may be the start of something longer: wait for more.
    Incomplete,
}

impl KeyDecoder {
    /// A decoder with nothing pending.
    pub fn new() -> KeyDecoder {
        KeyDecoder::default()
    }

    /// Decodes `bytes` after what is pending; returns the keys they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Key> {
        self.pending.extend_from_slice(bytes);
        let mut keys = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            let byte = self.pending[at];
            let after_cr = core::mem::replace(&mut self.after_cr, byte == b'\r');
            if byte == b'\n' && after_cr {
                // `\r\n`: the one Enter was its `\r`.
                at += 1;
                continue;
            }
            match token(&self.pending[at..]) {
                Token::Done(n, key) => {
                    at += n;
                    keys.extend(key);
                }
                Token::Incomplete if self.pending.len() - at > MAX_SEQUENCE => {
                    // A sequence that never ends: drop its ESC and read on.
                    at += 1;
                }
                Token::Incomplete => break,
            }
        }
        self.pending.drain(..at);
        keys
    }

    /// Says that nothing follows what was fed (the end of input, or a pause): a
    /// pending lone `ESC` is [`Key::Escape`]; an unfinished sequence or character is
    /// dropped.
    pub fn flush(&mut self) -> Vec<Key> {
        let pending = core::mem::take(&mut self.pending);
        self.after_cr = false;
        match pending.as_slice() {
            [ESC] => vec![Key::Escape],
            _ => Vec::new(),
        }
    }
}

/// Decodes all of `bytes` as complete input: [`KeyDecoder::feed`] then
/// [`KeyDecoder::flush`].
///
/// ```
/// use blinken::input::{Key, decode_keys};
///
/// assert_eq!(decode_keys(b"b \r\n\x1b[D"), [Key::Char('b'), Key::Char(' '), Key::Enter, Key::Left]);
/// ```
pub fn decode_keys(bytes: &[u8]) -> Vec<Key> {
    let mut decoder = KeyDecoder::new();
    let mut keys = decoder.feed(bytes);
    keys.extend(decoder.flush());
    keys
}

/// The first key of `bytes` (not empty).
fn token(bytes: &[u8]) -> Token {
    match bytes[0] {
        ESC => escape(bytes),
        b'\r' | b'\n' => Token::Done(1, Some(Key::Enter)),
        b'\t' => Token::Done(1, Some(Key::Tab)),
        0x7f | 0x08 => Token::Done(1, Some(Key::Backspace)),
        b @ 0x01..=0x1a => Token::Done(1, Some(Key::Ctrl(char::from(b + 0x60)))),
        0x00 | 0x1c..=0x1f => Token::Done(1, None),
        b @ 0x20..=0x7e => Token::Done(1, Some(Key::Char(char::from(b)))),
        lead => utf8(bytes, lead),
    }
}

/// `ESC ...`: an arrow, a dropped sequence, or Escape.
fn escape(bytes: &[u8]) -> Token {
    match bytes.get(1) {
        None => Token::Incomplete,
        Some(b'[') => csi(bytes),
        Some(b'O') => match bytes.get(2) {
            None => Token::Incomplete,
            Some(&end) => Token::Done(3, arrow(end)),
        },
        // Alt and a key, or Escape twice: Escape, then the next key on its own.
        Some(_) => Token::Done(1, Some(Key::Escape)),
    }
}

/// `ESC [ params intermediates final`: the arrows are keys, the rest is dropped.
fn csi(bytes: &[u8]) -> Token {
    for (i, &b) in bytes.iter().enumerate().skip(2) {
        match b {
            0x20..=0x3f => {}
            0x40..=0x7e => {
                // Arrows carry no parameters, or `1;modifiers` (Ctrl, Shift, Alt).
                let params = &bytes[2..i];
                let plain = params.is_empty() || params.starts_with(b"1;");
                return Token::Done(i + 1, if plain { arrow(b) } else { None });
            }
            // Not a sequence after all: drop `ESC [` and read on from here.
            _ => return Token::Done(i, None),
        }
    }
    Token::Incomplete
}

fn arrow(end: u8) -> Option<Key> {
    match end {
        b'A' => Some(Key::Up),
        b'B' => Some(Key::Down),
        b'C' => Some(Key::Right),
        b'D' => Some(Key::Left),
        _ => None,
    }
}

/// A UTF-8 character starting with `lead`, or one dropped byte.
fn utf8(bytes: &[u8], lead: u8) -> Token {
    let len = match lead {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return Token::Done(1, None),
    };
    if bytes.len() < len {
        // Wait for the rest, unless what came already cannot continue it.
        return match bytes[1..].iter().all(|&b| b & 0xc0 == 0x80) {
            true => Token::Incomplete,
            false => Token::Done(1, None),
        };
    }
    match core::str::from_utf8(&bytes[..len]) {
        Ok(s) => Token::Done(len, s.chars().next().map(Key::Char)),
        Err(_) => Token::Done(1, None),
    }
}
