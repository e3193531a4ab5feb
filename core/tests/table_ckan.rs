//! The CKAN reader on whole responses: datasets, resources, DataStore pages
//! and error envelopes, modelled on the Action API documentation, including
//! malformed and hostile ones.

use ogkit_core::table::ckan::{
    decode_response, pick_resource, ApiBase, CkanError, CkanKey, DatasetInfo, DatastorePage,
    DatastoreRequest, FullText, Package, ReadMode, Resource,
};
use ogkit_core::table::{ColumnFilter, ColumnType, Lang, Query, SortKey};

const BAUMKATASTER: &str = include_str!("fixtures/ckan/package_show_baumkataster.json");
const SCHEMING_CSV: &str = include_str!("fixtures/ckan/package_show_scheming_csv.json");
const JSON_BY_EXTENSION: &str = include_str!("fixtures/ckan/package_show_json_by_extension.json");
const NO_TABLE: &str = include_str!("fixtures/ckan/package_show_no_table.json");
const HOSTILE: &str = include_str!("fixtures/ckan/package_show_hostile.json");
const WRONG_TYPES: &str = include_str!("fixtures/ckan/package_show_wrong_types.json");
const RESOURCE_DATASTORE: &str = include_str!("fixtures/ckan/resource_show_datastore.json");
const RESOURCE_PDF: &str = include_str!("fixtures/ckan/resource_show_pdf.json");
const DATASTORE_PAGE: &str = include_str!("fixtures/ckan/datastore_search_page.json");
const NOT_FOUND: &str = include_str!("fixtures/ckan/error_not_found.json");
const AUTHORIZATION: &str = include_str!("fixtures/ckan/error_authorization.json");
const VALIDATION: &str = include_str!("fixtures/ckan/error_validation.json");
const PROXY_HTML: &str = include_str!("fixtures/ckan/proxy_error.html");

fn base() -> ApiBase {
    ApiBase::parse("http://127.0.0.1:5000").unwrap()
}

fn package(body: &str) -> Package {
    Package::from_result(&decode_response(200, body).unwrap()).unwrap()
}

fn info(package: &Package) -> DatasetInfo {
    let resource = pick_resource(package).ok().map(|pick| pick.resource);
    DatasetInfo::from_package(package, resource, &base())
}

/// Checks that both texts of `error` are filled in completely.
fn assert_messages_complete(error: &CkanError) {
    for lang in [Lang::De, Lang::En] {
        let text = error.message(lang);
        assert!(!text.contains('{'), "{:?} {lang:?}: {text}", error.key());
        assert!(
            !text.starts_with("ckan-"),
            "{:?} {lang:?}: {text}",
            error.key()
        );
    }
}

mod when_dataset_has_datastore {
    use super::*;

    #[test]
    fn datastore_resource_is_picked() {
        let package = package(BAUMKATASTER);
        let pick = pick_resource(&package).unwrap();
        assert_eq!(pick.mode, ReadMode::Datastore);
        assert_eq!(pick.resource.id, "11111111-aaaa-4bbb-8ccc-000000000003");
    }

    #[test]
    fn dcat_publisher_wins_over_organization() {
        let publisher = info(&package(BAUMKATASTER)).publisher.unwrap();
        assert_eq!(publisher.name, "Stadt Musterstadt – Grünflächenamt");
        assert_eq!(
            publisher.url.as_deref(),
            Some("https://www.musterstadt.example/gruenflaechenamt")
        );
    }

    #[test]
    fn licence_and_attribution_are_read() {
        let info = info(&package(BAUMKATASTER));
        let licence = info.licence.unwrap();
        assert_eq!(
            licence.name,
            "Datenlizenz Deutschland – Namensnennung – Version 2.0"
        );
        assert_eq!(
            licence.url.as_deref(),
            Some("https://www.govdata.de/dl-de/by-2-0")
        );
        assert_eq!(
            info.attribution.as_deref(),
            Some("Stadt Musterstadt, Grünflächenamt")
        );
    }

    #[test]
    fn source_and_portal_links_are_kept() {
        let info = info(&package(BAUMKATASTER));
        assert_eq!(info.title.as_deref(), Some("Baumkataster Musterstadt"));
        assert_eq!(
            info.source.as_deref(),
            Some("https://www.musterstadt.example/umwelt/baeume")
        );
        assert_eq!(
            info.portal_page.as_deref(),
            Some("http://127.0.0.1:5000/dataset/baumkataster-musterstadt")
        );
    }

