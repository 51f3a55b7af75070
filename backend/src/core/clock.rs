//! Time is injected: the core never asks the operating system what time it is.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Vietnam has kept UTC+7 all year since 1975; every center of the province uses it.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant in milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The operating system's clock, for production.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        Utc::now().timestamp_millis()
    }
}

/// A clock that only moves when told to, for tests and the simulator.
#[derive(Debug)]
pub struct ManualClock {
    now_ms: AtomicI64,
}

impl ManualClock {
    pub fn new(now_ms: i64) -> Self {
        ManualClock {
            now_ms: AtomicI64::new(now_ms),
        }
    }

    /// A clock set to a local (UTC+7) wall time.
    pub fn at_local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Self {
        let local = vietnam_offset()
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid local time");
        Self::new(local.timestamp_millis())
    }

    pub fn set_ms(&self, now_ms: i64) {
        self.now_ms.store(now_ms, Ordering::SeqCst);
    }

    pub fn advance_minutes(&self, minutes: i64) {
        self.now_ms.fetch_add(minutes * 60_000, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.now_ms.load(Ordering::SeqCst)
    }
}

/// The local date-time of an instant.
pub fn local(ms: i64) -> DateTime<FixedOffset> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&vietnam_offset())
}

/// The business day (local calendar date) an instant falls on; queues reset per day.
pub fn business_day(ms: i64) -> NaiveDate {
    local(ms).date_naive()
}

/// RFC 3339 in local time with offset, as sent on the wire.
pub fn rfc3339(ms: i64) -> String {
    local(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
