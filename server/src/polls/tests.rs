//! In-process tests of the poll API: each test opens a fresh SQLite file,
//! builds the full router of `ogkit serve` with the poll routes and sends
//! requests with `oneshot`.

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use http_body_util::BodyExt as _;
use ogkit_core::poll::{Participation, Poll, ResultsVisibility, Timestamp};
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt as _;
use uuid::Uuid;

use crate::serve::{app_with_api, AllowedOrigin, ServeConfig};

use super::store::{now, PollStore as _, SqliteStore};
use super::{hash_token, router, PollConfig, PollService, TallyHub};

const ADMIN_TOKEN: &str = "admin-token-for-tests-0123456789";

/// A router on a temporary database.
struct Fixture {
    root: TempDir,
    router: Router,
    service: Arc<PollService<SqliteStore>>,
}

impl Fixture {
    async fn new() -> Fixture {
        Fixture::with_config(PollConfig {
            ballot_origins: vec![AllowedOrigin::Origin(HeaderValue::from_static(
                "https://www.example-stadt.de",
            ))],
            admin_token_hash: Some(hash_token(ADMIN_TOKEN)),
            ballot_rate_limit: 0,
        })
        .await
    }

    async fn with_config(config: PollConfig) -> Fixture {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let hub = Arc::new(TallyHub::default());
        let store = SqliteStore::open(&root.path().join("polls.sqlite"), Arc::clone(&hub))
            .await
            .expect("the database opens");
        let service = PollService::new(store, hub, config);
        let serve_config = ServeConfig {
            pkg_dir: root.path().join("pkg"),
            demo_dir: root.path().join("demo"),
            docs_dir: root.path().join("www"),
            allowed_origins: Vec::new(),
        };
        let router = app_with_api(&serve_config, router(Arc::clone(&service)));
        Fixture { root, router, service }
    }

    /// Stores a poll that is open now.
    async fn create(&self, poll: &Poll) {
        self.service.store.create_poll(poll, now()).await.expect("the poll is stored");
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

    async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        json_of(self.send(post_request(path, body.to_string())).await).await
    }

    async fn vote(&self, poll_id: &str, ballot: &Value) -> (StatusCode, Value) {
        self.post(&format!("/api/v1/polls/{poll_id}/ballots"), ballot).await
    }

    async fn admin(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .header(CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, |body| Body::from(body.to_string())))
            .expect("valid request");
        self.send(request).await
    }

    async fn count(&self, sql: &str) -> i64 {
        let pool = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(self.root.path().join("polls.sqlite")),
        )
        .await
        .expect("the database opens for reading");
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.expect("the count query runs");
        pool.close().await;
        count
    }
}

fn post_request(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("valid request")
}

async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.into_body().collect().await.expect("the body can be read").to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        Value::String(String::from_utf8_lossy(&bytes).into_owned())
    });
    (status, value)
}

/// Poll `id` with one single-choice question `q` (A, B, C) and a
/// multiple-choice question `m` (x, y, z; 1 to 2 choices).
fn poll(id: &str, participation: Participation, results: ResultsVisibility) -> Poll {
    let now = now().as_unix_seconds();
    serde_json::from_value(json!({
        "id": id,
        "title": "Testumfrage",
        "questions": [
            {"id": "q", "text": "Welche?", "kind": "single-choice",
             "choices": [{"id": "A", "label": "A"}, {"id": "B", "label": "B"}, {"id": "C", "label": "C"}]},
            {"id": "m", "text": "Welche noch?", "kind": "multiple-choice", "min_selections": 1, "max_selections": 2,
             "choices": [{"id": "x", "label": "x"}, {"id": "y", "label": "y"}, {"id": "z", "label": "z"}]}
        ],
        "opens_at": Timestamp(now - 3600).to_string(),
        "closes_at": Timestamp(now + 86_400).to_string(),
        "participation": participation,
        "results": results,
    }))
    .expect("the test poll is valid")
}

fn open_poll(id: &str) -> Poll {
    poll(id, Participation::Open, ResultsVisibility::Live)
}

