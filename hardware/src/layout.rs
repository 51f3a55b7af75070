//! Ticket and receipt layouts, encoded to ESC/POS bytes.
//!
//! The layouts are plain values filled by the kiosk or the counter with strings that are
//! already translated: this crate never translates. Encoding is pure (no I/O): it returns
//! the bytes to hand to a [`PrinterHandle`](crate::printer::PrinterHandle).
//!
//! Lines that hold any letter outside printable ASCII are drawn with the embedded Noto Sans
//! and sent as `GS v 0` raster images, cropped to their ink and placed with `ESC a`
//! justification; ASCII-only lines (the ticket number, separators) use the printer's own
//! font, which costs one byte per letter. The one exception is the English of a remote
//! ticket's notice, drawn like the Vietnamese line above it. Commands come from the
//! `escpos` crate, driven into an in-memory driver.

use std::cell::RefCell;
use std::rc::Rc;

use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption};

use crate::raster::{self, Bitmap, TextStyle};

/// The width of the thermal paper roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Paper {
    /// 58 mm paper: 384 printable dots at 203 dpi.
    Mm58,
    /// 80 mm paper: 576 printable dots at 203 dpi.
    Mm80,
}

impl Paper {
    /// Printable width in dots.
    pub const fn dots(self) -> u32 {
        match self {
            Paper::Mm58 => 384,
            Paper::Mm80 => 576,
        }
    }

    /// Characters per line in the printer's font A (12 dots wide).
    pub const fn font_a_columns(self) -> usize {
        (self.dots() / 12) as usize
    }

    fn scale(self) -> f32 {
        match self {
            Paper::Mm58 => 1.0,
            Paper::Mm80 => 1.2,
        }
    }
}

/// A paper width that is not 58 or 80 mm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown paper width {0:?}; expected 58 or 80 (mm)")]
pub struct UnknownPaper(pub String);

impl std::str::FromStr for Paper {
    type Err = UnknownPaper;

    /// Parses "58", "58mm", "80" or "80mm" (case and spaces ignored), for configuration.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        match compact.trim_end_matches("mm") {
            "58" => Ok(Paper::Mm58),
            "80" => Ok(Paper::Mm80),
            _ => Err(UnknownPaper(text.to_string())),
        }
    }
}

/// A queue ticket, with every string already in the citizen's language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TicketLayout {
    /// The center's name, e.g. "Trung tâm Phục vụ hành chính công phường Hồng Gai".
    pub center_name: String,
    /// The center's address, printed small under its name when given.
    pub center_address: Option<String>,
    /// The label above the number, e.g. "SỐ THỨ TỰ".
    pub number_label: String,
    /// The ticket number, printed very large in the printer's own digits.
    pub number: u32,
    /// A priority label such as "Ưu tiên: Người cao tuổi", printed under the number when given.
    pub priority_label: Option<String>,
    /// The field (lĩnh vực), e.g. "Hộ tịch".
    pub field_name: String,
    /// The procedure, e.g. "Đăng ký khai sinh".
    pub procedure_name: String,
    /// People ahead, already phrased, e.g. "Số người đang chờ trước bạn: 12".
    pub people_ahead: String,
    /// Estimated wait, already phrased, e.g. "Thời gian chờ dự kiến: khoảng 25 phút".
    pub wait_text: String,
    /// Issue time, already phrased, e.g. "Giờ lấy số: 08:15 04/12/2026".
    pub issued_at: String,
    /// The tracking URL the QR code carries, `{base}/t/{id}?s={secret}` (see
    /// [`crate::scanner::TicketRef`]).
    pub qr_payload: String,
    /// Lines printed small at the bottom, e.g. "Quét mã QR để theo dõi lượt của bạn".
    pub footer_lines: Vec<String>,
    /// Set on a ticket for another center than the one where it was taken: the
    /// `center_name` and `center_address` are then the serving center's, printed larger,
    /// and this block under them says what to do there and by when.
    pub remote: Option<RemoteNotice>,
}

