//! `ogkit import services` run as a program: summary, exit code, output
//! file, and the imported demo catalogues that must match their sources.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ogkit_core::catalogue::Catalogue;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Returns a path in cargo's scratch folder for tests, with no file there yet.
fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("import_cli-{name}"));
    let _ = std::fs::remove_file(&path);
    path
}

fn ogkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ogkit"))
        .args(args)
        .current_dir(repository_root())
        .output()
        .expect("the ogkit binary runs")
}

fn import(from: &str, input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["import", "services", "--from", from];
    args.push(input.to_str().expect("scratch paths are UTF-8"));
    args.extend(["-o", output.to_str().expect("scratch paths are UTF-8")]);
    args.extend(extra);
    ogkit(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn read_catalogue(path: &Path) -> Catalogue {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|error| panic!("{} is not a catalogue: {error}", path.display()))
}

fn write_input(name: &str, content: &[u8]) -> PathBuf {
    let path = scratch(name);
    std::fs::write(&path, content).expect("the scratch folder is writable");
    path
}

const GOOD_DLDB: &str = r#"{"data": [
    {"id": "1", "name": "Personalausweis", "description": "<p>Bitte <b>rechtzeitig</b>.</p>",
     "meta": {"keywords": "Perso, Ausweis"}, "leika": "99008001000000"},
    {"id": "2", "name": "Reisepass"}
]}"#;

const BAD_DLDB: &str = r#"{"data": [
    {"id": "1", "name": "Personalausweis"},
    {"id": "2", "name": ""},
    {"id": "1", "name": "Reisepass"},
    {"id": "4", "name": "Meldebescheinigung", "leika": "3233", "meta": {"url": "javascript:alert(1)"}}
]}"#;

mod when_input_has_bad_records {
    use super::*;

    #[test]
    fn summary_lists_reasons_and_positions() {
        let input = write_input("bad.json", BAD_DLDB.as_bytes());
        let output_path = scratch("bad-out.json");
        let output = import("dldb", &input, &output_path, &[]);
        let summary = stderr(&output);

        assert!(output.status.success(), "{summary}");
        assert!(summary.contains("read 4 records from"), "{summary}");
        assert!(summary.contains("imported 2, skipped 2"), "{summary}");
        assert!(
            summary.contains("skipped (2):\n  missing name: 1\n    data[1].name: missing or empty name"),
            "{summary}"
        );
        assert!(summary.contains("  duplicate id: 1\n    data[2]: id \"1\" was already used at data[0]"), "{summary}");
        assert!(summary.contains("warnings (2):"), "{summary}");
        assert!(summary.contains("    data[3].meta.url: "), "{summary}");
        assert!(summary.contains("    data[3].leika: \"3233\" is not a 14-digit LeiKa key"), "{summary}");
        assert_eq!(read_catalogue(&output_path).services.len(), 2);
    }

    #[test]
    fn long_groups_are_shortened() {
        let rows: String = (1..=5).map(|row| format!("nicht im LeiKa,Leistung {row}\n")).collect();
        let input = write_input("keys.csv", format!("leistungsschluessel,leistung\n{rows}").as_bytes());
        let output_path = scratch("keys-out.json");

        let short = stderr(&import("leika-csv", &input, &output_path, &[]));
        assert!(short.contains("  invalid LeiKa key left out: 5\n"), "{short}");
        assert!(short.contains("    … and 2 more (--verbose lists all)"), "{short}");

        let long = stderr(&import("leika-csv", &input, &output_path, &["--verbose"]));
        assert!(long.contains("record 5 (line 6), column \"leistungsschluessel\""), "{long}");
        assert!(!long.contains("more"), "{long}");
    }

    #[test]
    fn nothing_imported_fails_without_output() {
        let input = write_input("none.json", br#"{"data": [{"id": "1", "name": ""}]}"#);
        let output_path = scratch("none-out.json");
        let output = import("dldb", &input, &output_path, &[]);
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("no service could be imported"), "{}", stderr(&output));
        assert!(!output_path.exists());
    }
}

mod when_input_is_not_the_format {
    use super::*;

