//! Estimated wait for a (center, field) queue.
//!
//! The estimate shown is a projection ([`projected_wait_minutes`]): the center's open
//! counters, each busy until its current citizen's expected end ([`busy_until_ms`]), call
//! the waiting tickets of every field, the remote tickets on their way and the arrivals
//! expected from the last hour ([`expected_arrivals`], averaged over [`ARRIVAL_PHASES`]
//! rotations of their pattern) exactly as the backend's call policy
//! would (`policy::choose_next_across`: priority interleaving, then the longest wait
//! relative to each field's target), each call taking the field's learned mean service
//! time times the procedure's factor ([`procedure_factor`]), until the newcomer is
//! called. The field's mean at a center is its recent durations shrunk towards the
//! province's by a weight learned from how much the centers really differ
//! ([`center_prior_weight`]). A counter that serves several fields, a land
//! dossier waiting long, a priority citizen due in five minutes: the replay sees them all,
//! which the closed form below cannot.
//!
//! The closed form remains for a field with no counter open: `c` counters serve the
//! field, each taking about `s` minutes a citizen (learned from finished tickets, shrunk
//! towards a prior while samples are few). A citizen with `k` people ahead waits nothing
//! while a counter is free for them, else about `((k - free) / c + 0.5) · s` — the half
//! accounts for the citizen being served when they arrive. With no counter open it uses the
//! counters configured for the field (they are expected to open) and says so by a wider
//! range; with no counter at all there is no basis and the estimate is unknown.
//!
//! [`calibration_factor`] (actual over model waits of recent calls) is kept as a tool but
//! not applied: on the simulated province day it made the projection's error larger, not
//! smaller (docs/balance/README.md).

use super::policy::{self, CallPolicy, CallingCounter, Candidate, FieldTargets};

/// Service time used before any ticket of the field was finished, in minutes.
pub const DEFAULT_SERVICE_MINUTES: f64 = 8.0;

/// Weight of the prior, in samples, where nothing tells better (the province's own prior
/// over the default, a center's mean before three centers have five durations): with 5
/// real samples the prior counts half.
pub const PRIOR_WEIGHT: f64 = 5.0;

/// Learned mean service time: the mean of recent durations shrunk towards a prior.
/// Durations outside half a minute to two hours are clamped: a ticket left open over
/// lunch must not teach the estimator that service takes three hours.
pub fn learned_service_minutes(recent_durations_min: &[f64], prior_min: f64) -> f64 {
    learned_service_minutes_weighted(recent_durations_min, prior_min, PRIOR_WEIGHT)
}

/// The same, with the prior counting `prior_weight` samples (see [`center_prior_weight`]).
pub fn learned_service_minutes_weighted(
    recent_durations_min: &[f64],
    prior_min: f64,
    prior_weight: f64,
) -> f64 {
    let sum: f64 = recent_durations_min
        .iter()
        .map(|d| d.clamp(0.5, 120.0))
        .sum();
    let weight = prior_weight.max(0.0);
    let count = recent_durations_min.len() as f64 + weight;
    if count <= 0.0 {
        return prior_min;
    }
    (sum + prior_min * weight) / count
}

/// Fewest and most samples the province's mean may count for in a center's mean: at
/// most as many as a center's own recent durations (30), so a center whose pace really
/// changes shows it within a day even where centers have looked alike.
pub const CENTER_PRIOR_WEIGHT_RANGE: (f64, f64) = (1.0, 30.0);
/// A center counts towards [`center_prior_weight`] with at least this many durations.
const CENTER_MIN_SAMPLES: usize = 5;

/// How many samples the province's mean of a field is worth in one center's learned
/// mean, learned from how much the centers really differ (empirical Bayes, by moments).
///
/// Thirty durations of a service whose length varies by half its mean know the center's
/// mean to within about a tenth; if centers differ less than that, the province's mean
/// (hundreds of durations) is the better guess for each of them, and if they differ
/// more, each center's own. `by_center` holds the recent durations of the field at each
/// center. The weight is the variance of durations within a center over the variance of
/// the centers' true means — that is the spread of their sample means less what their
/// sample sizes explain — kept within [`CENTER_PRIOR_WEIGHT_RANGE`]. With fewer than three
/// centers of five durations there is nothing to learn it from: [`PRIOR_WEIGHT`].
pub fn center_prior_weight(by_center: &[&[f64]]) -> f64 {
    let (least, most) = CENTER_PRIOR_WEIGHT_RANGE;
    // (mean, sample variance, count) of each center with enough durations.
    let stats: Vec<(f64, f64, f64)> = by_center
        .iter()
        .filter(|d| d.len() >= CENTER_MIN_SAMPLES)
        .map(|d| {
            let n = d.len() as f64;
            let mean = d.iter().map(|x| x.clamp(0.5, 120.0)).sum::<f64>() / n;
            let var = d
                .iter()
                .map(|x| (x.clamp(0.5, 120.0) - mean).powi(2))
                .sum::<f64>()
                / (n - 1.0);
            (mean, var, n)
        })
        .collect();
    if stats.len() < 3 {
        return PRIOR_WEIGHT;
    }
    let centers = stats.len() as f64;
    let within = stats.iter().map(|(_, v, n)| v * (n - 1.0)).sum::<f64>()
        / stats.iter().map(|(_, _, n)| n - 1.0).sum::<f64>();
    let grand = stats.iter().map(|(m, _, _)| m).sum::<f64>() / centers;
    let spread = stats
        .iter()
        .map(|(m, _, _)| (m - grand).powi(2))
        .sum::<f64>()
        / (centers - 1.0);
    let sampling = stats.iter().map(|(_, _, n)| within / n).sum::<f64>() / centers;
    let between = spread - sampling;
    if within <= 0.0 {
        return least;
    }
    if between <= 0.0 {
        return most;
    }
    (within / between).clamp(least, most)
}

