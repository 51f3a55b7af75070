//! The virtual printer: the [interpreter](crate::interpreter) behind a TCP listener, a
//! pseudo-terminal or a direct in-process link, writing one PNG per cut.
//!
//! It is real code, not a test helper: the kiosk demo prints to it when no printer is
//! configured, and the `virtual-printer` binary lets people watch tickets appear as images.
//! Faults (paper out, cover open, a pulled cable) are switched on and off through
//! [`VirtualPrinter`]'s methods.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serialport::{SerialPort, TTYPort};

use crate::interpreter::{Faults, Interpreter, Notice};
use crate::layout::Paper;

/// The state behind a [`VirtualPrinter`] handle.
struct Core {
    /// Turns received bytes into pages and status replies.
    interpreter: Interpreter,
    /// Where PNGs go; created on first use.
    out_dir: PathBuf,
    /// File names start with the time the printer started, so that runs do not overwrite
    /// each other's pages.
    prefix: String,
    /// Pages written so far, in order.
    pages: Vec<PathBuf>,
    /// Notices from the interpreter, newest last, at most 200 kept.
    notices: Vec<Notice>,
    /// A simulated pulled cable: data is ignored and connections are dropped.
    disconnected: bool,
    /// The last error writing a PNG, so that a full disk is visible.
    last_write_error: Option<String>,
}

/// A handle to one virtual printer; clones share the same paper and switches.
#[derive(Clone)]
pub struct VirtualPrinter {
    core: Arc<Mutex<Core>>,
}

