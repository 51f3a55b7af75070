//! Public endpoints (catalogue, centers, ticket status) and kiosk endpoints.

use axum::extract::State;
use axum::http::StatusCode;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ClientKey, Json, Kiosk, Path, Query};
use crate::core::clock::business_day;
use crate::error::{ApiError, ApiResult};
use crate::service::{self, Actor};
use crate::state::{AppState, Center};

/// Live summary of one center.
pub fn center_summary(
    state: &AppState,
    conn: &Connection,
    c: &Center,
) -> rusqlite::Result<wire::CenterSummary> {
    let now = state.now_ms();
    let day = business_day(now).to_string();
    let (waiting, served, oldest): (u32, u32, Option<i64>) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(state = 'waiting'), 0), COALESCE(SUM(state = 'done'), 0),
                    MIN(CASE WHEN state = 'waiting' THEN queue_ms END)
             FROM tickets WHERE center_id = ?1 AND business_day = ?2",
        )?
        .query_row(params![c.id, day], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let counters_open: u32 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM counter_sessions s JOIN counters k ON k.id = s.counter_id WHERE k.center_id = ?1",
        )?
        .query_row([c.id], |r| r.get(0))?;
    Ok(wire::CenterSummary {
        id: c.id,
        code: c.code.clone(),
        name: c.name.clone(),
        kind: if c.provincial {
            wire::CenterKind::Provincial
        } else {
            wire::CenterKind::Commune
        },
        address: c.address.clone(),
        latitude: c.latitude,
        longitude: c.longitude,
        opening_hours: c.hours_text.clone(),
        open_now: state.is_open(c),
        waiting,
        counters_open,
        served_today: served,
        longest_wait_min: oldest.map(|t| ((now - t).max(0) / 60_000) as u32),
    })
}

/// All centers of the province with a live queue summary.
#[utoipa::path(get, path = "/api/centers", tag = "centers",
    responses((status = 200, body = Vec<wire::CenterSummary>)))]
pub async fn list_centers(
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<wire::CenterSummary>>> {
    let st = state.clone();
    let list = state
        .store
        .read(move |conn| {
            st.dir
                .centers
                .iter()
                .map(|c| center_summary(&st, conn, c))
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(ApiError::from)
        })
        .await?;
    Ok(Json(list))
}

/// One center with a live queue summary.
#[utoipa::path(get, path = "/api/centers/{id}", tag = "centers",
    params(("id" = i64, Path, description = "center id")),
    responses((status = 200, body = wire::CenterSummary), (status = 404, body = wire::ErrorBody)))]
pub async fn get_center(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::CenterSummary>> {
    let center = state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?
        .clone();
    let st = state.clone();
    let summary = state
        .store
        .read(move |conn| center_summary(&st, conn, &center).map_err(ApiError::from))
        .await?;
    Ok(Json(summary))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FieldsQuery {
    /// Only fields that have a counter at this center.
    pub center_id: Option<i64>,
}

/// Fields (lĩnh vực) of the catalogue.
#[utoipa::path(get, path = "/api/fields", tag = "catalogue", params(FieldsQuery),
    responses((status = 200, body = Vec<wire::Field>), (status = 404, body = wire::ErrorBody)))]