/// The province-wide prior for a field: the mean of recent service times of the field at
/// every center, itself shrunk towards [`DEFAULT_SERVICE_MINUTES`]. A center that has not
/// finished a ticket of the field yet (a cold start) borrows this instead of a fixed guess,
/// because land dossiers take twice as long as a certified copy everywhere in the province.
pub fn province_prior_minutes(province_recent_min: &[f64]) -> f64 {
    learned_service_minutes(province_recent_min, DEFAULT_SERVICE_MINUTES)
}

/// Pseudo-samples at a factor of one that a procedure's factor starts from.
pub const PROCEDURE_PRIOR_WEIGHT: f64 = 10.0;

/// How long a procedure takes at the counter relative to its field's mean, learned
/// province-wide: a marriage registration takes longer than a civil-status extract,
/// though both are civil status. `recent_min` holds recent durations of the procedure
/// anywhere in the province, `field_mean_min` the field's recent mean over the same
/// span; the ratio is shrunk towards one by [`PROCEDURE_PRIOR_WEIGHT`] pseudo-samples
/// (a procedure seen twice says little) and kept within 0.25 to 4. A waiting ticket's
/// expected service is its center's learned field mean times this factor.
pub fn procedure_factor(recent_min: &[f64], field_mean_min: f64) -> f64 {
    if field_mean_min <= 0.0 || recent_min.is_empty() {
        return 1.0;
    }
    let ratios: f64 = recent_min
        .iter()
        .map(|d| d.clamp(0.5, 120.0) / field_mean_min)
        .sum();
    ((ratios + PROCEDURE_PRIOR_WEIGHT) / (recent_min.len() as f64 + PROCEDURE_PRIOR_WEIGHT))
        .clamp(0.25, 4.0)
}

/// The counters and fields that form one queue with `field`.
///
/// A counter that serves several fields calls them by relative wait (see
/// `policy::choose_next_across`), which is close to first come, first served across all
/// of them; a second counter sharing one of those fields joins the same pool, and so on.
/// So the queue a citizen really stands in is the connected group of fields and counters
/// reached from their field, and the estimate counts the work waiting in all of it.
/// `counter_fields` holds the fields of each open counter; returns the indices of the
/// pool's counters and its fields, sorted.
pub fn shared_pool(field: i64, counter_fields: &[&[i64]]) -> (Vec<usize>, Vec<i64>) {
    let mut fields = vec![field];
    let mut counters: Vec<usize> = Vec::new();
    loop {
        let before = (counters.len(), fields.len());
        for (k, served) in counter_fields.iter().enumerate() {
            if !counters.contains(&k) && served.iter().any(|f| fields.contains(f)) {
                counters.push(k);
                for f in served.iter() {
                    if !fields.contains(f) {
                        fields.push(*f);
                    }
                }
            }
        }
        if (counters.len(), fields.len()) == before {
            break;
        }
    }
    counters.sort_unstable();
    fields.sort_unstable();
    (counters, fields)
}

/// Pseudo-samples at a ratio of one that the calibration starts from.
pub const CALIBRATION_PRIOR_WEIGHT: f64 = 5.0;

/// How far reality ran from the model lately, as a factor for the next estimates.
///
/// The queue model cannot see what arrives after the citizen and still goes first:
/// priority citizens, and tickets of other fields that a shared counter serves by their
/// relative wait. At a center in its morning peak that adds a third to every wait; in a
/// quiet afternoon nothing. So the estimator learns it: `recent` holds (model minutes,
/// actual minutes) of tickets called lately whose model wait was at least a few minutes;
/// the factor is actual over model, shrunk towards one by
/// [`CALIBRATION_PRIOR_WEIGHT`] pseudo-samples and kept within 0.67 to 1.5 so that one
/// odd morning cannot make the kiosk absurd.
pub fn calibration_factor(recent: &[(f64, f64)]) -> f64 {
    if recent.is_empty() {
        return 1.0;
    }
    let model: f64 = recent.iter().map(|(m, _)| m.max(0.0)).sum();
    let actual: f64 = recent.iter().map(|(_, a)| a.max(0.0)).sum();
    let mean_model = model / recent.len() as f64;
    let prior = CALIBRATION_PRIOR_WEIGHT * mean_model;
    if model + prior <= 0.0 {
        return 1.0;
    }
    ((actual + prior) / (model + prior)).clamp(0.67, 1.5)
}

/// The estimate scaled by a [`calibration_factor`]; "unknown" stays unknown.
pub fn calibrated(e: Estimate, factor: f64) -> Estimate {
    let scale = |m: Option<u32>| m.map(|m| (m as f64 * factor).round() as u32);
    Estimate {
        minutes: scale(e.minutes),
        low: scale(e.low),
        high: scale(e.high),
        ..e
    }
}

