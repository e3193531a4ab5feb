//! The poll API on the widget side: URLs, request bodies and the
//! decoding of every response into the core poll types.
//!
//! Everything here works on status codes and body text, so it is tested
//! natively; `net` does the fetching and `decode` walks the JSON. The
//! server's responses are untrusted: a body of the wrong shape becomes
//! [`LoadFailure::InvalidResponse`] or [`BallotOutcome::Unexpected`], never a
//! panic.

use std::collections::BTreeMap;

use ogkit_core::poll::{Poll, PollPhase, Tally, Timestamp, Violation};

use super::decode;

/// Body of `GET /api/v1/polls/{id}`: the poll with its phase at the
/// server's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct PollInfo {
    /// The poll definition.
    pub poll: Poll,
    /// Phase when the server responded.
    pub phase: PollPhase,
    /// When staff closed the poll early, if they did.
    pub closed_at: Option<Timestamp>,
}

/// Body of `GET /api/v1/polls/{id}/results` and of each `tally` event of
/// the result stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// Number of ballots counted; it only grows, so an older result is dropped.
    pub version: u64,
    /// Counts and percentages, computed by the core tally on the server.
    pub tally: Tally,
    /// Phase when the server responded.
    pub phase: PollPhase,
}

/// Receipt of a stored ballot, as the server returns it.
///
/// NOTE: the server keeps its own copy of this shape; core has no shared
/// receipt type yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Id of the poll.
    pub poll_id: String,
    /// The client-generated id of the ballot.
    pub ballot_id: String,
    /// When the server stored the ballot.
    pub accepted_at: Timestamp,
}

/// Body of `POST /api/v1/polls/{id}/ballots`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotRequest<'a> {
    /// Random UUID of this attempt; a resend returns the first receipt.
    pub ballot_id: &'a str,
    /// Selected choice ids per question id.
    pub selections: &'a BTreeMap<String, Vec<String>>,
    /// Open polls: the browser's voter token.
    pub voter_token: Option<&'a str>,
    /// Code polls: the invitation code as typed.
    pub invitation_code: Option<&'a str>,
}

/// Reason why a poll or its results could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadFailure {
    /// No response: the server is down or unreachable.
    Network,
    /// The server has no poll with this id.
    NotFound,
    /// The results are not visible to this browser (yet).
    ResultsHidden,
    /// A response with an error status, and its code if the body had one.
    Status { status: u16, code: Option<String> },
    /// A success status with a body of the wrong shape.
    InvalidResponse,
}

impl LoadFailure {
    /// Returns true when trying again may help.
    pub fn is_retryable(&self) -> bool {
        match self {
            LoadFailure::Network | LoadFailure::InvalidResponse => true,
            LoadFailure::Status { status, .. } => *status >= 500 || *status == 429,
            LoadFailure::NotFound | LoadFailure::ResultsHidden => false,
        }
    }
}

/// Outcome of a ballot request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BallotOutcome {
    /// Stored now (201) or earlier under the same ballot id (200).
    Accepted(Receipt),
    /// This voter token or invitation code has a ballot already.
    AlreadyVoted,
    /// Code polls: the invitation code is missing, malformed or unknown.
    /// Open polls: the voter token was rejected.
    Unauthorized,
    /// The poll has closed.
    Closed,
    /// The poll has not opened yet.
    NotOpenYet,
    /// The poll no longer exists.
    NotFound,
    /// The ballot breaks the poll's rules.
    Invalid(Vec<Violation>),
    /// The ballot id belongs to another voter's ballot.
    BallotIdConflict,
    /// Another error with a known code, shown with the core text for
    /// `error.<code>` (`origin_not_allowed`, `rate_limited`, …).
    Rejected { status: u16, code: String },
    /// No usable response: a server failure or a body of the wrong shape.
    Unexpected { status: u16 },
}

