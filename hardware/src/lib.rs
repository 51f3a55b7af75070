//! Hardware for the queue system: thermal tickets in legible Vietnamese, printer transports
//! and status, scanners, and a virtual printer that renders what it receives.
//!
//! - [`layout`]: ticket and receipt layouts encoded to ESC/POS bytes (pure).
//! - [`raster`]: Vietnamese text to 1-bit raster with the embedded Noto Sans (pure).
//! - [`interpreter`]: an ESC/POS interpreter that turns bytes into paper (pure).
pub mod interpreter;
pub mod layout;
pub mod printer;
pub mod raster;
pub mod scanner;
pub mod status;
pub mod transport;
pub mod virtual_printer;
