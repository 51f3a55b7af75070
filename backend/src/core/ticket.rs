//! Ticket life cycle and numbering.
//!
//! ```text
//!            call            start            finish
//! Waiting ─────────▶ Called ───────▶ Serving ────────▶ Done
//!   ▲  │               │ ▲ recall      │
//!   │  │ cancel        │ └─────┘       │ transfer (keeps issue time)
//!   │  ▼               ├─ no-show ▶ NoShow
//!   │ Cancelled        ├─ transfer ────┴──▶ Waiting
//!   │                  └─ cancel ▶ Cancelled
//! Remote ── check in ──┘ (issue time + travel decides its place)
//! Waiting/Called/Serving/Remote ── daily reset or expiry ──▶ Expired
//! ```
//!
//! ## Numbering
//! A ticket number is four digits `S NNN`: the field's series digit `S` (1–9) followed by
//! a three-digit sequence that starts at 001 each business day, per center and series.
//! Field "Hộ tịch" (series 1) issues 1001, 1002, …; "Chứng thực" (series 2) issues 2001, ….
//! A board reads it as one number ("một nghìn không trăm hai mươi ba"), and because several
//! counters that share a field draw from one sequence, no two people in a hall ever hold
//! the same number: the board says which counter called which number.

use std::fmt;

/// Life-cycle state of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    Done,
    NoShow,
    Cancelled,
    Remote,
    Expired,
}

impl TicketState {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Waiting => "waiting",
            TicketState::Called => "called",
            TicketState::Serving => "serving",
            TicketState::Done => "done",
            TicketState::NoShow => "no_show",
            TicketState::Cancelled => "cancelled",
            TicketState::Remote => "remote",
            TicketState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "waiting" => TicketState::Waiting,
            "called" => TicketState::Called,
            "serving" => TicketState::Serving,
            "done" => TicketState::Done,
            "no_show" => TicketState::NoShow,
            "cancelled" => TicketState::Cancelled,
            "remote" => TicketState::Remote,
            "expired" => TicketState::Expired,
            _ => return None,
        })
    }

    /// Still in the queue or at a counter: the daily reset expires these.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketState::Waiting | TicketState::Called | TicketState::Serving | TicketState::Remote
        )
    }
}

/// Something that happens to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Call,
    Recall,
    NoShow,
    Start,
    Finish,
    Transfer,
    Cancel,
    CheckIn,
    Expire,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Call => "call",
            Action::Recall => "recall",
            Action::NoShow => "no_show",
            Action::Start => "start",
            Action::Finish => "finish",
            Action::Transfer => "transfer",
            Action::Cancel => "cancel",
            Action::CheckIn => "check_in",
            Action::Expire => "expire",
        }
    }
}

/// An action that the ticket's current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a ticket that is {state}", action = .action.as_str(), state = .state.as_str())]
pub struct IllegalTransition {
    pub state: TicketState,
    pub action: Action,
}

/// The state after `action`, or an error: an illegal transition is never a silent no-op.
pub fn transition(state: TicketState, action: Action) -> Result<TicketState, IllegalTransition> {
    use Action as A;
    use TicketState as S;
    let next = match (state, action) {
        (S::Waiting, A::Call) => S::Called,
        (S::Called, A::Recall) => S::Called,
        (S::Called, A::NoShow) => S::NoShow,
        (S::Called, A::Start) => S::Serving,
        (S::Serving, A::Finish) => S::Done,
        (S::Called | S::Serving, A::Transfer) => S::Waiting,
        (S::Waiting | S::Called | S::Remote, A::Cancel) => S::Cancelled,
        (S::Remote, A::CheckIn) => S::Waiting,
        (S::Waiting | S::Called | S::Serving | S::Remote, A::Expire) => S::Expired,
        _ => return Err(IllegalTransition { state, action }),
    };
    Ok(next)
}

/// Most tickets a center can issue per series and day: the sequence has three digits.
pub const MAX_SEQ_PER_DAY: u32 = 999;

/// The number people read: series digit then a three-digit daily sequence.
pub fn ticket_number(series: u8, seq: u32) -> Result<u32, NumberingError> {
    if !(1..=9).contains(&series) {
        return Err(NumberingError::BadSeries(series));
    }
    if !(1..=MAX_SEQ_PER_DAY).contains(&seq) {
        return Err(NumberingError::SeriesFull { series });
    }
    Ok(series as u32 * 1000 + seq)
}

/// Why a ticket number could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    /// A field's series digit must be 1 to 9.
    #[error("series {0} is not a digit from 1 to 9")]
    BadSeries(u8),
    /// All 999 numbers of the series were issued today at this center.
    #[error("all 999 numbers of series {series} are used today")]
    SeriesFull { series: u8 },
}

impl fmt::Display for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use TicketState as S;

    const ALL_STATES: [S; 8] = [
        S::Waiting,
        S::Called,
        S::Serving,
        S::Done,
        S::NoShow,
        S::Cancelled,
        S::Remote,
        S::Expired,
    ];
    const ALL_ACTIONS: [A; 9] = [
        A::Call,
        A::Recall,
        A::NoShow,
        A::Start,
        A::Finish,
        A::Transfer,
        A::Cancel,
        A::CheckIn,
        A::Expire,
    ];

    #[test]
    fn the_full_transition_table() {
        // Every (state, action) pair not listed here must be rejected.
        let allowed = [
            (S::Waiting, A::Call, S::Called),
            (S::Called, A::Recall, S::Called),
            (S::Called, A::NoShow, S::NoShow),
            (S::Called, A::Start, S::Serving),
            (S::Serving, A::Finish, S::Done),
            (S::Called, A::Transfer, S::Waiting),
            (S::Serving, A::Transfer, S::Waiting),
            (S::Waiting, A::Cancel, S::Cancelled),
            (S::Called, A::Cancel, S::Cancelled),
            (S::Remote, A::Cancel, S::Cancelled),
            (S::Remote, A::CheckIn, S::Waiting),
            (S::Waiting, A::Expire, S::Expired),
            (S::Called, A::Expire, S::Expired),
            (S::Serving, A::Expire, S::Expired),
            (S::Remote, A::Expire, S::Expired),
        ];
        for state in ALL_STATES {
            for action in ALL_ACTIONS {
                let expected = allowed
                    .iter()
                    .find(|(s, a, _)| *s == state && *a == action)
                    .map(|(_, _, next)| *next);
                match expected {
                    Some(next) => assert_eq!(transition(state, action), Ok(next)),
                    None => assert_eq!(
                        transition(state, action),
                        Err(IllegalTransition { state, action }),
                        "{state} {action:?} must be illegal"
                    ),
                }
            }
        }
    }

    #[test]
    fn finishing_a_ticket_never_called_is_illegal() {
        let err = transition(S::Waiting, A::Finish).unwrap_err();
        assert_eq!(err.to_string(), "cannot finish a ticket that is waiting");
    }

    #[test]
    fn numbers() {
        let cases = [
            (1, 1, Ok(1001)),
            (1, 23, Ok(1023)),
            (9, 999, Ok(9999)),
            (2, 1000, Err(NumberingError::SeriesFull { series: 2 })),
            (0, 1, Err(NumberingError::BadSeries(0))),
            (10, 1, Err(NumberingError::BadSeries(10))),
        ];
        for (series, seq, expected) in cases {
            assert_eq!(ticket_number(series, seq), expected, "{series} {seq}");
        }
    }

    #[test]
    fn state_names_round_trip() {
        for state in ALL_STATES {
            assert_eq!(TicketState::parse(state.as_str()), Some(state));
        }
    }
}