/// The block of a ticket for another center, in Vietnamese with the English under each
/// line, so that the citizen and the staff of both centers can read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RemoteNotice {
    /// The heading, e.g. "VÉ TẠI TRUNG TÂM KHÁC".
    pub heading: String,
    /// Its English, e.g. "TICKET FOR ANOTHER CENTER".
    pub heading_en: String,
    /// What to do, e.g. "Hãy quét mã QR tại kiosk của trung tâm trước 10:45 để giữ chỗ".
    pub text: String,
    /// Its English, e.g. "Scan the QR code at its kiosk before 10:45 to keep your place".
    pub text_en: String,
}

/// One "label: value" line of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiptField {
    /// The label, e.g. "Mã hồ sơ".
    pub label: String,
    /// The value, e.g. "H22.39-261204-0001"; printed bold under its label.
    pub value: String,
}

/// A dossier receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiptLayout {
    /// The center's name.
    pub center_name: String,
    /// The center's address, when given.
    pub center_address: Option<String>,
    /// The title, e.g. "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".
    pub title: String,
    /// The fields in print order: dossier code, procedure, received date, appointment
    /// date, receiving desk, and whatever else the counter wants on paper.
    pub fields: Vec<ReceiptField>,
    /// The QR payload, normally the compact `HS1:CODE:SECRET` or the lookup URL (see
    /// [`crate::scanner::ReceiptCode`]).
    pub qr_payload: String,
    /// A caption under the QR code, e.g. "Quét mã để tra cứu tình trạng hồ sơ".
    pub qr_caption: Option<String>,
    /// Lines printed small at the bottom.
    pub footer_lines: Vec<String>,
}

/// Encodes a queue ticket; the result is at most about 8 KB for ordinary content so that
/// it prints in about a second over a 115,200-baud serial line.
pub fn encode_ticket(ticket: &TicketLayout, paper: Paper) -> Vec<u8> {
    fitted_ticket(ticket, paper).0
}

/// The lines of a ticket that are sent as raster images, in print order, with the style
/// each is drawn in; tests render them again and look for them on the virtual printer's paper.
pub fn ticket_raster_lines(ticket: &TicketLayout, paper: Paper) -> Vec<(String, TextStyle)> {
    fitted_ticket(ticket, paper).1
}

/// The lines of a ticket that are printed in the printer's own font (ASCII-only text), in
/// print order, each with whether it is bold; tests print them again on their own and look
/// for them on the page.
pub fn ticket_font_lines(ticket: &TicketLayout, paper: Paper) -> Vec<(String, bool)> {
    let step = fitted_step(ticket, paper);
    compose_ticket(ticket, paper, paper.scale() * step).font_lines
}

/// The lines of a receipt that are sent as raster images, like [`ticket_raster_lines`].
pub fn receipt_raster_lines(receipt: &ReceiptLayout, paper: Paper) -> Vec<(String, TextStyle)> {
    compose_receipt(receipt, paper).raster_lines
}

/// The most bytes a ticket should take: about 0.7 s at 115,200 baud.
pub const TICKET_BUDGET: usize = 8 * 1024;

/// Encodes the ticket at the paper's normal text size, or a little smaller when long names
/// would push it past [`TICKET_BUDGET`]; text is never cut to fit.
fn fitted_ticket(ticket: &TicketLayout, paper: Paper) -> (Vec<u8>, Vec<(String, TextStyle)>) {
    let step = fitted_step(ticket, paper);
    let mut composer = compose_ticket(ticket, paper, paper.scale() * step);
    let lines = std::mem::take(&mut composer.raster_lines);
    (composer.finish(), lines)
}

/// The text sizes tried, largest first.
const FIT_STEPS: [f32; 4] = [1.0, 0.92, 0.85, 0.78];

/// The largest text size step at which the ticket fits [`TICKET_BUDGET`], or the smallest.
fn fitted_step(ticket: &TicketLayout, paper: Paper) -> f32 {
    FIT_STEPS
        .into_iter()
        .find(|step| {
            compose_ticket(ticket, paper, paper.scale() * step)
                .finish()
                .len()
                <= TICKET_BUDGET
        })
        .unwrap_or(FIT_STEPS[FIT_STEPS.len() - 1])
}

