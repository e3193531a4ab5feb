//! In-process tests of the router: each test builds `app()` on temporary
//! directories and sends requests with `oneshot`, without a socket.

use std::fs;
use std::io::Read as _;

use axum::body::Body;
use axum::http::header::{
    ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH,
    CONTENT_RANGE, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION, ORIGIN, RANGE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse as _, Response};
use axum::Router;
use tempfile::TempDir;
use tower::ServiceExt as _;

use super::headers::CONTENT_SECURITY_POLICY_VALUE;
use super::{app, parse_allowed_origin, AllowedOrigin, ServeConfig};

/// Content of a file next to the served directories; no response may ever
/// contain it.
const SECRET: &str = "SECRET-OUTSIDE-THE-SERVED-DIRECTORIES";

/// Served directories in a temporary folder, plus a secret file beside them.
struct Fixture {
    root: TempDir,
}

impl Fixture {
    fn new() -> Self {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let write = |relative: &str, content: &[u8]| {
            let path = root.path().join(relative);
            fs::create_dir_all(path.parent().expect("fixture paths have a parent"))
                .expect("fixture directories can be created");
            fs::write(path, content).expect("fixture files can be written");
        };
        write("Cargo.toml", SECRET.as_bytes());
        write("pkg/ogkit.js", widget_script().as_bytes());
        write(
            "pkg/ogkit_widgets.js",
            b"export default function init() { return 'glue'; }\n",
        );
        write("pkg/ogkit_widgets_bg.wasm", &wasm_module());
        write(
            "pkg/ogkit.css",
            b".og-search { color: var(--og-text, #1a1a1a); }\n"
                .repeat(20)
                .as_slice(),
        );
        write(
            "demo/index.html",
            b"<!doctype html><title>Demo</title><h1>Musterstadt</h1>\n",
        );
        write(
            "demo/sub/index.html",
            b"<!doctype html><title>Sub</title>\n",
        );
        write("demo/module.mjs", b"export const answer = 42;\n");
        write("demo/notes.txt", b"Notizen\n");
        write(
            "demo/logo.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        );
        write("demo/.env", SECRET.as_bytes());
        write(
            "demo/.well-known/security.txt",
            b"Contact: mailto:security@example.invalid\n",
        );
        write("demo/daten/leistungen.json", b"{\"services\":[]}\n");
        write("demo/daten/tabelle.csv", b"Name;Wert\nA;1\n");
        write("www/index.html", b"<!doctype html><title>Doku</title>\n");
        write(
            "www/de/index.html",
            b"<!doctype html><title>Doku DE</title>\n",
        );
        write("www/guide.md", b"# Anleitung\n");
        Self { root }
    }

    fn config(&self) -> ServeConfig {
        ServeConfig {
            pkg_dir: self.root.path().join("pkg"),
            demo_dir: self.root.path().join("demo"),
            docs_dir: self.root.path().join("www"),
            allowed_origins: Vec::new(),
        }
    }

    fn app(&self) -> Router {
        app(&self.config())
    }

    fn read(&self, relative: &str) -> Vec<u8> {
        fs::read(self.root.path().join(relative)).expect("fixture file exists")
    }
}

/// Returns a script large enough to be worth compressing.
fn widget_script() -> String {
    let mut script = String::from("// ogkit loader\n");
    for index in 0..200 {
        script.push_str(&format!("customElements.get('og-widget-{index}');\n"));
    }
    script
}

/// Returns bytes that start like a wasm module and compress well.
fn wasm_module() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend(std::iter::repeat_n(0x0b_u8, 4000));
    bytes
}

fn request(path: &str) -> axum::http::request::Builder {
    Request::builder().uri(path)
}

async fn send(router: Router, request: Request<Body>) -> Response {
    match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

async fn get(router: Router, path: &str) -> Response {
    send(
        router,
        request(path).body(Body::empty()).expect("valid request"),
    )
    .await
}

async fn body_bytes(response: Response) -> Vec<u8> {
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the body can be read")
        .to_vec()
}

async fn body_text(response: Response) -> String {
    String::from_utf8(body_bytes(response).await).expect("the body is UTF-8")
}

fn header(response: &Response, name: impl axum::http::header::AsHeaderName) -> &str {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("header is ASCII"))
        .unwrap_or("")
}

