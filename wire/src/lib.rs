//! Wire types of the HTTP JSON API, shared by the backend (which serves them) and the
//! kiosk (which consumes them).
//!
//! These are plain data: no behaviour, no domain rules. The backend converts its domain
//! types into these by hand at the HTTP boundary, so the domain model can change without
//! breaking clients. Times are RFC 3339 strings with an offset (the center's local time).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The JSON body of every 4xx/5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    /// A stable machine-readable code such as `not_found`, `conflict`, `bad_request`.
    pub error: String,
    /// A human-readable explanation in English of what is wrong.
    pub message: String,
    /// With `wrong_center`: the center the scanned ticket belongs to, so that a kiosk can
    /// send the citizen there. Absent from every other error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center: Option<CenterRef>,
}

/// A center named for a citizen who has to go there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CenterRef {
    pub id: i64,
    pub name: String,
    pub address: String,
}

/// Administrative level that has jurisdiction over a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Provincial,
    Commune,
}

/// The kind of a service center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CenterKind {
    Provincial,
    Commune,
}

/// A field (lĩnh vực) groups procedures and decides which counters serve them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Field {
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// The leading digit of ticket numbers of this field (see the numbering scheme).
    pub series: u8,
    /// Number of procedures of the field in the catalogue.
    pub procedure_count: u32,
}

/// One administrative procedure (thủ tục hành chính) of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Procedure {
    pub id: i64,
    /// The procedure code (MaTTHC).
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub field_id: i64,
    pub field_code: String,
    pub level: Level,
    /// May be filed at any center of the province (LaPhiDiaGioi).
    pub non_territorial: bool,
    pub processing_time: f64,
    /// One of `hours`, `days`, `working_days`, `months`.
    pub processing_unit: String,
    pub has_fees: bool,
    /// Marked true for catalogue entries generated to reach the province's counts.
    pub generated: bool,
}

/// A page of procedures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProcedureList {
    /// Number of matches before `limit`/`offset` were applied.
    pub total: u32,
    pub items: Vec<Procedure>,
}

/// Counts of the catalogue, as the province reports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CatalogueStats {
    pub total: u32,
    pub non_territorial: u32,
    pub non_territorial_provincial: u32,
    pub non_territorial_commune: u32,
}

/// A center with a live summary of its queues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CenterSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: CenterKind,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    /// Opening hours as written for people, e.g. "T2–T6 07:30–11:30, 13:30–17:00".
    pub opening_hours: String,
    pub open_now: bool,
    /// Tickets waiting now (not yet called).
    pub waiting: u32,
    /// Counters with a signed-in officer now.
    pub counters_open: u32,
    /// Tickets served (finished) today.
    pub served_today: u32,
    /// Minutes the oldest waiting ticket has waited, if any.
    pub longest_wait_min: Option<u32>,
}

/// Why a citizen is served first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriorityReason {
    Elderly,
    Disability,
    Pregnant,
    MeritoriousService,
}

/// Life-cycle state of a queue ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    Waiting,
    Called,
    Serving,
    Done,
    NoShow,
    Cancelled,
    /// Issued for another center and not yet checked in there.
    Remote,
    /// Closed by the daily reset or an expired remote check-in window.
    Expired,
}

/// A kiosk asks for a ticket (authenticated by its kiosk token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IssueTicketRequest {
    pub procedure_id: i64,
    #[serde(default)]
    pub priority: Option<PriorityReason>,
    /// Issue the ticket for another center (a suggestion the citizen accepted).
    #[serde(default)]
    pub for_center_id: Option<i64>,
}

/// An estimate of the wait, in minutes, with a plausible range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WaitEstimate {
    /// Tickets ahead in the same field's queue (waiting only).
    pub people_ahead: u32,
    /// Point estimate in minutes; `None` when there is no basis (no counter open).
    pub minutes: Option<u32>,
    pub low_minutes: Option<u32>,
    pub high_minutes: Option<u32>,
    /// Counters open now that serve the field.
    pub counters_open: u32,
}

