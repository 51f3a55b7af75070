//! The kiosk's flow, driven with the in-memory backend and printer and no window.

use std::sync::{Arc, Mutex};

use wire::{PrinterHealth, PriorityReason, TicketState};

use crate::controller::{
    clock_text, day_text, day_time_text, heartbeat_once, time_of_day, CheckInOutcome, CheckInView,
    Command, Controller, DossierOutcome, FaultSlot, KioskView, Screen, Timeouts, ViewState,
};
use crate::fakes::{
    fake_ticket_qr, FakeBackend, FakeMode, FakePrinter, FAKE_ARRIVING_TICKET_ID, FAKE_DOSSIER_CODE,
    FAKE_DOSSIER_SECRET, FAKE_EXPIRED_TICKET_ID, FAKE_OTHER_CENTER_TICKET_ID,
    FAKE_RATE_LIMITED_SECRET, FAKE_TICKET_SECRET,
};
use crate::text::Language;

/// Keeps every rendered state.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<ViewState>>>);

impl KioskView for Recorder {
    fn render(&self, state: &ViewState) {
        self.0.lock().unwrap().push(state.clone());
    }
}

struct Rig {
    backend: Arc<FakeBackend>,
    printer: Arc<FakePrinter>,
    fault: FaultSlot,
    controller: Controller,
}

fn rig() -> Rig {
    let backend = Arc::new(FakeBackend::default());
    let printer = Arc::new(FakePrinter::default());
    let fault = FaultSlot::default();
    let mut controller = Controller::new(
        backend.clone(),
        printer.clone(),
        Box::new(Recorder::default()),
        Timeouts::default(),
        Language::Vietnamese,
        fault.clone(),
    );
    controller.handle(Command::Start);
    Rig {
        backend,
        printer,
        fault,
        controller,
    }
}

#[test]
fn start_shows_the_fields_on_the_home_screen() {
    let rig = rig();
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Home);
    assert_eq!(state.fields.len(), 6);
    assert_eq!(state.fields[0].name, "Hộ tịch");
    assert_eq!(state.fields[0].detail, "4");
    assert!(state.center_name.contains("Quảng Ninh"));
}

#[test]
fn three_taps_from_home_to_a_printed_ticket() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenField(1));
    assert_eq!(rig.controller.state().screen, Screen::Procedures);
    assert_eq!(rig.controller.state().field_name, "Hộ tịch");
    let birth = rig.controller.state().procedures[0].clone();
    assert_eq!(birth.name, "Đăng ký khai sinh");
    rig.controller.handle(Command::OpenProcedure(birth.id));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Confirm);
    assert_eq!(state.confirm.wait.people_ahead, 3);
    assert!(state.confirm.suggestions.is_empty());
    rig.controller.handle(Command::Issue(None));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Done);
    assert_eq!(state.ticket.number, 1001);
    let printed = rig.printer.printed.lock().unwrap();
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].number, 1001);
    assert_eq!(printed[0].procedure_name, "Đăng ký khai sinh");
    assert_eq!(printed[0].people_ahead, "Số người đang chờ trước bạn: 3");
    assert_eq!(printed[0].wait_text, "Thời gian chờ dự kiến: khoảng 9 phút");
    assert_eq!(printed[0].issued_at, "Giờ lấy số: 08:15 04/12/2026");
    assert_eq!(printed[0].center_address, None);
    assert_eq!(printed[0].remote, None);
    assert_eq!(printed[0].footer_lines.len(), 2);
}

