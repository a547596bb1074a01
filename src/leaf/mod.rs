//! Leaves: the animations that write pixels.

mod blink;
mod fill;
mod keyframes;
mod off;
mod on;
mod press;
mod presses;
mod until;
mod wait;
mod walk;

pub use blink::{Blink, blink};
pub use fill::{Fill, fill};
pub use keyframes::{Keyframe, Keyframes, keyframes};
pub use off::{Off, off};
pub use on::{On, on};
pub use press::{Press, press};
pub use presses::{Presses, presses};
pub use until::{Until, until};
pub use wait::{Wait, wait};
pub use walk::{Walk, walk};
