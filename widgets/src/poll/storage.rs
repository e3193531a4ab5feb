//! What the widget keeps in `localStorage`: one random voter token per
//! server, and per poll the receipt of this browser's ballot.
//!
//! Keys start with `ogkit.poll.` and name the server, so two servers with
//! a poll of the same id do not share a receipt. Stored values are read as
//! untrusted: anything that does not decode counts as missing. When the
//! browser refuses storage (private modes, blocked site data), the token
//! lives only as long as the page and a reload loses the vote.

use std::cell::RefCell;

use super::api::is_uuid;
use super::decode;
use super::state::StoredVote;

/// Returns the storage key of the voter token for `server` (empty: the
/// page's origin).
pub fn token_key(server: &str) -> String {
    format!("ogkit.poll.voter-token:{server}")
}

/// Returns the storage key of the vote in `poll` on `server`.
pub fn vote_key(server: &str, poll: &str) -> String {
    format!("ogkit.poll.vote:{server}:{poll}")
}

/// Encodes a vote for storage as `{"ballot_id": …, "accepted_at": …}`;
/// unknown values are left out.
pub fn encode_vote(vote: &StoredVote) -> String {
    let accepted_at = vote.accepted_at.map(|time| time.to_string());
    let mut out = String::new();
    decode::write_object(
        &[("ballot_id", vote.ballot_id.as_deref()), ("accepted_at", accepted_at.as_deref())],
        &mut out,
    );
    out
}

/// Decodes a stored vote; `None` for anything that is not one.
pub fn decode_vote(text: &str) -> Option<StoredVote> {
    let value = decode::parse(text).ok()?;
    let ballot_id = decode::stored_string(&value, "ballot_id").ok()?;
    let accepted_at = decode::stored_timestamp(&value, "accepted_at").ok()?;
    if ballot_id.as_deref().is_some_and(|id| !is_uuid(id)) {
        return None;
    }
    Some(StoredVote { ballot_id, accepted_at })
}

/// Returns true when `token` is acceptable to the server: 16 to 256
/// visible ASCII characters.
pub fn is_valid_token(token: &str) -> bool {
    (16..=256).contains(&token.len()) && token.bytes().all(|byte| byte.is_ascii_graphic())
}

thread_local! {
    /// Tokens made while storage is unavailable, so one page keeps one token.
    static PAGE_TOKENS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the vote that this browser stored for a poll.
pub fn load_vote(server: &str, poll: &str) -> Option<StoredVote> {
    let text = local_storage()?.get_item(&vote_key(server, poll)).ok().flatten()?;
    decode_vote(&text)
}

/// Stores the vote for a poll; does nothing when storage is refused.
pub fn save_vote(server: &str, poll: &str, vote: &StoredVote) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&vote_key(server, poll), &encode_vote(vote));
    }
}

/// Returns this browser's voter token for `server`, creating it with
/// `generate` when none is stored.
pub fn voter_token(server: &str, generate: impl FnOnce() -> String) -> String {
    let key = token_key(server);
    let storage = local_storage();
    if let Some(token) = storage.as_ref().and_then(|storage| storage.get_item(&key).ok().flatten()) {
        if is_valid_token(&token) {
            return token;
        }
    }
    if let Some(token) = PAGE_TOKENS.with(|tokens| {
        tokens.borrow().iter().find(|(known, _)| *known == key).map(|(_, token)| token.clone())
    }) {
        return token;
    }
    let token = generate();
    let stored = storage.is_some_and(|storage| storage.set_item(&key, &token).is_ok());
    if !stored {
        PAGE_TOKENS.with(|tokens| tokens.borrow_mut().push((key, token.clone())));
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;
    use ogkit_core::poll::Timestamp;

    #[test]
    fn vote_round_trips() {
        let vote = StoredVote {
            ballot_id: Some("0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11".into()),
            accepted_at: Timestamp::parse("2026-03-02T10:00:00Z").ok(),
        };
        assert_eq!(decode_vote(&encode_vote(&vote)), Some(vote));
        let unknown = StoredVote { ballot_id: None, accepted_at: None };
        assert_eq!(decode_vote(&encode_vote(&unknown)), Some(unknown));
    }

    #[test]
    fn damaged_votes_are_missing() {
        for text in ["", "true", "{\"ballot_id\": 5}", "{\"ballot_id\": \"<img src=x>\"}", "{\"accepted_at\": \"gestern\"}"] {
            assert_eq!(decode_vote(text), None, "{text}");
        }
    }

    #[test]
    fn keys_name_server_and_poll() {
        assert_eq!(vote_key("", "radweg"), "ogkit.poll.vote::radweg");
        assert_ne!(vote_key("https://a.de", "radweg"), vote_key("https://b.de", "radweg"));
        assert_ne!(token_key("https://a.de"), token_key(""));
    }

    #[test]
    fn token_rules_match_the_server() {
        assert!(is_valid_token("0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11"));
        assert!(!is_valid_token("kurz"));
        assert!(!is_valid_token("mit leerzeichen 0123456789"));
        assert!(!is_valid_token(&"x".repeat(257)));
    }
}