pub async fn list_fields(
    State(state): State<AppState>,
    Query(q): Query<FieldsQuery>,
) -> ApiResult<Json<Vec<wire::Field>>> {
    if let Some(c) = q.center_id {
        state
            .dir
            .center(c)
            .ok_or_else(|| ApiError::NotFound(format!("no center {c}")))?;
    }
    let counts: Vec<(i64, u32)> = state
        .store
        .read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT field_id, COUNT(*) FROM procedures GROUP BY field_id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>();
            rows.map_err(ApiError::from)
        })
        .await?;
    let fields = state
        .dir
        .fields
        .iter()
        .filter(|f| {
            q.center_id
                .is_none_or(|c| state.dir.counters_for(c, f.id).next().is_some())
        })
        .map(|f| wire::Field {
            id: f.id,
            code: f.code.clone(),
            name_vi: f.name_vi.clone(),
            name_en: f.name_en.clone(),
            series: f.series,
            procedure_count: counts
                .iter()
                .find(|(id, _)| *id == f.id)
                .map(|(_, n)| *n)
                .unwrap_or(0),
        })
        .collect();
    Ok(Json(fields))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ProceduresQuery {
    /// Words to find, with or without diacritics ("dang ky khai sinh").
    pub q: Option<String>,
    pub field_id: Option<i64>,
    /// Only procedures this center may take.
    pub center_id: Option<i64>,
    /// Only non-territorial procedures (true) or only territorial ones (false).
    pub non_territorial: Option<bool>,
    /// 1–200, default 50.
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

fn procedure_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<wire::Procedure> {
    Ok(wire::Procedure {
        id: r.get(0)?,
        code: r.get(1)?,
        name_vi: r.get(2)?,
        name_en: r.get(3)?,
        field_id: r.get(4)?,
        field_code: r.get(5)?,
        level: if r.get::<_, String>(6)? == "provincial" {
            wire::Level::Provincial
        } else {
            wire::Level::Commune
        },
        non_territorial: r.get(7)?,
        processing_time: r.get(8)?,
        processing_unit: r.get(9)?,
        has_fees: r.get(10)?,
        generated: r.get(11)?,
    })
}

const PROCEDURE_SELECT: &str =
    "SELECT p.id, p.code, p.name_vi, p.name_en, p.field_id, f.code, p.level, p.non_territorial,
        p.processing_time, p.processing_unit, p.has_fees, p.generated
     FROM procedures p JOIN fields f ON f.id = p.field_id";

pub fn load_procedure(conn: &Connection, id: i64) -> ApiResult<wire::Procedure> {
    conn.query_row(
        &format!("{PROCEDURE_SELECT} WHERE p.id = ?1"),
        [id],
        procedure_from_row,
    )
    .optional()?
    .ok_or_else(|| ApiError::NotFound(format!("no procedure {id}")))
}

/// Search the procedure catalogue. Every word of `q` must appear in the name (Vietnamese
/// or English) or code, compared without diacritics and case; real procedures come
/// before generated ones and names that start with the query first.
#[utoipa::path(get, path = "/api/procedures", tag = "catalogue", params(ProceduresQuery),
    responses((status = 200, body = wire::ProcedureList), (status = 400, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody)))]
pub async fn list_procedures(
    State(state): State<AppState>,
    Query(q): Query<ProceduresQuery>,
) -> ApiResult<Json<wire::ProcedureList>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be between 1 and 200".into(),
        ));
    }
    let text = q.q.as_deref().unwrap_or("");
    if text.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "q is longer than 200 characters".into(),
        ));
    }
    let folded = catalogue::fold(text);
    let mut sql = format!("{PROCEDURE_SELECT} WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    for word in folded.split_whitespace().take(12) {
        args.push(format!("%{}%", word.replace(['%', '_'], "")).into());
        sql.push_str(&format!(" AND p.search_key LIKE ?{}", args.len()));
    }
    if let Some(f) = q.field_id {
        state
            .dir
            .field(f)
            .ok_or_else(|| ApiError::NotFound(format!("no field {f}")))?;
        args.push(f.into());
        sql.push_str(&format!(" AND p.field_id = ?{}", args.len()));
    }
    if let Some(nt) = q.non_territorial {
        args.push((nt as i64).into());
        sql.push_str(&format!(" AND p.non_territorial = ?{}", args.len()));
    }
    if let Some(c) = q.center_id {
        let center = state
            .dir
            .center(c)
            .ok_or_else(|| ApiError::NotFound(format!("no center {c}")))?;
        let served: Vec<String> = state
            .dir
            .fields
            .iter()
            .filter(|f| state.dir.counters_for(c, f.id).next().is_some())
            .map(|f| f.id.to_string())
            .collect();
        let level = if center.provincial {
            "provincial"
        } else {
            "commune"
        };
        sql.push_str(&format!(
            " AND p.field_id IN ({}) AND (p.non_territorial = 1 OR p.level = '{level}')",
            if served.is_empty() {
                "NULL".to_string()
            } else {
                served.join(",")
            }
        ));
    }
    args.push(format!("{folded}%").into());
    let prefix_arg = args.len();
    let count_sql = format!("SELECT COUNT(*) FROM ({sql})");
    let page_sql = format!(
        "{sql} ORDER BY p.generated, (p.search_key LIKE ?{prefix_arg}) DESC, p.name_vi LIMIT {limit} OFFSET {}",
        q.offset.unwrap_or(0)
    );
    let list = state
        .store
        .read(move |conn| -> ApiResult<wire::ProcedureList> {
            let count_args = &args[..args.len() - 1];
            let total: u32 =
                conn.query_row(&count_sql, rusqlite::params_from_iter(count_args), |r| {
                    r.get(0)
                })?;
            let mut stmt = conn.prepare(&page_sql)?;
            let items = stmt
                .query_map(rusqlite::params_from_iter(&args), procedure_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(wire::ProcedureList { total, items })
        })
        .await?;
    Ok(Json(list))
}

