//! A small W3C WebDriver client over HTTP, enough to drive Debian's Chromium through
//! `chromedriver`: no browser is ever downloaded, and no extra crate is needed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};

/// Chromium and chromedriver from the system, if installed.
pub fn find_browser() -> Option<(PathBuf, PathBuf)> {
    let pick = |names: &[&str]| names.iter().map(PathBuf::from).find(|p| p.exists());
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| pick(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]))?;
    let driver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| pick(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]))?;
    Some((chromium, driver))
}

/// Whether we run under CI, where a missing browser is a failure, not a skip.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A chromedriver process with one Chromium session.
pub struct Browser {
    driver: Child,
    http: reqwest::Client,
    url: String,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile; `None` (after a
    /// loud message) when no browser is installed and we are not under CI.
    pub async fn start(width: u32, height: u32) -> anyhow::Result<Option<Browser>> {
        let Some((chromium, driver_bin)) = find_browser() else {
            if under_ci() {
                bail!("CI is set but chromium/chromedriver are missing: run scripts/install-deps");
            }
            eprintln!(
                "\n\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
            );
            eprintln!("!!! SKIPPING BROWSER TEST: chromium or chromedriver is not installed. !!!");
            eprintln!("!!! Run scripts/install-deps (apt: chromium chromium-driver).         !!!");
            eprintln!(
                "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n"
            );
            return Ok(None);
        };
        let port = free_port()?;
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", driver_bin.display()))?;
        let profile = tempfile::tempdir()?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()?;
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = http
                .get(format!("{base}/status"))
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success());
            if ready.is_some() {
                break;
            }
            if Instant::now() > deadline {
                bail!("chromedriver did not start on port {port}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-timer-throttling".into(),
            "--disable-renderer-backgrounding".into(),
            "--hide-scrollbars".into(),
            "--autoplay-policy=no-user-gesture-required".into(),
            "--lang=vi".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args}
        }}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await?
            .json()
            .await?;
        let session = resp["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session: {resp}"))?
            .to_string();
        Ok(Some(Browser {
            driver,
            http,
            url: format!("{base}/session/{session}"),
            port,
            session,
            _profile: profile,
        }))
    }

    async fn cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let v: Value = resp.json().await?;
        if !status.is_success() {
            bail!("webdriver {path}: {status}: {}", v["value"]["message"]);
        }
        Ok(v["value"].clone())
    }

    async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.post("/url", json!({"url": url})).await.map(|_| ())
    }

    pub async fn set_size(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.post("/window/rect", json!({"width": width, "height": height}))
            .await
            .map(|_| ())
    }

    /// Opens a new tab and switches to it; returns its handle.
    pub async fn new_tab(&self) -> anyhow::Result<String> {
        let v = self.post("/window/new", json!({"type": "tab"})).await?;
        let handle = v["handle"]
            .as_str()
            .context("no window handle")?
            .to_string();
        self.switch_to(&handle).await?;
        Ok(handle)
    }

    pub async fn window(&self) -> anyhow::Result<String> {
        let v = self.cmd(reqwest::Method::GET, "/window", None).await?;
        Ok(v.as_str().context("no window handle")?.to_string())
    }

    pub async fn switch_to(&self, handle: &str) -> anyhow::Result<()> {
        self.post("/window", json!({"handle": handle}))
            .await
            .map(|_| ())
    }

    /// Runs a script (`return …;`) in the page.
    pub async fn eval(&self, script: &str) -> anyhow::Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": []}))
            .await
    }

    /// Runs an async script: the last argument is the callback to call with the result.
    pub async fn eval_async(&self, script: &str) -> anyhow::Result<Value> {
        self.post("/execute/async", json!({"script": script, "args": []}))
            .await
    }

    async fn element(&self, css: &str) -> anyhow::Result<String> {
        let v = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await
            .with_context(|| format!("finding {css}"))?;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| anyhow!("bad element reference for {css}"))
    }

    /// Clicks the element `css` selects. Live pages redraw their lists when events come
    /// (the dashboard's tables, for one), so the element found may be replaced before the
    /// click reaches it; then it is found again, as a person's click would simply land on
    /// the new row.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let mut attempt = 0;
        loop {
            let id = self.element(css).await?;
            match self.post(&format!("/element/{id}/click"), json!({})).await {
                Err(e) if attempt < 3 && format!("{e:#}").contains("stale element") => {
                    attempt += 1;
                }
                other => return other.map(|_| ()),
            }
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let id = self.element(css).await?;
        self.post(&format!("/element/{id}/value"), json!({"text": text}))
            .await
            .map(|_| ())
    }

    /// Presses and releases one key on whatever has the focus.
    pub async fn press(&self, key: &str) -> anyhow::Result<()> {
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]}),
        )
        .await
        .map(|_| ())
    }

    /// Polls a JavaScript expression until it is truthy; returns its value.
    pub async fn wait_for(&self, expr: &str, timeout: Duration) -> anyhow::Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let v = self
                .eval(&format!(
                    "try {{ return ({expr}); }} catch (e) {{ return null; }}"
                ))
                .await?;
            let truthy = !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0));
            if truthy {
                return Ok(v);
            }
            if Instant::now() > deadline {
                let page = self
                    .eval("return location.href + '\\n' + document.body.innerText.slice(0, 800)")
                    .await
                    .unwrap_or_default();
                bail!(
                    "timed out after {timeout:?} waiting for: {expr}\npage: {}",
                    page.as_str().unwrap_or("")
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await?;
        let b64 = v.as_str().context("screenshot is not a string")?;
        let png = base64_decode(b64).context("screenshot is not base64")?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Ends the session (closing Chromium) and stops chromedriver.
    pub async fn quit(self) {
        let _ = self.cmd(reqwest::Method::DELETE, "", None).await;
        drop(self);
    }
}

impl Drop for Browser {
    /// Closes Chromium even when a test fails half-way (so no browser keeps the test
    /// server's event streams open), then stops chromedriver.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.session
            );
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// Standard base64 (the screenshot encoding), decoded without another dependency.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * i);
        }
        let n = chunk.len();
        out.push((acc >> 16) as u8);
        if n > 2 {
            out.push((acc >> 8) as u8);
        }
        if n > 3 {
            out.push(acc as u8);
        }
    }
    Some(out)
}
