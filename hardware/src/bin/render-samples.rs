//! Writes PNGs of 58 mm and 80 mm tickets (local and remote) and an 80 mm receipt,
//! rendered by the virtual printer's interpreter from the very bytes a real printer would
//! receive.
//!
//! Usage: `cargo run -p hardware --bin render-samples -- OUT_DIR`

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Parser;
use hardware::interpreter::Interpreter;
use hardware::layout::{
    encode_receipt, encode_ticket, sample_receipt, sample_remote_ticket, sample_ticket, Paper,
    TicketLayout,
};

/// Render sample tickets and a receipt to PNG files.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Folder to write ticket-58mm.png, ticket-80mm.png and receipt-80mm.png into (plus
    /// ticket-58mm-long.png: a priority ticket with a long procedure name, and
    /// ticket-remote-58mm.png, ticket-remote-80mm.png: tickets taken for another center).
    out_dir: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("creating {}", args.out_dir.display()))?;
    // A priority ticket with one of the longest procedure names, to show wrapping.
    let long = TicketLayout {
        priority_label: Some("Ưu tiên: Người cao tuổi".into()),
        procedure_name: "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu".into(),
        number: 7,
        ..sample_ticket()
    };
    let jobs = [
        (
            "ticket-58mm.png",
            Paper::Mm58,
            encode_ticket(&sample_ticket(), Paper::Mm58),
        ),
        (
            "ticket-80mm.png",
            Paper::Mm80,
            encode_ticket(&sample_ticket(), Paper::Mm80),
        ),
        (
            "receipt-80mm.png",
            Paper::Mm80,
            encode_receipt(&sample_receipt(), Paper::Mm80),
        ),
        (
            "ticket-58mm-long.png",
            Paper::Mm58,
            encode_ticket(&long, Paper::Mm58),
        ),
        (
            "ticket-remote-58mm.png",
            Paper::Mm58,
            encode_ticket(&sample_remote_ticket(), Paper::Mm58),
        ),
        (
            "ticket-remote-80mm.png",
            Paper::Mm80,
            encode_ticket(&sample_remote_ticket(), Paper::Mm80),
        ),
    ];
    for (name, paper, bytes) in jobs {
        let mut interpreter = Interpreter::new(paper.dots());
        let output = interpreter.feed(&bytes);
        for notice in &output.notices {
            eprintln!("{name}: {notice:?}");
        }
        let [page] = output.pages.as_slice() else {
            bail!("{name}: expected one page, got {}", output.pages.len());
        };
        let path = args.out_dir.join(name);
        page.to_image()
            .save(&path)
            .with_context(|| format!("writing {}", path.display()))?;
        println!(
            "{} ({} bytes of ESC/POS, {}x{} dots)",
            path.display(),
            bytes.len(),
            page.width,
            page.height
        );
    }
    Ok(())
}
