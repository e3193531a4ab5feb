//! Markup of `<og-poll>`: the form with its questions, the confirmation
//! and the results.
//!
//! Poll texts come from the server and are untrusted, so they are only
//! ever rendered as text nodes and attribute values, never parsed as HTML.
//! Bars are SVG rectangles whose width is an attribute, because the strict
//! Content-Security-Policy of the host pages forbids `style` attributes.

use std::collections::BTreeMap;

use ogkit_core::poll::{PercentBase, Poll, Question, QuestionKind, QuestionTally};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::api::Results;
use super::state::{limit, CodeProblem, QuestionProblem};
use super::text::Text;

/// Element ids of one widget instance.
#[derive(Clone)]
pub(crate) struct Ids {
    prefix: AttrValue,
}

impl Ids {
    pub(crate) fn new(prefix: &AttrValue) -> Ids {
        Ids { prefix: prefix.clone() }
    }

    pub(crate) fn question(&self, index: usize) -> String {
        format!("{}-q{index}", self.prefix)
    }

    pub(crate) fn question_part(&self, index: usize, part: &str) -> String {
        format!("{}-q{index}-{part}", self.prefix)
    }

    pub(crate) fn choice(&self, question: usize, choice: usize) -> String {
        format!("{}-q{question}-c{choice}", self.prefix)
    }

    pub(crate) fn named(&self, name: &str) -> String {
        format!("{}-{name}", self.prefix)
    }
}

/// Inputs of the question fieldsets besides the poll.
pub(crate) struct FormInput<'a> {
    pub(crate) text: Text,
    pub(crate) ids: &'a Ids,
    pub(crate) poll: &'a Poll,
    pub(crate) selection: &'a BTreeMap<String, Vec<String>>,
    pub(crate) problems: &'a [QuestionProblem],
    /// Called with question id, choice id and whether it is now checked.
    pub(crate) onselect: Callback<(String, String, bool)>,
}

/// Renders one fieldset per question.
pub(crate) fn questions(input: &FormInput<'_>) -> Html {
    html! {
        <>{ for input.poll.questions.iter().enumerate().map(|(index, question)| fieldset(input, index, question)) }</>
    }
}

fn fieldset(input: &FormInput<'_>, index: usize, question: &Question) -> Html {
    let text = input.text;
    let ids = input.ids;
    let selected = input.selection.get(&question.id).map(Vec::as_slice).unwrap_or(&[]);
    let problem = input.problems.iter().find(|problem| problem.question == question.id);
    let hint_id = ids.question_part(index, "hint");
    let limit_id = ids.question_part(index, "limit");
    let error_id = ids.question_part(index, "error");
    let mut described_by = Vec::new();
    if question.description.is_some() {
        described_by.push(hint_id.clone());
    }
    described_by.push(limit_id.clone());
    if problem.is_some() {
        described_by.push(error_id.clone());
    }
    let multiple = question.kind == QuestionKind::MultipleChoice;
    let input_type = if multiple { "checkbox" } else { "radio" };
    let name = ids.question(index);
    let class = classes!("og-poll__question", problem.map(|_| "og-poll__question--error"));

    html! {
        <fieldset class={ class } id={ ids.question(index) } aria-describedby={ described_by.join(" ") }
            data-og-question={ question.id.clone() }>
            <legend class="og-poll__legend">{ &question.text }</legend>
            if let Some(description) = &question.description {
                <p class="og-poll__hint" id={ hint_id }>{ description }</p>
            }
            <p class="og-poll__limit" id={ limit_id } data-og-limit="">{ text.limit(limit(question)) }</p>
            if let Some(problem) = problem {
                <p class="og-poll__field-error" id={ error_id } data-og-field-error="">
                    { text.problem(&problem.kind, question, selected.len()) }
                </p>
            }
            <div class="og-poll__choices">
                { for question.choices.iter().enumerate().map(|(choice_index, choice)| {
                    let id = ids.choice(index, choice_index);
                    let description_id = format!("{id}-hint");
                    let checked = selected.contains(&choice.id);
                    let onchange = {
                        let onselect = input.onselect.clone();
                        let question = question.id.clone();
                        let choice = choice.id.clone();
                        Callback::from(move |event: Event| {
                            let checked = event
                                .target_dyn_into::<web_sys::HtmlInputElement>()
                                .is_some_and(|input| input.checked());
                            onselect.emit((question.clone(), choice.clone(), checked));
                        })
                    };
                    html! {
                        <div class="og-poll__choice">
                            <input class="og-poll__input" type={ input_type } id={ id.clone() } name={ name.clone() }
                                value={ choice.id.clone() } checked={ checked } { onchange }
                                aria-describedby={ choice.description.as_ref().map(|_| description_id.clone()) }
                                aria-invalid={ problem.map(|_| "true") }
                                data-og-choice={ choice.id.clone() } />
                            <label class="og-poll__label" for={ id }>{ &choice.label }</label>
                            if let Some(description) = &choice.description {
                                <p class="og-poll__choice-hint" id={ description_id }>{ description }</p>
                            }
                        </div>
                    }
                }) }
            </div>
        </fieldset>
    }
}