/// Every `Vary` value of `response`, joined: layers may add their own
/// `Vary` header line, which HTTP reads as one list.
fn vary(response: &Response) -> String {
    let values: Vec<&str> =
        response.headers().get_all("vary").iter().map(|value| value.to_str().expect("header is ASCII")).collect();
    values.join(", ")
}

mod content_types {
    use super::*;

    #[tokio::test]
    async fn each_extension_has_exact_type() {
        let fixture = Fixture::new();
        let cases = [
            ("/ogkit/ogkit.js", "text/javascript; charset=utf-8"),
            ("/ogkit/ogkit_widgets.js", "text/javascript; charset=utf-8"),
            ("/ogkit/ogkit_widgets_bg.wasm", "application/wasm"),
            ("/ogkit/ogkit.css", "text/css; charset=utf-8"),
            ("/module.mjs", "text/javascript; charset=utf-8"),
            ("/", "text/html; charset=utf-8"),
            ("/index.html", "text/html; charset=utf-8"),
            ("/logo.svg", "image/svg+xml"),
            ("/notes.txt", "text/plain; charset=utf-8"),
            ("/daten/leistungen.json", "application/json"),
            ("/daten/tabelle.csv", "text/csv"),
            ("/docs/guide.md", "text/markdown; charset=utf-8"),
        ];
        for (path, expected) in cases {
            let response = get(fixture.app(), path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(header(&response, CONTENT_TYPE), expected, "{path}");
        }
    }

    #[tokio::test]
    async fn wasm_is_served_unchanged() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/ogkit/ogkit_widgets_bg.wasm").await;
        assert_eq!(header(&response, CONTENT_TYPE), "application/wasm");
        assert_eq!(
            body_bytes(response).await,
            fixture.read("pkg/ogkit_widgets_bg.wasm")
        );
    }
}

mod compression {
    use super::*;

