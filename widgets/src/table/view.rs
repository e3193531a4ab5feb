//! Markup of the data table: the search and filter panel, the table with
//! its sort buttons, the pager, downloads, notes and attribution.
//!
//! Every cell and header is rendered as text; Yew escapes it, so markup in
//! a published file never becomes HTML. Only the rows of the current page
//! are in the DOM.

use ogkit_core::table::{
    format_number, format_number_fixed, Column, ColumnType, Notation, PageInfo, Severity, SortKey, Table, Value,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::config::{Attribution, TableConfig, PAGE_SIZES};
use super::state::{is_valid_bound, Action, Side, View};
use super::text::{self, core_lang};
use super::{FilterKind, Ready};
use crate::i18n::Lang;

/// Element ids of one instance, all under its unique prefix.
pub(super) struct Ids {
    prefix: String,
    pub(super) caption: String,
    pub(super) search: String,
    pub(super) search_hint: String,
    pub(super) sort_hint: String,
    pub(super) page_size: String,
    pub(super) progress: String,
    pub(super) chart_title: String,
    pub(super) chart_desc: String,
    pub(super) chart_x: String,
    pub(super) chart_y: String,
}

impl Ids {
    pub(super) fn new(prefix: &str) -> Ids {
        Ids {
            prefix: prefix.to_string(),
            caption: format!("{prefix}-caption"),
            search: format!("{prefix}-search"),
            search_hint: format!("{prefix}-search-hint"),
            sort_hint: format!("{prefix}-sort-hint"),
            page_size: format!("{prefix}-page-size"),
            progress: format!("{prefix}-progress"),
            chart_title: format!("{prefix}-chart-title"),
            chart_desc: format!("{prefix}-chart-desc"),
            chart_x: format!("{prefix}-chart-x"),
            chart_y: format!("{prefix}-chart-y"),
        }
    }

    fn field(&self, column: usize, part: &str) -> String {
        format!("{}-c{column}-{part}", self.prefix)
    }
}

/// Data that the markup functions read: the loaded table, the reader's view
/// and the way back to the reducer.
pub(super) struct Context<'a> {
    pub(super) lang: Lang,
    pub(super) ids: &'a Ids,
    pub(super) ready: &'a Ready,
    pub(super) view: &'a View,
    pub(super) dispatch: &'a yew::UseReducerDispatcher<View>,
    /// Rows that pass search and filters, in display order.
    pub(super) rows: &'a [usize],
    /// Columns shown, in file order.
    pub(super) columns: &'a [usize],
}

impl Context<'_> {
    fn table(&self) -> &Table {
        &self.ready.loaded.table
    }

    fn send(&self, make: impl Fn(String) -> Action + 'static) -> Callback<InputEvent> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                dispatch.dispatch(make(input.value()));
            }
        })
    }
}

/// Renders the search field over all columns.
pub(super) fn search(context: &Context<'_>, input_ref: NodeRef) -> Html {
    let Context { lang, ids, view, .. } = *context;
    html! {
        <div class="og-table__search">
            <label class="og-table__label" for={ ids.search.clone() }>{ text::search_label(lang) }</label>
            <input id={ ids.search.clone() } ref={ input_ref } class="og-table__input" type="search"
                data-og-search="" autocomplete="off" spellcheck="false"
                aria-describedby={ ids.search_hint.clone() }
                value={ view.search.clone() } oninput={ context.send(Action::Search) } />
            <p id={ ids.search_hint.clone() } class="og-table__hint">{ text::search_hint(lang) }</p>
        </div>
    }
}

/// Renders the filter panel: one filter per shown column and the reset button.
pub(super) fn filters(context: &Context<'_>, onreset: Callback<MouseEvent>) -> Html {
    let Context { lang, view, .. } = *context;
    let active = view.active_filters(context.table(), lang);
    html! {
        <details class="og-table__panel" data-og-filters="">
            <summary class="og-table__summary">{ text::filters_summary(active, lang) }</summary>
            <div class="og-table__filters">
                { for context.columns.iter().map(|&column| column_filter(context, column)) }
            </div>
            <button type="button" class="og-table__button" data-og-reset="" onclick={ onreset }>
                { text::reset_filters(lang) }
            </button>
        </details>
    }
}

