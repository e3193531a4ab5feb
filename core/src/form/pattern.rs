//! The `pattern` keyword: regular expressions of form schemas.
//!
//! Patterns are compiled with `regex-lite`, which keeps the browser bundle
//! small. Its syntax is the common core of JSON Schema's ECMA-262
//! expressions: literals, `.`, classes such as `[A-Z]` and `[^0-9]`, the
//! escapes `\d`, `\w`, `\s` (ASCII only), groups, `|`, the quantifiers
//! `? * + {n} {n,} {n,m}` and the anchors `^ $`. Lookaround, backreferences
//! and Unicode classes (`\p{L}`) are not supported; a schema that uses them
//! is rejected when it is loaded, not when a citizen submits the form.
//! Matching takes time linear in the input, so no pattern can hang the
//! server.

use std::fmt;

/// Maximum length of a pattern, in bytes. Form patterns are short; a longer one
/// is more likely a mistake than a need.
pub const MAX_PATTERN_LEN: usize = 1000;

/// Memory limit for one compiled pattern, in bytes.
const COMPILED_SIZE_LIMIT: usize = 1 << 20;

/// A compiled `pattern`, compared by its source text.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: regex_lite::Regex,
}

impl Pattern {
    /// Compiles `source`.
    ///
    /// # Errors
    ///
    /// Returns a reason in English when the pattern is too long, uses syntax
    /// outside the supported subset or is not a valid expression.
    pub fn new(source: &str) -> Result<Pattern, String> {
        if source.len() > MAX_PATTERN_LEN {
            return Err(format!(
                "the pattern is {} bytes long; at most {MAX_PATTERN_LEN} are allowed",
                source.len()
            ));
        }
        if let Some(feature) = unsupported_feature(source) {
            return Err(format!(
                "{feature} is not supported; use classes, groups, alternatives and quantifiers only"
            ));
        }

        let regex = regex_lite::RegexBuilder::new(source)
            .size_limit(COMPILED_SIZE_LIMIT)
            .build()
            .map_err(|error| {
                format!(
                    "invalid regular expression: {}",
                    first_line(&error.to_string())
                )
            })?;
        Ok(Pattern {
            source: source.to_owned(),
            regex,
        })
    }

    /// Returns the pattern as written in the schema.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Returns true when the pattern matches somewhere in `text`, as JSON
    /// Schema's `pattern` does.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("Pattern")
            .field(&self.source)
            .finish()
    }
}

/// Names ECMA-262 syntax that `regex-lite` would reject with a confusing
/// message or read differently.
fn unsupported_feature(source: &str) -> Option<&'static str> {
    let checks: &[(&str, &str)] = &[
        ("(?=", "lookahead `(?=…)`"),
        ("(?!", "negative lookahead `(?!…)`"),
        ("(?<=", "lookbehind `(?<=…)`"),
        ("(?<!", "negative lookbehind `(?<!…)`"),
        ("\\p{", "the Unicode class `\\p{…}`"),
        ("\\P{", "the Unicode class `\\P{…}`"),
        ("\\u", "the escape `\\u`; write the character itself"),
    ];
    checks
        .iter()
        .find(|(needle, _)| source.contains(needle))
        .map(|(_, name)| *name)
}

fn first_line(text: &str) -> &str {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(text)
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_pattern_matches_whole_text() {
        let pattern = Pattern::new("^[A-Z]{2}[0-9]{5}$").expect("valid pattern");
        assert!(pattern.is_match("BP12345"));
        assert!(!pattern.is_match("BP1234"));
    }

    #[test]
    fn lookahead_is_rejected() {
        let error = Pattern::new("^(?=.*[0-9]).+$").expect_err("lookahead is unsupported");
        assert!(error.contains("lookahead"), "{error}");
    }

    #[test]
    fn unbalanced_group_is_rejected() {
        let error = Pattern::new("^(ab$").expect_err("unclosed group");
        assert!(error.starts_with("invalid regular expression"), "{error}");
    }
}