#[test]
fn paper_out_still_shows_the_number_and_reports_the_fault() {
    let mut rig = rig();
    *rig.printer.failure.lock().unwrap() = Some(PrinterHealth::PaperEnd);
    rig.controller.handle(Command::OpenField(2));
    rig.controller.handle(Command::OpenProcedure(5));
    rig.controller.handle(Command::Issue(None));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::PrintFailed);
    assert_eq!(state.ticket.number, 1001);
    assert_eq!(
        rig.backend.issued.lock().unwrap().len(),
        1,
        "the ticket is issued anyway"
    );
    let heartbeats = rig.backend.heartbeats.lock().unwrap().clone();
    assert_eq!(heartbeats.len(), 1);
    assert_eq!(heartbeats[0].printer, PrinterHealth::PaperEnd);
    assert!(heartbeats[0].fault.as_deref().unwrap().contains("1001"));
    // The heartbeat keeps repeating the fault until the printer is healthy again.
    heartbeat_once(rig.backend.as_ref(), rig.printer.as_ref(), &rig.fault).unwrap();
    assert!(rig.backend.heartbeats.lock().unwrap()[1].fault.is_some());
    *rig.printer.failure.lock().unwrap() = None;
    heartbeat_once(rig.backend.as_ref(), rig.printer.as_ref(), &rig.fault).unwrap();
    let last = rig
        .backend
        .heartbeats
        .lock()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    assert_eq!((last.printer, last.fault), (PrinterHealth::Ok, None));
}

#[test]
fn a_procedure_this_center_does_not_take_says_where_to_file_it() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenField(3));
    rig.controller.handle(Command::OpenProcedure(8));
    let confirm = &rig.controller.state().confirm;
    assert_eq!(rig.controller.state().screen, Screen::Confirm);
    assert!(!confirm.eligible_here);
    assert!(!confirm.provincial_procedure, "filed at the commune");
    assert!(confirm.suggestions.is_empty());
    // Nothing can be issued for it here.
    rig.controller.handle(Command::Issue(None));
    assert!(rig.backend.issued.lock().unwrap().is_empty());
}

#[test]
fn priority_and_a_faster_center_go_into_the_request() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenField(3));
    rig.controller.handle(Command::OpenProcedure(7));
    assert_eq!(rig.controller.state().confirm.suggestions.len(), 1);
    rig.controller.handle(Command::OpenPriority);
    assert_eq!(rig.controller.state().screen, Screen::Priority);
    rig.controller
        .handle(Command::ChoosePriority(Some(PriorityReason::Elderly)));
    assert_eq!(rig.controller.state().screen, Screen::Confirm);
    assert_eq!(
        rig.controller.state().confirm.priority,
        Some(PriorityReason::Elderly)
    );
    rig.controller.handle(Command::Issue(Some(7)));
    let request = rig.backend.issued.lock().unwrap()[0].clone();
    assert_eq!(request.for_center_id, Some(7));
    assert_eq!(request.priority, Some(PriorityReason::Elderly));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Done);
    assert!(state.ticket.center_name.contains("Hồng Gai"));
    assert!(state.ticket.other_center_address.contains("Bến Đoan"));
    assert_eq!(state.ticket.check_in_by, "08:57");
    let printed = rig.printer.printed.lock().unwrap()[0].clone();
    assert_eq!(
        printed.priority_label.as_deref(),
        Some("Ưu tiên: Người cao tuổi")
    );
    // The paper names the serving center and says, in both languages, by when to scan
    // the ticket there; the wait is the one expected on arrival.
    assert!(printed.center_name.contains("Hồng Gai"));
    assert!(printed.center_address.unwrap().contains("Bến Đoan"));
    let notice = printed.remote.expect("the remote block");
    assert_eq!(notice.heading, "VÉ TẠI TRUNG TÂM KHÁC");
    assert_eq!(
        notice.text,
        "Hãy quét mã QR tại kiosk của trung tâm trước 08:57 để giữ chỗ"
    );
    assert_eq!(notice.heading_en, "TICKET FOR ANOTHER CENTER");
    assert_eq!(
        notice.text_en,
        "Scan the QR code at its kiosk before 08:57 to keep your place"
    );
    assert_eq!(printed.people_ahead, "Số người chờ trước bạn khi đến: 1");
    assert_eq!(
        printed.wait_text,
        "Thời gian chờ dự kiến khi đến: khoảng 5 phút"
    );
    assert_eq!(
        printed.footer_lines,
        vec!["Quét mã QR để theo dõi lượt của bạn"]
    );
}