/// What the estimator needs to know about a queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueLoad {
    /// Waiting tickets ahead of the citizen in this field.
    pub people_ahead: u32,
    /// Counters with an officer signed in that serve the field.
    pub counters_open: u32,
    /// Of those, counters busy with a citizen right now.
    pub counters_busy: u32,
    /// Counters configured for the field at the center, open or not.
    pub counters_configured: u32,
    /// Mean service minutes (see [`learned_service_minutes`]).
    pub service_min: f64,
    /// Number of finished tickets the mean was learned from.
    pub samples: u32,
}

/// The estimate, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub people_ahead: u32,
    pub counters_open: u32,
    pub minutes: Option<u32>,
    pub low: Option<u32>,
    pub high: Option<u32>,
}

/// The point estimate in minutes, unrounded; `None` when there is no basis.
pub fn expected_wait_minutes(load: QueueLoad) -> Option<f64> {
    let (counters, busy) = if load.counters_open > 0 {
        (
            load.counters_open,
            load.counters_busy.min(load.counters_open),
        )
    } else if load.counters_configured > 0 {
        (load.counters_configured, 0)
    } else {
        return None;
    };
    let free = counters - busy;
    if load.people_ahead < free {
        return Some(0.0);
    }
    let position = (load.people_ahead - free) as f64;
    Some((position / counters as f64 + 0.5) * load.service_min)
}

pub fn estimate(load: QueueLoad) -> Estimate {
    estimate_around(load, expected_wait_minutes(load))
}

/// Services added on both sides of a non-zero estimate's range. With half a service, the
/// actual wait fell within the range shown for 82–88% of citizens on the simulated
/// province day (docs/balance/README.md); without it, for 67–76%.
pub const RANGE_MARGIN_SERVICES: f64 = 0.5;

/// The estimate around a point (from [`expected_wait_minutes`] or [`projected_wait_minutes`]):
/// the range is set by what `load` says about the basis — counters really open, service
/// time learned from enough samples; `None` stays unknown.
pub fn estimate_around(load: QueueLoad, point: Option<f64>) -> Estimate {
    let base = Estimate {
        people_ahead: load.people_ahead,
        counters_open: load.counters_open,
        minutes: None,
        low: None,
        high: None,
    };
    let Some(point) = point.map(|p| p.max(0.0)) else {
        return base;
    };
    // Uncertainty: narrower once the service time is learned and counters are really open.
    let (low_factor, high_factor) = match (load.counters_open > 0, load.samples >= 10) {
        (true, true) => (0.75, 1.3),
        (true, false) => (0.6, 1.6),
        (false, _) => (0.5, 2.0),
    };
    // Whoever is at the counter now may finish in a minute or run long, whatever the
    // queue: a margin of part of a service widens short waits the most, where a factor
    // alone would promise "4 to 5 minutes" of a wait that is really 0 to 12.
    let margin = if point > 0.0 {
        load.service_min.max(0.0) * RANGE_MARGIN_SERVICES
    } else {
        0.0
    };
    Estimate {
        minutes: Some(point.round() as u32),
        low: Some((point * low_factor - margin).max(0.0).floor() as u32),
        high: Some((point * high_factor + margin).ceil() as u32),
        ..base
    }
}

/// An open counter as the projection sees it.
#[derive(Debug, Clone, Copy)]
pub struct OpenCounter<'a> {
    pub counter_id: i64,
    pub fields: &'a [i64],
    /// When it is expected to be free for its next call: `now` when idle, else
    /// [`busy_until_ms`].
    pub free_at_ms: i64,
    /// Priority tickets it called in a row (the interleaving state of the call policy).
    pub consecutive_priority: u32,
}

/// Expected end of the service under way at a counter: the call plus the field's mean
/// service, but at least a quarter of the mean after now — a service that has already run
/// long is not about to end that instant.
pub fn busy_until_ms(called_ms: i64, service_min: f64, now_ms: i64) -> i64 {
    let mean_ms = service_min.max(0.0) * MINUTE_MS;
    let expected = called_ms as f64 + mean_ms;
    expected.max(now_ms as f64 + mean_ms / 4.0).round() as i64
}

const MINUTE_MS: f64 = 60_000.0;

/// What the projection replays: the center's queue as it is now.
#[derive(Debug, Clone, Copy)]
pub struct Projection<'a> {
    pub now_ms: i64,
    pub policy: CallPolicy,
    pub targets: &'a FieldTargets,
    /// The open counters of the center.
    pub counters: &'a [OpenCounter<'a>],
    /// Waiting (checked-in) tickets: callable at once.
    pub waiting: &'a [Candidate],
    /// Tickets expected to check in later (remote tickets on their way), each callable from
    /// its `queue_at_ms`.
    pub due: &'a [Candidate],
    /// The arrivals expected after now ([`expected_arrivals`] with [`ARRIVAL_WINDOW_MIN`]
    /// and [`ARRIVAL_REPEATS`]): a pattern, not a timetable, so the projection averages
    /// its phases ([`ARRIVAL_PHASES`]).
    pub expected: &'a [Candidate],
}