    async fn get_encoded(router: Router, path: &str, accept_encoding: &str) -> Response {
        let request = request(path)
            .header(ACCEPT_ENCODING, accept_encoding)
            .body(Body::empty())
            .expect("valid request");
        send(router, request).await
    }

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut decoded)
            .expect("the body is valid gzip");
        decoded
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut decoded = Vec::new();
        brotli_decompressor::Decompressor::new(bytes, 4096)
            .read_to_end(&mut decoded)
            .expect("the body is valid brotli");
        decoded
    }

    #[tokio::test]
    async fn gzip_body_decodes_to_file() {
        let fixture = Fixture::new();
        let response = get_encoded(fixture.app(), "/ogkit/ogkit.js", "gzip").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_ENCODING), "gzip");
        assert!(vary(&response).contains("accept-encoding"));
        let body = body_bytes(response).await;
        assert_eq!(gunzip(&body), fixture.read("pkg/ogkit.js"));
    }

    #[tokio::test]
    async fn brotli_is_preferred_and_decodes() {
        let fixture = Fixture::new();
        let response = get_encoded(fixture.app(), "/ogkit/ogkit.css", "gzip, deflate, br").await;
        assert_eq!(header(&response, CONTENT_ENCODING), "br");
        let body = body_bytes(response).await;
        assert_eq!(unbrotli(&body), fixture.read("pkg/ogkit.css"));
    }

    #[tokio::test]
    async fn wasm_is_compressed() {
        let fixture = Fixture::new();
        let response = get_encoded(fixture.app(), "/ogkit/ogkit_widgets_bg.wasm", "br").await;
        assert_eq!(header(&response, CONTENT_TYPE), "application/wasm");
        assert_eq!(header(&response, CONTENT_ENCODING), "br");
        let body = body_bytes(response).await;
        let original = fixture.read("pkg/ogkit_widgets_bg.wasm");
        assert!(body.len() < original.len());
        assert_eq!(unbrotli(&body), original);
    }

    #[tokio::test]
    async fn no_accept_encoding_sends_identity() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/ogkit/ogkit.js").await;
        assert_eq!(header(&response, CONTENT_ENCODING), "");
        let expected = fixture.read("pkg/ogkit.js");
        assert_eq!(
            header(&response, CONTENT_LENGTH),
            expected.len().to_string()
        );
        assert_eq!(body_bytes(response).await, expected);
    }

    #[tokio::test]
    async fn range_request_is_not_compressed() {
        let fixture = Fixture::new();
        let request = request("/ogkit/ogkit_widgets_bg.wasm")
            .header(ACCEPT_ENCODING, "gzip, br")
            .header(RANGE, "bytes=0-7")
            .body(Body::empty())
            .expect("valid request");
        let response = send(fixture.app(), request).await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(header(&response, CONTENT_ENCODING), "");
        assert_eq!(header(&response, CONTENT_RANGE), "bytes 0-7/4008");
        assert_eq!(body_bytes(response).await, b"\0asm\x01\0\0\0");
    }

    #[tokio::test]
    async fn head_has_headers_without_body() {
        let fixture = Fixture::new();
        let request = request("/ogkit/ogkit_widgets_bg.wasm")
            .method(Method::HEAD)
            .body(Body::empty())
            .expect("valid request");
        let response = send(fixture.app(), request).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_TYPE), "application/wasm");
        assert_eq!(header(&response, CONTENT_LENGTH), "4008");
        assert_eq!(header(&response, CACHE_CONTROL), "public, max-age=3600");
        assert!(body_bytes(response).await.is_empty());
    }

    /// Writes compressed copies of `pkg/ogkit_widgets.js` as `cargo xtask
    /// build` does, at a level the on-the-fly compression does not use, so
    /// the test can tell which one was sent.
    fn write_shipped_copies(fixture: &Fixture) -> (Vec<u8>, Vec<u8>) {
        let original = fixture.read("pkg/ogkit_widgets.js");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut encoder, &original).expect("gzip in memory");
        let gzip = encoder.finish().expect("gzip in memory");
        let mut brotli = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 1, 22);
            std::io::Write::write_all(&mut writer, &original).expect("brotli in memory");
        }
        let pkg = fixture.root.path().join("pkg");
        fs::write(pkg.join("ogkit_widgets.js.gz"), &gzip).expect("fixture files can be written");
        fs::write(pkg.join("ogkit_widgets.js.br"), &brotli).expect("fixture files can be written");
        (gzip, brotli)
    }

    #[tokio::test]
    async fn shipped_gzip_copy_is_sent_as_it_is() {
        let fixture = Fixture::new();
        let (gzip, _) = write_shipped_copies(&fixture);
        let response = get_encoded(fixture.app(), "/ogkit/ogkit_widgets.js", "gzip").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_ENCODING), "gzip");
        assert_eq!(header(&response, CONTENT_TYPE), "text/javascript; charset=utf-8");
        assert!(vary(&response).contains("accept-encoding"));
        let body = body_bytes(response).await;
        assert_eq!(body, gzip);
        assert_eq!(gunzip(&body), fixture.read("pkg/ogkit_widgets.js"));
    }

    #[tokio::test]
    async fn shipped_brotli_copy_is_preferred() {
        let fixture = Fixture::new();
        let (_, brotli) = write_shipped_copies(&fixture);
        let response = get_encoded(fixture.app(), "/ogkit/ogkit_widgets.js", "gzip, br").await;
        assert_eq!(header(&response, CONTENT_ENCODING), "br");
        assert_eq!(body_bytes(response).await, brotli);
    }

    #[tokio::test]
    async fn shipped_copies_are_not_sent_without_accept_encoding() {
        let fixture = Fixture::new();
        write_shipped_copies(&fixture);
        let response = get(fixture.app(), "/ogkit/ogkit_widgets.js").await;
        assert_eq!(header(&response, CONTENT_ENCODING), "");
        assert!(vary(&response).contains("accept-encoding"));
        assert_eq!(body_bytes(response).await, fixture.read("pkg/ogkit_widgets.js"));
    }

    #[tokio::test]
    async fn compressed_body_has_weak_etag() {
        let fixture = Fixture::new();
        let plain = get(fixture.app(), "/ogkit/ogkit.js").await;
        let strong = header(&plain, ETAG).to_owned();
        let compressed = get_encoded(fixture.app(), "/ogkit/ogkit.js", "gzip").await;
        assert!(strong.starts_with('"'), "{strong}");
        assert_eq!(header(&compressed, ETAG), format!("W/{strong}"));
    }
}

mod caching {
    use super::*;

    async fn get_with(router: Router, path: &str, name: &str, value: &str) -> Response {
        let request = request(path)
            .header(name, value)
            .body(Body::empty())
            .expect("valid request");
        send(router, request).await
    }