/// One procedure.
#[utoipa::path(get, path = "/api/procedures/{id}", tag = "catalogue",
    params(("id" = i64, Path, description = "procedure id")),
    responses((status = 200, body = wire::Procedure), (status = 404, body = wire::ErrorBody)))]
pub async fn get_procedure(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::Procedure>> {
    Ok(Json(
        state
            .store
            .read(move |conn| load_procedure(conn, id))
            .await?,
    ))
}

/// Counts of the catalogue as the province reports them.
#[utoipa::path(get, path = "/api/catalogue/stats", tag = "catalogue",
    responses((status = 200, body = wire::CatalogueStats)))]
pub async fn catalogue_stats(
    State(state): State<AppState>,
) -> ApiResult<Json<wire::CatalogueStats>> {
    let stats = state
        .store
        .read(|conn| {
            conn.query_row(
                "SELECT COUNT(*), COALESCE(SUM(non_territorial), 0),
                        COALESCE(SUM(non_territorial AND level = 'provincial'), 0),
                        COALESCE(SUM(non_territorial AND level = 'commune'), 0) FROM procedures",
                [],
                |r| {
                    Ok(wire::CatalogueStats {
                        total: r.get(0)?,
                        non_territorial: r.get(1)?,
                        non_territorial_provincial: r.get(2)?,
                        non_territorial_commune: r.get(3)?,
                    })
                },
            )
            .map_err(ApiError::from)
        })
        .await?;
    Ok(Json(stats))
}

/// The kiosk's own identity and center.
#[utoipa::path(get, path = "/api/kiosk/me", tag = "kiosk", security(("bearer" = [])),
    responses((status = 200, body = wire::KioskInfo), (status = 401, body = wire::ErrorBody)))]
pub async fn kiosk_me(
    State(state): State<AppState>,
    kiosk: Kiosk,
) -> ApiResult<Json<wire::KioskInfo>> {
    let center = state
        .dir
        .center(kiosk.center_id)
        .ok_or_else(|| ApiError::Internal("kiosk center missing".into()))?
        .clone();
    let st = state.clone();
    let info = state
        .store
        .read(move |conn| -> ApiResult<wire::KioskInfo> {
            let name: String = conn.query_row(
                "SELECT name FROM kiosks WHERE id = ?1",
                [kiosk.kiosk_id],
                |r| r.get(0),
            )?;
            Ok(wire::KioskInfo {
                kiosk_id: kiosk.kiosk_id,
                kiosk_name: name,
                center: center_summary(&st, conn, &center)?,
            })
        })
        .await?;
    Ok(Json(info))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    pub procedure_id: i64,
}

