//! Balancing endpoints for managers: the hint of which field needs a counter moved to it,
//! for one center and for every center a manager watches.

use axum::extract::State;
use rusqlite::Connection;

use super::extract::{Json, Path, Staff};
use crate::core::clock::business_day;
use crate::core::hint::{self, FieldPressure};
use crate::error::{ApiError, ApiResult};
use crate::service;
use crate::state::{AppState, Center, Field};

/// Which field of a center needs a counter moved to it: the field whose last citizen in
/// line would wait longest relative to the field's target, and a field that can spare a
/// counter. For the staff of that center and for provincial accounts: it is advice for
/// the people who run the center, not for the public.
#[utoipa::path(get, path = "/api/centers/{id}/hint", tag = "centers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "center id")),
    responses((status = 200, body = wire::CenterHint), (status = 401, body = wire::ErrorBody),
              (status = 403, body = wire::ErrorBody), (status = 404, body = wire::ErrorBody)))]
pub async fn center_hint(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::CenterHint>> {
    state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?;
    staff.check_center(id)?;
    let st = state.clone();
    let answer = state
        .store
        .read(move |conn| -> ApiResult<wire::CenterHint> {
            let center = st
                .dir
                .center(id)
                .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?;
            let day = business_day(st.now_ms()).to_string();
            Ok(compute(conn, &st, &day, center)?.hint)
        })
        .await?;
    Ok(Json(answer))
}

/// The hints of every center the account watches that needs one, worst first (the
/// largest expected wait relative to the target; no counter open for people waiting is
/// the worst). Centers within target are left out, so a provincial manager sees the few
/// centers to act on rather than 55 panels; staff bound to a center get at most theirs.
#[utoipa::path(get, path = "/api/hints", tag = "centers", security(("bearer" = [])),
    responses((status = 200, body = Vec<wire::CenterHint>), (status = 401, body = wire::ErrorBody)))]
pub async fn hints(
    State(state): State<AppState>,
    staff: Staff,
) -> ApiResult<Json<Vec<wire::CenterHint>>> {
    let st = state.clone();
    let answer = state
        .store
        .read(move |conn| -> ApiResult<Vec<wire::CenterHint>> {
            let day = business_day(st.now_ms()).to_string();
            let mut needy = Vec::new();
            for center in st
                .dir
                .centers
                .iter()
                .filter(|c| staff.center_id.is_none_or(|own| own == c.id))
            {
                let computed = compute(conn, &st, &day, center)?;
                if let Some(worst) = computed.worst {
                    needy.push((worst, computed.hint));
                }
            }
            needy.sort_by(|(a, ha), (b, hb)| {
                b.pressure()
                    .total_cmp(&a.pressure())
                    .then(b.waiting.cmp(&a.waiting))
                    .then(ha.center_id.cmp(&hb.center_id))
            });
            Ok(needy.into_iter().map(|(_, h)| h).collect())
        })
        .await?;
    Ok(Json(answer))
}

/// A center's hint and, when it needs one, the field that needs a counter.
struct Computed {
    hint: wire::CenterHint,
    worst: Option<FieldPressure>,
}

/// The hint of one center from today's queue, on a reader connection.
fn compute(
    conn: &Connection,
    state: &AppState,
    day: &str,
    center: &Center,
) -> rusqlite::Result<Computed> {
    let dir = &state.dir;
    let waiting = service::waiting_by_field(conn, center.id, day)?;
    let targets = &dir.targets;
    let mut pressures = Vec::new();
    let mut totals = Vec::new();
    for f in dir
        .fields
        .iter()
        .filter(|f| dir.counters_for(center.id, f.id).next().is_some())
    {
        let (open, _, configured) = service::counter_load(conn, dir, center.id, f.id)?;
        let waiting = waiting
            .iter()
            .find(|(w, _)| *w == f.id)
            .map_or(0, |(_, n)| *n);
        // With nobody waiting the service time does not change the expected wait (zero
        // with or without a counter less), so the two service-time queries are skipped:
        // that keeps the province-wide list cheap.
        let service_min = if waiting > 0 {
            let weight = state
                .field_learning
                .of_field(conn, f.id, state.now_ms())?
                .center_prior_weight;
            service::service_minutes(conn, center.id, f.id, weight)?.0
        } else {
            0.0
        };
        pressures.push(FieldPressure {
            field_id: f.id,
            waiting,
            counters_open: open,
            service_min,
            target_min: targets.target_min(f.id),
        });
        totals.push(configured);
    }
    let advice = hint::hint(&pressures);
    let worst = advice.and_then(|h| pressures.iter().find(|p| p.field_id == h.to_field));
    let (message_vi, message_en) = messages(worst.map(|to| {
        (
            to,
            dir.field(to.field_id),
            advice
                .and_then(|h| h.from_field)
                .and_then(|from| dir.field(from)),
        )
    }));
    let fields = pressures
        .iter()
        .zip(totals)
        .map(|(p, counters_total)| {
            let field = dir.field(p.field_id);
            wire::FieldLoad {
                field_id: p.field_id,
                field_name_vi: field.map(|f| f.name_vi.clone()).unwrap_or_default(),
                field_name_en: field.map(|f| f.name_en.clone()).unwrap_or_default(),
                waiting: p.waiting,
                counters_open: p.counters_open,
                counters_total,
                expected_wait_min: p.expected_wait_min().map(|m| m.round() as u32),
                target_min: p.target_min.round() as u32,
                over_target: p.over_target(),
            }
        })
        .collect();
    Ok(Computed {
        hint: wire::CenterHint {
            center_id: center.id,
            center_name: center.name.clone(),
            fields,
            move_to_field_id: advice.map(|h| h.to_field),
            move_from_field_id: advice.and_then(|h| h.from_field),
            message_vi,
            message_en,
        },
        worst: worst.copied(),
    })
}

