//! `<og-form>`: a citizen fills in an online form step by step, checks the
//! answers, sends them and gets a reference number.
//!
//! The widget loads a form schema, reads it with the core's
//! [`Schema::from_json`], and shows one step at a time with native
//! controls. "Continue" checks the step with the core's `validate`, the
//! same code the server runs; problems appear in an error summary at the
//! top (GOV.UK Design System pattern: focused, one link per problem; no
//! `role="alert"`, because focus already makes screen readers read it) and again at each field. After the last step comes a
//! check-your-answers page with a change link per answer, then the
//! submission: a random submission id is made once per attempt and resent
//! on every retry, so the server stores the submission once and returns
//! the same reference number ([`state::Attempt`]).
//!
//! Markup hooks for tests and host pages are `data-og-…` attributes
//! (`data-og-form` carries the state, `data-og-page` the page); class
//! names are for styling only.

pub mod api;
pub mod config;
pub mod data;
pub mod draft;
pub mod state;
pub mod text;
mod view;

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use ogkit_core::form::Schema;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlElement, RequestInit, Response};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::diagnostics::{warn_request_failed, RequestFailure};
use crate::mount::{self, HostState};
use api::{decode_response, encode_submission};
use config::{ConfigError, FormConfig};
use state::{Action, FormState, Page, Sending};
use text::Text;

/// Properties of [`FormWidget`], built by the custom-element glue.
#[derive(Properties, PartialEq, Clone)]
pub struct FormWidgetProps {
    /// Checked attributes, or every attribute that is unusable.
    pub config: Result<FormConfig, Vec<ConfigError>>,
    /// Language of the text, also when the attributes are unusable.
    pub lang: Lang,
    /// The `<og-form>` element: events are dispatched from it.
    pub host: HtmlElement,
    /// Prefix that makes this instance's element ids unique on the page.
    pub id_prefix: AttrValue,
}

/// Renders the form, or a message for the editors when its attributes are
/// unusable.
#[function_component(FormWidget)]
pub fn form_widget(props: &FormWidgetProps) -> Html {
    // A valid configuration leaves the state to the inner component.
    mount::use_host_state(&props.host, props.config.is_err().then_some(HostState::Failed));
    match &props.config {
        Ok(config) => html! {
            <FormLoader config={ config.clone() } host={ props.host.clone() } id_prefix={ props.id_prefix.clone() } />
        },
        Err(errors) => {
            let text = Text(props.lang);
            html! {
                <div class="og-form__inner" lang={ props.lang.tag() } data-og-form="invalid-config">
                    { for errors.iter().map(|error| html! {
                        <p class="og-error" role="alert" data-og-error="config">{ text.config_error(error) }</p>
                    }) }
                </div>
            }
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
struct FormViewProps {
    config: FormConfig,
    host: HtmlElement,
    id_prefix: AttrValue,
}

/// Outcome of loading the schema.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    /// The schema URL gave 404.
    NotFound,
    /// No response or a server error; loading again may work.
    Failed,
    /// The schema is not a form ogkit can show.
    Invalid,
    Ready(Rc<Schema>),
}

#[function_component(FormLoader)]
fn form_loader(props: &FormViewProps) -> Html {
    let config = &props.config;
    let text = Text(config.lang);
    let load = use_state(|| Load::Loading);
    let attempt = use_state(|| 0u32);

    {
        let load = load.clone();
        let url = config.schema.clone();
        let lang = state::core_lang(config.lang);
        // A new `lang` loads the schema again, with its texts in that language.
        use_effect_with((*attempt, config.lang), move |_| {
            let cancelled = Rc::new(Cell::new(false));
            {
                let cancelled = Rc::clone(&cancelled);
                load.set(Load::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome = match request(&url, None).await {
                        Some((200, body)) => match Schema::from_json(&body) {
                            Ok(schema) => Load::Ready(Rc::new(schema.localized(lang))),
                            Err(error) => {
                                let message = format!("{}: schema {url}: {error}", config::TAG);
                                web_sys::console::warn_1(&JsValue::from_str(&message));
                                Load::Invalid
                            }
                        },
                        Some((404, _)) => {
                            warn_request_failed(config::TAG, "schema", &url, RequestFailure::Status(404));
                            Load::NotFound
                        }
                        Some((status, _)) => {
                            warn_request_failed(config::TAG, "schema", &url, RequestFailure::Status(status));
                            Load::Failed
                        }
                        None => {
                            warn_request_failed(config::TAG, "schema", &url, RequestFailure::NoResponse);
                            Load::Failed
                        }
                    };
                    if !cancelled.get() {
                        load.set(outcome);
                    }
                });
            }
            move || cancelled.set(true)
        });
    }

    {
        let host = props.host.clone();
        let host_state = match *load {
            Load::Loading => HostState::Loading,
            Load::Ready(_) => HostState::Ready,
            _ => HostState::Failed,
        };
        use_effect_with(host_state, move |host_state| mount::set_host_state(&host, *host_state));
    }

    let (hook, body) = match &*load {
        Load::Loading => ("loading", html! { <p class="og-form__loading" role="status">{ text.loading() }</p> }),
        Load::Ready(schema) => {
            return html! {
                <FormBody config={ config.clone() } host={ props.host.clone() } id_prefix={ props.id_prefix.clone() }
                    schema={ SchemaProp(Rc::clone(schema)) } />
            };
        }
        Load::NotFound => ("not-found", html! { <p class="og-error" role="alert" data-og-error="not-found">{ text.load_not_found() }</p> }),
        Load::Invalid => ("invalid-schema", html! { <p class="og-error" role="alert" data-og-error="invalid-schema">{ text.schema_invalid() }</p> }),
        Load::Failed => {
            let onretry = {
                let attempt = attempt.clone();
                Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
            };
            let body = html! {
                <div class="og-form__failure">
                    <p class="og-error" role="alert" data-og-error="unreachable">{ text.load_failed() }</p>
                    <button type="button" class="og-form__button" onclick={ onretry } data-og-retry="load">{ text.retry_load() }</button>
                </div>
            };
            ("error", body)
        }
    };
    html! {
        <div class="og-form__inner" lang={ config.lang.tag() } data-og-form={ hook }>{ body }</div>
    }
}

/// A parsed schema, compared by identity: one load gives one schema.
#[derive(Clone)]
struct SchemaProp(Rc<Schema>);

impl PartialEq for SchemaProp {
    fn eq(&self, other: &SchemaProp) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq, Clone)]
