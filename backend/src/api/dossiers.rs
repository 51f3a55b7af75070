//! Dossier endpoints: reception at a counter, status changes, inbox, public lookup,
//! and the import of status updates from an external one-stop system.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ClientKey, Json, Path, Query, Role, Staff};
use crate::core::clock::rfc3339;
use crate::core::dossier::DossierStatus;
use crate::dossier::{self, DossierRow, ExternalUpdate, Reception};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A dossier as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dossier {
    pub id: i64,
    pub code: String,
    pub procedure_id: i64,
    pub procedure_name_vi: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: Option<String>,
    pub channel: u8,
    pub status: u8,
    pub status_vi: String,
    pub receiving_center_id: i64,
    pub processing_center_id: i64,
    pub return_center_id: i64,
    pub received_at: String,
    pub appointment_at: String,
    pub timeliness: String,
}

fn to_view(state: &AppState, d: &DossierRow) -> Dossier {
    let now = state.now_ms();
    let deadline = d.deadline(&state.settings.calendar, now);
    use chrono::TimeZone;
    let deadline_ms = crate::core::clock::vietnam_offset()
        .from_local_datetime(&deadline)
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or_default();
    Dossier {
        id: d.id,
        code: d.code.clone(),
        procedure_id: d.procedure_id,
        procedure_name_vi: d.procedure_name_vi.clone(),
        applicant_name: d.applicant_name.clone(),
        applicant_id_number: d.applicant_id_number.clone(),
        applicant_phone: d.applicant_phone.clone(),
        channel: d.channel,
        status: d.status.code(),
        status_vi: d.status.name_vi().into(),
        receiving_center_id: d.receiving_center_id,
        processing_center_id: d.processing_center_id,
        return_center_id: d.return_center_id,
        received_at: rfc3339(d.received_ms),
        appointment_at: rfc3339(deadline_ms),
        timeliness: dossier::timeliness_str(d.timeliness(&state.settings.calendar, now)).into(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiveRequest {
    /// The ticket being served, when the dossier comes from the queue.
    #[serde(default)]
    pub ticket_id: Option<i64>,
    pub procedure_id: i64,
    pub applicant_name: String,
    /// CCCD number (12 digits) or tax code.
    pub applicant_id_number: String,
    #[serde(default)]
    pub applicant_phone: Option<String>,
    /// 1 in person (default), 2 online, 3 by public post.
    #[serde(default)]
    pub channel: Option<u8>,
    /// The center where the citizen will collect the result (default: this one).
    #[serde(default)]
    pub return_center_id: Option<i64>,
}

/// What the counter prints on the receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub dossier: Dossier,
    /// The short secret printed on the receipt.
    pub secret: String,
    /// The receipt QR payload: `{public_url}/tra-cuu?ma={code}&k={secret}`.
    pub qr_payload: String,
    /// `printed`, `no_printer` or `failed: {reason}`. The dossier is saved either way;
    /// reprint with `POST /api/counters/{id}/dossiers/{dossier_id}/receipt`.
    pub print: String,
}

fn validate(req: &ReceiveRequest) -> ApiResult<()> {
    let name = req.applicant_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::unprocessable(
            "bad_applicant",
            "applicant_name must have 1 to 100 characters",
        ));
    }
    let id = req.applicant_id_number.trim();
    if !(9..=14).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(ApiError::unprocessable(
            "bad_applicant",
            "applicant_id_number must be a CCCD number or a tax code (9–14 digits)",
        ));
    }
    if req.applicant_phone.as_ref().is_some_and(|p| {
        p.len() > 20
            || !p
                .chars()
                .all(|c| c.is_ascii_digit() || c == '+' || c == ' ')
    }) {
        return Err(ApiError::unprocessable(
            "bad_applicant",
            "applicant_phone must be digits",
        ));
    }
    if !matches!(req.channel.unwrap_or(1), 1..=3) {
        return Err(ApiError::unprocessable(
            "bad_channel",
            "channel must be 1 (in person), 2 (online) or 3 (post)",
        ));
    }
    Ok(())
}

