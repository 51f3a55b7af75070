//! Dossiers: reception at the counter, the status workflow, transfers between levels,
//! timeliness, and the public lookup by code plus a second factor.

use chrono::NaiveDateTime;
use rusqlite::{params, Connection, OptionalExtension};

use crate::core::calendar::{timeliness, Calendar, Timeliness, Unit};
use crate::core::clock::{local, rfc3339};
use crate::core::dossier::{change_status, dossier_code, DossierStatus};
use crate::error::{ApiError, ApiResult};
use crate::service;
use crate::state::{AppState, Directory};

fn naive(ms: i64) -> NaiveDateTime {
    local(ms).naive_local()
}

fn to_ms(t: NaiveDateTime) -> i64 {
    use chrono::TimeZone;
    crate::core::clock::vietnam_offset()
        .from_local_datetime(&t)
        .single()
        .map(|d| d.timestamp_millis())
        .unwrap_or_default()
}

/// Masks a name for public pages: first letter of each word kept, the rest starred, but
/// the family name (first word) shown whole: "Nguyễn Văn An" → "Nguyễn V** A*".
pub fn mask_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    let mut out: Vec<String> = words
        .next()
        .map(|w| vec![w.to_string()])
        .unwrap_or_default();
    for w in words {
        let mut chars = w.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        out.push(format!("{first}{}", "*".repeat(chars.count())));
    }
    out.join(" ")
}

/// A dossier row with what the pages need.
#[derive(Debug, Clone)]
pub struct DossierRow {
    pub id: i64,
    pub code: String,
    pub secret: String,
    pub receiving_center_id: i64,
    pub processing_center_id: i64,
    pub return_center_id: i64,
    pub procedure_id: i64,
    pub procedure_name_vi: String,
    pub procedure_name_en: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: Option<String>,
    pub channel: u8,
    pub status: DossierStatus,
    pub received_ms: i64,
    pub due_ms: i64,
    pub paused_minutes: u32,
    pub paused_since_ms: Option<i64>,
    pub finished_ms: Option<i64>,
}

const SELECT: &str = "SELECT d.id, d.code, d.secret, d.receiving_center_id, d.processing_center_id, d.return_center_id,
        d.procedure_id, p.name_vi, p.name_en, d.applicant_name, d.applicant_id_number, d.applicant_phone, d.channel,
        d.status, d.received_ms, d.due_ms, d.paused_minutes, d.paused_since_ms, d.finished_ms
     FROM dossiers d JOIN procedures p ON p.id = d.procedure_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DossierRow> {
    Ok(DossierRow {
        id: r.get(0)?,
        code: r.get(1)?,
        secret: r.get(2)?,
        receiving_center_id: r.get(3)?,
        processing_center_id: r.get(4)?,
        return_center_id: r.get(5)?,
        procedure_id: r.get(6)?,
        procedure_name_vi: r.get(7)?,
        procedure_name_en: r.get(8)?,
        applicant_name: r.get(9)?,
        applicant_id_number: r.get(10)?,
        applicant_phone: r.get(11)?,
        channel: r.get(12)?,
        status: DossierStatus::from_code(r.get(13)?).unwrap_or(DossierStatus::Stopped),
        received_ms: r.get(14)?,
        due_ms: r.get(15)?,
        paused_minutes: r.get(16)?,
        paused_since_ms: r.get(17)?,
        finished_ms: r.get(18)?,
    })
}

