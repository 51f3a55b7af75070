//! `simulate` — a seeded province day under three policies: stay, suggest, pooled.
//!
//! Runs `backend::core::sim` (which calls the backend's own estimate, suggest and call
//! policy functions) on the demo province, prints a table and writes an SVG chart of the
//! mean wait by hour. `--json` prints one JSON object per policy instead of the table.
//!
//! ```text
//! cargo run --release -p backend --bin simulate
//! cargo run --release -p backend --bin simulate -- --json --seed 3
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

use backend::core::sim::{self, Report, Scenario};
use backend::core::suggest::Thresholds;

/// Simulate a day of the province's 55 service centers and compare balancing policies.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Seed of every random draw; the same seed gives the same numbers.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Multiplies every center's daily demand (1.0 = provincial 420, large ward 280,
    /// medium 130, small commune 55 citizens a day).
    #[arg(long, default_value_t = 1.0)]
    demand_scale: f64,
    /// Spread of demand between centers: standard deviation of the log of each center's
    /// popularity factor.
    #[arg(long, default_value_t = 0.35)]
    demand_spread: f64,
    /// Probability that a counter has an officer today.
    #[arg(long, default_value_t = 0.9)]
    staffing: f64,
    /// Coefficient of variation of service times (log-normal).
    #[arg(long, default_value_t = 0.5)]
    service_cv: f64,
    /// Spread of procedures' mean service times within a field (coefficient of variation
    /// of each procedure's factor; 0 = every procedure takes its field's mean).
    #[arg(long, default_value_t = 0.0)]
    procedure_spread: f64,
    /// Procedures per field, with Zipf popularity.
    #[arg(long, default_value_t = 12)]
    procedures_per_field: usize,
    /// Estimate with the field's mean service for every ticket instead of learning each
    /// procedure's factor.
    #[arg(long)]
    no_procedure_learning: bool,
    /// Spread of pace between centers' officers: standard deviation of the log of the
    /// factor every service at a center takes (0 = every center works at the same pace).
    #[arg(long, default_value_t = 0.0)]
    center_speed_spread: f64,
    /// Count the province's mean as a fixed 5 samples in every center's mean instead of
    /// learning its weight from how much the centers differ.
    #[arg(long)]
    fixed_prior_weight: bool,
    /// Open the day with no service times learned (the backend opens knowing yesterday's).
    #[arg(long)]
    cold_start: bool,
    /// Share of priority citizens.
    #[arg(long, default_value_t = 0.08)]
    priority_share: f64,
    /// Share of citizens whose procedure is territorial (never sent elsewhere).
    #[arg(long, default_value_t = 0.17)]
    territorial_share: f64,
    /// Probability that a citizen offered a suggestion takes it.
    #[arg(long, default_value_t = 0.5)]
    accept: f64,
    /// Spread of real travel time around the estimate (standard deviation of its log).
    #[arg(long, default_value_t = 0.15)]
    travel_noise: f64,
    /// Least minutes a suggestion must save, travel included.
    #[arg(long, default_value_t = 20.0)]
    min_saving_min: f64,
    /// Least share of the wait here a suggestion must save.
    #[arg(long, default_value_t = 0.3)]
    min_saving_share: f64,
    /// Priority tickets a counter calls in a row before a waiting normal ticket.
    #[arg(long, default_value_t = 3)]
    priority_run: u32,
    /// Also score an oracle that knows every later arrival and every true mean, and
    /// draws only the services not yet finished, with this many replays per measured
    /// citizen: the floor under any estimate's error on this day (0 = off; 200 takes a
    /// few minutes).
    #[arg(long, default_value_t = 0)]
    oracle: u32,
    /// Where to write the SVG chart of mean wait by hour.
    #[arg(long, default_value = "target/simulate.svg")]
    svg: PathBuf,
    /// Print one JSON object per policy (one per line) instead of the table.
    #[arg(long)]
    json: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let defaults = Scenario::default();
    let scenario = Scenario {
        seed: args.seed,
        demand_scale: args.demand_scale,
        demand_spread: args.demand_spread,
        staffing: args.staffing,
        service_cv: args.service_cv,
        procedure_spread: args.procedure_spread,
        procedures_per_field: args.procedures_per_field,
        learn_procedures: !args.no_procedure_learning,
        center_speed_spread: args.center_speed_spread,
        learn_center_weight: !args.fixed_prior_weight,
        warm_start: !args.cold_start,
        priority_share: args.priority_share,
        territorial_share: args.territorial_share,
        accept_probability: args.accept,
        travel_noise: args.travel_noise,
        thresholds: Thresholds {
            min_saving_min: args.min_saving_min,
            min_saving_share: args.min_saving_share,
            ..defaults.thresholds
        },
        call_policy: backend::core::policy::CallPolicy {
            priority_run: args.priority_run,
        },
        oracle_replays: args.oracle,
        ..defaults
    };
    let started = std::time::Instant::now();
    let province = catalogue::demo_province();
    let reports = sim::run_all(&province, &scenario);
    if args.json {
        for r in &reports {
            println!("{}", json(r));
        }
    } else {
        print!("{}", table(&reports));
        for r in &reports {
            if let Some(o) = &r.oracle {
                println!(
                    "oracle, {} ({} replays a citizen, {} citizens): knowing every later arrival {:.1}%, knowing the true arrival rates {:.1}%",
                    r.policy.as_str(),
                    args.oracle,
                    o.samples,
                    o.knows_arrivals_pct,
                    o.knows_rates_pct,
                );
            }
        }
        print!("{}", busiest(&reports, 6));
        let stay = reports[0].mean_wait_min;
        let suggest = reports[1].mean_wait_min;
        if stay > 0.0 {
            println!(
                "suggest vs stay: mean wait {:+.0}%",
                (suggest - stay) / stay * 100.0
            );
        }
        println!(
            "seed {}, {} centers, {:.1} s",
            args.seed,
            province.centers.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(dir) = args.svg.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&args.svg, svg(&reports))
        .with_context(|| format!("cannot write {}", args.svg.display()))?;
    if !args.json {
        println!("chart: {}", args.svg.display());
    }
    Ok(())
}

