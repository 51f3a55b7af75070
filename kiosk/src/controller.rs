//! The kiosk's flow as plain Rust: which screen is shown, what it shows, and what happens
//! on each tap. It talks to the backend and the printer through the traits of
//! [`crate::ports`] and to the screen through [`KioskView`], so it is tested with fakes,
//! without a window. Calls block: the UI runs the controller on its own worker thread.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hardware::scanner::{parse_scanned, Scanned};
use wire::{
    CheckInRequest, DossierLookup, Field, IssuePreview, IssueTicketRequest, KioskHeartbeat,
    KioskInfo, PrinterHealth, PriorityReason, Procedure, TicketIssued, TicketState,
};

use crate::ports::{
    ApiError, BackendApi, PrintFailure, PrintedTicket, ProcedureQuery, TicketPrinter,
};
use crate::text::{priority_name, remote_notice, ticket_phrases, wait_words, Language};

/// The screens of the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// Starting up: asking the backend who we are.
    #[default]
    Loading,
    /// Fields as large tiles, plus search, dossier check and language.
    Home,
    /// The procedures of one field.
    Procedures,
    /// Search with the on-screen keyboard.
    Search,
    /// The priority choice.
    Priority,
    /// People ahead, wait, faster centers, and the button that issues the ticket.
    Confirm,
    /// Issuing and printing.
    Printing,
    /// "Please take your ticket", with the number huge.
    Done,
    /// The ticket was issued but did not print: the number huge, to photograph.
    PrintFailed,
    /// The center is outside its opening hours.
    Closed,
    /// The backend cannot be reached.
    Offline,
    /// Dossier check (scan the receipt's QR code).
    Dossier,
    /// A queue ticket's QR was scanned: a remote ticket checked in, or any ticket's status.
    CheckIn,
}

/// A tile or row of a list: an id and what to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The backend's id of the field or procedure.
    pub id: i64,
    /// The name in the citizen's language.
    pub name: String,
    /// A second line: the number of procedures of a field, or a procedure's field.
    pub detail: String,
}

/// The wait at one place, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaitView {
    /// Tickets waiting before the citizen.
    pub people_ahead: u32,
    /// Estimated minutes, when known.
    pub minutes: Option<u32>,
    /// Counters open for the field.
    pub counters_open: u32,
}

impl From<&wire::WaitEstimate> for WaitView {
    fn from(wait: &wire::WaitEstimate) -> Self {
        WaitView {
            people_ahead: wait.people_ahead,
            minutes: wait.minutes,
            counters_open: wait.counters_open,
        }
    }
}

/// A faster center the citizen may choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionView {
    /// The backend's id of the center.
    pub center_id: i64,
    /// Its name.
    pub center_name: String,
    /// Its address.
    pub address: String,
    /// Travel time from here.
    pub travel_minutes: u32,
    /// The wait there.
    pub wait: WaitView,
    /// Minutes saved, travel included.
    pub saving_minutes: u32,
}

/// What the confirmation screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfirmView {
    /// The procedure's name.
    pub procedure_name: String,
    /// Its field's name.
    pub field_name: String,
    /// Whether this center takes the procedure.
    pub eligible_here: bool,
    /// Whether the procedure is filed at the provincial level (else at a commune or ward):
    /// where to send a citizen when no center on offer takes it.
    pub provincial_procedure: bool,
    /// The wait here.
    pub wait: WaitView,
    /// Faster centers, best first.
    pub suggestions: Vec<SuggestionView>,
    /// The priority the citizen chose, if any.
    pub priority: Option<PriorityReason>,
}

/// What the ticket screens (done or print failed) show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TicketView {
    /// The ticket number.
    pub number: u32,
    /// The center where the citizen is served.
    pub center_name: String,
    /// That center's address when it is another center, else empty.
    pub other_center_address: String,
    /// For a ticket for another center, the local time ("10:45") by which it must be
    /// scanned at that center's kiosk; else empty.
    pub check_in_by: String,
    /// The procedure's name.
    pub procedure_name: String,
    /// The wait when the ticket was issued.
    pub wait: WaitView,
    /// The priority of the ticket.
    pub priority: Option<PriorityReason>,
}

/// What the dossier screen has to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DossierOutcome {
    /// Nothing scanned yet: the screen asks for the receipt.
    #[default]
    Waiting,
    /// The dossier was found; [`DossierView`] holds it.
    Found,
    /// No dossier has this code and secret.
    NotFound,
    /// The backend refused: too many lookups from here.
    TooMany,
    /// The backend could not be reached.
    Unreachable,
    /// The scanned text is not a dossier receipt's code.
    Unreadable,
}

