//! Load generator: N concurrent keep-alive HTTP clients issue tickets and call them for
//! T seconds, then requests/s and p50/p99 latency are printed per operation.
//!
//! `cargo run --release -p backend --bin loadgen -- --clients 64 --seconds 10`
//! starts its own server on a fresh database in a temporary directory (all centers open);
//! `--url` drives a running server instead (it must have the demo accounts).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Value};

/// Drive issue and call-next over HTTP and print throughput and latency.
#[derive(Debug, Parser)]
struct Args {
    /// Concurrent clients; half are kiosks issuing, half are counters calling.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// A running server to drive; by default an in-process server on a temporary file.
    #[arg(long)]
    url: Option<String>,
}

#[derive(Default)]
struct Samples {
    issue_us: Vec<u64>,
    call_us: Vec<u64>,
    other_requests: u64,
    errors: u64,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile_dir()?;
    let _server;
    let base = match &args.url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let server = backend::testing::TestServer::start(&dir.join("load.sqlite"))?;
            let url = server.base_url();
            _server = server;
            url
        }
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let centers: Vec<Value> = client
        .get(format!("{base}/api/centers"))
        .send()
        .await?
        .json()
        .await?;
    let kiosks = args.clients.div_ceil(2);
    let callers = args.clients - kiosks;

    // Sign in the counter clients first: argon2 verification is deliberately slow and
    // must not count as load.
    let mut staff = Vec::new();
    for i in 0..callers {
        let center = &centers[i % centers.len()];
        let n = (i / centers.len()) % 3 + 1;
        let username = format!(
            "{}.canbo{n}",
            center["code"].as_str().unwrap().to_lowercase()
        );
        let login: Value = client
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"username": username, "password": "demo"}))
            .send()
            .await?
            .json()
            .await?;
        let token = login["token"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("login {username}: {login}"))?
            .to_string();
        let queue: Value = client
            .get(format!("{base}/api/centers/{}/queue", center["id"]))
            .send()
            .await?
            .json()
            .await?;
        let counter = queue["counters"][n - 1]["id"].as_i64().unwrap();
        staff.push((token, counter));
        if i % 50 == 49 {
            eprintln!("signed in {} counter clients", i + 1);
        }
    }

    let samples = Arc::new(Mutex::new(Samples::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..kiosks {
        let (client, base, samples, stop) =
            (client.clone(), base.clone(), samples.clone(), stop.clone());
        let center_id = centers[i % centers.len()]["id"].as_i64().unwrap();
        tasks.push(tokio::spawn(async move {
            let mut local = Samples::default();
            while !stop.load(Ordering::Relaxed) {
                let t0 = Instant::now();
                let r = client
                    .post(format!("{base}/api/kiosk/tickets"))
                    .bearer_auth(format!("demo-kiosk-{center_id}"))
                    .json(&json!({"procedure_id": 1}))
                    .send()
                    .await;
                match r {
                    Ok(resp) if resp.status().is_success() => {
                        let _ = resp.bytes().await;
                        local.issue_us.push(t0.elapsed().as_micros() as u64);
                    }
                    _ => local.errors += 1,
                }
            }
            let mut s = samples.lock().unwrap();
            s.issue_us.extend(local.issue_us);
            s.errors += local.errors;
        }));
    }
    for (token, counter) in staff {
        let (client, base, samples, stop) =
            (client.clone(), base.clone(), samples.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut local = Samples::default();
            while !stop.load(Ordering::Relaxed) {
                let t0 = Instant::now();
                let r = client
                    .post(format!("{base}/api/counters/{counter}/call-next"))
                    .bearer_auth(&token)
                    .send()
                    .await;
                let body: Option<Value> = match r {
                    Ok(resp) if resp.status().is_success() => resp.json().await.ok(),
                    _ => None,
                };
                let Some(body) = body else {
                    local.errors += 1;
                    continue;
                };
                local.call_us.push(t0.elapsed().as_micros() as u64);
                if let Some(id) = body["ticket"]["id"].as_i64() {
                    // Clear the counter for the next call.
                    let ok = client
                        .post(format!("{base}/api/counters/{counter}/no-show"))
                        .bearer_auth(&token)
                        .json(&json!({"ticket_id": id}))
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    if ok {
                        local.other_requests += 1
                    } else {
                        local.errors += 1
                    }
                } else {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
            let mut s = samples.lock().unwrap();
            s.call_us.extend(local.call_us);
            s.other_requests += local.other_requests;
            s.errors += local.errors;
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut s = std::mem::take(&mut *samples.lock().unwrap());
    s.issue_us.sort_unstable();
    s.call_us.sort_unstable();
    let total = s.issue_us.len() + s.call_us.len() + s.other_requests as usize;
    println!(
        "clients={} (kiosks={kiosks}, counters={callers}) seconds={:.1}",
        args.clients, elapsed
    );
    println!(
        "{:<10} {:>10} {:>10} {:>10} {:>10}",
        "operation", "count", "req/s", "p50 ms", "p99 ms"
    );
    for (name, v) in [("issue", &s.issue_us), ("call-next", &s.call_us)] {
        println!(
            "{name:<10} {:>10} {:>10.0} {:>10.2} {:>10.2}",
            v.len(),
            v.len() as f64 / elapsed,
            percentile(v, 0.50),
            percentile(v, 0.99)
        );
    }
    println!(
        "all requests: {total} in {elapsed:.1}s = {:.0} req/s; errors: {}",
        total as f64 / elapsed,
        s.errors
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("queue-loadgen-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
