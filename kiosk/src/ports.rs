//! The two things the kiosk talks to, as traits: the backend's HTTP API and the ticket
//! printer. Controllers only see these traits, so they are unit-tested with fakes and no
//! window, no socket and no device.

use wire::{
    CenterRef, CheckInRequest, DossierLookup, Field, IssuePreview, IssueTicketRequest,
    KioskHeartbeat, KioskInfo, PrinterHealth, ProcedureList, TicketIssued,
};

/// Why a call to the backend failed, sorted by what the kiosk should tell the citizen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The backend could not be reached at all (network down, server stopped, time-out).
    #[error("backend unreachable: {0}")]
    Unreachable(String),
    /// The center is outside its opening hours (409 `center_closed`).
    #[error("center closed")]
    CenterClosed,
    /// A scanned ticket belongs to another center (409 `wrong_center`), named here.
    #[error("the ticket is for {}", .0.name)]
    WrongCenter(CenterRef),
    /// The kiosk token was refused (401) or is not allowed (403).
    #[error("kiosk token refused with status {0}")]
    Unauthorized(u16),
    /// Any other error answer, with the backend's machine-readable code.
    #[error("backend answered {status}: {code}")]
    Rejected {
        /// The HTTP status code.
        status: u16,
        /// The `error` member of the backend's `ErrorBody`, or empty when absent.
        code: String,
    },
    /// The answer could not be decoded; the kiosk and the backend disagree on the contract.
    #[error("undecodable answer from the backend: {0}")]
    Decode(String),
}

/// A filter for the procedure list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcedureQuery {
    /// Free text; the backend matches it with or without diacritics.
    pub text: Option<String>,
    /// Only the procedures of this field.
    pub field_id: Option<i64>,
    /// At most this many items.
    pub limit: u32,
}

/// The backend's kiosk API. Calls block; the UI calls them from its worker thread only.
pub trait BackendApi: Send + Sync {
    /// `GET /api/kiosk/me`: who the kiosk is and whether its center is open now.
    fn kiosk_info(&self) -> Result<KioskInfo, ApiError>;
    /// `GET /api/fields`.
    fn fields(&self) -> Result<Vec<Field>, ApiError>;
    /// `GET /api/procedures`.
    fn procedures(&self, query: &ProcedureQuery) -> Result<ProcedureList, ApiError>;
    /// `GET /api/kiosk/preview`: the wait here and faster centers, before issuing.
    fn preview(&self, procedure_id: i64) -> Result<IssuePreview, ApiError>;
    /// `POST /api/kiosk/tickets`.
    fn issue_ticket(&self, request: &IssueTicketRequest) -> Result<TicketIssued, ApiError>;
    /// `POST /api/kiosk/heartbeat`.
    fn heartbeat(&self, heartbeat: &KioskHeartbeat) -> Result<(), ApiError>;
    /// `GET /api/dossiers/lookup`: a dossier's status for the citizen. A wrong code or
    /// secret is a 404 `Rejected`; too many lookups is a 429 `Rejected`.
    fn lookup_dossier(&self, code: &str, secret: &str) -> Result<DossierLookup, ApiError>;
    /// `POST /api/kiosk/check-in`: a scanned ticket's QR. A remote ticket for this center
    /// is checked in; any other ticket of this center answers its state. A ticket of
    /// another center is [`ApiError::WrongCenter`]; a remote ticket past its window is a
    /// 409 `expired` `Rejected`; a wrong id or secret is a 404 `Rejected`.
    fn check_in(&self, request: &CheckInRequest) -> Result<TicketIssued, ApiError>;
}

/// A queue ticket ready for paper, every string already in the citizen's language: the
/// hardware crate's ticket layout itself, so what the controller fills is what prints.
pub use hardware::layout::TicketLayout as PrintedTicket;

/// The block printed on a ticket for another center, in Vietnamese with the English under
/// it whatever the citizen's language, so that the staff of either center can read it.
pub use hardware::layout::RemoteNotice as PrintedRemote;

/// Why a ticket did not come out of the printer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct PrintFailure {
    /// The printer's state as far as the kiosk knows it, reported in the heartbeat.
    pub health: PrinterHealth,
    /// A short technical description for the staff, e.g. "paper end".
    pub detail: String,
}

/// The kiosk's ticket printer. `print` blocks until the ticket is cut or has failed.
pub trait TicketPrinter: Send + Sync {
    /// Prints one ticket.
    fn print(&self, ticket: &PrintedTicket) -> Result<(), PrintFailure>;
    /// The printer's last known state, for the heartbeat.
    fn health(&self) -> PrinterHealth;
}

impl<T: TicketPrinter + ?Sized> TicketPrinter for std::sync::Arc<T> {
    fn print(&self, ticket: &PrintedTicket) -> Result<(), PrintFailure> {
        (**self).print(ticket)
    }

    fn health(&self) -> PrinterHealth {
        (**self).health()
    }
}
