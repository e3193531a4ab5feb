//! `<og-embed-builder>`: the embed-code builder for web editors.
//!
//! The editor picks a widget, fills in its attributes, sees the widget live
//! in a preview and copies the HTML code. Validation uses the widgets' own
//! attribute parsers ([`fields`]), so the builder accepts what the widget
//! accepts. The preview element is created with DOM calls
//! (`createElement`, `setAttribute`), never from markup, and the loader
//! mounts it like any other element on the page. The feature `builder`
//! builds this element; the city kit leaves it out.

pub mod fields;
pub mod snippet;
pub mod text;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{
    function_component, html, use_effect_with, use_node_ref, use_state, AttrValue, Callback, Event, Html, MouseEvent,
    Properties, TargetCast,
};

use crate::i18n::Lang;
use crate::mount::{use_host_state, HostState};
use fields::{attributes, default_values, fields, validate, Attribute, Field, FieldError, FieldKind, WidgetKind};

/// Name of the custom element.
pub const TAG: &str = "og-embed-builder";

/// Properties of [`EmbedBuilder`].
#[derive(Properties, PartialEq, Clone)]
pub struct EmbedBuilderProps {
    /// Language of the builder's own text.
    pub lang: Lang,
    /// The `<og-embed-builder>` element.
    pub host: HtmlElement,
    /// Prefix that makes this instance's element ids unique on the page.
    pub id_prefix: AttrValue,
}

/// Input of the editor: the chosen widget and, per widget, one value per
/// field, so switching widgets loses nothing.
#[derive(Clone, PartialEq)]
struct Entries {
    widget: WidgetKind,
    values: [Vec<String>; 4],
}

impl Entries {
    fn new() -> Entries {
        Entries { widget: WidgetKind::ServiceSearch, values: WidgetKind::ALL.map(default_values) }
    }

    fn current(&self) -> &[String] {
        &self.values[self.widget.index()]
    }
}

/// Result of the last press of the copy button.
#[derive(Clone, Copy, PartialEq)]
enum CopyStatus {
    None,
    Copied,
    Fallback,
    Blocked,
}

