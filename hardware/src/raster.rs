//! Text to 1-bit raster with the embedded Noto Sans font.
//!
//! Thermal printers disagree about Vietnamese code pages (TCVN-3, CP1258, VISCII), so every
//! line that holds a letter outside ASCII is drawn here and sent as an ESC/POS raster image
//! (`GS v 0`), which every printer understands. Everything in this module is pure: the same
//! text and style always give the same pixels, which is what lets tests compare what the
//! virtual printer received with the text rendered again.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use unicode_normalization::UnicodeNormalization;

/// Noto Sans Regular, embedded so that a kiosk needs no installed fonts (SIL OFL, see
/// `assets/fonts/OFL.txt`).
const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold, embedded for the same reason as the regular face.
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// The embedded regular face, parsed once.
pub(crate) fn regular_font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| {
        FontRef::try_from_slice(REGULAR_TTF).expect("embedded Noto Sans Regular parses")
    })
}

/// The embedded bold face, parsed once.
pub(crate) fn bold_font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(BOLD_TTF).expect("embedded Noto Sans Bold parses"))
}

/// How a raster line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in printer dots (pixels per em); 203 dpi printers have 8 dots per mm.
    pub px: f32,
    /// Whether to use the bold face.
    pub bold: bool,
}

impl TextStyle {
    /// A regular style of `px` dots.
    pub const fn regular(px: f32) -> Self {
        Self { px, bold: false }
    }

    /// A bold style of `px` dots.
    pub const fn bold(px: f32) -> Self {
        Self { px, bold: true }
    }

    fn font(&self) -> &'static FontRef<'static> {
        if self.bold {
            bold_font()
        } else {
            regular_font()
        }
    }
}

/// A 1-bit image packed the way `GS v 0` wants it: rows top to bottom, each row
/// `width_bytes()` bytes, most significant bit leftmost, a set bit is a black dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    /// Width in dots (the last byte of a row may hold padding bits, which are always white).
    pub width: u32,
    /// Height in dots.
    pub height: u32,
    /// Packed rows, `width_bytes() * height` bytes.
    pub data: Vec<u8>,
}

impl Bitmap {
    /// An all-white bitmap.
    pub fn new(width: u32, height: u32) -> Self {
        let stride = width.div_ceil(8) as usize;
        Self {
            width,
            height,
            data: vec![0; stride * height as usize],
        }
    }

    /// Bytes per row.
    pub fn width_bytes(&self) -> u32 {
        self.width.div_ceil(8)
    }

    /// Whether the dot at (x, y) is black; dots outside the bitmap are white.
    pub fn get(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let index = (y * self.width_bytes() + x / 8) as usize;
        self.data[index] & (0x80 >> (x % 8)) != 0
    }

    /// Blackens the dot at (x, y); dots outside the bitmap are ignored.
    pub fn set(&mut self, x: u32, y: u32) {
        if x >= self.width || y >= self.height {
            return;
        }
        let index = (y * self.width_bytes() + x / 8) as usize;
        self.data[index] |= 0x80 >> (x % 8);
    }

    /// Whether no dot is black.
    pub fn is_blank(&self) -> bool {
        self.data.iter().all(|&b| b == 0)
    }
}

/// Normalises to NFC so that text typed with combining marks (NFD) uses the precomposed
/// Vietnamese letters, which the font has as single glyphs; `ab_glyph` does no mark placement.
fn normalise(text: &str) -> String {
    text.nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The advance width of `text` in dots.
pub fn measure(text: &str, style: TextStyle) -> f32 {
    let font = style.font().as_scaled(PxScale::from(style.px));
    let mut width = 0.0;
    let mut previous = None;
    for c in normalise(text).chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = previous {
            width += font.kern(prev, id);
        }
        width += font.h_advance(id);
        previous = Some(id);
    }
    width
}

