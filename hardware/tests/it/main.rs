//! Integration tests: real pseudo-terminals and TCP sockets, the virtual printer, PNGs.
//! No real device is needed.

mod util;

use std::net::TcpListener;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use hardware::interpreter::{Interpreter, Notice, MAX_PAGE_DOTS};
use hardware::layout::{
    encode_receipt, encode_ticket, sample_receipt, sample_remote_ticket, sample_ticket,
    ticket_font_lines, ticket_raster_lines, Paper, TicketLayout,
};
use hardware::printer::{ActorOptions, JobError, JobOutcome, PrinterActor, PrinterConfig};
use hardware::scanner::{
    parse_scanned, LineAssembler, ReceiptCode, ScanEvent, Scanned, SerialScanner, Terminator,
    VirtualScanner,
};
use hardware::status::PrinterStatus;
use hardware::transport::PrintError;
use hardware::virtual_printer::{serve_tcp, PtyServer, VirtualPrinter};
use proptest::prelude::*;

const WAIT: Duration = Duration::from_secs(20);

fn quick() -> ActorOptions {
    ActorOptions {
        io_timeout: Duration::from_secs(2),
        status_timeout: Duration::from_millis(500),
        finish_timeout: Duration::from_secs(2),
    }
}

/// Starts a virtual printer on 127.0.0.1:0 and returns it with its address.
fn tcp_printer(dir: &std::path::Path, paper: Paper) -> (VirtualPrinter, String, Arc<AtomicBool>) {
    let printer = VirtualPrinter::new(dir, paper);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let shutdown = Arc::new(AtomicBool::new(false));
    let (server, stop) = (printer.clone(), shutdown.clone());
    std::thread::spawn(move || serve_tcp(listener, server, stop));
    (printer, addr, shutdown)
}

#[test]
fn ticket_through_a_pty_serial_link_prints_a_legible_page() {
    let dir = tempfile::tempdir().unwrap();
    let printer = VirtualPrinter::new(dir.path(), Paper::Mm80);
    let pty = PtyServer::start(printer.clone()).unwrap();
    let handle = PrinterActor::spawn_with(
        PrinterConfig::Serial {
            path: pty.path.clone(),
            baud: 115_200,
        },
        quick(),
    );
    let ticket = sample_ticket();
    let job = handle.submit(encode_ticket(&ticket, Paper::Mm80));
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: true })
    );
    let pages = printer.pages();
    assert_eq!(pages.len(), 1);
    util::check_ticket_page(&pages[0], &ticket, Paper::Mm80);
    assert!(handle.status(Duration::from_secs(5)).is_ready());
}