fn json(r: &Report) -> String {
    // With no citizen who waited long enough to measure, the error is unknown, not zero.
    let measured = |x: f64| (r.estimate_samples > 0).then(|| round1(x));
    let mut object = serde_json::json!({
        "policy": r.policy.as_str(),
        "citizens": r.citizens,
        "moved": r.moved,
        "mean_wait_min": round1(r.mean_wait_min),
        "p95_wait_min": round1(r.p95_wait_min),
        "max_wait_min": round1(r.max_wait_min),
        "share_within_30_min": (r.share_within_30_min * 1000.0).round() / 1000.0,
        "estimate_median_abs_error_pct": measured(r.estimate_median_abs_error_pct),
        "estimate_median_abs_error_min": measured(r.estimate_median_abs_error_min),
        "estimate_samples": r.estimate_samples,
        "estimate_in_range_share": (r.estimate_samples > 0)
            .then(|| (r.estimate_in_range_share * 1000.0).round() / 1000.0),
    });
    // The oracles only when asked for (`--oracle`) and scored.
    if let Some(o) = r.oracle.as_ref().filter(|o| o.samples > 0) {
        object["oracle_knows_arrivals_error_pct"] = round1(o.knows_arrivals_pct).into();
        object["oracle_knows_rates_error_pct"] = round1(o.knows_rates_pct).into();
    }
    object.to_string()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn table(reports: &[Report]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<8} {:>9} {:>6} {:>9} {:>8} {:>8} {:>9} {:>11} {:>10} {:>9}",
        "policy",
        "citizens",
        "moved",
        "mean min",
        "p95 min",
        "max min",
        "<=30 min",
        "est err %",
        "est err min",
        "in range"
    );
    for r in reports {
        let err = |x: f64| {
            if r.estimate_samples > 0 {
                format!("{x:.1}")
            } else {
                "n/a".to_string()
            }
        };
        let _ = writeln!(
            out,
            "{:<8} {:>9} {:>6} {:>9.1} {:>8.1} {:>8.1} {:>8.1}% {:>11} {:>10} {:>9}",
            r.policy.as_str(),
            r.citizens,
            r.moved,
            r.mean_wait_min,
            r.p95_wait_min,
            r.max_wait_min,
            r.share_within_30_min * 100.0,
            err(r.estimate_median_abs_error_pct),
            err(r.estimate_median_abs_error_min),
            if r.estimate_samples > 0 {
                format!("{:.1}%", r.estimate_in_range_share * 100.0)
            } else {
                "n/a".to_string()
            },
        );
    }
    out
}

