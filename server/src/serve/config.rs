//! The configuration file of `ogkit serve` (`--config FILE`).
//!
//! The file is TOML with one top-level key per command-line flag of
//! `ogkit serve`, spelt like the flag without the leading dashes
//! (`--allow-origin` is `allow-origin`). A flag given on the command line
//! overrides the key of the same name; for a list such as `allow-origin` the
//! flags replace the whole list of the file. Relative paths in the file are
//! resolved against the directory of the file, so that a file beside the
//! installed folders keeps working from any working directory.
//!
//! An unknown key, a value of the wrong type and a value that the flag would
//! reject are errors that name the file, the line and the key, and say what
//! to do. `deploy/ogkit.example.toml` documents every key; a test checks it
//! against [`KEYS`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::ValueEnum as _;
use toml::de::{DeTable, DeValue};

use super::{parse_allowed_origin, parse_listen_addr, AllowedOrigin, LogFormat, ServeArgs};

/// Every key of the file with the clap id of its flag. The key is the long
/// flag name; the id is the field name in [`ServeArgs`] and the structs it
/// flattens, which clap uses to report where a value came from.
pub(crate) const KEYS: &[(&str, &str)] = &[
    ("addr", "addr"),
    ("pkg", "pkg"),
    ("demo", "demo"),
    ("docs", "docs"),
    ("allow-origin", "allow_origins"),
    ("log-format", "log_format"),
    ("data-dir", "data_dir"),
    ("database", "database"),
    ("ballot-origin", "ballot_origins"),
    ("admin-token-file", "admin_token_file"),
    ("ballot-rate-limit", "ballot_rate_limit"),
    ("forms-dir", "forms_dir"),
    ("strict-forms", "strict_forms"),
    ("form-origin", "form_origins"),
    ("submission-rate-limit", "submission_rate_limit"),
];

/// Where to look up the example in error messages.
const SEE_EXAMPLE: &str = "deploy/ogkit.example.toml lists every key";

/// The settings read from a configuration file; `None` for an absent key.
#[derive(Debug, Default)]
pub(crate) struct FileSettings {
    addr: Option<SocketAddr>,
    pkg: Option<PathBuf>,
    demo: Option<PathBuf>,
    docs: Option<PathBuf>,
    allow_origin: Option<Vec<AllowedOrigin>>,
    log_format: Option<LogFormat>,
    data_dir: Option<PathBuf>,
    database: Option<PathBuf>,
    ballot_origin: Option<Vec<AllowedOrigin>>,
    admin_token_file: Option<PathBuf>,
    ballot_rate_limit: Option<u32>,
    forms_dir: Option<PathBuf>,
    strict_forms: Option<bool>,
    form_origin: Option<Vec<AllowedOrigin>>,
    submission_rate_limit: Option<u32>,
}

/// Reads and checks the configuration file at `path`.
pub(crate) fn load(path: &Path) -> anyhow::Result<FileSettings> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "--config {}: cannot read the configuration file; check the path and its permissions",
            path.display()
        )
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, &base).map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))
}

/// Parses the text of a configuration file; relative paths are joined to
/// `base`. The error names the line and the key.
pub(crate) fn parse(text: &str, base: &Path) -> Result<FileSettings, String> {
    let table = DeTable::parse(text).map_err(|error| {
        let line = error.span().map_or_else(String::new, |span| {
            format!("line {}: ", line_of(text, span.start))
        });
        format!(
            "{line}not valid TOML: {}; write one `key = value` per line, with text in \"quotes\"",
            error.message().trim_end()
        )
    })?;
    let mut settings = FileSettings::default();
    for (key, value) in table.get_ref() {
        let name: &str = key.get_ref();
        let line = line_of(text, key.span().start);
        let value = value.get_ref();
        let at = |problem: String| format!("line {line}: key \"{name}\": {problem}");
        match name {
            "addr" => {
                let text = string(value, "an address such as \"127.0.0.1:8080\"").map_err(at)?;
                settings.addr = Some(parse_listen_addr(text).map_err(at)?);
            }
            "pkg" => settings.pkg = Some(path_value(value, base).map_err(at)?),
            "demo" => settings.demo = Some(path_value(value, base).map_err(at)?),
            "docs" => settings.docs = Some(path_value(value, base).map_err(at)?),
            "allow-origin" => settings.allow_origin = Some(origins(value).map_err(at)?),
            "log-format" => {
                let text = string(value, "\"text\" or \"json\"").map_err(at)?;
                let format = LogFormat::from_str(text, false)
                    .map_err(|_| format!("expected \"text\" or \"json\", found {text:?}"))
                    .map_err(at)?;
                settings.log_format = Some(format);
            }
            "data-dir" => settings.data_dir = Some(path_value(value, base).map_err(at)?),
            "database" => settings.database = Some(path_value(value, base).map_err(at)?),
            "ballot-origin" => settings.ballot_origin = Some(origins(value).map_err(at)?),
            "admin-token-file" => {
                settings.admin_token_file = Some(path_value(value, base).map_err(at)?);
            }
            "ballot-rate-limit" => settings.ballot_rate_limit = Some(count(value).map_err(at)?),
            "forms-dir" => settings.forms_dir = Some(path_value(value, base).map_err(at)?),
            "strict-forms" => settings.strict_forms = Some(boolean(value).map_err(at)?),
            "form-origin" => settings.form_origin = Some(origins(value).map_err(at)?),
            "submission-rate-limit" => {
                settings.submission_rate_limit = Some(count(value).map_err(at)?);
            }
            "config" => {
                return Err(format!(
                    "line {line}: key \"config\": a configuration file cannot name another one; \
                     remove the line"
                ))
            }
            _ => {
                return Err(format!(
                    "line {line}: unknown key \"{name}\"; remove it or correct the spelling \
                     (keys are the flags of `ogkit serve` without the leading dashes, such as \
                     allow-origin; known keys: {}; {SEE_EXAMPLE})",
                    KEYS.iter().map(|(key, _)| *key).collect::<Vec<_>>().join(", ")
                ))
            }
        }
    }
    Ok(settings)
}

