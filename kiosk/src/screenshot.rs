//! `--screenshot DIR`: every screen in both languages, rendered to PNG with the software
//! renderer and no display. The states come from the real controller driven over the
//! in-memory backend, so the pictures show what the kiosk really shows.

use std::path::Path;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter};
use slint::{ComponentHandle, PhysicalSize, PlatformError};
use wire::{PrinterHealth, PriorityReason};

use crate::controller::{Command, Controller, FaultSlot, KioskView, Screen, Timeouts, ViewState};
use crate::fakes::{
    fake_ticket_qr, FakeBackend, FakeMode, FakePrinter, FAKE_ARRIVING_TICKET_ID, FAKE_DOSSIER_CODE,
    FAKE_DOSSIER_SECRET, FAKE_EXPIRED_TICKET_ID, FAKE_OTHER_CENTER_TICKET_ID,
    FAKE_RATE_LIMITED_SECRET, FAKE_TICKET_SECRET,
};
use crate::text::Language;
use crate::ui;
use crate::{AppWindow, DossierAdapter, SearchAdapter};

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<ViewState>>>);

impl KioskView for Recorder {
    fn render(&self, state: &ViewState) {
        self.0
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .push(state.clone());
    }
}

/// One picture: a name, how to get the fakes into shape, the commands, the screen to
/// capture and the search text to show.
struct Shot {
    name: &'static str,
    mode: FakeMode,
    paper_out: bool,
    commands: Vec<Command>,
    screen: Screen,
    search_text: &'static str,
    /// Shows the dossier screen's keyboard entry.
    typing: bool,
}

fn shots() -> Vec<Shot> {
    let shot = |name, commands: Vec<Command>, screen| Shot {
        name,
        mode: FakeMode::Normal,
        paper_out: false,
        commands,
        screen,
        search_text: "",
        typing: false,
    };
    vec![
        Shot {
            commands: vec![],
            ..shot("01-loading", vec![], Screen::Loading)
        },
        shot("02-home", vec![Command::Start], Screen::Home),
        shot(
            "03-procedures",
            vec![Command::Start, Command::OpenField(1)],
            Screen::Procedures,
        ),
        shot(
            "04-search-empty",
            vec![Command::Start, Command::OpenSearch],
            Screen::Search,
        ),
        Shot {
            search_text: "chung thuc",
            ..shot(
                "05-search-results",
                vec![
                    Command::Start,
                    Command::OpenSearch,
                    Command::Search("chung thuc".into()),
                ],
                Screen::Search,
            )
        },
        Shot {
            search_text: "xyz",
            ..shot(
                "06-search-nothing",
                vec![
                    Command::Start,
                    Command::OpenSearch,
                    Command::Search("xyz".into()),
                ],
                Screen::Search,
            )
        },
        shot(
            "07-confirm",
            vec![
                Command::Start,
                Command::OpenField(1),
                Command::OpenProcedure(1),
            ],
            Screen::Confirm,
        ),
        shot(
            "08-confirm-faster-center",
            vec![
                Command::Start,
                Command::OpenField(3),
                Command::OpenProcedure(7),
                Command::ChoosePriority(Some(PriorityReason::MeritoriousService)),
            ],
            Screen::Confirm,
        ),
        shot(
            "08b-confirm-not-here",
            vec![
                Command::Start,
                Command::OpenField(3),
                Command::OpenProcedure(8),
            ],
            Screen::Confirm,
        ),
        shot(
            "09-priority",
            vec![
                Command::Start,
                Command::OpenField(1),
                Command::OpenProcedure(1),
                Command::OpenPriority,
            ],
            Screen::Priority,
        ),
        shot(
            "10-printing",
            vec![
                Command::Start,
                Command::OpenField(1),
                Command::OpenProcedure(1),
                Command::Issue(None),
            ],
            Screen::Printing,
        ),
        shot(
            "11-done",
            vec![
                Command::Start,
                Command::OpenField(1),
                Command::OpenProcedure(1),
                Command::ChoosePriority(Some(PriorityReason::Elderly)),
                Command::Issue(None),
            ],
            Screen::Done,
        ),
        shot(
            "12-done-other-center",
            vec![
                Command::Start,
                Command::OpenField(3),
                Command::OpenProcedure(7),
                Command::Issue(Some(7)),
            ],
            Screen::Done,
        ),
        Shot {
            paper_out: true,
            ..shot(
                "13-print-failed",
                vec![
                    Command::Start,
                    Command::OpenField(2),
                    Command::OpenProcedure(5),
                    Command::Issue(None),
                ],
                Screen::PrintFailed,
            )
        },
        Shot {
            mode: FakeMode::Closed,
            ..shot("14-closed", vec![Command::Start], Screen::Closed)
        },
        Shot {
            mode: FakeMode::Unreachable,
            ..shot("15-offline", vec![Command::Start], Screen::Offline)
        },
        shot(
            "16-dossier",
            vec![Command::Start, Command::OpenDossier],
            Screen::Dossier,
        ),
        shot(
            "17-dossier-status",
            vec![
                Command::Start,
                Command::OpenDossier,
                Command::Scanned(format!("HS1:{FAKE_DOSSIER_CODE}:{FAKE_DOSSIER_SECRET}")),
            ],
            Screen::Dossier,
        ),
        shot(
            "18-dossier-not-found",
            vec![
                Command::Start,
                Command::OpenDossier,
                Command::Scanned(format!("HS1:{FAKE_DOSSIER_CODE}:WRONG123")),
            ],
            Screen::Dossier,
        ),
        Shot {
            typing: true,
            ..shot(
                "20-dossier-typing",
                vec![Command::Start, Command::OpenDossier],
                Screen::Dossier,
            )
        },
        shot(
            "19-dossier-too-many",
            vec![
                Command::Start,
                Command::OpenDossier,
                Command::Scanned(format!(
                    "HS1:{FAKE_DOSSIER_CODE}:{FAKE_RATE_LIMITED_SECRET}"
                )),
            ],
            Screen::Dossier,
        ),
        shot(
            "21-check-in-arrived",
            vec![
                Command::Start,
                Command::Scanned(fake_ticket_qr(FAKE_ARRIVING_TICKET_ID, FAKE_TICKET_SECRET)),
            ],
            Screen::CheckIn,
        ),
        shot(
            "22-check-in-waiting",
            vec![
                Command::Start,
                Command::OpenField(1),
                Command::OpenProcedure(1),
                Command::Issue(None),
                Command::Home,
                Command::Scanned(fake_ticket_qr(1001, "k3x9")),
            ],
            Screen::CheckIn,
        ),
        shot(
            "23-check-in-other-center",
            vec![
                Command::Start,
                Command::Scanned(fake_ticket_qr(
                    FAKE_OTHER_CENTER_TICKET_ID,
                    FAKE_TICKET_SECRET,
                )),
            ],
            Screen::CheckIn,
        ),
        shot(
            "24-check-in-expired",
            vec![
                Command::Start,
                Command::Scanned(fake_ticket_qr(FAKE_EXPIRED_TICKET_ID, FAKE_TICKET_SECRET)),
            ],
            Screen::CheckIn,
        ),
        shot(
            "25-check-in-not-found",
            vec![
                Command::Start,
                Command::Scanned(fake_ticket_qr(FAKE_ARRIVING_TICKET_ID, "WRONG123")),
            ],
            Screen::CheckIn,
        ),
    ]
}

