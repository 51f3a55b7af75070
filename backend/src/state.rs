//! Long-lived server state, shared by every request handler.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::broadcast;

use crate::core::hours::OpeningHours;
use crate::core::policy::{default_target_min, CallPolicy, FieldTargets};
use crate::core::suggest::{Thresholds, TravelModel, TravelTable};
use crate::core::Clock;
use crate::store::Store;

/// Tunables of a running server (built from the command line in `main`).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Ignore opening hours: every center takes tickets at any hour (demo and tests).
    pub always_open: bool,
    /// Base URL printed in ticket QR codes, e.g. `https://hcc.quangninh.gov.vn`.
    pub public_url: String,
    /// How long a staff sign-in lasts.
    pub session_ttl_ms: i64,
    pub policy: CallPolicy,
    pub thresholds: Thresholds,
    pub travel: TravelModel,
    /// Public holidays and make-up working days, for dossier appointment dates.
    pub calendar: crate::core::calendar::Calendar,
    /// (field code, minutes): targets to store at start-up (`--field-target`); they stay
    /// in the database for later starts.
    pub field_targets: Vec<(String, u32)>,
    /// Minutes after its expected arrival that a remote ticket may still be checked in.
    pub check_in_window_min: i64,
    /// The text of a travel-time file to store at start-up in place of the table
    /// (`--travel-times`; format: `core::suggest::parse_travel_times`); it stays in the
    /// database for later starts.
    pub travel_times: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            always_open: false,
            public_url: "http://127.0.0.1:8080".into(),
            session_ttl_ms: 12 * 3600 * 1000,
            policy: CallPolicy::default(),
            thresholds: Thresholds::default(),
            travel: TravelModel::default(),
            calendar: crate::core::calendar::Calendar::parse(include_str!("../holidays.txt"))
                .expect("the embedded holiday calendar parses"),
            field_targets: Vec::new(),
            check_in_window_min: crate::service::REMOTE_CHECK_IN_GRACE_MIN,
            travel_times: None,
        }
    }
}

/// A center as kept in memory; centers change only with a new release of the seed.
#[derive(Debug, Clone)]
pub struct Center {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub provincial: bool,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub hours_text: String,
    pub hours: OpeningHours,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub series: u8,
    /// The wait the field aims for, in minutes (`fields.target_wait_min`, else the
    /// default by code).
    pub target_min: f64,
}

#[derive(Debug, Clone)]
pub struct Counter {
    pub id: i64,
    pub center_id: i64,
    pub number: u32,
    pub fields: Vec<i64>,
}

/// Centers, fields and counters: read once at start-up, read by every request.
#[derive(Debug, Default)]
pub struct Directory {
    pub centers: Vec<Center>,
    pub fields: Vec<Field>,
    pub counters: Vec<Counter>,
    /// Every field's target, for the call policy and the manager hint.
    pub targets: FieldTargets,
    /// Travel times that override the coordinate model (table `travel_times`).
    pub travel: TravelTable,
    center_index: HashMap<i64, usize>,
    field_index: HashMap<i64, usize>,
    counter_index: HashMap<i64, usize>,
}

