//! A deterministic discrete-event simulation of a province day.
//!
//! It exists to answer two questions with numbers before a citizen is ever sent across
//! town: do suggestions shorten waits, and are the wait estimates honest? So it calls the
//! very functions the backend calls — [`estimate::projected_wait_minutes`] over the
//! center's open counters ([`estimate::busy_until_ms`]), waiting tickets, remote tickets
//! on their way and [`estimate::expected_arrivals`], with
//! [`estimate::learned_service_minutes`] and [`estimate::province_prior_minutes`] for
//! service times and [`estimate::estimate_around`] for the range (the closed form
//! [`estimate::estimate`] when no counter of the field is open), [`suggest::suggest`] with
//! the [`TravelModel`] and the province's [`TravelTable`] for suggestions, and
//! [`policy::choose_next_across`] for every call at a counter — and only replaces SQLite
//! with vectors and the wall clock with an event queue.
//!
//! ## The scenario (every number is a [`Scenario`] field and a flag of `simulate`)
//! - The 55 centers of `catalogue::demo_province()`, with their coordinates, opening
//!   hours and counter layouts; each counter is staffed with probability `staffing`, but
//!   every field a center serves keeps at least one staffed counter.
//! - Daily demand by center size (provincial 420, large ward 280, medium 130, small
//!   commune 55 citizens), times `demand_scale`, times a per-center popularity factor
//!   `exp(N(0, demand_spread))`: some centers draw far more than their neighbours.
//! - Arrivals are Poisson within opening hours, with an hourly profile peaking at
//!   09:00–10:00 at 1.8 times the 07:30 rate ([`HOURLY_PROFILE`]).
//! - Fields are drawn from a mix that favours civil status and certification at commune
//!   centers and land and business at the provincial one ([`field_weight`]); each field
//!   has `procedures_per_field` procedures chosen with Zipf popularity, each taking the
//!   field's mean ([`service_mean_min`]) times its own factor (spread
//!   `procedure_spread`, 0 by default: every procedure takes the field's mean), and a
//!   service is log-normal around that with coefficient of variation `service_cv`.
//! - The estimator opens the day knowing yesterday's service times (`warm_start`): the
//!   backend's learners read the last finished tickets whatever their day. It learns each
//!   procedure's factor ([`estimate::procedure_factor`]) unless `learn_procedures` is off.
//! - A share `territorial_share` of citizens has a territorial procedure (the catalogue's
//!   1,823 − 1,509 = 314 of 1,823 is 17%) and is never sent elsewhere; `priority_share`
//!   are priority citizens.
//! - Under "suggest", a citizen offered a suggestion accepts it with probability
//!   `accept_probability`, takes a remote ticket placed at issue time plus the estimated
//!   travel time, and really travels that time times `exp(N(0, travel_noise))`.
//! - "pooled" is a lower bound no real policy reaches: every counter of the province
//!   calls from one province-wide queue per field, and nobody travels.
//!
//! ## What is measured
//! A citizen's wait is the time from taking a ticket to being called, *including* the
//! travel of one who moved: that is the time they lose. The estimate error compares the
//! wait the kiosk showed with the wait the citizen then had at the center that served
//! them; it is `|shown − actual| / max(actual, 5 min)`, over citizens for whom the shown
//! or the actual wait was at least [`ERROR_MIN_WAIT_MIN`] minutes (when both are short the
//! kiosk says "almost no wait" and a percentage of nearly nothing means nothing). Over the
//! same citizens it also counts how often the actual wait fell within the range shown.
//!
//! With `oracle_replays` set, two oracles are scored on the same citizens ([`Oracle`]):
//! one that knows every later arrival and one that knows the true arrival rates, both
//! knowing every true mean and drawing only the services not yet finished. They say how
//! much of the kiosk's error is chance no estimate can remove, and how much is the
//! estimator's.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use chrono::{NaiveDate, TimeZone};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::clock::vietnam_offset;
use super::estimate::{self, QueueLoad};
use super::hours::OpeningHours;
use super::policy::{self, CallPolicy, CallingCounter, Candidate, FieldTargets};
use super::suggest::{self, Alternative, Thresholds, TravelModel, TravelTable};

const MINUTE_MS: i64 = 60_000;

/// Below this many minutes shown *and* actual, a citizen does not count in the error.
pub const ERROR_MIN_WAIT_MIN: f64 = 10.0;

/// Relative arrival rate by local hour (index 0 = 07:00). The morning peak at 09:00–10:00
/// is 1.8 times the opening rate; the afternoon is calmer, as counts at service centers
/// show (people come in the morning to finish the same day).
pub const HOURLY_PROFILE: [f64; 10] = [1.0, 1.5, 1.8, 1.3, 0.7, 0.5, 0.7, 0.9, 0.8, 0.5];

/// How many recent service times the per-(center, field) mean learns from (as the
/// backend's `LIMIT 30`).
const RECENT_PER_CENTER: usize = 30;
/// How many recent service times per field make the province-wide prior.
const RECENT_PER_PROVINCE: usize = 200;
/// How many recent service times of a procedure its factor learns from.
const RECENT_PER_PROCEDURE: usize = 100;

/// The three policies compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Nobody is told about other centers.
    Stay,
    /// Our policy: the kiosk suggests a clearly faster center; some citizens go.
    Suggest,
    /// Lower bound: one province-wide queue per field, no travel.
    Pooled,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Stay => "stay",
            Policy::Suggest => "suggest",
            Policy::Pooled => "pooled",
        }
    }

    pub const ALL: [Policy; 3] = [Policy::Stay, Policy::Suggest, Policy::Pooled];
}

/// Every parameter of a simulated day.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub seed: u64,
    /// The simulated date (its weekday decides opening hours).
    pub date: NaiveDate,
    /// Multiplies every center's daily demand.
    pub demand_scale: f64,
    /// Standard deviation of the log of the per-center popularity factor.
    pub demand_spread: f64,
    /// Probability that a counter has an officer today.
    pub staffing: f64,
    /// Coefficient of variation of service times around their procedure's mean.
    pub service_cv: f64,
    /// Spread of procedures' mean service times within a field (coefficient of variation
    /// of the factor by which a procedure's mean differs from the field's). 0: every
    /// procedure of a field takes the same on average.
    pub procedure_spread: f64,
    /// Procedures per field, chosen with Zipf popularity (the k-th most common 1/k).
    pub procedures_per_field: usize,
    /// Whether the estimator learns each procedure's factor
    /// ([`estimate::procedure_factor`]) or uses the field's mean for every ticket.
    pub learn_procedures: bool,
    /// Spread of officers' speed between centers: standard deviation of the log of the
    /// factor every service at a center is multiplied by. 0: every center works at the
    /// same pace.
    pub center_speed_spread: f64,
    /// Whether the estimator learns how much the province's mean counts in a center's
    /// ([`estimate::center_prior_weight`]) or always counts it [`estimate::PRIOR_WEIGHT`]
    /// samples.
    pub learn_center_weight: bool,
    /// Whether the estimator opens the day knowing yesterday's service times (as the
    /// backend, whose learners read the last finished tickets whatever their day), or
    /// starts from nothing.
    pub warm_start: bool,
    pub priority_share: f64,
    pub territorial_share: f64,
    pub accept_probability: f64,
    /// Standard deviation of the log of real travel over estimated travel.
    pub travel_noise: f64,
    pub thresholds: Thresholds,
    pub travel: TravelModel,
    pub call_policy: CallPolicy,
    /// Replays per measured citizen for the oracle ([`Report::oracle`]); 0: no oracle.
    pub oracle_replays: u32,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 7,
            // A Monday: every center is open, the provincial one from 07:30.
            date: NaiveDate::from_ymd_opt(2026, 12, 7).expect("valid date"),
            demand_scale: 1.0,
            demand_spread: 0.35,
            staffing: 0.9,
            service_cv: 0.5,
            procedure_spread: 0.0,
            procedures_per_field: 12,
            learn_procedures: true,
            center_speed_spread: 0.0,
            learn_center_weight: true,
            warm_start: true,
            priority_share: 0.08,
            territorial_share: 0.17,
            accept_probability: 0.5,
            travel_noise: 0.15,
            thresholds: Thresholds::default(),
            travel: TravelModel::default(),
            call_policy: CallPolicy::default(),
            oracle_replays: 0,
        }
    }
}