/// What the confirmation screen shows before a ticket is issued: the wait here and,
/// when another center is clearly faster, suggestions.
#[utoipa::path(get, path = "/api/kiosk/preview", tag = "kiosk", security(("bearer" = [])), params(PreviewQuery),
    responses((status = 200, body = wire::IssuePreview), (status = 401, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody)))]
pub async fn kiosk_preview(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Query(q): Query<PreviewQuery>,
) -> ApiResult<Json<wire::IssuePreview>> {
    let st = state.clone();
    let preview = state
        .store
        .read(move |conn| -> ApiResult<wire::IssuePreview> {
            let procedure = load_procedure(conn, q.procedure_id)?;
            let facts = service::procedure_facts(conn, q.procedure_id)?;
            let eligible_here = service::eligible(&st.dir, kiosk.center_id, &facts);
            let day = business_day(st.now_ms()).to_string();
            let ahead: u32 = conn.query_row(
                "SELECT COUNT(*) FROM tickets WHERE center_id = ?1 AND field_id = ?2 AND business_day = ?3 AND state = 'waiting'",
                params![kiosk.center_id, facts.field_id, day],
                |r| r.get(0),
            )?;
            let wait = service::estimate_for(conn, &st, kiosk.center_id, facts.field_id, ahead)?;
            let suggestions = service::suggestions_for(&st, conn, kiosk.center_id, &facts, &wait)?;
            Ok(wire::IssuePreview { procedure, eligible_here, wait, suggestions })
        })
        .await?;
    Ok(Json(preview))
}

/// Issue a ticket from a kiosk. With `for_center_id`, the ticket is for another center
/// (a suggestion the citizen accepted), and `remote` says where it is served and until
/// when it must be checked in there; 409 `no_route` when the travel-time table has no
/// route between the two centers, 409 `center_closed` outside opening hours.
#[utoipa::path(post, path = "/api/kiosk/tickets", tag = "kiosk", security(("bearer" = [])),
    request_body = wire::IssueTicketRequest,
    responses((status = 201, body = wire::TicketIssued), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody), (status = 413, body = wire::ErrorBody),
              (status = 422, body = wire::ErrorBody)))]
pub async fn kiosk_issue(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Json(req): Json<wire::IssueTicketRequest>,
) -> ApiResult<(StatusCode, Json<wire::TicketIssued>)> {
    let (issued, remote) = match req.for_center_id {
        // A ticket for another center is a remote ticket: placed there by issue time plus
        // travel, checked in on arrival.
        Some(to) if to != kiosk.center_id => {
            let remote = service::issue_remote_ticket(
                &state,
                Actor::Kiosk(kiosk.kiosk_id),
                kiosk.center_id,
                to,
                req.procedure_id,
                req.priority,
            )
            .await?;
            (remote.issued, Some(remote.remote))
        }
        _ => {
            let issued = service::issue_ticket(
                &state,
                Actor::Kiosk(kiosk.kiosk_id),
                kiosk.center_id,
                req.procedure_id,
                req.priority,
            )
            .await?;
            (issued, None)
        }
    };
    let body = ticket_issued(&state, issued, remote);
    Ok((StatusCode::CREATED, Json(body)))
}

/// The answer about one ticket for the kiosk that issued or scanned it.
fn ticket_issued(
    state: &AppState,
    issued: service::Issued,
    remote: Option<wire::RemoteTicket>,
) -> wire::TicketIssued {
    let t = &issued.ticket;
    let tracking_url = format!(
        "{}/t/{}?s={}",
        state.settings.public_url.trim_end_matches('/'),
        t.id,
        t.secret
    );
    wire::TicketIssued {
        ticket: service::ticket_to_wire(&state.dir, t),
        wait: issued.wait,
        secret: t.secret.clone(),
        tracking_url,
        suggestions: vec![],
        remote,
    }
}

/// The kiosk reports its printer's health; a fault is shown on the managers' dashboard.
#[utoipa::path(post, path = "/api/kiosk/heartbeat", tag = "kiosk", security(("bearer" = [])),
    request_body = wire::KioskHeartbeat,
    responses((status = 204), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody)))]
