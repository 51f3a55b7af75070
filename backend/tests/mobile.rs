//! The public phone pages opened from QR codes, in headless Chromium: a ticket's place in
//! the queue (`/t/{id}?s=`) and a dossier's status (`/tra-cuu?ma=&k=`), in Vietnamese
//! and English. Screenshots go to `$SCREENSHOT_DIR` (default `target/screenshots`).

// This test uses only part of the shared WebDriver client.
#[allow(dead_code)]
#[path = "support/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use backend::testing::TestServer;
use serde_json::{json, Value};
use webdriver::Browser;

const WAIT: Duration = Duration::from_secs(10);

async fn post(
    http: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let resp = http.post(url).bearer_auth(token).json(&body).send().await?;
    anyhow::ensure!(resp.status().is_success(), "{}", resp.text().await?);
    Ok(resp.json().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_pages_show_ticket_and_dossier_in_both_languages() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let server = TestServer::start(&dir.path().join("q.sqlite"))?;
    let Some(browser) = Browser::start(390, 844).await? else {
        return Ok(());
    };
    let out = std::env::var_os("SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots"));
    std::fs::create_dir_all(&out)?;
    let base = server.base_url();
    let http = reqwest::Client::new();

    // Two people ahead, then our ticket.
    for _ in 0..2 {
        post(
            &http,
            format!("{base}/api/kiosk/tickets"),
            "demo-kiosk-2",
            json!({"procedure_id": 1}),
        )
        .await?;
    }
    let issued = post(
        &http,
        format!("{base}/api/kiosk/tickets"),
        "demo-kiosk-2",
        json!({"procedure_id": 1}),
    )
    .await?;
    let path = issued["tracking_url"]
        .as_str()
        .unwrap()
        .split_once("/t/")
        .unwrap()
        .1
        .to_string();
    browser.goto(&format!("{base}/t/{path}")).await?;
    browser
        .wait_for(
            "document.querySelector('.big') && document.querySelector('.big').textContent",
            WAIT,
        )
        .await?;
    let text = browser.eval("return document.body.innerText").await?;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("1003") && text.contains("Đăng ký khai sinh") && text.contains("Đang chờ"),
        "{text}"
    );
    assert!(
        text.contains("Người chờ trước bạn\n2") || text.contains("Người chờ trước bạn\t2"),
        "{text}"
    );
    browser
        .screenshot(&out.join("mobile-ticket-vi.png"))
        .await?;
    browser.click("#lang").await?;
    browser
        .wait_for(
            "document.body.innerText.includes('Birth registration')",
            WAIT,
        )
        .await?;
    browser
        .screenshot(&out.join("mobile-ticket-en.png"))
        .await?;

    // A wrong secret shows the plain not-found message, nothing of the ticket.
    let id = path.split('?').next().unwrap();
    browser.goto(&format!("{base}/t/{id}?s=WRONG123")).await?;
    browser
        .wait_for("document.querySelector('.error')", WAIT)
        .await?;
    let text = browser.eval("return document.body.innerText").await?;
    assert!(!text.as_str().unwrap_or_default().contains("1003"));

    // A dossier received at the counter, then processed.
    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "honggai.canbo1", "password": "demo"}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().unwrap();
    let snapshot: Value = http
        .get(format!("{base}/api/centers/2/queue"))
        .send()
        .await?
        .json()
        .await?;
    let counter = snapshot["counters"][0]["id"].as_i64().unwrap();
    let receipt = post(
        &http,
        format!("{base}/api/counters/{counter}/dossiers"),
        token,
        json!({"procedure_id": 1, "applicant_name": "Phạm Thị Hoa", "applicant_id_number": "022195004321"}),
    )
    .await?;
    let dossier_id = receipt["dossier"]["id"].as_i64().unwrap();
    post(
        &http,
        format!("{base}/api/dossiers/{dossier_id}/status"),
        token,
        json!({"status": 4}),
    )
    .await?;
    let url = receipt["qr_payload"].as_str().unwrap();
    let local = format!("{base}/tra-cuu?{}", url.split_once('?').unwrap().1);
    browser
        .eval("localStorage.setItem('track.lang', 'vi'); return true")
        .await?;
    browser.goto(&local).await?;
    browser
        .wait_for("document.querySelector('.timeline')", WAIT)
        .await?;
    let text = browser.eval("return document.body.innerText").await?;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("Đang xử lý")
            && text.contains("Phạm T** H**")
            && !text.contains("Phạm Thị Hoa"),
        "{text}"
    );
    browser
        .screenshot(&out.join("mobile-dossier-vi.png"))
        .await?;
    browser.click("#lang").await?;
    browser
        .wait_for("document.body.innerText.includes('Being processed')", WAIT)
        .await?;
    browser
        .screenshot(&out.join("mobile-dossier-en.png"))
        .await?;
    browser.quit().await;
    Ok(())
}