    #[test]
    fn resource_change_is_german_date() {
        // 23:15 UTC on 17 November is 00:15 on 18 November in German time.
        let change = info(&package(BAUMKATASTER)).last_change.unwrap();
        assert_eq!(change.format(Lang::De), "18. November 2024");
        assert_eq!(change.format(Lang::En), "18 November 2024");
        assert_eq!(change.datetime_attribute(), "2024-11-18");
    }

    #[test]
    fn lines_follow_language() {
        let info = info(&package(BAUMKATASTER));
        let german: Vec<(&str, &str)> = info
            .lines(Lang::De)
            .iter()
            .map(|line| (line.hook, line.label))
            .collect();
        assert_eq!(
            german,
            [
                ("licence", "Lizenz"),
                ("attribution", "Namensnennung"),
                ("publisher", "Herausgeber"),
                ("modified", "Zuletzt geändert"),
                ("source", "Quelle"),
                ("portal", "Datensatz im Portal"),
            ]
        );
        let english = info.lines(Lang::En);
        assert_eq!(english[0].label, "Licence");
        assert_eq!(english[3].text, "18 November 2024");
        assert_eq!(english[3].datetime.as_deref(), Some("2024-11-18"));
    }
}

mod when_dataset_has_files {
    use super::*;

    #[test]
    fn csv_is_preferred_over_earlier_json() {
        let package = package(SCHEMING_CSV);
        let pick = pick_resource(&package).unwrap();
        assert_eq!(pick.mode, ReadMode::Csv);
        assert_eq!(pick.resource.id, "22222222-bbbb-4ccc-8ddd-000000000003");
        assert_eq!(
            pick.resource.url.as_deref(),
            Some("https://wahlen.musterstadt.example/2024/ergebnisse.csv")
        );
    }

    #[test]
    fn top_level_dcat_fields_are_read() {
        let info = info(&package(SCHEMING_CSV));
        let publisher = info.publisher.unwrap();
        assert_eq!(publisher.name, "Stadt Musterstadt, Wahlamt");
        assert_eq!(publisher.url, None, "a javascript: URL must be dropped");
        assert_eq!(info.source, None);
    }

    #[test]
    fn licence_uri_gets_known_name() {
        let licence = info(&package(SCHEMING_CSV)).licence.unwrap();
        assert_eq!(licence.name, "Datenlizenz Deutschland – Zero – Version 2.0");
        assert_eq!(
            licence.url.as_deref(),
            Some("https://www.govdata.de/dl-de/zero-2-0")
        );
    }

    #[test]
    fn summer_time_moves_date() {
        // 22:30 UTC on 10 June is 00:30 on 11 June in summer time.
        let change = info(&package(SCHEMING_CSV)).last_change.unwrap();
        assert_eq!(change.datetime_attribute(), "2024-06-11");
    }

    #[test]
    fn json_found_by_url_extension() {
        let package = package(JSON_BY_EXTENSION);
        let pick = pick_resource(&package).unwrap();
        assert_eq!(pick.mode, ReadMode::Json);
        assert_eq!(pick.resource.id, "33333333-cccc-4ddd-8eee-000000000002");
    }

    #[test]
    fn package_change_used_without_resource_change() {
        let info = info(&package(JSON_BY_EXTENSION));
        assert_eq!(info.last_change.unwrap().format(Lang::De), "1. Januar 2024");
        assert_eq!(info.publisher, None);
        let licence = info.licence.unwrap();
        assert_eq!(licence.name, "Creative Commons Attribution 4.0");
    }
}

mod when_nothing_fits {
    use super::*;

    #[test]
    fn message_lists_found_formats() {
        let package = package(NO_TABLE);
        let error = pick_resource(&package).unwrap_err();
        assert_eq!(error.key(), CkanKey::NoTableResource);
        assert_eq!(error.param("found"), Some("PDF, XLSX ×2, GEOJSON, ?"));
        let german = error.message(Lang::De);
        assert!(german.contains("„Bebauungspläne“"), "{german}");
        assert!(german.contains("PDF, XLSX ×2, GEOJSON, ?"), "{german}");
        assert!(error.message(Lang::En).contains("no CSV and no JSON file"));
        assert_messages_complete(&error);
    }

