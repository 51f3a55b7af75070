//! Printing dossier receipts on the counters' thermal printers.
//!
//! The dossier is committed before anything is printed, so a printer fault never loses a
//! dossier: the counter sees the fault and reprints when the printer is back.

use std::collections::HashMap;
use std::time::Duration;

use hardware::layout::{encode_receipt, Paper, ReceiptField, ReceiptLayout};
use hardware::printer::{JobOutcome, PrinterActor, PrinterConfig, PrinterHandle};

use crate::api::dossiers::Dossier;
use crate::state::Directory;

/// The receipt printers: one per counter where configured, else a shared default.
#[derive(Clone, Default)]
pub struct ReceiptPrinters {
    default: Option<PrinterHandle>,
    by_counter: HashMap<i64, PrinterHandle>,
    paper: Option<Paper>,
}

impl std::fmt::Debug for ReceiptPrinters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptPrinters")
            .field("default", &self.default.is_some())
            .field("counters", &self.by_counter.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ReceiptPrinters {
    /// Starts one printer actor per spec (`virtual:DIR[:80]`, `tcp:HOST:PORT`, …).
    pub fn start(
        default: Option<&str>,
        by_counter: &[(i64, String)],
        paper: Paper,
    ) -> anyhow::Result<ReceiptPrinters> {
        let spawn = |spec: &str| -> anyhow::Result<PrinterHandle> {
            let config: PrinterConfig = spec
                .parse()
                .map_err(|e| anyhow::anyhow!("receipt printer {spec:?}: {e}"))?;
            Ok(PrinterActor::spawn(config))
        };
        let default = default.map(spawn).transpose()?;
        let mut map = HashMap::new();
        for (counter, spec) in by_counter {
            map.insert(*counter, spawn(spec)?);
        }
        Ok(ReceiptPrinters {
            default,
            by_counter: map,
            paper: Some(paper),
        })
    }

    fn for_counter(&self, counter_id: i64) -> Option<&PrinterHandle> {
        self.by_counter.get(&counter_id).or(self.default.as_ref())
    }

    /// Prints a receipt and waits for the outcome (off the async workers). Returns a
    /// plain-words status for the counter: `printed`, `no_printer` or `failed: …`.
    pub async fn print(
        &self,
        dir: &Directory,
        counter_id: i64,
        dossier: &Dossier,
        qr_payload: &str,
        secret: &str,
    ) -> String {
        let Some(printer) = self.for_counter(counter_id).cloned() else {
            return "no_printer".into();
        };
        let layout = layout(dir, counter_id, dossier, qr_payload, secret);
        let bytes = encode_receipt(&layout, self.paper.unwrap_or(Paper::Mm80));
        let outcome = tokio::task::spawn_blocking(move || {
            let id = printer.submit(bytes);
            printer.wait(id, Duration::from_secs(15))
        })
        .await;
        match outcome {
            Ok(Ok(JobOutcome::Printed { .. })) => "printed".into(),
            Ok(Ok(JobOutcome::Failed(e))) => format!("failed: {e}"),
            Ok(Err(e)) => format!("failed: {e}"),
            Err(e) => format!("failed: {e}"),
        }
    }
}

fn day(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả).
pub fn layout(
    dir: &Directory,
    counter_id: i64,
    d: &Dossier,
    qr_payload: &str,
    secret: &str,
) -> ReceiptLayout {
    let center = dir.center(d.receiving_center_id);
    let counter = dir
        .counter(counter_id)
        .map(|c| c.number)
        .unwrap_or_default();
    let ret = dir.center(d.return_center_id);
    let field = |label: &str, value: String| ReceiptField {
        label: label.into(),
        value,
    };
    ReceiptLayout {
        center_name: center.map(|c| c.name.clone()).unwrap_or_default(),
        center_address: center.map(|c| c.address.clone()),
        title: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ".into(),
        fields: vec![
            field("Mã hồ sơ", d.code.clone()),
            field("Mã tra cứu", secret.to_string()),
            field("Thủ tục", d.procedure_name_vi.clone()),
            field("Người nộp", d.applicant_name.clone()),
            field("Ngày nhận", day(&d.received_at)),
            field("Ngày hẹn trả kết quả", day(&d.appointment_at)),
            field("Nơi tiếp nhận", format!("Quầy số {counter}")),
            field(
                "Nơi trả kết quả",
                ret.map(|c| c.name.clone()).unwrap_or_default(),
            ),
        ],
        qr_payload: qr_payload.to_string(),
        qr_caption: Some("Quét mã tại kiosk để tra cứu tình trạng hồ sơ".into()),
        footer_lines: vec!["Xin cảm ơn ông/bà!".into()],
    }
}