fn ballot(token: &str, single: &str) -> Value {
    json!({
        "ballot_id": Uuid::new_v4(),
        "selections": {"q": [single], "m": ["x"]},
        "voter_token": format!("voter-token-for-{token}"),
    })
}

fn choice_count(results: &Value, question: &str, choice: &str) -> u64 {
    let questions = results["questions"].as_array().expect("results have questions");
    let question = questions
        .iter()
        .find(|entry| entry["question_id"] == question)
        .expect("the question is in the results");
    let choices = question["choices"].as_array().expect("a question has choices");
    let choice = choices.iter().find(|entry| entry["choice_id"] == choice).expect("the choice is in the results");
    choice["count"].as_u64().expect("counts are numbers")
}

mod when_voting {
    use super::*;

    #[tokio::test]
    async fn poll_is_shown_with_phase() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let (status, body) = fixture.get("/api/v1/polls/p1").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["id"], "p1");
        assert_eq!(body["phase"], "open");
        assert_eq!(body["questions"][0]["choices"][2]["id"], "C");
    }

    #[tokio::test]
    async fn ballot_is_counted_once() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let (status, receipt) = fixture.vote("p1", &ballot("1", "B")).await;
        assert_eq!(status, StatusCode::CREATED, "{receipt}");
        assert_eq!(receipt["poll_id"], "p1");

        let (status, results) = fixture.get("/api/v1/polls/p1/results").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(results["participants"], 1);
        assert_eq!(results["version"], 1);
        assert_eq!(choice_count(&results, "q", "B"), 1);
        assert_eq!(choice_count(&results, "m", "x"), 1);
    }

    #[tokio::test]
    async fn replayed_ballot_returns_same_receipt() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let ballot = ballot("1", "A");
        let (first_status, first) = fixture.vote("p1", &ballot).await;
        let (second_status, second) = fixture.vote("p1", &ballot).await;
        assert_eq!(first_status, StatusCode::CREATED);
        assert_eq!(second_status, StatusCode::OK);
        assert_eq!(first, second);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM ballots").await, 1);
    }

    #[tokio::test]
    async fn replayed_ballot_after_close_returns_receipt() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let ballot = ballot("1", "A");
        let (_, first) = fixture.vote("p1", &ballot).await;
        fixture.service.store.close_poll("p1", now()).await.expect("the poll closes");
        let (status, second) = fixture.vote("p1", &ballot).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first, second);
    }

    #[tokio::test]
    async fn open_poll_rejects_code_request() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let response = fixture
            .admin(Method::POST, "/api/v1/admin/polls/p1/codes", Some(&json!({"count": 2})))
            .await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["code"], "bad_request");
        let message = body["message"].as_str().expect("the message is a string");
        assert!(message.contains("open to everyone"), "{message}");
        assert!(message.contains("participation = \"code\""), "{message}");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM invitation_codes").await, 0);
    }

    #[tokio::test]
    async fn code_poll_takes_each_code_once() {
        let fixture = Fixture::new().await;
        fixture.create(&poll("c1", Participation::Code, ResultsVisibility::Live)).await;
        let response = fixture
            .admin(Method::POST, "/api/v1/admin/polls/c1/codes", Some(&json!({"count": 2})))
            .await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let code = body["codes"][0].as_str().expect("codes are strings").to_owned();
        assert_eq!(code.len(), 14, "{code}");

        let with_code = |code: &str| {
            json!({"ballot_id": Uuid::new_v4(), "selections": {"q": ["A"], "m": ["y"]}, "invitation_code": code})
        };
        let (status, _) = fixture.vote("c1", &with_code(&code.to_lowercase())).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = fixture.vote("c1", &with_code(&code)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "already_voted");
        let (status, body) = fixture.vote("c1", &with_code("AAAA-BBBB-CCCC")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "unauthorized");
        let (status, body) =
            fixture.vote("c1", &json!({"ballot_id": Uuid::new_v4(), "selections": {"q": ["A"], "m": ["y"]}})).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

        let stored_codes = fixture.count("SELECT COUNT(*) FROM invitation_codes").await;
        assert_eq!(stored_codes, 2);
        let clear_codes = fixture
            .count(&format!("SELECT COUNT(*) FROM invitation_codes WHERE CAST(code_hash AS TEXT) LIKE '%{}%'", &code[..4]))
            .await;
        assert_eq!(clear_codes, 0);
    }

    #[tokio::test]
    async fn rate_limit_counts_per_address() {
        let fixture = Fixture::with_config(PollConfig { ballot_rate_limit: 2, ..PollConfig::default() }).await;
        fixture.create(&open_poll("p1")).await;
        let from = |address: [u8; 4], token: &str| {
            let mut request = post_request("/api/v1/polls/p1/ballots", ballot(token, "A").to_string());
            request.extensions_mut().insert(ConnectInfo(SocketAddr::from((address, 40_000))));
            request
        };
        for token in ["1", "2"] {
            let (status, _) = json_of(fixture.send(from([192, 0, 2, 1], token)).await).await;
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

    #[tokio::test]
    async fn allowlisted_origin_gets_cors() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let preflight = Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/polls/p1/ballots")
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

        let mut request = post_request("/api/v1/polls/p1/ballots", ballot("1", "A").to_string());
        request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://www.example-stadt.de"));
        let (status, _) = json_of(fixture.send(request).await).await;
        assert_eq!(status, StatusCode::CREATED);
    }

    #[tokio::test]
    async fn same_origin_is_accepted() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let mut request = post_request("/api/v1/polls/p1/ballots", ballot("1", "A").to_string());
        request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://umfrage.example.org"));
        request.headers_mut().insert(HOST, HeaderValue::from_static("umfrage.example.org"));
        let (status, _) = json_of(fixture.send(request).await).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

mod bad_requests {
    use super::*;

    /// Every bad ballot request with its expected status and code.
    #[tokio::test]
    async fn bad_ballot_table() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let mut closed = open_poll("closed");
        closed.opens_at = Timestamp(now().0 - 7200);
        closed.closes_at = Timestamp(now().0 - 3600);
        fixture.create(&closed).await;
        let mut later = open_poll("later");
        later.opens_at = Timestamp(now().0 + 3600);
        fixture.create(&later).await;
        let (status, _) = fixture.vote("p1", &ballot("taken", "A")).await;
        assert_eq!(status, StatusCode::CREATED);

        let valid = ballot("fresh", "A");
        let with = |patch: Value| {
            let mut body = valid.clone();
            for (key, value) in patch.as_object().expect("a patch is an object") {
                body[key] = value.clone();
            }
            body.to_string()
        };
        let huge = format!(
            "{{\"ballot_id\":\"{}\",\"selections\":{{\"q\":[\"{}\"]}}}}",
            Uuid::new_v4(),
            "A".repeat(20_000)
        );
        let cases: Vec<(&str, &str, String, StatusCode, &str)> = vec![
            ("malformed JSON", "p1", "{\"ballot_id\": ".to_owned(), StatusCode::BAD_REQUEST, "bad_json"),
            ("not an object", "p1", "[1, 2]".to_owned(), StatusCode::BAD_REQUEST, "bad_json"),
            ("ballot id not a UUID", "p1", with(json!({"ballot_id": "42"})), StatusCode::BAD_REQUEST, "bad_json"),
            ("unknown field", "p1", with(json!({"colour": "red"})), StatusCode::BAD_REQUEST, "bad_json"),
            ("body over the limit", "p1", huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ("unknown poll", "nope", with(json!({})), StatusCode::NOT_FOUND, "poll_not_found"),
            ("closed poll", "closed", with(json!({})), StatusCode::CONFLICT, "poll_closed"),
            ("not yet open", "later", with(json!({})), StatusCode::CONFLICT, "poll_not_open_yet"),
            (
                "unknown choice",
                "p1",
                with(json!({"selections": {"q": ["D"], "m": ["x"]}})),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_ballot",
            ),
            (
                "too many selections",
                "p1",
                with(json!({"selections": {"q": ["A"], "m": ["x", "y", "z"]}})),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_ballot",
            ),
            (
                "too few selections",
                "p1",
                with(json!({"selections": {"q": ["A"]}})),
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_ballot",
            ),
            ("missing voter token", "p1", with(json!({"voter_token": null})), StatusCode::UNAUTHORIZED, "unauthorized"),
            ("short voter token", "p1", with(json!({"voter_token": "abc"})), StatusCode::UNAUTHORIZED, "unauthorized"),
            (
                "second ballot of a token",
                "p1",
                with(json!({"voter_token": "voter-token-for-taken"})),
                StatusCode::CONFLICT,
                "already_voted",
            ),
        ];
        for (name, poll_id, body, status, code) in cases {
            let response = fixture.send(post_request(&format!("/api/v1/polls/{poll_id}/ballots"), body)).await;
            let (actual_status, actual) = json_of(response).await;
            assert_eq!(actual_status, status, "case {name}: {actual}");
            assert_eq!(actual["code"], code, "case {name}: {actual}");
            assert!(actual["message"].as_str().is_some_and(|message| !message.is_empty()), "case {name}");
        }

        let foreign = {
            let mut request = post_request("/api/v1/polls/p1/ballots", with(json!({})));
            request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
            request
        };
        let (status, body) = json_of(fixture.send(foreign).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "origin_not_allowed");

        assert_eq!(fixture.count("SELECT COUNT(*) FROM ballots").await, 1);
    }

    #[tokio::test]
    async fn invalid_ballot_lists_every_violation() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let body = json!({
            "ballot_id": Uuid::new_v4(),
            "selections": {"q": ["A", "B"], "m": ["x", "x", "w"]},
            "voter_token": "voter-token-violations",
        });
        let (status, body) = fixture.vote("p1", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let keys: Vec<&str> = body["violations"]
            .as_array()
            .expect("violations are listed")
            .iter()
            .filter_map(|violation| violation["key"].as_str())
            .collect();
        assert_eq!(keys, ["ballot.too_many_choices", "ballot.duplicate_choice", "ballot.unknown_choice"]);
    }

    #[tokio::test]
    async fn ballot_id_of_other_voter_conflicts() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let first = ballot("1", "A");
        let mut second = ballot("2", "A");
        second["ballot_id"] = first["ballot_id"].clone();
        fixture.vote("p1", &first).await;
        let (status, body) = fixture.vote("p1", &second).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "ballot_id_conflict");
    }

    #[tokio::test]
    async fn admin_without_token_is_unauthorized() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let paths = [
            (Method::POST, "/api/v1/admin/polls"),
            (Method::POST, "/api/v1/admin/polls/p1/close"),
            (Method::POST, "/api/v1/admin/polls/p1/codes"),
            (Method::GET, "/api/v1/admin/polls/p1/export?format=csv"),
        ];
        for (method, path) in paths {
            for authorization in [None, Some("Bearer wrong-token-0123456789"), Some(ADMIN_TOKEN)] {
                let mut request = Request::builder().method(method.clone()).uri(path);
                if let Some(value) = authorization {
                    request = request.header(AUTHORIZATION, value);
                }
                let response = fixture.send(request.body(Body::from("{}")).expect("valid request")).await;
                let (status, body) = json_of(response).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} with {authorization:?}");
                assert_eq!(body["code"], "unauthorized");
            }
        }
        let (_, poll) = fixture.get("/api/v1/polls/p1").await;
        assert_eq!(poll["phase"], "open");
    }

    #[tokio::test]
    async fn disabled_admin_api_is_unauthorized() {
        let fixture = Fixture::with_config(PollConfig::default()).await;
        let response = fixture.admin(Method::POST, "/api/v1/admin/polls", Some(&json!({}))).await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["message"].as_str().is_some_and(|message| message.contains("disabled")));
    }

    #[tokio::test]
    async fn unknown_poll_results_not_found() {
        let fixture = Fixture::new().await;
        for path in ["/api/v1/polls/nope", "/api/v1/polls/nope/results", "/api/v1/polls/nope/results/stream"] {
            let (status, body) = fixture.get(path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(body["code"], "poll_not_found", "{path}");
        }
    }

    #[tokio::test]
    async fn wrong_method_is_json_405() {
        let fixture = Fixture::new().await;
        let request = Request::delete("/api/v1/polls/p1").body(Body::empty()).expect("valid request");
        let (status, body) = json_of(fixture.send(request).await).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(body["code"], "method_not_allowed");
    }
}

