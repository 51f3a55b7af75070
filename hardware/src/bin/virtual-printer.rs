//! A virtual ESC/POS thermal printer for people: it listens on TCP (like a network printer
//! on port 9100) and/or a pseudo-terminal (like a serial printer), and writes one PNG per
//! cut. Faults can be set at start-up or switched while it runs by typing commands.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Parser, ValueEnum};
use hardware::layout::Paper;
use hardware::virtual_printer::{serve_tcp, PtyServer, VirtualPrinter};

/// Paper width of the virtual printer.
#[derive(Clone, Copy, ValueEnum)]
enum PaperArg {
    /// 58 mm roll, 384 dots.
    #[value(name = "58")]
    Mm58,
    /// 80 mm roll, 576 dots.
    #[value(name = "80")]
    Mm80,
}

/// A virtual ESC/POS receipt printer that renders what it receives to PNG files.
///
/// While it runs, type a command and Enter: paper-out, paper-in, cover-open, cover-close,
/// near-end, near-end-off, unplug, plug, status, quit.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// TCP address to listen on; use 127.0.0.1:0 for any free port. Empty to disable.
    #[arg(long, env = "VIRTUAL_PRINTER_TCP", default_value = "127.0.0.1:9100")]
    tcp: String,
    /// Also serve on a pseudo-terminal and print its path (a serial port to print to).
    #[arg(long)]
    pty: bool,
    /// Make a symbolic link at this path pointing to the pseudo-terminal (implies --pty).
    #[arg(long)]
    pty_link: Option<PathBuf>,
    /// Folder for the PNG pages, one per cut.
    #[arg(
        long,
        env = "VIRTUAL_PRINTER_OUT",
        default_value = "virtual-printer-out"
    )]
    out_dir: PathBuf,
    /// Paper width.
    #[arg(long, value_enum, default_value = "80")]
    paper: PaperArg,
    /// Start with no paper (status: paper end; print data is discarded).
    #[arg(long)]
    paper_out: bool,
    /// Start with the cover open.
    #[arg(long)]
    cover_open: bool,
    /// Start with the paper near-end sensor set.
    #[arg(long)]
    paper_near_end: bool,
    /// Run out of paper after this many dots of feed (8 dots = 1 mm), to test paper-out in
    /// the middle of a job.
    #[arg(long)]
    paper_left_dots: Option<u32>,
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let paper = match args.paper {
        PaperArg::Mm58 => Paper::Mm58,
        PaperArg::Mm80 => Paper::Mm80,
    };
    let printer = VirtualPrinter::new(&args.out_dir, paper);
    printer.set_paper_out(args.paper_out);
    printer.set_cover_open(args.cover_open);
    printer.set_paper_near_end(args.paper_near_end);
    printer.set_paper_left(args.paper_left_dots);
    let shutdown = Arc::new(AtomicBool::new(false));

    let mut served = false;
    if !args.tcp.is_empty() {
        let listener =
            TcpListener::bind(&args.tcp).with_context(|| format!("listening on {}", args.tcp))?;
        println!("tcp: {}", listener.local_addr()?);
        let (server, stop) = (printer.clone(), shutdown.clone());
        std::thread::spawn(move || {
            if let Err(error) = serve_tcp(listener, server, stop) {
                tracing::error!(%error, "tcp server stopped");
            }
        });
        served = true;
    }
    let _pty = if args.pty || args.pty_link.is_some() {
        let pty = PtyServer::start(printer.clone()).context("opening a pseudo-terminal")?;
        println!("pty: {}", pty.path);
        if let Some(link) = &args.pty_link {
            let _ = std::fs::remove_file(link);
            std::os::unix::fs::symlink(&pty.path, link)
                .with_context(|| format!("linking {}", link.display()))?;
            println!("pty link: {}", link.display());
        }
        served = true;
        Some(pty)
    } else {
        None
    };
    if !served {
        bail!("nothing to serve: give --tcp ADDR and/or --pty");
    }
    println!("pages go to {}", args.out_dir.display());

    // Commands from standard input switch faults; end of input keeps the printer running
    // (so it also works in the background), Ctrl-C stops it.
    let mut line = String::new();
    loop {
        line.clear();
        if std::io::stdin().read_line(&mut line)? == 0 {
            loop {
                std::thread::park();
            }
        }
        match line.trim() {
            "" => {}
            "paper-out" => printer.set_paper_out(true),
            "paper-in" => printer.set_paper_out(false),
            "cover-open" => printer.set_cover_open(true),
            "cover-close" => printer.set_cover_open(false),
            "near-end" => printer.set_paper_near_end(true),
            "near-end-off" => printer.set_paper_near_end(false),
            "unplug" => printer.set_disconnected(true),
            "plug" => printer.set_disconnected(false),
            "status" => {}
            "quit" | "exit" => break,
            other => {
                println!("unknown command {other:?}; try paper-out, paper-in, cover-open, cover-close, near-end, near-end-off, unplug, plug, status, quit");
                continue;
            }
        }
        println!(
            "faults: {:?}; unplugged: {}; pages: {}",
            printer.faults(),
            printer.is_disconnected(),
            printer.pages().len()
        );
    }
    shutdown.store(true, Ordering::Relaxed);
    Ok(())
}
