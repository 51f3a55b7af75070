//! The whole kiosk, headless, against the real backend on loopback and the hardware
//! crate's virtual printer: three taps from home to a printed ticket that exists in the
//! backend and whose PNG carries its number, then paper out during an issue, then a
//! dossier received at a counter, scanned from its receipt through a pseudo-terminal
//! serial scanner, whose status the kiosk shows; then a ticket taken at another center's
//! kiosk for this center, scanned here on arrival and checked in, and a ticket of that
//! other center, which the kiosk sends back there.

mod util;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hardware::interpreter::Interpreter;
use hardware::layout::encode_ticket;
use hardware::scanner::{Terminator, VirtualScanner};
use kiosk::app::Options;
use kiosk::http::HttpBackend;
use kiosk::ports::{BackendApi, PrintFailure, PrintedTicket, ProcedureQuery, TicketPrinter};
use kiosk::printer::HardwarePrinter;
use kiosk::Page;
use wire::{IssueTicketRequest, PrinterHealth, TicketIssued, TicketState, TicketStatus};

/// Wraps the kiosk's printer and keeps every ticket handed to it.
struct Recording<P> {
    inner: P,
    tickets: Mutex<Vec<PrintedTicket>>,
}

impl<P: TicketPrinter> TicketPrinter for Recording<P> {
    fn print(&self, ticket: &PrintedTicket) -> Result<(), PrintFailure> {
        self.tickets.lock().unwrap().push(ticket.clone());
        self.inner.print(ticket)
    }

    fn health(&self) -> PrinterHealth {
        self.inner.health()
    }
}

/// The id and secret in a ticket's tracking URL, `{base}/t/{id}?s={secret}`.
fn id_and_secret(url: &str) -> (i64, String) {
    let tail = url.rsplit_once("/t/").expect("a tracking URL").1;
    let (id, secret) = tail.split_once("?s=").expect("a secret");
    (id.parse().unwrap(), secret.to_owned())
}

/// Asks the backend for a printed ticket through its public status page.
fn status_of(base_url: &str, printed: &PrintedTicket) -> TicketStatus {
    let (id, secret) = id_and_secret(&printed.qr_payload);
    reqwest::blocking::get(format!("{base_url}/api/tickets/{id}?secret={secret}"))
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap()
}

/// Checks that `png` is the paper the printer makes of `printed`: the ESC/POS job holds
/// the number in the printer's own digits, and the virtual printer's page is, pixel for
/// pixel, what the hardware crate's interpreter makes of that job.
fn assert_page_carries(png: &std::path::Path, printed: &PrintedTicket, printer: &HardwarePrinter) {
    let job = encode_ticket(printed, printer.paper());
    let digits = printed.number.to_string();
    assert!(
        job.windows(digits.len()).any(|w| w == digits.as_bytes()),
        "the job holds {digits}"
    );
    let expected = Interpreter::new(printer.paper().dots())
        .feed(&job)
        .pages
        .remove(0)
        .to_image();
    let page = image::open(png).unwrap().into_luma8();
    assert_eq!(page.dimensions(), expected.dimensions());
    assert!(page == expected, "the printed page is ticket {digits}");
}