impl BallotOutcome {
    /// Returns true when sending the same ballot again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            BallotOutcome::Unexpected { .. } => true,
            BallotOutcome::Rejected { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// Returns the URL of a poll.
pub fn poll_url(server: &str, poll: &str) -> String {
    format!("{server}/api/v1/polls/{poll}")
}

/// Returns the URL that ballots are sent to.
pub fn ballots_url(server: &str, poll: &str) -> String {
    format!("{server}/api/v1/polls/{poll}/ballots")
}

/// Returns the results URL, with the caller's ballot id when the poll
/// shows results after voting.
pub fn results_url(server: &str, poll: &str, ballot: Option<&str>, stream: bool) -> String {
    let path = if stream { "results/stream" } else { "results" };
    match ballot {
        // Ballot ids are UUIDs (checked when stored), so they need no
        // percent-encoding.
        Some(ballot) => format!("{server}/api/v1/polls/{poll}/{path}?ballot={ballot}"),
        None => format!("{server}/api/v1/polls/{poll}/{path}"),
    }
}

/// Decodes the response to `GET /polls/{id}`.
pub fn decode_poll(status: u16, body: &str) -> Result<PollInfo, LoadFailure> {
    if status != 200 {
        return Err(load_error(status, body));
    }
    let value = decode::parse(body).map_err(|_| LoadFailure::InvalidResponse)?;
    let (poll, phase, closed_at) = decode::poll_info(&value).map_err(|_| LoadFailure::InvalidResponse)?;
    Ok(PollInfo { poll, phase, closed_at })
}

/// Decodes the response to `GET /polls/{id}/results` or one stream event.
pub fn decode_results(status: u16, body: &str) -> Result<Results, LoadFailure> {
    if status != 200 {
        return Err(load_error(status, body));
    }
    let value = decode::parse(body).map_err(|_| LoadFailure::InvalidResponse)?;
    let (version, tally, phase) = decode::results(&value).map_err(|_| LoadFailure::InvalidResponse)?;
    Ok(Results { version, tally, phase })
}

/// Returns the `code` and violations of an error body.
fn api_error(body: &str) -> Option<(String, Vec<Violation>)> {
    decode::api_error(&decode::parse(body).ok()?).ok()
}

fn load_error(status: u16, body: &str) -> LoadFailure {
    let code = api_error(body).map(|(code, _)| code);
    match (status, code.as_deref()) {
        (404, Some("poll_not_found")) => LoadFailure::NotFound,
        (403, Some("results_hidden")) => LoadFailure::ResultsHidden,
        _ => LoadFailure::Status { status, code },
    }
}

/// Decodes the response to `POST /polls/{id}/ballots`.
pub fn decode_ballot_response(status: u16, body: &str) -> BallotOutcome {
    if status == 200 || status == 201 {
        let receipt = decode::parse(body).and_then(|value| decode::receipt(&value));
        return match receipt {
            Ok((poll_id, ballot_id, accepted_at)) if is_uuid(&ballot_id) => {
                BallotOutcome::Accepted(Receipt { poll_id, ballot_id, accepted_at })
            }
            _ => BallotOutcome::Unexpected { status },
        };
    }
    let Some((code, violations)) = api_error(body) else {
        return BallotOutcome::Unexpected { status };
    };
    match code.as_str() {
        "already_voted" => BallotOutcome::AlreadyVoted,
        "unauthorized" => BallotOutcome::Unauthorized,
        "poll_closed" => BallotOutcome::Closed,
        "poll_not_open_yet" => BallotOutcome::NotOpenYet,
        "poll_not_found" => BallotOutcome::NotFound,
        "invalid_ballot" => BallotOutcome::Invalid(violations),
        "ballot_id_conflict" => BallotOutcome::BallotIdConflict,
        "internal" => BallotOutcome::Unexpected { status },
        _ => BallotOutcome::Rejected { status, code },
    }
}

/// Encodes the body of a ballot.
pub fn encode_ballot(request: &BallotRequest<'_>) -> String {
    let mut out = String::from("{\"ballot_id\":");
    decode::write_string(request.ballot_id, &mut out);
    out.push_str(",\"selections\":{");
    for (index, (question, choices)) in request.selections.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        decode::write_string(question, &mut out);
        out.push_str(":[");
        for (position, choice) in choices.iter().enumerate() {
            if position > 0 {
                out.push(',');
            }
            decode::write_string(choice, &mut out);
        }
        out.push(']');
    }
    out.push('}');
    for (name, value) in [("voter_token", request.voter_token), ("invitation_code", request.invitation_code)] {
        if let Some(value) = value {
            out.push(',');
            decode::write_string(name, &mut out);
            out.push(':');
            decode::write_string(value, &mut out);
        }
    }
    out.push('}');
    out
}

/// Formats 16 random bytes as a version 4 UUID (RFC 9562), in lower case.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut text = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        text.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    text
}

