//! The manager's hint: which field needs a counter moved to it.
//!
//! For each field of a center the expected wait of the last citizen in line is the work
//! waiting per open counter. The field furthest over its target needs help; the donor is
//! the field that can lose a counter and still stay within its own target. No hint is
//! given while every field is within target: moving officers around has a cost too.

/// One field of a center as the hint sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldPressure {
    pub field_id: i64,
    /// Waiting tickets of the field.
    pub waiting: u32,
    /// Open counters that serve the field.
    pub counters_open: u32,
    /// Mean service minutes of the field at this center (learned).
    pub service_min: f64,
    /// The wait the field aims for, in minutes.
    pub target_min: f64,
}

impl FieldPressure {
    /// Expected wait of the last citizen in line, in minutes; `None` (infinite) when people
    /// wait and no counter is open for them.
    pub fn expected_wait_min(&self) -> Option<f64> {
        if self.waiting == 0 {
            return Some(0.0);
        }
        (self.counters_open > 0)
            .then(|| self.waiting as f64 / self.counters_open as f64 * self.service_min)
    }

    /// Expected wait relative to the target: above 1.0 the field is over its target;
    /// infinite when people wait and no counter is open for them.
    pub fn pressure(&self) -> f64 {
        self.expected_wait_min()
            .map_or(f64::INFINITY, |w| w / self.target_min.max(1.0))
    }

    /// Whether the last citizen in line would wait longer than the field's target.
    pub fn over_target(&self) -> bool {
        self.pressure() > 1.0
    }

    /// Expected wait with one counter fewer; `None` when the field would be left without one.
    fn wait_with_one_less(&self) -> Option<f64> {
        if self.counters_open <= 1 {
            return None;
        }
        Some(self.waiting as f64 / (self.counters_open - 1) as f64 * self.service_min)
    }
}

/// The advice: move a counter to `to_field`, taking it from `from_field` when one can spare it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hint {
    pub to_field: i64,
    /// Expected wait of the last in line in `to_field` now; `None` when no counter serves it.
    pub expected_wait_min: Option<f64>,
    pub from_field: Option<i64>,
}

/// The hint for a center's fields, or `None` when every field is within its target.
pub fn hint(fields: &[FieldPressure]) -> Option<Hint> {
    // A field with people waiting and no counter at all is the most pressing of all;
    // among several of those (equal, infinite pressure) the one with more people waiting.
    let needy = fields.iter().filter(|f| f.over_target()).max_by(|a, b| {
        a.pressure()
            .total_cmp(&b.pressure())
            .then(a.waiting.cmp(&b.waiting))
            .then(b.field_id.cmp(&a.field_id))
    })?;
    let from_field = fields
        .iter()
        .filter(|f| f.field_id != needy.field_id)
        .filter_map(|f| {
            let after = f.wait_with_one_less()?;
            (after <= f.target_min).then_some((f, after / f.target_min.max(1.0)))
        })
        .min_by(|(a, pa), (b, pb)| pa.total_cmp(pb).then(a.field_id.cmp(&b.field_id)))
        .map(|(f, _)| f.field_id);
    Some(Hint {
        to_field: needy.field_id,
        expected_wait_min: needy.expected_wait_min(),
        from_field,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(field_id: i64, waiting: u32, counters_open: u32) -> FieldPressure {
        FieldPressure {
            field_id,
            waiting,
            counters_open,
            service_min: 10.0,
            target_min: 30.0,
        }
    }

    #[test]
    fn table() {
        // (name, fields, expected (to, from))
        type Case = (&'static str, Vec<FieldPressure>, Option<(i64, Option<i64>)>);
        let cases: Vec<Case> = vec![
            ("empty center", vec![], None),
            ("all within target", vec![f(1, 3, 1), f(2, 5, 2)], None),
            (
                "overloaded field, idle donor",
                vec![f(1, 12, 1), f(2, 0, 2)],
                Some((1, Some(2))),
            ),
            (
                "donor would go over target itself: none",
                vec![f(1, 12, 1), f(2, 5, 2)],
                Some((1, None)),
            ),
            (
                "the worst of two overloaded fields",
                vec![f(1, 6, 1), f(2, 20, 2), f(3, 0, 3)],
                Some((2, Some(3))),
            ),
            (
                "people waiting and no counter open beats everything",
                vec![f(1, 1, 0), f(2, 40, 1), f(3, 0, 2)],
                Some((1, Some(3))),
            ),
            (
                "of two fields without a counter, the one with more people waiting",
                vec![f(1, 2, 0), f(2, 5, 0), f(3, 0, 2)],
                Some((2, Some(3))),
            ),
            (
                "a donor keeps at least one counter",
                vec![f(1, 12, 1), f(2, 0, 1)],
                Some((1, None)),
            ),
        ];
        for (name, fields, expected) in cases {
            let got = hint(&fields).map(|h| (h.to_field, h.from_field));
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn over_target_table() {
        // (name, field, over target); targets are 30 minutes, service 10.
        let cases = [
            ("nobody waiting, no counter", f(1, 0, 0), false),
            ("nobody waiting", f(1, 0, 2), false),
            ("exactly on target", f(1, 3, 1), false),
            ("just over", f(1, 4, 1), true),
            ("two counters share the work", f(1, 6, 2), false),
            ("people waiting, no counter open", f(1, 1, 0), true),
        ];
        for (name, field, expected) in cases {
            assert_eq!(field.over_target(), expected, "{name}");
        }
    }
}
