//! `<og-service-search>`: finds an administrative service by everyday words.
//!
//! The component fetches an ogkit catalogue, builds the core search
//! [`Index`] once and searches on every keystroke. It follows the "search
//! field plus result list" pattern rather than the WAI-ARIA combobox: the
//! results are ordinary buttons in lists, reachable with Tab as well as the
//! arrow keys, which screen readers handle more consistently than an
//! `aria-activedescendant` popup (see the widget docs in `www/`).
//!
//! Markup hooks that tests and host pages may rely on are `data-og-…`
//! attributes; class names are for styling only.

pub mod config;
pub mod decode;
pub mod highlight;
pub mod load;
pub mod url;
mod view;

use std::cell::Cell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use ogkit_core::catalogue::Catalogue;
use ogkit_core::search::{Index, SearchOptions, SearchResult};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::Failure;
use crate::diagnostics::{warn_request_failed, RequestFailure};
use crate::mount::{self, HostState};
use config::SearchConfig;
use url::UrlState;

/// Delay after the last change before the result count is announced, the
/// URL is updated and `og-search` fires: long enough that a fast typist
/// hears one announcement, short enough to feel immediate.
const SETTLE_MILLIS: u32 = 600;

/// Properties of [`ServiceSearch`], built by the custom-element glue.
#[derive(Properties, PartialEq, Clone)]
pub struct ServiceSearchProps {
    /// Parsed attributes.
    pub config: SearchConfig,
    /// The `<og-service-search>` element: events are dispatched from it.
    pub host: HtmlElement,
    /// Prefix that makes this instance's element ids unique on the page.
    pub id_prefix: AttrValue,
    /// Visible notes about ignored attribute values, for the page's editors.
    #[prop_or_default]
    pub notices: Vec<String>,
}

/// A catalogue that loaded, with its search index.
pub(crate) struct Loaded {
    /// Distinguishes catalogues, so results are recomputed after `src` changes.
    generation: u32,
    catalogue: Catalogue,
    index: Index,
    /// Every Lebenslage and Themenfeld, for the filter before anything is typed.
    categories: Vec<String>,
}

impl Loaded {
    fn new(catalogue: Catalogue) -> Loaded {
        thread_local! {
            static NEXT_GENERATION: Cell<u32> = const { Cell::new(1) };
        }
        let generation = NEXT_GENERATION.with(|next| next.replace(next.get().wrapping_add(1)));
        let index = Index::new(&catalogue);
        let categories = index.category_names();
        Loaded { generation, catalogue, index, categories }
    }
}

/// Loading state of the catalogue.
#[derive(Clone)]
pub(crate) enum Load {
    Loading,
    Failed(Failure),
    Ready(Rc<Loaded>),
}

