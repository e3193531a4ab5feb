//! German sort order for text cells, after DIN 5007-1 ("dictionary" order).
//!
//! Umlauts sort as their base letter (`ä` like `a`), `ß` as `ss`, and other
//! Latin accents as the plain letter. Letters decide first. Only when two
//! texts have the same letters does the accent decide (plain before
//! accented), and only then the case (lower before upper). A sort key is a
//! sequence of numbers compared element by element: the primary letters,
//! a 0, the accent weights, a 0, the case weights. The 0 separator is lower
//! than every weight, so a shorter text with the same start sorts first.
//!
//! Characters outside Latin-1 and Latin Extended-A sort by code point after
//! lowercasing. Digits inside text compare character by character, so
//! "Haus 10" sorts before "Haus 2".

/// Returns the sort key of `text`; compare keys with `Ord` on slices.
///
/// ```
/// use ogkit_table::collation_key;
///
/// assert!(collation_key("Äpfel") < collation_key("Birne"));
/// assert!(collation_key("Masse") < collation_key("Maße"));
/// assert!(collation_key("Maße") < collation_key("Mast"));
/// ```
pub fn collation_key(text: &str) -> Vec<u32> {
    let mut primary: Vec<u32> = Vec::with_capacity(text.len());
    let mut accents: Vec<u32> = Vec::with_capacity(text.len());
    let mut cases: Vec<u32> = Vec::with_capacity(text.len());

    for c in text.chars() {
        if c.is_ascii() {
            // The general path below gives the same weights for ASCII: one
            // lowercase letter without base letters or accent.
            let lower = c.to_ascii_lowercase();
            primary.push(u32::from(lower) + 1);
            accents.push(1);
            cases.push(if c.is_ascii_uppercase() { 2 } else { 1 });
            continue;
        }
        if ('\u{300}'..='\u{36F}').contains(&c) {
            // A combining mark belongs to the letter before it: it changes
            // the accent weight, never the letter.
            if let Some(last) = accents.last_mut() {
                *last = last.saturating_add(u32::from(c));
            }
            continue;
        }

        let upper = c.is_uppercase();
        let case = if upper { 2 } else { 1 };
        let mut lower = c.to_lowercase();
        let (first, rest) = (lower.next().unwrap_or(c), lower.collect::<String>());
        match base_letters(first) {
            Some(base) => {
                for (position, letter) in base.chars().enumerate() {
                    primary.push(u32::from(letter) + 1);
                    accents.push(if position == 0 {
                        u32::from(first) + 1
                    } else {
                        1
                    });
                    cases.push(case);
                }
            }
            None => {
                primary.push(u32::from(first) + 1);
                accents.push(1);
                cases.push(case);
            }
        }
        for extra in rest.chars() {
            primary.push(u32::from(extra) + 1);
            accents.push(1);
            cases.push(case);
        }
    }

    let mut key = primary;
    key.reserve(accents.len() + cases.len() + 2);
    key.push(0);
    key.extend(accents);
    key.push(0);
    key.extend(cases);
    key
}

/// Returns the plain letters that a lowercase accented Latin letter sorts as.
fn base_letters(c: char) -> Option<&'static str> {
    let base = match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut words: Vec<String> = words.iter().map(|word| word.to_string()).collect();
        words.sort_by_key(|word| collation_key(word));
        words
    }

    #[test]
    fn umlaut_sorts_as_base_letter() {
        assert_eq!(
            sorted(&["Zebra", "Öl", "Ofen", "Oma"]),
            ["Ofen", "Öl", "Oma", "Zebra"]
        );
    }

    #[test]
    fn accent_decides_after_letters() {
        assert_eq!(
            sorted(&["Müller", "Muller", "Mueller"]),
            ["Mueller", "Muller", "Müller"]
        );
    }

    #[test]
    fn case_decides_last() {
        assert_eq!(
            sorted(&["Bar", "bar", "bär", "Bär"]),
            ["bar", "Bar", "bär", "Bär"]
        );
    }

    /// Computes the key of ASCII `text` as the general path does, without
    /// the ASCII shortcut.
    fn key_without_ascii_shortcut(text: &str) -> Vec<u32> {
        let mut key = Vec::new();
        for c in text.chars() {
            let mut lower = c.to_lowercase();
            let first = lower.next().unwrap_or(c);
            assert!(lower.next().is_none(), "{c:?} lowercases to one character");
            assert!(base_letters(first).is_none(), "{c:?} has no base letters");
            key.push(u32::from(first) + 1);
        }
        let count = key.len();
        key.push(0);
        key.extend(std::iter::repeat_n(1, count));
        key.push(0);
        key.extend(text.chars().map(|c| if c.is_uppercase() { 2 } else { 1 }));
        key
    }

    #[test]
    fn ascii_shortcut_matches_general_path() {
        let every_ascii: String = (0u8..=127).map(char::from).collect();
        assert_eq!(collation_key(&every_ascii), key_without_ascii_shortcut(&every_ascii));
        assert_eq!(collation_key("Haus 10, Zi. 2b"), key_without_ascii_shortcut("Haus 10, Zi. 2b"));
    }

    #[test]
    fn mixed_text_keeps_order() {
        assert_eq!(
            sorted(&["Straße 2", "Strasse 10", "STRASSE 1", "Übergang", "Ufer"]),
            ["STRASSE 1", "Strasse 10", "Straße 2", "Übergang", "Ufer"]
        );
    }

    #[test]
    fn decomposed_umlaut_sorts_like_composed() {
        let composed = collation_key("Zähler");
        let decomposed = collation_key("Za\u{308}hler");
        assert_eq!(composed[..7], decomposed[..7]);
        assert!(collation_key("Zahler") < decomposed);
    }
}