    #[test]
    fn resource_of_other_format_is_explained() {
        let resource = Resource::from_result(&decode_response(200, RESOURCE_PDF).unwrap()).unwrap();
        let error = resource.check_readable().unwrap_err();
        assert_eq!(error.key(), CkanKey::ResourceFormat);
        let german = error.message(Lang::De);
        assert!(
            german.contains("„Datenbeschreibung“ hat das Format PDF"),
            "{german}"
        );
        assert_messages_complete(&error);
    }

    #[test]
    fn wrong_types_count_as_missing() {
        let package = package(WRONG_TYPES);
        assert_eq!(package.label(), "6a8e0c24-3f5b-4d9c-a709-b13d5f7a9b13");
        assert!(package.resources.is_empty());
        let error = pick_resource(&package).unwrap_err();
        assert_eq!(error.param("found"), Some("-"));

        let info = info(&package);
        assert_eq!(info.title, None);
        assert_eq!(info.licence, None);
        assert_eq!(info.last_change, None);
        assert_eq!(info.publisher.unwrap().name, "stadtkasse");
    }
}

mod when_response_is_hostile {
    use super::*;

    #[test]
    fn markup_in_title_stays_text() {
        let info = info(&package(HOSTILE));
        assert_eq!(
            info.title.as_deref(),
            Some("<img src=x onerror=\"alert(1)\">Parkplätze &amp; <b>Parkhäuser</b>")
        );
        assert_eq!(
            info.licence.as_ref().unwrap().name,
            "<a href=\"javascript:alert(2)\">CC BY</a>"
        );
        assert_eq!(info.publisher.as_ref().unwrap().name, "<i>Tiefbauamt</i>");
    }

    #[test]
    fn unsafe_links_are_dropped() {
        let info = info(&package(HOSTILE));
        assert_eq!(info.licence.unwrap().url, None);
        assert_eq!(info.publisher.unwrap().url, None);
        assert_eq!(info.source, None);
        let lines = DatasetInfo::from_package(&package(HOSTILE), None, &base()).lines(Lang::De);
        for line in lines {
            if let Some(url) = line.url {
                assert!(url.starts_with("http://127.0.0.1:5000/"), "{url}");
            }
        }
    }

    #[test]
    fn portal_link_encodes_name() {
        assert_eq!(
            info(&package(HOSTILE)).portal_page.as_deref(),
            Some("http://127.0.0.1:5000/dataset/%3Cscript%3Ealert%28%27name%27%29%3C%2Fscript%3E")
        );
    }

    #[test]
    fn javascript_resource_is_never_picked() {
        let package = package(HOSTILE);
        let pick = pick_resource(&package).unwrap();
        assert_eq!(pick.mode, ReadMode::Json);
        assert_eq!(pick.resource.id, "55555555-eeee-4fff-8000-000000000003");
        assert_eq!(pick.resource.name, "");
        assert!(!pick.resource.datastore_active);
    }

    #[test]
    fn impossible_dates_are_ignored() {
        assert_eq!(info(&package(HOSTILE)).last_change, None);
    }

    #[test]
    fn malformed_bodies_give_errors() {
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let cases: Vec<(u16, String, CkanKey)> = vec![
            (502, PROXY_HTML.to_owned(), CkanKey::HtmlResponse),
            (
                200,
                "<?xml version=\"1.0\"?><error/>".to_owned(),
                CkanKey::HtmlResponse,
            ),
            (200, String::new(), CkanKey::EmptyResponse),
            (200, "null".to_owned(), CkanKey::NotCkan),
            (200, "\"success\"".to_owned(), CkanKey::NotCkan),
            (
                200,
                "{\"success\": true, \"result\": ".to_owned(),
                CkanKey::InvalidJson,
            ),
            (200, "{\"success\": true}}".to_owned(), CkanKey::InvalidJson),
            (200, "{'success': true}".to_owned(), CkanKey::InvalidJson),
            (200, deep, CkanKey::InvalidJson),
            (500, "{\"success\": false}".to_owned(), CkanKey::ServerError),
            (
                500,
                "Internal Server Error".to_owned(),
                CkanKey::InvalidJson,
            ),
            (404, NOT_FOUND.to_owned(), CkanKey::NotFound),
            (403, AUTHORIZATION.to_owned(), CkanKey::Forbidden),
            (409, VALIDATION.to_owned(), CkanKey::Validation),
        ];
        for (status, body, key) in cases {
            let error = decode_response(status, &body).unwrap_err();
            assert_eq!(error.key(), key, "{status} {}", &body[..body.len().min(60)]);
            assert_messages_complete(&error);
        }
    }

