//! Helpers shared by the integration tests.

use std::path::Path;

use hardware::interpreter::Interpreter;
use hardware::layout::{ticket_font_lines, ticket_raster_lines, Paper, TicketLayout};
use hardware::raster::{render_line, Bitmap};

/// Loads a page PNG as a black/white matrix (true = black).
pub struct Png {
    pub width: u32,
    pub height: u32,
    black: Vec<bool>,
}

impl Png {
    pub fn load(path: &Path) -> Png {
        let image = image::open(path).expect("PNG opens").to_luma8();
        let (width, height) = image.dimensions();
        let black = image.pixels().map(|p| p.0[0] < 128).collect();
        Png {
            width,
            height,
            black,
        }
    }

    pub fn is_black(&self, x: i64, y: i64) -> bool {
        x >= 0
            && y >= 0
            && (x as u32) < self.width
            && (y as u32) < self.height
            && self.black[(y as u32 * self.width + x as u32) as usize]
    }

    /// Decodes every QR code on the page with `rqrr`, an independent decoder.
    pub fn qr_codes(&self) -> Vec<String> {
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            self.width as usize,
            self.height as usize,
            |x, y| {
                if self.is_black(x as i64, y as i64) {
                    0
                } else {
                    255
                }
            },
        );
        prepared
            .detect_grids()
            .into_iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, content)| content))
            .collect()
    }

    /// Finds `bitmap` on the page exactly (every dot of its box equal), at or below `from_y`;
    /// returns its top-left corner.
    pub fn find(&self, bitmap: &Bitmap, from_y: u32) -> Option<(u32, u32)> {
        let (tx, ty) = (0..bitmap.height)
            .flat_map(|y| (0..bitmap.width).map(move |x| (x, y)))
            .find(|&(x, y)| bitmap.get(x, y))?;
        for y in from_y..self.height {
            for x in 0..self.width {
                if !self.is_black(x as i64, y as i64) {
                    continue;
                }
                let (ox, oy) = (x as i64 - tx as i64, y as i64 - ty as i64);
                if ox < 0 || oy < from_y as i64 {
                    continue;
                }
                let matches = (0..bitmap.height).all(|by| {
                    (0..bitmap.width).all(|bx| {
                        bitmap.get(bx, by) == self.is_black(ox + bx as i64, oy + by as i64)
                    })
                });
                if matches {
                    return Some((ox as u32, oy as u32));
                }
            }
        }
        None
    }
}

/// Checks a printed ticket page: the QR decodes to the payload, and every raster line is
/// on the paper, dot for dot, in print order.
pub fn check_ticket_page(path: &Path, ticket: &TicketLayout, paper: Paper) {
    let png = Png::load(path);
    assert_eq!(png.width, paper.dots());
    assert_eq!(
        png.qr_codes(),
        vec![ticket.qr_payload.clone()],
        "{}",
        path.display()
    );
    let lines = ticket_raster_lines(ticket, paper);
    assert!(lines.iter().any(|(text, _)| text == "Đăng ký khai sinh"));
    check_raster_lines(path, ticket, paper);
}

/// Checks that every raster line of a ticket is on the page, dot for dot, in print order.
pub fn check_raster_lines(path: &Path, ticket: &TicketLayout, paper: Paper) {
    let png = Png::load(path);
    let mut y = 0;
    for (text, style) in ticket_raster_lines(ticket, paper) {
        let bitmap = render_line(&text, style);
        let (_, found_y) = png
            .find(&bitmap, y)
            .unwrap_or_else(|| panic!("line {text:?} not found below y={y} in {}", path.display()));
        y = found_y + bitmap.height;
    }
}

/// One line of the printer's own font as the interpreter draws it, cropped to its ink.
pub fn render_font_line(text: &str, bold: bool, paper: Paper) -> Bitmap {
    let mut job = vec![0x1b, b'@', 0x1b, b'E', u8::from(bold)];
    job.extend_from_slice(text.as_bytes());
    job.extend_from_slice(b"\n\x1dV\x00");
    let page = Interpreter::new(paper.dots()).feed(&job).pages.remove(0);
    let ink: Vec<(u32, u32)> = (0..page.height)
        .flat_map(|y| (0..page.width).map(move |x| (x, y)))
        .filter(|&(x, y)| page.is_black(x, y))
        .collect();
    let left = ink.iter().map(|p| p.0).min().expect("the line has ink");
    let right = ink.iter().map(|p| p.0).max().unwrap();
    let top = ink.iter().map(|p| p.1).min().unwrap();
    let bottom = ink.iter().map(|p| p.1).max().unwrap();
    let mut bitmap = Bitmap::new(right - left + 1, bottom - top + 1);
    for (x, y) in ink {
        bitmap.set(x - left, y - top);
    }
    bitmap
}

/// Checks that every line a ticket prints in the printer's font is on the page, dot for
/// dot, in print order.
pub fn check_ticket_font_lines(path: &Path, ticket: &TicketLayout, paper: Paper) {
    let png = Png::load(path);
    let mut y = 0;
    for (text, bold) in ticket_font_lines(ticket, paper) {
        let bitmap = render_font_line(&text, bold, paper);
        let (_, found_y) = png.find(&bitmap, y).unwrap_or_else(|| {
            panic!(
                "printer-font line {text:?} not found below y={y} in {}",
                path.display()
            )
        });
        y = found_y + bitmap.height;
    }
}
