//! Static files: one directory mounted at one URL prefix.
//!
//! tower-http's `ServeDir` does the file work: `index.html` for directory
//! requests, a redirect from `/dir` to `/dir/`, `Range`, `HEAD`, and
//! `ETag`/`Last-Modified` with 304 responses. This module strips the mount
//! prefix, sets the exact content types the widgets and pages need, and
//! turns empty 404, 405 and 500 responses into readable pages.
//!
//! NOTE: `ServeDir` follows symbolic links, also ones that point outside
//! the directory. Only the operator can create them, so they count as
//! deliberate.

use std::io;
use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::Response;
use tower_http::services::ServeDir;

use super::pages;

/// A directory served under a URL prefix.
#[derive(Clone, Debug)]
pub(crate) struct StaticDir {
    /// URL prefix without the trailing slash (`/ogkit`), or `""` for the root.
    mount: &'static str,
    files: ServeDir,
}

impl StaticDir {
    /// Serves `root` under `mount`.
    pub(crate) fn new(mount: &'static str, root: &Path) -> Self {
        // `FILE.gz` and `FILE.br` beside a file are sent as they are to
        // browsers that accept them: `cargo xtask build` writes them for
        // `pkg/` at the best compression, which on-the-fly compression
        // cannot afford. Files without them are compressed by the layer
        // in `app`.
        let files = ServeDir::new(root)
            .append_index_html_on_directories(true)
            .redirect_path_prefix(mount)
            .precompressed_br()
            .precompressed_gzip();
        Self { mount, files }
    }

    /// Serves one GET or HEAD request.
    pub(crate) async fn serve(self, request: Request) -> Response {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path();
        let relative = path.strip_prefix(self.mount).unwrap_or(path);
        // Routing only sends paths below the mount here, so `relative` starts
        // with `/` and is a valid URI; the error branch is a safeguard.
        parts.uri = match Uri::try_from(relative) {
            Ok(uri) => uri,
            Err(error) => {
                tracing::debug!(%error, "static file: path without the mount is not a URI");
                return pages::error_page(StatusCode::BAD_REQUEST);
            }
        };
        let request = Request::from_parts(parts, body);

        let mut files = self.files;
        let response = match files.try_call(request).await {
            Ok(response) => response.map(Body::new),
            Err(error) if is_not_found(&error) => return pages::error_page(StatusCode::NOT_FOUND),
            Err(error) => {
                tracing::error!(%error, "static file: read failed");
                return pages::error_page(StatusCode::INTERNAL_SERVER_ERROR);
            }
        };
        match response.status() {
            StatusCode::NOT_FOUND => pages::error_page(StatusCode::NOT_FOUND),
            StatusCode::INTERNAL_SERVER_ERROR => {
                // `ServeDir` returns an empty 500 only when it cannot build
                // the redirect URI for a directory without a trailing slash.
                tracing::error!("static file: failed to build the directory redirect");
                pages::error_page(StatusCode::INTERNAL_SERVER_ERROR)
            }
            StatusCode::METHOD_NOT_ALLOWED => {
                let mut page = pages::error_page(StatusCode::METHOD_NOT_ALLOWED);
                if let Some(allow) = response.headers().get(axum::http::header::ALLOW) {
                    page.headers_mut()
                        .insert(axum::http::header::ALLOW, allow.clone());
                }
                page
            }
            _ => with_exact_content_type(response),
        }
    }
}

/// Tests for not found as `ServeDir` does: absent files, unreadable files
/// and a file used as a directory (`/app.js/x`, ENOTDIR) all count.
fn is_not_found(error: &io::Error) -> bool {
    const ENOTDIR: i32 = 20;
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::PermissionDenied
    ) || (cfg!(unix) && error.raw_os_error() == Some(ENOTDIR))
}

/// Replaces the content type guessed from the file extension where the
/// guess lacks a charset or uses an outdated name.
fn with_exact_content_type(mut response: Response) -> Response {
    let exact = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(exact_content_type);
    if let Some(exact) = exact {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(exact));
    }
    response
}

/// Maps a content type from `mime_guess` to the one this server sends, or
/// `None` to keep the guess (`application/wasm`, `application/json`,
/// `image/svg+xml` and the like are right as they are).
///
/// Text types get `charset=utf-8` because the project writes all its text
/// files in UTF-8. `text/csv` is left without a charset on purpose: open
/// data from German sources is often Windows-1252, and the table widget
/// detects the encoding from the bytes.
pub(crate) fn exact_content_type(guessed: &str) -> Option<&'static str> {
    let exact = match guessed {
        "text/html" => "text/html; charset=utf-8",
        // RFC 9239 makes text/javascript the one JavaScript type; mime_guess
        // still gives application/javascript for .mjs.
        "text/javascript" | "application/javascript" => "text/javascript; charset=utf-8",
        "text/css" => "text/css; charset=utf-8",
        "text/markdown" | "text/x-markdown" => "text/markdown; charset=utf-8",
        "text/plain" => "text/plain; charset=utf-8",
        _ => return None,
    };
    Some(exact)
}