pub fn load(conn: &Connection, id: i64) -> ApiResult<DossierRow> {
    conn.query_row(&format!("{SELECT} WHERE d.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("no dossier {id}")))
}

fn load_by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<DossierRow>> {
    conn.query_row(&format!("{SELECT} WHERE d.code = ?1"), [code], from_row)
        .optional()
}

impl DossierRow {
    /// The appointment pushed back by closed pauses and by an open one up to `now`.
    pub fn deadline(&self, cal: &Calendar, now_ms: i64) -> NaiveDateTime {
        let open = self
            .paused_since_ms
            .map(|since| cal.working_minutes_between(naive(since), naive(now_ms)))
            .unwrap_or(0);
        cal.add_working_minutes(naive(self.due_ms), self.paused_minutes + open)
    }

    pub fn timeliness(&self, cal: &Calendar, now_ms: i64) -> Timeliness {
        timeliness(
            self.deadline(cal, now_ms),
            self.finished_ms.map(naive),
            naive(now_ms),
        )
    }
}

pub fn timeliness_str(t: Timeliness) -> &'static str {
    match t {
        Timeliness::Early => "early",
        Timeliness::OnTime => "on_time",
        Timeliness::Late => "late",
        Timeliness::WithinDeadline => "within_deadline",
        Timeliness::Overdue => "overdue",
    }
}

/// What a counter sends to receive a dossier.
#[derive(Debug, Clone)]
pub struct Reception {
    pub ticket_id: Option<i64>,
    pub procedure_id: i64,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: Option<String>,
    pub channel: u8,
    pub return_center_id: Option<i64>,
}

fn new_secret() -> String {
    use rand::Rng;
    // 6 characters without look-alikes: short enough to type from a receipt.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn provincial_center(dir: &Directory) -> Option<i64> {
    dir.centers.iter().find(|c| c.provincial).map(|c| c.id)
}

// One audited row has this many facts; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn log(
    conn: &Connection,
    dossier_id: i64,
    now: i64,
    account: Option<i64>,
    source: &str,
    external_id: Option<&str>,
    from: Option<DossierStatus>,
    to: DossierStatus,
    note: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO dossier_events (dossier_id, at_ms, account_id, source, external_id, from_status, to_status, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![dossier_id, now, account, source, external_id, from.map(DossierStatus::code), to.code(), note],
    )?;
    Ok(())
}

