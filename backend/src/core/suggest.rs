//! Cross-center suggestions: another center that serves the citizen clearly sooner.
//!
//! A center is a candidate only when it is open, has a counter for the field, and the
//! procedure is non-territorial (eligibility comes from the catalogue). Candidates are
//! ranked by travel time plus estimated wait there, and offered only when the saving
//! over staying is large in minutes *and* in share, so nobody is sent across town to
//! save five minutes.

use std::collections::{BTreeMap, HashMap};

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

/// Configured travel minutes between centers, which override the [`TravelModel`] where
/// given: a ferry, a mountain pass or a bridge that coordinates cannot see. `None` means
/// no practical route within the day; such a pair is never suggested either way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TravelTable {
    pairs: HashMap<(i64, i64), Option<u32>>,
}

impl TravelTable {
    /// A table from (from center id, to center id, minutes) entries, each one way.
    pub fn new(entries: impl IntoIterator<Item = (i64, i64, Option<u32>)>) -> Self {
        TravelTable {
            pairs: entries
                .into_iter()
                .map(|(from, to, minutes)| ((from, to), minutes))
                .collect(),
        }
    }

    /// How many one-way pairs the table holds.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Minutes from one center to another, each given as (id, (latitude, longitude)):
    /// the table's entry where it has one, else the model's; `None` for no route.
    pub fn minutes(
        &self,
        model: &TravelModel,
        from: (i64, (f64, f64)),
        to: (i64, (f64, f64)),
    ) -> Option<f64> {
        match self.pairs.get(&(from.0, to.0)) {
            Some(entry) => entry.map(f64::from),
            None => Some(model.minutes(from.1, to.1)),
        }
    }
}

/// Longest travel a table may give, in minutes: ten hours is a day's journey, not a
/// suggestion.
pub const MAX_TABLE_MINUTES: u32 = 600;

