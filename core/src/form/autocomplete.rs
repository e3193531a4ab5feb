//! The HTML `autocomplete` tokens a form field may name.
//!
//! The list is the autofill field names of the WHATWG HTML standard
//! (section "Autofill"). A token may start with a `section-…` name and
//! `shipping` or `billing` as in HTML; `on` and `off` stand alone.

/// Field names of the HTML autofill detail tokens.
const FIELD_NAMES: &[&str] = &[
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "username",
    "new-password",
    "current-password",
    "one-time-code",
    "organization-title",
    "organization",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "cc-name",
    "cc-given-name",
    "cc-additional-name",
    "cc-family-name",
    "cc-number",
    "cc-exp",
    "cc-exp-month",
    "cc-exp-year",
    "cc-csc",
    "cc-type",
    "transaction-currency",
    "transaction-amount",
    "language",
    "bday",
    "bday-day",
    "bday-month",
    "bday-year",
    "sex",
    "url",
    "photo",
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-extension",
    "email",
    "impp",
];

/// Contact kinds that may precede the telephone, e-mail and impp names.
const CONTACT_KINDS: &[&str] = &["home", "work", "mobile", "fax", "pager"];

/// Returns true when `token` is a valid value of the HTML `autocomplete`
/// attribute, such as `postal-code`, `shipping street-address` or `off`.
pub(crate) fn is_valid(token: &str) -> bool {
    let words: Vec<&str> = token.split_ascii_whitespace().collect();
    if let [single] = words.as_slice() {
        if *single == "on" || *single == "off" {
            return true;
        }
    }

    let mut rest = words.as_slice();
    if let [first, tail @ ..] = rest {
        if first.starts_with("section-") && first.len() > "section-".len() {
            rest = tail;
        }
    }
    if let [first, tail @ ..] = rest {
        if *first == "shipping" || *first == "billing" {
            rest = tail;
        }
    }
    match rest {
        [name] => FIELD_NAMES.contains(name),
        [kind, name] => {
            CONTACT_KINDS.contains(kind)
                && (name.starts_with("tel") || *name == "email" || *name == "impp")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn known_tokens_pass() {
        for token in [
            "postal-code",
            "off",
            "shipping street-address",
            "section-2 billing email",
            "mobile tel",
        ] {
            assert!(is_valid(token), "{token}");
        }
    }

    #[test]
    fn misspelled_tokens_fail() {
        for token in [
            "postcode",
            "",
            "street address",
            "mobile postal-code",
            "on off",
        ] {
            assert!(!is_valid(token), "{token}");
        }
    }
}