/// How far back the arrivals that stand for the next ones are read, in minutes.
pub const ARRIVAL_WINDOW_MIN: i64 = 60;
/// How many windows ahead the projection expects arrivals.
pub const ARRIVAL_REPEATS: u32 = 1;
/// How many rotations of the expected arrivals the projection averages over.
///
/// The last hour says how many citizens come and of which fields, not at which minute the
/// next ones will: replayed as a timetable, a quiet center "is free at 10:20" or "is busy
/// until 10:26" by the accident of last hour's minutes, and the center that looks free by
/// accident is the one a suggestion picks. Averaging the replay over the pattern shifted
/// by a sixth of the window at a time turns that accident into the chance of finding the
/// counter busy. On the simulated province day it brought the median error under
/// "suggest" from 26.8% to 25.6%, the error of citizens who moved from 78% to 61%, and
/// the share of actual waits within the range shown from 81.6% to 85.3%
/// (docs/balance/README.md).
pub const ARRIVAL_PHASES: u32 = 6;

/// The arrivals a center expects next, for the projection: the next hours look like the
/// last one. Each ticket that took its place in the queue within `window_min` before now
/// (`recent`, whatever became of it since) comes again `window_min` later, and again, for
/// `repeats` windows. Those of other fields and priority citizens may then be called
/// before a newcomer, as [`policy::choose_next_across`] would; the others only keep
/// counters busy while a remote newcomer is on the way. The copies get negative ids.
pub fn expected_arrivals(
    recent: &[Candidate],
    now_ms: i64,
    window_min: i64,
    repeats: u32,
) -> Vec<Candidate> {
    let window_ms = window_min.max(1) * MINUTE_MS as i64;
    let last: Vec<&Candidate> = recent
        .iter()
        .filter(|c| c.queue_at_ms > now_ms - window_ms && c.queue_at_ms <= now_ms)
        .collect();
    let mut out = Vec::with_capacity(last.len() * repeats as usize);
    for r in 1..=i64::from(repeats) {
        for c in &last {
            out.push(Candidate {
                id: -(out.len() as i64) - 1,
                queue_at_ms: c.queue_at_ms + r * window_ms,
                target_counter: None,
                ..**c
            });
        }
    }
    out
}

/// The expected arrivals shifted `shift_ms` earlier, those pushed to now or before
/// wrapping round to the end of the expected span (`ARRIVAL_WINDOW_MIN` ×
/// `ARRIVAL_REPEATS` after now): the same citizens, the same gaps, another phase.
pub fn rotate_arrivals(expected: &[Candidate], now_ms: i64, shift_ms: i64) -> Vec<Candidate> {
    let span_ms = ARRIVAL_WINDOW_MIN * i64::from(ARRIVAL_REPEATS) * MINUTE_MS as i64;
    if span_ms <= 0 {
        return expected.to_vec();
    }
    let shift_ms = shift_ms.rem_euclid(span_ms);
    expected
        .iter()
        .map(|c| {
            let mut at = c.queue_at_ms - shift_ms;
            if at <= now_ms {
                at += span_ms;
            }
            Candidate {
                queue_at_ms: at,
                ..*c
            }
        })
        .collect()
}

/// When a newcomer would be called, by replaying the backend's call policy forward.
///
/// Every counter, when it is expected to be free, calls what
/// [`policy::choose_next_across`] would call (priority interleaving, then the longest wait
/// relative to the field's target), and is then busy for the mean service time of that
/// ticket (`service_min`). Besides the waiting tickets, the remote tickets due and the
/// expected arrivals join the queue at their `queue_at_ms`; the replay runs once for each
/// of [`ARRIVAL_PHASES`] rotations of the expected arrivals ([`rotate_arrivals`]) and the
/// waits are averaged. The newcomer is callable from its `queue_at_ms` (its arrival, for
/// a remote ticket); its id must differ from every other ticket's. Returns the minutes
/// from `max(now, queue_at)` to its projected call, or `None` when no open counter can
/// ever call it.
pub fn projected_wait_minutes(
    p: Projection<'_>,
    newcomer: Candidate,
    service_min: impl Fn(&Candidate) -> f64,
) -> Option<f64> {
    // Only the newcomer's pool of counters and fields can delay it (see `shared_pool`):
    // what the other counters do never reaches it. Leaving the rest out changes nothing
    // but the cost.
    let fields_of: Vec<&[i64]> = p.counters.iter().map(|c| c.fields).collect();
    let (pool_counters, pool_fields) = shared_pool(newcomer.field_id, &fields_of);
    let counters: Vec<OpenCounter<'_>> = pool_counters.iter().map(|&k| p.counters[k]).collect();
    let relevant = |c: &Candidate| match c.target_counter {
        Some(target) => counters.iter().any(|k| k.counter_id == target),
        None => pool_fields.contains(&c.field_id),
    };
    let waiting: Vec<Candidate> = p.waiting.iter().filter(|c| relevant(c)).copied().collect();
    let due: Vec<Candidate> = p.due.iter().filter(|c| relevant(c)).copied().collect();
    // A ticket of the newcomer's field and class placed after it is never called before
    // it (same target, less wait), so it cannot delay it either.
    let behind = |c: &Candidate| {
        c.field_id == newcomer.field_id
            && c.priority == newcomer.priority
            && c.target_counter.is_none()
            && c.queue_at_ms > newcomer.queue_at_ms
    };
    let expected: Vec<Candidate> = p.expected.iter().filter(|c| relevant(c)).copied().collect();
    let pool = Projection {
        counters: &counters,
        waiting: &waiting,
        due: &[],
        expected: &[],
        ..p
    };
    let phases = if expected.is_empty() {
        1
    } else {
        i64::from(ARRIVAL_PHASES.max(1))
    };
    let span_ms = ARRIVAL_WINDOW_MIN * i64::from(ARRIVAL_REPEATS) * MINUTE_MS as i64;
    let mut sum = 0.0;
    let mut runs = 0u32;
    let mut later = Vec::with_capacity(due.len() + expected.len());
    for phase in 0..phases {
        later.clear();
        later.extend(due.iter().filter(|c| !behind(c)).copied());
        later.extend(
            rotate_arrivals(&expected, p.now_ms, phase * span_ms / phases)
                .into_iter()
                .filter(|c| !behind(c)),
        );
        if let Some(wait) = replay(&pool, &later, newcomer, &service_min) {
            sum += wait;
            runs += 1;
        }
    }
    (runs > 0).then(|| sum / f64::from(runs))
}