    #[test]
    fn result_of_wrong_shape_is_invalid() {
        for body in [
            r#"{"success": true, "result": null}"#,
            r#"{"success": true, "result": []}"#,
            r#"{"success": true, "result": {"name": "ohne-id"}}"#,
            r#"{"success": true, "result": {"id": 5}}"#,
        ] {
            let result = decode_response(200, body).unwrap();
            let error = Package::from_result(&result).unwrap_err();
            assert_eq!(error.key(), CkanKey::ResultInvalid, "{body}");
            let error = Resource::from_result(&result).unwrap_err();
            assert_eq!(error.key(), CkanKey::ResultInvalid, "{body}");
            assert_messages_complete(&error);
        }
    }

    #[test]
    fn huge_total_is_rejected() {
        let body =
            r#"{"success": true, "result": {"records": [], "total": 184467440737095516160}}"#;
        let error = DatastorePage::from_result(&decode_response(200, body).unwrap()).unwrap_err();
        assert_eq!(error.key(), CkanKey::ResultInvalid);
        assert_eq!(error.param("field"), Some("total"));
    }
}

mod when_ckan_reports_error {
    use super::*;

    #[test]
    fn not_found_names_attributes() {
        let error = decode_response(404, NOT_FOUND).unwrap_err();
        assert_eq!(error.param("message"), Some("Not found"));
        assert!(error.message(Lang::De).contains("resource-id"));
        assert!(error.message(Lang::En).contains("dataset"));
    }

    #[test]
    fn authorization_message_is_kept() {
        let error = decode_response(403, AUTHORIZATION).unwrap_err();
        assert_eq!(
            error.param("message"),
            Some("Access denied: User not authorized to read package 7c3a")
        );
    }

    #[test]
    fn validation_details_are_listed() {
        let error = decode_response(409, VALIDATION).unwrap_err();
        assert_eq!(
            error.param("details"),
            Some("sort: field \"Höhe\" not in table")
        );
        assert_eq!(
            error.message(Lang::En),
            "The CKAN server rejected the request: sort: field \"Höhe\" not in table."
        );
    }

    #[test]
    fn html_page_names_status() {
        let error = decode_response(502, PROXY_HTML).unwrap_err();
        assert!(error.message(Lang::De).contains("HTTP-Status 502"));
    }
}

mod when_reading_datastore {
    use super::*;

    fn page() -> DatastorePage {
        DatastorePage::from_result(&decode_response(200, DATASTORE_PAGE).unwrap()).unwrap()
    }

    #[test]
    fn resource_show_gives_datastore_mode() {
        let resource =
            Resource::from_result(&decode_response(200, RESOURCE_DATASTORE).unwrap()).unwrap();
        assert_eq!(resource.check_readable(), Ok(ReadMode::Datastore));
        assert_eq!(
            resource.package_id.as_deref(),
            Some("6f2c1a4e-8b3d-4e5f-a1b2-c3d4e5f6a7b8")
        );
        let info = DatasetInfo::from_resource(&resource);
        assert_eq!(info.title.as_deref(), Some("Baumkataster (DataStore)"));
        assert_eq!(info.last_change.unwrap().datetime_attribute(), "2024-11-18");
    }

