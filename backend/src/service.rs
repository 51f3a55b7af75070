//! The operations of the queue engine: the pure core applied to rows in SQLite.
//!
//! Each write runs as one job of the store's writer (see `store`), so a ticket's change,
//! its event-log row and the counter's state commit together or not at all.

use std::sync::Arc;

use rand::Rng;
use rusqlite::{params, Connection, OptionalExtension};

use crate::core::clock::{business_day, rfc3339};
use crate::core::estimate::{self, QueueLoad, DEFAULT_SERVICE_MINUTES};
use crate::core::policy::{choose_next, CallingCounter, Candidate};
use crate::core::suggest::{self, Alternative};
use crate::core::ticket::{self, transition, Action, TicketState};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, Directory, Published};

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

/// Learned service minutes and sample count for (center, field).
fn service_minutes(
    conn: &Connection,
    center_id: i64,
    field_id: i64,
) -> rusqlite::Result<(f64, u32)> {
    let mut stmt = conn.prepare_cached(
        "SELECT (finished_ms - called_ms) / 60000.0 FROM tickets
         WHERE center_id = ?1 AND field_id = ?2 AND state = 'done' AND called_ms IS NOT NULL
         ORDER BY finished_ms DESC LIMIT 30",
    )?;
    let durations: Vec<f64> = stmt
        .query_map(params![center_id, field_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok((
        estimate::learned_service_minutes(&durations, DEFAULT_SERVICE_MINUTES),
        durations.len() as u32,
    ))
}

/// Open and busy counters serving a field at a center.
fn counter_load(
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

/// The wait estimate for someone with `people_ahead` in (center, field).
pub fn estimate_for(
    conn: &Connection,
    dir: &Directory,
    center_id: i64,
    field_id: i64,
    people_ahead: u32,
) -> rusqlite::Result<wire::WaitEstimate> {
    let (open, busy, configured) = counter_load(conn, dir, center_id, field_id)?;
    let (service_min, samples) = service_minutes(conn, center_id, field_id)?;
    let e = estimate::estimate(QueueLoad {
        people_ahead,
        counters_open: open,
        counters_busy: busy,
        counters_configured: configured,
        service_min,
        samples,
    });
    Ok(wire::WaitEstimate {
        people_ahead: e.people_ahead,
        minutes: e.minutes,
        low_minutes: e.low,
        high_minutes: e.high,
        counters_open: e.counters_open,
    })
}

/// People ahead of a new ticket (or of an existing one issued at `before_ms`).
fn people_ahead(
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
        let ahead = people_ahead(conn, c.id, p.field_id, &day, false, None)?;
        let e = estimate_for(conn, dir, c.id, p.field_id, ahead)?;
        let travel = state
            .settings
            .travel
            .minutes((here.latitude, here.longitude), (c.latitude, c.longitude));
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
    let center = state
        .dir
        .center(center_id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {center_id}")))?
        .clone();
    if !state.is_open(&center) {
        return Err(ApiError::conflict(
            "center_closed",
            format!(
                "{} is closed now; opening hours: {}",
                center.name, center.hours_text
            ),
        ));
    }
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
            let wait = estimate_for(conn, dir, center_id, p.field_id, ahead)?;
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
            let Some(choice) = choose_next(st.settings.policy, calling, &waiting) else {
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