/// Renders the builder: widget choice, fields with error summary, preview and code.
#[function_component(EmbedBuilder)]
pub fn embed_builder(props: &EmbedBuilderProps) -> Html {
    use_host_state(&props.host, Some(HostState::Ready));
    let lang = props.lang;
    let prefix = props.id_prefix.to_string();
    let entries = use_state(Entries::new);
    let copy_status = use_state(|| CopyStatus::None);
    let announcement = use_state(String::new);
    let preview = use_node_ref();
    let summary = use_node_ref();
    let code = use_node_ref();

    let widget = entries.widget;
    let errors = validate(widget, entries.current());
    let valid: Option<Vec<Attribute>> = errors.is_empty().then(|| attributes(widget, entries.current()));

    {
        let preview = preview.clone();
        use_effect_with((widget, valid.clone()), move |(widget, valid)| {
            if let Some(valid) = valid.clone() {
                let tag = widget.tag();
                // Outside this render: removing the old element unmounts
                // its widget, which must not happen while Yew renders.
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(container) = preview.cast::<Element>() {
                        show_preview(&container, tag, &valid);
                    }
                });
            }
        });
    }

    // Applies a change of the entries: resets the copy result and announces
    // whether the preview follows.
    let apply = {
        let entries = entries.clone();
        let copy_status = copy_status.clone();
        let announcement = announcement.clone();
        Callback::from(move |next: Entries| {
            let count = validate(next.widget, next.current()).len();
            let message = if count == 0 {
                text::preview_updated(next.widget, lang)
            } else {
                text::errors_announcement(count, lang)
            };
            announcement.set(message);
            copy_status.set(CopyStatus::None);
            entries.set(next);
        })
    };

    let choose = {
        let entries = entries.clone();
        let apply = apply.clone();
        Callback::from(move |kind: WidgetKind| {
            let mut next = (*entries).clone();
            next.widget = kind;
            apply.emit(next);
        })
    };

    let set_value = {
        let entries = entries.clone();
        let apply = apply.clone();
        Callback::from(move |(position, value): (usize, String)| {
            let mut next = (*entries).clone();
            let index = next.widget.index();
            if let Some(slot) = next.values[index].get_mut(position) {
                if *slot == value {
                    return;
                }
                *slot = value;
            }
            apply.emit(next);
        })
    };

    let focus_field = Callback::from(move |id: String| {
        if let Some(element) = document().and_then(|document| document.get_element_by_id(&id)) {
            if let Ok(element) = element.dyn_into::<HtmlElement>() {
                let _ = element.focus();
            }
        }
    });

    let snippet_text = valid.as_ref().map(|valid| snippet::snippet(widget.tag(), valid));

    let copy = {
        let copy_status = copy_status.clone();
        let summary = summary.clone();
        let code = code.clone();
        let snippet_text = snippet_text.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(snippet_text) = snippet_text.clone() else {
                copy_status.set(CopyStatus::Blocked);
                if let Some(summary) = summary.cast::<HtmlElement>() {
                    let _ = summary.focus();
                }
                return;
            };
            let copy_status = copy_status.clone();
            let code = code.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if write_clipboard(&snippet_text).await {
                    copy_status.set(CopyStatus::Copied);
                } else {
                    if let Some(area) = code.cast::<HtmlTextAreaElement>() {
                        let _ = area.focus();
                        area.select();
                    }
                    copy_status.set(CopyStatus::Fallback);
                }
            });
        })
    };

    let choice_id = format!("{prefix}-widget");
    let summary_title_id = format!("{prefix}-summary-title");
    let preview_title_id = format!("{prefix}-preview-title");
    let code_title_id = format!("{prefix}-code-title");
    let code_id = format!("{prefix}-code");
    let code_hint_id = format!("{prefix}-code-hint");
    let field_id = |attribute: &str| format!("{prefix}-{}-{attribute}", widget.tag());

    let options = WidgetKind::ALL.into_iter().map(|kind| {
        let id = format!("{choice_id}-{}", kind.tag());
        let hint_id = format!("{id}-hint");
        let onchange = {
            let choose = choose.clone();
            Callback::from(move |_: Event| choose.emit(kind))
        };
        html! {
            <div class="og-builder__option">
                <input type="radio" id={ id.clone() } name={ choice_id.clone() } value={ kind.tag() }
                    checked={ kind == widget } aria-describedby={ hint_id.clone() } { onchange } />
                <label for={ id }>{ text::widget_name(kind, lang) }</label>
                <p id={ hint_id } class="og-builder__help">{ text::widget_hint(kind, lang) }</p>
            </div>
        }
    });

    let summary_view = if errors.is_empty() {
        Html::default()
    } else {
        let items = errors.iter().map(|error| {
            let id = field_id(error.attribute);
            let message = text::error(widget, error.attribute, error.problem, lang);
            let onclick = {
                let focus_field = focus_field.clone();
                let id = id.clone();
                Callback::from(move |event: MouseEvent| {
                    event.prevent_default();
                    focus_field.emit(id.clone());
                })
            };
            html! { <li><a href={ format!("#{id}") } { onclick }>{ message }</a></li> }
        });
        html! {
            <div class="og-builder__summary" tabindex="-1" ref={ summary.clone() } aria-labelledby={ summary_title_id.clone() }>
                <h2 id={ summary_title_id } class="og-builder__summary-title">{ text::summary_title(lang) }</h2>
                <ul class="og-builder__summary-list">{ for items }</ul>
            </div>
        }
    };

    let field_views = fields(widget).iter().enumerate().map(|(position, field)| {
        let value = entries.current().get(position).cloned().unwrap_or_default();
        let error = errors.iter().find(|error| error.attribute == field.attribute);
        render_field(widget, field, position, &value, error, &field_id(field.attribute), lang, &set_value)
    });

    let copy_message = match *copy_status {
        CopyStatus::None => "",
        CopyStatus::Copied => text::copied(lang),
        CopyStatus::Fallback => text::copy_fallback(lang),
        CopyStatus::Blocked => text::copy_blocked(lang),
    };

    html! {
        <div class="og-builder" lang={ lang.tag() }>
            <fieldset class="og-builder__choice">
                <legend class="og-builder__legend">{ text::choose_legend(lang) }</legend>
                { for options }
            </fieldset>
            { summary_view }
            <fieldset class="og-builder__fields" data-og-builder-fields={ widget.tag() }>
                <legend class="og-builder__legend">{ text::fields_legend(widget, lang) }</legend>
                <p class="og-builder__help">{ text::required_note(lang) }</p>
                { for field_views }
            </fieldset>
            <section class="og-builder__section" aria-labelledby={ preview_title_id.clone() }>
                <h2 id={ preview_title_id } class="og-builder__heading">{ text::preview_heading(lang) }</h2>
                if !errors.is_empty() {
                    <p class="og-builder__stale">{ text::preview_stale(lang) }</p>
                }
                <div class="og-builder__preview" data-og-builder-preview="" ref={ preview }></div>
            </section>
            <section class="og-builder__section" aria-labelledby={ code_title_id.clone() }>
                <h2 id={ code_title_id } class="og-builder__heading">{ text::code_heading(lang) }</h2>
                <p id={ code_hint_id.clone() } class="og-builder__help">{ text::code_hint(lang) }</p>
                if let Some(snippet_text) = snippet_text {
                    <label for={ code_id.clone() } class="og-builder__label">{ text::code_label(lang) }</label>
                    <textarea id={ code_id } class="og-builder__code" readonly=true rows="4" spellcheck="false"
                        aria-describedby={ code_hint_id } ref={ code } value={ snippet_text } />
                } else {
                    <p class="og-builder__stale">{ text::code_missing(lang) }</p>
                }
                <button type="button" class="og-builder__copy" onclick={ copy }>{ text::copy_button(lang) }</button>
                <p class="og-builder__copy-status" role="status" data-og-builder-copy={ copy_code(*copy_status) }>{ copy_message }</p>
            </section>
            <p class="og-visually-hidden" role="status" data-og-live="">{ (*announcement).clone() }</p>
        </div>
    }
}

