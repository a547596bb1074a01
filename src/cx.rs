//! The context a running animation works through.

use core::cell::{Cell, RefCell};
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;

use crate::time::steps_due;
use crate::timer::{TimerKey, Timers};
use crate::{Instant, Leds, Pixel};

/// What a running animation may touch: the time, its timers and the frame buffer.
///
/// The driver owns one `Cx` and lends it by shared reference to every branch of the
/// running program, so concurrent branches write into the same frame (the children of
/// [`overlay`](crate::overlay) and [`crossfade`](crate::crossfade) write into layers
/// of their own, which those combinators compose into the frame). Writes only
/// change memory; the driver sends the frame to the output once after each round of
/// wake-ups. At one instant, the last write to an LED wins; concurrent branches are
/// polled in the order they are listed, so a later-listed branch writes after an
/// earlier one.
///
/// # Examples
///
/// A leaf written by hand: LED 0 on for 10 ms, whatever else is running.
///
/// ```
/// use blinken::prelude::*;
///
/// struct Flash;
///
/// impl Animation<bool> for Flash {
///     async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
///         let _off = cx.off_on_drop(0); // the talk's `finally`: LED 0 off however we end
///         cx.set(0, true);
///         cx.sleep_until(start + ms(10)).await
///     }
/// }
///
/// let mut driver = Driver::new(Recorder::new(1), VirtualClock::new());
/// assert_eq!(driver.run(&Flash).unwrap(), Instant::ZERO + ms(10));
/// driver.output().assert_timeline("
///     0.000000 #
///     0.010000 .
/// ");
/// ```
pub struct Cx<P> {
    now: Cell<Instant>,
    timers: RefCell<Timers>,
    pixels: Box<[Cell<P>]>,
    marked: Box<[Cell<bool>]>,
    /// The LEDs of the frame changed since the last drain: the first `dirty_len`, each
    /// once (`marked`), so never more than the LEDs.
    dirty: Box<[Cell<usize>]>,
    dirty_len: Cell<usize>,
    /// Every LED of the frame may have changed since the last drain
    /// ([`Cx::drain_changes`]), whatever `dirty` lists (a composition wrote them all).
    all_dirty: Cell<bool>,
    /// Sleeps started, for [`Cx::sleeps_started`].
    sleeps: Cell<u64>,
    /// How many live sleeps wait for [`Instant::MAX`]: the end of the timeline.
    at_end_of_time: Cell<usize>,
    /// Where writes go: 0 is the frame, `n` is layer `n - 1` (see [`Cx::layer`]).
    target: Cell<usize>,
    /// The pixel buffers of layers, kept for reuse when a layer is released.
    layers: RefCell<Layers<P>>,
    /// The next write sends the whole frame (see [`Cx::refresh`]).
    refresh: Cell<bool>,
}

impl<P: Pixel> Cx<P> {
    pub(crate) fn new(len: usize, now: Instant) -> Cx<P> {
        Cx {
            now: Cell::new(now),
            timers: RefCell::default(),
            pixels: (0..len).map(|_| Cell::new(P::OFF)).collect(),
            marked: (0..len).map(|_| Cell::new(false)).collect(),
            dirty: (0..len).map(|_| Cell::new(0)).collect(),
            dirty_len: Cell::new(0),
            all_dirty: Cell::new(false),
            sleeps: Cell::new(0),
            at_end_of_time: Cell::new(0),
            target: Cell::new(0),
            layers: RefCell::new(Layers { bufs: Vec::new(), free: Vec::new() }),
            refresh: Cell::new(false),
        }
    }

    /// The driver's current instant: exactly the deadline being served on a virtual
    /// clock, the time of the wake-up on a real one (a little later).
    ///
    /// Leaves compute deadlines from their logical start, not from `now()`; see
    /// [`Animation`](crate::Animation#timing).
    pub fn now(&self) -> Instant {
        self.now.get()
    }