/// The state a shot shows, from the real controller over the fakes.
fn state_of(shot: &Shot, language: Language) -> anyhow::Result<ViewState> {
    let backend = Arc::new(FakeBackend::default());
    *backend
        .mode
        .lock()
        .unwrap_or_else(|poison| poison.into_inner()) = shot.mode;
    let printer = Arc::new(FakePrinter::default());
    if shot.paper_out {
        *printer
            .failure
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()) = Some(PrinterHealth::PaperEnd);
    }
    let recorder = Recorder::default();
    let mut controller = Controller::new(
        backend,
        printer,
        Box::new(recorder.clone()),
        Timeouts::default(),
        language,
        FaultSlot::default(),
    );
    for command in &shot.commands {
        controller.handle(command.clone());
    }
    let states = recorder
        .0
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .clone();
    let mut state = states
        .into_iter()
        .rev()
        .find(|state| state.screen == shot.screen)
        .or_else(|| (shot.screen == Screen::Loading).then(|| controller.state().clone()))
        .with_context(|| format!("shot {} never reached {:?}", shot.name, shot.screen))?;
    state.language = language;
    if shot.screen == Screen::Loading {
        state.center_name = "Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh".to_owned();
    }
    Ok(state)
}

/// Renders every screen in Vietnamese and English into `dir` and returns the files.
pub fn render_all(
    dir: &Path,
    width: u32,
    height: u32,
    min_target_px: f32,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(HeadlessPlatform {
        window: window.clone(),
    }))
    .map_err(|error| anyhow::anyhow!("a Slint platform is already set: {error}"))?;
    window.set_size(PhysicalSize::new(width, height));
    let app = AppWindow::new()?;
    ui::set_min_target(&app, min_target_px);
    app.show()?;
    let mut written = Vec::new();
    for language in [Language::Vietnamese, Language::English] {
        for shot in shots() {
            let state = state_of(&shot, language)?;
            ui::select_language(language);
            ui::apply(&app, &state);
            app.global::<SearchAdapter<'_>>()
                .set_text(shot.search_text.into());
            app.global::<DossierAdapter<'_>>()
                .set_show_entry(shot.typing);
            window.request_redraw();
            let pixels = app.window().take_snapshot()?;
            let path = dir.join(format!("{}-{}.png", shot.name, language.code()));
            image::save_buffer(
                &path,
                pixels.as_bytes(),
                pixels.width(),
                pixels.height(),
                image::ExtendedColorType::Rgba8,
            )
            .with_context(|| format!("writing {}", path.display()))?;
            written.push(path);
        }
    }
    app.hide()?;
    Ok(written)
}
