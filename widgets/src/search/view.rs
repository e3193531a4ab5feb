//! Markup of the service search: the form, the result lists, the details
//! of one service and the attribution line.

use ogkit_core::catalogue::{Catalogue, Office, Service};
use ogkit_core::richtext::is_safe_href;
use ogkit_core::search::SearchResult;
use yew::prelude::*;

use super::config::SearchConfig;
use super::highlight::segments;
use super::{strong_count, Loaded};
use crate::i18n::Lang;
use crate::ui::{concat, richtext};

/// Element ids of one instance, all under its unique prefix.
pub(super) struct Ids {
    pub(super) input: String,
    pub(super) hint: String,
    pub(super) category: String,
    pub(super) online: String,
    pub(super) count: String,
    pub(super) weak: String,
    pub(super) details_title: String,
}

impl Ids {
    pub(super) fn new(prefix: &str) -> Ids {
        Ids {
            input: concat(&[prefix, "-input"]),
            hint: concat(&[prefix, "-hint"]),
            category: concat(&[prefix, "-category"]),
            online: concat(&[prefix, "-online"]),
            count: concat(&[prefix, "-count"]),
            weak: concat(&[prefix, "-weak"]),
            details_title: concat(&[prefix, "-details-title"]),
        }
    }
}

pub(super) struct FormProps<'a> {
    pub(super) lang: Lang,
    pub(super) ids: &'a Ids,
    pub(super) config: &'a SearchConfig,
    pub(super) query: &'a str,
    pub(super) category: Option<&'a str>,
    pub(super) online_only: bool,
    pub(super) categories: Vec<(String, Option<usize>)>,
    /// Catalogue title: names the search landmark, so two searches on one
    /// page have distinct landmark names.
    pub(super) title: Option<&'a str>,
    pub(super) oninput: Callback<InputEvent>,
    pub(super) onkeydown: Callback<KeyboardEvent>,
    pub(super) onsubmit: Callback<SubmitEvent>,
    pub(super) oncategory: Callback<Event>,
    pub(super) ononline: Callback<Event>,
}

pub(super) fn form(props: FormProps<'_>) -> Html {
    let FormProps { lang, ids, config, query, category, online_only, categories, title, .. } = props;
    let landmark = match title {
        Some(title) => concat(&[lang.search_label(), ": ", title]),
        None => lang.search_label().to_string(),
    };
    let placeholder = config.placeholder.clone().unwrap_or_else(|| lang.search_placeholder().to_string());
    let category_select = if categories.is_empty() {
        Html::default()
    } else {
        html! {
            <div class="og-search__filter">
                <label class="og-search__filter-label" for={ ids.category.clone() }>{ lang.category_label() }</label>
                <select id={ ids.category.clone() } class="og-search__select" data-og-category="" onchange={ props.oncategory }>
                    <option value="" selected={ category.is_none() }>{ lang.category_all() }</option>
                    { for categories.into_iter().map(|(name, count)| {
                        let selected = category == Some(name.as_str());
                        let label = match count {
                            Some(count) => format!("{name} ({count})"),
                            None => name.clone(),
                        };
                        html! { <option value={ name } selected={ selected }>{ label }</option> }
                    }) }
                </select>
            </div>
        }
    };

    html! {
        <form class="og-search__form" role="search" aria-label={ landmark } onsubmit={ props.onsubmit }>
            <label class="og-search__label" for={ ids.input.clone() }>{ lang.search_label() }</label>
            <input
                id={ ids.input.clone() }
                class="og-search__input"
                type="search"
                data-og-input=""
                autocomplete="off"
                spellcheck="false"
                enterkeyhint="search"
                placeholder={ placeholder }
                aria-describedby={ ids.hint.clone() }
                value={ query.to_string() }
                oninput={ props.oninput }
                onkeydown={ props.onkeydown }
            />
            <p id={ ids.hint.clone() } class="og-search__hint">{ lang.search_hint() }</p>
            <div class="og-search__filters">
                { category_select }
                <div class="og-search__filter og-search__filter--online">
                    <input
                        id={ ids.online.clone() }
                        class="og-search__checkbox"
                        type="checkbox"
                        data-og-online-only=""
                        checked={ online_only }
                        onchange={ props.ononline }
                    />
                    <label for={ ids.online.clone() }>{ lang.online_only_label() }</label>
                </div>
            </div>
        </form>
    }
}