    /// A future that completes once the driver's time reaches `deadline`, yielding the
    /// deadline (the logical instant, whatever the real lateness).
    ///
    /// A deadline that has already passed completes at once, so a late wake-up catches
    /// up on every missed step in one round. For a periodic schedule use
    /// [`Cx::ticker`], which catches up without visiting every missed step.
    ///
    /// [`Instant::MAX`] means "never": a sleep until it never completes and registers
    /// no timer. Deadlines computed with saturating arithmetic
    /// ([`Instant::add_times`], `+`) past the end of the timeline therefore hold
    /// forever instead of completing again and again at one instant. On a virtual
    /// clock, a run left with nothing else to wait for ends with
    /// [`RunError::Idle`](crate::RunError::Idle) at `Instant::MAX`.
    pub fn sleep_until(&self, deadline: Instant) -> Sleep<'_> {
        self.sleeps.set(self.sleeps.get().wrapping_add(1));
        Sleep {
            now: &self.now,
            timers: &self.timers,
            at_end_of_time: &self.at_end_of_time,
            deadline,
            key: None,
            waits_for_end: false,
        }
    }

    /// A drift-free periodic schedule: step `k` is due at `start + k·period`.
    ///
    /// [`Ticker::next`] waits for the next step and yields the index of the step
    /// **now due**: after a stall it skips every missed step at once (O(1), however
    /// many were missed), computed from `start`, so the phase stays exact.
    ///
    /// # Timing
    ///
    /// Every deadline is one multiplication from `start`, as
    /// [`embassy_time::Ticker`](https://docs.rs/embassy-time/latest/embassy_time/struct.Ticker.html)
    /// and `async_io::Timer::interval` compute theirs. The tempting loop
    ///
    /// ```text
    /// loop { step(); cx.sleep_until(cx.now() + period).await; } // wrong: drifts
    /// ```
    ///
    /// adds every wake-up's lateness to all later steps (the drift of the Python
    /// original), and a loop over `start.add_times(period, k)` for every `k` keeps the
    /// phase but, after a stall, runs once per missed step: a 100 µs schedule that
    /// stalled for an hour would run 36 million times in one instant.
    ///
    /// # Examples
    ///
    /// A leaf that lights LED `k % 3` at step `k`: after a stall it shows the LED of
    /// the step due now, not the ones it missed.
    ///
    /// ```
    /// use blinken::prelude::*;
    ///
    /// struct Chase;
    ///
    /// impl Animation<bool> for Chase {
    ///     async fn run(&self, cx: &Cx<bool>, start: Instant) -> Instant {
    ///         let _off = cx.off_on_drop(0..3);
    ///         let mut ticker = cx.ticker(start, ms(100));
    ///         loop {
    ///             let k = ticker.next().await;
    ///             if k >= 6 {
    ///                 return ticker.deadline(6);
    ///             }
    ///             cx.fill(&Leds::from(0..3), false);
    ///             cx.set(k as usize % 3, true);
    ///         }
    ///     }
    /// }
    ///
    /// let mut driver = Driver::new(Recorder::new(3), VirtualClock::new());
    /// assert_eq!(driver.run(&Chase).unwrap(), Instant::ZERO + ms(600));
    /// driver.output().assert_timeline("
    ///     0.000000 #..
    ///     0.100000 .#.
    ///     0.200000 ..#
    ///     0.300000 #..
    ///     0.400000 .#.
    ///     0.500000 ..#
    ///     0.600000 ...
    /// ");
    /// ```
    pub fn ticker(&self, start: Instant, period: Duration) -> Ticker<'_, P> {
        Ticker { cx: self, start, period, next: 0 }
    }

    /// How many sleeps ([`Cx::sleep_until`], and through it [`Ticker::next`]) have been
    /// started on this context since the driver was made.
    ///
    /// A measure of the work animations did, independent of real time: tests use it to
    /// check that catching up after a stall costs the same however long the stall was.
    pub fn sleeps_started(&self) -> u64 {
        self.sleeps.get()
    }

    /// How many LEDs the output has.
    pub fn len(&self) -> usize {
        self.pixels.len()
    }

    /// Whether the output has no LEDs.
    pub fn is_empty(&self) -> bool {
        self.pixels.is_empty()
    }

    /// The value LED `index` has in the frame being built; inside a layer (a child of
    /// [`overlay`](crate::overlay) or [`crossfade`](crate::crossfade)), its value in
    /// that layer.
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`.
    pub fn get(&self, index: usize) -> P {
        match self.target.get() {
            0 => self.pixel(index).get(),
            layer => self.layers.borrow().bufs[layer - 1].pixels[self.index(index)],
        }
    }

    /// Sets LED `index` to `value` in the frame (inside a layer, in that layer); it
    /// reaches the output at the end of this round of wake-ups.
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`; validation catches this for the crate's leaves before
    /// the program starts, so only hand-written leaves can hit it.
    pub fn set(&self, index: usize, value: P) {
        match self.target.get() {
            0 => self.set_frame(index, value),
            layer => self.set_in_layer(layer, index, value),
        }
    }

    fn set_in_layer(&self, layer: usize, index: usize, value: P) {
        let index = self.index(index);
        self.layers.borrow_mut().bufs[layer - 1].set(index, value);
    }

    #[inline]
    fn set_frame(&self, index: usize, value: P) {
        let cell = self.pixel(index);
        if cell.replace(value) != value && !self.marked[index].replace(true) {
            let n = self.dirty_len.get();
            self.dirty[n].set(index);
            self.dirty_len.set(n + 1);
        }
    }

    /// Sets every LED of `leds` to `value`.
    ///
    /// # Panics
    ///
    /// If an index is out of range, as [`Cx::set`].
    pub fn fill(&self, leds: &Leds, value: P) {
        for &i in leds {
            self.set(i, value);
        }
    }

    /// Sets the LEDs of `leds` to `values`, in order: a whole frame of an effect in one
    /// call. Stops at the shorter of the two.
    ///
    /// # Panics
    ///
    /// If an index is out of range, as [`Cx::set`].
    pub fn set_all(&self, leds: &Leds, values: impl IntoIterator<Item = P>) {
        // The target is read once: code the values run may read and write through
        // this `Cx`, but every layer it could enter is left before it returns. No
        // borrow is held while the values are computed.
        match self.target.get() {
            0 => {
                for (&i, value) in leds.iter().zip(values) {
                    self.set_frame(i, value);
                }
            }
            layer => {
                for (&i, value) in leds.iter().zip(values) {
                    let index = self.index(i);
                    self.layers.borrow_mut().bufs[layer - 1].set(index, value);
                }
            }
        }
    }

    /// A guard that switches `leds` off when dropped: the `finally` of a leaf, so that a
    /// cancelled leaf leaves its LEDs dark at the instant of cancellation.
    pub fn off_on_drop(&self, leds: impl Into<Leds>) -> OffOnDrop<'_, P> {
        OffOnDrop { cx: self, leds: leds.into() }
    }

    fn pixel(&self, index: usize) -> &Cell<P> {
        let len = self.pixels.len();
        self.pixels
            .get(index)
            .unwrap_or_else(|| panic!("LED index {index} is outside the output ({len} LEDs)"))
    }

    /// `index`, checked against the output's length.
    fn index(&self, index: usize) -> usize {
        let len = self.pixels.len();
        assert!(index < len, "LED index {index} is outside the output ({len} LEDs)");
        index
    }

    /// A layer: a pixel buffer of the output's length that the children of a layering
    /// combinator ([`overlay`](crate::overlay), [`crossfade`](crate::crossfade)) draw
    /// into while [entered](Layer::enter), and that the combinator composes into the
    /// frame (or into its own parent layer) with [`Cx::compose`].
    ///
    /// It starts as a copy of what the current target shows (`Start::Copy`, so that a
    /// child reads and changes the frame it would have seen without the layer) or all
    /// unlit (`Start::Off`). Released layers are reused: after warm-up, making one
    /// allocates nothing.
    pub(crate) fn layer(&self, start: Start) -> Layer<'_, P> {
        let target = self.target.get();
        let mut layers = self.layers.borrow_mut();
        let id = match layers.free.pop() {
            Some(id) => id,
            None => {
                let len = self.len();
                layers.bufs.push(LayerBuf {
                    pixels: vec![P::OFF; len],
                    marked: vec![false; len],
                    dirty: Vec::with_capacity(len),
                });
                let n = layers.bufs.len();
                layers.free.reserve(n);
                n - 1
            }
        };
        match (start, target) {
            (Start::Off, _) => layers.bufs[id].pixels.fill(P::OFF),
            (Start::Copy, 0) => {
                for (slot, cell) in layers.bufs[id].pixels.iter_mut().zip(self.pixels.iter()) {
                    *slot = cell.get();
                }
            }
            (Start::Copy, parent) => {
                let (from, to) = match parent - 1 < id {
                    true => {
                        let (low, high) = layers.bufs.split_at_mut(id);
                        (&low[parent - 1], &mut high[0])
                    }
                    false => {
                        let (low, high) = layers.bufs.split_at_mut(parent - 1);
                        (&high[0], &mut low[id])
                    }
                };
                to.pixels.copy_from_slice(&from.pixels);
            }
        }
        Layer { cx: self, id: id + 1 }
    }

    /// Composes two layers into the current target: every LED changed in either since
    /// the last call (every LED if `everything`) is set to `f(a, b)` of its values in
    /// `a` and `b`. Clears both change lists; allocates nothing.
    pub(crate) fn compose(
        &self,
        a: &Layer<'_, P>,
        b: &Layer<'_, P>,
        everything: bool,
        mut f: impl FnMut(P, P) -> P,
    ) {
        let target = self.target.get();
        let mut layers = self.layers.borrow_mut();
        let (ia, ib) = (a.id - 1, b.id - 1);
        let dirty_a = core::mem::take(&mut layers.bufs[ia].dirty);
        let dirty_b = core::mem::take(&mut layers.bufs[ib].dirty);
        let mut put = |layers: &mut Layers<P>, i: usize| {
            let value = f(layers.bufs[ia].pixels[i], layers.bufs[ib].pixels[i]);
            match target {
                0 => self.set_frame(i, value),
                t => layers.bufs[t - 1].set(i, value),
            }
        };
        if everything && target == 0 {
            // Every LED of the frame: one walk over the three buffers, and the frame
            // marked as changed everywhere instead of LED by LED (the driver compares
            // with what the output shows anyway).
            self.all_dirty.set(true);
            let (from, to) = (&layers.bufs[ia].pixels, &layers.bufs[ib].pixels);
            for (cell, (&a, &b)) in self.pixels.iter().zip(from.iter().zip(to)) {
                cell.set(f(a, b));
            }
        } else if everything {
            for i in 0..self.len() {
                put(&mut layers, i);
            }
        } else {
            for &i in &dirty_a {
                if !layers.bufs[ib].marked[i] {
                    put(&mut layers, i);
                }
            }
            for &i in &dirty_b {
                put(&mut layers, i);
            }
        }
        layers.bufs[ia].dirty = dirty_a;
        layers.bufs[ib].dirty = dirty_b;
        layers.bufs[ia].forget_changes();
        layers.bufs[ib].forget_changes();
    }

    /// Forgets what changed since the last drain, for a caller that sends every LED.
    pub(crate) fn clear_dirty(&self) {
        let dirty = &self.dirty[..self.dirty_len.replace(0)];
        unmark_cells(&self.marked, dirty);
        self.all_dirty.set(false);
    }

    /// The driver's walk over what changed since the last drain: copies each changed
    /// LED into `frame` and lists in `changed` those that differ from `shown`; clears
    /// the change list. Returns whether it compared every LED (then `changed` is in
    /// order).
    ///
    /// The caller keeps `frame == shown` at every LED not reported since its last
    /// write, and then `frame` equals this frame at every LED not changed since the
    /// last drain. So when many changed (half of them, or all after a composition of
    /// every LED), comparing every LED finds the same changes, in order, in one walk
    /// without bounds checks; otherwise the changed LEDs are visited.
    #[inline]
    pub(crate) fn drain_changes(
        &self,
        frame: &mut [P],
        shown: &[P],
        changed: &mut Vec<usize>,
    ) -> bool {
        let dirty = &self.dirty[..self.dirty_len.replace(0)];
        let all = self.all_dirty.replace(false);
        if all || dirty.len() >= self.len().div_ceil(2) {
            unmark_cells(&self.marked, dirty);
            let pixels = self.pixels.iter().map(Cell::get);
            for (i, ((slot, pixel), old)) in frame.iter_mut().zip(pixels).zip(shown).enumerate() {
                *slot = pixel;
                if *old != pixel {
                    changed.push(i);
                }
            }
            return true;
        }
        // One length for all four: one bounds check an LED.
        let n = self.pixels.len();
        let (pixels, marked) = (&self.pixels[..n], &self.marked[..n]);
        let (frame, shown) = (&mut frame[..n], &shown[..n]);
        for i in dirty.iter().map(Cell::get) {
            marked[i].set(false);
            let pixel = pixels[i].get();
            frame[i] = pixel;
            if shown[i] != pixel {
                changed.push(i);
            }
        }
        false
    }

    /// Makes the driver's next write send every LED, changed or not (a player's
    /// `refresh`).
    pub(crate) fn refresh(&self) {
        self.refresh.set(true);
    }

    /// Whether [`Cx::refresh`] was asked for since the last call.
    pub(crate) fn take_refresh(&self) -> bool {
        self.refresh.replace(false)
    }

    pub(crate) fn pixels(&self) -> impl ExactSizeIterator<Item = P> + '_ {
        self.pixels.iter().map(Cell::get)
    }

    pub(crate) fn set_now(&self, now: Instant) {
        self.now.set(now);
    }

    pub(crate) fn timers(&self) -> &RefCell<Timers> {
        &self.timers
    }

    /// Whether a live sleep waits for [`Instant::MAX`], which never comes.
    pub(crate) fn waits_for_end_of_time(&self) -> bool {
        self.at_end_of_time.get() > 0
    }
}

