//! Staff endpoints: sign-in, counter actions, queue snapshots, catalogue import.

use axum::extract::State;
use axum::http::StatusCode;
use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ClientKey, Json, Path, Role, Staff};
use crate::core::clock::{business_day, rfc3339};
use crate::error::{ApiError, ApiResult};
use crate::service::{self, CounterAction};
use crate::state::AppState;
use crate::store::seed::token_hash;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub center_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: String,
    pub account: Account,
}

/// Sign in with a personal account; the token expires after the configured time.
#[utoipa::path(post, path = "/api/auth/login", tag = "staff", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 429, body = wire::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    if req.username.len() > 100 || req.password.len() > 200 {
        return Err(ApiError::BadRequest("username or password too long".into()));
    }
    if !state
        .limiter
        .allow(&format!("login:{client}"), state.now_ms())
    {
        return Err(ApiError::TooManyRequests(
            "too many sign-in attempts; wait a minute".into(),
        ));
    }
    let username = req.username.clone();
    let row = state
        .store
        .read(move |conn| {
            conn.query_row(
                "SELECT id, username, full_name, role, center_id, password_hash FROM accounts WHERE username = ?1",
                [username],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<i64>>(4)?, r.get::<_, String>(5)?)),
            )
            .optional()
            .map_err(ApiError::from)
        })
        .await?;
    let wrong = || ApiError::Unauthorized("wrong username or password".into());
    let Some((id, username, full_name, role, center_id, hash)) = row else {
        return Err(wrong());
    };
    let password = req.password;
    // argon2 is deliberately slow: verify off the async workers.
    let ok = tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&hash).is_ok_and(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !ok {
        return Err(wrong());
    }
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let now = state.now_ms();
    let expires = now + state.settings.session_ttl_ms;
    let hash = token_hash(&token);
    state
        .store
        .write(move |conn| -> ApiResult<()> {
            conn.execute("DELETE FROM sessions WHERE expires_ms <= ?1", [now])?;
            conn.execute(
                "INSERT INTO sessions (token_hash, account_id, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)",
                params![hash, id, now, expires],
            )?;
            Ok(())
        })
        .await?;
    let role = Role::parse(&role).ok_or_else(|| ApiError::Internal("unknown role".into()))?;
    Ok(Json(LoginResponse {
        token,
        expires_at: rfc3339(expires),
        account: Account {
            id,
            username,
            full_name,
            role,
            center_id,
        },
    }))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/auth/me", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = Account), (status = 401, body = wire::ErrorBody)))]
pub async fn me(staff: Staff) -> Json<Account> {
    Json(Account {
        id: staff.account_id,
        username: staff.username,
        full_name: staff.full_name,
        role: staff.role,
        center_id: staff.center_id,
    })
}

/// A counter in a queue snapshot.
#[derive(Debug, Serialize, ToSchema)]
pub struct CounterView {
    pub id: i64,
    pub number: u32,
    pub field_ids: Vec<i64>,
    pub open: bool,
    /// Name of the officer at the counter (only for signed-in staff).
    pub staff_name: Option<String>,
    pub current: Option<wire::Ticket>,
}

/// A field's queue in a snapshot.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldQueue {
    pub field_id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub series: u8,
    pub waiting: u32,
    pub wait: wire::WaitEstimate,
}

/// The state of a center's queues now.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueSnapshot {
    pub center: wire::CenterSummary,
    pub fields: Vec<FieldQueue>,
    pub counters: Vec<CounterView>,
    /// Waiting tickets, in the order the policy would roughly call them.
    pub waiting: Vec<wire::Ticket>,
    /// The latest calls, newest first.
    pub recent_calls: Vec<wire::Ticket>,
}

