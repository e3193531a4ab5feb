//! As-you-type search over a service catalogue, built for German text.
//!
//! An [`Index`] is built once per catalogue. It folds and tokenises every
//! service's name, keywords, summary and description (see [`crate::text`])
//! into a sorted vocabulary of distinct terms, each with a list of postings
//! (service and field). A query is folded the same way and split into words;
//! each word is looked up as
//!
//! - an exact term and as the prefix of longer terms (binary search, then a
//!   scan of the sorted neighbours, see `vocabulary`),
//! - an inflected or derived form ("neuer" → "neu", "anmelden" →
//!   "Anmeldung"),
//! - a part inside a compound term ("besitzkarte" in "waffenbesitzkarte"),
//!   from four letters on, and a compound split into terms of its own,
//! - a term or term prefix within the edit bound for its length
//!   (Damerau-Levenshtein, see `distance`),
//! - a synonym from the built-in list or the catalogue's own groups (see
//!   `synonyms`).
//!
//! Scoring, and what to re-check after changing it: every matched term gets
//! a base score by match kind (exact > prefix > compound part > typo) times a
//! field weight (name > keywords > summary > description). A query word
//! scores the best of its matches in a service. A service scores the sum
//! over query words, weighted by how rare each word is, plus small bonuses
//! for how much of the name the query covers and for umlauts typed as the
//! name spells them. Matching all words ranks above matching some.
//! Hits where some word did not match, or matched only weakly, are marked
//! `weak`. The eval test `core/tests/relevance.rs` and the case tests in
//! `core/tests/search_cases.rs` pin the resulting order; run both after any
//! change to the numbers below. `docs/search.md` explains the design.

mod distance;
mod order;
mod synonyms;
mod vocabulary;

use std::ops::Range;

use crate::catalogue::{Catalogue, Service};
use crate::richtext::plain_text;
use crate::text::{fold, fold_light, fold_with_offsets, for_each_token, is_word_char};

use distance::{max_edits, Table};
pub use synonyms::BUILT_IN as BUILT_IN_SYNONYMS;
use synonyms::{SOFT_WORDS, STOP_WORDS};
use vocabulary::Vocabulary;

/// Settings of one search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Maximum number of hits returned; [`SearchResult::total`] still counts all.
    pub max_results: usize,
    /// Keep only services in this Lebenslage or Themenfeld (its exact name).
    pub category: Option<String>,
    /// Keep only services that can be applied for online (`online_url` set).
    pub online_only: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { max_results: 10, category: None, online_only: false }
    }
}

/// Outcome of [`Index::search`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResult {
    /// The best hits, best first, at most `max_results` of them.
    pub hits: Vec<Hit>,
    /// Number of services that matched and passed the filters.
    pub total: usize,
    /// Lebenslagen and Themenfelder among the matches, most frequent first.
    /// Counted before the category filter, so each count is the number of
    /// hits left after choosing that category.
    pub facets: Vec<Facet>,
}

/// A service that matched a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Position of the service in `catalogue.services`.
    pub service: usize,
    /// Relevance; higher is better. Only the order within one result means
    /// something.
    pub score: u32,
    /// True when not every query word matched, or a word matched only as a
    /// typo or compound part in the description. Widgets show weak hits as
    /// "maybe related".
    pub weak: bool,
    /// Byte ranges of matched words in the service's original `name`, in
    /// order and without overlap. A range never separates a combining mark
    /// from its base letter.
    pub name_highlights: Vec<Range<usize>>,
}

/// Number of matching services in one Lebenslage or Themenfeld.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// Name of the Lebenslage or Themenfeld as the catalogue writes it.
    pub name: String,
    /// Whether the name is a Lebenslage or a Themenfeld.
    pub kind: FacetKind,
    /// Number of matching services in it.
    pub count: usize,
}

/// The two kinds of category that services carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FacetKind {
    /// A life situation ("Umzug", "Geburt").
    Lebenslage,
    /// A subject area ("Bauen & Wohnen").
    Themenfeld,
}

/// A searchable index of one catalogue.
#[derive(Debug, Clone)]
pub struct Index {
    vocabulary: Vocabulary,
    /// Start of each term's postings in `postings`, plus the end.
    posting_starts: Vec<u32>,
    /// Postings: service number shifted left by two, field in the low bits.
    postings: Vec<u32>,
    services: Vec<ServiceInfo>,
    categories: Vec<(FacetKind, String)>,
    synonyms: Synonyms,
}

/// Service data that search needs besides the terms.
#[derive(Debug, Clone)]
struct ServiceInfo {
    name: String,
    /// Name lowercased with umlauts kept, for the spelling bonus.
    name_light: String,
    name_words: u32,
    online: bool,
    /// Positions in `Index::categories`.
    categories: Vec<u32>,
}

/// Fields of a service, best first; the discriminant is stored in postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name = 0,
    Keyword = 1,
    Summary = 2,
    Description = 3,
}

/// Weight of a match in each field, multiplied with the match-kind score.
const FIELD_WEIGHTS: [u32; 4] = [10, 7, 5, 3];

/// Base scores of the match kinds, out of 100.
const EXACT: u32 = 100;
const PREFIX_MIN: u32 = 70;
const PREFIX_RANGE: u32 = 20;
const STEM: u32 = 85;
const COMPOUND_HEAD: u32 = 62;
const COMPOUND_INNER: u32 = 55;
/// The last part of a query compound found as a term of its own.
const COMPOUND_SPLIT: u32 = 25;
const TYPO: [u32; 3] = [0, 60, 45];
const TYPO_PREFIX: [u32; 3] = [0, 50, 25];
/// German inflection endings that a query word may carry beyond a term,
/// folded. Typo matching covers longer differences.
const INFLECTION_ENDINGS: [&str; 8] = ["e", "n", "s", "en", "er", "es", "em", "ern"];
/// Synonyms shorter than this many letters match only whole words.
const MIN_SYNONYM_PREFIX: usize = 6;
/// Number of ways to split a query compound that are searched.
const MAX_SPLITS: usize = 3;
/// Query words shorter than this many bytes are not split into compound parts.
const MIN_SPLIT_WORD: usize = 8;
/// Terms shorter than this many bytes never match as typos.
const MIN_TYPO_TERM: usize = 4;
/// Any typo match whose start differs from the query's by more than a slip
/// of the finger, see [`is_plausible_start`]. Terms that start with neither
/// of the query's first two bytes are not searched at all.
const TYPO_AT_START: u32 = 15;

