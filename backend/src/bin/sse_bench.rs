//! SSE fan-out benchmark: N concurrent subscribers of one center's events on loopback;
//! a counter calls tickets and every subscriber's delivery latency (from the moment the
//! call request is sent to the moment that subscriber reads the `called` event) is
//! collected; p50/p99/max are printed. Bounded in time: every wait has a deadline.
//!
//!     cargo run --release -p backend --bin sse_bench -- [subscribers=2000] [calls=20]

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use backend::testing::TestServer;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

const CENTER: i64 = 2;
const NEEDLE: &[u8] = b"\"kind\":\"called\"";

/// Opens one subscription and reports the instant of each `called` event it reads.
async fn subscriber(
    addr: std::net::SocketAddr,
    ready: mpsc::UnboundedSender<()>,
    seen: mpsc::UnboundedSender<(usize, Instant)>,
) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let request = format!(
        "GET /api/centers/{CENTER}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut buf = vec![0u8; 16 * 1024];
    // The tail of the previous read, so a needle split across reads is still found.
    let mut carry: Vec<u8> = Vec::new();
    let mut hello = false;
    let mut calls = 0usize;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        let at = Instant::now();
        carry.extend_from_slice(&buf[..n]);
        if !hello && carry.windows(11).any(|w| w == b"event: hell") {
            hello = true;
            let _ = ready.send(());
        }
        let mut i = 0;
        while let Some(pos) = carry[i..].windows(NEEDLE.len()).position(|w| w == NEEDLE) {
            let _ = seen.send((calls, at));
            calls += 1;
            i += pos + NEEDLE.len();
        }
        let keep = carry.len().saturating_sub(NEEDLE.len()).max(i);
        carry.drain(..keep);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let code = match runtime.block_on(run()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sse_bench: {e:#}");
            1
        }
    };
    // Exit at once: a graceful shutdown of the server would wait for every event stream.
    std::process::exit(code)
}

async fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let subscribers: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(2000);
    let calls: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("sse-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let server = TestServer::start(&dir.join("bench.db"))?;
    let addr = server.addr();
    let http = reqwest::Client::new();
    let base = server.base_url();

    // Each subscriber is one socket here and one on the server: check the fd limit.
    println!("sse_bench: {subscribers} subscribers, {calls} calls, server {addr}");
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel();
    let mut tasks = Vec::new();
    let started = Instant::now();
    for _ in 0..subscribers {
        let (r, s) = (ready_tx.clone(), seen_tx.clone());
        tasks.push(tokio::spawn(async move {
            if let Err(e) = subscriber(addr, r, s).await {
                eprintln!("subscriber failed: {e:#}");
            }
        }));
    }
    drop(seen_tx);
    for i in 0..subscribers {
        tokio::time::timeout(Duration::from_secs(60), ready_rx.recv())
            .await
            .with_context(|| format!("only {i} of {subscribers} subscribers connected within 60 s (fd limit? `ulimit -n`)"))?;
    }
    println!(
        "connected {subscribers} subscribers in {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "honggai.canbo1", "password": "demo"}))
        .send()
        .await?
        .json()
        .await?;
    let staff = login["token"].as_str().context("login failed")?.to_string();
    let snapshot: Value = http
        .get(format!("{base}/api/centers/{CENTER}/queue"))
        .send()
        .await?
        .json()
        .await?;
    let counter = snapshot["counters"][0]["id"]
        .as_i64()
        .context("no counter")?;
    let field = snapshot["counters"][0]["field_ids"][0]
        .as_i64()
        .context("no field")?;
    // A procedure of a field the calling counter serves.
    let procs: Value = http
        .get(format!(
            "{base}/api/procedures?center_id={CENTER}&field_id={field}&limit=1"
        ))
        .send()
        .await?
        .json()
        .await?;
    let procedure = procs["items"][0]["id"].as_i64().context("no procedure")?;
    let kiosk = backend::store::seed::demo_kiosk_token(CENTER);

    let mut latencies: Vec<Duration> = Vec::with_capacity(subscribers * calls);
    let arrivals = Arc::new(tokio::sync::Mutex::new(Vec::<(usize, Instant)>::new()));
    let collector = {
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            while let Some(item) = seen_rx.recv().await {
                arrivals.lock().await.push(item);
            }
        })
    };
    let mut sent_at = Vec::with_capacity(calls);
    for round in 0..calls {
        http.post(format!("{base}/api/kiosk/tickets"))
            .bearer_auth(&kiosk)
            .json(&json!({"procedure_id": procedure}))
            .send()
            .await?
            .error_for_status()?;
        let t0 = Instant::now();
        let called: Value = http
            .post(format!("{base}/api/counters/{counter}/call-next"))
            .bearer_auth(&staff)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        sent_at.push(t0);
        let id = called["ticket"]["id"].as_i64().context("nothing called")?;
        // Wait until every subscriber has this call (bounded), then finish the ticket.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = arrivals
                .lock()
                .await
                .iter()
                .filter(|(n, _)| *n == round)
                .count();
            if got >= subscribers {
                break;
            }
            if Instant::now() > deadline {
                bail!("round {round}: only {got} of {subscribers} subscribers got the call within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        http.post(format!("{base}/api/counters/{counter}/start"))
            .bearer_auth(&staff)
            .json(&json!({"ticket_id": id}))
            .send()
            .await?
            .error_for_status()?;
        http.post(format!("{base}/api/counters/{counter}/finish"))
            .bearer_auth(&staff)
            .json(&json!({"ticket_id": id}))
            .send()
            .await?
            .error_for_status()?;
    }
    for (round, at) in arrivals.lock().await.iter() {
        if let Some(t0) = sent_at.get(*round) {
            latencies.push(at.saturating_duration_since(*t0));
        }
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "delivery latency of a call to {subscribers} subscribers over {calls} calls ({} deliveries): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    for t in tasks {
        t.abort();
    }
    collector.abort();
    let _ = std::fs::remove_dir_all(&dir);
    std::mem::forget(server);
    Ok(())
}