/// Returns true for a UUID in the hyphenated form, any case.
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLL: &str = r#"{
        "id": "radweg",
        "title": "Wo soll der neue Radweg entlanglaufen?",
        "questions": [
            {"id": "route", "text": "Welche Route?", "kind": "single-choice",
             "choices": [{"id": "a", "label": "Am Fluss"}, {"id": "b", "label": "Durch die Altstadt"}]},
            {"id": "extras", "text": "Was fehlt?", "kind": "multiple-choice", "max_selections": 2,
             "choices": [{"id": "licht", "label": "Licht"}, {"id": "baenke", "label": "Bänke"}, {"id": "wasser", "label": "Wasser"}]}
        ],
        "opens_at": "2026-03-01T07:00:00Z",
        "closes_at": "2026-03-31T16:00:00Z",
        "participation": "open",
        "results": "after-vote",
        "phase": "open"
    }"#;

    const RESULTS: &str = r#"{
        "version": 3, "poll_id": "radweg", "participants": 3, "phase": "open",
        "questions": [
            {"question_id": "route", "percent_base": "ballots",
             "choices": [{"choice_id": "a", "count": 2, "percent": 66.7}, {"choice_id": "b", "count": 1, "percent": 33.3}]}
        ]
    }"#;

    mod when_loading_a_poll {
        use super::*;

        #[test]
        fn poll_with_phase_is_decoded() {
            let info = decode_poll(200, POLL);
            assert_eq!(info.as_ref().map(|info| info.phase), Ok(PollPhase::Open));
            assert_eq!(info.as_ref().map(|info| info.poll.questions.len()), Ok(2));
            assert_eq!(info.as_ref().map(|info| info.closed_at), Ok(None));
        }

        #[test]
        fn closed_at_is_read() {
            let body = POLL.replace(r#""phase": "open""#, r#""phase": "closed", "closed_at": "2026-03-10T12:00:00Z""#);
            let info = decode_poll(200, &body);
            assert_eq!(info.map(|info| info.closed_at), Ok(Timestamp::parse("2026-03-10T12:00:00Z").ok()));
        }

        #[test]
        fn unknown_poll_is_not_found() {
            let body = r#"{"code": "poll_not_found", "message": "poll \"x\" not found"}"#;
            assert_eq!(decode_poll(404, body), Err(LoadFailure::NotFound));
        }

        #[test]
        fn html_error_page_is_a_status() {
            let failure = decode_poll(502, "<html>Bad Gateway</html>");
            assert_eq!(failure, Err(LoadFailure::Status { status: 502, code: None }));
            assert!(failure.err().is_some_and(|failure| failure.is_retryable()));
        }

        #[test]
        fn wrong_shapes_are_invalid_responses() {
            for body in ["", "null", "[]", "{}", r#"{"id": 5}"#, &POLL.replace("single-choice", "ranking")] {
                assert_eq!(decode_poll(200, body), Err(LoadFailure::InvalidResponse), "{body}");
            }
        }

        #[test]
        fn fields_of_a_newer_server_are_ignored() {
            let body = POLL.replace(r#""phase": "open""#, r#""phase": "open", "image": "x.png""#);
            assert!(decode_poll(200, &body).is_ok());
        }
    }

    mod when_loading_results {
        use super::*;

        #[test]
        fn results_are_decoded() {
            let results = decode_results(200, RESULTS);
            assert_eq!(results.as_ref().map(|results| results.version), Ok(3));
            assert_eq!(results.as_ref().map(|results| results.tally.count("route", "a")), Ok(Some(2)));
        }

        #[test]
        fn hidden_results_are_recognised() {
            let body = r#"{"code": "results_hidden", "message": "results are not visible"}"#;
            assert_eq!(decode_results(403, body), Err(LoadFailure::ResultsHidden));
            assert!(!LoadFailure::ResultsHidden.is_retryable());
        }

        #[test]
        fn truncated_event_is_invalid() {
            assert_eq!(decode_results(200, &RESULTS[..40]), Err(LoadFailure::InvalidResponse));
        }
    }

    mod when_sending_a_ballot {
        use super::*;

        const RECEIPT: &str = r#"{"poll_id": "radweg", "ballot_id": "0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11", "accepted_at": "2026-03-02T10:00:00Z"}"#;

        fn error(code: &str) -> String {
            format!(r#"{{"code": "{code}", "message": "…"}}"#)
        }

        #[test]
        fn receipt_is_accepted_for_201_and_200() {
            for status in [200, 201] {
                let outcome = decode_ballot_response(status, RECEIPT);
                assert!(matches!(outcome, BallotOutcome::Accepted(ref receipt) if receipt.poll_id == "radweg"), "{outcome:?}");
            }
        }

        #[test]
        fn receipt_without_uuid_is_unexpected() {
            let body = RECEIPT.replace("0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b11", "<b>x</b>");
            assert_eq!(decode_ballot_response(201, &body), BallotOutcome::Unexpected { status: 201 });
        }

        #[test]
        fn error_codes_are_mapped() {
            let cases = [
                (409, "already_voted", BallotOutcome::AlreadyVoted),
                (401, "unauthorized", BallotOutcome::Unauthorized),
                (409, "poll_closed", BallotOutcome::Closed),
                (409, "poll_not_open_yet", BallotOutcome::NotOpenYet),
                (404, "poll_not_found", BallotOutcome::NotFound),
                (409, "ballot_id_conflict", BallotOutcome::BallotIdConflict),
                (500, "internal", BallotOutcome::Unexpected { status: 500 }),
                (429, "rate_limited", BallotOutcome::Rejected { status: 429, code: "rate_limited".into() }),
                (403, "origin_not_allowed", BallotOutcome::Rejected { status: 403, code: "origin_not_allowed".into() }),
            ];
            for (status, code, expected) in cases {
                assert_eq!(decode_ballot_response(status, &error(code)), expected, "{code}");
            }
        }

        #[test]
        fn violations_are_kept() {
            let body = r#"{"code": "invalid_ballot", "message": "…", "violations": [
                {"key": "ballot.too_many_choices", "question": "extras", "params": {"max": "2", "count": "3", "min": "1"},
                 "message": "Question \"extras\" allows at most 2 choices, but 3 are selected."}]}"#;
            let BallotOutcome::Invalid(violations) = decode_ballot_response(422, body) else {
                panic!("expected invalid ballot");
            };
            assert_eq!(violations.len(), 1);
            assert_eq!(violations.first().map(|violation| violation.key.as_str()), Some("ballot.too_many_choices"));
        }

        #[test]
        fn unreadable_errors_are_retryable() {
            for (status, body) in [(502, "Bad Gateway"), (500, ""), (409, "{}")] {
                let outcome = decode_ballot_response(status, body);
                assert_eq!(outcome, BallotOutcome::Unexpected { status });
                assert!(outcome.is_retryable());
            }
            assert!(!BallotOutcome::AlreadyVoted.is_retryable());
        }

        #[test]
        fn request_body_has_token_or_code() {
            let mut selections = BTreeMap::new();
            selections.insert("route".to_owned(), vec!["a".to_owned()]);
            let open = BallotRequest { ballot_id: "id", selections: &selections, voter_token: Some("t"), invitation_code: None };
            assert_eq!(encode_ballot(&open), r#"{"ballot_id":"id","selections":{"route":["a"]},"voter_token":"t"}"#);
            let code = BallotRequest { ballot_id: "id", selections: &selections, voter_token: None, invitation_code: Some("K7QM") };
            assert_eq!(encode_ballot(&code), r#"{"ballot_id":"id","selections":{"route":["a"]},"invitation_code":"K7QM"}"#);
        }
    }

    #[test]
    fn uuid_has_version_and_variant() {
        let text = uuid_v4([0xff; 16]);
        assert_eq!(text, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid(&text));
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn non_uuids_are_rejected() {
        for text in ["", "0b0e5f6c7a434d7e9d0c3c1f1f0a9b11", "0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b1g", "0b0e5f6c-7a43-4d7e-9d0c-3c1f1f0a9b111"] {
            assert!(!is_uuid(text), "{text}");
        }
    }

    #[test]
    fn urls_are_built() {
        assert_eq!(poll_url("", "radweg"), "/api/v1/polls/radweg");
        assert_eq!(ballots_url("https://a.de", "radweg"), "https://a.de/api/v1/polls/radweg/ballots");
        assert_eq!(results_url("", "radweg", Some("b-1"), true), "/api/v1/polls/radweg/results/stream?ballot=b-1");
        assert_eq!(results_url("", "radweg", None, false), "/api/v1/polls/radweg/results");
    }
}
