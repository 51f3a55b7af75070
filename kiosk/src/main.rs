//! The kiosk binary: reads the configuration, then shows the kiosk, or renders its
//! screenshots with `--screenshot DIR`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use kiosk::config::Config;
use kiosk::fakes::{FakeBackend, FakePrinter};
use kiosk::http::HttpBackend;
use kiosk::ports::{BackendApi, TicketPrinter};
use slint::ComponentHandle;

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let config = Config::load()?;
    // A window on a desktop shows the kiosk's whole screen, smaller: the window keeps the
    // screen's logical size and Slint draws it at this scale. Slint reads the scale when
    // its backend starts; it is set here, before any other thread exists.
    if config.windowed
        && config.screenshot.is_none()
        && std::env::var_os("SLINT_SCALE_FACTOR").is_none()
    {
        let scale = config.window_scale.clamp(0.25, 4.0);
        std::env::set_var("SLINT_SCALE_FACTOR", scale.to_string());
    }

    if let Some(dir) = &config.screenshot {
        let files = kiosk::screenshot::render_all(
            dir,
            config.width,
            config.height,
            config.min_target_px(),
        )?;
        for file in files {
            println!("{}", file.display());
        }
        return Ok(());
    }

    let backend: Arc<dyn BackendApi> = if config.offline_demo {
        Arc::new(FakeBackend::default())
    } else {
        Arc::new(
            HttpBackend::new(
                &config.backend_url,
                &config.token,
                Duration::from_secs(config.http_timeout_secs),
            )
            .context("creating the HTTP client")?,
        )
    };
    let printer: Arc<dyn TicketPrinter> = if config.offline_demo {
        Arc::new(FakePrinter::default())
    } else {
        kiosk::printer::open(&config.printer, config.paper_mm)
            .with_context(|| format!("opening printer {}", config.printer))?
    };
    let options = kiosk::app::Options {
        timeouts: config.timeouts(),
        language: config.language()?,
        min_target_px: config.min_target_px(),
        heartbeat: Some(Duration::from_secs(config.heartbeat_secs.max(5))),
    };
    if std::env::var_os("SLINT_BACKEND").is_none() {
        // The software renderer draws these flat screens as fast as the GPU renderers
        // and keeps the kiosk at about a quarter of their memory (measured under Xvfb:
        // 40 MB against 157 MB resident). SLINT_BACKEND overrides the choice.
        slint::BackendSelector::new()
            .backend_name("winit".into())
            .renderer_name("software".into())
            .select()
            .context("selecting the winit backend with the software renderer")?;
    }
    let kiosk = kiosk::app::start(backend, printer, &options)?;
    // A serial scanner feeds the dossier screen; it stops with the process.
    let _scanner = kiosk::scanner::start(&config.scanner, kiosk.commands.clone())?;
    kiosk.window.window().set_size(slint::LogicalSize::new(
        config.width as f32,
        config.height as f32,
    ));
    kiosk.window.window().set_fullscreen(!config.windowed);
    if config.exit_after_first_frame {
        // The renderer says when the first frame is on screen; renderers that cannot say
        // (the software renderer) fall back to the first turn of the event loop, which
        // comes right after the window's first paint.
        let mut reported = false;
        let notifier = kiosk
            .window
            .window()
            .set_rendering_notifier(move |state, _| {
                if matches!(state, slint::RenderingState::AfterRendering) && !reported {
                    reported = true;
                    println!("first frame after {} ms", started.elapsed().as_millis());
                    let _ = slint::quit_event_loop();
                }
            });
        if notifier.is_err() {
            slint::Timer::single_shot(Duration::from_millis(1), move || {
                println!(
                    "first event-loop turn after {} ms",
                    started.elapsed().as_millis()
                );
                let _ = slint::quit_event_loop();
            });
        }
    }
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "kiosk started"
    );
    kiosk.run()
}