mod results_visibility {
    use super::*;

    #[tokio::test]
    async fn after_vote_needs_stored_ballot() {
        let fixture = Fixture::new().await;
        fixture.create(&poll("v1", Participation::Open, ResultsVisibility::AfterVote)).await;
        let (status, body) = fixture.get("/api/v1/polls/v1/results").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "results_hidden");

        let ballot = ballot("1", "C");
        let (status, _) = fixture.vote("v1", &ballot).await;
        assert_eq!(status, StatusCode::CREATED);
        let ballot_id = ballot["ballot_id"].as_str().expect("the ballot id is a string");
        let (status, body) = fixture.get(&format!("/api/v1/polls/v1/results?ballot={ballot_id}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(choice_count(&body, "q", "C"), 1);

        let (status, _) = fixture.get(&format!("/api/v1/polls/v1/results?ballot={}", Uuid::new_v4())).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = fixture.get("/api/v1/polls/v1/results?ballot=not-a-uuid").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "bad_request");
    }

    #[tokio::test]
    async fn after_close_opens_on_close() {
        let fixture = Fixture::new().await;
        fixture.create(&poll("v2", Participation::Open, ResultsVisibility::AfterClose)).await;
        let ballot = ballot("1", "A");
        fixture.vote("v2", &ballot).await;
        let ballot_id = ballot["ballot_id"].as_str().expect("the ballot id is a string");
        for path in [
            "/api/v1/polls/v2/results".to_owned(),
            format!("/api/v1/polls/v2/results?ballot={ballot_id}"),
            "/api/v1/polls/v2/results/stream".to_owned(),
        ] {
            let (status, body) = fixture.get(&path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(body["code"], "results_hidden", "{path}");
        }

        let response = fixture.admin(Method::POST, "/api/v1/admin/polls/v2/close", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        let (status, body) = fixture.get("/api/v1/polls/v2/results").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["phase"], "closed");
        assert_eq!(choice_count(&body, "q", "A"), 1);

        let (status, body) = fixture.vote("v2", &super::ballot("2", "A")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "poll_closed");
    }
}

mod admin {
    use super::*;