/// Splits `text` into lines no wider than `max_width` dots, breaking between words.
///
/// A word wider than a whole line is broken between letters rather than cut, because the
/// citizen must see every letter of a procedure name. Explicit newlines are kept.
pub fn wrap(text: &str, style: TextStyle, max_width: u32) -> Vec<String> {
    let max = max_width as f32;
    let mut lines = Vec::new();
    for paragraph in normalise_keep_newlines(text).split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if measure(&candidate, style) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if measure(word, style) <= max {
                line = word.to_string();
                continue;
            }
            // The word alone is too wide: break it between letters.
            for c in word.chars() {
                let mut candidate = line.clone();
                candidate.push(c);
                if !line.is_empty() && measure(&candidate, style) > max {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = candidate;
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

fn normalise_keep_newlines(text: &str) -> String {
    text.nfc()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Coverage at or above this draws a black dot. A little under one half keeps thin
/// strokes of diacritics (the hook of "ả", the dot of "ạ") from vanishing at small sizes.
const INK_THRESHOLD: f32 = 0.42;

/// Renders one line of text, cropped to its ink so that no blank rows or columns are sent
/// to the printer (every byte counts on a 115,200-baud line).
///
/// The result is deterministic: rendering the same text and style again gives an equal
/// bitmap. A line with no ink (spaces only) gives a 0×0 bitmap.
pub fn render_line(text: &str, style: TextStyle) -> Bitmap {
    let font = style.font();
    let scaled = font.as_scaled(PxScale::from(style.px));
    let ascent = scaled.ascent();
    let mut pen_x = 0.0f32;
    let mut previous = None;
    let mut outlines = Vec::new();
    for c in normalise(text).chars() {
        let id = scaled.glyph_id(c);
        if let Some(prev) = previous {
            pen_x += scaled.kern(prev, id);
        }
        let glyph = id.with_scale_and_position(
            PxScale::from(style.px),
            ab_glyph::point(pen_x.round(), ascent.round()),
        );
        if let Some(outline) = font.outline_glyph(glyph) {
            outlines.push(outline);
        }
        pen_x += scaled.h_advance(id);
        previous = Some(id);
    }
    // Draw into a coverage canvas that spans every glyph's pixel bounds.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for outline in &outlines {
        let bounds = outline.px_bounds();
        min_x = min_x.min(bounds.min.x.floor() as i32);
        min_y = min_y.min(bounds.min.y.floor() as i32);
        max_x = max_x.max(bounds.max.x.ceil() as i32);
        max_y = max_y.max(bounds.max.y.ceil() as i32);
    }
    if outlines.is_empty() || max_x <= min_x || max_y <= min_y {
        return Bitmap::new(0, 0);
    }
    let canvas_w = (max_x - min_x) as usize;
    let canvas_h = (max_y - min_y) as usize;
    let mut coverage = vec![0f32; canvas_w * canvas_h];
    for outline in &outlines {
        let bounds = outline.px_bounds();
        let ox = bounds.min.x.floor() as i32 - min_x;
        let oy = bounds.min.y.floor() as i32 - min_y;
        outline.draw(|x, y, c| {
            let px = ox + x as i32;
            let py = oy + y as i32;
            if px >= 0 && py >= 0 && (px as usize) < canvas_w && (py as usize) < canvas_h {
                let cell = &mut coverage[py as usize * canvas_w + px as usize];
                *cell = (*cell + c).min(1.0);
            }
        });
    }
    // Crop to the dots that are actually black.
    let ink = |x: usize, y: usize| coverage[y * canvas_w + x] >= INK_THRESHOLD;
    let rows: Vec<usize> = (0..canvas_h)
        .filter(|&y| (0..canvas_w).any(|x| ink(x, y)))
        .collect();
    let cols: Vec<usize> = (0..canvas_w)
        .filter(|&x| (0..canvas_h).any(|y| ink(x, y)))
        .collect();
    let (Some(&top), Some(&bottom), Some(&left), Some(&right)) =
        (rows.first(), rows.last(), cols.first(), cols.last())
    else {
        return Bitmap::new(0, 0);
    };
    let mut bitmap = Bitmap::new((right - left + 1) as u32, (bottom - top + 1) as u32);
    for y in top..=bottom {
        for x in left..=right {
            if ink(x, y) {
                bitmap.set((x - left) as u32, (y - top) as u32);
            }
        }
    }
    bitmap
}

/// Whether a line can go to the printer as plain text in its own font: printable ASCII only.
pub fn is_printer_text(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_is_deterministic_and_cropped() {
        let style = TextStyle::bold(24.0);
        let a = render_line("Đăng ký khai sinh", style);
        let b = render_line("Đăng ký khai sinh", style);
        assert_eq!(a, b);
        assert!(a.width > 100 && a.height > 15, "{}x{}", a.width, a.height);
        // Cropping leaves ink on every edge.
        assert!((0..a.width).any(|x| a.get(x, 0)));
        assert!((0..a.width).any(|x| a.get(x, a.height - 1)));
        assert!((0..a.height).any(|y| a.get(0, y)));
        assert!((0..a.height).any(|y| a.get(a.width - 1, y)));
    }

    #[test]
    fn nfd_and_nfc_render_alike() {
        let nfc = "Đăng ký khai sinh";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        let style = TextStyle::regular(22.0);
        assert_eq!(render_line(nfc, style), render_line(&nfd, style));
    }

    #[test]
    fn wrap_keeps_every_word_and_fits() {
        let style = TextStyle::regular(22.0);
        let text = "Cấp giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình và cá nhân";
        let lines = wrap(text, style, 200);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(measure(line, style) <= 200.0, "{line}");
        }
    }

    #[test]
    fn wrap_breaks_a_word_wider_than_the_paper_without_losing_letters() {
        let style = TextStyle::regular(22.0);
        let word = "Đ".repeat(40);
        let lines = wrap(&word, style, 150);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn printer_text_is_ascii_only() {
        assert!(is_printer_text("08:15 04/12/2026"));
        assert!(!is_printer_text("Số 12"));
        assert!(!is_printer_text("tab\there"));
    }
}
