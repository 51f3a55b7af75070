//! The printer actor: one thread owns the printer and takes jobs over a channel.
//!
//! `escpos` drivers are `!Send` (`Rc<RefCell<..>>`), and a printer must not receive two
//! jobs interleaved, so a single thread owns the link and the `escpos` printer. Callers hold
//! a [`PrinterHandle`] (cheap to clone, `Send + Sync`) and never block: [`PrinterHandle::submit`]
//! returns a [`JobId`] at once, and the outcome is waited for or polled separately.
//!
//! Every job ends [printed](JobOutcome::Printed) or [failed with a reason](JobOutcome::Failed);
//! a failed job keeps its bytes and can be [retried](PrinterHandle::retry), which prints it
//! once more (never twice: the retry is refused unless the job failed).
//!
//! How a job is checked, on links where the printer can answer:
//! 1. Real-time status first (`DLE EOT 1, 2, 3, 4`): paper end, cover open or offline fail the
//!    job before any byte is sent, so nothing is left in the printer's buffer to print later.
//! 2. The job's bytes, then `GS r 1`, which the printer answers only after it has printed
//!    everything before it; a printer that runs out of paper mid-job never answers.
//! 3. Real-time status again: the job is printed when the printer is fine, failed with the
//!    reason otherwise. A printer that answers status but not `GS r` gives
//!    `Printed { confirmed: false }`. A printer that answers nothing at all fails the job
//!    with [`PrintError::TimedOut`]: a serial line to an unplugged printer accepts bytes
//!    happily, and a ticket reported printed but never printed is a lost citizen, while a
//!    retried ticket printed twice is only paper.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::Protocol;

use crate::layout::Paper;
use crate::status::{self, STATUS_QUERY};
use crate::transport::{FileLink, Link, MemoryLink, SerialLink, TcpLink, UsbLpLink, VirtualLink};

// Re-exported so that a caller of the printer needs only this module.
pub use crate::status::{PrinterStatus, StatusReport};
pub use crate::transport::PrintError;
pub use crate::virtual_printer::VirtualPrinter;

/// Where the printer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterConfig {
    /// The in-process virtual printer, writing one PNG per cut into `out_dir`; its fault
    /// switches are reached through [`PrinterHandle::virtual_printer`].
    Virtual {
        /// Folder for the PNG pages.
        out_dir: PathBuf,
        /// Paper width the virtual printer simulates.
        paper: Paper,
    },
    /// A serial printer, e.g. `/dev/ttyUSB0` at 115200 baud.
    Serial {
        /// Serial port path.
        path: String,
        /// Baud rate, normally 115200 (some printers ship at 9600 or 19200).
        baud: u32,
    },
    /// A network printer in raw mode, normally port 9100, e.g. `192.168.1.50:9100`.
    Tcp {
        /// `host:port`.
        addr: String,
    },
    /// A USB printer-class device file, e.g. `/dev/usb/lp0`.
    UsbLp {
        /// Device path.
        path: PathBuf,
    },
    /// A plain file the bytes are appended to (no status).
    File {
        /// File path.
        path: PathBuf,
    },
    /// Memory only (no status); the bytes are read back with [`PrinterHandle::memory`].
    Memory,
}

/// Why a printer spec string was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The spec does not start with a known kind (`virtual:`, `serial:`, `tcp:`, `usblp:`,
    /// `file:` or `memory`).
    #[error("unknown printer kind in {0:?}; expected virtual:DIR[:58|80], serial:PATH[:BAUD], tcp:HOST:PORT, usblp:PATH, file:PATH or memory")]
    UnknownKind(String),
    /// A number (baud rate or paper width) is not valid.
    #[error("invalid number in printer spec {0:?}")]
    InvalidNumber(String),
}

impl std::str::FromStr for PrinterConfig {
    type Err = ConfigError;