    #[tokio::test]
    async fn widget_files_cache_for_an_hour() {
        let fixture = Fixture::new();
        for path in [
            "/ogkit/ogkit.js",
            "/ogkit/ogkit_widgets_bg.wasm",
            "/ogkit/ogkit.css",
        ] {
            let response = get(fixture.app(), path).await;
            assert_eq!(
                header(&response, CACHE_CONTROL),
                "public, max-age=3600",
                "{path}"
            );
            assert!(!header(&response, ETAG).is_empty(), "{path}");
            assert!(!header(&response, LAST_MODIFIED).is_empty(), "{path}");
        }
    }

    #[tokio::test]
    async fn pages_and_data_use_no_cache() {
        let fixture = Fixture::new();
        for path in ["/", "/docs/", "/daten/leistungen.json", "/logo.svg"] {
            let response = get(fixture.app(), path).await;
            assert_eq!(header(&response, CACHE_CONTROL), "no-cache", "{path}");
        }
    }

    #[tokio::test]
    async fn matching_etag_returns_304() {
        let fixture = Fixture::new();
        let first = get(fixture.app(), "/ogkit/ogkit.js").await;
        let etag = header(&first, ETAG).to_owned();
        let second = get_with(fixture.app(), "/ogkit/ogkit.js", "if-none-match", &etag).await;
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&second, CACHE_CONTROL), "public, max-age=3600");
        assert_eq!(header(&second, X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert!(body_bytes(second).await.is_empty());
    }

    #[tokio::test]
    async fn weak_etag_of_compressed_body_returns_304() {
        let fixture = Fixture::new();
        let first = get_with(fixture.app(), "/ogkit/ogkit.js", "accept-encoding", "gzip").await;
        let weak = header(&first, ETAG).to_owned();
        assert!(weak.starts_with("W/"), "{weak}");
        let request = request("/ogkit/ogkit.js")
            .header(ACCEPT_ENCODING, "gzip")
            .header(IF_NONE_MATCH, &weak)
            .body(Body::empty())
            .expect("valid request");
        let second = send(fixture.app(), request).await;
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
    }

    #[tokio::test]
    async fn unmodified_since_returns_304() {
        let fixture = Fixture::new();
        let first = get(fixture.app(), "/").await;
        let last_modified = header(&first, LAST_MODIFIED).to_owned();
        let second = get_with(
            fixture.app(),
            "/",
            IF_MODIFIED_SINCE.as_str(),
            &last_modified,
        )
        .await;
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&second, CACHE_CONTROL), "no-cache");
    }

    #[tokio::test]
    async fn other_etag_returns_full_file() {
        let fixture = Fixture::new();
        let response = get_with(
            fixture.app(),
            "/ogkit/ogkit.js",
            "if-none-match",
            "\"not-this-one\"",
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_bytes(response).await, fixture.read("pkg/ogkit.js"));
    }

    #[tokio::test]
    async fn api_and_errors_use_no_store() {
        let fixture = Fixture::new();
        for path in [
            "/api/v1/health",
            "/api/v1/unknown",
            "/missing.html",
            "/ogkit/missing.js",
        ] {
            let response = get(fixture.app(), path).await;
            assert_eq!(header(&response, CACHE_CONTROL), "no-store", "{path}");
        }
    }
}

mod security_headers {
    use super::*;

    const ALL_KINDS: [&str; 9] = [
        "/",
        "/ogkit/ogkit.js",
        "/ogkit/ogkit_widgets_bg.wasm",
        "/daten/leistungen.json",
        "/docs/guide.md",
        "/api/v1/health",
        "/api/v1/unknown",
        "/missing",
        "/ogkit/../Cargo.toml",
    ];

