//! Browser tests of the web pages in headless Chromium (Debian's `chromium` and
//! `chromium-driver`, installed by scripts/install-deps). Without a browser they skip
//! with a loud message, unless `CI` is set: then they fail.
//!
//! `browser_screenshots` also writes PNGs of the three pages to `$SCREENSHOT_DIR`
//! (default `target/screenshots`); see TESTING.md.

#[path = "support/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use backend::testing::TestServer;
use serde_json::{json, Value};
use webdriver::Browser;

const HONGGAI: i64 = 2;
const WAIT: Duration = Duration::from_secs(10);

/// A JSON client of the API for setting the scene.
struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(server: &TestServer) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: server.base_url(),
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let text = resp.text().await?;
        anyhow::ensure!(status.is_success(), "{path}: {status}: {text}");
        Ok(if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        })
    }

    async fn login(&self, username: &str) -> anyhow::Result<String> {
        let v = self
            .send(
                reqwest::Method::POST,
                "/api/auth/login",
                "",
                Some(json!({"username": username, "password": "demo"})),
            )
            .await?;
        Ok(v["token"].as_str().context("no token")?.to_string())
    }

    async fn procedures(&self, center: i64) -> anyhow::Result<Vec<(i64, i64)>> {
        let v = self
            .send(
                reqwest::Method::GET,
                &format!("/api/procedures?center_id={center}&limit=200"),
                "",
                None,
            )
            .await?;
        Ok(v["items"]
            .as_array()
            .context("no items")?
            .iter()
            .map(|p| {
                (
                    p["id"].as_i64().unwrap_or(0),
                    p["field_id"].as_i64().unwrap_or(0),
                )
            })
            .collect())
    }

    async fn issue(&self, center: i64, procedure: i64) -> anyhow::Result<Value> {
        let token = backend::store::seed::demo_kiosk_token(center);
        self.send(
            reqwest::Method::POST,
            "/api/kiosk/tickets",
            &token,
            Some(json!({"procedure_id": procedure})),
        )
        .await
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    async fn get_text(&self, token: &str, path: &str) -> anyhow::Result<String> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await?;
        anyhow::ensure!(resp.status().is_success(), "{path}: {}", resp.status());
        Ok(resp.text().await?)
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

async fn sign_in(browser: &Browser, username: &str) -> anyhow::Result<()> {
    browser
        .wait_for("document.getElementById('username')", WAIT)
        .await?;
    browser.type_into("#username", username).await?;
    browser.type_into("#password", "demo").await?;
    browser.click("#signin-submit").await
}

/// The must-show flow: sign in, call next on the counter page, the call on the display
/// within 1 s and on the dashboard, finish with a rating, and a CSV that says exactly that.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_call_reaches_display_and_dashboard_and_csv() -> anyhow::Result<()> {
    // The server outlives the browser (declared first, dropped last): its graceful
    // shutdown waits for open event streams.
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(&dir.path().join("q.db"))?;
    let Some(browser) = Browser::start(1366, 768).await? else {
        return Ok(());
    };
    let api = Api::new(&server);
    let base = server.base_url();

    // Two citizens take tickets at Hồng Gai; the first one called will be served.
    // Tickets in a field of the first counter, the one the console offers first.
    let snapshot = api
        .send(
            reqwest::Method::GET,
            &format!("/api/centers/{HONGGAI}/queue"),
            "",
            None,
        )
        .await?;
    let first_fields = snapshot["counters"][0]["field_ids"].clone();
    let procedures = api.procedures(HONGGAI).await?;
    let (procedure, _) = *procedures
        .iter()
        .find(|(_, f)| {
            first_fields
                .as_array()
                .is_some_and(|a| a.contains(&json!(f)))
        })
        .context("no procedure for the first counter")?;
    api.issue(HONGGAI, procedure).await?;
    api.issue(HONGGAI, procedure).await?;

    // The hall display, live.
    let display_tab = browser.window().await?;
    browser.goto(&format!("{base}/display/{HONGGAI}")).await?;
    browser
        .wait_for("window.hall && window.hall.board.connected", WAIT)
        .await?;

    // The dashboard of the center manager.
    let dashboard_tab = browser.new_tab().await?;
    browser.goto(&format!("{base}/dashboard")).await?;
    sign_in(&browser, "honggai.quanly").await?;
    browser
        .wait_for(
            "document.querySelector('#kpi-issued .v')?.textContent === '2'",
            WAIT,
        )
        .await?;

    // The counter console: sign in, open the counter, call next by keyboard shortcut.
    let counter_tab = browser.new_tab().await?;
    browser.goto(&format!("{base}/counter")).await?;
    sign_in(&browser, "honggai.canbo1").await?;
    browser
        .wait_for(
            "document.getElementById('counter-select').options.length > 0",
            WAIT,
        )
        .await?;
    browser.click("#open-counter").await?;
    browser
        .wait_for("!document.getElementById('btn-call').disabled", WAIT)
        .await?;
    let clicked_at = now_ms();
    browser.press("g").await?;
    let number = browser
        .wait_for(
            "document.getElementById('current-number')?.textContent",
            WAIT,
        )
        .await?;
    let number: u32 = number.as_str().context("number")?.parse()?;
    let counter_number: u32 = browser
        .eval("return window.document.getElementById('counter-select').selectedOptions[0].textContent.match(/\\d+/)[0]")
        .await?
        .as_str()
        .context("counter")?
        .parse()?;

    // The display shows it within one second of the click.
    browser.switch_to(&display_tab).await?;
    browser
        .wait_for(
            &format!("window.hall.board.calls[0]?.number === {number}"),
            WAIT,
        )
        .await?;
    let shown_at = browser
        .eval("return window.hall.board.lastCallAt")
        .await?
        .as_i64()
        .context("lastCallAt")?;
    let latency = shown_at - clicked_at;
    eprintln!(
        "call {number} → counter {counter_number}: on the display {latency} ms after the key press"
    );
    assert!(
        latency < 1000,
        "the display showed the call after {latency} ms"
    );
    let shown = browser
        .eval("return document.getElementById('latest-number').textContent")
        .await?;
    assert_eq!(shown, json!(number.to_string()));
    // The announcement queued is the one the Rust side would speak (same clips).
    let clips = browser
        .eval("return window.hall.announcer.log.at(-1).clips.join(' ')")
        .await?;
    assert_eq!(
        clips,
        json!(backend::web::speech::announcement(number, counter_number).join(" "))
    );
    // And the browser's number reading agrees with Rust's on many numbers.
    let js = browser
        .eval_async(
            "const done = arguments[arguments.length - 1];
             import('/web/speech.js').then(m => done([0,5,10,15,21,24,55,100,105,110,1000,1005,1023,2310,9999,7,14,101,1111]
                 .map(n => m.numberWords(n).join(' '))));",
        )
        .await?;
    let rust: Vec<String> = [
        0u32, 5, 10, 15, 21, 24, 55, 100, 105, 110, 1000, 1005, 1023, 2310, 9999, 7, 14, 101, 1111,
    ]
    .iter()
    .map(|&n| backend::web::speech::number_words(n).join(" "))
    .collect();
    assert_eq!(js, json!(rust));

    // The dashboard shows the ticket at the counter.
    browser.switch_to(&dashboard_tab).await?;
    browser
        .wait_for(&format!("document.getElementById('counter-row-{counter_number}')?.textContent.includes('{number}')"), WAIT)
        .await?;

    // Finish with the citizen's rating "Rất hài lòng".
    browser.switch_to(&counter_tab).await?;
    browser.click("#rate-very_satisfied").await?;
    browser
        .wait_for("!document.getElementById('current-number')", WAIT)
        .await?;
    browser.switch_to(&dashboard_tab).await?;
    browser
        .wait_for(
            "document.querySelector('#kpi-served .v')?.textContent === '1'",
            WAIT,
        )
        .await?;

    // The CSV export holds exactly those actions.
    let manager = api.login("honggai.quanly").await?;
    let csv = api
        .get_text(
            &manager,
            &format!("/api/stats/centers/{HONGGAI}/export.csv"),
        )
        .await?;
    let rows: Vec<Vec<String>> = csv
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    assert_eq!(rows[0].join(","), backend::api::stats::CSV_HEADER);
    let by_scope = |scope: &str| {
        rows.iter()
            .filter(|r| r[2] == scope)
            .cloned()
            .collect::<Vec<_>>()
    };
    // issued, served, no_shows, …, very_satisfied, satisfied, dissatisfied
    let figures = |r: &Vec<String>| {
        (
            r[5].clone(),
            r[6].clone(),
            r[7].clone(),
            r[10].clone(),
            r[11].clone(),
            r[12].clone(),
        )
    };
    let center = by_scope("center");
    assert_eq!(center.len(), 1, "{csv}");
    assert_eq!(
        figures(&center[0]),
        (
            "2".into(),
            "1".into(),
            "0".into(),
            "1".into(),
            "0".into(),
            "0".into()
        ),
        "{csv}"
    );
    let counters = by_scope("counter");
    assert_eq!(counters.len(), 1, "{csv}");
    assert_eq!(counters[0][3], counter_number.to_string());
    assert_eq!(
        figures(&counters[0]),
        (
            "1".into(),
            "1".into(),
            "0".into(),
            "1".into(),
            "0".into(),
            "0".into()
        )
    );
    let staff = by_scope("staff");
    assert_eq!(staff.len(), 1, "{csv}");
    assert_eq!(staff[0][3], "honggai.canbo1");
    assert_eq!(
        figures(&staff[0]),
        (
            "1".into(),
            "1".into(),
            "0".into(),
            "1".into(),
            "0".into(),
            "0".into()
        )
    );
    let fields = by_scope("field");
    assert_eq!(fields.len(), 1, "{csv}");
    assert_eq!(fields[0][5], "2");
    assert!(
        !center[0][8].is_empty() && !center[0][9].is_empty(),
        "average wait and service are set: {csv}"
    );

    // The console's header follows a switch to English, its connection label included.
    browser.switch_to(&counter_tab).await?;
    let header = "return [document.getElementById('live').textContent, document.title, \
                  document.getElementById('transfer-target').getAttribute('aria-label')]";
    assert_eq!(
        browser.eval(header).await?,
        json!(["Đang kết nối trực tiếp", "Quầy một cửa", "Chuyển đến…"])
    );
    browser.click("#lang").await?;
    assert_eq!(
        browser.eval(header).await?,
        json!(["Live", "Service counter", "Transfer to…"])
    );

    browser.quit().await;
    Ok(())
}