/// Mean service minutes at the counter by field code (a certified copy is quick, a land
/// dossier is checked page by page).
pub fn service_mean_min(field_code: &str) -> f64 {
    match field_code {
        "CT" => 4.0,
        "HT" => 7.0,
        "TP" | "VH" | "NV" | "GDDT" => 8.0,
        "DKKD" | "TNMT" => 12.0,
        "DD" | "XD" => 14.0,
        _ => 10.0,
    }
}

/// Relative demand for a field at a provincial or a commune-level center.
pub fn field_weight(field_code: &str, provincial: bool) -> f64 {
    if provincial {
        match field_code {
            "DD" => 20.0,
            "DKKD" => 18.0,
            "XD" => 10.0,
            "GTVT" | "LDTBXH" => 8.0,
            "YT" => 6.0,
            "TP" | "HT" | "CT" | "NNMT" => 4.0,
            _ => 3.0,
        }
    } else {
        match field_code {
            "CT" => 30.0,
            "HT" => 28.0,
            "DD" => 10.0,
            "LDTBXH" => 8.0,
            "DKKD" => 6.0,
            "TP" | "XD" => 4.0,
            "NNMT" => 3.0,
            "NV" | "GDDT" | "CTH" => 2.0,
            _ => 1.0,
        }
    }
}

fn daily_demand(counters: usize, provincial: bool) -> f64 {
    match (provincial, counters) {
        (true, _) => 420.0,
        (false, n) if n >= 8 => 280.0,
        (false, n) if n >= 6 => 130.0,
        _ => 55.0,
    }
}

/// The popularity rank of a procedure within its field: the k-th most common is chosen
/// with weight 1/k.
fn zipf_rank(rng: &mut StdRng, per_field: usize) -> usize {
    let per_field = per_field.max(1);
    let total: f64 = (1..=per_field).map(|k| 1.0 / k as f64).sum();
    let mut pick = rng.gen_range(0.0..total);
    for k in 0..per_field {
        let weight = 1.0 / (k + 1) as f64;
        if pick < weight {
            return k;
        }
        pick -= weight;
    }
    per_field - 1
}

/// A standard normal draw (Box–Muller): `rand` alone has no normal distribution.
fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A log-normal draw with the given mean and coefficient of variation.
fn lognormal(rng: &mut StdRng, mean: f64, cv: f64) -> f64 {
    let sigma2 = (1.0 + cv * cv).ln();
    let mu = mean.ln() - sigma2 / 2.0;
    (mu + sigma2.sqrt() * normal(rng)).exp()
}

