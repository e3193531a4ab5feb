//! The bearer token of the admin API, from `--admin-token-file` or
//! [`ADMIN_TOKEN_ENV`]. The server keeps only its SHA-256 digest.

use std::path::Path;

use anyhow::Context as _;
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use super::GuardError;

/// Environment variable with the admin token.
const ADMIN_TOKEN_ENV: &str = "OGKIT_ADMIN_TOKEN";

/// Shortest admin token accepted, in bytes.
const MIN_ADMIN_TOKEN_LEN: usize = 16;

/// Reads the admin token from the first line of `file`, or else from
/// [`ADMIN_TOKEN_ENV`], and returns its digest; `None` when neither is set.
///
/// # Errors
///
/// Fails when the file cannot be read or the token is shorter than 16
/// characters.
pub(crate) fn admin_token_hash(file: Option<&Path>) -> anyhow::Result<Option<[u8; 32]>> {
    let token = match file {
        Some(path) => Some(read_token_file(path)?),
        None => std::env::var(ADMIN_TOKEN_ENV).ok().filter(|token| !token.is_empty()),
    };
    if let Some(token) = &token {
        anyhow::ensure!(
            token.len() >= MIN_ADMIN_TOKEN_LEN,
            "the admin token is shorter than {MIN_ADMIN_TOKEN_LEN} characters; \
             generate a longer random one, for example with `openssl rand -hex 32`"
        );
    }
    Ok(token.map(|token| hash_token(&token)))
}

fn read_token_file(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--admin-token-file {}: cannot read the file", path.display()))?;
    Ok(text.lines().next().unwrap_or("").trim().to_owned())
}

/// Returns the SHA-256 of an admin token.
pub(crate) fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Accepts the request when its bearer token matches `expected`; `None`
/// means the admin API is disabled. Both sides are hashed first, so the
/// comparison takes the same time whatever the length or content of the
/// guess.
pub(crate) fn check_admin_token(expected: Option<[u8; 32]>, headers: &HeaderMap) -> Result<(), GuardError> {
    let Some(expected) = expected else {
        return Err(GuardError::Unauthorized {
            reason: "the admin API is disabled; start the server with --admin-token-file or OGKIT_ADMIN_TOKEN"
                .to_owned(),
        });
    };
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| GuardError::Unauthorized {
            reason: "missing admin token; send the header Authorization: Bearer TOKEN".to_owned(),
        })?;
    if bool::from(hash_token(given.trim()).ct_eq(&expected)) {
        Ok(())
    } else {
        Err(GuardError::Unauthorized { reason: "the admin token is wrong".to_owned() })
    }
}
