//! SQLite storage: one writer thread with group commit, a small pool of readers.
//!
//! rusqlite is blocking, so no SQLite call ever runs on a tokio worker: writes go to a
//! dedicated writer thread over a channel; reads run in `spawn_blocking` on a pooled
//! connection. The writer drains every job waiting in its channel into one transaction
//! (each job in its own savepoint, so one failing job rolls back alone), commits once with
//! `synchronous=FULL`, and only then answers each job. An answer therefore means the
//! change is on disk: a crash after the answer cannot lose it, and a crash before it means
//! the caller was never told it succeeded.

pub mod seed;

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

/// The migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0003_dossiers.sql"),
    // 0002 came after 0003 in the merge: a database at user_version 2 has run 0001 and
    // 0003, so a new migration is appended, never inserted, whatever its file name.
    include_str!("../../migrations/0002_remote_tickets.sql"),
    include_str!("../../migrations/0004_field_targets.sql"),
    include_str!("../../migrations/0005_travel_times.sql"),
];

/// At most this many jobs share one commit, so one batch never holds the lock long.
const MAX_BATCH: usize = 256;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The write was not performed: the writer stopped or could not start a transaction.
    #[error("the database write was not performed")]
    WriterGone,
    /// A blocking read task panicked or was cancelled.
    #[error("a database task failed: {0}")]
    Task(String),
}

type Reply = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&Connection) -> Reply + Send>;

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    /// Jobs for the writer thread. A `Mutex` because `mpsc::Sender` is not `Sync` on
    /// every toolchain we support, and sends are far shorter than any contention.
    writer: Mutex<mpsc::Sender<Job>>,
    /// Idle read connections; a read takes one and puts it back.
    readers: Mutex<Vec<Connection>>,
    path: PathBuf,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// Opens a connection with the project's pragmas, creating the file when asked.
pub fn open_connection(path: &Path, create: bool) -> rusqlite::Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    Ok(conn)
}

/// Applies the migrations that have not run yet, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path`, applies migrations and starts
    /// the writer thread. Returns whether the file was new (so the caller can seed it).
    pub fn open(path: &Path) -> anyhow::Result<(Store, bool)> {
        use anyhow::Context;
        let is_new = !path.exists();
        let mut conn = open_connection(path, true)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        anyhow::ensure!(
            mode.eq_ignore_ascii_case("wal"),
            "cannot switch {} to WAL",
            path.display()
        );
        migrate(&mut conn).context("cannot apply migrations")?;
        let mut readers = Vec::new();
        for _ in 0..4 {
            readers.push(open_connection(path, false)?);
        }
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(conn, rx))
            .context("cannot start the writer thread")?;
        let store = Store {
            inner: Arc::new(Inner {
                writer: Mutex::new(tx),
                readers: Mutex::new(readers),
                path: path.to_path_buf(),
            }),
        };
        Ok((store, is_new))
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` in the writer's transaction and answers after the commit is durable.
    /// `f` runs inside a savepoint: if it returns an error, its changes are rolled back
    /// and other jobs of the same batch are unaffected.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn: &Connection| {
            let outcome = match conn.execute_batch("SAVEPOINT job") {
                Ok(()) => {
                    let outcome = f(conn);
                    let end = if outcome.is_ok() {
                        "RELEASE job"
                    } else {
                        "ROLLBACK TO job; RELEASE job"
                    };
                    match conn.execute_batch(end) {
                        Ok(()) => outcome,
                        Err(e) => Err(E::from(StoreError::Sqlite(e))),
                    }
                }
                Err(e) => Err(E::from(StoreError::Sqlite(e))),
            };
            Box::new(move |commit: Result<(), String>| {
                let answer = match commit {
                    Ok(()) => outcome,
                    Err(msg) => Err(E::from(StoreError::Task(format!("commit failed: {msg}")))),
                };
                let _ = tx.send(answer);
            })
        });
        self.inner
            .writer
            .lock()
            .expect("writer sender lock")
            .send(job)
            .map_err(|_| E::from(StoreError::WriterGone))?;
        rx.await.map_err(|_| E::from(StoreError::WriterGone))?
    }

    /// Runs `f` on a read connection in `spawn_blocking`. Reads see every acknowledged
    /// write (WAL readers see the last commit at the start of their transaction).
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let conn = inner.readers.lock().expect("reader pool lock").pop();
            let conn = match conn {
                Some(c) => c,
                None => open_connection(&inner.path, false).map_err(StoreError::from)?,
            };
            let result = f(&conn);
            let mut pool = inner.readers.lock().expect("reader pool lock");
            if pool.len() < 8 {
                pool.push(conn);
            }
            result
        })
        .await
        .map_err(|e| E::from(StoreError::Task(e.to_string())))?
    }
}

fn writer_loop(conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            let msg = e.to_string();
            tracing::error!(error = %msg, "cannot begin a write transaction");
            // Dropping a job drops its answer channel: its caller gets `WriterGone`.
            drop(jobs);
            continue;
        }
        let replies: Vec<Reply> = jobs.into_iter().map(|job| job(&conn)).collect();
        let commit = conn.execute_batch("COMMIT").map_err(|e| e.to_string());
        if let Err(msg) = &commit {
            tracing::error!(error = %msg, "commit failed; the batch is rolled back");
            let _ = conn.execute_batch("ROLLBACK");
        }
        for reply in replies {
            reply(commit.clone());
        }
    }
}
