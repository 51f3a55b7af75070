//! The shared backend: queue engine, catalogue, accounts and the HTTP API.
//!
//! `serve(listener, state, shutdown)` is the whole server; `main` only parses the
//! configuration, opens the database and binds, so tests start the very same server.

pub mod api;
pub mod core;
pub mod dossier;
pub mod error;
pub mod receipts;
pub mod service;
pub mod state;
pub mod store;
pub mod testing;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::core::Clock;
use crate::state::{AppState, Settings};
use crate::store::Store;

/// Opens (and on first use creates and seeds) the database, and builds the state.
pub async fn open_state(
    db: &Path,
    clock: Arc<dyn Clock>,
    settings: Settings,
    demo_accounts: bool,
) -> anyhow::Result<AppState> {
    let (store, is_new) = Store::open(db)?;
    let seeded: bool = store
        .read(|conn| {
            conn.query_row("SELECT EXISTS (SELECT 1 FROM centers)", [], |r| r.get(0))
                .map_err(store::StoreError::from)
        })
        .await?;
    if is_new || !seeded {
        tracing::info!(db = %db.display(), "seeding the demo province");
        let province = catalogue::demo_province();
        store
            .write(move |conn| {
                store::seed::seed_province(conn, &province, demo_accounts)
                    .map_err(store::StoreError::from)
            })
            .await?;
        if settings.travel_times.is_none() {
            store_travel_times(&store, catalogue::DEMO_TRAVEL_TIMES.to_string(), "demo").await?;
        }
    }
    if let Some(text) = settings.travel_times.clone() {
        store_travel_times(&store, text, "--travel-times").await?;
    }
    if !settings.field_targets.is_empty() {
        let targets = settings.field_targets.clone();
        store
            .write(move |conn| {
                for (code, minutes) in &targets {
                    if !(1..=480).contains(minutes) {
                        return Err(store::StoreError::Task(format!(
                            "field target {code}={minutes}: minutes must be 1 to 480"
                        )));
                    }
                    let changed = conn.execute(
                        "UPDATE fields SET target_wait_min = ?2 WHERE code = ?1",
                        rusqlite::params![code, minutes],
                    )?;
                    if changed == 0 {
                        return Err(store::StoreError::Task(format!(
                            "field target {code}={minutes}: no field has the code {code}"
                        )));
                    }
                }
                Ok(())
            })
            .await?;
    }
    AppState::new(store, clock, settings).await
}

/// Replaces the travel-time table with the entries of a travel-time file (see
/// `core::suggest::parse_travel_times`); an error names the file's line and stores nothing.
async fn store_travel_times(
    store: &Store,
    text: String,
    source: &'static str,
) -> anyhow::Result<()> {
    let count = store
        .write(move |conn| {
            let codes: Vec<String> = conn
                .prepare("SELECT code FROM centers ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
            let entries = core::suggest::parse_travel_times(&text, &refs)
                .map_err(|e| store::StoreError::Task(format!("{source}: {e}")))?;
            conn.execute("DELETE FROM travel_times", [])?;
            let mut insert = conn.prepare(
                "INSERT INTO travel_times (from_center_id, to_center_id, minutes)
                 SELECT a.id, b.id, ?3 FROM centers a, centers b WHERE a.code = ?1 AND b.code = ?2",
            )?;
            for (from, to, minutes) in &entries {
                insert.execute(rusqlite::params![from, to, minutes])?;
            }
            Ok::<_, store::StoreError>(entries.len())
        })
        .await?;
    tracing::info!(source, pairs = count, "travel-time table stored");
    Ok(())
}

/// Serves the API on `listener` until `shutdown` completes. Also runs the daily reset
/// at start-up and then every minute.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let expired = service::daily_reset(&state)
        .await
        .map_err(|e| anyhow::anyhow!("daily reset: {e}"))?;
    if expired > 0 {
        tracing::info!(expired, "expired tickets of earlier days");
    }
    let reset_state = state.clone();
    let reset = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = service::daily_reset(&reset_state).await {
                tracing::warn!(error = %e, "daily reset failed; will retry");
            }
            if let Err(e) = service::expire_remote(&reset_state).await {
                tracing::warn!(error = %e, "expiring remote tickets failed; will retry");
            }
        }
    });
    let app = api::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    reset.abort();
    result.map_err(Into::into)
}