/// A center as the simulation sees it.
#[derive(Debug, Clone)]
pub struct SimCenter {
    pub code: String,
    pub provincial: bool,
    pub position: (f64, f64),
    pub hours: OpeningHours,
    /// Indices into [`World::counters`].
    pub counters: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct SimCounter {
    pub center: usize,
    /// Field ids (index into [`World::field_codes`] plus one, like database ids).
    pub fields: Vec<i64>,
    pub staffed: bool,
}

/// One citizen of the day, drawn once and replayed under every policy (common random
/// numbers: the policies differ only by what they do, never by who comes).
#[derive(Debug, Clone, Copy)]
pub struct Citizen {
    pub center: usize,
    pub field: i64,
    /// Index into [`World::procedure_factor`].
    pub procedure: usize,
    pub priority: bool,
    pub non_territorial: bool,
    pub issue_ms: i64,
    pub service_ms: i64,
    /// Uniform draw compared with the acceptance probability.
    pub accept_draw: f64,
    /// Real travel time over estimated travel time.
    pub travel_factor: f64,
}

/// The province and the day's citizens.
#[derive(Debug, Clone)]
pub struct World {
    pub field_codes: Vec<String>,
    pub centers: Vec<SimCenter>,
    pub counters: Vec<SimCounter>,
    pub citizens: Vec<Citizen>,
    pub targets: FieldTargets,
    /// Each procedure's mean service over its field's (procedures of field `f` are
    /// `(f − 1) · procedures_per_field ..`; all 1 when `procedure_spread` is 0).
    pub procedure_factor: Vec<f64>,
    /// Each center's pace: every service there takes this times its draw (all 1 when
    /// `center_speed_spread` is 0).
    pub center_speed: Vec<f64>,
    /// The province's travel-time exceptions ([`catalogue::DEMO_TRAVEL_TIMES`]), by center
    /// index: islands are never suggested.
    pub travel_table: TravelTable,
    pub day_start_ms: i64,
    /// Each center's expected arrivals per minute, from 07:00 local (index 0) for the ten
    /// hours of [`HOURLY_PROFILE`]: the rates its citizens were drawn from.
    pub arrival_rates: Vec<Vec<f64>>,
    /// Each center's field mix: the fields it serves and their weights.
    pub field_mix: Vec<(Vec<i64>, Vec<f64>)>,
}

fn local_ms(date: NaiveDate, minutes: i64) -> i64 {
    let midnight = vietnam_offset()
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("UTC+7 has no gaps");
    midnight.timestamp_millis() + minutes * MINUTE_MS
}

/// Builds the province and draws the day's citizens from the scenario's seed.
pub fn build_world(province: &catalogue::Province, s: &Scenario) -> World {
    let mut rng = StdRng::seed_from_u64(s.seed);
    // Procedures draw from a stream of their own, so that a day without procedure spread
    // is the very day it was before procedures were modelled.
    let mut procedure_rng = StdRng::seed_from_u64(s.seed ^ 0x9e37_79b9_7f4a_7c15);
    let per_field = s.procedures_per_field.max(1);
    let zipf: Vec<f64> = (1..=per_field).map(|k| 1.0 / k as f64).collect();
    let zipf_total: f64 = zipf.iter().sum();
    let mut procedure_factor = Vec::with_capacity(province.fields.len() * per_field);
    for _ in &province.fields {
        let raw: Vec<f64> = (0..per_field)
            .map(|_| {
                if s.procedure_spread > 0.0 {
                    lognormal(&mut procedure_rng, 1.0, s.procedure_spread)
                } else {
                    1.0
                }
            })
            .collect();
        // The field's mean stays the field's mean: the factors average one over demand.
        let mean: f64 = raw.iter().zip(&zipf).map(|(f, p)| f * p).sum::<f64>() / zipf_total;
        procedure_factor.extend(raw.iter().map(|f| f / mean));
    }
    let field_codes: Vec<String> = province.fields.iter().map(|f| f.code.clone()).collect();
    let field_id = |code: &str| {
        field_codes
            .iter()
            .position(|c| c == code)
            .map(|i| i as i64 + 1)
    };
    let mut centers = Vec::new();
    let mut counters = Vec::new();
    for (ci, c) in province.centers.iter().enumerate() {
        let provincial = c.kind == catalogue::CenterKind::Provincial;
        let mut ids = Vec::new();
        for k in &c.counters {
            ids.push(counters.len());
            counters.push(SimCounter {
                center: ci,
                fields: k.field_codes.iter().filter_map(|f| field_id(f)).collect(),
                staffed: rng.gen_bool(s.staffing.clamp(0.0, 1.0)),
            });
        }
        // Every field served keeps one officer: a center does not leave a field unserved
        // for a whole day, it doubles someone up.
        let served: Vec<i64> = {
            let mut v: Vec<i64> = ids
                .iter()
                .flat_map(|&k| counters[k].fields.clone())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for f in served {
            if !ids
                .iter()
                .any(|&k| counters[k].staffed && counters[k].fields.contains(&f))
            {
                if let Some(&k) = ids.iter().find(|&&k| counters[k].fields.contains(&f)) {
                    counters[k].staffed = true;
                }
            }
        }
        centers.push(SimCenter {
            code: c.code.clone(),
            provincial,
            position: (c.latitude, c.longitude),
            hours: OpeningHours::parse(&c.opening_hours).unwrap_or_default(),
            counters: ids,
        });
    }
    // Paces draw from a stream of their own too: a day without spread is the same day.
    let mut speed_rng = StdRng::seed_from_u64(s.seed ^ 0xd1b5_4a32_d192_ed03);
    let center_speed: Vec<f64> = centers
        .iter()
        .map(|_| {
            if s.center_speed_spread > 0.0 {
                (s.center_speed_spread * normal(&mut speed_rng)).exp()
            } else {
                1.0
            }
        })
        .collect();
    let day_start_ms = local_ms(s.date, 0);
    let mut citizens = Vec::new();
    let mut arrival_rates = Vec::with_capacity(centers.len());
    let mut field_mix = Vec::with_capacity(centers.len());
    for (ci, c) in centers.iter().enumerate() {
        let popularity = (s.demand_spread * normal(&mut rng)).exp();
        let daily = daily_demand(c.counters.len(), c.provincial) * s.demand_scale * popularity;
        let mut served: Vec<i64> = c
            .counters
            .iter()
            .flat_map(|&k| counters[k].fields.clone())
            .collect();
        served.sort_unstable();
        served.dedup();
        let weights: Vec<f64> = served
            .iter()
            .map(|&f| field_weight(&field_codes[f as usize - 1], c.provincial))
            .collect();
        let total_weight: f64 = weights.iter().sum();
        // The open minutes of the day, weighted by the profile, spread the daily demand.
        let open_minutes: Vec<i64> = (7 * 60..17 * 60)
            .filter(|&m| c.hours.is_open_at(local_ms(s.date, m)))
            .collect();
        let profile =
            |m: i64| HOURLY_PROFILE[((m / 60 - 7) as usize).min(HOURLY_PROFILE.len() - 1)];
        let mass: f64 = open_minutes.iter().map(|&m| profile(m)).sum();
        let mut rates = vec![0.0; HOURLY_PROFILE.len() * 60];
        if mass > 0.0 {
            for &m in &open_minutes {
                rates[(m - 7 * 60) as usize] = daily * profile(m) / mass;
            }
        }
        arrival_rates.push(rates);
        field_mix.push((served.clone(), weights.clone()));
        if mass <= 0.0 {
            continue;
        }
        for &m in &open_minutes {
            // Poisson arrivals, minute by minute: exponential gaps within the minute.
            let rate = daily * profile(m) / mass;
            let mut t = rng.gen_range(0.0..1.0f64).ln() / -rate;
            while t < 1.0 {
                let mut pick = rng.gen_range(0.0..total_weight);
                let mut field = served[0];
                for (&f, &w) in served.iter().zip(&weights) {
                    if pick < w {
                        field = f;
                        break;
                    }
                    pick -= w;
                }
                let procedure =
                    (field as usize - 1) * per_field + zipf_rank(&mut procedure_rng, per_field);
                let mean = service_mean_min(&field_codes[field as usize - 1])
                    * procedure_factor[procedure];
                citizens.push(Citizen {
                    center: ci,
                    field,
                    procedure,
                    priority: rng.gen_bool(s.priority_share.clamp(0.0, 1.0)),
                    non_territorial: !rng.gen_bool(s.territorial_share.clamp(0.0, 1.0)),
                    issue_ms: local_ms(s.date, m) + (t * MINUTE_MS as f64) as i64,
                    service_ms: (lognormal(&mut rng, mean, s.service_cv) * MINUTE_MS as f64)
                        .max(MINUTE_MS as f64 / 2.0) as i64,
                    accept_draw: rng.gen(),
                    travel_factor: (s.travel_noise * normal(&mut rng)).exp(),
                });
                t += rng.gen_range(f64::EPSILON..1.0f64).ln() / -rate;
            }
        }
    }
    citizens.sort_by_key(|c| (c.issue_ms, c.center));
    let targets = FieldTargets::by_code(
        field_codes
            .iter()
            .enumerate()
            .map(|(i, c)| (i as i64 + 1, c.as_str())),
    );
    let codes: Vec<&str> = centers.iter().map(|c| c.code.as_str()).collect();
    let index = |code: &str| codes.iter().position(|c| *c == code).map(|i| i as i64);
    let travel_table = TravelTable::new(
        suggest::parse_travel_times(catalogue::DEMO_TRAVEL_TIMES, &codes)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(a, b, m)| Some((index(&a)?, index(&b)?, m))),
    );
    World {
        field_codes,
        centers,
        counters,
        citizens,
        targets,
        procedure_factor,
        center_speed,
        travel_table,
        day_start_ms,
        arrival_rates,
        field_mix,
    }
}

/// The outcome of one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub policy: Policy,
    pub citizens: usize,
    /// Citizens who accepted a suggestion and moved.
    pub moved: usize,
    pub mean_wait_min: f64,
    pub p95_wait_min: f64,
    pub max_wait_min: f64,
    pub share_within_30_min: f64,
    /// Median of |shown − actual| / max(actual, 5 min), in percent (see the module notes).
    pub estimate_median_abs_error_pct: f64,
    /// Median of |shown − actual| in minutes over the same citizens.
    pub estimate_median_abs_error_min: f64,
    /// How many citizens the error was measured on.
    pub estimate_samples: usize,
    /// Of those, the share whose actual wait fell within the range the kiosk showed.
    pub estimate_in_range_share: f64,
    /// The best estimate anything at the kiosk could show, measured like ours over the
    /// same citizens (see [`Oracle`]); `None` unless `oracle_replays` is set, and for
    /// "pooled".
    pub oracle: Option<Oracle>,
    /// Mean wait by hour of issue: (local hour, mean minutes, citizens).
    pub hourly: Vec<(u32, f64, usize)>,
    /// By the center where citizens took their ticket: (center code, citizens, staffed
    /// counters, mean wait minutes), in the province's order.
    pub by_center: Vec<(String, usize, usize, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// The citizen takes a ticket at their center.
    Arrive(usize),
    /// A citizen who moved reaches the other center and checks in.
    CheckIn(usize),
    /// A counter finishes its citizen.
    Done(usize),
}

struct Run<'w> {
    world: &'w World,
    s: &'w Scenario,
    policy: Policy,
    /// Queue group of each center: itself, or 0 for everyone under "pooled".
    group: Vec<usize>,
    /// Counters of each group.
    group_counters: Vec<Vec<usize>>,
    /// Waiting (checked-in) citizens per group.
    waiting: Vec<Vec<usize>>,
    /// Citizens on their way to a center with a remote ticket, per center.
    inbound: Vec<Vec<usize>>,
    /// Citizens who took a place in each center's queue (local or remote tickets), in
    /// order of issue: what the projection reads its expected arrivals from.
    joined: Vec<Vec<usize>>,
    /// Counter state: the citizen being served, and the priority run.
    current: Vec<Option<usize>>,
    run_length: Vec<u32>,
    recent: Vec<VecDeque<f64>>,
    /// (center, minutes) of recent services per field, for the prior of the other centers.
    province_recent: Vec<VecDeque<(usize, f64)>>,
    /// Recent service minutes of each procedure anywhere in the province.
    procedure_recent: Vec<VecDeque<f64>>,
    /// The estimator's learned factor of each procedure ([`estimate::procedure_factor`]).
    learned_factor: Vec<f64>,
    /// The weight of the province's mean in each field's center means
    /// ([`estimate::center_prior_weight`]), by field.
    prior_weight: Vec<f64>,
    // Per citizen.
    serve_center: Vec<usize>,
    queue_at: Vec<i64>,
    arrived: Vec<i64>,
    /// The estimate the kiosk showed (here, or at the suggested center), when it had one.
    shown: Vec<Option<estimate::Estimate>>,
    called: Vec<Option<i64>>,
    moved: usize,
    /// The queue each measured estimate was made on, for the oracle.
    snapshots: Vec<Snapshot>,
    events: BinaryHeap<Reverse<(i64, u64, Event)>>,
    seq: u64,
}

