//! Text helpers that are pure functions: the citizen's language, the phrases printed on
//! the ticket (the screen's phrases live in the `.slint` files as `@tr()`), diacritic
//! folding and the tone keys of the on-screen Vietnamese keyboard.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use wire::{PriorityReason, WaitEstimate};

use crate::ports::PrintedRemote;

/// The language the citizen reads the kiosk in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Vietnamese, the default for every new citizen.
    #[default]
    Vietnamese,
    /// English, the second language.
    English,
}

impl Language {
    /// The code used for the bundled translations and in the configuration.
    pub fn code(self) -> &'static str {
        match self {
            Language::Vietnamese => "vi",
            Language::English => "en",
        }
    }

    /// Parses `vi` or `en` (case-insensitive).
    pub fn from_code(code: &str) -> Option<Language> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" | "vie" | "vi-vn" => Some(Language::Vietnamese),
            "en" | "eng" | "en-us" | "en-gb" => Some(Language::English),
            _ => None,
        }
    }

    /// Picks the Vietnamese or the English of a pair of names.
    pub fn pick<'a>(self, vietnamese: &'a str, english: &'a str) -> &'a str {
        match self {
            Language::English if !english.trim().is_empty() => english,
            _ => vietnamese,
        }
    }
}

/// The printed name of a priority reason.
pub fn priority_name(reason: PriorityReason, language: Language) -> &'static str {
    match (reason, language) {
        (PriorityReason::Elderly, Language::Vietnamese) => "Người cao tuổi",
        (PriorityReason::Disability, Language::Vietnamese) => "Người khuyết tật",
        (PriorityReason::Pregnant, Language::Vietnamese) => "Phụ nữ có thai",
        (PriorityReason::MeritoriousService, Language::Vietnamese) => "Người có công với cách mạng",
        (PriorityReason::Elderly, Language::English) => "Elderly person",
        (PriorityReason::Disability, Language::English) => "Person with a disability",
        (PriorityReason::Pregnant, Language::English) => "Pregnant woman",
        (PriorityReason::MeritoriousService, Language::English) => {
            "Person with meritorious service"
        }
    }
}

/// The ticket's phrases in one language.
pub struct TicketPhrases {
    /// The label above the number.
    pub number_label: &'static str,
    /// The priority line prefix.
    pub priority: &'static str,
    /// The people-ahead line prefix.
    pub people_ahead: &'static str,
    /// The wait line prefix.
    pub wait: &'static str,
    /// The issue time prefix.
    pub issued_at: &'static str,
    /// The footer lines.
    pub footer: &'static [&'static str],
    /// The people-ahead line prefix of a ticket for another center (counted on arrival).
    pub people_ahead_on_arrival: &'static str,
    /// The wait line prefix of a ticket for another center.
    pub wait_on_arrival: &'static str,
    /// The footer of a ticket for another center: the citizen is not to wait here.
    pub footer_remote: &'static [&'static str],
}

/// The phrases printed on the ticket.
pub fn ticket_phrases(language: Language) -> TicketPhrases {
    match language {
        Language::Vietnamese => TicketPhrases {
            number_label: "SỐ THỨ TỰ",
            priority: "Ưu tiên",
            people_ahead: "Số người đang chờ trước bạn",
            wait: "Thời gian chờ dự kiến",
            issued_at: "Giờ lấy số",
            footer: &[
                "Quét mã QR để theo dõi lượt của bạn",
                "Xin vui lòng chờ gọi số",
            ],
            people_ahead_on_arrival: "Số người chờ trước bạn khi đến",
            wait_on_arrival: "Thời gian chờ dự kiến khi đến",
            footer_remote: &["Quét mã QR để theo dõi lượt của bạn"],
        },
        Language::English => TicketPhrases {
            number_label: "YOUR NUMBER",
            priority: "Priority",
            people_ahead: "People waiting before you",
            wait: "Estimated wait",
            issued_at: "Issued at",
            footer: &[
                "Scan the QR code to follow your turn",
                "Please wait for your number",
            ],
            people_ahead_on_arrival: "People before you on arrival",
            wait_on_arrival: "Estimated wait on arrival",
            footer_remote: &["Scan the QR code to follow your turn"],
        },
    }
}

/// The block printed on a ticket for another center: Vietnamese first and English under
/// it, whatever the citizen's language, since the staff of both centers read it too.
/// `check_in_by` is the local time of the deadline, e.g. "10:45".
pub fn remote_notice(check_in_by: &str) -> PrintedRemote {
    PrintedRemote {
        heading: "VÉ TẠI TRUNG TÂM KHÁC".to_owned(),
        heading_en: "TICKET FOR ANOTHER CENTER".to_owned(),
        text: format!("Hãy quét mã QR tại kiosk của trung tâm trước {check_in_by} để giữ chỗ"),
        text_en: format!("Scan the QR code at its kiosk before {check_in_by} to keep your place"),
    }
}

/// The wait as words, e.g. "khoảng 25 phút (15–35)" or "chưa ước tính được".
pub fn wait_words(wait: &WaitEstimate, language: Language) -> String {
    match (wait.minutes, language) {
        (Some(0), Language::Vietnamese) => "gần như không phải chờ".to_owned(),
        (Some(0), Language::English) => "almost no wait".to_owned(),
        (Some(minutes), Language::Vietnamese) => format!("khoảng {minutes} phút"),
        (Some(minutes), Language::English) => format!("about {minutes} min"),
        (None, Language::Vietnamese) => "chưa ước tính được".to_owned(),
        (None, Language::English) => "not known yet".to_owned(),
    }
}