    #[test]
    fn field_types_map_to_columns() {
        let kinds: Vec<ColumnType> = page().fields.iter().map(|field| field.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnType::Integer,
                ColumnType::Integer,
                ColumnType::Text,
                ColumnType::Text,
                ColumnType::Decimal,
                ColumnType::Date,
                ColumnType::DateTime,
                ColumnType::Boolean,
            ]
        );
    }

    #[test]
    fn page_position_and_total_are_read() {
        let page = page();
        assert_eq!(page.total, 1_000_000);
        assert_eq!(page.offset, 20);
        assert_eq!(page.next_offset, Some(23));
        assert_eq!(page.total_note(), None);
        assert_eq!(page.fields[2].label.as_deref(), Some("Baumart"));
    }

    #[test]
    fn records_become_typed_table() {
        let page = page();
        let table = &page.loaded.table;
        assert_eq!(
            table.column_names(),
            [
                "_id",
                "Baum-Nr",
                "Art",
                "Bezirk",
                "Stammumfang",
                "Gepflanzt",
                "Kontrolle",
                "Gefällt"
            ]
        );
        assert!(table.columns()[0].is_hidden());
        assert_eq!(table.row_count(), 3);
        assert_eq!(table.text(2, 2), "<b>Stiel-Eiche</b>");
        assert_eq!(table.columns()[4].kind(), ColumnType::Decimal);
        assert_eq!(table.columns()[6].kind(), ColumnType::DateTime);
    }

    #[test]
    fn query_becomes_server_request() {
        let page = page();
        let query = Query {
            search: String::new(),
            filters: vec![
                (3, ColumnFilter::OneOf(vec!["Altstadt".to_owned()])),
                (2, ColumnFilter::Contains("Linde".to_owned())),
            ],
            sort: vec![SortKey {
                column: 4,
                descending: true,
            }],
        };
        let (request, notes) = DatastoreRequest::for_query(
            "11111111-aaaa-4bbb-8ccc-000000000003",
            &page.fields,
            &query,
            40,
            20,
        );
        assert!(notes.is_empty());
        assert_eq!(
            request.full_text,
            FullText::Fields(vec![("Art".to_owned(), "Linde".to_owned())])
        );
        assert_eq!(
            request.url(&base()).unwrap(),
            "http://127.0.0.1:5000/api/3/action/datastore_search\
             ?resource_id=11111111-aaaa-4bbb-8ccc-000000000003&limit=20&offset=40\
             &sort=%22Stammumfang%22%20desc%2C%20%22_id%22%20asc\
             &q=%7B%22Art%22%3A%22Linde%22%7D\
             &filters=%7B%22Bezirk%22%3A%22Altstadt%22%7D"
        );
    }

    #[test]
    fn unsupported_filters_give_notes_in_both_languages() {
        let page = page();
        let query = Query {
            search: "Eiche".to_owned(),
            filters: vec![
                (
                    4,
                    ColumnFilter::NumberRange {
                        min: Some(100.0),
                        max: None,
                    },
                ),
                (3, ColumnFilter::Contains("Alt".to_owned())),
            ],
            sort: Vec::new(),
        };
        let (request, notes) = DatastoreRequest::for_query("r", &page.fields, &query, 0, 20);
        assert_eq!(request.full_text, FullText::All("Eiche".to_owned()));
        assert_eq!(notes.len(), 2);
        assert_eq!(
            notes[0].message(Lang::De),
            "Spalte „Stammumfang“: Der CKAN-Server filtert nur nach genauen Werten, deshalb wurde der Bereichsfilter nicht angewendet."
        );
        assert_eq!(
            notes[1].message(Lang::En),
            "Column \"Bezirk\": The CKAN server cannot combine a search in one column with a search in all columns, so it was not applied."
        );
    }

    #[test]
    fn estimated_total_is_grouped() {
        let body = r#"{"success": true, "result": {"records": [], "total": 1234567, "total_was_estimated": true}}"#;
        let page = DatastorePage::from_result(&decode_response(200, body).unwrap()).unwrap();
        let note = page.total_note().unwrap();
        assert!(note.message(Lang::De).ends_with("etwa 1.234.567."));
        assert!(note.message(Lang::En).ends_with("about 1,234,567."));
    }
}

mod when_base_is_configured {
    use super::*;

    #[test]
    fn every_base_error_has_text() {
        for text in ["", "daten.example.de", "ftp://x", "https://a b"] {
            let error = ApiBase::parse(text).unwrap_err();
            assert_messages_complete(&error);
        }
    }

    #[test]
    fn show_urls_use_action_root() {
        let base = ApiBase::parse("https://daten.musterstadt.example/api/3/").unwrap();
        assert_eq!(
            base.package_show_url("baumkataster-musterstadt"),
            "https://daten.musterstadt.example/api/3/action/package_show?id=baumkataster-musterstadt"
        );
        assert_eq!(
            base.resource_show_url("11111111-aaaa-4bbb-8ccc-000000000003"),
            "https://daten.musterstadt.example/api/3/action/resource_show?id=11111111-aaaa-4bbb-8ccc-000000000003"
        );
    }
}