    /// Parses a one-line printer spec, convenient for `--printer` flags and environment
    /// variables: `virtual:DIR[:58|80]`, `serial:PATH[:BAUD]` (115200 by default),
    /// `tcp:HOST:PORT` (port 9100 when omitted), `usblp:PATH`, `file:PATH` or `memory`.
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let spec = spec.trim();
        let invalid = || ConfigError::InvalidNumber(spec.to_string());
        let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
        Ok(match kind {
            "memory" if rest.is_empty() => PrinterConfig::Memory,
            "virtual" => {
                let (dir, paper) = match rest.rsplit_once(':') {
                    Some((dir, "58")) => (dir, Paper::Mm58),
                    Some((dir, "80")) => (dir, Paper::Mm80),
                    _ => (rest, Paper::Mm80),
                };
                PrinterConfig::Virtual {
                    out_dir: PathBuf::from(if dir.is_empty() {
                        "virtual-printer-out"
                    } else {
                        dir
                    }),
                    paper,
                }
            }
            "serial" if !rest.is_empty() => match rest.rsplit_once(':') {
                Some((path, baud)) => PrinterConfig::Serial {
                    path: path.to_string(),
                    baud: baud.parse().map_err(|_| invalid())?,
                },
                None => PrinterConfig::Serial {
                    path: rest.to_string(),
                    baud: 115_200,
                },
            },
            "tcp" if !rest.is_empty() => {
                let addr = if rest
                    .rsplit_once(':')
                    .is_some_and(|(_, port)| port.parse::<u16>().is_ok())
                {
                    rest.to_string()
                } else {
                    format!("{rest}:9100")
                };
                PrinterConfig::Tcp { addr }
            }
            "usblp" if !rest.is_empty() => PrinterConfig::UsbLp { path: rest.into() },
            "file" if !rest.is_empty() => PrinterConfig::File { path: rest.into() },
            _ => return Err(ConfigError::UnknownKind(spec.to_string())),
        })
    }
}

/// Time limits of the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorOptions {
    /// Opening a device or connecting, and each write.
    pub io_timeout: Duration,
    /// Waiting for the replies to a status query.
    pub status_timeout: Duration,
    /// Waiting for the printer to finish a job, on top of the time the bytes take at
    /// 115,200 baud.
    pub finish_timeout: Duration,
}

impl Default for ActorOptions {
    fn default() -> Self {
        Self {
            io_timeout: Duration::from_secs(3),
            status_timeout: Duration::from_millis(500),
            finish_timeout: Duration::from_secs(5),
        }
    }
}

/// Identifies a job for the life of its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The job was sent; `confirmed` says whether the printer also confirmed it finished
    /// fine (false on write-only links and printers that do not answer status requests).
    Printed {
        /// Whether the printer confirmed the job.
        confirmed: bool,
    },
    /// The job failed and was not (fully) printed; it can be retried.
    Failed(PrintError),
}

/// Where a job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for the printer.
    Queued,
    /// Being sent or printed.
    Printing,
    /// Finished, one way or the other.
    Done(JobOutcome),
}

/// Why waiting for or retrying a job did not work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// No such job (never submitted, or forgotten after many newer jobs).
    #[error("unknown job {0:?}")]
    UnknownJob(JobId),
    /// The job did not finish within the time given.
    #[error("job {0:?} still running")]
    StillRunning(JobId),
    /// Only a failed job can be retried; this one is queued, printing or printed.
    #[error("job {0:?} has not failed")]
    NotFailed(JobId),
    /// The printer thread has stopped.
    #[error("the printer thread has stopped")]
    ActorGone,
}

/// How many finished jobs are remembered; older finished jobs are forgotten.
const KEPT_JOBS: usize = 256;

struct JobEntry {
    bytes: Arc<Vec<u8>>,
    state: JobState,
}

#[derive(Default)]
struct Jobs {
    next: u64,
    entries: HashMap<JobId, JobEntry>,
    order: VecDeque<JobId>,
}

#[derive(Default)]
struct Shared {
    jobs: Mutex<Jobs>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Jobs> {
        self.jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn set_state(&self, id: JobId, state: JobState) {
        if let Some(entry) = self.lock().entries.get_mut(&id) {
            entry.state = state;
        }
        self.changed.notify_all();
    }
}

enum Request {
    Print(JobId),
    Status(Sender<PrinterStatus>),
}

/// A handle to the printer actor; clone it freely.
#[derive(Clone)]
pub struct PrinterHandle {
    requests: Sender<Request>,
    shared: Arc<Shared>,
    virtual_printer: Option<VirtualPrinter>,
    memory: Option<MemoryLink>,
}

/// Starts printer actors.
pub struct PrinterActor;

impl PrinterActor {
    /// Starts the thread that owns the printer described by `config`, with default time-outs.
    pub fn spawn(config: PrinterConfig) -> PrinterHandle {
        Self::spawn_with(config, ActorOptions::default())
    }

