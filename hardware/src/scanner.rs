//! Barcode/QR scanners and the payloads they read.
//!
//! - [`LineAssembler`]: pure; turns the byte stream of a serial scanner (any chunking, noise,
//!   over-long garbage) into codes, split at a configurable terminator.
//! - [`WedgeAssembler`]: pure; turns keyboard-wedge key presses into codes, telling a
//!   scanner's burst of keys from a person typing by the gap between keys.
//! - [`SerialScanner`]: the I/O edge; reads a serial port on its own thread.
//! - [`VirtualScanner`]: writes codes to a pseudo-terminal the way a real scanner does.
//! - [`ReceiptCode`] and [`TicketRef`]: the QR payloads printed by this system, with parsers.
//!
//! # The dossier-receipt QR payload
//!
//! Dossier codes are predictable (`{unit}-{yyMMdd}-{sequence}`), so a receipt's QR carries
//! the code **and** a short secret; the status page needs both. Two spellings are accepted:
//!
//! - compact (what receipts print, small QR): `HS1:{code}:{secret}`, e.g.
//!   `HS1:H22.39-261204-0001:R8K2M4QX`;
//! - URL (for phones): `{base}/tra-cuu?ma={code}&k={secret}`, e.g.
//!   `https://dichvucong.example/tra-cuu?ma=H22.39-261204-0001&k=R8K2M4QX`.
//!
//! `code` is 1 to 40 characters of `A-Z a-z 0-9 . - _ /`; `secret` is 4 to 32 characters of
//! `A-Z a-z 0-9`. The `HS1` prefix is case-insensitive and versions the format.
//!
//! # The queue-ticket QR payload
//!
//! `{base}/t/{id}?s={secret}`: the ticket's tracking URL, with a numeric id and the secret.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

/// The byte sequence that ends one scanned code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    /// Carriage return (`\r`), the factory setting of many scanners.
    Cr,
    /// Line feed (`\n`).
    Lf,
    /// `\r\n`; a lone `\r` or `\n` is treated as noise.
    CrLf,
    /// Either `\r` or `\n`; empty lines are skipped, so `\r\n` gives one code.
    Any,
}

impl Terminator {
    /// The bytes a scanner sends after a code.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Terminator::Cr => b"\r",
            Terminator::Lf | Terminator::Any => b"\n",
            Terminator::CrLf => b"\r\n",
        }
    }
}

/// What a scanner produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanEvent {
    /// A complete code, without its terminator.
    Code(String),
    /// A line longer than the limit was dropped; `length` bytes were thrown away. Scanners
    /// left in the wrong mode or a wrong baud rate produce such garbage.
    Overlong {
        /// Bytes dropped.
        length: usize,
    },
}

/// The longest code accepted by default; receipt and ticket payloads are far shorter.
pub const DEFAULT_MAX_CODE: usize = 512;

/// Splits a scanner's byte stream into codes.
///
/// Control bytes other than the terminator and invalid UTF-8 are dropped as line noise.
/// Memory is bounded by `max_len`: an over-long line is discarded up to its terminator and
/// reported once as [`ScanEvent::Overlong`].
#[derive(Debug, Clone)]
pub struct LineAssembler {
    terminator: Terminator,
    max_len: usize,
    buf: Vec<u8>,
    /// Bytes dropped from the current over-long line, or `None` when the line is fine.
    overflow: Option<usize>,
    /// A `\r` seen with the CRLF terminator, waiting to see whether `\n` follows.
    pending_cr: bool,
}

impl LineAssembler {
    /// An assembler for `terminator` and codes of at most `max_len` bytes.
    pub fn new(terminator: Terminator, max_len: usize) -> Self {
        Self {
            terminator,
            max_len: max_len.max(1),
            buf: Vec::new(),
            overflow: None,
            pending_cr: false,
        }
    }