/// Renders the invitation code field of code polls.
pub(crate) fn code_field(
    text: Text,
    ids: &Ids,
    code: &str,
    problem: Option<CodeProblem>,
    oninput: Callback<InputEvent>,
) -> Html {
    let id = ids.named("code");
    let hint_id = ids.named("code-hint");
    let error_id = ids.named("code-error");
    let described_by = match problem {
        Some(_) => format!("{hint_id} {error_id}"),
        None => hint_id.clone(),
    };
    html! {
        <div class={ classes!("og-poll__code", problem.map(|_| "og-poll__code--error")) }>
            <label class="og-poll__code-label" for={ id.clone() }>{ text.code_label() }</label>
            <p class="og-poll__hint" id={ hint_id }>{ text.code_hint() }</p>
            if let Some(problem) = problem {
                <p class="og-poll__field-error" id={ error_id } data-og-code-error="">{ text.code_problem(problem) }</p>
            }
            <input class="og-poll__code-input" type="text" id={ id } name="invitation_code" value={ code.to_owned() }
                autocomplete="off" autocapitalize="characters" spellcheck="false"
                aria-describedby={ described_by } aria-invalid={ problem.map(|_| "true") } { oninput }
                data-og-code="" />
        </div>
    }
}

/// Renders the list of problems above the form, linking each to its field.
pub(crate) fn problem_summary(
    text: Text,
    ids: &Ids,
    poll: &Poll,
    selection: &BTreeMap<String, Vec<String>>,
    problems: &[QuestionProblem],
    code_problem: Option<CodeProblem>,
    node: NodeRef,
) -> Html {
    let question_items = problems.iter().filter_map(|problem| {
        let index = poll.questions.iter().position(|question| question.id == problem.question)?;
        let question = poll.questions.get(index)?;
        let count = selection.get(&question.id).map_or(0, Vec::len);
        // The link goes to the first choice, which is what a keyboard user
        // wants to change; the fieldset itself cannot take focus.
        let target = ids.choice(index, 0);
        Some(html! {
            <li><a href={ format!("#{target}") } onclick={ focus_on_click(target) }>
                { format!("{} – {}", question.text, text.problem(&problem.kind, question, count)) }
            </a></li>
        })
    });
    let code_item = code_problem.map(|problem| {
        let target = ids.named("code");
        html! {
            <li><a href={ format!("#{target}") } onclick={ focus_on_click(target) }>{ text.code_problem(problem) }</a></li>
        }
    });
    html! {
        <div class="og-poll__problems" tabindex="-1" ref={ node } aria-labelledby={ ids.named("problems-title") }
            data-og-problems="">
            <h3 class="og-poll__problems-title" id={ ids.named("problems-title") }>{ text.problems_heading() }</h3>
            <ul class="og-poll__problem-list">
                { for code_item }
                { for question_items }
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
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            event.prevent_default();
            let _ = element.focus();
        }
    })
}