fn column_filter(context: &Context<'_>, column: usize) -> Html {
    let Context { lang, ids, view, dispatch, .. } = *context;
    let table = context.table();
    let name = table.columns()[column].name().to_string();
    let kind = table.columns()[column].kind();
    match &context.ready.filter_kinds[column] {
        FilterKind::Contains => {
            let id = ids.field(column, "contains");
            let value = match view.filter(column) {
                Some(ogkit_core::table::ColumnFilter::Contains(text)) => text.clone(),
                _ => String::new(),
            };
            html! {
                <div class="og-table__filter">
                    <label class="og-table__label" for={ id.clone() }>
                        { format!("{name} {}", text::contains_label(lang)) }
                    </label>
                    <input id={ id } class="og-table__input" type="text" data-og-filter={ column.to_string() }
                        autocomplete="off" value={ value }
                        oninput={ context.send(move |text| Action::Contains(column, text)) } />
                </div>
            }
        }
        FilterKind::Values(values) => {
            let checked: Vec<String> = match view.filter(column) {
                Some(ogkit_core::table::ColumnFilter::OneOf(values)) => values.clone(),
                _ => Vec::new(),
            };
            html! {
                <fieldset class="og-table__filter og-table__filter--values" data-og-filter={ column.to_string() }>
                    <legend class="og-table__label">{ name }</legend>
                    { for values.iter().enumerate().map(|(position, (value, count))| {
                        let id = ids.field(column, &format!("v{position}"));
                        let is_checked = checked.contains(value);
                        let onchange = {
                            let dispatch = dispatch.clone();
                            let value = value.clone();
                            Callback::from(move |event: Event| {
                                if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                                    dispatch.dispatch(Action::ToggleValue(column, value.clone(), input.checked()));
                                }
                            })
                        };
                        let label = if value.is_empty() { text::empty_value(lang).to_string() } else { value.clone() };
                        html! {
                            <div class="og-table__choice">
                                <input id={ id.clone() } type="checkbox" checked={ is_checked } onchange={ onchange } />
                                <label for={ id }>{ format!("{label} ({})", text::count(*count, lang)) }</label>
                            </div>
                        }
                    }) }
                </fieldset>
            }
        }
        FilterKind::Range => {
            let range = view.range(column);
            let input_type = if kind.is_date() { "date" } else { "text" };
            let message = if kind.is_date() { text::invalid_date(lang) } else { text::invalid_number(lang) };
            let side = |side: Side, label: &str, value: String| {
                let part = if side == Side::From { "from" } else { "to" };
                let id = ids.field(column, part);
                let error_id = ids.field(column, &format!("{part}-error"));
                let valid = is_valid_bound(kind, &value, lang);
                html! {
                    <div class="og-table__bound">
                        <label for={ id.clone() }>{ label.to_string() }</label>
                        <input id={ id } class="og-table__input og-table__input--bound" type={ input_type }
                            inputmode={ (!kind.is_date()).then_some("decimal") }
                            data-og-filter={ format!("{column}-{part}") } autocomplete="off"
                            aria-invalid={ (!valid).then_some("true") }
                            aria-describedby={ (!valid).then(|| error_id.clone()) }
                            value={ value }
                            oninput={ context.send(move |text| Action::Range(column, side, text)) } />
                        if !valid {
                            <p id={ error_id } class="og-table__field-error">{ message }</p>
                        }
                    </div>
                }
            };
            html! {
                <fieldset class="og-table__filter og-table__filter--range" data-og-filter={ column.to_string() }>
                    <legend class="og-table__label">{ name }</legend>
                    { side(Side::From, text::range_from(lang), range.from) }
                    { side(Side::To, text::range_to(lang), range.to) }
                </fieldset>
            }
        }
    }
}

/// Renders the panel to hide and show columns.
pub(super) fn column_choice(context: &Context<'_>) -> Html {
    let Context { lang, ids, view, dispatch, .. } = *context;
    let table = context.table();
    let visible = table.visible_columns();
    html! {
        <details class="og-table__panel" data-og-columns="">
            <summary class="og-table__summary">{ text::columns_summary(view.hidden.len(), lang) }</summary>
            <div class="og-table__choices">
                { for visible.iter().map(|&column| {
                    let id = ids.field(column, "show");
                    let shown = !view.hidden.contains(&column);
                    // The last shown column stays: a table without columns shows nothing.
                    let last = shown && context.columns.len() == 1;
                    let onchange = {
                        let dispatch = dispatch.clone();
                        Callback::from(move |event: Event| {
                            if last {
                                if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                                    input.set_checked(true);
                                }
                                return;
                            }
                            dispatch.dispatch(Action::ToggleColumn(column));
                        })
                    };
                    html! {
                        <div class="og-table__choice">
                            <input id={ id.clone() } type="checkbox" checked={ shown } onchange={ onchange }
                                data-og-column-toggle={ column.to_string() } />
                            <label for={ id }>{ table.columns()[column].name().to_string() }</label>
                        </div>
                    }
                }) }
            </div>
        </details>
    }
}

