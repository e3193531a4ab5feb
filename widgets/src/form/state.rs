//! The widget's state and every rule that moves it, with no browser in
//! sight: editing values, step navigation, the check-your-answers page,
//! which problems are shown, and the submission attempt that a retry
//! resends.
//!
//! The component keeps one [`FormState`] in a Yew reducer, and each
//! [`Action`] changes it here. The component runs only the side effects
//! that the counters request. A changed `page_seq` moves focus to the page
//! heading (or to `focus_target`), and a changed `problems_seq` to the
//! error summary. A changed `send_seq` sends the current attempt. A changed
//! `done_seq` clears the draft, moves focus to the confirmation and
//! dispatches `og-submit`.
//!
//! Validation is the core's [`validate_on`], the same code the server runs,
//! and every change goes through the core's [`prune`], so a field hidden
//! by its condition loses its value and no other field does.

use std::rc::Rc;

use ogkit_core::form::{message, normalize, prune, validate_on, Date, Schema, Violation};
use ogkit_core::table::JsonValue;
use yew::Reducible;

use super::api::{Problem, SendFailure, SendOutcome};
use super::data::{self, page_of, pages, top_level_name, PageDef, Path};
use super::draft::Draft;
use crate::i18n::Lang;

/// Page that the form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// A step, counted from 0.
    Step(usize),
    /// The check-your-answers page before sending.
    Check,
    /// The confirmation with the reference number.
    Done,
}

/// The state of sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sending {
    /// Nothing is being sent.
    Idle,
    /// The current attempt is on its way.
    InFlight,
    /// The last attempt failed.
    Failed(SendFailure),
}

/// One submission: its id and the data it sends. A retry resends both
/// unchanged, so the server stores the submission once and returns the
/// same reference number.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The idempotency key.
    pub id: String,
    /// The normalised data.
    pub data: JsonValue,
}

/// Everything the form shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    pub schema: Rc<Schema>,
    pub pages: Rc<Vec<PageDef>>,
    pub lang: Lang,
    /// The input, as typed.
    pub data: JsonValue,
    pub page: Page,
    /// True after a change link: "continue" returns to the check page.
    pub returning: bool,
    /// Problems shown in the summary and at the fields.
    pub problems: Vec<Problem>,
    pub problems_seq: u32,
    pub page_seq: u32,
    /// Element id that gets focus after the page changes, instead of the heading.
    pub focus_target: Option<String>,
    pub attempt: Option<Attempt>,
    pub sending: Sending,
    pub send_seq: u32,
    pub reference: Option<String>,
    pub done_seq: u32,
    /// Counts every change of data or page, so the draft is saved.
    pub change_seq: u32,
}

/// A change of the form state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Sets the value at a path; `None` removes it.
    Set(Path, Option<JsonValue>),
    /// Adds an empty entry to the repeated group at the path.
    AddEntry(Path),
    /// Removes the entry at the path.
    RemoveEntry(Path),
    /// Checks the current step and goes on when it has no problem.
    Next,
    /// Goes one step back, keeping every value.
    Back,
    /// Goes from the check page to the step of a field and focuses it.
    Change { step: usize, target: String },
    /// Checks everything and sends a new attempt, or the pending one when
    /// the data has not changed since.
    Submit { fresh_id: String },
    /// Sends the pending attempt again.
    Retry,
    /// The response to the attempt sent with `send_seq == seq`.
    Sent { seq: u32, outcome: SendOutcome },
}

impl FormState {
    /// Creates the state for `schema`, starting from a restored draft when
    /// there is one.
    pub fn new(schema: Rc<Schema>, lang: Lang, draft: Option<Draft>) -> FormState {
        let pages = Rc::new(pages(&schema));
        let (page, data, attempt) = match draft {
            Some(draft) => (clamp_page(draft.page, pages.len()), prune(&schema, &draft.data), draft.attempt),
            None => (Page::Step(0), data::initial_data(&schema), None),
        };
        FormState {
            schema,
            pages,
            lang,
            data,
            page,
            returning: false,
            problems: Vec::new(),
            problems_seq: 0,
            page_seq: 0,
            focus_target: None,
            attempt,
            sending: Sending::Idle,
            send_seq: 0,
            reference: None,
            done_seq: 0,
            change_seq: 0,
        }
    }

