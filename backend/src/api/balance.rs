//! Balancing endpoints for managers: the hint of which field needs a counter moved to it.

use axum::extract::State;

use super::extract::{Json, Path};
use crate::core::clock::business_day;
use crate::core::hint::{self, FieldPressure};
use crate::core::policy::FieldTargets;
use crate::error::{ApiError, ApiResult};
use crate::service;
use crate::state::AppState;

/// Which field of a center needs a counter moved to it: the field whose last citizen in
/// line would wait longest relative to the field's target, and a field that can spare a
/// counter. Public like the center's queue summary it is computed from.
#[utoipa::path(get, path = "/api/centers/{id}/hint", tag = "centers",
    params(("id" = i64, Path, description = "center id")),
    responses((status = 200, body = wire::CenterHint), (status = 404, body = wire::ErrorBody)))]
pub async fn center_hint(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::CenterHint>> {
    state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?;
    let st = state.clone();
    let answer = state
        .store
        .read(move |conn| -> ApiResult<wire::CenterHint> {
            let dir = &st.dir;
            let day = business_day(st.now_ms()).to_string();
            let waiting = service::waiting_by_field(conn, id, &day)?;
            let targets = FieldTargets::by_code(dir.fields.iter().map(|f| (f.id, f.code.as_str())));
            let mut pressures = Vec::new();
            for f in dir
                .fields
                .iter()
                .filter(|f| dir.counters_for(id, f.id).next().is_some())
            {
                let (open, _, _) = service::counter_load(conn, dir, id, f.id)?;
                let (service_min, _) = service::service_minutes(conn, id, f.id)?;
                pressures.push(FieldPressure {
                    field_id: f.id,
                    waiting: waiting
                        .iter()
                        .find(|(w, _)| *w == f.id)
                        .map_or(0, |(_, n)| *n),
                    counters_open: open,
                    service_min,
                    target_min: targets.target_min(f.id),
                });
            }
            let advice = hint::hint(&pressures);
            let name = |field: i64| {
                dir.field(field)
                    .map(|f| f.name_vi.clone())
                    .unwrap_or_default()
            };
            let message_vi = match advice {
                None => "Các lĩnh vực đều trong thời gian chờ mục tiêu.".to_string(),
                Some(h) => match h.from_field {
                    Some(from) => format!(
                        "Nên chuyển một quầy từ lĩnh vực {} sang lĩnh vực {}.",
                        name(from),
                        name(h.to_field)
                    ),
                    None => format!("Lĩnh vực {} cần thêm một quầy.", name(h.to_field)),
                },
            };
            Ok(wire::CenterHint {
                center_id: id,
                fields: pressures
                    .iter()
                    .map(|p| wire::FieldLoad {
                        field_id: p.field_id,
                        field_name_vi: name(p.field_id),
                        waiting: p.waiting,
                        counters_open: p.counters_open,
                        expected_wait_min: p.expected_wait_min().map(|m| m.round() as u32),
                        target_min: p.target_min.round() as u32,
                    })
                    .collect(),
                move_to_field_id: advice.map(|h| h.to_field),
                move_from_field_id: advice.and_then(|h| h.from_field),
                message_vi,
            })
        })
        .await?;
    Ok(Json(answer))
}
