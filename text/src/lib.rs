//! Folding and tokenising of German text for matching.
//!
//! *Folding* maps every spelling that a German reader treats as the same word
//! to one form. It lowercases and removes accents and umlaut dots (`ä` → `a`,
//! also when the dots come as a separate combining mark). It spells `ß` and
//! `ẞ` as `ss` and reads the digraphs `ae`, `oe` and `ue` as the vowel alone,
//! except `ue` after `q` ("Quelle") or in a diphthong ("neuer", "Bauer"). Both the catalogue and the
//! query go through the same fold, so "Müll", "muell" and "mull" all become
//! `mull`, and "Goethe" becomes `gothe` on both sides. Folding only ever
//! appends to the output as input grows, so the fold of a prefix is a prefix
//! of the fold: as-you-type matching stays stable.
//!
//! *Tokenising* splits text into words: runs of letters and digits, with
//! combining marks and invisible joiners kept inside the word they belong
//! to. Every token carries its byte range in the original text, so matches
//! can be shown in the original spelling.
//!
//! Accents are removed only from Latin-1 and Latin Extended-A letters, and
//! only Latin, Greek and Cyrillic letters are lowercased. Full Unicode
//! tables would cost more bundle size than German text needs.
//!
//! This is a crate of its own, below `ogkit-core` and `ogkit-table`, so that
//! the table crate can be built for speed while the search keeps this code
//! built for size (see the profiles in the workspace `Cargo.toml`).

pub mod lang;

use std::ops::Range;

/// Lowercase base letters for U+00DF..=U+017F after lowercasing; `*` marks
/// the letters with a special fold (ß, æ, þ, ĳ, œ) and the sign ÷.
const LATIN_BASE: &[u8; 161] = b"*aaaaaa*ceeeeiiiidnooooo*ouuuuy*y\
aaaaaaccccccccdd\
ddeeeeeeeeeegggg\
gggghhhhiiiiiiii\
ii**jjkkklllllll\
lllnnnnnnnnnoooo\
oo**rrrrrrssssss\
ssttttttuuuuuuuu\
uuuuwwyyyzzzzzzs";

/// A word of a text: its folded form and its position in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded word, see [`fold`].
    pub folded: String,
    /// Byte range of the word in the original text.
    pub range: Range<usize>,
}

/// Returns the folded form of `text`: lowercase, without accents or umlaut
/// dots, `ß` as `ss`, and `ae`/`oe`/`ue` read as `a`/`o`/`u`.
///
/// Characters that are neither letters nor digits stay as they are, so the
/// result can also be used for substring filters.
///
/// ```
/// use ogkit_text::fold;
///
/// assert_eq!(fold("Müllabfuhr"), "mullabfuhr");
/// assert_eq!(fold("Muellabfuhr"), "mullabfuhr");
/// assert_eq!(fold("STRAẞE"), "strasse");
/// assert_eq!(fold("Goethe"), fold("Göthe"));
/// ```
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    fold_into(text, &mut folded);
    folded
}

/// Appends the folded form of `text` (see [`fold`]) to `out`.
///
/// It is `#[inline]` so that a crate built for speed, such as the table's,
/// compiles its own fast copy while the search keeps the small one.
#[inline]
pub fn fold_into(text: &str, out: &mut String) {
    let mut folder = Folder::default();
    for c in text.chars() {
        folder.push(c, out);
    }
}

/// Splits `text` into folded words with their byte ranges.
///
/// ```
/// use ogkit_text::tokens;
///
/// let words: Vec<String> = tokens("Goethe-Gymnasium: Schulanmeldung")
///     .into_iter()
///     .map(|token| token.folded)
///     .collect();
/// assert_eq!(words, ["gothe", "gymnasium", "schulanmeldung"]);
/// ```
pub fn tokens(text: &str) -> Vec<Token> {
    let mut result = Vec::new();
    for_each_token(text, |folded, range| {
        result.push(Token { folded: folded.to_owned(), range })
    });
    result
}

/// Calls `visit` with each folded word of `text` and its byte range, reusing
/// one buffer for all words. Words that fold to nothing are skipped.
pub fn for_each_token(text: &str, mut visit: impl FnMut(&str, Range<usize>)) {
    visit_tokens(text, &mut visit);
}