/// Another center that would serve the citizen clearly sooner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Suggestion {
    pub center_id: i64,
    pub center_name: String,
    pub address: String,
    pub travel_minutes: u32,
    pub wait: WaitEstimate,
    /// Estimated minutes saved compared with staying, travel included.
    pub saving_minutes: u32,
}

/// A ticket as the public (kiosk, QR status page) may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ticket {
    pub id: i64,
    /// The number people read and hear, e.g. 1023.
    pub number: u32,
    pub center_id: i64,
    pub center_name: String,
    pub field_id: i64,
    pub field_name_vi: String,
    pub field_name_en: String,
    pub procedure_id: i64,
    pub procedure_name_vi: String,
    pub procedure_name_en: String,
    pub priority: Option<PriorityReason>,
    pub state: TicketState,
    pub issued_at: String,
    /// The counter number that called the ticket, when called or serving.
    pub counter_number: Option<u32>,
}

/// The answer to a kiosk's ticket request, and to a check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TicketIssued {
    pub ticket: Ticket,
    /// The wait now; for a remote ticket not yet checked in, the wait expected on arrival.
    pub wait: WaitEstimate,
    /// A short secret printed in the ticket's QR; with the id it opens the status page.
    pub secret: String,
    /// The URL the ticket's QR code carries.
    pub tracking_url: String,
    /// Centers that would serve the citizen clearly sooner, best first (may be empty).
    pub suggestions: Vec<Suggestion>,
    /// Set when the ticket was issued for another center than the kiosk's (a remote
    /// ticket): where to go and by when to check in there. `None` for a local ticket.
    #[serde(default)]
    pub remote: Option<RemoteTicket>,
}

/// Where a remote ticket is served and until when its place is kept: the citizen must
/// scan the ticket's QR at a kiosk of the serving center before `check_in_deadline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RemoteTicket {
    /// The center that serves the ticket (the same as `ticket.center_id`).
    pub center: CenterRef,
    /// The center whose kiosk issued the ticket.
    pub origin: CenterRef,
    /// Estimated travel from the origin, in minutes.
    pub travel_minutes: u32,
    /// Issue time plus travel: the ticket's place in the serving center's queue.
    pub expected_arrival: String,
    /// The last moment to check in; after it the ticket expires (`409 expired`).
    pub check_in_deadline: String,
    /// Whether the ticket has been checked in at the serving center.
    pub checked_in: bool,
    /// When it was checked in, if it was.
    #[serde(default)]
    pub checked_in_at: Option<String>,
}

/// What a kiosk shows on its confirmation screen before issuing: the wait here and,
/// when another center is clearly faster, suggestions to go there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IssuePreview {
    pub procedure: Procedure,
    /// Whether this center may take the procedure at all.
    pub eligible_here: bool,
    pub wait: WaitEstimate,
    pub suggestions: Vec<Suggestion>,
}

/// The status of one ticket, for its QR page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TicketStatus {
    pub ticket: Ticket,
    pub wait: WaitEstimate,
}

/// What a kiosk learns about itself after authenticating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskInfo {
    pub kiosk_id: i64,
    pub kiosk_name: String,
    pub center: CenterSummary,
}

/// Health of the kiosk's printer as the kiosk last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrinterHealth {
    Ok,
    PaperNearEnd,
    PaperEnd,
    CoverOpen,
    Offline,
    Unknown,
}

/// A kiosk's periodic heartbeat; also sent at once when a print fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KioskHeartbeat {
    pub printer: PrinterHealth,
    /// A human-readable fault, e.g. "paper end while printing ticket 1023".
    #[serde(default)]
    pub fault: Option<String>,
}

/// A kiosk checks in a remote ticket whose QR code it scanned
/// (`{public_url}/t/{ticket_id}?s={secret}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CheckInRequest {
    pub ticket_id: i64,
    pub secret: String,
}

