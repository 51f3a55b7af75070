//! Hardware for the queue system: thermal tickets in legible Vietnamese, printer transports
//! and status, scanners, and a virtual printer that renders what it receives.
//!
//! Pure core (no I/O, tested on tables of cases):
//! - [`layout`]: ticket and receipt layouts encoded to ESC/POS bytes.
//! - [`raster`]: Vietnamese text to 1-bit raster with the embedded Noto Sans.
//! - [`interpreter`]: an ESC/POS interpreter that turns bytes into paper and status replies.
//! - [`status`]: `DLE EOT` replies decoded.
//! - [`scanner`]: scanner line assembly and the QR payload formats (plus its I/O edge).
//!
//! I/O edges:
//! - [`transport`]: serial, TCP, USB printer-class, file, memory and in-process links.
//! - [`printer`]: the printer actor; one thread owns the printer, callers never block.
//! - [`virtual_printer`]: the interpreter on TCP or a pseudo-terminal, one PNG per cut.
//!
//! A kiosk prints a ticket like this:
//!
//! ```no_run
//! use std::time::Duration;
//! use hardware::layout::{encode_ticket, sample_ticket, Paper};
//! use hardware::printer::{JobOutcome, PrinterActor, PrinterConfig};
//!
//! let printer = PrinterActor::spawn(PrinterConfig::Virtual {
//!     out_dir: "virtual-printer-out".into(),
//!     paper: Paper::Mm80,
//! });
//! let job = printer.submit(encode_ticket(&sample_ticket(), Paper::Mm80));
//! match printer.wait(job, Duration::from_secs(10)) {
//!     Ok(JobOutcome::Printed { .. }) => {}
//!     Ok(JobOutcome::Failed(reason)) => eprintln!("the ticket did not print: {reason}"),
//!     Err(still_running) => eprintln!("{still_running}"),
//! }
//! ```
pub mod interpreter;
pub mod layout;
pub mod printer;
pub mod raster;
pub mod scanner;
pub mod status;
pub mod transport;
pub mod virtual_printer;