impl<'w> Run<'w> {
    fn new(world: &'w World, s: &'w Scenario, policy: Policy) -> Self {
        let n_centers = world.centers.len();
        let group: Vec<usize> = (0..n_centers)
            .map(|c| if policy == Policy::Pooled { 0 } else { c })
            .collect();
        let mut group_counters = vec![Vec::new(); n_centers];
        for (k, counter) in world.counters.iter().enumerate() {
            if counter.staffed {
                group_counters[group[counter.center]].push(k);
            }
        }
        let n = world.citizens.len();
        let mut run = Run {
            world,
            s,
            policy,
            group,
            group_counters,
            waiting: vec![Vec::new(); n_centers],
            inbound: vec![Vec::new(); n_centers],
            joined: vec![Vec::new(); n_centers],
            current: vec![None; world.counters.len()],
            run_length: vec![0; world.counters.len()],
            recent: vec![VecDeque::new(); n_centers * world.field_codes.len()],
            province_recent: vec![VecDeque::new(); world.field_codes.len()],
            procedure_recent: vec![VecDeque::new(); world.procedure_factor.len()],
            learned_factor: vec![1.0; world.procedure_factor.len()],
            prior_weight: vec![estimate::PRIOR_WEIGHT; world.field_codes.len()],
            serve_center: vec![0; n],
            queue_at: vec![0; n],
            arrived: vec![0; n],
            shown: vec![None; n],
            called: vec![None; n],
            moved: 0,
            snapshots: Vec::new(),
            events: BinaryHeap::new(),
            seq: 0,
        };
        for (i, c) in world.citizens.iter().enumerate() {
            run.push(c.issue_ms, Event::Arrive(i));
        }
        if s.warm_start {
            run.warm_up();
        }
        run
    }

    /// Yesterday's finished tickets, as the backend finds them at opening: for every field
    /// of every center, [`RECENT_PER_CENTER`] services drawn as today's are (the field's
    /// procedure mix and spreads), from a stream of their own; the province's and the
    /// procedures' learners take the same services.
    fn warm_up(&mut self) {
        let world = self.world;
        let mut rng = StdRng::seed_from_u64(self.s.seed ^ 0x5851_f42d_4c95_7f2d);
        let per_field = self.s.procedures_per_field.max(1);
        for (ci, center) in world.centers.iter().enumerate() {
            let mut fields: Vec<i64> = center
                .counters
                .iter()
                .flat_map(|&k| world.counters[k].fields.iter().copied())
                .collect();
            fields.sort_unstable();
            fields.dedup();
            for field in fields {
                for _ in 0..RECENT_PER_CENTER {
                    let procedure =
                        (field as usize - 1) * per_field + zipf_rank(&mut rng, per_field);
                    let mean = service_mean_min(&world.field_codes[field as usize - 1])
                        * world.procedure_factor[procedure];
                    let minutes = lognormal(&mut rng, mean, self.s.service_cv).max(0.5)
                        * world.center_speed[ci];
                    let idx = self.recent_index(ci, field);
                    self.recent[idx].push_front(minutes);
                    let province = &mut self.province_recent[field as usize - 1];
                    province.push_front((ci, minutes));
                    province.truncate(RECENT_PER_PROVINCE);
                    let recent = &mut self.procedure_recent[procedure];
                    recent.push_front(minutes);
                    recent.truncate(RECENT_PER_PROCEDURE);
                }
            }
        }
        for field in 1..=world.field_codes.len() as i64 {
            if self.s.learn_procedures {
                self.learn_factors(field);
            }
            self.learn_prior_weight(field);
        }
    }

    /// How long citizen `i`'s service takes at the center that serves them.
    fn service_ms(&self, i: usize) -> i64 {
        let speed = self.world.center_speed[self.serve_center[i]];
        (self.world.citizens[i].service_ms as f64 * speed).round() as i64
    }

    /// Re-learns the weight of the province's mean in the centers' means of a field from
    /// how much the centers' recent durations differ, as the backend does.
    fn learn_prior_weight(&mut self, field: i64) {
        if !self.s.learn_center_weight {
            return;
        }
        let n_fields = self.world.field_codes.len();
        let by_center: Vec<Vec<f64>> = (0..self.world.centers.len())
            .map(|c| {
                self.recent[c * n_fields + field as usize - 1]
                    .iter()
                    .copied()
                    .collect()
            })
            .collect();
        let slices: Vec<&[f64]> = by_center.iter().map(Vec::as_slice).collect();
        self.prior_weight[field as usize - 1] = estimate::center_prior_weight(&slices);
    }

    fn push(&mut self, at: i64, e: Event) {
        self.seq += 1;
        self.events.push(Reverse((at, self.seq, e)));
    }

    fn recent_index(&self, center: usize, field: i64) -> usize {
        center * self.world.field_codes.len() + field as usize - 1
    }

    /// The learned service minutes of (center, field), shrunk to the province prior.
    fn service_min(&self, center: usize, field: i64) -> (f64, u32) {
        // The other centers' experience, as the backend's prior query.
        let province: Vec<f64> = self.province_recent[field as usize - 1]
            .iter()
            .filter(|(c, _)| *c != center)
            .map(|(_, m)| *m)
            .collect();
        let prior = estimate::province_prior_minutes(&province);
        let recent: Vec<f64> = self.recent[self.recent_index(center, field)]
            .iter()
            .copied()
            .collect();
        (
            estimate::learned_service_minutes_weighted(
                &recent,
                prior,
                self.prior_weight[field as usize - 1],
            ),
            recent.len() as u32,
        )
    }

