//! The Slint side: puts a [`ViewState`] into the adapter globals, turns taps into
//! [`Command`]s, and runs the controller on a worker thread so that no backend call or
//! print ever blocks the event loop.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use wire::PriorityReason;

use crate::controller::{
    heartbeat_once, CheckInOutcome, Command, Controller, DossierOutcome, FaultSlot, Item,
    KioskView, Screen, ViewState, WaitView,
};
use crate::ports::{BackendApi, TicketPrinter};
use crate::text::{apply_tone, backspace, Language, Tone};
use crate::{
    AppAdapter, AppWindow, CheckInAdapter, ClosedAdapter, ConfirmAdapter, DossierAdapter,
    DossierStepData, HomeAdapter, ItemData, Page, ProceduresAdapter, SearchAdapter, SuggestionData,
    Theme, TicketAdapter, WaitData,
};

/// Renders controller states into a window, from any thread.
pub struct SlintView {
    window: slint::Weak<AppWindow>,
}

impl SlintView {
    /// A view of this window.
    pub fn new(window: &AppWindow) -> Self {
        SlintView {
            window: window.as_weak(),
        }
    }
}

impl KioskView for SlintView {
    fn render(&self, state: &ViewState) {
        let state = state.clone();
        // The window is gone only when the kiosk is shutting down.
        let _ = self
            .window
            .upgrade_in_event_loop(move |window| apply(&window, &state));
    }
}

fn page(screen: Screen) -> Page {
    match screen {
        Screen::Loading => Page::Loading,
        Screen::Home => Page::Home,
        Screen::Procedures => Page::Procedures,
        Screen::Search => Page::Search,
        Screen::Priority => Page::Priority,
        Screen::Confirm => Page::Confirm,
        Screen::Printing => Page::Printing,
        Screen::Done => Page::Done,
        Screen::PrintFailed => Page::PrintFailed,
        Screen::Closed => Page::Closed,
        Screen::Offline => Page::Offline,
        Screen::Dossier => Page::Dossier,
        Screen::CheckIn => Page::CheckIn,
    }
}

fn priority_index(priority: Option<PriorityReason>) -> i32 {
    match priority {
        None => 0,
        Some(PriorityReason::Elderly) => 1,
        Some(PriorityReason::Disability) => 2,
        Some(PriorityReason::Pregnant) => 3,
        Some(PriorityReason::MeritoriousService) => 4,
    }
}

fn priority_reason(index: i32) -> Option<PriorityReason> {
    match index {
        1 => Some(PriorityReason::Elderly),
        2 => Some(PriorityReason::Disability),
        3 => Some(PriorityReason::Pregnant),
        4 => Some(PriorityReason::MeritoriousService),
        _ => None,
    }
}

fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn wait_data(wait: &WaitView) -> WaitData {
    WaitData {
        people_ahead: int(wait.people_ahead),
        minutes: wait.minutes.map_or(-1, int),
        counters_open: int(wait.counters_open),
    }
}

fn items(items: &[Item]) -> ModelRc<ItemData> {
    let data: Vec<ItemData> = items
        .iter()
        .map(|item| ItemData {
            id: i32::try_from(item.id).unwrap_or(-1),
            name: item.name.as_str().into(),
            detail: item.detail.as_str().into(),
        })
        .collect();
    ModelRc::new(VecModel::from(data))
}

/// Selects the bundled translation of a language (Vietnamese is the source language).
pub fn select_language(language: Language) {
    let code = match language {
        Language::Vietnamese => "",
        Language::English => "en",
    };
    if let Err(error) = slint::select_bundled_translation(code) {
        tracing::warn!(?error, "could not select the translation");
    }
}