pub async fn snapshot(
    state: &AppState,
    center_id: i64,
    with_staff: bool,
) -> ApiResult<QueueSnapshot> {
    let center = state
        .dir
        .center(center_id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {center_id}")))?
        .clone();
    let st = state.clone();
    state
        .store
        .read(move |conn| -> ApiResult<QueueSnapshot> {
            let dir = &st.dir;
            let day = business_day(st.now_ms()).to_string();
            let summary = super::public::center_summary(&st, conn, &center)?;
            let waiting_counts = service::waiting_by_field(conn, center_id, &day)?;
            let mut fields = Vec::new();
            for f in dir.fields.iter().filter(|f| dir.counters_for(center_id, f.id).next().is_some()) {
                let waiting = waiting_counts.iter().find(|(id, _)| *id == f.id).map(|(_, n)| *n).unwrap_or(0);
                fields.push(FieldQueue {
                    field_id: f.id,
                    code: f.code.clone(),
                    name_vi: f.name_vi.clone(),
                    name_en: f.name_en.clone(),
                    series: f.series,
                    waiting,
                    wait: service::estimate_for(conn, &st, center_id, f.id, waiting)?,
                });
            }
            let select = |cond: &str, order: &str| -> ApiResult<Vec<wire::Ticket>> {
                let sql = format!(
                    "SELECT t.id FROM tickets t WHERE t.center_id = ?1 AND t.business_day = ?2 AND {cond} ORDER BY {order} LIMIT 500"
                );
                let ids: Vec<i64> = conn.prepare(&sql)?.query_map(params![center_id, day], |r| r.get(0))?.collect::<Result<_, _>>()?;
                ids.into_iter().map(|id| service::load_ticket(conn, id).map(|t| service::ticket_to_wire(dir, &t))).collect()
            };
            let waiting = select("t.state = 'waiting'", "t.priority IS NULL, t.queue_ms, t.id")?;
            let recent_calls = select("t.called_ms IS NOT NULL AND t.state IN ('called', 'serving', 'done', 'no_show')", "t.called_ms DESC")?
                .into_iter()
                .take(10)
                .collect();
            let mut counters = Vec::new();
            for c in dir.counters_of(center_id) {
                let holder: Option<String> = conn
                    .query_row(
                        "SELECT a.full_name FROM counter_sessions s JOIN accounts a ON a.id = s.account_id WHERE s.counter_id = ?1",
                        [c.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let current: Option<i64> = conn
                    .query_row("SELECT id FROM tickets WHERE counter_id = ?1 AND state IN ('called', 'serving')", [c.id], |r| r.get(0))
                    .optional()?;
                let current = match current {
                    Some(id) => Some(service::ticket_to_wire(dir, &service::load_ticket(conn, id)?)),
                    None => None,
                };
                counters.push(CounterView {
                    id: c.id,
                    number: c.number,
                    field_ids: c.fields.clone(),
                    open: holder.is_some(),
                    staff_name: if with_staff { holder } else { None },
                    current,
                });
            }
            Ok(QueueSnapshot { center: summary, fields, counters, waiting, recent_calls })
        })
        .await
}

/// Public snapshot of a center's queues (for the hall display; no staff names).
#[utoipa::path(get, path = "/api/centers/{id}/queue", tag = "centers",
    params(("id" = i64, Path, description = "center id")),
    responses((status = 200, body = QueueSnapshot), (status = 404, body = wire::ErrorBody)))]
pub async fn public_queue(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<QueueSnapshot>> {
    Ok(Json(snapshot(&state, id, false).await?))
}

/// Staff snapshot of a center's queues, with the officers at the counters.
#[utoipa::path(get, path = "/api/staff/centers/{id}/queue", tag = "staff", security(("bearer" = [])),
    params(("id" = i64, Path, description = "center id")),
    responses((status = 200, body = QueueSnapshot), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody)))]
pub async fn staff_queue(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<QueueSnapshot>> {
    state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?;
    staff.check_center(id)?;
    Ok(Json(snapshot(&state, id, true).await?))
}

fn counter_for(state: &AppState, staff: &Staff, counter_id: i64) -> ApiResult<()> {
    let counter = state
        .dir
        .counter(counter_id)
        .ok_or_else(|| ApiError::NotFound(format!("no counter {counter_id}")))?;
    staff.check_center(counter.center_id)
}

/// The result of a call: the ticket called, or none when the queue is empty.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallResult {
    pub ticket: Option<wire::Ticket>,
}

