//! The API address of a CKAN site and the URLs of its actions.
//!
//! Web editors copy whatever address they have: the portal's home page
//! (`https://daten.example.de`), the API root (`…/api/3`) or the action root
//! (`…/api/3/action`). [`ApiBase::parse`] accepts all three and keeps both
//! the action root, for requests, and the site root, for links to the
//! dataset page. Only `http` and `https` are accepted, because the browser's
//! `fetch` reads nothing else and any other scheme in an attribute is a
//! mistake or an attack.
//!
//! Every value in a query string is percent-encoded byte by byte, leaving
//! only RFC 3986's unreserved characters as they are, so ids, search words,
//! field names and JSON filters with `&`, `=`, `#`, `+`, spaces or umlauts
//! arrive at the server unchanged.

use super::{CkanError, CkanKey};

/// The address of a CKAN site's Action API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    action: String,
    site: String,
}

impl ApiBase {
    /// Parses the `ckan` attribute: an absolute http(s) URL of the site, of
    /// its `/api/3` root or of its `/api/3/action` root.
    ///
    /// ```
    /// use ogkit_table::ckan::ApiBase;
    ///
    /// let base = ApiBase::parse("https://daten.example.de/").unwrap();
    /// assert_eq!(base.action_root(), "https://daten.example.de/api/3/action");
    /// assert!(ApiBase::parse("javascript:alert(1)").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`CkanKey::BaseScheme`] for any scheme other than http(s), and
    /// [`CkanKey::BaseInvalid`] for an empty value, a value without scheme
    /// or host, with user name or password, with spaces or control
    /// characters, or with a query or fragment.
    pub fn parse(text: &str) -> Result<ApiBase, CkanError> {
        let value = text.trim();
        let invalid = || CkanError::new(CkanKey::BaseInvalid).with("value", shorten(value));
        if value.is_empty() {
            return Err(invalid());
        }
        let Some((scheme, rest)) = value.split_once("://") else {
            // `javascript:…` or `data:…` names a scheme; `example.de:8080`
            // and `localhost:5000` are a host and port without a scheme.
            if let Some((scheme, after)) = value.split_once(':') {
                let port_follows = after.starts_with(|c: char| c.is_ascii_digit());
                if is_scheme(scheme) && !scheme.contains('.') && !port_follows {
                    return Err(CkanError::new(CkanKey::BaseScheme)
                        .with("value", shorten(value))
                        .with("scheme", scheme.to_ascii_lowercase()));
                }
            }
            return Err(invalid());
        };
        if !is_scheme(scheme) {
            return Err(invalid());
        }
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(CkanError::new(CkanKey::BaseScheme)
                .with("value", shorten(value))
                .with("scheme", scheme));
        }
        if value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
        {
            return Err(invalid());
        }
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') || authority.starts_with(':') {
            return Err(invalid());
        }

        let path = path.trim_end_matches('/');
        let root = format!("{scheme}://{authority}");
        let lower = path.to_ascii_lowercase();
        // A pasted action URL (`…/api/3/action/package_show`) keeps only
        // the part before the action name.
        let (site_path, action_path) = if let Some(at) = lower.find("/api/3/action") {
            (&path[..at], "/api/3/action")
        } else if let Some(at) = lower.find("/api/action") {
            (&path[..at], "/api/action")
        } else if let Some(site) = strip_suffix(path, &lower, "/api/3") {
            (site, "/api/3/action")
        } else if let Some(site) = strip_suffix(path, &lower, "/api") {
            (site, "/api/3/action")
        } else {
            (path, "/api/3/action")
        };
        Ok(ApiBase {
            action: format!("{root}{site_path}{action_path}"),
            site: format!("{root}{site_path}"),
        })
    }

    /// Returns the action root, e.g. `https://daten.example.de/api/3/action`.
    pub fn action_root(&self) -> &str {
        &self.action
    }

    /// Returns the site root, e.g. `https://daten.example.de`.
    pub fn site_root(&self) -> &str {
        &self.site
    }

    /// Returns the URL of `package_show` for the dataset `id` (id or name).
    ///
    /// ```
    /// use ogkit_table::ckan::ApiBase;
    ///
    /// let base = ApiBase::parse("https://daten.example.de").unwrap();
    /// assert_eq!(
    ///     base.package_show_url("bäume 2024"),
    ///     "https://daten.example.de/api/3/action/package_show?id=b%C3%A4ume%202024"
    /// );
    /// ```
    pub fn package_show_url(&self, id: &str) -> String {
        let mut url = self.action_url("package_show");
        url.push_str("?id=");
        url.push_str(&percent_encode(id));
        url
    }

    /// Returns the URL of `resource_show` for the resource `id`.
    pub fn resource_show_url(&self, id: &str) -> String {
        let mut url = self.action_url("resource_show");
        url.push_str("?id=");
        url.push_str(&percent_encode(id));
        url
    }

    /// Returns the address of the dataset's page on the portal, for a link
    /// next to the table.
    pub fn dataset_page_url(&self, name: &str) -> String {
        let mut url = self.site.clone();
        url.push_str("/dataset/");
        url.push_str(&percent_encode(name));
        url
    }

    pub(super) fn action_url(&self, action: &str) -> String {
        let mut url = String::with_capacity(self.action.len() + action.len() + 1);
        url.push_str(&self.action);
        url.push('/');
        url.push_str(action);
        url
    }
}

fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Cuts `suffix` (given in lower case) off `path` when `lower`, the path in
/// lower case, ends with it.
fn strip_suffix<'a>(path: &'a str, lower: &str, suffix: &str) -> Option<&'a str> {
    lower
        .ends_with(suffix)
        .then(|| &path[..path.len() - suffix.len()])
}

/// Returns the start of a long attribute value for an error message.
fn shorten(value: &str) -> String {
    const MAX: usize = 120;
    if value.chars().count() <= MAX {
        return value.to_owned();
    }
    let mut short: String = value.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

/// Percent-encodes `value` for a URL query: every byte except the ASCII
/// letters, digits and `-._~` becomes `%XX` (upper-case hex).
///
/// ```
/// use ogkit_table::ckan::percent_encode;
///
/// assert_eq!(percent_encode("a b&c=ä"), "a%20b%26c%3D%C3%A4");
/// ```
pub fn percent_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push('%');
            encoded.push(HEX[usize::from(byte >> 4)] as char);
            encoded.push(HEX[usize::from(byte & 0x0F)] as char);
        }
    }
    encoded
}

/// Returns true when `url` is an absolute `http` or `https` URL with a host
/// and without spaces or control characters: the only links that the table
/// shows or follows.
///
/// ```
/// use ogkit_table::ckan::is_web_url;
///
/// assert!(is_web_url("https://example.de/daten.csv"));
/// assert!(!is_web_url("javascript:alert(1)"));
/// assert!(!is_web_url("//example.de/daten.csv"));
/// ```
pub fn is_web_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return false;
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    !host.is_empty() && !host.starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (String, String) {
        let base = ApiBase::parse(text).unwrap();
        (base.action, base.site)
    }

    #[test]
    fn site_root_gets_action_path() {
        assert_eq!(
            parsed("https://daten.example.de"),
            (
                "https://daten.example.de/api/3/action".to_owned(),
                "https://daten.example.de".to_owned()
            )
        );
    }

    #[test]
    fn api_and_action_roots_are_recognised() {
        let expected = (
            "https://example.de/portal/api/3/action".to_owned(),
            "https://example.de/portal".to_owned(),
        );
        for text in [
            "https://example.de/portal/",
            "https://example.de/portal/api",
            "https://example.de/portal/api/3",
            "https://example.de/portal/api/3/",
            "https://example.de/portal/api/3/action",
            "https://example.de/portal/API/3/Action/",
        ] {
            assert_eq!(parsed(text), expected, "{text}");
        }
        assert_eq!(
            parsed("http://127.0.0.1:5000/api/action").0,
            "http://127.0.0.1:5000/api/action"
        );
        assert_eq!(
            parsed("https://example.de/portal/api/3/action/package_show"),
            expected
        );
    }

    #[test]
    fn scheme_is_case_insensitive() {
        assert_eq!(
            parsed("HTTPS://Example.de").0,
            "https://Example.de/api/3/action"
        );
    }

    #[test]
    fn other_schemes_are_rejected() {
        for (text, scheme) in [
            ("ftp://daten.example.de", "ftp"),
            ("javascript:alert(1)", "javascript"),
            ("data:text/html,<b>x</b>", "data"),
            ("file:///etc/passwd", "file"),
        ] {
            let error = ApiBase::parse(text).unwrap_err();
            assert_eq!(error.key(), CkanKey::BaseScheme, "{text}");
            assert_eq!(error.param("scheme"), Some(scheme), "{text}");
        }
    }

    #[test]
    fn malformed_bases_are_rejected() {
        for text in [
            "",
            "   ",
            "daten.example.de",
            "daten.example.de:8080/api",
            "localhost:5000",
            "/api/3/action",
            "https://",
            "https:///api",
            "https://user:secret@example.de",
            "https://example.de/api?x=1",
            "https://example.de/#top",
            "https://exa mple.de",
            "https://example.de/\u{0}",
            "https://:8080/",
        ] {
            let error = ApiBase::parse(text).unwrap_err();
            assert_eq!(error.key(), CkanKey::BaseInvalid, "{text:?}");
        }
    }

    #[test]
    fn long_value_is_shortened_in_message() {
        let text = format!("https://example.de/{}", "a".repeat(1000));
        let error = ApiBase::parse(&format!("{text}?x")).unwrap_err();
        assert!(error.param("value").unwrap().chars().count() <= 120);
    }

    #[test]
    fn encoding_keeps_only_unreserved() {
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            percent_encode("/?#[]@!$&'()*+,;=%"),
            "%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25"
        );
        assert_eq!(percent_encode("ß €"), "%C3%9F%20%E2%82%AC");
        assert_eq!(percent_encode("\"\n"), "%22%0A");
    }

    #[test]
    fn show_urls_encode_the_id() {
        let base = ApiBase::parse("https://example.de").unwrap();
        assert_eq!(
            base.resource_show_url("a&id=b"),
            "https://example.de/api/3/action/resource_show?id=a%26id%3Db"
        );
        assert_eq!(
            base.dataset_page_url("baeume/../x"),
            "https://example.de/dataset/baeume%2F..%2Fx"
        );
    }

    #[test]
    fn web_urls_are_checked() {
        for good in [
            "http://example.de",
            "HTTPS://example.de/a?b=c#d",
            "https://127.0.0.1:8080/x.csv",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "",
            "example.de/x.csv",
            "/download/x.csv",
            "//example.de/x.csv",
            "javascript:alert(1)",
            "JavaScript://%0aalert(1)",
            "data:text/csv,a",
            "ftp://example.de/x.csv",
            "https://",
            "https:///x.csv",
            "https://exa mple.de",
            "https://example.de/\n",
        ] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }
}