/// One step of a dossier's history, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DossierStepView {
    /// When, as `dd/mm/yyyy hh:mm`.
    pub at: String,
    /// The status reached, in the citizen's language.
    pub status: String,
}

/// What the dossier screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DossierView {
    /// The outcome of the last scan.
    pub outcome: DossierOutcome,
    /// The dossier code.
    pub code: String,
    /// The procedure, in the citizen's language.
    pub procedure_name: String,
    /// The applicant's masked name.
    pub applicant: String,
    /// The status, in the citizen's language.
    pub status: String,
    /// The national status code 1–10.
    pub status_code: u8,
    /// The day the dossier was received, `dd/mm/yyyy`.
    pub received: String,
    /// The appointment day, `dd/mm/yyyy`.
    pub appointment: String,
    /// Early, on time, late, within the deadline or overdue, in plain words.
    pub timeliness: String,
    /// Whether the dossier is late or overdue.
    pub late: bool,
    /// Where the result is returned.
    pub return_center_name: String,
    /// That center's address.
    pub return_center_address: String,
    /// The history, oldest first.
    pub history: Vec<DossierStepView>,
}

/// What the check-in screen has to say about a scanned ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CheckInOutcome {
    /// The backend is being asked.
    #[default]
    Checking,
    /// A remote ticket is checked in (now or at an earlier scan) and waits for its turn.
    Arrived,
    /// A ticket issued at this center, waiting for its turn.
    Waiting,
    /// The ticket is being called or served: [`CheckInView::counter`] says where.
    Called,
    /// The ticket was served.
    Served,
    /// A no-show, cancelled, or closed at the end of its day: no longer valid.
    Closed,
    /// The ticket is for another center, named in the view.
    WrongCenter,
    /// A remote ticket scanned after its check-in window.
    Expired,
    /// No ticket has this id and secret.
    NotFound,
    /// The backend could not be reached.
    Unreachable,
}

impl CheckInOutcome {
    /// Whether the ticket is valid and the screen shows its number and wait.
    pub fn found(self) -> bool {
        matches!(
            self,
            CheckInOutcome::Arrived | CheckInOutcome::Waiting | CheckInOutcome::Called
        )
    }
}

/// What the check-in screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckInView {
    /// What happened.
    pub outcome: CheckInOutcome,
    /// The ticket number, when the ticket was found.
    pub number: u32,
    /// The procedure, in the citizen's language.
    pub procedure_name: String,
    /// The wait now.
    pub wait: WaitView,
    /// The counter that called the ticket.
    pub counter: Option<u32>,
    /// The center to go to, when the ticket is for another center.
    pub center_name: String,
    /// That center's address.
    pub center_address: String,
}

impl CheckInView {
    /// The backend's answer to a check-in, in the citizen's language.
    pub fn answered(answer: &TicketIssued, language: Language) -> Self {
        let ticket = &answer.ticket;
        let outcome = match ticket.state {
            TicketState::Waiting if answer.remote.as_ref().is_some_and(|r| r.checked_in) => {
                CheckInOutcome::Arrived
            }
            TicketState::Waiting => CheckInOutcome::Waiting,
            TicketState::Called | TicketState::Serving => CheckInOutcome::Called,
            TicketState::Done => CheckInOutcome::Served,
            // The backend answers a remote ticket past its window with 409; one still
            // `remote` here would be a backend that did not check it in.
            TicketState::NoShow
            | TicketState::Cancelled
            | TicketState::Expired
            | TicketState::Remote => CheckInOutcome::Closed,
        };
        CheckInView {
            outcome,
            number: ticket.number,
            procedure_name: language
                .pick(&ticket.procedure_name_vi, &ticket.procedure_name_en)
                .to_owned(),
            wait: WaitView::from(&answer.wait),
            counter: ticket.counter_number,
            center_name: ticket.center_name.clone(),
            center_address: String::new(),
        }
    }

    fn outcome(outcome: CheckInOutcome) -> Self {
        CheckInView {
            outcome,
            ..CheckInView::default()
        }
    }
}

/// `2026-12-18T16:30:00+07:00` as `16:30`; anything else as it is.
pub fn time_of_day(rfc3339: &str) -> String {
    match rfc3339.get(11..16) {
        Some(time) if rfc3339.as_bytes().get(10) == Some(&b'T') => time.to_owned(),
        _ => rfc3339.to_owned(),
    }
}