/// The printer health and fault the backend stored for the kiosk of center 1.
fn kiosk_health(db_path: &std::path::Path) -> (String, Option<String>) {
    let db =
        rusqlite::Connection::open_with_flags(db_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    db.query_row(
        "SELECT printer_health, printer_fault FROM kiosks WHERE center_id = 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .unwrap()
}

/// Receives a dossier at a counter of center 2 the way staff do; returns the receipt's
/// QR payload and the dossier code.
fn receive_dossier(base_url: &str) -> (String, String) {
    let client = reqwest::blocking::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base_url}/api/auth/login"))
        .json(&serde_json::json!({"username": "honggai.canbo1", "password": "demo"}))
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    let token = login["token"].as_str().expect("a session token").to_owned();
    let queue: serde_json::Value = client
        .get(format!("{base_url}/api/centers/2/queue"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    let counter_id = queue["counters"][0]["id"].as_i64().expect("a counter");
    let receipt: serde_json::Value = client
        .post(format!("{base_url}/api/counters/{counter_id}/dossiers"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "procedure_id": 1,
            "applicant_name": "Nguyễn Văn An",
            "applicant_id_number": "022090001234",
        }))
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    let payload = receipt["qr_payload"].as_str().expect("a QR payload");
    let code = receipt["dossier"]["code"].as_str().expect("a dossier code");
    (payload.to_owned(), code.to_owned())
}

/// Takes a ticket for center 1 at the kiosk of center 2 (a suggestion accepted there), for
/// the first non-territorial procedure both centers serve; and a local ticket of center 2.
fn tickets_from_center_2(
    api: &HttpBackend,
    fields: &[wire::Field],
) -> (TicketIssued, TicketIssued) {
    for field in fields.iter().filter(|f| f.procedure_count > 0) {
        let procedures = api
            .procedures(&ProcedureQuery {
                text: None,
                field_id: Some(field.id),
                limit: 200,
            })
            .unwrap();
        for procedure in procedures.items.iter().filter(|p| p.non_territorial) {
            let remote = api.issue_ticket(&IssueTicketRequest {
                procedure_id: procedure.id,
                priority: None,
                for_center_id: Some(1),
            });
            if let Ok(remote) = remote {
                let local = api
                    .issue_ticket(&IssueTicketRequest {
                        procedure_id: procedure.id,
                        priority: None,
                        for_center_id: None,
                    })
                    .unwrap();
                return (remote, local);
            }
        }
    }
    panic!("no procedure that center 2 may send to center 1");
}

#[test]
fn the_kiosk_against_the_real_backend() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("queue.sqlite");
    let server = backend::testing::TestServer::start(&db_path).unwrap();
    let base_url = server.base_url();
    let api = Arc::new(
        HttpBackend::new(&base_url, &server.kiosk_token(1), Duration::from_secs(5)).unwrap(),
    );

    // Pick a field and one of its procedures from the seeded catalogue.
    let fields = api.fields().unwrap();
    let field = fields
        .iter()
        .find(|f| f.procedure_count > 0)
        .expect("a field with procedures")
        .clone();
    let procedures = api
        .procedures(&ProcedureQuery {
            text: None,
            field_id: Some(field.id),
            limit: 200,
        })
        .unwrap();
    let procedure = procedures.items[0].clone();
    let (receipt_payload, dossier_code) = receive_dossier(&base_url);
    let center_2 =
        HttpBackend::new(&base_url, &server.kiosk_token(2), Duration::from_secs(5)).unwrap();
    let (remote, local_of_2) = tickets_from_center_2(&center_2, &fields);
    assert_eq!(remote.ticket.state, TicketState::Remote);
    assert_eq!(remote.ticket.center_id, 1);
    assert!(remote.remote.as_ref().is_some_and(|r| !r.checked_in));

    i_slint_backend_testing::init_integration_test_with_system_time();
    let pages_dir = dir.path().join("tickets");
    let inner = kiosk::printer::open(&format!("virtual:{}", pages_dir.display()), 80).unwrap();
    let printer = Arc::new(Recording {
        inner: Arc::clone(&inner),
        tickets: Mutex::new(Vec::new()),
    });
    let options = Options {
        heartbeat: None,
        ..Options::default()
    };
    let kiosk = kiosk::app::start(api.clone(), printer.clone(), &options).unwrap();
    let commands = kiosk.commands.clone();
    let script_printer = printer.clone();
    let db_path_for_script = db_path.clone();
    util::drive(&kiosk.window, move |ui| {
        let printer = script_printer;
        let db_path = db_path_for_script;
        ui.wait_for_page(Page::Home);
        ui.check_touch_targets();

        // Three taps: the field, the procedure, print.
        ui.reset_taps();
        ui.tap(&field.name_vi);
        ui.wait_for_page(Page::Procedures);
        ui.tap(&procedure.name_vi);
        ui.wait_for_page(Page::Confirm);
        ui.tap("In số thứ tự");
        ui.wait_for_page(Page::Done);
        assert_eq!(ui.taps(), 3, "taps from home to a printed ticket");

        // The number on screen is the printed one, and the backend has the ticket.
        let shown: u32 = ui.value_of("Số thứ tự của bạn").unwrap().parse().unwrap();
        let printed = printer.tickets.lock().unwrap()[0].clone();
        assert_eq!(printed.number, shown);
        let status = status_of(&base_url, &printed);
        assert_eq!(status.ticket.number, shown);
        assert_eq!(status.ticket.procedure_id, procedure.id);
        assert_eq!(status.ticket.center_id, 1);
        let pages = inner.handle().virtual_printer().unwrap().pages();
        assert_eq!(pages.len(), 1, "one ticket, one cut");
        assert_page_carries(&pages[0], &printed, &inner);
        ui.tap("Xong");
        ui.wait_for_page(Page::Home);

        // Paper out during an issue: the ticket is issued and shown, the backend is told.
        inner
            .handle()
            .virtual_printer()
            .unwrap()
            .set_paper_out(true);
        ui.tap(&field.name_vi);
        ui.wait_for_page(Page::Procedures);
        ui.tap(&procedure.name_vi);
        ui.wait_for_page(Page::Confirm);
        ui.tap("In số thứ tự");
        ui.wait_for_page(Page::PrintFailed);
        let shown: u32 = ui.value_of("Số thứ tự của bạn").unwrap().parse().unwrap();
        let unprinted = printer.tickets.lock().unwrap()[1].clone();
        assert_eq!(unprinted.number, shown);
        assert_eq!(
            status_of(&base_url, &unprinted).ticket.number,
            shown,
            "issued anyway"
        );
        assert_eq!(
            inner.handle().virtual_printer().unwrap().pages().len(),
            1,
            "nothing printed"
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let (health, fault) = kiosk_health(&db_path);
            if health == "paper_end" {
                assert!(
                    fault.unwrap_or_default().contains(&shown.to_string()),
                    "the fault names the ticket"
                );
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the backend never heard of the fault"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        ui.tap("Tôi đã ghi nhớ số");
        ui.wait_for_page(Page::Home);

        // A dossier receipt read by a serial scanner on a pseudo-terminal.
        let mut scanner = VirtualScanner::new(Terminator::Cr).unwrap();
        let _routing = kiosk::scanner::start(&format!("serial:{}", scanner.path()), commands)
            .unwrap()
            .expect("a scanner thread");
        ui.tap("Tra cứu hồ sơ");
        ui.wait_for_page(Page::Dossier);
        scanner.scan(&receipt_payload).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let status = ui.value_of("Tình trạng hồ sơ");
            if status.is_some() {
                assert_eq!(status.as_deref(), Some("Được tiếp nhận"));
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the dossier's status is not shown"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            ui.value_of("Mã hồ sơ").as_deref(),
            Some(dossier_code.as_str())
        );
        assert!(ui.value_of("Ngày hẹn trả kết quả").is_some());
        ui.check_touch_targets();
        ui.tap("Về trang đầu");
        ui.wait_for_page(Page::Home);

        // The citizen who took a ticket for this center at center 2's kiosk arrives and
        // holds its QR to the scanner: the ticket is checked in, and the kiosk says so
        // with its number and the wait.
        scanner.scan(&remote.tracking_url).unwrap();
        ui.wait_for_page(Page::CheckIn);
        ui.wait_for_value("Số thứ tự của bạn", &remote.ticket.number.to_string());
        assert_eq!(
            ui.value_of("Kết quả quét phiếu").as_deref(),
            Some("Đã xác nhận bạn đã đến")
        );
        assert!(ui.value_of("Số người trước bạn").is_some());
        let printed_remote = PrintedTicket {
            qr_payload: remote.tracking_url.clone(),
            ..PrintedTicket::default()
        };
        let status = status_of(&base_url, &printed_remote);
        assert_eq!(status.ticket.state, TicketState::Waiting, "checked in");
        ui.check_touch_targets();
        ui.tap("Xong");
        ui.wait_for_page(Page::Home);

        // A ticket of center 2 scanned here: the kiosk names center 2 and checks nothing in.
        scanner.scan(&local_of_2.tracking_url).unwrap();
        ui.wait_for_page(Page::CheckIn);
        ui.wait_for_value("Kết quả quét phiếu", "Phiếu này là của trung tâm khác");
        assert_eq!(
            ui.value_of("Trung tâm của phiếu").as_deref(),
            Some(local_of_2.ticket.center_name.as_str())
        );
        ui.tap("Về trang đầu");
        ui.wait_for_page(Page::Home);
    });
    drop(server);
}
