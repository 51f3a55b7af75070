//! The pure core of the queue engine: no I/O, no clock reads, no SQLite.
//!
//! Everything here is a function of plain values (and a `now` passed in), so it can be
//! tested on tables of cases and reused unchanged by the simulator.

pub mod calendar;
pub mod clock;
pub mod dossier;
pub mod estimate;
pub mod hours;
pub mod policy;
pub mod suggest;
pub mod ticket;

pub use clock::{Clock, ManualClock, SystemClock};
