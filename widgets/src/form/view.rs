//! Markup of `<og-form>`: fields with labels, hints and native controls,
//! the error summary, the check-your-answers page and the confirmation.
//!
//! Titles, hints and choices come from the schema and are untrusted, so
//! they are only ever rendered as text nodes and attribute values, never
//! parsed as HTML. Radio buttons, checkbox lists, groups and repeated
//! groups are `fieldset`s with a `legend`; every other control has a
//! `label`. A field's hint and message are tied to its control (or its
//! fieldset) with `aria-describedby`, following the GOV.UK Design System's
//! error message and error summary patterns.

use ogkit_core::form::{
    is_required, is_visible, offered_choices, BoundValue, Control, Field, Format, Kind, Schema,
};
use ogkit_core::table::JsonValue;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::api::Problem;
use super::data::{self, pointer, Path, Segment};
use super::state::Action;
use super::text::Text;

/// Inputs that the markup of every field needs.
pub(crate) struct Context<'a> {
    pub(crate) text: Text,
    pub(crate) prefix: &'a str,
    pub(crate) schema: &'a Schema,
    pub(crate) data: &'a JsonValue,
    pub(crate) problems: &'a [Problem],
    pub(crate) dispatch: Callback<Action>,
}

/// Returns the element id of the control at the JSON Pointer `pointer`.
/// Characters other than ASCII letters and digits are escaped, so every
/// property name gives a valid, unique id.
pub(crate) fn field_id(prefix: &str, pointer: &str) -> String {
    let mut id = format!("{prefix}-f");
    for character in pointer.chars() {
        match character {
            'a'..='z' | 'A'..='Z' | '0'..='9' => id.push(character),
            '/' => id.push('-'),
            other => id.push_str(&format!("_{:x}_", u32::from(other))),
        }
    }
    id
}

