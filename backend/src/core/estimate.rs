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