    /// Feeds bytes as they arrive; returns the events they complete.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<ScanEvent> {
        let mut events = Vec::new();
        for &byte in bytes {
            let ends_line = match self.terminator {
                Terminator::Cr => byte == b'\r',
                Terminator::Lf => byte == b'\n',
                Terminator::Any => byte == b'\r' || byte == b'\n',
                Terminator::CrLf => {
                    let ends = self.pending_cr && byte == b'\n';
                    self.pending_cr = byte == b'\r';
                    ends
                }
            };
            if ends_line {
                self.end_line(&mut events);
            } else if byte >= 0x20 && byte != 0x7f {
                if self.buf.len() < self.max_len {
                    self.buf.push(byte);
                } else {
                    *self.overflow.get_or_insert(self.buf.len()) += 1;
                }
            }
        }
        events
    }

    fn end_line(&mut self, events: &mut Vec<ScanEvent>) {
        if let Some(length) = self.overflow.take() {
            events.push(ScanEvent::Overlong { length });
            self.buf.clear();
            return;
        }
        let line = String::from_utf8_lossy(&self.buf)
            .chars()
            .filter(|&c| c != char::REPLACEMENT_CHARACTER && !c.is_control())
            .collect::<String>();
        self.buf.clear();
        let code = line.trim();
        if !code.is_empty() {
            events.push(ScanEvent::Code(code.to_string()));
        }
    }
}

/// Assembles keyboard-wedge input (a scanner that types like a keyboard) into codes.
///
/// A scanner types a whole code in a few milliseconds and ends with Enter; a person types
/// much slower. Keys further apart than `max_gap` start a new code, so stray key presses
/// before a scan do not end up in it. Time is passed in, so this is testable without sleeping.
#[derive(Debug, Clone)]
pub struct WedgeAssembler {
    max_gap: Duration,
    max_len: usize,
    buf: String,
    last: Option<Instant>,
}

impl WedgeAssembler {
    /// An assembler that resets after `max_gap` between keys (50–100 ms suits scanners).
    pub fn new(max_gap: Duration, max_len: usize) -> Self {
        Self {
            max_gap,
            max_len: max_len.max(1),
            buf: String::new(),
            last: None,
        }
    }

    /// Feeds one typed character at time `now`; returns a code when Enter completes one.
    pub fn key(&mut self, c: char, now: Instant) -> Option<String> {
        if let Some(last) = self.last {
            if now.saturating_duration_since(last) > self.max_gap {
                self.buf.clear();
            }
        }
        self.last = Some(now);
        if c == '\r' || c == '\n' {
            let code = self.buf.trim().to_string();
            self.buf.clear();
            return (!code.is_empty()).then_some(code);
        }
        if !c.is_control() && self.buf.chars().count() < self.max_len {
            self.buf.push(c);
        }
        None
    }
}

