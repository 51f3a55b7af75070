//! HTTP API tests: the real router and a real SQLite file, driven with `oneshot`.

mod util;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

use util::app;

#[tokio::test]
async fn catalogue_counts_centers_and_search_with_or_without_diacritics() {
    let app = app().await;
    let (status, centers) = app.get("/api/centers").await;
    assert_eq!(status, StatusCode::OK);
    let centers = centers.as_array().unwrap();
    assert_eq!(centers.len(), 55);
    assert_eq!(
        centers.iter().filter(|c| c["kind"] == "provincial").count(),
        1
    );

    let (_, stats) = app.get("/api/catalogue/stats").await;
    assert_eq!(
        stats,
        json!({"total": 1823, "non_territorial": 1509, "non_territorial_provincial": 1255, "non_territorial_commune": 254})
    );

    for q in [
        "dang%20ky%20khai%20sinh",
        "%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh",
        "DANG%20KY%20KHAI%20SINH",
    ] {
        let (status, list) = app.get(&format!("/api/procedures?q={q}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            list["items"][0]["name_vi"], "Đăng ký khai sinh",
            "query {q}"
        );
    }
    let (_, none) = app
        .get("/api/procedures?q=khong%20co%20thu%20tuc%20nao%20nhu%20the")
        .await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn openapi_document_is_openapi_3_and_lists_the_endpoints() {
    let app = app().await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let spec: oas3::Spec =
        serde_json::from_value(doc.clone()).expect("a valid OpenAPI 3.1 document");
    let paths = spec.paths.unwrap();
    for p in [
        "/api/centers",
        "/api/procedures",
        "/api/kiosk/tickets",
        "/api/counters/{id}/call-next",
        "/api/tickets/{id}",
        "/api/events",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    assert!(doc["components"]["schemas"]["TicketIssued"].is_object());
    // The remote block of a ticket for another center, and the center a wrong-center
    // error names, are documented with the answers that carry them.
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas["TicketIssued"]["properties"]["remote"].is_object(),
        "{}",
        schemas["TicketIssued"]
    );
    for field in ["center", "origin", "check_in_deadline", "checked_in"] {
        assert!(
            schemas["RemoteTicket"]["properties"][field].is_object(),
            "RemoteTicket.{field}"
        );
    }
    assert!(schemas["ErrorBody"]["properties"]["center"].is_object());
    assert!(schemas["CenterRef"]["properties"]["address"].is_object());
    assert!(paths.contains_key("/api/kiosk/check-in"));
}

#[tokio::test]
async fn a_ticket_from_kiosk_to_finish_records_every_actor() {
    let app = app().await;
    let issued = app.issue(2, 1, None).await;
    assert_eq!(issued["ticket"]["number"], 1001);
    assert_eq!(issued["ticket"]["state"], "waiting");
    assert_eq!(issued["wait"]["people_ahead"], 0);
    let id = issued["ticket"]["id"].as_i64().unwrap();
    let secret = issued["secret"].as_str().unwrap();
    assert!(issued["tracking_url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/t/{id}?s={secret}")));

    let (status, st) = app.get(&format!("/api/tickets/{id}?secret={secret}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(st["ticket"]["procedure_name_vi"], "Đăng ký khai sinh");

    let token = app.login("honggai.canbo1").await;
    let counter = app.counter_id(2, 1);
    let (status, called) = app
        .call(
            "POST",
            &format!("/api/counters/{counter}/call-next"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{called}");
    assert_eq!(called["ticket"]["number"], 1001);
    assert_eq!(called["ticket"]["counter_number"], 1);

    let body = || Some(json!({"ticket_id": id}));
    let (status, err) = app
        .call(
            "POST",
            &format!("/api/counters/{counter}/finish"),
            Some(&token),
            body(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "finishing a called ticket before start"
    );
    assert_eq!(err["error"], "illegal_transition");
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/counters/{counter}/recall"),
            Some(&token),
            body(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/counters/{counter}/start"),
            Some(&token),
            body(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.clock.advance_minutes(7);
    let (status, done) = app
        .call(
            "POST",
            &format!("/api/counters/{counter}/finish"),
            Some(&token),
            Some(json!({"ticket_id": id, "rating": "very_satisfied"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["state"], "done");

    let events: Vec<(String, Option<i64>, Option<i64>)> = app
        .state
        .store
        .read(move |c| {
            let mut s = c.prepare("SELECT action, account_id, kiosk_id FROM ticket_events WHERE ticket_id = ?1 ORDER BY id").unwrap();
            let rows = s.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
            Ok::<_, backend::error::ApiError>(rows.map(Result::unwrap).collect())
        })
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(actions, ["issue", "call", "recall", "start", "finish"]);
    assert_eq!(events[0].2, Some(2), "the kiosk issued it");
    assert!(
        events[1..].iter().all(|e| e.1.is_some()),
        "every counter action names the account"
    );

    // The event log is append-only.
    let tampered = app
        .state
        .store
        .write(|c| {
            c.execute("UPDATE ticket_events SET action = 'x'", [])
                .map_err(backend::error::ApiError::from)
        })
        .await;
    assert!(tampered.is_err());
}

#[tokio::test]
async fn bad_input_gets_precise_errors() {
    let app = app().await;
    let token = app.login("honggai.canbo1").await;
    let counter = app.counter_id(2, 1);
    let kiosk = Some("demo-kiosk-2");
    let other_center = format!("/api/counters/{}/call-next", app.counter_id(1, 1));
    let start = format!("/api/counters/{counter}/start");
    let call = format!("/api/counters/{counter}/call-next");
    let transfer = format!("/api/counters/{counter}/transfer");
    let cases: Vec<(&str, &str, Option<&str>, Option<Value>, StatusCode, &str)> = vec![
        (
            "GET",
            "/api/centers/999",
            None,
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            "/api/procedures/999999",
            None,
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            "/api/procedures?limit=0",
            None,
            None,
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "GET",
            "/api/procedures?limit=abc",
            None,
            None,
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "GET",
            "/api/centers/abc",
            None,
            None,
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            None,
            Some(json!({"procedure_id": 1})),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            Some("wrong"),
            Some(json!({"procedure_id": 1})),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            kiosk,
            Some(json!({"procedure_id": 999999})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            kiosk,
            Some(json!({"procedure_id": "one"})),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            kiosk,
            Some(json!({"procedure_id": 1, "priority": "vip"})),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            kiosk,
            Some(json!({})),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "POST",
            "/api/kiosk/tickets",
            kiosk,
            Some(json!({"procedure_id": 1, "for_center_id": 999})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "POST",
            "/api/counters/999/call-next",
            Some(&token),
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "POST",
            &other_center,
            Some(&token),
            None,
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            "POST",
            &start,
            Some(&token),
            Some(json!({"ticket_id": 424242})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "POST",
            &call,
            Some("expired-or-made-up"),
            None,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"username": "honggai.canbo1", "password": "nope"})),
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        ),
        (
            "POST",
            &transfer,
            Some(&token),
            Some(json!({"ticket_id": 1})),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "GET",
            "/api/no/such/thing",
            None,
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ];
    for (method, path, tok, body, status, code) in cases {
        let (got, body_json) = app.call(method, path, tok, body).await;
        assert_eq!(got, status, "{method} {path}: {body_json}");
        assert_eq!(body_json["error"], code, "{method} {path}");
        assert!(!body_json["message"].as_str().unwrap().is_empty());
    }
    // Malformed JSON and a body that is too large.
    let req = Request::post("/api/kiosk/tickets")
        .header("authorization", "Bearer demo-kiosk-2")
        .header("content-type", "application/json")
        .body(Body::from("{\"procedure_id\": 1"))
        .unwrap();
    assert_eq!(app.raw(req).await.0, StatusCode::BAD_REQUEST);
    let big = format!(
        "{{\"procedure_id\": 1, \"pad\": \"{}\"}}",
        "x".repeat(100_000)
    );
    let req = Request::post("/api/kiosk/tickets")
        .header("authorization", "Bearer demo-kiosk-2")
        .header("content-type", "application/json")
        .body(Body::from(big))
        .unwrap();
    let (status, body) = app.raw(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"], "payload_too_large");
    // Nothing was half-written by any of the rejected requests.
    let (_, queue) = app.get("/api/centers/2/queue").await;
    assert_eq!(queue["waiting"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn priority_first_with_interleaving_then_oldest_first() {
    let app = app().await;
    let hotich = 1; // Đăng ký khai sinh, field Hộ tịch.
    let mut numbers = Vec::new();
    for p in [
        None,
        None,
        Some("elderly"),
        Some("pregnant"),
        Some("disability"),
        Some("meritorious_service"),
        None,
    ] {
        numbers.push(
            app.issue(2, hotich, p).await["ticket"]["number"]
                .as_u64()
                .unwrap(),
        );
        app.clock.advance_minutes(1);
    }
    assert_eq!(numbers, [1001, 1002, 1003, 1004, 1005, 1006, 1007]);
    let token = app.login("honggai.canbo1").await;
    let counter = app.counter_id(2, 1);
    let mut order = Vec::new();
    loop {
        let (status, called) = app
            .call(
                "POST",
                &format!("/api/counters/{counter}/call-next"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let Some(t) = called["ticket"].as_object() else {
            break;
        };
        order.push(t["number"].as_u64().unwrap());
        let id = t["id"].as_i64().unwrap();
        app.call(
            "POST",
            &format!("/api/counters/{counter}/no-show"),
            Some(&token),
            Some(json!({"ticket_id": id})),
        )
        .await;
    }
    // Three priority tickets, then the oldest normal one, then the rest.
    assert_eq!(order, [1003, 1004, 1005, 1001, 1006, 1002, 1007]);
}

#[tokio::test]
async fn transfer_keeps_the_original_issue_time_and_number() {
    let app = app().await;
    let first = app.issue(2, 1, None).await;
    app.clock.advance_minutes(10);
    let chungthuc = app.procedure_of_field("CT").await;
    let later = app.issue(2, chungthuc, None).await;
    let token = app.login("honggai.canbo1").await;
    let c1 = app.counter_id(2, 1);
    let (_, called) = app
        .call(
            "POST",
            &format!("/api/counters/{c1}/call-next"),
            Some(&token),
            None,
        )
        .await;
    let id = called["ticket"]["id"].as_i64().unwrap();
    assert_eq!(id, first["ticket"]["id"].as_i64().unwrap());
    let ct_field = later["ticket"]["field_id"].as_i64().unwrap();
    let (status, moved) = app
        .call(
            "POST",
            &format!("/api/counters/{c1}/transfer"),
            Some(&token),
            Some(json!({"ticket_id": id, "field_id": ct_field})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["state"], "waiting");
    assert_eq!(moved["number"], first["ticket"]["number"]);
    assert_eq!(moved["issued_at"], first["ticket"]["issued_at"]);
    // Counter 3 serves Chứng thực: the transferred ticket (issued earlier) goes first.
    let token3 = app.login("honggai.canbo3").await;
    let c3 = app.counter_id(2, 3);
    let (_, next) = app
        .call(
            "POST",
            &format!("/api/counters/{c3}/call-next"),
            Some(&token3),
            None,
        )
        .await;
    assert_eq!(next["ticket"]["id"].as_i64(), Some(id));
}

#[tokio::test]
async fn closed_center_refuses_tickets_and_the_day_resets() {
    let app = app().await;
    assert_eq!(app.issue(2, 1, None).await["ticket"]["number"], 1001);
    assert_eq!(app.issue(2, 1, None).await["ticket"]["number"], 1002);
    // Lunch break: closed.
    app.clock.advance_minutes(3 * 60);
    let (status, body) = app
        .call(
            "POST",
            "/api/kiosk/tickets",
            Some("demo-kiosk-2"),
            Some(json!({"procedure_id": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "center_closed");
    let (_, me) = app
        .call("GET", "/api/kiosk/me", Some("demo-kiosk-2"), None)
        .await;
    assert_eq!(me["center"]["open_now"], false);
    // Next morning: yesterday's tickets expire, numbering starts again.
    app.clock.advance_minutes(21 * 60);
    let expired = backend::service::daily_reset(&app.state).await.unwrap();
    assert_eq!(expired, 2);
    assert_eq!(app.issue(2, 1, None).await["ticket"]["number"], 1001);
    let (_, queue) = app.get("/api/centers/2/queue").await;
    assert_eq!(queue["waiting"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn numbering_is_per_center_and_series() {
    let app = app().await;
    let ct = app.procedure_of_field("CT").await;
    assert_eq!(app.issue(2, 1, None).await["ticket"]["number"], 1001);
    assert_eq!(app.issue(2, ct, None).await["ticket"]["number"], 2001);
    assert_eq!(app.issue(2, 1, None).await["ticket"]["number"], 1002);
    assert_eq!(app.issue(3, 1, None).await["ticket"]["number"], 1001);
}

#[tokio::test]
async fn wait_estimates_learn_from_finished_tickets() {
    let app = app().await;
    let token = app.login("honggai.canbo1").await;
    let c1 = app.counter_id(2, 1);
    // One counter open, serving 12-minute tickets.
    for _ in 0..3 {
        let t = app.issue(2, 1, None).await;
        let id = t["ticket"]["id"].as_i64().unwrap();
        app.call(
            "POST",
            &format!("/api/counters/{c1}/call-next"),
            Some(&token),
            None,
        )
        .await;
        app.call(
            "POST",
            &format!("/api/counters/{c1}/start"),
            Some(&token),
            Some(json!({"ticket_id": id})),
        )
        .await;
        app.clock.advance_minutes(12);
        app.call(
            "POST",
            &format!("/api/counters/{c1}/finish"),
            Some(&token),
            Some(json!({"ticket_id": id})),
        )
        .await;
    }
    for _ in 0..4 {
        app.issue(2, 1, None).await;
    }
    let (_, preview) = app
        .call(
            "GET",
            "/api/kiosk/preview?procedure_id=1",
            Some("demo-kiosk-2"),
            None,
        )
        .await;
    let wait = &preview["wait"];
    assert_eq!(wait["people_ahead"], 4);
    assert_eq!(wait["counters_open"], 1);
    // Learned mean (3×12 + 5×8)/8 = 9.5 min; the one counter is free and calls the four
    // ahead in turn (the projection of core::estimate), so the newcomer's turn comes after
    // 4 × 9.5 = 38 minutes.
    assert_eq!(wait["minutes"], 38);
    assert!(
        wait["low_minutes"].as_u64().unwrap() < 38 && wait["high_minutes"].as_u64().unwrap() > 38
    );
}

#[tokio::test]
async fn wrong_secret_looks_like_an_unknown_ticket() {
    let app = app().await;
    let t = app.issue(2, 1, None).await;
    let id = t["ticket"]["id"].as_i64().unwrap();
    let (s1, b1) = app.get(&format!("/api/tickets/{id}?secret=AAAAAAAA")).await;
    let (s2, b2) = app.get("/api/tickets/99999?secret=AAAAAAAA").await;
    assert_eq!(s1, StatusCode::NOT_FOUND);
    assert_eq!((s1, b1["error"].clone()), (s2, b2["error"].clone()));
}

#[tokio::test]
async fn sessions_expire() {
    let app = app().await;
    let token = app.login("honggai.quanly").await;
    let (status, me) = app.call("GET", "/api/auth/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["role"], "center_manager");
    app.clock.advance_minutes(13 * 60);
    let (status, _) = app.call("GET", "/api/auth/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_and_names_line_and_column() {
    let app = app().await;
    let admin = app.login("admin").await;
    let header = "code,name_vi,name_en,field_code,level,agency,non_territorial,processing_time,processing_unit,has_fees,online_level";
    let bad = format!("{header}\nQN-NEW-1,Thủ tục mới,New procedure,HT,commune,UBND cấp xã,true,3,days,false,2\nQN-NEW-2,Thủ tục hỏng,Broken,NOPE,commune,UBND cấp xã,true,3,days,false,2\n");
    let post = |body: String, token: String| {
        Request::post("/api/catalogue/import")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/csv")
            .body(Body::from(body))
            .unwrap()
    };
    let (status, err) = app.raw(post(bad, admin.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let msg = err["message"].as_str().unwrap();
    assert!(
        msg.contains("line 3") && msg.contains("field_code"),
        "{msg}"
    );
    let (_, stats) = app.get("/api/catalogue/stats").await;
    assert_eq!(
        stats["total"], 1823,
        "nothing imported from a file with an error"
    );

    let good = format!(
        "{header}\nQN-NEW-1,Thủ tục mới,New procedure,HT,commune,UBND cấp xã,true,3,days,false,2\n"
    );
    let (status, ok) = app.raw(post(good.clone(), admin)).await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    assert_eq!(ok["imported"], 1);
    let (_, found) = app.get("/api/procedures?q=thu%20tuc%20moi").await;
    assert_eq!(found["items"][0]["code"], "QN-NEW-1");

    let staff = app.login("honggai.canbo1").await;
    assert_eq!(app.raw(post(good, staff)).await.0, StatusCode::FORBIDDEN);
}

/// `--field-target`: targets are stored in the database, hold for later starts, steer the
/// hint, and a wrong code or value stops the start with a message naming it.
#[tokio::test]
async fn field_targets_are_stored_and_used() {
    use std::sync::Arc;

    use backend::core::{Clock, ManualClock};
    use backend::state::{AppState, Settings};

    let with = |targets: Vec<(&str, u32)>| Settings {
        field_targets: targets
            .into_iter()
            .map(|(c, m)| (c.to_string(), m))
            .collect(),
        ..Settings::default()
    };
    let target_of = |state: &AppState, code: &str| {
        let f = state.dir.fields.iter().find(|f| f.code == code).unwrap();
        (f.target_min, state.dir.targets.target_min(f.id))
    };

    let app = util::app_with(with(vec![("HT", 20), ("DD", 90)])).await;
    assert_eq!(target_of(&app.state, "HT"), (20.0, 20.0));
    assert_eq!(target_of(&app.state, "DD"), (90.0, 90.0));
    // A field not set keeps the default by its code.
    assert_eq!(target_of(&app.state, "CT"), (15.0, 15.0));
    assert_eq!(target_of(&app.state, "XD"), (45.0, 45.0));

    // The manager's hint reports the stored target.
    let token = app.login("honggai.quanly").await;
    let hong_gai = app
        .state
        .dir
        .centers
        .iter()
        .find(|c| c.code == "HONGGAI")
        .unwrap()
        .id;
    let (status, hint) = app
        .call(
            "GET",
            &format!("/api/centers/{hong_gai}/hint"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{hint}");
    let ht = app
        .state
        .dir
        .fields
        .iter()
        .find(|f| f.code == "HT")
        .unwrap()
        .id;
    let row = hint["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field_id"] == ht)
        .expect("the hint lists every field the center serves");
    assert_eq!(row["target_min"], 20, "{hint}");

    // A later start on the same file without the flag keeps what was stored.
    let util::App {
        state, router, dir, ..
    } = app;
    drop(router);
    drop(state);
    let db = dir.path().join("q.sqlite");
    let clock = || Arc::new(ManualClock::at_local(2026, 12, 7, 9, 0)) as Arc<dyn Clock>;
    let again = backend::open_state(&db, clock(), Settings::default(), true)
        .await
        .unwrap();
    assert_eq!(target_of(&again, "HT"), (20.0, 20.0));
    drop(again);

    for (targets, message) in [
        (vec![("XX", 20)], "no field has the code XX"),
        (vec![("HT", 0)], "minutes must be 1 to 480"),
        (vec![("HT", 481)], "minutes must be 1 to 480"),
    ] {
        let err = backend::open_state(&db, clock(), with(targets), true)
            .await
            .err()
            .expect("a wrong target must stop the start");
        assert!(format!("{err:#}").contains(message), "{err:#}");
    }
}
