//! The decoder thread: parses and builds the costly requests (large JSON texts, pickles
//! of many values), so that one of them never delays the other clients' requests on
//! the I/O thread. Bounded: each connection has at most one request here, and is not
//! read meanwhile.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use super::prepare::{Prepared, Programs};
use super::request::{self, Format, ParseLimits};
use super::wake::Wake;
use crate::spec::SpecPixel;

/// A message for the decoder thread.
pub(crate) struct Job {
    /// The connection it came from.
    pub(crate) token: u64,
    pub(crate) message: Vec<u8>,
}

/// A decoded and built request, for the I/O thread to carry out.
pub(crate) struct Done<P: SpecPixel> {
    pub(crate) token: u64,
    pub(crate) format: Format,
    pub(crate) result: Result<Prepared<P>, String>,
}

pub(crate) struct Worker<P: SpecPixel> {
    jobs: Option<SyncSender<Job>>,
    done: Receiver<Done<P>>,
    thread: Option<JoinHandle<()>>,
}

impl<P: SpecPixel + 'static> Worker<P> {
    /// Starts the thread (`blinken-decode`), with room for `capacity` jobs.
    pub(crate) fn spawn(
        programs: Arc<Programs>,
        limits: ParseLimits,
        wake: Arc<Wake>,
        capacity: usize,
    ) -> std::io::Result<Worker<P>> {
        let (jobs, queued) = sync_channel::<Job>(capacity.max(1));
        let (finished, done) = sync_channel::<Done<P>>(capacity.max(1));
        let thread =
            std::thread::Builder::new().name("blinken-decode".into()).spawn(move || {
                for job in queued {
                    let result = catch_unwind(AssertUnwindSafe(|| {
                        let (format, parsed) = request::parse(&job.message, &limits);
                        (format, parsed.and_then(|request| programs.prepare(request)))
                    }));
                    let (format, result) = result.unwrap_or_else(|_| {
                        log::error!("decoding a request panicked (a bug: please report it)");
                        (Format::Json, Err("the server failed to decode this request".into()))
                    });
                    if finished.send(Done { token: job.token, format, result }).is_err() {
                        break;
                    }
                    wake.wake_now();
                }
            })?;
        Ok(Worker { jobs: Some(jobs), done, thread: Some(thread) })
    }

    /// Queues `job`; gives it back if the thread has no room or is gone.
    pub(crate) fn submit(&self, job: Job) -> Result<(), Job> {
        let jobs = self.jobs.as_ref().expect("the sender lives until drop");
        jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(job) | TrySendError::Disconnected(job) => job,
        })
    }

    /// The requests decoded since the last call.
    pub(crate) fn finished(&self) -> Vec<Done<P>> {
        self.done.try_iter().collect()
    }
}

impl<P: SpecPixel> Drop for Worker<P> {
    /// Ends the thread after the request it decodes (if any).
    fn drop(&mut self) {
        drop(self.jobs.take());
        // Unblocks a thread waiting to hand over a result.
        while self.done.try_recv().is_ok() {}
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