    /// Returns the number of steps.
    pub fn step_count(&self) -> usize {
        self.pages.len()
    }

    /// Returns the messages of every violation on the current data, for
    /// the fields of `step` (all fields when `None`).
    fn problems_for(&self, step: Option<usize>) -> Vec<Problem> {
        let core_lang = core_lang(self.lang);
        validate_on(&self.schema, &self.data, today())
            .iter()
            .filter(|violation| step.is_none() || self.step_of(violation) == step)
            .map(|violation| Problem { path: violation.path.clone(), message: message(violation, core_lang) })
            .collect()
    }

    fn step_of(&self, violation: &Violation) -> Option<usize> {
        top_level_name(&violation.path).and_then(|name| page_of(&self.pages, &name))
    }

    /// Returns the step of a problem's field; problems of the data as a
    /// whole belong to the first step.
    pub fn step_of_path(&self, path: &str) -> usize {
        top_level_name(path).and_then(|name| page_of(&self.pages, &name)).unwrap_or(0)
    }

    /// Keeps only the shown problems that the data still has, with their
    /// current wording, so a fixed field loses its message as soon as it is
    /// fixed while new mistakes wait for the next check.
    fn refresh_problems(&mut self) {
        if self.problems.is_empty() {
            return;
        }
        let current = self.problems_for(None);
        self.problems = self
            .problems
            .iter()
            .filter_map(|shown| current.iter().find(|problem| problem.path == shown.path).cloned())
            .collect();
    }

    fn go_to(&mut self, page: Page, focus_target: Option<String>) {
        self.page = page;
        self.focus_target = focus_target;
        self.page_seq += 1;
        self.change_seq += 1;
    }

    fn show_problems(&mut self, problems: Vec<Problem>) {
        self.problems = problems;
        self.problems_seq += 1;
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            Action::Set(path, value) => {
                data::set(&mut state.data, &path, value);
                state.data = prune(&state.schema, &state.data);
                state.refresh_problems();
                state.change_seq += 1;
            }
            Action::AddEntry(path) => {
                let children = field_at(&state.schema, &path).and_then(|field| field.children().map(<[_]>::to_vec));
                let entry = data::new_entry(children.as_deref().unwrap_or_default());
                let mut entries = match data::get(&state.data, &path) {
                    Some(JsonValue::Array(entries)) => entries.clone(),
                    _ => Vec::new(),
                };
                entries.push(entry);
                let index = entries.len() - 1;
                data::set(&mut state.data, &path, Some(JsonValue::Array(entries)));
                state.change_seq += 1;
                // Focus goes to the new entry, so keyboard users are there.
                let mut entry_path = path;
                entry_path.push(data::Segment::Index(index));
                state.focus_target = Some(data::pointer(&entry_path));
                state.page_seq += 1;
            }
            Action::RemoveEntry(path) => {
                data::set(&mut state.data, &path, None);
                state.data = prune(&state.schema, &state.data);
                state.refresh_problems();
                state.change_seq += 1;
                // Focus goes to the group's "add" button, which stays.
                let group = path[..path.len().saturating_sub(1)].to_vec();
                state.focus_target = Some(format!("{}#add", data::pointer(&group)));
                state.page_seq += 1;
            }
            Action::Next => {
                let Page::Step(step) = state.page else { return self };
                let problems = state.problems_for(Some(step));
                if !problems.is_empty() {
                    state.show_problems(problems);
                } else {
                    state.problems.clear();
                    let next = if state.returning || step + 1 >= state.step_count() {
                        Page::Check
                    } else {
                        Page::Step(step + 1)
                    };
                    state.returning = false;
                    state.go_to(next, None);
                }
            }
            Action::Back => {
                let previous = match state.page {
                    Page::Step(0) | Page::Done => return self,
                    Page::Step(step) => Page::Step(step - 1),
                    Page::Check => Page::Step(state.step_count() - 1),
                };
                state.problems.clear();
                state.returning = false;
                state.sending = match state.sending {
                    Sending::InFlight => Sending::InFlight,
                    _ => Sending::Idle,
                };
                state.go_to(previous, None);
            }
            Action::Change { step, target } => {
                if state.page != Page::Check || step >= state.step_count() {
                    return self;
                }
                state.returning = true;
                state.problems.clear();
                state.go_to(Page::Step(step), Some(target));
            }
            Action::Submit { fresh_id } => {
                if state.sending == Sending::InFlight || state.page == Page::Done {
                    return self;
                }
                let problems = state.problems_for(None);
                if let Some(first) = problems.first() {
                    // Back to the step of the first problem, with that
                    // step's problems in the summary.
                    let step = state.step_of_path(&first.path);
                    let on_step: Vec<Problem> =
                        problems.iter().filter(|problem| state.step_of_path(&problem.path) == step).cloned().collect();
                    state.returning = true;
                    state.go_to(Page::Step(step), None);
                    state.show_problems(on_step);
                    return Rc::new(state);
                }
                let normalized = normalize(&state.schema, &state.data);
                let reuse = state.attempt.as_ref().is_some_and(|attempt| attempt.data == normalized);
                if !reuse {
                    state.attempt = Some(Attempt { id: fresh_id, data: normalized });
                    // The draft keeps the attempt, so a reload resends its id.
                    state.change_seq += 1;
                }
                state.sending = Sending::InFlight;
                state.send_seq += 1;
            }
            Action::Retry => {
                if state.attempt.is_none() || state.sending == Sending::InFlight {
                    return self;
                }
                state.sending = Sending::InFlight;
                state.send_seq += 1;
            }
            Action::Sent { seq, outcome } => {
                if seq != state.send_seq || state.sending != Sending::InFlight {
                    return self;
                }
                match outcome {
                    SendOutcome::Accepted(reference) => {
                        state.sending = Sending::Idle;
                        state.reference = Some(reference);
                        state.problems.clear();
                        state.page = Page::Done;
                        state.done_seq += 1;
                    }
                    SendOutcome::Invalid(problems) => {
                        // The server's rules are the same, so this happens
                        // only when the schema changed after loading; a
                        // corrected form is a new attempt.
                        state.sending = Sending::Idle;
                        state.attempt = None;
                        let step = problems.first().map_or(0, |problem| state.step_of_path(&problem.path));
                        let on_step: Vec<Problem> = problems
                            .iter()
                            .filter(|problem| state.step_of_path(&problem.path) == step)
                            .cloned()
                            .collect();
                        state.returning = true;
                        state.go_to(Page::Step(step), None);
                        state.show_problems(on_step);
                    }
                    SendOutcome::Failed(failure) => {
                        state.sending = Sending::Failed(failure);
                        if !failure.is_retryable() {
                            state.attempt = None;
                        }
                    }
                }
            }
        }
        Rc::new(state)
    }
}

