//! The operations of the queue engine: the pure core applied to rows in SQLite.
//!
//! Each write runs as one job of the store's writer (see `store`), so a ticket's change,
//! its event-log row and the counter's state commit together or not at all.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand::Rng;
use rusqlite::{params, Connection, OptionalExtension};

use crate::core::clock::{business_day, rfc3339};
use crate::core::estimate::{self, QueueLoad};
use crate::core::policy::{choose_next_across, CallingCounter, Candidate};
use crate::core::suggest::{self, Alternative};
use crate::core::ticket::{self, transition, Action, TicketState};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Center, Directory, Published};

/// Who performs a change; recorded in the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Kiosk(i64),
    Account(i64),
    System,
}

impl Actor {
    fn account(self) -> Option<i64> {
        match self {
            Actor::Account(id) => Some(id),
            _ => None,
        }
    }
    fn kiosk(self) -> Option<i64> {
        match self {
            Actor::Kiosk(id) => Some(id),
            _ => None,
        }
    }
}

/// A ticket row with the names a client needs.
#[derive(Debug, Clone)]
pub struct TicketRow {
    pub id: i64,
    pub number: u32,
    pub center_id: i64,
    pub field_id: i64,
    pub procedure_id: i64,
    pub procedure_name_vi: String,
    pub procedure_name_en: String,
    pub priority: Option<String>,
    pub state: TicketState,
    pub issued_ms: i64,
    pub queue_ms: i64,
    pub counter_id: Option<i64>,
    pub target_counter_id: Option<i64>,
    pub called_ms: Option<i64>,
    pub started_ms: Option<i64>,
    pub secret: String,
    pub business_day: String,
}

const TICKET_SELECT: &str =
    "SELECT t.id, t.number, t.center_id, t.field_id, t.procedure_id, p.name_vi, p.name_en,
        t.priority, t.state, t.issued_ms, t.queue_ms, t.counter_id, t.target_counter_id,
        t.called_ms, t.started_ms, t.secret, t.business_day
     FROM tickets t JOIN procedures p ON p.id = t.procedure_id";

fn ticket_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TicketRow> {
    let state: String = r.get(8)?;
    Ok(TicketRow {
        id: r.get(0)?,
        number: r.get(1)?,
        center_id: r.get(2)?,
        field_id: r.get(3)?,
        procedure_id: r.get(4)?,
        procedure_name_vi: r.get(5)?,
        procedure_name_en: r.get(6)?,
        priority: r.get(7)?,
        state: TicketState::parse(&state).unwrap_or(TicketState::Expired),
        issued_ms: r.get(9)?,
        queue_ms: r.get(10)?,
        counter_id: r.get(11)?,
        target_counter_id: r.get(12)?,
        called_ms: r.get(13)?,
        started_ms: r.get(14)?,
        secret: r.get(15)?,
        business_day: r.get(16)?,
    })
}

pub fn load_ticket(conn: &Connection, id: i64) -> ApiResult<TicketRow> {
    conn.query_row(
        &format!("{TICKET_SELECT} WHERE t.id = ?1"),
        [id],
        ticket_from_row,
    )
    .optional()?
    .ok_or_else(|| ApiError::NotFound(format!("no ticket {id}")))
}

pub fn priority_to_wire(p: Option<&str>) -> Option<wire::PriorityReason> {
    Some(match p? {
        "elderly" => wire::PriorityReason::Elderly,
        "disability" => wire::PriorityReason::Disability,
        "pregnant" => wire::PriorityReason::Pregnant,
        "meritorious_service" => wire::PriorityReason::MeritoriousService,
        _ => return None,
    })
}

fn priority_to_str(p: wire::PriorityReason) -> &'static str {
    match p {
        wire::PriorityReason::Elderly => "elderly",
        wire::PriorityReason::Disability => "disability",
        wire::PriorityReason::Pregnant => "pregnant",
        wire::PriorityReason::MeritoriousService => "meritorious_service",
    }
}

pub fn state_to_wire(s: TicketState) -> wire::TicketState {
    match s {
        TicketState::Waiting => wire::TicketState::Waiting,
        TicketState::Called => wire::TicketState::Called,
        TicketState::Serving => wire::TicketState::Serving,
        TicketState::Done => wire::TicketState::Done,
        TicketState::NoShow => wire::TicketState::NoShow,
        TicketState::Cancelled => wire::TicketState::Cancelled,
        TicketState::Remote => wire::TicketState::Remote,
        TicketState::Expired => wire::TicketState::Expired,
    }
}

pub fn ticket_to_wire(dir: &Directory, t: &TicketRow) -> wire::Ticket {
    let center = dir.center(t.center_id);
    let field = dir.field(t.field_id);
    wire::Ticket {
        id: t.id,
        number: t.number,
        center_id: t.center_id,
        center_name: center.map(|c| c.name.clone()).unwrap_or_default(),
        field_id: t.field_id,
        field_name_vi: field.map(|f| f.name_vi.clone()).unwrap_or_default(),
        field_name_en: field.map(|f| f.name_en.clone()).unwrap_or_default(),
        procedure_id: t.procedure_id,
        procedure_name_vi: t.procedure_name_vi.clone(),
        procedure_name_en: t.procedure_name_en.clone(),
        priority: priority_to_wire(t.priority.as_deref()),
        state: state_to_wire(t.state),
        issued_at: rfc3339(t.issued_ms),
        counter_number: t.counter_id.and_then(|c| dir.counter(c)).map(|c| c.number),
    }
}

// One row of the append-only log has this many facts; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn log_event(
    conn: &Connection,
    ticket_id: i64,
    now: i64,
    actor: Actor,
    action: &str,
    from: Option<TicketState>,
    to: TicketState,
    counter_id: Option<i64>,
    detail: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO ticket_events (ticket_id, at_ms, account_id, kiosk_id, action, from_state, to_state, counter_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        ticket_id,
        now,
        actor.account(),
        actor.kiosk(),
        action,
        from.map(TicketState::as_str),
        to.as_str(),
        counter_id,
        detail
    ])?;
    Ok(())
}