/// Does the work of [`for_each_token`] behind `dyn`, so the WebAssembly
/// module contains one copy instead of one per caller's closure.
fn visit_tokens(text: &str, visit: &mut dyn FnMut(&str, Range<usize>)) {
    let mut buffer = String::new();
    let mut folder = Folder::default();
    let mut start = None;
    for (offset, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(offset);
                buffer.clear();
                folder = Folder::default();
            }
            folder.push(c, &mut buffer);
        } else if let Some(word_start) = start.take() {
            if !buffer.is_empty() {
                visit(&buffer, word_start..offset);
            }
        }
    }
    if let Some(word_start) = start {
        if !buffer.is_empty() {
            visit(&buffer, word_start..text.len());
        }
    }
}

/// Folds `word` into `folded` and records, for every character of `word`,
/// the folded length after it and the byte offset where it ends.
///
/// Highlighting uses the pairs to turn a range of the folded word back into
/// a range of the original. Characters that fold to nothing (combining
/// marks, the `e` of a digraph) add a pair with an unchanged folded length.
pub fn fold_with_offsets(word: &str, folded: &mut String, ends: &mut Vec<(usize, usize)>) {
    folded.clear();
    ends.clear();
    let mut folder = Folder::default();
    for (offset, c) in word.char_indices() {
        folder.push(c, folded);
        ends.push((folded.len(), offset + c.len_utf8()));
    }
}

/// Returns `text` lowercased with umlauts kept: combining diaeresis after
/// a, o or u is joined to `ä`, `ö`, `ü`, and `ẞ` becomes `ß`.
///
/// Search uses this lighter form to prefer results that match the exact
/// spelling the user typed ("bü" ranks "Bücherei" above "Busfahrkarte").
pub fn fold_light(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{308}' {
            let joined = match result.chars().last() {
                Some('a') => Some('ä'),
                Some('o') => Some('ö'),
                Some('u') => Some('ü'),
                _ => None,
            };
            if let Some(umlaut) = joined {
                result.pop();
                result.push(umlaut);
                continue;
            }
        }
        result.push(to_lower(c));
    }
    result
}

/// Returns true when `c` belongs to a word: a letter, a digit, a combining
/// mark or an invisible character that may sit inside a word.
pub fn is_word_char(c: char) -> bool {
    is_letter_or_digit(c) || is_combining_mark(c) || is_ignorable(c)
}

/// Returns true when `c` is a letter or digit, judged by Unicode block.
///
/// `char::is_alphanumeric` would be exact, but its tables cost several
/// kilobytes of WebAssembly. Blocks of letters count whole (so the rare
/// punctuation inside them, like the Armenian full stop, joins words), and
/// the blocks of punctuation, symbols and emoji separate words.
fn is_letter_or_digit(c: char) -> bool {
    match c as u32 {
        0x30..=0x39 | 0x41..=0x5A | 0x61..=0x7A => true,
        0x00..=0x7F => false,
        // Ordinal indicators, superscript digits, micro sign, fractions.
        0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE => true,
        0x80..=0xBF | 0xD7 | 0xF7 => false,
        // Latin-1 letters, Latin Extended-A and -B, IPA.
        0xC0..=0x2AF => true,
        0x2B0..=0x36F => false,
        0x370..=0x3FF => !matches!(c, '\u{375}' | '\u{37E}' | '\u{384}' | '\u{385}' | '\u{387}'),
        // Cyrillic, Armenian, Hebrew, Arabic, Indic and other scripts up to
        // Greek Extended.
        0x400..=0x1FFF => true,
        // General punctuation, symbols, arrows, mathematical operators.
        0x2000..=0x2BFF => false,
        0x2C00..=0x2DFF => true,
        0x2E00..=0x2E7F => false,
        0x2E80..=0x2FFF => true,
        // CJK punctuation.
        0x3000..=0x303F => false,
        0x3040..=0xD7FF => true,
        // Private use.
        0xE000..=0xF8FF => false,
        0xF900..=0xFE0F => true,
        0xFE10..=0xFE6F => false,
        0xFE70..=0xFEFE => true,
        // Fullwidth digits and letters, halfwidth kana and hangul.
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A | 0xFF66..=0xFFDC => true,
        0xFEFF..=0xFFFF => false,
        // Emoji and other pictographs.
        0x1F000..=0x1FAFF => false,
        _ => true,
    }
}