/// Clears the marks of the LEDs in `dirty`, the only ones marked: all of them at
/// once when many are listed.
fn unmark_cells(marked: &[Cell<bool>], dirty: &[Cell<usize>]) {
    if dirty.len() >= marked.len() / 16 {
        marked.iter().for_each(|m| m.set(false));
    } else {
        for i in dirty.iter().map(Cell::get) {
            marked[i].set(false);
        }
    }
}

/// How a new layer starts; see [`Cx::layer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// A copy of what the current target shows.
    Copy,
    /// Every LED unlit ([`Pixel::OFF`]).
    Off,
}

/// The layers' pixel buffers; `free` holds the indices of released ones.
#[derive(Debug)]
struct Layers<P> {
    bufs: Vec<LayerBuf<P>>,
    free: Vec<usize>,
}

/// One layer's pixels and the LEDs changed in it since it was last composed.
#[derive(Debug)]
struct LayerBuf<P> {
    pixels: Vec<P>,
    marked: Vec<bool>,
    dirty: Vec<usize>,
}

impl<P: Pixel> LayerBuf<P> {
    /// Clears the change list and its marks.
    fn forget_changes(&mut self) {
        if self.dirty.len() >= self.marked.len() / 16 {
            // Only the listed LEDs are marked: clearing all is the same, and a
            // quicker walk when many are listed.
            self.marked.fill(false);
        } else {
            for &i in &self.dirty {
                self.marked[i] = false;
            }
        }
        self.dirty.clear();
    }

