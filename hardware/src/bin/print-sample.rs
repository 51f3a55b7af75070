//! Prints the sample ticket (or receipt) on any printer, real or virtual, and says what
//! happened: a quick check that a kiosk's printer works.
//!
//! `cargo run -p hardware --bin print-sample -- --printer tcp:127.0.0.1:9100`

use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use hardware::layout::{encode_receipt, encode_ticket, sample_receipt, sample_ticket, Paper};
use hardware::printer::{JobOutcome, PrinterActor, PrinterConfig};

/// Print a sample ticket and report the printer's status and the job's outcome.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Printer spec: virtual:DIR[:58|80], serial:PATH[:BAUD], tcp:HOST[:PORT], usblp:PATH,
    /// file:PATH or memory.
    #[arg(long, env = "PRINTER", default_value = "tcp:127.0.0.1:9100")]
    printer: String,
    /// Paper width: 58 or 80.
    #[arg(long, env = "PRINTER_PAPER", default_value = "80")]
    paper: String,
    /// Print the sample receipt instead of the sample ticket.
    #[arg(long)]
    receipt: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config: PrinterConfig = args.printer.parse().context("--printer")?;
    let paper: Paper = args.paper.parse().context("--paper")?;
    let bytes = if args.receipt {
        encode_receipt(&sample_receipt(), paper)
    } else {
        encode_ticket(&sample_ticket(), paper)
    };
    let printer = PrinterActor::spawn(config);
    println!("status: {:?}", printer.status(Duration::from_secs(5)));
    let job = printer.submit(bytes.clone());
    let outcome = printer.wait(job, Duration::from_secs(30))?;
    println!("{} bytes: {outcome:?}", bytes.len());
    if let Some(virtual_printer) = printer.virtual_printer() {
        for page in virtual_printer.pages() {
            println!("page: {}", page.display());
        }
    }
    match outcome {
        JobOutcome::Printed { .. } => Ok(()),
        JobOutcome::Failed(reason) => anyhow::bail!("not printed: {reason}"),
    }
}