/// Puts a view state into the window's globals.
pub fn apply(window: &AppWindow, state: &ViewState) {
    let app = window.global::<AppAdapter<'_>>();
    let english = state.language == Language::English;
    if app.get_english() != english {
        select_language(state.language);
    }
    app.set_english(english);
    app.set_page(page(state.screen));
    app.set_busy(state.busy);
    app.set_center_name(state.center_name.as_str().into());

    window
        .global::<HomeAdapter<'_>>()
        .set_fields(items(&state.fields));

    let procedures = window.global::<ProceduresAdapter<'_>>();
    procedures.set_field_name(state.field_name.as_str().into());
    procedures.set_procedures(items(&state.procedures));

    let search = window.global::<SearchAdapter<'_>>();
    search.set_results(items(&state.search_results));
    search.set_nothing_found(state.search_empty);

    let confirm = window.global::<ConfirmAdapter<'_>>();
    confirm.set_procedure_name(state.confirm.procedure_name.as_str().into());
    confirm.set_field_name(state.confirm.field_name.as_str().into());
    confirm.set_eligible_here(state.confirm.eligible_here);
    confirm.set_provincial_procedure(state.confirm.provincial_procedure);
    confirm.set_wait(wait_data(&state.confirm.wait));
    confirm.set_priority(priority_index(state.confirm.priority));
    let suggestions: Vec<SuggestionData> = state
        .confirm
        .suggestions
        .iter()
        .map(|s| SuggestionData {
            center_id: i32::try_from(s.center_id).unwrap_or(-1),
            center_name: s.center_name.as_str().into(),
            address: s.address.as_str().into(),
            travel_minutes: int(s.travel_minutes),
            people_ahead: int(s.wait.people_ahead),
            wait_minutes: s.wait.minutes.map_or(-1, int),
            saving_minutes: int(s.saving_minutes),
        })
        .collect();
    confirm.set_suggestions(ModelRc::new(VecModel::from(suggestions)));

    let ticket = window.global::<TicketAdapter<'_>>();
    ticket.set_number(int(state.ticket.number));
    ticket.set_center_name(state.ticket.center_name.as_str().into());
    ticket.set_other_center_address(state.ticket.other_center_address.as_str().into());
    ticket.set_check_in_by(state.ticket.check_in_by.as_str().into());
    ticket.set_procedure_name(state.ticket.procedure_name.as_str().into());
    ticket.set_wait(wait_data(&state.ticket.wait));
    ticket.set_priority(priority_index(state.ticket.priority));

    window
        .global::<ClosedAdapter<'_>>()
        .set_opening_hours(state.opening_hours.as_str().into());
    let dossier = window.global::<DossierAdapter<'_>>();
    dossier.set_scanned_code(state.scanned_code.as_str().into());
    let found = &state.dossier;
    dossier.set_outcome(dossier_outcome_index(found.outcome));
    dossier.set_code(found.code.as_str().into());
    dossier.set_procedure_name(found.procedure_name.as_str().into());
    dossier.set_applicant(found.applicant.as_str().into());
    dossier.set_status(found.status.as_str().into());
    dossier.set_received(found.received.as_str().into());
    dossier.set_appointment(found.appointment.as_str().into());
    dossier.set_timeliness(found.timeliness.as_str().into());
    dossier.set_late(found.late);
    dossier.set_return_center_name(found.return_center_name.as_str().into());
    dossier.set_return_center_address(found.return_center_address.as_str().into());
    // The newest steps matter most; a long history would push the rest off the screen.
    let skip = found.history.len().saturating_sub(MAX_HISTORY_STEPS);
    let history: Vec<DossierStepData> = found
        .history
        .iter()
        .skip(skip)
        .map(|step| DossierStepData {
            at: step.at.as_str().into(),
            status: step.status.as_str().into(),
        })
        .collect();
    dossier.set_history(ModelRc::new(VecModel::from(history)));

    let check_in = window.global::<CheckInAdapter<'_>>();
    let checked = &state.check_in;
    check_in.set_outcome(check_in_outcome_index(checked.outcome));
    check_in.set_number(int(checked.number));
    check_in.set_procedure_name(checked.procedure_name.as_str().into());
    check_in.set_wait(wait_data(&checked.wait));
    check_in.set_counter(checked.counter.map_or(-1, int));
    check_in.set_center_name(checked.center_name.as_str().into());
    check_in.set_center_address(checked.center_address.as_str().into());
}

/// The `outcome` index of the check-in view in the `.slint` file.
fn check_in_outcome_index(outcome: CheckInOutcome) -> i32 {
    match outcome {
        CheckInOutcome::Arrived => 0,
        CheckInOutcome::Waiting => 1,
        CheckInOutcome::Called => 2,
        CheckInOutcome::Served => 3,
        CheckInOutcome::Closed => 4,
        CheckInOutcome::WrongCenter => 5,
        CheckInOutcome::Expired => 6,
        CheckInOutcome::NotFound => 7,
        CheckInOutcome::Unreachable => 8,
        CheckInOutcome::Checking => 9,
    }
}

/// The most history steps the dossier screen shows (the newest ones).
const MAX_HISTORY_STEPS: usize = 6;

/// The `outcome` index of the dossier view in the `.slint` file.
fn dossier_outcome_index(outcome: DossierOutcome) -> i32 {
    match outcome {
        DossierOutcome::Waiting => 0,
        DossierOutcome::Found => 1,
        DossierOutcome::NotFound => 2,
        DossierOutcome::TooMany => 3,
        DossierOutcome::Unreachable => 4,
        DossierOutcome::Unreadable => 5,
    }
}

/// Sets the smallest touch target from the screen's density.
pub fn set_min_target(window: &AppWindow, pixels: f32) {
    window.global::<Theme<'_>>().set_min_target(pixels);
}

