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

/// The Rust that Slint generates from `ui/app.slint`: the window and the adapter globals.
/// Lints are for hand-written code; the generated code has its own conventions.
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::todo,
    clippy::dbg_macro,
    rust_2018_idioms
)]
mod generated {
    slint::include_modules!();
}
pub use generated::*;