    #[tokio::test]
    async fn shutdown_ends_result_streams() {
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let response =
            fixture.send(Request::get("/api/v1/polls/p1/results/stream").body(Body::empty()).expect("valid request")).await;
        assert_eq!(response.status(), StatusCode::OK);
        fixture.service.stop_streams.send_replace(true);
        let body = response.into_body().collect().await.expect("the stream ends").to_bytes();
        let text = String::from_utf8_lossy(&body);
        assert_eq!(text.matches("event: tally").count(), 1, "{text}");
    }

    #[tokio::test]
    async fn poll_is_created_and_exported() {
        let fixture = Fixture::new().await;
        let definition = serde_json::to_value(open_poll("neu")).expect("a poll serialises");
        let response = fixture.admin(Method::POST, "/api/v1/admin/polls", Some(&definition)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let response = fixture.admin(Method::POST, "/api/v1/admin/polls", Some(&definition)).await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["code"], "poll_exists");

        fixture.vote("neu", &ballot("1", "A")).await;
        fixture.vote("neu", &ballot("2", "B")).await;
        fixture.vote("neu", &ballot("3", "B")).await;

        let response = fixture.admin(Method::GET, "/api/v1/admin/polls/neu/export?format=csv", None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers().get(CONTENT_TYPE).map(HeaderValue::as_bytes),
            Some(b"text/csv; charset=utf-8".as_slice())
        );
        let (_, csv) = json_of(response).await;
        let csv = csv.as_str().expect("CSV is text").to_owned();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 7, "{csv}");
        assert!(lines[0].starts_with("poll_id,poll_title,"), "{csv}");
        assert!(lines[2].contains(",q,Welche?,single-choice,ballots,B,B,2,66.7"), "{csv}");

