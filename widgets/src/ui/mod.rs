//! Pieces of markup shared by the widgets.

pub mod richtext;

/// Joins `parts` into one string.
///
/// Used instead of `format!` where every piece is already text: each
/// `format!` adds its own formatting code to the WebAssembly module, and
/// this adds one small function for all callers.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_joined_in_order() {
        assert_eq!(concat(&["og1", "-", "input"]), "og1-input");
        assert_eq!(concat(&[]), "");
    }
}