/// A synonym match scores this many tenths of a direct match, so an exact
/// synonym (800 in the name) stays below a direct stem match (850).
const SYNONYM_TENTHS: u32 = 8;
/// The parts of a split compound score this many tenths: they stand for the
/// whole typed word, so they rank above synonyms.
const SPLIT_TENTHS: u32 = 9;
/// A word whose best match scores below this is a weak match: a typo or a
/// mere prefix in the description, a typo in a long keyword list.
const STRONG_MIN: u32 = 280;
/// Bonus when all query words match inside the name, shared across its words.
const NAME_COVERAGE_BONUS: u32 = 60;
/// Bonus per word typed with umlauts or ß that the name spells the same way.
const SPELLING_BONUS: u32 = 20;
/// Query words are cut to this many bytes; no German word is longer.
const MAX_WORD_BYTES: usize = 64;
/// Query words beyond this many are ignored.
const MAX_QUERY_WORDS: usize = 12;
/// Sort key weight of each matched word, above any sum of word scores.
const MATCHED_WORD_WEIGHT: u32 = 1_000_000;

impl Index {
    /// Builds the index of `catalogue`, including its own synonym groups.
    pub fn new(catalogue: &Catalogue) -> Index {
        let mut builder = TermCollector::default();
        let mut services = Vec::with_capacity(catalogue.services.len());
        let mut categories = Vec::new();

        for (number, service) in catalogue.services.iter().enumerate() {
            let name_words = builder.add_service(number as u32, service);
            let mut own_categories = Vec::new();
            let tagged = service
                .lebenslagen
                .iter()
                .map(|name| (FacetKind::Lebenslage, name))
                .chain(service.themenfelder.iter().map(|name| (FacetKind::Themenfeld, name)));
            for (kind, name) in tagged {
                // Catalogues have tens of categories, so a linear search is
                // cheaper in code size than a map.
                let known = categories.iter().position(|(known_kind, known_name)| *known_kind == kind && known_name == name);
                let id = match known {
                    Some(position) => position as u32,
                    None => {
                        categories.push((kind, name.clone()));
                        (categories.len() - 1) as u32
                    }
                };
                if !own_categories.contains(&id) {
                    own_categories.push(id);
                }
            }
            services.push(ServiceInfo {
                name: service.name.clone(),
                name_light: fold_light(&service.name),
                name_words,
                online: service.online_url.as_deref().is_some_and(|url| !url.trim().is_empty()),
                categories: own_categories,
            });
        }

        let (vocabulary, posting_starts, postings) = builder.finish();
        Index {
            vocabulary,
            posting_starts,
            postings,
            services,
            categories,
            synonyms: Synonyms::new(&catalogue.synonyms),
        }
    }

    /// Number of distinct terms in the vocabulary.
    pub fn term_count(&self) -> usize {
        self.vocabulary.len()
    }

