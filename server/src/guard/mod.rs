//! Checks in front of the JSON API that the poll and form services share.
//! They cover the `Origin` allowlist of the public write endpoints, the rate
//! limit per client address, the bearer token of the admin API and the size
//! limit of JSON request bodies.
//!
//! Each check fails with a [`GuardError`]. The services convert it into
//! their own error type. The stable codes (`origin_not_allowed`,
//! `rate_limited`, `unauthorized`, `payload_too_large`, `bad_json`,
//! `bad_request`) stay the same across the API, and each service words
//! its messages for its own resource.

mod admin_token;
mod body;
mod origin;
mod rate_limit;

pub(crate) use admin_token::{admin_token_hash, check_admin_token};
#[cfg(test)]
pub(crate) use admin_token::hash_token;
pub(crate) use body::{read_body, read_json};
pub(crate) use origin::{api_cors_layer, check_origin, loggable, origin_and_host, RejectionLog};
#[cfg(test)]
pub(crate) use origin::LOGGED_REJECTIONS_PER_MINUTE;
pub(crate) use rate_limit::RateLimiter;

/// A request rejected by one of the shared checks.
#[derive(Debug)]
pub(crate) enum GuardError {
    /// The `Origin` header names a site that is not on the allowlist.
    OriginNotAllowed { origin: String },
    /// The admin token is missing or wrong, or the admin API is disabled.
    Unauthorized { reason: String },
    /// The client address has used up this hour's requests.
    RateLimited { retry_after_seconds: u64 },
    /// The request body is longer than `limit` bytes.
    PayloadTooLarge { limit: usize },
    /// The body is not JSON of the expected shape.
    BadJson { reason: String },
    /// The body could not be read.
    BadRequest { reason: String },
    /// A failure on the server side, such as no random salt.
    Internal(anyhow::Error),
}
