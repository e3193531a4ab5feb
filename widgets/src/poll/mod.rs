//! `<og-poll>`: a citizen votes in a participation poll and then views the result.
//!
//! The widget loads the poll from an ogkit server, decides with
//! [`state::decide`] what this browser may do (vote, wait, see results),
//! shows each question as a native fieldset of radio buttons or checkboxes,
//! checks the selection limits with the core ballot check before sending,
//! and follows the result stream while results are visible and the poll is
//! open. A voter token and the receipt are kept in `localStorage`
//! ([`storage`]), so a reload shows "already voted".
//!
//! A ballot gets a random id once per attempt ([`state::Attempt`]); a retry
//! after a lost response resends the same id, and the server responds with the
//! receipt of the ballot it stored the first time.
//!
//! Markup hooks for tests and host pages are `data-og-…` attributes
//! (`data-og-poll` carries the state); class names are for styling only.

pub mod api;
pub mod config;
pub mod decode;
mod net;
pub mod state;
pub mod storage;
pub mod text;
mod view;

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use js_sys::{Object, Reflect};
use ogkit_core::poll::{Participation, PollPhase};
use wasm_bindgen::JsValue;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::diagnostics::{warn_request_failed, RequestFailure};
use crate::mount::{self, HostState};
use api::{BallotRequest, LoadFailure, PollInfo};
use config::{ConfigError, PollConfig};
use state::{Action, Decision, Load, PollState, ResultsAccess, ResultsLoad, Sending, Stage};
use text::Text;

/// Properties of [`PollWidget`], built by the custom-element glue.
#[derive(Properties, PartialEq, Clone)]
pub struct PollWidgetProps {
    /// Checked attributes, or every attribute that is unusable.
    pub config: Result<PollConfig, Vec<ConfigError>>,
    /// Language of the text, also when the attributes are unusable.
    pub lang: Lang,
    /// The `<og-poll>` element: events are dispatched from it.
    pub host: HtmlElement,
    /// Prefix that makes this instance's element ids unique on the page.
    pub id_prefix: AttrValue,
}

