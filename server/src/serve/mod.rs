//! `ogkit serve`: the HTTP server for the widgets, the demo site, the docs
//! and the JSON API.
//!
//! URL layout: `/ogkit/` serves the built widgets (`--pkg`), `/docs/` the
//! documentation (`--docs`), `/api/` the JSON API, and everything else comes
//! from the site directory (`--demo`), whose `daten/` folder is the open data
//! at `/daten/`.
//!
//! Logs go to stderr. Once the socket is bound, the server logs the message
//! `listening on http://ADDR` with the real address, also when `--addr`
//! requests port 0. `cargo xtask` and the tests read the address from the
//! text after `http://` up to the next whitespace or `"`. SIGTERM and Ctrl-C stop
//! accepting connections, let open requests finish (for at most
//! [`DRAIN_TIMEOUT`]), log `shutdown: stopped` and exit with status 0.
//!
//! Embedding on other sites: by default only pages of this origin may load
//! the widgets, because `/ogkit/` and `/daten/` respond with
//! `Cross-Origin-Resource-Policy: same-site` and without CORS headers. Each
//! `--allow-origin https://www.example-stadt.de` adds one origin that may
//! load them (`*` allows all). Those two prefixes then send
//! `Access-Control-Allow-Origin` to that origin and `cross-origin` as their
//! resource policy. Pages, docs and the API stay same-site either way.
//!
//! This module owns the process side (arguments, logging, binding,
//! signals); [`app`] builds the router and is what the in-process tests drive.

use std::future::IntoFuture as _;
use std::io::{self, IsTerminal as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::http::{HeaderValue, Uri};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tracing::{info, warn};

mod api;
mod app;
pub(crate) mod config;
mod error;
mod headers;
mod pages;
mod path_guard;
mod request_log;
mod static_files;
#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use app::app;
pub(crate) use app::{app_with_api, cors_origins, AllowedOrigin, ServeConfig};
pub(crate) use error::AppError;

/// How long open requests may keep running after SIGTERM or Ctrl-C. A
/// service manager such as systemd kills the process after 90 s by default,
/// so 30 s leaves room while still letting a slow download finish.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Serve the widgets, the demo site, the docs and the API over HTTP.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// TOML file with settings for the flags below, one key per flag
    /// without the leading dashes (such as allow-origin = [...]). Flags
    /// given on the command line override the file; relative paths in the
    /// file are relative to its directory.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// IP address and port to listen on. Port 0 picks a free port; the log
    /// line "listening on http://ADDR" shows the address in use.
    #[arg(
        long,
        value_name = "HOST:PORT",
        default_value = "127.0.0.1:8080",
        value_parser = parse_listen_addr
    )]
    pub(crate) addr: SocketAddr,

    /// Directory of the built widgets (ogkit.js, ogkit.css, the wasm
    /// module), served under /ogkit/. `cargo xtask build` creates it.
    #[arg(long, value_name = "DIR", default_value = "pkg")]
    pub(crate) pkg: PathBuf,

    /// Directory of the site served at / (its index.html is the start page,
    /// its daten/ folder the data under /daten/).
    #[arg(long, value_name = "DIR", default_value = "demo")]
    pub(crate) demo: PathBuf,

    /// Directory of the rendered documentation, served under /docs/.
    /// `cargo xtask docs` renders www/ into target/docs/.
    #[arg(long, value_name = "DIR", default_value = "target/docs")]
    pub(crate) docs: PathBuf,

    /// Origin of another website that may load /ogkit/ and /daten/ from
    /// this server, such as https://www.example-stadt.de. Repeat the flag
    /// for several origins; "*" allows every origin. Default: none, so only
    /// pages from this site can load them.
    #[arg(long = "allow-origin", value_name = "URL", value_parser = parse_allowed_origin)]
    pub(crate) allow_origins: Vec<AllowedOrigin>,

    /// Format of the log lines on stderr. RUST_LOG sets the level (default: info).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,

    /// Poll database, ballot origins, admin token and rate limit.
    #[command(flatten)]
    pub(crate) polls: crate::polls::PollArgs,

    /// Form schemas, submission origins and rate limit.
    #[command(flatten)]
    pub(crate) forms: crate::forms::FormArgs,
}