    /// The estimate the backend would show at `center` for citizen `i` (a new ticket of
    /// `field`) placed in the queue at `queue_at` (now, or the arrival of a remote ticket):
    /// the backend's projection of its call policy over the center's waiting tickets, the
    /// remote tickets due there, and its open counters.
    fn estimate(&self, now: i64, center: usize, i: usize, queue_at: i64) -> estimate::Estimate {
        let world = self.world;
        let c = &world.citizens[i];
        let field = c.field;
        let g = self.group[center];
        let open_counters = &self.group_counters[g];
        let (own_service, samples) = self.service_min(center, field);
        let n_fields = world.field_codes.len();
        let services: Vec<f64> = (1..=n_fields as i64)
            .map(|f| self.service_min(center, f).0)
            .collect();
        let service_of = |f: i64| services[f as usize - 1];
        // A ticket's expected service: its center's field mean times its procedure's
        // learned factor; an expected arrival (a copy, negative id) is the field's mean.
        let expected_service = |t: &Candidate| {
            let factor = usize::try_from(t.id)
                .map(|j| self.learned_factor[world.citizens[j].procedure])
                .unwrap_or(1.0);
            service_of(t.field_id) * factor
        };
        let candidate = |j: usize| Candidate {
            id: j as i64,
            field_id: world.citizens[j].field,
            priority: world.citizens[j].priority,
            queue_at_ms: self.queue_at[j],
            target_counter: None,
        };
        let waiting: Vec<Candidate> = self.waiting[g].iter().map(|&j| candidate(j)).collect();
        let (due, expected): (Vec<Candidate>, Vec<Candidate>) = if self.policy == Policy::Pooled {
            (Vec::new(), Vec::new())
        } else {
            let window_start = now - estimate::ARRIVAL_WINDOW_MIN * MINUTE_MS;
            let joined = &self.joined[center];
            // A remote ticket takes its place up to a journey after its issue.
            let from = joined
                .partition_point(|&j| world.citizens[j].issue_ms <= window_start - 120 * MINUTE_MS);
            let recent: Vec<Candidate> = joined[from..].iter().map(|&j| candidate(j)).collect();
            let expected = estimate::expected_arrivals(
                &recent,
                now,
                estimate::ARRIVAL_WINDOW_MIN,
                estimate::ARRIVAL_REPEATS,
            );
            let due = self.inbound[center]
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| candidate(j))
                .collect();
            (due, expected)
        };
        let counters: Vec<estimate::OpenCounter<'_>> = open_counters
            .iter()
            .map(|&k| estimate::OpenCounter {
                counter_id: k as i64,
                fields: &world.counters[k].fields,
                free_at_ms: match self.current[k] {
                    Some(j) => estimate::busy_until_ms(
                        self.called[j].unwrap_or(now),
                        service_of(world.citizens[j].field)
                            * self.learned_factor[world.citizens[j].procedure],
                        now,
                    ),
                    None => now,
                },
                consecutive_priority: self.run_length[k],
            })
            .collect();
        let ahead = waiting
            .iter()
            .filter(|t| t.field_id == field && (!c.priority || t.priority))
            .count() as u32;
        // The field's own open counters, as the backend's `counter_load`.
        let serving = || {
            open_counters
                .iter()
                .filter(|&&k| world.counters[k].fields.contains(&field))
        };
        let open = serving().count() as u32;
        let busy = serving().filter(|&&k| self.current[k].is_some()).count() as u32;
        let configured = if self.policy == Policy::Pooled {
            open
        } else {
            world.centers[center]
                .counters
                .iter()
                .filter(|&&k| world.counters[k].fields.contains(&field))
                .count() as u32
        };
        let load = QueueLoad {
            people_ahead: ahead,
            counters_open: open,
            counters_busy: busy,
            counters_configured: configured,
            service_min: own_service,
            samples,
        };
        if open == 0 {
            // No counter of the field is open: the closed form over the configured ones.
            estimate::estimate(load)
        } else {
            let point = estimate::projected_wait_minutes(
                estimate::Projection {
                    now_ms: now,
                    policy: self.s.call_policy,
                    targets: &world.targets,
                    counters: &counters,
                    waiting: &waiting,
                    due: &due,
                    expected: &expected,
                },
                Candidate {
                    id: i as i64,
                    field_id: field,
                    priority: c.priority,
                    queue_at_ms: queue_at,
                    target_counter: None,
                },
                expected_service,
            );
            estimate::estimate_around(load, point)
        }
    }

    fn arrive(&mut self, now: i64, i: usize) {
        let c = self.world.citizens[i];
        let here = self.estimate(now, c.center, i, now);
        if self.policy == Policy::Suggest && c.non_territorial {
            if let Some((to, travel_min, there)) = self.suggestion(now, i, here.minutes) {
                if c.accept_draw < self.s.accept_probability {
                    self.snapshot(now, to, i);
                    self.moved += 1;
                    let travel_ms = (travel_min * MINUTE_MS as f64) as i64;
                    self.serve_center[i] = to;
                    self.queue_at[i] = now + travel_ms;
                    self.shown[i] = Some(there);
                    self.inbound[to].push(i);
                    self.joined[to].push(i);
                    let real = (travel_ms as f64 * c.travel_factor) as i64;
                    self.push(now + real, Event::CheckIn(i));
                    return;
                }
            }
        }
        self.snapshot(now, c.center, i);
        self.serve_center[i] = c.center;
        self.queue_at[i] = now;
        self.arrived[i] = now;
        self.shown[i] = here.minutes.is_some().then_some(here);
        let g = self.group[c.center];
        self.waiting[g].push(i);
        self.joined[c.center].push(i);
        self.dispatch(now, g);
    }

    /// The best suggestion for a citizen, as the kiosk computes it: (center, travel
    /// minutes, the estimate there, which has minutes).
    fn suggestion(
        &self,
        now: i64,
        i: usize,
        here: Option<u32>,
    ) -> Option<(usize, f64, estimate::Estimate)> {
        let c = &self.world.citizens[i];
        let stay = f64::from(here?);
        let from = &self.world.centers[c.center];
        let mut alternatives = Vec::new();
        let mut waits = Vec::new();
        for (b, center) in self.world.centers.iter().enumerate() {
            if b == c.center {
                continue;
            }
            let serves = center
                .counters
                .iter()
                .any(|&k| self.world.counters[k].fields.contains(&c.field));
            if !serves {
                continue;
            }
            let Some(travel) = self.world.travel_table.minutes(
                &self.s.travel,
                (c.center as i64, from.position),
                (b as i64, center.position),
            ) else {
                // No practical route (an island): never suggested.
                continue;
            };
            // A center that cannot save the minimum even with no wait is not worth an
            // estimate; suggest() would drop it anyway.
            if stay - travel < self.s.thresholds.min_saving_min {
                continue;
            }
            let arrival = now + (travel * MINUTE_MS as f64) as i64;
            let open = center.hours.is_open_at(now) && center.hours.is_open_at(arrival);
            let shown = self.estimate(now, b, i, arrival);
            let wait = shown.minutes.map(f64::from);
            alternatives.push(Alternative {
                center_id: b as i64,
                open,
                serves_field: true,
                travel_min: travel,
                wait_min: wait,
            });
            waits.push((b, travel, shown));
        }
        let pick = suggest::suggest(
            Some(stay),
            c.non_territorial,
            &alternatives,
            self.s.thresholds,
        )
        .into_iter()
        .next()?;
        waits
            .into_iter()
            .find(|(b, _, _)| *b as i64 == pick.center_id)
            .and_then(|(b, travel, there)| there.minutes.map(|_| (b, travel, there)))
    }

    fn check_in(&mut self, now: i64, i: usize) {
        let to = self.serve_center[i];
        self.inbound[to].retain(|&j| j != i);
        self.arrived[i] = now;
        let g = self.group[to];
        self.waiting[g].push(i);
        self.dispatch(now, g);
    }

    fn done(&mut self, now: i64, k: usize) {
        if let Some(i) = self.current[k].take() {
            let c = self.world.citizens[i];
            let minutes = self.service_ms(i) as f64 / MINUTE_MS as f64;
            let idx = self.recent_index(self.serve_center[i], c.field);
            let recent = &mut self.recent[idx];
            recent.push_front(minutes);
            recent.truncate(RECENT_PER_CENTER);
            let province = &mut self.province_recent[c.field as usize - 1];
            province.push_front((self.serve_center[i], minutes));
            province.truncate(RECENT_PER_PROVINCE);
            let procedure = &mut self.procedure_recent[c.procedure];
            procedure.push_front(minutes);
            procedure.truncate(RECENT_PER_PROCEDURE);
            if self.s.learn_procedures {
                self.learn_factors(c.field);
            }
            self.learn_prior_weight(c.field);
        }
        let g = self.group[self.world.counters[k].center];
        self.dispatch(now, g);
    }

    /// Re-learns the factors of a field's procedures against the field's province-wide
    /// mean, as the backend does from its recent finished tickets.
    fn learn_factors(&mut self, field: i64) {
        let recent = &self.province_recent[field as usize - 1];
        if recent.is_empty() {
            return;
        }
        let field_mean = recent.iter().map(|(_, m)| m).sum::<f64>() / recent.len() as f64;
        let per_field = self.s.procedures_per_field.max(1);
        let first = (field as usize - 1) * per_field;
        for p in first..first + per_field {
            let durations: Vec<f64> = self.procedure_recent[p].iter().copied().collect();
            self.learned_factor[p] = estimate::procedure_factor(&durations, field_mean);
        }
    }

    /// Every idle counter of the group calls its next citizen, by the backend's policy.
    fn dispatch(&mut self, now: i64, g: usize) {
        let counters = self.group_counters[g].clone();
        for k in counters {
            if self.current[k].is_some() || self.waiting[g].is_empty() {
                continue;
            }
            let candidates: Vec<Candidate> = self.waiting[g]
                .iter()
                .map(|&i| {
                    let c = &self.world.citizens[i];
                    Candidate {
                        id: i as i64,
                        field_id: c.field,
                        priority: c.priority,
                        queue_at_ms: self.queue_at[i],
                        target_counter: None,
                    }
                })
                .collect();
            let calling = CallingCounter {
                counter_id: k as i64,
                fields: &self.world.counters[k].fields,
                consecutive_priority: self.run_length[k],
            };
            let Some(choice) = policy::choose_next_across(
                self.s.call_policy,
                calling,
                &candidates,
                now,
                &self.world.targets,
            ) else {
                continue;
            };
            let i = choice.ticket_id as usize;
            self.run_length[k] = choice.consecutive_priority;
            self.waiting[g].retain(|&j| j != i);
            self.current[k] = Some(i);
            self.called[i] = Some(now);
            let service = self.service_ms(i);
            self.push(now + service, Event::Done(k));
        }
    }

    fn run(mut self) -> Report {
        self.simulate();
        self.report()
    }

    /// Plays the day's events to the end.
    fn simulate(&mut self) {
        while let Some(Reverse((now, _, event))) = self.events.pop() {
            match event {
                Event::Arrive(i) => self.arrive(now, i),
                Event::CheckIn(i) => self.check_in(now, i),
                Event::Done(k) => self.done(now, k),
            }
        }
    }

    fn report(&self) -> Report {
        let citizens = &self.world.citizens;
        let mut waits = Vec::with_capacity(citizens.len());
        let mut errors_pct = Vec::new();
        let mut errors_min = Vec::new();
        let mut in_range = 0usize;
        let mut hourly: Vec<(u32, f64, usize)> = (7..17).map(|h| (h, 0.0, 0)).collect();
        for (i, c) in citizens.iter().enumerate() {
            // Every citizen is called in the end: counters keep serving until the hall is empty.
            let Some(called) = self.called[i] else {
                continue;
            };
            let wait = (called - c.issue_ms) as f64 / MINUTE_MS as f64;
            waits.push(wait);
            let hour = ((c.issue_ms - self.world.day_start_ms) / (60 * MINUTE_MS)) as u32;
            if let Some(slot) = hourly.iter_mut().find(|(h, _, _)| *h == hour) {
                slot.1 += wait;
                slot.2 += 1;
            }
            if let Some(e) = self.shown[i] {
                let shown = f64::from(e.minutes.unwrap_or(0));
                let actual = ((called - self.arrived[i]) as f64 / MINUTE_MS as f64).max(0.0);
                if shown.max(actual) >= ERROR_MIN_WAIT_MIN {
                    errors_pct.push((shown - actual).abs() / actual.max(5.0) * 100.0);
                    errors_min.push((shown - actual).abs());
                    // The range is in whole minutes; the wait counts as in it up to the minute.
                    let low = f64::from(e.low.unwrap_or(0));
                    let high = f64::from(e.high.unwrap_or(0));
                    in_range += usize::from(actual.round() >= low && actual.round() <= high);
                }
            }
        }
        for slot in &mut hourly {
            if slot.2 > 0 {
                slot.1 /= slot.2 as f64;
            }
        }
        let mut by_center: Vec<(String, usize, usize, f64)> = self
            .world
            .centers
            .iter()
            .map(|c| {
                let staffed = c
                    .counters
                    .iter()
                    .filter(|&&k| self.world.counters[k].staffed)
                    .count();
                (c.code.clone(), 0, staffed, 0.0)
            })
            .collect();
        for (i, c) in citizens.iter().enumerate() {
            if let Some(called) = self.called[i] {
                let slot = &mut by_center[c.center];
                slot.1 += 1;
                slot.3 += (called - c.issue_ms) as f64 / MINUTE_MS as f64;
            }
        }
        for slot in &mut by_center {
            if slot.1 > 0 {
                slot.3 /= slot.1 as f64;
            }
        }
        let n = waits.len();
        waits.sort_by(f64::total_cmp);
        Report {
            policy: self.policy,
            citizens: n,
            moved: self.moved,
            mean_wait_min: if n > 0 {
                waits.iter().sum::<f64>() / n as f64
            } else {
                0.0
            },
            p95_wait_min: quantile(&waits, 0.95),
            max_wait_min: waits.last().copied().unwrap_or(0.0),
            share_within_30_min: if n > 0 {
                waits.iter().filter(|&&w| w <= 30.0).count() as f64 / n as f64
            } else {
                1.0
            },
            estimate_median_abs_error_pct: median(errors_pct.clone()),
            estimate_median_abs_error_min: median(errors_min),
            estimate_samples: errors_pct.len(),
            estimate_in_range_share: if errors_pct.is_empty() {
                0.0
            } else {
                in_range as f64 / errors_pct.len() as f64
            },
            oracle: self.oracle(),
            hourly,
            by_center,
        }
    }
}