/// A serial scanner read on its own thread; events arrive on [`SerialScanner::events`].
pub struct SerialScanner {
    events: Receiver<io::Result<ScanEvent>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SerialScanner {
    /// Opens the serial port at `path` and starts reading.
    pub fn open(path: &str, baud: u32, terminator: Terminator) -> io::Result<Self> {
        let port = serialport::new(path, baud)
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(io::Error::from)?;
        Ok(Self::from_port(port, terminator))
    }

    /// Reads from an already open port (used by tests with a pseudo-terminal).
    pub fn from_port(mut port: Box<dyn SerialPort>, terminator: Terminator) -> Self {
        let (tx, events) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("scanner".into())
            .spawn(move || {
                let mut assembler = LineAssembler::new(terminator, DEFAULT_MAX_CODE);
                let mut buf = [0u8; 256];
                while !stopping.load(Ordering::Relaxed) {
                    match port.read(&mut buf) {
                        Ok(0) => std::thread::sleep(Duration::from_millis(10)),
                        Ok(n) => {
                            for event in assembler.push(&buf[..n]) {
                                if tx.send(Ok(event)).is_err() {
                                    return;
                                }
                            }
                        }
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                            ) => {}
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                }
            })
            .ok();
        Self {
            events,
            stop,
            thread,
        }
    }

    /// Scanned codes, or the I/O error that ended reading.
    pub fn events(&self) -> &Receiver<io::Result<ScanEvent>> {
        &self.events
    }
}

impl Drop for SerialScanner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A virtual serial scanner: a pseudo-terminal whose other side reads like a real scanner.
pub struct VirtualScanner {
    master: TTYPort,
    /// Kept open so that the port stays usable while the reader reopens it.
    _slave: TTYPort,
    path: String,
    terminator: Terminator,
}

impl VirtualScanner {
    /// Creates the pseudo-terminal; open [`VirtualScanner::path`] as the scanner's port.
    pub fn new(terminator: Terminator) -> io::Result<Self> {
        let (master, slave) = TTYPort::pair().map_err(io::Error::from)?;
        let path = slave
            .name()
            .ok_or_else(|| io::Error::other("the pseudo-terminal has no name"))?;
        Ok(Self {
            master,
            _slave: slave,
            path,
            terminator,
        })
    }

    /// The serial port path, e.g. `/dev/pts/7`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Sends `code` and the terminator in small pieces, as a scanner at 9600 baud arrives.
    pub fn scan(&mut self, code: &str) -> io::Result<()> {
        let mut bytes = code.as_bytes().to_vec();
        bytes.extend_from_slice(self.terminator.bytes());
        for chunk in bytes.chunks(7) {
            self.master.write_all(chunk)?;
            self.master.flush()?;
            std::thread::sleep(Duration::from_millis(2));
        }
        Ok(())
    }

    /// Sends raw bytes (noise, garbage) without a terminator.
    pub fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.master.write_all(bytes)?;
        self.master.flush()
    }
}

/// Why a scanned payload was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// The text is neither a receipt code nor a ticket URL of this system.
    #[error("not a code of this system")]
    NotRecognised,
    /// The dossier code is empty, too long or has characters outside `A-Z a-z 0-9 . - _ /`.
    #[error("invalid dossier code")]
    InvalidCode,
    /// The secret is missing, shorter than 4 or longer than 32, or not letters and digits.
    #[error("invalid secret")]
    InvalidSecret,
    /// The ticket id is not a positive number.
    #[error("invalid ticket id")]
    InvalidTicketId,
}

/// A dossier receipt's code and secret, read from its QR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCode {
    /// The dossier code, e.g. `H22.39-261204-0001`.
    pub code: String,
    /// The short secret printed with it.
    pub secret: String,
}

fn valid_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
}