/// `2026-12-18T16:30:00+07:00` as `18/12/2026`; anything else as it is.
pub fn day_text(rfc3339: &str) -> String {
    let date = rfc3339.get(..10).unwrap_or(rfc3339);
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [year, month, day] if year.len() == 4 => format!("{day}/{month}/{year}"),
        _ => rfc3339.to_owned(),
    }
}

/// `2026-12-18T16:30:00+07:00` as `18/12/2026 16:30`.
pub fn day_time_text(rfc3339: &str) -> String {
    match rfc3339.get(11..16) {
        Some(time) if rfc3339.as_bytes().get(10) == Some(&b'T') => {
            format!("{} {time}", day_text(rfc3339))
        }
        _ => day_text(rfc3339),
    }
}

/// The backend's `timeliness` in plain words, and whether it is bad news.
pub fn timeliness_words(timeliness: &str, language: Language) -> (&'static str, bool) {
    let english = language == Language::English;
    match timeliness {
        "early" if english => ("Result ready ahead of the appointment", false),
        "early" => ("Có kết quả trước hẹn", false),
        "on_time" if english => ("Result ready on time", false),
        "on_time" => ("Có kết quả đúng hẹn", false),
        "late" if english => ("Result ready after the appointment date", true),
        "late" => ("Có kết quả trễ hẹn", true),
        "overdue" if english => ("Past the appointment date", true),
        "overdue" => ("Đã quá hạn hẹn trả", true),
        _ if english => ("Within the deadline", false),
        _ => ("Đang trong hạn giải quyết", false),
    }
}

impl DossierView {
    /// The dossier in the citizen's language.
    pub fn found(lookup: &DossierLookup, language: Language) -> Self {
        let (timeliness, late) = timeliness_words(&lookup.timeliness, language);
        DossierView {
            outcome: DossierOutcome::Found,
            code: lookup.code.clone(),
            procedure_name: language
                .pick(&lookup.procedure_name_vi, &lookup.procedure_name_en)
                .to_owned(),
            applicant: lookup.applicant_masked.clone(),
            status: language
                .pick(&lookup.status_vi, &lookup.status_en)
                .to_owned(),
            status_code: lookup.status,
            received: day_text(&lookup.received_at),
            appointment: day_text(&lookup.appointment_at),
            timeliness: timeliness.to_owned(),
            late,
            return_center_name: lookup.return_center_name.clone(),
            return_center_address: lookup.return_center_address.clone(),
            history: lookup
                .history
                .iter()
                .map(|step| DossierStepView {
                    at: day_time_text(&step.at),
                    status: language.pick(&step.status_vi, &step.status_en).to_owned(),
                })
                .collect(),
        }
    }

    fn outcome(outcome: DossierOutcome, code: &str) -> Self {
        DossierView {
            outcome,
            code: code.to_owned(),
            ..DossierView::default()
        }
    }
}

/// Everything the screen shows: the controller's output, rendered by the UI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewState {
    /// The screen on show.
    pub screen: Screen,
    /// The citizen's language.
    pub language: Language,
    /// The center's name, for the header.
    pub center_name: String,
    /// The center's opening hours, for the closed screen.
    pub opening_hours: String,
    /// The field tiles of the home screen.
    pub fields: Vec<Item>,
    /// The name of the field whose procedures are listed.
    pub field_name: String,
    /// The procedures of that field.
    pub procedures: Vec<Item>,
    /// The search results.
    pub search_results: Vec<Item>,
    /// Whether the search text matched nothing.
    pub search_empty: bool,
    /// The confirmation screen.
    pub confirm: ConfirmView,
    /// The ticket screens.
    pub ticket: TicketView,
    /// The last code read on the dossier screen.
    pub scanned_code: String,
    /// The dossier screen.
    pub dossier: DossierView,
    /// The check-in screen.
    pub check_in: CheckInView,
    /// A request is running (the UI shows a quiet "please wait").
    pub busy: bool,
}

/// Where the controller sends every new state. The UI's implementation posts it to the
/// event loop; tests keep it.
pub trait KioskView: Send {
    /// Shows this state.
    fn render(&self, state: &ViewState);
}

