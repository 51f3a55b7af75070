//! Estimated wait for a (center, field) queue.
//!
//! The model: `c` counters serve the field, each taking about `s` minutes a citizen
//! (learned from finished tickets, shrunk towards a prior while samples are few). A
//! citizen with `k` people ahead waits nothing while a counter is free for them, else
//! about `((k - free) / c + 0.5) · s` — the half accounts for the citizen being served
//! when they arrive. With no counter open the estimate falls back to the counters
//! configured for the field (they are expected to open) and says so by a wider range;
//! with no counter at all there is no basis and the estimate is unknown.

/// Service time used before any ticket of the field was finished, in minutes.
pub const DEFAULT_SERVICE_MINUTES: f64 = 8.0;

/// Weight of the prior, in samples: with 5 real samples the prior counts half.
pub const PRIOR_WEIGHT: f64 = 5.0;

/// Learned mean service time: the mean of recent durations shrunk towards a prior.
/// Durations outside half a minute to two hours are clamped: a ticket left open over
/// lunch must not teach the estimator that service takes three hours.
pub fn learned_service_minutes(recent_durations_min: &[f64], prior_min: f64) -> f64 {
    let sum: f64 = recent_durations_min
        .iter()
        .map(|d| d.clamp(0.5, 120.0))
        .sum();
    (sum + prior_min * PRIOR_WEIGHT) / (recent_durations_min.len() as f64 + PRIOR_WEIGHT)
}

/// The province-wide prior for a field: the mean of recent service times of the field at
/// every center, itself shrunk towards [`DEFAULT_SERVICE_MINUTES`]. A center that has not
/// finished a ticket of the field yet (a cold start) borrows this instead of a fixed guess,
/// because land dossiers take twice as long as a certified copy everywhere in the province.
pub fn province_prior_minutes(province_recent_min: &[f64]) -> f64 {
    learned_service_minutes(province_recent_min, DEFAULT_SERVICE_MINUTES)
}

/// The counters and fields that form one queue with `field`.
///
/// A counter that serves several fields calls them by relative wait (see
/// `policy::choose_next_across`), which is close to first come, first served across all
/// of them; a second counter sharing one of those fields joins the same pool, and so on.
/// So the queue a citizen really stands in is the connected group of fields and counters
/// reached from their field, and the estimate counts the work waiting in all of it.
/// `counter_fields` holds the fields of each open counter; returns the indices of the
/// pool's counters and its fields, sorted.
pub fn shared_pool(field: i64, counter_fields: &[&[i64]]) -> (Vec<usize>, Vec<i64>) {
    let mut fields = vec![field];
    let mut counters: Vec<usize> = Vec::new();
    loop {
        let before = (counters.len(), fields.len());
        for (k, served) in counter_fields.iter().enumerate() {
            if !counters.contains(&k) && served.iter().any(|f| fields.contains(f)) {
                counters.push(k);
                for f in served.iter() {
                    if !fields.contains(f) {
                        fields.push(*f);
                    }
                }
            }
        }
        if (counters.len(), fields.len()) == before {
            break;
        }
    }
    counters.sort_unstable();
    fields.sort_unstable();
    (counters, fields)
}

/// Pseudo-samples at a ratio of one that the calibration starts from.
pub const CALIBRATION_PRIOR_WEIGHT: f64 = 5.0;

/// How far reality ran from the model lately, as a factor for the next estimates.
///
/// The queue model cannot see what arrives after the citizen and still goes first:
/// priority citizens, and tickets of other fields that a shared counter serves by their
/// relative wait. At a center in its morning peak that adds a third to every wait; in a
/// quiet afternoon nothing. So the estimator learns it: `recent` holds (model minutes,
/// actual minutes) of tickets called lately whose model wait was at least a few minutes;
/// the factor is actual over model, shrunk towards one by
/// [`CALIBRATION_PRIOR_WEIGHT`] pseudo-samples and kept within 0.67 to 1.5 so that one
/// odd morning cannot make the kiosk absurd.
pub fn calibration_factor(recent: &[(f64, f64)]) -> f64 {
    if recent.is_empty() {
        return 1.0;
    }
    let model: f64 = recent.iter().map(|(m, _)| m.max(0.0)).sum();
    let actual: f64 = recent.iter().map(|(_, a)| a.max(0.0)).sum();
    let mean_model = model / recent.len() as f64;
    let prior = CALIBRATION_PRIOR_WEIGHT * mean_model;
    if model + prior <= 0.0 {
        return 1.0;
    }
    ((actual + prior) / (model + prior)).clamp(0.67, 1.5)
}