#[test]
fn search_matches_without_diacritics_and_opens_the_confirmation() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenSearch);
    rig.controller
        .handle(Command::Search("chung thuc".to_owned()));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Search);
    assert_eq!(state.search_results.len(), 2);
    assert_eq!(state.search_results[0].detail, "Chứng thực");
    rig.controller.handle(Command::Search("xyz".to_owned()));
    assert!(rig.controller.state().search_empty);
    rig.controller
        .handle(Command::Search("khai sinh".to_owned()));
    rig.controller.handle(Command::OpenProcedure(1));
    assert_eq!(rig.controller.state().screen, Screen::Confirm);
    rig.controller.handle(Command::Back);
    assert_eq!(rig.controller.state().screen, Screen::Search);
}

#[test]
fn english_switches_names_and_printed_phrases_and_home_resets_it() {
    let mut rig = rig();
    rig.controller
        .handle(Command::SetLanguage(Language::English));
    assert_eq!(rig.controller.state().fields[0].name, "Civil status");
    rig.controller.handle(Command::OpenField(1));
    rig.controller.handle(Command::OpenProcedure(1));
    assert_eq!(
        rig.controller.state().confirm.procedure_name,
        "Birth registration"
    );
    rig.controller.handle(Command::Issue(None));
    let printed = rig.printer.printed.lock().unwrap()[0].clone();
    assert_eq!(printed.number_label, "YOUR NUMBER");
    assert_eq!(printed.wait_text, "Estimated wait: about 9 min");
    rig.controller.handle(Command::Idle);
    assert_eq!(rig.controller.state().screen, Screen::Home);
    assert_eq!(rig.controller.state().language, Language::Vietnamese);
}

#[test]
fn idle_returns_home_from_every_screen_but_printing() {
    let mut rig = rig();
    let steps: Vec<Vec<Command>> = vec![
        vec![Command::OpenField(1)],
        vec![Command::OpenSearch],
        vec![Command::OpenField(1), Command::OpenProcedure(1)],
        vec![
            Command::OpenField(1),
            Command::OpenProcedure(1),
            Command::OpenPriority,
        ],
        vec![
            Command::OpenField(1),
            Command::OpenProcedure(1),
            Command::Issue(None),
        ],
        vec![
            Command::OpenDossier,
            Command::Scanned("H22-261204-0001".to_owned()),
        ],
        vec![
            Command::OpenDossier,
            Command::Scanned(format!("HS1:{FAKE_DOSSIER_CODE}:{FAKE_DOSSIER_SECRET}")),
        ],
        vec![Command::Scanned(fake_ticket_qr(
            FAKE_ARRIVING_TICKET_ID,
            FAKE_TICKET_SECRET,
        ))],
        vec![Command::Scanned(fake_ticket_qr(
            FAKE_EXPIRED_TICKET_ID,
            FAKE_TICKET_SECRET,
        ))],
    ];
    for commands in steps {
        for command in commands.clone() {
            rig.controller.handle(command);
        }
        assert_ne!(rig.controller.state().screen, Screen::Home, "{commands:?}");
        assert!(rig.controller.idle_timeout().is_some());
        rig.controller.handle(Command::Idle);
        assert_eq!(
            rig.controller.state().screen,
            Screen::Home,
            "after {commands:?}"
        );
    }
}

#[test]
fn closed_center_shows_the_closed_screen_and_reopens_on_refresh() {
    let mut rig = rig();
    *rig.backend.mode.lock().unwrap() = FakeMode::Closed;
    rig.controller.handle(Command::OpenField(1));
    rig.controller.handle(Command::OpenProcedure(1));
    rig.controller.handle(Command::Issue(None));
    assert_eq!(
        rig.controller.state().screen,
        Screen::Closed,
        "409 center_closed"
    );
    assert!(rig.controller.state().opening_hours.contains("07:30"));
    rig.controller.handle(Command::Idle);
    assert_eq!(
        rig.controller.state().screen,
        Screen::Closed,
        "still closed"
    );
    *rig.backend.mode.lock().unwrap() = FakeMode::Normal;
    rig.controller.handle(Command::Idle);
    assert_eq!(rig.controller.state().screen, Screen::Home);
}