/// Receive a dossier at a counter; answers with what the receipt carries.
#[utoipa::path(post, path = "/api/counters/{id}/dossiers", tag = "dossiers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id")), request_body = ReceiveRequest,
    responses((status = 201, body = Receipt), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody),
              (status = 422, body = wire::ErrorBody)))]
pub async fn receive(
    State(state): State<AppState>,
    staff: Staff,
    Path(counter_id): Path<i64>,
    Json(req): Json<ReceiveRequest>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let counter = state
        .dir
        .counter(counter_id)
        .ok_or_else(|| ApiError::NotFound(format!("no counter {counter_id}")))?;
    staff.check_center(counter.center_id)?;
    validate(&req)?;
    let d = dossier::receive(
        &state,
        staff.account_id,
        counter_id,
        Reception {
            ticket_id: req.ticket_id,
            procedure_id: req.procedure_id,
            applicant_name: req.applicant_name,
            applicant_id_number: req.applicant_id_number,
            applicant_phone: req.applicant_phone,
            channel: req.channel.unwrap_or(1),
            return_center_id: req.return_center_id,
        },
    )
    .await?;
    let qr_payload = receipt_url(&state, &d);
    let view = to_view(&state, &d);
    let print = state
        .receipts
        .print(&state.dir, counter_id, &view, &qr_payload, &d.secret)
        .await;
    Ok((
        StatusCode::CREATED,
        Json(Receipt {
            dossier: view,
            secret: d.secret.clone(),
            qr_payload,
            print,
        }),
    ))
}

/// The receipt's QR: a lookup URL a phone opens and the kiosk's scanner parses
/// (`hardware::scanner::ReceiptCode` reads both this and the compact `HS1:CODE:SECRET`).
fn receipt_url(state: &AppState, d: &DossierRow) -> String {
    format!(
        "{}/tra-cuu?ma={}&k={}",
        state.settings.public_url.trim_end_matches('/'),
        d.code,
        d.secret
    )
}

/// Print a dossier's receipt again on the counter's printer (after a printer fault).
#[utoipa::path(post, path = "/api/counters/{id}/dossiers/{dossier_id}/receipt", tag = "dossiers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "counter id"), ("dossier_id" = i64, Path, description = "dossier id")),
    responses((status = 200, body = Receipt), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody),
              (status = 404, body = wire::ErrorBody)))]
