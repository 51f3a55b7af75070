//! Tests over real HTTP on loopback: concurrency, crash durability and live events.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};

use backend::testing::TestServer;

async fn issue(client: &reqwest::Client, base: &str, center_id: i64) -> Result<Value, String> {
    let resp = client
        .post(format!("{base}/api/kiosk/tickets"))
        .bearer_auth(format!("demo-kiosk-{center_id}"))
        .json(&json!({"procedure_id": 1}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if resp.status() != reqwest::StatusCode::CREATED {
        return Err(format!("status {}", resp.status()));
    }
    resp.json().await.map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_issues_get_distinct_consecutive_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(&dir.path().join("q.sqlite")).unwrap();
    let base = server.base_url();
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move {
                issue(&client, &base, 2).await.unwrap()["ticket"]["number"]
                    .as_u64()
                    .unwrap()
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort_unstable();
    let expected: Vec<u64> = (1001..=1200).collect();
    assert_eq!(numbers, expected);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(db: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--db"])
        .arg(db)
        .arg("--always-open")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {base} did not start");
}

/// SIGKILL the server while kiosks issue tickets; after a restart on the same file every
/// acknowledged ticket is there exactly once, with the number that was acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_tickets_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.sqlite");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut server = start_server(&db, port);
    wait_ready(&client, &base).await;

    let acked: Arc<Mutex<Vec<(i64, u64, i64)>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for w in 0..16 {
        let (client, base, acked, stop) =
            (client.clone(), base.clone(), acked.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let center = 2 + (w % 4) as i64;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                match issue(&client, &base, center).await {
                    Ok(v) => acked.lock().unwrap().push((
                        v["ticket"]["id"].as_i64().unwrap(),
                        v["ticket"]["number"].as_u64().unwrap(),
                        center,
                    )),
                    Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
                }
            }
        }));
    }
    // Let a few hundred tickets through, then pull the plug mid-stream.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 300 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush.
    server.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 300,
        "only {} tickets were acknowledged",
        acked.len()
    );

    let mut server = start_server(&db, port);
    wait_ready(&client, &base).await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stored: HashMap<i64, (u64, i64)> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT id, number, center_id FROM tickets")
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap()
    {
        let (id, number, center) = row.unwrap();
        stored.insert(id, (number, center));
    }
    for (id, number, center) in &acked {
        assert_eq!(
            stored.get(id),
            Some(&(*number, *center)),
            "acknowledged ticket {id} lost or changed"
        );
    }
    let distinct: HashSet<(u64, i64)> = stored.values().copied().collect();
    assert_eq!(distinct.len(), stored.len(), "a number was issued twice");
    // Numbering continues after the crash without a gap or a repeat.
    let next = issue(&client, &base, 2).await.unwrap()["ticket"]["number"]
        .as_u64()
        .unwrap();
    let max_before = stored
        .values()
        .filter(|(_, c)| *c == 2)
        .map(|(n, _)| *n)
        .max()
        .unwrap();
    assert_eq!(next, max_before + 1);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_carry_issue_and_call() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(&dir.path().join("q.sqlite")).unwrap();
    let base = server.base_url();
    let client = reqwest::Client::new();
    let resp = client
        .get(format!("{base}/api/centers/2/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let mut stream = resp.bytes_stream();
    let mut text = String::new();
    let mut next_event = async |want: &str| -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pos) = text.find("\n\n") {
                let block: String = text.drain(..pos + 2).collect();
                if block.contains(&format!("event: {want}")) {
                    let data = block
                        .lines()
                        .find_map(|l| l.strip_prefix("data: "))
                        .unwrap_or("null");
                    return serde_json::from_str(data).unwrap();
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline.into(), stream.next())
                .await
                .expect("event in time")
                .unwrap()
                .unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    next_event("hello").await;
    // Another center's ticket must not show up on center 2's stream.
    issue(&client, &base, 3).await.unwrap();
    let t = issue(&client, &base, 2).await.unwrap();
    let ev = next_event("queue").await;
    assert_eq!(ev["kind"], "issued");
    assert_eq!(ev["center_id"], 2);
    assert_eq!(ev["ticket"]["number"], t["ticket"]["number"]);
    assert_eq!(ev["waiting_by_field"][0]["waiting"], 1);
}
