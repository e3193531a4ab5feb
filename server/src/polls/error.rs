//! `PollError`: the errors of the poll API, as `{code, message}` JSON.
//!
//! The codes are stable and listed in the OpenAPI document; the widget
//! translates them with `ogkit_core::poll::message("error." + code)`.
//! `invalid_ballot` adds `violations`, every problem of the ballot.

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use ogkit_core::poll::{Lang, Violation};
use serde::Serialize;

use crate::guard::GuardError;
use crate::serve::AppError;

use super::store::StoreError;

/// An error returned by the poll API.
#[derive(Debug)]
pub(crate) enum PollError {
    PollNotFound { id: String },
    PollClosed { id: String },
    PollNotOpenYet { id: String, opens_at: String },
    AlreadyVoted,
    BallotIdConflict,
    InvalidBallot { violations: Vec<Violation> },
    InvalidPoll { violations: Vec<Violation> },
    PollExists { id: String },
    ResultsHidden { reason: &'static str },
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
}

/// A violation with its English text, for developers reading the response.
#[derive(Serialize)]
struct ViolationBody {
    #[serde(flatten)]
    violation: Violation,
    message: String,
}

impl PollError {
    /// Returns the HTTP status of this error.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            PollError::PollNotFound { .. } => StatusCode::NOT_FOUND,
            PollError::PollClosed { .. }
            | PollError::PollNotOpenYet { .. }
            | PollError::AlreadyVoted
            | PollError::BallotIdConflict
            | PollError::PollExists { .. } => StatusCode::CONFLICT,
            PollError::InvalidBallot { .. } | PollError::InvalidPoll { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            PollError::ResultsHidden { .. } | PollError::OriginNotAllowed { .. } => StatusCode::FORBIDDEN,
            PollError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            PollError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            PollError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            PollError::BadJson { .. } | PollError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            PollError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Returns the stable, machine-readable code.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            PollError::PollNotFound { .. } => "poll_not_found",
            PollError::PollClosed { .. } => "poll_closed",
            PollError::PollNotOpenYet { .. } => "poll_not_open_yet",
            PollError::AlreadyVoted => "already_voted",
            PollError::BallotIdConflict => "ballot_id_conflict",
            PollError::InvalidBallot { .. } => "invalid_ballot",
            PollError::InvalidPoll { .. } => "invalid_poll",
            PollError::PollExists { .. } => "poll_exists",
            PollError::ResultsHidden { .. } => "results_hidden",
            PollError::OriginNotAllowed { .. } => "origin_not_allowed",
            PollError::Unauthorized { .. } => "unauthorized",
            PollError::RateLimited { .. } => "rate_limited",
            PollError::PayloadTooLarge { .. } => "payload_too_large",
            PollError::BadJson { .. } => "bad_json",
            PollError::BadRequest { .. } => "bad_request",
            PollError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> String {
        match self {
            PollError::PollNotFound { id } => format!("poll {id:?} not found"),
            PollError::PollClosed { id } => format!("poll {id:?} is closed and accepts no more ballots"),
            PollError::PollNotOpenYet { id, opens_at } => {
                format!("poll {id:?} opens at {opens_at}; send the ballot after that")
            }
            PollError::AlreadyVoted => {
                "a ballot with this voter token or invitation code is stored already".to_owned()
            }
            PollError::BallotIdConflict => {
                "this ballot_id belongs to another voter's ballot; generate a new random UUID".to_owned()
            }
            PollError::InvalidBallot { violations } => format!(
                "the ballot has {} problem(s), listed in violations",
                violations.len()
            ),
            PollError::InvalidPoll { violations } => format!(
                "the poll definition has {} problem(s), listed in violations",
                violations.len()
            ),
            PollError::PollExists { id } => {
                format!("a poll with id {id:?} exists already; choose another id")
            }
            PollError::ResultsHidden { reason } => format!("results are not visible: {reason}"),
            PollError::OriginNotAllowed { origin } => format!(
                "ballots from origin {origin} are not accepted; the operator adds it with --ballot-origin"
            ),
            PollError::Unauthorized { reason } => reason.clone(),
            PollError::RateLimited { retry_after_seconds } => format!(
                "too many ballots from this address; retry in {retry_after_seconds} s"
            ),
            PollError::PayloadTooLarge { limit } => {
                format!("the request body exceeds {limit} bytes")
            }
            PollError::BadJson { reason } => format!("the request body is not valid JSON of the expected shape: {reason}"),
            PollError::BadRequest { reason } => reason.clone(),
            PollError::Internal(_) => String::new(),
        }
    }
}

impl IntoResponse for PollError {
    fn into_response(self) -> Response {
        if let PollError::Internal(error) = self {
            // The generic 500 with the request id, logged once.
            return AppError::Internal(error).into_response();
        }
        let violations = match &self {
            PollError::InvalidBallot { violations } | PollError::InvalidPoll { violations } => violations
                .iter()
                .map(|violation| ViolationBody {
                    violation: violation.clone(),
                    message: violation.message(Lang::En),
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = ErrorBody { code: self.code(), message: self.message(), violations };
        let mut response = (self.status(), Json(body)).into_response();
        if let PollError::RateLimited { retry_after_seconds } = self {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        response
    }
}

impl From<StoreError> for PollError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::PollExists(id) => PollError::PollExists { id },
            StoreError::PollNotFound(id) => PollError::PollNotFound { id },
            other => PollError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<GuardError> for PollError {
    fn from(error: GuardError) -> Self {
        match error {
            GuardError::OriginNotAllowed { origin } => PollError::OriginNotAllowed { origin },
            GuardError::Unauthorized { reason } => PollError::Unauthorized { reason },
            GuardError::RateLimited { retry_after_seconds } => PollError::RateLimited { retry_after_seconds },
            GuardError::PayloadTooLarge { limit } => PollError::PayloadTooLarge { limit },
            GuardError::BadJson { reason } => PollError::BadJson { reason },
            GuardError::BadRequest { reason } => PollError::BadRequest { reason },
            GuardError::Internal(error) => PollError::Internal(error),
        }
    }
}