#[test]
fn unreachable_backend_shows_what_to_do_and_recovers() {
    let mut rig = rig();
    *rig.backend.mode.lock().unwrap() = FakeMode::Unreachable;
    rig.controller.handle(Command::OpenField(1));
    assert_eq!(rig.controller.state().screen, Screen::Offline);
    rig.controller.handle(Command::Idle);
    assert_eq!(rig.controller.state().screen, Screen::Offline);
    *rig.backend.mode.lock().unwrap() = FakeMode::Normal;
    rig.controller.handle(Command::Back);
    assert_eq!(rig.controller.state().screen, Screen::Home);
}

#[test]
fn a_kiosk_started_while_the_backend_was_down_loads_later() {
    let backend = Arc::new(FakeBackend::default());
    *backend.mode.lock().unwrap() = FakeMode::Unreachable;
    let mut controller = Controller::new(
        backend.clone(),
        Arc::new(FakePrinter::default()),
        Box::new(Recorder::default()),
        Timeouts::default(),
        Language::Vietnamese,
        FaultSlot::default(),
    );
    controller.handle(Command::Start);
    assert_eq!(controller.state().screen, Screen::Offline);
    *backend.mode.lock().unwrap() = FakeMode::Normal;
    controller.handle(Command::Idle);
    assert_eq!(controller.state().screen, Screen::Home);
    assert_eq!(controller.state().fields.len(), 6);
}

#[test]
fn clock_text_reads_rfc3339() {
    assert_eq!(clock_text("2026-12-04T08:15:00+07:00"), "08:15 04/12/2026");
    assert_eq!(clock_text("soon"), "soon");
}

#[test]
fn a_scanned_receipt_shows_the_dossier_in_the_citizens_language() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenDossier);
    assert_eq!(
        rig.controller.state().dossier.outcome,
        DossierOutcome::Waiting
    );
    rig.controller.handle(Command::Scanned(format!(
        "https://dichvucong.example/tra-cuu?ma={FAKE_DOSSIER_CODE}&k={FAKE_DOSSIER_SECRET}\r\n"
    )));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Dossier);
    assert!(!state.busy);
    let dossier = &state.dossier;
    assert_eq!(dossier.outcome, DossierOutcome::Found);
    assert_eq!(dossier.code, FAKE_DOSSIER_CODE);
    assert_eq!(dossier.status, "Đang xử lý");
    assert_eq!(dossier.appointment, "18/12/2026");
    assert_eq!(dossier.received, "04/12/2026");
    assert_eq!(dossier.timeliness, "Đang trong hạn giải quyết");
    assert!(!dossier.late);
    assert_eq!(dossier.applicant, "Nguyễn V** A*");
    assert!(dossier.return_center_name.contains("Quảng Ninh"));
    assert_eq!(dossier.history.len(), 2);
    assert_eq!(dossier.history[0].at, "04/12/2026 08:15");
    assert_eq!(dossier.history[0].status, "Được tiếp nhận");

    rig.controller
        .handle(Command::SetLanguage(Language::English));
    let dossier = &rig.controller.state().dossier;
    assert_eq!(dossier.status, "Being processed");
    assert_eq!(dossier.history[0].status, "Received");
    assert_eq!(dossier.timeliness, "Within the deadline");
    assert!(dossier.procedure_name.starts_with("Construction permit"));

    // Idle goes home, forgets the dossier and the language.
    rig.controller.handle(Command::Idle);
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Home);
    assert_eq!(state.language, Language::Vietnamese);
    assert_eq!(state.dossier.outcome, DossierOutcome::Waiting);
    assert!(state.dossier.code.is_empty());
}