/// Renders the poll, or a message for the editors when its attributes are
/// unusable.
#[function_component(PollWidget)]
pub fn poll_widget(props: &PollWidgetProps) -> Html {
    // A valid configuration leaves the state to the inner component.
    mount::use_host_state(&props.host, props.config.is_err().then_some(HostState::Failed));
    match &props.config {
        Ok(config) => html! {
            <PollView config={ config.clone() } host={ props.host.clone() } id_prefix={ props.id_prefix.clone() } />
        },
        Err(errors) => {
            let text = Text(props.lang);
            html! {
                <div class="og-poll__inner" lang={ props.lang.tag() } data-og-poll="invalid-config">
                    { for errors.iter().map(|error| html! {
                        <p class="og-error" role="alert" data-og-error="config">{ text.config_error(error) }</p>
                    }) }
                </div>
            }
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
struct PollViewProps {
    config: PollConfig,
    host: HtmlElement,
    id_prefix: AttrValue,
}

#[function_component(PollView)]
fn poll_view(props: &PollViewProps) -> Html {
    let config = &props.config;
    let text = Text(config.lang);
    let state = use_reducer({
        let (server, poll) = (config.server.clone(), config.poll.clone());
        move || PollState::new(storage::load_vote(&server, &poll))
    });
    let confirmation_ref = use_node_ref();
    let problems_ref = use_node_ref();
    let decision = state.decision();

    use_poll_loading(config, &state);
    use_ballot_sending(config, &state);
    use_vote_acknowledgement(props, &state, &confirmation_ref);
    use_results(config, &state, decision.as_ref());
    use_phase_timer(&state);

    // Effects: tell the host element (and so the fallback content) how loading went.
    {
        let host = props.host.clone();
        let host_state = match &state.load {
            Load::Loading => HostState::Loading,
            Load::Failed(_) => HostState::Failed,
            Load::Ready(_) => HostState::Ready,
        };
        use_effect_with(host_state, move |host_state| mount::set_host_state(&host, *host_state));
    }

    // Effects: move focus to the list of problems when it is shown.
    {
        let problems_ref = problems_ref.clone();
        use_effect_with(state.problems_seq, move |seq| {
            if *seq > 0 {
                if let Some(summary) = problems_ref.cast::<HtmlElement>() {
                    let _ = summary.focus();
                }
            }
        });
    }

    let ids = view::Ids::new(&props.id_prefix);
    let (hook, body) = match (&state.load, &decision) {
        (Load::Loading, _) => ("loading", html! { <p class="og-poll__loading">{ text.loading() }</p> }),
        (Load::Failed(failure), _) => failure_view(text, failure, &state),
        (Load::Ready(info), Some(decision)) => {
            let body = ready_view(ReadyInput { text, ids: &ids, info, decision, state: &state, confirmation_ref, problems_ref });
            (decision.stage.hook(), body)
        }
        (Load::Ready(_), None) => ("loading", Html::default()),
    };
    let notice = state.notice.map(|notice| text.notice(notice)).unwrap_or_default();

    html! {
        <div class="og-poll__inner" lang={ config.lang.tag() } data-og-poll={ hook }>
            <p class="og-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-og-status="">
                { notice }
            </p>
            { body }
        </div>
    }
}

/// Loads the poll whenever `load_seq` changes.
#[hook]
fn use_poll_loading(config: &PollConfig, state: &UseReducerHandle<PollState>) {
    let dispatcher = state.dispatcher();
    let url = api::poll_url(&config.server, &config.poll);
    use_effect_with(state.load_seq, move |seq| {
        let seq = *seq;
        let cancelled = Rc::new(Cell::new(false));
        {
            let cancelled = Rc::clone(&cancelled);
            wasm_bindgen_futures::spawn_local(async move {
                let result = match net::request(&url, None).await {
                    Some((status, body)) => api::decode_poll(status, &body),
                    None => Err(LoadFailure::Network),
                };
                let request_failure = match &result {
                    Err(LoadFailure::Network) => Some(RequestFailure::NoResponse),
                    Err(LoadFailure::NotFound) => Some(RequestFailure::Status(404)),
                    Err(LoadFailure::Status { status, .. }) => Some(RequestFailure::Status(*status)),
                    _ => None,
                };
                if let Some(request_failure) = request_failure {
                    warn_request_failed(config::TAG, "poll", &url, request_failure);
                }
                if !cancelled.get() {
                    dispatcher.dispatch(Action::Loaded { seq, result });
                }
            });
        }
        move || cancelled.set(true)
    });
}

/// Sends the current attempt whenever `send_seq` changes.
#[hook]
fn use_ballot_sending(config: &PollConfig, state: &UseReducerHandle<PollState>) {
    let dispatcher = state.dispatcher();
    let server = config.server.clone();
    let url = api::ballots_url(&config.server, &config.poll);
    let attempt = state.attempt.clone().filter(|_| state.sending == Sending::InFlight);
    let participation = state.info().map(|info| info.poll.participation);
    use_effect_with(state.send_seq, move |seq| {
        let seq = *seq;
        let cancelled = Rc::new(Cell::new(false));
        if let (Some(attempt), Some(participation)) = (attempt, participation) {
            let cancelled = Rc::clone(&cancelled);
            wasm_bindgen_futures::spawn_local(async move {
                let token = match participation {
                    Participation::Open => Some(storage::voter_token(&server, net::random_uuid)),
                    Participation::Code => None,
                };
                let body = api::encode_ballot(&BallotRequest {
                    ballot_id: &attempt.ballot_id,
                    selections: &attempt.selections,
                    voter_token: token.as_deref(),
                    invitation_code: (participation == Participation::Code).then_some(attempt.code.as_str()),
                });
                let outcome = net::request(&url, Some(&body))
                    .await
                    .map(|(status, body)| api::decode_ballot_response(status, &body));
                if !cancelled.get() {
                    dispatcher.dispatch(Action::Sent { seq, outcome });
                }
            });
        }
        move || cancelled.set(true)
    });
}

/// Stores an acknowledged vote, dispatches `og-vote` and moves focus to
/// the confirmation whenever `vote_seq` changes.
#[hook]
fn use_vote_acknowledgement(props: &PollViewProps, state: &UseReducerHandle<PollState>, confirmation: &NodeRef) {
    let host = props.host.clone();
    let config = props.config.clone();
    let vote = state.vote.clone();
    let receipt = state.receipt.clone();
    let confirmation = confirmation.clone();
    use_effect_with(state.vote_seq, move |seq| {
        if *seq == 0 {
            return;
        }
        if let Some(vote) = &vote {
            storage::save_vote(&config.server, &config.poll, vote);
        }
        if let Some(confirmation) = confirmation.cast::<HtmlElement>() {
            let _ = confirmation.focus();
        }
        if let Some(receipt) = &receipt {
            dispatch_vote(&host, &config.poll, receipt);
        }
    });
}

/// Dispatches `og-vote` with `detail: {poll, receipt: {poll_id, ballot_id, accepted_at}}`.
fn dispatch_vote(host: &HtmlElement, poll: &str, receipt: &api::Receipt) {
    let detail = Object::new();
    let receipt_object = Object::new();
    let _ = Reflect::set(&receipt_object, &"poll_id".into(), &receipt.poll_id.as_str().into());
    let _ = Reflect::set(&receipt_object, &"ballot_id".into(), &receipt.ballot_id.as_str().into());
    let _ = Reflect::set(&receipt_object, &"accepted_at".into(), &receipt.accepted_at.to_string().into());
    let _ = Reflect::set(&detail, &"poll".into(), &poll.into());
    let _ = Reflect::set(&detail, &"receipt".into(), &JsValue::from(receipt_object));
    mount::dispatch(host, "og-vote", &detail);
}

/// Loads the results when they are visible, and follows the result stream
/// while the poll is open. The stream closes when the results access
/// changes or the widget is removed.
#[hook]
fn use_results(config: &PollConfig, state: &UseReducerHandle<PollState>, decision: Option<&Decision>) {
    let dispatcher = state.dispatcher();
    let access = decision.map(|decision| decision.results.clone()).unwrap_or(ResultsAccess::None);
    let (server, poll) = (config.server.clone(), config.poll.clone());
    use_effect_with((state.results_seq, access), move |(_, access)| {
        let cancelled = Rc::new(Cell::new(false));
        let mut stream = None;
        if let ResultsAccess::Visible { ballot, live } = access {
            let url = api::results_url(&server, &poll, ballot.as_deref(), false);
            {
                let cancelled = Rc::clone(&cancelled);
                let dispatcher = dispatcher.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = match net::request(&url, None).await {
                        Some((status, body)) => api::decode_results(status, &body),
                        None => Err(LoadFailure::Network),
                    };
                    if !cancelled.get() {
                        dispatcher.dispatch(Action::ResultsLoaded { result, streamed: false, now_ms: net::now_ms() });
                    }
                });
            }
            if *live {
                let url = api::results_url(&server, &poll, ballot.as_deref(), true);
                stream = net::ResultStream::open(&url, move |data| {
                    let result = api::decode_results(200, &data);
                    dispatcher.dispatch(Action::ResultsLoaded { result, streamed: true, now_ms: net::now_ms() });
                });
            }
        }
        move || {
            cancelled.set(true);
            drop(stream);
        }
    });
}

/// Maximum delay of a browser timer, in milliseconds (2^31 - 1).
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// Loads the poll again when it opens or closes while the page is shown.
#[hook]
fn use_phase_timer(state: &UseReducerHandle<PollState>) {
    let dispatcher = state.dispatcher();
    let boundary = state.info().and_then(|info| match info.phase {
        PollPhase::NotOpenYet => Some(info.poll.opens_at),
        PollPhase::Open => Some(info.poll.closes_at),
        PollPhase::Closed => None,
    });
    use_effect_with(boundary, move |boundary| {
        // One second after the boundary, so the server's clock has passed it too.
        let timeout = boundary
            .map(|boundary| boundary.as_unix_seconds() as f64 * 1000.0 + 1000.0 - net::now_ms())
            .filter(|delay| *delay <= MAX_TIMER_MS)
            .map(|delay| Timeout::new(delay.max(0.0) as u32, move || dispatcher.dispatch(Action::Reload)));
        move || drop(timeout)
    });
}

fn failure_view(text: Text, failure: &LoadFailure, state: &UseReducerHandle<PollState>) -> (&'static str, Html) {
    let hook = match failure {
        LoadFailure::NotFound => "not-found",
        LoadFailure::Network => "unreachable",
        _ => "error",
    };
    let onretry = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Reload))
    };
    let body = html! {
        <div class="og-poll__failure">
            <p class="og-error" role="alert" data-og-error={ hook }>{ text.load_failure(failure, net::is_online()) }</p>
            if failure.is_retryable() {
                <button type="button" class="og-poll__button" onclick={ onretry } data-og-retry="load">
                    { text.retry_load() }
                </button>
            }
        </div>
    };
    (hook, body)
}