#[test]
fn usb_printer_class_transport_prints_and_reads_status() {
    // A pseudo-terminal stands in for /dev/usb/lp0: both are device files read and written
    // with plain read(2) and write(2), which is all the USB transport uses.
    let dir = tempfile::tempdir().unwrap();
    let printer = VirtualPrinter::new(dir.path(), Paper::Mm58);
    let pty = PtyServer::start(printer.clone()).unwrap();
    let handle = PrinterActor::spawn_with(
        PrinterConfig::UsbLp {
            path: pty.path.clone().into(),
        },
        quick(),
    );
    let job = handle.submit(encode_ticket(&sample_ticket(), Paper::Mm58));
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: true })
    );
    assert_eq!(printer.pages().len(), 1);
    printer.set_paper_near_end(true);
    match handle.status(Duration::from_secs(5)) {
        PrinterStatus::Reported(report) => assert!(report.online && report.paper_near_end),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ticket_through_tcp_prints_a_legible_page_on_both_paper_widths() {
    for paper in [Paper::Mm58, Paper::Mm80] {
        let dir = tempfile::tempdir().unwrap();
        let (printer, addr, shutdown) = tcp_printer(dir.path(), paper);
        let handle = PrinterActor::spawn_with(PrinterConfig::Tcp { addr }, quick());
        let ticket = TicketLayout {
            priority_label: Some("Ưu tiên: Người cao tuổi".into()),
            ..sample_ticket()
        };
        let job = handle.submit(encode_ticket(&ticket, paper));
        assert_eq!(
            handle.wait(job, WAIT),
            Ok(JobOutcome::Printed { confirmed: true })
        );
        let pages = printer.pages();
        assert_eq!(pages.len(), 1);
        util::check_ticket_page(&pages[0], &ticket, paper);
        shutdown.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn a_remote_ticket_prints_the_serving_center_and_the_check_in_block() {
    // A citizen who reads Vietnamese, on both papers, and one who reads English: the block
    // is in Vietnamese with the English under it either way.
    let english = TicketLayout {
        number_label: "YOUR NUMBER".into(),
        field_name: "Field: Civil status".into(),
        procedure_name: "Birth registration".into(),
        people_ahead: "People before you on arrival: 2".into(),
        wait_text: "Estimated wait on arrival: about 6 min".into(),
        issued_at: "Issued at: 08:15 04/12/2026".into(),
        footer_lines: vec!["Scan the QR code to follow your turn".into()],
        ..sample_remote_ticket()
    };
    let cases = [
        (sample_remote_ticket(), Paper::Mm58),
        (sample_remote_ticket(), Paper::Mm80),
        (english, Paper::Mm80),
    ];
    for (ticket, paper) in cases {
        let dir = tempfile::tempdir().unwrap();
        let handle = PrinterActor::spawn_with(
            PrinterConfig::Virtual {
                out_dir: dir.path().to_path_buf(),
                paper,
            },
            quick(),
        );
        let notice = ticket.remote.clone().unwrap();
        let job = handle.submit(encode_ticket(&ticket, paper));
        assert_eq!(
            handle.wait(job, WAIT),
            Ok(JobOutcome::Printed { confirmed: true })
        );
        let pages = handle.virtual_printer().unwrap().pages();
        assert_eq!(pages.len(), 1);
        // The QR decodes, and every raster line (names, the block in both languages) and
        // every printer-font line (an English citizen's lines) is on the paper, dot for
        // dot, in order.
        let png = util::Png::load(&pages[0]);
        assert_eq!(png.qr_codes(), vec![ticket.qr_payload.clone()]);
        util::check_raster_lines(&pages[0], &ticket, paper);
        util::check_ticket_font_lines(&pages[0], &ticket, paper);

        // The serving center's name and address open the ticket; the block comes next,
        // each Vietnamese line followed by its English, with the deadline, before the
        // number.
        let raster: Vec<String> = ticket_raster_lines(&ticket, paper)
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        let joined = raster.join(" ");
        let top = [
            ticket.center_name.as_str(),
            ticket.center_address.as_deref().unwrap(),
            &notice.heading,
            &notice.heading_en,
            &notice.text,
            &notice.text_en,
        ]
        .join(" ");
        assert!(
            joined.starts_with(&top),
            "{paper:?}: the ticket opens with {top:?}, not {joined:?}"
        );
        assert!(notice.text.contains("trước 10:45"));
        assert!(notice.text_en.contains("before 10:45"));
        let block_end = raster
            .iter()
            .position(|line| notice.text_en.ends_with(line.as_str()))
            .unwrap();
        let number_label = ticket_raster_lines(&ticket, paper)
            .iter()
            .position(|(line, _)| *line == ticket.number_label);
        match number_label {
            Some(label) => assert!(block_end < label, "{raster:?}"),
            // An English label is in the printer's font, after every raster line above.
            None => assert_eq!(
                ticket_font_lines(&ticket, paper)[0].0.trim(),
                ticket.number_label
            ),
        }
        // A remote ticket still fits the budget of a quick print.
        assert!(
            encode_ticket(&ticket, paper).len() <= hardware::layout::TICKET_BUDGET,
            "{paper:?}"
        );
    }
}

#[test]
fn paper_out_mid_job_fails_with_paper_end_and_the_retry_prints_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let handle = PrinterActor::spawn_with(
        PrinterConfig::Virtual {
            out_dir: dir.path().to_path_buf(),
            paper: Paper::Mm58,
        },
        quick(),
    );
    let printer = handle.virtual_printer().unwrap().clone();
    // Enough paper for the header, not for the whole ticket.
    printer.set_paper_left(Some(300));
    let job = handle.submit(encode_ticket(&sample_ticket(), Paper::Mm58));
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Failed(PrintError::PaperEnd))
    );
    assert!(
        printer.pages().is_empty(),
        "a torn ticket must not count as printed"
    );
    assert!(printer.notices().contains(&Notice::PaperRanOut));
    match handle.status(Duration::from_secs(5)) {
        PrinterStatus::Reported(report) => assert!(report.paper_end && !report.online),
        other => panic!("{other:?}"),
    }
    // A second job while the paper is out fails at once and sends nothing.
    let other = handle.submit(encode_ticket(&sample_ticket(), Paper::Mm58));
    assert_eq!(
        handle.wait(other, WAIT),
        Ok(JobOutcome::Failed(PrintError::PaperEnd))
    );

    printer.set_paper_out(false);
    handle.retry(job).unwrap();
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: true })
    );
    assert_eq!(printer.pages().len(), 1);
    assert_eq!(handle.retry(job), Err(JobError::NotFailed(job)));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(printer.pages().len(), 1, "printed exactly once");
}