    /// Returns the names of all Lebenslagen and Themenfelder of the
    /// catalogue, sorted by byte value, each name once even when it is both.
    pub fn category_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.categories.iter().map(|(_, name)| name.clone()).collect();
        order::sort_by(&mut names, |a, b| a.cmp(b));
        names.dedup();
        names
    }

    /// Searches the catalogue for `query`.
    ///
    /// An empty query (or one of punctuation only) returns no hits, unless a
    /// category or `online_only` is set: then every service that passes the
    /// filters is a hit, in catalogue order.
    pub fn search(&self, query: &str, options: &SearchOptions) -> SearchResult {
        let words = query_words(query);
        if words.is_empty() {
            return self.browse(options);
        }

        let mut units = self.synonyms.units(&words);
        for unit in &mut units {
            self.add_compound_split(unit);
            self.add_synonym_completions(unit);
        }
        if units.iter().all(|unit| unit.optional) {
            for unit in &mut units {
                unit.optional = false;
            }
        }
        let required = units.iter().filter(|unit| !unit.optional).count();

        let mut scratch = Scratch::default();
        let mut unit_scores = Vec::with_capacity(units.len());
        for unit in &units {
            unit_scores.push(self.score_unit(unit, &mut scratch));
        }
        let weights = self.rarity_weights(&unit_scores);

        let mut seen = vec![false; self.services.len()];
        let mut touched = Vec::new();
        for unit in &unit_scores {
            for &service in &unit.touched {
                if !std::mem::replace(&mut seen[service as usize], true) {
                    touched.push(service as usize);
                }
            }
        }

        let mut candidates = Vec::new();
        for service in touched {
            if options.online_only && !self.services[service].online {
                continue;
            }
            if let Some(candidate) = self.rate(service, &units, &unit_scores, &weights) {
                candidates.push(candidate);
            }
        }

        // Services that match every word make the result when one of them
        // is a strong hit; otherwise partial matches are all there is,
        // marked weak.
        if candidates.iter().any(|c| c.matched == required && !c.weak) {
            candidates.retain(|c| c.matched == required);
        }

        let facets = self.count_facets(candidates.iter().map(|c| c.service));
        if let Some(category) = &options.category {
            candidates.retain(|c| self.in_category(c.service, category));
        }

        // Every key ends in the service number, so the order is total.
        order::sort_by(&mut candidates, |a, b| {
            a.weak
                .cmp(&b.weak)
                .then(b.score.cmp(&a.score))
                .then(self.services[a.service].name_words.cmp(&self.services[b.service].name_words))
                .then(a.service.cmp(&b.service))
        });

        let total = candidates.len();
        let hits = candidates
            .iter()
            .take(options.max_results)
            .map(|c| Hit {
                service: c.service,
                score: c.score,
                weak: c.weak,
                name_highlights: self.highlight(&self.services[c.service].name, &scratch.highlight_terms),
            })
            .collect();
        SearchResult { hits, total, facets }
    }

    /// Lists the services that pass the filters when there is no query.
    fn browse(&self, options: &SearchOptions) -> SearchResult {
        if options.category.is_none() && !options.online_only {
            return SearchResult::default();
        }
        let passing: Vec<usize> = (0..self.services.len())
            .filter(|&service| !options.online_only || self.services[service].online)
            .collect();
        let facets = self.count_facets(passing.iter().copied());
        let hits: Vec<Hit> = passing
            .into_iter()
            .filter(|&service| options.category.as_ref().is_none_or(|c| self.in_category(service, c)))
            .map(|service| Hit { service, score: 0, weak: false, name_highlights: Vec::new() })
            .collect();
        let total = hits.len();
        SearchResult { hits: hits.into_iter().take(options.max_results).collect(), total, facets }
    }

    fn in_category(&self, service: usize, category: &str) -> bool {
        self.services[service]
            .categories
            .iter()
            .any(|&id| self.categories[id as usize].1 == category)
    }

    fn count_facets(&self, services: impl Iterator<Item = usize>) -> Vec<Facet> {
        let mut counts = vec![0usize; self.categories.len()];
        for service in services {
            for &id in &self.services[service].categories {
                counts[id as usize] += 1;
            }
        }
        let mut facets: Vec<Facet> = counts
            .into_iter()
            .enumerate()
            .filter(|&(_, count)| count > 0)
            .map(|(id, count)| {
                let (kind, name) = &self.categories[id];
                Facet { name: name.clone(), kind: *kind, count }
            })
            .collect();
        order::sort_by(&mut facets, |a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)).then(a.name.cmp(&b.name)));
        facets
    }

    /// Returns a weight per query word, in thousandths: the rarest word
    /// weighs 1000, and a word that matches many services weighs less, so
    /// "Perso beantragen" ranks by "Perso" when nothing matches both words.
    /// The weight is the inverse document frequency `ln(1 + N / matches)`
    /// relative to that of the rarest word, where `matches` counts strong
    /// matches (any matches if there are none).
    fn rarity_weights(&self, unit_scores: &[UnitScores]) -> Vec<u32> {
        let services = self.services.len() as f64;
        let rarity: Vec<f64> = unit_scores
            .iter()
            .map(|unit| {
                let scores = unit.touched.iter().map(|&service| unit.scores[service as usize]);
                let strong = scores.clone().filter(|&score| score >= STRONG_MIN).count();
                let matches = if strong > 0 { strong } else { scores.filter(|&score| score > 0).count() };
                if matches == 0 {
                    0.0
                } else {
                    (1.0 + services / matches as f64).ln()
                }
            })
            .collect();
        let rarest = rarity.iter().copied().fold(0.0, f64::max);
        rarity
            .iter()
            .map(|&value| if rarest > 0.0 { (value / rarest * 1000.0) as u32 } else { 1000 })
            .collect()
    }

    /// Combines the per-word scores of one service, or `None` if no word matched.
    ///
    /// A word counts as matched when its score reaches [`STRONG_MIN`]; weaker
    /// matches add to the score but leave the hit weak. A hit is also weak,
    /// and counts no matched words, when every word matched only in the
    /// description, because a service that merely mentions the words is
    /// rarely the one sought.
    fn rate(&self, service: usize, units: &[Unit], unit_scores: &[UnitScores], weights: &[u32]) -> Option<Candidate> {
        let info = &self.services[service];
        let mut matched = 0u32;
        let mut required_matched = true;
        let mut any = false;
        let mut beyond_description = false;
        let mut sum = 0u32;
        let mut in_name = 0u32;

        for ((unit, scores), &weight) in units.iter().zip(unit_scores).zip(weights) {
            let score = scores.scores[service];
            let field = scores.fields[service];
            if score >= STRONG_MIN && !unit.optional {
                matched += 1;
            } else if !unit.optional {
                required_matched = false;
            }
            if score == 0 {
                continue;
            }

            any = true;
            beyond_description |= field != Field::Description as u8;
            sum += score * weight / 1000;
            if field == Field::Name as u8 {
                in_name += 1;
                if let Some(light) = &unit.light {
                    if contains_at_word_start(&info.name_light, light) {
                        sum += SPELLING_BONUS;
                    }
                }
            }
        }
        if !any {
            return None;
        }

        sum += NAME_COVERAGE_BONUS * in_name.min(info.name_words) / info.name_words.max(1);
        // A service that mentions the words only in its description ranks
        // below every service that has one of them in its name or keywords.
        let ranked = if beyond_description { matched } else { 0 };
        let weak = !required_matched || !beyond_description;
        Some(Candidate { service, matched: matched as usize, score: ranked * MATCHED_WORD_WEIGHT + sum, weak })
    }

    /// Scores every service for one query word and its synonyms.
    fn score_unit(&self, unit: &Unit, scratch: &mut Scratch) -> UnitScores {
        let mut best = UnitScores::new(self.services.len());
        // The per-word scores live in two dense arrays reused across words,
        // since allocating and zeroing one per word cost more than scoring
        // on large catalogues.
        let mut combined = std::mem::take(&mut scratch.combined);
        let mut word_scores = std::mem::take(&mut scratch.word_scores);
        for alternative in &unit.alternatives {
            let mode = match (alternative.synonym, unit.known_term) {
                (true, _) => MatchMode::Synonym,
                (false, true) => MatchMode::TypedKnownTerm,
                (false, false) => MatchMode::Typed,
            };
            let several = alternative.words.len() > 1;
            for (position, word) in alternative.words.iter().enumerate() {
                let scores = if position == 0 { &mut combined } else { &mut word_scores };
                scores.clear(self.services.len());
                self.score_word(word, mode, scratch, scores);
                if several {
                    // Each word of a phrase must match well; a typo at the
                    // start ("abmeldung" for "anmelden") does not count.
                    for &service in &scores.touched {
                        if scores.scores[service as usize] < STRONG_MIN {
                            scores.scores[service as usize] = 0;
                        }
                    }
                }
                if position == 0 {
                    continue;
                }
                // Every word of the alternative must match, and the best
                // of them sets the score: two words of a synonym found
                // together are no weaker evidence than one.
                for &service in &combined.touched {
                    let service = service as usize;
                    if word_scores.scores[service] == 0 {
                        combined.scores[service] = 0;
                    } else if word_scores.scores[service] > combined.scores[service] {
                        combined.scores[service] = word_scores.scores[service];
                        combined.fields[service] = word_scores.fields[service];
                    }
                }
            }
            if alternative.words.is_empty() {
                continue;
            }
            for &service in &combined.touched {
                let service = service as usize;
                let score = combined.scores[service] * alternative.tenths / 10;
                best.raise(service, score, combined.fields[service]);
            }
        }
        scratch.combined = combined;
        scratch.word_scores = word_scores;
        best
    }

    /// Scores every service for one folded word into `result`, which must
    /// be clear.
    fn score_word(&self, word: &str, mode: MatchMode, scratch: &mut Scratch, result: &mut UnitScores) {
        scratch.matches.clear();
        self.match_terms(word, mode, scratch);

        for found in &scratch.matches {
            let term = found.term as usize;
            let postings = &self.postings[self.posting_starts[term] as usize..self.posting_starts[term + 1] as usize];
            for &posting in postings {
                let field = posting & 3;
                result.raise((posting >> 2) as usize, found.base * FIELD_WEIGHTS[field as usize], field as u8);
            }
            scratch.highlight_terms.push((found.term, found.part.clone()));
        }
    }

    /// Finds the vocabulary terms that `word` matches and pushes them to
    /// `scratch.matches`.
    fn match_terms(&self, word: &str, mode: MatchMode, scratch: &mut Scratch) {
        let letters = word.chars().count();
        // A short synonym such as "Perso" or "Kfz" stands for a whole word:
        // as a prefix or compound part it would reach unrelated words
        // ("Personenbeförderung").
        let whole_word_only = mode == MatchMode::Synonym && letters < MIN_SYNONYM_PREFIX;

        let prefixed = self.vocabulary.prefixed(word);
        for number in prefixed.clone() {
            let term = self.vocabulary.term(number);
            let base = if term.len() == word.len() {
                EXACT
            } else if whole_word_only {
                continue;
            } else {
                let prefix = PREFIX_MIN + PREFIX_RANGE * word.len() as u32 / term.len() as u32;
                // "Perso" means the Personalausweis of its synonym group
                // more than the "Person" that it starts.
                if mode == MatchMode::TypedKnownTerm {
                    prefix * SYNONYM_TENTHS / 10
                } else {
                    prefix
                }
            };
            scratch.matches.push(TermMatch { term: number as u32, base, part: 0..word.len() });
        }

        self.match_stems(word, scratch);
        if mode != MatchMode::Synonym {
            self.match_compound_head(word, scratch);
        }

        let compound_start = scratch.matches.len();
        if letters >= 4 && !whole_word_only {
            self.match_compound_parts(word, scratch);
        }
        let compound = compound_start..scratch.matches.len();
        let bound = if mode == MatchMode::Synonym { 0 } else { max_edits(letters) };
        if bound > 0 {
            self.match_typos(word, letters, bound, prefixed, compound, scratch);
        }
    }

    /// Adds the parts of a typed compound as an alternative when both are
    /// terms of their own: "Wohnsitzanmeldung" also searches "Wohnsitz"
    /// together with "Anmeldung", for catalogues that write them apart.
    /// Several splits may apply ("Hundesteuer" + "Befreiung", "Hunde" +
    /// "Steuerbefreiung"); the ones with the longest heads are kept.
    fn add_compound_split(&self, unit: &mut Unit) {
        let Some(literal) = unit.alternatives.first() else { return };
        let [word] = literal.words.as_slice() else { return };
        // A word from a synonym group means that group, not its parts:
        // "Aufenthaltsgenehmigung" is no "Genehmigung" of an "Aufenthalt".
        if literal.synonym || unit.known_term || word.len() < MIN_SPLIT_WORD {
            return;
        }
        let splits = word.char_indices().map(|(offset, _)| offset).filter(|&offset| offset >= 3).filter_map(|offset| {
            let (Some(modifier), Some(head)) = (word.get(..offset), word.get(offset..)) else { return None };
            if head.len() < 4 || self.vocabulary.find(head).is_none() {
                return None;
            }
            // German joins parts with a linking "s" ("Zweitwohnungssteuer").
            let linked = modifier.strip_suffix('s').filter(|stem| stem.len() >= 3);
            let modifier = [Some(modifier), linked].into_iter().flatten().find(|part| self.vocabulary.find(part).is_some())?;
            Some(vec![modifier.to_owned(), head.to_owned()])
        });
        let splits: Vec<Vec<String>> = splits.take(MAX_SPLITS).collect();
        for words in splits {
            unit.alternatives.push(Alternative { words, synonym: true, tenths: SPLIT_TENTHS });
        }
    }

    /// Adds the groups of synonym terms that the word being typed starts,
    /// when the word starts no term of the catalogue: "Angelsch" already
    /// finds "Fischereischein" in a catalogue without the word "Angelschein".
    fn add_synonym_completions(&self, unit: &mut Unit) {
        let Some(literal) = unit.alternatives.first() else { return };
        let [word] = literal.words.as_slice() else { return };
        if !unit.typing || unit.known_term || word.chars().count() < 4 || !self.vocabulary.prefixed(word).is_empty() {
            return;
        }
        for words in self.synonyms.completions(word) {
            if !unit.alternatives.iter().any(|existing| existing.words == words) {
                unit.alternatives.push(Alternative::synonym(words));
            }
        }
    }

    /// Finds the longest term that ends the compound `word`, so that
    /// "Kinderreisepass" finds "Reisepass". The match stays weak, since the
    /// rest of the compound may matter ("Grundsteuerbescheid" is not any
    /// "Bescheid").
    fn match_compound_head(&self, word: &str, scratch: &mut Scratch) {
        if word.len() < MIN_SPLIT_WORD {
            return;
        }
        let heads = word.char_indices().map(|(offset, _)| offset).filter(|&offset| offset >= 3);
        for offset in heads {
            let head = part(word, offset..word.len());
            if head.len() < 4 {
                break;
            }
            if let Some(term) = self.vocabulary.find(head) {
                scratch.matches.push(TermMatch { term, base: COMPOUND_SPLIT, part: 0..head.len() });
                break;
            }
        }
    }

    /// Finds terms that equal `word` without an inflection ending ("neuer"
    /// finds "neu", "Hunde" finds "Hund") and the noun or verb that `word`
    /// is derived from or to ("anmelden" finds "Anmeldung" and "Anmeldungen",
    /// "Änderung" finds "ändern").
    fn match_stems(&self, word: &str, scratch: &mut Scratch) {
        for ending in INFLECTION_ENDINGS {
            let Some(stem) = word.strip_suffix(ending) else { continue };
            if stem.len() < 3 {
                continue;
            }
            if let Some(term) = self.vocabulary.find(stem) {
                scratch.matches.push(TermMatch { term, base: STEM, part: 0..stem.len() });
            }
        }

        let verb_stem = word.strip_suffix("en").or_else(|| word.strip_suffix('n'));
        if let Some(stem) = verb_stem.filter(|stem| stem.len() >= 3) {
            let noun = concat(stem, "ung");
            for number in self.vocabulary.prefixed(&noun) {
                scratch.matches.push(TermMatch { term: number as u32, base: STEM, part: 0..noun.len() });
            }
        }
        if let Some(stem) = word.strip_suffix("ung").filter(|stem| stem.len() >= 3) {
            for ending in ["en", "n"] {
                let verb = concat(stem, ending);
                if let Some(term) = self.vocabulary.find(&verb) {
                    scratch.matches.push(TermMatch { term, base: STEM, part: 0..verb.len() });
                }
            }
        }
    }

    /// Finds terms that contain `word` after their first letter.
    fn match_compound_parts(&self, word: &str, scratch: &mut Scratch) {
        self.vocabulary.for_each_containing(word, |number, position| {
            let head = position + word.len() == self.vocabulary.term(number as usize).len();
            let base = if head { COMPOUND_HEAD } else { COMPOUND_INNER };
            scratch.matches.push(TermMatch { term: number, base, part: position..position + word.len() });
        });
    }

    /// Finds terms within `bound` edits of `word`, or (from five letters)
    /// with a prefix that close, by walking the sorted vocabulary like a
    /// trie. Terms in `prefixes` already matched exactly, and the matches
    /// at `compound` in `scratch.matches` (ordered by term) as compound parts.
    ///
    /// Only terms that start with the word's first byte, or with its second
    /// (the first two letters swapped), are walked. A term with any other
    /// first letter could only score [`TYPO_AT_START`], a weak match, and
    /// skipping those terms makes the walk several times faster.
    fn match_typos(
        &self,
        word: &str,
        letters: usize,
        bound: u8,
        prefixes: Range<usize>,
        compound: Range<usize>,
        scratch: &mut Scratch,
    ) {
        let query = word.as_bytes();
        let Some(&first) = query.first() else { return };
        let second = query.get(1).copied().unwrap_or(first);
        // Walking in term order keeps `compound` and the table's row reuse in step.
        let subtrees = [first.min(second), first.max(second)];
        let mut next_compound = compound.start;
        scratch.table.reset(query, bound);

        for (position, &byte) in subtrees.iter().enumerate() {
            if position == 1 && byte == subtrees[0] {
                break;
            }
            let subtree = self.vocabulary.starting_with_byte(byte);
            let mut number = subtree.start;
            while number < subtree.end {
                if prefixes.contains(&number) {
                    number = prefixes.end;
                    continue;
                }
                let term = self.vocabulary.term(number).as_bytes();
                let found = match scratch.table.measure(term) {
                    Ok(found) => found,
                    Err(hopeless) => {
                        // Skip every term that starts with the same hopeless bytes.
                        number = self.vocabulary.end_of_prefix(number, term.get(..hopeless).unwrap_or(term));
                        continue;
                    }
                };
                let this = number;
                number += 1;
                let Some(found) = found else { continue };
                // Short terms are too easy to reach: "hund" is one edit from "und".
                if term.len() < MIN_TYPO_TERM {
                    continue;
                }
                let (mut base, part) = match found.whole {
                    Some(edits) => (TYPO[edits as usize], 0..term.len()),
                    // Typo-tolerant prefixes only from five letters: shorter
                    // ones match a large part of the vocabulary.
                    None if letters >= 5 => (TYPO_PREFIX[found.prefix as usize], 0..found.prefix_len),
                    None => continue,
                };
                if !is_plausible_start(query, term) {
                    base = TYPO_AT_START;
                }
                while next_compound < compound.end && (scratch.matches[next_compound].term as usize) < this {
                    next_compound += 1;
                }
                let is_compound = next_compound < compound.end && scratch.matches[next_compound].term as usize == this;
                if !is_compound {
                    scratch.matches.push(TermMatch { term: this as u32, base, part });
                }
            }
        }
    }

    /// Returns the byte ranges of `name` that the matched terms cover.
    fn highlight(&self, name: &str, matched: &[(u32, Range<usize>)]) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        let mut joined = String::new();
        let mut folded = String::new();
        let mut ends = Vec::new();
        for_each_name_word(name, |word| {
            let Some(term) = self.vocabulary.find(word.folded) else { return };
            let single = [word.range.clone()];
            let pieces = word.pieces.unwrap_or(&single);
            joined.clear();
            for piece in pieces {
                joined.push_str(part(name, piece.clone()));
            }
            fold_with_offsets(&joined, &mut folded, &mut ends);

            for (_, part) in matched.iter().filter(|(id, _)| *id == term) {
                // Map the part back onto the words that make up the term.
                let local = map_folded_range(&ends, part);
                let mut offset = 0;
                for piece in pieces {
                    let piece_end = offset + piece.len();
                    let start = local.start.max(offset);
                    let end = local.end.min(piece_end);
                    if start < end {
                        ranges.push(piece.start + start - offset..piece.start + end - offset);
                    }
                    offset = piece_end;
                }
            }
        });
        merge_ranges(ranges)
    }
}

