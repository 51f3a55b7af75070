//! Dossiers through the HTTP API: reception from a served ticket, transfer commune →
//! province, the status workflow with a supplement pause, return at the chosen center,
//! lookup with a second factor, enumeration resistance and idempotent import.

mod util;

use axum::http::StatusCode;
use serde_json::json;

use util::app;

#[tokio::test]
async fn commune_receives_province_decides_citizen_collects_at_the_commune() {
    let app = app().await;
    // A non-territorial provincial procedure, filed at phường Hồng Gai (center 2).
    let procedure: i64 = app
        .state
        .store
        .read(|c| {
            c.query_row(
                "SELECT p.id FROM procedures p JOIN fields f ON f.id = p.field_id
                 WHERE p.level = 'provincial' AND p.non_territorial = 1 AND p.generated = 0 AND f.code = 'TP' ORDER BY p.id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .map_err(backend::error::ApiError::from)
        })
        .await
        .unwrap();
    let ticket = app.issue(2, procedure, None).await;
    let ticket_id = ticket["ticket"]["id"].as_i64().unwrap();
    // Counter 3 of Hồng Gai serves Tư pháp.
    let commune = app.login("honggai.canbo3").await;
    let c1 = app.counter_id(2, 3);
    app.call(
        "POST",
        &format!("/api/counters/{c1}/call-next"),
        Some(&commune),
        None,
    )
    .await;
    app.call(
        "POST",
        &format!("/api/counters/{c1}/start"),
        Some(&commune),
        Some(json!({"ticket_id": ticket_id})),
    )
    .await;
    let (status, receipt) = app
        .call(
            "POST",
            &format!("/api/counters/{c1}/dossiers"),
            Some(&commune),
            Some(json!({"ticket_id": ticket_id, "procedure_id": procedure, "applicant_name": "Nguyễn Văn An",
                        "applicant_id_number": "022090001234", "applicant_phone": "0912345678"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let code = receipt["dossier"]["code"].as_str().unwrap().to_string();
    let secret = receipt["secret"].as_str().unwrap().to_string();
    assert!(code.starts_with("HONGGAI-261207-0001"), "{code}");
    assert!(receipt["qr_payload"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/tra-cuu?ma={code}&k={secret}")));
    assert_eq!(receipt["dossier"]["status"], 2);
    let id = receipt["dossier"]["id"].as_i64().unwrap();
    assert_eq!(
        receipt["dossier"]["processing_center_id"], 1,
        "transferred to the provincial level"
    );
    let expected_processing = 1;
    assert_eq!(receipt["dossier"]["return_center_id"], 2);

    let lookup = |secret: String| {
        let code = code.clone();
        let app = &app;
        async move {
            app.get(&format!("/api/dossiers/lookup?code={code}&secret={secret}"))
                .await
        }
    };
    let (status, seen) = lookup(secret.clone()).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["status_vi"], "Được tiếp nhận");
    assert_eq!(seen["applicant_masked"], "Nguyễn V** A*");
    assert_eq!(seen["timeliness"], "within_deadline");
    // The applicant's ID number works as the second factor too; a wrong one looks unknown.
    assert_eq!(lookup("022090001234".into()).await.0, StatusCode::OK);
    let (wrong, wrong_body) = lookup("ZZZZZZ".into()).await;
    let (unknown, unknown_body) = app
        .get("/api/dossiers/lookup?code=HONGGAI-261207-9999&secret=ZZZZZZ")
        .await;
    assert_eq!((wrong, &wrong_body), (unknown, &unknown_body));

    // The province processes it (the dossier is in the provincial inbox when transferred).
    let province = app.login("qn.canbo1").await;
    let (_, inbox) = app
        .call(
            "GET",
            &format!("/api/staff/dossiers?center_id={expected_processing}"),
            Some(&province),
            None,
        )
        .await;
    assert!(
        inbox
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code.as_str()),
        "{inbox}"
    );
    let set = |to: u8, token: String| {
        let app = &app;
        async move {
            app.call(
                "POST",
                &format!("/api/dossiers/{id}/status"),
                Some(&token),
                Some(json!({"status": to, "note": "ghi chú"})),
            )
            .await
        }
    };
    assert_eq!(set(4, province.clone()).await.0, StatusCode::OK);
    let before = lookup(secret.clone()).await.1["appointment_at"].clone();
    assert_eq!(
        set(5, province.clone()).await.0,
        StatusCode::OK,
        "supplement requested"
    );
    app.clock.advance_minutes(7 * 60); // 16:00: six and a half working hours paused.
    assert_eq!(
        set(4, province.clone()).await.0,
        StatusCode::OK,
        "documents supplied"
    );
    let after = lookup(secret.clone()).await.1["appointment_at"].clone();
    assert_ne!(
        before, after,
        "the supplement pause pushed the appointment back"
    );
    let (illegal, body) = set(10, province.clone()).await;
    assert!(
        illegal == StatusCode::CONFLICT || illegal == StatusCode::FORBIDDEN,
        "{body}"
    );
    assert_eq!(set(9, province.clone()).await.0, StatusCode::OK);
    assert_eq!(
        set(10, province).await.0,
        StatusCode::FORBIDDEN,
        "only the chosen center returns the result"
    );
    assert_eq!(set(10, commune).await.0, StatusCode::OK);
    let (_, done) = lookup(secret).await;
    assert_eq!(done["status"], 10);
    let steps: Vec<u64> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, [2, 4, 5, 4, 9, 10]);
    assert!(
        matches!(done["timeliness"].as_str(), Some("early" | "on_time")),
        "{done}"
    );
}

#[tokio::test]
async fn guessing_codes_reveals_nothing_and_is_throttled() {
    let app = app().await;
    let mut found = 0;
    let mut not_found = 0;
    let mut throttled = 0;
    for i in 0..10_000u32 {
        let (status, _) = app
            .get(&format!(
                "/api/dossiers/lookup?code=HONGGAI-261207-{:04}&secret=A{i:05}",
                i % 10_000
            ))
            .await;
        match status {
            StatusCode::OK => found += 1,
            StatusCode::NOT_FOUND => not_found += 1,
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(found, 0);
    assert!(
        not_found <= 60,
        "at most one window of lookups gets an answer: {not_found}"
    );
    assert_eq!(throttled, 10_000 - not_found);
}

#[tokio::test]
async fn external_status_import_is_idempotent() {
    let app = app().await;
    let staff = app.login("honggai.canbo1").await;
    let c1 = app.counter_id(2, 1);
    let (_, receipt) = app
        .call(
            "POST",
            &format!("/api/counters/{c1}/dossiers"),
            Some(&staff),
            Some(json!({"procedure_id": 1, "applicant_name": "Trần Thị Bình", "applicant_id_number": "022190005678"})),
        )
        .await;
    let code = receipt["dossier"]["code"].as_str().unwrap();
    let admin = app.login("admin").await;
    let batch = json!({"system": "motcua-qn", "updates": [
        {"external_id": "e1", "code": code, "status": 4, "at": "2026-12-07T10:00:00+07:00"},
        {"external_id": "e2", "code": code, "status": 9, "at": "2026-12-07T15:00:00+07:00", "note": "đã ký"},
        {"external_id": "e3", "code": "NOPE-1", "status": 4, "at": "2026-12-07T15:00:00+07:00"}
    ]});
    let (status, first) = app
        .call(
            "POST",
            "/api/dossiers/import",
            Some(&admin),
            Some(batch.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        (first["applied"].as_u64(), first["duplicates"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(first["rejected"][0]["external_id"], "e3");
    let (_, again) = app
        .call("POST", "/api/dossiers/import", Some(&admin), Some(batch))
        .await;
    assert_eq!(
        (again["applied"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(2))
    );
    let (_, inbox) = app
        .call(
            "GET",
            "/api/staff/dossiers?q=tran%20thi%20binh",
            Some(&staff),
            None,
        )
        .await;
    assert_eq!(inbox[0]["status"], 9);
    assert_eq!(
        app.call(
            "POST",
            "/api/dossiers/import",
            Some(&staff),
            Some(json!({"system": "x", "updates": []}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_receipt_prints_on_the_counter_printer_and_its_qr_decodes() {
    let app = app().await;
    let out = app.dir.path().join("receipts");
    let printers = backend::receipts::ReceiptPrinters::start(
        Some(&format!("virtual:{}:80", out.display())),
        &[],
        hardware::layout::Paper::Mm80,
    )
    .unwrap();
    let state = app.state.clone().with_receipt_printers(printers);
    let router = backend::api::router(state);
    let app = util::App { router, ..app };
    let staff = app.login("honggai.canbo1").await;
    let c1 = app.counter_id(2, 1);
    let (status, receipt) = app
        .call(
            "POST",
            &format!("/api/counters/{c1}/dossiers"),
            Some(&staff),
            Some(json!({"procedure_id": 1, "applicant_name": "Lê Văn Cường", "applicant_id_number": "022088001111"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["print"], "printed");
    let pngs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(pngs.len(), 1, "one receipt, one cut");
    let img = image::open(&pngs[0]).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(content, receipt["qr_payload"].as_str().unwrap());
    // The kiosk's scanner parser reads it back as a receipt code.
    match hardware::scanner::parse_scanned(&content) {
        Ok(hardware::scanner::Scanned::Receipt(r)) => {
            assert_eq!(r.code, receipt["dossier"]["code"].as_str().unwrap())
        }
        other => panic!("not a receipt code: {other:?}"),
    }
}