    /// Starts the printer thread with the given time-outs. The device is opened lazily, on
    /// the first job or status request, and reopened after a failure.
    pub fn spawn_with(config: PrinterConfig, options: ActorOptions) -> PrinterHandle {
        let (requests, inbox) = mpsc::channel();
        let shared = Arc::new(Shared::default());
        let virtual_printer = match &config {
            PrinterConfig::Virtual { out_dir, paper } => {
                Some(VirtualPrinter::new(out_dir.clone(), *paper))
            }
            _ => None,
        };
        let memory = matches!(config, PrinterConfig::Memory).then(MemoryLink::default);
        let thread_shared = shared.clone();
        let thread_virtual = virtual_printer.clone();
        let thread_memory = memory.clone();
        // The actor is built on its own thread because the open link is `!Send`.
        let spawned = std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || {
                Actor {
                    config,
                    options,
                    shared: thread_shared,
                    virtual_printer: thread_virtual,
                    memory: thread_memory,
                    connection: None,
                }
                .run(inbox)
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "could not start the printer thread");
        }
        PrinterHandle {
            requests,
            shared,
            virtual_printer,
            memory,
        }
    }
}

impl PrinterHandle {
    /// Queues `bytes` (from [`crate::layout::encode_ticket`] or the like) and returns at once.
    pub fn submit(&self, bytes: impl Into<Vec<u8>>) -> JobId {
        let id = {
            let mut jobs = self.shared.lock();
            jobs.next += 1;
            let id = JobId(jobs.next);
            jobs.entries.insert(
                id,
                JobEntry {
                    bytes: Arc::new(bytes.into()),
                    state: JobState::Queued,
                },
            );
            jobs.order.push_back(id);
            forget_old_jobs(&mut jobs);
            id
        };
        if self.requests.send(Request::Print(id)).is_err() {
            self.shared
                .set_state(id, JobState::Done(JobOutcome::Failed(PrintError::Offline)));
        }
        id
    }

    /// The job's current state, or `None` for an unknown job.
    pub fn state(&self, id: JobId) -> Option<JobState> {
        self.shared.lock().entries.get(&id).map(|e| e.state.clone())
    }

