//! Statistics for managers: the province overview, a center's day in charts, and the
//! CSV export of a day's figures per center, field, counter and staff member.
//!
//! The figures come from the `tickets` rows of a business day and, for who did what,
//! from the append-only `ticket_events` log. The aggregation itself (`aggregate`,
//! `day_charts`) is pure: it takes plain rows, so it is tested on tables of cases.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{Json, Path, Query, Role, Staff};
use crate::core::clock::business_day;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One ticket of a day, as the statistics need it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketFacts {
    pub field_id: i64,
    /// The counter that called it last (none if never called).
    pub counter_id: Option<i64>,
    /// `done`, `no_show`, `waiting`, …
    pub state: String,
    pub rating: Option<String>,
    pub issued_ms: i64,
    /// The first call: the end of the citizen's wait (recalls and transfers do not move it).
    pub first_call_ms: Option<i64>,
    /// The latest call: the start of the service at the counter that finished it.
    pub called_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    /// The account that finished the ticket or marked it a no-show.
    pub closed_by: Option<i64>,
}

/// Figures of one group of tickets (a center, a field, a counter or a staff member).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub issued: u32,
    pub served: u32,
    pub no_shows: u32,
    wait_sum_ms: i64,
    wait_n: u32,
    service_sum_ms: i64,
    service_n: u32,
    pub very_satisfied: u32,
    pub satisfied: u32,
    pub dissatisfied: u32,
}

impl Figures {
    fn add(&mut self, t: &TicketFacts) {
        self.issued += 1;
        if let Some(call) = t.first_call_ms {
            self.wait_sum_ms += (call - t.issued_ms).max(0);
            self.wait_n += 1;
        }
        match t.state.as_str() {
            "done" => {
                self.served += 1;
                if let (Some(call), Some(end)) = (t.called_ms, t.finished_ms) {
                    self.service_sum_ms += (end - call).max(0);
                    self.service_n += 1;
                }
                match t.rating.as_deref() {
                    Some("very_satisfied") => self.very_satisfied += 1,
                    Some("satisfied") => self.satisfied += 1,
                    Some("dissatisfied") => self.dissatisfied += 1,
                    _ => {}
                }
            }
            "no_show" => self.no_shows += 1,
            _ => {}
        }
    }

    /// Average wait (issue to first call) in seconds, over the tickets called.
    pub fn avg_wait_s(&self) -> Option<i64> {
        (self.wait_n > 0).then(|| self.wait_sum_ms / i64::from(self.wait_n) / 1000)
    }

    /// Average service time (last call to finish) in seconds, over the tickets served.
    pub fn avg_service_s(&self) -> Option<i64> {
        (self.service_n > 0).then(|| self.service_sum_ms / i64::from(self.service_n) / 1000)
    }
}

/// A day's figures grouped four ways. Keys are ids; names are looked up by the caller.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregate {
    pub center: Figures,
    pub by_field: BTreeMap<i64, Figures>,
    pub by_counter: BTreeMap<i64, Figures>,
    pub by_staff: BTreeMap<i64, Figures>,
}

/// Groups a day's tickets. Fields count every ticket; counters count the tickets they
/// called; staff members count the tickets they finished or marked as no-shows.
pub fn aggregate(tickets: &[TicketFacts]) -> Aggregate {
    let mut agg = Aggregate::default();
    for t in tickets {
        agg.center.add(t);
        agg.by_field.entry(t.field_id).or_default().add(t);
        if let Some(c) = t.counter_id {
            agg.by_counter.entry(c).or_default().add(t);
        }
        if let Some(a) = t.closed_by {
            agg.by_staff.entry(a).or_default().add(t);
        }
    }
    agg
}

/// Minutes-of-the-day bounds of the charts (local time): 07:00 to 18:00, widened when
/// tickets came earlier or the day runs later.
const CHART_FROM_MIN: i64 = 7 * 60;
const CHART_TO_MIN: i64 = 18 * 60;
/// Sampling step of the "waiting over the day" line.
const CHART_STEP_MIN: i64 = 15;
/// Upper bounds (minutes) of the wait-distribution buckets; the last bucket is open.
const WAIT_BUCKETS: [u32; 7] = [5, 10, 15, 20, 30, 45, 60];

/// A point of the "waiting over the day" line.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WaitingPoint {
    /// Minutes since local midnight.
    pub minute: u32,
    pub waiting: u32,
}