fn copy_code(status: CopyStatus) -> &'static str {
    match status {
        CopyStatus::None => "",
        CopyStatus::Copied => "copied",
        CopyStatus::Fallback => "fallback",
        CopyStatus::Blocked => "blocked",
    }
}

/// Renders one field with its label, help text and error message.
#[allow(clippy::too_many_arguments)]
fn render_field(
    widget: WidgetKind,
    field: &Field,
    position: usize,
    value: &str,
    error: Option<&FieldError>,
    id: &str,
    lang: Lang,
    set_value: &Callback<(usize, String)>,
) -> Html {
    let label = text::label(widget, field.attribute, lang);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let help =
        html! { <p id={ help_id.clone() } class="og-builder__help">{ text::help(widget, field.attribute, lang) }</p> };
    let attribute_name = html! { <code class="og-builder__attribute">{ field.attribute }</code> };

    match field.kind {
        FieldKind::Flag => {
            let onchange = {
                let set_value = set_value.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    set_value.emit((position, if input.checked() { "true".into() } else { String::new() }));
                })
            };
            html! {
                <div class="og-builder__field og-builder__field--flag">
                    <input type="checkbox" id={ id.to_owned() } checked={ value == "true" } aria-describedby={ help_id } { onchange } />
                    <label for={ id.to_owned() } class="og-builder__label">{ label }{ " " }{ attribute_name }</label>
                    { help }
                </div>
            }
        }
        FieldKind::Language => {
            let onchange = {
                let set_value = set_value.clone();
                Callback::from(move |event: Event| {
                    let select: HtmlSelectElement = event.target_unchecked_into();
                    set_value.emit((position, select.value()));
                })
            };
            html! {
                <div class="og-builder__field">
                    <label for={ id.to_owned() } class="og-builder__label">{ label }{ " " }{ attribute_name }</label>
                    { help }
                    <select id={ id.to_owned() } class="og-builder__select" aria-describedby={ help_id } { onchange }>
                        <option value="de" selected={ value != "en" }>{ text::language_german(lang) }</option>
                        <option value="en" selected={ value == "en" }>{ text::language_english(lang) }</option>
                    </select>
                </div>
            }
        }
        FieldKind::Text | FieldKind::Number => {
            let onchange = {
                let set_value = set_value.clone();
                Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    set_value.emit((position, input.value()));
                })
            };
            let described_by = if error.is_some() { format!("{help_id} {error_id}") } else { help_id };
            let class =
                if error.is_some() { "og-builder__field og-builder__field--error" } else { "og-builder__field" };
            let inputmode = (field.kind == FieldKind::Number).then_some("numeric");
            html! {
                <div { class }>
                    <label for={ id.to_owned() } class="og-builder__label">
                        { label }{ " " }{ attribute_name }
                        if field.required { { " " }{ text::required_mark(lang) } }
                    </label>
                    { help }
                    if let Some(error) = error {
                        <p id={ error_id } class="og-builder__error">
                            <span class="og-visually-hidden">{ text::error_prefix(lang) }{ " " }</span>
                            { text::error(widget, error.attribute, error.problem, lang) }
                        </p>
                    }
                    <input type="text" id={ id.to_owned() } class="og-builder__input" value={ value.to_owned() }
                        { inputmode } spellcheck="false" autocomplete="off" aria-describedby={ described_by }
                        aria-invalid={ error.is_some().then_some("true") } aria-required={ field.required.then_some("true") }
                        { onchange } />
                </div>
            }
        }
    }
}

/// Replaces the preview's content with a new `tag` element that has
/// `attributes`. The element gets `lang="de"` when no language is chosen,
/// so the preview matches a German city page also on an English docs page.
fn show_preview(container: &Element, tag: &str, attributes: &[Attribute]) {
    let Some(document) = container.owner_document() else { return };
    let Ok(element) = document.create_element(tag) else { return };
    for attribute in attributes {
        let _ = element.set_attribute(attribute.name, attribute.value.as_deref().unwrap_or(""));
    }
    if !attributes.iter().any(|attribute| attribute.name == "lang") {
        let _ = element.set_attribute("lang", "de");
    }
    while let Some(child) = container.first_child() {
        let _ = container.remove_child(&child);
    }
    let _ = container.append_child(&element);
}

/// Writes `text` to the clipboard with `navigator.clipboard.writeText`.
/// Returns false when the browser has no clipboard API or refuses.
async fn write_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(navigator) = js_sys::Reflect::get(&window, &JsValue::from_str("navigator")) else { return false };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else { return false };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else { return false };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else { return false };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else { return false };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else { return false };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|window| window.document())
}
