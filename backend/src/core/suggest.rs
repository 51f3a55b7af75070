//! Cross-center suggestions: another center that serves the citizen clearly sooner.
//!
//! A center is a candidate only when it is open, has a counter for the field, and the
//! procedure is non-territorial (eligibility comes from the catalogue). Candidates are
//! ranked by travel time plus estimated wait there, and offered only when the saving
//! over staying is large in minutes *and* in share, so nobody is sent across town to
//! save five minutes.

/// Travel-time model from coordinates: great-circle distance times a road factor,
/// at an average speed, plus a fixed overhead for leaving and parking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TravelModel {
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub overhead_min: f64,
}

impl Default for TravelModel {
    fn default() -> Self {
        // Quang Ninh's coastal roads wind; 35 km/h door to door is a fair urban average.
        TravelModel {
            road_factor: 1.35,
            speed_kmh: 35.0,
            overhead_min: 5.0,
        }
    }
}

/// Great-circle distance in kilometres.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

impl TravelModel {
    pub fn minutes(&self, from: (f64, f64), to: (f64, f64)) -> f64 {
        if from == to {
            return 0.0;
        }
        haversine_km(from, to) * self.road_factor / self.speed_kmh * 60.0 + self.overhead_min
    }
}

/// When a suggestion is worth making.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Minimum minutes saved, travel included.
    pub min_saving_min: f64,
    /// Minimum share of the wait at the current center saved.
    pub min_saving_share: f64,
    /// At most this many suggestions.
    pub max_results: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_saving_min: 20.0,
            min_saving_share: 0.3,
            max_results: 3,
        }
    }
}

/// Another center as the suggestion logic sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alternative {
    pub center_id: i64,
    pub open: bool,
    pub serves_field: bool,
    pub travel_min: f64,
    /// Estimated wait there; `None` when unknown (such a center is never suggested).
    pub wait_min: Option<f64>,
}

/// A suggestion: go to `center_id`, saving `saving_min` minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    pub center_id: i64,
    pub total_min: f64,
    pub saving_min: f64,
}

/// Best alternatives, best first. `non_territorial` is the procedure's catalogue flag.
pub fn suggest(
    stay_wait_min: Option<f64>,
    non_territorial: bool,
    alternatives: &[Alternative],
    thresholds: Thresholds,
) -> Vec<Pick> {
    let Some(stay) = stay_wait_min else {
        return Vec::new();
    };
    if !non_territorial {
        return Vec::new();
    }
    let mut picks: Vec<Pick> = alternatives
        .iter()
        .filter(|a| a.open && a.serves_field)
        .filter_map(|a| {
            let total = a.travel_min + a.wait_min?;
            let saving = stay - total;
            (saving >= thresholds.min_saving_min && saving >= thresholds.min_saving_share * stay)
                .then_some(Pick {
                    center_id: a.center_id,
                    total_min: total,
                    saving_min: saving,
                })
        })
        .collect();
    picks.sort_by(|a, b| {
        a.total_min
            .total_cmp(&b.total_min)
            .then(a.center_id.cmp(&b.center_id))
    });
    picks.truncate(thresholds.max_results);
    picks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt(center_id: i64, travel_min: f64, wait_min: f64) -> Alternative {
        Alternative {
            center_id,
            open: true,
            serves_field: true,
            travel_min,
            wait_min: Some(wait_min),
        }
    }

    #[test]
    fn table() {
        let t = Thresholds::default();
        let closed = Alternative {
            open: false,
            ..alt(9, 5.0, 0.0)
        };
        let no_field = Alternative {
            serves_field: false,
            ..alt(8, 5.0, 0.0)
        };
        let unknown = Alternative {
            wait_min: None,
            ..alt(7, 5.0, 0.0)
        };
        // (name, stay, non-territorial, alternatives, expected ids)
        let cases: Vec<(&str, Option<f64>, bool, Vec<Alternative>, Vec<i64>)> = vec![
            (
                "big saving",
                Some(90.0),
                true,
                vec![alt(2, 20.0, 10.0)],
                vec![2],
            ),
            (
                "small saving in minutes",
                Some(30.0),
                true,
                vec![alt(2, 10.0, 5.0)],
                vec![],
            ),
            (
                "small saving in share",
                Some(200.0),
                true,
                vec![alt(2, 100.0, 50.0)],
                vec![],
            ),
            (
                "closed center never",
                Some(90.0),
                true,
                vec![closed],
                vec![],
            ),
            (
                "center without the field never",
                Some(90.0),
                true,
                vec![no_field],
                vec![],
            ),
            (
                "unknown wait never",
                Some(90.0),
                true,
                vec![unknown],
                vec![],
            ),
            (
                "territorial procedure never",
                Some(90.0),
                false,
                vec![alt(2, 5.0, 0.0)],
                vec![],
            ),
            (
                "unknown wait here: no basis",
                None,
                true,
                vec![alt(2, 5.0, 0.0)],
                vec![],
            ),
            (
                "ranked by total",
                Some(120.0),
                true,
                vec![alt(2, 30.0, 20.0), alt(3, 10.0, 5.0), alt(4, 40.0, 0.0)],
                vec![3, 4, 2],
            ),
            (
                "at most three",
                Some(120.0),
                true,
                (1..=5).map(|i| alt(i, 10.0, i as f64)).collect(),
                vec![1, 2, 3],
            ),
        ];
        for (name, stay, nt, alts, expected) in cases {
            let got: Vec<i64> = suggest(stay, nt, &alts, t)
                .iter()
                .map(|p| p.center_id)
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn travel_times_are_plausible() {
        let m = TravelModel::default();
        let hong_gai = (20.9537, 107.0809);
        let bai_chay = (20.9575, 107.0436);
        let mong_cai = (21.5247, 107.9662);
        let near = m.minutes(hong_gai, bai_chay);
        let far = m.minutes(hong_gai, mong_cai);
        assert!((5.0..15.0).contains(&near), "{near}");
        assert!((150.0..300.0).contains(&far), "{far}");
        assert_eq!(m.minutes(hong_gai, hong_gai), 0.0);
    }
}
