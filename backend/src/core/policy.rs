//! Which waiting ticket a counter calls next.
//!
//! 1. A ticket transferred to this very counter goes first (it has already waited once).
//! 2. Otherwise only tickets of the fields the counter serves are candidates.
//! 3. Priority citizens (elderly, disability, pregnant, meritorious service) go before
//!    normal tickets, but after `priority_run` priority calls in a row the oldest normal
//!    ticket is called, so normal tickets are never starved.
//! 4. Within a class, the ticket that has waited longest (earliest `queue_at`) goes first;
//!    ties are broken by id so the choice is deterministic.

/// A waiting ticket as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub field_id: i64,
    pub priority: bool,
    /// The instant that orders the queue: the issue time, kept across transfers.
    pub queue_at_ms: i64,
    /// Set when the ticket was transferred to one specific counter.
    pub target_counter: Option<i64>,
}

/// The counter that asks for its next ticket.
#[derive(Debug, Clone, Copy)]
pub struct CallingCounter<'a> {
    pub counter_id: i64,
    pub fields: &'a [i64],
    /// Priority tickets this counter called in a row just before this call.
    pub consecutive_priority: u32,
}

/// Tunables of the call policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPolicy {
    /// After this many priority calls in a row, one normal ticket is called if any waits.
    pub priority_run: u32,
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy { priority_run: 3 }
    }
}

/// The policy's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub ticket_id: i64,
    /// The counter's new run of consecutive priority calls.
    pub consecutive_priority: u32,
}

fn oldest<'a>(it: impl Iterator<Item = &'a Candidate>) -> Option<&'a Candidate> {
    it.min_by_key(|c| (c.queue_at_ms, c.id))
}

/// Chooses the next ticket for `counter`, or `None` when nothing it may call is waiting.
pub fn choose_next(
    policy: CallPolicy,
    counter: CallingCounter<'_>,
    waiting: &[Candidate],
) -> Option<Choice> {
    if let Some(direct) = oldest(
        waiting
            .iter()
            .filter(|c| c.target_counter == Some(counter.counter_id)),
    ) {
        return Some(Choice {
            ticket_id: direct.id,
            consecutive_priority: counter.consecutive_priority,
        });
    }
    let eligible = || {
        waiting
            .iter()
            .filter(|c| c.target_counter.is_none() && counter.fields.contains(&c.field_id))
    };
    let priority = oldest(eligible().filter(|c| c.priority));
    let normal = oldest(eligible().filter(|c| !c.priority));
    match (priority, normal) {
        (Some(p), Some(_)) if counter.consecutive_priority < policy.priority_run => Some(Choice {
            ticket_id: p.id,
            consecutive_priority: counter.consecutive_priority + 1,
        }),
        (Some(p), None) => Some(Choice {
            ticket_id: p.id,
            consecutive_priority: counter.consecutive_priority + 1,
        }),
        (_, Some(n)) => Some(Choice {
            ticket_id: n.id,
            consecutive_priority: 0,
        }),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, field_id: i64, priority: bool, queue_at_ms: i64) -> Candidate {
        Candidate {
            id,
            field_id,
            priority,
            queue_at_ms,
            target_counter: None,
        }
    }

    #[test]
    fn table() {
        let policy = CallPolicy { priority_run: 2 };
        let direct = Candidate {
            target_counter: Some(7),
            ..c(9, 3, false, 500)
        };
        let elsewhere = Candidate {
            target_counter: Some(8),
            ..c(10, 1, true, 0)
        };
        // (name, counter fields, consecutive, waiting, expected (id, run))
        let cases: Vec<(&str, Vec<i64>, u32, Vec<Candidate>, Option<(i64, u32)>)> = vec![
            ("empty queue", vec![1], 0, vec![], None),
            (
                "other fields only",
                vec![1],
                0,
                vec![c(1, 2, false, 0)],
                None,
            ),
            (
                "oldest first",
                vec![1],
                0,
                vec![c(1, 1, false, 20), c(2, 1, false, 10)],
                Some((2, 0)),
            ),
            (
                "ties by id",
                vec![1],
                0,
                vec![c(5, 1, false, 10), c(4, 1, false, 10)],
                Some((4, 0)),
            ),
            (
                "priority before older normal",
                vec![1],
                0,
                vec![c(1, 1, false, 0), c(2, 1, true, 50)],
                Some((2, 1)),
            ),
            (
                "run not yet full",
                vec![1],
                1,
                vec![c(1, 1, false, 0), c(2, 1, true, 50)],
                Some((2, 2)),
            ),
            (
                "run full: normal goes",
                vec![1],
                2,
                vec![c(1, 1, false, 0), c(2, 1, true, 50)],
                Some((1, 0)),
            ),
            (
                "run full but no normal",
                vec![1],
                2,
                vec![c(2, 1, true, 50)],
                Some((2, 3)),
            ),
            (
                "serves several fields",
                vec![1, 2],
                0,
                vec![c(1, 1, false, 30), c(2, 2, false, 20)],
                Some((2, 0)),
            ),
            (
                "direct transfer first",
                vec![1],
                0,
                vec![c(1, 1, true, 0), direct],
                Some((9, 0)),
            ),
            (
                "transfer to another counter is not ours",
                vec![1],
                0,
                vec![elsewhere, c(2, 1, false, 5)],
                Some((2, 0)),
            ),
        ];
        for (name, fields, run, waiting, expected) in cases {
            let counter = CallingCounter {
                counter_id: 7,
                fields: &fields,
                consecutive_priority: run,
            };
            let got = choose_next(policy, counter, &waiting)
                .map(|ch| (ch.ticket_id, ch.consecutive_priority));
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn normal_tickets_are_never_starved() {
        // A stream of priority arrivals must still let the normal ticket through within
        // priority_run + 1 calls.
        let policy = CallPolicy::default();
        let mut waiting = vec![c(0, 1, false, 0)];
        waiting.extend((1..100).map(|i| c(i, 1, true, i)));
        let mut run = 0;
        for call in 0..=policy.priority_run {
            let counter = CallingCounter {
                counter_id: 1,
                fields: &[1],
                consecutive_priority: run,
            };
            let choice = choose_next(policy, counter, &waiting).unwrap();
            if choice.ticket_id == 0 {
                assert_eq!(call, policy.priority_run);
                return;
            }
            run = choice.consecutive_priority;
            waiting.retain(|t| t.id != choice.ticket_id);
        }
        panic!("the normal ticket was starved");
    }
}
