//! The backend's kiosk API over HTTP, with a blocking reqwest client. The UI calls it from
//! its worker thread, never from the event loop.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use wire::{
    CheckInRequest, DossierLookup, ErrorBody, Field, IssuePreview, IssueTicketRequest,
    KioskHeartbeat, KioskInfo, ProcedureList, TicketIssued,
};

use crate::ports::{ApiError, BackendApi, ProcedureQuery};

/// A client of one backend, authenticated as one kiosk.
pub struct HttpBackend {
    client: Client,
    /// The backend's base URL without a trailing slash, e.g. `http://127.0.0.1:8080`.
    base_url: String,
    /// The kiosk's bearer token.
    token: String,
}

impl HttpBackend {
    /// A client with a short time-out: a citizen should not wait long to learn that the
    /// backend is unreachable.
    pub fn new(base_url: &str, token: &str, timeout: Duration) -> Result<Self, ApiError> {
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|error| ApiError::Unreachable(error.to_string()))?;
        Ok(HttpBackend {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base_url))
            .bearer_auth(&self.token)
    }

    fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base_url))
            .bearer_auth(&self.token)
    }
}

/// Sends a request and sorts failures the way the kiosk needs them.
fn send(request: RequestBuilder) -> Result<Response, ApiError> {
    let response = request
        .send()
        .map_err(|error| ApiError::Unreachable(error.to_string()))?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let (code, center) = response
        .json::<ErrorBody>()
        .map(|body| (body.error, body.center))
        .unwrap_or_default();
    Err(match (status, center) {
        (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, _) => {
            ApiError::Unauthorized(status.as_u16())
        }
        (StatusCode::CONFLICT, _) if code == "center_closed" => ApiError::CenterClosed,
        (StatusCode::CONFLICT, Some(center)) if code == "wrong_center" => {
            ApiError::WrongCenter(center)
        }
        // A proxy in front of a stopped backend answers 502/503/504.
        (
            StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT,
            _,
        ) => ApiError::Unreachable(format!("status {status}")),
        _ => ApiError::Rejected {
            status: status.as_u16(),
            code,
        },
    })
}

fn json<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    send(request)?
        .json::<T>()
        .map_err(|error| ApiError::Decode(error.to_string()))
}

impl BackendApi for HttpBackend {
    fn kiosk_info(&self) -> Result<KioskInfo, ApiError> {
        json(self.get("/api/kiosk/me"))
    }

    fn fields(&self) -> Result<Vec<Field>, ApiError> {
        json(self.get("/api/fields"))
    }

    fn procedures(&self, query: &ProcedureQuery) -> Result<ProcedureList, ApiError> {
        let mut params: Vec<(&str, String)> = vec![("limit", query.limit.to_string())];
        if let Some(text) = &query.text {
            params.push(("q", text.clone()));
        }
        if let Some(field_id) = query.field_id {
            params.push(("field_id", field_id.to_string()));
        }
        json(self.get("/api/procedures").query(&params))
    }

    fn preview(&self, procedure_id: i64) -> Result<IssuePreview, ApiError> {
        json(
            self.get("/api/kiosk/preview")
                .query(&[("procedure_id", procedure_id)]),
        )
    }

    fn issue_ticket(&self, request: &IssueTicketRequest) -> Result<TicketIssued, ApiError> {
        json(self.post("/api/kiosk/tickets").json(request))
    }

    fn heartbeat(&self, heartbeat: &KioskHeartbeat) -> Result<(), ApiError> {
        send(self.post("/api/kiosk/heartbeat").json(heartbeat)).map(drop)
    }

    fn lookup_dossier(&self, code: &str, secret: &str) -> Result<DossierLookup, ApiError> {
        json(
            self.get("/api/dossiers/lookup")
                .query(&[("code", code), ("secret", secret)]),
        )
    }

    fn check_in(&self, request: &CheckInRequest) -> Result<TicketIssued, ApiError> {
        json(self.post("/api/kiosk/check-in").json(request))
    }
}