    #[inline]
    fn set(&mut self, index: usize, value: P) {
        if core::mem::replace(&mut self.pixels[index], value) != value
            && !core::mem::replace(&mut self.marked[index], true)
        {
            self.dirty.push(index);
        }
    }
}

/// A layer of a [`Cx`], released for reuse when dropped; see [`Cx::layer`].
pub(crate) struct Layer<'a, P: Pixel> {
    cx: &'a Cx<P>,
    /// The layer's target number (its index in the buffers plus one).
    id: usize,
}

impl<'a, P: Pixel> Layer<'a, P> {
    /// Sends the context's writes (and reads) to this layer until the scope is dropped,
    /// which restores the previous target (also when a panic unwinds through it).
    pub(crate) fn enter(&self) -> Scope<'a, P> {
        Scope { cx: self.cx, previous: self.cx.target.replace(self.id) }
    }
}

impl<P: Pixel> Layer<'_, P> {
    /// Switches every LED of the layer off (unlit), recording the changes for the next
    /// [`Cx::compose`].
    pub(crate) fn clear(&self) {
        let mut layers = self.cx.layers.borrow_mut();
        let buf = &mut layers.bufs[self.id - 1];
        for i in 0..buf.pixels.len() {
            buf.set(i, P::OFF);
        }
    }
}

