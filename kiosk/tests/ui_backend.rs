//! The whole kiosk, headless, against the real backend on loopback: three taps from home
//! to a printed ticket that exists in the backend, then paper out during an issue.

mod util;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kiosk::app::Options;
use kiosk::http::HttpBackend;
use kiosk::ports::{BackendApi, PrintFailure, PrintedTicket, ProcedureQuery, TicketPrinter};
use kiosk::Page;
use wire::{PrinterHealth, TicketStatus};

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

#[test]
fn the_kiosk_against_the_real_backend() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("queue.sqlite");
    let server = backend::testing::TestServer::start(&db_path).unwrap();
    let base_url = server.base_url();
    let api = Arc::new(HttpBackend::new(&base_url, &server.kiosk_token(1), Duration::from_secs(5)).unwrap());

    // Pick a field and one of its procedures from the seeded catalogue.
    let fields = api.fields().unwrap();
    let field = fields.iter().find(|f| f.procedure_count > 0).expect("a field with procedures").clone();
    let procedures = api
        .procedures(&ProcedureQuery { text: None, field_id: Some(field.id), limit: 400 })
        .unwrap();
    let procedure = procedures.items[0].clone();

    i_slint_backend_testing::init_integration_test_with_system_time();
    let printer = Arc::new(Recording { inner: kiosk::fakes::FakePrinter::default(), tickets: Mutex::new(Vec::new()) });
    let options = Options { heartbeat: None, ..Options::default() };
    let kiosk = kiosk::app::start(api.clone(), printer.clone(), &options).unwrap();
    let script_printer = printer.clone();
    util::drive(&kiosk.window, move |ui| {
        let printer = script_printer;
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
        let (id, secret) = id_and_secret(&printed.qr_payload);
        let status: TicketStatus = reqwest::blocking::get(format!("{base_url}/api/tickets/{id}?secret={secret}"))
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(status.ticket.number, shown);
        assert_eq!(status.ticket.procedure_id, procedure.id);
        assert_eq!(status.ticket.center_id, 1);
        ui.tap("Xong");
        ui.wait_for_page(Page::Home);
    });
    drop(server);
}