/// One field of a center on the manager's hint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldLoad {
    pub field_id: i64,
    pub field_name_vi: String,
    #[serde(default)]
    pub field_name_en: String,
    pub waiting: u32,
    pub counters_open: u32,
    /// Counters of the center that serve the field, open or not.
    #[serde(default)]
    pub counters_total: u32,
    /// Expected wait of the last in line; `None` when people wait and no counter is open.
    pub expected_wait_min: Option<u32>,
    /// The wait the field aims for.
    pub target_min: u32,
    /// The expected wait is longer than the target (always so when people wait and no
    /// counter is open).
    #[serde(default)]
    pub over_target: bool,
}

/// Which field of a center needs a counter moved to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CenterHint {
    pub center_id: i64,
    #[serde(default)]
    pub center_name: String,
    /// Every field some counter of the center serves, in the catalogue's order.
    pub fields: Vec<FieldLoad>,
    /// The field that needs another counter; `None` when every field is within target.
    pub move_to_field_id: Option<i64>,
    /// A field that can spare a counter and stay within its target, if any.
    pub move_from_field_id: Option<i64>,
    /// The advice in plain Vietnamese for the dashboard, with the expected wait and the
    /// target of the field that needs a counter.
    pub message_vi: String,
    /// The same advice in English.
    #[serde(default)]
    pub message_en: String,
}

/// One step of a dossier's history as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierStep {
    pub at: String,
    /// National status code 1–10.
    pub status: u8,
    pub status_vi: String,
    pub status_en: String,
}

/// A dossier's status for the citizen (kiosk status screen, mobile page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierLookup {
    pub code: String,
    pub procedure_name_vi: String,
    pub procedure_name_en: String,
    /// The applicant's name with most letters masked, e.g. "Nguyễn V** A*".
    pub applicant_masked: String,
    pub status: u8,
    pub status_vi: String,
    pub status_en: String,
    pub received_at: String,
    /// The appointment date, pushed back by supplement pauses.
    pub appointment_at: String,
    /// `early`, `on_time`, `late`, `within_deadline` or `overdue`.
    pub timeliness: String,
    pub return_center_name: String,
    pub return_center_address: String,
    pub history: Vec<DossierStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_use_snake_case_on_the_wire() {
        let json = serde_json::to_string(&PriorityReason::MeritoriousService).unwrap();
        assert_eq!(json, "\"meritorious_service\"");
        let state: TicketState = serde_json::from_str("\"no_show\"").unwrap();
        assert_eq!(state, TicketState::NoShow);
    }

    #[test]
    fn issue_request_defaults_optional_fields() {
        let req: IssueTicketRequest = serde_json::from_str(r#"{"procedure_id": 7}"#).unwrap();
        assert_eq!(req.priority, None);
        assert_eq!(req.for_center_id, None);
    }

    #[test]
    fn answers_of_older_backends_still_decode() {
        let error: ErrorBody =
            serde_json::from_str(r#"{"error": "not_found", "message": "no ticket 5"}"#).unwrap();
        assert_eq!(error.center, None);
        let json = serde_json::to_string(&error).unwrap();
        assert!(!json.contains("center"), "{json}");
        let issued: TicketIssued = serde_json::from_value(serde_json::json!({
            "ticket": {
                "id": 5, "number": 1023, "center_id": 2, "center_name": "A",
                "field_id": 1, "field_name_vi": "Hộ tịch", "field_name_en": "Civil status",
                "procedure_id": 1, "procedure_name_vi": "Đăng ký khai sinh",
                "procedure_name_en": "Birth registration", "priority": null,
                "state": "waiting", "issued_at": "2026-12-07T08:00:00+07:00",
                "counter_number": null
            },
            "wait": {
                "people_ahead": 0, "minutes": 0, "low_minutes": 0, "high_minutes": 0,
                "counters_open": 1
            },
            "secret": "k3x9abcd",
            "tracking_url": "http://x/t/5?s=k3x9abcd",
            "suggestions": []
        }))
        .unwrap();
        assert_eq!(issued.remote, None);
    }
}
