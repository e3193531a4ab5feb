//! Voter keys: how a voter token or an invitation code becomes the key
//! that the database keeps one ballot per.
//!
//! The origin allowlist, the rate limit and the admin token are shared
//! with the form service and live in `crate::guard`.

use sha2::{Digest as _, Sha256};

/// Returns SHA-256 over a domain label, the poll id and a secret value, so
/// the same token in two polls gives unrelated keys.
pub(crate) fn voter_key(label: &str, poll_id: &str, secret: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(label.as_bytes());
    hasher.update([0]);
    hasher.update(poll_id.as_bytes());
    hasher.update([0]);
    hasher.update(secret.as_bytes());
    hasher.finalize().into()
}
