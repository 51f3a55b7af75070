//! The statistics endpoints and the page routes over real HTTP on loopback: role and
//! center checks, the CSV after a few counter actions, and the embedded assets.

use backend::testing::TestServer;
use serde_json::{json, Value};

const HONGGAI: i64 = 2;

async fn login(http: &reqwest::Client, base: &str, username: &str) -> String {
    let v: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": username, "password": "demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().unwrap().to_string()
}

async fn status(http: &reqwest::Client, url: String, token: &str) -> u16 {
    http.get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_need_a_manager_of_the_center() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(&dir.path().join("q.db")).unwrap();
    let base = server.base_url();
    let http = reqwest::Client::new();
    let staff = login(&http, &base, "honggai.canbo1").await;
    let manager = login(&http, &base, "honggai.quanly").await;
    let province = login(&http, &base, "tinh.quanly").await;
    let csv = |c: i64| format!("{base}/api/stats/centers/{c}/export.csv");
    let cases = [
        (csv(HONGGAI), "", 401),
        (csv(HONGGAI), staff.as_str(), 403),
        (csv(HONGGAI), manager.as_str(), 200),
        (csv(1), manager.as_str(), 403),
        (csv(1), province.as_str(), 200),
        (csv(999), province.as_str(), 404),
        (
            format!("{base}/api/stats/centers/{HONGGAI}?day=yesterday"),
            manager.as_str(),
            400,
        ),
        (format!("{base}/api/stats/overview"), staff.as_str(), 403),
        (format!("{base}/api/stats/overview"), manager.as_str(), 200),
    ];
    for (url, token, expected) in cases {
        assert_eq!(
            status(&http, url.clone(), token).await,
            expected,
            "{url} as {token:.8}"
        );
    }
    // A center manager's overview holds only their center; the province sees all.
    let mine: Value = http
        .get(format!("{base}/api/stats/overview"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let all: Value = http
        .get(format!("{base}/api/stats/overview"))
        .bearer_auth(&province)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 55);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_counts_a_no_show_and_a_rated_service() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(&dir.path().join("q.db")).unwrap();
    let base = server.base_url();
    let http = reqwest::Client::new();
    let snapshot: Value = http
        .get(format!("{base}/api/centers/{HONGGAI}/queue"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let counter = snapshot["counters"][0]["id"].as_i64().unwrap();
    let field = snapshot["counters"][0]["field_ids"][0].as_i64().unwrap();
    let procs: Value = http
        .get(format!(
            "{base}/api/procedures?center_id={HONGGAI}&field_id={field}&limit=1"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let procedure = procs["items"][0]["id"].as_i64().unwrap();
    let kiosk = server.kiosk_token(HONGGAI);
    for _ in 0..3 {
        let r = http
            .post(format!("{base}/api/kiosk/tickets"))
            .bearer_auth(&kiosk)
            .json(&json!({"procedure_id": procedure}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
    }
    let staff = login(&http, &base, "honggai.canbo2").await;
    let post = |path: &str, body: Value| {
        http.post(format!("{base}/api/counters/{counter}/{path}"))
            .bearer_auth(&staff)
            .json(&body)
            .send()
    };
    let called: Value = post("call-next", json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = called["ticket"]["id"].as_i64().unwrap();
    assert!(post("no-show", json!({"ticket_id": first}))
        .await
        .unwrap()
        .status()
        .is_success());
    let called: Value = post("call-next", json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second = called["ticket"]["id"].as_i64().unwrap();
    assert!(post("start", json!({"ticket_id": second}))
        .await
        .unwrap()
        .status()
        .is_success());
    let done = post(
        "finish",
        json!({"ticket_id": second, "rating": "dissatisfied"}),
    )
    .await
    .unwrap();
    assert!(done.status().is_success());

    let manager = login(&http, &base, "honggai.quanly").await;
    let resp = http
        .get(format!("{base}/api/stats/centers/{HONGGAI}/export.csv"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = resp.text().await.unwrap();
    let lines: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(lines[0].join(","), backend::api::stats::CSV_HEADER);
    let row = |scope: &str| {
        lines
            .iter()
            .find(|l| l[2] == scope)
            .unwrap_or_else(|| panic!("no {scope} in {csv}"))
    };
    // issued, served, no_shows at 5..8; ratings at 10..13.
    assert_eq!(&row("center")[5..8], &["3", "1", "1"]);
    assert_eq!(&row("center")[10..13], &["0", "0", "1"]);
    assert_eq!(&row("counter")[5..8], &["2", "1", "1"]);
    assert_eq!(row("staff")[3], "honggai.canbo2");
    assert_eq!(&row("staff")[5..8], &["2", "1", "1"]);
    assert_eq!(lines.iter().filter(|l| l[2] == "staff").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_assets_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(&dir.path().join("q.db")).unwrap();
    let base = server.base_url();
    let http = reqwest::Client::new();
    let cases = [
        ("/counter", 200, "text/html"),
        ("/dashboard", 200, "text/html"),
        ("/display/2", 200, "text/html"),
        ("/display/honggai", 200, "text/html"),
        ("/display/nowhere", 404, "text/html"),
        ("/web/common.js", 200, "text/javascript"),
        ("/web/style.css", 200, "text/css"),
        ("/web/audio/intro.wav", 200, "audio/wav"),
        ("/web/audio/missing.wav", 404, "application/json"),
        ("/web/../Cargo.toml", 404, ""),
    ];
    for (path, code, content_type) in cases {
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), code, "{path}");
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(ct.starts_with(content_type), "{path}: {ct}");
    }
    // The stats endpoints are in the OpenAPI document.
    let doc: Value = http
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for p in [
        "/api/stats/overview",
        "/api/stats/centers/{id}",
        "/api/stats/centers/{id}/export.csv",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from openapi.json"
        );
    }
}