    /// Waits at most `timeout` for the job to finish.
    pub fn wait(&self, id: JobId, timeout: Duration) -> Result<JobOutcome, JobError> {
        let deadline = Instant::now() + timeout;
        let mut jobs = self.shared.lock();
        loop {
            match jobs.entries.get(&id).map(|e| &e.state) {
                None => return Err(JobError::UnknownJob(id)),
                Some(JobState::Done(outcome)) => return Ok(outcome.clone()),
                Some(_) => {}
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(JobError::StillRunning(id));
            }
            jobs = self
                .shared
                .changed
                .wait_timeout(jobs, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Queues a failed job again, with the same id and bytes.
    pub fn retry(&self, id: JobId) -> Result<(), JobError> {
        {
            let mut jobs = self.shared.lock();
            let entry = jobs.entries.get_mut(&id).ok_or(JobError::UnknownJob(id))?;
            if !matches!(entry.state, JobState::Done(JobOutcome::Failed(_))) {
                return Err(JobError::NotFailed(id));
            }
            entry.state = JobState::Queued;
        }
        self.requests
            .send(Request::Print(id))
            .map_err(|_| JobError::ActorGone)
    }

    /// Asks the printer for its status, waiting at most `timeout` (the printer thread may be
    /// busy with a job). No answer in time is [`PrinterStatus::Unknown`], never "ok".
    pub fn status(&self, timeout: Duration) -> PrinterStatus {
        let (reply, answer) = mpsc::channel();
        if self.requests.send(Request::Status(reply)).is_err() {
            return PrinterStatus::Unknown {
                reason: "the printer thread has stopped".into(),
            };
        }
        answer
            .recv_timeout(timeout)
            .unwrap_or_else(|_| PrinterStatus::Unknown {
                reason: format!("no answer within {timeout:?}"),
            })
    }

    /// The virtual printer behind a [`PrinterConfig::Virtual`] handle, for its fault
    /// switches and the list of pages written.
    pub fn virtual_printer(&self) -> Option<&VirtualPrinter> {
        self.virtual_printer.as_ref()
    }

    /// Everything written so far, for a [`PrinterConfig::Memory`] handle.
    pub fn memory(&self) -> Option<Vec<u8>> {
        self.memory.as_ref().map(|m| {
            m.bytes
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_specs() {
        let cases: &[(&str, PrinterConfig)] = &[
            ("memory", PrinterConfig::Memory),
            (
                "virtual:/tmp/out:58",
                PrinterConfig::Virtual {
                    out_dir: "/tmp/out".into(),
                    paper: Paper::Mm58,
                },
            ),
            (
                "virtual:/tmp/out",
                PrinterConfig::Virtual {
                    out_dir: "/tmp/out".into(),
                    paper: Paper::Mm80,
                },
            ),
            (
                "serial:/dev/ttyUSB0",
                PrinterConfig::Serial {
                    path: "/dev/ttyUSB0".into(),
                    baud: 115_200,
                },
            ),
            (
                "serial:/dev/ttyS1:9600",
                PrinterConfig::Serial {
                    path: "/dev/ttyS1".into(),
                    baud: 9600,
                },
            ),
            (
                "tcp:192.168.1.50",
                PrinterConfig::Tcp {
                    addr: "192.168.1.50:9100".into(),
                },
            ),
            (
                "tcp:printer.local:9101",
                PrinterConfig::Tcp {
                    addr: "printer.local:9101".into(),
                },
            ),
            (
                "usblp:/dev/usb/lp0",
                PrinterConfig::UsbLp {
                    path: "/dev/usb/lp0".into(),
                },
            ),
            (
                "file:/tmp/spool.bin",
                PrinterConfig::File {
                    path: "/tmp/spool.bin".into(),
                },
            ),
        ];
        for (spec, expect) in cases {
            assert_eq!(spec.parse::<PrinterConfig>().as_ref(), Ok(expect), "{spec}");
        }
        assert!(matches!(
            "lpt1".parse::<PrinterConfig>(),
            Err(ConfigError::UnknownKind(_))
        ));
        assert!(matches!(
            "serial:/dev/ttyS0:fast".parse::<PrinterConfig>(),
            Err(ConfigError::InvalidNumber(_))
        ));
    }
}

fn forget_old_jobs(jobs: &mut Jobs) {
    while jobs.order.len() > KEPT_JOBS {
        // Forget the oldest finished job; unfinished jobs are never forgotten.
        let Some(position) = jobs.order.iter().position(|id| {
            matches!(
                jobs.entries.get(id).map(|e| &e.state),
                Some(JobState::Done(_)) | None
            )
        }) else {
            break;
        };
        if let Some(id) = jobs.order.remove(position) {
            jobs.entries.remove(&id);
        }
    }
}

/// An `escpos` driver over a [`Link`], so that jobs go through `escpos::printer::Printer`
/// like any other `escpos` output. It is `!Send` like every `escpos` driver, which is fine:
/// it lives and dies on the printer thread.
#[derive(Clone)]
struct LinkDriver {
    link: Rc<RefCell<Box<dyn Link>>>,
    /// The typed error behind the last failed write, because `escpos` errors are strings.
    last_error: Rc<RefCell<Option<PrintError>>>,
}

impl Driver for LinkDriver {
    fn name(&self) -> String {
        "link".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.link.borrow_mut().write_all(data).map_err(|error| {
            let message = error.to_string();
            *self.last_error.borrow_mut() = Some(error);
            escpos::errors::PrinterError::Io(message)
        })
    }

    fn read(&self, buf: &mut [u8]) -> escpos::errors::Result<usize> {
        self.link
            .borrow_mut()
            .read_timeout(buf, Duration::from_millis(100))
            .map_err(|e| escpos::errors::PrinterError::Io(e.to_string()))
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

struct Connection {
    printer: Printer<LinkDriver>,
    driver: LinkDriver,
}

/// The state owned by the printer thread.
struct Actor {
    /// Which device to open.
    config: PrinterConfig,
    /// Time limits.
    options: ActorOptions,
    /// Job table shared with the handles.
    shared: Arc<Shared>,
    /// The in-process virtual printer, for [`PrinterConfig::Virtual`].
    virtual_printer: Option<VirtualPrinter>,
    /// The memory sink, for [`PrinterConfig::Memory`].
    memory: Option<MemoryLink>,
    /// The open link, if any; dropped after an I/O failure so the next job reopens it.
    connection: Option<Connection>,
}

impl Actor {
    fn run(mut self, inbox: Receiver<Request>) {
        for request in inbox {
            match request {
                Request::Print(id) => {
                    let bytes = self.shared.lock().entries.get(&id).map(|e| e.bytes.clone());
                    let Some(bytes) = bytes else { continue };
                    self.shared.set_state(id, JobState::Printing);
                    let outcome = self.print(&bytes);
                    match &outcome {
                        JobOutcome::Printed { confirmed } => {
                            tracing::info!(job = id.0, confirmed, "printed")
                        }
                        JobOutcome::Failed(error) => {
                            tracing::warn!(job = id.0, %error, "print failed")
                        }
                    }
                    self.shared.set_state(id, JobState::Done(outcome));
                }
                Request::Status(reply) => {
                    let status = match self.connect() {
                        Ok(()) => self.query_status(),
                        Err(error) => PrinterStatus::Unknown {
                            reason: error.to_string(),
                        },
                    };
                    let _ = reply.send(status);
                }
            }
        }
    }

    fn open_link(&self) -> Result<Box<dyn Link>, PrintError> {
        let timeout = self.options.io_timeout;
        Ok(match &self.config {
            PrinterConfig::Virtual { .. } => Box::new(VirtualLink::new(
                self.virtual_printer
                    .clone()
                    .expect("virtual config has a virtual printer"),
            )),
            PrinterConfig::Serial { path, baud } => {
                Box::new(SerialLink::open(path, *baud, timeout)?)
            }
            PrinterConfig::Tcp { addr } => Box::new(TcpLink::connect(addr, timeout)?),
            PrinterConfig::UsbLp { path } => {
                Box::new(UsbLpLink::open(&path.display().to_string(), timeout)?)
            }
            PrinterConfig::File { path } => Box::new(FileLink::open(path)?),
            PrinterConfig::Memory => Box::new(self.memory.clone().unwrap_or_default()),
        })
    }

    fn connect(&mut self) -> Result<(), PrintError> {
        if self.connection.is_none() {
            let driver = LinkDriver {
                link: Rc::new(RefCell::new(self.open_link()?)),
                last_error: Rc::new(RefCell::new(None)),
            };
            let printer = Printer::new(driver.clone(), Protocol::default(), None);
            self.connection = Some(Connection { printer, driver });
        }
        Ok(())
    }

    fn link(&self) -> Option<std::cell::RefMut<'_, Box<dyn Link>>> {
        self.connection.as_ref().map(|c| c.driver.link.borrow_mut())
    }

    fn can_answer(&self) -> bool {
        self.link().is_some_and(|l| l.can_answer())
    }

    /// Sends the real-time status query and decodes the three replies.
    fn query_status(&mut self) -> PrinterStatus {
        let timeout = self.options.status_timeout;
        let Some(mut link) = self.link() else {
            return PrinterStatus::Unknown {
                reason: "not connected".into(),
            };
        };
        if !link.can_answer() {
            return PrinterStatus::Unknown {
                reason: "this link cannot carry answers from the printer".into(),
            };
        }
        link.discard_input();
        if let Err(error) = link.write_all(&STATUS_QUERY) {
            drop(link);
            self.connection = None;
            return PrinterStatus::Unknown {
                reason: error.to_string(),
            };
        }
        let mut replies = Vec::with_capacity(4);
        let deadline = Instant::now() + timeout;
        let mut buf = [0u8; 16];
        while replies.len() < 4 {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            match link.read_timeout(&mut buf, deadline - now) {
                Ok(n) => replies.extend(
                    buf[..n]
                        .iter()
                        .copied()
                        .filter(|&b| status::is_status_byte(b)),
                ),
                Err(error) => {
                    drop(link);
                    self.connection = None;
                    return PrinterStatus::Unknown {
                        reason: error.to_string(),
                    };
                }
            }
        }
        match replies.as_slice() {
            [a, b, c, d, ..] => match status::decode(*a, *b, *c, *d) {
                Some(report) => PrinterStatus::Reported(report),
                None => PrinterStatus::Unknown {
                    reason: "the printer's answer is not a status".into(),
                },
            },
            _ => PrinterStatus::Unknown {
                reason: format!("no status answer within {timeout:?}"),
            },
        }
    }

    fn print(&mut self, bytes: &[u8]) -> JobOutcome {
        if let Err(error) = self.connect() {
            return JobOutcome::Failed(error);
        }
        let answers = self.can_answer();
        if answers {
            if let PrinterStatus::Reported(report) = self.query_status() {
                if let Some(error) = fault(&report) {
                    return JobOutcome::Failed(error);
                }
            }
            if self.connection.is_none() {
                // The status query found the link broken; reopen it once before giving up.
                if let Err(error) = self.connect() {
                    return JobOutcome::Failed(error);
                }
            }
        }
        let connection = self.connection.as_mut().expect("connected above");
        let sent = connection
            .printer
            .custom(bytes)
            .and_then(|printer| printer.print());
        if let Err(error) = sent {
            let typed = connection
                .driver
                .last_error
                .borrow_mut()
                .take()
                .unwrap_or(PrintError::Io(error.to_string()));
            self.connection = None;
            return JobOutcome::Failed(typed);
        }
        if !answers {
            return JobOutcome::Printed { confirmed: false };
        }
        let finished = self.wait_until_printed(bytes.len());
        match self.query_status() {
            PrinterStatus::Reported(report) => match fault(&report) {
                Some(error) => JobOutcome::Failed(error),
                None => JobOutcome::Printed {
                    confirmed: finished,
                },
            },
            PrinterStatus::Unknown { reason } if !finished => JobOutcome::Failed(
                PrintError::TimedOut(format!("the printer did not confirm the job: {reason}")),
            ),
            PrinterStatus::Unknown { .. } => JobOutcome::Printed { confirmed: true },
        }
    }

    /// Sends `GS r 1`, which the printer answers only once it has printed what came before,
    /// and waits for the answer. Returns whether it came.
    fn wait_until_printed(&mut self, job_len: usize) -> bool {
        // 11,520 bytes a second at 115,200 baud, plus time for the paper to move.
        let transfer = Duration::from_millis(job_len as u64 / 11);
        let deadline = Instant::now() + transfer + self.options.finish_timeout;
        let Some(mut link) = self.link() else {
            return false;
        };
        link.discard_input();
        if link.write_all(&[0x1d, b'r', 1]).is_err() {
            drop(link);
            self.connection = None;
            return false;
        }
        let mut buf = [0u8; 8];
        loop {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            match link.read_timeout(&mut buf, (deadline - now).min(Duration::from_millis(200))) {
                Ok(0) => {
                    // A printer that ran out of paper stays silent; ask for the offline cause
                    // (real-time, answered at once) rather than wait the whole time-out.
                    if link.write_all(&[0x10, 0x04, 2]).is_err() {
                        drop(link);
                        self.connection = None;
                        return false;
                    }
                }
                Ok(n) => {
                    for &byte in &buf[..n] {
                        if status::is_status_byte(byte) {
                            // The answer to `DLE EOT 2`: cover open or paper end.
                            if byte & 0x24 != 0 {
                                return false;
                            }
                        } else if byte & 0xf0 == 0 {
                            // The answer to `GS r 1`: everything before it is printed.
                            return true;
                        }
                    }
                }
                Err(_) => {
                    drop(link);
                    self.connection = None;
                    return false;
                }
            }
        }
    }
}

/// The error a status report means for a job, if any.
fn fault(report: &StatusReport) -> Option<PrintError> {
    if report.paper_end {
        Some(PrintError::PaperEnd)
    } else if report.cover_open {
        Some(PrintError::CoverOpen)
    } else if !report.online || report.error {
        Some(PrintError::Offline)
    } else {
        None
    }
}