/// Kinds of matching allowed for a query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MatchMode {
    /// Typed by the user: typos are tolerated.
    Typed,
    /// Typed by the user and a term of a synonym group: as [`Typed`], but
    /// longer words that it is a prefix of score like synonyms.
    ///
    /// [`Typed`]: MatchMode::Typed
    TypedKnownTerm,
    /// Taken from a synonym group, spelled correctly: no typo matching.
    Synonym,
}

/// A vocabulary term that a query word matched.
#[derive(Debug, Clone)]
struct TermMatch {
    term: u32,
    base: u32,
    /// The matched bytes of the folded term, for highlighting.
    part: Range<usize>,
}

/// Buffers reused while one query runs.
#[derive(Debug, Default)]
struct Scratch {
    table: Table,
    matches: Vec<TermMatch>,
    highlight_terms: Vec<(u32, Range<usize>)>,
    /// Scores of the first word of an alternative, combined with the rest.
    combined: UnitScores,
    /// Scores of a further word of an alternative.
    word_scores: UnitScores,
}

/// Best score of one query word (or unit) in each service.
#[derive(Debug, Clone, Default)]
struct UnitScores {
    scores: Vec<u32>,
    /// Field of the best match, as a [`Field`] discriminant.
    fields: Vec<u8>,
    /// Services with a score above zero, in the order they were first found.
    touched: Vec<u32>,
}