pub async fn kiosk_heartbeat(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Json(hb): Json<wire::KioskHeartbeat>,
) -> ApiResult<StatusCode> {
    let health = serde_json::to_value(hb.printer)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    if hb.fault.as_ref().is_some_and(|f| f.chars().count() > 500) {
        return Err(ApiError::BadRequest(
            "fault is longer than 500 characters".into(),
        ));
    }
    let now = state.now_ms();
    state
        .store
        .write(move |conn| -> ApiResult<()> {
            conn.execute(
                "UPDATE kiosks SET printer_health = ?2, printer_fault = ?3, last_seen_ms = ?4 WHERE id = ?1",
                params![kiosk.kiosk_id, health, hb.fault, now],
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SecretQuery {
    /// The secret printed in the ticket's QR code.
    pub secret: String,
}

/// Status of a ticket, for the page its QR code opens. An unknown id and a wrong secret
/// get the same 404, and lookups are rate-limited per client.
#[utoipa::path(get, path = "/api/tickets/{id}", tag = "tickets",
    params(("id" = i64, Path, description = "ticket id"), SecretQuery),
    responses((status = 200, body = wire::TicketStatus), (status = 404, body = wire::ErrorBody), (status = 429, body = wire::ErrorBody)))]
pub async fn ticket_status(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    Path(id): Path<i64>,
    Query(q): Query<SecretQuery>,
) -> ApiResult<Json<wire::TicketStatus>> {
    if !state.limiter.allow(&client, state.now_ms()) {
        return Err(ApiError::TooManyRequests(
            "too many lookups; wait a minute and try again".into(),
        ));
    }
    let st = state.clone();
    let status = state
        .store
        .read(move |conn| -> ApiResult<wire::TicketStatus> {
            let not_found = || ApiError::NotFound(format!("no ticket {id} with that secret"));
            let t = service::load_ticket(conn, id).map_err(|_| not_found())?;
            if !service::secret_matches(&t.secret, &q.secret) {
                return Err(not_found());
            }
            let ahead: u32 = if t.state == crate::core::ticket::TicketState::Waiting {
                service::people_ahead(
                    conn,
                    t.center_id,
                    t.field_id,
                    &t.business_day,
                    t.priority.is_some(),
                    Some(t.queue_ms),
                )?
            } else {
                0
            };
            let wait = service::estimate_for(conn, &st, t.center_id, t.field_id, ahead)?;
            Ok(wire::TicketStatus {
                ticket: service::ticket_to_wire(&st.dir, &t),
                wait,
            })
        })
        .await?;
    Ok(Json(status))
}

/// Check in a remote ticket on arrival: the kiosk of the serving center scanned its QR.
/// The ticket becomes waiting at the place it was given when issued (issue time plus
/// travel), and `remote.checked_in` is true. A ticket for another center is refused with
/// 409 `wrong_center` and that center in the body's `center`; one past its check-in window
/// expires (409 `expired`, also on every later scan). Scanning a ticket already checked
/// in, or a ticket issued at this center (`remote` is null), answers its current state.
#[utoipa::path(post, path = "/api/kiosk/check-in", tag = "kiosk", security(("bearer" = [])),
    request_body = wire::CheckInRequest,
    responses((status = 200, body = wire::TicketIssued), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
pub async fn kiosk_check_in(
    State(state): State<AppState>,
    kiosk: Kiosk,
    Json(req): Json<wire::CheckInRequest>,
) -> ApiResult<Json<wire::TicketIssued>> {
    if req.secret.len() > 64 {
        return Err(ApiError::BadRequest(
            "secret is longer than 64 characters".into(),
        ));
    }
    let checked = service::check_in(
        &state,
        Actor::Kiosk(kiosk.kiosk_id),
        kiosk.center_id,
        req.ticket_id,
        req.secret,
    )
    .await?;
    Ok(Json(ticket_issued(&state, checked.issued, checked.remote)))
}
