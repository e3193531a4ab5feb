//! Rejects request paths that could leave a served directory or reach a
//! hidden file, before any handler runs.
//!
//! The file service of tower-http already rejects `..` and absolute path
//! components. This check runs first anyway, on the percent-decoded path,
//! so that an attempt gets a clear 400 instead of an ambiguous 404, and so
//! that the API handlers get the same protection. It decodes exactly once,
//! as the file service does: `%252e%252e` becomes the harmless file name
//! `%2e%2e`, never `..`.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

use super::error::AppError;
use super::headers::Area;
use super::pages;

/// Reason for rejecting a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathProblem {
    /// The path is malformed or tries to climb out of the directory (400).
    Invalid(&'static str),
    /// A segment starts with a dot, such as `.git` or `.env` (404: hidden
    /// files are treated as absent).
    Hidden,
}

/// Checks a raw request path (still percent-encoded).
pub(crate) fn check_path(raw_path: &str) -> Result<(), PathProblem> {
    let decoded = percent_decode_str(raw_path)
        .decode_utf8()
        .map_err(|_| PathProblem::Invalid("the path is not valid UTF-8 after percent-decoding"))?;
    for character in decoded.chars() {
        if character == '\0' {
            return Err(PathProblem::Invalid("the path contains a NUL byte"));
        }
        if character.is_control() {
            return Err(PathProblem::Invalid(
                "the path contains a control character",
            ));
        }
        if character == '\\' {
            return Err(PathProblem::Invalid("the path contains a backslash"));
        }
    }
    for segment in decoded.split('/') {
        if segment == ".." {
            return Err(PathProblem::Invalid("the path contains a `..` segment"));
        }
        // `.well-known` is the standard place for site metadata such as
        // security.txt, so it stays reachable.
        let is_hidden = segment.starts_with('.') && segment != "." && segment != ".well-known";
        if is_hidden {
            return Err(PathProblem::Hidden);
        }
    }
    Ok(())
}

/// Middleware: rejects unsafe paths with 400 (or 404 for hidden files),
/// as JSON under `/api/` and as an HTML page elsewhere.
pub(crate) async fn reject_unsafe_paths(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let problem = match check_path(path) {
        Ok(()) => return next.run(request).await,
        Err(problem) => problem,
    };
    tracing::debug!(?problem, "request: path rejected");
    let is_api = Area::of(path) == Area::Api;
    match (problem, is_api) {
        (PathProblem::Invalid(reason), true) => AppError::InvalidPath { reason }.into_response(),
        (PathProblem::Invalid(_), false) => pages::error_page(StatusCode::BAD_REQUEST),
        (PathProblem::Hidden, true) => AppError::NotFound {
            path: path.to_owned(),
        }
        .into_response(),
        (PathProblem::Hidden, false) => pages::error_page(StatusCode::NOT_FOUND),
    }
}