    #[tokio::test]
    async fn every_response_has_nosniff_and_referrer_policy() {
        let fixture = Fixture::new();
        for path in ALL_KINDS {
            let response = get(fixture.app(), path).await;
            assert_eq!(
                header(&response, X_CONTENT_TYPE_OPTIONS),
                "nosniff",
                "{path}"
            );
            assert_eq!(
                header(&response, REFERRER_POLICY),
                "strict-origin-when-cross-origin",
                "{path}"
            );
            assert_eq!(
                header(&response, "cross-origin-resource-policy"),
                "same-site",
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn html_has_exact_csp() {
        let expected = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
            style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
            base-uri 'self'; frame-ancestors 'self'";
        assert_eq!(CONTENT_SECURITY_POLICY_VALUE, expected);
        let fixture = Fixture::new();
        for path in ["/", "/docs/", "/sub/", "/missing", "/logo.svg"] {
            let response = get(fixture.app(), path).await;
            assert_eq!(
                header(&response, CONTENT_SECURITY_POLICY),
                expected,
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn assets_have_no_csp() {
        let fixture = Fixture::new();
        for path in [
            "/ogkit/ogkit.js",
            "/ogkit/ogkit_widgets_bg.wasm",
            "/api/v1/health",
        ] {
            let response = get(fixture.app(), path).await;
            assert_eq!(header(&response, CONTENT_SECURITY_POLICY), "", "{path}");
        }
    }
}

mod cross_origin {
    use super::*;

    const STADT: &str = "https://www.example-stadt.de";

    fn app_allowing(fixture: &Fixture, origins: &[&str]) -> Router {
        let mut config = fixture.config();
        config.allowed_origins = origins
            .iter()
            .map(|origin| parse_allowed_origin(origin).expect("test origins are valid"))
            .collect();
        app(&config)
    }

    async fn get_from(router: Router, path: &str, origin: &str) -> Response {
        let request = request(path)
            .header(ORIGIN, origin)
            .body(Body::empty())
            .expect("valid request");
        send(router, request).await
    }

    #[tokio::test]
    async fn no_cors_by_default() {
        let fixture = Fixture::new();
        let response = get_from(fixture.app(), "/ogkit/ogkit.js", STADT).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), "");
    }

    #[tokio::test]
    async fn allowed_origin_may_load_widgets_and_data() {
        let fixture = Fixture::new();
        for path in [
            "/ogkit/ogkit.js",
            "/ogkit/ogkit_widgets_bg.wasm",
            "/daten/leistungen.json",
        ] {
            let response = get_from(app_allowing(&fixture, &[STADT]), path, STADT).await;
            assert_eq!(
                header(&response, ACCESS_CONTROL_ALLOW_ORIGIN),
                STADT,
                "{path}"
            );
            assert_eq!(
                header(&response, "cross-origin-resource-policy"),
                "cross-origin",
                "{path}"
            );
            assert!(vary(&response).contains("origin"), "{path}");
        }
    }

    #[tokio::test]
    async fn other_origin_gets_no_cors() {
        let fixture = Fixture::new();
        let router = app_allowing(&fixture, &[STADT]);
        let response = get_from(router, "/ogkit/ogkit.js", "https://evil.example").await;
        assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), "");
    }

    #[tokio::test]
    async fn pages_and_api_stay_same_site() {
        let fixture = Fixture::new();
        for path in ["/", "/docs/", "/api/v1/health"] {
            let response = get_from(app_allowing(&fixture, &[STADT]), path, STADT).await;
            assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), "", "{path}");
            assert_eq!(
                header(&response, "cross-origin-resource-policy"),
                "same-site",
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn wildcard_allows_every_origin() {
        let fixture = Fixture::new();
        let router = app_allowing(&fixture, &["*"]);
        let response = get_from(router, "/daten/leistungen.json", "https://anywhere.example").await;
        assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    }

    #[tokio::test]
    async fn preflight_is_answered() {
        let fixture = Fixture::new();
        let request = request("/daten/leistungen.json")
            .method(Method::OPTIONS)
            .header(ORIGIN, STADT)
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .expect("valid request");
        let response = send(app_allowing(&fixture, &[STADT]), request).await;
        assert!(response.status().is_success(), "{}", response.status());
        assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), STADT);
        assert!(header(&response, "access-control-allow-methods").contains("GET"));
    }

    #[test]
    fn origin_flag_accepts_origins_only() {
        let valid = [
            (
                "https://www.example-stadt.de",
                "https://www.example-stadt.de",
            ),
            (
                "HTTPS://WWW.Example-Stadt.DE",
                "https://www.example-stadt.de",
            ),
            ("http://localhost:8081", "http://localhost:8081"),
            (
                "https://www.example-stadt.de/",
                "https://www.example-stadt.de",
            ),
        ];
        for (input, expected) in valid {
            let parsed = parse_allowed_origin(input);
            assert_eq!(
                parsed,
                Ok(AllowedOrigin::Origin(HeaderValue::from_static(expected))),
                "{input}"
            );
        }
        assert_eq!(parse_allowed_origin("*"), Ok(AllowedOrigin::Any));

        let invalid = [
            "www.example-stadt.de",
            "ftp://www.example-stadt.de",
            "https://www.example-stadt.de/leistungen",
            "https://www.example-stadt.de?x=1",
            "https://user@www.example-stadt.de",
            "",
            "https://",
        ];
        for input in invalid {
            let error = parse_allowed_origin(input).expect_err(input);
            assert!(error.contains("invalid origin"), "{input}: {error}");
            assert!(
                error.contains("https://www.example-stadt.de"),
                "{input}: {error}"
            );
        }
    }
}

mod traversal {
    use super::*;