/// What the citizen (or a timer) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Load or reload the kiosk's identity and the fields.
    Start,
    /// Go back to the home screen and forget the citizen's choices.
    Home,
    /// One step back.
    Back,
    /// Switch the language.
    SetLanguage(Language),
    /// Show the procedures of a field.
    OpenField(i64),
    /// Show the search screen.
    OpenSearch,
    /// Search for this text.
    Search(String),
    /// Choose a procedure: show its confirmation.
    OpenProcedure(i64),
    /// Show the priority choice.
    OpenPriority,
    /// Set or clear the priority, back to the confirmation.
    ChoosePriority(Option<PriorityReason>),
    /// Issue the ticket here (`None`) or at a suggested center, and print it.
    Issue(Option<i64>),
    /// Show the dossier-check screen.
    OpenDossier,
    /// A code arrived from the scanner or the keyboard: a receipt's QR payload
    /// (`HS1:CODE:SECRET` or `…/tra-cuu?ma=CODE&k=SECRET`) is looked up; a queue
    /// ticket's (`…/t/{id}?s={secret}`) is checked in, or its status shown.
    Scanned(String),
    /// Look up a dossier by the code and secret typed on the screen.
    LookupDossier {
        /// The dossier code.
        code: String,
        /// The receipt's secret.
        secret: String,
    },
    /// The citizen touched the screen without asking for anything (scrolled a list);
    /// it only restarts the idle time-out.
    Touched,
    /// Nobody touched the kiosk for [`Controller::idle_timeout`].
    Idle,
}

/// The kiosk's time-outs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Back home after this long without a touch on any screen but home.
    pub idle: Duration,
    /// Back home after the "take your ticket" screen.
    pub done: Duration,
    /// Back home after the print-failed screen (longer: people take a photo).
    pub print_failed: Duration,
    /// Re-check the backend this often on the home, closed and offline screens.
    pub refresh: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            idle: Duration::from_secs(60),
            done: Duration::from_secs(15),
            print_failed: Duration::from_secs(60),
            refresh: Duration::from_secs(30),
        }
    }
}

/// The printer fault last seen, shared with the heartbeat so that the backend keeps
/// hearing about it until the printer is healthy again.
pub type FaultSlot = Arc<Mutex<Option<String>>>;

/// The most procedures a list shows: the backend's page limit. Real procedures come before
/// the generated catalogue entries, so the ones people ask for are on this page.
const LIST_LIMIT: u32 = 200;
/// The most search results shown.
const SEARCH_LIMIT: u32 = 30;

/// The kiosk's flow.
pub struct Controller {
    backend: Arc<dyn BackendApi>,
    printer: Arc<dyn TicketPrinter>,
    view: Box<dyn KioskView>,
    timeouts: Timeouts,
    /// The language a new citizen starts in.
    default_language: Language,
    /// The last fault, shared with the heartbeat thread.
    fault: FaultSlot,
    /// The kiosk's identity, when known.
    info: Option<KioskInfo>,
    /// The catalogue's fields.
    fields: Vec<Field>,
    /// The field open on the procedures screen.
    field_id: Option<i64>,
    /// The procedures of that field.
    procedures: Vec<Procedure>,
    /// The last search's results.
    search_results: Vec<Procedure>,
    /// The last search's text (to tell "nothing typed" from "nothing found").
    search_text: String,
    /// The preview of the chosen procedure.
    preview: Option<IssuePreview>,
    /// The screen the confirmation was opened from, for Back.
    confirm_from: Screen,
    /// The priority the citizen chose.
    priority: Option<PriorityReason>,
    /// The ticket issued last, for the ticket screens.
    issued: Option<TicketIssued>,
    /// The dossier found last, for the dossier screen.
    dossier: Option<DossierLookup>,
    /// The backend's answer about the ticket scanned last, for the check-in screen.
    checked: Option<TicketIssued>,
    state: ViewState,
}

impl Controller {
    /// A controller on the loading screen; send it [`Command::Start`].
    pub fn new(
        backend: Arc<dyn BackendApi>,
        printer: Arc<dyn TicketPrinter>,
        view: Box<dyn KioskView>,
        timeouts: Timeouts,
        default_language: Language,
        fault: FaultSlot,
    ) -> Self {
        let state = ViewState {
            language: default_language,
            ..ViewState::default()
        };
        Controller {
            backend,
            printer,
            view,
            timeouts,
            default_language,
            fault,
            info: None,
            fields: Vec::new(),
            field_id: None,
            procedures: Vec::new(),
            search_results: Vec::new(),
            search_text: String::new(),
            preview: None,
            confirm_from: Screen::Home,
            priority: None,
            issued: None,
            dossier: None,
            checked: None,
            state,
        }
    }

    /// The state on show.
    pub fn state(&self) -> &ViewState {
        &self.state
    }

