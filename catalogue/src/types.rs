//! Plain data types of the catalogue.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::fold::fold;

/// Administrative jurisdiction of a procedure (cấp thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Cấp tỉnh.
    Provincial,
    /// Cấp xã (commune, ward or special zone).
    Commune,
}

impl Level {
    /// `"provincial"` or `"commune"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Provincial => "provincial",
            Level::Commune => "commune",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of the `FromStr` impls of the small enums in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value:?}, expected one of: {expected}")]
pub struct ParseEnumError {
    /// What was being parsed, e.g. `"level"`.
    pub what: &'static str,
    /// The rejected input.
    pub value: String,
    /// Human-readable list of accepted values.
    pub expected: &'static str,
}

impl FromStr for Level {
    type Err = ParseEnumError;

    /// Accepts `provincial`/`commune` and the Vietnamese `tỉnh`/`xã`
    /// (also `cấp tỉnh`/`cấp xã`), case- and diacritic-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match fold(s).as_str() {
            "provincial" | "province" | "tinh" | "cap tinh" => Ok(Level::Provincial),
            "commune" | "xa" | "cap xa" => Ok(Level::Commune),
            _ => Err(ParseEnumError {
                what: "level",
                value: s.to_string(),
                expected: "provincial, commune, tỉnh, xã",
            }),
        }
    }
}

/// Kind of a public administration service center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CenterKind {
    /// Trung tâm Phục vụ hành chính công tỉnh.
    Provincial,
    /// Commune-level center (xã, phường or đặc khu).
    Commune,
}

impl CenterKind {
    /// `"provincial"` or `"commune"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CenterKind::Provincial => "provincial",
            CenterKind::Commune => "commune",
        }
    }
}

impl fmt::Display for CenterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CenterKind {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match fold(s).as_str() {
            "provincial" | "tinh" => Ok(CenterKind::Provincial),
            "commune" | "xa" => Ok(CenterKind::Commune),
            _ => Err(ParseEnumError {
                what: "center kind",
                value: s.to_string(),
                expected: "provincial, commune",
            }),
        }
    }
}

/// Unit of a procedure's processing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingUnit {
    /// Giờ.
    Hours,
    /// Ngày (calendar days).
    Days,
    /// Ngày làm việc.
    WorkingDays,
    /// Tháng.
    Months,
}

impl ProcessingUnit {
    /// `"hours"`, `"days"`, `"working_days"` or `"months"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcessingUnit::Hours => "hours",
            ProcessingUnit::Days => "days",
            ProcessingUnit::WorkingDays => "working_days",
            ProcessingUnit::Months => "months",
        }
    }
}

impl fmt::Display for ProcessingUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProcessingUnit {
    type Err = ParseEnumError;

    /// Accepts the [`as_str`](ProcessingUnit::as_str) spellings (also with a
    /// space or `-` instead of `_`) and the Vietnamese `giờ`, `ngày`,
    /// `ngày làm việc`, `tháng`, case- and diacritic-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match fold(s).as_str() {
            "hours" | "hour" | "gio" => Ok(ProcessingUnit::Hours),
            "days" | "day" | "ngay" => Ok(ProcessingUnit::Days),
            "working days" | "working day" | "ngay lam viec" => Ok(ProcessingUnit::WorkingDays),
            "months" | "month" | "thang" => Ok(ProcessingUnit::Months),
            _ => Err(ParseEnumError {
                what: "processing unit",
                value: s.to_string(),
                expected: "hours, days, working_days, months",
            }),
        }
    }
}

/// A field (lĩnh vực) grouping procedures; counters serve fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSeed {
    /// Short ASCII code, e.g. `"HT"`.
    pub code: String,
    /// Vietnamese name, e.g. `"Hộ tịch"`.
    pub name_vi: String,
    /// English name, e.g. `"Civil status"`.
    pub name_en: String,
    /// Ticket series digit, `1..=9`; several minor fields may share one.
    pub series: u8,
}

/// One administrative procedure (thủ tục hành chính).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcedureSeed {
    /// Procedure code (MaTTHC), unique, e.g. `"1.001193"`.
    pub code: String,
    /// Vietnamese name (TenTTHC).
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Code of its [`FieldSeed`].
    pub field_code: String,
    /// Jurisdiction.
    pub level: Level,
    /// Implementing agency, e.g. `"Sở Tư pháp"`, `"UBND cấp xã"`.
    pub agency: String,
    /// Non-territorial (phi địa giới): may be filed at any center.
    pub non_territorial: bool,
    /// Processing time, in `processing_unit`.
    pub processing_time: f64,
    /// Unit of `processing_time`.
    pub processing_unit: ProcessingUnit,
    /// Whether fees or charges apply.
    pub has_fees: bool,
    /// Online service level, `0..=4` (0 = no online service).
    pub online_level: u8,
    /// `true` for clearly marked, automatically generated filler entries.
    pub generated: bool,
}

/// A counter (quầy) of a center and the fields it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterSeed {
    /// Counter number, `1..=n` within its center.
    pub number: u32,
    /// Codes of the fields served (1–3).
    pub field_codes: Vec<String>,
}

/// A public administration service center.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CenterSeed {
    /// Unique short ASCII code, e.g. `"QN"`, `"HONGGAI"`.
    pub code: String,
    /// Full Vietnamese name.
    pub name: String,
    /// Provincial or commune-level.
    pub kind: CenterKind,
    /// Postal address.
    pub address: String,
    /// WGS84 latitude.
    pub latitude: f64,
    /// WGS84 longitude.
    pub longitude: f64,
    /// Opening hours, e.g. `"mon-fri 07:30-11:30 13:30-17:00; sat 07:30-11:30"`.
    pub opening_hours: String,
    /// Counters, numbered `1..=n`.
    pub counters: Vec<CounterSeed>,
}

impl CenterSeed {
    /// Codes of all fields served at this center, in first-seen order, deduplicated.
    pub fn field_codes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.counters {
            for f in &c.field_codes {
                if !out.contains(f) {
                    out.push(f.clone());
                }
            }
        }
        out
    }
}

/// The whole seed: centers, fields, procedures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Province {
    /// Province name.
    pub name: String,
    /// 1 provincial + 54 commune-level centers.
    pub centers: Vec<CenterSeed>,
    /// Fields (lĩnh vực).
    pub fields: Vec<FieldSeed>,
    /// Procedure catalogue.
    pub procedures: Vec<ProcedureSeed>,
}

impl Province {
    /// Field by code.
    pub fn field(&self, code: &str) -> Option<&FieldSeed> {
        self.fields.iter().find(|f| f.code == code)
    }

    /// Center by code.
    pub fn center(&self, code: &str) -> Option<&CenterSeed> {
        self.centers.iter().find(|c| c.code == code)
    }

    /// Procedure by code.
    pub fn procedure(&self, code: &str) -> Option<&ProcedureSeed> {
        self.procedures.iter().find(|p| p.code == code)
    }
}