/// The centers with the longest mean wait when everyone stays, and what suggest made of
/// them: the scenario's overloaded centers, shown so that nobody has to trust the mean.
fn busiest(reports: &[Report], n: usize) -> String {
    let mut out = String::new();
    let stay = &reports[0].by_center;
    let mut order: Vec<usize> = (0..stay.len()).collect();
    order.sort_by(|&a, &b| stay[b].3.total_cmp(&stay[a].3));
    let _ = writeln!(
        out,
        "busiest centers (mean wait of citizens who took their ticket there):"
    );
    let _ = writeln!(
        out,
        "  {:<12} {:>9} {:>9} {:>10} {:>12} {:>11}",
        "center", "citizens", "counters", "stay min", "suggest min", "pooled min"
    );
    for &i in order.iter().take(n) {
        let (code, citizens, staffed, stay_mean) = &stay[i];
        let _ = writeln!(
            out,
            "  {:<12} {:>9} {:>9} {:>10.1} {:>12.1} {:>11.1}",
            code,
            citizens,
            staffed,
            stay_mean,
            reports[1].by_center[i].3,
            reports[2].by_center[i].3
        );
    }
    let idle = stay.iter().filter(|c| c.3 < 5.0).count();
    let _ = writeln!(
        out,
        "  centers with a mean wait under 5 minutes when everyone stays: {idle} of {}",
        stay.len()
    );
    out
}

/// A line chart of mean wait by hour of issue, one line per policy, as plain SVG.
fn svg(reports: &[Report]) -> String {
    let (w, h, left, right, top, bottom) = (720.0, 420.0, 60.0, 150.0, 40.0, 50.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max_y = reports
        .iter()
        .flat_map(|r| r.hourly.iter().map(|&(_, m, _)| m))
        .fold(10.0f64, f64::max);
    let max_y = (max_y / 10.0).ceil() * 10.0;
    let hours: Vec<u32> = (7..17).collect();
    let x = |hour: u32| left + (hour - 7) as f64 / (hours.len() - 1) as f64 * plot_w;
    let y = |m: f64| top + plot_h - m / max_y * plot_h;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{left}" y="22" font-size="15">Mean wait by hour of arrival (minutes, travel included)</text>"#
    );
    let step = if max_y > 100.0 { 20.0 } else { 10.0 };
    let mut tick = 0.0;
    while tick <= max_y {
        let ty = y(tick);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick}</text>"##,
            left + plot_w,
            left - 6.0,
            ty + 4.0
        );
        tick += step;
    }
    for &hour in &hours {
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{hour}:00</text>"#,
            x(hour),
            top + plot_h + 18.0
        );
    }
    let colours = ["#c0392b", "#2471a3", "#7f8c8d"];
    for (i, r) in reports.iter().enumerate() {
        let colour = colours[i % colours.len()];
        let points: Vec<String> = r
            .hourly
            .iter()
            .filter(|&&(_, _, n)| n > 0)
            .map(|&(hour, m, _)| format!("{:.1},{:.1}", x(hour), y(m)))
            .collect();
        let dash = if r.policy == sim::Policy::Pooled {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{}"/>"#,
            points.join(" ")
        );
        let ly = top + 20.0 + i as f64 * 22.0;
        let lx = left + plot_w + 15.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{:.1}" y2="{ly}" stroke="{colour}" stroke-width="2.5"{dash}/><text x="{:.1}" y="{:.1}">{} ({:.1})</text>"#,
            lx + 24.0,
            lx + 30.0,
            ly + 4.0,
            r.policy.as_str(),
            r.mean_wait_min
        );
    }
    s.push_str("</svg>\n");
    s
}
