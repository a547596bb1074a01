//! Combinators: animations made of other animations.

#[macro_use]
mod tuples;
mod branches;

mod all;
mod any;
mod crossfade;
mod cycle;
mod forever;
mod overlay;
mod repeat;
mod sequence;
mod timeout;

pub use all::{All, all};
pub use any::{Any, any};
pub use crossfade::{Crossfade, Curve, crossfade};
pub use cycle::{Cycle, cycle};
pub use forever::{Forever, forever};
pub use overlay::{Overlay, overlay};
pub use repeat::{Repeat, repeat};
pub use sequence::{Sequence, sequence};
pub use timeout::{Timeout, timeout};

// The blend and composition rules, shared with a player's overlay and crossfade.
pub(crate) use crossfade::{Mix, share};
pub(crate) use overlay::over;