fn compose_ticket(ticket: &TicketLayout, paper: Paper, s: f32) -> Composer {
    let mut doc = Composer::new(paper);
    match &ticket.remote {
        None => {
            doc.text(
                &ticket.center_name,
                TextStyle::bold(22.0 * s),
                Align::Center,
            );
            if let Some(address) = &ticket.center_address {
                doc.text(address, TextStyle::regular(17.0 * s), Align::Center);
            }
            doc.separator();
        }
        Some(remote) => {
            // The citizen has to find this place: its name and address come first and
            // large, then what to do there and by when, between double rules.
            doc.text(
                &ticket.center_name,
                TextStyle::bold(24.0 * s),
                Align::Center,
            );
            if let Some(address) = &ticket.center_address {
                doc.text(address, TextStyle::bold(19.0 * s), Align::Center);
            }
            doc.rule('=');
            doc.text(&remote.heading, TextStyle::bold(24.0 * s), Align::Center);
            doc.drawn(
                &remote.heading_en,
                TextStyle::regular(18.0 * s),
                Align::Center,
            );
            doc.gap(6);
            doc.text(&remote.text, TextStyle::bold(20.0 * s), Align::Center);
            doc.drawn(&remote.text_en, TextStyle::regular(18.0 * s), Align::Center);
            doc.rule('=');
        }
    }
    doc.text(
        &ticket.number_label,
        TextStyle::bold(22.0 * s),
        Align::Center,
    );
    doc.number(ticket.number);
    if let Some(priority) = &ticket.priority_label {
        doc.text(priority, TextStyle::bold(22.0 * s), Align::Center);
    }
    doc.gap(8);
    doc.text(
        &ticket.field_name,
        TextStyle::regular(20.0 * s),
        Align::Center,
    );
    doc.text(
        &ticket.procedure_name,
        TextStyle::bold(26.0 * s),
        Align::Center,
    );
    doc.separator();
    doc.text(
        &ticket.people_ahead,
        TextStyle::regular(20.0 * s),
        Align::Left,
    );
    doc.text(&ticket.wait_text, TextStyle::regular(20.0 * s), Align::Left);
    doc.text(&ticket.issued_at, TextStyle::regular(20.0 * s), Align::Left);
    doc.qr(&ticket.qr_payload, paper);
    for line in &ticket.footer_lines {
        doc.text(line, TextStyle::regular(17.0 * s), Align::Center);
    }
    doc
}

/// Encodes a dossier receipt.
pub fn encode_receipt(receipt: &ReceiptLayout, paper: Paper) -> Vec<u8> {
    compose_receipt(receipt, paper).finish()
}

fn compose_receipt(receipt: &ReceiptLayout, paper: Paper) -> Composer {
    let s = paper.scale();
    let mut doc = Composer::new(paper);
    doc.text(
        &receipt.center_name,
        TextStyle::bold(22.0 * s),
        Align::Center,
    );
    if let Some(address) = &receipt.center_address {
        doc.text(address, TextStyle::regular(17.0 * s), Align::Center);
    }
    doc.separator();
    doc.text(&receipt.title, TextStyle::bold(22.0 * s), Align::Center);
    doc.gap(10);
    for field in &receipt.fields {
        doc.text(&field.label, TextStyle::regular(18.0 * s), Align::Left);
        doc.text(&field.value, TextStyle::bold(21.0 * s), Align::Left);
        doc.gap(4);
    }
    doc.qr(&receipt.qr_payload, paper);
    if let Some(caption) = &receipt.qr_caption {
        doc.text(caption, TextStyle::regular(18.0 * s), Align::Center);
    }
    if !receipt.footer_lines.is_empty() {
        doc.separator();
    }
    for line in &receipt.footer_lines {
        doc.text(line, TextStyle::regular(17.0 * s), Align::Center);
    }
    doc
}

/// Horizontal placement of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
}

/// Dots fed between two text lines.
const LINE_GAP: u8 = 7;
/// Dots kept free on each side of left-aligned raster lines, so that text does not touch
/// the paper edge where some print heads are weak.
const SIDE_MARGIN: u32 = 8;
/// The longest payload sent as a QR code; longer data is printed as text, because cheap
/// printers refuse large symbols and a citizen cannot scan a dense one anyway.
const MAX_QR_BYTES: usize = 300;