/// The estimate scaled by a [`calibration_factor`]; "unknown" stays unknown.
pub fn calibrated(e: Estimate, factor: f64) -> Estimate {
    let scale = |m: Option<u32>| m.map(|m| (m as f64 * factor).round() as u32);
    Estimate {
        minutes: scale(e.minutes),
        low: scale(e.low),
        high: scale(e.high),
        ..e
    }
}

/// What the estimator needs to know about a queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueLoad {
    /// Waiting tickets ahead of the citizen in this field.
    pub people_ahead: u32,
    /// Counters with an officer signed in that serve the field.
    pub counters_open: u32,
    /// Of those, counters busy with a citizen right now.
    pub counters_busy: u32,
    /// Counters configured for the field at the center, open or not.
    pub counters_configured: u32,
    /// Mean service minutes (see [`learned_service_minutes`]).
    pub service_min: f64,
    /// Number of finished tickets the mean was learned from.
    pub samples: u32,
}

/// The estimate, in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub people_ahead: u32,
    pub counters_open: u32,
    pub minutes: Option<u32>,
    pub low: Option<u32>,
    pub high: Option<u32>,
}

/// The point estimate in minutes, unrounded; `None` when there is no basis.
pub fn expected_wait_minutes(load: QueueLoad) -> Option<f64> {
    let (counters, busy) = if load.counters_open > 0 {
        (
            load.counters_open,
            load.counters_busy.min(load.counters_open),
        )
    } else if load.counters_configured > 0 {
        (load.counters_configured, 0)
    } else {
        return None;
    };
    let free = counters - busy;
    if load.people_ahead < free {
        return Some(0.0);
    }
    let position = (load.people_ahead - free) as f64;
    Some((position / counters as f64 + 0.5) * load.service_min)
}