    #[test]
    fn html_page_fails_with_one_message() {
        let input = write_input("page.html", b"<!DOCTYPE html>\n<html><body>404</body></html>");
        let output_path = scratch("page-out.json");
        let output = import("dldb", &input, &output_path, &[]);
        assert_eq!(output.status.code(), Some(1));
        let message = stderr(&output);
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.starts_with("ogkit: "), "{message}");
        assert!(message.contains("page.html: input looks like an HTML or XML page, not a DLDB export"), "{message}");
        assert!(!output_path.exists());
    }

    #[test]
    fn json_given_as_csv_names_the_right_option() {
        let input = write_input("services.json", GOOD_DLDB.as_bytes());
        let output = import("leika-csv", &input, &scratch("json-out.json"), &[]);
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("(use --from dldb for a DLDB export)"), "{}", stderr(&output));
    }

    #[test]
    fn unknown_csv_header_lists_expected_columns() {
        let input = write_input("other.csv", b"Titel,Text\nA,B\n");
        let output = import("leika-csv", &input, &scratch("other-out.json"), &[]);
        assert_eq!(output.status.code(), Some(1));
        let message = stderr(&output);
        assert!(message.contains("unknown CSV header [\"Titel\", \"Text\"]"), "{message}");
        assert!(message.contains("\"leistungsschluessel\", \"leistung\""), "{message}");
    }

    #[test]
    fn missing_input_fails() {
        let output = import("dldb", Path::new("does/not/exist.json"), &scratch("missing-out.json"), &[]);
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("cannot read does/not/exist.json"), "{}", stderr(&output));
    }
}

mod when_input_is_good {
    use super::*;

    #[test]
    fn output_parses_as_catalogue() {
        let input = write_input("good.json", GOOD_DLDB.as_bytes());
        let output_path = scratch("good-out.json");
        let output = import("dldb", &input, &output_path, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stderr(&output).contains("imported 2, skipped 0"));

        let catalogue = read_catalogue(&output_path);
        assert_eq!(catalogue.format, ogkit_core::catalogue::FORMAT);
        assert_eq!(catalogue.version, ogkit_core::catalogue::VERSION);
        assert_eq!(catalogue.services[0].keywords, ["Perso", "Ausweis"]);
        let json = std::fs::read_to_string(&output_path).expect("output is text");
        assert_eq!(json.lines().count(), 1, "compact output is one line");
    }

    #[test]
    fn options_set_title_and_source() {
        let input = write_input("source.json", GOOD_DLDB.as_bytes());
        let output_path = scratch("source-out.json");
        let options = [
            "--title",
            "Leistungen der Stadt Musterstadt",
            "--source-name",
            "Stadt Musterstadt",
            "--source-url",
            "https://musterstadt.example/leistungen",
            "--licence",
            "dl-de/by-2-0",
            "--pretty",
        ];
        let output = import("dldb", &input, &output_path, &options);
        assert!(output.status.success(), "{}", stderr(&output));

        let catalogue = read_catalogue(&output_path);
        assert_eq!(catalogue.title.as_deref(), Some("Leistungen der Stadt Musterstadt"));
        let source = catalogue.source.expect("source is set");
        assert_eq!(source.name.as_deref(), Some("Stadt Musterstadt"));
        assert_eq!(source.url.as_deref(), Some("https://musterstadt.example/leistungen"));
        assert_eq!(source.licence.as_deref(), Some("dl-de/by-2-0"));
        let json = std::fs::read_to_string(&output_path).expect("output is text");
        assert!(json.lines().count() > 10, "--pretty indents the output");
    }

    #[test]
    fn invalid_source_url_is_rejected() {
        let input = write_input("bad-url.json", GOOD_DLDB.as_bytes());
        let output = import("dldb", &input, &scratch("bad-url-out.json"), &["--source-url", "javascript:alert(1)"]);
        assert_eq!(output.status.code(), Some(1));
        assert!(stderr(&output).contains("--source-url: "), "{}", stderr(&output));
    }
}

/// The demo catalogues are generated; these tests fail when a change to the
/// importer or the catalogue types would change them.
mod demo_catalogues {
    use super::*;

    fn check_current(from: &str, input: &str, committed: &str) {
        let root = repository_root();
        let fresh = scratch(&committed.replace('/', "_"));
        let output = import(from, &root.join(input), &fresh, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let expected = std::fs::read(root.join(committed)).unwrap_or_default();
        let actual = std::fs::read(&fresh).expect("the import wrote its output");
        assert!(
            expected == actual,
            "{committed} is out of date; regenerate it with\n  \
             cargo run -p ogkit-server -- import services --from {from} {input} -o {committed}"
        );
    }

    #[test]
    fn munich_catalogue_is_current() {
        check_current("dldb", "data/services/muenchen_dldb_services_de.json", "demo/daten/muenchen.json");
    }

    #[test]
    fn ozg_leika_catalogue_is_current() {
        check_current("leika-csv", "data/services/ozg_nrw_2019_katalog_joined.csv", "demo/daten/ozg-leika.json");
    }
}

mod when_output_folder_is_missing {
    use super::*;

    #[test]
    fn folder_is_created() {
        let input = write_input("folder.json", GOOD_DLDB.as_bytes());
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import_cli-new-folder");
        let _ = std::fs::remove_dir_all(&folder);
        let output_path = folder.join("daten/leistungen.json");

        let output = import("dldb", &input, &output_path, &[]);

        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(read_catalogue(&output_path).services.len(), 2);
    }
}
