//! A real server on loopback for the tests of other crates (the kiosk's UI tests).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use crate::core::SystemClock;
use crate::state::Settings;

/// The backend running on `127.0.0.1:0` on its own thread and runtime, with the demo
/// province seeded and every center open. Dropping it shuts the server down.
pub struct TestServer {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start(db_path: &Path) -> anyhow::Result<TestServer> {
        Self::start_with(
            db_path,
            Settings {
                always_open: true,
                ..Settings::default()
            },
        )
    }

    pub fn start_with(db_path: &Path, settings: Settings) -> anyhow::Result<TestServer> {
        let db_path = db_path.to_path_buf();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<anyhow::Result<SocketAddr>>();
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("test-backend".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.into()));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let started = async {
                        let state =
                            crate::open_state(&db_path, Arc::new(SystemClock), settings, true)
                                .await?;
                        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                        let addr = listener.local_addr()?;
                        anyhow::Ok((state, listener, addr))
                    }
                    .await;
                    match started {
                        Ok((state, listener, addr)) => {
                            let _ = ready_tx.send(Ok(addr));
                            let _ = crate::serve(listener, state, async {
                                let _ = shutdown_rx.await;
                            })
                            .await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let addr = ready_rx.recv()??;
        Ok(TestServer {
            addr,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The demo kiosk token of a center.
    pub fn kiosk_token(&self, center_id: i64) -> String {
        crate::store::seed::demo_kiosk_token(center_id)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