/// Receives a dossier at a counter (status 2, "Được tiếp nhận").
pub async fn receive(
    state: &AppState,
    account_id: i64,
    counter_id: i64,
    r: Reception,
) -> ApiResult<DossierRow> {
    let st = state.clone();
    state
        .store
        .write(move |conn| -> ApiResult<DossierRow> {
            let dir = &st.dir;
            let counter = dir.counter(counter_id).ok_or_else(|| ApiError::NotFound(format!("no counter {counter_id}")))?;
            let center = dir.center(counter.center_id).ok_or_else(|| ApiError::Internal("counter without center".into()))?;
            let facts = service::procedure_facts(conn, r.procedure_id)?;
            if !service::eligible(dir, center.id, &facts) {
                return Err(ApiError::unprocessable("not_eligible", format!("procedure {} cannot be filed at {}", r.procedure_id, center.name)));
            }
            if let Some(tid) = r.ticket_id {
                let t = service::load_ticket(conn, tid)?;
                if t.counter_id != Some(counter_id) {
                    return Err(ApiError::conflict("not_at_this_counter", format!("ticket {} is not at counter {}", t.number, counter.number)));
                }
            }
            let return_center = r.return_center_id.unwrap_or(center.id);
            dir.center(return_center).ok_or_else(|| ApiError::NotFound(format!("no center {return_center}")))?;
            // A provincial procedure received at a commune center is decided by the province.
            let processing = if facts.provincial && !center.provincial { provincial_center(dir).unwrap_or(center.id) } else { center.id };
            let (time, unit): (f64, String) = conn.query_row(
                "SELECT processing_time, processing_unit FROM procedures WHERE id = ?1",
                [r.procedure_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let unit = Unit::parse(&unit).unwrap_or(Unit::WorkingDays);
            let now = st.now_ms();
            let due = to_ms(st.settings.calendar.due(naive(now), time, unit));
            let day = crate::core::clock::business_day(now);
            let seq: u32 = conn.query_row(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossiers WHERE receiving_center_id = ?1 AND business_day = ?2",
                params![center.id, day.to_string()],
                |row| row.get(0),
            )?;
            let code = dossier_code(&center.code, day, seq)
                .ok_or_else(|| ApiError::conflict("dossier_numbers_full", "all 9999 dossier numbers of today are used"))?;
            conn.execute(
                "INSERT INTO dossiers (code, secret, receiving_center_id, processing_center_id, return_center_id, procedure_id,
                     ticket_id, applicant_name, applicant_key, applicant_id_number, applicant_phone, channel, status,
                     received_ms, due_ms, business_day, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 2, ?13, ?14, ?15, ?16)",
                params![
                    code, new_secret(), center.id, processing, return_center, r.procedure_id, r.ticket_id,
                    r.applicant_name.trim(), catalogue::fold(&r.applicant_name), r.applicant_id_number.trim(),
                    r.applicant_phone, r.channel, now, due, day.to_string(), seq
                ],
            )?;
            let id = conn.last_insert_rowid();
            let note = (processing != center.id).then_some("chuyển hồ sơ điện tử lên cấp tỉnh / transferred to the provincial level");
            log(conn, id, now, Some(account_id), "staff", None, None, DossierStatus::Received, note)?;
            load(conn, id)
        })
        .await
}

fn apply_change(
    conn: &Connection,
    cal: &Calendar,
    d: &DossierRow,
    to: DossierStatus,
    now: i64,
) -> ApiResult<()> {
    change_status(d.status, to)
        .map_err(|e| ApiError::conflict("illegal_status_change", e.to_string()))?;
    let mut paused_minutes = d.paused_minutes;
    let mut paused_since = d.paused_since_ms;
    if d.status.pauses_deadline() {
        if let Some(since) = paused_since.take() {
            paused_minutes += cal.working_minutes_between(naive(since), naive(now));
        }
    }
    if to.pauses_deadline() {
        paused_since = Some(now);
    }
    let finished = if to == DossierStatus::Finished {
        Some(now)
    } else {
        d.finished_ms
    };
    conn.execute(
        "UPDATE dossiers SET status = ?2, paused_minutes = ?3, paused_since_ms = ?4, finished_ms = ?5 WHERE id = ?1",
        params![d.id, to.code(), paused_minutes, paused_since, finished],
    )?;
    Ok(())
}

/// Changes a dossier's status on behalf of a staff member of a center concerned.
pub async fn set_status(
    state: &AppState,
    account_id: i64,
    staff_center: Option<i64>,
    id: i64,
    to: DossierStatus,
    note: Option<String>,
) -> ApiResult<DossierRow> {
    let st = state.clone();
    state
        .store
        .write(move |conn| -> ApiResult<DossierRow> {
            let d = load(conn, id)?;
            if let Some(c) = staff_center {
                // Returning the result belongs to the center the citizen chose; everything
                // else to the centers that received or process the dossier.
                let allowed = if to == DossierStatus::Returned {
                    c == d.return_center_id
                } else {
                    c == d.receiving_center_id || c == d.processing_center_id
                };
                if !allowed {
                    return Err(ApiError::Forbidden(format!(
                        "your center may not set dossier {} to status {}",
                        d.code,
                        to.code()
                    )));
                }
            }
            let now = st.now_ms();
            apply_change(conn, &st.settings.calendar, &d, to, now)?;
            log(
                conn,
                id,
                now,
                Some(account_id),
                "staff",
                None,
                Some(d.status),
                to,
                note.as_deref(),
            )?;
            load(conn, id)
        })
        .await
}

/// One status update from an external one-stop system.
#[derive(Debug, Clone)]
pub struct ExternalUpdate {
    pub external_id: String,
    pub code: String,
    pub status: u8,
    pub at_ms: i64,
    pub note: Option<String>,
}

/// Outcome of an import batch.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub applied: usize,
    pub duplicates: usize,
    pub rejected: Vec<(String, String)>,
}

/// Applies external updates in order; an update whose external id was seen before is
/// skipped, so a retried batch changes nothing. Each update stands alone: one rejected
/// update does not stop the others.
pub async fn import_updates(
    state: &AppState,
    system: String,
    updates: Vec<ExternalUpdate>,
) -> ApiResult<ImportOutcome> {
    let st = state.clone();
    state
        .store
        .write(move |conn| -> ApiResult<ImportOutcome> {
            let mut out = ImportOutcome::default();
            let source = format!("import:{system}");
            for u in updates {
                let key = format!("{system}:{}", u.external_id);
                let seen: bool = conn
                    .prepare_cached("SELECT 1 FROM dossier_events WHERE external_id = ?1")?
                    .exists([&key])?;
                if seen {
                    out.duplicates += 1;
                    continue;
                }
                let Some(to) = DossierStatus::from_code(u.status) else {
                    out.rejected.push((
                        u.external_id,
                        format!("status {} is not a national code 1–10", u.status),
                    ));
                    continue;
                };
                let Some(d) = load_by_code(conn, &u.code)? else {
                    out.rejected
                        .push((u.external_id, format!("no dossier {}", u.code)));
                    continue;
                };
                if let Err(e) = apply_change(conn, &st.settings.calendar, &d, to, u.at_ms) {
                    out.rejected.push((u.external_id, e.to_string()));
                    continue;
                }
                log(
                    conn,
                    d.id,
                    u.at_ms,
                    None,
                    &source,
                    Some(&key),
                    Some(d.status),
                    to,
                    u.note.as_deref(),
                )?;
                out.applied += 1;
            }
            Ok(out)
        })
        .await
}