        let response = fixture.admin(Method::GET, "/api/v1/admin/polls/neu/export?format=json", None).await;
        let (status, json) = json_of(response).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json["poll"]["id"], "neu");
        assert_eq!(json["tally"]["participants"], 3);

        let response = fixture.admin(Method::GET, "/api/v1/admin/polls/neu/export?format=xml", None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn invalid_poll_lists_violations() {
        let fixture = Fixture::new().await;
        let mut definition = serde_json::to_value(open_poll("kaputt")).expect("a poll serialises");
        definition["title"] = json!("");
        definition["questions"][1]["max_selections"] = json!(9);
        let response = fixture.admin(Method::POST, "/api/v1/admin/polls", Some(&definition)).await;
        let (status, body) = json_of(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["code"], "invalid_poll");
        let keys: Vec<&str> =
            body["violations"].as_array().expect("violations").iter().filter_map(|v| v["key"].as_str()).collect();
        assert_eq!(keys, ["poll.missing_title", "poll.invalid_bounds"]);
    }

    #[tokio::test]
    async fn openapi_lists_every_route() {
        let fixture = Fixture::new().await;
        let (status, document) = fixture.get("/api/v1/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        for path in [
            "/polls/{id}",
            "/polls/{id}/ballots",
            "/polls/{id}/results",
            "/polls/{id}/results/stream",
            "/admin/polls",
            "/admin/polls/{id}/close",
            "/admin/polls/{id}/codes",
            "/admin/polls/{id}/export",
        ] {
            assert!(document["paths"].get(path).is_some(), "{path} is not documented");
        }
    }
}

/// The concurrent-votes scenario: one voter token, one stored ballot, and a
/// live count that never goes down.
mod concurrent_votes {
    use super::*;

