//! The web pages: the counter console (`/counter`), the hall display
//! (`/display/{center}`) and the manager dashboard (`/dashboard`).
//!
//! The pages are plain HTML, CSS and ES modules compiled into the binary, so there is no
//! JavaScript build step and nothing to deploy beside the backend. They talk to the JSON
//! API and its server-sent events like any other client; every role and center check
//! happens in the API, the pages only hide what the account may not use.

pub mod assets;
pub mod speech;
pub mod wav;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::state::AppState;

/// The page routes and their static assets.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/counter", get(|| page(assets::COUNTER_HTML)))
        .route("/dashboard", get(|| page(assets::DASHBOARD_HTML)))
        .route("/display/{center}", get(display))
        // Opened from the QR codes on tickets and dossier receipts, on a phone.
        .route("/t/{id}", get(|| page(assets::TRACK_HTML)))
        .route("/tra-cuu", get(|| page(assets::TRACK_HTML)))
        .route("/web/{*file}", get(asset))
}

async fn page(html: &'static str) -> Response {
    ([(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response()
}

async fn index() -> Response {
    page(assets::INDEX_HTML).await
}

/// The hall display of a center, named by id (`/display/2`) or code (`/display/HONGGAI`).
async fn display(
    State(state): State<AppState>,
    axum::extract::Path(center): axum::extract::Path<String>,
) -> Response {
    let known = state
        .dir
        .centers
        .iter()
        .any(|c| c.id.to_string() == center || c.code.eq_ignore_ascii_case(&center));
    if known {
        page(assets::DISPLAY_HTML).await
    } else {
        (
            StatusCode::NOT_FOUND,
            Html(format!(
                "<!doctype html><meta charset=utf-8><title>404</title><p>Không có trung tâm «{}». / No such center.</p>",
                html_escape(&center)
            )),
        )
            .into_response()
    }
}

async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match assets::find(&file) {
        Some((content_type, bytes)) => {
            // Audio never changes between releases of a clip name; code may.
            let cache = if content_type.starts_with("audio/") {
                "public, max-age=86400"
            } else {
                "no-cache"
            };
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, cache),
                ],
                bytes,
            )
                .into_response()
        }
        None => crate::error::ApiError::NotFound(format!("no asset {file}")).into_response(),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