/// A bar of the wait distribution: tickets whose wait was in `[from_min, to_min)`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WaitBucket {
    pub from_min: u32,
    /// `None` for the open last bucket.
    pub to_min: Option<u32>,
    pub tickets: u32,
}

/// The charts of a center's day.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DayCharts {
    /// Tickets waiting, sampled every 15 minutes from 07:00 (earlier if tickets came
    /// earlier) until now; `minute` is minutes since local midnight.
    pub waiting_over_day: Vec<WaitingPoint>,
    /// Tickets issued per local hour, 24 entries (index = hour).
    pub arrivals_per_hour: Vec<u32>,
    pub wait_distribution: Vec<WaitBucket>,
}

/// Tickets waiting at `at`: issued by then, not yet called, and not closed otherwise.
fn waiting_at(tickets: &[TicketFacts], at: i64) -> u32 {
    tickets
        .iter()
        .filter(|t| {
            t.issued_ms <= at
                && t.first_call_ms.is_none_or(|c| c > at)
                && (t.first_call_ms.is_some() || t.finished_ms.is_none_or(|f| f > at))
        })
        .count() as u32
}

/// Builds the charts from a day's tickets; `midnight_ms` is the day's local midnight and
/// `now_ms` bounds the waiting line (no points in the future).
pub fn day_charts(tickets: &[TicketFacts], midnight_ms: i64, now_ms: i64) -> DayCharts {
    let mut arrivals = vec![0u32; 24];
    for t in tickets {
        let hour = ((t.issued_ms - midnight_ms) / 3_600_000).clamp(0, 23) as usize;
        arrivals[hour] += 1;
    }
    // The office day, widened to the hours that saw tickets (late openings, demos).
    let first_hour_min = tickets
        .iter()
        .map(|t| (t.issued_ms - midnight_ms).clamp(0, 86_399_999) / 3_600_000 * 60)
        .min();
    let from_min = first_hour_min.map_or(CHART_FROM_MIN, |m| m.min(CHART_FROM_MIN));
    let last_min = CHART_TO_MIN.max((now_ms - midnight_ms).clamp(0, 86_399_999) / 60_000);
    let mut waiting_over_day = Vec::new();
    let mut minute = from_min;
    while minute <= last_min {
        let at = midnight_ms + minute * 60_000;
        if at > now_ms {
            break;
        }
        let waiting = waiting_at(tickets, at);
        waiting_over_day.push(WaitingPoint {
            minute: minute as u32,
            waiting,
        });
        minute += CHART_STEP_MIN;
    }
    // The line ends with the queue as it is now: a last point at "now", or, when now is
    // in the minute of the last sample (taken at the start of that minute), that sample
    // brought up to now, so tickets issued since the minute began are counted too.
    let now_min = (now_ms - midnight_ms) / 60_000;
    if now_min >= from_min && now_min <= last_min {
        let waiting = waiting_at(tickets, now_ms);
        match waiting_over_day.last_mut() {
            Some(last) if i64::from(last.minute) == now_min => last.waiting = waiting,
            _ => waiting_over_day.push(WaitingPoint {
                minute: now_min as u32,
                waiting,
            }),
        }
    }
    let mut wait_distribution: Vec<WaitBucket> = Vec::new();
    let mut from = 0;
    for to in WAIT_BUCKETS {
        wait_distribution.push(WaitBucket {
            from_min: from,
            to_min: Some(to),
            tickets: 0,
        });
        from = to;
    }
    wait_distribution.push(WaitBucket {
        from_min: from,
        to_min: None,
        tickets: 0,
    });
    for t in tickets {
        if let Some(call) = t.first_call_ms {
            let wait_min = ((call - t.issued_ms).max(0) / 60_000) as u32;
            let i = WAIT_BUCKETS
                .iter()
                .position(|&to| wait_min < to)
                .unwrap_or(WAIT_BUCKETS.len());
            wait_distribution[i].tickets += 1;
        }
    }
    DayCharts {
        waiting_over_day,
        arrivals_per_hour: arrivals,
        wait_distribution,
    }
}