struct ReadyInput<'a> {
    text: Text,
    ids: &'a view::Ids,
    info: &'a PollInfo,
    decision: &'a Decision,
    state: &'a UseReducerHandle<PollState>,
    confirmation_ref: NodeRef,
    problems_ref: NodeRef,
}

fn ready_view(input: ReadyInput<'_>) -> Html {
    let ReadyInput { text, ids, info, decision, state, .. } = input;
    let poll = &info.poll;
    let lang = text.0;
    let period = match decision.stage {
        Stage::NotOpenYet => text.opens_at(&net::format_time(poll.opens_at, lang)),
        Stage::Voting | Stage::Voted => text.closes_at(&net::format_time(poll.closes_at, lang)),
        Stage::Closed => text.closed(&net::format_time(info.closed_at.unwrap_or(poll.closes_at), lang)),
    };
    let stage = match decision.stage {
        Stage::Voting => form_view(text, ids, info, state, input.problems_ref),
        Stage::Voted | Stage::Closed => confirmation_view(text, state, decision.stage, input.confirmation_ref),
        Stage::NotOpenYet => Html::default(),
    };

    html! {
        <>
            <h2 class="og-poll__title">{ &poll.title }</h2>
            if let Some(description) = &poll.description {
                <p class="og-poll__description">{ description }</p>
            }
            <p class="og-poll__period" data-og-period="">{ period }</p>
            { stage }
            { results_view(text, ids, info, decision, state) }
        </>
    }
}