/// The service search: a labelled search field, filters, results as you
/// type and the details of the chosen service.
#[function_component(ServiceSearch)]
pub fn service_search(props: &ServiceSearchProps) -> Html {
    let config = &props.config;
    let lang = config.lang;

    // State.
    let load = use_state(|| Load::Loading);
    let initial_url = use_memo((), {
        let param = config.query_param.clone();
        move |_| mount::read_url_state(&param)
    });
    let query = use_state(|| initial_url.query.clone());
    let open = use_state(|| initial_url.open.clone());
    let category = use_state(|| config.category.clone());
    let online_only = use_state(|| config.online_only);
    let announcement = use_state(String::new);
    // Search text of the current history entry as last pushed or visited.
    // Typing rewrites the entry in place, so Enter needs this to restore it
    // before pushing the new search.
    let committed = use_mut_ref(|| initial_url.query.clone());
    let focus_details = use_mut_ref(|| false);
    let return_focus = use_mut_ref(|| None::<String>);
    let root_ref = use_node_ref();
    let details_title_ref = use_node_ref();

    // Derived values.
    let loaded = match &*load {
        Load::Ready(loaded) => Some(Rc::clone(loaded)),
        _ => None,
    };
    let generation = loaded.as_ref().map(|loaded| loaded.generation);
    let result = use_memo(
        (generation, (*query).clone(), (*category).clone(), *online_only, config.max_results),
        {
            let loaded = loaded.clone();
            move |(_, query, category, online_only, max_results)| {
                let loaded = loaded?;
                // A category that the catalogue lacks would hide every
                // service, so it is ignored (and reported by an effect below).
                let category = category.as_ref().filter(|name| loaded.categories.contains(name));
                // Without words or filters there is nothing to show; the
                // core search lists every match of a filter on its own.
                if query.trim().is_empty() && category.is_none() && !online_only {
                    return None;
                }
                let options =
                    SearchOptions { max_results: *max_results, category: category.cloned(), online_only: *online_only };
                Some(loaded.index.search(query, &options))
            }
        },
    );

    // Effects: load the catalogue whenever `src` changes.
    {
        let load = load.clone();
        use_effect_with(config.src.clone(), move |src| {
            let cancelled = Rc::new(Cell::new(false));
            match src.clone() {
                None => load.set(Load::Failed(Failure::MissingSource)),
                Some(src) => {
                    load.set(Load::Loading);
                    let cancelled = Rc::clone(&cancelled);
                    wasm_bindgen_futures::spawn_local(async move {
                        let outcome = load::fetch_catalogue(&src).await;
                        if cancelled.get() {
                            return;
                        }
                        let request_failure = match &outcome {
                            Err(Failure::Network) => Some(RequestFailure::NoResponse),
                            Err(Failure::HttpStatus(status)) => Some(RequestFailure::Status(*status)),
                            _ => None,
                        };
                        if let Some(request_failure) = request_failure {
                            warn_request_failed(config::TAG, "src", &src, request_failure);
                        }
                        load.set(match outcome {
                            Ok(catalogue) => Load::Ready(Rc::new(Loaded::new(catalogue))),
                            Err(failure) => Load::Failed(failure),
                        });
                    });
                }
            }
            move || cancelled.set(true)
        });
    }

    // Effects: tell the host element (and so the fallback content) how loading went.
    {
        let host = props.host.clone();
        let state = match &*load {
            Load::Loading => HostState::Loading,
            Load::Failed(_) => HostState::Failed,
            Load::Ready(_) => HostState::Ready,
        };
        use_effect_with(state, move |state| mount::set_host_state(&host, *state));
    }

    // Effects: attribute changes replace the filters that they preset. Once
    // the catalogue is loaded, a preset category that it lacks is dropped and
    // reported, and a new catalogue brings the preset back.
    let category_warning =
        loaded.as_ref().and_then(|loaded| config::check_category(config.category.as_deref(), &loaded.categories));
    {
        let category = category.clone();
        let warning = category_warning.clone();
        use_effect_with((generation, config.category.clone()), move |(_, preset)| {
            if let Some(warning) = &warning {
                web_sys::console::warn_1(&warning.console_message().into());
            }
            category.set(preset.clone().filter(|_| warning.is_none()));
        });
    }
    {
        let online_only = online_only.clone();
        use_effect_with(config.online_only, move |preset| online_only.set(*preset));
    }

    // Effects: once the input settles, announce the count, keep the query in
    // the URL and fire `og-search`.
    {
        let announcement = announcement.clone();
        let host = props.host.clone();
        let param = config.query_param.clone();
        let result = Rc::clone(&result);
        let settled_query = (*query).clone();
        use_effect_with(
            (generation, (*query).clone(), (*category).clone(), *online_only, config.max_results),
            move |_| {
                let timeout = Timeout::new(SETTLE_MILLIS, move || {
                    let text = match result.as_ref() {
                        Some(result) => {
                            let weak = result.hits.iter().filter(|hit| hit.weak).count();
                            lang.result_announcement(settled_query.trim(), result.hits.len() - weak, weak)
                        }
                        None => String::new(),
                    };
                    announcement.set(text);
                    mount::replace_url_query(&param, &settled_query);
                    if let Some(result) = result.as_ref() {
                        mount::dispatch_search(&host, &settled_query, result.total);
                    }
                });
                move || drop(timeout)
            },
        );
    }

    // Effects: follow the back and forward buttons.
    {
        let query = query.clone();
        let open = open.clone();
        let committed = Rc::clone(&committed);
        use_effect_with(config.query_param.clone(), move |param| {
            let param = param.clone();
            let listener = web_sys::window().map(|window| {
                EventListener::new(&window, "popstate", move |_| {
                    let state = mount::read_url_state(&param);
                    committed.replace(state.query.clone());
                    query.set(state.query);
                    open.set(state.open);
                })
            });
            move || drop(listener)
        });
    }

    // Effects: move focus to the details when the user opened them, and
    // back to the result when the user closed them.
    {
        let focus_details = Rc::clone(&focus_details);
        let return_focus = Rc::clone(&return_focus);
        let details_title_ref = details_title_ref.clone();
        let root_ref = root_ref.clone();
        use_effect_with((*open).clone(), move |open| {
            if open.is_some() && focus_details.replace(false) {
                if let Some(title) = details_title_ref.cast::<HtmlElement>() {
                    let _ = title.focus();
                }
            } else if open.is_none() {
                if let Some(id) = return_focus.borrow_mut().take() {
                    mount::focus_hit(&root_ref, Some(&id));
                }
            }
        });
    }

    // Callbacks.
    let oninput = {
        let query = query.clone();
        let open = open.clone();
        let param = config.query_param.clone();
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else { return };
            query.set(input.value());
            if open.is_some() {
                open.set(None);
                mount::write_url(&param, &UrlState { query: input.value(), open: None }, false);
            }
        })
    };
    let oninputkeydown = {
        let query = query.clone();
        let root_ref = root_ref.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "ArrowDown" if mount::focus_hit(&root_ref, None) => event.prevent_default(),
            "Escape" if !query.is_empty() => {
                event.prevent_default();
                query.set(String::new());
            }
            _ => {}
        })
    };
    let onsubmit = {
        let query = query.clone();
        let param = config.query_param.clone();
        let committed = Rc::clone(&committed);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let typed = query.trim().to_string();
            if typed == *committed.borrow() {
                return;
            }
            // The settled search may already have rewritten the current entry:
            // give it back its own search, then add the new one after it.
            let previous = committed.replace(typed.clone());
            mount::write_url(&param, &UrlState { query: previous, open: None }, false);
            mount::write_url(&param, &UrlState { query: typed, open: None }, true);
        })
    };
    let oncategory = {
        let category = category.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<HtmlSelectElement>() else { return };
            let value = select.value();
            category.set(Some(value).filter(|value| !value.is_empty()));
        })
    };
    let ononline = {
        let online_only = online_only.clone();
        Callback::from(move |event: Event| {
            let Some(checkbox) = event.target_dyn_into::<HtmlInputElement>() else { return };
            online_only.set(checkbox.checked());
        })
    };
    let onresultskeydown = {
        let root_ref = root_ref.clone();
        Callback::from(move |event: KeyboardEvent| {
            if mount::move_hit_focus(&root_ref, &event.key()) {
                event.prevent_default();
            }
        })
    };
    let onselect = {
        let open = open.clone();
        let query = query.clone();
        let host = props.host.clone();
        let param = config.query_param.clone();
        let focus_details = Rc::clone(&focus_details);
        let committed = Rc::clone(&committed);
        Callback::from(move |id: String| {
            focus_details.replace(true);
            committed.replace(query.trim().to_string());
            mount::write_url(&param, &UrlState { query: (*query).clone(), open: Some(id.clone()) }, true);
            mount::dispatch_select(&host, &id);
            open.set(Some(id));
        })
    };
    let onback = {
        let open = open.clone();
        let query = query.clone();
        let param = config.query_param.clone();
        let return_focus = Rc::clone(&return_focus);
        Callback::from(move |_: MouseEvent| {
            *return_focus.borrow_mut() = (*open).clone();
            mount::write_url(&param, &UrlState { query: (*query).clone(), open: None }, true);
            open.set(None);
        })
    };

    // Markup.
    let ids = view::Ids::new(&props.id_prefix);
    let body = match &*load {
        Load::Loading => html! { <p class="og-search__loading" data-og-loading="">{ lang.loading() }</p> },
        Load::Failed(failure) => html! {
            <p class="og-error" role="alert" data-og-error="">{ lang.failure(failure) }</p>
        },
        Load::Ready(loaded) => {
            let opened = open.as_ref().and_then(|id| loaded.catalogue.services.iter().find(|service| service.id == *id));
            let content = match (opened, result.as_ref()) {
                (Some(service), _) => view::details(service, lang, &ids, details_title_ref.clone(), onback),
                (None, Some(result)) => html! {
                    <div class="og-search__results" onkeydown={ onresultskeydown }>
                        { view::results(loaded, result, &query, config, &ids, &onselect) }
                    </div>
                },
                (None, None) => Html::default(),
            };
            html! {
                <>
                    { view::form(view::FormProps {
                        lang,
                        ids: &ids,
                        config,
                        query: &query,
                        category: category.as_deref(),
                        online_only: *online_only,
                        categories: view::category_options(loaded, result.as_ref().as_ref(), category.as_deref()),
                        title: loaded.catalogue.title.as_deref(),
                        oninput,
                        onkeydown: oninputkeydown,
                        onsubmit,
                        oncategory,
                        ononline,
                    }) }
                    { content }
                    { view::attribution(&loaded.catalogue, lang) }
                </>
            }
        }
    };

    html! {
        <div class="og-search__inner" lang={ lang.tag() } ref={ root_ref }>
            { for props.notices.iter().cloned().chain(category_warning.map(|warning| {
                lang.config_notice(warning.attribute, &warning.value)
            })).map(|notice| html! {
                <p class="og-notice" data-og-config-warning="">{ notice }</p>
            }) }
            <p class="og-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-og-status="">
                { (*announcement).clone() }
            </p>
            { body }
        </div>
    }
}

/// Returns the number of strong (not weak) hits in `result`.
pub(crate) fn strong_count(result: &SearchResult) -> usize {
    result.hits.iter().filter(|hit| !hit.weak).count()
}