/// The public lookup. The second factor is the receipt's secret or the applicant's ID
/// number; a wrong one gets exactly the answer of an unknown code.
pub async fn lookup(
    state: &AppState,
    code: String,
    second_factor: String,
) -> ApiResult<wire::DossierLookup> {
    let st = state.clone();
    state
        .store
        .read(move |conn| -> ApiResult<wire::DossierLookup> {
            let not_found = || ApiError::NotFound("no dossier with that code and secret".into());
            let d = load_by_code(conn, code.trim())?.ok_or_else(not_found)?;
            let given = second_factor.trim().to_uppercase();
            let ok = [d.secret.to_uppercase(), d.applicant_id_number.to_uppercase()]
                .iter()
                .any(|s| service::secret_matches(s, &given));
            if !ok {
                return Err(not_found());
            }
            let now = st.now_ms();
            let mut stmt = conn.prepare_cached("SELECT at_ms, to_status FROM dossier_events WHERE dossier_id = ?1 ORDER BY at_ms, id")?;
            let history = stmt
                .query_map([d.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u8>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter_map(|(at, s)| {
                    let s = DossierStatus::from_code(s)?;
                    Some(wire::DossierStep { at: rfc3339(at), status: s.code(), status_vi: s.name_vi().into(), status_en: s.name_en().into() })
                })
                .collect();
            let ret = st.dir.center(d.return_center_id);
            Ok(wire::DossierLookup {
                code: d.code.clone(),
                procedure_name_vi: d.procedure_name_vi.clone(),
                procedure_name_en: d.procedure_name_en.clone(),
                applicant_masked: mask_name(&d.applicant_name),
                status: d.status.code(),
                status_vi: d.status.name_vi().into(),
                status_en: d.status.name_en().into(),
                received_at: rfc3339(d.received_ms),
                appointment_at: rfc3339(to_ms(d.deadline(&st.settings.calendar, now))),
                timeliness: timeliness_str(d.timeliness(&st.settings.calendar, now)).into(),
                return_center_name: ret.map(|c| c.name.clone()).unwrap_or_default(),
                return_center_address: ret.map(|c| c.address.clone()).unwrap_or_default(),
                history,
            })
        })
        .await
}

/// Dossiers concerning a center (received, processed or returned there), newest first,
/// optionally filtered by code, ID number or name (with or without diacritics).
pub async fn inbox(
    state: &AppState,
    center_id: Option<i64>,
    q: Option<String>,
    status: Option<u8>,
) -> ApiResult<Vec<DossierRow>> {
    state
        .store
        .read(move |conn| -> ApiResult<Vec<DossierRow>> {
            let mut sql = format!("{SELECT} WHERE 1 = 1");
            let mut args: Vec<rusqlite::types::Value> = Vec::new();
            if let Some(c) = center_id {
                args.push(c.into());
                let n = args.len();
                sql.push_str(&format!(" AND (d.processing_center_id = ?{n} OR d.receiving_center_id = ?{n} OR d.return_center_id = ?{n})"));
            }
            if let Some(s) = status {
                args.push(i64::from(s).into());
                sql.push_str(&format!(" AND d.status = ?{}", args.len()));
            }
            if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
                args.push(q.trim().to_uppercase().into());
                let exact = args.len();
                args.push(format!("%{}%", catalogue::fold(&q).replace(['%', '_'], "")).into());
                let like = args.len();
                sql.push_str(&format!(" AND (UPPER(d.code) = ?{exact} OR UPPER(d.applicant_id_number) = ?{exact} OR d.applicant_key LIKE ?{like})"));
            }
            sql.push_str(" ORDER BY d.received_ms DESC LIMIT 200");
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn names_are_masked() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V** A*");
        assert_eq!(mask_name("Lê"), "Lê");
        assert_eq!(mask_name(""), "");
    }
}