#[test]
fn dossier_lookup_failures_stay_on_the_dossier_screen_in_plain_words() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenDossier);
    let cases = [
        (
            format!("HS1:{FAKE_DOSSIER_CODE}:WRONG123"),
            DossierOutcome::NotFound,
        ),
        (
            format!("HS1:{FAKE_DOSSIER_CODE}:{FAKE_RATE_LIMITED_SECRET}"),
            DossierOutcome::TooMany,
        ),
        // A bare code or noise is no receipt.
        (FAKE_DOSSIER_CODE.to_owned(), DossierOutcome::Unreadable),
        ("hello".to_owned(), DossierOutcome::Unreadable),
    ];
    for (scanned, outcome) in cases {
        rig.controller.handle(Command::Scanned(scanned.clone()));
        let state = rig.controller.state();
        assert_eq!(state.screen, Screen::Dossier, "{scanned}");
        assert_eq!(state.dossier.outcome, outcome, "{scanned}");
        assert!(state.dossier.status.is_empty());
    }
    // Typed on the screen: the same lookup.
    rig.controller.handle(Command::LookupDossier {
        code: format!(" {FAKE_DOSSIER_CODE} "),
        secret: FAKE_DOSSIER_SECRET.to_owned(),
    });
    assert_eq!(
        rig.controller.state().dossier.outcome,
        DossierOutcome::Found
    );
    *rig.backend.mode.lock().unwrap() = FakeMode::Unreachable;
    rig.controller.handle(Command::Scanned(format!(
        "HS1:{FAKE_DOSSIER_CODE}:{FAKE_DOSSIER_SECRET}"
    )));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Dossier);
    assert_eq!(state.dossier.outcome, DossierOutcome::Unreachable);
    assert_eq!(state.dossier.code, FAKE_DOSSIER_CODE);
}

#[test]
fn dossier_dates_read_as_day_month_year() {
    assert_eq!(day_text("2026-12-18T16:30:00+07:00"), "18/12/2026");
    assert_eq!(day_text("2026-12-18"), "18/12/2026");
    assert_eq!(day_text("soon"), "soon");
    assert_eq!(
        day_time_text("2026-12-04T08:15:00+07:00"),
        "04/12/2026 08:15"
    );
    assert_eq!(day_time_text("2026-12-04"), "04/12/2026");
}

#[test]
fn a_scanned_remote_ticket_is_checked_in_and_shows_its_number_and_wait() {
    let mut rig = rig();
    // The serial scanner reads on any screen; the home screen is where citizens stand.
    rig.controller.handle(Command::Scanned(format!(
        "{}\r\n",
        fake_ticket_qr(FAKE_ARRIVING_TICKET_ID, FAKE_TICKET_SECRET)
    )));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::CheckIn);
    assert!(!state.busy);
    let checked = &state.check_in;
    assert_eq!(checked.outcome, CheckInOutcome::Arrived);
    assert_eq!(checked.number, 1004);
    assert_eq!(checked.procedure_name, "Đăng ký khai sinh");
    assert_eq!(
        (checked.wait.people_ahead, checked.wait.minutes),
        (2, Some(6))
    );
    assert_eq!(
        rig.controller.idle_timeout(),
        Some(Timeouts::default().done)
    );
    assert!(
        rig.printer.printed.lock().unwrap().is_empty(),
        "nothing to print"
    );

    rig.controller
        .handle(Command::SetLanguage(Language::English));
    assert_eq!(
        rig.controller.state().check_in.procedure_name,
        "Birth registration"
    );
    rig.controller.handle(Command::Idle);
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::Home);
    assert_eq!(state.check_in, CheckInView::default());
}

#[test]
fn a_local_ticket_scanned_here_shows_its_status() {
    let mut rig = rig();
    rig.controller.handle(Command::OpenField(1));
    rig.controller.handle(Command::OpenProcedure(1));
    rig.controller.handle(Command::Issue(None));
    let url = rig.printer.printed.lock().unwrap()[0].qr_payload.clone();
    rig.controller.handle(Command::Home);
    rig.controller.handle(Command::Scanned(url));
    let state = rig.controller.state();
    assert_eq!(state.screen, Screen::CheckIn);
    assert_eq!(state.check_in.outcome, CheckInOutcome::Waiting);
    assert_eq!(state.check_in.number, 1001);
    assert_eq!(state.check_in.wait.people_ahead, 3);
}

