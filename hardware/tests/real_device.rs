//! Tests against a real printer and scanner, opt-in:
//! `HARDWARE_TEST_PRINTER=/dev/usb/lp0 cargo test -p hardware --features real-device --test real_device`
//! The printer may be given as a serial port (`serial:/dev/ttyUSB0:115200`), a network
//! address (`tcp:192.168.1.50:9100`) or a USB printer device (`/dev/usb/lp0`).
#![cfg(feature = "real-device")]

use std::time::Duration;

use hardware::layout::{encode_ticket, sample_ticket, Paper};
use hardware::printer::{JobOutcome, PrinterActor, PrinterConfig};

fn config() -> Option<PrinterConfig> {
    let spec = std::env::var("HARDWARE_TEST_PRINTER").ok()?;
    Some(if let Some(rest) = spec.strip_prefix("serial:") {
        let (path, baud) = rest.rsplit_once(':').unwrap_or((rest, "115200"));
        PrinterConfig::Serial {
            path: path.to_string(),
            baud: baud.parse().expect("baud is a number"),
        }
    } else if let Some(addr) = spec.strip_prefix("tcp:") {
        PrinterConfig::Tcp {
            addr: addr.to_string(),
        }
    } else {
        PrinterConfig::UsbLp { path: spec.into() }
    })
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
