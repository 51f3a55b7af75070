//! Deterministic demo seed data for Quang Ninh.

mod centers;
mod fields;
mod procedures;

use crate::Province;

/// The demo province: 1 provincial center + 54 commune-level centers, about
/// 16 fields and exactly 1,823 procedures (1,509 non-territorial: 1,255
/// provincial + 254 commune; 314 territorial). Entries with `generated: true`
/// are clearly marked synthetic filler. Same output on every call.
pub fn demo_province() -> Province {
    let fields = fields::fields();
    Province {
        name: "Quảng Ninh".to_string(),
        centers: centers::centers(),
        procedures: procedures::procedures(&fields),
        fields,
    }
}
