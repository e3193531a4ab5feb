//! In-process tests of the form API: each test opens a fresh SQLite file,
//! builds the full router of `ogkit serve` with the form routes and sends
//! requests with `oneshot`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::BodyExt as _;
use ogkit_core::form::{Date, HolidayRegion};
use ogkit_core::poll::Timestamp;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt as _;

use crate::guard::{hash_token, LOGGED_REJECTIONS_PER_MINUTE};
use crate::serve::{app_with_api, AllowedOrigin, ServeConfig};

use super::reference::utc_year;
use super::store::{now, FormStore as _, SqliteFormStore};
use super::{router, FormConfig, FormService};

const ADMIN_TOKEN: &str = "admin-token-for-tests-0123456789";

/// A bulky-waste pickup form: name, postcode, e-mail, one or more items
/// and a consent checkbox.
const SCHEMA: &str = r#"{
    "title": "Sperrmüll anmelden",
    "type": "object",
    "required": ["name", "plz", "email", "gegenstaende", "einverstanden"],
    "properties": {
        "name": { "type": "string", "title": "Name", "minLength": 2, "maxLength": 80 },
        "plz": { "type": "string", "title": "Postleitzahl", "format": "plz" },
        "email": { "type": "string", "title": "E-Mail", "format": "email" },
        "gegenstaende": {
            "type": "array",
            "title": "Gegenstände",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["bezeichnung"],
                "properties": {
                    "bezeichnung": { "type": "string", "title": "Bezeichnung" },
                    "anzahl": { "type": "integer", "title": "Anzahl", "minimum": 1 }
                }
            }
        },
        "einverstanden": { "type": "boolean", "title": "Einwilligung", "const": true }
    }
}"#;

/// A router on a temporary database with the form `sperrmuell`.
struct Fixture {
    root: TempDir,
    router: Router,
    service: Arc<FormService<SqliteFormStore>>,
}

impl Fixture {
    async fn new() -> Fixture {
        Fixture::with_config(FormConfig {
            form_origins: vec![AllowedOrigin::Origin(HeaderValue::from_static(
                "https://www.example-stadt.de",
            ))],
            admin_token_hash: Some(hash_token(ADMIN_TOKEN)),
            submission_rate_limit: 0,
        })
        .await
    }

    async fn with_config(config: FormConfig) -> Fixture {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let store = SqliteFormStore::open(&root.path().join("ogkit.sqlite")).await.expect("the database opens");
        store.register("sperrmuell", SCHEMA, now()).await.expect("the schema is registered");
        let service = FormService::new(store, config);
        let serve_config = ServeConfig {
            pkg_dir: root.path().join("pkg"),
            demo_dir: root.path().join("demo"),
            docs_dir: root.path().join("www"),
            allowed_origins: Vec::new(),
        };
        let router = app_with_api(&serve_config, router(Arc::clone(&service)));
        Fixture { root, router, service }
    }

    async fn send(&self, request: Request<Body>) -> Response {
        match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        json_of(self.send(Request::get(path).body(Body::empty()).expect("valid request")).await).await
    }

    async fn submit(&self, form_id: &str, body: &Value) -> (StatusCode, Value) {
        let path = format!("/api/v1/forms/{form_id}/submissions");
        json_of(self.send(post_request(&path, body.to_string())).await).await
    }

    async fn admin(&self, method: Method, path: &str, body: Option<&str>) -> Response {
        self.admin_with(method, path, body, Some(ADMIN_TOKEN)).await
    }

    async fn admin_with(&self, method: Method, path: &str, body: Option<&str>, token: Option<&str>) -> Response {
        let mut request = Request::builder().method(method).uri(path).header(CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = body.map_or_else(Body::empty, |body| Body::from(body.to_owned()));
        self.send(request.body(body).expect("valid request")).await
    }

    async fn count(&self, sql: &str) -> i64 {
        let pool = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(self.root.path().join("ogkit.sqlite")),
        )
        .await
        .expect("the database opens for reading");
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect("the count query runs");
        pool.close().await;
        count
    }
}

fn post_request(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path).header(CONTENT_TYPE, "application/json").body(body.into()).expect("valid request")
}

async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.into_body().collect().await.expect("the body can be read").to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

async fn text_of(response: Response) -> String {
    let bytes = response.into_body().collect().await.expect("the body can be read").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("the body is UTF-8")
}

/// Valid data for the test form.
fn valid_data() -> Value {
    json!({
        "name": "Erika Mustermann",
        "plz": "10115",
        "email": "erika@example.org",
        "gegenstaende": [{ "bezeichnung": "Sofa", "anzahl": 1 }, { "bezeichnung": "Schrank" }],
        "einverstanden": true,
    })
}

fn submission(id: &str, data: Value) -> Value {
    json!({ "submission_id": format!("test-submission-{id:0>8}"), "data": data })
}