/// Folds text for matching: lower case, without tone marks or vowel hats, `đ` as `d`.
/// "Đăng ký khai sinh" and "dang ky khai sinh" fold to the same string.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// A tone of Vietnamese, as the keyboard's tone keys offer them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Sắc (á).
    Acute,
    /// Huyền (à).
    Grave,
    /// Hỏi (ả).
    Hook,
    /// Ngã (ã).
    Tilde,
    /// Nặng (ạ).
    DotBelow,
}

impl Tone {
    fn mark(self) -> char {
        match self {
            Tone::Acute => '\u{301}',
            Tone::Grave => '\u{300}',
            Tone::Hook => '\u{309}',
            Tone::Tilde => '\u{303}',
            Tone::DotBelow => '\u{323}',
        }
    }

    /// The tone of a keyboard key index 0–4 (sắc, huyền, hỏi, ngã, nặng).
    pub fn from_index(index: i32) -> Option<Tone> {
        [
            Tone::Acute,
            Tone::Grave,
            Tone::Hook,
            Tone::Tilde,
            Tone::DotBelow,
        ]
        .get(usize::try_from(index).ok()?)
        .copied()
    }
}

const TONE_MARKS: [char; 5] = ['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}'];

fn base_letter(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_vowel(c: char) -> bool {
    let base: String = c.to_string().nfd().take(1).collect();
    matches!(
        base.chars().next().map(base_letter),
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'y')
    )
}

fn has_hat_or_horn(c: char) -> bool {
    // The NFD of ă â ê ô ơ ư carries a breve, circumflex or horn.
    c.to_string()
        .nfd()
        .any(|m| matches!(m, '\u{306}' | '\u{302}' | '\u{31b}'))
}

/// Puts a tone on the last word of `text`, replacing any tone it had, the way a citizen
/// expects: on the vowel with a hat or horn if there is one, otherwise on the last vowel
/// of the vowel group when a consonant closes the word, otherwise on the one before it.
/// Text without a vowel in its last word is returned unchanged.
pub fn apply_tone(text: &str, tone: Tone) -> String {
    let chars: Vec<char> = text.nfc().collect();
    let word_start = chars
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |i| i + 1);
    let word = &chars[word_start..];
    let vowels: Vec<usize> = word
        .iter()
        .enumerate()
        .filter(|(_, c)| is_vowel(**c))
        .map(|(i, _)| i)
        .collect();
    let Some(&last_vowel) = vowels.last() else {
        return text.to_owned();
    };
    // The vowel group is the run of vowels ending at the last vowel; "qu" and "gi" start
    // with a letter that belongs to the consonant.
    let mut group_start = last_vowel;
    while group_start > 0 && is_vowel(word[group_start - 1]) {
        group_start -= 1;
    }
    if group_start > 0 && group_start < last_vowel {
        let before = base_letter(word[group_start - 1]);
        let first = base_letter(word[group_start]);
        if (before == 'q' && first == 'u') || (before == 'g' && first == 'i') {
            group_start += 1;
        }
    }
    let group = group_start..=last_vowel;
    let closed = last_vowel + 1 < word.len();
    let target = group
        .clone()
        .rev()
        .find(|&i| has_hat_or_horn(word[i]))
        .unwrap_or(if closed || group_start == last_vowel {
            last_vowel
        } else {
            last_vowel - 1
        });
    let mut out: String = chars[..word_start].iter().collect();
    for (i, c) in word.iter().enumerate() {
        let bare: String = c
            .to_string()
            .nfd()
            .filter(|m| !TONE_MARKS.contains(m))
            .collect();
        out.push_str(&bare);
        if i == target {
            out.push(tone.mark());
        }
    }
    out.nfc().collect()
}

/// Removes the last letter of `text`, as the keyboard's back key does.
pub fn backspace(text: &str) -> String {
    let mut chars: Vec<char> = text.nfc().collect();
    chars.pop();
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_tones_hats_and_case() {
        for (input, expected) in [
            ("Đăng ký khai sinh", "dang ky khai sinh"),
            (
                "Chứng thực bản sao từ bản chính",
                "chung thuc ban sao tu ban chinh",
            ),
            ("dang ky", "dang ky"),
            ("ĐẤT ĐAI", "dat dai"),
        ] {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn tones_land_on_the_right_vowel() {
        for (input, tone, expected) in [
            ("dang", Tone::Acute, "dáng"),
            ("ky", Tone::Acute, "ký"),
            ("khai", Tone::Grave, "khài"),
            ("đăng", Tone::Acute, "đắng"),
            ("thuc", Tone::Acute, "thúc"),
            ("chưng", Tone::Acute, "chứng"),
            ("hoa", Tone::Grave, "hòa"),
            ("quy", Tone::Acute, "quý"),
            ("giay", Tone::Acute, "giáy"),
            ("bản", Tone::Tilde, "bãn"),
            ("đăng ky", Tone::Acute, "đăng ký"),
            ("sinh", Tone::DotBelow, "sịnh"),
            ("nh", Tone::Acute, "nh"),
            ("", Tone::Acute, ""),
        ] {
            assert_eq!(
                apply_tone(input, tone),
                expected,
                "apply_tone({input:?}, {tone:?})"
            );
        }
    }

    #[test]
    fn backspace_removes_a_whole_letter_with_its_tone() {
        assert_eq!(backspace("ký"), "k");
        assert_eq!(backspace(""), "");
    }

    #[test]
    fn english_names_fall_back_to_vietnamese_when_missing() {
        assert_eq!(Language::English.pick("Hộ tịch", ""), "Hộ tịch");
        assert_eq!(
            Language::English.pick("Hộ tịch", "Civil status"),
            "Civil status"
        );
        assert_eq!(
            Language::Vietnamese.pick("Hộ tịch", "Civil status"),
            "Hộ tịch"
        );
    }
}