impl VirtualPrinter {
    /// A virtual printer for `paper` that writes its pages into `out_dir`.
    pub fn new(out_dir: impl Into<PathBuf>, paper: Paper) -> Self {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        Self {
            core: Arc::new(Mutex::new(Core {
                interpreter: Interpreter::new(paper.dots()),
                out_dir: out_dir.into(),
                prefix: format!("page-{started}"),
                pages: Vec::new(),
                notices: Vec::new(),
                disconnected: false,
                last_write_error: None,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic in another thread while holding the lock leaves the printer state usable:
        // the worst case is one half-interpreted job, which is what a real printer does too.
        self.core
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Interprets bytes from the host, writes a PNG for every cut and returns the replies.
    pub fn receive(&self, bytes: &[u8]) -> Vec<u8> {
        let mut core = self.lock();
        if core.disconnected {
            return Vec::new();
        }
        let output = core.interpreter.feed(bytes);
        for page in output.pages {
            let path =
                core.out_dir
                    .join(format!("{}-{:04}.png", core.prefix, core.pages.len() + 1));
            let result = std::fs::create_dir_all(&core.out_dir)
                .map_err(|e| e.to_string())
                .and_then(|()| page.to_image().save(&path).map_err(|e| e.to_string()));
            match result {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "virtual printer cut a page");
                    core.pages.push(path);
                }
                Err(error) => {
                    tracing::warn!(%error, "virtual printer could not write a page");
                    core.last_write_error = Some(error);
                }
            }
        }
        for notice in output.notices {
            match notice {
                Notice::UnknownCommand { .. } | Notice::Unsupported { .. } => {
                    tracing::warn!(?notice, "virtual printer skipped a command")
                }
                _ => tracing::info!(?notice, "virtual printer"),
            }
            if core.notices.len() >= 200 {
                core.notices.remove(0);
            }
            core.notices.push(notice);
        }
        output.replies
    }

    /// The PNG files written so far, oldest first.
    pub fn pages(&self) -> Vec<PathBuf> {
        self.lock().pages.clone()
    }

    /// The most recent interpreter notices (unknown commands, paper running out, ...).
    pub fn notices(&self) -> Vec<Notice> {
        self.lock().notices.clone()
    }

    /// The last error writing a PNG, if any.
    pub fn last_write_error(&self) -> Option<String> {
        self.lock().last_write_error.clone()
    }

    /// The folder pages are written to.
    pub fn out_dir(&self) -> PathBuf {
        self.lock().out_dir.clone()
    }

    /// The simulated faults in force.
    pub fn faults(&self) -> Faults {
        self.lock().interpreter.faults()
    }

    fn update(&self, change: impl FnOnce(&mut Faults)) {
        let mut core = self.lock();
        let mut faults = core.interpreter.faults();
        change(&mut faults);
        core.interpreter.set_faults(faults);
    }

    /// Takes the paper out (`true`) or loads a fresh roll (`false`).
    pub fn set_paper_out(&self, out: bool) {
        self.update(|f| {
            f.paper_out = out;
            if !out {
                f.paper_left_dots = None;
            }
        });
    }

    /// Opens or closes the cover.
    pub fn set_cover_open(&self, open: bool) {
        self.update(|f| f.cover_open = open);
    }

    /// Sets the paper near-end sensor.
    pub fn set_paper_near_end(&self, near_end: bool) {
        self.update(|f| f.paper_near_end = near_end);
    }

    /// Makes the paper run out after `dots` more dots of feed (`None`: an endless roll).
    pub fn set_paper_left(&self, dots: Option<u32>) {
        self.update(|f| f.paper_left_dots = dots);
    }

    /// Pulls (`true`) or plugs back (`false`) the simulated cable: while pulled, bytes are
    /// ignored, TCP connections are closed and new ones refused.
    pub fn set_disconnected(&self, disconnected: bool) {
        self.lock().disconnected = disconnected;
    }

    /// Whether the simulated cable is pulled.
    pub fn is_disconnected(&self) -> bool {
        self.lock().disconnected
    }
}

/// Serves `printer` on `listener` until `shutdown` is set, one thread per connection, the
/// way a network printer serves port 9100.
pub fn serve_tcp(
    listener: TcpListener,
    printer: VirtualPrinter,
    shutdown: Arc<AtomicBool>,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    while !shutdown.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, peer)) => {
                if printer.is_disconnected() {
                    drop(stream);
                    continue;
                }
                tracing::info!(%peer, "virtual printer: connection");
                let printer = printer.clone();
                let shutdown = shutdown.clone();
                std::thread::Builder::new()
                    .name("virtual-printer-conn".into())
                    .spawn(move || serve_connection(stream, printer, shutdown))?;
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn serve_connection(mut stream: TcpStream, printer: VirtualPrinter, shutdown: Arc<AtomicBool>) {
    if stream.set_nonblocking(false).is_err()
        || stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .is_err()
    {
        return;
    }
    let mut buf = [0u8; 4096];
    while !shutdown.load(Ordering::Relaxed) && !printer.is_disconnected() {
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                let replies = printer.receive(&buf[..n]);
                if !replies.is_empty() && stream.write_all(&replies).is_err() {
                    return;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

/// A virtual printer reachable as a serial port through a pseudo-terminal.
pub struct PtyServer {
    /// The path of the serial port to open, e.g. `/dev/pts/7`.
    pub path: String,
    shutdown: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl PtyServer {
    /// Opens a pseudo-terminal pair and serves `printer` on its master side.
    pub fn start(printer: VirtualPrinter) -> io::Result<Self> {
        let (mut master, slave) = TTYPort::pair().map_err(io::Error::other)?;
        let path = slave
            .name()
            .ok_or_else(|| io::Error::other("the pseudo-terminal has no name"))?;
        master
            .set_timeout(Duration::from_millis(50))
            .map_err(io::Error::other)?;
        let shutdown = Arc::new(AtomicBool::new(false));
        let stop = shutdown.clone();
        let thread = std::thread::Builder::new()
            .name("virtual-printer-pty".into())
            .spawn(move || {
                // Holding the slave side open keeps the master readable when the host closes
                // and reopens the port; without it reads fail with EIO in between.
                let _slave = slave;
                let mut buf = [0u8; 4096];
                while !stop.load(Ordering::Relaxed) {
                    match master.read(&mut buf) {
                        Ok(0) => std::thread::sleep(Duration::from_millis(10)),
                        Ok(n) => {
                            let replies = printer.receive(&buf[..n]);
                            if !replies.is_empty() {
                                let _ = master.write_all(&replies);
                            }
                        }
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                            ) => {}
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })?;
        Ok(Self {
            path,
            shutdown,
            thread: Some(thread),
        })
    }

    /// The serial port path to print to.
    pub fn path(&self) -> &Path {
        Path::new(&self.path)
    }
}

impl Drop for PtyServer {
    fn drop(&mut self) {
        self.shutdown.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