/// An `escpos` driver that collects the bytes in memory; the composer never touches a device.
#[derive(Clone, Default)]
struct CaptureDriver {
    bytes: Rc<RefCell<Vec<u8>>>,
}

impl Driver for CaptureDriver {
    fn name(&self) -> String {
        "capture".to_string()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.bytes.borrow_mut().extend_from_slice(data);
        Ok(())
    }

    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// Builds one document with the `escpos` printer API over a [`CaptureDriver`].
struct Composer {
    printer: Printer<CaptureDriver>,
    capture: CaptureDriver,
    paper: Paper,
    /// Every line sent as a raster image, with its style, in order.
    raster_lines: Vec<(String, TextStyle)>,
    /// Every line printed in the printer's font, with whether it is bold, in order.
    font_lines: Vec<(String, bool)>,
}

/// The `escpos` builder fails only for out-of-range arguments, which this module never
/// passes; a failure is a bug in this file.
const BUILDER: &str = "escpos command arguments are in range";

impl Composer {
    fn new(paper: Paper) -> Self {
        let capture = CaptureDriver::default();
        let mut printer = Printer::new(capture.clone(), Protocol::default(), None);
        printer.init().expect(BUILDER);
        // A little blank paper first, so the first line does not start at the tear edge.
        printer.custom(&[0x1b, b'J', 16]).expect(BUILDER);
        Self {
            printer,
            capture,
            paper,
            raster_lines: Vec::new(),
            font_lines: Vec::new(),
        }
    }

    fn justify(&mut self, align: Align) {
        let mode = match align {
            Align::Left => JustifyMode::LEFT,
            Align::Center => JustifyMode::CENTER,
        };
        self.printer.justify(mode).expect(BUILDER);
    }

    /// Prints `text` wrapped to the paper: in the printer's font when it is plain ASCII,
    /// otherwise as raster lines.
    fn text(&mut self, text: &str, style: TextStyle, align: Align) {
        if text.trim().is_empty() {
            return;
        }
        if raster::is_printer_text(text) {
            self.justify(align);
            self.printer.bold(style.bold).expect(BUILDER);
            // A leading space on left-aligned lines keeps them off the paper edge, like the
            // margin given to raster lines.
            let indent = if align == Align::Left { " " } else { "" };
            for line in wrap_columns(text, self.paper.font_a_columns() - indent.len()) {
                let line = format!("{indent}{line}");
                self.printer.writeln(&line).expect(BUILDER);
                self.font_lines.push((line, style.bold));
            }
            self.printer.bold(false).expect(BUILDER);
            return;
        }
        self.drawn(text, style, align);
    }

    /// Prints `text` wrapped to the paper as raster lines drawn with the embedded font,
    /// even when it is plain ASCII: for English set beside Vietnamese, which should look
    /// the same rather than change to the printer's spaced-out font.
    fn drawn(&mut self, text: &str, style: TextStyle, align: Align) {
        if text.trim().is_empty() {
            return;
        }
        self.justify(align);
        let width = self.paper.dots() - 2 * SIDE_MARGIN;
        for line in raster::wrap(text, style, width) {
            let bitmap = raster::render_line(&line, style);
            if bitmap.width == 0 {
                continue;
            }
            self.raster(&bitmap, align);
            self.gap(LINE_GAP);
            self.raster_lines.push((line, style));
        }
    }

    /// Sends one raster image; `ESC a` places it, and left-aligned images get a margin of
    /// blank dots at their left.
    fn raster(&mut self, bitmap: &Bitmap, align: Align) {
        let shifted;
        let bitmap = if align == Align::Left {
            shifted = shift_right(bitmap, SIDE_MARGIN);
            &shifted
        } else {
            bitmap
        };
        self.printer.custom(&gs_v_0(bitmap)).expect(BUILDER);
    }

    /// Feeds `dots` of blank paper (`ESC J`).
    fn gap(&mut self, dots: u8) {
        self.printer.custom(&[0x1b, b'J', dots]).expect(BUILDER);
    }

    fn separator(&mut self) {
        self.rule('-');
    }