fn form_view(
    text: Text,
    ids: &view::Ids,
    info: &PollInfo,
    state: &UseReducerHandle<PollState>,
    problems_ref: NodeRef,
) -> Html {
    let poll = &info.poll;
    let dispatcher = state.dispatcher();
    let onselect = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |(question, choice, checked): (String, String, bool)| {
            dispatcher.dispatch(Action::Select { question, choice, checked });
        })
    };
    let oncode = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                dispatcher.dispatch(Action::SetCode(input.value()));
            }
        })
    };
    let onsubmit = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatcher.dispatch(Action::Submit { fresh_id: net::random_uuid() });
        })
    };
    let onretry = Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Retry));

    let has_problems = !state.problems.is_empty() || state.code_problem.is_some();
    let in_flight = state.sending == Sending::InFlight;
    let failure = match &state.sending {
        Sending::NoResponse => Some((text.no_response(net::is_online()).to_owned(), true, "unreachable")),
        Sending::Failed(outcome) => Some((text.send_failure(outcome), outcome.is_retryable(), "rejected")),
        Sending::Idle | Sending::InFlight => None,
    };
    let form_input = view::FormInput {
        text,
        ids,
        poll,
        selection: &state.selection,
        problems: &state.problems,
        onselect,
    };

    html! {
        <form class="og-poll__form" novalidate=true onsubmit={ onsubmit } aria-label={ poll.title.clone() }>
            if has_problems {
                { view::problem_summary(text, ids, poll, &state.selection, &state.problems, state.code_problem, problems_ref) }
            }
            if poll.participation == Participation::Code {
                { view::code_field(text, ids, &state.code, state.code_problem, oncode) }
            }
            { view::questions(&form_input) }
            if let Some((message, retryable, hook)) = failure {
                <div class="og-poll__send-error">
                    <p class="og-error" role="alert" data-og-error={ hook }>{ message }</p>
                    if retryable {
                        <button type="button" class="og-poll__button" onclick={ onretry } data-og-retry="send">
                            { text.send_again() }
                        </button>
                    }
                </div>
            }
            <button type="submit" class="og-poll__submit" aria-disabled={ in_flight.then_some("true") } data-og-submit="">
                { if in_flight { text.sending() } else { text.submit() } }
            </button>
        </form>
    }
}