/// The advice in Vietnamese and in English, from the field that needs a counter (its
/// load, its names) and the field that can spare one, if any.
fn messages(needy: Option<(&FieldPressure, Option<&Field>, Option<&Field>)>) -> (String, String) {
    let Some((to, to_field, from_field)) = needy else {
        return (
            "Các lĩnh vực đều trong thời gian chờ mục tiêu.".into(),
            "Every field is within its target wait.".into(),
        );
    };
    let (to_vi, to_en) = to_field.map_or(("?", "?"), |f| (&f.name_vi, &f.name_en));
    let target = to.target_min.round() as u32;
    let (why_vi, why_en) = match to.expected_wait_min() {
        Some(wait) => {
            let wait = wait.round() as u32;
            (
                format!("chờ dự kiến {wait} phút, mục tiêu {target} phút"),
                format!("expected wait {wait} min, target {target} min"),
            )
        }
        None => (
            format!("{} người đang chờ, chưa có quầy nào mở", to.waiting),
            format!("{} waiting, no counter open", to.waiting),
        ),
    };
    match (from_field, to.counters_open) {
        (Some(from), _) => (
            format!(
                "Chuyển 1 quầy từ lĩnh vực {} sang lĩnh vực {to_vi} ({why_vi}).",
                from.name_vi
            ),
            format!(
                "Move 1 counter from {} to {to_en} ({why_en}).",
                from.name_en
            ),
        ),
        (None, 0) => (
            format!("Mở thêm 1 quầy cho lĩnh vực {to_vi} ({why_vi})."),
            format!("Open a counter for {to_en} ({why_en})."),
        ),
        (None, _) => (
            format!(
                "Lĩnh vực {to_vi} cần thêm 1 quầy ({why_vi}); không lĩnh vực nào khác bớt được quầy mà vẫn trong mục tiêu."
            ),
            format!(
                "{to_en} needs one more counter ({why_en}); no other field can spare one and stay within its target."
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: i64, vi: &str, en: &str) -> Field {
        Field {
            id,
            code: String::new(),
            name_vi: vi.into(),
            name_en: en.into(),
            series: 1,
            target_min: 30.0,
        }
    }

    fn load(waiting: u32, counters_open: u32) -> FieldPressure {
        FieldPressure {
            field_id: 1,
            waiting,
            counters_open,
            service_min: 8.0,
            target_min: 30.0,
        }
    }

    #[test]
    fn messages_table() {
        let land = field(1, "Đất đai", "Land");
        let cert = field(2, "Chứng thực", "Certification");
        let (crowded, unserved, alone) = (load(12, 2), load(5, 0), load(9, 1));
        // (name, input, Vietnamese, English)
        type Input<'a> = Option<(&'a FieldPressure, Option<&'a Field>, Option<&'a Field>)>;
        let cases: Vec<(&str, Input<'_>, &str, &str)> = vec![
            (
                "no hint",
                None,
                "Các lĩnh vực đều trong thời gian chờ mục tiêu.",
                "Every field is within its target wait.",
            ),
            (
                "move from a donor",
                Some((&crowded, Some(&land), Some(&cert))),
                "Chuyển 1 quầy từ lĩnh vực Chứng thực sang lĩnh vực Đất đai (chờ dự kiến 48 phút, mục tiêu 30 phút).",
                "Move 1 counter from Certification to Land (expected wait 48 min, target 30 min).",
            ),
            (
                "no counter open, no donor",
                Some((&unserved, Some(&land), None)),
                "Mở thêm 1 quầy cho lĩnh vực Đất đai (5 người đang chờ, chưa có quầy nào mở).",
                "Open a counter for Land (5 waiting, no counter open).",
            ),
            (
                "no counter open, a donor",
                Some((&unserved, Some(&land), Some(&cert))),
                "Chuyển 1 quầy từ lĩnh vực Chứng thực sang lĩnh vực Đất đai (5 người đang chờ, chưa có quầy nào mở).",
                "Move 1 counter from Certification to Land (5 waiting, no counter open).",
            ),
            (
                "a counter open, no donor",
                Some((&alone, Some(&land), None)),
                "Lĩnh vực Đất đai cần thêm 1 quầy (chờ dự kiến 72 phút, mục tiêu 30 phút); không lĩnh vực nào khác bớt được quầy mà vẫn trong mục tiêu.",
                "Land needs one more counter (expected wait 72 min, target 30 min); no other field can spare one and stay within its target.",
            ),
        ];
        for (name, input, vi, en) in cases {
            assert_eq!(messages(input), (vi.to_string(), en.to_string()), "{name}");
        }
    }
}
