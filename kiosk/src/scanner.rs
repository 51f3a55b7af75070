//! Routes a serial scanner to the controller, whatever the screen: a dossier receipt's
//! code opens its status, a queue ticket's QR its check-in. A keyboard-wedge scanner needs
//! no code here: it types into the focus scope of the home, dossier or check-in screen
//! like a keyboard.

use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use anyhow::Context as _;
use hardware::scanner::{ScanEvent, SerialScanner, Terminator};

use crate::controller::Command;

/// Starts forwarding the scanner a `--scanner` setting names: `serial:PATH[@BAUD]` starts
/// a thread; `wedge` (the default) needs none and returns `None`.
pub fn start(spec: &str, commands: Sender<Command>) -> anyhow::Result<Option<JoinHandle<()>>> {
    let Some(rest) = spec.strip_prefix("serial:") else {
        anyhow::ensure!(
            spec == "wedge",
            "unknown scanner {spec:?}: use wedge or serial:PATH[@BAUD]"
        );
        return Ok(None);
    };
    let (path, baud) = match rest.split_once('@') {
        Some((path, baud)) => (
            path,
            baud.parse()
                .with_context(|| format!("baud rate {baud:?}"))?,
        ),
        None => (rest, 9600),
    };
    let scanner = SerialScanner::open(path, baud, Terminator::Any)
        .with_context(|| format!("opening scanner {path}"))?;
    let thread = std::thread::Builder::new()
        .name("kiosk-scanner".to_owned())
        .spawn(move || {
            for event in scanner.events() {
                match event {
                    Ok(ScanEvent::Code(code)) => {
                        if commands.send(Command::Scanned(code)).is_err() {
                            return;
                        }
                    }
                    Ok(ScanEvent::Overlong { length }) => {
                        tracing::warn!(
                            length,
                            "the scanner sent an over-long line; check its mode and baud rate"
                        );
                    }
                    Err(error) => {
                        tracing::error!(%error, "the scanner stopped");
                        return;
                    }
                }
            }
        })?;
    Ok(Some(thread))
}
