//! Message framing of Python's `multiprocessing.connection`: pure functions over bytes.
//!
//! A message is a 4-byte big-endian signed length, then the payload; a payload over
//! `0x7fff_ffff` bytes is sent as length −1, then an 8-byte big-endian length. The
//! decoder never allocates more than the limit it was given, whatever a peer claims.

/// A message could not be framed or unframed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The peer announced a message longer than the limit; nothing of it was read.
    #[error(
        "the peer announced a message of {len} bytes, over the limit of {max}; raise the \
         limit if such messages are expected"
    )]
    TooLong {
        /// The announced length.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// The length field was negative (other than the −1 escape).
    #[error("the peer sent a negative message length ({len}); it does not speak this protocol")]
    NegativeLength {
        /// The length field.
        len: i32,
    },
}

/// Appends the frame of `payload` to `out`.
///
/// # Examples
///
/// ```
/// use blinken::control::frame::encode;
///
/// let mut out = Vec::new();
/// encode(b"hi", &mut out);
/// assert_eq!(out, [0, 0, 0, 2, b'h', b'i']);
/// ```
pub fn encode(payload: &[u8], out: &mut Vec<u8>) {
    match i32::try_from(payload.len()) {
        Ok(len) => out.extend_from_slice(&len.to_be_bytes()),
        Err(_) => {
            out.extend_from_slice(&(-1i32).to_be_bytes());
            out.extend_from_slice(&(payload.len() as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
}

/// Splits a byte stream into messages, as they arrive.
///
/// Feed it whatever the socket gave ([`Decoder::push`]) and take whole messages out
/// ([`Decoder::next_message`]). A message longer than the decoder's limit is refused as
/// soon as its header is seen, before any of it is buffered.
///
/// # Examples
///
/// ```
/// use blinken::control::frame::{Decoder, FrameError, encode};
///
/// let mut wire = Vec::new();
/// encode(b"hello", &mut wire);
/// let mut decoder = Decoder::new(16);
/// decoder.push(&wire[..3]); // a header split in two
/// assert_eq!(decoder.next_message(), Ok(None));
/// decoder.push(&wire[3..]);
/// assert_eq!(decoder.next_message(), Ok(Some(b"hello".to_vec())));
///
/// let mut huge = Decoder::new(16);
/// huge.push(&[0, 0, 1, 0]);
/// assert_eq!(huge.next_message(), Err(FrameError::TooLong { len: 256, max: 16 }));
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    max: usize,
    buf: Vec<u8>,
}

impl Decoder {
    /// A decoder that accepts messages of at most `max` bytes.
    pub fn new(max: usize) -> Decoder {
        Decoder { max, buf: Vec::new() }
    }

    /// The largest message accepted.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Bytes received and not yet taken as messages.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Adds bytes received from the peer.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// How many more bytes the next message needs before [`Decoder::next_message`] can
    /// return it (at least 1 while incomplete, 0 when a message is ready).
    ///
    /// # Errors
    ///
    /// As [`Decoder::next_message`].
    pub fn wanted(&self) -> Result<usize, FrameError> {
        Ok(match self.header()? {
            None => 4usize.saturating_sub(self.buf.len()).max(1),
            Some((head, len)) => (head + len).saturating_sub(self.buf.len()),
        })
    }

    /// The next whole message, if it has arrived.
    ///
    /// # Errors
    ///
    /// [`FrameError::TooLong`] for a message over the limit, [`FrameError::NegativeLength`]
    /// for a malformed header. The stream cannot be resynchronised after either: close
    /// the connection.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, FrameError> {
        let Some((head, len)) = self.header()? else { return Ok(None) };
        if self.buf.len() < head + len {
            return Ok(None);
        }
        let message = self.buf[head..head + len].to_vec();
        self.buf.drain(..head + len);
        Ok(Some(message))
    }

    /// The header's length and the payload's, once the header is complete.
    fn header(&self) -> Result<Option<(usize, usize)>, FrameError> {
        let Some(short) = self.buf.first_chunk::<4>() else { return Ok(None) };
        let (head, len) = match i32::from_be_bytes(*short) {
            -1 => {
                let Some(long) = self.buf.get(4..12) else { return Ok(None) };
                (12, u64::from_be_bytes(long.try_into().expect("eight bytes")))
            }
            len if len < 0 => return Err(FrameError::NegativeLength { len }),
            len => (4, len as u64),
        };
        match usize::try_from(len) {
            Ok(len) if len <= self.max => Ok(Some((head, len))),
            _ => Err(FrameError::TooLong { len, max: self.max }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_form_headers_are_read_and_bounded() {
        let mut decoder = Decoder::new(8);
        let mut wire = (-1i32).to_be_bytes().to_vec();
        wire.extend_from_slice(&3u64.to_be_bytes());
        wire.extend_from_slice(b"abc");
        decoder.push(&wire);
        assert_eq!(decoder.next_message(), Ok(Some(b"abc".to_vec())));
        assert_eq!(decoder.buffered(), 0);

        let mut decoder = Decoder::new(8);
        let mut wire = (-1i32).to_be_bytes().to_vec();
        wire.extend_from_slice(&u64::MAX.to_be_bytes());
        decoder.push(&wire);
        assert_eq!(decoder.next_message(), Err(FrameError::TooLong { len: u64::MAX, max: 8 }));
    }

    #[test]
    fn negative_lengths_are_refused() {
        let mut decoder = Decoder::new(8);
        decoder.push(&(-2i32).to_be_bytes());
        assert_eq!(decoder.next_message(), Err(FrameError::NegativeLength { len: -2 }));
    }

    #[test]
    fn messages_come_out_in_order_however_the_bytes_are_cut() {
        let mut wire = Vec::new();
        for m in [&b"one"[..], b"", b"three"] {
            encode(m, &mut wire);
        }
        for cut in 0..wire.len() {
            let mut decoder = Decoder::new(64);
            let mut got = Vec::new();
            for part in [&wire[..cut], &wire[cut..]] {
                decoder.push(part);
                while let Some(m) = decoder.next_message().unwrap() {
                    got.push(m);
                }
            }
            assert_eq!(got, [b"one".to_vec(), vec![], b"three".to_vec()], "cut at {cut}");
        }
    }

    #[test]
    fn wanted_counts_down_to_zero() {
        let mut wire = Vec::new();
        encode(b"abcd", &mut wire);
        let mut decoder = Decoder::new(64);
        assert_eq!(decoder.wanted(), Ok(4));
        decoder.push(&wire[..4]);
        assert_eq!(decoder.wanted(), Ok(4));
        decoder.push(&wire[4..6]);
        assert_eq!(decoder.wanted(), Ok(2));
        decoder.push(&wire[6..]);
        assert_eq!(decoder.wanted(), Ok(0));
    }
}
