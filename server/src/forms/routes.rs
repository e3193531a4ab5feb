//! Public form routes, below `/api`:
//!
//! - `GET /v1/forms/{id}`: the form's current schema, as registered
//! - `POST /v1/forms/{id}/submissions`: submit data, get a reference number

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ogkit_core::form::{
    is_valid_submission_id, prepare_on, validate_on, value, Date, Lang, Receipt, Schema, Submission,
};

use crate::guard::{api_cors_layer, check_origin, loggable, origin_and_host, read_json};

use super::error::FormError;
use super::store::{now, FormStore, NewSubmission, StoredForm, SubmitOutcome};
use super::{is_valid_form_id, FormService};

/// Largest submission body accepted, in bytes. A long application with
/// several text areas stays below 20 KB of JSON; 64 KiB leaves room
/// without letting a client make the server parse megabytes. Files are not
/// part of a submission.
pub(crate) const MAX_SUBMISSION_BYTES: usize = 64 * 1024;

pub(crate) fn router<S: FormStore>(service: Arc<FormService<S>>) -> Router {
    let cors = api_cors_layer(&service.config.form_origins);
    // Each route also accepts OPTIONS, so that the CORS layer sees the
    // preflight instead of the API's JSON 405.
    let preflight = || async { StatusCode::NO_CONTENT };
    let forms = Router::new()
        .route("/v1/forms/{id}", get(forms_show::<S>).options(preflight))
        .route("/v1/forms/{id}/submissions", post(submissions_create::<S>).options(preflight))
        .with_state(service);
    match cors {
        Some(cors) => forms.layer(cors),
        None => forms,
    }
}

async fn forms_show<S: FormStore>(
    State(service): State<Arc<FormService<S>>>,
    Path(id): Path<String>,
) -> Result<Response, FormError> {
    let form = find_form(&service.store, &id).await?;
    Ok(([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], form.schema).into_response())
}

async fn submissions_create<S: FormStore>(
    State(service): State<Arc<FormService<S>>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, FormError> {
    if let Err(error) = check_origin(request.headers(), &service.config.form_origins) {
        if let Some(unlogged) = service.origin_rejections.admit(std::time::Instant::now()) {
            let (origin, host) = origin_and_host(request.headers());
            tracing::warn!(
                form_id = %loggable(&id),
                origin = %origin,
                host = %host,
                flag = "--form-origin",
                unlogged_since_last = unlogged,
                "submission rejected by the same-site check: Origin matches neither Host nor a \
                 --form-origin; add the page's origin with --form-origin, or make the reverse \
                 proxy forward the Host header"
            );
        }
        return Err(error.into());
    }
    // Every attempt counts, valid or not, so a client that skips the
    // widget cannot make the server validate without limit.
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if let Some(address) = address {
        service.limiter.check(address, now())?;
    }
    let submission: Submission = read_json(request.into_body(), MAX_SUBMISSION_BYTES).await?;
    if !is_valid_submission_id(&submission.submission_id) {
        return Err(FormError::InvalidSubmissionId);
    }

    let form = find_form(&service.store, &id).await?;
    let schema = Schema::from_json(&form.schema).map_err(|error| {
        FormError::Internal(anyhow::anyhow!(
            "form {id} version {}: the stored schema cannot be read: {error}",
            form.version
        ))
    })?;
    // NOTE: a resend whose data the current schema rejects, because the
    // schema changed after the first attempt, gets invalid_submission
    // instead of the stored receipt.
    // Relative date limits ("at least 3 days from today") count from the
    // current day in Germany, the same reference date the widget uses.
    let today = Date::today_in_berlin(unix_now());
    let data = prepare_on(&schema, &submission.data, today).map_err(|violations| {
        tracing::debug!(form_id = %id, violations = violations.len(), "submission: rejected");
        let english = validate_on(&schema.localized(Lang::En), &submission.data, today);
        FormError::InvalidSubmission { violations, english }
    })?;

    let outcome = service
        .store
        .submit(NewSubmission {
            form_id: id.clone(),
            schema_version: form.version,
            submission_id: submission.submission_id.clone(),
            data: value::to_json(&data),
        })
        .await?;
    let (status, stored) = match outcome {
        SubmitOutcome::Accepted(stored) => {
            tracing::debug!(form_id = %id, reference = %stored.reference, "submission: stored");
            (StatusCode::CREATED, stored)
        }
        SubmitOutcome::Replayed(stored) => (StatusCode::OK, stored),
        SubmitOutcome::SubmissionIdConflict => return Err(FormError::SubmissionIdConflict),
        SubmitOutcome::FormNotFound => return Err(FormError::FormNotFound { id }),
    };
    let receipt = Receipt { submission_id: submission.submission_id, reference: stored.reference };
    Ok((status, Json(receipt)).into_response())
}

/// Loads a form or returns `form_not_found`.
pub(crate) async fn find_form<S: FormStore>(store: &S, id: &str) -> Result<StoredForm, FormError> {
    let not_found = || FormError::FormNotFound { id: id.to_owned() };
    if !is_valid_form_id(id) {
        return Err(not_found());
    }
    store.form(id).await?.ok_or_else(not_found)
}

/// Returns the current time in seconds since the Unix epoch.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}
