//! Byte links to a printer: serial, TCP (port 9100), USB printer-class device file, plain
//! file, memory, and the in-process virtual printer.
//!
//! Every operation has a time-out, and every failure is a [`PrintError`] that says what is
//! wrong in words a support person can act on.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::virtual_printer::VirtualPrinter;

/// Why printing (or talking to the printer) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The device path, serial port or network address does not exist or refuses connections.
    #[error("no such device: {0}")]
    NoSuchDevice(String),
    /// The device exists but this process may not open it (for example not in group `lp`).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    /// The printer did not accept or answer within the time allowed.
    #[error("time-out: {0}")]
    TimedOut(String),
    /// The link broke while in use (cable pulled, connection reset, printer switched off).
    #[error("disconnected: {0}")]
    Disconnected(String),
    /// The printer reports that the paper has run out.
    #[error("paper end")]
    PaperEnd,
    /// The printer reports that its cover is open.
    #[error("cover open")]
    CoverOpen,
    /// The printer reports that it is offline for another reason.
    #[error("printer offline")]
    Offline,
    /// Any other input/output error, with the system's message.
    #[error("i/o error: {0}")]
    Io(String),
}

impl PrintError {
    /// Classifies an I/O error that happened while doing `what` (a device path or address).
    pub fn from_io(error: &io::Error, what: &str) -> Self {
        use io::ErrorKind as K;
        let detail = format!("{what}: {error}");
        match error.kind() {
            K::NotFound | K::ConnectionRefused | K::AddrNotAvailable => Self::NoSuchDevice(detail),
            K::PermissionDenied => Self::PermissionDenied(detail),
            K::TimedOut | K::WouldBlock => Self::TimedOut(detail),
            K::BrokenPipe
            | K::ConnectionReset
            | K::ConnectionAborted
            | K::UnexpectedEof
            | K::NotConnected => Self::Disconnected(detail),
            _ if error.raw_os_error() == Some(5) || error.raw_os_error() == Some(19) => {
                // EIO and ENODEV are what a USB or serial device gives when it is unplugged.
                Self::Disconnected(detail)
            }
            _ => Self::Io(detail),
        }
    }

    fn from_serial(error: &serialport::Error, path: &str) -> Self {
        let detail = format!("{path}: {error}");
        match error.kind() {
            serialport::ErrorKind::NoDevice => Self::NoSuchDevice(detail),
            serialport::ErrorKind::Io(kind) => {
                Self::from_io(&io::Error::new(kind, error.to_string()), path)
            }
            _ => Self::Io(detail),
        }
    }
}

/// A two-way (or write-only) byte link to a printer.
pub trait Link: Send {
    /// Writes all of `data`, failing with [`PrintError::TimedOut`] when the printer stops
    /// accepting bytes for longer than the link's write time-out.
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError>;
    /// Reads whatever the printer sent, waiting at most `timeout`; `Ok(0)` means nothing came.
    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError>;
    /// Whether the printer can answer on this link; files and memory cannot.
    fn can_answer(&self) -> bool;
    /// Drops bytes the printer sent earlier and nobody read, so that a status query reads
    /// only its own answers.
    fn discard_input(&mut self) {
        let mut buf = [0u8; 256];
        while let Ok(n) = self.read_timeout(&mut buf, Duration::ZERO) {
            if n == 0 {
                break;
            }
        }
    }
}

/// A serial port (`serialport` without libudev).
pub struct SerialLink {
    port: Box<dyn serialport::SerialPort>,
    path: String,
}

impl SerialLink {
    /// Opens `path` at `baud`, 8N1, with `write_timeout` for each write.
    pub fn open(path: &str, baud: u32, write_timeout: Duration) -> Result<Self, PrintError> {
        if !Path::new(path).exists() {
            return Err(PrintError::NoSuchDevice(format!(
                "{path}: no such serial port"
            )));
        }
        let mut port = serialport::new(path, baud)
            .timeout(write_timeout)
            .open_native()
            .map_err(|e| PrintError::from_serial(&e, path))?;
        if path.starts_with("/dev/pts/") {
            // A pseudo-terminal is a virtual printer whose server keeps the other side open;
            // exclusive mode would outlive this link and refuse our own reconnection when not
            // running as root. Real serial ports stay exclusive so that no other program
            // interleaves bytes with a ticket.
            port.set_exclusive(false)
                .map_err(|e| PrintError::from_serial(&e, path))?;
        }
        Ok(Self {
            port: Box::new(port),
            path: path.to_string(),
        })
    }
}