    /// A full-width line of `c` in the printer's font.
    fn rule(&mut self, c: char) {
        self.justify(Align::Left);
        self.printer.custom(&[0x1b, b'J', 4]).expect(BUILDER);
        let line = c.to_string().repeat(self.paper.font_a_columns());
        self.printer.writeln(&line).expect(BUILDER);
    }

    /// The ticket number in the printer's font at the largest magnification that fits.
    fn number(&mut self, number: u32) {
        let digits = number.to_string();
        let cell = 12 * digits.len() as u32;
        let magnification = ((self.paper.dots() - 2 * SIDE_MARGIN) / cell).clamp(1, 8) as u8;
        self.justify(Align::Center);
        self.printer.bold(true).expect(BUILDER);
        self.printer
            .size(magnification, magnification)
            .expect(BUILDER);
        self.printer.writeln(&digits).expect(BUILDER);
        self.printer.reset_size().expect(BUILDER);
        self.printer.bold(false).expect(BUILDER);
    }

    /// A native QR code (`GS ( k`), centred; data too long for a QR is printed as text.
    fn qr(&mut self, data: &str, paper: Paper) {
        if data.is_empty() {
            return;
        }
        if data.len() > MAX_QR_BYTES {
            self.text(data, TextStyle::regular(18.0), Align::Left);
            return;
        }
        let module_dots = match paper {
            Paper::Mm58 => 6,
            Paper::Mm80 => 7,
        };
        // QR readers want a quiet zone of about four modules around the symbol.
        self.gap(4 * module_dots);
        self.justify(Align::Center);
        let option = QRCodeOption::new(QRCodeModel::Model2, module_dots, QRCodeCorrectionLevel::M);
        self.printer.qrcode_option(data, option).expect(BUILDER);
        self.gap(3 * module_dots);
    }