/// Renders the table of the current page inside its scrolling region.
pub(super) fn table(context: &Context<'_>, caption: &str, page: &PageInfo) -> Html {
    let Context { lang, ids, view, dispatch, .. } = *context;
    let table = context.table();
    let headings = context.columns.iter().map(|&column| {
        let kind = table.columns()[column].kind();
        let position = view.sort.iter().position(|key| key.column == column);
        let key: Option<SortKey> = position.map(|position| view.sort[position]);
        let aria_sort = match (position, key) {
            (Some(0), Some(key)) if key.descending => Some("descending"),
            (Some(0), Some(_)) => Some("ascending"),
            _ => None,
        };
        let icon = match key {
            Some(key) if key.descending => "▼",
            Some(_) => "▲",
            None => "↕",
        };
        // aria-sort announces only the first key, so the other keys state
        // their position in hidden text.
        let hidden_state = match (position, key) {
            (Some(position), Some(key)) if position > 0 => text::sort_state(position, key.descending, lang),
            _ => String::new(),
        };
        let onclick = {
            let dispatch = dispatch.clone();
            Callback::from(move |event: MouseEvent| dispatch.dispatch(Action::Sort { column, add: event.shift_key() }))
        };
        let onkeydown = {
            let dispatch = dispatch.clone();
            Callback::from(move |event: KeyboardEvent| {
                // A keyboard click carries no Shift state in every browser,
                // so Shift+Enter is handled here and the click suppressed.
                if event.shift_key() && event.key() == "Enter" {
                    event.prevent_default();
                    dispatch.dispatch(Action::Sort { column, add: true });
                }
            })
        };
        let class = classes!("og-table__heading", kind.is_number().then_some("og-table__heading--number"));
        html! {
            <th key={ column } scope="col" class={ class } aria-sort={ aria_sort }>
                <button type="button" class="og-table__sort" data-og-sort={ column.to_string() }
                    aria-describedby={ ids.sort_hint.clone() } onclick={ onclick } onkeydown={ onkeydown }>
                    <span class="og-table__sort-name">{ table.columns()[column].name().to_string() }</span>
                    if !hidden_state.is_empty() {
                        <span class="og-visually-hidden">{ hidden_state }</span>
                    }
                    <span class="og-table__sort-icon" aria-hidden="true">
                        { icon }
                        if let Some(position) = position.filter(|_| view.sort.len() > 1) {
                            <sub>{ position + 1 }</sub>
                        }
                    </span>
                </button>
            </th>
        }
    });
    let rows = context.rows.get(page.start..page.end).unwrap_or_default();

    html! {
        <>
            <p id={ ids.sort_hint.clone() } class="og-table__hint">{ text::sort_hint(lang) }</p>
            <div class="og-table__scroll" role="region" aria-labelledby={ ids.caption.clone() } tabindex="0"
                data-og-scroll="">
                <table class="og-table__table" data-og-table="">
                    <caption id={ ids.caption.clone() } class="og-table__caption">{ caption.to_string() }</caption>
                    <thead>
                        <tr>{ for headings }</tr>
                    </thead>
                    <tbody>
                        { for rows.iter().map(|&row| html! {
                            <tr key={ row } data-og-row={ row.to_string() }>
                                { for context.columns.iter().map(|&column| cell(table, row, column, lang)) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

/// Shows the first `rows` rows of a file that is still loading, without
/// sort, filter or pager, because those need every row. Like the loaded
/// table, its scroll region is named by the caption and reachable by Tab,
/// so a keyboard user can scroll it.
pub(super) fn preview(table: &Table, rows: usize, caption: &str, ids: &Ids, lang: Lang) -> Html {
    let columns = table.visible_columns();
    let shown = rows.min(table.row_count());
    html! {
        <div class="og-table__scroll" role="region" aria-labelledby={ ids.caption.clone() } tabindex="0"
            data-og-preview="">
            <table class="og-table__table" data-og-table="">
                <caption id={ ids.caption.clone() } class="og-table__caption">
                    { text::preview_caption(caption, shown, lang) }
                </caption>
                <thead>
                    <tr>
                        { for columns.iter().map(|&column| html! {
                            <th scope="col" class="og-table__cell">{ table.columns()[column].name().to_string() }</th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for (0..shown).map(|row| html! {
                        <tr key={ row } data-og-row={ row.to_string() }>
                            { for columns.iter().map(|&column| cell(table, row, column, lang)) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn cell(table: &Table, row: usize, column: usize, lang: Lang) -> Html {
    let Some(data) = table.column(column) else { return Html::default() };
    let original = data.text(row);
    match data.value(row) {
        Value::Number(number) if data.kind().is_number() => {
            let text = number_cell_text(data, number, original, lang);
            let title = (text != original.trim()).then(|| original.to_string());
            html! {
                <td class="og-table__cell og-table__cell--number" title={ title } data-og-text={ original.to_string() }>
                    { text }
                </td>
            }
        }
        _ => html! { <td class="og-table__cell">{ original.to_string() }</td> },
    }
}

/// Returns the text of a number cell of column `data` whose file text is
/// `original`. Years and postcodes stay as written (`2023`, not `2.023`),
/// and other numbers follow [`display_number`].
pub(super) fn number_cell_text(data: &Column, number: f64, original: &str, lang: Lang) -> String {
    if data.is_identifier() {
        return original.trim().to_string();
    }
    display_number(data.kind(), number, decimals(original, data.notation()), lang)
}

/// Returns a number as the reader's language writes it, with as many
/// decimals as the original (`18,0` stays `18,0`) and the unit of percent
/// and currency columns.
pub(super) fn display_number(kind: ColumnType, number: f64, decimals: usize, lang: Lang) -> String {
    let core = core_lang(lang);
    let digits = if decimals > 0 { format_number_fixed(number, decimals, core) } else { format_number(number, core) };
    match kind {
        ColumnType::Percent => format!("{digits} %"),
        ColumnType::Currency => format!("{} €", format_number_fixed(number, decimals.max(2), core)),
        _ => digits,
    }
}

/// Returns the number of decimals written in `text` for a column in
/// `notation`: the digits after the last decimal separator.
fn decimals(text: &str, notation: Option<Notation>) -> usize {
    let separator = match notation {
        Some(Notation::International) => '.',
        _ => ',',
    };
    let Some((_, after)) = text.rsplit_once(separator) else { return 0 };
    let digits = after.chars().take_while(char::is_ascii_digit).count();
    // Only the column's own decimal mark counts, so the digits after a
    // thousands separator are never taken for decimals.
    digits.min(6)
}

/// Renders the message shown instead of the table when no row passes the filters.
pub(super) fn empty_result(lang: Lang, onreset: Callback<MouseEvent>) -> Html {
    html! {
        <div class="og-table__empty" data-og-empty="">
            <p>{ text::empty_result(lang) }</p>
            <button type="button" class="og-table__button" data-og-reset="" onclick={ onreset }>
                { text::reset_filters(lang) }
            </button>
        </div>
    }
}

/// Renders the pager: page range, page size and the page buttons.
pub(super) fn pager(context: &Context<'_>, page: &PageInfo) -> Html {
    let Context { lang, ids, view, dispatch, .. } = *context;
    let button = |label: &str, target: usize, enabled: bool, hook: &str| {
        let onclick = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| {
                if enabled {
                    dispatch.dispatch(Action::Page(target));
                }
            })
        };
        // aria-disabled instead of disabled keeps focus on the button
        // when the reader reaches the first or last page.
        html! {
            <button type="button" class="og-table__button og-table__page-button" data-og-page={ hook.to_string() }
                aria-disabled={ (!enabled).then_some("true") } onclick={ onclick }>
                { label.to_string() }
            </button>
        }
    };
    let onsize = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(size) = select.value().parse::<usize>() {
                    dispatch.dispatch(Action::PageSize(size));
                }
            }
        })
    };
    let mut sizes: Vec<usize> = PAGE_SIZES.to_vec();
    if !sizes.contains(&view.page_size) {
        sizes.push(view.page_size);
        sizes.sort_unstable();
    }
    let (first, last) = (page.page <= 1, page.page >= page.page_count);

    html! {
        <div class="og-table__pager">
            <p class="og-table__range" data-og-range="">{ page.label(core_lang(lang)) }</p>
            <div class="og-table__page-size">
                <label for={ ids.page_size.clone() }>{ text::page_size_label(lang) }</label>
                <select id={ ids.page_size.clone() } class="og-table__select" data-og-page-size="" onchange={ onsize }>
                    { for sizes.iter().map(|&size| html! {
                        <option value={ size.to_string() } selected={ size == view.page_size }>{ size }</option>
                    }) }
                </select>
            </div>
            <nav class="og-table__pages" aria-label={ text::pages_label(lang) }>
                { button(text::first_page(lang), 1, !first, "first") }
                { button(text::previous_page(lang), page.page.saturating_sub(1), !first, "previous") }
                <span class="og-table__page-of" data-og-page-of="">{ text::page_of(page.page, page.page_count, lang) }</span>
                { button(text::next_page(lang), page.page + 1, !last, "next") }
                { button(text::last_page(lang), page.page_count, !last, "last") }
            </nav>
        </div>
    }
}

/// Renders the download buttons.
pub(super) fn downloads(lang: Lang, oncsv: Callback<MouseEvent>, onjson: Callback<MouseEvent>) -> Html {
    html! {
        <div class="og-table__downloads" role="group" aria-label={ text::download_label(lang) }>
            <span class="og-table__downloads-label" aria-hidden="true">{ text::download_label(lang) }</span>
            <button type="button" class="og-table__button" data-og-download="csv" onclick={ oncsv }>
                { text::download_csv(lang) }
            </button>
            <button type="button" class="og-table__button" data-og-download="json" onclick={ onjson }>
                { text::download_json(lang) }
            </button>
        </div>
    }
}

/// Renders source and licence under the table, with links only for http(s) URLs.
pub(super) fn attribution(config: &TableConfig) -> Html {
    let lang = config.lang;
    let line = |label: &str, attribution: &Attribution, hook: &str| {
        let content = match &attribution.href {
            Some(href) => html! { <a href={ href.clone() } rel="noopener">{ attribution.text.clone() }</a> },
            None => html! { { attribution.text.clone() } },
        };
        html! { <span class="og-table__attribution-part" data-og-attribution={ hook.to_string() }>{ label.to_string() }{ " " }{ content }</span> }
    };
    if config.source.is_none() && config.license.is_none() {
        return Html::default();
    }
    html! {
        <p class="og-table__attribution">
            if let Some(source) = &config.source {
                { line(text::source_label(lang), source, "source") }
            }
            if let Some(license) = &config.license {
                { line(text::license_label(lang), license, "license") }
            }
        </p>
    }
}

/// Renders the notes (visible) and warnings (folded) about the file.
pub(super) fn notes(ready: &Ready, lang: Lang) -> Html {
    let core = core_lang(lang);
    let issues = &ready.loaded.issues;
    let warnings: Vec<String> =
        issues.iter().filter(|issue| issue.severity == Severity::Warning).map(|issue| issue.message(core)).collect();
    html! {
        <>
            { for issues.iter().filter(|issue| issue.severity == Severity::Note).map(|issue| html! {
                <p class="og-notice" data-og-note={ issue.key.as_str() }>{ issue.message(core) }</p>
            }) }
            if !warnings.is_empty() {
                <details class="og-table__notes" data-og-warnings="">
                    <summary class="og-table__summary">{ text::notes_summary(warnings.len(), lang) }</summary>
                    <ul>{ for warnings.into_iter().map(|warning| html! { <li>{ warning }</li> }) }</ul>
                </details>
            }
        </>
    }
}

/// Renders the error box: a title and one message per paragraph.
pub(super) fn error(title: &str, messages: &[String]) -> Html {
    html! {
        <div class="og-error og-table__error" role="alert" data-og-error="">
            <p class="og-table__error-title">{ title.to_string() }</p>
            { for messages.iter().map(|message| html! { <p>{ message.clone() }</p> }) }
        </div>
    }
}

/// Renders the chart toggle and, when the chart is shown, the column choice
/// and the chart.
pub(super) fn chart_panel(context: &Context<'_>, caption_default: Option<(usize, usize)>) -> Html {
    let Context { lang, ids, view, dispatch, .. } = *context;
    let Some(default) = caption_default else { return Html::default() };
    let table = context.table();
    let ontoggle = {
        let dispatch = dispatch.clone();
        let shown = view.chart.is_some();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Chart((!shown).then_some(default))))
    };
    let toggle = html! {
        <button type="button" class="og-table__button" data-og-chart-toggle="" onclick={ ontoggle }>
            { if view.chart.is_some() { text::chart_hide(lang) } else { text::chart_show(lang) } }
        </button>
    };
    let Some((x, y)) = view.chart else {
        return html! { <div class="og-table__chart-tools">{ toggle }</div> };
    };

    let select = |id: &str, label: &str, selected: usize, choices: Vec<usize>, hook: &str, make: fn(usize, usize, usize) -> (usize, usize)| {
        let onchange = {
            let dispatch = dispatch.clone();
            Callback::from(move |event: Event| {
                if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                    if let Ok(column) = select.value().parse::<usize>() {
                        dispatch.dispatch(Action::Chart(Some(make(column, x, y))));
                    }
                }
            })
        };
        html! {
            <div class="og-table__chart-choice">
                <label for={ id.to_string() }>{ label.to_string() }</label>
                <select id={ id.to_string() } class="og-table__select" data-og-chart-column={ hook.to_string() } onchange={ onchange }>
                    { for choices.into_iter().map(|column| html! {
                        <option value={ column.to_string() } selected={ column == selected }>
                            { table.columns()[column].name().to_string() }
                        </option>
                    }) }
                </select>
            </div>
        }
    };
    let kind = |column: usize| table.columns()[column].kind();
    // Whole numbers make categories only when there are few of them
    // (district numbers, years); amounts are no axis.
    let identifier = |column: usize| table.columns()[column].is_identifier();
    let is_axis = |column: usize| match kind(column) {
        ColumnType::Integer => identifier(column) || matches!(context.ready.filter_kinds[column], FilterKind::Values(_)),
        other => super::chart::is_axis_column(other),
    };
    let x_choices: Vec<usize> = context.columns.iter().copied().filter(|&column| is_axis(column)).collect();
    // The sum of years or postcodes means nothing.
    let y_choices: Vec<usize> =
        context.columns.iter().copied().filter(|&column| kind(column).is_number() && !identifier(column)).collect();
    let x_name = table.columns().get(x).map(|column| column.name()).unwrap_or_default();
    let y_name = table.columns().get(y).map(|column| column.name()).unwrap_or_default();
    let title = text::chart_title(y_name, x_name, lang);
    let svg_ids = (ids.chart_title.as_str(), ids.chart_desc.as_str());

    let drawing = if kind(x).is_date() {
        let points = super::chart::points(table, context.rows, x, y);
        if points.is_empty() {
            html! { <p class="og-table__hint">{ text::chart_no_data(lang) }</p> }
        } else {
            super::chart::line_chart(&points, &title, svg_ids, "", lang)
        }
    } else {
        let bars = super::chart::bars(table, context.rows, x, y);
        if bars.bars.is_empty() {
            html! { <p class="og-table__hint">{ text::chart_no_data(lang) }</p> }
        } else {
            html! {
                <>
                    { super::chart::bar_chart(&bars, &title, svg_ids, "", lang) }
                    if bars.categories > bars.bars.len() {
                        <p class="og-table__hint">{ text::chart_truncated(bars.bars.len(), bars.categories, lang) }</p>
                    }
                </>
            }
        }
    };

    html! {
        <div class="og-table__chart" data-og-chart-panel="">
            <div class="og-table__chart-tools">
                { toggle }
                { select(&ids.chart_x, text::chart_x_label(lang), x, x_choices, "x", |column, _, y| (column, y)) }
                { select(&ids.chart_y, text::chart_y_label(lang), y, y_choices, "y", |column, x, _| (x, column)) }
            </div>
            { drawing }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_display_language() {
        assert_eq!(display_number(ColumnType::Integer, 9577207.0, 0, Lang::De), "9.577.207");
        assert_eq!(display_number(ColumnType::Decimal, -1234.5, 1, Lang::En), "-1,234.5");
        assert_eq!(display_number(ColumnType::Decimal, 18.0, 1, Lang::De), "18,0");
        assert_eq!(display_number(ColumnType::Percent, 12.5, 1, Lang::De), "12,5 %");
        assert_eq!(display_number(ColumnType::Currency, 1250.0, 0, Lang::De), "1.250,00 €");
    }

    #[test]
    fn decimals_follow_original_text() {
        assert_eq!(decimals("18,0", Some(Notation::German)), 1);
        assert_eq!(decimals("1.234,56 €", Some(Notation::German)), 2);
        assert_eq!(decimals("9.577.207", Some(Notation::German)), 0);
        assert_eq!(decimals("1,234.5", Some(Notation::International)), 1);
        assert_eq!(decimals("1,234", Some(Notation::International)), 0);
        assert_eq!(decimals("12", None), 0);
    }
}