/// Wires every callback of the window to the command channel.
pub fn connect(window: &AppWindow, commands: &Sender<Command>) {
    let app = window.global::<AppAdapter<'_>>();
    let tx = commands.clone();
    app.on_home(move || drop(tx.send(Command::Home)));
    let tx = commands.clone();
    app.on_back(move || drop(tx.send(Command::Back)));
    let tx = commands.clone();
    app.on_touched(move || drop(tx.send(Command::Touched)));
    let tx = commands.clone();
    app.on_scanned(move |code| drop(tx.send(Command::Scanned(code.to_string()))));
    let tx = commands.clone();
    app.on_set_language(move |code: SharedString| {
        let language = Language::from_code(&code).unwrap_or_default();
        drop(tx.send(Command::SetLanguage(language)));
    });

    let home = window.global::<HomeAdapter<'_>>();
    let tx = commands.clone();
    home.on_open_field(move |id| drop(tx.send(Command::OpenField(i64::from(id)))));
    let tx = commands.clone();
    home.on_open_search(move || drop(tx.send(Command::OpenSearch)));
    let tx = commands.clone();
    home.on_open_dossier(move || drop(tx.send(Command::OpenDossier)));

    let tx = commands.clone();
    window
        .global::<ProceduresAdapter<'_>>()
        .on_open_procedure(move |id| drop(tx.send(Command::OpenProcedure(i64::from(id)))));

    let search = window.global::<SearchAdapter<'_>>();
    let tx = commands.clone();
    search.on_search(move |text| drop(tx.send(Command::Search(text.to_string()))));
    search.on_apply_tone(|text, index| match Tone::from_index(index) {
        Some(tone) => apply_tone(&text, tone).into(),
        None => text,
    });
    search.on_backspace(|text| backspace(&text).into());

    let confirm = window.global::<ConfirmAdapter<'_>>();
    let tx = commands.clone();
    confirm.on_issue(move |center_id| {
        let for_center = (center_id > 0).then_some(i64::from(center_id));
        drop(tx.send(Command::Issue(for_center)));
    });
    let tx = commands.clone();
    confirm.on_open_priority(move || drop(tx.send(Command::OpenPriority)));
    let tx = commands.clone();
    confirm.on_choose_priority(move |index| {
        drop(tx.send(Command::ChoosePriority(priority_reason(index))))
    });

    let tx = commands.clone();
    window
        .global::<DossierAdapter<'_>>()
        .on_scanned(move |code| drop(tx.send(Command::Scanned(code.to_string()))));
    let dossier = window.global::<DossierAdapter<'_>>();
    let tx = commands.clone();
    dossier.on_lookup(move |code, secret| {
        drop(tx.send(Command::LookupDossier {
            code: code.to_string(),
            secret: secret.to_string(),
        }))
    });
    dossier.on_backspace(|text| backspace(&text).into());
}

/// Runs the controller until every command sender is dropped: each command is handled
/// in turn, a run of searches is cut to the last one, and silence for the screen's
/// time-out becomes [`Command::Idle`].
pub fn run_worker(mut controller: Controller, commands: Receiver<Command>) {
    loop {
        let next = match controller.idle_timeout() {
            Some(timeout) => commands.recv_timeout(timeout),
            None => commands.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let command = match next {
            Ok(command) => command,
            Err(RecvTimeoutError::Timeout) => Command::Idle,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut pending: Vec<Command> = std::iter::once(command)
            .chain(commands.try_iter())
            .collect();
        // Typing fast sends a search per letter; only the last one of a run matters.
        let mut index = 0;
        while index + 1 < pending.len() {
            if matches!(pending[index], Command::Search(_))
                && matches!(pending[index + 1], Command::Search(_))
            {
                pending.remove(index);
            } else {
                index += 1;
            }
        }
        for command in pending {
            controller.handle(command);
        }
    }
}

/// Starts the controller's worker thread.
pub fn spawn_worker(
    controller: Controller,
    commands: Receiver<Command>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("kiosk-worker".to_owned())
        .spawn(move || run_worker(controller, commands))
}

/// Starts the heartbeat thread: every `interval`, the printer's health and the last
/// fault go to the backend. It runs as long as the process.
pub fn spawn_heartbeat(
    backend: Arc<dyn BackendApi>,
    printer: Arc<dyn TicketPrinter>,
    fault: FaultSlot,
    interval: Duration,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("kiosk-heartbeat".to_owned())
        .spawn(move || loop {
            if let Err(error) = heartbeat_once(backend.as_ref(), printer.as_ref(), &fault) {
                tracing::warn!(%error, "heartbeat failed");
            }
            std::thread::sleep(interval);
        })
}