/// How close an estimate shown at the kiosk could come, measured like ours on the same
/// citizens: two oracles that know far more than the backend ever will.
///
/// For every citizen whose estimate is measured, an oracle replays the center that served
/// them from the moment the kiosk showed it: the same open counters and their priority
/// runs, the same waiting tickets, the remote tickets already on their way (when they
/// really check in), called by the counters' own policy ([`policy::choose_next_across`]).
/// Every service not yet finished is drawn from its true distribution: its procedure's
/// true mean, the scenario's CV, and for a service under way given the time it has
/// already run. Of `oracle_replays` replays the oracle shows the minutes that minimise the
/// expected error as it is measured (the median of the replayed waits weighted by
/// 1 / max(wait, 5 min)), rounded to whole minutes like the kiosk. The two differ only in
/// what they know of the citizens still to come:
/// - *knows arrivals*: every citizen who in fact came later, when they came. Only how long
///   each service takes is left to chance; nothing can do better.
/// - *knows rates*: the true rates the day's citizens were drawn from (the center's
///   demand by minute, its field mix, the priority share, and the share of its citizens
///   who left for another center, by hour), each replay drawing its own arrivals — the
///   best a perfect forecaster at the kiosk could do. Remote tickets issued later are not
///   drawn: placed at their issue time plus travel, they are almost never ahead.
#[derive(Debug, Clone, PartialEq)]
pub struct Oracle {
    /// Median of |oracle − actual| / max(actual, 5 min), in percent, knowing every later
    /// arrival.
    pub knows_arrivals_pct: f64,
    /// The same, knowing only the true arrival rates.
    pub knows_rates_pct: f64,
    /// Citizens measured (the same as for the kiosk's estimate).
    pub samples: usize,
}

/// A center's queue when a citizen's estimate was shown, for the oracle.
#[derive(Debug, Clone)]
struct Snapshot {
    citizen: usize,
    at: i64,
    center: usize,
    waiting: Vec<usize>,
    /// Each open counter: (counter, the citizen it serves and their call, priority run).
    counters: Vec<(usize, Option<(usize, i64)>, u32)>,
}

/// A ticket in an oracle's replay: a citizen of the day, or one drawn from the rates.
#[derive(Debug, Clone, Copy)]
enum Who {
    Citizen(usize),
    /// A drawn arrival and its procedure.
    Drawn(usize),
}

