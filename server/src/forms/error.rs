//! `FormError`: the errors of the form API, as `{code, message}` JSON.
//!
//! The codes are stable and listed in the OpenAPI document.
//! `invalid_submission` adds `violations`: every broken rule with its JSON
//! Pointer (`path`), the field title, the rule `key`, its `params` and the
//! text in English (`message`) and German (`message_de`). `invalid_schema`
//! adds `path`, the JSON Pointer of the problem in the schema.
//!
//! Messages never repeat submitted values, because they may be personal
//! data. The exceptions are `bad_json`, which quotes the JSON parser, and
//! the `params` of a violation. Both go only to the client that sent the
//! body, never to the log.

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ogkit_core::form::{message, Lang, SchemaError, Violation};
use serde::Serialize;

use crate::guard::GuardError;
use crate::serve::AppError;

use super::store::StoreError;

/// An error returned by the form API.
#[derive(Debug)]
pub(crate) enum FormError {
    FormNotFound { id: String },
    InvalidFormId { id: String },
    /// `english` contains the same violations found on the form's English
    /// texts ([`ogkit_core::form::Schema::localized`]), in the same order,
    /// so the English message names the English field title.
    InvalidSubmission { violations: Vec<Violation>, english: Vec<Violation> },
    InvalidSubmissionId,
    SubmissionIdConflict,
    InvalidSchema { error: SchemaError },
    OriginNotAllowed { origin: String },
    Unauthorized { reason: String },
    RateLimited { retry_after_seconds: u64 },
    PayloadTooLarge { limit: usize },
    BadJson { reason: String },
    BadRequest { reason: String },
    Internal(anyhow::Error),
}

#[derive(Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    violations: Vec<ViolationBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

/// A violation with its English and German text.
#[derive(Serialize)]
struct ViolationBody {
    #[serde(flatten)]
    violation: Violation,
    message: String,
    message_de: String,
}

impl FormError {
    /// Returns the HTTP status of this error.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            FormError::FormNotFound { .. } => StatusCode::NOT_FOUND,
            FormError::InvalidSubmission { .. } | FormError::InvalidSchema { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            FormError::SubmissionIdConflict => StatusCode::CONFLICT,
            FormError::OriginNotAllowed { .. } => StatusCode::FORBIDDEN,
            FormError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            FormError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            FormError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            FormError::InvalidFormId { .. }
            | FormError::InvalidSubmissionId
            | FormError::BadJson { .. }
            | FormError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            FormError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Returns the stable, machine-readable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            FormError::FormNotFound { .. } => "form_not_found",
            FormError::InvalidFormId { .. } => "invalid_form_id",
            FormError::InvalidSubmission { .. } => "invalid_submission",
            FormError::InvalidSubmissionId => "invalid_submission_id",
            FormError::SubmissionIdConflict => "submission_id_conflict",
            FormError::InvalidSchema { .. } => "invalid_schema",
            FormError::OriginNotAllowed { .. } => "origin_not_allowed",
            FormError::Unauthorized { .. } => "unauthorized",
            FormError::RateLimited { .. } => "rate_limited",
            FormError::PayloadTooLarge { .. } => "payload_too_large",
            FormError::BadJson { .. } => "bad_json",
            FormError::BadRequest { .. } => "bad_request",
            FormError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> String {
        match self {
            FormError::FormNotFound { id } => format!("form {id:?} not found"),
            FormError::InvalidFormId { id } => format!(
                "form id {id:?} is invalid; use 1 to 64 ASCII letters, digits, - and _"
            ),
            FormError::InvalidSubmission { violations, .. } => format!(
                "the submission has {} problem(s), listed in violations",
                violations.len()
            ),
            FormError::InvalidSubmissionId => "submission_id is invalid; send 16 to 64 ASCII letters, \
                 digits, - and _, such as a random UUID made once per filled-in form"
                .to_owned(),
            FormError::SubmissionIdConflict => "this submission_id belongs to a stored submission with \
                 other data; generate a new submission_id for new data"
                .to_owned(),
            FormError::InvalidSchema { error } => format!("the form schema cannot be used: {error}"),
            FormError::OriginNotAllowed { origin } => format!(
                "submissions from origin {origin} are not accepted; the operator adds it with --form-origin"
            ),
            FormError::Unauthorized { reason } => reason.clone(),
            FormError::RateLimited { retry_after_seconds } => format!(
                "too many submissions from this address; retry in {retry_after_seconds} s"
            ),
            FormError::PayloadTooLarge { limit } => {
                format!("the request body exceeds {limit} bytes")
            }
            FormError::BadJson { reason } => {
                format!("the request body is not valid JSON of the expected shape: {reason}")
            }
            FormError::BadRequest { reason } => reason.clone(),
            FormError::Internal(_) => String::new(),
        }
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        if let FormError::Internal(error) = self {
            // The generic 500 with the request id, logged once.
            return AppError::Internal(error).into_response();
        }
        let violations = match &self {
            FormError::InvalidSubmission { violations, english } => violations
                .iter()
                .enumerate()
                .map(|(index, violation)| ViolationBody {
                    violation: violation.clone(),
                    message: message(english.get(index).unwrap_or(violation), Lang::En),
                    message_de: message(violation, Lang::De),
                })
                .collect(),
            _ => Vec::new(),
        };
        let path = match &self {
            FormError::InvalidSchema { error } => error.path().map(str::to_owned),
            _ => None,
        };
        let body = ErrorBody { code: self.code(), message: self.message(), violations, path };
        let mut response = (self.status(), Json(body)).into_response();
        if let FormError::RateLimited { retry_after_seconds } = self {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        response
    }
}

impl From<StoreError> for FormError {
    fn from(error: StoreError) -> Self {
        FormError::Internal(anyhow::Error::new(error))
    }
}

impl From<GuardError> for FormError {
    fn from(error: GuardError) -> Self {
        match error {
            GuardError::OriginNotAllowed { origin } => FormError::OriginNotAllowed { origin },
            GuardError::Unauthorized { reason } => FormError::Unauthorized { reason },
            GuardError::RateLimited { retry_after_seconds } => FormError::RateLimited { retry_after_seconds },
            GuardError::PayloadTooLarge { limit } => FormError::PayloadTooLarge { limit },
            GuardError::BadJson { reason } => FormError::BadJson { reason },
            GuardError::BadRequest { reason } => FormError::BadRequest { reason },
            GuardError::Internal(error) => FormError::Internal(error),
        }
    }
}
