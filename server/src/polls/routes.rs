//! Public poll routes, below `/api`:
//!
//! - `GET /v1/polls/{id}`: the poll and its phase
//! - `POST /v1/polls/{id}/ballots`: cast a ballot
//! - `GET /v1/polls/{id}/results`: the tally, when visible
//! - `GET /v1/polls/{id}/results/stream`: the tally as server-sent events
//! - `GET /v1/openapi.json`: the OpenAPI document of the whole API

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ogkit_core::poll::{Ballot, Participation, Poll, PollPhase, ResultsVisibility, Timestamp};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::guard::{api_cors_layer, check_origin, loggable, origin_and_host, read_json};

use super::error::PollError;
use super::guard::voter_key;
use super::store::{now, NewBallot, PollStore, StoredPoll, SubmitOutcome};
use super::tally_hub::TallySnapshot;
use super::PollService;

/// Largest ballot body accepted, in bytes. A ballot of a poll with many
/// questions is a few hundred bytes; 16 KiB leaves room without letting a
/// client make the server parse megabytes.
pub(crate) const MAX_BALLOT_BYTES: usize = 16 * 1024;

/// The OpenAPI document, served as it is.
const OPENAPI: &str = include_str!("../../openapi.json");

pub(crate) fn router<S: PollStore>(service: Arc<PollService<S>>) -> Router {
    let cors = api_cors_layer(&service.config.ballot_origins);
    // Each route also accepts OPTIONS, so that the CORS layer sees the
    // preflight. Without it, the API's JSON 405 for unknown methods would
    // replace the method fallback of every route and bypass the layer.
    let preflight = || async { StatusCode::NO_CONTENT };
    let polls = Router::new()
        .route("/v1/polls/{id}", get(polls_show::<S>).options(preflight))
        .route("/v1/polls/{id}/ballots", post(ballots_submit::<S>).options(preflight))
        .route("/v1/polls/{id}/results", get(results_show::<S>).options(preflight))
        .route("/v1/polls/{id}/results/stream", get(results_stream::<S>).options(preflight))
        .with_state(service);
    let polls = match cors {
        Some(cors) => polls.layer(cors),
        None => polls,
    };
    polls.route("/v1/openapi.json", get(openapi_show))
}

/// Body of `GET /v1/polls/{id}`.
#[derive(Serialize)]
struct PollBody<'a> {
    #[serde(flatten)]
    poll: &'a Poll,
    phase: PollPhase,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_at: Option<Timestamp>,
}

async fn polls_show<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
) -> Result<Response, PollError> {
    let stored = find_poll(&service.store, &id).await?;
    let body = PollBody {
        poll: &stored.poll,
        phase: stored.phase(now()),
        closed_at: stored.closed_at,
    };
    Ok(Json(body).into_response())
}

/// Body of `POST /v1/polls/{id}/ballots`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BallotRequest {
    /// Random UUID chosen by the client; resending it returns the receipt.
    ballot_id: Uuid,
    selections: std::collections::BTreeMap<String, Vec<String>>,
    /// Open polls: a random token the browser keeps, 16 to 256 characters.
    #[serde(default)]
    voter_token: Option<String>,
    /// Code polls: the one-time invitation code.
    #[serde(default)]
    invitation_code: Option<String>,
}

async fn ballots_submit<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PollError> {
    if let Err(error) = check_origin(request.headers(), &service.config.ballot_origins) {
        if let Some(unlogged) = service.origin_rejections.admit(std::time::Instant::now()) {
            let (origin, host) = origin_and_host(request.headers());
            tracing::warn!(
                poll_id = %loggable(&id),
                origin = %origin,
                host = %host,
                flag = "--ballot-origin",
                unlogged_since_last = unlogged,
                "ballot rejected by the same-site check: Origin matches neither Host nor a \
                 --ballot-origin; add the page's origin with --ballot-origin, or make the \
                 reverse proxy forward the Host header"
            );
        }
        return Err(error.into());
    }
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    let body: BallotRequest = read_json(request.into_body(), MAX_BALLOT_BYTES).await?;

    // The writer checks the phase again inside its transaction, so a poll
    // read up to a second ago is good enough here, and it saves a database
    // read and a JSON parse per ballot.
    let stored = service
        .store
        .recent_poll(&id)
        .await?
        .ok_or_else(|| PollError::PollNotFound { id: id.clone() })?;
    let now = now();
    // A resent ballot goes on to the writer, which returns its receipt
    // whatever the phase is now.
    let phase = stored.phase(now);
    if phase != PollPhase::Open && !service.store.has_ballot(&id, body.ballot_id).await? {
        return Err(match phase {
            PollPhase::NotOpenYet => {
                PollError::PollNotOpenYet { id, opens_at: stored.poll.opens_at.to_string() }
            }
            _ => PollError::PollClosed { id },
        });
    }

    let voter_key = match stored.poll.participation {
        Participation::Open => {
            let token = body.voter_token.as_deref().unwrap_or("");
            if !is_valid_voter_token(token) {
                return Err(PollError::Unauthorized {
                    reason: "voter_token is missing or invalid; send 16 to 256 visible ASCII \
                             characters, such as a random UUID kept in the browser"
                        .to_owned(),
                });
            }
            if let Some(address) = address {
                service.limiter.check(address, now)?;
            }
            voter_key("open", &id, token)
        }
        Participation::Code => {
            let code = normalize_code(body.invitation_code.as_deref().unwrap_or(""));
            if code.is_empty() {
                return Err(PollError::Unauthorized {
                    reason: "invitation_code is missing; this poll needs the code from the invitation"
                        .to_owned(),
                });
            }
            voter_key("code", &id, &code)
        }
    };

    let ballot = Ballot { selections: body.selections };
    let violations = stored.poll.check_ballot(&ballot);
    if !violations.is_empty() {
        return Err(PollError::InvalidBallot { violations });
    }

    let outcome = service
        .store
        .submit(NewBallot {
            poll_id: id.clone(),
            ballot_id: body.ballot_id,
            voter_key,
            participation: stored.poll.participation,
            ballot,
        })
        .await?;
    match outcome {
        SubmitOutcome::Accepted(receipt) => {
            tracing::debug!(poll_id = %id, "ballot: stored");
            Ok((StatusCode::CREATED, Json(receipt)).into_response())
        }
        SubmitOutcome::Replayed(receipt) => Ok((StatusCode::OK, Json(receipt)).into_response()),
        SubmitOutcome::AlreadyVoted => Err(PollError::AlreadyVoted),
        SubmitOutcome::BallotIdConflict => Err(PollError::BallotIdConflict),
        SubmitOutcome::PollNotFound => Err(PollError::PollNotFound { id }),
        SubmitOutcome::PollClosed => Err(PollError::PollClosed { id }),
        SubmitOutcome::PollNotOpenYet => {
            Err(PollError::PollNotOpenYet { id, opens_at: stored.poll.opens_at.to_string() })
        }
        SubmitOutcome::UnknownCode => Err(PollError::Unauthorized {
            reason: "the invitation code is not valid for this poll; check it for typos".to_owned(),
        }),
    }
}

