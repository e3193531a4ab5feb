//! Admin routes for staff, below `/api`, protected by the bearer token
//! from `--admin-token-file` or `OGKIT_ADMIN_TOKEN`:
//!
//! - `POST /v1/admin/polls`: create a poll (JSON body in the core `Poll` shape)
//! - `POST /v1/admin/polls/{id}/close`: close a poll now
//! - `POST /v1/admin/polls/{id}/codes`: issue invitation codes (`{"count": N}`)
//! - `GET /v1/admin/polls/{id}/export?format=csv|json`: aggregated results

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ogkit_core::poll::Poll;
use serde::{Deserialize, Serialize};

use crate::guard::{check_admin_token, read_json};

use super::cli::{codes_not_accepted, generate_codes, MAX_CODES_PER_CALL};
use super::error::PollError;
use super::export::{self, ExportFormat};
use super::guard::voter_key;
use super::routes::{find_poll, normalize_code};
use super::store::{now, PollStore};
use super::PollService;

/// Largest poll definition accepted, in bytes.
const MAX_POLL_BYTES: usize = 256 * 1024;

pub(crate) fn router<S: PollStore>(service: Arc<PollService<S>>) -> Router {
    Router::new()
        .route("/v1/admin/polls", post(polls_create::<S>))
        .route("/v1/admin/polls/{id}/close", post(polls_close::<S>))
        .route("/v1/admin/polls/{id}/codes", post(codes_create::<S>))
        .route("/v1/admin/polls/{id}/export", get(polls_export::<S>))
        .with_state(service)
}

/// Accepts the request when its bearer token matches the configured one.
fn authorize<S>(service: &PollService<S>, headers: &HeaderMap) -> Result<(), PollError> {
    Ok(check_admin_token(service.config.admin_token_hash, headers)?)
}

async fn polls_create<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    request: Request,
) -> Result<Response, PollError> {
    authorize(&service, request.headers())?;
    let poll: Poll = read_json(request.into_body(), MAX_POLL_BYTES).await?;
    let violations = poll.check();
    if !violations.is_empty() {
        return Err(PollError::InvalidPoll { violations });
    }
    service.store.create_poll(&poll, now()).await?;
    tracing::info!(poll_id = %poll.id, "poll: created");
    Ok((StatusCode::CREATED, Json(poll)).into_response())
}

#[derive(Serialize)]
struct CloseBody {
    id: String,
    closed_at: Option<ogkit_core::poll::Timestamp>,
}

async fn polls_close<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PollError> {
    authorize(&service, &headers)?;
    let stored = service
        .store
        .close_poll(&id, now())
        .await?
        .ok_or_else(|| PollError::PollNotFound { id: id.clone() })?;
    tracing::info!(poll_id = %id, "poll: closed");
    Ok(Json(CloseBody { id, closed_at: stored.closed_at }).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodesRequest {
    count: usize,
}

#[derive(Serialize)]
struct CodesBody {
    poll_id: String,
    codes: Vec<String>,
}

async fn codes_create<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PollError> {
    authorize(&service, request.headers())?;
    let body: CodesRequest = read_json(request.into_body(), 1024).await?;
    if !(1..=MAX_CODES_PER_CALL).contains(&body.count) {
        return Err(PollError::BadRequest {
            reason: format!("count must be between 1 and {MAX_CODES_PER_CALL}, found {}", body.count),
        });
    }
    let stored = find_poll(&service.store, &id).await?;
    if let Some(reason) = codes_not_accepted(&stored.poll) {
        return Err(PollError::BadRequest { reason });
    }
    let codes = generate_codes(body.count).map_err(PollError::Internal)?;
    let hashes: Vec<[u8; 32]> =
        codes.iter().map(|code| voter_key("code", &id, &normalize_code(code))).collect();
    service.store.add_codes(&id, &hashes, now()).await?;
    tracing::info!(poll_id = %id, count = codes.len(), "poll: invitation codes issued");
    Ok((StatusCode::CREATED, Json(CodesBody { poll_id: id, codes })).into_response())
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<ExportFormat>,
}

async fn polls_export<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PollError> {
    authorize(&service, &headers)?;
    let Query(query) = query.map_err(|_| PollError::BadRequest {
        reason: "format must be csv or json".to_owned(),
    })?;
    let stored = find_poll(&service.store, &id).await?;
    let tally = export::tally(&service.store, &stored).await?;
    let format = query.format.unwrap_or(ExportFormat::Json);
    let (text, media_type) = export::render(&stored, &tally, format, now()).map_err(PollError::Internal)?;
    Ok(([(CONTENT_TYPE, media_type)], text).into_response())
}
