//! The ticket printer through the hardware crate's printer actor: the kiosk's
//! [`PrintedTicket`] (the hardware crate's ticket layout) is encoded to ESC/POS and
//! submitted to the one thread that owns the printer; the kiosk waits for the outcome.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use hardware::layout::{encode_ticket, Paper};
use hardware::printer::{JobOutcome, PrinterActor, PrinterConfig, PrinterHandle};
use hardware::status::PrinterStatus;
use hardware::transport::PrintError;
use wire::PrinterHealth;

use crate::ports::{PrintFailure, PrintedTicket, TicketPrinter};

/// How long a ticket may take to print before the kiosk gives up on it.
const JOB_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the heartbeat waits for the printer's status.
const STATUS_TIMEOUT: Duration = Duration::from_secs(2);

/// A printer behind the hardware crate's actor.
pub struct HardwarePrinter {
    handle: PrinterHandle,
    paper: Paper,
    /// The health learned from the last job, for printers that cannot report status.
    last_outcome: Mutex<PrinterHealth>,
}

/// The paper of a width in millimetres (58 or 80).
pub fn paper(millimetres: u32) -> anyhow::Result<Paper> {
    match millimetres {
        58 => Ok(Paper::Mm58),
        80 => Ok(Paper::Mm80),
        other => anyhow::bail!("paper of {other} mm: use 58 or 80"),
    }
}

/// Reads a `--printer` setting: `virtual:DIR`, `serial:PATH[@BAUD]`, `tcp:HOST:PORT`,
/// `usb:PATH`, `file:PATH` or `memory`.
pub fn printer_config(spec: &str, paper: Paper) -> anyhow::Result<PrinterConfig> {
    let (kind, rest) = spec.split_once(':').unwrap_or((spec, ""));
    Ok(match kind {
        "virtual" => PrinterConfig::Virtual {
            out_dir: PathBuf::from(if rest.is_empty() { "out/tickets" } else { rest }),
            paper,
        },
        "serial" => {
            let (path, baud) = match rest.split_once('@') {
                Some((path, baud)) => (
                    path,
                    baud.parse()
                        .with_context(|| format!("baud rate {baud:?}"))?,
                ),
                None => (rest, 115_200),
            };
            PrinterConfig::Serial {
                path: path.to_owned(),
                baud,
            }
        }
        "tcp" => PrinterConfig::Tcp {
            addr: rest.to_owned(),
        },
        "usb" => PrinterConfig::UsbLp {
            path: PathBuf::from(rest),
        },
        "file" => PrinterConfig::File {
            path: PathBuf::from(rest),
        },
        "memory" => PrinterConfig::Memory,
        other => anyhow::bail!("unknown printer kind {other:?} in {spec:?}"),
    })
}

/// Opens the printer a `--printer` setting names.
pub fn open(spec: &str, paper_mm: u32) -> anyhow::Result<Arc<HardwarePrinter>> {
    let paper = paper(paper_mm)?;
    let config = printer_config(spec, paper)?;
    Ok(Arc::new(HardwarePrinter::new(
        PrinterActor::spawn(config),
        paper,
    )))
}

/// The health a failed job implies.
fn health_of(error: &PrintError) -> PrinterHealth {
    match error {
        PrintError::PaperEnd => PrinterHealth::PaperEnd,
        PrintError::CoverOpen => PrinterHealth::CoverOpen,
        PrintError::Offline
        | PrintError::NoSuchDevice(_)
        | PrintError::PermissionDenied(_)
        | PrintError::TimedOut(_)
        | PrintError::Disconnected(_)
        | PrintError::Io(_) => PrinterHealth::Offline,
    }
}

impl HardwarePrinter {
    /// Wraps a running printer actor.
    pub fn new(handle: PrinterHandle, paper: Paper) -> Self {
        HardwarePrinter {
            handle,
            paper,
            last_outcome: Mutex::new(PrinterHealth::Unknown),
        }
    }

    /// The actor's handle (tests reach the virtual printer's switches through it).
    pub fn handle(&self) -> &PrinterHandle {
        &self.handle
    }