/// Reads the ticket facts of one center and business day.
pub fn load_facts(
    conn: &Connection,
    center_id: i64,
    day: &str,
) -> rusqlite::Result<Vec<TicketFacts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.field_id, t.counter_id, t.state, t.rating, t.issued_ms,
                (SELECT MIN(e.at_ms) FROM ticket_events e WHERE e.ticket_id = t.id AND e.action = 'call'),
                t.called_ms, t.finished_ms,
                (SELECT e.account_id FROM ticket_events e
                  WHERE e.ticket_id = t.id AND e.action IN ('finish', 'no_show')
                  ORDER BY e.id DESC LIMIT 1)
         FROM tickets t WHERE t.center_id = ?1 AND t.business_day = ?2 ORDER BY t.id",
    )?;
    let rows = stmt.query_map(params![center_id, day], |r| {
        Ok(TicketFacts {
            field_id: r.get(0)?,
            counter_id: r.get(1)?,
            state: r.get(2)?,
            rating: r.get(3)?,
            issued_ms: r.get(4)?,
            first_call_ms: r.get(5)?,
            called_ms: r.get(6)?,
            finished_ms: r.get(7)?,
            closed_by: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// Which day to report; today (local time) when absent.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DayQuery {
    /// Business day as `YYYY-MM-DD`.
    pub day: Option<String>,
}

fn resolve_day(state: &AppState, q: &DayQuery) -> ApiResult<chrono::NaiveDate> {
    match &q.day {
        None => Ok(business_day(state.now_ms())),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| ApiError::BadRequest(format!("day must be YYYY-MM-DD, not {s:?}"))),
    }
}

fn midnight_ms(day: chrono::NaiveDate) -> i64 {
    let offset = crate::core::clock::vietnam_offset();
    day.and_hms_opt(0, 0, 0)
        .and_then(|dt| dt.and_local_timezone(offset).single())
        .map(|dt| dt.timestamp_millis())
        .unwrap_or_default()
}

/// A center's line of the province overview.
#[derive(Debug, Serialize, ToSchema)]
pub struct CenterOverview {
    pub center: wire::CenterSummary,
    /// Average wait (issue to first call) of today's called tickets, in minutes.
    pub avg_wait_min: Option<f64>,
    pub no_shows_today: u32,
    pub issued_today: u32,
    /// Kiosks whose printer reports a fault, or that have not been seen for 2 minutes.
    pub kiosk_faults: Vec<KioskFault>,
}

/// A kiosk that needs attention.
#[derive(Debug, Serialize, ToSchema)]
pub struct KioskFault {
    pub kiosk_id: i64,
    pub name: String,
    /// Printer health as the kiosk reported it (`paper_end`, `offline`, …).
    pub printer_health: String,
    pub fault: Option<String>,
    /// True when the kiosk has not sent a heartbeat for 2 minutes.
    pub silent: bool,
}

/// A kiosk that sent no heartbeat for this long counts as silent.
const KIOSK_SILENT_MS: i64 = 120_000;

fn kiosk_faults(conn: &Connection, center_id: i64, now: i64) -> rusqlite::Result<Vec<KioskFault>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, printer_health, printer_fault, last_seen_ms FROM kiosks WHERE center_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([center_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<i64>>(4)?,
        ))
    })?;
    let mut faults = Vec::new();
    for row in rows {
        let (kiosk_id, name, printer_health, fault, last_seen) = row?;
        let silent = last_seen.is_some_and(|seen| now - seen > KIOSK_SILENT_MS);
        let bad_printer = !matches!(printer_health.as_str(), "ok" | "unknown");
        if silent || bad_printer {
            faults.push(KioskFault {
                kiosk_id,
                name,
                printer_health,
                fault,
                silent,
            });
        }
    }
    Ok(faults)
}

/// Every center the account may watch, with today's figures. Center managers see their
/// own center; provincial managers and admins see all.
#[utoipa::path(get, path = "/api/stats/overview", tag = "stats", security(("bearer" = [])),
    responses((status = 200, body = Vec<CenterOverview>), (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<CenterOverview>>> {
    staff.check_role(Role::CenterManager)?;
    let st = state.clone();
    let rows = state
        .store
        .read(move |conn| -> ApiResult<Vec<CenterOverview>> {
            let now = st.now_ms();
            let day = business_day(now).to_string();
            let mut out = Vec::new();
            for c in st
                .dir
                .centers
                .iter()
                .filter(|c| staff.center_id.is_none_or(|own| own == c.id))
            {
                let facts = load_facts(conn, c.id, &day)?;
                let figures = aggregate(&facts).center;
                out.push(CenterOverview {
                    center: super::public::center_summary(&st, conn, c)?,
                    avg_wait_min: figures
                        .avg_wait_s()
                        .map(|s| (s as f64 / 6.0).round() / 10.0),
                    no_shows_today: figures.no_shows,
                    issued_today: figures.issued,
                    kiosk_faults: kiosk_faults(conn, c.id, now)?,
                });
            }
            Ok(out)
        })
        .await?;
    Ok(Json(rows))
}

/// A center's day: summary figures and the data of its three charts.
#[derive(Debug, Serialize, ToSchema)]
pub struct CenterDay {
    pub center_id: i64,
    pub day: String,
    pub issued: u32,
    pub served: u32,
    pub no_shows: u32,
    pub avg_wait_s: Option<i64>,
    pub avg_service_s: Option<i64>,
    pub charts: DayCharts,
    pub kiosk_faults: Vec<KioskFault>,
}

/// The figures and charts of one center's day (center managers of that center and up).
#[utoipa::path(get, path = "/api/stats/centers/{id}", tag = "stats", security(("bearer" = [])),
    params(("id" = i64, Path, description = "center id"), DayQuery),
    responses((status = 200, body = CenterDay), (status = 400, body = wire::ErrorBody), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody)))]
