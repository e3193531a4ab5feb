//! The requests that find a CKAN resource and its dataset, as a state
//! machine that the browser drives.
//!
//! With `resource-id`, the widget asks `resource_show` for the resource,
//! then `package_show` for its dataset's metadata. The second answer only
//! adds facts: when it fails, the table still shows with the resource's own
//! name and date. With `dataset`, one `package_show` gives both the
//! resource list, from which [`pick_resource`] chooses, and the metadata.
//!
//! [`Resolver`] holds the steps so that the browser code only fetches:
//! it asks [`Resolver::next_request`] for a URL, fetches it, and hands the
//! status and body to [`Resolver::receive`] (or calls
//! [`Resolver::network_failed`]) until [`Resolver::outcome`] is set.

use super::metadata::DatasetInfo;
use super::package::{pick_resource, Package, ReadMode, Resource};
use super::response::decode_response;
use super::url::ApiBase;
use super::{CkanError, CkanKey};

/// What the table shows from a CKAN site: the `ckan` attribute with
/// `resource-id` or `dataset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CkanSource {
    /// The site's Action API.
    pub base: ApiBase,
    /// The resource or dataset to show.
    pub target: Target,
}

/// The resource or dataset named by the attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `resource-id`: this resource.
    Resource(String),
    /// `dataset`: the best resource of this dataset (id or name).
    Dataset(String),
}

impl CkanSource {
    /// Reads the `ckan`, `resource-id` and `dataset` attributes. When both
    /// ids are given, `resource-id` wins, because it is the more precise.
    ///
    /// ```
    /// use ogkit_table::ckan::{CkanSource, Target};
    ///
    /// let source = CkanSource::from_attributes("https://daten.example.de", None, Some("baeume")).unwrap();
    /// assert_eq!(source.target, Target::Dataset("baeume".to_owned()));
    /// ```
    ///
    /// # Errors
    ///
    /// The errors of [`ApiBase::parse`], and [`CkanKey::IdMissing`] when
    /// both ids are missing or blank.
    pub fn from_attributes(
        ckan: &str,
        resource_id: Option<&str>,
        dataset: Option<&str>,
    ) -> Result<CkanSource, CkanError> {
        let base = ApiBase::parse(ckan)?;
        let present = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let target = match (present(resource_id), present(dataset)) {
            (Some(id), _) => Target::Resource(id),
            (None, Some(id)) => Target::Dataset(id),
            (None, None) => return Err(CkanError::new(CkanKey::IdMissing)),
        };
        Ok(CkanSource { base, target })
    }
}

/// The resource to show, how to read it, and the facts to show with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The resource.
    pub resource: Resource,
    /// How the table reads it.
    pub mode: ReadMode,
    /// Title, licence, publisher, source and last change.
    pub info: DatasetInfo,
}

impl Resolved {
    /// Returns the download URL for [`ReadMode::Csv`] and
    /// [`ReadMode::Json`]; `None` for the DataStore, which is read with
    /// `datastore_search` instead.
    pub fn file_url(&self) -> Option<&str> {
        match self.mode {
            ReadMode::Datastore => None,
            ReadMode::Csv | ReadMode::Json => self.resource.url.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Waiting for `resource_show` or `package_show` of the target.
    Target,
    /// Waiting for `package_show` of the resource's dataset.
    Metadata(Box<Resource>, ReadMode),
    /// Boxed like the resource above, because both are several times
    /// larger than the other steps.
    Done(Box<Result<Resolved, CkanError>>),
}

/// The steps from the attributes to a [`Resolved`] resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolver {
    source: CkanSource,
    step: Step,
}

impl Resolver {
    /// Starts resolving `source`.
    pub fn new(source: CkanSource) -> Resolver {
        Resolver {
            source,
            step: Step::Target,
        }
    }

    /// Returns the URL to fetch next, or `None` when the outcome is known.
    pub fn next_request(&self) -> Option<String> {
        let base = &self.source.base;
        match (&self.step, &self.source.target) {
            (Step::Target, Target::Resource(id)) => Some(base.resource_show_url(id)),
            (Step::Target, Target::Dataset(id)) => Some(base.package_show_url(id)),
            (Step::Metadata(resource, _), _) => resource
                .package_id
                .as_deref()
                .map(|id| base.package_show_url(id)),
            (Step::Done(_), _) => None,
        }
    }