/// Copies every setting of the file into `args` whose flag was not given
/// on the command line. `from_command_line` returns whether the command line
/// set the argument of a clap id.
pub(crate) fn apply(
    settings: FileSettings,
    args: &mut ServeArgs,
    from_command_line: impl Fn(&str) -> bool,
) {
    fn set<T>(target: &mut T, value: Option<T>, given: bool) {
        if let Some(value) = value {
            if !given {
                *target = value;
            }
        }
    }
    let given = |id: &str| from_command_line(id);
    set(&mut args.addr, settings.addr, given("addr"));
    set(&mut args.pkg, settings.pkg, given("pkg"));
    set(&mut args.demo, settings.demo, given("demo"));
    set(&mut args.docs, settings.docs, given("docs"));
    set(&mut args.allow_origins, settings.allow_origin, given("allow_origins"));
    set(&mut args.log_format, settings.log_format, given("log_format"));
    let polls = &mut args.polls;
    set(&mut polls.database.data_dir, settings.data_dir, given("data_dir"));
    set(&mut polls.database.database, settings.database.map(Some), given("database"));
    set(&mut polls.ballot_origins, settings.ballot_origin, given("ballot_origins"));
    set(
        &mut polls.admin_token_file,
        settings.admin_token_file.map(Some),
        given("admin_token_file"),
    );
    set(&mut polls.ballot_rate_limit, settings.ballot_rate_limit, given("ballot_rate_limit"));
    let forms = &mut args.forms;
    set(&mut forms.forms_dir, settings.forms_dir.map(Some), given("forms_dir"));
    set(&mut forms.strict_forms, settings.strict_forms, given("strict_forms"));
    set(&mut forms.form_origins, settings.form_origin, given("form_origins"));
    set(
        &mut forms.submission_rate_limit,
        settings.submission_rate_limit,
        given("submission_rate_limit"),
    );
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&byte| byte == b'\n').count() + 1
}

/// The TOML type of a value, in the words of the error messages.
fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn string<'a>(value: &'a DeValue<'_>, expected: &str) -> Result<&'a str, String> {
    value.as_str().ok_or_else(|| {
        format!("expected a string in quotes, {expected}, found {}", type_name(value))
    })
}

fn path_value(value: &DeValue<'_>, base: &Path) -> Result<PathBuf, String> {
    let text = string(value, "a path such as \"/var/lib/ogkit\"")?;
    if text.is_empty() {
        return Err("the path is empty; give a path or remove the line".to_owned());
    }
    let path = Path::new(text);
    Ok(if path.is_relative() { base.join(path) } else { path.to_path_buf() })
}

fn origins(value: &DeValue<'_>) -> Result<Vec<AllowedOrigin>, String> {
    let expected = "expected a list of origins such as [\"https://www.example-stadt.de\"]";
    let Some(array) = value.as_array() else {
        return Err(format!("{expected}, found {}", type_name(value)));
    };
    array
        .iter()
        .map(|item| {
            let item = item.get_ref();
            let text = item
                .as_str()
                .ok_or_else(|| format!("{expected}, found {} in the list", type_name(item)))?;
            parse_allowed_origin(text)
        })
        .collect()
}

fn boolean(value: &DeValue<'_>) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("expected true or false without quotes, found {}", type_name(value)))
}

