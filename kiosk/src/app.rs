//! Assembles a running kiosk from a backend, a printer and options: the window, the
//! worker thread with the controller, and the heartbeat. `main` and the UI tests start
//! the very same kiosk; only the Slint platform differs.

use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Duration;

use slint::ComponentHandle;

use crate::controller::{Command, Controller, FaultSlot, Timeouts};
use crate::ports::{BackendApi, TicketPrinter};
use crate::text::Language;
use crate::ui::{self, SlintView};
use crate::AppWindow;

/// What a kiosk needs besides its backend and printer.
#[derive(Debug, Clone)]
pub struct Options {
    /// The controller's time-outs.
    pub timeouts: Timeouts,
    /// The language a new citizen starts in.
    pub language: Language,
    /// The smallest touch target in logical pixels.
    pub min_target_px: f32,
    /// Time between heartbeats; `None` sends none (tests that count heartbeats).
    pub heartbeat: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeouts: Timeouts::default(),
            language: Language::Vietnamese,
            min_target_px: crate::config::min_target_px(96.0),
            heartbeat: Some(Duration::from_secs(30)),
        }
    }
}

/// A started kiosk: its window and the channel its taps go to.
pub struct Kiosk {
    /// The window; show it and run the event loop.
    pub window: AppWindow,
    /// The controller's command channel (also fed by the scanner).
    pub commands: Sender<Command>,
    /// The printer fault shared by the controller and the heartbeat.
    pub fault: FaultSlot,
}

/// Creates the window and starts the worker (which loads the home screen) and the
/// heartbeat. Must run on the thread of the Slint event loop.
pub fn start(
    backend: Arc<dyn BackendApi>,
    printer: Arc<dyn TicketPrinter>,
    options: &Options,
) -> anyhow::Result<Kiosk> {
    let window = AppWindow::new()?;
    ui::set_min_target(&window, options.min_target_px);
    ui::select_language(options.language);
    let (commands, receiver) = std::sync::mpsc::channel();
    ui::connect(&window, &commands);
    let fault = FaultSlot::default();
    let controller = Controller::new(
        backend.clone(),
        printer.clone(),
        Box::new(SlintView::new(&window)),
        options.timeouts,
        options.language,
        fault.clone(),
    );
    ui::spawn_worker(controller, receiver)?;
    if let Some(interval) = options.heartbeat {
        ui::spawn_heartbeat(backend, printer, fault.clone(), interval)?;
    }
    commands.send(Command::Start)?;
    Ok(Kiosk {
        window,
        commands,
        fault,
    })
}

impl Kiosk {
    /// Shows the window and runs the event loop until the window closes.
    pub fn run(&self) -> anyhow::Result<()> {
        self.window.show()?;
        slint::run_event_loop()?;
        self.window.hide()?;
        Ok(())
    }
}