impl UnitScores {
    fn new(services: usize) -> UnitScores {
        UnitScores { scores: vec![0; services], fields: vec![Field::Description as u8; services], touched: Vec::new() }
    }

    /// Resets every score to zero for `services` services, touching only
    /// the entries that were set.
    fn clear(&mut self, services: usize) {
        if self.scores.len() != services {
            *self = UnitScores::new(services);
            return;
        }
        for &service in &self.touched {
            self.scores[service as usize] = 0;
            self.fields[service as usize] = Field::Description as u8;
        }
        self.touched.clear();
    }

    /// Records `score` for `service` if it beats the best so far.
    fn raise(&mut self, service: usize, score: u32, field: u8) {
        let best = &mut self.scores[service];
        if score > *best {
            if *best == 0 {
                self.touched.push(service as u32);
            }
            *best = score;
            self.fields[service] = field;
        }
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    service: usize,
    matched: usize,
    score: u32,
    weak: bool,
}

/// A word of the query.
#[derive(Debug, Clone)]
struct QueryWord {
    folded: String,
    /// The word in light fold, when it has umlauts or ß.
    light: Option<String>,
    /// True for a word of [`SOFT_WORDS`].
    soft: bool,
    /// True for the last word while it is still being typed (no space or
    /// punctuation after it yet).
    typing: bool,
}

/// Search target of one query word (or a phrase from a synonym group):
/// the word itself or any of its synonyms.
#[derive(Debug, Clone)]
struct Unit {
    alternatives: Vec<Alternative>,
    light: Option<String>,
    /// True when a service that lacks this unit still matches the query.
    optional: bool,
    /// True when the query word itself is a term of a synonym group.
    known_term: bool,
    /// True when the unit is the last word and still being typed.
    typing: bool,
}

/// One way to match a query word; all `words` must match (a synonym may
/// have several words).
#[derive(Debug, Clone)]
struct Alternative {
    words: Vec<String>,
    /// True for words the user did not type as they are: synonyms and the
    /// parts of a split compound. They match without typo tolerance.
    synonym: bool,
    /// Share of the match score that counts, in tenths.
    tenths: u32,
}

impl Alternative {
    fn typed(words: Vec<String>) -> Alternative {
        Alternative { words, synonym: false, tenths: 10 }
    }

