//! `AppError`: the one error type of the JSON API.
//!
//! Every error becomes a JSON body `{"code": …, "message": …}`. The `code`
//! is stable and meant for programs, so the widgets choose their translated
//! text by it. The `message` is English, for the person reading a log or a
//! browser's network tab. A 4xx says exactly what was wrong. A 5xx says only
//! that something failed and gives the request id; the details go to the log
//! once, at error level.

use std::any::Any;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::request_log;

/// An error returned by the JSON API.
#[derive(Debug)]
pub(crate) enum AppError {
    /// No API endpoint exists at this path.
    NotFound { path: String },
    /// The endpoint exists but not for this HTTP method.
    MethodNotAllowed { method: String, path: String },
    /// The request path is malformed or tries to leave the served directory.
    InvalidPath { reason: &'static str },
    /// A failure on the server side; the response hides the details.
    Internal(anyhow::Error),
}

/// JSON shape of every error response.
#[derive(Debug, Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<u64>,
}

impl AppError {
    /// Returns the HTTP status of this error.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::InvalidPath { .. } => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Returns the stable, machine-readable code of this error.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            AppError::NotFound { .. } => "not_found",
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::InvalidPath { .. } => "invalid_path",
            AppError::Internal(_) => "internal",
        }
    }

    fn message(&self, request_id: Option<u64>) -> String {
        match self {
            AppError::NotFound { path } => {
                format!("no API endpoint at {path}; the API lives under /api/v1/")
            }
            AppError::MethodNotAllowed { method, path } => {
                format!("{path} does not accept {method}")
            }
            AppError::InvalidPath { reason } => format!("invalid request path: {reason}"),
            AppError::Internal(_) => match request_id {
                Some(id) => format!(
                    "internal server error; the server log has the details under request id {id}"
                ),
                None => "internal server error; the server log has the details".to_owned(),
            },
        }
    }

    /// Turns a panic caught in a handler into a 500, so that the client
    /// gets a response instead of a dropped connection.
    pub(crate) fn from_panic(payload: Box<dyn Any + Send + 'static>) -> Response {
        let detail = if let Some(text) = payload.downcast_ref::<&str>() {
            (*text).to_owned()
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else {
            "a panic without a message".to_owned()
        };
        AppError::Internal(anyhow::anyhow!("handler panicked: {detail}")).into_response()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let request_id = request_log::current_request_id();
        if let AppError::Internal(error) = &self {
            tracing::error!(error = format!("{error:#}"), "request: failed");
        }
        let body = ErrorBody {
            code: self.code(),
            message: self.message(request_id),
            request_id: match self {
                AppError::Internal(_) => request_id,
                _ => None,
            },
        };
        (self.status(), Json(body)).into_response()
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(error)
    }
}