/// Format of the log output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Runs `ogkit serve` until SIGTERM or Ctrl-C. `from_command_line` returns
/// whether the command line set the argument of a clap id, so that those
/// flags override the configuration file.
pub(crate) fn run(
    mut args: ServeArgs,
    from_command_line: impl Fn(&str) -> bool,
) -> anyhow::Result<()> {
    if let Some(path) = args.config.clone() {
        let settings = config::load(&path)?;
        config::apply(settings, &mut args, from_command_line);
    }
    init_logging(args.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    info!(version = env!("CARGO_PKG_VERSION"), "ogkit serve: starting");
    if let Some(path) = &args.config {
        info!(config = %path.display(), "ogkit serve: configuration file read");
    }
    let pkg_dir = check_directory(
        "--pkg",
        &args.pkg,
        "/ogkit/",
        "run `cargo xtask build` to build the widgets, or pass --pkg DIR",
    )?;
    let demo_dir = check_directory(
        "--demo",
        &args.demo,
        "/",
        "pass --demo DIR with the site to serve at /",
    )?;
    let docs_dir = check_directory(
        "--docs",
        &args.docs,
        "/docs/",
        "run `cargo xtask docs` to render the documentation, or pass --docs DIR",
    )?;
    if pkg_dir.is_dir() && !pkg_dir.join("ogkit.js").is_file() {
        warn!(
            pkg = %pkg_dir.display(),
            "pkg: ogkit.js is missing, so pages cannot load the widgets; run `cargo xtask build`"
        );
    }
    info!(
        pkg = %pkg_dir.display(),
        demo = %demo_dir.display(),
        docs = %docs_dir.display(),
        allowed_origins = args.allow_origins.len(),
        "ogkit serve: directories checked"
    );

    let config = ServeConfig {
        pkg_dir,
        demo_dir,
        docs_dir,
        allowed_origins: args.allow_origins,
    };
    // The signal handlers are installed before the address is logged: a
    // supervisor that sends SIGTERM right after reading that line must not
    // hit the default action, which kills the process without a clean exit.
    let mut signals = ShutdownSignals::install()?;

    // Bind before opening the poll database, so that a busy port does not
    // leave a new data directory behind.
    let listener = bind(args.addr).await?;
    let (poll_routes, polls) = crate::polls::start(&args.polls).await?;
    let form_routes = crate::forms::start(&args.forms, &args.polls).await?;
    let router = app_with_api(&config, poll_routes.merge(form_routes));
    let addr = listener
        .local_addr()
        .context("failed to read the address of the bound socket")?;
    info!("listening on http://{addr}");

    let draining = Arc::new(Notify::new());
    let signal_received = {
        let draining = Arc::clone(&draining);
        async move {
            let name = signals.recv().await;
            info!(
                signal = name,
                "shutdown: signal received, finishing open requests"
            );
            polls.stop_streams();
            draining.notify_one();
        }
    };
    // The peer address feeds the ballot rate limit, which hashes it.
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(signal_received);

    tokio::select! {
        result = server.into_future() => result.context("the HTTP server failed")?,
        () = drain_deadline(&draining) => {
            warn!(
                timeout_s = DRAIN_TIMEOUT.as_secs(),
                "shutdown: requests still open after the drain timeout, closing them"
            );
        }
    }
    info!("shutdown: stopped");
    Ok(())
}

/// Completes [`DRAIN_TIMEOUT`] after the shutdown has started.
async fn drain_deadline(draining: &Notify) {
    draining.notified().await;
    tokio::time::sleep(DRAIN_TIMEOUT).await;
}

/// Binds the listening socket. For the usual failures the error message
/// explains what to do.
async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|error| {
        let advice = match error.kind() {
            io::ErrorKind::AddrInUse => {
                "the address is already in use; stop the program that uses this port \
                 or choose another one with --addr (port 0 picks a free port)"
            }
            io::ErrorKind::PermissionDenied => {
                "permission denied; ports below 1024 need extra privileges, \
                 so use a port such as 8080 with --addr"
            }
            io::ErrorKind::AddrNotAvailable => {
                "this machine has no such address; use 127.0.0.1 for local access \
                 or 0.0.0.0 for all interfaces"
            }
            _ => "check the address given with --addr",
        };
        anyhow::anyhow!("cannot listen on {addr}: {advice} ({error})")
    })
}