pub async fn center_day(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<DayQuery>,
) -> ApiResult<Json<CenterDay>> {
    state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?;
    staff.check_role(Role::CenterManager)?;
    staff.check_center(id)?;
    let day = resolve_day(&state, &q)?;
    let now = state.now_ms();
    let result = state
        .store
        .read(move |conn| -> ApiResult<CenterDay> {
            let facts = load_facts(conn, id, &day.to_string())?;
            let figures = aggregate(&facts).center;
            Ok(CenterDay {
                center_id: id,
                day: day.to_string(),
                issued: figures.issued,
                served: figures.served,
                no_shows: figures.no_shows,
                avg_wait_s: figures.avg_wait_s(),
                avg_service_s: figures.avg_service_s(),
                charts: day_charts(&facts, midnight_ms(day), now),
                kiosk_faults: kiosk_faults(conn, id, now)?,
            })
        })
        .await?;
    Ok(Json(result))
}

/// The header of the CSV export.
pub const CSV_HEADER: &str = "day,center_code,scope,key,name,issued,served,no_shows,avg_wait_s,avg_service_s,very_satisfied,satisfied,dissatisfied";

/// Quotes a CSV value when it needs it (RFC 4180).
fn csv_value(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(day: &str, center: &str, scope: &str, key: &str, name: &str, f: &Figures) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    format!(
        "{day},{},{scope},{},{},{},{},{},{},{},{},{},{}\r\n",
        csv_value(center),
        csv_value(key),
        csv_value(name),
        f.issued,
        f.served,
        f.no_shows,
        opt(f.avg_wait_s()),
        opt(f.avg_service_s()),
        f.very_satisfied,
        f.satisfied,
        f.dissatisfied
    )
}

/// The day's statistics of a center as CSV: one line for the center, then one per field,
/// counter and staff member (scope `center`, `field`, `counter`, `staff`). Times are in
/// seconds; waits run from issue to first call, service from the last call to finish.
#[utoipa::path(get, path = "/api/stats/centers/{id}/export.csv", tag = "stats", security(("bearer" = [])),
    params(("id" = i64, Path, description = "center id"), DayQuery),
    responses((status = 200, description = "text/csv, UTF-8", content_type = "text/csv"), (status = 400, body = wire::ErrorBody),
              (status = 401, body = wire::ErrorBody), (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody)))]