/// Renders the results of every question, with bars and a table.
pub(crate) fn results(text: Text, ids: &Ids, poll: &Poll, results: &Results, live: bool) -> Html {
    let heading_id = ids.named("results-title");
    let tallies: Vec<(&Question, &QuestionTally)> = poll
        .questions
        .iter()
        .filter_map(|question| {
            let tally = results.tally.questions.iter().find(|tally| tally.question_id == question.id)?;
            Some((question, tally))
        })
        .collect();
    html! {
        <section class="og-poll__results" aria-labelledby={ heading_id.clone() } data-og-results="visible"
            data-og-version={ results.version.to_string() }>
            <h3 class="og-poll__results-title" id={ heading_id }>{ text.results_heading(live) }</h3>
            <p class="og-poll__participants" data-og-participants={ results.tally.participants.to_string() }>
                { text.participants(results.tally.participants) }
                if live {
                    { " " }{ text.results_live_note() }
                }
            </p>
            { for tallies.iter().map(|(question, tally)| bars(text, question, tally)) }
            <details class="og-poll__table-toggle">
                <summary>{ text.table_toggle() }</summary>
                { for tallies.iter().map(|(question, tally)| table(text, question, tally)) }
            </details>
        </section>
    }
}

/// Pairs each choice of `question` with its count, in poll order; choices
/// that the tally lacks are left out rather than shown as zero.
fn rows<'a>(question: &'a Question, tally: &'a QuestionTally) -> impl Iterator<Item = (&'a str, &'a str, u64, f64)> {
    question.choices.iter().filter_map(move |choice| {
        let count = tally.choices.iter().find(|count| count.choice_id == choice.id)?;
        Some((choice.id.as_str(), choice.label.as_str(), count.count, count.percent))
    })
}

fn bars(text: Text, question: &Question, tally: &QuestionTally) -> Html {
    let of_participants = tally.percent_base == PercentBase::Participants;
    html! {
        <div class="og-poll__result" data-og-result-question={ question.id.clone() }>
            <h4 class="og-poll__result-question">{ &question.text }</h4>
            <ul class="og-poll__bars">
                { for rows(question, tally).map(|(id, label, count, percent)| {
                    // Widths are tenths of a percent of a 1000-unit viewBox,
                    // so that 0.1 % steps stay visible.
                    let width = ((percent.clamp(0.0, 100.0) * 10.0).round() as u64).to_string();
                    html! {
                        <li class="og-poll__bar-item" data-og-result-choice={ id.to_owned() }
                            data-og-count={ count.to_string() }>
                            <span class="og-poll__bar-label">{ label }</span>
                            <span class="og-poll__bar-value">
                                { format!("{} ({})", text.percent(percent), text.votes(count)) }
                            </span>
                            <svg class="og-poll__bar" viewBox="0 0 1000 10" preserveAspectRatio="none"
                                aria-hidden="true" focusable="false">
                                <rect class="og-poll__bar-track" width="1000" height="10" />
                                <rect class="og-poll__bar-fill" width={ width } height="10" />
                            </svg>
                        </li>
                    }
                }) }
            </ul>
            if of_participants {
                <p class="og-poll__note" data-og-share-note="">{ text.share_of_participants() }</p>
            }
        </div>
    }
}

fn table(text: Text, question: &Question, tally: &QuestionTally) -> Html {
    let [answer, votes, _] = text.table_headers();
    let share = text.table_share_header(tally.percent_base == PercentBase::Participants);
    html! {
        <table class="og-poll__table" data-og-results-table={ question.id.clone() }>
            <caption>{ &question.text }</caption>
            <thead>
                <tr><th scope="col">{ answer }</th><th scope="col">{ votes }</th><th scope="col">{ share }</th></tr>
            </thead>
            <tbody>
                { for rows(question, tally).map(|(_, label, count, percent)| html! {
                    <tr><th scope="row">{ label }</th><td>{ count.to_string() }</td><td>{ text.percent(percent) }</td></tr>
                }) }
            </tbody>
        </table>
    }
}