fn count(value: &DeValue<'_>) -> Result<u32, String> {
    let expected = "expected a whole number from 0 to 4294967295 without quotes (0: no limit)";
    let Some(integer) = value.as_integer() else {
        return Err(format!("{expected}, found {}", type_name(value)));
    };
    u32::from_str_radix(&integer.as_str().replace('_', ""), integer.radix())
        .map_err(|_| format!("{expected}, found {}", integer.as_str()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use clap::parser::ValueSource;
    use clap::{CommandFactory as _, FromArgMatches as _, Parser};

    use super::{apply, parse, KEYS};
    use crate::serve::{AllowedOrigin, LogFormat, ServeArgs};

    const EXAMPLE: &str = include_str!("../../../deploy/ogkit.example.toml");

    #[derive(Debug, Parser)]
    struct TestCli {
        #[command(flatten)]
        args: ServeArgs,
    }

    /// Parses a command line and applies the file text like `ogkit serve`.
    fn serve_args(arguments: &[&str], file: &str) -> Result<ServeArgs, String> {
        let all = std::iter::once("serve").chain(arguments.iter().copied());
        let matches = TestCli::command().try_get_matches_from(all).map_err(|e| e.to_string())?;
        let mut args = TestCli::from_arg_matches(&matches).map_err(|e| e.to_string())?.args;
        let settings = parse(file, Path::new("/etc/ogkit"))?;
        apply(settings, &mut args, |id| {
            matches.value_source(id) == Some(ValueSource::CommandLine)
        });
        Ok(args)
    }

    #[test]
    fn every_flag_has_a_key() {
        let command = TestCli::command();
        let mut flags = BTreeSet::new();
        for argument in command.get_arguments() {
            let Some(long) = argument.get_long() else { continue };
            if long == "config" || long == "help" {
                continue;
            }
            let id = argument.get_id().as_str();
            assert!(
                KEYS.contains(&(long, id)),
                "--{long} (id {id}) has no entry in config::KEYS"
            );
            flags.insert(long);
        }
        let keys: BTreeSet<&str> = KEYS.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, flags, "config::KEYS lists a key without a flag");
    }

    #[test]
    fn example_file_parses_and_shows_every_key() {
        parse(EXAMPLE, Path::new("/opt/ogkit/deploy")).expect("the example file is valid");
        // Keys without a sensible default are shown commented out; with
        // those lines switched on, the file must still be valid and hold
        // every key exactly once.
        let active: BTreeSet<&str> = EXAMPLE
            .lines()
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
            .collect();
        let mut switched_on = String::new();
        for line in EXAMPLE.lines() {
            let line = match line.strip_prefix("# ").and_then(|rest| {
                let (key, _) = rest.split_once(" = ")?;
                (KEYS.iter().any(|(known, _)| *known == key) && !active.contains(key))
                    .then_some(rest)
            }) {
                Some(uncommented) => uncommented,
                None => line,
            };
            switched_on.push_str(line);
            switched_on.push('\n');
        }
        let settings = parse(&switched_on, Path::new("/opt/ogkit/deploy"))
            .expect("the commented-out example lines are valid");
        let table = toml::de::DeTable::parse(&switched_on).expect("valid TOML");
        let found: BTreeSet<String> =
            table.get_ref().keys().map(|key| key.get_ref().to_string()).collect();
        let expected: BTreeSet<String> = KEYS.iter().map(|(key, _)| (*key).to_owned()).collect();
        assert_eq!(found, expected, "deploy/ogkit.example.toml and the flags differ");
        assert!(settings.database.is_some(), "the commented-out database key was not read");
        assert!(settings.forms_dir.is_some(), "the commented-out forms-dir key was not read");
    }

    #[test]
    fn file_values_apply_and_flags_override_them() {
        let file = "addr = \"127.0.0.1:9000\"\npkg = \"widgets\"\ndemo = \"/srv/site\"\n\
                    allow-origin = [\"https://a.example\", \"https://b.example\"]\n\
                    log-format = \"json\"\nballot-rate-limit = 0\nsubmission-rate-limit = 5\n\
                    database = \"data/ogkit.sqlite\"\n";
        let args = serve_args(&[], file).expect("valid file");
        assert_eq!(args.addr.to_string(), "127.0.0.1:9000");
        assert_eq!(args.pkg, Path::new("/etc/ogkit/widgets"), "relative to the file");
        assert_eq!(args.demo, Path::new("/srv/site"));
        assert_eq!(args.docs, Path::new("target/docs"), "absent keys keep the default");
        assert_eq!(args.allow_origins.len(), 2);
        assert_eq!(args.log_format, LogFormat::Json);
        assert_eq!(args.polls.ballot_rate_limit, 0);
        assert_eq!(args.forms.submission_rate_limit, 5);
        assert_eq!(
            args.polls.database.database.as_deref(),
            Some(Path::new("/etc/ogkit/data/ogkit.sqlite"))
        );

        let args = serve_args(
            &[
                "--addr",
                "127.0.0.1:0",
                "--pkg",
                "pkg",
                "--allow-origin",
                "https://c.example",
                "--ballot-rate-limit",
                "7",
            ],
            file,
        )
        .expect("valid flags and file");
        assert_eq!(args.addr.port(), 0);
        assert_eq!(args.pkg, Path::new("pkg"));
        assert_eq!(args.demo, Path::new("/srv/site"));
        let expected = super::parse_allowed_origin("https://c.example").expect("valid origin");
        assert_eq!(args.allow_origins, vec![expected], "flags replace the file's list");
        assert_eq!(args.polls.ballot_rate_limit, 7);
        assert_eq!(args.forms.submission_rate_limit, 5);
    }

    #[test]
    fn explicit_default_on_the_command_line_still_wins() {
        let args = serve_args(&["--log-format", "text"], "log-format = \"json\"\n")
            .expect("valid");
        assert_eq!(args.log_format, LogFormat::Text);
    }

    #[test]
    fn strict_forms_from_file_or_flag() {
        let args = serve_args(&[], "").expect("valid");
        assert!(!args.forms.strict_forms, "broken schema files are skipped by default");
        let args = serve_args(&[], "strict-forms = true\n").expect("valid");
        assert!(args.forms.strict_forms);
        let args = serve_args(&["--strict-forms"], "strict-forms = false\n").expect("valid");
        assert!(args.forms.strict_forms, "the flag wins over the file");
    }

    #[test]
    fn star_allows_every_origin() {
        let args = serve_args(&[], "form-origin = [\"*\"]\n").expect("valid");
        assert_eq!(args.forms.form_origins, vec![AllowedOrigin::Any]);
    }

    fn error_of(file: &str) -> String {
        parse(file, Path::new("/etc/ogkit")).expect_err("the file is invalid")
    }

    #[test]
    fn unknown_key_error_names_line() {
        let message = error_of("addr = \"127.0.0.1:8080\"\n\nallowed-origins = []\n");
        assert!(message.starts_with("line 3: unknown key \"allowed-origins\""), "{message}");
        assert!(message.contains("allow-origin"), "{message}");
        assert!(message.contains("correct the spelling"), "{message}");
    }

    #[test]
    fn sections_are_unknown_keys() {
        let message = error_of("# comment\n[serve]\naddr = \"127.0.0.1:8080\"\n");
        assert!(message.starts_with("line 2: unknown key \"serve\""), "{message}");
    }

    #[test]
    fn wrong_types_name_key_line_and_expected_type() {
        let cases = [
            ("ballot-rate-limit = \"300\"\n", "line 1: key \"ballot-rate-limit\"", "whole number"),
            ("\naddr = 8080\n", "line 2: key \"addr\"", "found a number"),
            ("allow-origin = \"https://a.example\"\n", "line 1: key \"allow-origin\"", "list"),
            ("form-origin = [1]\n", "line 1: key \"form-origin\"", "found a number in the list"),
            ("pkg = true\n", "line 1: key \"pkg\"", "found true or false"),
            ("submission-rate-limit = -1\n", "line 1: key \"submission-rate-limit\"", "from 0"),
            ("ballot-rate-limit = 1.5\n", "line 1: key \"ballot-rate-limit\"", "decimal number"),
            ("strict-forms = \"true\"\n", "line 1: key \"strict-forms\"", "true or false without quotes"),
        ];
        for (file, start, detail) in cases {
            let message = error_of(file);
            assert!(message.starts_with(start), "{file:?}: {message}");
            assert!(message.contains(detail), "{file:?}: {message}");
        }
    }

    #[test]
    fn invalid_values_use_the_messages_of_the_flags() {
        let message = error_of("addr = \"localhost:8080\"\n");
        assert!(message.contains("line 1: key \"addr\""), "{message}");
        assert!(message.contains("host names"), "{message}");
        let message = error_of("allow-origin = [\"https://a.example/path\"]\n");
        assert!(message.contains("no path"), "{message}");
        let message = error_of("log-format = \"xml\"\n");
        assert!(message.contains("\"text\" or \"json\""), "{message}");
        let message = error_of("docs = \"\"\n");
        assert!(message.contains("empty"), "{message}");
        let message = error_of("config = \"other.toml\"\n");
        assert!(message.contains("cannot name another"), "{message}");
    }

    #[test]
    fn broken_toml_names_the_line() {
        let message = error_of("addr = \"127.0.0.1:8080\"\npkg = /opt/ogkit/pkg\n");
        assert!(message.starts_with("line 2: not valid TOML"), "{message}");
        assert!(message.contains("quotes"), "{message}");
        let message = error_of("addr = \"127.0.0.1:8080\"\naddr = \"127.0.0.1:9090\"\n");
        assert!(message.starts_with("line 2:"), "{message}");
    }
}
