//! The router of `ogkit serve`: which URL prefix goes to which directory or
//! handler, and the middleware stack around all of them.

use std::path::PathBuf;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderValue, Method};
use axum::middleware;
use axum::response::Redirect;
use axum::routing::{any, get, MethodRouter};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::api;
use super::error::AppError;
use super::headers::{self, HeaderPolicy};
use super::path_guard;
use super::request_log;
use super::static_files::StaticDir;

/// Everything the router needs to know, taken from the command line.
#[derive(Clone, Debug)]
pub(crate) struct ServeConfig {
    /// Built widgets, served under `/ogkit/`.
    pub(crate) pkg_dir: PathBuf,
    /// The site served at `/`; its `daten/` folder is served at `/daten/`.
    pub(crate) demo_dir: PathBuf,
    /// Documentation, served under `/docs/`.
    pub(crate) docs_dir: PathBuf,
    /// Origins of other websites that may load `/ogkit/` and `/daten/`.
    pub(crate) allowed_origins: Vec<AllowedOrigin>,
}

/// One `--allow-origin` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AllowedOrigin {
    /// `*`: every website.
    Any,
    /// One origin, lowercase, such as `https://www.example-stadt.de`.
    Origin(HeaderValue),
}

/// Converts `--allow-origin` values into tower-http's origin matcher, or
/// `None` when the list is empty and only this server's own origin may
/// read the resource.
pub(crate) fn cors_origins(origins: &[AllowedOrigin]) -> Option<AllowOrigin> {
    if origins.is_empty() {
        return None;
    }
    if origins.contains(&AllowedOrigin::Any) {
        return Some(AllowOrigin::any());
    }
    Some(AllowOrigin::list(origins.iter().filter_map(|origin| match origin {
        AllowedOrigin::Origin(value) => Some(value.clone()),
        AllowedOrigin::Any => None,
    })))
}

/// Builds the router: static directories, the API and the middleware.
/// The server itself adds the poll routes through [`app_with_api`].
#[cfg(test)]
pub(crate) fn app(config: &ServeConfig) -> Router {
    app_with_api(config, Router::new())
}

/// Builds the router with more API routes (the polls), written relative
/// to `/api`.
pub(crate) fn app_with_api(config: &ServeConfig, api_routes: Router) -> Router {
    let widgets = StaticDir::new("/ogkit", &config.pkg_dir);
    let docs = StaticDir::new("/docs", &config.docs_dir);
    let site = StaticDir::new("", &config.demo_dir);

    // Widgets and data are what other cities' pages may embed, so only
    // these two prefixes get CORS headers.
    let mut embeddable = Router::new()
        .route("/ogkit/", static_files(&widgets))
        .route("/ogkit/{*path}", static_files(&widgets))
        .route("/daten/", static_files(&site))
        .route("/daten/{*path}", static_files(&site));
    if let Some(cors) = cors_layer(&config.allowed_origins) {
        embeddable = embeddable.layer(cors);
    }

    let policy = HeaderPolicy {
        cross_origin_embedding: !config.allowed_origins.is_empty(),
    };
    let fallback_site = site.clone();

    let routes = Router::new()
        .nest("/api", api::router(api_routes))
        // `nest` covers `/api/x` but neither `/api` nor `/api/`.
        .route("/api", any(api::not_found))
        .route("/api/", any(api::not_found))
        .route("/ogkit", get(|| async { Redirect::permanent("/ogkit/") }))
        .route("/docs", get(|| async { Redirect::permanent("/docs/") }))
        .route("/docs/", static_files(&docs))
        .route("/docs/{*path}", static_files(&docs))
        .merge(embeddable)
        .fallback(move |request: Request| {
            let site = fallback_site.clone();
            async move { site.serve(request).await }
        });
    with_middleware(routes, policy)
}

/// Wraps every route of `routes` in the middleware stack.
///
/// Layers run from the last added (outermost) to the first. The request
/// log is outermost so it records the final status of every response,
/// including rejected paths and caught panics. The header middleware sits
/// outside compression so that it can weaken the ETag of compressed bodies.
pub(crate) fn with_middleware(routes: Router, policy: HeaderPolicy) -> Router {
    routes
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(path_guard::reject_unsafe_paths))
        .layer(CatchPanicLayer::custom(AppError::from_panic))
        .layer(middleware::from_fn_with_state(
            policy,
            headers::set_response_headers,
        ))
        .layer(middleware::from_fn(request_log::log_request))
}

/// Builds a GET (and HEAD) route that serves files from `dir`.
fn static_files(dir: &StaticDir) -> MethodRouter {
    let dir = dir.clone();
    get(move |request: Request| {
        let dir = dir.clone();
        async move { dir.serve(request).await }
    })
}

/// CORS for `/ogkit/` and `/daten/`, or `None` when no origin is allowed.
///
/// The widgets are ES modules and fetch their wasm and data, and browsers
/// load all three in CORS mode, so an embedding page on another origin needs
/// `Access-Control-Allow-Origin`. Only GET and HEAD are allowed and no
/// credentials: these files are public.
fn cors_layer(origins: &[AllowedOrigin]) -> Option<CorsLayer> {
    let allow_origin = cors_origins(origins)?;
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::HEAD])
            .max_age(Duration::from_secs(3600)),
    )
}
