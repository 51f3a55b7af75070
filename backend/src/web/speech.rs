//! The words of a spoken call, as clip ids of the pre-generated audio in `web/audio`.
//!
//! "Mời công dân có số thứ tự 1023 đến quầy số 5" is spoken as the clips
//! `intro d1 nghin d0 tram d2 muoi-tens d3 to-counter d5`. `web/speech.js` holds the same
//! rules for the browser; the browser test checks that the two agree.

/// Clip ids for a number from 0 to 9999, read the Vietnamese way
/// (1023 = "một nghìn không trăm hai mươi ba", 105 = "một trăm linh năm").
pub fn number_words(n: u32) -> Vec<&'static str> {
    const DIGITS: [&str; 10] = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"];
    let n = n.min(9999);
    let (thousands, hundreds, tens, units) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
    let mut words = Vec::new();
    if n == 0 {
        return vec!["d0"];
    }
    if thousands > 0 {
        words.push(DIGITS[thousands as usize]);
        words.push("nghin");
    }
    let rest = n % 100;
    if hundreds > 0 || (thousands > 0 && rest > 0) {
        words.push(DIGITS[hundreds as usize]);
        words.push("tram");
    }
    if rest == 0 {
        return words;
    }
    match tens {
        0 => {
            if n >= 100 {
                words.push("linh");
            }
            words.push(DIGITS[units as usize]);
        }
        1 => {
            words.push("muoi");
            match units {
                0 => {}
                5 => words.push("lam"),
                u => words.push(DIGITS[u as usize]),
            }
        }
        t => {
            words.push(DIGITS[t as usize]);
            words.push("muoi-tens");
            match units {
                0 => {}
                1 => words.push("mot-tens"),
                4 => words.push("tu"),
                5 => words.push("lam"),
                u => words.push(DIGITS[u as usize]),
            }
        }
    }
    words
}

/// Clip ids of the whole announcement for a ticket called to a counter.
pub fn announcement(ticket: u32, counter: u32) -> Vec<&'static str> {
    let mut clips = vec!["intro"];
    clips.extend(number_words(ticket));
    clips.push("to-counter");
    clips.extend(number_words(counter));
    clips
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_the_vietnamese_way() {
        let cases: &[(u32, &str)] = &[
            (0, "d0"),
            (5, "d5"),
            (10, "muoi"),
            (15, "muoi lam"),
            (21, "d2 muoi-tens mot-tens"),
            (24, "d2 muoi-tens tu"),
            (55, "d5 muoi-tens lam"),
            (100, "d1 tram"),
            (105, "d1 tram linh d5"),
            (110, "d1 tram muoi"),
            (1000, "d1 nghin"),
            (1005, "d1 nghin d0 tram linh d5"),
            (1023, "d1 nghin d0 tram d2 muoi-tens d3"),
            (2310, "d2 nghin d3 tram muoi"),
            (9999, "d9 nghin d9 tram d9 muoi-tens d9"),
        ];
        for (n, expected) in cases {
            assert_eq!(number_words(*n).join(" "), *expected, "number {n}");
        }
    }

    #[test]
    fn announcement_frames_the_number_and_counter() {
        assert_eq!(
            announcement(1023, 5).join(" "),
            "intro d1 nghin d0 tram d2 muoi-tens d3 to-counter d5"
        );
    }
}