/// The balancing hint on the dashboard: Hồng Gai's three officers open counters 1–3
/// (civil status on 1 and 2, certification on 2 and 3); then certification gets crowded.
/// The manager's panel, calm at first, turns to "move a counter from civil status to
/// certification" through the event stream alone, and a burst of tickets costs a few
/// hint fetches, not one per event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_dashboard_hint_names_the_crowded_field() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(&dir.path().join("q.db"))?;
    let Some(browser) = Browser::start(1366, 768).await? else {
        return Ok(());
    };
    let api = Api::new(&server);
    let base = server.base_url();

    let fields = api
        .send(reqwest::Method::GET, "/api/fields", "", None)
        .await?;
    let field = |code: &str| -> anyhow::Result<(i64, String, String)> {
        let f = fields
            .as_array()
            .context("fields")?
            .iter()
            .find(|f| f["code"] == code)
            .with_context(|| format!("no field {code}"))?;
        Ok((
            f["id"].as_i64().context("id")?,
            f["name_vi"].as_str().context("name")?.to_string(),
            f["name_en"].as_str().context("name")?.to_string(),
        ))
    };
    let (certification, certification_name, certification_en) = field("CT")?;
    let (_, civil_status_name, civil_status_en) = field("HT")?;
    let snapshot = api
        .send(
            reqwest::Method::GET,
            &format!("/api/centers/{HONGGAI}/queue"),
            "",
            None,
        )
        .await?;
    let counters = snapshot["counters"].as_array().context("counters")?;
    for (i, counter) in counters.iter().take(3).enumerate() {
        let token = api.login(&format!("honggai.canbo{}", i + 1)).await?;
        let id = counter["id"].as_i64().context("counter id")?;
        api.post(&token, &format!("/api/counters/{id}/open"), json!({}))
            .await?;
    }
    let procedure = api
        .send(
            reqwest::Method::GET,
            &format!("/api/procedures?center_id={HONGGAI}&field_id={certification}&limit=1"),
            "",
            None,
        )
        .await?["items"][0]["id"]
        .as_i64()
        .context("no certification procedure")?;

    // The manager's dashboard opens on the center page; nothing is waiting yet.
    browser.goto(&format!("{base}/dashboard")).await?;
    sign_in(&browser, "honggai.quanly").await?;
    browser
        .wait_for(
            "document.getElementById('hint')?.classList.contains('calm')",
            WAIT,
        )
        .await?;
    browser
        .eval("performance.clearResourceTimings(); return true")
        .await?;

    // Sixty citizens come for certification in a burst.
    let burst_started = std::time::Instant::now();
    for _ in 0..60 {
        api.issue(HONGGAI, procedure).await?;
    }
    let burst = burst_started.elapsed();
    browser
        .wait_for(
            &format!("document.getElementById('hint').dataset.toField === '{certification}'"),
            WAIT,
        )
        .await?;
    // Settled: the last ticket is counted.
    browser
        .wait_for(
            &format!("document.querySelector('#hint-field-{certification} td:nth-child(2)')?.textContent === '60'"),
            WAIT,
        )
        .await?;
    let message = browser
        .eval("return document.getElementById('hint-message').textContent")
        .await?;
    let message = message.as_str().context("message")?;
    assert!(
        message.contains(&format!(
            "từ lĩnh vực {civil_status_name} sang lĩnh vực {certification_name}"
        )),
        "{message}"
    );
    assert!(message.contains("mục tiêu 15 phút"), "{message}");
    // One table of the fields' queues, one wait per field: the panel's, the number the
    // advice quotes; the older card with the kiosk's estimate is gone.
    let wait = message
        .split("chờ dự kiến ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .with_context(|| format!("no expected wait in {message}"))?;
    assert_eq!(
        browser
            .eval(&format!(
                "return document.querySelector('#hint-field-{certification} td.wait').textContent"
            ))
            .await?,
        json!(format!("{wait} phút"))
    );
    let headers =
        "return [...document.querySelectorAll('#hint-fields th')].map(th => th.textContent)";
    assert_eq!(
        browser.eval(headers).await?,
        json!([
            "Lĩnh vực",
            "Đang chờ",
            "Quầy mở",
            "Chờ dự kiến",
            "Mục tiêu",
            ""
        ])
    );
    assert_eq!(
        browser
            .eval("return [document.getElementById('fields-table'), document.body.innerText.includes('Ước tính')]")
            .await?,
        json!([null, false])
    );
    let note = browser
        .eval("return document.querySelector('#hint [data-i18n=\"hint.how\"]').textContent")
        .await?;
    assert!(
        note.as_str()
            .is_some_and(|n| n.starts_with("Chờ dự kiến: người cuối hàng")),
        "{note}"
    );
    let row_class = browser
        .eval(&format!(
            "return document.getElementById('hint-field-{certification}').className"
        ))
        .await?;
    assert_eq!(row_class, json!("over"));
    let badges = browser
        .eval(
            "return [...document.querySelectorAll('#hint-fields .badge')].map(b => b.textContent)",
        )
        .await?;
    assert_eq!(badges, json!(["Bớt được 1 quầy", "Cần thêm quầy"]));

    // Sixty events, a handful of fetches: at most one a second, plus the settling one.
    let fetches = browser
        .eval("return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/hint')).length")
        .await?
        .as_u64()
        .context("fetch count")?;
    eprintln!(
        "60 tickets in {} ms → {fetches} hint fetches",
        burst.as_millis()
    );
    assert!(
        fetches >= 1 && fetches <= burst.as_secs() + 3,
        "{fetches} hint fetches for a burst of {} ms",
        burst.as_millis()
    );

    // The same panel in English, and the header with it.
    let header = "return [document.getElementById('live').textContent, document.title]";
    assert_eq!(
        browser.eval(header).await?,
        json!(["Đang kết nối trực tiếp", "Bảng điều hành"])
    );
    browser.click("#lang").await?;
    let message = browser
        .eval("return document.getElementById('hint-message').textContent")
        .await?;
    let expected = format!("Move 1 counter from {civil_status_en} to {certification_en}");
    assert!(
        message.as_str().is_some_and(|m| m.starts_with(&expected)),
        "{message}"
    );
    assert_eq!(
        browser.eval(header).await?,
        json!(["Live", "Operations dashboard"])
    );
    assert_eq!(
        browser.eval(headers).await?,
        json!([
            "Field",
            "Waiting",
            "Counters open",
            "Expected wait",
            "Target",
            ""
        ])
    );
    assert_eq!(
        browser
            .eval(&format!(
                "return document.querySelector('#hint-field-{certification} td.wait').textContent"
            ))
            .await?,
        json!(format!("{wait} min"))
    );
    browser.quit().await;
    Ok(())
}