struct FormBodyProps {
    config: FormConfig,
    host: HtmlElement,
    id_prefix: AttrValue,
    schema: SchemaProp,
}

#[function_component(FormBody)]
fn form_body(props: &FormBodyProps) -> Html {
    let config = &props.config;
    let text = Text(config.lang);
    let prefix = props.id_prefix.to_string();
    let state = use_reducer({
        let schema = Rc::clone(&props.schema.0);
        let draft = config.save_draft.then(|| draft::load_draft(&config.action)).flatten();
        let lang = config.lang;
        move || FormState::new(schema, lang, draft)
    });
    let heading_ref = use_node_ref();
    let summary_ref = use_node_ref();
    let confirmation_ref = use_node_ref();

    use_error_title(text, !state.problems.is_empty() && state.page != Page::Done);
    use_sending(config, &state);

    // Effects: keep the draft while the user types and moves between pages.
    {
        let (save, action) = (config.save_draft, config.action.clone());
        let (page, data, attempt) = (state.page, state.data.clone(), state.attempt.clone());
        use_effect_with(state.change_seq, move |seq| {
            if save && *seq > 0 && page != Page::Done {
                draft::save_draft(&action, page, &data, attempt.as_ref());
            }
        });
    }

    // Effects: a new page focuses its heading, or the field a change link
    // or an added entry names.
    {
        let heading_ref = heading_ref.clone();
        let target = state.focus_target.clone();
        let prefix = prefix.clone();
        let schema = Rc::clone(&state.schema);
        let has_problems = !state.problems.is_empty();
        use_effect_with(state.page_seq, move |seq| {
            if *seq == 0 || has_problems {
                return;
            }
            let element = match target {
                Some(target) => focus_element(&prefix, &schema, &target),
                None => heading_ref.cast::<HtmlElement>(),
            };
            if let Some(element) = element {
                let _ = element.focus();
            }
        });
    }

    // Effects: the error summary takes focus whenever it is shown.
    {
        let summary_ref = summary_ref.clone();
        use_effect_with(state.problems_seq, move |seq| {
            if *seq > 0 {
                if let Some(summary) = summary_ref.cast::<HtmlElement>() {
                    let _ = summary.focus();
                }
            }
        });
    }

    // Effects: after a successful submission, drop the draft, move focus
    // to the confirmation and tell the page.
    {
        let confirmation_ref = confirmation_ref.clone();
        let host = props.host.clone();
        let action = config.action.clone();
        let form = config.form.clone();
        let reference = state.reference.clone();
        let submission_id = state.attempt.as_ref().map(|attempt| attempt.id.clone());
        use_effect_with(state.done_seq, move |seq| {
            if *seq == 0 {
                return;
            }
            draft::clear_draft(&action);
            if let Some(confirmation) = confirmation_ref.cast::<HtmlElement>() {
                let _ = confirmation.focus();
            }
            if let Some(reference) = reference {
                dispatch_submit(&host, form.as_deref(), &reference, submission_id.as_deref().unwrap_or_default());
            }
        });
    }

    let schema = Rc::clone(&state.schema);
    let dispatch = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    };
    let onsubmit = {
        let dispatch = dispatch.clone();
        let page = state.page;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match page {
                Page::Step(_) => dispatch.emit(Action::Next),
                Page::Check => dispatch.emit(Action::Submit { fresh_id: random_id() }),
                Page::Done => {}
            }
        })
    };

    let page_hook = match state.page {
        Page::Step(step) => (step + 1).to_string(),
        Page::Check => "check".to_owned(),
        Page::Done => "done".to_owned(),
    };
    let status = match state.sending {
        Sending::InFlight => text.sending(),
        _ => "",
    };

    let content = match state.page {
        Page::Done => done_view(text, &schema, state.reference.as_deref().unwrap_or_default(), confirmation_ref),
        Page::Step(step) => {
            let page = &state.pages[step.min(state.pages.len() - 1)];
            let context = view::Context {
                text,
                prefix: &prefix,
                schema: &schema,
                data: &state.data,
                problems: &state.problems,
                dispatch: dispatch.clone(),
            };
            let onback = {
                let dispatch = dispatch.clone();
                Callback::from(move |_: MouseEvent| dispatch.emit(Action::Back))
            };
            html! {
                <form class="og-form__form" novalidate=true onsubmit={ onsubmit } aria-labelledby={ format!("{prefix}-heading") }>
                    if !state.problems.is_empty() {
                        { summary_view(text, &prefix, &schema, &state.problems, summary_ref) }
                    }
                    if state.step_count() > 1 {
                        <p class="og-form__step" data-og-step-count={ state.step_count().to_string() }>
                            { text.step_of(step + 1, state.step_count()) }
                        </p>
                    }
                    <h3 class="og-form__heading" id={ format!("{prefix}-heading") } tabindex="-1" ref={ heading_ref }>
                        { if schema.steps.is_empty() { text.details_heading() } else { page.title.as_str() } }
                    </h3>
                    if let Some(description) = &page.description {
                        <p class="og-form__description">{ description }</p>
                    }
                    if view::has_required(&schema, &page.fields) {
                        <p class="og-form__required-note">{ text.required_note() }</p>
                    }
                    { view::fields(&context, &page.fields) }
                    <div class="og-form__actions">
                        <button type="submit" class="og-form__button" data-og-next="">{ text.next() }</button>
                        if step > 0 {
                            <button type="button" class="og-form__button og-form__button--secondary" onclick={ onback } data-og-back="">
                                { text.back() }
                            </button>
                        }
                    </div>
                </form>
            }
        }
        Page::Check => check_view(CheckInput {
            text,
            prefix: &prefix,
            state: &state,
            dispatch: dispatch.clone(),
            onsubmit,
            heading_ref,
            summary_ref,
        }),
    };

    html! {
        <div class="og-form__inner" lang={ config.lang.tag() } data-og-form="ready" data-og-page={ page_hook }>
            <h2 class="og-form__title">{ &schema.title }</h2>
            if state.page == Page::Step(0) {
                if let Some(description) = &schema.description {
                    <p class="og-form__intro">{ description }</p>
                }
            }
            <p class="og-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-og-status="">{ status }</p>
            { content }
        </div>
    }
}