pub fn estimate(load: QueueLoad) -> Estimate {
    let base = Estimate {
        people_ahead: load.people_ahead,
        counters_open: load.counters_open,
        minutes: None,
        low: None,
        high: None,
    };
    let Some(point) = expected_wait_minutes(load) else {
        return base;
    };
    // Uncertainty: narrower once the service time is learned and counters are really open.
    let (low_factor, high_factor) = match (load.counters_open > 0, load.samples >= 10) {
        (true, true) => (0.75, 1.3),
        (true, false) => (0.6, 1.6),
        (false, _) => (0.5, 2.0),
    };
    Estimate {
        minutes: Some(point.round() as u32),
        low: Some((point * low_factor).floor() as u32),
        high: Some((point * high_factor).ceil() as u32),
        ..base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(ahead: u32, open: u32, busy: u32, configured: u32) -> QueueLoad {
        QueueLoad {
            people_ahead: ahead,
            counters_open: open,
            counters_busy: busy,
            counters_configured: configured,
            service_min: 10.0,
            samples: 20,
        }
    }

    #[test]
    fn table() {
        // (name, load, minutes, low, high)
        let cases = [
            (
                "no counter anywhere: unknown",
                load(5, 0, 0, 0),
                None,
                None,
                None,
            ),
            (
                "free counter, nobody ahead",
                load(0, 2, 1, 2),
                Some(0),
                Some(0),
                Some(0),
            ),
            (
                "all busy, nobody ahead: half a service",
                load(0, 1, 1, 1),
                Some(5),
                Some(3),
                Some(7),
            ),
            (
                "one counter, 3 ahead",
                load(3, 1, 1, 1),
                Some(35),
                Some(26),
                Some(46),
            ),
            (
                "two counters halve it",
                load(3, 2, 2, 2),
                Some(20),
                Some(15),
                Some(26),
            ),
            (
                "closed counters: configured, wide range",
                load(4, 0, 0, 2),
                Some(15),
                Some(7),
                Some(30),
            ),
        ];
        for (name, l, minutes, low, high) in cases {
            let e = estimate(l);
            assert_eq!((e.minutes, e.low, e.high), (minutes, low, high), "{name}");
            assert_eq!(e.people_ahead, l.people_ahead);
        }
    }

    #[test]
    fn cold_start_borrows_the_province_prior() {
        // (name, province recent, center recent, expected minutes)
        let cases: Vec<(&str, Vec<f64>, Vec<f64>, f64)> = vec![
            (
                "nothing anywhere: the default",
                vec![],
                vec![],
                DEFAULT_SERVICE_MINUTES,
            ),
            (
                "new center, land takes 14 province-wide",
                vec![14.0; 195],
                vec![],
                13.85,
            ),
            (
                "the center's own samples take over",
                vec![14.0; 195],
                vec![20.0; 45],
                19.385,
            ),
            (
                "one odd sample moves it little",
                vec![4.0; 195],
                vec![30.0],
                8.417,
            ),
        ];
        for (name, province, center, expected) in cases {
            let prior = province_prior_minutes(&province);
            let got = learned_service_minutes(&center, prior);
            assert!((got - expected).abs() < 0.01, "{name}: {got}");
        }
    }

    #[test]
    fn calibration_table() {
        // (name, recent (model, actual), expected factor)
        type Case = (&'static str, Vec<(f64, f64)>, f64);
        let cases: Vec<Case> = vec![
            ("no history: the model as is", vec![], 1.0),
            (
                "reality a third longer, many samples",
                vec![(30.0, 40.0); 45],
                1.3,
            ),
            (
                "few samples are shrunk towards one",
                vec![(30.0, 60.0); 5],
                1.5,
            ),
            ("one sample", vec![(30.0, 45.0)], 1.083),
            ("shorter than the model", vec![(30.0, 24.0); 45], 0.82),
            ("an absurd morning is capped", vec![(10.0, 200.0); 30], 1.5),
            ("and so is an empty one", vec![(60.0, 0.0); 30], 0.67),
        ];
        for (name, recent, expected) in cases {
            let got = calibration_factor(&recent);
            assert!((got - expected).abs() < 0.01, "{name}: {got}");
        }
        let unknown = estimate(load(5, 0, 0, 0));
        assert_eq!(calibrated(unknown, 1.4), unknown, "unknown stays unknown");
        let e = calibrated(estimate(load(3, 1, 1, 1)), 1.2);
        assert_eq!((e.minutes, e.low, e.high), (Some(42), Some(31), Some(55)));
    }

    #[test]
    fn shared_pools() {
        let hall: Vec<&[i64]> = vec![&[1], &[1, 2], &[2, 3], &[4, 5], &[6]];
        // (name, field, expected counters, expected fields)
        let cases: Vec<(&str, i64, Vec<usize>, Vec<i64>)> = vec![
            (
                "a chain of shared counters is one pool",
                1,
                vec![0, 1, 2],
                vec![1, 2, 3],
            ),
            ("from the other end", 3, vec![0, 1, 2], vec![1, 2, 3]),
            ("a counter with two fields", 5, vec![3], vec![4, 5]),
            ("a dedicated counter", 6, vec![4], vec![6]),
            ("no counter open for the field", 9, vec![], vec![9]),
        ];
        for (name, field, counters, fields) in cases {
            assert_eq!(shared_pool(field, &hall), (counters, fields), "{name}");
        }
    }

    #[test]
    fn learning_shrinks_towards_the_prior() {
        assert_eq!(learned_service_minutes(&[], 8.0), 8.0);
        let five_at_12 = learned_service_minutes(&[12.0; 5], 8.0);
        assert!((five_at_12 - 10.0).abs() < 1e-9);
        let many = learned_service_minutes(&[12.0; 95], 8.0);
        assert!((many - 11.8).abs() < 1e-9);
        // A ticket left open for five hours counts as two hours.
        let outlier = learned_service_minutes(&[300.0], 8.0);
        assert!((outlier - (120.0 + 40.0) / 6.0).abs() < 1e-9);
    }
}
