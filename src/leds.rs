//! Sets of LED indices.

use core::fmt;
use core::ops::{Deref, Range, RangeInclusive};
use std::sync::Arc;

use crate::error::{ValidationError, ValidationErrorKind};

/// An ordered list of output indices that a leaf drives together.
///
/// Cheap to clone (shared). Built from one index, an array, a slice, a `Vec`, a range,
/// or a [`Matrix`](crate::Matrix) group; every leaf takes `impl Into<Leds>`.
///
/// # Examples
///
/// ```
/// use blinken::Leds;
///
/// assert_eq!(Leds::from(3).as_slice(), &[3]);
/// assert_eq!(Leds::from([4, 1]).as_slice(), &[4, 1]);
/// assert_eq!(Leds::from(0..3).as_slice(), &[0, 1, 2]);
/// assert_eq!(Leds::from(vec![7]).len(), 1);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Leds(Arc<[usize]>);

impl Leds {
    /// No LEDs.
    pub fn none() -> Leds {
        Leds(Arc::from([]))
    }

    /// The indices, in order.
    pub fn as_slice(&self) -> &[usize] {
        &self.0
    }

    /// The same LEDs in the opposite order: an effect over them runs backwards.
    ///
    /// ```
    /// use blinken::Leds;
    ///
    /// assert_eq!(Leds::from(2..5).reversed().as_slice(), &[4, 3, 2]);
    /// ```
    #[must_use]
    pub fn reversed(&self) -> Leds {
        self.0.iter().rev().copied().collect()
    }

    /// The same LEDs starting at position `k` and wrapping round (a ring whose first
    /// LED is the `k`-th of these; `k` is taken modulo the length).
    ///
    /// ```
    /// use blinken::Leds;
    ///
    /// assert_eq!(Leds::from(0..5).rotated(2).as_slice(), &[2, 3, 4, 0, 1]);
    /// assert_eq!(Leds::from(0..5).rotated(7).as_slice(), &[2, 3, 4, 0, 1]);
    /// assert_eq!(Leds::none().rotated(3).as_slice(), &[] as &[usize]);
    /// ```
    #[must_use]
    pub fn rotated(&self, k: usize) -> Leds {
        if self.0.is_empty() {
            return Leds::none();
        }
        let k = k % self.0.len();
        self.0[k..].iter().chain(&self.0[..k]).copied().collect()
    }

    /// These LEDs followed by `other`'s: one path over two parts.
    ///
    /// ```
    /// use blinken::Leds;
    ///
    /// assert_eq!(Leds::from(0..2).chain(&Leds::from([9, 8])).as_slice(), &[0, 1, 9, 8]);
    /// ```
    #[must_use]
    pub fn chain(&self, other: &Leds) -> Leds {
        self.0.iter().chain(other.iter()).copied().collect()
    }

    /// Checks every index against an output of `len` LEDs; the error names the part.
    ///
    /// # Errors
    ///
    /// [`ValidationErrorKind::LedOutOfRange`] for the first index `>= len`.
    pub fn validate(&self, len: usize, part: &str) -> Result<(), ValidationError> {
        match self.0.iter().find(|&&i| i >= len) {
            Some(&index) => {
                Err(ValidationError::new(part, ValidationErrorKind::LedOutOfRange { index, len }))
            }
            None => Ok(()),
        }
    }
}

impl Deref for Leds {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        &self.0
    }
}

impl fmt::Debug for Leds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl From<usize> for Leds {
    fn from(i: usize) -> Leds {
        Leds(Arc::from([i]))
    }
}

impl<const N: usize> From<[usize; N]> for Leds {
    fn from(a: [usize; N]) -> Leds {
        Leds(Arc::from(a))
    }
}

impl From<&[usize]> for Leds {
    fn from(s: &[usize]) -> Leds {
        Leds(Arc::from(s))
    }
}

impl From<Vec<usize>> for Leds {
    fn from(v: Vec<usize>) -> Leds {
        Leds(Arc::from(v))
    }
}

impl From<Range<usize>> for Leds {
    fn from(r: Range<usize>) -> Leds {
        r.collect::<Vec<_>>().into()
    }
}

impl From<RangeInclusive<usize>> for Leds {
    fn from(r: RangeInclusive<usize>) -> Leds {
        r.collect::<Vec<_>>().into()
    }
}

impl From<&Leds> for Leds {
    fn from(l: &Leds) -> Leds {
        l.clone()
    }
}

impl FromIterator<usize> for Leds {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Leds {
        iter.into_iter().collect::<Vec<_>>().into()
    }
}

impl<'a> IntoIterator for &'a Leds {
    type Item = &'a usize;
    type IntoIter = core::slice::Iter<'a, usize>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
