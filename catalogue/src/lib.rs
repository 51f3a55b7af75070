//! Procedure catalogue for the Quang Ninh public-administration queue system.
//!
//! A small pure crate (no I/O beyond the readers/writers it is handed):
//!
//! * [`demo_province`] — deterministic demo seed data: 1 provincial center and
//!   54 commune-level centers, their counters, the fields (lĩnh vực) and a
//!   catalogue of exactly 1,823 procedures (1,509 non-territorial).
//! * [`DEMO_TRAVEL_TIMES`] — the demo province's travel-time exceptions (island
//!   communes reached by boat), in the format of `backend --travel-times`.
//! * [`csv_import`] — all-or-nothing CSV import/export of procedures (see `CSV.md`).
//! * [`fold`] — the diacritic-insensitive search key.

mod fold;
mod seed;
mod types;

pub mod csv_import;

pub use csv_import::{ImportError, ImportErrors};

pub use fold::fold;
pub use seed::demo_province;

/// Travel times of the demo province that its coordinates get wrong, as the text of a
/// `backend --travel-times` file (`FROM,TO,MINUTES`, `*` and `none` allowed).
pub const DEMO_TRAVEL_TIMES: &str = include_str!("seed/travel_times.csv");
pub use types::*;
