//! Extractors whose rejections are `ApiError`s, so every 4xx has a JSON body.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::service::ProcedureFacts;
use crate::state::AppState;
use crate::store::seed::token_hash;

/// JSON body; malformed JSON, wrong types and oversized bodies become 400/413.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query string; bad values become 400.
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Path parameters; bad values become 400.
#[derive(Debug, Clone, Copy, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::Unauthorized("missing Authorization: Bearer <token> header".into())
        })?;
    let value = header
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not valid text".into()))?;
    value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized("expected Authorization: Bearer <token>".into()))
}

/// Staff roles, from least to most reach.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CounterStaff,
    CenterManager,
    ProvincialManager,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "counter_staff" => Role::CounterStaff,
            "center_manager" => Role::CenterManager,
            "provincial_manager" => Role::ProvincialManager,
            "admin" => Role::Admin,
            _ => return None,
        })
    }
}

/// A signed-in staff member (from a session token).
#[derive(Debug, Clone)]
pub struct Staff {
    pub account_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// `None` for provincial roles, which reach every center.
    pub center_id: Option<i64>,
}

impl Staff {
    /// 403 unless the account may act at `center_id`.
    pub fn check_center(&self, center_id: i64) -> Result<(), ApiError> {
        match self.center_id {
            None => Ok(()),
            Some(own) if own == center_id => Ok(()),
            Some(_) => Err(ApiError::Forbidden(format!(
                "your account is not bound to center {center_id}"
            ))),
        }
    }

    /// 403 unless the account has at least `role`.
    pub fn check_role(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {role:?} role or higher"
            )))
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let hash = token_hash(bearer(parts)?);
        let now = state.now_ms();
        let row = state
            .store
            .read(move |conn| {
                use rusqlite::OptionalExtension;
                conn.query_row(
                    "SELECT a.id, a.username, a.full_name, a.role, a.center_id FROM sessions s
                     JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?1 AND s.expires_ms > ?2",
                    rusqlite::params![hash, now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?)),
                )
                .optional()
                .map_err(ApiError::from)
            })
            .await?;
        let (account_id, username, full_name, role, center_id) = row.ok_or_else(|| {
            ApiError::Unauthorized("the session token is unknown or expired; sign in again".into())
        })?;
        let role =
            Role::parse(&role).ok_or_else(|| ApiError::Internal(format!("unknown role {role}")))?;
        Ok(Staff {
            account_id,
            username,
            full_name,
            role,
            center_id,
        })
    }
}

/// An authenticated kiosk (from its per-kiosk token), bound to one center.
#[derive(Debug, Clone, Copy)]
pub struct Kiosk {
    pub kiosk_id: i64,
    pub center_id: i64,
}

impl FromRequestParts<AppState> for Kiosk {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let hash = token_hash(bearer(parts)?);
        let row = state
            .store
            .read(move |conn| {
                use rusqlite::OptionalExtension;
                conn.query_row(
                    "SELECT id, center_id FROM kiosks WHERE token_hash = ?1",
                    [hash],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(ApiError::from)
            })
            .await?;
        let (kiosk_id, center_id) =
            row.ok_or_else(|| ApiError::Unauthorized("unknown kiosk token".into()))?;
        Ok(Kiosk {
            kiosk_id,
            center_id,
        })
    }
}

/// The client's address, for rate limits (loopback when unknown, e.g. in `oneshot` tests).
pub fn client_key(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// Client address extractor.
pub struct ClientKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientKey(client_key(parts)))
    }
}

/// Keeps `ProcedureFacts` reachable for handlers without a second import path.
pub type Facts = ProcedureFacts;
