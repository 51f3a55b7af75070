//! Which waiting ticket a counter calls next.
//!
//! 1. A ticket transferred to this very counter goes first (it has already waited once).
//! 2. Otherwise only tickets of the fields the counter serves are candidates.
//! 3. Priority citizens (elderly, disability, pregnant, meritorious service) go before
//!    normal tickets, but after `priority_run` priority calls in a row the oldest normal
//!    ticket is called, so normal tickets are never starved.
//! 4. Within a class, the ticket that has waited longest (earliest `queue_at`) goes first;
//!    ties are broken by id so the choice is deterministic.
//!
//! [`choose_next_across`] refines step 4 for counters that serve several fields: within a
//! class the ticket with the longest wait *relative to its field's target* goes first, so a
//! certified copy (target 15 minutes) waiting 20 minutes is called before a land dossier
//! (target 45 minutes) waiting 30. With equal targets it is exactly the oldest-first rule.

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

/// The wait each field aims for, in minutes: the yardstick of the call policy across fields.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldTargets {
    /// Target of a field not listed in `by_field`.
    pub default_min: f64,
    /// (field id, target minutes).
    pub by_field: Vec<(i64, f64)>,
}

impl Default for FieldTargets {
    fn default() -> Self {
        FieldTargets {
            default_min: 30.0,
            by_field: Vec::new(),
        }
    }
}

/// The wait a field aims for when the province has not set one: quick counter work
/// (civil status, certification, justice) aims at 15 minutes, dossiers that take long at
/// the counter (land, construction, business, environment) at 45, the rest at 30.
pub fn default_target_min(field_code: &str) -> f64 {
    match field_code {
        "HT" | "CT" | "TP" => 15.0,
        "DD" | "XD" | "DKKD" | "TNMT" => 45.0,
        _ => 30.0,
    }
}

impl FieldTargets {
    /// The target of a field; never below one minute, so a zero in a configuration cannot
    /// divide by zero or starve every other field.
    pub fn target_min(&self, field_id: i64) -> f64 {
        self.by_field
            .iter()
            .find(|(f, _)| *f == field_id)
            .map_or(self.default_min, |(_, t)| *t)
            .max(1.0)
    }

    /// Default targets by field code (see [`default_target_min`]).
    pub fn by_code<'a>(fields: impl IntoIterator<Item = (i64, &'a str)>) -> Self {
        let by_field = fields
            .into_iter()
            .map(|(id, code)| (id, default_target_min(code)))
            .collect();
        FieldTargets {
            default_min: 30.0,
            by_field,
        }
    }
}

/// The candidate with the largest wait relative to its field's target; ties go to the
/// earlier `queue_at`, then the lower id, so the choice is deterministic.
fn most_urgent<'a>(
    it: impl Iterator<Item = &'a Candidate>,
    now_ms: i64,
    targets: &FieldTargets,
) -> Option<&'a Candidate> {
    let urgency = |c: &Candidate| (now_ms - c.queue_at_ms) as f64 / targets.target_min(c.field_id);
    it.max_by(|a, b| {
        urgency(a)
            .total_cmp(&urgency(b))
            .then(b.queue_at_ms.cmp(&a.queue_at_ms))
            .then(b.id.cmp(&a.id))
    })
}

/// The call policy across fields: direct transfers first, then priority interleaving as
/// in [`choose_next`], and within a class the longest wait relative to the field's target.
pub fn choose_next_across(
    policy: CallPolicy,
    counter: CallingCounter<'_>,
    waiting: &[Candidate],
    now_ms: i64,
    targets: &FieldTargets,
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
    let priority = most_urgent(eligible().filter(|c| c.priority), now_ms, targets);
    let normal = most_urgent(eligible().filter(|c| !c.priority), now_ms, targets);
    interleave(policy, counter, priority, normal)
}

fn interleave(
    policy: CallPolicy,
    counter: CallingCounter<'_>,
    priority: Option<&Candidate>,
    normal: Option<&Candidate>,
) -> Option<Choice> {
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
    interleave(policy, counter, priority, normal)
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
        type Case = (
            &'static str,
            Vec<i64>,
            u32,
            Vec<Candidate>,
            Option<(i64, u32)>,
        );
        let cases: Vec<Case> = vec![
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
    fn across_fields_table() {
        let policy = CallPolicy { priority_run: 2 };
        // Field 1 aims at 15 minutes, field 2 at 45.
        let targets = FieldTargets {
            default_min: 30.0,
            by_field: vec![(1, 15.0), (2, 45.0)],
        };
        let min = 60_000;
        let now = 100 * min;
        // (name, consecutive, waiting, expected (id, run))
        type Case = (&'static str, u32, Vec<Candidate>, Option<(i64, u32)>);
        let cases: Vec<Case> = vec![
            ("nothing waiting", 0, vec![], None),
            (
                "shorter target wins at equal waits",
                0,
                vec![
                    c(1, 2, false, now - 30 * min),
                    c(2, 1, false, now - 30 * min),
                ],
                Some((2, 0)),
            ),
            (
                "20 of 15 beats 30 of 45",
                0,
                vec![
                    c(1, 2, false, now - 30 * min),
                    c(2, 1, false, now - 20 * min),
                ],
                Some((2, 0)),
            ),
            (
                "10 of 15 loses to 40 of 45",
                0,
                vec![
                    c(1, 2, false, now - 40 * min),
                    c(2, 1, false, now - 10 * min),
                ],
                Some((1, 0)),
            ),
            (
                "same field: oldest first",
                0,
                vec![c(1, 1, false, now - 5 * min), c(2, 1, false, now - 9 * min)],
                Some((2, 0)),
            ),
            (
                "priority still first",
                0,
                vec![c(1, 1, false, now - 60 * min), c(2, 2, true, now - min)],
                Some((2, 1)),
            ),
            (
                "interleaving still holds",
                2,
                vec![c(1, 2, false, now - min), c(2, 1, true, now - 60 * min)],
                Some((1, 0)),
            ),
            (
                "a remote ticket placed in the future waits behind",
                0,
                vec![c(1, 1, false, now + 5 * min), c(2, 1, false, now - min)],
                Some((2, 0)),
            ),
        ];
        for (name, run, waiting, expected) in cases {
            let counter = CallingCounter {
                counter_id: 7,
                fields: &[1, 2],
                consecutive_priority: run,
            };
            let got = choose_next_across(policy, counter, &waiting, now, &targets)
                .map(|ch| (ch.ticket_id, ch.consecutive_priority));
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn equal_targets_match_oldest_first() {
        let policy = CallPolicy::default();
        let targets = FieldTargets::default();
        let waiting: Vec<Candidate> = (0..40)
            .map(|i| c(i, 1 + i % 3, i % 5 == 0, (i * 7919) % 101))
            .collect();
        for run in 0..4 {
            let counter = CallingCounter {
                counter_id: 1,
                fields: &[1, 2, 3],
                consecutive_priority: run,
            };
            assert_eq!(
                choose_next_across(policy, counter, &waiting, 1_000, &targets),
                choose_next(policy, counter, &waiting)
            );
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