    /// How long the current screen may stay untouched before [`Command::Idle`] is due;
    /// `None` while printing.
    pub fn idle_timeout(&self) -> Option<Duration> {
        match self.state.screen {
            Screen::Printing => None,
            Screen::Loading | Screen::Home | Screen::Closed | Screen::Offline => {
                Some(self.timeouts.refresh)
            }
            Screen::Done => Some(self.timeouts.done),
            // A valid ticket's wait is read like the "take your ticket" screen; a problem
            // may need a while to read, or to ask someone.
            Screen::CheckIn if self.state.check_in.outcome.found() => Some(self.timeouts.done),
            Screen::PrintFailed => Some(self.timeouts.print_failed),
            Screen::Procedures
            | Screen::Search
            | Screen::Priority
            | Screen::Confirm
            | Screen::Dossier
            | Screen::CheckIn => Some(self.timeouts.idle),
        }
    }

    /// Handles one command and renders the result.
    pub fn handle(&mut self, command: Command) {
        match command {
            Command::Start => self.start(),
            Command::Home => self.home(),
            Command::Back => self.back(),
            Command::SetLanguage(language) => {
                self.state.language = language;
                self.rebuild_lists();
                self.render();
            }
            Command::OpenField(field_id) => self.open_field(field_id),
            Command::OpenSearch => {
                self.search_text.clear();
                self.search_results.clear();
                self.show(Screen::Search);
            }
            Command::Search(text) => self.search(text),
            Command::OpenProcedure(procedure_id) => self.open_procedure(procedure_id),
            Command::OpenPriority => self.show(Screen::Priority),
            Command::ChoosePriority(priority) => {
                self.priority = priority;
                self.rebuild_lists();
                self.show(Screen::Confirm);
            }
            Command::Issue(for_center_id) => self.issue(for_center_id),
            Command::OpenDossier => {
                self.clear_dossier();
                self.show(Screen::Dossier);
            }
            Command::Scanned(text) => self.scanned(text),
            Command::LookupDossier { code, secret } => {
                self.state.scanned_code = code.trim().to_owned();
                self.lookup_dossier(code.trim(), secret.trim());
            }
            Command::Touched => {}
            Command::Idle => match self.state.screen {
                Screen::Printing => {}
                Screen::Loading | Screen::Home | Screen::Closed | Screen::Offline => self.start(),
                _ => self.home(),
            },
        }
    }

    fn render(&self) {
        self.view.render(&self.state);
    }

    fn show(&mut self, screen: Screen) {
        self.state.screen = screen;
        self.state.busy = false;
        self.render();
    }

    fn set_busy(&mut self) {
        self.state.busy = true;
        self.render();
    }

    /// Shows the screen that fits a failed backend call.
    fn show_error(&mut self, error: &ApiError) {
        tracing::warn!(%error, "backend call failed");
        match error {
            ApiError::CenterClosed => {
                if let Some(info) = &mut self.info {
                    info.center.open_now = false;
                }
                self.show(Screen::Closed);
            }
            _ => self.show(Screen::Offline),
        }
    }

    fn start(&mut self) {
        let info = match self.backend.kiosk_info() {
            Ok(info) => info,
            Err(error) => return self.show_error(&error),
        };
        self.state.center_name = info.center.name.clone();
        self.state.opening_hours = info.center.opening_hours.clone();
        let open = info.center.open_now;
        self.info = Some(info);
        if !open {
            return self.show(Screen::Closed);
        }
        match self.backend.fields() {
            Ok(fields) => {
                self.fields = fields
                    .into_iter()
                    .filter(|field| field.procedure_count > 0)
                    .collect()
            }
            Err(error) => return self.show_error(&error),
        }
        self.home();
    }

    /// Back to the home screen for the next citizen: choices and language reset.
    fn home(&mut self) {
        if self.info.is_none() || self.fields.is_empty() {
            // Nothing loaded yet (the backend was down at start): try again.
            self.info = None;
            self.fields.clear();
            if self.state.screen != Screen::Loading {
                self.state.screen = Screen::Loading;
                return self.start();
            }
        }
        self.field_id = None;
        self.procedures.clear();
        self.search_results.clear();
        self.search_text.clear();
        self.preview = None;
        self.priority = None;
        self.issued = None;
        self.state.language = self.default_language;
        self.clear_dossier();
        self.checked = None;
        self.state.check_in = CheckInView::default();
        self.rebuild_lists();
        let open = self.info.as_ref().is_some_and(|info| info.center.open_now);
        self.show(if open { Screen::Home } else { Screen::Closed });
    }