    /// The paper width.
    pub fn paper(&self) -> Paper {
        self.paper
    }

    fn remember(&self, health: PrinterHealth) {
        *self
            .last_outcome
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = health;
    }
}

impl TicketPrinter for HardwarePrinter {
    fn print(&self, ticket: &PrintedTicket) -> Result<(), PrintFailure> {
        let bytes = encode_ticket(ticket, self.paper);
        let job = self.handle.submit(bytes);
        match self.handle.wait(job, JOB_TIMEOUT) {
            Ok(JobOutcome::Printed { .. }) => {
                self.remember(PrinterHealth::Ok);
                Ok(())
            }
            Ok(JobOutcome::Failed(error)) => {
                let health = health_of(&error);
                self.remember(health);
                Err(PrintFailure {
                    health,
                    detail: error.to_string(),
                })
            }
            Err(error) => {
                self.remember(PrinterHealth::Unknown);
                Err(PrintFailure {
                    health: PrinterHealth::Unknown,
                    detail: error.to_string(),
                })
            }
        }
    }

    fn health(&self) -> PrinterHealth {
        match self.handle.status(STATUS_TIMEOUT) {
            PrinterStatus::Reported(report) if report.paper_end => PrinterHealth::PaperEnd,
            PrinterStatus::Reported(report) if report.cover_open => PrinterHealth::CoverOpen,
            PrinterStatus::Reported(report) if !report.online => PrinterHealth::Offline,
            PrinterStatus::Reported(report) if report.paper_near_end => PrinterHealth::PaperNearEnd,
            PrinterStatus::Reported(_) => PrinterHealth::Ok,
            // Write-only links cannot say; the last job's outcome is the best guess.
            PrinterStatus::Unknown { .. } => *self
                .last_outcome
                .lock()
                .unwrap_or_else(|poison| poison.into_inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_settings_parse() {
        let paper = Paper::Mm80;
        assert_eq!(
            printer_config("virtual:out/t", paper).unwrap(),
            PrinterConfig::Virtual {
                out_dir: "out/t".into(),
                paper
            }
        );
        assert_eq!(
            printer_config("serial:/dev/ttyUSB0@9600", paper).unwrap(),
            PrinterConfig::Serial {
                path: "/dev/ttyUSB0".into(),
                baud: 9600
            }
        );
        assert_eq!(
            printer_config("serial:/dev/ttyUSB0", paper).unwrap(),
            PrinterConfig::Serial {
                path: "/dev/ttyUSB0".into(),
                baud: 115_200
            }
        );
        assert_eq!(
            printer_config("tcp:10.0.0.9:9100", paper).unwrap(),
            PrinterConfig::Tcp {
                addr: "10.0.0.9:9100".into()
            }
        );
        assert_eq!(
            printer_config("usb:/dev/usb/lp0", paper).unwrap(),
            PrinterConfig::UsbLp {
                path: "/dev/usb/lp0".into()
            }
        );
        assert_eq!(
            printer_config("memory", paper).unwrap(),
            PrinterConfig::Memory
        );
        assert!(printer_config("laser:x", paper).is_err());
        assert!(paper_of_test(57).is_err());
    }

    fn paper_of_test(mm: u32) -> anyhow::Result<Paper> {
        super::paper(mm)
    }

    #[test]
    fn a_ticket_prints_on_the_virtual_printer_and_paper_out_fails_it() {
        let dir = tempfile::tempdir().unwrap();
        let printer = open(&format!("virtual:{}", dir.path().display()), 80).unwrap();
        let ticket = PrintedTicket {
            number: 2047,
            number_label: "SỐ THỨ TỰ".into(),
            ..PrintedTicket::default()
        };
        printer.print(&ticket).unwrap();
        let pages = printer.handle().virtual_printer().unwrap().pages();
        assert_eq!(pages.len(), 1);
        printer
            .handle()
            .virtual_printer()
            .unwrap()
            .set_paper_out(true);
        let failure = printer.print(&ticket).unwrap_err();
        assert_eq!(failure.health, PrinterHealth::PaperEnd);
        assert_eq!(printer.health(), PrinterHealth::PaperEnd);
    }
}
