//! Grids of LEDs.

/// A grid mapped onto output indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {}

/// A text-art pattern could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad pattern")]
pub struct PatternError {}