/// Waiting tickets per field at a center today.
pub fn waiting_by_field(
    conn: &Connection,
    center_id: i64,
    day: &str,
) -> rusqlite::Result<Vec<(i64, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field_id, COUNT(*) FROM tickets WHERE center_id = ?1 AND business_day = ?2 AND state = 'waiting'
         GROUP BY field_id ORDER BY field_id",
    )?;
    let rows = stmt.query_map(params![center_id, day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Finished tickets of a center and field its learned service time reads.
const CENTER_RECENT: usize = 30;

/// Learned service minutes and sample count for (center, field): the center's recent
/// durations shrunk towards the province's, which count `prior_weight` samples
/// ([`FieldModel::center_prior_weight`]).
pub fn service_minutes(
    conn: &Connection,
    center_id: i64,
    field_id: i64,
    prior_weight: f64,
) -> rusqlite::Result<(f64, u32)> {
    let mut stmt = conn.prepare_cached(
        "SELECT (finished_ms - called_ms) / 60000.0 FROM tickets
         WHERE center_id = ?1 AND field_id = ?2 AND state = 'done' AND called_ms IS NOT NULL
         ORDER BY finished_ms DESC LIMIT ?3",
    )?;
    let durations: Vec<f64> = stmt
        .query_map(params![center_id, field_id, CENTER_RECENT], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    // A cold start borrows the field's mean at the other centers rather than a fixed
    // guess; the center's own tickets are left out so they are not counted twice.
    let mut province = conn.prepare_cached(
        "SELECT (finished_ms - called_ms) / 60000.0 FROM tickets
         WHERE field_id = ?1 AND state = 'done' AND called_ms IS NOT NULL AND center_id <> ?2
         ORDER BY finished_ms DESC LIMIT 200",
    )?;
    let province_recent: Vec<f64> = province
        .query_map(params![field_id, center_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let prior = estimate::province_prior_minutes(&province_recent);
    Ok((
        estimate::learned_service_minutes_weighted(&durations, prior, prior_weight),
        durations.len() as u32,
    ))
}

/// How long what was learned of a field is used before it is read again.
pub const FIELD_MODEL_TTL_MS: i64 = 5 * 60_000;
/// Finished tickets of a field (province-wide) a field's model learns from.
const FIELD_MODEL_SAMPLE: u32 = 1000;
/// Of those, the most recent per procedure.
const FIELD_MODEL_PER_PROCEDURE: usize = 100;

/// What the province's recent finished tickets of a field teach every estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldModel {
    /// Each procedure's service time relative to the field's
    /// (`estimate::procedure_factor`); a procedure missing has none learned: factor 1.
    pub procedure_factors: HashMap<i64, f64>,
    /// How many samples the province's mean counts for in a center's learned mean
    /// (`estimate::center_prior_weight`).
    pub center_prior_weight: f64,
}

impl Default for FieldModel {
    fn default() -> Self {
        FieldModel {
            procedure_factors: HashMap::new(),
            center_prior_weight: estimate::PRIOR_WEIGHT,
        }
    }
}

/// The [`FieldModel`] of each field, learned from the province's recent finished tickets
/// of the field and kept for [`FIELD_MODEL_TTL_MS`]: every estimate at every center reads
/// them, and they move slowly.
#[derive(Debug, Default)]
pub struct FieldLearning {
    by_field: std::sync::Mutex<HashMap<i64, (i64, Arc<FieldModel>)>>,
}

impl FieldLearning {
    /// What was learned of a field.
    pub fn of_field(
        &self,
        conn: &Connection,
        field_id: i64,
        now_ms: i64,
    ) -> rusqlite::Result<Arc<FieldModel>> {
        if let Some((at, model)) = self
            .by_field
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&field_id)
        {
            if now_ms - at < FIELD_MODEL_TTL_MS && now_ms >= *at {
                return Ok(model.clone());
            }
        }
        let rows: Vec<FinishedRow> = conn
            .prepare_cached(
                "SELECT procedure_id, center_id, (finished_ms - called_ms) / 60000.0 FROM tickets
                 WHERE field_id = ?1 AND state = 'done' AND called_ms IS NOT NULL
                 ORDER BY finished_ms DESC LIMIT ?2",
            )?
            .query_map(params![field_id, FIELD_MODEL_SAMPLE], |r| {
                Ok(FinishedRow {
                    procedure_id: r.get(0)?,
                    center_id: r.get(1)?,
                    minutes: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let model = Arc::new(field_model_from(&rows));
        self.by_field
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(field_id, (now_ms, model.clone()));
        Ok(model)
    }
}

/// A finished ticket of a field, as its model learns from it.
#[derive(Debug, Clone, Copy)]
struct FinishedRow {
    procedure_id: i64,
    center_id: i64,
    minutes: f64,
}

/// A field's model from its finished tickets, newest first: each procedure's factor from
/// its [`FIELD_MODEL_PER_PROCEDURE`] most recent, and the centers' prior weight from each
/// center's [`CENTER_RECENT`] most recent (what its learned mean reads).
fn field_model_from(rows: &[FinishedRow]) -> FieldModel {
    if rows.is_empty() {
        return FieldModel::default();
    }
    let field_mean = rows
        .iter()
        .map(|r| r.minutes.clamp(0.5, 120.0))
        .sum::<f64>()
        / rows.len() as f64;
    let mut by_procedure: HashMap<i64, Vec<f64>> = HashMap::new();
    let mut by_center: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for r in rows {
        let recent = by_procedure.entry(r.procedure_id).or_default();
        if recent.len() < FIELD_MODEL_PER_PROCEDURE {
            recent.push(r.minutes);
        }
        let recent = by_center.entry(r.center_id).or_default();
        if recent.len() < CENTER_RECENT {
            recent.push(r.minutes);
        }
    }
    let centers: Vec<&[f64]> = by_center.values().map(Vec::as_slice).collect();
    FieldModel {
        procedure_factors: by_procedure
            .into_iter()
            .map(|(procedure, recent)| (procedure, estimate::procedure_factor(&recent, field_mean)))
            .collect(),
        center_prior_weight: estimate::center_prior_weight(&centers),
    }
}

/// Open and busy counters serving a field at a center.
pub fn counter_load(
    conn: &Connection,
    dir: &Directory,
    center_id: i64,
    field_id: i64,
) -> rusqlite::Result<(u32, u32, u32)> {
    let mut open = 0;
    let mut busy = 0;
    let mut configured = 0;
    let mut is_open =
        conn.prepare_cached("SELECT 1 FROM counter_sessions WHERE counter_id = ?1")?;
    let mut is_busy = conn.prepare_cached(
        "SELECT 1 FROM tickets WHERE counter_id = ?1 AND state IN ('called', 'serving') LIMIT 1",
    )?;
    for counter in dir.counters_for(center_id, field_id) {
        configured += 1;
        if is_open.exists([counter.id])? {
            open += 1;
            if is_busy.exists([counter.id])? {
                busy += 1;
            }
        }
    }
    Ok((open, busy, configured))
}

/// The wait estimate for someone with `people_ahead` in (center, field), taking their
/// place now.
pub fn estimate_for(
    conn: &Connection,
    state: &AppState,
    center_id: i64,
    field_id: i64,
    people_ahead: u32,
) -> rusqlite::Result<wire::WaitEstimate> {
    let now = state.now_ms();
    Ok(estimate_with_model(conn, state, center_id, field_id, people_ahead, now)?.0)
}

/// The estimate shown, and the model's minutes (stored with a new ticket so that the
/// calibration data keeps accumulating; see `estimate::calibration_factor`).
///
/// The model is the projection of `estimate::projected_wait_minutes`: the center's open
/// counters (busy until their current ticket's expected end), its waiting tickets of every
/// field, the remote tickets on their way and the arrivals expected from the last hour
/// are replayed through the call policy (`policy::choose_next_across`) until the
/// newcomer is called. The newcomer is a normal ticket of `field_id` with `people_ahead`
/// tickets of its field ahead of it (the oldest waiting ones, then remote tickets due
/// before it), taking its place at `place_ms` (now, or the arrival of a remote ticket).
/// With no counter of the field open, the closed form over the configured counters.
pub fn estimate_with_model(
    conn: &Connection,
    state: &AppState,
    center_id: i64,
    field_id: i64,
    people_ahead: u32,
    place_ms: i64,
) -> rusqlite::Result<(wire::WaitEstimate, Option<f64>)> {
    let dir = &state.dir;
    let now = state.now_ms();
    let (open_here, busy_here, configured) = counter_load(conn, dir, center_id, field_id)?;
    let weight = state
        .field_learning
        .of_field(conn, field_id, now)?
        .center_prior_weight;
    let (own_service, samples) = service_minutes(conn, center_id, field_id, weight)?;
    let load = QueueLoad {
        people_ahead,
        counters_open: open_here,
        counters_busy: busy_here,
        counters_configured: configured,
        service_min: own_service,
        samples,
    };
    let raw = if open_here == 0 {
        // No counter of the field is open: the configured ones are expected to open.
        estimate::estimate(load)
    } else {
        let point = projected_minutes(
            conn,
            state,
            center_id,
            field_id,
            people_ahead,
            now,
            place_ms,
        )?;
        estimate::estimate_around(load, point)
    };
    Ok((
        wire::WaitEstimate {
            people_ahead,
            minutes: raw.minutes,
            low_minutes: raw.low,
            high_minutes: raw.high,
            counters_open: open_here,
        },
        raw.minutes.map(f64::from),
    ))
}

/// The projection's inputs read from the store; see [`estimate_with_model`].
fn projected_minutes(
    conn: &Connection,
    state: &AppState,
    center_id: i64,
    field_id: i64,
    people_ahead: u32,
    now: i64,
    place_ms: i64,
) -> rusqlite::Result<Option<f64>> {
    let dir = &state.dir;
    // No ticket yet today: an empty queue (no day matches the empty string).
    let day = business_day_of_center_queue(conn, center_id)?.unwrap_or_default();
    let candidate = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Candidate> {
        Ok(Candidate {
            id: r.get(0)?,
            field_id: r.get(1)?,
            priority: r.get(2)?,
            queue_at_ms: r.get(3)?,
            target_counter: r.get(4)?,
        })
    };
    // Live tickets, each with its procedure (for its expected service).
    let tickets_in = |states: &str| -> rusqlite::Result<Vec<(Candidate, i64)>> {
        let sql = format!(
            "SELECT id, field_id, priority IS NOT NULL, queue_ms, target_counter_id, procedure_id
             FROM tickets WHERE center_id = ?1 AND business_day = ?2 AND state IN ({states})"
        );
        conn.prepare_cached(&sql)?
            .query_map(params![center_id, day], |r| Ok((candidate(r)?, r.get(5)?)))?
            .collect()
    };
    let waiting_rows = tickets_in("'waiting'")?;
    let remote_rows = tickets_in("'remote'")?;
    // Open counters: their fields, the priority run, and when they are expected free.
    let mut services: std::collections::HashMap<i64, f64> = std::collections::HashMap::new();
    let mut service_of = |f: i64| -> rusqlite::Result<f64> {
        if let Some(s) = services.get(&f) {
            return Ok(*s);
        }
        let weight = state
            .field_learning
            .of_field(conn, f, now)?
            .center_prior_weight;
        let s = service_minutes(conn, center_id, f, weight)?.0;
        services.insert(f, s);
        Ok(s)
    };
    let mut session = conn.prepare_cached(
        "SELECT consecutive_priority FROM counter_sessions WHERE counter_id = ?1",
    )?;
    let mut current = conn.prepare_cached(
        "SELECT field_id, called_ms, procedure_id FROM tickets WHERE counter_id = ?1 AND state IN ('called', 'serving')
         ORDER BY called_ms DESC LIMIT 1",
    )?;
    // A ticket's expected service is its center's field mean times its procedure's
    // factor, learned province-wide.
    let learning = &state.field_learning;
    let factor_of = |field: i64, procedure: i64| -> rusqlite::Result<f64> {
        Ok(learning
            .of_field(conn, field, now)?
            .procedure_factors
            .get(&procedure)
            .copied()
            .unwrap_or(1.0))
    };
    let mut counters = Vec::new();
    for c in dir.counters_of(center_id) {
        let Some(run) = session
            .query_row([c.id], |r| r.get::<_, u32>(0))
            .optional()?
        else {
            continue;
        };
        let busy: Option<(i64, Option<i64>, i64)> = current
            .query_row([c.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let free_at_ms = match busy {
            Some((f, called, procedure)) => estimate::busy_until_ms(
                called.unwrap_or(now),
                service_of(f)? * factor_of(f, procedure)?,
                now,
            ),
            None => now,
        };
        counters.push(estimate::OpenCounter {
            counter_id: c.id,
            fields: c.fields.as_slice(),
            free_at_ms,
            consecutive_priority: run,
        });
    }
    // The waiting queue, with only the `people_ahead` first of the newcomer's own field.
    let mut waiting: Vec<Candidate> = waiting_rows.iter().map(|(t, _)| *t).collect();
    let mut own: Vec<Candidate> = waiting
        .iter()
        .filter(|t| t.field_id == field_id && t.target_counter.is_none())
        .copied()
        .collect();
    own.sort_by_key(|t| (!t.priority, t.queue_at_ms, t.id));
    own.truncate(people_ahead as usize);
    waiting.retain(|t| t.field_id != field_id || t.target_counter.is_some());
    let mut place = place_ms.max(now);
    for t in &own {
        place = place.max(t.queue_at_ms);
    }
    // Ahead but not waiting yet: remote tickets due before the newcomer.
    let missing = people_ahead as usize - own.len();
    waiting.extend(own);
    waiting.extend((0..missing).map(|k| Candidate {
        id: -1_000_000 - k as i64,
        field_id,
        priority: false,
        queue_at_ms: now,
        target_counter: None,
    }));
    // Remote tickets of the other fields arrive at their place; then the last hour again.
    let due: Vec<Candidate> = remote_rows
        .iter()
        .map(|(t, _)| *t)
        .filter(|t| t.field_id != field_id)
        .collect();
    let recent: Vec<Candidate> = conn
        .prepare_cached(
            "SELECT id, field_id, priority IS NOT NULL, queue_ms, target_counter_id FROM tickets
             WHERE center_id = ?1 AND business_day = ?2 AND queue_ms > ?3 AND queue_ms <= ?4",
        )?
        .query_map(
            params![
                center_id,
                day,
                now - estimate::ARRIVAL_WINDOW_MIN * 60_000,
                now
            ],
            candidate,
        )?
        .collect::<Result<_, _>>()?;
    let expected = estimate::expected_arrivals(
        &recent,
        now,
        estimate::ARRIVAL_WINDOW_MIN,
        estimate::ARRIVAL_REPEATS,
    );
    let mut fields: Vec<i64> = counters
        .iter()
        .flat_map(|c| c.fields.iter().copied())
        .collect();
    fields.sort_unstable();
    fields.dedup();
    let mut known = Vec::with_capacity(fields.len());
    for f in fields {
        known.push((f, service_of(f)?));
    }
    let own_service = service_of(field_id)?;
    // The procedure factor of every ticket the replay may call (expected arrivals, which
    // stand for citizens not known yet, take their field's mean).
    let mut ticket_factor: HashMap<i64, f64> = HashMap::new();
    for (t, procedure) in waiting_rows.iter().chain(&remote_rows) {
        ticket_factor.insert(t.id, factor_of(t.field_id, *procedure)?);
    }
    let targets = &dir.targets;
    Ok(estimate::projected_wait_minutes(
        estimate::Projection {
            now_ms: now,
            policy: state.settings.policy,
            targets,
            counters: &counters,
            waiting: &waiting,
            due: &due,
            expected: &expected,
        },
        Candidate {
            id: i64::MAX,
            field_id,
            priority: false,
            queue_at_ms: place,
            target_counter: None,
        },
        |t| {
            let field_mean = known
                .iter()
                .find(|(g, _)| *g == t.field_id)
                .map_or(own_service, |(_, s)| *s);
            field_mean * ticket_factor.get(&t.id).copied().unwrap_or(1.0)
        },
    ))
}

/// The business day of the center's open queue: the latest day with a ticket (today in
/// practice). Read from the data so that the estimate needs no clock.
fn business_day_of_center_queue(
    conn: &Connection,
    center_id: i64,
) -> rusqlite::Result<Option<String>> {
    // ORDER BY … LIMIT 1 walks the (center, day, state) index from its end.
    conn.prepare_cached(
        "SELECT business_day FROM tickets WHERE center_id = ?1 ORDER BY business_day DESC LIMIT 1",
    )?
    .query_row([center_id], |r| r.get(0))
    .optional()
}

/// Stores the model's estimate with a new ticket, for the calibration.
fn store_model_wait(conn: &Connection, ticket_id: i64, model: Option<f64>) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE tickets SET model_wait_min = ?2 WHERE id = ?1")?
        .execute(params![ticket_id, model])?;
    Ok(())
}

/// People ahead of a new ticket (or of an existing one issued at `before_ms`).
pub fn people_ahead(
    conn: &Connection,
    center_id: i64,
    field_id: i64,
    day: &str,
    priority: bool,
    before_ms: Option<i64>,
) -> rusqlite::Result<u32> {
    // A priority ticket only queues behind earlier priority tickets; a normal ticket
    // behind every priority ticket and earlier normal ones.
    let sql =
        "SELECT COUNT(*) FROM tickets WHERE center_id = ?1 AND field_id = ?2 AND business_day = ?3
               AND state = 'waiting'
               AND ((priority IS NOT NULL AND (?4 = 0 OR queue_ms < ?5))
                 OR (priority IS NULL AND ?4 = 0 AND queue_ms < ?5))";
    conn.prepare_cached(sql)?.query_row(
        params![
            center_id,
            field_id,
            day,
            priority,
            before_ms.unwrap_or(i64::MAX)
        ],
        |r| r.get(0),
    )
}

/// Procedure facts the engine needs.
#[derive(Debug, Clone)]
pub struct ProcedureFacts {
    pub id: i64,
    pub field_id: i64,
    pub provincial: bool,
    pub non_territorial: bool,
}

pub fn procedure_facts(conn: &Connection, id: i64) -> ApiResult<ProcedureFacts> {
    conn.query_row(
        "SELECT id, field_id, level, non_territorial FROM procedures WHERE id = ?1",
        [id],
        |r| {
            Ok(ProcedureFacts {
                id: r.get(0)?,
                field_id: r.get(1)?,
                provincial: r.get::<_, String>(2)? == "provincial",
                non_territorial: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| ApiError::NotFound(format!("no procedure {id}")))
}

/// Whether a center may take a procedure: non-territorial ones anywhere that has a
/// counter for the field; territorial ones only at a center of their own level.
pub fn eligible(dir: &Directory, center_id: i64, p: &ProcedureFacts) -> bool {
    let Some(center) = dir.center(center_id) else {
        return false;
    };
    let level_ok = p.non_territorial || p.provincial == center.provincial;
    level_ok && dir.counters_for(center_id, p.field_id).next().is_some()
}

/// Suggestions of faster centers for a procedure at `center_id`.
pub fn suggestions_for(
    state: &AppState,
    conn: &Connection,
    center_id: i64,
    p: &ProcedureFacts,
    stay: &wire::WaitEstimate,
) -> rusqlite::Result<Vec<wire::Suggestion>> {
    let dir = &state.dir;
    let Some(here) = dir.center(center_id) else {
        return Ok(vec![]);
    };
    let day = business_day(state.now_ms()).to_string();
    let mut alternatives = Vec::new();
    let mut estimates = std::collections::HashMap::new();
    for c in dir.centers.iter().filter(|c| c.id != center_id) {
        let serves = eligible(dir, c.id, p);
        if !serves || !state.is_open(c) {
            continue;
        }
        // A center with no practical route (an island) is never suggested.
        let Some(travel) = dir.travel_minutes(&state.settings.travel, here.id, c.id) else {
            continue;
        };
        // Remote tickets due there before this citizen could arrive will stand ahead of
        // them: counting them keeps a crowd from being sent to the same quiet center.
        let arrival_ms = state.now_ms() + (travel * 60_000.0) as i64;
        let ahead = people_ahead(conn, c.id, p.field_id, &day, false, None)?
            + remote_due_before(conn, c.id, p.field_id, &day, arrival_ms)?;
        let e = estimate_with_model(conn, state, c.id, p.field_id, ahead, arrival_ms)?.0;
        alternatives.push(Alternative {
            center_id: c.id,
            open: true,
            serves_field: true,
            travel_min: travel,
            wait_min: e.minutes.map(f64::from),
        });
        estimates.insert(c.id, (e, travel));
    }
    let picks = suggest::suggest(
        stay.minutes.map(f64::from),
        p.non_territorial,
        &alternatives,
        state.settings.thresholds,
    );
    Ok(picks
        .into_iter()
        .filter_map(|pick| {
            let c = dir.center(pick.center_id)?;
            let (wait, travel) = estimates.remove(&pick.center_id)?;
            Some(wire::Suggestion {
                center_id: c.id,
                center_name: c.name.clone(),
                address: c.address.clone(),
                travel_minutes: travel.round() as u32,
                wait,
                saving_minutes: pick.saving_min.round() as u32,
            })
        })
        .collect())
}

fn new_secret() -> String {
    // 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 36 bits.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The outcome of issuing.
pub struct Issued {
    pub ticket: TicketRow,
    pub wait: wire::WaitEstimate,
}

/// The center that takes tickets now: 404 for an unknown id, 409 `center_closed` with its
/// opening hours outside them.
fn open_center(state: &AppState, center_id: i64) -> ApiResult<Center> {
    let center = state
        .dir
        .center(center_id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {center_id}")))?;
    if !state.is_open(center) {
        return Err(ApiError::conflict(
            "center_closed",
            format!(
                "{} is closed now; opening hours: {}",
                center.name, center.hours_text
            ),
        ));
    }
    Ok(center.clone())
}

/// Issues a ticket at `center_id` (the kiosk's center, or another center the citizen
/// chose). Numbers are consecutive per (center, series, day): the next sequence is
/// read and written inside the single writer's transaction, so no two issues race.
pub async fn issue_ticket(
    state: &AppState,
    actor: Actor,
    center_id: i64,
    procedure_id: i64,
    priority: Option<wire::PriorityReason>,
) -> ApiResult<Issued> {
    let center = open_center(state, center_id)?;
    let st = state.clone();
    let issued = state
        .store
        .write(move |conn| -> ApiResult<Issued> {
            let dir = &st.dir;
            let p = procedure_facts(conn, procedure_id)?;
            if !eligible(dir, center_id, &p) {
                return Err(ApiError::unprocessable(
                    "not_eligible",
                    format!("procedure {procedure_id} cannot be filed at {}", center.name),
                ));
            }
            let field = dir.field(p.field_id).ok_or_else(|| ApiError::Internal("field missing".into()))?;
            let now = st.now_ms();
            let day = business_day(now).to_string();
            let seq: u32 = conn
                .prepare_cached(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE center_id = ?1 AND series = ?2 AND business_day = ?3",
                )?
                .query_row(params![center_id, field.series, day], |r| r.get(0))?;
            let number = ticket::ticket_number(field.series, seq)?;
            let ahead = people_ahead(conn, center_id, p.field_id, &day, priority.is_some(), None)?;
            conn.prepare_cached(
                "INSERT INTO tickets (center_id, field_id, procedure_id, business_day, series, seq, number, priority,
                     state, issued_ms, queue_ms, secret, kiosk_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'waiting', ?9, ?9, ?10, ?11)",
            )?
            .execute(params![
                center_id,
                p.field_id,
                p.id,
                day,
                field.series,
                seq,
                number,
                priority.map(priority_to_str),
                now,
                new_secret(),
                actor.kiosk()
            ])?;
            let id = conn.last_insert_rowid();
            log_event(conn, id, now, actor, "issue", None, TicketState::Waiting, None, None)?;
            let (wait, model) = estimate_with_model(conn, &st, center_id, p.field_id, ahead, now)?;
            store_model_wait(conn, id, model)?;
            Ok(Issued { ticket: load_ticket(conn, id)?, wait })
        })
        .await?;
    publish(state, "issued", &issued.ticket).await;
    Ok(issued)
}

/// Publishes a ticket change to SSE subscribers of its center and of the province.
pub async fn publish(state: &AppState, kind: &str, t: &TicketRow) {
    if state.events.receiver_count() == 0 {
        return;
    }
    let center_id = t.center_id;
    let day = t.business_day.clone();
    let waiting = state
        .store
        .read(move |conn| waiting_by_field(conn, center_id, &day).map_err(ApiError::from))
        .await
        .unwrap_or_default();
    let event = crate::api::events::QueueEvent {
        kind: kind.to_string(),
        center_id,
        at: rfc3339(state.now_ms()),
        ticket: Some(ticket_to_wire(&state.dir, t)),
        waiting_by_field: waiting
            .into_iter()
            .map(|(field_id, waiting)| crate::api::events::FieldWaiting { field_id, waiting })
            .collect(),
    };
    if let Ok(json) = serde_json::to_string(&event) {
        let _ = state.events.send(Published {
            center_id,
            json: Arc::from(json),
        });
    }
}

/// A counter action requested by a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterAction {
    Recall,
    NoShow,
    Start,
    Finish { rating: Option<&'static str> },
    TransferToField(i64),
    TransferToCounter(i64),
    Cancel,
}

/// Opens a counter for an account (the officer sits down at it).
pub async fn open_counter(state: &AppState, account_id: i64, counter_id: i64) -> ApiResult<()> {
    let now = state.now_ms();
    state
        .store
        .write(move |conn| -> ApiResult<()> {
            let holder: Option<i64> = conn
                .query_row("SELECT account_id FROM counter_sessions WHERE counter_id = ?1", [counter_id], |r| r.get(0))
                .optional()?;
            match holder {
                Some(h) if h == account_id => Ok(()),
                Some(_) => Err(ApiError::conflict("counter_taken", format!("counter {counter_id} is held by another officer"))),
                None => {
                    // An officer holds one counter at a time: moving releases the old one.
                    conn.execute("DELETE FROM counter_sessions WHERE account_id = ?1", [account_id])?;
                    conn.execute(
                        "INSERT INTO counter_sessions (counter_id, account_id, opened_ms) VALUES (?1, ?2, ?3)",
                        params![counter_id, account_id, now],
                    )?;
                    Ok(())
                }
            }
        })
        .await
}

/// Closes a counter the account holds.
pub async fn close_counter(state: &AppState, account_id: i64, counter_id: i64) -> ApiResult<()> {
    state
        .store
        .write(move |conn| -> ApiResult<()> {
            let busy: bool = conn
                .prepare_cached("SELECT 1 FROM tickets WHERE counter_id = ?1 AND state IN ('called', 'serving')")?
                .exists([counter_id])?;
            if busy {
                return Err(ApiError::conflict("counter_busy", "finish, transfer or mark no-show of the current ticket first"));
            }
            let n = conn.execute(
                "DELETE FROM counter_sessions WHERE counter_id = ?1 AND account_id = ?2",
                params![counter_id, account_id],
            )?;
            if n == 0 {
                return Err(ApiError::conflict("counter_not_held", format!("you do not hold counter {counter_id}")));
            }
            Ok(())
        })
        .await
}

fn ensure_holder(conn: &Connection, counter_id: i64, account_id: i64, now: i64) -> ApiResult<u32> {
    let row: Option<(i64, u32)> = conn
        .query_row(
            "SELECT account_id, consecutive_priority FROM counter_sessions WHERE counter_id = ?1",
            [counter_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((holder, run)) if holder == account_id => Ok(run),
        Some(_) => Err(ApiError::conflict(
            "counter_taken",
            format!("counter {counter_id} is held by another officer"),
        )),
        None => {
            conn.execute(
                "DELETE FROM counter_sessions WHERE account_id = ?1",
                [account_id],
            )?;
            conn.execute(
                "INSERT INTO counter_sessions (counter_id, account_id, opened_ms) VALUES (?1, ?2, ?3)",
                params![counter_id, account_id, now],
            )?;
            Ok(0)
        }
    }
}

/// Calls the next ticket to a counter; `None` when nobody it may serve is waiting.
pub async fn call_next(
    state: &AppState,
    account_id: i64,
    counter_id: i64,
) -> ApiResult<Option<TicketRow>> {
    let st = state.clone();
    let called = state
        .store
        .write(move |conn| -> ApiResult<Option<TicketRow>> {
            let dir = &st.dir;
            let counter = dir.counter(counter_id).ok_or_else(|| ApiError::NotFound(format!("no counter {counter_id}")))?;
            let now = st.now_ms();
            let run = ensure_holder(conn, counter_id, account_id, now)?;
            let current: Option<(u32, String)> = conn
                .query_row(
                    "SELECT number, state FROM tickets WHERE counter_id = ?1 AND state IN ('called', 'serving')",
                    [counter_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((number, st)) = current {
                return Err(ApiError::conflict(
                    "counter_busy",
                    format!("counter {} still has ticket {number} ({st}); finish, transfer or mark no-show first", counter.number),
                ));
            }
            let day = business_day(now).to_string();
            let mut stmt = conn.prepare_cached(
                "SELECT id, field_id, priority IS NOT NULL, queue_ms, target_counter_id FROM tickets
                 WHERE center_id = ?1 AND business_day = ?2 AND state = 'waiting'",
            )?;
            let waiting: Vec<Candidate> = stmt
                .query_map(params![counter.center_id, day], |r| {
                    Ok(Candidate {
                        id: r.get(0)?,
                        field_id: r.get(1)?,
                        priority: r.get(2)?,
                        queue_at_ms: r.get(3)?,
                        target_counter: r.get(4)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            let calling = CallingCounter { counter_id, fields: &counter.fields, consecutive_priority: run };
            let Some(choice) = choose_next_across(st.settings.policy, calling, &waiting, now, &dir.targets) else {
                return Ok(None);
            };
            let next = transition(TicketState::Waiting, Action::Call)?;
            conn.execute(
                "UPDATE tickets SET state = ?2, counter_id = ?3, target_counter_id = NULL, called_ms = ?4 WHERE id = ?1",
                params![choice.ticket_id, next.as_str(), counter_id, now],
            )?;
            conn.execute(
                "UPDATE counter_sessions SET consecutive_priority = ?2 WHERE counter_id = ?1",
                params![counter_id, choice.consecutive_priority],
            )?;
            log_event(conn, choice.ticket_id, now, Actor::Account(account_id), "call", Some(TicketState::Waiting), next, Some(counter_id), None)?;
            Ok(Some(load_ticket(conn, choice.ticket_id)?))
        })
        .await?;
    if let Some(t) = &called {
        publish(state, "called", t).await;
    }
    Ok(called)
}

/// Applies a counter action to a ticket at that counter (or, for cancel, waiting at its center).
pub async fn counter_action(
    state: &AppState,
    account_id: i64,
    counter_id: i64,
    ticket_id: i64,
    action: CounterAction,
) -> ApiResult<TicketRow> {
    let st = state.clone();
    let (row, kind) = state
        .store
        .write(move |conn| -> ApiResult<(TicketRow, &'static str)> {
            let dir = &st.dir;
            let counter = dir.counter(counter_id).ok_or_else(|| ApiError::NotFound(format!("no counter {counter_id}")))?;
            let now = st.now_ms();
            let t = load_ticket(conn, ticket_id)?;
            if t.center_id != counter.center_id {
                return Err(ApiError::NotFound(format!("no ticket {ticket_id} at this center")));
            }
            let at_this_counter = t.counter_id == Some(counter_id);
            let (core_action, kind) = match action {
                CounterAction::Recall => (Action::Recall, "recalled"),
                CounterAction::NoShow => (Action::NoShow, "no_show"),
                CounterAction::Start => (Action::Start, "started"),
                CounterAction::Finish { .. } => (Action::Finish, "finished"),
                CounterAction::TransferToField(_) | CounterAction::TransferToCounter(_) => (Action::Transfer, "transferred"),
                CounterAction::Cancel => (Action::Cancel, "cancelled"),
            };
            let next = transition(t.state, core_action)?;
            // Only the counter that called a ticket may act on it; a waiting ticket may be
            // cancelled by any counter of its center.
            if t.state != TicketState::Waiting && !at_this_counter {
                return Err(ApiError::conflict(
                    "not_at_this_counter",
                    format!("ticket {} is not at counter {}", t.number, counter.number),
                ));
            }
            ensure_holder(conn, counter_id, account_id, now)?;
            let mut detail = None;
            match action {
                CounterAction::Recall => {
                    conn.execute("UPDATE tickets SET recall_count = recall_count + 1, called_ms = ?2 WHERE id = ?1", params![ticket_id, now])?;
                }
                CounterAction::NoShow | CounterAction::Cancel => {
                    conn.execute("UPDATE tickets SET state = ?2, finished_ms = ?3 WHERE id = ?1", params![ticket_id, next.as_str(), now])?;
                }
                CounterAction::Start => {
                    conn.execute("UPDATE tickets SET state = ?2, started_ms = ?3 WHERE id = ?1", params![ticket_id, next.as_str(), now])?;
                }
                CounterAction::Finish { rating } => {
                    conn.execute(
                        "UPDATE tickets SET state = ?2, finished_ms = ?3, rating = ?4 WHERE id = ?1",
                        params![ticket_id, next.as_str(), now, rating],
                    )?;
                    detail = rating.map(|r| format!("rating={r}"));
                }
                CounterAction::TransferToField(field_id) => {
                    let field = dir.field(field_id).ok_or_else(|| ApiError::NotFound(format!("no field {field_id}")))?;
                    if dir.counters_for(t.center_id, field_id).next().is_none() {
                        return Err(ApiError::unprocessable("field_not_served", format!("no counter of this center serves {}", field.name_vi)));
                    }
                    // The ticket keeps its number and its place (queue_ms = issue time).
                    conn.execute(
                        "UPDATE tickets SET state = ?2, field_id = ?3, counter_id = NULL, target_counter_id = NULL WHERE id = ?1",
                        params![ticket_id, next.as_str(), field_id],
                    )?;
                    detail = Some(format!("to_field={}", field.code));
                }
                CounterAction::TransferToCounter(target) => {
                    let tc = dir.counter(target).ok_or_else(|| ApiError::NotFound(format!("no counter {target}")))?;
                    if tc.center_id != t.center_id || target == counter_id {
                        return Err(ApiError::unprocessable("bad_target", "transfer to another counter of the same center"));
                    }
                    conn.execute(
                        "UPDATE tickets SET state = ?2, counter_id = NULL, target_counter_id = ?3 WHERE id = ?1",
                        params![ticket_id, next.as_str(), target],
                    )?;
                    detail = Some(format!("to_counter={}", tc.number));
                }
            }
            log_event(conn, ticket_id, now, Actor::Account(account_id), core_action.as_str(), Some(t.state), next, Some(counter_id), detail.as_deref())?;
            Ok((load_ticket(conn, ticket_id)?, kind))
        })
        .await?;
    publish(state, kind, &row).await;
    Ok(row)
}

/// Expires every open ticket of an earlier business day (the daily reset). Returns how
/// many tickets were expired. Safe to run at any time; runs at start-up and each minute.
pub async fn daily_reset(state: &AppState) -> ApiResult<usize> {
    let now = state.now_ms();
    let today = business_day(now).to_string();
    state
        .store
        .write(move |conn| -> ApiResult<usize> {
            let mut stmt = conn.prepare(
                "SELECT id, state, counter_id FROM tickets
                 WHERE business_day < ?1 AND state IN ('waiting', 'called', 'serving', 'remote')",
            )?;
            let stale: Vec<(i64, String, Option<i64>)> = stmt
                .query_map([&today], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            for (id, st, counter) in &stale {
                let from = TicketState::parse(st).unwrap_or(TicketState::Waiting);
                let next = transition(from, Action::Expire)?;
                conn.execute(
                    "UPDATE tickets SET state = ?2, finished_ms = ?3 WHERE id = ?1",
                    params![id, next.as_str(), now],
                )?;
                log_event(
                    conn,
                    *id,
                    now,
                    Actor::System,
                    "expire",
                    Some(from),
                    next,
                    *counter,
                    Some("daily reset"),
                )?;
            }
            if !stale.is_empty() {
                conn.execute("UPDATE counter_sessions SET consecutive_priority = 0", [])?;
            }
            Ok(stale.len())
        })
        .await
}

/// Minutes a remote ticket stays valid after its expected arrival by default (the server's
/// `--check-in-window-min`): enough for a missed bus or a parking search, short enough
/// that a place is not held all morning.
pub const REMOTE_CHECK_IN_GRACE_MIN: i64 = 30;

/// Remote tickets of (center, field) not yet checked in whose place (`queue_ms`) comes
/// before `before_ms` and whose check-in window is still open.
pub fn remote_due_before(
    conn: &Connection,
    center_id: i64,
    field_id: i64,
    day: &str,
    before_ms: i64,
) -> rusqlite::Result<u32> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM tickets WHERE center_id = ?1 AND field_id = ?2 AND business_day = ?3
           AND state = 'remote' AND queue_ms < ?4",
    )?
    .query_row(params![center_id, field_id, day, before_ms], |r| r.get(0))
}

/// A remote ticket as issued: the ticket, the wait expected on arrival, and the facts
/// printed on it.
pub struct RemoteIssued {
    pub issued: Issued,
    pub travel_min: i64,
    pub check_in_deadline_ms: i64,
    /// Where and by when to check in, as the kiosk shows and prints it.
    pub remote: wire::RemoteTicket,
}

/// A center as named to a citizen who has to go there.
pub fn center_ref(dir: &Directory, center_id: i64) -> wire::CenterRef {
    let center = dir.center(center_id);
    wire::CenterRef {
        id: center_id,
        name: center.map(|c| c.name.clone()).unwrap_or_default(),
        address: center.map(|c| c.address.clone()).unwrap_or_default(),
    }
}

/// The remote facts of a ticket issued for another center than the issuing kiosk's;
/// `None` for a ticket issued where it is served.
pub fn remote_ticket(
    conn: &Connection,
    dir: &Directory,
    t: &TicketRow,
) -> ApiResult<Option<wire::RemoteTicket>> {
    let (origin, travel_min, deadline, checked_in): (
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    ) = conn
        .prepare_cached(
            "SELECT origin_center_id, travel_min, check_in_deadline_ms, checked_in_ms FROM tickets WHERE id = ?1",
        )?
        .query_row([t.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let (Some(origin), Some(deadline)) = (origin, deadline) else {
        return Ok(None);
    };
    Ok(Some(wire::RemoteTicket {
        center: center_ref(dir, t.center_id),
        origin: center_ref(dir, origin),
        travel_minutes: u32::try_from(travel_min.unwrap_or(0)).unwrap_or(0),
        // The place in the queue is the issue time plus travel: the expected arrival.
        expected_arrival: rfc3339(t.queue_ms),
        check_in_deadline: rfc3339(deadline),
        checked_in: checked_in.is_some(),
        checked_in_at: checked_in.map(rfc3339),
    }))
}

/// Issues a remote ticket at the kiosk of `from_center_id` for `to_center_id` (a
/// suggestion the citizen accepted). The ticket belongs to the serving center and takes a
/// number there; its place in the queue is the issue time plus the estimated travel time,
/// so the citizen loses nothing by travelling; it expires if not checked in within the
/// check-in window (`Settings::check_in_window_min`) after that.
pub async fn issue_remote_ticket(
    state: &AppState,
    actor: Actor,
    from_center_id: i64,
    to_center_id: i64,
    procedure_id: i64,
    priority: Option<wire::PriorityReason>,
) -> ApiResult<RemoteIssued> {
    let from = state
        .dir
        .center(from_center_id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {from_center_id}")))?
        .clone();
    let to = open_center(state, to_center_id)?;
    let travel_min = state
        .dir
        .travel_minutes(&state.settings.travel, from.id, to.id)
        .ok_or_else(|| {
            ApiError::conflict(
                "no_route",
                format!(
                    "{} cannot be reached from {} within the day (travel-time table)",
                    to.name, from.name
                ),
            )
        })?
        .ceil() as i64;
    let st = state.clone();
    let remote = state
        .store
        .write(move |conn| -> ApiResult<RemoteIssued> {
            let dir = &st.dir;
            let p = procedure_facts(conn, procedure_id)?;
            // Only a non-territorial procedure may be taken to another center.
            if !p.non_territorial || !eligible(dir, to_center_id, &p) {
                return Err(ApiError::unprocessable(
                    "not_eligible",
                    format!("procedure {procedure_id} cannot be filed at {}", to.name),
                ));
            }
            let field = dir
                .field(p.field_id)
                .ok_or_else(|| ApiError::Internal("field missing".into()))?;
            let now = st.now_ms();
            let day = business_day(now).to_string();
            let queue_ms = now + travel_min * 60_000;
            let deadline = queue_ms + st.settings.check_in_window_min * 60_000;
            let seq: u32 = conn
                .prepare_cached(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE center_id = ?1 AND series = ?2 AND business_day = ?3",
                )?
                .query_row(params![to_center_id, field.series, day], |r| r.get(0))?;
            let number = ticket::ticket_number(field.series, seq)?;
            // Ahead on arrival: those waiting now and the remote tickets due before.
            let ahead = people_ahead(conn, to_center_id, p.field_id, &day, priority.is_some(), None)?
                + remote_due_before(conn, to_center_id, p.field_id, &day, queue_ms)?;
            conn.prepare_cached(
                "INSERT INTO tickets (center_id, field_id, procedure_id, business_day, series, seq, number, priority,
                     state, issued_ms, queue_ms, secret, kiosk_id, origin_center_id, travel_min, check_in_deadline_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'remote', ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                to_center_id,
                p.field_id,
                p.id,
                day,
                field.series,
                seq,
                number,
                priority.map(priority_to_str),
                now,
                queue_ms,
                new_secret(),
                actor.kiosk(),
                from_center_id,
                travel_min,
                deadline
            ])?;
            let id = conn.last_insert_rowid();
            let detail = format!("from_center={from_center_id} travel_min={travel_min}");
            log_event(conn, id, now, actor, "issue", None, TicketState::Remote, None, Some(&detail))?;
            let (wait, model) = estimate_with_model(conn, &st, to_center_id, p.field_id, ahead, queue_ms)?;
            store_model_wait(conn, id, model)?;
            let ticket = load_ticket(conn, id)?;
            let remote = remote_ticket(conn, dir, &ticket)?
                .ok_or_else(|| ApiError::Internal(format!("remote ticket {id} lost its remote facts")))?;
            Ok(RemoteIssued {
                issued: Issued { ticket, wait },
                travel_min,
                check_in_deadline_ms: deadline,
                remote,
            })
        })
        .await?;
    publish(state, "issued", &remote.issued.ticket).await;
    Ok(remote)
}

/// Compares a presented secret with the ticket's in constant time.
pub fn secret_matches(expected: &str, presented: &str) -> bool {
    expected.len() == presented.len()
        && expected
            .bytes()
            .zip(presented.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The answer to a check-in: the ticket as it stands now, and its remote facts (`None`
/// for a ticket that was issued where it is served).
pub struct CheckedIn {
    pub issued: Issued,
    pub remote: Option<wire::RemoteTicket>,
}

fn expired_error(number: u32, window_min: i64) -> ApiError {
    ApiError::conflict(
        "expired",
        format!(
            "ticket {number} expired: it had to be checked in within {window_min} minutes of the expected arrival"
        ),
    )
}

/// Checks a remote ticket in at the kiosk of the center that serves it (the kiosk scanned
/// the ticket's QR). The ticket becomes waiting at the place it was given at issue
/// (`queue_ms` = issue time + travel), whenever within the window the citizen arrives.
/// A ticket already checked in, and a ticket issued at this center, answer their current
/// state unchanged, so a kiosk can show the status of any ticket of its center it scans
/// (and kiosks may retry). A remote ticket past its window is expired (`409 expired`,
/// again on every later scan); a ticket of another center is refused with that center.
pub async fn check_in(
    state: &AppState,
    actor: Actor,
    kiosk_center_id: i64,
    ticket_id: i64,
    secret: String,
) -> ApiResult<CheckedIn> {
    let st = state.clone();
    let (answer, changed) = state
        .store
        .write(move |conn| -> ApiResult<(CheckedIn, bool)> {
            let dir = &st.dir;
            let not_found = || ApiError::NotFound(format!("no ticket {ticket_id} with that secret"));
            let t = load_ticket(conn, ticket_id).map_err(|_| not_found())?;
            if !secret_matches(&t.secret, &secret) {
                return Err(not_found());
            }
            if t.center_id != kiosk_center_id {
                let center = center_ref(dir, t.center_id);
                return Err(ApiError::WrongCenter {
                    message: format!("ticket {} is for {}", t.number, center.name),
                    center,
                });
            }
            let now = st.now_ms();
            let (deadline, checked_in): (Option<i64>, Option<i64>) = conn.query_row(
                "SELECT check_in_deadline_ms, checked_in_ms FROM tickets WHERE id = ?1",
                [ticket_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let ahead_of = |t: &TicketRow| {
                conn.query_row(
                    "SELECT COUNT(*) FROM tickets WHERE center_id = ?1 AND field_id = ?2 AND business_day = ?3 AND state = 'waiting'
                       AND id <> ?6
                       AND ((priority IS NOT NULL AND (?4 = 0 OR queue_ms < ?5)) OR (priority IS NULL AND ?4 = 0 AND queue_ms < ?5))",
                    params![t.center_id, t.field_id, t.business_day, t.priority.is_some(), t.queue_ms, t.id],
                    |r| r.get::<_, u32>(0),
                )
            };
            let (issued, changed) = match t.state {
                TicketState::Remote if deadline.is_some_and(|d| now > d) => {
                    let next = transition(t.state, Action::Expire)?;
                    conn.execute(
                        "UPDATE tickets SET state = ?2, finished_ms = ?3 WHERE id = ?1",
                        params![ticket_id, next.as_str(), now],
                    )?;
                    log_event(conn, ticket_id, now, Actor::System, "expire", Some(t.state), next, None, Some("check-in window passed"))?;
                    // The expiry must stick even though the answer is an error, so it is
                    // reported after this job commits (see below).
                    let wait = estimate_for(conn, &st, t.center_id, t.field_id, 0)?;
                    (Issued { ticket: load_ticket(conn, ticket_id)?, wait }, true)
                }
                TicketState::Remote => {
                    let next = transition(t.state, Action::CheckIn)?;
                    conn.execute(
                        "UPDATE tickets SET state = ?2, checked_in_ms = ?3 WHERE id = ?1",
                        params![ticket_id, next.as_str(), now],
                    )?;
                    log_event(conn, ticket_id, now, actor, "check_in", Some(t.state), next, None, None)?;
                    let t = load_ticket(conn, ticket_id)?;
                    let wait = estimate_for(conn, &st, t.center_id, t.field_id, ahead_of(&t)?)?;
                    (Issued { ticket: t, wait }, true)
                }
                // A remote ticket whose window passed before this scan (an earlier scan or
                // the daily sweep expired it) gets the same answer as the scan that did.
                TicketState::Expired if deadline.is_some() && checked_in.is_none() => {
                    return Err(expired_error(t.number, st.settings.check_in_window_min));
                }
                _ => {
                    let ahead = if t.state == TicketState::Waiting { ahead_of(&t)? } else { 0 };
                    let wait = estimate_for(conn, &st, t.center_id, t.field_id, ahead)?;
                    (Issued { ticket: t, wait }, false)
                }
            };
            let remote = remote_ticket(conn, dir, &issued.ticket)?;
            Ok((CheckedIn { issued, remote }, changed))
        })
        .await?;
    let ticket = &answer.issued.ticket;
    if changed && ticket.state == TicketState::Expired {
        publish(state, "expired", ticket).await;
        return Err(expired_error(
            ticket.number,
            state.settings.check_in_window_min,
        ));
    }
    if changed {
        publish(state, "checked_in", ticket).await;
    }
    Ok(answer)
}

/// Expires remote tickets whose check-in window has passed. Runs with the daily reset.
pub async fn expire_remote(state: &AppState) -> ApiResult<usize> {
    let now = state.now_ms();
    state
        .store
        .write(move |conn| -> ApiResult<usize> {
            let stale: Vec<i64> = conn
                .prepare_cached(
                    "SELECT id FROM tickets WHERE state = 'remote' AND check_in_deadline_ms < ?1",
                )?
                .query_map([now], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in &stale {
                let next = transition(TicketState::Remote, Action::Expire)?;
                conn.execute(
                    "UPDATE tickets SET state = ?2, finished_ms = ?3 WHERE id = ?1",
                    params![id, next.as_str(), now],
                )?;
                log_event(
                    conn,
                    *id,
                    now,
                    Actor::System,
                    "expire",
                    Some(TicketState::Remote),
                    next,
                    None,
                    Some("check-in window passed"),
                )?;
            }
            Ok(stale.len())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(center_id: i64, procedure_id: i64, minutes: &[f64]) -> Vec<FinishedRow> {
        minutes
            .iter()
            .map(|&m| FinishedRow {
                procedure_id,
                center_id,
                minutes: m,
            })
            .collect()
    }

    #[test]
    fn a_field_model_learns_procedures_and_how_much_centers_differ() {
        assert_eq!(field_model_from(&[]), FieldModel::default());
        // Three centers alike (8 ± 3 minutes): the province's mean is worth the most.
        let alike: Vec<FinishedRow> = [1, 2, 3]
            .iter()
            .flat_map(|&c| rows(c, 10, &[5.0, 11.0, 5.0, 11.0, 8.0, 8.0]))
            .collect();
        let model = field_model_from(&alike);
        assert_eq!(
            model.center_prior_weight,
            estimate::CENTER_PRIOR_WEIGHT_RANGE.1
        );
        assert_eq!(model.procedure_factors.len(), 1);
        assert!((model.procedure_factors[&10] - 1.0).abs() < 1e-9);
        // Centers at 4, 8 and 16 minutes: each center's own mean.
        let apart: Vec<FinishedRow> = [(1, 4.0), (2, 8.0), (3, 16.0)]
            .iter()
            .flat_map(|&(c, m)| rows(c, 10, &[m - 0.5, m + 0.5, m, m - 0.5, m + 0.5]))
            .collect();
        assert_eq!(field_model_from(&apart).center_prior_weight, 1.0);
        // Only a center's 30 most recent durations count, as in its learned mean: an old
        // slow spell beyond them does not make the centers look apart.
        let mut recent_alike = alike.clone();
        recent_alike.extend(rows(1, 10, &[8.0; 24]));
        recent_alike.extend(rows(1, 10, &[60.0; 20]));
        let model = field_model_from(&recent_alike);
        assert_eq!(
            model.center_prior_weight,
            estimate::CENTER_PRIOR_WEIGHT_RANGE.1
        );
        // Two procedures: the slow one's factor above one, the quick one's below.
        let mut two = rows(1, 10, &[12.0; 20]);
        two.extend(rows(2, 11, &[4.0; 20]));
        two.extend(rows(3, 10, &[12.0; 20]));
        let model = field_model_from(&two);
        assert!(model.procedure_factors[&10] > 1.0);
        assert!(model.procedure_factors[&11] < 1.0);
    }
}