    fn synonym(words: Vec<String>) -> Alternative {
        Alternative { words, synonym: true, tenths: SYNONYM_TENTHS }
    }
}

/// Splits a query into words, dropping stop words unless nothing else is
/// left. The last word is kept even if it is a stop word while it may still
/// be the start of a longer word being typed.
fn query_words(query: &str) -> Vec<QueryWord> {
    let mut words = Vec::new();
    for_each_token(query, |folded, range| {
        let folded = truncate_at_char(folded, MAX_WORD_BYTES);
        let original = part(query, range);
        let light = fold_light(original);
        let light = light.chars().any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'ß')).then_some(light);
        let soft = SOFT_WORDS.contains(&folded);
        words.push(QueryWord { folded: folded.to_owned(), light, soft, typing: false });
    });
    let typing_last = query.chars().last().is_some_and(is_word_char) && words.len() <= MAX_QUERY_WORDS;
    words.truncate(MAX_QUERY_WORDS);
    let last = words.len().saturating_sub(1);
    if let Some(word) = words.last_mut() {
        word.typing = typing_last;
    }
    let meaningful: Vec<QueryWord> = words
        .iter()
        .enumerate()
        .filter(|(position, word)| {
            (typing_last && *position == last) || !STOP_WORDS.contains(&word.folded.as_str())
        })
        .map(|(_, word)| word.clone())
        .collect();
    if meaningful.is_empty() {
        words
    } else {
        meaningful
    }
}

/// Synonym groups in folded form, built-in groups first.
#[derive(Debug, Clone, Default)]
struct Synonyms {
    /// Terms of each group, every term as its folded words.
    groups: Vec<Vec<Vec<String>>>,
    /// Single-word terms, sorted: folded term, group number.
    single_words: Vec<(String, u32)>,
    /// Terms of several words, longest first: folded words, group number.
    phrases: Vec<(Vec<String>, u32)>,
}