#[test]
fn cover_open_and_pulled_cable_over_tcp_are_reported_and_recoverable() {
    let dir = tempfile::tempdir().unwrap();
    let (printer, addr, _shutdown) = tcp_printer(dir.path(), Paper::Mm80);
    let handle = PrinterActor::spawn_with(PrinterConfig::Tcp { addr }, quick());
    let bytes = encode_receipt(&sample_receipt(), Paper::Mm80);

    printer.set_cover_open(true);
    let job = handle.submit(bytes.clone());
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Failed(PrintError::CoverOpen))
    );
    printer.set_cover_open(false);
    handle.retry(job).unwrap();
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: true })
    );

    printer.set_disconnected(true);
    std::thread::sleep(Duration::from_millis(200));
    let job = handle.submit(bytes);
    match handle.wait(job, WAIT) {
        Ok(JobOutcome::Failed(
            PrintError::Disconnected(_) | PrintError::NoSuchDevice(_) | PrintError::TimedOut(_),
        )) => {}
        other => panic!("{other:?}"),
    }
    printer.set_disconnected(false);
    handle.retry(job).unwrap();
    assert_eq!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: true })
    );
    assert_eq!(printer.pages().len(), 2);
}

#[test]
fn missing_devices_say_what_is_wrong_and_status_is_never_ok_by_default() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    let tcp = PrinterActor::spawn_with(PrinterConfig::Tcp { addr }, quick());
    let job = tcp.submit(vec![0x1b, b'@']);
    assert!(matches!(
        tcp.wait(job, WAIT),
        Ok(JobOutcome::Failed(PrintError::NoSuchDevice(_)))
    ));
    assert!(matches!(
        tcp.status(Duration::from_secs(5)),
        PrinterStatus::Unknown { .. }
    ));

    let serial = PrinterActor::spawn_with(
        PrinterConfig::Serial {
            path: "/dev/does-not-exist".into(),
            baud: 115_200,
        },
        quick(),
    );
    let job = serial.submit(vec![0x1b, b'@']);
    assert!(matches!(
        serial.wait(job, WAIT),
        Ok(JobOutcome::Failed(PrintError::NoSuchDevice(_)))
    ));

    let memory = PrinterActor::spawn(PrinterConfig::Memory);
    let job = memory.submit(vec![0x1b, b'@']);
    assert_eq!(
        memory.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: false })
    );
    assert_eq!(memory.memory(), Some(vec![0x1b, b'@']));
    assert!(matches!(
        memory.status(Duration::from_secs(5)),
        PrinterStatus::Unknown { .. }
    ));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spool.bin");
    let file = PrinterActor::spawn(PrinterConfig::File { path: path.clone() });
    let job = file.submit(vec![1, 2, 3]);
    assert_eq!(
        file.wait(job, WAIT),
        Ok(JobOutcome::Printed { confirmed: false })
    );
    assert_eq!(std::fs::read(path).unwrap(), vec![1, 2, 3]);
}

