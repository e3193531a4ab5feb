//! The HTML code that the editor copies into the CMS.

use super::fields::Attribute;

/// Loader URL in the copied code: where a city deploys `pkg/`.
pub const LOADER_URL: &str = "/ogkit/ogkit.js";

/// Returns the code for one widget: the loader's script element and the
/// widget's element with `attributes`. Every value is escaped, so markup
/// in a value stays text inside the attribute.
pub fn snippet(tag: &str, attributes: &[Attribute]) -> String {
    let mut code = format!("<script type=\"module\" src=\"{LOADER_URL}\"></script>\n<{tag}");
    for attribute in attributes {
        code.push(' ');
        code.push_str(attribute.name);
        if let Some(value) = &attribute.value {
            code.push_str("=\"");
            code.push_str(&escape_attribute(value));
            code.push('"');
        }
    }
    code.push_str("></");
    code.push_str(tag);
    code.push('>');
    code
}

/// Escapes `value` for a double-quoted HTML attribute. `'`, `<` and `>`
/// are escaped too, so the value stays text also where a CMS rewrites the
/// attribute with single quotes or moves the value into element content.
pub fn escape_attribute(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(name: &'static str, value: Option<&str>) -> Attribute {
        Attribute { name, value: value.map(str::to_owned) }
    }

    #[test]
    fn snippet_has_loader_and_element() {
        let code = snippet("og-poll", &[attribute("poll", Some("radweg-bahnhof-altstadt"))]);
        assert_eq!(
            code,
            "<script type=\"module\" src=\"/ogkit/ogkit.js\"></script>\n<og-poll poll=\"radweg-bahnhof-altstadt\"></og-poll>"
        );
    }

    #[test]
    fn boolean_attribute_has_no_value() {
        let code = snippet("og-form", &[attribute("schema", Some("/f.json")), attribute("save-draft", None)]);
        assert!(code.ends_with("<og-form schema=\"/f.json\" save-draft></og-form>"), "{code}");
    }

    #[test]
    fn markup_in_values_is_escaped() {
        let value = "\"><script>alert('x')</script><img src=x onerror=alert(1)> & co";
        let code = snippet("og-data-table", &[attribute("caption", Some(value))]);
        let element = code.lines().nth(1).unwrap_or_default();
        assert_eq!(
            element,
            "<og-data-table caption=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co\"></og-data-table>"
        );
        assert_eq!(element.matches('<').count(), 2, "{element}");
        assert_eq!(element.matches('"').count(), 2, "{element}");
    }

    #[test]
    fn umlauts_and_entities_survive() {
        assert_eq!(escape_attribute("Kölner Straße &amp;"), "Kölner Straße &amp;amp;");
    }
}
