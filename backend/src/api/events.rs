//! Server-sent events: live queue changes per center and for the whole province.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use tokio_stream::wrappers::{errors::BroadcastStreamRecvError, BroadcastStream};
use utoipa::ToSchema;

use super::extract::Path;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Waiting count of one field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldWaiting {
    pub field_id: i64,
    pub waiting: u32,
}

/// One change of a center's queues. `kind` is one of issued, called, recalled, no_show,
/// started, finished, transferred, cancelled, expired. Sent as SSE event `queue`; an
/// event `resync` (empty data) tells a subscriber that fell behind to refetch snapshots.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueEvent {
    pub kind: String,
    pub center_id: i64,
    pub at: String,
    pub ticket: Option<wire::Ticket>,
    /// Waiting tickets per field of the center after the change.
    pub waiting_by_field: Vec<FieldWaiting>,
}

fn stream_for(
    state: &AppState,
    center: Option<i64>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let hello = stream::once(async { Ok(Event::default().event("hello").data("{}")) });
    let updates =
        BroadcastStream::new(state.events.subscribe()).filter_map(move |item| async move {
            match item {
                Ok(p) if center.is_none_or(|c| c == p.center_id) => {
                    Some(Ok(Event::default().event("queue").data(p.json.as_ref())))
                }
                Ok(_) => None,
                Err(BroadcastStreamRecvError::Lagged(_)) => {
                    Some(Ok(Event::default().event("resync").data("{}")))
                }
            }
        });
    hello.chain(updates)
}

/// Live events of one center.
#[utoipa::path(get, path = "/api/centers/{id}/events", tag = "live",
    params(("id" = i64, Path, description = "center id")),
    responses((status = 200, description = "text/event-stream of QueueEvent", content_type = "text/event-stream"),
              (status = 404, body = wire::ErrorBody)))]
pub async fn center_events(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    state
        .dir
        .center(id)
        .ok_or_else(|| ApiError::NotFound(format!("no center {id}")))?;
    Ok(Sse::new(stream_for(&state, Some(id)))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Live events of every center of the province.
#[utoipa::path(get, path = "/api/events", tag = "live",
    responses((status = 200, description = "text/event-stream of QueueEvent", content_type = "text/event-stream")))]
pub async fn province_events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    Sse::new(stream_for(&state, None))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