/// Reads a travel-time file against the province's center codes and returns one-way
/// (from code, to code, minutes) entries, `None` for no route, sorted by the pair.
///
/// One entry per line, `FROM,TO,MINUTES`; `#` starts a comment. A line holds both ways.
/// `*` on one side stands for every other center; `none` for minutes means no practical
/// route within the day. Lines with `*` apply first, in order, then the lines naming two
/// centers, in order, so `COTO,*,none` followed by `COTO,VANDON,120` leaves one boat
/// route open. Errors name the line: an unknown code, `*` on both sides, a center paired
/// with itself, minutes outside 1 to [`MAX_TABLE_MINUTES`].
pub fn parse_travel_times(
    text: &str,
    codes: &[&str],
) -> Result<Vec<(String, String, Option<u32>)>, String> {
    let mut wildcard = Vec::new();
    let mut exact = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let [from, to, minutes] = cols.as_slice() else {
            return Err(format!(
                "line {line_no}: expected FROM,TO,MINUTES, found {line:?}"
            ));
        };
        let known = |code: &str| code == "*" || codes.contains(&code);
        for code in [from, to] {
            if !known(code) {
                return Err(format!("line {line_no}: no center has the code {code}"));
            }
        }
        if *from == "*" && *to == "*" {
            return Err(format!("line {line_no}: * on both sides"));
        }
        if from == to {
            return Err(format!("line {line_no}: {from} paired with itself"));
        }
        let minutes = if minutes.eq_ignore_ascii_case("none") {
            None
        } else {
            match minutes.parse::<u32>() {
                Ok(m) if (1..=MAX_TABLE_MINUTES).contains(&m) => Some(m),
                _ => {
                    return Err(format!(
                        "line {line_no}: minutes must be 1 to {MAX_TABLE_MINUTES} or none, found {minutes:?}"
                    ))
                }
            }
        };
        if *from == "*" || *to == "*" {
            let center = if *from == "*" { *to } else { *from };
            wildcard.push((center, minutes));
        } else {
            exact.push((*from, *to, minutes));
        }
    }
    let mut pairs: BTreeMap<(String, String), Option<u32>> = BTreeMap::new();
    let mut set = |a: &str, b: &str, m: Option<u32>| {
        pairs.insert((a.to_string(), b.to_string()), m);
        pairs.insert((b.to_string(), a.to_string()), m);
    };
    for (center, minutes) in wildcard {
        for other in codes.iter().filter(|c| **c != center) {
            set(center, other, minutes);
        }
    }
    for (a, b, minutes) in exact {
        set(a, b, minutes);
    }
    Ok(pairs.into_iter().map(|((a, b), m)| (a, b, m)).collect())
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
        type Case = (&'static str, Option<f64>, bool, Vec<Alternative>, Vec<i64>);
        let cases: Vec<Case> = vec![
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
    fn thresholds_are_configurable() {
        let default = Thresholds::default();
        let lenient = Thresholds {
            min_saving_min: 10.0,
            ..default
        };
        let strict = Thresholds {
            min_saving_share: 0.5,
            ..default
        };
        let single = Thresholds {
            max_results: 1,
            ..default
        };
        // (name, stay, alternatives, thresholds, expected ids)
        type Case = (&'static str, f64, Vec<Alternative>, Thresholds, Vec<i64>);
        let cases: Vec<Case> = vec![
            (
                "15 minutes saved: too few by default",
                30.0,
                vec![alt(2, 5.0, 10.0)],
                default,
                vec![],
            ),
            (
                "15 minutes saved: enough with a 10-minute floor",
                30.0,
                vec![alt(2, 5.0, 10.0)],
                lenient,
                vec![2],
            ),
            (
                "40% saved: enough by default",
                50.0,
                vec![alt(2, 10.0, 20.0)],
                default,
                vec![2],
            ),
            (
                "40% saved: too little when half must be saved",
                50.0,
                vec![alt(2, 10.0, 20.0)],
                strict,
                vec![],
            ),
            (
                "one result when one is asked for",
                120.0,
                vec![alt(2, 10.0, 5.0), alt(3, 5.0, 5.0)],
                single,
                vec![3],
            ),
        ];
        for (name, stay, alts, t, expected) in cases {
            let got: Vec<i64> = suggest(Some(stay), true, &alts, t)
                .iter()
                .map(|p| p.center_id)
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn travel_table_parses_and_overrides_the_model() {
        let codes = ["A", "B", "C", "ISLAND"];
        let text = "# islands by boat\nISLAND,*,none\nISLAND , B, 90 # the ferry\nA,C,12\n\n";
        // Sorted by the pair, each line both ways.
        let got = parse_travel_times(text, &codes).expect("valid");
        let want: Vec<(String, String, Option<u32>)> = vec![
            ("A", "C", Some(12)),
            ("A", "ISLAND", None),
            ("B", "ISLAND", Some(90)),
            ("C", "A", Some(12)),
            ("C", "ISLAND", None),
            ("ISLAND", "A", None),
            ("ISLAND", "B", Some(90)),
            ("ISLAND", "C", None),
        ]
        .into_iter()
        .map(|(a, b, m)| (a.to_string(), b.to_string(), m))
        .collect();
        assert_eq!(got, want);
        // Ids follow the codes' positions; A–B is not in the table: the model decides.
        let id = |code: &str| codes.iter().position(|c| *c == code).unwrap() as i64;
        let table = TravelTable::new(got.iter().map(|(a, b, m)| (id(a), id(b), *m)));
        let model = TravelModel::default();
        let (pa, pb) = ((21.0, 107.0), (21.1, 107.1));
        // (name, from, to, expected)
        let cases = [
            ("table minutes", (id("A"), pa), (id("C"), pb), Some(12.0)),
            ("no route", (id("A"), pa), (id("ISLAND"), pb), None),
            (
                "the ferry line wins over *",
                (id("ISLAND"), pa),
                (id("B"), pb),
                Some(90.0),
            ),
            (
                "not in the table",
                (id("A"), pa),
                (id("B"), pb),
                Some(model.minutes(pa, pb)),
            ),
        ];
        for (name, from, to, expected) in cases {
            assert_eq!(table.minutes(&model, from, to), expected, "{name}");
        }
        assert_eq!(table.len(), 8);
    }

    #[test]
    fn travel_table_errors_name_the_line() {
        let codes = ["A", "B"];
        // (text, error)
        let cases = [
            ("A,B\n", "line 1: expected FROM,TO,MINUTES, found \"A,B\""),
            ("# c\nA,Z,5\n", "line 2: no center has the code Z"),
            ("*,*,5", "line 1: * on both sides"),
            ("A,A,5", "line 1: A paired with itself"),
            (
                "A,B,0",
                "line 1: minutes must be 1 to 600 or none, found \"0\"",
            ),
            (
                "A,B,601",
                "line 1: minutes must be 1 to 600 or none, found \"601\"",
            ),
            (
                "A,B,soon",
                "line 1: minutes must be 1 to 600 or none, found \"soon\"",
            ),
        ];
        for (text, error) in cases {
            assert_eq!(
                parse_travel_times(text, &codes),
                Err(error.to_string()),
                "{text}"
            );
        }
        assert_eq!(parse_travel_times("# nothing\n", &codes), Ok(vec![]));
    }

    #[test]
    fn the_demo_islands_have_no_route() {
        let province = catalogue::demo_province();
        let codes: Vec<&str> = province.centers.iter().map(|c| c.code.as_str()).collect();
        let entries = parse_travel_times(catalogue::DEMO_TRAVEL_TIMES, &codes).expect("valid");
        for island in ["COTO", "VINHTHUC", "CAICHIEN"] {
            let from: Vec<_> = entries.iter().filter(|e| e.0 == island).collect();
            assert_eq!(from.len(), codes.len() - 1, "{island}");
            assert!(from.iter().all(|e| e.2.is_none()), "{island}");
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
