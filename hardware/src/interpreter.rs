//! A pure ESC/POS interpreter: bytes in, paper (and status replies) out.
//!
//! It understands every command this crate emits (text, bold, font, sizes, justification,
//! line and dot feeds, `GS v 0` raster, `GS ( k` QR codes, cuts, `DLE EOT` status) and a
//! few common neighbours; anything else is skipped and reported as a [`Notice`]. It does no
//! I/O: the [virtual printer](crate::virtual_printer) wraps it with sockets and PNG files.
//!
//! Architecture Invariant: memory stays bounded whatever bytes arrive. Commands are parsed
//! incrementally; the only buffered data are a few header bytes, QR data (at most
//! [`MAX_QR_DATA`] bytes) and the page, which is capped at [`MAX_PAGE_DOTS`] rows.

use std::collections::HashMap;
use std::sync::Arc;

use ab_glyph::{Font, PxScale, ScaleFont};
use qrcode::{Color, EcLevel, QrCode};

use crate::raster::{bold_font, regular_font};

/// The longest page kept, in dots (about 1.25 m of paper); rows past it are dropped and a
/// notice is given, so that a stream without cuts cannot exhaust memory.
pub const MAX_PAGE_DOTS: u32 = 10_000;
/// The most QR data kept; a real printer's limit is 7,089 bytes.
pub const MAX_QR_DATA: usize = 7_089;
/// The most notices reported by one [`Interpreter::feed`] call; the rest are counted.
const MAX_NOTICES: usize = 32;
/// Default line spacing (`ESC 2`) in dots.
const DEFAULT_LINE_SPACING: u32 = 30;

/// A printed length of paper, from one cut to the next. Pixels are one byte each, 1 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Width in dots, the paper's printable width.
    pub width: u32,
    /// Height in dots.
    pub height: u32,
    /// Row-major pixels, `width * height` bytes, 1 for black and 0 for white.
    pub pixels: Vec<u8>,
}

impl Page {
    /// Whether the dot at (x, y) is black.
    pub fn is_black(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.pixels[(y * self.width + x) as usize] != 0
    }

    /// The page as an 8-bit grey image, black ink on white paper.
    pub fn to_image(&self) -> image::GrayImage {
        image::GrayImage::from_fn(self.width, self.height.max(1), |x, y| {
            image::Luma([if self.is_black(x, y) { 0 } else { 255 }])
        })
    }
}

/// Something the interpreter wants the operator to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A command this interpreter does not know was skipped; `bytes` are its first bytes.
    UnknownCommand {
        /// Offset of the command in the whole stream.
        offset: u64,
        /// The bytes skipped (at most four).
        bytes: Vec<u8>,
    },
    /// A known command that is not drawn (for example a 1D barcode) was skipped.
    Unsupported {
        /// Offset of the command in the whole stream.
        offset: u64,
        /// What was skipped.
        what: &'static str,
    },
    /// The simulated paper ran out while printing; the page in progress was lost.
    PaperRanOut,
    /// Print data arrived while the printer was offline (paper out or cover open) and was
    /// discarded; real printers differ here, the virtual one drops it so a retry prints once.
    DiscardedWhileOffline,
    /// A page grew past [`MAX_PAGE_DOTS`] without a cut; the rest of it was not drawn.
    PageTooLong,
    /// A QR code could not be encoded (for example too much data) and was not drawn.
    QrFailed,
    /// More notices happened in one call than are reported; this many were dropped.
    Suppressed(usize),
}

/// What one call to [`Interpreter::feed`] produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    /// Bytes the printer sends back to the host (status replies), in order.
    pub replies: Vec<u8>,
    /// Pages completed by a cut.
    pub pages: Vec<Page>,
    /// Skipped commands and other events, at most 32 plus a [`Notice::Suppressed`] count.
    pub notices: Vec<Notice>,
}

/// Simulated printer faults, set by the operator or the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Faults {
    /// No paper: the printer is offline and reports paper end.
    pub paper_out: bool,
    /// The cover is open: the printer is offline and reports cover open.
    pub cover_open: bool,
    /// The paper is nearly out; printing goes on but status reports paper near end.
    pub paper_near_end: bool,
    /// Dots of paper left before it runs out (`None` for an endless roll); used to make
    /// the paper run out in the middle of a job.
    pub paper_left_dots: Option<u32>,
}

impl Faults {
    fn offline(&self) -> bool {
        self.paper_out || self.cover_open
    }
}

