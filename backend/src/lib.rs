//! The shared backend: queue engine, catalogue, accounts and the HTTP API.
pub mod core;