impl Run<'_> {
    /// Keeps the queue of `center` as the kiosk saw it when citizen `i` took a ticket.
    fn snapshot(&mut self, now: i64, center: usize, i: usize) {
        if self.s.oracle_replays == 0 || self.policy == Policy::Pooled {
            return;
        }
        let g = self.group[center];
        let counters = self.group_counters[g]
            .iter()
            .map(|&k| {
                let serving = self.current[k].map(|j| (j, self.called[j].unwrap_or(now)));
                (k, serving, self.run_length[k])
            })
            .collect();
        self.snapshots.push(Snapshot {
            citizen: i,
            at: now,
            center,
            waiting: self.waiting[g].clone(),
            counters,
        });
    }

    /// Every citizen served at each center, in the order they were there to be called.
    fn present_by_center(&self) -> Vec<Vec<usize>> {
        let mut present = vec![Vec::new(); self.world.centers.len()];
        for (j, called) in self.called.iter().enumerate() {
            if called.is_some() {
                present[self.serve_center[j]].push(j);
            }
        }
        for list in &mut present {
            list.sort_by_key(|&j| (self.arrived[j], j));
        }
        present
    }

    fn candidate(&self, j: usize) -> Candidate {
        let c = &self.world.citizens[j];
        Candidate {
            id: j as i64,
            field_id: c.field,
            priority: c.priority,
            queue_at_ms: self.queue_at[j],
            target_counter: None,
        }
    }

    /// The citizens of `present` (the center's, in order) who were not yet there at the
    /// snapshot, as (there from, ticket); `known_only` keeps the snapshot's citizen and the
    /// remote tickets issued before it, which the kiosk knew of.
    fn later_citizens(
        &self,
        snap: &Snapshot,
        present: &[usize],
        known_only: bool,
    ) -> Vec<(i64, Candidate)> {
        let now = snap.at;
        let from = present.partition_point(|&j| self.arrived[j] < now);
        present[from..]
            .iter()
            .copied()
            .filter(|&j| {
                !snap.waiting.contains(&j)
                    && !snap
                        .counters
                        .iter()
                        .any(|(_, s, _)| s.map(|(c, _)| c) == Some(j))
            })
            .filter(|&j| !known_only || j == snap.citizen || self.world.citizens[j].issue_ms < now)
            .map(|j| (self.arrived[j], self.candidate(j)))
            .collect()
    }

    /// The share of each center's citizens, by hour of issue, who stayed there (under
    /// "suggest" some took a ticket elsewhere): what a perfect forecaster would know of
    /// who will leave.
    fn stay_shares(&self) -> Vec<Vec<f64>> {
        let hours = HOURLY_PROFILE.len();
        let mut counts = vec![vec![(0usize, 0usize); hours]; self.world.centers.len()];
        for (i, c) in self.world.citizens.iter().enumerate() {
            let hour = ((c.issue_ms - local_ms(self.s.date, 7 * 60)) / (60 * MINUTE_MS))
                .clamp(0, hours as i64 - 1) as usize;
            let slot = &mut counts[c.center][hour];
            slot.0 += 1;
            slot.1 += usize::from(self.serve_center[i] == c.center);
        }
        counts
            .iter()
            .map(|by_hour| {
                by_hour
                    .iter()
                    .map(|&(all, stayed)| {
                        if all == 0 {
                            1.0
                        } else {
                            stayed as f64 / all as f64
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Local arrivals at `center` after `now`, drawn from the rates the day was drawn
    /// from and thinned by who stays (`stay_share` by hour), as (there from, ticket with a
    /// negative id); `procedures` gets each one's procedure, the ticket with id −k − 1 at
    /// index k.
    fn draw_arrivals(
        &self,
        rng: &mut StdRng,
        center: usize,
        now: i64,
        stay_share: &[f64],
        procedures: &mut Vec<usize>,
    ) -> Vec<(i64, Candidate)> {
        let world = self.world;
        let (fields, weights) = &world.field_mix[center];
        let total: f64 = weights.iter().sum();
        let per_field = self.s.procedures_per_field.max(1);
        let first_minute = local_ms(self.s.date, 7 * 60);
        let mut out = Vec::new();
        procedures.clear();
        for (m, &rate) in world.arrival_rates[center].iter().enumerate() {
            let start = first_minute + m as i64 * MINUTE_MS;
            if rate <= 0.0 || start + MINUTE_MS <= now {
                continue;
            }
            let mut t = rng.gen_range(f64::EPSILON..1.0f64).ln() / -rate;
            while t < 1.0 {
                let at = start + (t * MINUTE_MS as f64) as i64;
                t += rng.gen_range(f64::EPSILON..1.0f64).ln() / -rate;
                if at <= now || !rng.gen_bool(stay_share[m / 60].clamp(0.0, 1.0)) {
                    continue;
                }
                let mut pick = rng.gen_range(0.0..total);
                let mut field = fields[0];
                for (&f, &w) in fields.iter().zip(weights) {
                    if pick < w {
                        field = f;
                        break;
                    }
                    pick -= w;
                }
                procedures.push((field as usize - 1) * per_field + zipf_rank(rng, per_field));
                out.push((
                    at,
                    Candidate {
                        id: -(procedures.len() as i64),
                        field_id: field,
                        priority: rng.gen_bool(self.s.priority_share.clamp(0.0, 1.0)),
                        queue_at_ms: at,
                        target_counter: None,
                    },
                ));
            }
        }
        out
    }

    /// When the snapshot's citizen is called if the center runs on from the snapshot with
    /// the tickets of `later` (present from, ticket) joining, each service taking
    /// `service(ticket, time already run)` milliseconds (the whole service, for one under
    /// way): [`estimate::replay_call`], with the services the oracle draws.
    fn replay_from(
        &self,
        snap: &Snapshot,
        later: &[(i64, Candidate)],
        service: &mut impl FnMut(Who, Option<i64>) -> i64,
    ) -> Option<i64> {
        let world = self.world;
        let now = snap.at;
        let counters: Vec<estimate::OpenCounter<'_>> = snap
            .counters
            .iter()
            .map(|&(k, serving, run)| estimate::OpenCounter {
                counter_id: k as i64,
                fields: &world.counters[k].fields,
                free_at_ms: match serving {
                    Some((j, called)) => called + service(Who::Citizen(j), Some(now - called)),
                    None => now,
                },
                consecutive_priority: run,
            })
            .collect();
        let queue = snap.waiting.iter().map(|&j| self.candidate(j)).collect();
        estimate::replay_call(
            self.s.call_policy,
            &world.targets,
            &counters,
            now,
            queue,
            later.to_vec(),
            snap.citizen as i64,
            |c| {
                let who = match usize::try_from(c.id) {
                    Ok(j) => Who::Citizen(j),
                    Err(_) => Who::Drawn((-c.id - 1) as usize),
                };
                service(who, None)
            },
        )
    }

    /// A service of procedure `procedure` drawn from its true distribution; given
    /// `elapsed` milliseconds already run, one at least that long.
    fn draw_service(
        &self,
        rng: &mut StdRng,
        center: usize,
        procedure: usize,
        elapsed: Option<i64>,
    ) -> i64 {
        let per_field = self.s.procedures_per_field.max(1);
        let field = procedure / per_field;
        let mean = service_mean_min(&self.world.field_codes[field])
            * self.world.procedure_factor[procedure];
        let speed = self.world.center_speed[center];
        // Drawn as the day draws it: the citizen's service, then the center's pace.
        let mut draw = || {
            let base = (lognormal(rng, mean, self.s.service_cv) * MINUTE_MS as f64)
                .max(MINUTE_MS as f64 / 2.0) as i64;
            (base as f64 * speed).round() as i64
        };
        match elapsed {
            None => draw(),
            Some(elapsed) => (0..1000)
                .map(|_| draw())
                .find(|&d| d >= elapsed)
                // Far in the tail the rest of a service is about a quarter of the mean.
                .unwrap_or(elapsed + (mean * speed * MINUTE_MS as f64 / 4.0) as i64),
        }
    }

    fn oracle(&self) -> Option<Oracle> {
        if self.s.oracle_replays == 0 || self.policy == Policy::Pooled {
            return None;
        }
        let present = self.present_by_center();
        let stay_shares = self.stay_shares();
        let (mut arrivals_known, mut rates_known) = (Vec::new(), Vec::new());
        let mut drawn_procedures = Vec::new();
        for snap in &self.snapshots {
            let i = snap.citizen;
            let (Some(shown), Some(called)) = (self.shown[i], self.called[i]) else {
                continue;
            };
            let minutes = |at: i64| ((at - self.arrived[i]) as f64 / MINUTE_MS as f64).max(0.0);
            let actual = minutes(called);
            if f64::from(shown.minutes.unwrap_or(0)).max(actual) < ERROR_MIN_WAIT_MIN {
                continue;
            }
            let error = |best: f64| (best.round() - actual).abs() / actual.max(5.0) * 100.0;
            let mut rng = StdRng::seed_from_u64(
                self.s.seed ^ 0x2545_f491_4f6c_dd1d ^ (i as u64).wrapping_mul(0x9e37_79b9),
            );
            let citizens = &self.world.citizens;
            let replays = self.s.oracle_replays as usize;
            // Knowing every later arrival.
            let later = self.later_citizens(snap, &present[snap.center], false);
            let mut waits = Vec::with_capacity(replays);
            for _ in 0..replays {
                let mut service = |w: Who, elapsed: Option<i64>| match w {
                    Who::Citizen(j) => {
                        self.draw_service(&mut rng, snap.center, citizens[j].procedure, elapsed)
                    }
                    Who::Drawn(_) => unreachable!("no drawn arrivals here"),
                };
                if let Some(at) = self.replay_from(snap, &later, &mut service) {
                    waits.push(minutes(at));
                }
            }
            let Some(best) = weighted_median(&waits) else {
                continue;
            };
            arrivals_known.push(error(best));
            // Knowing only the rates: each replay draws its own arrivals.
            let known = self.later_citizens(snap, &present[snap.center], true);
            waits.clear();
            for _ in 0..replays {
                let mut later = self.draw_arrivals(
                    &mut rng,
                    snap.center,
                    snap.at,
                    &stay_shares[snap.center],
                    &mut drawn_procedures,
                );
                later.extend(known.iter().copied());
                later.sort_by_key(|(at, c)| (*at, c.id));
                let mut service = |w: Who, elapsed: Option<i64>| {
                    let procedure = match w {
                        Who::Citizen(j) => citizens[j].procedure,
                        Who::Drawn(k) => drawn_procedures[k],
                    };
                    self.draw_service(&mut rng, snap.center, procedure, elapsed)
                };
                if let Some(at) = self.replay_from(snap, &later, &mut service) {
                    waits.push(minutes(at));
                }
            }
            rates_known.push(weighted_median(&waits).map_or(100.0, error));
        }
        Some(Oracle {
            samples: arrivals_known.len(),
            knows_arrivals_pct: median(arrivals_known),
            knows_rates_pct: median(rates_known),
        })
    }
}

/// The point that minimises the mean of |x − w| / max(w, 5) over the waits `w`: their
/// median weighted by 1 / max(w, 5). `None` for no waits.
fn weighted_median(waits: &[f64]) -> Option<f64> {
    let mut sorted = waits.to_vec();
    sorted.sort_by(f64::total_cmp);
    let weight = |w: f64| 1.0 / w.max(5.0);
    let total: f64 = sorted.iter().map(|&w| weight(w)).sum();
    let mut acc = 0.0;
    for &w in &sorted {
        acc += weight(w);
        if acc >= total / 2.0 {
            return Some(w);
        }
    }
    None
}

/// The q-quantile of sorted values (nearest rank).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    quantile(&v, 0.5)
}

/// Runs one policy over a world.
pub fn run(world: &World, scenario: &Scenario, policy: Policy) -> Report {
    Run::new(world, scenario, policy).run()
}

/// Runs all three policies over the same citizens.
pub fn run_all(province: &catalogue::Province, scenario: &Scenario) -> Vec<Report> {
    let world = build_world(province, scenario);
    Policy::ALL
        .iter()
        .map(|&p| run(&world, scenario, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        // A lighter day keeps the test quick in debug builds; the balance effect is the same.
        Scenario {
            seed: 11,
            demand_scale: 0.6,
            ..Scenario::default()
        }
    }

    #[test]
    fn same_seed_same_numbers_and_suggest_beats_stay() {
        let province = catalogue::demo_province();
        let s = small();
        let first = run_all(&province, &s);
        let second = run_all(&province, &s);
        assert_eq!(first, second, "a seeded day must replay exactly");
        // Another seed draws another day (building it is cheap; running it is not).
        let other = build_world(
            &province,
            &Scenario {
                seed: 12,
                ..s.clone()
            },
        );
        let this = build_world(&province, &s);
        assert_ne!(
            (other.citizens.len(), other.citizens[0].issue_ms),
            (this.citizens.len(), this.citizens[0].issue_ms)
        );
        let (stay, suggest, pooled) = (&first[0], &first[1], &first[2]);
        assert_eq!(stay.citizens, suggest.citizens);
        assert!(suggest.moved > 0);
        assert!(
            suggest.mean_wait_min < stay.mean_wait_min,
            "suggest {} vs stay {}",
            suggest.mean_wait_min,
            stay.mean_wait_min
        );
        assert!(pooled.mean_wait_min <= suggest.mean_wait_min);
    }

    #[test]
    fn learning_procedures_sharpens_the_estimate_when_procedures_differ() {
        let province = catalogue::demo_province();
        // The same total spread as the default (CV about 0.5), most of it by procedure.
        let s = Scenario {
            procedure_spread: 0.4,
            service_cv: 0.3,
            ..small()
        };
        let world = build_world(&province, &s);
        // Procedures come from a stream of their own: the same citizens arrive at the same
        // minutes for the same fields whatever the spread.
        let flat = build_world(&province, &small());
        let arrivals = |w: &World| -> Vec<(i64, usize, i64)> {
            w.citizens
                .iter()
                .map(|c| (c.issue_ms, c.center, c.field))
                .collect()
        };
        assert_eq!(arrivals(&world), arrivals(&flat));
        assert!(flat.procedure_factor.iter().all(|&f| f == 1.0));
        let learned = run(&world, &s, Policy::Stay);
        let blind = run(
            &world,
            &Scenario {
                learn_procedures: false,
                ..s.clone()
            },
            Policy::Stay,
        );
        assert_eq!(learned.citizens, blind.citizens);
        assert!(
            learned.estimate_median_abs_error_pct + 1.0 < blind.estimate_median_abs_error_pct,
            "learned {} vs blind {}",
            learned.estimate_median_abs_error_pct,
            blind.estimate_median_abs_error_pct
        );
    }

    #[test]
    fn the_oracle_replay_with_the_real_services_is_the_day_itself() {
        // The oracle's replay must be the simulation itself, or its error would measure
        // the replay rather than chance: given the services the day really drew, every
        // citizen is called exactly when they were.
        let province = catalogue::demo_province();
        let s = Scenario {
            oracle_replays: 1,
            ..small()
        };
        let world = build_world(&province, &s);
        for policy in [Policy::Stay, Policy::Suggest] {
            let mut run = Run::new(&world, &s, policy);
            run.simulate();
            let present = run.present_by_center();
            assert_eq!(run.snapshots.len(), world.citizens.len());
            let mut moved = 0;
            for snap in &run.snapshots {
                let i = snap.citizen;
                moved += usize::from(run.serve_center[i] != world.citizens[i].center);
                let mut real = |w: Who, _: Option<i64>| match w {
                    Who::Citizen(j) => run.service_ms(j),
                    Who::Drawn(_) => unreachable!("the day's own citizens only"),
                };
                let later = run.later_citizens(snap, &present[snap.center], false);
                let call = run.replay_from(snap, &later, &mut real);
                assert_eq!(call, run.called[i], "{policy:?}: citizen {i}");
            }
            assert_eq!(moved, run.moved);
        }
    }

    #[test]
    fn the_oracle_scores_below_the_kiosk_and_above_nothing() {
        let province = catalogue::demo_province();
        let s = Scenario {
            oracle_replays: 20,
            ..small()
        };
        let world = build_world(&province, &s);
        let report = run(&world, &s, Policy::Stay);
        let oracle = report.oracle.expect("asked for");
        assert_eq!(oracle.samples, report.estimate_samples);
        let kiosk = report.estimate_median_abs_error_pct;
        // Knowing every later arrival beats knowing only their rates, which beats the
        // kiosk's last hour; services are random (CV 0.5), so not even clairvoyance is
        // exact.
        assert!(
            oracle.knows_arrivals_pct < oracle.knows_rates_pct,
            "{oracle:?}"
        );
        assert!(
            oracle.knows_rates_pct < kiosk,
            "{oracle:?} vs kiosk {kiosk}"
        );
        assert!(oracle.knows_arrivals_pct > 1.0);
        assert_eq!(run(&world, &s, Policy::Pooled).oracle, None);
        assert_eq!(run(&world, &small(), Policy::Stay).oracle, None);
    }

    #[test]
    fn the_estimator_learns_whether_centers_work_at_the_same_pace() {
        // The weight of the province's mean in a center's is learned from the day itself
        // (estimate::center_prior_weight): high when centers differ only by chance, low
        // when their officers really work at different paces.
        let province = catalogue::demo_province();
        let median_weight = |spread: f64| {
            let s = Scenario {
                center_speed_spread: spread,
                ..small()
            };
            let world = build_world(&province, &s);
            let mut run = Run::new(&world, &s, Policy::Stay);
            run.simulate();
            median(run.prior_weight.clone())
        };
        assert!(median_weight(0.0) >= 30.0);
        assert!(median_weight(0.5) <= 3.0);
        let fixed = Scenario {
            learn_center_weight: false,
            ..small()
        };
        let world = build_world(&province, &fixed);
        let mut run = Run::new(&world, &fixed, Policy::Stay);
        run.simulate();
        assert!(run
            .prior_weight
            .iter()
            .all(|&w| w == estimate::PRIOR_WEIGHT));
    }

    #[test]
    fn weighted_median_leans_towards_short_waits() {
        assert_eq!(weighted_median(&[]), None);
        assert_eq!(weighted_median(&[7.0]), Some(7.0));
        // Weights 1/5, 1/10, 1/40: the short wait alone outweighs the other two.
        assert_eq!(weighted_median(&[40.0, 2.0, 10.0]), Some(2.0));
        // Weights 1/5, 1/10, 1/12, 1/40: the plain median would be 11.
        assert_eq!(weighted_median(&[4.0, 10.0, 12.0, 40.0]), Some(10.0));
        // Weights 1/5 and 1/40: the short wait carries the median.
        assert_eq!(weighted_median(&[5.0, 40.0]), Some(5.0));
        assert_eq!(weighted_median(&[10.0, 20.0, 30.0, 40.0]), Some(20.0));
    }

    #[test]
    fn quantiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.95), 95.0);
        assert_eq!(quantile(&v, 0.5), 50.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }
}