/// Returns the filter choices: the facets of the current result with their
/// counts, or every category of the catalogue before anything is typed.
/// The chosen category always stays in the list.
pub(super) fn category_options(
    loaded: &Loaded,
    result: Option<&SearchResult>,
    chosen: Option<&str>,
) -> Vec<(String, Option<usize>)> {
    let mut options: Vec<(String, Option<usize>)> = match result {
        Some(result) if !result.facets.is_empty() => {
            result.facets.iter().map(|facet| (facet.name.clone(), Some(facet.count))).collect()
        }
        _ => loaded.categories.iter().map(|name| (name.clone(), None)).collect(),
    };
    if let Some(chosen) = chosen {
        if !options.iter().any(|(name, _)| name == chosen) {
            options.insert(0, (chosen.to_string(), None));
        }
    }
    options
}

pub(super) fn results(
    loaded: &Loaded,
    result: &SearchResult,
    query: &str,
    config: &SearchConfig,
    ids: &Ids,
    onselect: &Callback<String>,
) -> Html {
    let lang = config.lang;
    let strong = strong_count(result);
    let weak = result.hits.len() - strong;
    let services = &loaded.catalogue.services;

    let hit_item = |hit: &ogkit_core::search::Hit| -> Html {
        let Some(service) = services.get(hit.service) else { return Html::default() };
        let id = service.id.clone();
        let onclick = {
            let onselect = onselect.clone();
            let id = id.clone();
            Callback::from(move |_: MouseEvent| onselect.emit(id.clone()))
        };
        let name: Html = segments(&service.name, &hit.name_highlights)
            .into_iter()
            .map(|segment| {
                if segment.marked {
                    html! { <mark class="og-mark">{ segment.text.to_string() }</mark> }
                } else {
                    html! { { segment.text.to_string() } }
                }
            })
            .collect();
        let online = service.online_url.as_deref().is_some_and(is_safe_href);
        html! {
            <li class="og-hit" key={ id.clone() }>
                <button
                    type="button"
                    class="og-hit__button"
                    data-og-hit=""
                    data-id={ id }
                    data-og-weak={ hit.weak.then_some("") }
                    onclick={ onclick }
                >
                    <span class="og-hit__name">{ name }</span>
                    if let Some(summary) = &service.summary {
                        <span class="og-hit__summary">{ summary.clone() }</span>
                    }
                    if online {
                        <span class="og-hit__badge">{ lang.online_badge() }</span>
                    }
                </button>
            </li>
        }
    };

    let no_results = if strong == 0 {
        let tips = lang.no_results_tips();
        let title = if weak == 0 {
            lang.no_results_title(query.trim())
        } else {
            lang.no_exact_results_title(query.trim())
        };
        html! {
            <div class="og-no-results" data-og-no-results="">
                <p class="og-no-results__title">{ title }</p>
                <ul class="og-no-results__tips">
                    { for tips.iter().map(|tip| html! { <li>{ *tip }</li> }) }
                </ul>
                if let Some(href) = &config.no_results_href {
                    <p><a class="og-no-results__link" href={ href.clone() } data-og-no-results-link="">
                        { lang.no_results_contact() }
                    </a></p>
                }
            </div>
        }
    } else {
        Html::default()
    };

    html! {
        <>
            <p id={ ids.count.clone() } class="og-search__count" data-og-count="">
                { lang.result_count(strong, weak) }
            </p>
            if strong > 0 {
                <ul class="og-results" data-og-results="" aria-labelledby={ ids.count.clone() }>
                    { for result.hits.iter().filter(|hit| !hit.weak).map(hit_item) }
                </ul>
            }
            { no_results }
            if weak > 0 {
                <p id={ ids.weak.clone() } class="og-results__weak-title">{ lang.weak_results_label() }</p>
                <p class="og-results__weak-note">{ lang.weak_results_note() }</p>
                <ul class="og-results og-results--weak" data-og-weak-results="" aria-labelledby={ ids.weak.clone() }>
                    { for result.hits.iter().filter(|hit| hit.weak).map(hit_item) }
                </ul>
            }
        </>
    }
}