thread_local! {
    /// Number of forms on the page that show problems; the title keeps its
    /// prefix while any of them does.
    static FORMS_WITH_PROBLEMS: Cell<u32> = const { Cell::new(0) };
}

/// Prefixes the document title with "Fehler: " while problems are shown,
/// as the GOV.UK error pattern recommends, and removes it once they are
/// fixed or the widget goes away. With several forms on a page, the prefix
/// stays until none of them shows a problem.
#[hook]
fn use_error_title(text: Text, has_problems: bool) {
    use_effect_with(has_problems, move |has_problems| {
        let prefix = text.error_prefix();
        let document = || web_sys::window().and_then(|window| window.document());
        let active = *has_problems;
        if active {
            let count = FORMS_WITH_PROBLEMS.with(|count| {
                count.set(count.get() + 1);
                count.get()
            });
            if let (1, Some(document)) = (count, document()) {
                let title = document.title();
                if !title.starts_with(prefix) {
                    document.set_title(&format!("{prefix}{title}"));
                }
            }
        }
        move || {
            if !active {
                return;
            }
            let count = FORMS_WITH_PROBLEMS.with(|count| {
                count.set(count.get().saturating_sub(1));
                count.get()
            });
            if let (0, Some(document)) = (count, document()) {
                let title = document.title();
                if let Some(rest) = title.strip_prefix(prefix) {
                    document.set_title(rest);
                }
            }
        }
    });
}

