//! The citizen's touchscreen kiosk: pick a procedure by field or by search, see the wait
//! (and a faster center when there is one), and take a printed queue ticket.
//!
//! The flow is plain Rust in [`controller`], over the traits of [`ports`]; the `.slint`
//! views in `ui/` only show a [`controller::ViewState`] and report taps, see [`ui`].

pub mod app;
#[cfg(test)]
mod checks;
pub mod config;
pub mod controller;
#[cfg(test)]
mod controller_tests;
pub mod fakes;
pub mod http;
pub mod ports;
pub mod printer;
pub mod scanner;
pub mod screenshot;
pub mod text;
pub mod ui;

slint::include_modules!();