impl Link for SerialLink {
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError> {
        self.port
            .write_all(data)
            .and_then(|()| self.port.flush())
            .map_err(|e| PrintError::from_io(&e, &self.path))
    }

    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        let available = self
            .port
            .bytes_to_read()
            .map_err(|e| PrintError::from_serial(&e, &self.path))?;
        if available == 0 && timeout.is_zero() {
            return Ok(0);
        }
        let write_timeout = self.port.timeout();
        self.port
            .set_timeout(timeout.max(Duration::from_millis(1)))
            .map_err(|e| PrintError::from_serial(&e, &self.path))?;
        let result = match self.port.read(buf) {
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                Ok(0)
            }
            Err(e) => Err(PrintError::from_io(&e, &self.path)),
        };
        let _ = self.port.set_timeout(write_timeout);
        result
    }

    fn can_answer(&self) -> bool {
        true
    }
}

/// A network printer, normally on TCP port 9100 ("raw" or "JetDirect" printing).
pub struct TcpLink {
    stream: TcpStream,
    addr: String,
}

impl TcpLink {
    /// Connects to `addr` (host:port) within `timeout`; writes time out after `timeout` too.
    pub fn connect(addr: &str, timeout: Duration) -> Result<Self, PrintError> {
        let addrs: Vec<_> = addr
            .to_socket_addrs()
            .map_err(|e| PrintError::NoSuchDevice(format!("{addr}: {e}")))?
            .collect();
        let mut last = PrintError::NoSuchDevice(format!("{addr}: no address"));
        for socket_addr in addrs {
            match TcpStream::connect_timeout(&socket_addr, timeout) {
                Ok(stream) => {
                    stream
                        .set_write_timeout(Some(timeout))
                        .map_err(|e| PrintError::from_io(&e, addr))?;
                    let _ = stream.set_nodelay(true);
                    return Ok(Self {
                        stream,
                        addr: addr.to_string(),
                    });
                }
                Err(e) => last = PrintError::from_io(&e, addr),
            }
        }
        Err(last)
    }
}

impl Link for TcpLink {
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError> {
        self.stream
            .write_all(data)
            .and_then(|()| self.stream.flush())
            .map_err(|e| PrintError::from_io(&e, &self.addr))
    }

    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        let nonblocking = timeout.is_zero();
        self.stream
            .set_nonblocking(nonblocking)
            .map_err(|e| PrintError::from_io(&e, &self.addr))?;
        if !nonblocking {
            self.stream
                .set_read_timeout(Some(timeout))
                .map_err(|e| PrintError::from_io(&e, &self.addr))?;
        }
        let result = match self.stream.read(buf) {
            Ok(0) => Err(PrintError::Disconnected(format!(
                "{}: connection closed by the printer",
                self.addr
            ))),
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                Ok(0)
            }
            Err(e) => Err(PrintError::from_io(&e, &self.addr)),
        };
        let _ = self.stream.set_nonblocking(false);
        result
    }

    fn can_answer(&self) -> bool {
        true
    }
}

/// A USB printer-class device file such as `/dev/usb/lp0`.
///
/// The kernel's `usblp` driver has no time-outs of its own, so reads and writes run on two
/// helper threads and the link waits for them with a deadline; a write that does not finish
/// in time fails with [`PrintError::TimedOut`] and the link is then unusable (reopen it).
pub struct UsbLpLink {
    path: String,
    writes: SyncSender<Vec<u8>>,
    written: Receiver<Result<(), PrintError>>,
    reads: Receiver<Result<Vec<u8>, PrintError>>,
    leftover: Vec<u8>,
    write_timeout: Duration,
}

impl UsbLpLink {
    /// Opens the device for reading and writing.
    pub fn open(path: &str, write_timeout: Duration) -> Result<Self, PrintError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| PrintError::from_io(&e, path))?;
        let mut reader = file
            .try_clone()
            .map_err(|e| PrintError::from_io(&e, path))?;
        let mut writer: File = file;
        let (writes, write_rx) = mpsc::sync_channel::<Vec<u8>>(1);
        let (written_tx, written) = mpsc::sync_channel(1);
        let (read_tx, reads) = mpsc::sync_channel(16);
        let write_path = path.to_string();
        std::thread::Builder::new()
            .name("usblp-writer".into())
            .spawn(move || {
                for data in write_rx {
                    let result = writer
                        .write_all(&data)
                        .and_then(|()| writer.flush())
                        .map_err(|e| PrintError::from_io(&e, &write_path));
                    if written_tx.send(result).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| PrintError::Io(e.to_string()))?;
        let read_path = path.to_string();
        std::thread::Builder::new()
            .name("usblp-reader".into())
            .spawn(move || {
                let mut buf = [0u8; 64];
                loop {
                    let message = match reader.read(&mut buf) {
                        // usblp returns 0 when the printer has nothing to say; poll gently.
                        Ok(0) => {
                            std::thread::sleep(Duration::from_millis(20));
                            continue;
                        }
                        Ok(n) => Ok(buf[..n].to_vec()),
                        Err(e) => Err(PrintError::from_io(&e, &read_path)),
                    };
                    let failed = message.is_err();
                    if read_tx.send(message).is_err() || failed {
                        break;
                    }
                }
            })
            .map_err(|e| PrintError::Io(e.to_string()))?;
        Ok(Self {
            path: path.to_string(),
            writes,
            written,
            reads,
            leftover: Vec::new(),
            write_timeout,
        })
    }
}