    fn finish(mut self) -> Vec<u8> {
        self.justify(Align::Left);
        // Feed past the cutter, which sits a few lines above the print head, then cut.
        self.printer.feeds(3).expect(BUILDER);
        self.printer.cut().expect(BUILDER);
        self.printer.print().expect(BUILDER);
        let bytes = self.capture.bytes.borrow().clone();
        bytes
    }
}

/// Encodes `GS v 0` (normal density) for `bitmap`.
pub(crate) fn gs_v_0(bitmap: &Bitmap) -> Vec<u8> {
    let width_bytes = bitmap.width_bytes();
    let mut command = Vec::with_capacity(8 + bitmap.data.len());
    command.extend_from_slice(&[0x1d, b'v', b'0', 0]);
    command.extend_from_slice(&(width_bytes as u16).to_le_bytes());
    command.extend_from_slice(&(bitmap.height as u16).to_le_bytes());
    command.extend_from_slice(&bitmap.data);
    command
}

/// Moves a bitmap `dots` to the right, widening it.
fn shift_right(bitmap: &Bitmap, dots: u32) -> Bitmap {
    let mut shifted = Bitmap::new(bitmap.width + dots, bitmap.height);
    for y in 0..bitmap.height {
        for x in 0..bitmap.width {
            if bitmap.get(x, y) {
                shifted.set(x + dots, y);
            }
        }
    }
    shifted
}

/// Wraps ASCII text at word boundaries to `columns` characters, breaking words longer than
/// a line rather than cutting them.
fn wrap_columns(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.len() + 1 + word.len() > columns {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.len() > columns {
            let rest = line.split_off(columns);
            lines.push(std::mem::replace(&mut line, rest));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Sample content used by the `render-samples` binary, the tests and the docs: a ticket
/// for "Đăng ký khai sinh" at a ward center.
pub fn sample_ticket() -> TicketLayout {
    TicketLayout {
        center_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
        center_address: Some("Số 1 đường Hạ Long, phường Hồng Gai, tỉnh Quảng Ninh".into()),
        number_label: "SỐ THỨ TỰ".into(),
        number: 1023,
        priority_label: None,
        field_name: "Lĩnh vực: Hộ tịch".into(),
        procedure_name: "Đăng ký khai sinh".into(),
        people_ahead: "Số người đang chờ trước bạn: 12".into(),
        wait_text: "Thời gian chờ dự kiến: khoảng 25 phút".into(),
        issued_at: "Giờ lấy số: 08:15 ngày 04/12/2026".into(),
        qr_payload: "https://dichvucong.quangninh.example/t/48213?s=k7Q2xP9m".into(),
        footer_lines: vec![
            "Quét mã QR để theo dõi lượt của bạn".into(),
            "Mời công dân chờ đến khi được gọi số".into(),
        ],
        remote: None,
    }
}

/// Sample content for a ticket taken at one center for another (a remote ticket): the
/// serving center, Bãi Cháy, and until when to check in there.
pub fn sample_remote_ticket() -> TicketLayout {
    TicketLayout {
        center_name: "Trung tâm Phục vụ hành chính công phường Bãi Cháy".into(),
        center_address: Some("Số 2 đường Hạ Long, phường Bãi Cháy, tỉnh Quảng Ninh".into()),
        number: 1004,
        people_ahead: "Số người chờ trước bạn khi đến: 2".into(),
        wait_text: "Thời gian chờ dự kiến khi đến: khoảng 6 phút".into(),
        footer_lines: vec!["Quét mã QR để theo dõi lượt của bạn".into()],
        remote: Some(RemoteNotice {
            heading: "VÉ TẠI TRUNG TÂM KHÁC".into(),
            heading_en: "TICKET FOR ANOTHER CENTER".into(),
            text: "Hãy quét mã QR tại kiosk của trung tâm trước 10:45 để giữ chỗ".into(),
            text_en: "Scan the QR code at its kiosk before 10:45 to keep your place".into(),
        }),
        ..sample_ticket()
    }
}

/// Sample content for a dossier receipt.
pub fn sample_receipt() -> ReceiptLayout {
    let field = |label: &str, value: &str| ReceiptField {
        label: label.into(),
        value: value.into(),
    };
    ReceiptLayout {
        center_name: "Trung tâm Phục vụ hành chính công phường Hồng Gai".into(),
        center_address: Some("Số 1 đường Hạ Long, phường Hồng Gai, tỉnh Quảng Ninh".into()),
        title: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".into(),
        fields: vec![
            field("Mã hồ sơ:", "H22.39-261204-0001"),
            field("Người nộp:", "Nguyễn Thị Hằng"),
            field("Thủ tục:", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu"),
            field("Ngày tiếp nhận:", "08:40 ngày 04/12/2026"),
            field("Ngày hẹn trả kết quả:", "16:00 ngày 18/12/2026"),
            field("Nơi tiếp nhận:", "Quầy số 5 - Lĩnh vực Đất đai"),
        ],
        qr_payload: "HS1:H22.39-261204-0001:R8K2M4QX".into(),
        qr_caption: Some("Quét mã để tra cứu tình trạng hồ sơ".into()),
        footer_lines: vec![
            "Mã tra cứu: R8K2M4QX".into(),
            "Cảm ơn ông/bà đã sử dụng dịch vụ".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_parses() {
        assert_eq!("58".parse(), Ok(Paper::Mm58));
        assert_eq!("80 mm".parse(), Ok(Paper::Mm80));
        assert_eq!("80MM".parse(), Ok(Paper::Mm80));
        assert!("76".parse::<Paper>().is_err());
    }

    #[test]
    fn ascii_wrap_keeps_everything() {
        let lines = wrap_columns("abc defgh ijklmnopqrstuvwxyz", 5);
        assert_eq!(
            lines.concat().replace(' ', ""),
            "abcdefghijklmnopqrstuvwxyz"
        );
        assert!(lines.iter().all(|l| l.len() <= 5));
    }

    #[test]
    fn ticket_is_small_and_starts_with_init_and_ends_with_cut() {
        for paper in [Paper::Mm58, Paper::Mm80] {
            let bytes = encode_ticket(&sample_ticket(), paper);
            assert!(bytes.len() <= 8 * 1024, "{paper:?}: {} bytes", bytes.len());
            assert_eq!(&bytes[..2], &[0x1b, b'@']);
            assert_eq!(&bytes[bytes.len() - 4..], &[0x1d, b'V', b'A', 0]);
        }
    }
}