    fn clear_dossier(&mut self) {
        self.dossier = None;
        self.state.scanned_code.clear();
        self.state.dossier = DossierView::default();
    }

    fn scanned(&mut self, text: String) {
        let text = text.trim();
        self.dossier = None;
        match parse_scanned(text) {
            Ok(Scanned::Receipt(receipt)) => {
                self.state.scanned_code = receipt.code.clone();
                self.lookup_dossier(&receipt.code, &receipt.secret);
            }
            Ok(Scanned::Ticket(ticket)) => match i64::try_from(ticket.id) {
                Ok(id) => self.check_in(id, &ticket.secret),
                // No ticket has an id that large.
                Err(_) => {
                    self.checked = None;
                    self.state.check_in = CheckInView::outcome(CheckInOutcome::NotFound);
                    self.show(Screen::CheckIn);
                }
            },
            // Anything else is not a code of this system; the dossier screen says so.
            Err(_) => {
                self.state.scanned_code = text.to_owned();
                self.state.dossier = DossierView::outcome(DossierOutcome::Unreadable, text);
                self.show(Screen::Dossier);
            }
        }
    }

    /// Asks the backend; every failure stays on the dossier screen with plain words.
    fn lookup_dossier(&mut self, code: &str, secret: &str) {
        self.dossier = None;
        self.state.dossier = DossierView::default();
        self.state.screen = Screen::Dossier;
        self.set_busy();
        let outcome = match self.backend.lookup_dossier(code, secret) {
            Ok(lookup) => {
                self.state.dossier = DossierView::found(&lookup, self.state.language);
                self.dossier = Some(lookup);
                return self.show(Screen::Dossier);
            }
            Err(ApiError::Rejected { status: 429, .. }) => DossierOutcome::TooMany,
            // 404 (wrong code or secret) and 400 (malformed) mean the same to a citizen.
            Err(ApiError::Rejected {
                status: 400 | 404, ..
            }) => DossierOutcome::NotFound,
            Err(error) => {
                tracing::warn!(%error, "dossier lookup failed");
                DossierOutcome::Unreachable
            }
        };
        self.state.dossier = DossierView::outcome(outcome, code);
        self.show(Screen::Dossier);
    }

    /// Asks the backend to check the scanned ticket in (or for its state); every outcome,
    /// good or bad, is shown on the check-in screen.
    fn check_in(&mut self, ticket_id: i64, secret: &str) {
        self.checked = None;
        self.state.check_in = CheckInView::default();
        self.state.screen = Screen::CheckIn;
        self.set_busy();
        let request = CheckInRequest {
            ticket_id,
            secret: secret.to_owned(),
        };
        self.state.check_in = match self.backend.check_in(&request) {
            Ok(answer) => {
                let view = CheckInView::answered(&answer, self.state.language);
                self.checked = Some(answer);
                view
            }
            Err(ApiError::WrongCenter(center)) => CheckInView {
                center_name: center.name,
                center_address: center.address,
                ..CheckInView::outcome(CheckInOutcome::WrongCenter)
            },
            Err(ApiError::Rejected { status: 409, code }) if code == "expired" => {
                CheckInView::outcome(CheckInOutcome::Expired)
            }
            // 404 (wrong id or secret) and 400 (malformed) mean the same to a citizen.
            Err(ApiError::Rejected {
                status: 400 | 404, ..
            }) => CheckInView::outcome(CheckInOutcome::NotFound),
            Err(error) => {
                tracing::warn!(%error, "ticket check-in failed");
                CheckInView::outcome(CheckInOutcome::Unreachable)
            }
        };
        self.show(Screen::CheckIn);
    }

    fn back(&mut self) {
        match self.state.screen {
            Screen::Priority => self.show(Screen::Confirm),
            Screen::Confirm => match self.confirm_from {
                Screen::Procedures => self.show(Screen::Procedures),
                Screen::Search => self.show(Screen::Search),
                _ => self.home(),
            },
            Screen::Offline => self.start(),
            _ => self.home(),
        }
    }

    fn open_field(&mut self, field_id: i64) {
        self.set_busy();
        let query = ProcedureQuery {
            text: None,
            field_id: Some(field_id),
            limit: LIST_LIMIT,
        };
        match self.backend.procedures(&query) {
            Ok(list) => {
                self.field_id = Some(field_id);
                self.procedures = list.items;
                self.rebuild_lists();
                self.show(Screen::Procedures);
            }
            Err(error) => self.show_error(&error),
        }
    }