fn valid_secret(secret: &str) -> bool {
    (4..=32).contains(&secret.len()) && secret.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The value of `name` in a URL query string, percent-decoded for the few characters codes
/// may contain.
fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(value: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl ReceiptCode {
    /// Checks and builds a receipt code.
    pub fn new(code: &str, secret: &str) -> Result<Self, PayloadError> {
        if !valid_code(code) {
            return Err(PayloadError::InvalidCode);
        }
        if !valid_secret(secret) {
            return Err(PayloadError::InvalidSecret);
        }
        Ok(Self {
            code: code.to_string(),
            secret: secret.to_string(),
        })
    }

    /// The compact payload, `HS1:{code}:{secret}`.
    pub fn to_compact(&self) -> String {
        format!("HS1:{}:{}", self.code, self.secret)
    }

    /// The URL payload, `{base}/tra-cuu?ma={code}&k={secret}`.
    pub fn to_url(&self, base: &str) -> String {
        format!(
            "{}/tra-cuu?ma={}&k={}",
            base.trim_end_matches('/'),
            self.code.replace('/', "%2F"),
            self.secret
        )
    }

    /// Parses either spelling (see the module docs).
    pub fn parse(text: &str) -> Result<Self, PayloadError> {
        let text = text.trim();
        if let Some(rest) = text
            .get(..4)
            .filter(|prefix| prefix.eq_ignore_ascii_case("HS1:"))
            .map(|_| &text[4..])
        {
            let (code, secret) = rest.rsplit_once(':').ok_or(PayloadError::InvalidSecret)?;
            return Self::new(code, secret);
        }
        let (path, query) = text.split_once('?').ok_or(PayloadError::NotRecognised)?;
        if !is_url(path) || !path.trim_end_matches('/').ends_with("/tra-cuu") {
            return Err(PayloadError::NotRecognised);
        }
        let code = query_value(query, "ma").ok_or(PayloadError::InvalidCode)?;
        let secret = query_value(query, "k").ok_or(PayloadError::InvalidSecret)?;
        Self::new(&code, &secret)
    }
}

fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// A queue ticket's id and secret, read from its tracking URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRef {
    /// The ticket id.
    pub id: u64,
    /// The secret that, with the id, opens the status page.
    pub secret: String,
}

impl TicketRef {
    /// The tracking URL, `{base}/t/{id}?s={secret}`.
    pub fn to_url(&self, base: &str) -> String {
        format!(
            "{}/t/{}?s={}",
            base.trim_end_matches('/'),
            self.id,
            self.secret
        )
    }

    /// Parses a tracking URL `{base}/t/{id}?s={secret}`.
    pub fn parse(text: &str) -> Result<Self, PayloadError> {
        let text = text.trim();
        let (path, query) = text.split_once('?').ok_or(PayloadError::NotRecognised)?;
        if !is_url(path) {
            return Err(PayloadError::NotRecognised);
        }
        let (prefix, id) = path.rsplit_once('/').ok_or(PayloadError::NotRecognised)?;
        if !prefix.ends_with("/t") {
            return Err(PayloadError::NotRecognised);
        }
        let id: u64 = id.parse().map_err(|_| PayloadError::InvalidTicketId)?;
        if id == 0 {
            return Err(PayloadError::InvalidTicketId);
        }
        let secret = query_value(query, "s").ok_or(PayloadError::InvalidSecret)?;
        if !valid_secret(&secret) {
            return Err(PayloadError::InvalidSecret);
        }
        Ok(Self { id, secret })
    }
}

/// Anything a kiosk's scanner may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// A dossier receipt.
    Receipt(ReceiptCode),
    /// A queue ticket.
    Ticket(TicketRef),
}