/// Sit down at a counter: it opens and counts for wait estimates.
#[utoipa::path(post, path = "/api/counters/{id}/open", tag = "counter", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id")),
    responses((status = 204), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
pub async fn open_counter(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    counter_for(&state, &staff, id)?;
    service::open_counter(&state, staff.account_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leave a counter.
#[utoipa::path(post, path = "/api/counters/{id}/close", tag = "counter", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id")),
    responses((status = 204), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
pub async fn close_counter(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    counter_for(&state, &staff, id)?;
    service::close_counter(&state, staff.account_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Call the next ticket the counter may serve (priority interleaving, then oldest first).
#[utoipa::path(post, path = "/api/counters/{id}/call-next", tag = "counter", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id")),
    responses((status = 200, body = CallResult), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
pub async fn call_next(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<CallResult>> {
    counter_for(&state, &staff, id)?;
    let t = service::call_next(&state, staff.account_id, id).await?;
    Ok(Json(CallResult {
        ticket: t.map(|t| service::ticket_to_wire(&state.dir, &t)),
    }))
}

/// Names a ticket at the counter.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRef {
    pub ticket_id: i64,
}

/// Citizen satisfaction (Rất hài lòng / Hài lòng / Không hài lòng).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    VerySatisfied,
    Satisfied,
    Dissatisfied,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishRequest {
    pub ticket_id: i64,
    #[serde(default)]
    pub rating: Option<Rating>,
}

/// Transfer to a field (back into its queue) or to one counter; exactly one of the two.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub ticket_id: i64,
    #[serde(default)]
    pub field_id: Option<i64>,
    #[serde(default)]
    pub counter_id: Option<i64>,
}

async fn act(
    state: &AppState,
    staff: &Staff,
    counter_id: i64,
    ticket_id: i64,
    action: CounterAction,
) -> ApiResult<Json<wire::Ticket>> {
    counter_for(state, staff, counter_id)?;
    let t = service::counter_action(state, staff.account_id, counter_id, ticket_id, action).await?;
    Ok(Json(service::ticket_to_wire(&state.dir, &t)))
}

macro_rules! simple_action {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "counter", security(("bearer" = [])),
            params(("id" = i64, Path, description = "counter id")), request_body = TicketRef,
            responses((status = 200, body = wire::Ticket), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
                      (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
        pub async fn $name(
            State(state): State<AppState>,
            staff: Staff,
            Path(id): Path<i64>,
            Json(req): Json<TicketRef>,
        ) -> ApiResult<Json<wire::Ticket>> {
            act(&state, &staff, id, req.ticket_id, $action).await
        }
    };
}

simple_action!(
    recall,
    "/api/counters/{id}/recall",
    CounterAction::Recall,
    "Call the current ticket again."
);
simple_action!(
    no_show,
    "/api/counters/{id}/no-show",
    CounterAction::NoShow,
    "The called citizen did not come."
);
simple_action!(
    start,
    "/api/counters/{id}/start",
    CounterAction::Start,
    "The citizen is at the counter: service starts."
);
simple_action!(
    cancel,
    "/api/counters/{id}/cancel",
    CounterAction::Cancel,
    "Cancel a waiting or called ticket."
);

/// Service is finished, optionally with the citizen's rating.
#[utoipa::path(post, path = "/api/counters/{id}/finish", tag = "counter", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id")), request_body = FinishRequest,
    responses((status = 200, body = wire::Ticket), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
pub async fn finish(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Json(req): Json<FinishRequest>,
) -> ApiResult<Json<wire::Ticket>> {
    let rating = req.rating.map(|r| match r {
        Rating::VerySatisfied => "very_satisfied",
        Rating::Satisfied => "satisfied",
        Rating::Dissatisfied => "dissatisfied",
    });
    act(
        &state,
        &staff,
        id,
        req.ticket_id,
        CounterAction::Finish { rating },
    )
    .await
}

/// Send the ticket to another field's queue or to one counter; it keeps its issue time.
#[utoipa::path(post, path = "/api/counters/{id}/transfer", tag = "counter", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id")), request_body = TransferRequest,
    responses((status = 200, body = wire::Ticket), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody),
              (status = 422, body = wire::ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Json(req): Json<TransferRequest>,
) -> ApiResult<Json<wire::Ticket>> {
    let action = match (req.field_id, req.counter_id) {
        (Some(f), None) => CounterAction::TransferToField(f),
        (None, Some(c)) => CounterAction::TransferToCounter(c),
        _ => {
            return Err(ApiError::BadRequest(
                "give exactly one of field_id and counter_id".into(),
            ))
        }
    };
    act(&state, &staff, id, req.ticket_id, action).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Procedures inserted or updated.
    pub imported: usize,
}

/// Import procedures from CSV (columns in catalogue/CSV.md). All or nothing: any error
/// rejects the whole file with every error named by line and column.
#[utoipa::path(post, path = "/api/catalogue/import", tag = "catalogue", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportResult), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody),
              (status = 413, body = wire::ErrorBody), (status = 422, body = wire::ErrorBody)))]
pub async fn import_catalogue(
    State(state): State<AppState>,
    staff: Staff,
    body: axum::body::Bytes,
) -> ApiResult<Json<ImportResult>> {
    staff.check_role(Role::ProvincialManager)?;
    let fields: Vec<catalogue::FieldSeed> = state
        .dir
        .fields
        .iter()
        .map(|f| catalogue::FieldSeed {
            code: f.code.clone(),
            name_vi: f.name_vi.clone(),
            name_en: f.name_en.clone(),
            series: f.series,
        })
        .collect();
    let procedures = catalogue::csv_import::parse_procedures(body.as_ref(), &fields)
        .map_err(|e| ApiError::unprocessable("invalid_csv", e.to_string()))?;
    let imported = state
        .store
        .write(move |conn| {
            crate::store::seed::upsert_procedures(conn, &procedures).map_err(ApiError::from)
        })
        .await?;
    Ok(Json(ImportResult { imported }))
}