    /// Takes the HTTP status and body of the response to the last
    /// [`Resolver::next_request`].
    pub fn receive(&mut self, status: u16, body: &str) {
        let step = std::mem::replace(&mut self.step, Step::Target);
        self.step = match step {
            Step::Target => match &self.source.target {
                Target::Resource(_) => self.resource_shown(status, body),
                Target::Dataset(_) => Step::Done(Box::new(self.package_picked(status, body))),
            },
            Step::Metadata(resource, mode) => {
                let package = decode_response(status, body)
                    .and_then(|result| Package::from_result(&result))
                    .ok();
                let info = match &package {
                    Some(package) => {
                        DatasetInfo::from_package(package, Some(&resource), &self.source.base)
                    }
                    None => DatasetInfo::from_resource(&resource),
                };
                Step::Done(Box::new(Ok(Resolved {
                    resource: *resource,
                    mode,
                    info,
                })))
            }
            done @ Step::Done(_) => done,
        };
    }

    /// Records that the last request failed without a response (network,
    /// CORS or timeout, as `error` says). A failed metadata request still
    /// resolves, with the resource's own facts.
    pub fn network_failed(&mut self, error: CkanError) {
        let step = std::mem::replace(&mut self.step, Step::Target);
        self.step = match step {
            Step::Metadata(resource, mode) => Step::Done(Box::new(Ok(Resolved {
                info: DatasetInfo::from_resource(&resource),
                resource: *resource,
                mode,
            }))),
            Step::Target => Step::Done(Box::new(Err(error))),
            done @ Step::Done(_) => done,
        };
    }

    /// Returns the outcome once no request is left.
    pub fn outcome(&self) -> Option<&Result<Resolved, CkanError>> {
        match &self.step {
            Step::Done(outcome) => Some(outcome.as_ref()),
            _ => None,
        }
    }

    /// Returns the outcome, consuming the resolver; `None` while requests
    /// are left.
    pub fn into_outcome(self) -> Option<Result<Resolved, CkanError>> {
        match self.step {
            Step::Done(outcome) => Some(*outcome),
            _ => None,
        }
    }

    /// Returns the error for a request that failed without a response.
    pub fn network_error(&self) -> CkanError {
        CkanError::new(CkanKey::Network).with("base", self.source.base.site_root())
    }

    /// Returns the error for a request that got no answer in `seconds`.
    pub fn timeout_error(&self, seconds: u32) -> CkanError {
        CkanError::new(CkanKey::Timeout)
            .with("base", self.source.base.site_root())
            .with("seconds", seconds)
    }

    fn resource_shown(&self, status: u16, body: &str) -> Step {
        let resource =
            match decode_response(status, body).and_then(|result| Resource::from_result(&result)) {
                Ok(resource) => resource,
                Err(error) => return Step::Done(Box::new(Err(error))),
            };
        let mode = match resource.check_readable() {
            Ok(mode) => mode,
            Err(error) => return Step::Done(Box::new(Err(error))),
        };
        if resource.package_id.is_some() {
            Step::Metadata(Box::new(resource), mode)
        } else {
            Step::Done(Box::new(Ok(Resolved {
                info: DatasetInfo::from_resource(&resource),
                resource,
                mode,
            })))
        }
    }