pub async fn export_csv(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<DayQuery>,
) -> ApiResult<Response> {
    let center = state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?
        .clone();
    staff.check_role(Role::CenterManager)?;
    staff.check_center(id)?;
    let day = resolve_day(&state, &q)?.to_string();
    let st = state.clone();
    let day_for_name = day.clone();
    let body = state
        .store
        .read(move |conn| -> ApiResult<String> {
            let facts = load_facts(conn, id, &day)?;
            let agg = aggregate(&facts);
            let code = center.code.as_str();
            let mut out = String::from(CSV_HEADER);
            out.push_str("\r\n");
            out += &csv_line(&day, code, "center", code, &center.name, &agg.center);
            for (field_id, f) in &agg.by_field {
                let (key, name) = st
                    .dir
                    .field(*field_id)
                    .map(|x| (x.code.clone(), x.name_vi.clone()))
                    .unwrap_or_else(|| (field_id.to_string(), String::new()));
                out += &csv_line(&day, code, "field", &key, &name, f);
            }
            for (counter_id, f) in &agg.by_counter {
                let number = st.dir.counter(*counter_id).map(|c| c.number).unwrap_or(0);
                out += &csv_line(
                    &day,
                    code,
                    "counter",
                    &number.to_string(),
                    &format!("Quầy {number}"),
                    f,
                );
            }
            let mut names =
                conn.prepare_cached("SELECT username, full_name FROM accounts WHERE id = ?1")?;
            for (account_id, f) in &agg.by_staff {
                let (username, full_name): (String, String) =
                    names.query_row([account_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                out += &csv_line(&day, code, "staff", &username, &full_name, f);
            }
            Ok(out)
        })
        .await?;
    let filename = format!(
        "thong-ke-{}-{day_for_name}.csv",
        state.dir.center(id).map(|c| c.code.as_str()).unwrap_or("")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn ticket(
        field: i64,
        counter: Option<i64>,
        state: &str,
        issued: i64,
        first_call: Option<i64>,
        finished: Option<i64>,
    ) -> TicketFacts {
        TicketFacts {
            field_id: field,
            counter_id: counter,
            state: state.into(),
            rating: None,
            issued_ms: issued,
            first_call_ms: first_call,
            called_ms: first_call,
            finished_ms: finished,
            closed_by: None,
        }
    }

    #[test]
    fn aggregate_counts_served_no_shows_waits_and_ratings() {
        let mut a = ticket(1, Some(10), "done", 0, Some(4 * MIN), Some(10 * MIN));
        a.rating = Some("very_satisfied".into());
        a.closed_by = Some(7);
        let mut b = ticket(1, Some(10), "no_show", 0, Some(2 * MIN), Some(5 * MIN));
        b.closed_by = Some(7);
        let c = ticket(2, None, "waiting", MIN, None, None);
        let agg = aggregate(&[a, b, c]);
        assert_eq!(agg.center.issued, 3);
        assert_eq!(agg.center.served, 1);
        assert_eq!(agg.center.no_shows, 1);
        assert_eq!(agg.center.avg_wait_s(), Some(180));
        assert_eq!(agg.center.avg_service_s(), Some(360));
        assert_eq!(agg.center.very_satisfied, 1);
        assert_eq!(agg.by_field[&1].issued, 2);
        assert_eq!(agg.by_field[&2].avg_wait_s(), None);
        assert_eq!(agg.by_counter[&10].served, 1);
        assert_eq!(agg.by_staff[&7].no_shows, 1);
        assert_eq!(agg.by_staff.len(), 1);
    }

    #[test]
    fn charts_sample_waiting_and_bucket_waits() {
        let midnight = 0;
        let at = |h: i64, m: i64| midnight + (h * 60 + m) * MIN;
        let tickets = [
            ticket(
                1,
                Some(1),
                "done",
                at(7, 5),
                Some(at(7, 40)),
                Some(at(7, 50)),
            ),
            ticket(1, None, "waiting", at(8, 10), None, None),
            ticket(1, None, "cancelled", at(7, 10), None, Some(at(7, 20))),
        ];
        let charts = day_charts(&tickets, midnight, at(8, 30));
        let points: Vec<(u32, u32)> = charts
            .waiting_over_day
            .iter()
            .map(|p| (p.minute, p.waiting))
            .collect();
        assert_eq!(
            points,
            vec![
                (420, 0),
                (435, 2),
                (450, 1),
                (465, 0),
                (480, 0),
                (495, 1),
                (510, 1)
            ]
        );
        // Now in the first minute of a sample: the last point counts the tickets issued
        // since the minute began (here one at 8:30:10, seen at 8:30:20).
        let early = [
            tickets.to_vec(),
            vec![ticket(1, None, "waiting", at(8, 30) + 10_000, None, None)],
        ]
        .concat();
        let charts_now = day_charts(&early, midnight, at(8, 30) + 20_000);
        let last = charts_now.waiting_over_day.last().unwrap();
        assert_eq!((last.minute, last.waiting), (510, 2));
        assert_eq!(charts_now.waiting_over_day.len(), points.len());
        assert_eq!(charts.arrivals_per_hour[7], 2);
        assert_eq!(charts.arrivals_per_hour[8], 1);
        // A 35-minute wait falls in [30, 45).
        let bucket = charts
            .wait_distribution
            .iter()
            .find(|b| b.tickets == 1)
            .unwrap();
        assert_eq!((bucket.from_min, bucket.to_min), (30, Some(45)));
    }

    #[test]
    fn csv_values_are_quoted_when_needed() {
        assert_eq!(csv_value("Hộ tịch"), "Hộ tịch");
        assert_eq!(csv_value("a,b"), "\"a,b\"");
        assert_eq!(csv_value("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
