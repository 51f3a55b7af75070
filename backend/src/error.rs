//! One error type for the service layer and the HTTP API, with one status mapping.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::core::ticket::{IllegalTransition, NumberingError};
use crate::store::StoreError;

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: bad JSON, wrong types, bad query values.
    #[error("{0}")]
    BadRequest(String),
    /// No credentials, or credentials that are wrong or expired.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated, but the role or center does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// The named thing does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with the current state (illegal transition, closed center).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// A ticket presented at a kiosk of another center than the one that serves it (409
    /// `wrong_center`); the answer names that center so the kiosk can send the citizen there.
    #[error("{message}")]
    WrongCenter {
        message: String,
        center: wire::CenterRef,
    },
    /// The body is larger than allowed.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Well-formed but semantically invalid (e.g. a procedure this center may not take).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// Too many requests from this client.
    #[error("{0}")]
    TooManyRequests(String),
    /// A fault of ours; logged, never echoed to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Unprocessable {
            code,
            message: message.into(),
        }
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } | ApiError::WrongCenter { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict { code, .. } => code,
            ApiError::WrongCenter { .. } => "wrong_center",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::Unprocessable { code, .. } => code,
            ApiError::TooManyRequests(_) => "too_many_requests",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Sqlite(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        // A constraint violation is the client's conflict, not our crash.
        if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
            if f.code == rusqlite::ErrorCode::ConstraintViolation {
                return ApiError::conflict(
                    "constraint",
                    format!(
                        "the change conflicts with existing data: {}",
                        msg.clone().unwrap_or_default()
                    ),
                );
            }
        }
        ApiError::Internal(e.to_string())
    }
}

impl From<IllegalTransition> for ApiError {
    fn from(e: IllegalTransition) -> Self {
        ApiError::conflict("illegal_transition", e.to_string())
    }
}

impl From<NumberingError> for ApiError {
    fn from(e: NumberingError) -> Self {
        ApiError::conflict("series_full", e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error; it has been logged".to_string()
            }
            other => other.to_string(),
        };
        let center = match &self {
            ApiError::WrongCenter { center, .. } => Some(center.clone()),
            _ => None,
        };
        let body = wire::ErrorBody {
            error: self.code().to_string(),
            message,
            center,
        };
        (self.status_code(), Json(body)).into_response()
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        match r {
            J::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::PayloadTooLarge("the request body is too large".into())
            }
            J::MissingJsonContentType(_) => {
                ApiError::BadRequest("expected a body with Content-Type: application/json".into())
            }
            other => ApiError::BadRequest(format!("invalid JSON body: {}", other.body_text())),
        }
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest(format!("invalid query string: {}", r.body_text()))
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(r: axum::extract::rejection::PathRejection) -> Self {
        ApiError::BadRequest(format!("invalid path: {}", r.body_text()))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
