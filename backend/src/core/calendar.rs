//! Working days and appointment dates (ngày hẹn trả) of dossiers.
//!
//! A procedure's processing time comes with a unit: hours and working days count only
//! office time (Monday to Friday, not public holidays, plus make-up working Saturdays);
//! days and months are calendar time, but an appointment never falls on a day the center
//! is closed: it moves to the next working day. Time the citizen spends supplementing
//! documents does not count against the office: each pause pushes the deadline back by
//! the working time it covered.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// Office hours used to count working hours: 07:30–11:30 and 13:30–17:00.
const OFFICE: [(u32, u32); 2] = [(7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)];

/// A unit of a procedure's processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hours,
    Days,
    WorkingDays,
    Months,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "hours" => Unit::Hours,
            "days" => Unit::Days,
            "working_days" => Unit::WorkingDays,
            "months" => Unit::Months,
            _ => return None,
        })
    }
}

/// Public holidays and make-up working days of the province's calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    /// Saturdays or Sundays declared working days (to make up a bridged holiday).
    pub extra_working_days: BTreeSet<NaiveDate>,
}

fn minute_of(t: NaiveTime) -> u32 {
    use chrono::Timelike;
    t.hour() * 60 + t.minute()
}

fn at_minute(date: NaiveDate, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(minute / 60, minute % 60, 0)
        .expect("valid office minute")
}

impl Calendar {
    /// Parses one date per line (`YYYY-MM-DD`), `#` comments allowed; a line starting
    /// with `+` is a make-up working day.
    pub fn parse(text: &str) -> Result<Calendar, String> {
        let mut cal = Calendar::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (extra, date) = match line.strip_prefix('+') {
                Some(d) => (true, d.trim()),
                None => (false, line),
            };
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|e| format!("line {}: {date:?} is not a YYYY-MM-DD date: {e}", i + 1))?;
            if extra {
                cal.extra_working_days.insert(date);
            } else {
                cal.holidays.insert(date);
            }
        }
        Ok(cal)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.extra_working_days.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&d)
    }

    /// The first working day on or after `d`.
    pub fn next_working_day(&self, mut d: NaiveDate) -> NaiveDate {
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        d
    }

    /// Adds `n` whole working days: the day of receipt does not count.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Adds working minutes, counted only inside office hours of working days.
    pub fn add_working_minutes(&self, from: NaiveDateTime, minutes: u32) -> NaiveDateTime {
        let mut date = from.date();
        let mut minute = minute_of(from.time());
        let mut left = minutes;
        loop {
            if self.is_working_day(date) {
                for (start, end) in OFFICE {
                    let begin = minute.max(start);
                    if begin >= end {
                        continue;
                    }
                    let available = end - begin;
                    if left <= available {
                        return at_minute(date, begin + left);
                    }
                    left -= available;
                    minute = end;
                }
            }
            date += Duration::days(1);
            minute = 0;
        }
    }

    /// The appointment for a procedure taking `amount` of `unit`, received at `received`.
    /// Fractions of working days count as working hours (a working day is 7.5 hours).
    pub fn due(&self, received: NaiveDateTime, amount: f64, unit: Unit) -> NaiveDateTime {
        let amount = amount.max(0.0);
        match unit {
            Unit::Hours => self.add_working_minutes(received, (amount * 60.0).round() as u32),
            Unit::WorkingDays => {
                let whole = amount.trunc() as u32;
                let day = self.add_working_days(received.date(), whole);
                let at = NaiveDateTime::new(day, received.time());
                let rest = ((amount - amount.trunc()) * 450.0).round() as u32;
                let due = self.add_working_minutes(at, rest);
                self.roll_into_office(due)
            }
            Unit::Days => {
                let day = received.date() + Duration::days(amount.ceil() as i64);
                let day = self.next_working_day(day);
                self.roll_into_office(NaiveDateTime::new(day, received.time()))
            }
            Unit::Months => {
                let day = received.date() + Months::new(amount.ceil() as u32);
                let day = self.next_working_day(day);
                self.roll_into_office(NaiveDateTime::new(day, received.time()))
            }
        }
    }

    /// An appointment outside office hours moves to the next open office minute's end of
    /// day: citizens are told a time at which the office is open.
    fn roll_into_office(&self, t: NaiveDateTime) -> NaiveDateTime {
        let m = minute_of(t.time());
        let open = OFFICE.iter().any(|&(a, b)| a <= m && m <= b);
        if open && self.is_working_day(t.date()) {
            return t;
        }
        if m > OFFICE[1].1 || !self.is_working_day(t.date()) {
            let day = self
                .next_working_day(t.date() + Duration::days(if m > OFFICE[1].1 { 1 } else { 0 }));
            return at_minute(day, OFFICE[1].1);
        }
        // Before opening or in the lunch break: the end of the current day's next session.
        let end = OFFICE
            .iter()
            .find(|&&(_, b)| m < b)
            .map(|&(_, b)| b)
            .unwrap_or(OFFICE[1].1);
        at_minute(t.date(), end)
    }

    /// Working minutes between two instants (for supplement pauses).
    pub fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> u32 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let mut date = from.date();
        while date <= to.date() {
            if self.is_working_day(date) {
                for (start, end) in OFFICE {
                    let a = if date == from.date() {
                        minute_of(from.time()).max(start)
                    } else {
                        start
                    };
                    let b = if date == to.date() {
                        minute_of(to.time()).min(end)
                    } else {
                        end
                    };
                    if b > a {
                        total += b - a;
                    }
                }
            }
            date += Duration::days(1);
        }
        total
    }

    /// The deadline after supplement pauses: pushed back by the working time paused.
    pub fn due_with_pauses(
        &self,
        due: NaiveDateTime,
        pauses: &[(NaiveDateTime, NaiveDateTime)],
    ) -> NaiveDateTime {
        let paused: u32 = pauses
            .iter()
            .map(|&(a, b)| self.working_minutes_between(a, b))
            .sum();
        if paused == 0 {
            return due;
        }
        self.add_working_minutes(due, paused)
    }
}