    fn search(&mut self, text: String) {
        self.search_text = text.trim().to_owned();
        if self.search_text.is_empty() {
            self.search_results.clear();
            self.rebuild_lists();
            return self.show(Screen::Search);
        }
        let query = ProcedureQuery {
            text: Some(self.search_text.clone()),
            field_id: None,
            limit: SEARCH_LIMIT,
        };
        match self.backend.procedures(&query) {
            Ok(list) => {
                self.search_results = list.items;
                self.rebuild_lists();
                self.show(Screen::Search);
            }
            Err(error) => self.show_error(&error),
        }
    }

    fn open_procedure(&mut self, procedure_id: i64) {
        if matches!(self.state.screen, Screen::Procedures | Screen::Search) {
            self.confirm_from = self.state.screen;
        }
        self.set_busy();
        match self.backend.preview(procedure_id) {
            Ok(preview) => {
                self.preview = Some(preview);
                self.priority = None;
                self.rebuild_lists();
                self.show(Screen::Confirm);
            }
            Err(error) => self.show_error(&error),
        }
    }

    fn issue(&mut self, for_center_id: Option<i64>) {
        let Some(preview) = &self.preview else {
            return self.home();
        };
        // The screen offers no "print" for a procedure this center does not take; a stray
        // command must not issue one either.
        if for_center_id.is_none() && !preview.eligible_here {
            return;
        }
        let request = IssueTicketRequest {
            procedure_id: preview.procedure.id,
            priority: self.priority,
            for_center_id,
        };
        self.show(Screen::Printing);
        let issued = match self.backend.issue_ticket(&request) {
            Ok(issued) => issued,
            Err(error) => return self.show_error(&error),
        };
        let printed = self.printed_ticket(&issued);
        let outcome = self.printer.print(&printed);
        self.issued = Some(issued);
        self.rebuild_lists();
        match outcome {
            Ok(()) => {
                *self
                    .fault
                    .lock()
                    .unwrap_or_else(|poison| poison.into_inner()) = None;
                self.show(Screen::Done);
            }
            Err(failure) => {
                self.show(Screen::PrintFailed);
                self.report_fault(&failure, printed.number);
            }
        }
    }

    /// Tells the backend at once that the printer failed; the heartbeat repeats it.
    fn report_fault(&self, failure: &PrintFailure, number: u32) {
        let fault = format!("{} while printing ticket {number}", failure.detail);
        tracing::error!(%fault, "printer fault");
        *self
            .fault
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(fault.clone());
        let heartbeat = KioskHeartbeat {
            printer: failure.health,
            fault: Some(fault),
        };
        if let Err(error) = self.backend.heartbeat(&heartbeat) {
            tracing::warn!(%error, "could not report the printer fault; the heartbeat will retry");
        }
    }

    /// The ticket as printed, in the citizen's language; a ticket for another center
    /// carries that center's name and address and the check-in block in both languages.
    fn printed_ticket(&self, issued: &TicketIssued) -> PrintedTicket {
        let language = self.state.language;
        let phrases = ticket_phrases(language);
        let ticket = &issued.ticket;
        let remote = issued.remote.as_ref();
        let (people_ahead, wait, footer) = match remote {
            Some(_) => (
                phrases.people_ahead_on_arrival,
                phrases.wait_on_arrival,
                phrases.footer_remote,
            ),
            None => (phrases.people_ahead, phrases.wait, phrases.footer),
        };
        PrintedTicket {
            center_name: remote
                .map_or_else(|| ticket.center_name.clone(), |r| r.center.name.clone()),
            center_address: remote.map(|r| r.center.address.clone()),
            number_label: phrases.number_label.to_owned(),
            number: ticket.number,
            priority_label: ticket
                .priority
                .map(|reason| format!("{}: {}", phrases.priority, priority_name(reason, language))),
            field_name: language
                .pick(&ticket.field_name_vi, &ticket.field_name_en)
                .to_owned(),
            procedure_name: language
                .pick(&ticket.procedure_name_vi, &ticket.procedure_name_en)
                .to_owned(),
            people_ahead: format!("{people_ahead}: {}", issued.wait.people_ahead),
            wait_text: format!("{wait}: {}", wait_words(&issued.wait, language)),
            issued_at: format!("{}: {}", phrases.issued_at, clock_text(&ticket.issued_at)),
            qr_payload: issued.tracking_url.clone(),
            footer_lines: footer.iter().map(|line| (*line).to_owned()).collect(),
            remote: remote.map(|r| remote_notice(&time_of_day(&r.check_in_deadline))),
        }
    }

