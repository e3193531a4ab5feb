//! Keeping the search in the page URL, so a search can be bookmarked,
//! shared and walked back with the browser's back button.
//!
//! The search text lives in one query parameter (`q` unless `query-param`
//! renames it) and the opened service in a second one named after it
//! (`q-id`). Every other parameter of the host page is kept as it is.
//! Encoding follows `application/x-www-form-urlencoded`, as the browser's
//! `URLSearchParams` does.

/// The part of a widget's state that the URL keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlState {
    /// Search text; empty when the parameter is absent.
    pub query: String,
    /// Id of the opened service, if any.
    pub open: Option<String>,
}

/// Returns the name of the parameter that holds the opened service.
pub fn open_param(query_param: &str) -> String {
    crate::ui::concat(&[query_param, "-id"])
}

/// Reads the widget's state from a URL search string (with or without `?`).
pub fn read_state(search: &str, query_param: &str) -> UrlState {
    let open_name = open_param(query_param);
    let mut state = UrlState::default();
    for (name, value) in parse_pairs(search) {
        if name == query_param {
            state.query = value;
        } else if name == open_name {
            state.open = Some(value).filter(|id| !id.is_empty());
        }
    }
    state
}

/// Returns `search` with the widget's parameters set to `state`: empty
/// values are removed, other parameters keep their order. The result starts
/// with `?`, or is empty when no parameter remains.
pub fn write_state(search: &str, query_param: &str, state: &UrlState) -> String {
    let open_name = open_param(query_param);
    let mut pairs: Vec<(String, String)> =
        parse_pairs(search).into_iter().filter(|(name, _)| *name != query_param && *name != open_name).collect();
    if !state.query.is_empty() {
        pairs.push((query_param.to_string(), state.query.clone()));
    }
    if let Some(id) = &state.open {
        pairs.push((open_name, id.clone()));
    }
    if pairs.is_empty() {
        return String::new();
    }
    let mut encoded = String::new();
    for (name, value) in &pairs {
        encoded.push(if encoded.is_empty() { '?' } else { '&' });
        encoded.push_str(&encode(name));
        encoded.push('=');
        encoded.push_str(&encode(value));
    }
    encoded
}

fn parse_pairs(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut output = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        match bytes[position] {
            b'+' => output.push(b' '),
            b'%' => {
                let hex = text.get(position + 1..position + 3).and_then(|digits| u8::from_str_radix(digits, 16).ok());
                match hex {
                    Some(byte) => {
                        output.push(byte);
                        position += 2;
                    }
                    None => output.push(b'%'),
                }
            }
            byte => output.push(byte),
        }
        position += 1;
    }
    String::from_utf8_lossy(&output).into_owned()
}

/// Upper-case hex digits for percent-encoding, written by hand so that
/// the formatting machinery for hex numbers stays out of the module.
const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

fn encode(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => output.push(char::from(byte)),
            b' ' => output.push('+'),
            _ => {
                output.push('%');
                output.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
                output.push(char::from(HEX_DIGITS[usize::from(byte & 0x0F)]));
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_query_and_open_service() {
        let state = read_state("?seite=2&q=Personal+ausweis&q-id=1063423", "q");
        assert_eq!(state.query, "Personal ausweis");
        assert_eq!(state.open.as_deref(), Some("1063423"));
    }

    #[test]
    fn decodes_umlauts_and_bad_escapes() {
        assert_eq!(read_state("q=M%C3%BCll", "q").query, "Müll");
        assert_eq!(read_state("q=100%25", "q").query, "100%");
        assert_eq!(read_state("q=50%zz", "q").query, "50%zz");
        assert_eq!(read_state("q=%FF", "q").query, "\u{FFFD}");
    }

    #[test]
    fn renamed_param_ignores_other_instance() {
        let search = "?q=hund&suche2=m%C3%BCll";
        assert_eq!(read_state(search, "suche2").query, "müll");
        assert_eq!(read_state(search, "q").query, "hund");
    }

    #[test]
    fn write_keeps_other_params() {
        let state = UrlState { query: "Müll & Abfall".into(), open: None };
        assert_eq!(write_state("?seite=2&q=alt", "q", &state), "?seite=2&q=M%C3%BCll+%26+Abfall");
    }

    #[test]
    fn write_removes_empty_state() {
        assert_eq!(write_state("?q=alt&q-id=7", "q", &UrlState::default()), "");
        assert_eq!(write_state("?x=1&q=alt", "q", &UrlState::default()), "?x=1");
    }

    #[test]
    fn written_state_reads_back() {
        let state = UrlState { query: "wasserzähler ablesen?".into(), open: Some("S 08".into()) };
        let search = write_state("", "q", &state);
        assert_eq!(read_state(&search, "q"), state);
    }
}