#[test]
fn a_printer_that_answers_nothing_fails_the_job_with_a_time_out() {
    // A serial line to nothing: the pseudo-terminal takes the bytes, nobody answers, as with
    // a USB-serial adapter whose printer is switched off.
    let (_master, slave) = serialport::TTYPort::pair().unwrap();
    let path = serialport::SerialPort::name(&slave).unwrap();
    let handle = PrinterActor::spawn_with(
        PrinterConfig::Serial {
            path,
            baud: 115_200,
        },
        quick(),
    );
    let job = handle.submit(b"\x1b@hello\n\x1dV\x00".to_vec());
    assert!(matches!(
        handle.wait(job, WAIT),
        Ok(JobOutcome::Failed(PrintError::TimedOut(_)))
    ));
    assert!(matches!(
        handle.status(Duration::from_secs(5)),
        PrinterStatus::Unknown { .. }
    ));
}

#[test]
fn layout_byte_sizes() {
    let priority = TicketLayout {
        priority_label: Some("Ưu tiên: Người cao tuổi".into()),
        ..sample_ticket()
    };
    let long = TicketLayout {
        procedure_name: "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu".into(),
        ..sample_ticket()
    };
    let rows = [
        (
            "ticket 58 mm",
            encode_ticket(&sample_ticket(), Paper::Mm58).len(),
            true,
        ),
        (
            "ticket 80 mm",
            encode_ticket(&sample_ticket(), Paper::Mm80).len(),
            true,
        ),
        (
            "ticket 58 mm, priority",
            encode_ticket(&priority, Paper::Mm58).len(),
            true,
        ),
        (
            "ticket 80 mm, priority",
            encode_ticket(&priority, Paper::Mm80).len(),
            true,
        ),
        (
            "ticket 58 mm, long procedure name",
            encode_ticket(&long, Paper::Mm58).len(),
            false,
        ),
        (
            "ticket 80 mm, long procedure name",
            encode_ticket(&long, Paper::Mm80).len(),
            false,
        ),
        (
            "remote ticket 58 mm",
            encode_ticket(&sample_remote_ticket(), Paper::Mm58).len(),
            true,
        ),
        (
            "remote ticket 80 mm",
            encode_ticket(&sample_remote_ticket(), Paper::Mm80).len(),
            true,
        ),
        (
            "receipt 58 mm",
            encode_receipt(&sample_receipt(), Paper::Mm58).len(),
            false,
        ),
        (
            "receipt 80 mm",
            encode_receipt(&sample_receipt(), Paper::Mm80).len(),
            false,
        ),
    ];
    for (name, size, limited) in rows {
        println!("layout size: {name}: {size} bytes");
        if limited {
            assert!(size <= 8 * 1024, "{name}: {size} bytes");
        }
    }
}

#[test]
fn text_too_wide_is_wrapped_not_cut() {
    let long = TicketLayout {
        procedure_name: "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu".into(),
        ..sample_ticket()
    };
    let lines = hardware::layout::ticket_raster_lines(&long, Paper::Mm58);
    let printed: Vec<&str> = lines.iter().map(|(text, _)| text.as_str()).collect();
    let printed = printed.join(" ");
    assert!(
        printed.contains(&long.procedure_name),
        "every word of the procedure name is printed, in order"
    );
    for (text, style) in &lines {
        assert!(hardware::raster::measure(text, *style) <= 384.0, "{text}");
    }
}

#[test]
fn unknown_commands_are_skipped_and_reported() {
    let mut interpreter = Interpreter::new(384);
    let output = interpreter.feed(b"\x1b\xffAB\n\x1dV\x00");
    assert!(output.notices.iter().any(|n| matches!(
        n,
        Notice::UnknownCommand { offset: 0, bytes } if bytes == &[0x1b, 0xff]
    )));
    assert_eq!(
        output.pages.len(),
        1,
        "the text after the unknown command still prints"
    );
}