    /// Rebuilds the language-dependent parts of the state from the raw data.
    fn rebuild_lists(&mut self) {
        let language = self.state.language;
        if let Some(lookup) = &self.dossier {
            self.state.dossier = DossierView::found(lookup, language);
        }
        if let Some(answer) = &self.checked {
            self.state.check_in = CheckInView::answered(answer, language);
        }
        self.state.fields = self
            .fields
            .iter()
            .map(|field| Item {
                id: field.id,
                name: language.pick(&field.name_vi, &field.name_en).to_owned(),
                detail: field.procedure_count.to_string(),
            })
            .collect();
        self.state.field_name = self
            .field_id
            .and_then(|id| self.fields.iter().find(|field| field.id == id))
            .map(|field| language.pick(&field.name_vi, &field.name_en).to_owned())
            .unwrap_or_default();
        let field_names: Vec<(i64, String)> = self
            .fields
            .iter()
            .map(|field| {
                (
                    field.id,
                    language.pick(&field.name_vi, &field.name_en).to_owned(),
                )
            })
            .collect();
        let to_item = |procedure: &Procedure| Item {
            id: procedure.id,
            name: language
                .pick(&procedure.name_vi, &procedure.name_en)
                .to_owned(),
            detail: field_names
                .iter()
                .find(|(id, _)| *id == procedure.field_id)
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
        };
        self.state.procedures = self.procedures.iter().map(to_item).collect();
        self.state.search_results = self.search_results.iter().map(to_item).collect();
        self.state.search_empty = !self.search_text.is_empty() && self.search_results.is_empty();
        self.state.confirm = match &self.preview {
            Some(preview) => ConfirmView {
                procedure_name: language
                    .pick(&preview.procedure.name_vi, &preview.procedure.name_en)
                    .to_owned(),
                field_name: field_names
                    .iter()
                    .find(|(id, _)| *id == preview.procedure.field_id)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                eligible_here: preview.eligible_here,
                provincial_procedure: preview.procedure.level == wire::Level::Provincial,
                wait: WaitView::from(&preview.wait),
                suggestions: preview
                    .suggestions
                    .iter()
                    .map(|s| SuggestionView {
                        center_id: s.center_id,
                        center_name: s.center_name.clone(),
                        address: s.address.clone(),
                        travel_minutes: s.travel_minutes,
                        wait: WaitView::from(&s.wait),
                        saving_minutes: s.saving_minutes,
                    })
                    .collect(),
                priority: self.priority,
            },
            None => ConfirmView::default(),
        };
        self.state.ticket = match &self.issued {
            Some(issued) => {
                let ticket = &issued.ticket;
                let remote = issued.remote.as_ref();
                TicketView {
                    number: ticket.number,
                    center_name: ticket.center_name.clone(),
                    other_center_address: remote
                        .map(|r| r.center.address.clone())
                        .unwrap_or_default(),
                    check_in_by: remote
                        .map(|r| time_of_day(&r.check_in_deadline))
                        .unwrap_or_default(),
                    procedure_name: language
                        .pick(&ticket.procedure_name_vi, &ticket.procedure_name_en)
                        .to_owned(),
                    wait: WaitView::from(&issued.wait),
                    priority: ticket.priority,
                }
            }
            None => TicketView::default(),
        };
    }
}

/// "08:15 04/12/2026" from an RFC 3339 time such as "2026-12-04T08:15:00+07:00"; other
/// text is returned as it is.
pub fn clock_text(rfc3339: &str) -> String {
    let parts = (
        rfc3339.get(0..4),
        rfc3339.get(5..7),
        rfc3339.get(8..10),
        rfc3339.get(11..16),
    );
    match parts {
        (Some(year), Some(month), Some(day), Some(time))
            if rfc3339.as_bytes().get(10) == Some(&b'T') =>
        {
            format!("{time} {day}/{month}/{year}")
        }
        _ => rfc3339.to_owned(),
    }
}

/// Sends the kiosk's heartbeat: the printer's health and the last fault while it lasts.
pub fn heartbeat_once(
    backend: &dyn BackendApi,
    printer: &dyn TicketPrinter,
    fault: &FaultSlot,
) -> Result<(), ApiError> {
    let health = printer.health();
    let mut slot = fault.lock().unwrap_or_else(|poison| poison.into_inner());
    if health == PrinterHealth::Ok {
        *slot = None;
    }
    let heartbeat = KioskHeartbeat {
        printer: health,
        fault: slot.clone(),
    };
    drop(slot);
    backend.heartbeat(&heartbeat)
}