/// Sends the current attempt whenever `send_seq` changes.
#[hook]
fn use_sending(config: &FormConfig, state: &UseReducerHandle<FormState>) {
    let dispatcher = state.dispatcher();
    let url = config.action.clone();
    let lang = config.lang;
    let attempt = state.attempt.clone().filter(|_| state.sending == Sending::InFlight);
    use_effect_with(state.send_seq, move |seq| {
        let seq = *seq;
        let cancelled = Rc::new(Cell::new(false));
        if let Some(attempt) = attempt {
            let cancelled = Rc::clone(&cancelled);
            wasm_bindgen_futures::spawn_local(async move {
                let body = encode_submission(&attempt.id, &attempt.data);
                let response = request(&url, Some(&body)).await;
                let outcome = decode_response(response.as_ref().map(|(status, body)| (*status, body.as_str())), lang);
                if !cancelled.get() {
                    dispatcher.dispatch(Action::Sent { seq, outcome });
                }
            });
        }
        move || cancelled.set(true)
    });
}

/// Returns the element that a focus target names: a field's JSON Pointer,
/// or a repeated group's pointer followed by `#add` for its add button.
fn focus_element(prefix: &str, schema: &Schema, target: &str) -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    let id = match target.strip_suffix("#add") {
        Some(group) => format!("{}-add", view::field_id(prefix, group)),
        None => {
            // An entry of a repeated group is focused as a whole; a field by its control.
            let direct = view::field_id(prefix, target);
            if target.rsplit('/').next().is_some_and(|last| last.parse::<usize>().is_ok()) {
                direct
            } else {
                view::target_id(prefix, schema, target)
            }
        }
    };
    document.get_element_by_id(&id)?.dyn_into().ok()
}

fn summary_view(text: Text, prefix: &str, schema: &Schema, problems: &[api::Problem], node: NodeRef) -> Html {
    let title_id = format!("{prefix}-problems-title");
    html! {
        <div class="og-form__summary" role="group" tabindex="-1" ref={ node } aria-labelledby={ title_id.clone() } data-og-summary="">
            <h3 class="og-form__summary-title" id={ title_id }>{ text.problems_title(problems.len()) }</h3>
            <ul class="og-form__summary-list">
                { for problems.iter().map(|problem| {
                    let target = view::target_id(prefix, schema, &problem.path);
                    html! {
                        <li><a href={ format!("#{target}") } onclick={ focus_on_click(target.clone()) } data-og-problem={ problem.path.clone() }>
                            { &problem.message }
                        </a></li>
                    }
                }) }
            </ul>
        </div>
    }
}

/// Returns a click handler that focuses the element with id `target`.
/// Following the link itself would only scroll, and it would add the
/// fragment to the address of the host page.
fn focus_on_click(target: String) -> Callback<MouseEvent> {
    Callback::from(move |event: MouseEvent| {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&target))
            .and_then(|element| element.dyn_into::<HtmlElement>().ok());
        if let Some(element) = element {
            event.prevent_default();
            let _ = element.focus();
        }
    })
}

struct CheckInput<'a> {
    text: Text,
    prefix: &'a str,
    state: &'a UseReducerHandle<FormState>,
    dispatch: Callback<Action>,
    onsubmit: Callback<SubmitEvent>,
    heading_ref: NodeRef,
    summary_ref: NodeRef,
}

