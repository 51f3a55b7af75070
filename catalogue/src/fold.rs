//! Diacritic folding for search.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Search key of a string: NFD, combining marks dropped, `đ`/`Đ` → `d`,
/// lowercase, every run of whitespace/punctuation/symbols collapsed to one
/// space, trimmed. Letters and digits of any script are kept.
///
/// ```
/// use catalogue::fold;
/// assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
/// assert_eq!(fold("ĐĂNG KÝ  KẾT HÔN!"), "dang ky ket hon");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        // Đ/đ do not decompose; U+00D0/U+00F0 (Icelandic eth) is a frequent
        // look-alike left behind by legacy-encoding converters.
        let c = match c {
            'đ' | 'Đ' | '\u{00D0}' | '\u{00F0}' | '\u{0189}' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    // Lowercasing may itself yield combining marks (e.g. 'İ' → "i̇").
    if out.chars().any(is_combining_mark) {
        out.retain(|c| !is_combining_mark(c));
    }
    out
}
