//! Raw mode for the terminal on standard input: single keys, no echo, no signals;
//! restored on drop and by a panic hook.

use std::io;
use std::sync::{Mutex, Once, PoisonError};

use rustix::termios::{
    InputModes, LocalModes, OptionalActions, SpecialCodeIndex, Termios, tcgetattr, tcsetattr,
};

/// The settings to restore, while some `RawMode` is on; read by the panic hook.
static SAVED: Mutex<Option<Termios>> = Mutex::new(None);
static PANIC_HOOK: Once = Once::new();

/// The terminal on standard input in raw mode until dropped.
///
/// Unlike `cfmakeraw` it keeps output processing (`OPOST`), so `\n` still starts a
/// new line for whatever draws on the screen (the terminal simulator).
pub(super) struct RawMode(());

impl RawMode {
    /// How long a read waits for a key before it returns nothing, in tenths of a
    /// second (`VTIME`): the reader thread looks whether it should stop that often.
    pub(super) const TENTHS: u8 = 1;

    /// Puts the terminal on standard input in raw mode: no line editing, no echo,
    /// Ctrl-C and Ctrl-Z as bytes rather than signals, Enter as `\r`, and reads that
    /// return after [`RawMode::TENTHS`] with nothing if no key came.
    pub(super) fn enter() -> io::Result<RawMode> {
        let stdin = io::stdin();
        let original = tcgetattr(&stdin)?;
        let mut raw = original.clone();
        raw.local_modes
            .remove(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG | LocalModes::IEXTEN);
        raw.input_modes.remove(InputModes::ICRNL | InputModes::IXON);
        raw.special_codes[SpecialCodeIndex::VMIN] = 0;
        raw.special_codes[SpecialCodeIndex::VTIME] = RawMode::TENTHS;
        *SAVED.lock().unwrap_or_else(PoisonError::into_inner) = Some(original);
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                // The terminal as it was, before the message is printed. `try_lock`:
                // never wait inside a panic.
                if let Ok(saved) = SAVED.try_lock() {
                    if let Some(original) = saved.as_ref() {
                        let _ = tcsetattr(io::stdin(), OptionalActions::Now, original);
                    }
                }
                previous(info);
            }));
        });
        if let Err(error) = tcsetattr(&stdin, OptionalActions::Now, &raw) {
            SAVED.lock().unwrap_or_else(PoisonError::into_inner).take();
            return Err(error.into());
        }
        Ok(RawMode(()))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(original) = SAVED.lock().unwrap_or_else(PoisonError::into_inner).take() {
            // Nothing to report to from a drop; the terminal is gone if this fails.
            let _ = tcsetattr(io::stdin(), OptionalActions::Now, &original);
        }
    }
}

/// Whether standard input has bytes to read (or its end, or an error to report),
/// waiting at most `wait`. An interrupted wait counts as "not yet".
pub(super) fn readable(wait: core::time::Duration) -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let timeout = Timespec {
        tv_sec: wait.as_secs().try_into().unwrap_or(i64::MAX),
        tv_nsec: wait.subsec_nanos().into(),
    };
    match poll(&mut fds, Some(&timeout)) {
        Ok(ready) => ready > 0,
        Err(rustix::io::Errno::INTR) => false,
        // Any other error of poll itself: let the read report it.
        Err(_) => true,
    }
}