impl<P: Pixel> Drop for Layer<'_, P> {
    fn drop(&mut self) {
        // Forgotten changes must not be composed by the layer's next user.
        if let Ok(mut layers) = self.cx.layers.try_borrow_mut() {
            layers.bufs[self.id - 1].forget_changes();
            layers.free.push(self.id - 1);
        }
    }
}

impl<P: Pixel> fmt::Debug for Layer<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Layer").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Writes go to a layer while this lives; see [`Layer::enter`].
pub(crate) struct Scope<'a, P> {
    cx: &'a Cx<P>,
    previous: usize,
}

impl<P> Drop for Scope<'_, P> {
    fn drop(&mut self) {
        self.cx.target.set(self.previous);
    }
}

impl<P: Pixel> fmt::Debug for Cx<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cx")
            .field("now", &self.now())
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// Future returned by [`Cx::sleep_until`].
///
/// # Cancellation
///
/// Dropping it removes its timer; nothing else happens.
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep<'a> {
    now: &'a Cell<Instant>,
    timers: &'a RefCell<Timers>,
    at_end_of_time: &'a Cell<usize>,
    deadline: Instant,
    key: Option<TimerKey>,
    /// Counted in `at_end_of_time` (the deadline is `Instant::MAX`).
    waits_for_end: bool,
}