/// One replay of [`projected_wait_minutes`], with `due` the tickets not present yet.
fn replay(
    p: &Projection<'_>,
    due: &[Candidate],
    newcomer: Candidate,
    service_min: &impl Fn(&Candidate) -> f64,
) -> Option<f64> {
    let present_from = newcomer.queue_at_ms.max(p.now_ms);
    let mut later: Vec<(i64, Candidate)> = due.iter().map(|c| (c.queue_at_ms, *c)).collect();
    later.push((present_from, newcomer));
    let called = replay_call(
        p.policy,
        p.targets,
        p.counters,
        p.now_ms,
        p.waiting.to_vec(),
        later,
        newcomer.id,
        |c| (service_min(c).max(0.0) * MINUTE_MS).round() as i64,
    )?;
    Some((called - present_from) as f64 / MINUTE_MS)
}

/// When ticket `target_id` is called if, from `now_ms`, the `counters` (each from its
/// `free_at_ms`) call by [`policy::choose_next_across`] from `queue`, the tickets of
/// `later` joining it from their time (present from, ticket), and each call keeps its
/// counter busy `service_ms(ticket)` milliseconds. `None` when no counter ever calls it.
/// The projection replays with mean services; the simulator's oracles with drawn ones.
// The replay's inputs are the queue's facts; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn replay_call(
    policy: CallPolicy,
    targets: &FieldTargets,
    counters: &[OpenCounter<'_>],
    now_ms: i64,
    mut queue: Vec<Candidate>,
    mut later: Vec<(i64, Candidate)>,
    target_id: i64,
    mut service_ms: impl FnMut(&Candidate) -> i64,
) -> Option<i64> {
    // Not yet present, in order of arrival; `next` is the first that has not joined.
    later.sort_by_key(|(from, c)| (*from, c.id));
    let mut next = 0;
    let mut free: Vec<i64> = counters.iter().map(|c| c.free_at_ms.max(now_ms)).collect();
    let mut run: Vec<u32> = counters.iter().map(|c| c.consecutive_priority).collect();
    let mut active = vec![true; counters.len()];
    // Each step removes a ticket or retires or advances a counter: the loop is bounded.
    let max_steps = 4 * (queue.len() + later.len() + 1) * (counters.len() + 1);
    for _ in 0..max_steps {
        let k = (0..counters.len())
            .filter(|&k| active[k])
            .min_by_key(|&k| (free[k], k))?;
        let t = free[k];
        // Tickets that have arrived by t join the queue.
        while next < later.len() && later[next].0 <= t {
            queue.push(later[next].1);
            next += 1;
        }
        let counter = CallingCounter {
            counter_id: counters[k].counter_id,
            fields: counters[k].fields,
            consecutive_priority: run[k],
        };
        match policy::choose_next_across(policy, counter, &queue, t, targets) {
            Some(choice) if choice.ticket_id == target_id => return Some(t),
            Some(choice) => {
                let pos = queue.iter().position(|c| c.id == choice.ticket_id)?;
                let called = queue.swap_remove(pos);
                run[k] = choice.consecutive_priority;
                free[k] = t + service_ms(&called).max(0);
            }
            None => {
                // Idle until the next ticket it may call arrives, or for good.
                let next_for_it = later[next..]
                    .iter()
                    .find(|(_, c)| {
                        c.target_counter == Some(counter.counter_id)
                            || (c.target_counter.is_none() && counter.fields.contains(&c.field_id))
                    })
                    .map(|(from, _)| *from);
                match next_for_it {
                    Some(from) => free[k] = from,
                    None => active[k] = false,
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(ahead: u32, open: u32, busy: u32, configured: u32) -> QueueLoad {
        QueueLoad {
            people_ahead: ahead,
            counters_open: open,
            counters_busy: busy,
            counters_configured: configured,
            service_min: 10.0,
            samples: 20,
        }
    }

    #[test]
    fn table() {
        // (name, load, minutes, low, high)
        let cases = [
            (
                "no counter anywhere: unknown",
                load(5, 0, 0, 0),
                None,
                None,
                None,
            ),
            (
                "free counter, nobody ahead",
                load(0, 2, 1, 2),
                Some(0),
                Some(0),
                Some(0),
            ),
            (
                "all busy, nobody ahead: half a service",
                load(0, 1, 1, 1),
                Some(5),
                Some(0),
                Some(12),
            ),
            (
                "one counter, 3 ahead",
                load(3, 1, 1, 1),
                Some(35),
                Some(21),
                Some(51),
            ),
            (
                "two counters halve it",
                load(3, 2, 2, 2),
                Some(20),
                Some(10),
                Some(31),
            ),
            (
                "closed counters: configured, wide range",
                load(4, 0, 0, 2),
                Some(15),
                Some(2),
                Some(35),
            ),
        ];
        for (name, l, minutes, low, high) in cases {
            let e = estimate(l);
            assert_eq!((e.minutes, e.low, e.high), (minutes, low, high), "{name}");
            assert_eq!(e.people_ahead, l.people_ahead);
        }
    }

    #[test]
    fn cold_start_borrows_the_province_prior() {
        // (name, province recent, center recent, expected minutes)
        let cases: Vec<(&str, Vec<f64>, Vec<f64>, f64)> = vec![
            (
                "nothing anywhere: the default",
                vec![],
                vec![],
                DEFAULT_SERVICE_MINUTES,
            ),
            (
                "new center, land takes 14 province-wide",
                vec![14.0; 195],
                vec![],
                13.85,
            ),
            (
                "the center's own samples take over",
                vec![14.0; 195],
                vec![20.0; 45],
                19.385,
            ),
            (
                "one odd sample moves it little",
                vec![4.0; 195],
                vec![30.0],
                8.417,
            ),
        ];
        for (name, province, center, expected) in cases {
            let prior = province_prior_minutes(&province);
            let got = learned_service_minutes(&center, prior);
            assert!((got - expected).abs() < 0.01, "{name}: {got}");
        }
    }

    #[test]
    fn procedure_factor_table() {
        // (name, recent durations, field mean, expected factor)
        let cases: Vec<(&str, Vec<f64>, f64, f64)> = vec![
            ("never seen: the field's mean", vec![], 8.0, 1.0),
            ("no field mean yet", vec![12.0], 0.0, 1.0),
            ("seen often, twice the field", vec![16.0; 90], 8.0, 1.9),
            ("seen often, half the field", vec![4.0; 90], 8.0, 0.55),
            (
                "seen twice: mostly the prior",
                vec![16.0, 16.0],
                8.0,
                14.0 / 12.0,
            ),
            ("an absurd duration is clamped", vec![600.0; 990], 1.0, 4.0),
        ];
        for (name, recent, field_mean, expected) in cases {
            let got = procedure_factor(&recent, field_mean);
            assert!((got - expected).abs() < 1e-9, "{name}: {got}");
        }
    }

    #[test]
    fn calibration_table() {
        // (name, recent (model, actual), expected factor)
        type Case = (&'static str, Vec<(f64, f64)>, f64);
        let cases: Vec<Case> = vec![
            ("no history: the model as is", vec![], 1.0),
            (
                "reality a third longer, many samples",
                vec![(30.0, 40.0); 45],
                1.3,
            ),
            (
                "few samples are shrunk towards one",
                vec![(30.0, 60.0); 5],
                1.5,
            ),
            ("one sample", vec![(30.0, 45.0)], 1.083),
            ("shorter than the model", vec![(30.0, 24.0); 45], 0.82),
            ("an absurd morning is capped", vec![(10.0, 200.0); 30], 1.5),
            ("and so is an empty one", vec![(60.0, 0.0); 30], 0.67),
        ];
        for (name, recent, expected) in cases {
            let got = calibration_factor(&recent);
            assert!((got - expected).abs() < 0.01, "{name}: {got}");
        }
        let unknown = estimate(load(5, 0, 0, 0));
        assert_eq!(calibrated(unknown, 1.4), unknown, "unknown stays unknown");
        let e = calibrated(estimate(load(3, 1, 1, 1)), 1.2);
        assert_eq!((e.minutes, e.low, e.high), (Some(42), Some(25), Some(61)));
    }

    fn t(id: i64, field_id: i64, priority: bool, queue_at_min: i64) -> Candidate {
        Candidate {
            id,
            field_id,
            priority,
            queue_at_ms: queue_at_min * 60_000,
            target_counter: None,
        }
    }

    #[test]
    fn projection_table() {
        let min = 60_000;
        let now = 100 * min;
        // Field 1 aims at 15 minutes, field 2 at 45; field 1 takes 10 minutes, field 2 20.
        let targets = FieldTargets {
            default_min: 30.0,
            by_field: vec![(1, 15.0), (2, 45.0)],
        };
        let service = |t: &Candidate| if t.field_id == 1 { 10.0 } else { 20.0 };
        let counter = |fields: &'static [i64], free_in_min: i64, run: u32| OpenCounter {
            counter_id: fields.len() as i64 * 10 + free_in_min,
            fields,
            free_at_ms: now + free_in_min * min,
            consecutive_priority: run,
        };
        // (name, counters, waiting, due, newcomer, expected minutes)
        type Case = (
            &'static str,
            Vec<OpenCounter<'static>>,
            Vec<Candidate>,
            Vec<Candidate>,
            Candidate,
            Option<f64>,
        );
        let cases: Vec<Case> = vec![
            (
                "idle counter, empty queue: at once",
                vec![counter(&[1], 0, 0)],
                vec![],
                vec![],
                t(99, 1, false, 100),
                Some(0.0),
            ),
            (
                "busy counter: when it is free",
                vec![counter(&[1], 4, 0)],
                vec![],
                vec![],
                t(99, 1, false, 100),
                Some(4.0),
            ),
            (
                "two ahead, one counter",
                vec![counter(&[1], 0, 0)],
                vec![t(1, 1, false, 90), t(2, 1, false, 95)],
                vec![],
                t(99, 1, false, 100),
                Some(20.0),
            ),
            (
                "two counters share them",
                vec![counter(&[1], 0, 0), counter(&[1], 5, 0)],
                vec![t(1, 1, false, 90), t(2, 1, false, 95)],
                vec![],
                t(99, 1, false, 100),
                Some(10.0),
            ),
            (
                "a shared counter serves the other field's older ticket first",
                vec![counter(&[1, 2], 0, 0)],
                vec![t(1, 2, false, 40)],
                vec![],
                t(99, 1, false, 100),
                Some(20.0),
            ),
            (
                "a quick field overtakes a newcomer of a slow one",
                vec![counter(&[1, 2], 0, 0)],
                vec![t(1, 2, false, 100), t(2, 1, false, 95)],
                vec![],
                t(99, 2, false, 100),
                Some(30.0),
            ),
            (
                "a priority arrival expected soon goes first",
                vec![counter(&[1], 0, 0)],
                vec![t(1, 1, false, 95)],
                vec![t(3, 1, true, 105)],
                t(99, 1, false, 100),
                Some(20.0),
            ),
            (
                "priority interleaving: the run is full, the normal ticket goes",
                vec![counter(&[1], 0, 3)],
                vec![t(1, 1, true, 99)],
                vec![],
                t(99, 1, false, 100),
                Some(0.0),
            ),
            (
                "a remote newcomer counts from its arrival",
                vec![counter(&[1], 0, 0)],
                vec![t(1, 1, false, 95), t(2, 1, false, 96), t(3, 1, false, 97)],
                vec![],
                t(99, 1, false, 115),
                Some(15.0),
            ),
            (
                "while it travels the counter serves later arrivals",
                vec![counter(&[1, 2], 0, 0)],
                vec![],
                vec![t(4, 1, false, 101)],
                t(99, 2, false, 110),
                Some(1.0),
            ),
            (
                "no open counter serves the field: no basis",
                vec![counter(&[1], 0, 0)],
                vec![],
                vec![],
                t(99, 2, false, 100),
                None,
            ),
        ];
        for (name, counters, waiting, due, newcomer, expected) in cases {
            let got = projected_wait_minutes(
                Projection {
                    now_ms: now,
                    policy: CallPolicy::default(),
                    targets: &targets,
                    counters: &counters,
                    waiting: &waiting,
                    due: &due,
                    expected: &[],
                },
                newcomer,
                service,
            );
            match (got, expected) {
                (Some(g), Some(e)) => assert!((g - e).abs() < 1e-9, "{name}: {g}"),
                _ => assert_eq!(got, expected, "{name}"),
            }
        }
    }

    #[test]
    fn expected_arrivals_repeat_the_last_hour() {
        let min = 60_000;
        let now = 600 * min;
        let recent = vec![
            t(1, 1, false, 530),
            t(2, 2, true, 560),
            t(3, 1, false, 600),
            t(4, 1, false, 610),
        ];
        let got = expected_arrivals(&recent, now, 60, 2);
        let at: Vec<(i64, i64, bool)> = got
            .iter()
            .map(|c| (c.field_id, c.queue_at_ms / min, c.priority))
            .collect();
        assert_eq!(
            at,
            vec![
                (2, 620, true),
                (1, 660, false),
                (2, 680, true),
                (1, 720, false)
            ],
            "an hour-old ticket and one placed in the future are left out"
        );
        assert!(got.iter().all(|c| c.id < 0));
        assert!(expected_arrivals(&recent, now, 60, 0).is_empty());
    }

    #[test]
    fn rotated_arrivals_keep_their_gaps_within_the_hour() {
        let min = 60_000;
        let now = 600 * min;
        let expected = vec![
            t(-1, 1, false, 605),
            t(-2, 2, true, 630),
            t(-3, 1, false, 660),
        ];
        // (shift minutes, arrival minutes after the shift)
        let cases = [
            (0, vec![605, 630, 660]),
            (10, vec![655, 620, 650]),
            (30, vec![635, 660, 630]),
            // A whole span is no shift at all.
            (60, vec![605, 630, 660]),
        ];
        for (shift, at) in cases {
            let got = rotate_arrivals(&expected, now, shift * min);
            let minutes: Vec<i64> = got.iter().map(|c| c.queue_at_ms / min).collect();
            assert_eq!(minutes, at, "shift {shift}");
            assert!(got
                .iter()
                .all(|c| c.queue_at_ms > now && c.queue_at_ms <= now + 60 * min));
            let kept: Vec<(i64, i64, bool)> =
                got.iter().map(|c| (c.id, c.field_id, c.priority)).collect();
            assert_eq!(kept, vec![(-1, 1, false), (-2, 2, true), (-3, 1, false)]);
        }
    }

    #[test]
    fn the_projection_averages_the_phases_of_expected_arrivals() {
        let min = 60_000;
        let now = 100 * min;
        let targets = FieldTargets {
            default_min: 30.0,
            by_field: vec![],
        };
        let fields: &[i64] = &[1];
        let counters = [OpenCounter {
            counter_id: 1,
            fields,
            free_at_ms: now,
            consecutive_priority: 0,
        }];
        // A remote newcomer due in 20 minutes at an idle counter; last hour's pattern has
        // one citizen of the field 15 minutes from now, who takes 10 minutes.
        let expected = [t(-1, 1, false, 115)];
        let newcomer = t(99, 1, false, 120);
        let projection = |due: &[Candidate], expected: &[Candidate]| {
            projected_wait_minutes(
                Projection {
                    now_ms: now,
                    policy: CallPolicy::default(),
                    targets: &targets,
                    counters: &counters,
                    waiting: &[],
                    due,
                    expected,
                },
                newcomer,
                |_| 10.0,
            )
        };
        // As a timetable the counter is busy until 125: 5 minutes. Over the six phases
        // (arrivals at 115, 105, 155, 145, 135, 125) only the first keeps the counter busy
        // when the newcomer comes: 5 / 6 of a minute on average.
        let got = projection(&[], &expected).expect("a counter serves the field");
        assert!((got - 5.0 / 6.0).abs() < 1e-9, "{got}");
        // Without expected arrivals there is nothing to average: at once.
        assert_eq!(projection(&[], &[]), Some(0.0));
        // The same citizen already on the way (a remote ticket) is not a pattern but a
        // fact: 5 minutes.
        assert_eq!(projection(&[t(7, 1, false, 115)], &[]), Some(5.0));
    }

    #[test]
    fn busy_until_table() {
        let min = 60_000.0;
        // (name, called, service, now, expected free), in minutes
        let cases = [
            ("just called", 100.0, 10.0, 100.0, 110.0),
            ("half done", 100.0, 10.0, 105.0, 110.0),
            (
                "overran: a quarter of the mean more",
                100.0,
                10.0,
                130.0,
                132.5,
            ),
        ];
        for (name, called, service, now, expected) in cases {
            let got = busy_until_ms((called * min) as i64, service, (now * min) as i64);
            assert_eq!(got, (expected * min) as i64, "{name}");
        }
    }

    #[test]
    fn shared_pools() {
        let hall: Vec<&[i64]> = vec![&[1], &[1, 2], &[2, 3], &[4, 5], &[6]];
        // (name, field, expected counters, expected fields)
        let cases: Vec<(&str, i64, Vec<usize>, Vec<i64>)> = vec![
            (
                "a chain of shared counters is one pool",
                1,
                vec![0, 1, 2],
                vec![1, 2, 3],
            ),
            ("from the other end", 3, vec![0, 1, 2], vec![1, 2, 3]),
            ("a counter with two fields", 5, vec![3], vec![4, 5]),
            ("a dedicated counter", 6, vec![4], vec![6]),
            ("no counter open for the field", 9, vec![], vec![9]),
        ];
        for (name, field, counters, fields) in cases {
            assert_eq!(shared_pool(field, &hall), (counters, fields), "{name}");
        }
    }

    #[test]
    fn center_prior_weight_table() {
        // Five durations a center, spread ±1 or ±3 around its mean.
        let narrow = |m: f64| vec![m - 1.0, m + 1.0, m - 1.0, m + 1.0, m];
        let wide = |m: f64| vec![m - 3.0, m + 3.0, m - 3.0, m + 3.0, m];
        // (name, each center's durations, expected weight)
        let cases: Vec<(&str, Vec<Vec<f64>>, f64)> = vec![
            ("no center yet", vec![], PRIOR_WEIGHT),
            (
                "two centers say nothing of how centers differ",
                vec![narrow(5.0), narrow(15.0)],
                PRIOR_WEIGHT,
            ),
            (
                "centers with fewer than five durations do not count",
                vec![narrow(5.0), narrow(15.0), vec![40.0; 4]],
                PRIOR_WEIGHT,
            ),
            (
                "centers apart by far more than their spread: each its own",
                vec![narrow(5.0), narrow(10.0), narrow(15.0)],
                1.0,
            ),
            (
                "centers apart by less than their samples explain: the province",
                vec![wide(5.0), wide(6.0), wide(7.0)],
                30.0,
            ),
            (
                // Within 9; spread of means 4, less 9/5 explained by sampling: 2.2.
                "in between: within over between",
                vec![wide(4.0), wide(6.0), wide(8.0)],
                9.0 / 2.2,
            ),
            (
                "a center whose every duration is the same",
                vec![vec![5.0; 5], vec![6.0; 5], vec![7.0; 5]],
                1.0,
            ),
        ];
        for (name, centers, expected) in cases {
            let slices: Vec<&[f64]> = centers.iter().map(Vec::as_slice).collect();
            let got = center_prior_weight(&slices);
            assert!((got - expected).abs() < 1e-9, "{name}: {got}");
        }
        // The weight is the prior's in the learned mean.
        let learned = learned_service_minutes_weighted(&[12.0; 10], 6.0, 20.0);
        assert!((learned - 8.0).abs() < 1e-9);
        assert_eq!(learned_service_minutes_weighted(&[], 6.0, 0.0), 6.0);
    }

    #[test]
    fn learning_shrinks_towards_the_prior() {
        assert_eq!(learned_service_minutes(&[], 8.0), 8.0);
        let five_at_12 = learned_service_minutes(&[12.0; 5], 8.0);
        assert!((five_at_12 - 10.0).abs() < 1e-9);
        let many = learned_service_minutes(&[12.0; 95], 8.0);
        assert!((many - 11.8).abs() < 1e-9);
        // A ticket left open for five hours counts as two hours.
        let outlier = learned_service_minutes(&[300.0], 8.0);
        assert!((outlier - (120.0 + 40.0) / 6.0).abs() < 1e-9);
    }
}