/// The reply to `DLE EOT n` for the given faults, or `None` for an unknown `n`.
///
/// Bits follow the Epson TM series: bit 1 and bit 4 are always set; see
/// [`crate::status`] for the decoding side.
pub fn status_reply(n: u8, faults: &Faults) -> Option<u8> {
    let base = 0x12;
    Some(match n {
        1 => base | if faults.offline() { 0x08 } else { 0 },
        2 => {
            base | if faults.cover_open { 0x04 } else { 0 }
                | if faults.paper_out { 0x20 } else { 0 }
        }
        3 => base,
        4 => {
            base | if faults.paper_near_end { 0x0c } else { 0 }
                | if faults.paper_out { 0x60 } else { 0 }
        }
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Justify {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CharStyle {
    bold: bool,
    font_b: bool,
    width_mul: u8,
    height_mul: u8,
    underline: bool,
}

impl CharStyle {
    fn cell(&self) -> (u32, u32) {
        let (w, h) = if self.font_b { (9, 17) } else { (12, 24) };
        (w * self.width_mul as u32, h * self.height_mul as u32)
    }
}

impl Default for CharStyle {
    fn default() -> Self {
        Self {
            bold: false,
            font_b: false,
            width_mul: 1,
            height_mul: 1,
            underline: false,
        }
    }
}

/// The black dots of a rendered printer-font character, relative to its cell.
type GlyphDots = Arc<[(u16, u16)]>;

/// A command whose data is longer than a header and is consumed as it arrives.
#[derive(Debug)]
enum Stream {
    /// `GS v 0` raster data.
    Raster {
        width_bytes: u32,
        rows: u32,
        double_width: bool,
        double_height: bool,
        x0: u32,
        y0: u32,
        received: u64,
    },
    /// A length-prefixed block (`GS ( x`), kept only when it is QR data.
    Block {
        keep: bool,
        remaining: usize,
        data: Vec<u8>,
    },
    /// Bytes to skip (a barcode's data).
    Skip { remaining: usize },
    /// A NUL-terminated barcode; skip up to and including the NUL, at most 255 bytes.
    SkipUntilNul { seen: usize },
}

/// The ESC/POS interpreter. Feed it bytes in any chunks; it keeps parse state across calls.
pub struct Interpreter {
    /// Printable width in dots.
    width: u32,
    /// The page being printed, row-major, one byte per dot; grows as the paper advances.
    page: Vec<u8>,
    /// The paper position (top of the next line) in dots from the page's top.
    y: u32,
    /// Text waiting for a line end, with the style each character was typed in.
    line: Vec<(u8, CharStyle)>,
    style: CharStyle,
    justify: Justify,
    line_spacing: u32,
    faults: Faults,
    /// Header bytes of a command that was cut between two `feed` calls (at most 9 bytes).
    pending: Vec<u8>,
    stream: Option<Stream>,
    qr_module: u8,
    qr_level: EcLevel,
    qr_data: Vec<u8>,
    /// Bytes consumed so far, to give notices an offset.
    offset: u64,
    page_too_long_reported: bool,
    offline_reported: bool,
    /// Rendered printer-font glyphs; bounded by clearing it when it grows past 256 entries.
    glyphs: HashMap<(u8, CharStyle), GlyphDots>,
}

impl Interpreter {
    /// An interpreter for paper `width` dots wide (384 or 576 for real printers).
    pub fn new(width: u32) -> Self {
        Self {
            width: width.clamp(8, 2048),
            page: Vec::new(),
            y: 0,
            line: Vec::new(),
            style: CharStyle::default(),
            justify: Justify::Left,
            line_spacing: DEFAULT_LINE_SPACING,
            faults: Faults::default(),
            pending: Vec::new(),
            stream: None,
            qr_module: 3,
            qr_level: EcLevel::L,
            qr_data: Vec::new(),
            offset: 0,
            page_too_long_reported: false,
            offline_reported: false,
            glyphs: HashMap::new(),
        }
    }

    /// The simulated faults in force.
    pub fn faults(&self) -> Faults {
        self.faults
    }

    /// Sets the simulated faults; loading paper again starts a fresh page.
    pub fn set_faults(&mut self, faults: Faults) {
        if self.faults.offline() && !faults.offline() {
            self.offline_reported = false;
        }
        self.faults = faults;
    }

    /// Interprets `input` and returns the replies, finished pages and notices.
    pub fn feed(&mut self, input: &[u8]) -> Output {
        let mut out = Output::default();
        let mut suppressed = 0usize;
        let mut notices = Vec::new();
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(input);
        // `self.offset` counts the bytes consumed before `pending`, so `data` starts there.
        let base = self.offset;
        let mut i = 0;
        while i < data.len() {
            let before = i;
            if self.stream.is_some() {
                i += self.continue_stream(&data[i..], &mut notices);
            } else {
                match self.command(&data[i..], base + i as u64, &mut out, &mut notices) {
                    Some(n) => i += n,
                    None => {
                        self.pending = data[i..].to_vec();
                        break;
                    }
                }
            }
            debug_assert!(i > before || !self.pending.is_empty());
            // Keep the notice list bounded however many bad commands arrive.
            if notices.len() > MAX_NOTICES {
                suppressed += notices.len() - MAX_NOTICES;
                notices.truncate(MAX_NOTICES);
            }
        }
        self.offset = base + (data.len() - self.pending.len()) as u64;
        out.notices = notices;
        if suppressed > 0 {
            out.notices.push(Notice::Suppressed(suppressed));
        }
        out
    }

    /// Parses one command at the start of `data`. Returns the bytes consumed, or `None`
    /// when the command is not complete yet (only ever for a header of at most 9 bytes).
    fn command(
        &mut self,
        data: &[u8],
        offset: u64,
        out: &mut Output,
        notices: &mut Vec<Notice>,
    ) -> Option<usize> {
        let need = |n: usize| if data.len() >= n { Some(()) } else { None };
        let unknown = |len: usize, notices: &mut Vec<Notice>| {
            notices.push(Notice::UnknownCommand {
                offset,
                bytes: data[..len.min(data.len()).min(4)].to_vec(),
            });
            Some(len)
        };
        match data[0] {
            0x0a => {
                self.print_line(None, notices);
                Some(1)
            }
            0x0d | 0x00 | 0x18 | 0x7f => Some(1),
            0x09 => {
                for _ in 0..4 {
                    self.put_char(b' ', notices);
                }
                Some(1)
            }
            0x0c => {
                self.print_line(None, notices);
                Some(1)
            }
            0x1b => {
                need(2)?;
                match data[1] {
                    b'@' => {
                        self.style = CharStyle::default();
                        self.justify = Justify::Left;
                        self.line_spacing = DEFAULT_LINE_SPACING;
                        self.line.clear();
                        Some(2)
                    }
                    b'2' => {
                        self.line_spacing = DEFAULT_LINE_SPACING;
                        Some(2)
                    }
                    b'i' | b'm' => {
                        self.cut(0, out, notices);
                        Some(2)
                    }
                    b'E' | b'G' | b'-' | b'M' | b'a' | b'!' | b'd' | b'J' | b'3' | b't' | b'R'
                    | b'V' | b'{' | b'=' | b'U' | b'r' | b' ' | b'S' | b'T' => {
                        need(3)?;
                        let n = data[2];
                        match data[1] {
                            b'E' | b'G' => self.style.bold = n & 1 == 1,
                            b'-' => self.style.underline = n & 3 != 0 && n != b'0',
                            b'M' => self.style.font_b = n == 1 || n == b'1',
                            b'a' => {
                                self.justify = match n {
                                    1 | b'1' => Justify::Center,
                                    2 | b'2' => Justify::Right,
                                    _ => Justify::Left,
                                }
                            }
                            b'!' => {
                                self.style.font_b = n & 0x01 != 0;
                                self.style.bold = n & 0x08 != 0;
                                self.style.height_mul = if n & 0x10 != 0 { 2 } else { 1 };
                                self.style.width_mul = if n & 0x20 != 0 { 2 } else { 1 };
                                self.style.underline = n & 0x80 != 0;
                            }
                            b'd' => {
                                let had_text = !self.line.is_empty();
                                self.print_line(None, notices);
                                let lines = if had_text { n.saturating_sub(1) } else { n };
                                self.advance(lines as u32 * self.line_spacing, notices);
                            }
                            b'J' => self.print_line(Some(n as u32), notices),
                            b'3' => self.line_spacing = n as u32,
                            // Code pages, character sets, rotation, upside-down, peripheral
                            // selection, unidirectional printing and page-mode switches do
                            // not change how this interpreter draws.
                            _ => {}
                        }
                        Some(3)
                    }
                    b'$' | b'c' => {
                        need(4)?;
                        Some(4)
                    }
                    b'?' => {
                        need(4)?;
                        Some(4)
                    }
                    b'p' => {
                        need(5)?;
                        Some(5)
                    }
                    _ => unknown(2, notices),
                }
            }
            0x1d => {
                need(2)?;
                match data[1] {
                    b'!' => {
                        need(3)?;
                        let n = data[2];
                        self.style.width_mul = ((n >> 4) & 7) + 1;
                        self.style.height_mul = (n & 7) + 1;
                        Some(3)
                    }
                    b'V' => {
                        need(3)?;
                        match data[2] {
                            0 | 1 | 48 | 49 => {
                                self.cut(0, out, notices);
                                Some(3)
                            }
                            65 | 66 | 97 | 98 | 103 | 104 => {
                                need(4)?;
                                self.cut(data[3] as u32, out, notices);
                                Some(4)
                            }
                            _ => unknown(3, notices),
                        }
                    }
                    b'v' => {
                        need(3)?;
                        if data[2] != b'0' {
                            return unknown(3, notices);
                        }
                        need(8)?;
                        let m = data[3];
                        let width_bytes = u16::from_le_bytes([data[4], data[5]]) as u32;
                        let rows = u16::from_le_bytes([data[6], data[7]]) as u32;
                        let double_width = m & 1 != 0;
                        let double_height = m & 2 != 0;
                        self.print_line(Some(0), notices);
                        let image_width = width_bytes * 8 * if double_width { 2 } else { 1 };
                        let x0 = self.justified_x(image_width);
                        self.stream = Some(Stream::Raster {
                            width_bytes,
                            rows,
                            double_width,
                            double_height,
                            x0,
                            y0: self.y,
                            received: 0,
                        });
                        if width_bytes == 0 || rows == 0 {
                            self.stream = None;
                        }
                        Some(8)
                    }
                    b'(' => {
                        need(5)?;
                        let len = u16::from_le_bytes([data[3], data[4]]) as usize;
                        let keep = data[2] == b'k';
                        if len == 0 {
                            return Some(5);
                        }
                        self.stream = Some(Stream::Block {
                            keep,
                            remaining: len,
                            data: Vec::new(),
                        });
                        Some(5)
                    }
                    b'k' => {
                        need(3)?;
                        let m = data[2];
                        notices.push(Notice::Unsupported {
                            offset,
                            what: "1D barcode",
                        });
                        if m <= 6 {
                            self.stream = Some(Stream::SkipUntilNul { seen: 0 });
                            Some(3)
                        } else {
                            need(4)?;
                            // `GS k m n d1…dn`: an empty barcode leaves nothing to skip.
                            if data[3] > 0 {
                                self.stream = Some(Stream::Skip {
                                    remaining: data[3] as usize,
                                });
                            }
                            Some(4)
                        }
                    }
                    b'r' => {
                        need(3)?;
                        // Paper sensor status: bits 0-1 near end, bits 2-3 paper end. It is
                        // not a real-time command: an offline printer holds it in its buffer,
                        // which is how the host learns that a job did not finish.
                        if (data[2] == 1 || data[2] == b'1') && !self.offline() {
                            let mut reply = 0u8;
                            if self.faults.paper_near_end {
                                reply |= 0x03;
                            }
                            if self.faults.paper_out {
                                reply |= 0x0c;
                            }
                            out.replies.push(reply);
                        }
                        Some(3)
                    }
                    b'B' | b'b' | b'H' | b'f' | b'h' | b'w' | b'a' | b'I' | b'E' => {
                        need(3)?;
                        Some(3)
                    }
                    b'L' | b'W' | b'P' | b'$' => {
                        need(4)?;
                        Some(4)
                    }
                    _ => unknown(2, notices),
                }
            }
            0x10 => {
                need(2)?;
                match data[1] {
                    0x04 => {
                        need(3)?;
                        match status_reply(data[2], &self.faults) {
                            Some(reply) => out.replies.push(reply),
                            None => {
                                notices.push(Notice::UnknownCommand {
                                    offset,
                                    bytes: data[..3].to_vec(),
                                });
                            }
                        }
                        Some(3)
                    }
                    0x05 => {
                        need(3)?;
                        Some(3)
                    }
                    0x14 => {
                        need(3)?;
                        match data[2] {
                            1 | 2 | 7 => {
                                need(5)?;
                                Some(5)
                            }
                            8 => {
                                need(10)?;
                                Some(10)
                            }
                            _ => unknown(3, notices),
                        }
                    }
                    _ => unknown(1, notices),
                }
            }
            0x1c => {
                need(2)?;
                unknown(2, notices)
            }
            b if b < 0x20 => unknown(1, notices),
            b => {
                self.put_char(b, notices);
                Some(1)
            }
        }
    }

    /// Consumes data of a streaming command; returns how many bytes it took (at least one).
    fn continue_stream(&mut self, data: &[u8], notices: &mut Vec<Notice>) -> usize {
        let Some(stream) = self.stream.take() else {
            return 0;
        };
        match stream {
            Stream::Raster {
                width_bytes,
                rows,
                double_width,
                double_height,
                x0,
                y0,
                mut received,
            } => {
                let total = width_bytes as u64 * rows as u64;
                let take = ((total - received) as usize).min(data.len());
                let (sx, sy) = (
                    if double_width { 2 } else { 1 },
                    if double_height { 2 } else { 1 },
                );
                for &byte in &data[..take] {
                    let row = (received / width_bytes as u64) as u32;
                    let col = (received % width_bytes as u64) as u32;
                    received += 1;
                    if byte == 0 || self.offline() {
                        continue;
                    }
                    for bit in 0..8 {
                        if byte & (0x80 >> bit) != 0 {
                            let x = x0 + (col * 8 + bit) * sx;
                            let y = y0 + row * sy;
                            for dy in 0..sy {
                                for dx in 0..sx {
                                    self.plot(x + dx, y + dy, notices);
                                }
                            }
                        }
                    }
                }
                if received < total {
                    self.stream = Some(Stream::Raster {
                        width_bytes,
                        rows,
                        double_width,
                        double_height,
                        x0,
                        y0,
                        received,
                    });
                } else {
                    self.advance(rows * sy, notices);
                }
                take
            }
            Stream::Block {
                keep,
                remaining,
                data: mut data_buf,
            } => {
                let take = remaining.min(data.len());
                let chunk = &data[..take];
                if keep && data_buf.len() < MAX_QR_DATA + 3 {
                    let room = MAX_QR_DATA + 3 - data_buf.len();
                    data_buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                let remaining = remaining - take;
                if remaining > 0 {
                    self.stream = Some(Stream::Block {
                        keep,
                        remaining,
                        data: data_buf,
                    });
                } else {
                    self.block_done(keep, &data_buf, notices);
                }
                take
            }
            Stream::Skip { remaining } => {
                let take = remaining.min(data.len());
                if remaining > take {
                    self.stream = Some(Stream::Skip {
                        remaining: remaining - take,
                    });
                }
                take
            }
            Stream::SkipUntilNul { seen } => {
                let mut taken = 0;
                for &byte in data {
                    taken += 1;
                    if byte == 0 || seen + taken >= 255 {
                        return taken;
                    }
                }
                self.stream = Some(Stream::SkipUntilNul { seen: seen + taken });
                taken
            }
        }
    }

    /// Acts on a complete `GS ( k` block: `cn fn parameters`.
    fn block_done(&mut self, is_2d: bool, block: &[u8], notices: &mut Vec<Notice>) {
        let offset = self.offset;
        if !is_2d || block.len() < 2 {
            notices.push(Notice::Unsupported {
                offset,
                what: "GS ( function",
            });
            return;
        }
        let (cn, function, params) = (block[0], block[1], &block[2..]);
        if cn != 49 {
            notices.push(Notice::Unsupported {
                offset,
                what: "2D symbol other than QR",
            });
            return;
        }
        match function {
            // Select the model: only model 2 exists in practice.
            65 => {}
            67 => {
                if let Some(&n) = params.first() {
                    self.qr_module = n.clamp(1, 16);
                }
            }
            69 => {
                self.qr_level = match params.first() {
                    Some(48) => EcLevel::L,
                    Some(49) => EcLevel::M,
                    Some(50) => EcLevel::Q,
                    Some(51) => EcLevel::H,
                    _ => self.qr_level,
                }
            }
            80 => {
                // Parameters are `m` (48) then the data.
                self.qr_data = params.get(1..).unwrap_or_default().to_vec();
                self.qr_data.truncate(MAX_QR_DATA);
            }
            81 => self.print_qr(notices),
            _ => {}
        }
    }

    fn print_qr(&mut self, notices: &mut Vec<Notice>) {
        self.print_line(Some(0), notices);
        let Ok(code) = QrCode::with_error_correction_level(&self.qr_data, self.qr_level) else {
            notices.push(Notice::QrFailed);
            return;
        };
        let modules = code.width() as u32;
        let size = modules * self.qr_module as u32;
        let x0 = self.justified_x(size);
        let y0 = self.y;
        if !self.offline() {
            let colors = code.to_colors();
            for my in 0..modules {
                for mx in 0..modules {
                    if colors[(my * modules + mx) as usize] == Color::Dark {
                        let m = self.qr_module as u32;
                        for dy in 0..m {
                            for dx in 0..m {
                                self.plot(x0 + mx * m + dx, y0 + my * m + dy, notices);
                            }
                        }
                    }
                }
            }
        }
        self.advance(size, notices);
    }

    fn offline(&self) -> bool {
        self.faults.offline()
    }

    fn justified_x(&self, item_width: u32) -> u32 {
        let free = self.width.saturating_sub(item_width);
        match self.justify {
            Justify::Left => 0,
            Justify::Center => free / 2,
            Justify::Right => free,
        }
    }

    fn put_char(&mut self, byte: u8, notices: &mut Vec<Notice>) {
        if self.offline() {
            self.report_offline(notices);
            return;
        }
        let (cw, _) = self.style.cell();
        let used: u32 = self.line.iter().map(|(_, s)| s.cell().0).sum();
        if used + cw > self.width && !self.line.is_empty() {
            // Real printers wrap a line that is too long; so does this one.
            self.print_line(None, notices);
        }
        self.line.push((byte, self.style));
    }

    /// Prints the buffered text line and advances the paper: by the line spacing (or the
    /// tallest character) for `None`, or by `Some(dots)` for `ESC J` (at least the text's
    /// height when there is text).
    fn print_line(&mut self, feed: Option<u32>, notices: &mut Vec<Notice>) {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            if let Some(dots) = feed {
                self.advance(dots, notices);
            } else {
                self.advance(self.line_spacing, notices);
            }
            return;
        }
        let height = line.iter().map(|(_, s)| s.cell().1).max().unwrap_or(24);
        let width: u32 = line.iter().map(|(_, s)| s.cell().0).sum();
        let mut x = self.justified_x(width);
        let top = self.y;
        for (byte, style) in line {
            let (cw, ch) = style.cell();
            let glyph = self.glyph(byte, style);
            let cell_top = top + height - ch;
            for &(gx, gy) in glyph.iter() {
                self.plot(x + gx as u32, cell_top + gy as u32, notices);
            }
            if style.underline {
                for gx in 0..cw {
                    self.plot(x + gx, top + height - 1, notices);
                }
            }
            x += cw;
        }
        let advance = match feed {
            Some(dots) => dots.max(height),
            None => self.line_spacing.max(height),
        };
        self.advance(advance, notices);
    }

    /// The black dots of a printer-font character cell, drawn from the embedded Noto Sans.
    fn glyph(&mut self, byte: u8, style: CharStyle) -> GlyphDots {
        if let Some(glyph) = self.glyphs.get(&(byte, style)) {
            return glyph.clone();
        }
        if self.glyphs.len() > 256 {
            self.glyphs.clear();
        }
        let (cw, ch) = style.cell();
        let mut dots = Vec::new();
        let c = if (0x20..0x7f).contains(&byte) {
            byte as char
        } else {
            '?'
        };
        let font = if style.bold {
            bold_font()
        } else {
            regular_font()
        };
        // Printer fonts fill their cell: capitals take about three quarters of its height
        // and the baseline sits near the bottom, leaving room for descenders.
        let (base_cw, base_ch) = if style.font_b {
            (9.0, 17.0)
        } else {
            (12.0, 24.0)
        };
        let px = base_ch * 0.92;
        let baseline = base_ch * 0.78 * style.height_mul as f32;
        let probe = font.as_scaled(PxScale::from(px));
        let natural = probe.h_advance(probe.glyph_id(c));
        // Squeeze wide letters (W, M) into the fixed-pitch cell.
        let squeeze = ((base_cw - 1.0) / natural).min(1.0);
        let scale = PxScale {
            x: px * squeeze * style.width_mul as f32,
            y: px * style.height_mul as f32,
        };
        let scaled = font.as_scaled(scale);
        let id = scaled.glyph_id(c);
        let advance = scaled.h_advance(id);
        let x = ((cw as f32 - advance) / 2.0).max(0.0);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(x, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i32 + gx as i32;
                let py = bounds.min.y as i32 + gy as i32;
                if coverage >= 0.5 && px >= 0 && py >= 0 && (px as u32) < cw && (py as u32) < ch {
                    dots.push((px as u16, py as u16));
                }
            });
        }
        let dots: GlyphDots = dots.into();
        self.glyphs.insert((byte, style), dots.clone());
        dots
    }

    fn plot(&mut self, x: u32, y: u32, notices: &mut Vec<Notice>) {
        if x >= self.width || self.offline() {
            return;
        }
        if y >= MAX_PAGE_DOTS {
            if !self.page_too_long_reported {
                self.page_too_long_reported = true;
                notices.push(Notice::PageTooLong);
            }
            return;
        }
        let needed = ((y + 1) * self.width) as usize;
        if self.page.len() < needed {
            self.page.resize(needed, 0);
        }
        self.page[(y * self.width + x) as usize] = 1;
    }

    /// Moves the paper on by `dots`, using up simulated paper.
    fn advance(&mut self, dots: u32, notices: &mut Vec<Notice>) {
        if self.offline() {
            return;
        }
        if let Some(left) = self.faults.paper_left_dots {
            if dots >= left {
                self.faults.paper_left_dots = Some(0);
                self.faults.paper_out = true;
                self.discard_page();
                notices.push(Notice::PaperRanOut);
                return;
            }
            self.faults.paper_left_dots = Some(left - dots);
        }
        self.y = self.y.saturating_add(dots).min(MAX_PAGE_DOTS);
    }

    fn report_offline(&mut self, notices: &mut Vec<Notice>) {
        if !self.offline_reported {
            self.offline_reported = true;
            notices.push(Notice::DiscardedWhileOffline);
        }
    }

    fn discard_page(&mut self) {
        self.page.clear();
        self.line.clear();
        self.y = 0;
        self.page_too_long_reported = false;
    }

    fn cut(&mut self, feed: u32, out: &mut Output, notices: &mut Vec<Notice>) {
        if self.offline() {
            self.report_offline(notices);
            return;
        }
        if !self.line.is_empty() {
            self.print_line(None, notices);
        }
        self.advance(feed, notices);
        if self.offline() {
            return;
        }
        let ink_rows = (self.page.len() / self.width as usize) as u32;
        let height = self.y.max(ink_rows);
        if ink_rows > 0 {
            let mut pixels = std::mem::take(&mut self.page);
            pixels.resize((height * self.width) as usize, 0);
            out.pages.push(Page {
                width: self.width,
                height,
                pixels,
            });
        }
        self.discard_page();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The black columns and rows of a page: (min x, max x, min y, max y).
    fn ink_box(page: &Page) -> (u32, u32, u32, u32) {
        let mut b = (u32::MAX, 0, u32::MAX, 0);
        for y in 0..page.height {
            for x in 0..page.width {
                if page.is_black(x, y) {
                    b = (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y));
                }
            }
        }
        b
    }

    fn one_page(bytes: &[u8]) -> Page {
        let out = Interpreter::new(384).feed(bytes);
        assert_eq!(out.pages.len(), 1, "{:?}", out.notices);
        out.pages.into_iter().next().unwrap()
    }

    #[test]
    fn an_empty_barcode_skips_nothing() {
        // `GS k 73 0`: a barcode of no bytes, then text. (Found by the arbitrary-bytes
        // property test: the empty skip once made no progress.)
        let with = one_page(b"\x1dk\x49\x00H\n\x1dV\x00");
        let without = one_page(b"H\n\x1dV\x00");
        assert_eq!(with.pixels, without.pixels);
        // The same with a barcode of two bytes: exactly those two are skipped.
        let two = one_page(b"\x1dk\x49\x02ABH\n\x1dV\x00");
        assert_eq!(two.pixels, without.pixels);
    }

    #[test]
    fn raster_is_placed_by_justification() {
        let cases: &[(u8, u32)] = &[(0, 0), (1, 188), (2, 376)];
        for &(justify, x) in cases {
            let page = one_page(&[
                0x1b, b'a', justify, 0x1d, b'v', b'0', 0, 1, 0, 2, 0, 0xff, 0xff, 0x1d, b'V', 0,
            ]);
            assert_eq!(ink_box(&page), (x, x + 7, 0, 1), "justify {justify}");
        }
    }

    #[test]
    fn feeds_move_the_paper() {
        let raster = [0x1d, b'v', b'0', 0, 1, 0, 1, 0, 0x80];
        let mut bytes = vec![0x1b, b'J', 100];
        bytes.extend_from_slice(&raster);
        bytes.extend_from_slice(&[0x1b, b'3', 40, b'\n', b'\n']);
        bytes.extend_from_slice(&raster);
        bytes.extend_from_slice(&[0x1d, b'V', 65, 20]);
        let page = one_page(&bytes);
        assert!(page.is_black(0, 100));
        assert!(page.is_black(0, 100 + 1 + 80));
        assert_eq!(page.height, 100 + 1 + 80 + 1 + 20);
    }

    #[test]
    fn text_sizes_scale_the_glyphs() {
        let normal = ink_box(&one_page(b"H\n\x1dV\x00"));
        let big = ink_box(&one_page(b"\x1d!\x11H\n\x1dV\x00"));
        let (normal_h, big_h) = (normal.3 - normal.2 + 1, big.3 - big.2 + 1);
        assert!(big_h >= 2 * normal_h - 1, "{normal_h} vs {big_h}");
        let bold = one_page(b"\x1bE\x01H\n\x1dV\x00");
        let regular = one_page(b"H\n\x1dV\x00");
        let count = |p: &Page| p.pixels.iter().filter(|&&d| d == 1).count();
        assert!(count(&bold) > count(&regular));
    }

    #[test]
    fn long_text_wraps_instead_of_being_cut() {
        // 40 letters of font A (12 dots) do not fit on 384 dots (32 letters): two lines.
        let mut bytes = vec![b'W'; 40];
        bytes.extend_from_slice(b"\n\x1dV\x00");
        let page = one_page(&bytes);
        let (_, _, top, bottom) = ink_box(&page);
        assert!(bottom - top > 30, "two lines of text");
    }

    #[test]
    fn status_replies_follow_the_faults() {
        let mut interpreter = Interpreter::new(384);
        let query = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 4, 0x1d, b'r', 1];
        assert_eq!(
            interpreter.feed(&query).replies,
            vec![0x12, 0x12, 0x12, 0x00]
        );
        interpreter.set_faults(Faults {
            paper_out: true,
            ..Faults::default()
        });
        // `GS r` is held by an offline printer; real-time `DLE EOT` still answers.
        assert_eq!(interpreter.feed(&query).replies, vec![0x1a, 0x32, 0x72]);
    }

    #[test]
    fn paper_running_out_loses_the_page_and_discards_the_rest() {
        let mut interpreter = Interpreter::new(384);
        interpreter.set_faults(Faults {
            paper_left_dots: Some(50),
            ..Faults::default()
        });
        let out = interpreter.feed(b"A\nB\nC\nD\n\x1dV\x00");
        assert!(out.pages.is_empty());
        assert!(out.notices.contains(&Notice::PaperRanOut));
        assert!(interpreter.faults().paper_out);
        interpreter.set_faults(Faults::default());
        assert_eq!(interpreter.feed(b"E\n\x1dV\x00").pages.len(), 1);
    }

    #[test]
    fn commands_split_across_feeds_are_joined() {
        let bytes =
            b"\x1ba\x01\x1d!\x11AB\n\x1dv0\x00\x02\x00\x03\x00\xff\x00\xff\x00\xff\x00\x1dV\x00";
        let whole = Interpreter::new(384).feed(bytes).pages;
        let mut split = Interpreter::new(384);
        let mut pages = Vec::new();
        for byte in bytes {
            pages.extend(split.feed(&[*byte]).pages);
        }
        assert_eq!(pages, whole);
    }

    #[test]
    fn unknown_and_unsupported_commands_are_reported() {
        let out = Interpreter::new(384).feed(b"\x1c\x2e\x1dk\x04123\x00\x1d(k\x03\x00\x30\x41\x00");
        assert!(out
            .notices
            .iter()
            .any(|n| matches!(n, Notice::UnknownCommand { bytes, .. } if bytes == &[0x1c, 0x2e])));
        assert!(out.notices.iter().any(|n| matches!(
            n,
            Notice::Unsupported {
                what: "1D barcode",
                ..
            }
        )));
        assert!(out.notices.iter().any(|n| matches!(
            n,
            Notice::Unsupported {
                what: "2D symbol other than QR",
                ..
            }
        )));
    }
}