/// Returns the id of the element that a link to the field at `pointer`
/// focuses: the first option of a radio group or checkbox list, the
/// "add" button of a repeated group, else the control itself.
pub(crate) fn target_id(prefix: &str, schema: &Schema, pointer: &str) -> String {
    let base = field_id(prefix, pointer);
    let names: Vec<String> = pointer
        .split('/')
        .skip(1)
        .filter(|segment| segment.parse::<usize>().is_err())
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match schema.field_at(&names) {
        Some(field) if matches!(field.kind, Kind::Repeated(_)) => format!("{base}-add"),
        Some(field) if matches!(field.kind, Kind::Group(_)) => {
            let first = field.children().and_then(|children| children.first());
            match first {
                Some(child) => target_id(prefix, schema, &format!("{pointer}/{}", escape(&child.name))),
                None => base,
            }
        }
        Some(field) if has_options(field) => format!("{base}-0"),
        _ => base,
    }
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Returns true when the field is a group of radio buttons or checkboxes.
fn has_options(field: &Field) -> bool {
    match field.control() {
        Control::Radio => true,
        Control::Checkbox => matches!(field.kind, Kind::List(_)),
        _ => false,
    }
}

/// Returns a field's label text, followed by an asterisk when the field is
/// required. The asterisk is hidden from screen readers, which announce
/// `aria-required` or `required` instead; the form explains it in text.
fn title_with_mark(field: &Field, required: bool) -> Html {
    html! {
        <>
            { &field.title }
            if required {
                <span class="og-form__required" aria-hidden="true">{ " *" }</span>
            }
        </>
    }
}

/// Returns true when one of the fields named `names`, or a field inside
/// them, can be required, so the page needs the note on the asterisk.
pub(crate) fn has_required(schema: &Schema, names: &[String]) -> bool {
    fn any_required(field: &Field) -> bool {
        field.required || field.required_if.is_some() || field.children().is_some_and(|children| children.iter().any(any_required))
    }
    names.iter().filter_map(|name| schema.field(name)).any(any_required)
}

/// Renders the fields named `names`, skipping hidden ones.
pub(crate) fn fields(context: &Context<'_>, names: &[String]) -> Html {
    let root = context.data;
    html! {
        <>
            { for names.iter().filter_map(|name| context.schema.field(name)).filter(|field| is_visible(field, root, root)).map(|field| {
                field_view(context, field, vec![Segment::Key(field.name.clone())], root)
            }) }
        </>
    }
}

/// Renders one field at `path`; `local` is the object that contains it.
fn field_view(context: &Context<'_>, field: &Field, path: Path, local: &JsonValue) -> Html {
    let pointer = pointer(&path);
    let id = field_id(context.prefix, &pointer);
    let problem = context.problems.iter().find(|problem| problem.path == pointer);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let hints: Vec<&String> = field.description.iter().chain(field.ui.help.iter()).collect();
    let mut described_by = Vec::new();
    if !hints.is_empty() {
        described_by.push(hint_id.clone());
    }
    if problem.is_some() {
        described_by.push(error_id.clone());
    }
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
    let hint = (!hints.is_empty()).then(|| {
        html! {
            <div class="og-form__hint" id={ hint_id.clone() }>
                { for hints.iter().map(|hint| html! { <p>{ (*hint).clone() }</p> }) }
            </div>
        }
    });
    let error = problem.map(|problem| {
        html! {
            <p class="og-form__error" id={ error_id.clone() } data-og-field-error="">
                <span class="og-visually-hidden">{ context.text.error_label() }{ " " }</span>{ &problem.message }
            </p>
        }
    });
    let invalid = problem.map(|_| "true");
    let required = is_required(field, context.data, local);
    let aria_required = required.then_some("true");
    let title = title_with_mark(field, required);
    let class = classes!("og-form__field", problem.map(|_| "og-form__field--error"));
    let value = data::get(context.data, &path);

    match &field.kind {
        Kind::Group(children) => {
            let group_value = value.cloned().unwrap_or(JsonValue::Object(Vec::new()));
            html! {
                <fieldset class={ classes!(class, "og-form__group") } id={ id } aria-describedby={ described_by }
                    key={ pointer.clone() } data-og-field={ pointer.clone() }>
                    <legend class="og-form__legend">{ title.clone() }</legend>
                    { for hint }
                    { for error }
                    { for children.iter().filter(|child| is_visible(child, context.data, &group_value)).map(|child| {
                        let mut child_path = path.clone();
                        child_path.push(Segment::Key(child.name.clone()));
                        field_view(context, child, child_path, &group_value)
                    }) }
                </fieldset>
            }
        }
        Kind::Repeated(children) => {
            repeated_view(context, field, children, &path, RepeatedParts { id, described_by, hint, error, class, title })
        }
        _ if has_options(field) => {
            let input_type = if field.control() == Control::Radio { "radio" } else { "checkbox" };
            let offered = offered_choices(field, context.data, local);
            html! {
                <fieldset class={ classes!(class, "og-form__options") } aria-describedby={ described_by }
                    key={ pointer.clone() } data-og-field={ pointer.clone() }>
                    <legend class="og-form__legend">{ title.clone() }</legend>
                    { for hint }
                    { for error }
                    <div class="og-form__choices">
                        { for offered.iter().enumerate().map(|(index, choice)| {
                            let option_id = format!("{id}-{index}");
                            let checked = match value {
                                Some(JsonValue::Array(entries)) => entries.iter().any(|entry| same_choice(entry, &choice.value)),
                                Some(single) => same_choice(single, &choice.value),
                                None => false,
                            };
                            let onchange = {
                                let dispatch = context.dispatch.clone();
                                let path = path.clone();
                                let choice_value = choice.value.clone();
                                let current = value.cloned();
                                let list = input_type == "checkbox";
                                Callback::from(move |event: Event| {
                                    let ticked = event.target_dyn_into::<HtmlInputElement>().is_some_and(|input| input.checked());
                                    let new_value = if list {
                                        toggled(current.as_ref(), &choice_value, ticked)
                                    } else {
                                        Some(choice_value.clone())
                                    };
                                    dispatch.emit(Action::Set(path.clone(), new_value));
                                })
                            };
                            html! {
                                <div class="og-form__choice">
                                    <input class="og-form__option" type={ input_type } id={ option_id.clone() } name={ id.clone() }
                                        value={ index.to_string() } checked={ checked } { onchange } aria-invalid={ invalid }
                                        required={ required && input_type == "radio" } />
                                    <label class="og-form__option-label" for={ option_id }>{ &choice.title }</label>
                                </div>
                            }
                        }) }
                    </div>
                </fieldset>
            }
        }
        Kind::Boolean => {
            let checked = matches!(value, Some(JsonValue::Bool(true)));
            let onchange = {
                let dispatch = context.dispatch.clone();
                let path = path.clone();
                Callback::from(move |event: Event| {
                    let ticked = event.target_dyn_into::<HtmlInputElement>().is_some_and(|input| input.checked());
                    dispatch.emit(Action::Set(path.clone(), ticked.then_some(JsonValue::Bool(true))));
                })
            };
            html! {
                <div class={ classes!(class, "og-form__checkbox") } key={ pointer.clone() } data-og-field={ pointer.clone() }>
                    { for error }
                    <div class="og-form__choice">
                        <input class="og-form__option" type="checkbox" id={ id.clone() } checked={ checked } { onchange }
                            aria-describedby={ described_by } aria-invalid={ invalid } aria-required={ aria_required } />
                        <label class="og-form__option-label" for={ id }>{ title.clone() }</label>
                    </div>
                    { for hint }
                </div>
            }
        }
        _ if field.control() == Control::Select => {
            let offered = offered_choices(field, context.data, local);
            let onchange = {
                let dispatch = context.dispatch.clone();
                let path = path.clone();
                let values: Vec<JsonValue> = offered.iter().map(|choice| choice.value.clone()).collect();
                Callback::from(move |event: Event| {
                    let selected = event.target_dyn_into::<HtmlSelectElement>().map(|select| select.value()).unwrap_or_default();
                    let new_value = selected.parse::<usize>().ok().and_then(|index| values.get(index).cloned());
                    dispatch.emit(Action::Set(path.clone(), new_value));
                })
            };
            html! {
                <div class={ class } key={ pointer.clone() } data-og-field={ pointer.clone() }>
                    <label class="og-form__label" for={ id.clone() }>{ title.clone() }</label>
                    { for hint }
                    { for error }
                    <select class="og-form__select" id={ id } { onchange } aria-describedby={ described_by } aria-invalid={ invalid }
                        aria-required={ aria_required }
                        autocomplete={ field.ui.autocomplete.clone() }>
                        <option value="" selected={ value.is_none() }>{ context.text.choose() }</option>
                        { for offered.iter().enumerate().map(|(index, choice)| html! {
                            <option value={ index.to_string() } selected={ value.is_some_and(|value| same_choice(value, &choice.value)) }>
                                { &choice.title }
                            </option>
                        }) }
                    </select>
                </div>
            }
        }
        _ => {
            let text = match value {
                Some(JsonValue::String(text)) => text.clone(),
                Some(JsonValue::Number(literal)) => literal.clone(),
                _ => String::new(),
            };
            let oninput = {
                let dispatch = context.dispatch.clone();
                let path = path.clone();
                Callback::from(move |event: InputEvent| {
                    let Some(target) = event.target() else { return };
                    let typed = if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
                        area.value()
                    } else if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
                        input.value()
                    } else {
                        return;
                    };
                    let new_value = (!typed.is_empty()).then_some(JsonValue::String(typed));
                    dispatch.emit(Action::Set(path.clone(), new_value));
                })
            };
            let control = if field.control() == Control::Textarea {
                html! {
                    <textarea class="og-form__textarea" id={ id.clone() } rows="5" value={ text } { oninput }
                        aria-describedby={ described_by } aria-invalid={ invalid } aria-required={ aria_required }
                        autocomplete={ field.ui.autocomplete.clone() } />
                }
            } else {
                let input = input_attributes(field);
                html! {
                    <input class={ classes!("og-form__input", input.narrow.then_some("og-form__input--narrow")) } id={ id.clone() }
                        type={ input.kind } inputmode={ input.mode } spellcheck={ input.spellcheck } value={ text } { oninput }
                        min={ input.min } max={ input.max } aria-required={ aria_required }
                        aria-describedby={ described_by } aria-invalid={ invalid } autocomplete={ field.ui.autocomplete.clone() } />
                }
            };
            html! {
                <div class={ class } key={ pointer.clone() } data-og-field={ pointer.clone() }>
                    <label class="og-form__label" for={ id }>{ title }</label>
                    { for hint }
                    { for error }
                    { control }
                </div>
            }
        }
    }
}