impl Sleep<'_> {
    /// The instant this sleep ends at.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl Future for Sleep<'_> {
    type Output = Instant;

    fn poll(self: Pin<&mut Self>, task: &mut Context<'_>) -> Poll<Instant> {
        let this = self.get_mut();
        if this.deadline == Instant::MAX {
            // "Never": no timer, so a virtual clock has nothing to jump to and a real
            // one sleeps until something else happens.
            if !this.waits_for_end {
                this.waits_for_end = true;
                this.at_end_of_time.set(this.at_end_of_time.get() + 1);
            }
            return Poll::Pending;
        }
        if this.now.get() >= this.deadline {
            if let Some(key) = this.key.take() {
                this.timers.borrow_mut().cancel(key);
            }
            return Poll::Ready(this.deadline);
        }
        let mut timers = this.timers.borrow_mut();
        match this.key {
            Some(key) if timers.update_waker(key, task.waker()) => {}
            _ => this.key = Some(timers.insert(this.deadline, task.waker())),
        }
        Poll::Pending
    }
}

impl Drop for Sleep<'_> {
    fn drop(&mut self) {
        if self.waits_for_end {
            self.at_end_of_time.set(self.at_end_of_time.get() - 1);
        }
        if let Some(key) = self.key.take() {
            // A sleep may outlive a panicking poll that holds the borrow; then the
            // driver discards the whole queue anyway.
            if let Ok(mut timers) = self.timers.try_borrow_mut() {
                timers.cancel(key);
            }
        }
    }
}

impl fmt::Debug for Sleep<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep").field("deadline", &self.deadline).finish_non_exhaustive()
    }
}

/// A drift-free periodic schedule that catches up in O(1). Built by [`Cx::ticker`].
///
/// Step `k` is due at `start + k·period`. A zero period makes every step due at
/// `start`: each [`Ticker::next`] then yields the following step at once, skipping
/// nothing, so a loop over it must end by itself (the crate's leaves refuse zero
/// periods where they would repeat; see [`MIN_STEP`](crate::MIN_STEP)).
pub struct Ticker<'a, P> {
    cx: &'a Cx<P>,
    start: Instant,
    period: Duration,
    next: u64,
}

impl<P: Pixel> Ticker<'_, P> {
    /// Waits until the next step is due and yields the index of the step due now: the
    /// next one, or a later one if the wake-up came late (the missed steps are skipped,
    /// in O(1)). The first call yields step 0 (or the step due now, if the ticker was
    /// made after `start`).
    ///
    /// On a [`VirtualClock`](crate::VirtualClock) no wake-up is late, so every step is
    /// yielded in turn.
    ///
    /// # Cancellation
    ///
    /// Dropping the future forgets its timer; the ticker is unchanged and the next call
    /// waits for the same step.
    pub async fn next(&mut self) -> u64 {
        let step = self.next;
        let deadline = self.cx.sleep_until(self.deadline(step)).await;
        let now = self.cx.now();
        // On time (always, on a virtual clock): no division.
        let due = match now == deadline {
            true => step,
            false => steps_due(self.start, now, self.period).max(step),
        };
        self.next = due.saturating_add(1);
        due
    }

    /// The instant step `k` is due: `start + k·period`, saturating at [`Instant::MAX`]
    /// (which never comes).
    pub fn deadline(&self, k: u64) -> Instant {
        self.start.add_times(self.period, k)
    }

    /// The instant of step 0.
    pub fn start(&self) -> Instant {
        self.start
    }

    /// The time between steps.
    pub fn period(&self) -> Duration {
        self.period
    }
}

impl<P> fmt::Debug for Ticker<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticker")
            .field("start", &self.start)
            .field("period", &self.period)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

