//! One span and one debug line per request.
//!
//! The span carries a request id, the method and the path; everything
//! logged while the request runs inherits them. Query strings are never
//! logged because form and search parameters may contain personal data, and
//! client IP addresses are never logged either.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

/// Source of request ids. They count from 1 per process, so together with
/// the log timestamp they identify a request; they are not secrets.
static NEXT_REQUEST_ID: AtomicU64 = AtomicU64::new(1);

tokio::task_local! {
    static REQUEST_ID: u64;
}

/// Returns the id of the request being handled, or `None` outside a request.
pub(crate) fn current_request_id() -> Option<u64> {
    REQUEST_ID.try_with(|id| *id).ok()
}

/// Middleware: opens the request span and logs the outcome at debug level.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let id = NEXT_REQUEST_ID.fetch_add(1, Ordering::Relaxed);
    let span = tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let started = Instant::now();
    let response = REQUEST_ID
        .scope(id, next.run(request))
        .instrument(span.clone())
        .await;
    let latency = started.elapsed();
    span.in_scope(|| {
        tracing::debug!(
            status = response.status().as_u16(),
            ?latency,
            "request: done"
        );
    });
    response
}