struct RepeatedParts {
    id: String,
    described_by: Option<String>,
    hint: Option<Html>,
    error: Option<Html>,
    class: Classes,
    title: Html,
}

fn repeated_view(context: &Context<'_>, field: &Field, children: &[Field], path: &Path, parts: RepeatedParts) -> Html {
    let RepeatedParts { id, described_by, hint, error, class, title } = parts;
    let text = context.text;
    let item = field.ui.item_title.clone().unwrap_or_else(|| field.title.clone());
    let entries = match data::get(context.data, path) {
        Some(JsonValue::Array(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    let minimum = field.rules.min_items.map_or(usize::from(field.required), |min| min as usize);
    let maximum = field.rules.max_items.map_or(usize::MAX, |max| max as usize);
    let onadd = {
        let dispatch = context.dispatch.clone();
        let path = path.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::AddEntry(path.clone())))
    };
    let pointer = pointer(path);
    html! {
        <fieldset class={ classes!(class, "og-form__group", "og-form__repeated") } id={ id.clone() } aria-describedby={ described_by }
            key={ pointer.clone() } data-og-field={ pointer }>
            <legend class="og-form__legend">{ title }</legend>
            { for hint }
            { for error }
            { for entries.iter().enumerate().map(|(index, entry)| {
                let mut entry_path = path.clone();
                entry_path.push(Segment::Index(index));
                let entry_id = field_id(context.prefix, &data::pointer(&entry_path));
                let onremove = {
                    let dispatch = context.dispatch.clone();
                    let entry_path = entry_path.clone();
                    Callback::from(move |_: MouseEvent| dispatch.emit(Action::RemoveEntry(entry_path.clone())))
                };
                html! {
                    <fieldset class="og-form__entry" key={ entry_id.clone() } id={ entry_id } tabindex="-1" data-og-entry={ index.to_string() }>
                        <legend class="og-form__legend og-form__legend--entry">{ text.entry_label(&item, index + 1) }</legend>
                        { for children.iter().filter(|child| is_visible(child, context.data, entry)).map(|child| {
                            let mut child_path = entry_path.clone();
                            child_path.push(Segment::Key(child.name.clone()));
                            field_view(context, child, child_path, entry)
                        }) }
                        if entries.len() > minimum {
                            <button type="button" class="og-form__button og-form__button--secondary" onclick={ onremove } data-og-remove="">
                                { text.remove_entry(&item, index + 1) }
                            </button>
                        }
                    </fieldset>
                }
            }) }
            if entries.len() < maximum {
                <button type="button" class="og-form__button og-form__button--secondary" id={ format!("{id}-add") } onclick={ onadd }
                    data-og-add="">
                    { text.add_entry(&item) }
                </button>
            }
        </fieldset>
    }
}

/// The HTML attributes of a one-line input for a field.
struct InputAttributes {
    kind: &'static str,
    mode: Option<&'static str>,
    spellcheck: Option<&'static str>,
    min: Option<String>,
    max: Option<String>,
    narrow: bool,
}

fn input_attributes(field: &Field) -> InputAttributes {
    let date_bound = |bound: &Option<ogkit_core::form::Bound>| match bound.as_ref().map(|bound| &bound.value) {
        Some(BoundValue::Date(date)) => Some(date.to_string()),
        _ => None,
    };
    let mut input = InputAttributes { kind: "text", mode: None, spellcheck: None, min: None, max: None, narrow: false };
    match (&field.kind, field.rules.format) {
        // Numbers are text inputs with a numeric keyboard: type=number
        // drops a German decimal comma and changes the value on scrolling.
        (Kind::Integer, _) => {
            input.mode = Some("numeric");
            input.narrow = true;
        }
        (Kind::Number, _) => {
            input.mode = Some("decimal");
            input.narrow = true;
        }
        (_, Some(Format::Email)) => {
            input.kind = "email";
            input.spellcheck = Some("false");
        }
        (_, Some(Format::Phone)) => input.kind = "tel",
        (_, Some(Format::Plz)) => {
            input.mode = Some("numeric");
            input.narrow = true;
        }
        (_, Some(Format::Iban)) => input.spellcheck = Some("false"),
        (_, Some(Format::Date)) => {
            input.kind = "date";
            // The browser's date picker shows the tighter of the fixed and
            // the relative limit; validation still checks both.
            let today = super::state::today();
            let relative = |days: Option<i32>| days.and_then(|days| today.add_days(days)).map(|date| date.to_string());
            input.min = [date_bound(&field.rules.minimum), relative(field.rules.min_days_from_today)].into_iter().flatten().max();
            input.max = [date_bound(&field.rules.maximum), relative(field.rules.max_days_from_today)].into_iter().flatten().min();
        }
        _ => {}
    }
    input
}

/// Returns true when a stored value is the choice `choice`, also when one
/// of them is a number typed as text.
fn same_choice(value: &JsonValue, choice: &JsonValue) -> bool {
    match (value, choice) {
        (JsonValue::String(a), JsonValue::Number(b)) | (JsonValue::Number(b), JsonValue::String(a)) => a.trim() == b,
        _ => value == choice,
    }
}

/// Returns the list after ticking or unticking `choice`; `None` when it is empty.
fn toggled(current: Option<&JsonValue>, choice: &JsonValue, ticked: bool) -> Option<JsonValue> {
    let mut entries = match current {
        Some(JsonValue::Array(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    entries.retain(|entry| !same_choice(entry, choice));
    if ticked {
        entries.push(choice.clone());
    }
    (!entries.is_empty()).then_some(JsonValue::Array(entries))
}

/// One line of the check-your-answers page.
pub(crate) struct AnswerRow {
    pub(crate) label: String,
    pub(crate) value: String,
    /// JSON Pointer of the field that the change link focuses.
    pub(crate) pointer: String,
    pub(crate) step: usize,
}

/// Returns the rows of the check-your-answers page for the fields
/// `names` on `step`: one per visible field, groups and entries of
/// repeated groups broken down to their fields.
pub(crate) fn answer_rows(text: Text, schema: &Schema, data: &JsonValue, names: &[String], step: usize) -> Vec<AnswerRow> {
    let mut rows = Vec::new();
    for field in names.iter().filter_map(|name| schema.field(name)) {
        if is_visible(field, data, data) {
            collect_rows(text, data, field, vec![Segment::Key(field.name.clone())], data, String::new(), step, &mut rows);
        }
    }
    rows
}

#[allow(clippy::too_many_arguments)]
fn collect_rows(
    text: Text,
    root: &JsonValue,
    field: &Field,
    path: Path,
    local: &JsonValue,
    label_prefix: String,
    step: usize,
    rows: &mut Vec<AnswerRow>,
) {
    let value = data::get(root, &path);
    let label = format!("{label_prefix}{}", field.title);
    match &field.kind {
        Kind::Group(children) => {
            let group_value = value.cloned().unwrap_or(JsonValue::Object(Vec::new()));
            for child in children.iter().filter(|child| is_visible(child, root, &group_value)) {
                let mut child_path = path.clone();
                child_path.push(Segment::Key(child.name.clone()));
                collect_rows(text, root, child, child_path, &group_value, format!("{label} – "), step, rows);
            }
        }
        Kind::Repeated(children) => {
            let item = field.ui.item_title.clone().unwrap_or_else(|| field.title.clone());
            let entries = match value {
                Some(JsonValue::Array(entries)) => entries.clone(),
                _ => Vec::new(),
            };
            if entries.is_empty() {
                rows.push(AnswerRow { label, value: text.not_given().to_owned(), pointer: pointer(&path), step });
            }
            for (index, entry) in entries.iter().enumerate() {
                let entry_label = format!("{} – ", text.entry_label(&item, index + 1));
                for child in children.iter().filter(|child| is_visible(child, root, entry)) {
                    let mut child_path = path.clone();
                    child_path.push(Segment::Index(index));
                    child_path.push(Segment::Key(child.name.clone()));
                    collect_rows(text, root, child, child_path, entry, entry_label.clone(), step, rows);
                }
            }
        }
        _ => {
            let shown = display_value(text, field, value, root, local);
            rows.push(AnswerRow { label, value: shown, pointer: pointer(&path), step });
        }
    }
}

/// Returns a value as the user chose it: choice titles, Ja/Nein, dates
/// the German way for German pages.
fn display_value(text: Text, field: &Field, value: Option<&JsonValue>, root: &JsonValue, local: &JsonValue) -> String {
    let choices = offered_choices(field, root, local);
    let title_of = |value: &JsonValue| {
        choices.iter().find(|choice| same_choice(value, &choice.value)).map(|choice| choice.title.clone())
    };
    let shown = match value {
        None => None,
        Some(JsonValue::Bool(flag)) => Some(if *flag { text.yes() } else { text.no() }.to_owned()),
        Some(JsonValue::Array(entries)) => {
            let titles: Vec<String> = entries.iter().map(|entry| title_of(entry).unwrap_or_else(|| plain(entry))).collect();
            (!titles.is_empty()).then(|| titles.join(", "))
        }
        Some(single) => {
            let plain_text = plain(single);
            let plain_text = match (field.rules.format, text.0) {
                (Some(Format::Date), crate::i18n::Lang::De) => ogkit_core::form::formats::Date::parse_iso(plain_text.trim())
                    .map_or(plain_text.clone(), |date| date.to_german()),
                _ => plain_text,
            };
            Some(title_of(single).unwrap_or(plain_text)).filter(|shown| !shown.trim().is_empty())
        }
    };
    shown.unwrap_or_else(|| text.not_given().to_owned())
}

fn plain(value: &JsonValue) -> String {
    match value {
        JsonValue::String(text) => text.clone(),
        JsonValue::Number(literal) => literal.clone(),
        JsonValue::Bool(flag) => flag.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_escape_names() {
        assert_eq!(field_id("og1", "/adresse/plz"), "og1-f-adresse-plz");
        assert_eq!(field_id("og1", "/g/0/a_b"), "og1-f-g-0-a_5f_b");
        assert_ne!(field_id("og1", "/a-b"), field_id("og1", "/a/b"));
    }

    #[test]
    fn toggling_keeps_other_choices() {
        let a = JsonValue::String("a".into());
        let b = JsonValue::String("b".into());
        let both = toggled(Some(&JsonValue::Array(vec![a.clone()])), &b, true);
        assert_eq!(both, Some(JsonValue::Array(vec![a.clone(), b.clone()])));
        assert_eq!(toggled(both.as_ref(), &a, false), Some(JsonValue::Array(vec![b.clone()])));
        assert_eq!(toggled(Some(&JsonValue::Array(vec![b.clone()])), &b, false), None);
    }

    #[test]
    fn numbers_typed_as_text_match_choices() {
        assert!(same_choice(&JsonValue::String("2".into()), &JsonValue::Number("2".into())));
        assert!(!same_choice(&JsonValue::String("3".into()), &JsonValue::Number("2".into())));
    }
}