/// Switches its LEDs off when dropped; see [`Cx::off_on_drop`].
#[must_use = "the LEDs go off when this guard is dropped; bind it with `let _off = ...`"]
pub struct OffOnDrop<'a, P: Pixel> {
    cx: &'a Cx<P>,
    leds: Leds,
}

impl<P: Pixel> Drop for OffOnDrop<'_, P> {
    fn drop(&mut self) {
        self.cx.fill(&self.leds, P::OFF);
    }
}

impl<P: Pixel> fmt::Debug for OffOnDrop<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OffOnDrop").field("leds", &self.leds).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RGB8;

    /// The driver's bookkeeping around [`Cx::drain_changes`], and what it must find:
    /// every LED whose value differs from what was last shown, in order.
    struct Shown {
        frame: Vec<RGB8>,
        shown: Vec<RGB8>,
        changed: Vec<usize>,
    }

    impl Shown {
        fn new(len: usize) -> Shown {
            Shown { frame: vec![RGB8::OFF; len], shown: vec![RGB8::OFF; len], changed: Vec::new() }
        }

        /// One write: returns the changed LEDs and whether every LED was compared.
        fn write(&mut self, cx: &Cx<RGB8>) -> (Vec<usize>, bool) {
            self.changed.clear();
            let dense = cx.drain_changes(&mut self.frame, &self.shown, &mut self.changed);
            self.changed.sort_unstable();
            let expected: Vec<usize> =
                (0..cx.len()).filter(|&i| cx.pixels[i].get() != self.shown[i]).collect();
            assert_eq!(self.changed, expected);
            let pixels: Vec<RGB8> = cx.pixels().collect();
            assert_eq!(self.frame, pixels);
            self.shown.copy_from_slice(&self.frame);
            (self.changed.clone(), dense)
        }
    }

    #[test]
    fn the_change_walk_finds_what_changed_sparse_dense_or_after_a_composition() {
        let len = 40;
        let cx = Cx::<RGB8>::new(len, Instant::ZERO);
        let mut out = Shown::new(len);
        let red = RGB8::new(200, 0, 0);
        // Sparse: a few LEDs, one of them written and restored.
        cx.set(3, red);
        cx.set(7, red);
        cx.set(7, RGB8::OFF);
        cx.set(1, red);
        assert_eq!(out.write(&cx), (vec![1, 3], false));
        // Dense: more than half, some written to what they already show.
        for i in (0..len).rev().filter(|i| i % 5 != 0) {
            cx.set(i, RGB8::new(i as u8, 1, 2));
        }
        cx.set(3, red);
        let (changed, dense) = out.write(&cx);
        assert!(dense);
        assert_eq!(changed.len(), len - len / 5 - 1);
        // Nothing: nothing listed.
        assert_eq!(out.write(&cx), (vec![], false));
        // A composition of every LED: compared everywhere, only the differences listed.
        let (a, b) = (cx.layer(Start::Copy), cx.layer(Start::Copy));
        {
            let _in = b.enter();
            cx.set(0, RGB8::new(9, 9, 9));
            cx.set(39, RGB8::new(9, 9, 9));
        }
        cx.compose(&a, &b, true, |_, b| b);
        assert_eq!(out.write(&cx), (vec![0, 39], true));
        // And the marks are clear: a later sparse change is found alone.
        cx.set(20, red);
        assert_eq!(out.write(&cx), (vec![20], false));
    }

    #[test]
    fn values_of_set_all_in_a_layer_see_the_writes_before_them() {
        let cx = Cx::<RGB8>::new(6, Instant::ZERO);
        let (layer, other) = (cx.layer(Start::Off), cx.layer(Start::Off));
        {
            let _in = layer.enter();
            cx.set(0, RGB8::new(0, 0, 1));
            // Each value is read from the LED the previous value just went to.
            let values = (1..6).map(|i| {
                let before = cx.get(i - 1);
                RGB8::new(0, 0, before.b * 2)
            });
            cx.set_all(&Leds::from(1..6), values);
            assert_eq!(cx.get(5), RGB8::new(0, 0, 32));
        }
        cx.compose(&layer, &other, false, |a, _| a);
        let blues: Vec<u8> = cx.pixels().map(|p| p.b).collect();
        assert_eq!(blues, [1, 2, 4, 8, 16, 32]);
    }
}