impl Link for UsbLpLink {
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError> {
        let gone = || PrintError::Disconnected(format!("{}: device closed", self.path));
        self.writes.send(data.to_vec()).map_err(|_| gone())?;
        match self.written.recv_timeout(self.write_timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(PrintError::TimedOut(format!(
                "{}: the printer accepted no data for {:?}",
                self.path, self.write_timeout
            ))),
            Err(RecvTimeoutError::Disconnected) => Err(gone()),
        }
    }

    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        if self.leftover.is_empty() {
            match self.reads.recv_timeout(timeout) {
                Ok(Ok(bytes)) => self.leftover = bytes,
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Timeout) => return Ok(0),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PrintError::Disconnected(format!(
                        "{}: device closed",
                        self.path
                    )))
                }
            }
        }
        let n = buf.len().min(self.leftover.len());
        buf[..n].copy_from_slice(&self.leftover[..n]);
        self.leftover.drain(..n);
        Ok(n)
    }

    fn can_answer(&self) -> bool {
        true
    }
}

/// A plain file that receives the bytes (appended), for debugging and spooling.
pub struct FileLink {
    file: File,
    path: String,
}

impl FileLink {
    /// Opens `path` for appending, creating it.
    pub fn open(path: &Path) -> Result<Self, PrintError> {
        let name = path.display().to_string();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| PrintError::from_io(&e, &name))?;
        Ok(Self { file, path: name })
    }
}

impl Link for FileLink {
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError> {
        self.file
            .write_all(data)
            .and_then(|()| self.file.flush())
            .map_err(|e| PrintError::from_io(&e, &self.path))
    }

    fn read_timeout(&mut self, _buf: &mut [u8], _timeout: Duration) -> Result<usize, PrintError> {
        Ok(0)
    }

    fn can_answer(&self) -> bool {
        false
    }
}

/// Bytes collected in memory, shared with whoever holds the other clone.
#[derive(Clone, Default)]
pub struct MemoryLink {
    /// Everything written so far.
    pub bytes: Arc<Mutex<Vec<u8>>>,
}

impl Link for MemoryLink {
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError> {
        self.bytes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend_from_slice(data);
        Ok(())
    }

    fn read_timeout(&mut self, _buf: &mut [u8], _timeout: Duration) -> Result<usize, PrintError> {
        Ok(0)
    }

    fn can_answer(&self) -> bool {
        false
    }
}

/// The in-process virtual printer, called directly: no socket, same interpreter.
pub struct VirtualLink {
    printer: VirtualPrinter,
    replies: Vec<u8>,
}

impl VirtualLink {
    /// A link to `printer`.
    pub fn new(printer: VirtualPrinter) -> Self {
        Self {
            printer,
            replies: Vec::new(),
        }
    }
}

impl Link for VirtualLink {
    fn write_all(&mut self, data: &[u8]) -> Result<(), PrintError> {
        if self.printer.is_disconnected() {
            return Err(PrintError::Disconnected(
                "virtual printer: cable pulled".into(),
            ));
        }
        let replies = self.printer.receive(data);
        self.replies.extend(replies);
        Ok(())
    }

    fn read_timeout(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, PrintError> {
        if self.replies.is_empty() {
            // Nothing will arrive later: the virtual printer answers synchronously. Sleep
            // anyway so that callers see the same timing as with a silent real printer.
            if !timeout.is_zero() {
                let deadline = Instant::now() + timeout.min(Duration::from_millis(50));
                while Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            return Ok(0);
        }
        let n = buf.len().min(self.replies.len());
        buf[..n].copy_from_slice(&self.replies[..n]);
        self.replies.drain(..n);
        Ok(n)
    }

    fn can_answer(&self) -> bool {
        true
    }
}
