//! Inputs: buttons and other sources of edges, for programs that wait for them.
//!
//! An [`Input`] is a cheap-to-clone handle to a shared, bounded history of [`Edge`]s
//! (the last [`Input::CAPACITY`]) and to whoever waits for the next one. Sources push
//! edges into it: [`Input::scripted`] knows them in advance (exact tests on a
//! [`VirtualClock`](crate::VirtualClock)), `GpioInput` (feature `gpiocdev`) pushes the
//! kernel's edge events of one or several lines from a reader thread, [`Keys`] turns
//! keys of the terminal into presses, and anything else can call [`Input::push`].
//! Programs wait for presses with the leaves [`press`](crate::press),
//! [`until`](crate::until) (or [`Animation::until`](crate::Animation::until)) and
//! [`presses`](crate::presses); other code reads the edges with
//! [`Input::subscribe`], as a blocking iterator or as a `Stream`; a [`Binding`] turns
//! presses into requests to a [`Player`](crate::Player), a long press while it is
//! held.

mod bind;
#[cfg(feature = "gpiocdev")]
mod gpio;
mod history;
mod keys;
mod subscription;

pub use bind::{Action, Binding, Bound, Gestures, Preset};
#[cfg(feature = "gpiocdev")]
pub use gpio::{Bias, Edges, GpioInput, GpioInputBuilder, GpioInputError, LineSettings};
pub use history::{Edge, EdgeKind, Input};
pub use keys::{Key, KeyDecoder, KeyMap, Keys, KeysError, decode_keys};
pub use subscription::Subscription;