/// Returns the core's language for the widget's.
pub fn core_lang(lang: Lang) -> ogkit_core::form::Lang {
    match lang {
        Lang::De => ogkit_core::form::Lang::De,
        Lang::En => ogkit_core::form::Lang::En,
    }
}

/// Returns the field that a path of data leads to, skipping entry numbers.
pub fn field_at<'a>(schema: &'a Schema, path: &[data::Segment]) -> Option<&'a ogkit_core::form::Field> {
    let names: Vec<&str> = path
        .iter()
        .filter_map(|segment| match segment {
            data::Segment::Key(key) => Some(key.as_str()),
            data::Segment::Index(_) => None,
        })
        .collect();
    schema.field_at(&names)
}

/// Keeps a restored page within the form: a draft of an older schema may
/// name a step that no longer exists, and a confirmation is never restored.
pub fn clamp_page(page: Page, step_count: usize) -> Page {
    match page {
        Page::Step(step) if step < step_count => Page::Step(step),
        Page::Check => Page::Check,
        _ => Page::Step(0),
    }
}

/// Returns today's date in Germany, the reference date of relative date
/// limits; the server counts from the same calendar.
pub(crate) fn today() -> Date {
    Date::today_in_berlin(unix_now())
}

/// Returns the current time in seconds since the Unix epoch, from the
/// browser's clock (the system clock in native tests).
#[cfg(target_arch = "wasm32")]
fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

