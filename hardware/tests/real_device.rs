//! Tests against a real printer and scanner, opt-in:
//! `HARDWARE_TEST_PRINTER=usblp:/dev/usb/lp0 cargo test -p hardware --features real-device --test real_device`
//! The printer is a spec as parsed by `PrinterConfig::from_str`: `serial:/dev/ttyUSB0:115200`,
//! `tcp:192.168.1.50:9100`, `usblp:/dev/usb/lp0`; `HARDWARE_TEST_PAPER=58` for 58 mm paper.
#![cfg(feature = "real-device")]

use std::time::Duration;

use hardware::layout::{encode_ticket, sample_ticket, Paper};
use hardware::printer::{JobOutcome, PrinterActor, PrinterConfig};

fn config() -> Option<PrinterConfig> {
    let spec = std::env::var("HARDWARE_TEST_PRINTER").ok()?;
    Some(
        spec.parse()
            .expect("HARDWARE_TEST_PRINTER is a printer spec"),
    )
}

#[test]
fn prints_a_sample_ticket_on_the_real_printer() {
    let Some(config) = config() else {
        eprintln!("HARDWARE_TEST_PRINTER is not set; skipping");
        return;
    };
    let paper = match std::env::var("HARDWARE_TEST_PAPER").as_deref() {
        Ok("58") => Paper::Mm58,
        _ => Paper::Mm80,
    };
    let handle = PrinterActor::spawn(config);
    println!("status before: {:?}", handle.status(Duration::from_secs(3)));
    let job = handle.submit(encode_ticket(&sample_ticket(), paper));
    let outcome = handle
        .wait(job, Duration::from_secs(30))
        .expect("job finishes");
    println!("outcome: {outcome:?}");
    assert!(matches!(outcome, JobOutcome::Printed { .. }));
}
