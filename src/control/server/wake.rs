//! Waking the I/O thread from other threads: a byte on a socket pair it polls, written
//! at most once until the loop has seen it, so a burst of events costs one write.

use core::sync::atomic::{AtomicBool, Ordering};
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;

/// The sending side; also a [`std::task::Wake`] for the player's event streams.
#[derive(Debug)]
pub(crate) struct Wake {
    pending: AtomicBool,
    /// Set by `Server::shutdown`.
    pub(crate) stop: AtomicBool,
    tx: UnixStream,
}

impl Wake {
    /// The waker and the end the loop polls.
    pub(crate) fn pair() -> io::Result<(Arc<Wake>, UnixStream)> {
        let (tx, rx) = UnixStream::pair()?;
        tx.set_nonblocking(true)?;
        rx.set_nonblocking(true)?;
        Ok((
            Arc::new(Wake { pending: AtomicBool::new(false), stop: AtomicBool::new(false), tx }),
            rx,
        ))
    }

    /// Wakes the loop (a non-blocking write, at most one until it has woken).
    pub(crate) fn wake_now(&self) {
        if !self.pending.swap(true, Ordering::AcqRel) {
            // Full means a wake-up is already waiting.
            let _ = (&self.tx).write(&[1]);
        }
    }

    /// Called by the loop when it woke: later wakes write again.
    ///
    /// The bytes are read first, then the flag cleared: a wake between the two writes
    /// nothing, and is seen because the loop looks at everything after draining. (The
    /// other order loses wake-ups for good: a wake after the clear sets the flag, its
    /// byte is read here, and later wakes see the flag set and write nothing.)
    pub(crate) fn drain(&self, rx: &UnixStream) {
        let mut buf = [0u8; 64];
        while matches!((&*rx).read(&mut buf), Ok(n) if n > 0) {}
        self.pending.store(false, Ordering::Release);
    }
}

impl std::task::Wake for Wake {
    fn wake(self: Arc<Self>) {
        self.wake_now();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wake_now();
    }
}