fn check_view(input: CheckInput<'_>) -> Html {
    let CheckInput { text, prefix, state, dispatch, onsubmit, heading_ref, summary_ref } = input;
    let in_flight = state.sending == Sending::InFlight;
    let onback = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Back))
    };
    let onretry = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Retry))
    };
    let several = state.pages.len() > 1;
    html! {
        <form class="og-form__form" novalidate=true onsubmit={ onsubmit } aria-labelledby={ format!("{prefix}-heading") }>
            if !state.problems.is_empty() {
                { summary_view(text, prefix, &state.schema, &state.problems, summary_ref) }
            }
            <h3 class="og-form__heading" id={ format!("{prefix}-heading") } tabindex="-1" ref={ heading_ref }>{ text.check_title() }</h3>
            <p class="og-form__description">{ text.check_intro() }</p>
            { for state.pages.iter().enumerate().map(|(step, page)| {
                let rows = view::answer_rows(text, &state.schema, &state.data, &page.fields, step);
                html! {
                    <>
                        if several {
                            <h4 class="og-form__check-heading">{ &page.title }</h4>
                        }
                        <dl class="og-form__answers" data-og-answers={ (step + 1).to_string() }>
                            { for rows.into_iter().map(|row| {
                                let onchange = {
                                    let dispatch = dispatch.clone();
                                    let (step, target) = (row.step, row.pointer.clone());
                                    Callback::from(move |event: MouseEvent| {
                                        event.prevent_default();
                                        dispatch.emit(Action::Change { step, target: target.clone() });
                                    })
                                };
                                let href = format!("#{}", view::target_id(prefix, &state.schema, &row.pointer));
                                html! {
                                    <div class="og-form__answer" data-og-answer={ row.pointer.clone() }>
                                        <dt class="og-form__answer-label">{ &row.label }</dt>
                                        <dd class="og-form__answer-value">{ &row.value }</dd>
                                        <dd class="og-form__answer-change">
                                            <a href={ href } onclick={ onchange } data-og-change={ row.pointer.clone() }>
                                                { text.change() }<span class="og-visually-hidden">{ format!(": {}", row.label) }</span>
                                            </a>
                                        </dd>
                                    </div>
                                }
                            }) }
                        </dl>
                    </>
                }
            }) }
            if let Sending::Failed(failure) = state.sending {
                <div class="og-form__send-error">
                    <p class="og-error" role="alert" data-og-error={ failure.hook() }>{ text.send_failure(failure) }</p>
                    if failure.is_retryable() && state.attempt.is_some() {
                        <button type="button" class="og-form__button" onclick={ onretry } data-og-retry="send">{ text.retry() }</button>
                    }
                </div>
            }
            <div class="og-form__actions">
                <button type="submit" class="og-form__button" aria-disabled={ in_flight.then_some("true") } data-og-submit="">
                    { if in_flight { text.sending() } else { text.submit() } }
                </button>
                <button type="button" class="og-form__button og-form__button--secondary" onclick={ onback } data-og-back="">
                    { text.back() }
                </button>
            </div>
        </form>
    }
}

fn done_view(text: Text, schema: &Schema, reference: &str, node: NodeRef) -> Html {
    html! {
        <div class="og-form__done" tabindex="-1" ref={ node } data-og-confirmation="">
            <h3 class="og-form__done-title">{ text.done_title() }</h3>
            <p class="og-form__reference">
                { text.reference_label() }{ ": " }
                <strong data-og-reference={ reference.to_owned() }>{ reference }</strong>
            </p>
            <h4 class="og-form__next-title">{ text.next_steps_title() }</h4>
            <p>{ schema.next_steps.as_deref().unwrap_or(text.next_steps()) }</p>
        </div>
    }
}

/// Dispatches `og-submit` with `detail: {form, reference, submission_id}`.
fn dispatch_submit(host: &HtmlElement, form: Option<&str>, reference: &str, submission_id: &str) {
    let detail = Object::new();
    let form = form.map_or(JsValue::NULL, JsValue::from_str);
    let _ = Reflect::set(&detail, &"form".into(), &form);
    let _ = Reflect::set(&detail, &"reference".into(), &reference.into());
    let _ = Reflect::set(&detail, &"submission_id".into(), &submission_id.into());
    mount::dispatch(host, "og-submit", &detail);
}

/// Sends a request and returns its status and body text, or `None` when no
/// complete response arrived (server down, connection lost, CORS refusal).
async fn request(url: &str, json_body: Option<&str>) -> Option<(u16, String)> {
    let window = web_sys::window()?;
    let init = RequestInit::new();
    if let Some(body) = json_body {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        let headers = web_sys::Headers::new().ok()?;
        headers.set("Content-Type", "application/json").ok()?;
        init.set_headers(&headers);
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.ok()?;
    let response: Response = response.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    Some((response.status(), text.as_string()?))
}

/// Returns a new random submission id: 32 hexadecimal digits from the
/// browser's random source.
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // NOTE: only browsers without Web Crypto get here. Two such
        // browsers could pick the same id, and the server would then
        // report a conflict instead of storing the second form.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
