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
    let kiosk = kiosk::app::start(backend, printer, &options)?;
    kiosk
        .window
        .window()
        .set_size(slint::PhysicalSize::new(config.width, config.height));
    kiosk.window.window().set_fullscreen(!config.windowed);
    if config.exit_after_first_frame {
        // The first timer of the event loop fires once the window has been mapped and
        // drawn for the first time.
        slint::Timer::single_shot(Duration::ZERO, move || {
            println!("first frame after {} ms", started.elapsed().as_millis());
            let _ = slint::quit_event_loop();
        });
    }
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "kiosk started"
    );
    kiosk.run()
}