    async fn vote_all(fixture: &Arc<Fixture>, ballots: Vec<(String, Value)>) -> Vec<(String, StatusCode)> {
        let mut tasks = tokio::task::JoinSet::new();
        for (token, body) in ballots {
            let fixture = Arc::clone(fixture);
            tasks.spawn(async move {
                let (status, _) = fixture.vote("rathaus", &body).await;
                (token, status)
            });
        }
        let mut outcomes = Vec::new();
        while let Some(outcome) = tasks.join_next().await {
            outcomes.push(outcome.expect("a voting task finishes"));
        }
        outcomes
    }

    fn statuses_of<'a>(outcomes: &'a [(String, StatusCode)], token: &str) -> Vec<&'a StatusCode> {
        let mut statuses: Vec<&StatusCode> =
            outcomes.iter().filter(|(owner, _)| owner == token).map(|(_, status)| status).collect();
        statuses.sort();
        statuses
    }

    fn vote(token: &str, choice: &str) -> (String, Value) {
        let body = json!({
            "ballot_id": Uuid::new_v4(),
            "selections": {"q": [choice]},
            "voter_token": format!("meeting-room-voter-{token}"),
        });
        (token.to_owned(), body)
    }

    /// Reads the result stream until `participants` ballots are counted and
    /// returns every version seen.
    async fn stream_versions(fixture: Arc<Fixture>, participants: u64) -> Vec<u64> {
        let response =
            fixture.send(Request::get("/api/v1/polls/rathaus/results/stream").body(Body::empty()).expect("valid request")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let mut buffer = String::new();
        let mut versions = Vec::new();
        while versions.last() != Some(&participants) {
            let frame = body.frame().await.expect("the stream stays open").expect("frames are readable");
            let Ok(data) = frame.into_data() else { continue };
            buffer.push_str(&String::from_utf8_lossy(&data));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                for line in event.lines() {
                    if let Some(json) = line.strip_prefix("data: ") {
                        let value: Value = serde_json::from_str(json).expect("events carry JSON");
                        versions.push(value["version"].as_u64().expect("events have a version"));
                    }
                }
            }
        }
        versions
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn meeting_room_votes_once_each() {
        let fixture = Arc::new(Fixture::new().await);
        let mut case = open_poll("rathaus");
        case.questions.truncate(1);
        fixture.create(&case).await;
        let watcher = tokio::spawn(stream_versions(Arc::clone(&fixture), 240));

        // Step 1: 20 voters each send A and B at the same time.
        let step1: Vec<(String, Value)> =
            (1..=20).flat_map(|n| [vote(&format!("s1-{n}"), "A"), vote(&format!("s1-{n}"), "B")]).collect();
        let outcomes = vote_all(&fixture, step1).await;
        for n in 1..=20 {
            let statuses = statuses_of(&outcomes, &format!("s1-{n}"));
            assert_eq!(statuses, [&StatusCode::CREATED, &StatusCode::CONFLICT], "voter s1-{n}");
        }
        let (_, after_step1) = fixture.get("/api/v1/polls/rathaus/results").await;
        let a1 = choice_count(&after_step1, "q", "A");
        let b1 = choice_count(&after_step1, "q", "B");
        assert_eq!(a1 + b1, 20);

        // Step 2: 20 voters each send C twice (a double click, two tabs).
        let step2: Vec<(String, Value)> =
            (1..=20).flat_map(|n| [vote(&format!("s2-{n}"), "C"), vote(&format!("s2-{n}"), "C")]).collect();
        let outcomes = vote_all(&fixture, step2).await;
        for n in 1..=20 {
            let statuses = statuses_of(&outcomes, &format!("s2-{n}"));
            assert_eq!(statuses, [&StatusCode::CREATED, &StatusCode::CONFLICT], "voter s2-{n}");
        }
        let (_, after_step2) = fixture.get("/api/v1/polls/rathaus/results").await;
        assert_eq!(choice_count(&after_step2, "q", "C"), 20);

        // Step 3: 200 voters send A together.
        let step3: Vec<(String, Value)> = (1..=200).map(|n| vote(&format!("s3-{n}"), "A")).collect();
        let outcomes = vote_all(&fixture, step3).await;
        assert!(outcomes.iter().all(|(_, status)| *status == StatusCode::CREATED));
        let (_, after_step3) = fixture.get("/api/v1/polls/rathaus/results").await;
        assert_eq!(choice_count(&after_step3, "q", "A"), a1 + 200);

        let total: u64 = ["A", "B", "C"].iter().map(|choice| choice_count(&after_step3, "q", choice)).sum();
        assert_eq!(total, 240);
        assert_eq!(after_step3["participants"], 240);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM ballots WHERE poll_id = 'rathaus'").await, 240);
        assert_eq!(fixture.count("SELECT COUNT(DISTINCT voter_key) FROM ballots").await, 240);

        let versions = watcher.await.expect("the stream reader finishes");
        assert!(versions.windows(2).all(|pair| pair[0] <= pair[1]), "versions went down: {versions:?}");
        assert_eq!(versions.last(), Some(&240));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn same_ballot_id_at_once_stores_one() {
        let fixture = Arc::new(Fixture::new().await);
        fixture.create(&open_poll("rathaus")).await;
        let body = json!({"ballot_id": Uuid::new_v4(), "selections": {"q": ["A"], "m": ["x"]}, "voter_token": "meeting-room-same-id-token"});
        let outcomes = vote_all(&fixture, (0..10).map(|_| ("same".to_owned(), body.clone())).collect()).await;
        let created = outcomes.iter().filter(|(_, status)| *status == StatusCode::CREATED).count();
        let replayed = outcomes.iter().filter(|(_, status)| *status == StatusCode::OK).count();
        assert_eq!((created, replayed), (1, 9));
        let distinct: HashSet<String> = outcomes.into_iter().map(|(token, _)| token).collect();
        assert_eq!(distinct.len(), 1);
        let stored = BTreeMap::from([("ballots", fixture.count("SELECT COUNT(*) FROM ballots").await)]);
        assert_eq!(stored["ballots"], 1);
    }
}

mod configuration {
    use super::*;
    use crate::polls::{DatabaseArgs, PollArgs};

    fn args(admin_token_file: Option<std::path::PathBuf>) -> PollArgs {
        PollArgs {
            database: DatabaseArgs { data_dir: "daten".into(), database: None },
            ballot_origins: Vec::new(),
            admin_token_file,
            ballot_rate_limit: 300,
        }
    }

    #[test]
    fn database_defaults_to_data_dir() {
        let database = args(None).database;
        assert_eq!(database.database_path(), std::path::Path::new("daten/ogkit.sqlite"));
        let explicit = DatabaseArgs { database: Some("/srv/umfragen.sqlite".into()), ..database };
        assert_eq!(explicit.database_path(), std::path::Path::new("/srv/umfragen.sqlite"));
    }

    #[test]
    fn admin_token_file_first_line_counts() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let path = root.path().join("token");
        std::fs::write(&path, format!("{ADMIN_TOKEN}\nsecond line\n")).expect("the token file can be written");
        let config = PollConfig::from_args(&args(Some(path))).expect("the token is accepted");
        assert_eq!(config.admin_token_hash, Some(hash_token(ADMIN_TOKEN)));
    }

    #[test]
    fn short_admin_token_is_rejected() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let path = root.path().join("token");
        std::fs::write(&path, "kurz\n").expect("the token file can be written");
        let error = PollConfig::from_args(&args(Some(path))).expect_err("a short token is rejected");
        assert!(error.to_string().contains("shorter than 16 characters"), "{error}");
    }

    #[test]
    fn missing_token_file_is_named() {
        let error = PollConfig::from_args(&args(Some("/nonexistent/token".into())))
            .expect_err("a missing file is an error");
        assert!(error.to_string().contains("/nonexistent/token"), "{error}");
    }
}

