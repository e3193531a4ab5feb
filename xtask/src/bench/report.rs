//! BENCHMARKS.md: each benchmark owns one section between the markers
//! `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` and replaces only that,
//! so the benchmarks can run in any order and keep each other's results.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// Title and introduction of a new BENCHMARKS.md.
const PAGE_HEADER: &str = "# Benchmarks\n\n\
Each section is written by the command it names and replaced only by that command, so the \
sections may come from different runs.\n";

/// Replaces the section `name` of the file at `path` with `content`,
/// creating the file or appending the section when missing.
pub(crate) fn write_section(path: &Path, name: &str, content: &str) -> Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => PAGE_HEADER.to_owned(),
        Err(error) => return Err(error).with_context(|| format!("cannot read {}", path.display())),
    };
    let updated = replace_section(&text, name, content)
        .with_context(|| format!("cannot update the {name} section of {}", path.display()))?;
    std::fs::write(path, updated).with_context(|| format!("cannot write {}", path.display()))
}

/// Returns `text` with the section `name` replaced by `content`, or with
/// the section appended when `text` has none.
///
/// # Errors
///
/// Fails when only one of the two markers is present, or they are in the
/// wrong order, because replacing then could delete other sections.
pub(crate) fn replace_section(text: &str, name: &str, content: &str) -> Result<String> {
    let start_marker = format!("<!-- bench:{name} -->");
    let end_marker = format!("<!-- /bench:{name} -->");
    let section = format!("{start_marker}\n{}\n{end_marker}", content.trim_matches('\n'));

    match (text.find(&start_marker), text.find(&end_marker)) {
        (None, None) => {
            let mut updated = text.trim_end_matches('\n').to_owned();
            updated.push_str("\n\n");
            updated.push_str(&section);
            updated.push('\n');
            Ok(updated)
        }
        (Some(start), Some(end)) if start < end => {
            let after = end + end_marker.len();
            Ok(format!("{}{section}{}", &text[..start], &text[after..]))
        }
        (Some(_), Some(_)) => bail!("{end_marker} comes before {start_marker}; fix the markers by hand"),
        (Some(_), None) => bail!("{start_marker} has no {end_marker}; add it where the section ends"),
        (None, Some(_)) => bail!("{end_marker} has no {start_marker}; add it where the section starts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Benchmarks\n\nIntro.\n\n<!-- bench:search -->\nold search\n<!-- /bench:search -->\n\n\
                        <!-- bench:poll -->\nold poll\n<!-- /bench:poll -->\n\nFooter.\n";

    #[test]
    fn section_is_replaced_in_place() {
        let updated = replace_section(PAGE, "search", "new search\n").expect("the markers are valid");
        assert!(updated.contains("<!-- bench:search -->\nnew search\n<!-- /bench:search -->"), "{updated}");
        assert!(!updated.contains("old search"), "{updated}");
        assert!(updated.contains("<!-- bench:poll -->\nold poll\n<!-- /bench:poll -->"), "{updated}");
        assert!(updated.starts_with("# Benchmarks\n\nIntro.\n\n"), "{updated}");
        assert!(updated.ends_with("\n\nFooter.\n"), "{updated}");
    }

    #[test]
    fn sections_survive_any_order() {
        let poll_first = replace_section(PAGE, "poll", "poll 2").expect("valid markers");
        let poll_first = replace_section(&poll_first, "search", "search 2").expect("valid markers");
        let search_first = replace_section(PAGE, "search", "search 2").expect("valid markers");
        let search_first = replace_section(&search_first, "poll", "poll 2").expect("valid markers");
        assert_eq!(poll_first, search_first);
    }

    #[test]
    fn missing_section_is_appended() {
        let updated = replace_section("# Benchmarks\n\nIntro.\n", "poll", "poll").expect("no markers is valid");
        assert_eq!(updated, "# Benchmarks\n\nIntro.\n\n<!-- bench:poll -->\npoll\n<!-- /bench:poll -->\n");
    }

    #[test]
    fn replacing_twice_is_stable() {
        let once = replace_section(PAGE, "poll", "same").expect("valid markers");
        let twice = replace_section(&once, "poll", "same").expect("valid markers");
        assert_eq!(once, twice);
    }

    #[test]
    fn unpaired_marker_is_rejected() {
        let start_only = "<!-- bench:poll -->\nold\n";
        let error = replace_section(start_only, "poll", "new").expect_err("a lone start marker is an error");
        assert!(error.to_string().contains("has no <!-- /bench:poll -->"), "{error}");

        let end_only = "old\n<!-- /bench:poll -->\n";
        let error = replace_section(end_only, "poll", "new").expect_err("a lone end marker is an error");
        assert!(error.to_string().contains("has no <!-- bench:poll -->"), "{error}");

        let swapped = "<!-- /bench:poll -->\n<!-- bench:poll -->\n";
        let error = replace_section(swapped, "poll", "new").expect_err("swapped markers are an error");
        assert!(error.to_string().contains("comes before"), "{error}");
    }

    #[test]
    fn missing_file_gets_page_header() {
        let root = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("a temporary directory can be created");
        let path = root.join("BENCHMARKS.md");
        let _ = std::fs::remove_file(&path);
        write_section(&path, "poll", "poll").expect("the file is written");
        let text = std::fs::read_to_string(&path).expect("the file is readable");
        assert!(text.starts_with("# Benchmarks\n"), "{text}");
        assert!(text.ends_with("<!-- bench:poll -->\npoll\n<!-- /bench:poll -->\n"), "{text}");
        let _ = std::fs::remove_dir_all(&root);
    }
}
