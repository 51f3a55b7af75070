//! The whole kiosk, headless, over the in-memory backend and printer: the flows a citizen
//! takes, the language switch, the priority, the faster center, paper out, the idle
//! time-out, a dossier, a scanned ticket's check-in, and the size of every touch target.

mod util;

use std::sync::Arc;
use std::time::Duration;

use kiosk::app::Options;
use kiosk::controller::Timeouts;
use kiosk::fakes::{
    fake_ticket_qr, FakeBackend, FakePrinter, FAKE_ARRIVING_TICKET_ID, FAKE_OTHER_CENTER_TICKET_ID,
    FAKE_TICKET_SECRET,
};
use kiosk::Page;
use wire::{PrinterHealth, PriorityReason};

#[test]
fn the_kiosk_over_fakes() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let backend = Arc::new(FakeBackend::default());
    let printer = Arc::new(FakePrinter::default());
    let options = Options {
        timeouts: Timeouts {
            idle: Duration::from_secs(2),
            done: Duration::from_secs(30),
            print_failed: Duration::from_secs(30),
            refresh: Duration::from_secs(30),
        },
        heartbeat: None,
        ..Options::default()
    };
    let kiosk = kiosk::app::start(backend.clone(), printer.clone(), &options).unwrap();
    let commands = kiosk.commands.clone();
    util::drive(&kiosk.window, move |ui| {
        ui.wait_for_page(Page::Home);
        assert!(
            ui.check_touch_targets() >= 8,
            "tiles, search, dossier, language"
        );

        // Three taps from home to a printed ticket.
        ui.reset_taps();
        ui.tap("Hộ tịch");
        ui.wait_for_page(Page::Procedures);
        ui.check_touch_targets();
        ui.tap("Đăng ký khai sinh");
        ui.wait_for_page(Page::Confirm);
        ui.check_touch_targets();
        ui.tap("In số thứ tự");
        ui.wait_for_page(Page::Done);
        assert_eq!(ui.taps(), 3);
        assert_eq!(ui.value_of("Số thứ tự của bạn").as_deref(), Some("1001"));
        assert_eq!(printer.printed.lock().unwrap()[0].number, 1001);
        ui.check_touch_targets();
        ui.tap("Xong");
        ui.wait_for_page(Page::Home);

        // English, a priority and the faster center.
        ui.tap("English");
        ui.tap("Land");
        ui.wait_for_page(Page::Procedures);
        ui.tap("First land use right certificate");
        ui.wait_for_page(Page::Confirm);
        ui.tap("I have priority");
        ui.wait_for_page(Page::Priority);
        ui.check_touch_targets();
        ui.tap("Elderly person");
        ui.wait_for_page(Page::Confirm);
        ui.check_touch_targets();
        ui.tap("Take a ticket for Trung tâm Phục vụ hành chính công phường Hồng Gai");
        ui.wait_for_page(Page::Done);
        let request = backend.issued.lock().unwrap()[1].clone();
        assert_eq!(request.priority, Some(PriorityReason::Elderly));
        assert_eq!(request.for_center_id, Some(7));
        assert_eq!(
            printer.printed.lock().unwrap()[1].number_label,
            "YOUR NUMBER"
        );
        ui.tap("Done");
        ui.wait_for_page(Page::Home);
        assert!(ui.has("English"), "home resets the language to Vietnamese");

        // Search with the on-screen keyboard, without tones.
        ui.tap("Tìm theo tên thủ tục");
        ui.wait_for_page(Page::Search);
        ui.check_touch_targets();
        for letter in ["c", "h", "u", "n", "g"] {
            ui.tap(letter);
        }
        ui.tap("Dấu sắc");
        assert_eq!(ui.value_of("Tên thủ tục cần tìm").as_deref(), Some("chúng"));
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !ui.has("Chứng thực chữ ký") {
            assert!(std::time::Instant::now() < deadline, "no search results");
            std::thread::sleep(Duration::from_millis(20));
        }
        ui.tap("Chứng thực chữ ký");
        ui.wait_for_page(Page::Confirm);
        ui.tap("Quay lại");
        ui.wait_for_page(Page::Search);

        // Left alone, the kiosk goes home by itself.
        ui.wait_for_page(Page::Home);

        // Paper out: the ticket is issued and shown, and the backend hears of it.
        *printer.failure.lock().unwrap() = Some(PrinterHealth::PaperEnd);
        ui.tap("Chứng thực");
        ui.wait_for_page(Page::Procedures);
        ui.tap("Chứng thực chữ ký");
        ui.wait_for_page(Page::Confirm);
        ui.tap("In số thứ tự");
        ui.wait_for_page(Page::PrintFailed);
        assert_eq!(ui.value_of("Số thứ tự của bạn").as_deref(), Some("1003"));
        assert_eq!(backend.issued.lock().unwrap().len(), 3);
        let heartbeat = backend.heartbeats.lock().unwrap().last().cloned().unwrap();
        assert_eq!(heartbeat.printer, PrinterHealth::PaperEnd);
        assert!(heartbeat.fault.unwrap().contains("1003"));
        ui.check_touch_targets();
        ui.tap("Tôi đã ghi nhớ số");
        ui.wait_for_page(Page::Home);

        // A scanner's receipt code shows the dossier's status.
        ui.tap("Tra cứu hồ sơ");
        ui.wait_for_page(Page::Dossier);
        commands
            .send(kiosk::controller::Command::Scanned(format!(
                "HS1:{}:{}",
                kiosk::fakes::FAKE_DOSSIER_CODE,
                kiosk::fakes::FAKE_DOSSIER_SECRET
            )))
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while ui.value_of("Tình trạng hồ sơ").as_deref() != Some("Đang xử lý") {
            assert!(
                std::time::Instant::now() < deadline,
                "the dossier's status is not shown"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            ui.value_of("Mã hồ sơ").as_deref(),
            Some(kiosk::fakes::FAKE_DOSSIER_CODE)
        );
        assert_eq!(
            ui.value_of("Ngày hẹn trả kết quả").as_deref(),
            Some("18/12/2026")
        );
        ui.check_touch_targets();
        ui.tap("Về trang đầu");
        ui.wait_for_page(Page::Home);

        // The code and secret typed on the screen's keyboard.
        ui.tap("Tra cứu hồ sơ");
        ui.wait_for_page(Page::Dossier);
        ui.tap("Nhập mã bằng tay");
        ui.check_touch_targets();
        for key in "H22.39-261204-00011".chars() {
            ui.tap(&key.to_string());
        }
        ui.tap("Xóa một chữ");
        assert_eq!(
            ui.value_of("Mã hồ sơ").as_deref(),
            Some(kiosk::fakes::FAKE_DOSSIER_CODE)
        );
        ui.tap("Mã tra cứu");
        for key in kiosk::fakes::FAKE_DOSSIER_SECRET.chars() {
            ui.tap(&key.to_string());
        }
        ui.tap("Tra cứu");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while ui.value_of("Tình trạng hồ sơ").as_deref() != Some("Đang xử lý") {
            assert!(
                std::time::Instant::now() < deadline,
                "the typed dossier's status is not shown"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        ui.tap("Về trang đầu");
        ui.wait_for_page(Page::Home);

        // A ticket taken at another center for this one, read on the home screen by a
        // keyboard-wedge scanner: the arrival is confirmed with the number and the wait.
        ui.type_text(&format!(
            "{}\n",
            fake_ticket_qr(FAKE_ARRIVING_TICKET_ID, FAKE_TICKET_SECRET)
        ));
        ui.wait_for_page(Page::CheckIn);
        ui.wait_for_value("Số thứ tự của bạn", "1004");
        assert_eq!(
            ui.value_of("Kết quả quét phiếu").as_deref(),
            Some("Đã xác nhận bạn đã đến")
        );
        assert_eq!(ui.value_of("Số người trước bạn").as_deref(), Some("2"));
        ui.check_touch_targets();
        ui.tap("English");
        ui.wait_for_value("Ticket scan result", "Your arrival is confirmed");
        ui.tap("Done");
        ui.wait_for_page(Page::Home);

        // A ticket of another center, from the serial scanner: where to go instead.
        commands
            .send(kiosk::controller::Command::Scanned(fake_ticket_qr(
                FAKE_OTHER_CENTER_TICKET_ID,
                FAKE_TICKET_SECRET,
            )))
            .unwrap();
        ui.wait_for_page(Page::CheckIn);
        ui.wait_for_value("Kết quả quét phiếu", "Phiếu này là của trung tâm khác");
        assert!(ui
            .value_of("Trung tâm của phiếu")
            .unwrap()
            .contains("Hồng Gai"));
        assert!(
            !ui.has("Số thứ tự của bạn"),
            "no number for a refused ticket"
        );
        ui.check_touch_targets();
        ui.tap("Về trang đầu");
        ui.wait_for_page(Page::Home);
    });
}