/// Recognises a scanned text as a receipt or a ticket.
pub fn parse_scanned(text: &str) -> Result<Scanned, PayloadError> {
    match TicketRef::parse(text) {
        Ok(ticket) => Ok(Scanned::Ticket(ticket)),
        Err(PayloadError::NotRecognised) => ReceiptCode::parse(text).map(Scanned::Receipt),
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(events: Vec<ScanEvent>) -> Vec<String> {
        events
            .into_iter()
            .filter_map(|e| match e {
                ScanEvent::Code(c) => Some(c),
                ScanEvent::Overlong { .. } => None,
            })
            .collect()
    }

    #[test]
    fn terminators() {
        let cases: &[(Terminator, &[u8], &[&str])] = &[
            (Terminator::Cr, b"AB\rCD\r", &["AB", "CD"]),
            (Terminator::Lf, b"AB\nCD\n", &["AB", "CD"]),
            (Terminator::CrLf, b"AB\r\nCD\r\n", &["AB", "CD"]),
            (Terminator::CrLf, b"A\rB\r\n", &["AB"]),
            (Terminator::Any, b"AB\r\nCD\n\n", &["AB", "CD"]),
            (Terminator::Cr, b"\x00\x07AB\x1b\r", &["AB"]),
        ];
        for (terminator, input, expect) in cases {
            let mut assembler = LineAssembler::new(*terminator, 64);
            assert_eq!(
                codes(assembler.push(input)),
                *expect,
                "{terminator:?} {input:?}"
            );
        }
    }

    #[test]
    fn partial_reads_join() {
        let mut assembler = LineAssembler::new(Terminator::CrLf, 64);
        let mut out = Vec::new();
        for chunk in [&b"HS1:H22"[..], b".39-2612", b"04-0001:R8K2M4QX\r", b"\n"] {
            out.extend(assembler.push(chunk));
        }
        assert_eq!(codes(out), vec!["HS1:H22.39-261204-0001:R8K2M4QX"]);
    }

    #[test]
    fn overlong_lines_are_cut_and_reported() {
        let mut assembler = LineAssembler::new(Terminator::Lf, 8);
        let events = assembler.push(b"0123456789ABCDEF\nOK\n");
        assert_eq!(
            events,
            vec![
                ScanEvent::Overlong { length: 16 },
                ScanEvent::Code("OK".into())
            ]
        );
    }

    #[test]
    fn wedge_resets_after_a_pause() {
        let mut wedge = WedgeAssembler::new(Duration::from_millis(50), 64);
        let t0 = Instant::now();
        assert_eq!(wedge.key('x', t0), None);
        let t1 = t0 + Duration::from_secs(2);
        let mut out = None;
        for (i, c) in "AB12\r".chars().enumerate() {
            out = wedge.key(c, t1 + Duration::from_millis(i as u64 * 5));
        }
        assert_eq!(out.as_deref(), Some("AB12"));
    }

    #[test]
    fn receipt_payloads() {
        let expect = ReceiptCode::new("H22.39-261204-0001", "R8K2M4QX").unwrap();
        assert_eq!(
            ReceiptCode::parse("HS1:H22.39-261204-0001:R8K2M4QX"),
            Ok(expect.clone())
        );
        assert_eq!(
            ReceiptCode::parse("hs1:H22.39-261204-0001:R8K2M4QX\r"),
            Ok(expect.clone())
        );
        assert_eq!(
            ReceiptCode::parse("https://dvc.example/tra-cuu?ma=H22.39-261204-0001&k=R8K2M4QX"),
            Ok(expect.clone())
        );
        assert_eq!(ReceiptCode::parse(&expect.to_compact()), Ok(expect.clone()));
        assert_eq!(
            ReceiptCode::parse(&expect.to_url("https://a.example/")),
            Ok(expect)
        );
        assert_eq!(
            ReceiptCode::parse("HS1:H22:ab"),
            Err(PayloadError::InvalidSecret)
        );
        assert_eq!(
            ReceiptCode::parse("HS1::ABCDEF"),
            Err(PayloadError::InvalidCode)
        );
        assert_eq!(
            ReceiptCode::parse("HS1:a b:ABCDEF"),
            Err(PayloadError::InvalidCode)
        );
        assert_eq!(
            ReceiptCode::parse("hello"),
            Err(PayloadError::NotRecognised)
        );
    }

    #[test]
    fn ticket_payloads() {
        let ticket = TicketRef {
            id: 48213,
            secret: "k7Q2xP9m".into(),
        };
        let url = ticket.to_url("https://dvc.example");
        assert_eq!(url, "https://dvc.example/t/48213?s=k7Q2xP9m");
        assert_eq!(TicketRef::parse(&url), Ok(ticket.clone()));
        assert_eq!(parse_scanned(&url), Ok(Scanned::Ticket(ticket)));
        assert_eq!(
            TicketRef::parse("https://dvc.example/t/abc?s=k7Q2xP9m"),
            Err(PayloadError::InvalidTicketId)
        );
        assert_eq!(
            TicketRef::parse("https://dvc.example/t/5?s=x"),
            Err(PayloadError::InvalidSecret)
        );
        assert!(matches!(
            parse_scanned("HS1:H22.39-261204-0001:R8K2M4QX"),
            Ok(Scanned::Receipt(_))
        ));
    }
}