impl Directory {
    pub fn load(conn: &Connection) -> anyhow::Result<Directory> {
        let mut dir = Directory::default();
        let mut stmt = conn.prepare(
            "SELECT id, code, name, kind, address, latitude, longitude, opening_hours FROM centers ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, f64>(5)?,
                r.get::<_, f64>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        for row in rows {
            let (id, code, name, kind, address, latitude, longitude, hours_text) = row?;
            let hours = OpeningHours::parse(&hours_text)
                .map_err(|e| anyhow::anyhow!("center {code}: opening hours: {e}"))?;
            dir.centers.push(Center {
                id,
                code,
                name,
                provincial: kind == "provincial",
                address,
                latitude,
                longitude,
                hours_text,
                hours,
            });
        }
        let mut stmt = conn.prepare(
            "SELECT id, code, name_vi, name_en, series, target_wait_min FROM fields ORDER BY id",
        )?;
        dir.fields = stmt
            .query_map([], |r| {
                let code: String = r.get(1)?;
                let target: Option<u32> = r.get(5)?;
                Ok(Field {
                    id: r.get(0)?,
                    target_min: target.map_or_else(|| default_target_min(&code), f64::from),
                    code,
                    name_vi: r.get(2)?,
                    name_en: r.get(3)?,
                    series: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        dir.targets = FieldTargets {
            by_field: dir.fields.iter().map(|f| (f.id, f.target_min)).collect(),
            ..FieldTargets::default()
        };
        let mut stmt =
            conn.prepare("SELECT id, center_id, number FROM counters ORDER BY center_id, number")?;
        dir.counters = stmt
            .query_map([], |r| {
                Ok(Counter {
                    id: r.get(0)?,
                    center_id: r.get(1)?,
                    number: r.get(2)?,
                    fields: vec![],
                })
            })?
            .collect::<Result<_, _>>()?;
        for (i, c) in dir.counters.iter().enumerate() {
            dir.counter_index.insert(c.id, i);
        }
        let mut stmt = conn.prepare(
            "SELECT counter_id, field_id FROM counter_fields ORDER BY counter_id, field_id",
        )?;
        let pairs: Vec<(i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (counter_id, field_id) in pairs {
            if let Some(&i) = dir.counter_index.get(&counter_id) {
                dir.counters[i].fields.push(field_id);
            }
        }
        for (i, c) in dir.centers.iter().enumerate() {
            dir.center_index.insert(c.id, i);
        }
        let mut stmt =
            conn.prepare("SELECT from_center_id, to_center_id, minutes FROM travel_times")?;
        dir.travel = TravelTable::new(
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<(i64, i64, Option<u32>)>, _>>()?,
        );
        for (i, f) in dir.fields.iter().enumerate() {
            dir.field_index.insert(f.id, i);
        }
        Ok(dir)
    }

    pub fn center(&self, id: i64) -> Option<&Center> {
        self.center_index.get(&id).map(|&i| &self.centers[i])
    }

    pub fn field(&self, id: i64) -> Option<&Field> {
        self.field_index.get(&id).map(|&i| &self.fields[i])
    }

    pub fn counter(&self, id: i64) -> Option<&Counter> {
        self.counter_index.get(&id).map(|&i| &self.counters[i])
    }

    /// Travel minutes between two centers: the table's, else the model's; `None` when
    /// there is no practical route (or no such center).
    pub fn travel_minutes(&self, model: &TravelModel, from: i64, to: i64) -> Option<f64> {
        let (a, b) = (self.center(from)?, self.center(to)?);
        self.travel.minutes(
            model,
            (a.id, (a.latitude, a.longitude)),
            (b.id, (b.latitude, b.longitude)),
        )
    }

    pub fn counters_of(&self, center_id: i64) -> impl Iterator<Item = &Counter> {
        self.counters
            .iter()
            .filter(move |c| c.center_id == center_id)
    }

    /// Counters of a center that serve a field.
    pub fn counters_for(&self, center_id: i64, field_id: i64) -> impl Iterator<Item = &Counter> {
        self.counters_of(center_id)
            .filter(move |c| c.fields.contains(&field_id))
    }
}

/// One change of a center's queues, published to server-sent-event subscribers.
#[derive(Debug, Clone)]
pub struct Published {
    pub center_id: i64,
    /// The JSON text of a `api::events::QueueEvent`, serialised once for all subscribers.
    pub json: Arc<str>,
}

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    pub dir: Arc<Directory>,
    /// Fan-out of queue changes to SSE subscribers; lagging subscribers skip ahead.
    pub events: broadcast::Sender<Published>,
    /// Per-client counters for rate-limited public lookups.
    pub limiter: Arc<crate::api::limit::RateLimiter>,
    /// Thermal printers for dossier receipts (none configured: receipts are not printed).
    pub receipts: Arc<crate::receipts::ReceiptPrinters>,
    /// What the estimate learns of each field province-wide (procedure factors, the
    /// weight of the province in a center's mean), read again every few minutes.
    pub field_learning: Arc<crate::service::FieldLearning>,
}

impl AppState {
    pub async fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> anyhow::Result<AppState> {
        let dir = store
            .read(|conn| {
                Directory::load(conn).map_err(|e| crate::store::StoreError::Task(e.to_string()))
            })
            .await?;
        let (events, _) = broadcast::channel(4096);
        Ok(AppState {
            store,
            clock,
            settings: Arc::new(settings),
            dir: Arc::new(dir),
            events,
            limiter: Arc::new(crate::api::limit::RateLimiter::new(60, 60_000)),
            receipts: Arc::default(),
            field_learning: Arc::default(),
        })
    }

    /// Uses these receipt printers.
    pub fn with_receipt_printers(mut self, printers: crate::receipts::ReceiptPrinters) -> Self {
        self.receipts = Arc::new(printers);
        self
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn is_open(&self, center: &Center) -> bool {
        self.settings.always_open || center.hours.is_open_at(self.now_ms())
    }
}