    /// Paths that try to leave a served directory or reach hidden files,
    /// with the status each must get.
    const ATTEMPTS: &[(&str, StatusCode)] = &[
        ("/ogkit/../Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/../../Cargo.toml", StatusCode::BAD_REQUEST),
        ("/docs/../Cargo.toml", StatusCode::BAD_REQUEST),
        ("/daten/../../Cargo.toml", StatusCode::BAD_REQUEST),
        ("/../Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/%2e%2e/Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/%2E%2E/%2E%2E/Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/..%2fCargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/..%2FCargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/.%2e/Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/..\\Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/..%5cCargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/..%5C..%5CCargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/ogkit.js%00", StatusCode::BAD_REQUEST),
        ("/ogkit/ogkit.js%00.html", StatusCode::BAD_REQUEST),
        ("/ogkit/%0a", StatusCode::BAD_REQUEST),
        ("/ogkit/%c0%ae%c0%ae/Cargo.toml", StatusCode::BAD_REQUEST),
        ("/ogkit/%ff", StatusCode::BAD_REQUEST),
        ("/api/v1/../../Cargo.toml", StatusCode::BAD_REQUEST),
        // Decoded once these are file names, not `..`, and no such file exists.
        ("/ogkit/%252e%252e/Cargo.toml", StatusCode::NOT_FOUND),
        ("/ogkit/%2fetc%2fpasswd", StatusCode::NOT_FOUND),
        ("//etc/passwd", StatusCode::NOT_FOUND),
        ("/ogkit//etc/passwd", StatusCode::NOT_FOUND),
        // Hidden files count as absent.
        ("/.env", StatusCode::NOT_FOUND),
        ("/%2eenv", StatusCode::NOT_FOUND),
        ("/daten/../.env", StatusCode::BAD_REQUEST),
        ("/.git/config", StatusCode::NOT_FOUND),
    ];

    #[tokio::test]
    async fn attempts_never_reach_outside_files() {
        let fixture = Fixture::new();
        for &(path, expected) in ATTEMPTS {
            let response = get(fixture.app(), path).await;
            assert_eq!(response.status(), expected, "{path}");
            let body = body_text(response).await;
            assert!(!body.contains(SECRET), "{path} leaked the secret");
            assert!(!body.contains("root:"), "{path} leaked /etc/passwd");
        }
    }

    #[tokio::test]
    async fn api_attempts_get_json() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/api/v1/%2e%2e/x").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(header(&response, CONTENT_TYPE), "application/json");
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("the body is JSON");
        assert_eq!(body["code"], "invalid_path");
    }

    #[tokio::test]
    async fn well_known_stays_reachable() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/.well-known/security.txt").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

mod not_found {
    use super::*;

    #[tokio::test]
    async fn unknown_page_is_bilingual_html() {
        let fixture = Fixture::new();
        for path in [
            "/missing",
            "/ogkit/missing.js",
            "/docs/missing/",
            "/daten/missing.json",
        ] {
            let response = get(fixture.app(), path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                header(&response, CONTENT_TYPE),
                "text/html; charset=utf-8",
                "{path}"
            );
            let body = body_text(response).await;
            assert!(body.contains("<html lang=\"de\">"), "{path}");
            assert!(body.contains("Seite nicht gefunden"), "{path}");
            assert!(body.contains("<div lang=\"en\">"), "{path}");
            assert!(body.contains("Page not found"), "{path}");
        }
    }