pub async fn reprint(
    State(state): State<AppState>,
    staff: Staff,
    Path((counter_id, dossier_id)): Path<(i64, i64)>,
) -> ApiResult<Json<Receipt>> {
    let counter = state
        .dir
        .counter(counter_id)
        .ok_or_else(|| ApiError::NotFound(format!("no counter {counter_id}")))?;
    staff.check_center(counter.center_id)?;
    let d = state
        .store
        .read(move |conn| dossier::load(conn, dossier_id))
        .await?;
    if d.receiving_center_id != counter.center_id && d.return_center_id != counter.center_id {
        return Err(ApiError::Forbidden(format!(
            "dossier {} was not received at this center",
            d.code
        )));
    }
    let qr_payload = receipt_url(&state, &d);
    let view = to_view(&state, &d);
    let print = state
        .receipts
        .print(&state.dir, counter_id, &view, &qr_payload, &d.secret)
        .await;
    Ok(Json(Receipt {
        dossier: view,
        secret: d.secret.clone(),
        qr_payload,
        print,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// National status code 1–10.
    pub status: u8,
    #[serde(default)]
    pub note: Option<String>,
}

/// Change a dossier's status (audited with account, time and note).
#[utoipa::path(post, path = "/api/dossiers/{id}/status", tag = "dossiers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "dossier id")), request_body = StatusRequest,
    responses((status = 200, body = Dossier), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody), (status = 409, body = wire::ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Json(req): Json<StatusRequest>,
) -> ApiResult<Json<Dossier>> {
    let to = DossierStatus::from_code(req.status)
        .ok_or_else(|| ApiError::BadRequest("status must be a national code 1–10".into()))?;
    if req.note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err(ApiError::BadRequest(
            "note is longer than 1000 characters".into(),
        ));
    }
    let d =
        dossier::set_status(&state, staff.account_id, staff.center_id, id, to, req.note).await?;
    Ok(Json(to_view(&state, &d)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InboxQuery {
    /// Dossiers received, processed or returned at this center (staff default: their own).
    pub center_id: Option<i64>,
    /// A dossier code, an ID number, or part of a name (with or without diacritics).
    pub q: Option<String>,
    pub status: Option<u8>,
}

/// The dossier inbox of a center, with search.
#[utoipa::path(get, path = "/api/staff/dossiers", tag = "dossiers", security(("bearer" = [])), params(InboxQuery),
    responses((status = 200, body = Vec<Dossier>), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody)))]
pub async fn inbox(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<InboxQuery>,
) -> ApiResult<Json<Vec<Dossier>>> {
    let center = q.center_id.or(staff.center_id);
    if let Some(c) = center {
        staff.check_center(c)?;
    }
    let rows = dossier::inbox(&state, center, q.q, q.status).await?;
    Ok(Json(rows.iter().map(|d| to_view(&state, d)).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LookupQuery {
    /// The dossier code from the receipt.
    pub code: String,
    /// The receipt's secret or the applicant's ID number.
    pub secret: String,
}

/// A dossier's status for the citizen. An unknown code and a wrong secret get the same
/// 404; lookups are rate-limited per client.
#[utoipa::path(get, path = "/api/dossiers/lookup", tag = "dossiers", params(LookupQuery),
    responses((status = 200, body = wire::DossierLookup), (status = 404, body = wire::ErrorBody), (status = 429, body = wire::ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    Query(q): Query<LookupQuery>,
) -> ApiResult<Json<wire::DossierLookup>> {
    if !state
        .limiter
        .allow(&format!("dossier:{client}"), state.now_ms())
    {
        return Err(ApiError::TooManyRequests(
            "too many lookups; wait a minute and try again".into(),
        ));
    }
    if q.code.len() > 60 || q.secret.len() > 40 {
        return Err(ApiError::NotFound(
            "no dossier with that code and secret".into(),
        ));
    }
    Ok(Json(dossier::lookup(&state, q.code, q.secret).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportItem {
    /// The external system's id of this update; a retry with the same id is skipped.
    pub external_id: String,
    pub code: String,
    pub status: u8,
    /// RFC 3339 time of the change in the external system.
    pub at: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// Name of the external one-stop system, e.g. `motcua-qn`.
    pub system: String,
    pub updates: Vec<ImportItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rejected {
    pub external_id: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub applied: usize,
    /// Updates seen before (same system and external id): skipped, nothing changed.
    pub duplicates: usize,
    pub rejected: Vec<Rejected>,
}

/// Import status updates from an external one-stop system; idempotent on retry.
#[utoipa::path(post, path = "/api/dossiers/import", tag = "dossiers", security(("bearer" = [])), request_body = ImportRequest,
    responses((status = 200, body = ImportReport), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Json(req): Json<ImportRequest>,
) -> ApiResult<Json<ImportReport>> {
    staff.check_role(Role::ProvincialManager)?;
    if req.system.is_empty() || req.system.len() > 40 || req.updates.len() > 1000 {
        return Err(ApiError::BadRequest(
            "system must have 1–40 characters and a batch at most 1000 updates".into(),
        ));
    }
    let mut updates = Vec::new();
    for u in req.updates {
        let at = chrono::DateTime::parse_from_rfc3339(&u.at).map_err(|e| {
            ApiError::BadRequest(format!(
                "update {}: at {:?} is not RFC 3339: {e}",
                u.external_id, u.at
            ))
        })?;
        updates.push(ExternalUpdate {
            external_id: u.external_id,
            code: u.code,
            status: u.status,
            at_ms: at.timestamp_millis(),
            note: u.note,
        });
    }
    let out = dossier::import_updates(&state, req.system, updates).await?;
    Ok(Json(ImportReport {
        applied: out.applied,
        duplicates: out.duplicates,
        rejected: out
            .rejected
            .into_iter()
            .map(|(external_id, message)| Rejected {
                external_id,
                message,
            })
            .collect(),
    }))
}