/// Screenshots of the three pages at 1366×768 (and the display at 1920×1080) with a
/// believable morning's queue, written to `$SCREENSHOT_DIR` or `target/screenshots`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_screenshots() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(&dir.path().join("q.db"))?;
    let Some(browser) = Browser::start(1366, 768).await? else {
        return Ok(());
    };
    let out = std::env::var_os("SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots"));
    std::fs::create_dir_all(&out)?;
    let api = Api::new(&server);
    let base = server.base_url();

    // A morning at Hồng Gai: tickets in several fields, three counters at work.
    let snapshot = api
        .send(
            reqwest::Method::GET,
            &format!("/api/centers/{HONGGAI}/queue"),
            "",
            None,
        )
        .await?;
    let counters = snapshot["counters"].as_array().context("counters")?;
    let counter_ids: Vec<i64> = counters.iter().filter_map(|c| c["id"].as_i64()).collect();
    // The fields of the first five counters, so that every busy counter has a queue.
    let mut fields: Vec<i64> = Vec::new();
    for c in counters.iter().take(5) {
        for f in c["field_ids"].as_array().context("field_ids")? {
            let f = f.as_i64().context("field id")?;
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
    }
    let procedures = api.procedures(HONGGAI).await?;
    let by_field: Vec<i64> = fields
        .iter()
        .filter_map(|f| procedures.iter().find(|(_, g)| g == f).map(|(p, _)| *p))
        .collect();
    for i in 0..34 {
        api.issue(HONGGAI, by_field[(i * 7 + i / 3) % by_field.len()])
            .await?;
    }
    let ratings = [
        "very_satisfied",
        "satisfied",
        "very_satisfied",
        "dissatisfied",
    ];
    let mut staff = Vec::new();
    for (i, name) in ["honggai.canbo2", "honggai.canbo3"].iter().enumerate() {
        let token = api.login(name).await?;
        let counter = counter_ids[i + 1];
        for round in 0..3 {
            let called = api
                .post(
                    &token,
                    &format!("/api/counters/{counter}/call-next"),
                    json!({}),
                )
                .await?;
            let Some(id) = called["ticket"]["id"].as_i64() else {
                break;
            };
            if round == 1 && i == 0 {
                api.post(
                    &token,
                    &format!("/api/counters/{counter}/no-show"),
                    json!({"ticket_id": id}),
                )
                .await?;
                continue;
            }
            api.post(
                &token,
                &format!("/api/counters/{counter}/start"),
                json!({"ticket_id": id}),
            )
            .await?;
            api.post(
                &token,
                &format!("/api/counters/{counter}/finish"),
                json!({"ticket_id": id, "rating": ratings[(round + i) % 4]}),
            )
            .await?;
        }
        api.post(
            &token,
            &format!("/api/counters/{counter}/call-next"),
            json!({}),
        )
        .await?;
        staff.push(token);
    }
    // A few citizens at three other centers, where no counter is open yet: the
    // overview lists the centers that need a counter, worst first.
    for (center, tickets) in [(3, 3), (4, 1), (5, 2)] {
        let procedures = api.procedures(center).await?;
        let (procedure, _) = procedures.first().context("no procedure")?;
        for _ in 0..tickets {
            api.issue(center, *procedure).await?;
        }
    }
    // A kiosk whose printer ran out of paper, for the dashboard's fault column.
    api.send(
        reqwest::Method::POST,
        "/api/kiosk/heartbeat",
        &backend::store::seed::demo_kiosk_token(HONGGAI),
        Some(json!({"printer": "paper_end", "fault": "hết giấy khi in số 1018"})),
    )
    .await?;

    // Counter console with a called ticket.
    browser.goto(&format!("{base}/counter")).await?;
    sign_in(&browser, "honggai.canbo1").await?;
    browser
        .wait_for(
            "document.getElementById('counter-select').options.length > 0",
            WAIT,
        )
        .await?;
    browser.click("#open-counter").await?;
    browser
        .wait_for("!document.getElementById('btn-call').disabled", WAIT)
        .await?;
    browser.click("#btn-call").await?;
    browser
        .wait_for("document.getElementById('current-number')", WAIT)
        .await?;
    browser
        .screenshot(&out.join("counter-1366x768.png"))
        .await?;

    // Hall display on an office screen and on a TV.
    browser.goto(&format!("{base}/display/{HONGGAI}")).await?;
    browser
        .wait_for(
            "window.hall && window.hall.board.connected && window.hall.board.calls.length > 0",
            WAIT,
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser
        .screenshot(&out.join("display-1366x768.png"))
        .await?;
    browser.set_size(1920, 1080).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    browser
        .screenshot(&out.join("display-1920x1080.png"))
        .await?;
    browser.set_size(1366, 768).await?;

    // Dashboard: the province overview (provincial manager), then the center page.
    browser.goto(&format!("{base}/dashboard")).await?;
    browser.eval("sessionStorage.clear(); return true").await?;
    browser.goto(&format!("{base}/dashboard")).await?;
    sign_in(&browser, "tinh.quanly").await?;
    browser
        .wait_for(
            "document.querySelectorAll('#overview-table tbody tr').length > 10",
            WAIT,
        )
        .await?;
    browser
        .wait_for(
            "document.querySelectorAll('#hints-list li.clickable').length === 3 && !document.getElementById('hints-more').hidden",
            WAIT,
        )
        .await?;
    let first = browser
        .eval("return document.querySelector('#hints-list li').dataset.center")
        .await?;
    assert_eq!(first, json!(HONGGAI.to_string()), "the worst center first");
    dashboard_shots(&browser, &out, "dashboard-overview").await?;
    browser
        .click(&format!(
            "#overview-table tbody tr[data-center='{HONGGAI}']"
        ))
        .await?;
    browser
        .wait_for(
            "document.querySelector('#kpi-issued .v')?.textContent === '34'",
            WAIT,
        )
        .await?;
    browser
        .wait_for(
            &format!("document.getElementById('hint')?.dataset.toField && window.dashboard.hint?.center_id === {HONGGAI}"),
            WAIT,
        )
        .await?;
    dashboard_shots(&browser, &out, "dashboard-center").await?;

    // English, to check the toggle and that the longer labels still fit.
    browser.click("#lang").await?;
    browser
        .wait_for(
            "document.getElementById('hint-message').textContent.startsWith('Move') || document.getElementById('hint-message').textContent.startsWith('Open')",
            WAIT,
        )
        .await?;
    dashboard_shots(&browser, &out, "dashboard-center-en").await?;
    browser.eval("location.hash = ''; return true").await?;
    browser
        .wait_for(
            "!document.getElementById('overview').hidden && document.querySelectorAll('#hints-list li.clickable').length === 3",
            WAIT,
        )
        .await?;
    dashboard_shots(&browser, &out, "dashboard-overview-en").await?;
    browser.eval("sessionStorage.clear(); return true").await?;
    browser.goto(&format!("{base}/counter")).await?;
    sign_in(&browser, "honggai.canbo1").await?;
    browser
        .wait_for("document.getElementById('current-number')", WAIT)
        .await?;
    browser
        .screenshot(&out.join("counter-en-1366x768.png"))
        .await?;

    eprintln!("screenshots written to {}", out.display());
    browser.quit().await;
    Ok(())
}

/// Screenshots of the dashboard's current view at 1366×768 and 1920×1080, each also
/// scrolled to the end of the page when it is taller than the window (`{name}-{size}.png`
/// and `{name}-{size}-end.png`); leaves the window at 1366×768, scrolled to the top.
async fn dashboard_shots(
    browser: &Browser,
    out: &std::path::Path,
    name: &str,
) -> anyhow::Result<()> {
    for (w, h) in [(1366, 768), (1920, 1080)] {
        browser.set_size(w, h).await?;
        browser.eval("window.scrollTo(0, 0); return true").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        browser
            .screenshot(&out.join(format!("{name}-{w}x{h}.png")))
            .await?;
        let taller = browser
            .eval("return document.documentElement.scrollHeight > window.innerHeight + 2")
            .await?;
        if taller == json!(true) {
            browser
                .eval("window.scrollTo(0, document.documentElement.scrollHeight); return true")
                .await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
            browser
                .screenshot(&out.join(format!("{name}-{w}x{h}-end.png")))
                .await?;
            browser.eval("window.scrollTo(0, 0); return true").await?;
        } else {
            let _ = std::fs::remove_file(out.join(format!("{name}-{w}x{h}-end.png")));
        }
    }
    browser.set_size(1366, 768).await
}

/// A TCP relay between the browser and the server whose "network" can be cut: every
/// open connection is dropped and new ones are refused until it heals.
struct FlakyLink {
    addr: std::net::SocketAddr,
    down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    conns: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl FlakyLink {
    async fn start(target: std::net::SocketAddr) -> anyhow::Result<FlakyLink> {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let conns = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (d, c) = (down.clone(), conns.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if d.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                c.lock().unwrap().push(task);
            }
        });
        Ok(FlakyLink { addr, down, conns })
    }

    fn cut(&self) {
        self.down.store(true, std::sync::atomic::Ordering::SeqCst);
        for task in self.conns.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    fn heal(&self) {
        self.down.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The hall display notices a dropped network, reconnects by itself, and catches up
/// with a call made while it was cut off (it refetches the snapshot on reconnection).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_display_reconnects_and_catches_up() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(&dir.path().join("q.db"))?;
    let link = FlakyLink::start(server.addr()).await?;
    let Some(browser) = Browser::start(1366, 768).await? else {
        return Ok(());
    };
    let api = Api::new(&server);
    let snapshot = api
        .send(
            reqwest::Method::GET,
            &format!("/api/centers/{HONGGAI}/queue"),
            "",
            None,
        )
        .await?;
    let counter = snapshot["counters"][0]["id"].as_i64().context("counter")?;
    let field = snapshot["counters"][0]["field_ids"][0]
        .as_i64()
        .context("field")?;
    let procedures = api.procedures(HONGGAI).await?;
    let (procedure, _) = *procedures
        .iter()
        .find(|(_, f)| *f == field)
        .context("no procedure for the first counter")?;

    browser
        .goto(&format!("http://{}/display/{HONGGAI}", link.addr))
        .await?;
    browser
        .wait_for("window.hall && window.hall.board.connected", WAIT)
        .await?;

    let status = "const l = document.getElementById('live'); return [l.dataset.live, l.textContent, l.title]";
    assert_eq!(
        browser.eval(status).await?,
        json!(["on", "", "Đang kết nối trực tiếp"]),
        "live: only the dot, the words as its tooltip"
    );

    link.cut();
    browser
        .wait_for("window.hall.board.connected === false", WAIT)
        .await?;
    // The lost connection is said in the language chosen, also after a switch.
    let lost = "Mất kết nối — đang thử lại…";
    assert_eq!(browser.eval(status).await?, json!(["off", lost, lost]));
    browser.click("#lang").await?;
    let lost = "Connection lost — retrying…";
    assert_eq!(browser.eval(status).await?, json!(["off", lost, lost]));
    // While the display is cut off, a ticket is issued and called.
    api.issue(HONGGAI, procedure).await?;
    let staff = api.login("honggai.canbo1").await?;
    let called = api
        .post(
            &staff,
            &format!("/api/counters/{counter}/call-next"),
            json!({}),
        )
        .await?;
    let number = called["ticket"]["number"]
        .as_u64()
        .context("nothing called")?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let shown = browser
        .eval("return window.hall.board.calls.length")
        .await?;
    assert_eq!(shown, json!(0), "the display cannot know the call yet");

    link.heal();
    browser
        .wait_for(
            &format!(
                "window.hall.board.connected && window.hall.board.calls[0]?.number === {number}"
            ),
            Duration::from_secs(20),
        )
        .await?;
    assert_eq!(
        browser
            .eval("return document.getElementById('latest-number').textContent")
            .await?,
        json!(number.to_string())
    );
    assert_eq!(browser.eval(status).await?, json!(["on", "", "Live"]));
    browser.quit().await;
    Ok(())
}