impl Synonyms {
    fn new(extra: &[Vec<String>]) -> Synonyms {
        let built_in = synonyms::BUILT_IN_TEXT.lines().map(|line| line.split('|').filter(|term| !term.is_empty()).collect());
        let extra = extra.iter().map(|group| group.iter().map(String::as_str).collect());
        let mut synonyms = Synonyms::default();
        for group in built_in.chain(extra) {
            let group: Vec<&str> = group;
            let terms: Vec<Vec<String>> = group.iter().map(|term| term_words(term)).filter(|words| !words.is_empty()).collect();
            if terms.len() < 2 {
                continue;
            }
            let number = synonyms.groups.len() as u32;
            for words in &terms {
                if words.len() == 1 {
                    synonyms.single_words.push((words[0].clone(), number));
                } else {
                    synonyms.phrases.push((words.clone(), number));
                }
            }
            synonyms.groups.push(terms);
        }
        order::sort_by(&mut synonyms.single_words, |a, b| a.cmp(b));
        synonyms.single_words.dedup();
        order::sort_by(&mut synonyms.phrases, |a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        synonyms
    }

    /// Groups the query words into units: a run of words that forms a
    /// several-word synonym ("Hartz IV") becomes one unit, every other word
    /// a unit of its own.
    fn units(&self, words: &[QueryWord]) -> Vec<Unit> {
        let mut units = Vec::with_capacity(words.len());
        let mut position = 0;
        while position < words.len() {
            let rest = &words[position..];
            let phrase = self.phrases.iter().find(|(phrase, _)| {
                phrase.len() <= rest.len() && phrase.iter().zip(rest).all(|(part, word)| *part == word.folded)
            });
            match phrase {
                Some((phrase, group)) => {
                    let mut alternatives = vec![Alternative::typed(phrase.clone())];
                    for other in &self.groups[*group as usize] {
                        if other != phrase {
                            alternatives.push(Alternative::synonym(other.clone()));
                        }
                    }
                    units.push(Unit { alternatives, light: None, optional: false, known_term: true, typing: false });
                    position += phrase.len();
                }
                None => {
                    units.push(self.expand(&words[position]));
                    position += 1;
                }
            }
        }
        units
    }

    /// Returns the terms of every group that has a single-word term starting
    /// with `prefix`.
    fn completions(&self, prefix: &str) -> Vec<Vec<String>> {
        let first = self.single_words.partition_point(|(term, _)| term.as_str() < prefix);
        let mut groups: Vec<u32> = self.single_words[first..]
            .iter()
            .take_while(|(term, _)| term.starts_with(prefix))
            .map(|&(_, group)| group)
            .collect();
        order::sort_positions(&mut groups, &|a, b| a.cmp(&b));
        groups.dedup();
        groups.iter().flat_map(|&group| self.groups[group as usize].iter().cloned()).collect()
    }

    /// Returns the unit of one query word with the alternatives that its
    /// synonyms add.
    fn expand(&self, word: &QueryWord) -> Unit {
        let folded = &word.folded;
        let mut alternatives = vec![Alternative::typed(vec![folded.clone()])];
        let mut add = |words: Vec<String>| {
            if !alternatives.iter().any(|existing| existing.words == words) {
                alternatives.push(Alternative::synonym(words));
            }
        };

        let mut known_term = false;
        let (Some(&first), Some(&last)) = (folded.as_bytes().first(), folded.as_bytes().last()) else {
            return Unit { alternatives, light: word.light.clone(), optional: word.soft, known_term, typing: word.typing };
        };
        for (term, group) in &self.single_words {
            // Comparing the outer bytes first skips most terms cheaply.
            let bytes = term.as_bytes();
            if bytes.first() != Some(&first) && bytes.last() != Some(&last) {
                continue;
            }
            let group = &self.groups[*group as usize];
            if term == folded {
                known_term = true;
                for other in group {
                    add(other.clone());
                }
            } else if term.len() >= 4 && folded.len() >= term.len() + 3 {
                // The word is a compound with a synonym at its start or end:
                // swap in the single-word synonyms.
                if let Some(rest) = folded.strip_prefix(term.as_str()) {
                    for other in group.iter().filter(|words| words.len() == 1) {
                        add(vec![concat(&other[0], rest)]);
                    }
                } else if let Some(rest) = folded.strip_suffix(term.as_str()) {
                    for other in group.iter().filter(|words| words.len() == 1) {
                        add(vec![concat(rest, &other[0])]);
                    }
                }
            }
        }
        Unit { alternatives, light: word.light.clone(), optional: word.soft, known_term, typing: word.typing }
    }
}

/// Returns the folded words of a synonym term, without stop words unless
/// the term has nothing else ("Grundsicherung für Arbeitsuchende").
fn term_words(term: &str) -> Vec<String> {
    let words: Vec<String> = crate::text::tokens(term).into_iter().map(|token| token.folded).collect();
    let meaningful: Vec<String> = words.iter().filter(|word| !STOP_WORDS.contains(&word.as_str())).cloned().collect();
    if meaningful.is_empty() {
        words
    } else {
        meaningful
    }
}

/// Collects terms and postings while the index is built.
///
/// Terms are interned in a hash table of their own (open addressing,
/// FNV-1a), and sorted once at the end: a `BTreeMap` or `HashMap` keyed by
/// `String` would add several kilobytes of WebAssembly for one use.
#[derive(Default)]
struct TermCollector {
    /// Distinct terms in the order they were first added.
    terms: Vec<String>,
    /// Postings of each term in `terms`.
    lists: Vec<Vec<u32>>,
    /// Hash table of term numbers plus one; zero marks a free slot. Its
    /// length is a power of two and at least twice the number of terms.
    slots: Vec<u32>,
}

impl TermCollector {
    /// Adds the terms of one service and returns the number of words in its name.
    fn add_service(&mut self, number: u32, service: &Service) -> u32 {
        let mut name_words = 0;
        for_each_name_word(&service.name, |word| {
            if word.pieces.is_none() {
                name_words += 1;
            }
            self.add(word.folded, number, Field::Name);
        });
        for keyword in service.keywords.iter().chain(service.leika.iter()) {
            for_each_name_word(keyword, |word| self.add(word.folded, number, Field::Keyword));
        }
        if let Some(summary) = &service.summary {
            for_each_token(summary, |folded, _| self.add(folded, number, Field::Summary));
        }
        let description = plain_text(&service.description);
        for_each_token(&description, |folded, _| self.add(folded, number, Field::Description));
        name_words
    }

    /// Records that `term` occurs in `field` of service `number`. Fields are
    /// added best first, so the first posting of a service is its best.
    fn add(&mut self, term: &str, number: u32, field: Field) {
        let posting = number << 2 | field as u32;
        let id = self.intern(term);
        let list = &mut self.lists[id];
        if list.last().is_none_or(|last| last >> 2 != number) {
            list.push(posting);
        }
    }

    /// Returns the number of `term`, adding it if it is new.
    fn intern(&mut self, term: &str) -> usize {
        if (self.terms.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut slot = term_hash(term) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    self.terms.push(term.to_owned());
                    self.lists.push(Vec::new());
                    self.slots[slot] = self.terms.len() as u32;
                    return self.terms.len() - 1;
                }
                id if self.terms[id as usize - 1] == term => return id as usize - 1,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Doubles the hash table and puts every term back in.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mask = size - 1;
        self.slots = vec![0; size];
        for (id, term) in self.terms.iter().enumerate() {
            let mut slot = term_hash(term) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = id as u32 + 1;
        }
    }