/// Returns the number part of a reference such as `OG-2026-000123`, after
/// checking its shape and year.
fn reference_number(reference: &Value) -> i64 {
    let text = reference.as_str().expect("the reference is a string");
    let parts: Vec<&str> = text.split('-').collect();
    assert_eq!(parts.len(), 3, "{text}");
    assert_eq!(parts[0], "OG", "{text}");
    assert_eq!(parts[1], utc_year(now().as_unix_seconds()).to_string(), "{text}");
    assert_eq!(parts[2].len(), 6, "{text}");
    parts[2].parse().expect("the number part is a number")
}

mod when_submitting {
    use super::*;

    /// The demo's bulky-waste form, whose pickup date must be at least 3
    /// days from today (in Germany), within a year, Monday to Friday.
    const DEMO_PICKUP: &str = include_str!("../../../demo/formulare/sperrmuell-anmelden.json");

    fn pickup_data(date: &str) -> Value {
        json!({
            "name": "Erika Mustermann",
            "email": "erika@example.org",
            "adresse": { "strasse": "Lindenallee", "hausnummer": "12", "plz": "12345", "ort": "Musterstadt" },
            "wunschtermin": date,
            "abstellort": "gehweg",
            "gegenstaende": [{ "art": "moebel", "beschreibung": "Schrank", "anzahl": 1 }],
            "einwilligung": true,
        })
    }