fn confirmation_view(text: Text, state: &PollState, stage: Stage, node: NodeRef) -> Html {
    let Some(vote) = &state.vote else { return Html::default() };
    let heading = match (&state.receipt, &vote.ballot_id) {
        (Some(_), _) => text.thanks(),
        (None, Some(_)) => text.voted_before(),
        (None, None) => text.voted_without_receipt(),
    };
    let receipt = vote.ballot_id.as_deref().map(|ballot_id| {
        let date = vote.accepted_at.map(|time| net::format_time(time, text.0));
        text.receipt(ballot_id, date.as_deref())
    });
    html! {
        <div class="og-poll__confirmation" tabindex="-1" ref={ node } data-og-confirmation={ stage.hook() }>
            <h3 class="og-poll__confirmation-title">{ heading }</h3>
            if let Some(receipt) = receipt {
                <p class="og-poll__receipt" data-og-receipt={ vote.ballot_id.clone().unwrap_or_default() }>{ receipt }</p>
                <p class="og-poll__hint">{ text.receipt_note() }</p>
            }
        </div>
    }
}

fn results_view(
    text: Text,
    ids: &view::Ids,
    info: &PollInfo,
    decision: &Decision,
    state: &UseReducerHandle<PollState>,
) -> Html {
    let live = matches!(decision.results, ResultsAccess::Visible { live: true, .. });
    match &decision.results {
        ResultsAccess::None => Html::default(),
        ResultsAccess::AfterVote => html! {
            <p class="og-poll__results-hidden" data-og-results="after-vote">{ text.results_after_vote() }</p>
        },
        ResultsAccess::AfterClose => html! {
            <p class="og-poll__results-hidden" data-og-results="after-close">
                { text.results_after_close(&net::format_time(info.poll.closes_at, text.0)) }
            </p>
        },
        ResultsAccess::Visible { .. } => match &state.results {
            ResultsLoad::Waiting => html! {
                <p class="og-poll__loading" data-og-results="loading">{ text.results_loading() }</p>
            },
            ResultsLoad::Failed(failure) => {
                let dispatcher = state.dispatcher();
                let onretry = Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::ReloadResults));
                html! {
                    <div class="og-poll__results-failure" data-og-results="error">
                        <p class="og-error">{ text.results_failure(failure) }</p>
                        if failure.is_retryable() {
                            <button type="button" class="og-poll__button" onclick={ onretry } data-og-retry="results">
                                { text.retry_results() }
                            </button>
                        }
                    </div>
                }
            }
            ResultsLoad::Ready(results) => view::results(text, ids, &info.poll, results, live),
        },
    }
}