/// The warning for ballots that the same-site check rejects.
mod logging {
    use super::*;
    use crate::guard::LOGGED_REJECTIONS_PER_MINUTE;
    use crate::test_log::{capture_globally, run_alone};

    #[test]
    fn origin_rejection_logged() {
        run_alone("polls::tests::logging::logged_origin_rejection");
    }

    #[tokio::test]
    #[ignore = "runs in a child process of origin_rejection_logged"]
    async fn logged_origin_rejection() {
        let captured = capture_globally();
        let fixture = Fixture::new().await;
        fixture.create(&open_poll("p1")).await;
        let rejections = LOGGED_REJECTIONS_PER_MINUTE + 3;
        for index in 0..rejections {
            let mut request = post_request("/api/v1/polls/p1/ballots", ballot(&index.to_string(), "A").to_string());
            request.headers_mut().insert(ORIGIN, HeaderValue::from_static("https://www.example-stadt.de:8443"));
            request.headers_mut().insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
            let (status, body) = json_of(fixture.send(request).await).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "ballot {index}: {body}");
            assert_eq!(body["code"], "origin_not_allowed", "ballot {index}");
        }

        let log = captured.text();
        let warnings: Vec<&str> = log.lines().filter(|line| line.contains("rejected by the same-site check")).collect();
        assert_eq!(warnings.len(), LOGGED_REJECTIONS_PER_MINUTE as usize, "one line per rejection up to the quota:\n{log}");
        let first = warnings[0];
        assert!(first.contains("WARN"), "{first}");
        assert!(first.contains("poll_id=p1"), "{first}");
        assert!(first.contains("origin=https://www.example-stadt.de:8443"), "{first}");
        assert!(first.contains("host=127.0.0.1:8080"), "{first}");
        assert!(first.contains("flag=\"--ballot-origin\""), "{first}");
        assert!(!log.contains("voter-token-for-"), "a voter token reached the log:\n{log}");
    }
}
