//! The JSON API under `/api/`. Every response is JSON, errors included, so a
//! widget never has to parse an HTML error page.

use axum::extract::Request;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::error::AppError;

/// Routes below `/api`, written without that prefix; `extra` adds routes
/// of other modules, which then share the JSON 404 and 405.
pub(crate) fn router(extra: Router) -> Router {
    Router::new()
        .route("/v1/health", get(health_show))
        .merge(extra)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Body of `GET /api/v1/health`.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

/// Reports that the server runs, for load balancers and `cargo xtask`.
async fn health_show() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// JSON 404 for every path under `/api/` that has no route.
pub(crate) async fn not_found(request: Request) -> AppError {
    AppError::NotFound {
        path: original_path(&request),
    }
}

async fn method_not_allowed(request: Request) -> AppError {
    AppError::MethodNotAllowed {
        method: request.method().to_string(),
        path: original_path(&request),
    }
}

/// Returns the request path as the client sent it, before `nest` stripped
/// the `/api` prefix.
fn original_path(request: &Request) -> String {
    match request.extensions().get::<axum::extract::OriginalUri>() {
        Some(original) => original.path().to_owned(),
        None => request.uri().path().to_owned(),
    }
}
