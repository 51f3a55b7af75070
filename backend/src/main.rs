//! `backend` — serves the JSON API (and, later, the staff and display pages).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;

use backend::core::policy::CallPolicy;
use backend::core::SystemClock;
use backend::state::Settings;

/// Queue backend for the province's public administration service centers.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Config {
    /// Address to listen on.
    #[arg(long, env = "QUEUE_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite database file; a new file is created and seeded with the demo province.
    #[arg(long, env = "QUEUE_DB", default_value = "queue.sqlite")]
    db: PathBuf,
    /// Base URL printed in ticket QR codes.
    #[arg(
        long,
        env = "QUEUE_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
    /// Take tickets at any hour, ignoring opening hours (for demos).
    #[arg(long, env = "QUEUE_ALWAYS_OPEN")]
    always_open: bool,
    /// Create demo accounts and demo kiosk tokens when seeding a new database.
    #[arg(long, env = "QUEUE_DEMO_ACCOUNTS", default_value_t = true, action = clap::ArgAction::Set)]
    demo_accounts: bool,
    /// Hours a staff sign-in lasts.
    #[arg(long, env = "QUEUE_SESSION_HOURS", default_value_t = 12)]
    session_hours: i64,
    /// The dossier-receipt printer of every counter without its own: `virtual:DIR[:80]`,
    /// `tcp:HOST:PORT`, `serial:PATH[:BAUD]`, `usblp:PATH`, `file:PATH`. None: no printing.
    #[arg(long, env = "QUEUE_RECEIPT_PRINTER")]
    receipt_printer: Option<String>,
    /// A counter's own receipt printer as `COUNTER_ID=SPEC`; repeat for several counters.
    #[arg(
        long = "counter-printer",
        env = "QUEUE_COUNTER_PRINTERS",
        value_delimiter = ','
    )]
    counter_printers: Vec<String>,
    /// Width of the receipt paper in millimetres: 58 or 80.
    #[arg(long, env = "QUEUE_RECEIPT_PAPER", default_value = "80")]
    receipt_paper: hardware::layout::Paper,
    /// Public holidays file (one YYYY-MM-DD per line, +YYYY-MM-DD for make-up working
    /// days); the built-in demo calendar when not given.
    #[arg(long, env = "QUEUE_HOLIDAYS")]
    holidays: Option<PathBuf>,
    /// Priority tickets a counter may call in a row before a waiting normal ticket goes.
    #[arg(long, env = "QUEUE_PRIORITY_RUN", default_value_t = 3)]
    priority_run: u32,
    /// The wait a field aims for, as `FIELD_CODE=MINUTES` (e.g. `DD=60`); repeat for
    /// several fields. Stored in the database, so it holds for later starts too. The call
    /// policy serves the longest wait relative to these targets.
    #[arg(
        long = "field-target",
        env = "QUEUE_FIELD_TARGETS",
        value_delimiter = ','
    )]
    field_targets: Vec<String>,
    /// Least minutes a suggestion to go to another center must save, travel included.
    #[arg(long, env = "QUEUE_SUGGEST_MIN_SAVING_MIN", default_value_t = 20.0)]
    suggest_min_saving_min: f64,
    /// Least share of the wait here that a suggestion must save (0.3 = 30%).
    #[arg(long, env = "QUEUE_SUGGEST_MIN_SAVING_SHARE", default_value_t = 0.3)]
    suggest_min_saving_share: f64,
    /// Road distance over straight-line distance between centers, for travel times.
    #[arg(long, env = "QUEUE_ROAD_FACTOR", default_value_t = 1.35)]
    road_factor: f64,
    /// Minutes after its expected arrival that a remote ticket may still be checked in at
    /// the other center's kiosk; then it expires.
    #[arg(long, env = "QUEUE_CHECK_IN_WINDOW_MIN", default_value_t = 30)]
    check_in_window_min: i64,
    /// Door-to-door travel speed between centers, km/h.
    #[arg(long, env = "QUEUE_TRAVEL_SPEED_KMH", default_value_t = 35.0)]
    travel_speed_kmh: f64,
    /// Travel times that override the coordinates, one `FROM,TO,MINUTES` a line (center
    /// codes; `*` for every other center; `none` for no route, never suggested). Replaces
    /// the stored table, which holds for later starts; a new database starts with the
    /// demo province's island routes.
    #[arg(long, env = "QUEUE_TRAVEL_TIMES")]
    travel_times: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let config = Config::parse();
    let calendar = match &config.holidays {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            backend::core::calendar::Calendar::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => Settings::default().calendar,
    };
    let mut counter_printers = Vec::new();
    for item in &config.counter_printers {
        let (id, spec) = item
            .split_once('=')
            .and_then(|(id, spec)| Some((id.trim().parse::<i64>().ok()?, spec.trim().to_string())))
            .with_context(|| format!("--counter-printer {item:?} is not COUNTER_ID=SPEC"))?;
        counter_printers.push((id, spec));
    }
    let printers = backend::receipts::ReceiptPrinters::start(
        config.receipt_printer.as_deref(),
        &counter_printers,
        config.receipt_paper,
    )?;
    let mut field_targets = Vec::new();
    for item in &config.field_targets {
        let (code, minutes) = item
            .split_once('=')
            .and_then(|(code, m)| Some((code.trim().to_string(), m.trim().parse::<u32>().ok()?)))
            .with_context(|| format!("--field-target {item:?} is not FIELD_CODE=MINUTES"))?;
        field_targets.push((code, minutes));
    }
    anyhow::ensure!(
        config.suggest_min_saving_min >= 0.0
            && (0.0..=1.0).contains(&config.suggest_min_saving_share),
        "--suggest-min-saving-min must be at least 0 and --suggest-min-saving-share within 0 to 1"
    );
    anyhow::ensure!(
        config.road_factor >= 1.0 && config.travel_speed_kmh > 0.0,
        "--road-factor must be at least 1 and --travel-speed-kmh above 0"
    );
    anyhow::ensure!(
        (5..=240).contains(&config.check_in_window_min),
        "--check-in-window-min must be 5 to 240 minutes"
    );
    let travel_times = match &config.travel_times {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?,
        ),
        None => None,
    };
    let defaults = Settings::default();
    let settings = Settings {
        field_targets,
        travel_times,
        check_in_window_min: config.check_in_window_min,
        thresholds: backend::core::suggest::Thresholds {
            min_saving_min: config.suggest_min_saving_min,
            min_saving_share: config.suggest_min_saving_share,
            ..defaults.thresholds
        },
        travel: backend::core::suggest::TravelModel {
            road_factor: config.road_factor,
            speed_kmh: config.travel_speed_kmh,
            ..defaults.travel
        },
        calendar,
        always_open: config.always_open,
        public_url: config.public_url.clone(),
        session_ttl_ms: config.session_hours * 3600 * 1000,
        policy: CallPolicy {
            priority_run: config.priority_run,
        },
    };
    let state = backend::open_state(
        &config.db,
        Arc::new(SystemClock),
        settings,
        config.demo_accounts,
    )
    .await?
    .with_receipt_printers(printers);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!(addr = %listener.local_addr()?, db = %config.db.display(), "serving");
    backend::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
