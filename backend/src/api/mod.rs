//! The HTTP JSON API. `router(state)` builds the whole app, so tests drive it with
//! `oneshot` and `main` serves the very same router.

pub mod balance;
pub mod dossiers;
pub mod events;
pub mod extract;
pub mod limit;
pub mod public;
pub mod staff;
pub mod stats;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

/// Largest JSON body accepted; every legitimate request is far smaller.
pub const MAX_JSON_BODY: usize = 16 * 1024;
/// Largest catalogue CSV accepted (the province's 1,823 procedures take about 400 KB).
pub const MAX_CSV_BODY: usize = 8 * 1024 * 1024;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Hàng đợi — queue system for public administration service centers", version = "0.1.0",
         description = "Kiosks, counters, hall displays and dashboards of a province's service centers share this API."),
    modifiers(&BearerAuth),
    tags((name = "catalogue"), (name = "centers"), (name = "kiosk"), (name = "tickets"), (name = "staff"), (name = "counter"), (name = "dossiers"), (name = "live"), (name = "stats"))
)]
struct ApiDoc;

/// The OpenAPI document and the API routes, built together from the handlers.
fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(public::list_centers))
        .routes(routes!(public::get_center))
        .routes(routes!(public::list_fields))
        .routes(routes!(public::list_procedures))
        .routes(routes!(public::get_procedure))
        .routes(routes!(public::catalogue_stats))
        .routes(routes!(public::kiosk_me))
        .routes(routes!(public::kiosk_preview))
        .routes(routes!(public::kiosk_issue))
        .routes(routes!(public::kiosk_heartbeat))
        .routes(routes!(public::ticket_status))
        .routes(routes!(public::kiosk_check_in))
        .routes(routes!(balance::center_hint))
        .routes(routes!(balance::hints))
        .routes(routes!(staff::login))
        .routes(routes!(staff::me))
        .routes(routes!(staff::public_queue))
        .routes(routes!(staff::staff_queue))
        .routes(routes!(staff::open_counter))
        .routes(routes!(staff::close_counter))
        .routes(routes!(staff::call_next))
        .routes(routes!(staff::recall))
        .routes(routes!(staff::no_show))
        .routes(routes!(staff::start))
        .routes(routes!(staff::finish))
        .routes(routes!(staff::transfer))
        .routes(routes!(staff::cancel))
        .routes(routes!(dossiers::receive))
        .routes(routes!(dossiers::reprint))
        .routes(routes!(dossiers::set_status))
        .routes(routes!(dossiers::inbox))
        .routes(routes!(dossiers::lookup))
        .routes(routes!(dossiers::import))
        .routes(routes!(events::center_events))
        .routes(routes!(events::province_events))
        .routes(routes!(stats::overview))
        .routes(routes!(stats::center_day))
        .routes(routes!(stats::export_csv))
        .split_for_parts()
}

/// The OpenAPI 3 document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api_routes();
    let (_, import) = OpenApiRouter::<AppState>::new()
        .routes(routes!(staff::import_catalogue))
        .split_for_parts();
    doc.merge(import);
    doc
}

async fn not_found() -> impl IntoResponse {
    ApiError::NotFound("no such endpoint".into())
}

async fn health() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (api, _) = api_routes();
    let doc = openapi();
    let import = Router::new()
        .route(
            "/api/catalogue/import",
            axum::routing::post(staff::import_catalogue),
        )
        .layer(DefaultBodyLimit::max(MAX_CSV_BODY));
    Router::new()
        .merge(api.layer(DefaultBodyLimit::max(MAX_JSON_BODY)))
        .merge(import)
        .route(
            "/api/openapi.json",
            get(move || async move { axum::Json(doc.clone()) }),
        )
        .route("/healthz", get(health))
        .merge(crate::web::router())
        .fallback(not_found)
        .with_state(state)
}