pub(super) fn details(
    service: &Service,
    lang: Lang,
    ids: &Ids,
    title_ref: NodeRef,
    onback: Callback<MouseEvent>,
) -> Html {
    let more = service.url.as_deref().filter(|href| is_safe_href(href));
    let online = service.online_url.as_deref().filter(|href| is_safe_href(href));
    let links: Vec<_> = service.links.iter().filter(|link| is_safe_href(&link.url)).collect();
    let meta = match (service.updated.as_deref(), service.leika.as_deref()) {
        (Some(date), Some(key)) => concat(&[&lang.updated(date), " · ", &lang.leika_key(key)]),
        (Some(date), None) => lang.updated(date),
        (None, Some(key)) => lang.leika_key(key),
        (None, None) => String::new(),
    };

    html! {
        <section class="og-details" data-og-details="" data-id={ service.id.clone() } aria-labelledby={ ids.details_title.clone() }>
            <h3 id={ ids.details_title.clone() } class="og-details__title" tabindex="-1" ref={ title_ref }>
                { service.name.clone() }
            </h3>
            if let Some(summary) = &service.summary {
                <p class="og-details__summary">{ summary.clone() }</p>
            }
            if !service.description.is_empty() {
                <div class="og-details__description">{ richtext::blocks(&service.description) }</div>
            }
            if !service.fees.is_empty() {
                <h4 class="og-details__heading">{ lang.fees_heading() }</h4>
                <div class="og-details__fees">{ richtext::blocks(&service.fees) }</div>
            }
            if let Some(office) = &service.office {
                { self::office(office, lang) }
            }
            if !links.is_empty() {
                <h4 class="og-details__heading">{ lang.links_heading() }</h4>
                <ul class="og-details__documents">
                    { for links.iter().map(|link| html! {
                        <li><a href={ link.url.trim().to_string() }>{ link.title.clone() }</a></li>
                    }) }
                </ul>
            }
            if more.is_some() || online.is_some() {
                <p class="og-details__links">
                    if let Some(href) = online {
                        <a class="og-details__online" href={ href.trim().to_string() } data-og-online-link="">
                            { lang.apply_online() }
                        </a>
                    }
                    if let Some(href) = more {
                        <a class="og-details__more" href={ href.trim().to_string() }>{ lang.more_information() }</a>
                    }
                </p>
            }
            if !meta.is_empty() {
                <p class="og-details__meta">{ meta }</p>
            }
            <button type="button" class="og-details__back" data-og-back="" onclick={ onback }>
                { lang.back_to_results() }
            </button>
        </section>
    }
}

fn office(office: &Office, lang: Lang) -> Html {
    let name = match office.url.as_deref().filter(|href| is_safe_href(href)) {
        Some(href) => html! { <a href={ href.trim().to_string() }>{ office.name.clone() }</a> },
        None => html! { { office.name.clone() } },
    };
    html! {
        <>
            <h4 class="og-details__heading">{ lang.office_heading() }</h4>
            <p class="og-details__office">
                { name }
                if let Some(phone) = &office.phone {
                    <br />{ concat(&[lang.phone_label(), ": ", phone]) }
                }
                if let Some(email) = &office.email {
                    <br />{ concat(&[lang.email_label(), ": ", email]) }
                }
            </p>
        </>
    }
}

/// Renders who published the data and under which licence, with links
/// only where they are http(s).
pub(super) fn attribution(catalogue: &Catalogue, lang: Lang) -> Html {
    let Some(source) = &catalogue.source else { return Html::default() };
    let publisher = source.name.clone().or_else(|| catalogue.title.clone());
    let link = |text: String, href: Option<&str>| match href.filter(|href| is_safe_href(href)) {
        Some(href) => html! { <a href={ href.trim().to_string() }>{ text }</a> },
        None => html! { { text } },
    };
    html! {
        <p class="og-attribution" data-og-attribution="">
            if let Some(publisher) = publisher {
                { concat(&[lang.attribution_data(), ": "]) }
                { link(publisher, source.url.as_deref()) }
            }
            if let Some(licence) = source.licence.clone() {
                { concat(&[" · ", lang.attribution_licence(), ": "]) }
                { link(licence, source.licence_url.as_deref()) }
            }
        </p>
    }
}
