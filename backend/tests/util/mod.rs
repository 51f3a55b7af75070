//! Helpers shared by the backend's integration tests.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use backend::core::{Clock, ManualClock};
use backend::state::{AppState, Settings};

pub struct App {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
}

/// A fresh seeded database in a temporary directory, with a manual clock set to a
/// Monday morning in opening hours (2026-12-07 09:00 local).
pub async fn app() -> App {
    app_with(Settings::default()).await
}

pub async fn app_with(settings: Settings) -> App {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::at_local(2026, 12, 7, 9, 0));
    let state = backend::open_state(
        &dir.path().join("q.sqlite"),
        clock.clone() as Arc<dyn Clock>,
        settings,
        true,
    )
    .await
    .unwrap();
    let router = backend::api::router(state.clone());
    App {
        state,
        router,
        clock,
        dir,
    }
}

impl App {
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        self.raw(req).await
    }

    pub async fn raw(&self, req: Request<Body>) -> (StatusCode, Value) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call("GET", path, None, None).await
    }

    pub async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/api/auth/login",
                None,
                Some(serde_json::json!({"username": username, "password": "demo"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    /// Issues a ticket at a center's demo kiosk.
    pub async fn issue(&self, center_id: i64, procedure_id: i64, priority: Option<&str>) -> Value {
        let (status, body) = self
            .call(
                "POST",
                "/api/kiosk/tickets",
                Some(&format!("demo-kiosk-{center_id}")),
                Some(serde_json::json!({"procedure_id": procedure_id, "priority": priority})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Id of a procedure by code.
    pub async fn procedure_id(&self, code: &str) -> i64 {
        let code = code.to_string();
        self.state
            .store
            .read(move |c| {
                c.query_row("SELECT id FROM procedures WHERE code = ?1", [code], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(backend::error::ApiError::from)
            })
            .await
            .unwrap()
    }

    /// Id of a procedure of a field (by field code) that center 2 may take.
    pub async fn procedure_of_field(&self, field_code: &str) -> i64 {
        let code = field_code.to_string();
        self.state
            .store
            .read(move |c| {
                c.query_row(
                    "SELECT p.id FROM procedures p JOIN fields f ON f.id = p.field_id
                     WHERE f.code = ?1 AND p.non_territorial = 1 ORDER BY p.id LIMIT 1",
                    [code],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(backend::error::ApiError::from)
            })
            .await
            .unwrap()
    }

    /// Counter id of a center's counter by number.
    pub fn counter_id(&self, center_id: i64, number: u32) -> i64 {
        self.state
            .dir
            .counters_of(center_id)
            .find(|c| c.number == number)
            .unwrap()
            .id
    }
}