#[test]
fn a_virtual_scanner_on_a_pty_reaches_the_serial_reader() {
    let mut scanner = VirtualScanner::new(Terminator::CrLf).unwrap();
    let port = serialport::new(scanner.path(), 9600)
        .timeout(Duration::from_millis(50))
        .open()
        .unwrap();
    let reader = SerialScanner::from_port(port, Terminator::CrLf);
    let receipt = ReceiptCode::new("H22.39-261204-0001", "R8K2M4QX").unwrap();
    scanner.send_raw(b"\x00\x1b").unwrap();
    scanner.scan(&receipt.to_compact()).unwrap();
    scanner
        .scan("https://dvc.example/t/48213?s=k7Q2xP9m")
        .unwrap();
    let mut codes = Vec::new();
    while codes.len() < 2 {
        match reader.events().recv_timeout(WAIT).unwrap().unwrap() {
            ScanEvent::Code(code) => codes.push(parse_scanned(&code).unwrap()),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(codes[0], Scanned::Receipt(receipt));
    assert!(matches!(codes[1], Scanned::Ticket(ref t) if t.id == 48213));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn interpreter_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096), split in 0usize..4096) {
        let mut whole = Interpreter::new(384);
        let out = whole.feed(&bytes);
        prop_assert!(out.notices.len() <= 33, "notices are bounded");
        for page in &out.pages {
            prop_assert!(page.height <= MAX_PAGE_DOTS);
            prop_assert_eq!(page.pixels.len(), (page.width * page.height) as usize);
        }
        // Any chunking gives the same paper as one feed.
        let mut chunked = Interpreter::new(384);
        let cut = split.min(bytes.len());
        let mut first = chunked.feed(&bytes[..cut]);
        let second = chunked.feed(&bytes[cut..]);
        first.pages.extend(second.pages);
        first.replies.extend(second.replies);
        prop_assert_eq!(first.pages, out.pages);
        prop_assert_eq!(first.replies, out.replies);
    }

    #[test]
    fn interpreter_survives_commands_mixed_with_noise(
        pieces in proptest::collection::vec(prop_oneof![
            Just(vec![0x1d, b'v', b'0', 0, 0xff, 0xff, 0xff, 0xff]),
            Just(vec![0x1d, b'(', b'k', 0xff, 0xff, 49, 80, 48]),
            Just(vec![0x1d, b'V', 66, 3]),
            Just(vec![0x1d, b'!', 0x77]),
            Just(vec![0x10, 0x04, 4]),
            Just(vec![0x1b, b'J', 255]),
            proptest::collection::vec(any::<u8>(), 0..64),
        ], 0..64)
    ) {
        let mut interpreter = Interpreter::new(576);
        for piece in pieces {
            let out = interpreter.feed(&piece);
            for page in out.pages {
                prop_assert!(page.height <= MAX_PAGE_DOTS);
            }
        }
    }

    #[test]
    fn scanner_parser_survives_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096), max in 1usize..64) {
        let mut assembler = LineAssembler::new(Terminator::Any, max);
        for event in assembler.push(&bytes) {
            match event {
                ScanEvent::Code(code) => {
                    prop_assert!(code.len() <= max);
                    prop_assert!(!code.chars().any(char::is_control));
                    let _ = parse_scanned(&code);
                }
                ScanEvent::Overlong { length } => prop_assert!(length > max),
            }
        }
    }

    #[test]
    fn payload_parser_survives_arbitrary_text(text in "\\PC{0,200}") {
        let _ = parse_scanned(&text);
        let _ = ReceiptCode::parse(&format!("HS1:{text}"));
        let _ = parse_scanned(&format!("https://x.example/tra-cuu?{text}"));
        let _ = parse_scanned(&format!("https://x.example/t/{text}"));
    }

    #[test]
    fn receipt_codes_round_trip(code in "[A-Za-z0-9._/-]{1,40}", secret in "[A-Za-z0-9]{4,32}") {
        let receipt = ReceiptCode::new(&code, &secret).unwrap();
        prop_assert_eq!(ReceiptCode::parse(&receipt.to_compact()), Ok(receipt.clone()));
        prop_assert_eq!(ReceiptCode::parse(&receipt.to_url("https://dvc.example")), Ok(receipt));
    }
}