    fn package_picked(&self, status: u16, body: &str) -> Result<Resolved, CkanError> {
        let package = Package::from_result(&decode_response(status, body)?)?;
        let pick = pick_resource(&package)?;
        Ok(Resolved {
            info: DatasetInfo::from_package(&package, Some(pick.resource), &self.source.base),
            resource: pick.resource.clone(),
            mode: pick.mode,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESOURCE: &str = r#"{"success": true, "result": {"id": "r1", "name": "Bäume", "format": "CSV", "datastore_active": true, "package_id": "p1", "last_modified": "2024-03-01T10:00:00"}}"#;
    const PACKAGE: &str = r#"{"success": true, "result": {"id": "p1", "name": "baeume", "title": "Baumkataster", "license_title": "CC BY 4.0",
        "resources": [{"id": "r0", "format": "PDF", "url": "https://x.de/a.pdf"}, {"id": "r1", "format": "CSV", "datastore_active": true}]}}"#;
    const NOT_FOUND: &str =
        r#"{"success": false, "error": {"__type": "Not Found Error", "message": "Not found"}}"#;

    fn source(resource: Option<&str>, dataset: Option<&str>) -> CkanSource {
        CkanSource::from_attributes("http://127.0.0.1:5000", resource, dataset).unwrap()
    }

    #[test]
    fn resource_id_wins_over_dataset() {
        assert_eq!(
            source(Some(" r1 "), Some("baeume")).target,
            Target::Resource("r1".to_owned())
        );
    }

    #[test]
    fn blank_ids_are_missing() {
        let error = CkanSource::from_attributes("https://x.de", Some("  "), Some("")).unwrap_err();
        assert_eq!(error.key(), CkanKey::IdMissing);
    }

    #[test]
    fn bad_base_is_reported_first() {
        let error = CkanSource::from_attributes("ftp://x.de", Some("r1"), None).unwrap_err();
        assert_eq!(error.key(), CkanKey::BaseScheme);
    }

    #[test]
    fn resource_then_package_is_fetched() {
        let mut resolver = Resolver::new(source(Some("r1"), None));
        assert_eq!(
            resolver.next_request().as_deref(),
            Some("http://127.0.0.1:5000/api/3/action/resource_show?id=r1")
        );
        resolver.receive(200, RESOURCE);
        assert_eq!(
            resolver.next_request().as_deref(),
            Some("http://127.0.0.1:5000/api/3/action/package_show?id=p1")
        );
        resolver.receive(200, PACKAGE);
        assert_eq!(resolver.next_request(), None);
        let resolved = resolver.into_outcome().unwrap().unwrap();
        assert_eq!(resolved.mode, ReadMode::Datastore);
        assert_eq!(resolved.info.title.as_deref(), Some("Baumkataster"));
        assert_eq!(resolved.file_url(), None);
    }

    #[test]
    fn failed_metadata_still_resolves() {
        let mut resolver = Resolver::new(source(Some("r1"), None));
        resolver.receive(200, RESOURCE);
        resolver.receive(404, NOT_FOUND);
        let resolved = resolver.into_outcome().unwrap().unwrap();
        assert_eq!(resolved.info.title.as_deref(), Some("Bäume"));
        assert_eq!(resolved.info.licence, None);
    }

    #[test]
    fn network_failure_on_metadata_still_resolves() {
        let mut resolver = Resolver::new(source(Some("r1"), None));
        resolver.receive(200, RESOURCE);
        let error = resolver.network_error();
        resolver.network_failed(error);
        assert!(resolver.outcome().unwrap().is_ok());
    }

    #[test]
    fn network_failure_on_target_fails() {
        let mut resolver = Resolver::new(source(None, Some("baeume")));
        let error = resolver.timeout_error(30);
        resolver.network_failed(error);
        let error = resolver.into_outcome().unwrap().unwrap_err();
        assert_eq!(error.key(), CkanKey::Timeout);
        assert_eq!(error.param("base"), Some("http://127.0.0.1:5000"));
        assert_eq!(error.param("seconds"), Some("30"));
    }

    #[test]
    fn missing_resource_fails() {
        let mut resolver = Resolver::new(source(Some("r9"), None));
        resolver.receive(404, NOT_FOUND);
        assert_eq!(
            resolver.outcome().unwrap().as_ref().unwrap_err().key(),
            CkanKey::NotFound
        );
        assert_eq!(resolver.next_request(), None);
    }

    #[test]
    fn unreadable_resource_fails_before_metadata() {
        let mut resolver = Resolver::new(source(Some("r0"), None));
        resolver.receive(
            200,
            r#"{"success": true, "result": {"id": "r0", "format": "PDF", "url": "https://x.de/a.pdf", "package_id": "p1"}}"#,
        );
        assert_eq!(
            resolver.outcome().unwrap().as_ref().unwrap_err().key(),
            CkanKey::ResourceFormat
        );
    }

    #[test]
    fn resource_without_dataset_resolves_alone() {
        let mut resolver = Resolver::new(source(Some("r2"), None));
        resolver.receive(
            200,
            r#"{"success": true, "result": {"id": "r2", "format": "CSV", "url": "https://x.de/a.csv"}}"#,
        );
        let resolved = resolver.into_outcome().unwrap().unwrap();
        assert_eq!(resolved.mode, ReadMode::Csv);
        assert_eq!(resolved.file_url(), Some("https://x.de/a.csv"));
    }

    #[test]
    fn dataset_needs_one_request() {
        let mut resolver = Resolver::new(source(None, Some("baeume")));
        assert_eq!(
            resolver.next_request().as_deref(),
            Some("http://127.0.0.1:5000/api/3/action/package_show?id=baeume")
        );
        resolver.receive(200, PACKAGE);
        let resolved = resolver.into_outcome().unwrap().unwrap();
        assert_eq!(resolved.resource.id, "r1");
        assert_eq!(
            resolved.info.portal_page.as_deref(),
            Some("http://127.0.0.1:5000/dataset/baeume")
        );
    }

    #[test]
    fn answer_after_outcome_is_ignored() {
        let mut resolver = Resolver::new(source(None, Some("baeume")));
        resolver.receive(404, NOT_FOUND);
        resolver.receive(200, PACKAGE);
        assert!(resolver.outcome().unwrap().is_err());
    }
}