    #[tokio::test]
    async fn unknown_api_path_is_json() {
        let fixture = Fixture::new();
        for path in [
            "/api",
            "/api/",
            "/api/v1",
            "/api/v1/nothing",
            "/api/v2/health",
        ] {
            let response = get(fixture.app(), path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                header(&response, CONTENT_TYPE),
                "application/json",
                "{path}"
            );
            let body: serde_json::Value =
                serde_json::from_str(&body_text(response).await).expect("the body is JSON");
            assert_eq!(body["code"], "not_found", "{path}");
            assert!(
                body["message"].as_str().unwrap_or("").contains(path),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn wrong_api_method_is_json() {
        let fixture = Fixture::new();
        let request = request("/api/v1/health")
            .method(Method::DELETE)
            .body(Body::empty())
            .expect("valid request");
        let response = send(fixture.app(), request).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("the body is JSON");
        assert_eq!(body["code"], "method_not_allowed");
    }

    #[tokio::test]
    async fn post_to_page_is_405() {
        let fixture = Fixture::new();
        for path in ["/", "/ogkit/ogkit.js", "/docs/"] {
            let request = request(path)
                .method(Method::POST)
                .body(Body::empty())
                .expect("valid request");
            let response = send(fixture.app(), request).await;
            assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        }
    }

    #[tokio::test]
    async fn missing_directory_gives_404() {
        let fixture = Fixture::new();
        let mut config = fixture.config();
        config.pkg_dir = fixture.root.path().join("not-built");
        let response = get(app(&config), "/ogkit/ogkit.js").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn panic_payload_stays_private() {
        let payload: Box<dyn std::any::Any + Send> = Box::new("boom");
        let response = super::super::error::AppError::from_panic(payload);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("the body is JSON");
        assert_eq!(body["code"], "internal");
        assert!(!body["message"].as_str().unwrap_or("").contains("boom"));
    }

    #[tokio::test]
    async fn handler_panic_becomes_json_500() {
        use super::super::app::with_middleware;
        use super::super::headers::HeaderPolicy;

        async fn boom() -> StatusCode {
            panic!("boom with details")
        }

        let routes = Router::new().route("/api/v1/boom", axum::routing::get(boom));
        let policy = HeaderPolicy {
            cross_origin_embedding: false,
        };
        let response = get(with_middleware(routes, policy), "/api/v1/boom").await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(header(&response, X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header(&response, CACHE_CONTROL), "no-store");
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("the body is JSON");
        assert_eq!(body["code"], "internal");
        assert!(body["request_id"].is_u64(), "{body}");
        let message = body["message"].as_str().unwrap_or("");
        assert!(!message.contains("boom"), "{message}");
        assert!(message.contains("request id"), "{message}");
    }

    #[tokio::test]
    async fn api_error_has_code_and_message() {
        let error = super::super::error::AppError::InvalidPath {
            reason: "test reason",
        };
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("the body is JSON");
        assert_eq!(body["code"], "invalid_path");
        assert_eq!(body["message"], "invalid request path: test reason");
    }
}

mod health {
    use super::*;

    #[tokio::test]
    async fn health_reports_ok_and_version() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/api/v1/health").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_TYPE), "application/json");
        let body: serde_json::Value =
            serde_json::from_str(&body_text(response).await).expect("the body is JSON");
        assert_eq!(body["status"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    }

    #[tokio::test]
    async fn health_answers_with_missing_directories() {
        let root = tempfile::tempdir().expect("a temporary directory can be created");
        let config = ServeConfig {
            pkg_dir: root.path().join("pkg"),
            demo_dir: root.path().join("demo"),
            docs_dir: root.path().join("www"),
            allowed_origins: Vec::new(),
        };
        let response = get(app(&config), "/api/v1/health").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

mod directories {
    use super::*;

    #[tokio::test]
    async fn root_serves_demo_index() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_bytes(response).await, fixture.read("demo/index.html"));
    }

    #[tokio::test]
    async fn directory_serves_its_index() {
        let fixture = Fixture::new();
        let cases = [
            ("/sub/", "demo/sub/index.html"),
            ("/docs/", "www/index.html"),
            ("/docs/de/", "www/de/index.html"),
        ];
        for (path, file) in cases {
            let response = get(fixture.app(), path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(body_bytes(response).await, fixture.read(file), "{path}");
        }
    }

    #[tokio::test]
    async fn directory_without_slash_redirects() {
        let fixture = Fixture::new();
        let cases = [
            ("/docs", "/docs/"),
            ("/ogkit", "/ogkit/"),
            ("/docs/de", "/docs/de/"),
            ("/sub", "/sub/"),
            ("/daten", "/daten/"),
        ];
        for (path, location) in cases {
            let response = get(fixture.app(), path).await;
            assert!(
                response.status().is_redirection(),
                "{path}: {}",
                response.status()
            );
            assert_eq!(header(&response, LOCATION), location, "{path}");
        }
    }

    #[tokio::test]
    async fn directory_without_index_is_404() {
        let fixture = Fixture::new();
        let response = get(fixture.app(), "/daten/").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}

mod arguments {
    use clap::{CommandFactory as _, Parser};

    use super::super::{LogFormat, ServeArgs};

    #[derive(Debug, Parser)]
    struct TestCli {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn parse(arguments: &[&str]) -> Result<ServeArgs, clap::Error> {
        let all = std::iter::once("serve").chain(arguments.iter().copied());
        TestCli::try_parse_from(all).map(|cli| cli.args)
    }

    #[test]
    fn defaults_match_the_layout() {
        TestCli::command().debug_assert();
        let args = parse(&[]).expect("no arguments are needed");
        assert_eq!(args.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(args.pkg, std::path::Path::new("pkg"));
        assert_eq!(args.demo, std::path::Path::new("demo"));
        assert_eq!(args.docs, std::path::Path::new("target/docs"));
        assert!(args.allow_origins.is_empty());
        assert_eq!(args.log_format, LogFormat::Text);
    }

    #[test]
    fn origins_can_repeat() {
        let args = parse(&[
            "--allow-origin",
            "https://a.example",
            "--allow-origin",
            "https://b.example",
        ])
        .expect("valid origins");
        assert_eq!(args.allow_origins.len(), 2);
    }

    #[test]
    fn host_name_address_is_explained() {
        let error = parse(&["--addr", "localhost:8080"]).expect_err("host names are rejected");
        let message = error.to_string();
        assert!(message.contains("127.0.0.1:8080"), "{message}");
        assert!(message.contains("localhost"), "{message}");
    }

    #[test]
    fn port_zero_is_allowed() {
        let args = parse(&["--addr", "127.0.0.1:0"]).expect("port 0 is valid");
        assert_eq!(args.addr.port(), 0);
    }
}

#[test]
fn check_path_accepts_ordinary_paths() {
    use super::path_guard::check_path;

    for path in [
        "/",
        "/ogkit/ogkit.js",
        "/docs/de/",
        "/a%20b.html",
        "/./x",
        "/.well-known/x",
    ] {
        assert_eq!(check_path(path), Ok(()), "{path}");
    }
}

mod content_hashes {
    use super::*;
    use crate::serve::headers::{has_content_hash, HASHED_CACHE_CONTROL};

    #[test]
    fn hashed_names_are_recognised() {
        assert!(has_content_hash("/ogkit/ogkit_widgets_bg.0123456789abcdef.wasm"));
        assert!(has_content_hash("/ogkit/ogkit.0123456789abcdef.css"));
        assert!(!has_content_hash("/ogkit/ogkit.js"));
        assert!(!has_content_hash("/ogkit/ogkit_widgets_bg.wasm"));
        assert!(!has_content_hash("/ogkit/ogkit.0123456789ABCDEF.css"), "lowercase only");
        assert!(!has_content_hash("/ogkit/ogkit.0123456789abcde.css"), "15 digits");
        assert!(!has_content_hash("/ogkit/.0123456789abcdef.css"), "no name");
        assert!(!has_content_hash("/ogkit/0123456789abcdef.css"), "no name before the hash");
    }

    #[tokio::test]
    async fn hashed_widget_files_are_immutable_and_the_loader_is_not() {
        let fixture = Fixture::new();
        let wasm = fixture.read("pkg/ogkit_widgets_bg.wasm");
        fs::write(fixture.root.path().join("pkg/ogkit_widgets_bg.0123456789abcdef.wasm"), &wasm)
            .expect("fixture file can be written");
        let response = get(fixture.app(), "/ogkit/ogkit_widgets_bg.0123456789abcdef.wasm").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, CONTENT_TYPE), "application/wasm");
        assert_eq!(header(&response, CACHE_CONTROL), HASHED_CACHE_CONTROL);

        let loader = get(fixture.app(), "/ogkit/ogkit.js").await;
        assert_eq!(header(&loader, CACHE_CONTROL), "public, max-age=3600");

        let missing = get(fixture.app(), "/ogkit/ogkit.fedcba9876543210.css").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(header(&missing, CACHE_CONTROL), "no-store", "a 404 is never cached");

        let site = fixture.root.path().join("demo/app.0123456789abcdef.js");
        fs::write(site, b"export {};\n").expect("fixture file can be written");
        let outside = get(fixture.app(), "/app.0123456789abcdef.js").await;
        assert_eq!(header(&outside, CACHE_CONTROL), "no-cache", "only /ogkit/ is immutable");
    }
}