/// Checks a directory flag. A missing directory is only a warning, because
/// its URLs return 404 until it exists. A path that is not a directory is an
/// error. Returns the absolute path when the directory exists.
fn check_directory(flag: &str, path: &Path, mount: &str, fix: &str) -> anyhow::Result<PathBuf> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => std::fs::canonicalize(path)
            .with_context(|| format!("{flag} {}: failed to resolve the directory", path.display())),
        Ok(_) => anyhow::bail!(
            "{flag} {}: not a directory; pass the directory that contains the files",
            path.display()
        ),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            warn!(
                "{flag} {}: directory not found, so {mount} returns 404; {fix}",
                path.display()
            );
            Ok(path.to_path_buf())
        }
        Err(error) => Err(error)
            .with_context(|| format!("{flag} {}: cannot read the directory", path.display())),
    }
}

/// Parses `--addr`: an IP address and a port, as in `127.0.0.1:8080` or `[::1]:8080`.
fn parse_listen_addr(text: &str) -> Result<SocketAddr, String> {
    text.parse().map_err(|_| {
        format!(
            "expected an IP address and a port such as 127.0.0.1:8080 or [::1]:8080 \
             (host names such as localhost are not resolved), found {text:?}"
        )
    })
}

/// Parses `--allow-origin`: `*` or an origin, meaning a scheme, a host and an
/// optional port with no path, as browsers send it in the `Origin` header.
pub(crate) fn parse_allowed_origin(text: &str) -> Result<AllowedOrigin, String> {
    if text == "*" {
        return Ok(AllowedOrigin::Any);
    }
    let expected = "expected an origin such as https://www.example-stadt.de (scheme and host, \
                    no path) or * for every origin";
    let uri: Uri = text
        .parse()
        .map_err(|_| format!("invalid origin {text:?}: {expected}"))?;
    let scheme = match uri.scheme_str() {
        Some(scheme @ ("http" | "https")) => scheme,
        _ => {
            return Err(format!(
                "invalid origin {text:?}: the scheme must be http or https; {expected}"
            ))
        }
    };
    let authority = match uri.authority() {
        Some(authority) if !authority.as_str().contains('@') => authority,
        _ => return Err(format!("invalid origin {text:?}: {expected}")),
    };
    let has_path = !matches!(uri.path(), "" | "/") || uri.query().is_some();
    if has_path {
        return Err(format!(
            "invalid origin {text:?}: an origin has no path; {expected}"
        ));
    }
    let origin = format!("{scheme}://{authority}").to_ascii_lowercase();
    HeaderValue::from_str(&origin)
        .map(AllowedOrigin::Origin)
        .map_err(|_| format!("invalid origin {text:?}: {expected}"))
}

/// Sets up the `tracing` subscriber: level from `RUST_LOG` (default `info`),
/// output on stderr.
fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;

    let (filter, filter_error) = match EnvFilter::try_from_default_env() {
        Ok(filter) => (filter, None),
        Err(error) => (EnvFilter::new("info"), Some(error)),
    };
    // Colours only on a terminal: log files and the parsers of the
    // `listening on` line get plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal());
    // A second call (only possible in tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).try_init(),
    };
    // An unset RUST_LOG is the normal case; only a malformed one deserves a warning.
    if std::env::var_os("RUST_LOG").is_some() {
        if let Some(error) = filter_error {
            warn!(%error, "RUST_LOG: invalid filter, logging at info instead");
        }
    }
}

/// SIGTERM and Ctrl-C (SIGINT), registered when created so that no signal
/// between start-up and the first poll is lost.
struct ShutdownSignals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    #[cfg(unix)]
    fn install() -> anyhow::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};

        Ok(Self {
            terminate: signal(SignalKind::terminate())
                .context("failed to install the SIGTERM handler")?,
            interrupt: signal(SignalKind::interrupt())
                .context("failed to install the Ctrl-C handler")?,
        })
    }

    #[cfg(not(unix))]
    fn install() -> anyhow::Result<Self> {
        Ok(Self {})
    }

    /// Waits for the first signal and returns its name.
    #[cfg(unix)]
    async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        }
    }

    #[cfg(not(unix))]
    async fn recv(&mut self) -> &'static str {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            Err(_) => std::future::pending().await,
        }
    }
}
