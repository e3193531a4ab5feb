//! Admin routes for staff, below `/api`, protected by the bearer token
//! from `--admin-token-file` or `OGKIT_ADMIN_TOKEN`:
//!
//! - `GET /v1/admin/forms`: every form with its schema version and count
//! - `PUT /v1/admin/forms/{id}`: register a schema (the body) as form `id`
//! - `GET /v1/admin/forms/{id}/export?format=csv|json`: the submissions
//! - `DELETE /v1/admin/submissions?older_than=90d[&form=ID]`: purge

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use ogkit_core::form::Schema;
use ogkit_core::poll::Timestamp;
use serde::{Deserialize, Serialize};

use crate::guard::{check_admin_token, read_body};

use super::error::FormError;
use super::export::{self, ExportFormat};
use super::retention::{parse_retention, Retention};
use super::routes::find_form;
use super::store::{now, FormStore, Registration};
use super::{is_valid_form_id, FormService};

/// Largest schema accepted, in bytes.
const MAX_SCHEMA_BYTES: usize = 256 * 1024;

pub(crate) fn router<S: FormStore>(service: Arc<FormService<S>>) -> Router {
    Router::new()
        .route("/v1/admin/forms", get(forms_list::<S>))
        .route("/v1/admin/forms/{id}", put(forms_register::<S>))
        .route("/v1/admin/forms/{id}/export", get(submissions_export::<S>))
        .route("/v1/admin/submissions", delete(submissions_purge::<S>))
        .with_state(service)
}

fn authorize<S>(service: &FormService<S>, headers: &HeaderMap) -> Result<(), FormError> {
    Ok(check_admin_token(service.config.admin_token_hash, headers)?)
}

async fn forms_list<S: FormStore>(
    State(service): State<Arc<FormService<S>>>,
    headers: HeaderMap,
) -> Result<Response, FormError> {
    authorize(&service, &headers)?;
    let forms = service.store.forms().await?;
    Ok(Json(forms).into_response())
}

/// Body of `PUT /v1/admin/forms/{id}`.
#[derive(Serialize)]
struct RegisteredBody {
    id: String,
    version: i64,
    /// `created`, `updated` or `unchanged`.
    change: &'static str,
}

async fn forms_register<S: FormStore>(
    State(service): State<Arc<FormService<S>>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, FormError> {
    authorize(&service, request.headers())?;
    if !is_valid_form_id(&id) {
        return Err(FormError::InvalidFormId { id });
    }
    let bytes = read_body(request.into_body(), MAX_SCHEMA_BYTES).await?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| FormError::BadRequest {
        reason: "the schema is not UTF-8 text; save the file as UTF-8".to_owned(),
    })?;
    Schema::from_json(&text).map_err(|error| FormError::InvalidSchema { error })?;
    let registration = service.store.register(&id, &text, now()).await?;
    tracing::info!(form_id = %id, version = registration.version(), change = registration.as_str(), "form: schema registered");
    let status = match registration {
        Registration::Created => StatusCode::CREATED,
        Registration::Updated { .. } | Registration::Unchanged { .. } => StatusCode::OK,
    };
    let body = RegisteredBody { id, version: registration.version(), change: registration.as_str() };
    Ok((status, Json(body)).into_response())
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<ExportFormat>,
}

async fn submissions_export<S: FormStore>(
    State(service): State<Arc<FormService<S>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, FormError> {
    authorize(&service, &headers)?;
    let Query(query) = query.map_err(|_| FormError::BadRequest {
        reason: "format must be csv or json".to_owned(),
    })?;
    let form = find_form(&service.store, &id).await?;
    let submissions = service.store.submissions(&id).await?;
    let format = query.format.unwrap_or(ExportFormat::Json);
    let (text, media_type) = export::render(&form, &submissions, format, now()).map_err(FormError::Internal)?;
    tracing::info!(form_id = %id, submissions = submissions.len(), "form: submissions exported");
    Ok(([(CONTENT_TYPE, media_type)], text).into_response())
}

#[derive(Deserialize)]
struct PurgeQuery {
    older_than: Option<String>,
    form: Option<String>,
}

/// Body of `DELETE /v1/admin/submissions`.
#[derive(Serialize)]
struct PurgedBody {
    deleted: u64,
    older_than: Retention,
    /// Submissions received before this moment were deleted.
    cutoff: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    form: Option<String>,
}

async fn submissions_purge<S: FormStore>(
    State(service): State<Arc<FormService<S>>>,
    headers: HeaderMap,
    query: Result<Query<PurgeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, FormError> {
    authorize(&service, &headers)?;
    let Query(query) = query.map_err(|rejection| FormError::BadRequest {
        reason: format!("invalid query string: {rejection}"),
    })?;
    let Some(older_than) = query.older_than else {
        return Err(FormError::BadRequest {
            reason: "older_than is missing; pass the retention period, such as ?older_than=90d".to_owned(),
        });
    };
    let older_than = parse_retention(&older_than).map_err(|reason| FormError::BadRequest {
        reason: format!("older_than: {reason}"),
    })?;
    if let Some(form) = &query.form {
        find_form(&service.store, form).await?;
    }
    let cutoff = Timestamp(now().as_unix_seconds() - older_than.as_seconds());
    let deleted = service.store.purge(cutoff, query.form.as_deref()).await?;
    tracing::info!(deleted, older_than = %older_than, form_id = ?query.form, "form: submissions purged");
    Ok(Json(PurgedBody { deleted, older_than, cutoff, form: query.form }).into_response())
}