/// Query of the results routes.
#[derive(Debug, Deserialize)]
struct ResultsQuery {
    /// Id of the caller's stored ballot; shows `after-vote` results.
    ballot: Option<String>,
}

/// Body of `GET /v1/polls/{id}/results` and of each stream event.
#[derive(Serialize)]
struct ResultsBody<'a> {
    #[serde(flatten)]
    snapshot: &'a TallySnapshot,
    phase: PollPhase,
}

async fn results_show<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
    query: Result<Query<ResultsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PollError> {
    let (stored, phase) = visible_poll(&service, &id, query).await?;
    let receiver = service.hub.watch(&service.store, &stored).await?;
    let snapshot = receiver.borrow().clone();
    Ok(Json(ResultsBody { snapshot: &snapshot, phase }).into_response())
}

async fn results_stream<S: PollStore>(
    State(service): State<Arc<PollService<S>>>,
    Path(id): Path<String>,
    query: Result<Query<ResultsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, PollError> {
    let (stored, phase) = visible_poll(&service, &id, query).await?;
    let receiver = service.hub.watch(&service.store, &stored).await?;
    let stop = service.stop_streams.subscribe();

    // The first event is the current tally; after that one event per
    // change. A slow client skips intermediate tallies, never goes back.
    let state = (receiver, stop, true);
    let events = futures_util::stream::unfold(state, move |(mut receiver, mut stop, first)| async move {
        if !first {
            tokio::select! {
                changed = receiver.changed() => changed.ok()?,
                _ = stop.wait_for(|stopped| *stopped) => return None,
            }
        }
        let snapshot = receiver.borrow_and_update().clone();
        let body = ResultsBody { snapshot: &snapshot, phase };
        let event = Event::default()
            .event("tally")
            .id(snapshot.version.to_string())
            .json_data(&body)
            .unwrap_or_else(|_| Event::default().event("error").data("tally not serialisable"));
        Some((Ok::<_, Infallible>(event), (receiver, stop, false)))
    });
    let mut response = Sse::new(events).keep_alive(KeepAlive::default()).into_response();
    // nginx buffers proxied responses unless this header switches it off.
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// Returns the poll when its results are visible to this request.
async fn visible_poll<S: PollStore>(
    service: &PollService<S>,
    id: &str,
    query: Result<Query<ResultsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<(StoredPoll, PollPhase), PollError> {
    let Query(query) = query.map_err(|rejection| PollError::BadRequest {
        reason: format!("invalid query string: {rejection}"),
    })?;
    let stored = find_poll(&service.store, id).await?;
    let phase = stored.phase(now());
    if stored.poll.results_visible(phase, false) {
        return Ok((stored, phase));
    }
    match stored.poll.results {
        ResultsVisibility::AfterVote => {
            let Some(ballot) = query.ballot else {
                return Err(PollError::ResultsHidden {
                    reason: "this poll shows results after voting; pass ?ballot= with the ballot_id of your receipt",
                });
            };
            let ballot_id = Uuid::parse_str(&ballot).map_err(|_| PollError::BadRequest {
                reason: format!("ballot {ballot:?} is not a UUID; pass the ballot_id of your receipt"),
            })?;
            if service.store.has_ballot(id, ballot_id).await? {
                Ok((stored, phase))
            } else {
                Err(PollError::ResultsHidden {
                    reason: "no ballot with this ballot_id is stored for this poll",
                })
            }
        }
        _ => Err(PollError::ResultsHidden { reason: "this poll shows results after it has closed" }),
    }
}

async fn openapi_show() -> Response {
    ([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], OPENAPI).into_response()
}

/// Loads a poll or returns `poll_not_found`.
pub(crate) async fn find_poll<S: PollStore>(store: &S, id: &str) -> Result<StoredPoll, PollError> {
    store.poll(id).await?.ok_or_else(|| PollError::PollNotFound { id: id.to_owned() })
}

fn is_valid_voter_token(token: &str) -> bool {
    (16..=256).contains(&token.len()) && token.bytes().all(|byte| byte.is_ascii_graphic())
}

/// Returns an invitation code in upper case without spaces and dashes, so
/// `abcd-efgh-jkmn` and `ABCDEFGHJKMN` are the same code.
pub(crate) fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|character| !matches!(character, '-' | ' '))
        .map(|character| character.to_ascii_uppercase())
        .collect()
}
