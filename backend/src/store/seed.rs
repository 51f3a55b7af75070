//! Seeding a new database with the demo province, and importing a catalogue CSV.

use rusqlite::{params, Connection};

use catalogue::{fold, CenterKind, Level, ProcedureSeed, Province};

/// Password of every demo account (documented in README; demo mode only).
pub const DEMO_PASSWORD: &str = "demo";

/// The bearer token of the demo kiosk of a center (demo mode only).
pub fn demo_kiosk_token(center_id: i64) -> String {
    format!("demo-kiosk-{center_id}")
}

/// SHA-256 of a bearer token, hex: tokens are stored only as hashes.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An argon2id PHC hash of a password, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

fn search_key(p: &ProcedureSeed) -> String {
    format!(
        "{} | {} | {}",
        fold(&p.name_vi),
        fold(&p.name_en),
        fold(&p.code)
    )
}

fn level_str(level: Level) -> &'static str {
    match level {
        Level::Provincial => "provincial",
        Level::Commune => "commune",
    }
}

/// Inserts or updates procedures by code. Runs inside the caller's transaction, so a
/// failure on any row leaves the catalogue as it was.
pub fn upsert_procedures(
    conn: &Connection,
    procedures: &[ProcedureSeed],
) -> rusqlite::Result<usize> {
    let mut field_id = conn.prepare_cached("SELECT id FROM fields WHERE code = ?1")?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO procedures (code, name_vi, name_en, search_key, field_id, level, agency,
             non_territorial, processing_time, processing_unit, has_fees, online_level, generated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (code) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en,
             search_key = excluded.search_key, field_id = excluded.field_id, level = excluded.level,
             agency = excluded.agency, non_territorial = excluded.non_territorial,
             processing_time = excluded.processing_time, processing_unit = excluded.processing_unit,
             has_fees = excluded.has_fees, online_level = excluded.online_level,
             generated = excluded.generated",
    )?;
    for p in procedures {
        let fid: i64 = field_id.query_row([&p.field_code], |r| r.get(0))?;
        upsert.execute(params![
            p.code,
            p.name_vi,
            p.name_en,
            search_key(p),
            fid,
            level_str(p.level),
            p.agency,
            p.non_territorial,
            p.processing_time,
            p.processing_unit.as_str(),
            p.has_fees,
            p.online_level,
            p.generated,
        ])?;
    }
    Ok(procedures.len())
}

/// Seeds the province (centers, fields, counters, catalogue) and, when `demo_accounts`,
/// the demo staff accounts and one demo kiosk per center. Call inside a transaction.
pub fn seed_province(
    conn: &Connection,
    province: &Province,
    demo_accounts: bool,
) -> rusqlite::Result<()> {
    for f in &province.fields {
        conn.execute(
            "INSERT INTO fields (code, name_vi, name_en, series) VALUES (?1, ?2, ?3, ?4)",
            params![f.code, f.name_vi, f.name_en, f.series],
        )?;
    }
    upsert_procedures(conn, &province.procedures)?;
    // One hash shared by all demo accounts: argon2 is deliberately slow, and hashing the
    // same demo password 170 times would only slow the first start down.
    let demo_hash = demo_accounts.then(|| hash_password(DEMO_PASSWORD));
    if let Some(hash) = &demo_hash {
        conn.execute(
            "INSERT INTO accounts (username, full_name, role, center_id, password_hash)
             VALUES ('admin', 'Quản trị hệ thống', 'admin', NULL, ?1),
                    ('tinh.quanly', 'Lãnh đạo Trung tâm tỉnh', 'provincial_manager', NULL, ?1)",
            [hash],
        )?;
    }
    for c in &province.centers {
        let kind = match c.kind {
            CenterKind::Provincial => "provincial",
            CenterKind::Commune => "commune",
        };
        conn.execute(
            "INSERT INTO centers (code, name, kind, address, latitude, longitude, opening_hours)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.code,
                c.name,
                kind,
                c.address,
                c.latitude,
                c.longitude,
                c.opening_hours
            ],
        )?;
        let center_id = conn.last_insert_rowid();
        for counter in &c.counters {
            conn.execute(
                "INSERT INTO counters (center_id, number) VALUES (?1, ?2)",
                params![center_id, counter.number],
            )?;
            let counter_id = conn.last_insert_rowid();
            for code in &counter.field_codes {
                conn.execute(
                    "INSERT INTO counter_fields (counter_id, field_id)
                     SELECT ?1, id FROM fields WHERE code = ?2",
                    params![counter_id, code],
                )?;
            }
        }
        if let Some(hash) = &demo_hash {
            let prefix = c.code.to_lowercase();
            conn.execute(
                "INSERT INTO accounts (username, full_name, role, center_id, password_hash)
                 VALUES (?1, ?2, 'center_manager', ?3, ?4)",
                params![
                    format!("{prefix}.quanly"),
                    format!("Quản lý {}", c.name),
                    center_id,
                    hash
                ],
            )?;
            for i in 1..=c.counters.len().min(3) {
                conn.execute(
                    "INSERT INTO accounts (username, full_name, role, center_id, password_hash)
                     VALUES (?1, ?2, 'counter_staff', ?3, ?4)",
                    params![
                        format!("{prefix}.canbo{i}"),
                        format!("Cán bộ một cửa {i}"),
                        center_id,
                        hash
                    ],
                )?;
            }
            conn.execute(
                "INSERT INTO kiosks (center_id, name, token_hash) VALUES (?1, ?2, ?3)",
                params![
                    center_id,
                    format!("Kiosk 1 – {}", c.name),
                    token_hash(&demo_kiosk_token(center_id))
                ],
            )?;
        }
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('province', ?1), ('demo_accounts', ?2)",
        params![province.name, demo_accounts.to_string()],
    )?;
    Ok(())
}