    #[tokio::test]
    async fn english_messages_use_english_titles() {
        let fixture = Fixture::new().await;
        let response = fixture.admin(Method::PUT, "/api/v1/admin/forms/pickup", Some(DEMO_PICKUP)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let mut data = pickup_data("2000-01-03");
        data["name"] = json!("  ");

        let (status, body) = fixture.submit("pickup", &submission("1", data)).await;

        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let first = &body["violations"][0];
        assert_eq!(first["path"], "/name");
        assert_eq!(first["field"], "Vor- und Nachname");
        assert_eq!(first["message"], "“Full name” is missing: fill in this field.");
        assert_eq!(first["message_de"], "„Vor- und Nachname“ fehlt: Bitte füllen Sie dieses Feld aus.");
        assert!(body["violations"][1]["message"].as_str().is_some_and(|text| text.starts_with("“Preferred date”")), "{body}");
    }

    #[tokio::test]
    async fn relative_date_limits_use_today_in_berlin() {
        let fixture = Fixture::new().await;
        let response = fixture.admin(Method::PUT, "/api/v1/admin/forms/pickup", Some(DEMO_PICKUP)).await;
        assert_eq!(response.status(), StatusCode::CREATED);

        // A Monday in the past.
        let (status, body) = fixture.submit("pickup", &submission("1", pickup_data("2000-01-03"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let violations = body["violations"].as_array().expect("violations");
        assert_eq!(violations.len(), 1, "{body}");
        assert_eq!(violations[0]["path"], "/wunschtermin");
        assert_eq!(violations[0]["key"], "date_too_early");
        let today = Date::today_in_berlin(now().as_unix_seconds());
        let earliest = today.add_days(3).expect("a date");
        // The server's day may have moved on since `today` was read.
        let named = violations[0]["params"]["min"].as_str().expect("min");
        assert!(
            named == earliest.to_string() || Some(named.to_owned()) == earliest.add_days(1).map(|date| date.to_string()),
            "{named} is not three days after {today}"
        );

        // A Saturday and a weekday ten or more days ahead.
        let mut ahead = today.add_days(10).expect("a date");
        while ahead.weekday() != 6 {
            ahead = ahead.add_days(1).expect("a date");
        }
        let (status, body) = fixture.submit("pickup", &submission("2", pickup_data(&ahead.to_string()))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["violations"][0]["key"], "wrong_weekday");
        let monday = ahead.add_days(2).expect("a date");
        let (status, body) = fixture.submit("pickup", &submission("3", pickup_data(&monday.to_string()))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    #[tokio::test]
    async fn excluded_holiday_is_rejected() {
        let fixture = Fixture::new().await;
        let schema = DEMO_PICKUP.replace(r#""weekdays": [1, 2, 3, 4, 5]"#, r#""weekdays": [1, 2, 3, 4, 5], "exclude_holidays": "DE""#);
        assert_ne!(schema, DEMO_PICKUP, "the demo form lost its weekdays");
        let response = fixture.admin(Method::PUT, "/api/v1/admin/forms/pickup", Some(schema.as_str())).await;
        assert_eq!(response.status(), StatusCode::CREATED);

        // The first nationwide holiday on a weekday, ten or more days ahead;
        // Good Friday and Easter Monday come every year.
        let germany = HolidayRegion::parse("DE").expect("a region");
        let mut holiday = Date::today_in_berlin(now().as_unix_seconds()).add_days(10).expect("a date");
        while holiday.weekday() > 5 || germany.holiday(holiday).is_none() {
            holiday = holiday.add_days(1).expect("a date");
        }
        let (status, body) = fixture.submit("pickup", &submission("1", pickup_data(&holiday.to_string()))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let violations = body["violations"].as_array().expect("violations");
        assert_eq!(violations.len(), 1, "{body}");
        assert_eq!(violations[0]["key"], "public_holiday");
        assert_eq!(violations[0]["params"]["region"], "DE");
        let id = violations[0]["params"]["holiday"].as_str().expect("a holiday id");
        assert_eq!(Some(id), germany.holiday(holiday).map(|found| found.id()));
        let message = violations[0]["message"].as_str().expect("a message");
        assert!(message.contains("is a public holiday"), "{message}");

        let (status, body) = fixture.submit("pickup", &submission("2", pickup_data(&next_working_day(holiday, germany).to_string()))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    /// Returns the first day after `date` from Monday to Friday that is no
    /// holiday in `region`.
    fn next_working_day(date: Date, region: HolidayRegion) -> Date {
        let mut next = date.add_days(1).expect("a date");
        while next.weekday() > 5 || region.holiday(next).is_some() {
            next = next.add_days(1).expect("a date");
        }
        next
    }

    #[tokio::test]
    async fn valid_submission_gets_reference() {
        let fixture = Fixture::new().await;
        let (status, receipt) = fixture.submit("sperrmuell", &submission("1", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED, "{receipt}");
        assert_eq!(receipt["submission_id"], "test-submission-00000001");
        assert_eq!(reference_number(&receipt["reference"]), 1);

        let (status, second) = fixture.submit("sperrmuell", &submission("2", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(reference_number(&second["reference"]), 2);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 2);
    }

    #[tokio::test]
    async fn stored_data_is_normalised() {
        let fixture = Fixture::new().await;
        let mut data = valid_data();
        data["name"] = json!("  Erika Mustermann  ");
        data["unbekannt"] = json!("wird verworfen");
        let (status, _) = fixture.submit("sperrmuell", &submission("1", data)).await;
        assert_eq!(status, StatusCode::CREATED);
        let stored: Vec<String> = fixture.service.store.submissions("sperrmuell").await.expect("submissions load")
            .into_iter()
            .map(|stored| stored.data)
            .collect();
        assert_eq!(stored.len(), 1);
        assert!(stored[0].contains("\"name\":\"Erika Mustermann\""), "{}", stored[0]);
        assert!(!stored[0].contains("unbekannt"), "{}", stored[0]);
    }

    #[tokio::test]
    async fn replay_returns_same_reference() {
        let fixture = Fixture::new().await;
        let body = submission("1", valid_data());
        let (first_status, first) = fixture.submit("sperrmuell", &body).await;
        let (second_status, second) = fixture.submit("sperrmuell", &body).await;
        assert_eq!(first_status, StatusCode::CREATED);
        assert_eq!(second_status, StatusCode::OK);
        assert_eq!(first, second);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 1);
    }

    #[tokio::test]
    async fn replay_with_other_data_conflicts() {
        let fixture = Fixture::new().await;
        let (status, _) = fixture.submit("sperrmuell", &submission("1", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED);
        let mut changed = valid_data();
        changed["plz"] = json!("80331");
        let (status, body) = fixture.submit("sperrmuell", &submission("1", changed)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "submission_id_conflict");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 1);
    }

    #[tokio::test]
    async fn form_schema_is_served() {
        let fixture = Fixture::new().await;
        let (status, schema) = fixture.get("/api/v1/forms/sperrmuell").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(schema["title"], "Sperrmüll anmelden");
        let (status, body) = fixture.get("/api/v1/forms/gibt-es-nicht").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["code"], "form_not_found");
    }

    #[tokio::test]
    async fn allowlisted_origin_gets_cors() {
        let fixture = Fixture::new().await;
        let preflight = Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/forms/sperrmuell/submissions")
            .header(ORIGIN, "https://www.example-stadt.de")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .expect("valid request");
        let response = fixture.send(preflight).await;
        assert_eq!(
            response.headers().get("access-control-allow-origin").map(HeaderValue::as_bytes),
            Some(b"https://www.example-stadt.de".as_slice())
        );

        let mut request =
            post_request("/api/v1/forms/sperrmuell/submissions", submission("1", valid_data()).to_string());
        request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://www.example-stadt.de"));
        let (status, _) = json_of(fixture.send(request).await).await;
        assert_eq!(status, StatusCode::CREATED);
    }

    #[tokio::test]
    async fn references_never_repeat_after_purge() {
        let fixture = Fixture::new().await;
        for id in ["1", "2"] {
            let (status, _) = fixture.submit("sperrmuell", &submission(id, valid_data())).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let deleted = fixture
            .service
            .store
            .purge(Timestamp(now().as_unix_seconds() + 60), None)
            .await
            .expect("the purge runs");
        assert_eq!(deleted, 2);
        let (status, receipt) = fixture.submit("sperrmuell", &submission("3", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(reference_number(&receipt["reference"]), 3);
    }

    #[tokio::test]
    async fn references_continue_after_reopen() {
        let fixture = Fixture::new().await;
        let (_, first) = fixture.submit("sperrmuell", &submission("1", valid_data())).await;
        assert_eq!(reference_number(&first["reference"]), 1);

        let reopened = SqliteFormStore::open(&fixture.root.path().join("ogkit.sqlite")).await.expect("the database reopens");
        let service = FormService::new(reopened, FormConfig::default());
        let serve_config = ServeConfig {
            pkg_dir: fixture.root.path().join("pkg"),
            demo_dir: fixture.root.path().join("demo"),
            docs_dir: fixture.root.path().join("www"),
            allowed_origins: Vec::new(),
        };
        let router = app_with_api(&serve_config, super::super::router(service));
        let request = post_request("/api/v1/forms/sperrmuell/submissions", submission("2", valid_data()).to_string());
        let response = router.oneshot(request).await.expect("the router responds");
        let (status, second) = json_of(response).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(reference_number(&second["reference"]), 2);
    }
}

mod bad_requests {
    use super::*;

    /// Data posted straight to the API, past the widget's own checks: every
    /// broken rule comes back at once, with its path, key and both texts.
    #[tokio::test]
    async fn invalid_data_lists_every_violation() {
        let fixture = Fixture::new().await;
        let data = json!({
            "name": "E",
            "plz": "1011",
            "email": "keine-adresse",
            "gegenstaende": [{ "anzahl": 0 }],
            "einverstanden": false,
        });
        let (status, body) = fixture.submit("sperrmuell", &submission("1", data)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["code"], "invalid_submission");
        let violations = body["violations"].as_array().expect("violations are listed");
        let found: Vec<(&str, &str)> = violations
            .iter()
            .map(|violation| {
                (violation["path"].as_str().unwrap_or(""), violation["key"].as_str().unwrap_or(""))
            })
            .collect();
        assert_eq!(
            found,
            [
                ("/name", "too_short"),
                ("/plz", "invalid_plz"),
                ("/email", "invalid_email"),
                ("/gegenstaende/0/bezeichnung", "required"),
                ("/gegenstaende/0/anzahl", "too_small"),
                ("/einverstanden", "must_accept"),
            ]
        );
        for violation in violations {
            let english = violation["message"].as_str().unwrap_or("");
            let german = violation["message_de"].as_str().unwrap_or("");
            assert!(!english.is_empty(), "{violation}");
            assert!(!german.is_empty(), "{violation}");
            assert_ne!(english, german, "{violation}");
        }
        assert_eq!(violations[1]["field"], "Postleitzahl");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 0);
    }

    #[tokio::test]
    async fn missing_fields_are_required() {
        let fixture = Fixture::new().await;
        let (status, body) = fixture.submit("sperrmuell", &submission("1", json!({}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let paths: Vec<&str> =
            body["violations"].as_array().expect("violations").iter().filter_map(|v| v["path"].as_str()).collect();
        assert_eq!(paths, ["/name", "/plz", "/email", "/gegenstaende", "/einverstanden"]);
    }

    /// Every malformed request with its expected status and code.
    #[tokio::test]
    async fn bad_submission_table() {
        let fixture = Fixture::new().await;
        let valid = submission("1", valid_data());
        let with = |patch: Value| {
            let mut body = valid.clone();
            for (key, value) in patch.as_object().expect("a patch is an object") {
                body[key] = value.clone();
            }
            body.to_string()
        };
        let mut big_data = valid_data();
        big_data["name"] = json!("x".repeat(70_000));
        let huge = submission("2", big_data).to_string();
        let cases: Vec<(&str, &str, String, StatusCode, &str)> = vec![
            ("malformed JSON", "sperrmuell", "{\"submission_id\": ".to_owned(), StatusCode::BAD_REQUEST, "bad_json"),
            ("not an object", "sperrmuell", "[1, 2]".to_owned(), StatusCode::BAD_REQUEST, "bad_json"),
            ("empty body", "sperrmuell", String::new(), StatusCode::BAD_REQUEST, "bad_json"),
            ("no submission id", "sperrmuell", json!({"data": valid_data()}).to_string(), StatusCode::BAD_REQUEST, "bad_json"),
            ("no data", "sperrmuell", json!({"submission_id": "test-submission-00000001"}).to_string(), StatusCode::BAD_REQUEST, "bad_json"),
            ("short submission id", "sperrmuell", with(json!({"submission_id": "kurz"})), StatusCode::BAD_REQUEST, "invalid_submission_id"),
            ("submission id with spaces", "sperrmuell", with(json!({"submission_id": "eine id mit leerzeichen"})), StatusCode::BAD_REQUEST, "invalid_submission_id"),
            ("data not an object", "sperrmuell", with(json!({"data": [1]})), StatusCode::UNPROCESSABLE_ENTITY, "invalid_submission"),
            ("body over the limit", "sperrmuell", huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ("unknown form", "gibt-es-nicht", valid.to_string(), StatusCode::NOT_FOUND, "form_not_found"),
            ("invalid form id", "name.mit.punkt", valid.to_string(), StatusCode::NOT_FOUND, "form_not_found"),
        ];
        for (name, form_id, body, status, code) in cases {
            let path = format!("/api/v1/forms/{form_id}/submissions");
            let response = fixture.send(post_request(&path, body)).await;
            let content_type = response.headers().get(CONTENT_TYPE).cloned();
            let (actual, json) = json_of(response).await;
            assert_eq!(actual, status, "{name}: {json}");
            assert_eq!(json["code"], code, "{name}: {json}");
            assert!(json["message"].as_str().is_some_and(|message| !message.is_empty()), "{name}: {json}");
            assert_eq!(
                content_type.as_ref().map(HeaderValue::as_bytes),
                Some(b"application/json".as_slice()),
                "{name}"
            );
        }
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 0);
    }

    #[tokio::test]
    async fn foreign_origin_is_rejected() {
        let fixture = Fixture::new().await;
        let mut request =
            post_request("/api/v1/forms/sperrmuell/submissions", submission("1", valid_data()).to_string());
        request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        let (status, body) = json_of(fixture.send(request).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "origin_not_allowed");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 0);
    }

    #[tokio::test]
    async fn rate_limit_counts_per_address() {
        let fixture =
            Fixture::with_config(FormConfig { submission_rate_limit: 2, ..FormConfig::default() }).await;
        let from = |address: [u8; 4], id: &str| {
            let mut request =
                post_request("/api/v1/forms/sperrmuell/submissions", submission(id, valid_data()).to_string());
            request.extensions_mut().insert(ConnectInfo(SocketAddr::from((address, 40_000))));
            request
        };
        for id in ["1", "2"] {
            let (status, _) = json_of(fixture.send(from([192, 0, 2, 1], id)).await).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let response = fixture.send(from([192, 0, 2, 1], "3")).await;
        assert!(response.headers().contains_key("retry-after"));
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(body["code"], "rate_limited");
        let (status, _) = json_of(fixture.send(from([192, 0, 2, 2], "4")).await).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

mod admin {
    use super::*;

    #[tokio::test]
    async fn admin_needs_right_token() {
        let fixture = Fixture::new().await;
        let disabled = Fixture::with_config(FormConfig::default()).await;
        let requests = [
            (Method::GET, "/api/v1/admin/forms"),
            (Method::PUT, "/api/v1/admin/forms/neu"),
            (Method::GET, "/api/v1/admin/forms/sperrmuell/export?format=csv"),
            (Method::DELETE, "/api/v1/admin/submissions?older_than=1h"),
        ];
        for (method, path) in requests {
            for (name, fixture, token) in [
                ("no token", &fixture, None),
                ("wrong token", &fixture, Some("wrong-token-0123456789abcdef")),
                ("admin API disabled", &disabled, Some(ADMIN_TOKEN)),
            ] {
                let response = fixture.admin_with(method.clone(), path, Some(SCHEMA), token).await;
                let (status, body) = json_of(response).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}, {name}");
                assert_eq!(body["code"], "unauthorized", "{method} {path}, {name}");
            }
        }
        assert_eq!(fixture.count("SELECT COUNT(*) FROM forms").await, 1);
    }

    #[tokio::test]
    async fn schema_is_registered_in_versions() {
        let fixture = Fixture::new().await;
        let response = fixture.admin(Method::PUT, "/api/v1/admin/forms/neu", Some(SCHEMA)).await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body, json!({"id": "neu", "version": 1, "change": "created"}));

        let (status, body) = json_of(fixture.admin(Method::PUT, "/api/v1/admin/forms/neu", Some(SCHEMA)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["change"], "unchanged");

        let changed = SCHEMA.replace("Sperrmüll anmelden", "Sperrmüll bestellen");
        let (status, body) = json_of(fixture.admin(Method::PUT, "/api/v1/admin/forms/neu", Some(&changed)).await).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"id": "neu", "version": 2, "change": "updated"}));
        let (_, schema) = fixture.get("/api/v1/forms/neu").await;
        assert_eq!(schema["title"], "Sperrmüll bestellen");

        let (status, list) = json_of(fixture.admin(Method::GET, "/api/v1/admin/forms", None).await).await;
        assert_eq!(status, StatusCode::OK);
        let ids: Vec<&str> = list.as_array().expect("a list").iter().filter_map(|form| form["id"].as_str()).collect();
        assert_eq!(ids, ["neu", "sperrmuell"]);
        assert_eq!(list[0]["version"], 2);
    }

    #[tokio::test]
    async fn bad_schema_is_rejected() {
        let fixture = Fixture::new().await;
        let cases = [
            ("sperrmuell", "{\"type\": ", StatusCode::UNPROCESSABLE_ENTITY, "invalid_schema"),
            (
                "sperrmuell",
                r#"{"type": "object", "properties": {"plz": {"type": "string", "format": "postleitzahl"}}}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_schema",
            ),
            ("ein%20leerzeichen", SCHEMA, StatusCode::BAD_REQUEST, "invalid_form_id"),
        ];
        for (id, schema, status, code) in cases {
            let path = format!("/api/v1/admin/forms/{id}");
            let (actual, body) = json_of(fixture.admin(Method::PUT, &path, Some(schema)).await).await;
            assert_eq!(actual, status, "{schema}: {body}");
            assert_eq!(body["code"], code, "{schema}: {body}");
        }
        let (_, body) = json_of(
            fixture
                .admin(
                    Method::PUT,
                    "/api/v1/admin/forms/sperrmuell",
                    Some(r#"{"type": "object", "properties": {"plz": {"type": "string", "format": "postleitzahl"}}}"#),
                )
                .await,
        )
        .await;
        assert_eq!(body["path"], "/properties/plz/format", "{body}");
        let (_, schema) = fixture.get("/api/v1/forms/sperrmuell").await;
        assert_eq!(schema["title"], "Sperrmüll anmelden", "a rejected schema changes nothing");
    }

    #[tokio::test]
    async fn submissions_are_exported() {
        let fixture = Fixture::new().await;
        for id in ["1", "2"] {
            let (status, _) = fixture.submit("sperrmuell", &submission(id, valid_data())).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let response = fixture.admin(Method::GET, "/api/v1/admin/forms/sperrmuell/export?format=csv", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).map(HeaderValue::as_bytes),
            Some(b"text/csv; charset=utf-8".as_slice())
        );
        let csv = text_of(response).await;
        assert!(csv.starts_with('\u{feff}'), "the CSV starts with a byte order mark");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 3, "{csv}");
        assert_eq!(
            lines[0],
            "reference;received_at;schema_version;name;plz;email;gegenstaende.1.bezeichnung;\
             gegenstaende.1.anzahl;gegenstaende.2.bezeichnung;einverstanden"
        );
        assert!(lines[1].ends_with(";1;Erika Mustermann;10115;erika@example.org;Sofa;1;Schrank;ja"), "{csv}");

        let response = fixture.admin(Method::GET, "/api/v1/admin/forms/sperrmuell/export?format=json", None).await;
        let (status, export) = json_of(response).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(export["form_id"], "sperrmuell");
        assert_eq!(export["submissions"].as_array().map(Vec::len), Some(2));
        assert_eq!(export["submissions"][1]["data"]["gegenstaende"][0]["bezeichnung"], "Sofa");

        let response = fixture.admin(Method::GET, "/api/v1/admin/forms/sperrmuell/export?format=xml", None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let response = fixture.admin(Method::GET, "/api/v1/admin/forms/fehlt/export", None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn purge_deletes_old_submissions() {
        let fixture = Fixture::new().await;
        let (status, _) = fixture.submit("sperrmuell", &submission("1", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = fixture.submit("sperrmuell", &submission("2", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED);
        // Make the first submission 100 days old.
        let pool = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(fixture.root.path().join("ogkit.sqlite")),
        )
        .await
        .expect("the database opens");
        sqlx::query("UPDATE submissions SET received_at = received_at - 100 * 86400 WHERE submission_id LIKE '%1'")
            .execute(&pool)
            .await
            .expect("the time is moved back");
        pool.close().await;

        let response = fixture.admin(Method::DELETE, "/api/v1/admin/submissions?older_than=90d", None).await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["deleted"], 1);
        assert_eq!(body["older_than"], "90d");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 1);

        let response = fixture.admin(Method::DELETE, "/api/v1/admin/submissions?older_than=1h&form=sperrmuell", None).await;
        let (_, body) = json_of(response).await;
        assert_eq!(body["deleted"], 0);
        assert_eq!(body["form"], "sperrmuell");
    }

    #[tokio::test]
    async fn bad_purge_is_explained() {
        let fixture = Fixture::new().await;
        let cases = [
            ("/api/v1/admin/submissions", StatusCode::BAD_REQUEST, "older_than is missing"),
            ("/api/v1/admin/submissions?older_than=90", StatusCode::BAD_REQUEST, "has no unit"),
            ("/api/v1/admin/submissions?older_than=3m", StatusCode::BAD_REQUEST, "unknown unit"),
            ("/api/v1/admin/submissions?older_than=0d", StatusCode::BAD_REQUEST, "at least 1h"),
            ("/api/v1/admin/submissions?older_than=90d&form=fehlt", StatusCode::NOT_FOUND, "not found"),
        ];
        for (path, status, expected) in cases {
            let (actual, body) = json_of(fixture.admin(Method::DELETE, path, None).await).await;
            assert_eq!(actual, status, "{path}: {body}");
            let message = body["message"].as_str().unwrap_or("");
            assert!(message.contains(expected), "{path}: {message}");
        }
    }

    #[tokio::test]
    async fn cli_exports_and_purges() {
        let fixture = Fixture::new().await;
        let (status, _) = fixture.submit("sperrmuell", &submission("1", valid_data())).await;
        assert_eq!(status, StatusCode::CREATED);
        let database = crate::polls::DatabaseArgs {
            data_dir: fixture.root.path().to_path_buf(),
            database: Some(fixture.root.path().join("ogkit.sqlite")),
        };
        let output = fixture.root.path().join("export.csv");
        super::super::cli::run_async(super::super::FormCommand::Export {
            id: "sperrmuell".to_owned(),
            format: super::super::export::ExportFormat::Csv,
            output: Some(output.clone()),
            database: database.clone(),
        })
        .await
        .expect("the export runs");
        let csv = std::fs::read_to_string(&output).expect("the export file exists");
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains(";Erika Mustermann;10115;"), "{csv}");

        super::super::cli::run_async(super::super::FormCommand::Purge {
            older_than: super::super::retention::parse_retention("1h").expect("a valid period"),
            form: None,
            database,
        })
        .await
        .expect("the purge runs");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM submissions").await, 1, "a fresh submission stays");
    }

    #[tokio::test]
    async fn openapi_lists_every_route() {
        let document: Value = serde_json::from_str(include_str!("../../openapi.json")).expect("the document is JSON");
        for path in [
            "/forms/{id}",
            "/forms/{id}/submissions",
            "/admin/forms",
            "/admin/forms/{id}",
            "/admin/forms/{id}/export",
            "/admin/submissions",
        ] {
            assert!(document["paths"].get(path).is_some(), "{path} is not documented");
        }
    }

    #[test]
    fn openapi_lists_every_violation_key() {
        let document: Value = serde_json::from_str(include_str!("../../openapi.json")).expect("the document is JSON");
        let text = document.to_string();
        let start = text.find(r#""enum":["required","#).expect("the enum of violation keys");
        let end = start + text[start..].find(']').expect("the end of the enum");
        let listed: Value = serde_json::from_str(&text[start + r#""enum":"#.len()..=end]).expect("a JSON list");
        let expected: Vec<&str> = ogkit_core::form::ViolationKey::ALL.iter().map(|key| key.as_str()).collect();
        assert_eq!(listed, serde_json::json!(expected));
    }
}

/// Submitted values are personal data: none of them may reach the log,
/// whatever happens to the request.
mod logging {
    use super::*;
    use crate::test_log::{capture_globally, run_alone};

    #[test]
    fn submitted_values_never_logged() {
        run_alone("forms::tests::logging::logged_submission_events");
    }

    #[tokio::test]
    #[ignore = "runs in a child process of submitted_values_never_logged"]
    async fn logged_submission_events() {
        let captured = capture_globally();

        let fixture = Fixture::new().await;
        let secret = json!({
            "name": "Geheimname Quaxelbrink",
            "plz": "10115",
            "email": "quaxelbrink@example.org",
            "gegenstaende": [{ "bezeichnung": "Quaxelsofa" }],
            "einverstanden": true,
        });
        let (status, _) = fixture.submit("sperrmuell", &submission("1", secret.clone())).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = fixture.submit("sperrmuell", &submission("1", secret.clone())).await;
        assert_eq!(status, StatusCode::OK);
        let mut changed = secret.clone();
        changed["name"] = json!("Quaxelbrink Zwei");
        let (status, _) = fixture.submit("sperrmuell", &submission("1", changed)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let mut invalid = secret.clone();
        invalid["email"] = json!("quaxelbrink-ohne-at");
        let (status, _) = fixture.submit("sperrmuell", &submission("2", invalid)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let broken = format!("{{\"submission_id\": \"test-submission-00000003\", \"data\": {{\"name\": \"Quaxelbrink{}", "x".repeat(10));
        let response = fixture.send(post_request("/api/v1/forms/sperrmuell/submissions", broken)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let response = fixture.admin(Method::GET, "/api/v1/admin/forms/sperrmuell/export?format=json", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let response = fixture.admin(Method::DELETE, "/api/v1/admin/submissions?older_than=1h", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let rejections = LOGGED_REJECTIONS_PER_MINUTE + 5;
        for index in 0..rejections {
            let body = submission(&(10 + index).to_string(), secret.clone()).to_string();
            let mut request = post_request("/api/v1/forms/sperrmuell/submissions", body);
            request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
            request.headers_mut().insert(HOST, HeaderValue::from_static("formulare.example-stadt.de"));
            let response = fixture.send(request).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "foreign submission {index}");
        }

        let log = captured.text();
        assert!(log.contains("submission: stored"), "the capture works: {log}");
        assert!(log.contains("submission: rejected"), "{log}");
        assert!(!log.contains("Quaxel"), "a submitted value reached the log:\n{log}");
        assert!(!log.contains("quaxelbrink"), "a submitted value reached the log:\n{log}");

        let warnings: Vec<&str> = log.lines().filter(|line| line.contains("rejected by the same-site check")).collect();
        assert_eq!(warnings.len(), LOGGED_REJECTIONS_PER_MINUTE as usize, "one line per rejection up to the quota:\n{log}");
        let first = warnings[0];
        assert!(first.contains("WARN"), "{first}");
        assert!(first.contains("form_id=sperrmuell"), "{first}");
        assert!(first.contains("origin=https://evil.example"), "{first}");
        assert!(first.contains("host=formulare.example-stadt.de"), "{first}");
        assert!(first.contains("flag=\"--form-origin\""), "{first}");
        assert!(first.contains("unlogged_since_last=0"), "{first}");
    }

    #[test]
    fn skipped_schema_file_logged() {
        run_alone("forms::tests::logging::logged_skipped_schema_file");
    }

    #[tokio::test]
    #[ignore = "runs in a child process of skipped_schema_file_logged"]
    async fn logged_skipped_schema_file() {
        let captured = capture_globally();
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let dir = root.path().join("formulare");
        std::fs::create_dir(&dir).expect("the directory can be created");
        std::fs::write(dir.join("kaputt.json"), "{\n  \"type\": \"object\",\n  \"title\": \n}").expect("a file can be written");
        std::fs::write(dir.join("sperrmuell.json"), SCHEMA).expect("a schema can be written");
        let store = SqliteFormStore::open(&root.path().join("ogkit.sqlite")).await.expect("the database opens");
        super::super::register_dir(&store, &dir, false).await.expect("the usable file is registered");
        std::fs::write(dir.join("sperrmuell.json"), "[]").expect("a file can be written");
        super::super::register_dir(&store, &dir, false).await.expect("the directory is read again");

        let log = captured.text();
        let errors: Vec<&str> = log.lines().filter(|line| line.contains("schema file skipped")).collect();
        assert_eq!(errors.len(), 3, "kaputt.json twice and sperrmuell.json once:\n{log}");
        assert!(errors[0].contains("ERROR"), "{}", errors[0]);
        assert!(errors[0].contains("kaputt.json: line 4, column 1"), "{}", errors[0]);
        assert!(errors[0].contains("answers form_not_found"), "{}", errors[0]);
        assert!(errors[0].contains("--strict-forms"), "{}", errors[0]);
        let changed = errors.iter().find(|line| line.contains("sperrmuell.json")).expect("a line for sperrmuell.json");
        assert!(changed.contains("keeps its version registered earlier"), "{changed}");
        assert!(changed.contains("served_version=1"), "{changed}");
    }
}

mod forms_dir {
    use super::*;

    async fn store_in(root: &TempDir) -> SqliteFormStore {
        SqliteFormStore::open(&root.path().join("ogkit.sqlite")).await.expect("the database opens")
    }

    #[tokio::test]
    async fn every_json_file_is_registered() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let dir = root.path().join("formulare");
        std::fs::create_dir(&dir).expect("the directory can be created");
        std::fs::write(dir.join("sperrmuell.json"), SCHEMA).expect("a schema can be written");
        std::fs::write(dir.join("anliegen.json"), SCHEMA).expect("a schema can be written");
        std::fs::write(dir.join("liesmich.txt"), "kein Schema").expect("a text file can be written");
        let store = store_in(&root).await;

        super::super::register_dir(&store, &dir, false).await.expect("the directory is registered");
        let ids: Vec<String> = store.forms().await.expect("forms load").into_iter().map(|form| form.id).collect();
        assert_eq!(ids, ["anliegen", "sperrmuell"]);

        std::fs::write(dir.join("sperrmuell.json"), SCHEMA.replace("anmelden", "bestellen")).expect("a schema can be written");
        super::super::register_dir(&store, &dir, false).await.expect("the directory is registered again");
        let form = store.form("sperrmuell").await.expect("the form loads").expect("the form exists");
        assert_eq!(form.version, 2);
    }

    #[tokio::test]
    async fn bad_files_stop_strict_start() {
        let cases = [
            ("kaputt.json", "{\"type\": ", "kaputt.json: line 1"),
            ("Sperrmüll 2026.json", SCHEMA, "which is invalid"),
        ];
        for (name, text, expected) in cases {
            let root = tempfile::tempdir().expect("a temporary directory can be created");
            let dir = root.path().join("formulare");
            std::fs::create_dir(&dir).expect("the directory can be created");
            std::fs::write(dir.join(name), text).expect("the file can be written");
            let store = store_in(&root).await;
            let error = super::super::register_dir(&store, &dir, true).await.expect_err(name);
            let message = format!("{error:#}");
            assert!(message.contains(expected), "{name}: {message}");
            assert!(message.contains("--forms-dir"), "{name}: {message}");
            assert!(message.contains("--strict-forms"), "{name}: {message}");
        }

        for strict in [true, false] {
            let root = tempfile::tempdir().expect("a temporary directory can be created");
            let store = store_in(&root).await;
            let error = super::super::register_dir(&store, &root.path().join("fehlt"), strict)
                .await
                .expect_err("a missing directory");
            assert!(format!("{error:#}").contains("cannot read the directory"), "strict {strict}: {error:#}");
        }
    }

    #[tokio::test]
    async fn bad_files_skipped_by_default() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let dir = root.path().join("formulare");
        std::fs::create_dir(&dir).expect("the directory can be created");
        std::fs::write(dir.join("anliegen.json"), SCHEMA).expect("a schema can be written");
        std::fs::write(dir.join("kaputt.json"), "{\"type\": ").expect("a file can be written");
        std::fs::write(dir.join("Sperrmüll 2026.json"), SCHEMA).expect("a schema can be written");
        std::fs::write(dir.join("sperrmuell.json"), SCHEMA).expect("a schema can be written");
        let store = store_in(&root).await;

        super::super::register_dir(&store, &dir, false).await.expect("the usable files are registered");
        let ids: Vec<String> = store.forms().await.expect("forms load").into_iter().map(|form| form.id).collect();
        assert_eq!(ids, ["anliegen", "sperrmuell"]);

        // A schema that breaks after it was registered leaves the earlier
        // version in service.
        std::fs::write(dir.join("sperrmuell.json"), "{\"type\": \"object\", \"propertie\": {}}")
            .expect("a schema can be written");
        super::super::register_dir(&store, &dir, false).await.expect("the usable files are registered again");
        let form = store.form("sperrmuell").await.expect("the form loads").expect("the form exists");
        assert_eq!(form.version, 1);
        assert!(store.form("kaputt").await.expect("the lookup runs").is_none());
    }
}