#[test]
fn check_in_problems_are_said_in_plain_words() {
    let mut rig = rig();
    // A remote ticket this kiosk issued for Hồng Gai, scanned here by mistake.
    rig.controller.handle(Command::OpenField(3));
    rig.controller.handle(Command::OpenProcedure(7));
    rig.controller.handle(Command::Issue(Some(7)));
    let issued_for_hong_gai = rig.printer.printed.lock().unwrap()[0].qr_payload.clone();
    rig.controller.handle(Command::Home);
    let cases = [
        (
            fake_ticket_qr(FAKE_EXPIRED_TICKET_ID, FAKE_TICKET_SECRET),
            CheckInOutcome::Expired,
        ),
        (
            fake_ticket_qr(FAKE_OTHER_CENTER_TICKET_ID, FAKE_TICKET_SECRET),
            CheckInOutcome::WrongCenter,
        ),
        (issued_for_hong_gai, CheckInOutcome::WrongCenter),
        (
            fake_ticket_qr(FAKE_ARRIVING_TICKET_ID, "WRONG123"),
            CheckInOutcome::NotFound,
        ),
        // An id no ticket can have.
        (
            format!(
                "http://127.0.0.1:8080/t/{}?s={FAKE_TICKET_SECRET}",
                u64::MAX
            ),
            CheckInOutcome::NotFound,
        ),
    ];
    for (scanned, outcome) in cases {
        rig.controller.handle(Command::Scanned(scanned.clone()));
        let state = rig.controller.state();
        assert_eq!(state.screen, Screen::CheckIn, "{scanned}");
        assert_eq!(state.check_in.outcome, outcome, "{scanned}");
        assert_eq!(state.check_in.number, 0, "{scanned}: no number to show");
        assert_eq!(
            rig.controller.idle_timeout(),
            Some(Timeouts::default().idle),
            "{scanned}"
        );
        if outcome == CheckInOutcome::WrongCenter {
            assert!(state.check_in.center_name.contains("Hồng Gai"));
            assert!(state.check_in.center_address.contains("Bến Đoan"));
        }
    }
    *rig.backend.mode.lock().unwrap() = FakeMode::Unreachable;
    rig.controller.handle(Command::Scanned(fake_ticket_qr(
        FAKE_ARRIVING_TICKET_ID,
        FAKE_TICKET_SECRET,
    )));
    assert_eq!(
        rig.controller.state().check_in.outcome,
        CheckInOutcome::Unreachable
    );
    // Back goes home and forgets the scan.
    *rig.backend.mode.lock().unwrap() = FakeMode::Normal;
    rig.controller.handle(Command::Back);
    assert_eq!(rig.controller.state().screen, Screen::Home);
    assert_eq!(rig.controller.state().check_in, CheckInView::default());
}

#[test]
fn a_checked_ticket_reads_by_its_state() {
    let backend = FakeBackend::default();
    let arrived = crate::ports::BackendApi::check_in(
        &backend,
        &wire::CheckInRequest {
            ticket_id: FAKE_ARRIVING_TICKET_ID,
            secret: FAKE_TICKET_SECRET.to_owned(),
        },
    )
    .unwrap();
    let cases = [
        (TicketState::Waiting, true, CheckInOutcome::Arrived),
        (TicketState::Waiting, false, CheckInOutcome::Waiting),
        (TicketState::Called, true, CheckInOutcome::Called),
        (TicketState::Serving, false, CheckInOutcome::Called),
        (TicketState::Done, true, CheckInOutcome::Served),
        (TicketState::NoShow, false, CheckInOutcome::Closed),
        (TicketState::Cancelled, false, CheckInOutcome::Closed),
        (TicketState::Expired, false, CheckInOutcome::Closed),
    ];
    for (ticket_state, remote, outcome) in cases {
        let mut answer = arrived.clone();
        answer.ticket.state = ticket_state;
        answer.ticket.counter_number = Some(5);
        if !remote {
            answer.remote = None;
        }
        let view = CheckInView::answered(&answer, Language::Vietnamese);
        assert_eq!(view.outcome, outcome, "{ticket_state:?}, remote {remote}");
        assert_eq!(view.counter, Some(5));
        assert_eq!(
            view.outcome.found(),
            matches!(
                outcome,
                CheckInOutcome::Arrived | CheckInOutcome::Waiting | CheckInOutcome::Called
            )
        );
    }
}

#[test]
fn time_of_day_reads_rfc3339() {
    assert_eq!(time_of_day("2026-12-04T10:45:00+07:00"), "10:45");
    assert_eq!(time_of_day("soon"), "soon");
}