/// Timeliness of a dossier, as reports count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Finished before the appointment date.
    Early,
    /// Finished on the appointment date.
    OnTime,
    /// Finished after the appointment date.
    Late,
    /// Not finished; the appointment has not passed.
    WithinDeadline,
    /// Not finished; the appointment has passed.
    Overdue,
}

/// Classifies a dossier. Dates, not minutes, decide early/on time/late, as in the
/// national reports; an open dossier is overdue from the minute its deadline passes.
pub fn timeliness(
    deadline: NaiveDateTime,
    finished: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Timeliness {
    match finished {
        Some(f) if f.date() < deadline.date() => Timeliness::Early,
        Some(f) if f <= deadline || f.date() == deadline.date() => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if now <= deadline => Timeliness::WithinDeadline,
        None => Timeliness::Overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn calendar() -> Calendar {
        // 2026-09-02 (Wed) National Day; 2026-09-01 bridged, made up on Sat 2026-09-05.
        Calendar::parse("2026-09-01\n2026-09-02 # Quốc khánh\n+2026-09-05\n").unwrap()
    }

    #[test]
    fn appointments_across_weekends_and_holidays() {
        let cal = calendar();
        let cases = [
            (
                "Fri + 1 working day → Mon",
                dt("2026-08-28 09:00"),
                1.0,
                Unit::WorkingDays,
                dt("2026-08-31 09:00"),
            ),
            (
                "Mon + 1 working day skips the holidays → Thu",
                dt("2026-08-31 09:00"),
                1.0,
                Unit::WorkingDays,
                dt("2026-09-03 09:00"),
            ),
            (
                "Thu + 2 working days counts the make-up Saturday",
                dt("2026-09-03 10:00"),
                2.0,
                Unit::WorkingDays,
                dt("2026-09-05 10:00"),
            ),
            (
                "5 working days over a weekend",
                dt("2026-12-02 14:00"),
                5.0,
                Unit::WorkingDays,
                dt("2026-12-09 14:00"),
            ),
            (
                "half a working day = 3 h 45 of office time",
                dt("2026-12-07 09:00"),
                0.5,
                Unit::WorkingDays,
                dt("2026-12-07 14:45"),
            ),
            (
                "8 working hours from Fri afternoon",
                dt("2026-12-04 15:00"),
                8.0,
                Unit::Hours,
                dt("2026-12-07 15:30"),
            ),
            (
                "calendar days landing on Sunday → Monday",
                dt("2026-12-03 09:00"),
                3.0,
                Unit::Days,
                dt("2026-12-07 09:00"),
            ),
            (
                "a month",
                dt("2026-12-07 09:00"),
                1.0,
                Unit::Months,
                dt("2027-01-07 09:00"),
            ),
            (
                "a month landing on a holiday → next working day",
                dt("2026-08-02 09:00"),
                1.0,
                Unit::Months,
                dt("2026-09-03 09:00"),
            ),
        ];
        for (name, received, amount, unit, expected) in cases {
            assert_eq!(cal.due(received, amount, unit), expected, "{name}");
        }
    }

    #[test]
    fn a_supplement_pause_pushes_the_deadline_back() {
        let cal = calendar();
        let due = dt("2026-12-09 14:00");
        // Paused from Mon 09:00 to Tue 09:00: one working day of 7.5 hours.
        let paused = cal.due_with_pauses(due, &[(dt("2026-12-07 09:00"), dt("2026-12-08 09:00"))]);
        assert_eq!(paused, dt("2026-12-10 14:00"));
        // A pause over a weekend costs the office nothing.
        let weekend = cal.due_with_pauses(due, &[(dt("2026-12-05 08:00"), dt("2026-12-06 18:00"))]);
        assert_eq!(weekend, due);
        assert_eq!(
            cal.working_minutes_between(dt("2026-12-07 11:00"), dt("2026-12-07 14:00")),
            60
        );
    }

    #[test]
    fn timeliness_table() {
        let deadline = dt("2026-12-09 14:00");
        let now = dt("2026-12-08 10:00");
        let cases = [
            (Some(dt("2026-12-08 16:00")), now, Timeliness::Early),
            (Some(dt("2026-12-09 16:30")), now, Timeliness::OnTime),
            (Some(dt("2026-12-10 08:00")), now, Timeliness::Late),
            (None, now, Timeliness::WithinDeadline),
            (None, dt("2026-12-09 14:01"), Timeliness::Overdue),
        ];
        for (finished, now, expected) in cases {
            assert_eq!(
                timeliness(deadline, finished, now),
                expected,
                "{finished:?} at {now}"
            );
        }
    }

    #[test]
    fn calendar_file_errors_name_the_line() {
        let err = Calendar::parse("2026-01-01\n2026-13-01\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