/// Returns the lowercase form of `c` for Latin, Greek and Cyrillic letters;
/// other characters come back unchanged.
///
/// `char::to_lowercase` covers all of Unicode with a table of several
/// kilobytes; German catalogues need these ranges only. `ẞ` becomes `ß`.
fn to_lower(c: char) -> char {
    let code = c as u32;
    let lower = match code {
        0x41..=0x5A => code + 0x20,
        0xC0..=0xDE if code != 0xD7 => code + 0x20,
        // Latin Extended-A pairs its letters upper case first, on even code
        // points, except in two runs where the upper case is odd.
        0x130 => 0x69,
        0x178 => 0xFF,
        0x100..=0x137 | 0x14A..=0x177 if code % 2 == 0 => code + 1,
        0x139..=0x148 | 0x179..=0x17E if code % 2 == 1 => code + 1,
        0x391..=0x3AB if code != 0x3A2 => code + 0x20,
        0x410..=0x42F => code + 0x20,
        0x400..=0x40F => code + 0x50,
        0x1E9E => 0xDF,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Returns true when `c` is a combining mark of the blocks that Latin text
/// uses (a decomposed "ä" is "a" followed by U+0308).
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Returns true for invisible characters that editors leave inside words:
/// soft hyphen, zero-width non-joiner and joiner, word joiner.
fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Folding state within one word: whether the last letter may start one of
/// the digraphs `ae`, `oe`, `ue`, and the last byte written.
#[derive(Default)]
struct Folder {
    digraph_open: bool,
    last: u8,
}

impl Folder {
    #[inline]
    fn push(&mut self, c: char, out: &mut String) {
        if !c.is_ascii() && (is_combining_mark(c) || is_ignorable(c)) {
            return;
        }
        if (c == 'e' || c == 'E') && self.digraph_open {
            self.digraph_open = false;
            return;
        }

        let before = out.len();
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            push_folded_letter(to_lower(c), out);
        }

        let Some(&written) = out.as_bytes()[before..].last() else { return };
        // "ue" after q ("Quelle") or in a diphthong ("neuer", "Bauer",
        // "Käufer") is no spelled-out ü.
        self.digraph_open = match written {
            b'a' | b'o' => true,
            b'u' => !matches!(self.last, b'q' | b'e' | b'a'),
            _ => false,
        };
        self.last = written;
    }
}

fn push_folded_letter(c: char, out: &mut String) {
    let code = c as u32;
    if !(0xDF..=0x17F).contains(&code) {
        if !is_combining_mark(c) {
            out.push(c);
        }
        return;
    }
    match LATIN_BASE[(code - 0xDF) as usize] {
        b'*' => match c {
            'ß' => out.push_str("ss"),
            // The ligatures fold like the digraphs they stand for: "ae" reads as "a".
            'æ' => out.push('a'),
            'œ' => out.push('o'),
            'þ' => out.push_str("th"),
            'ĳ' => out.push_str("ij"),
            other => out.push(other),
        },
        base => out.push(base as char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_table() {
        let cases = [
            ("Müll", "mull"),
            ("muell", "mull"),
            ("MUELL", "mull"),
            ("mull", "mull"),
            ("Mu\u{308}ll", "mull"),
            ("Straße", "strasse"),
            ("STRAẞE", "strasse"),
            ("Strasse", "strasse"),
            ("Ölspur", "olspur"),
            ("OELSPUR", "olspur"),
            ("Übergangswohnheim", "ubergangswohnheim"),
            ("Goethe", "gothe"),
            ("Göthe", "gothe"),
            ("Gerät", "gerat"),
            ("geraet", "gerat"),
            ("Café", "cafe"),
            ("Cafe\u{301}", "cafe"),
            ("Quelle", "quelle"),
            ("Qu\u{308}", "qu"),
            ("Łódź", "lodz"),
            ("Œuvre", "ouvre"),
            ("Oeuvre", "ouvre"),
            ("Kfz-Steuer", "kfz-steuer"),
            ("neuer", "neuer"),
            ("Feuerwehr", "feuerwehr"),
            ("Bauer", "bauer"),
            ("Käufer", "kaufer"),
            ("Kaeufer", "kaufer"),
            ("Gebäude", "gebaude"),
            ("İstanbul", "istanbul"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn lowercase_without_tables() {
        let cases = [
            ('A', 'a'), ('Ä', 'ä'), ('Ø', 'ø'), ('×', '×'), ('Ł', 'ł'), ('Ž', 'ž'), ('Ÿ', 'ÿ'),
            ('İ', 'i'), ('Ω', 'ω'), ('Ж', 'ж'), ('Ё', 'ё'), ('ẞ', 'ß'), ('中', '中'), ('ß', 'ß'),
        ];
        for (upper, lower) in cases {
            assert_eq!(to_lower(upper), lower, "{upper:?}");
        }
        let mut checked = 0;
        for c in ('\u{C0}'..='\u{17F}').chain('\u{391}'..='\u{3AB}').chain('\u{400}'..='\u{42F}') {
            let mut std_lower = c.to_lowercase();
            if let (Some(expected), None) = (std_lower.next(), std_lower.next()) {
                assert_eq!(to_lower(c), expected, "{c:?}");
                checked += 1;
            }
        }
        assert!(checked > 250, "only {checked} characters compared");
    }

    #[test]
    fn word_chars_by_block() {
        for c in ['a', 'Z', '7', 'ä', 'ß', 'Ł', 'ж', 'ω', '中', 'ア', '²', '\u{308}', '\u{AD}'] {
            assert!(is_word_char(c), "{c:?} is part of a word");
        }
        for c in [' ', '-', '–', '„', '“', '…', '€', '§', '°', '×', '·', '\u{200B}', '😀', '、'] {
            assert!(!is_word_char(c), "{c:?} separates words");
        }
    }

    #[test]
    fn fold_of_prefix_is_prefix() {
        for word in ["Führerschein", "Fuehrerschein", "Straße", "Goethe", "Wasserza\u{308}hler", "Quelle"] {
            let full = fold(word);
            for (end, _) in word.char_indices() {
                let partial = fold(&word[..end]);
                assert!(full.starts_with(&partial), "{word:?} at {end}: {partial:?} is no prefix of {full:?}");
            }
        }
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        assert_eq!(fold("Wasserza\u{308}hler"), fold("Wasserzähler"));
        assert_eq!(fold("U\u{308}bergang"), fold("Übergang"));
        assert_eq!(fold_light("Wasserza\u{308}hler"), "wasserzähler");
    }

    #[test]
    fn tokens_keep_combining_marks_inside() {
        let text = "Gera\u{308}t, Gerät-Ausleihe";
        let found = tokens(text);
        let words: Vec<&str> = found.iter().map(|token| token.folded.as_str()).collect();
        assert_eq!(words, ["gerat", "gerat", "ausleihe"]);
        assert_eq!(&text[found[0].range.clone()], "Gera\u{308}t");
        assert_eq!(&text[found[1].range.clone()], "Gerät");
    }

    #[test]
    fn tokens_skip_zero_width_space_and_punctuation() {
        let words: Vec<String> = tokens("\u{200B}Sie (Telefon-Termin) – 5 €").into_iter().map(|t| t.folded).collect();
        assert_eq!(words, ["sie", "telefon", "termin", "5"]);
    }

    #[test]
    fn soft_hyphen_stays_inside_word() {
        let words: Vec<String> = tokens("Gewerbe\u{AD}anmeldung").into_iter().map(|t| t.folded).collect();
        assert_eq!(words, ["gewerbeanmeldung"]);
    }

    #[test]
    fn offsets_map_folded_back() {
        let mut folded = String::new();
        let mut ends = Vec::new();
        fold_with_offsets("Straße", &mut folded, &mut ends);
        assert_eq!(folded, "strasse");
        assert_eq!(ends.last(), Some(&(7, 7)));
        assert_eq!(ends[4], (6, 6));
    }
}