#[cfg(not(target_arch = "wasm32"))]
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::data::Segment;

    const SCHEMA: &str = r#"{
        "title": "Test",
        "type": "object",
        "required": ["name", "art"],
        "properties": {
            "name": { "type": "string", "title": "Name", "minLength": 2 },
            "art": { "type": "string", "title": "Art", "enum": ["a", "b"] },
            "geraet": { "type": "string", "title": "Gerät" },
            "notiz": { "type": "string", "title": "Notiz" }
        },
        "x-ogkit": {
            "steps": [
                { "title": "Eins", "fields": ["name"] },
                { "title": "Zwei", "fields": ["art", "geraet"] },
                { "title": "Drei", "fields": ["notiz"] }
            ],
            "fields": {
                "geraet": { "visible_if": { "field": "art", "equals": "b" } }
            }
        }
    }"#;

    fn state() -> Rc<FormState> {
        let schema = Schema::from_json(SCHEMA).ok().map(Rc::new);
        let schema = schema.unwrap_or_else(|| panic!("test schema must parse"));
        Rc::new(FormState::new(schema, Lang::De, None))
    }

    fn set(name: &str, value: &str) -> Action {
        Action::Set(vec![Segment::Key(name.into())], Some(JsonValue::String(value.into())))
    }

    fn apply(state: Rc<FormState>, actions: Vec<Action>) -> Rc<FormState> {
        actions.into_iter().fold(state, Reducible::reduce)
    }

    #[test]
    fn next_with_problem_stays() {
        let after = apply(state(), vec![Action::Next]);
        assert_eq!(after.page, Page::Step(0));
        assert_eq!(after.problems.len(), 1);
        assert_eq!(after.problems[0].path, "/name");
        assert!(after.problems[0].message.contains("„Name“"), "{}", after.problems[0].message);
        assert_eq!(after.problems_seq, 1);
    }

    #[test]
    fn problems_of_later_steps_wait() {
        // "art" is required on step 2 but does not stop step 1.
        let after = apply(state(), vec![set("name", "Erika"), Action::Next]);
        assert_eq!(after.page, Page::Step(1));
        assert!(after.problems.is_empty());
    }

    #[test]
    fn fixed_problem_disappears() {
        let after = apply(state(), vec![Action::Next, set("name", "E")]);
        assert_eq!(after.problems.len(), 1, "still too short");
        assert!(after.problems[0].message.contains("zu kurz"), "{}", after.problems[0].message);
        let after = apply(after, vec![set("name", "Erika")]);
        assert!(after.problems.is_empty());
    }

    #[test]
    fn back_and_forward_keep_values() {
        let after = apply(
            state(),
            vec![set("name", "Erika"), Action::Next, set("art", "b"), set("geraet", "Herd"), Action::Next, Action::Back, Action::Back],
        );
        assert_eq!(after.page, Page::Step(0));
        let expected = r#"{"name":"Erika","art":"b","geraet":"Herd"}"#;
        assert_eq!(ogkit_core::form::value::to_json(&after.data), expected);
        let after = apply(after, vec![Action::Next, Action::Next, Action::Next]);
        assert_eq!(after.page, Page::Check);
        assert_eq!(ogkit_core::form::value::to_json(&after.data), expected);
    }

    #[test]
    fn hidden_field_loses_only_its_value() {
        let after = apply(state(), vec![set("name", "Erika"), set("art", "b"), set("geraet", "Herd"), set("art", "a")]);
        assert_eq!(ogkit_core::form::value::to_json(&after.data), r#"{"name":"Erika","art":"a"}"#);
    }

    #[test]
    fn change_link_returns_to_check() {
        let filled = apply(state(), vec![set("name", "Erika"), set("art", "a"), Action::Next, Action::Next, Action::Next]);
        assert_eq!(filled.page, Page::Check);
        let after = apply(filled, vec![Action::Change { step: 0, target: "/name".into() }]);
        assert_eq!(after.page, Page::Step(0));
        assert_eq!(after.focus_target.as_deref(), Some("/name"));
        let after = apply(after, vec![set("name", "Max"), Action::Next]);
        assert_eq!(after.page, Page::Check);
    }

    #[test]
    fn submit_with_problem_goes_to_its_step() {
        let mut filled = (*state()).clone();
        filled.page = Page::Check;
        let after = apply(Rc::new(filled), vec![Action::Submit { fresh_id: "id-0000000000000001".into() }]);
        assert_eq!(after.page, Page::Step(0));
        assert_eq!(after.sending, Sending::Idle);
        assert_eq!(after.problems.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(), vec!["/name"]);
    }

    #[test]
    fn retry_resends_same_attempt() {
        let ready = apply(state(), vec![set("name", " Erika "), set("art", "a"), Action::Next, Action::Next, Action::Next]);
        let sent = apply(ready, vec![Action::Submit { fresh_id: "first-id-00000001".into() }]);
        assert_eq!(sent.sending, Sending::InFlight);
        let attempt = sent.attempt.clone();
        assert_eq!(attempt.as_ref().map(|a| ogkit_core::form::value::to_json(&a.data)), Some(r#"{"name":"Erika","art":"a"}"#.into()));

        let failed = apply(sent, vec![Action::Sent { seq: 1, outcome: SendOutcome::Failed(SendFailure::Unreachable) }]);
        assert_eq!(failed.sending, Sending::Failed(SendFailure::Unreachable));
        let retried = apply(failed.clone(), vec![Action::Retry]);
        assert_eq!(retried.send_seq, 2);
        assert_eq!(retried.attempt, attempt);
        // Submitting again unchanged is the same attempt too.
        let resubmitted = apply(failed, vec![Action::Submit { fresh_id: "second-id-0000002".into() }]);
        assert_eq!(resubmitted.attempt, attempt);

        let done = apply(retried, vec![Action::Sent { seq: 2, outcome: SendOutcome::Accepted("OG-2026-000001".into()) }]);
        assert_eq!(done.page, Page::Done);
        assert_eq!(done.reference.as_deref(), Some("OG-2026-000001"));
        assert_eq!(done.done_seq, 1);
    }

    #[test]
    fn changed_data_gets_new_id() {
        let ready = apply(state(), vec![set("name", "Erika"), set("art", "a"), Action::Next, Action::Next, Action::Next]);
        let failed = apply(
            ready,
            vec![
                Action::Submit { fresh_id: "first-id-00000001".into() },
                Action::Sent { seq: 1, outcome: SendOutcome::Failed(SendFailure::ServerError) },
                Action::Back,
                set("notiz", "Bitte klingeln"),
                Action::Next,
                Action::Submit { fresh_id: "second-id-0000002".into() },
            ],
        );
        assert_eq!(failed.attempt.as_ref().map(|a| a.id.as_str()), Some("second-id-0000002"));
    }

    #[test]
    fn stale_response_is_ignored() {
        let ready = apply(state(), vec![set("name", "Erika"), set("art", "a"), Action::Next, Action::Next, Action::Next]);
        let sent = apply(ready, vec![Action::Submit { fresh_id: "first-id-00000001".into() }]);
        let after = apply(sent.clone(), vec![Action::Sent { seq: 7, outcome: SendOutcome::Accepted("X".into()) }]);
        assert_eq!(after, sent);
    }

    #[test]
    fn server_problems_show_at_step() {
        let ready = apply(state(), vec![set("name", "Erika"), set("art", "a"), Action::Next, Action::Next, Action::Next]);
        let problems = vec![Problem { path: "/art".into(), message: "Art passt nicht.".into() }];
        let after = apply(
            ready,
            vec![Action::Submit { fresh_id: "first-id-00000001".into() }, Action::Sent { seq: 1, outcome: SendOutcome::Invalid(problems.clone()) }],
        );
        assert_eq!(after.page, Page::Step(1));
        assert_eq!(after.problems, problems);
        assert_eq!(after.attempt, None);
    }

    #[test]
    fn restored_attempt_is_reused() {
        let schema = Rc::clone(&state().schema);
        let data = ogkit_core::table::parse_json(r#"{"name":"Erika","art":"a"}"#).unwrap_or(JsonValue::Null);
        let attempt = Attempt { id: "restored-id-000001".into(), data: data.clone() };
        let draft = Draft { page: Page::Check, data, attempt: Some(attempt.clone()) };
        let restored = Rc::new(FormState::new(schema, Lang::De, Some(draft)));
        let sent = apply(restored, vec![Action::Submit { fresh_id: "fresh-id-000000002".into() }]);
        assert_eq!(sent.attempt, Some(attempt));
        assert_eq!(sent.sending, Sending::InFlight);
    }

    #[test]
    fn restored_page_is_clamped() {
        assert_eq!(clamp_page(Page::Step(9), 3), Page::Step(0));
        assert_eq!(clamp_page(Page::Done, 3), Page::Step(0));
        assert_eq!(clamp_page(Page::Check, 3), Page::Check);
        assert_eq!(clamp_page(Page::Step(2), 3), Page::Step(2));
    }
}
