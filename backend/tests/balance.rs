//! Cross-center balancing through the HTTP API: suggestions at a crowded center, remote
//! tickets placed by issue time plus travel, check-in, expiry, and the manager's hint.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use backend::core::clock::rfc3339;
use backend::core::ManualClock;
use backend::service::{self, REMOTE_CHECK_IN_GRACE_MIN};
use backend::state::{AppState, Settings};

struct World {
    _dir: tempfile::TempDir,
    state: AppState,
    clock: Arc<ManualClock>,
}

async fn world() -> World {
    world_with(Settings::default()).await
}

async fn world_with(settings: Settings) -> World {
    let dir = tempfile::tempdir().unwrap();
    // A Monday morning at 08:00 local time: every center is open by its own hours.
    let clock = Arc::new(ManualClock::at_local(2026, 12, 7, 8, 0));
    let state = backend::open_state(
        &dir.path().join("queue.sqlite"),
        clock.clone(),
        settings,
        true,
    )
    .await
    .unwrap();
    World {
        _dir: dir,
        state,
        clock,
    }
}

async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    kiosk_center: i64,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let token = backend::store::seed::demo_kiosk_token(kiosk_center);
    call_as(state, method, uri, Some(&token), body).await
}

/// A request with any bearer token (a kiosk's or a staff session's), or none.
async fn call_as(
    state: &AppState,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let resp = backend::api::router(state.clone())
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

/// A staff session token of a demo account.
async fn login(state: &AppState, username: &str) -> String {
    let (status, body) = call_as(
        state,
        "POST",
        "/api/auth/login",
        None,
        Some(json!({"username": username, "password": "demo"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

fn center_id(state: &AppState, code: &str) -> i64 {
    state
        .dir
        .centers
        .iter()
        .find(|c| c.code == code)
        .unwrap_or_else(|| panic!("no center {code}"))
        .id
}

fn field_id(state: &AppState, code: &str) -> i64 {
    state
        .dir
        .fields
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no field {code}"))
        .id
}

/// The ids of the accounts whose username is LIKE `pattern`, in order.
async fn account_ids(state: &AppState, pattern: &'static str) -> Vec<i64> {
    state
        .store
        .read(move |conn| {
            let mut stmt =
                conn.prepare("SELECT id FROM accounts WHERE username LIKE ?1 ORDER BY id")?;
            let ids = stmt
                .query_map([pattern], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok::<_, backend::store::StoreError>(ids)
        })
        .await
        .unwrap()
}

/// A non-territorial commune-level civil status procedure (Hộ tịch).
async fn civil_status_procedure(state: &AppState) -> i64 {
    two_civil_status_procedures(state).await.0
}

/// `n` citizens take a ticket for `procedure` at `center`'s kiosk.
async fn crowd(state: &AppState, center: i64, procedure: i64, n: usize) {
    for _ in 0..n {
        let (status, t) = issue(state, center, json!({ "procedure_id": procedure })).await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
    }
}

/// The kiosk's preview of `procedure` at `center`: the wait there and the suggestions.
async fn preview(state: &AppState, center: i64, procedure: i64) -> Value {
    let (status, preview) = call(
        state,
        "GET",
        &format!("/api/kiosk/preview?procedure_id={procedure}"),
        center,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    preview
}

async fn issue(state: &AppState, kiosk_center: i64, body: Value) -> (StatusCode, Value) {
    call(
        state,
        "POST",
        "/api/kiosk/tickets",
        kiosk_center,
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_crowded_center_suggests_a_quiet_neighbour_and_a_remote_ticket_keeps_its_place() {
    let w = world().await;
    let hong_gai = center_id(&w.state, "HONGGAI");
    let bai_chay = center_id(&w.state, "BAICHAY");
    let procedure = civil_status_procedure(&w.state).await;

    // Thirty citizens are already waiting for civil status at Hồng Gai.
    crowd(&w.state, hong_gai, procedure, 30).await;
    let preview = preview(&w.state, hong_gai, procedure).await;
    let stay = preview["wait"]["minutes"].as_u64().unwrap();
    let suggestions = preview["suggestions"].as_array().unwrap();
    assert!(
        !suggestions.is_empty(),
        "no suggestion at a crowded center: {preview}"
    );
    let best = &suggestions[0];
    let saving = best["saving_minutes"].as_u64().unwrap();
    assert!(saving >= 20 && saving as f64 >= 0.3 * stay as f64, "{best}");
    assert!(suggestions.len() <= 3);
    // A quiet center round the corner is among them.
    assert!(
        suggestions
            .iter()
            .any(|s| s["center_id"].as_i64() == Some(bai_chay)),
        "{preview}"
    );

    // The citizen takes a remote ticket for Bãi Cháy at 08:00.
    let issued_ms = w.state.now_ms();
    let (status, remote) = issue(
        &w.state,
        hong_gai,
        json!({ "procedure_id": procedure, "for_center_id": bai_chay }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{remote}");
    assert_eq!(remote["ticket"]["state"], "remote");
    assert_eq!(remote["ticket"]["center_id"].as_i64(), Some(bai_chay));
    let remote_id = remote["ticket"]["id"].as_i64().unwrap();
    let secret = remote["secret"].as_str().unwrap().to_string();
    let travel_min = w
        .state
        .settings
        .travel
        .minutes(
            {
                let c = w.state.dir.center(hong_gai).unwrap();
                (c.latitude, c.longitude)
            },
            {
                let c = w.state.dir.center(bai_chay).unwrap();
                (c.latitude, c.longitude)
            },
        )
        .ceil() as i64;
    assert!(travel_min > 2, "{travel_min}");

    // The answer says where to go and until when the place is kept: 08:00 plus travel
    // plus the grace period, in local time.
    let block = &remote["remote"];
    assert_eq!(block["center"]["id"].as_i64(), Some(bai_chay), "{remote}");
    let bai_chay_center = w.state.dir.center(bai_chay).unwrap();
    assert_eq!(block["center"]["name"], bai_chay_center.name.as_str());
    assert_eq!(block["center"]["address"], bai_chay_center.address.as_str());
    assert_eq!(block["origin"]["id"].as_i64(), Some(hong_gai));
    assert_eq!(block["travel_minutes"].as_i64(), Some(travel_min));
    assert_eq!(
        block["expected_arrival"],
        rfc3339(issued_ms + travel_min * 60_000).as_str()
    );
    let deadline = rfc3339(issued_ms + (travel_min + REMOTE_CHECK_IN_GRACE_MIN) * 60_000);
    assert_eq!(block["check_in_deadline"], deadline.as_str());
    assert!(
        deadline.starts_with("2026-12-07T") && deadline.ends_with("+07:00"),
        "{deadline}"
    );
    assert_eq!(block["checked_in"], false);
    assert!(block["checked_in_at"].is_null());

    // Two local citizens at Bãi Cháy: one before the remote ticket's place, one after.
    w.clock.advance_minutes(travel_min - 1);
    let (_, before) = issue(&w.state, bai_chay, json!({ "procedure_id": procedure })).await;
    w.clock.advance_minutes(2);
    let (_, after) = issue(&w.state, bai_chay, json!({ "procedure_id": procedure })).await;

    // Checking in at the wrong center is refused with the right center's name.
    let body = json!({ "ticket_id": remote_id, "secret": secret });
    let (status, err) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        hong_gai,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"], "wrong_center");
    assert_eq!(err["center"]["id"].as_i64(), Some(bai_chay), "{err}");
    assert_eq!(err["center"]["name"], bai_chay_center.name.as_str());
    assert_eq!(err["center"]["address"], bai_chay_center.address.as_str());
    // A wrong secret looks like no ticket at all.
    let (status, _) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(json!({ "ticket_id": remote_id, "secret": "WRONG123" })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The citizen arrives three minutes late and checks in: the place is issue + travel.
    w.clock.advance_minutes(2);
    let (status, checked) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{checked}");
    assert_eq!(checked["ticket"]["state"], "waiting");
    assert_eq!(checked["wait"]["people_ahead"].as_u64(), Some(1));
    assert_eq!(checked["remote"]["checked_in"], true, "{checked}");
    assert_eq!(
        checked["remote"]["checked_in_at"],
        rfc3339(w.state.now_ms()).as_str()
    );
    assert_eq!(checked["remote"]["check_in_deadline"], deadline.as_str());
    let queue_ms: i64 = w
        .state
        .store
        .read(move |conn| {
            conn.query_row(
                "SELECT queue_ms FROM tickets WHERE id = ?1",
                [remote_id],
                |r| r.get(0),
            )
            .map_err(backend::store::StoreError::from)
        })
        .await
        .unwrap();
    assert_eq!(queue_ms, issued_ms + travel_min * 60_000);
    // A second scan answers the same ticket without moving it.
    let (status, again) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["ticket"]["id"], checked["ticket"]["id"]);
    assert_eq!(again["remote"], checked["remote"]);

    // A local ticket scanned at its own center's kiosk answers its status, unchanged;
    // the same ticket at another center is refused with its center.
    let local = json!({ "ticket_id": before["ticket"]["id"], "secret": before["secret"] });
    let (status, seen) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(local.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["ticket"]["id"], before["ticket"]["id"]);
    assert_eq!(seen["ticket"]["state"], "waiting");
    assert!(seen["remote"].is_null(), "{seen}");
    let (status, err) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        hong_gai,
        Some(local),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["center"]["id"].as_i64(), Some(bai_chay), "{err}");
    // The local issue answer has no remote block.
    assert!(before["remote"].is_null(), "{before}");

    // A Bãi Cháy officer calls: the early local, then the remote ticket, then the late local.
    let account = account_ids(&w.state, "baichay.canbo1").await[0];
    let counter = w
        .state
        .dir
        .counters_for(bai_chay, field_id(&w.state, "HT"))
        .next()
        .unwrap()
        .id;
    let mut order = Vec::new();
    for _ in 0..3 {
        let t = service::call_next(&w.state, account, counter)
            .await
            .unwrap()
            .expect("a ticket to call");
        order.push(t.id);
        service::counter_action(
            &w.state,
            account,
            counter,
            t.id,
            service::CounterAction::NoShow,
        )
        .await
        .unwrap();
    }
    assert_eq!(
        order,
        vec![
            before["ticket"]["id"].as_i64().unwrap(),
            remote_id,
            after["ticket"]["id"].as_i64().unwrap()
        ]
    );
}

#[tokio::test]
async fn a_remote_ticket_expires_after_its_window_and_territorial_ones_stay() {
    let w = world().await;
    let hong_gai = center_id(&w.state, "HONGGAI");
    let bai_chay = center_id(&w.state, "BAICHAY");
    let procedure = civil_status_procedure(&w.state).await;
    let (status, remote) = issue(
        &w.state,
        hong_gai,
        json!({ "procedure_id": procedure, "for_center_id": bai_chay }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let body = json!({ "ticket_id": remote["ticket"]["id"], "secret": remote["secret"] });
    w.clock.advance_minutes(60 + REMOTE_CHECK_IN_GRACE_MIN);
    let (status, err) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"], "expired");
    let (status, err) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(body),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a later scan is told the same: {err}"
    );
    assert_eq!(err["error"], "expired");

    // A territorial procedure is never sent elsewhere, even when asked.
    let territorial: i64 = w
        .state
        .store
        .read(|conn| {
            conn.query_row(
                "SELECT id FROM procedures WHERE non_territorial = 0 AND level = 'commune' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .map_err(backend::store::StoreError::from)
        })
        .await
        .unwrap();
    let (status, err) = issue(
        &w.state,
        hong_gai,
        json!({ "procedure_id": territorial, "for_center_id": bai_chay }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
}

#[tokio::test]
async fn the_hint_names_the_field_that_needs_a_counter() {
    let w = world().await;
    let hong_gai = center_id(&w.state, "HONGGAI");
    let procedure = civil_status_procedure(&w.state).await;
    let manager = login(&w.state, "honggai.quanly").await;
    let (status, quiet) = call_as(
        &w.state,
        "GET",
        &format!("/api/centers/{hong_gai}/hint"),
        Some(&manager),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{quiet}");
    assert!(quiet["move_to_field_id"].is_null(), "{quiet}");
    assert_eq!(
        quiet["message_en"], "Every field is within its target wait.",
        "{quiet}"
    );

    // Hồng Gai's officers sign in at every counter; then civil status gets crowded.
    let accounts = account_ids(&w.state, "honggai.canbo%").await;
    let counters: Vec<i64> = w.state.dir.counters_of(hong_gai).map(|c| c.id).collect();
    for (account, counter) in accounts.iter().zip(counters.iter().rev()) {
        service::open_counter(&w.state, *account, *counter)
            .await
            .unwrap();
    }
    crowd(&w.state, hong_gai, procedure, 25).await;
    let (status, hint) = call_as(
        &w.state,
        "GET",
        &format!("/api/centers/{hong_gai}/hint"),
        Some(&manager),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ht = field_id(&w.state, "HT");
    assert_eq!(hint["move_to_field_id"].as_i64(), Some(ht), "{hint}");
    assert_eq!(
        hint["center_name"],
        w.state.dir.center(hong_gai).unwrap().name
    );
    assert!(hint["message_vi"].as_str().unwrap().contains("Hộ tịch"));
    assert!(
        hint["message_en"]
            .as_str()
            .unwrap()
            .contains("Civil status"),
        "{hint}"
    );
    // The field's row: everyone waiting, no counter of its two open, over target.
    let row = hint["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field_id"].as_i64() == Some(ht))
        .unwrap();
    assert_eq!(row["waiting"], 25, "{row}");
    assert_eq!(row["counters_open"], 0, "{row}");
    assert_eq!(row["counters_total"], 2, "{row}");
    assert!(row["expected_wait_min"].is_null(), "{row}");
    assert_eq!(row["over_target"], true, "{row}");
    let over: Vec<&Value> = hint["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["over_target"] == true)
        .collect();
    assert_eq!(over.len(), 1, "only civil status is over target: {hint}");
}

/// The hint is for the people who run a center: its staff and provincial accounts. The
/// province-wide list holds only the centers that need a counter moved, worst first.
#[tokio::test]
async fn hints_are_for_the_center_s_staff_and_the_province_worst_first() {
    let w = world().await;
    let hong_gai = center_id(&w.state, "HONGGAI");
    let bai_chay = center_id(&w.state, "BAICHAY");
    let procedure = civil_status_procedure(&w.state).await;
    // Both centers have civil status waiting and no counter open; Hồng Gai has more.
    crowd(&w.state, hong_gai, procedure, 12).await;
    crowd(&w.state, bai_chay, procedure, 3).await;
    let manager = login(&w.state, "honggai.quanly").await;
    let officer = login(&w.state, "honggai.canbo1").await;
    let province = login(&w.state, "tinh.quanly").await;
    let kiosk = backend::store::seed::demo_kiosk_token(hong_gai);
    let hint = |c: i64| format!("/api/centers/{c}/hint");
    let cases: Vec<(String, Option<&str>, StatusCode)> = vec![
        (hint(hong_gai), None, StatusCode::UNAUTHORIZED),
        (
            hint(hong_gai),
            Some("not-a-session"),
            StatusCode::UNAUTHORIZED,
        ),
        (hint(hong_gai), Some(&kiosk), StatusCode::UNAUTHORIZED),
        (hint(hong_gai), Some(&manager), StatusCode::OK),
        (hint(hong_gai), Some(&officer), StatusCode::OK),
        (hint(bai_chay), Some(&manager), StatusCode::FORBIDDEN),
        (hint(bai_chay), Some(&officer), StatusCode::FORBIDDEN),
        (hint(bai_chay), Some(&province), StatusCode::OK),
        (hint(999), Some(&province), StatusCode::NOT_FOUND),
        ("/api/hints".into(), None, StatusCode::UNAUTHORIZED),
        ("/api/hints".into(), Some(&kiosk), StatusCode::UNAUTHORIZED),
    ];
    for (uri, token, expected) in cases {
        let (status, body) = call_as(&w.state, "GET", &uri, token, None).await;
        assert_eq!(status, expected, "{uri} with {token:?}: {body}");
    }

    let centers = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|h| h["center_id"].as_i64().unwrap())
            .collect()
    };
    let (status, all) = call_as(&w.state, "GET", "/api/hints", Some(&province), None).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(centers(&all), vec![hong_gai, bai_chay], "{all}");
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|h| !h["move_to_field_id"].is_null()));
    let (_, mine) = call_as(&w.state, "GET", "/api/hints", Some(&manager), None).await;
    assert_eq!(centers(&mine), vec![hong_gai], "{mine}");
    let quiet = login(&w.state, "uongbi.quanly").await;
    let (status, none) = call_as(&w.state, "GET", "/api/hints", Some(&quiet), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(none, json!([]));

    // The OpenAPI document says so, and describes the new fields.
    let (_, doc) = call_as(&w.state, "GET", "/api/openapi.json", None, None).await;
    for path in ["/api/centers/{id}/hint", "/api/hints"] {
        let get = &doc["paths"][path]["get"];
        assert_eq!(get["security"], json!([{"bearer": []}]), "{path}: {get}");
        assert!(get["responses"]["401"].is_object(), "{path}: {get}");
    }
    let schemas = &doc["components"]["schemas"];
    for (schema, property) in [
        ("CenterHint", "center_name"),
        ("CenterHint", "message_en"),
        ("FieldLoad", "field_name_en"),
        ("FieldLoad", "counters_total"),
        ("FieldLoad", "over_target"),
    ] {
        assert!(
            schemas[schema]["properties"][property].is_object(),
            "{schema}.{property} missing: {}",
            schemas[schema]
        );
    }
}

/// `--check-in-window-min`: the window is the server's setting, in the deadline the kiosk
/// prints and in when the ticket expires.
#[tokio::test]
async fn the_check_in_window_is_a_setting() {
    let w = world_with(Settings {
        check_in_window_min: 10,
        ..Settings::default()
    })
    .await;
    let hong_gai = center_id(&w.state, "HONGGAI");
    let bai_chay = center_id(&w.state, "BAICHAY");
    let procedure = civil_status_procedure(&w.state).await;
    let issued_ms = w.state.now_ms();
    let (status, remote) = issue(
        &w.state,
        hong_gai,
        json!({ "procedure_id": procedure, "for_center_id": bai_chay }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{remote}");
    let travel = remote["remote"]["travel_minutes"].as_i64().unwrap();
    assert_eq!(
        remote["remote"]["check_in_deadline"],
        rfc3339(issued_ms + (travel + 10) * 60_000).as_str()
    );
    let body = json!({ "ticket_id": remote["ticket"]["id"], "secret": remote["secret"] });
    // Eleven minutes after the expected arrival the place is gone.
    w.clock.advance_minutes(travel + 11);
    let (status, err) = call(
        &w.state,
        "POST",
        "/api/kiosk/check-in",
        bai_chay,
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"], "expired");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("within 10 minutes"),
        "{err}"
    );
}

#[tokio::test]
async fn a_travel_table_overrides_coordinates_and_a_center_without_a_route_is_never_suggested() {
    // A new database starts with the demo province's island routes: Cô Tô, Vĩnh Thực and
    // Cái Chiên have none to any of the other centers, either way (55·54 − 52·51 pairs).
    let demo = world().await;
    assert_eq!(demo.state.dir.travel.len(), 318);
    let co_to = center_id(&demo.state, "COTO");
    let van_don = center_id(&demo.state, "VANDON");
    assert_eq!(
        demo.state
            .dir
            .travel_minutes(&demo.state.settings.travel, van_don, co_to),
        None
    );
    drop(demo);

    // A province's own table: Bãi Cháy cannot be reached from Hồng Gai today (a closed
    // bridge), and Hạ Long is a minute away whatever the map says.
    let w = world_with(Settings {
        travel_times: Some(
            "# closures today\nBAICHAY,HONGGAI,none\nHONGGAI,HALONG,1 # next door\n".into(),
        ),
        ..Settings::default()
    })
    .await;
    assert_eq!(w.state.dir.travel.len(), 4, "the table replaces the demo's");
    let hong_gai = center_id(&w.state, "HONGGAI");
    let bai_chay = center_id(&w.state, "BAICHAY");
    let ha_long = center_id(&w.state, "HALONG");
    let procedure = civil_status_procedure(&w.state).await;
    crowd(&w.state, hong_gai, procedure, 30).await;
    let preview = preview(&w.state, hong_gai, procedure).await;
    let suggestions = preview["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty(), "{preview}");
    assert!(
        suggestions
            .iter()
            .all(|s| s["center_id"].as_i64() != Some(bai_chay)),
        "a center without a route was suggested: {preview}"
    );
    assert_eq!(
        suggestions[0]["center_id"].as_i64(),
        Some(ha_long),
        "{preview}"
    );
    assert_eq!(
        suggestions[0]["travel_minutes"].as_u64(),
        Some(1),
        "{preview}"
    );

    // A remote ticket for a center without a route is refused, and nothing is issued.
    let before: i64 = count_tickets(&w.state, bai_chay).await;
    let (status, err) = issue(
        &w.state,
        hong_gai,
        json!({ "procedure_id": procedure, "for_center_id": bai_chay }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"], "no_route", "{err}");
    assert_eq!(count_tickets(&w.state, bai_chay).await, before);
    // The table's minutes place a remote ticket: issue time plus one minute.
    let issued_ms = w.state.now_ms();
    let (status, remote) = issue(
        &w.state,
        hong_gai,
        json!({ "procedure_id": procedure, "for_center_id": ha_long }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{remote}");
    assert_eq!(remote["remote"]["travel_minutes"].as_i64(), Some(1));
    assert_eq!(
        remote["remote"]["expected_arrival"],
        rfc3339(issued_ms + 60_000).as_str()
    );
}

async fn count_tickets(state: &AppState, center: i64) -> i64 {
    state
        .store
        .read(move |conn| {
            conn.query_row(
                "SELECT COUNT(*) FROM tickets WHERE center_id = ?1",
                [center],
                |r| r.get(0),
            )
            .map_err(backend::store::StoreError::from)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_wrong_travel_table_stops_the_start_and_names_the_line() {
    // (file, what the error says)
    let cases = [
        (
            "HONGGAI,BAICHAY,12\nHONGGAI,NOWHERE,5\n",
            "line 2: no center has the code NOWHERE",
        ),
        (
            "HONGGAI,BAICHAY,0\n",
            "line 1: minutes must be 1 to 600 or none",
        ),
        ("HONGGAI;BAICHAY;12\n", "line 1: expected FROM,TO,MINUTES"),
    ];
    for (text, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        let result = backend::open_state(
            &dir.path().join("queue.sqlite"),
            Arc::new(ManualClock::at_local(2026, 12, 7, 8, 0)),
            Settings {
                travel_times: Some(text.into()),
                ..Settings::default()
            },
            true,
        )
        .await;
        let error = match result {
            Ok(_) => panic!("{text:?} was accepted"),
            Err(e) => format!("{e:#}"),
        };
        assert!(
            error.contains("--travel-times") && error.contains(says),
            "{text:?}: {error}"
        );
    }
}

/// Two non-territorial civil status procedures of the commune level.
async fn two_civil_status_procedures(state: &AppState) -> (i64, i64) {
    let ids: Vec<i64> = state
        .store
        .read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT p.id FROM procedures p JOIN fields f ON f.id = p.field_id
                 WHERE f.code = 'HT' AND p.non_territorial = 1 AND p.level = 'commune'
                 ORDER BY p.generated, p.id LIMIT 2",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok::<_, backend::store::StoreError>(ids)
        })
        .await
        .unwrap();
    (ids[0], ids[1])
}

#[tokio::test]
async fn an_estimate_knows_which_procedures_take_longer() {
    let w = world_with(Settings {
        always_open: true,
        ..Settings::default()
    })
    .await;
    let hong_gai = center_id(&w.state, "HONGGAI");
    let (long, short) = two_civil_status_procedures(&w.state).await;
    let ht = field_id(&w.state, "HT");
    let counter = w.state.dir.counters_for(hong_gai, ht).next().unwrap().id;
    let officer = account_ids(&w.state, "honggai.canbo%").await[0];
    service::open_counter(&w.state, officer, counter)
        .await
        .unwrap();
    // Serves one citizen of `procedure` through the counter in `minutes`.
    let serve = |procedure: i64, minutes: i64| {
        let state = w.state.clone();
        let clock = w.clock.clone();
        async move {
            let (status, _) = issue(&state, hong_gai, json!({ "procedure_id": procedure })).await;
            assert_eq!(status, StatusCode::CREATED);
            let called = service::call_next(&state, officer, counter)
                .await
                .unwrap()
                .expect("a ticket to call");
            assert_eq!(called.procedure_id, procedure);
            service::counter_action(
                &state,
                officer,
                counter,
                called.id,
                service::CounterAction::Start,
            )
            .await
            .unwrap();
            clock.advance_minutes(minutes);
            service::counter_action(
                &state,
                officer,
                counter,
                called.id,
                service::CounterAction::Finish { rating: None },
            )
            .await
            .unwrap();
        }
    };
    // The counter's history: the first procedure takes 20 minutes, the second 4.
    for _ in 0..10 {
        serve(long, 20).await;
        serve(short, 4).await;
    }
    let wait_behind = |procedure: i64| {
        let state = w.state.clone();
        let clock = w.clock.clone();
        async move {
            // Past the factors' refresh, so the newest history counts.
            clock.advance_minutes(6);
            let mut ids = Vec::new();
            for _ in 0..3 {
                let (status, t) =
                    issue(&state, hong_gai, json!({ "procedure_id": procedure })).await;
                assert_eq!(status, StatusCode::CREATED, "{t}");
                ids.push(t["ticket"]["id"].as_i64().unwrap());
            }
            let preview = preview(&state, hong_gai, short).await;
            assert_eq!(preview["wait"]["people_ahead"], 3, "{preview}");
            // Clear the queue for the next question.
            for _ in &ids {
                let t = service::call_next(&state, officer, counter)
                    .await
                    .unwrap()
                    .unwrap();
                service::counter_action(
                    &state,
                    officer,
                    counter,
                    t.id,
                    service::CounterAction::Cancel,
                )
                .await
                .unwrap();
            }
            preview["wait"]["minutes"].as_u64().unwrap()
        }
    };
    // Three people ahead at one idle counter: the field's mean (10.4 minutes, learned and
    // shrunk towards the prior) would say about 31 minutes either way. Three of the long
    // procedure (factor 1.41, ten samples shrunk towards one) take about 44, three of the
    // short one (0.64) about 20.
    let behind_long = wait_behind(long).await;
    let behind_short = wait_behind(short).await;
    assert!(
        (40..=48).contains(&behind_long),
        "behind three long ones: {behind_long}"
    );
    assert!(
        (17..=23).contains(&behind_short),
        "behind three short ones: {behind_short}"
    );
}