    fn finish(self) -> (Vocabulary, Vec<u32>, Vec<u32>) {
        let mut sorted: Vec<u32> = (0..self.terms.len() as u32).collect();
        order::sort_positions(&mut sorted, &|a, b| self.terms[a as usize].cmp(&self.terms[b as usize]));

        let mut posting_starts = Vec::with_capacity(sorted.len() + 1);
        let mut postings = Vec::new();
        for &id in &sorted {
            posting_starts.push(postings.len() as u32);
            postings.extend_from_slice(&self.lists[id as usize]);
        }
        posting_starts.push(postings.len() as u32);
        let vocabulary = Vocabulary::new(sorted.iter().map(|&id| self.terms[id as usize].as_str()));
        (vocabulary, posting_starts, postings)
    }
}

/// Returns the 32-bit FNV-1a hash of `term`.
fn term_hash(term: &str) -> u32 {
    term.bytes().fold(0x811c_9dc5, |hash, byte| (hash ^ byte as u32).wrapping_mul(0x0100_0193))
}

/// A word of a name or keyword, as indexed.
struct NameWord<'a> {
    folded: &'a str,
    /// Byte range of the word in the original text.
    range: Range<usize>,
    /// For a term made by joining hyphenated words ("Kfz-Steuer" →
    /// `kfzsteuer`), the byte ranges of those words.
    pieces: Option<&'a [Range<usize>]>,
}

/// Calls `visit` with every word of `text` and, after each run of words
/// joined by hyphens, with the run written as one word, so that
/// "Gewerbeanmeldung" finds "Gewerbe-Anmeldung".
fn for_each_name_word(text: &str, mut visit: impl FnMut(NameWord<'_>)) {
    visit_name_words(text, &mut visit);
}

/// Does the work of [`for_each_name_word`] behind `dyn`, so the
/// WebAssembly module contains one copy instead of one per caller's closure.
fn visit_name_words(text: &str, visit: &mut dyn FnMut(NameWord<'_>)) {
    let mut words: Vec<(String, Range<usize>)> = Vec::new();
    for_each_token(text, |folded, range| words.push((folded.to_owned(), range)));

    let mut runs: Vec<(String, Vec<Range<usize>>)> = Vec::new();
    let mut run: Vec<Range<usize>> = Vec::new();
    let mut joined = String::new();
    for (index, (_, range)) in words.iter().enumerate() {
        let continues = index > 0 && is_hyphen_gap(part(text, words[index - 1].1.end..range.start));
        if !continues {
            push_run(&mut runs, &mut run, &mut joined);
        }
        run.push(range.clone());
        joined.push_str(part(text, range.clone()));
    }
    push_run(&mut runs, &mut run, &mut joined);

    for (folded, range) in &words {
        visit(NameWord { folded, range: range.clone(), pieces: None });
    }
    for (folded, pieces) in &runs {
        let range = pieces[0].start..pieces[pieces.len() - 1].end;
        visit(NameWord { folded, range, pieces: Some(pieces) });
    }
}

/// Adds a finished run of hyphenated words, folded as one word, to `runs`.
fn push_run(runs: &mut Vec<(String, Vec<Range<usize>>)>, run: &mut Vec<Range<usize>>, joined: &mut String) {
    if run.len() > 1 {
        runs.push((fold(joined), std::mem::take(run)));
    }
    run.clear();
    joined.clear();
}

/// Returns true when the text between two words is a single hyphen.
fn is_hyphen_gap(gap: &str) -> bool {
    matches!(gap, "-" | "\u{2010}" | "\u{2011}")
}


/// Returns false when the first two letters of `query` and `term` differ in
/// a way that more often means another word than a typo. That is a
/// different first letter, or a different second letter that no missing,
/// extra or swapped letter explains. "anmelden" is no typo of "abmelden",
/// but "gwerbe" is one of "gewerbe".
fn is_plausible_start(query: &[u8], term: &[u8]) -> bool {
    let at = |bytes: &[u8], index: usize| bytes.get(index).copied();
    if query.get(..2) == term.get(..2) {
        return true;
    }
    if at(query, 0) != at(term, 0) {
        return at(query, 0) == at(term, 1) && at(query, 1) == at(term, 0);
    }
    let missing = at(query, 1) == at(term, 2);
    let extra = at(query, 2) == at(term, 1);
    missing || extra
}

/// Returns the longest prefix of `text` of at most `max` bytes that ends on
/// a character boundary.
fn truncate_at_char(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    part(text, 0..end)
}

/// Returns true when `word` occurs in `text` at the start of a word.
fn contains_at_word_start(text: &str, word: &str) -> bool {
    let mut before = None;
    for (position, c) in text.char_indices() {
        if before.is_none_or(|before| !is_word_char(before)) && part(text, position..text.len()).starts_with(word) {
            return true;
        }
        before = Some(c);
    }
    false
}

/// Returns `first` followed by `second`, without the formatting code that
/// `format!` adds to the WebAssembly module at every call.
fn concat(first: &str, second: &str) -> String {
    let mut text = String::with_capacity(first.len() + second.len());
    text.push_str(first);
    text.push_str(second);
    text
}

/// Returns `text[range]`, or `""` when the range does not fall on character
/// boundaries inside `text`. Every range here comes from the same text, so
/// the fallback never shows; unlike indexing, it cannot panic, and it keeps
/// the panic message machinery for string slices out of the WebAssembly
/// module.
fn part(text: &str, range: Range<usize>) -> &str {
    text.get(range).unwrap_or("")
}

/// Turns a byte range of a folded word into a byte range of the original,
/// using the pairs from [`fold_with_offsets`]. The end moves past
/// characters that fold to nothing, so combining marks stay with their
/// letter.
fn map_folded_range(ends: &[(usize, usize)], part: &Range<usize>) -> Range<usize> {
    let first = ends.iter().position(|&(folded_end, _)| folded_end > part.start).unwrap_or(ends.len());
    let start = if first == 0 { 0 } else { ends[first - 1].1 };
    let mut last = ends.iter().position(|&(folded_end, _)| folded_end >= part.end).unwrap_or(ends.len().saturating_sub(1));
    while last + 1 < ends.len() && ends[last + 1].0 == ends[last].0 {
        last += 1;
    }
    let end = ends.get(last).map_or(start, |&(_, original_end)| original_end);
    start..end.max(start)
}

fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    order::sort_by(&mut ranges, |a, b| (a.start, a.end).cmp(&(b.start, b.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(previous) if range.start <= previous.end => previous.end = previous.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests;
