//! Opening hours of a center, parsed from a short text such as
//! `mon-fri 07:30-11:30 13:30-17:00; sat 07:30-11:30`.
//!
//! Grammar: `;`-separated clauses, each `DAYS RANGE [RANGE...]`; DAYS is a single day
//! (`mon`), a span (`mon-fri`) or a comma list (`mon,wed,sat`); RANGE is `HH:MM-HH:MM`.
//! A day not named in any clause is closed.

use chrono::{Datelike, NaiveTime, Timelike, Weekday};

/// Why an opening-hours text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    /// A day name is not one of mon, tue, wed, thu, fri, sat, sun.
    #[error("unknown day {0:?}")]
    UnknownDay(String),
    /// A time range is not `HH:MM-HH:MM` with start before end.
    #[error("bad time range {0:?}")]
    BadRange(String),
    /// A clause names days but no time range.
    #[error("clause {0:?} has no time range")]
    NoRange(String),
}

/// Weekly opening hours: for each weekday (Monday = 0) the open intervals in minutes
/// after local midnight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    days: [Vec<(u16, u16)>; 7],
}

fn parse_day(s: &str) -> Result<usize, HoursError> {
    let d = match s {
        "mon" => 0,
        "tue" => 1,
        "wed" => 2,
        "thu" => 3,
        "fri" => 4,
        "sat" => 5,
        "sun" => 6,
        _ => return Err(HoursError::UnknownDay(s.to_string())),
    };
    Ok(d)
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

impl OpeningHours {
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let mut hours = OpeningHours::default();
        for clause in text.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            let mut parts = clause.split_whitespace();
            let days_spec = parts.next().unwrap_or_default().to_ascii_lowercase();
            let mut days = Vec::new();
            for item in days_spec.split(',') {
                match item.split_once('-') {
                    Some((a, b)) => {
                        let (a, b) = (parse_day(a)?, parse_day(b)?);
                        if a > b {
                            return Err(HoursError::UnknownDay(item.to_string()));
                        }
                        days.extend(a..=b);
                    }
                    None => days.push(parse_day(item)?),
                }
            }
            let mut ranges = Vec::new();
            for range in parts {
                let bad = || HoursError::BadRange(range.to_string());
                let (a, b) = range.split_once('-').ok_or_else(bad)?;
                let (a, b) = (
                    parse_hhmm(a).ok_or_else(bad)?,
                    parse_hhmm(b).ok_or_else(bad)?,
                );
                if a >= b {
                    return Err(bad());
                }
                ranges.push((a, b));
            }
            if ranges.is_empty() {
                return Err(HoursError::NoRange(clause.to_string()));
            }
            for d in days {
                hours.days[d].extend(ranges.iter().copied());
                hours.days[d].sort_unstable();
            }
        }
        Ok(hours)
    }

    /// Open every day, all day: for the demo and tests run at night.
    pub fn always() -> Self {
        OpeningHours {
            days: std::array::from_fn(|_| vec![(0, 24 * 60)]),
        }
    }

    /// Whether the center is open at this local time.
    pub fn is_open(&self, weekday: Weekday, time: NaiveTime) -> bool {
        let minute = (time.hour() * 60 + time.minute()) as u16;
        self.days[weekday.num_days_from_monday() as usize]
            .iter()
            .any(|&(a, b)| a <= minute && minute < b)
    }

    /// Whether the center is open at an instant (milliseconds since the epoch).
    pub fn is_open_at(&self, ms: i64) -> bool {
        let local = super::clock::local(ms);
        self.is_open(local.weekday(), local.time())
    }

    /// Minutes from local midnight to the end of the current open interval, if open.
    pub fn closes_at(&self, weekday: Weekday, time: NaiveTime) -> Option<u16> {
        let minute = (time.hour() * 60 + time.minute()) as u16;
        self.days[weekday.num_days_from_monday() as usize]
            .iter()
            .find(|&&(a, b)| a <= minute && minute < b)
            .map(|&(_, b)| b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn open_and_closed_times() {
        let hours =
            OpeningHours::parse("mon-fri 07:30-11:30 13:30-17:00; sat 07:30-11:30").unwrap();
        let cases = [
            (Weekday::Mon, t(7, 29), false),
            (Weekday::Mon, t(7, 30), true),
            (Weekday::Mon, t(11, 29), true),
            (Weekday::Mon, t(11, 30), false),
            (Weekday::Wed, t(12, 0), false),
            (Weekday::Fri, t(16, 59), true),
            (Weekday::Fri, t(17, 0), false),
            (Weekday::Sat, t(8, 0), true),
            (Weekday::Sat, t(14, 0), false),
            (Weekday::Sun, t(9, 0), false),
        ];
        for (day, time, open) in cases {
            assert_eq!(hours.is_open(day, time), open, "{day:?} {time}");
        }
    }

    #[test]
    fn comma_lists_and_errors() {
        let hours = OpeningHours::parse("mon,wed 08:00-09:00").unwrap();
        assert!(hours.is_open(Weekday::Wed, t(8, 30)));
        assert!(!hours.is_open(Weekday::Tue, t(8, 30)));
        let bad = [
            (
                "funday 08:00-09:00",
                HoursError::UnknownDay("funday".into()),
            ),
            (
                "mon 09:00-08:00",
                HoursError::BadRange("09:00-08:00".into()),
            ),
            ("mon 9:00-10:00", HoursError::BadRange("9:00-10:00".into())),
            ("mon", HoursError::NoRange("mon".into())),
            (
                "fri-mon 08:00-09:00",
                HoursError::UnknownDay("fri-mon".into()),
            ),
        ];
        for (text, err) in bad {
            assert_eq!(OpeningHours::parse(text), Err(err), "{text}");
        }
    }

    #[test]
    fn always_is_open_at_midnight_and_late() {
        let hours = OpeningHours::always();
        assert!(hours.is_open(Weekday::Sun, t(0, 0)));
        assert!(hours.is_open(Weekday::Sun, t(23, 59)));
    }
}
