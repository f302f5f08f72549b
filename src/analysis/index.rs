//! The index of trails that pairing goes through: which trails may deliver a candidate, and
//! which verdicts candidates share. It only ever saves time: `analysis::analyse_exhaustively`
//! gives the same verdicts without it, and `tests/pairing.rs` holds the two to that.

use std::collections::HashMap;

use super::Delivery;
use super::events::{self, Candidate, Class};
use crate::model::{AdvancedSelector, EventRule, Selectors, Trail};
use crate::value::Text;

/// Which trails may deliver a candidate, so that a delivered candidate costs about the same
/// however many trails there are. Only the time a verdict takes depends on it, never the
/// verdict: see `analysis::delivery`.
pub(super) struct TrailHints {
    /// Trails by the names their data selectors write (each literal value split at `:` and
    /// `/`): a candidate naming a bucket, function or table tries these first.
    by_name: HashMap<String, Vec<usize>>,
    /// Trails whose data selectors may select resources they do not name (all buckets, values
    /// unknown before deployment).
    data_unnamed: Vec<usize>,
    /// Trails that may log management events.
    management: Vec<usize>,
    all: Vec<usize>,
    /// Whether every trail decides S3 data events by the exact names its selectors write, so
    /// that a bucket no trail names fares as any other such bucket (see [`Unnamed`]).
    by_exact_names: bool,
    unnamed: Unnamed,
}

/// The verdicts of S3 data events on buckets that no trail names, shared by every candidate
/// that differs from another only in such a bucket: a repository of rules that no trail
/// delivers would otherwise compare each with every trail.
///
/// When every trail's S3 values and ARN conditions are literals compared whole (or as prefixes
/// that end at a `/` or `:`), each trail treats all the buckets it does not name alike. The
/// verdict is computed once, for [`UNNAMED_BUCKET`], and reused.
#[derive(Default)]
struct Unnamed(std::sync::Mutex<HashMap<String, Delivery>>);

/// A bucket name no trail names (no valid bucket name has a control character).
const UNNAMED_BUCKET: &str = "\u{0}unnamed\u{0}";

impl TrailHints {
    pub(super) fn new(trails: &[Trail]) -> TrailHints {
        let mut hints = TrailHints {
            by_name: HashMap::new(),
            data_unnamed: Vec::new(),
            management: Vec::new(),
            all: (0..trails.len()).collect(),
            by_exact_names: trails.iter().all(|t| by_exact_names(&t.selectors)),
            unnamed: Unnamed::default(),
        };
        for (index, trail) in trails.iter().enumerate() {
            let data = DataSelection::of(&trail.selectors);
            // A resource a trail's selectors leave out by name is named too: that trail treats
            // it unlike the resources it does not name, so it may share no verdict with them.
            for value in data.named.iter().chain(&data.deselected) {
                for name in value.split([':', '/']).filter(|n| !n.is_empty()) {
                    let trails = hints.by_name.entry(name.to_owned()).or_default();
                    if trails.last() != Some(&index) {
                        trails.push(index);
                    }
                }
            }
            if data.unnamed {
                hints.data_unnamed.push(index);
            }
            if may_log_management(&trail.selectors) {
                hints.management.push(index);
            }
        }
        hints
    }

    /// The trails that may deliver the candidate, most likely first. A trail may come twice.
    pub(super) fn of<'h>(&'h self, candidate: &Candidate) -> impl Iterator<Item = usize> + 'h {
        let named = || {
            candidate
                .resource
                .as_ref()
                .and_then(|named| named.value.as_lit())
                .and_then(|name| self.by_name.get(name))
                .map_or(&[][..], Vec::as_slice)
        };
        let lists: [&[usize]; 2] = match candidate.class {
            Class::Data { .. } => [named(), &self.data_unnamed],
            Class::Management { .. } => [&self.management, &[]],
            Class::Unclassified => [&self.management, &self.data_unnamed],
            Class::Insight | Class::NetworkActivity => [&self.all, &[]],
        };
        lists.into_iter().flatten().copied()
    }
}

/// Whether a trail's selectors compare a bucket name only whole with literals they write.
fn by_exact_names(selectors: &Selectors) -> bool {
    let whole = |text: &Text| text.as_lit().is_some();
    let boundary = |text: &Text| text.as_lit().is_some_and(|v| v.ends_with(['/', ':']));
    match selectors {
        Selectors::Default | Selectors::Unknown => true,
        Selectors::Basic(selectors) => selectors
            .iter()
            .flat_map(|s| &s.data_resources)
            .all(|r| r.values.iter().all(whole)),
        Selectors::Advanced(selectors) => selectors
            .iter()
            .filter(|s| !certainly_other_types(s))
            .flat_map(|s| &s.fields)
            .filter(|f| f.field == "resources.ARN")
            .all(|f| {
                f.equals.iter().chain(&f.not_equals).all(whole)
                    && f.starts_with.iter().chain(&f.not_starts_with).all(boundary)
                    && f.ends_with.is_empty()
                    && f.not_ends_with.is_empty()
            }),
    }
}

impl TrailHints {
    /// The verdict of a candidate on S3 objects of a bucket no trail names, shared with every
    /// other that differs from it only in such a bucket: `verdict` decides it once, for
    /// [`UNNAMED_BUCKET`]. `None` when the candidate is not one of them.
    pub(super) fn shared_verdict(
        &self,
        rule: &EventRule,
        candidate: &Candidate,
        verdict: impl FnOnce(&Candidate) -> Delivery,
    ) -> Option<Delivery> {
        let key = self.unnamed_key(rule, candidate)?;
        let known = self.unnamed.0.lock().map(|cache| cache.get(&key).cloned());
        if let Ok(Some(shared)) = known {
            return Some(shared);
        }
        let mut unnamed = candidate.clone();
        if let Some(resource) = &mut unnamed.resource {
            resource.value = Text::lit(UNNAMED_BUCKET);
        }
        let shared = verdict(&unnamed);
        if let Ok(mut cache) = self.unnamed.0.lock() {
            cache.insert(key, shared.clone());
        }
        Some(shared)
    }

    /// What a candidate shares with every other that differs from it only in a bucket no
    /// trail names, when it is one of them.
    fn unnamed_key(&self, rule: &EventRule, candidate: &Candidate) -> Option<String> {
        let Class::Data {
            resource_type,
            access,
        } = candidate.class
        else {
            return None;
        };
        let bucket = candidate.resource.as_ref()?.value.as_lit()?;
        if !self.by_exact_names
            || resource_type.arn != Some(crate::catalog::ArnShape::S3Object)
            || bucket.contains([':', '/'])
            || self.by_name.contains_key(bucket)
            || self.by_name.contains_key(UNNAMED_BUCKET)
        {
            return None;
        }
        let name = match &candidate.name {
            events::EventName::Exact(named) => format!("{:?}", named.value),
            events::EventName::Open {
                span,
                read_only_prefix,
            } => format!("open {} {read_only_prefix}", span.is_some()),
        };
        Some(format!(
            "{:?}|{:?}|{:?}|{name}|{}|{access:?}|{:?}|{:?}",
            rule.region,
            candidate.detail,
            candidate.source.as_ref().map(|s| &s.value),
            resource_type.resource_type,
            candidate.key,
            candidate.insight_type.as_ref().map(|i| &i.value),
        ))
    }
}

/// What a trail's data selectors select: the ARNs they name down to a resource
/// (`arn:aws:s3:::bucket/`, not `arn:aws:s3:::`), whether they may select others, and the ARNs
/// their `NotEquals` and `NotStartsWith` conditions leave out.
struct DataSelection<'t> {
    named: Vec<&'t str>,
    unnamed: bool,
    deselected: Vec<&'t str>,
}

impl<'t> DataSelection<'t> {
    fn of(selectors: &'t Selectors) -> DataSelection<'t> {
        let mut selection = DataSelection {
            named: Vec::new(),
            unnamed: false,
            deselected: Vec::new(),
        };
        match selectors {
            Selectors::Default => {}
            Selectors::Unknown => selection.unnamed = true,
            Selectors::Basic(selectors) => {
                for resource in selectors.iter().flat_map(|s| &s.data_resources) {
                    selection.add(&resource.values, false);
                    selection.unnamed |= resource.values.is_empty();
                }
            }
            Selectors::Advanced(selectors) => {
                for selector in selectors {
                    if category_is_only(selector, "Management") {
                        continue;
                    }
                    let arn_fields = selector
                        .fields
                        .iter()
                        .filter(|f| f.field == "resources.ARN");
                    for arns in arn_fields {
                        let out = arns.not_equals.iter().chain(&arns.not_starts_with);
                        selection.deselected.extend(out.filter_map(Text::as_lit));
                    }
                    match selector.fields.iter().find(|f| f.field == "resources.ARN") {
                        Some(arns) if !(arns.equals.is_empty() && arns.starts_with.is_empty()) => {
                            selection.add(&arns.equals, false);
                            selection.add(&arns.starts_with, true);
                            // `EndsWith` is OR'd with them: it may match any resource's ARN.
                            selection.unnamed |= !arns.ends_with.is_empty();
                        }
                        _ => selection.unnamed = true,
                    }
                }
            }
        }
        selection
    }

    /// Adds ARNs, or with `prefixes` the beginnings of ARNs: a prefix names a resource only
    /// when it ends with its name (`arn:aws:s3:::bucket/`, not `arn:aws:s3:::bu`).
    fn add(&mut self, values: &'t [Text], prefixes: bool) {
        for value in values {
            let arn = value.as_lit();
            let resource = arn.and_then(|arn| arn.splitn(6, ':').nth(5));
            match (arn, resource) {
                (Some(arn), Some(resource))
                    if !resource.is_empty() && (!prefixes || resource.ends_with('/')) =>
                {
                    self.named.push(arn);
                }
                _ => self.unnamed = true,
            }
        }
    }
}

/// Whether an advanced selector selects only data events of types other than S3 objects, so
/// that its ARN conditions never tell one bucket from another.
fn certainly_other_types(selector: &AdvancedSelector) -> bool {
    selector
        .fields
        .iter()
        .filter(|f| f.field == "resources.type")
        .any(|f| {
            !f.equals.is_empty()
                && f.equals
                    .iter()
                    .all(|t| t.as_lit().is_some_and(|t| t != "AWS::S3::Object"))
        })
}

/// Whether a trail's selectors may log management events.
fn may_log_management(selectors: &Selectors) -> bool {
    match selectors {
        Selectors::Default | Selectors::Unknown => true,
        Selectors::Basic(selectors) => {
            selectors.is_empty()
                || selectors
                    .iter()
                    .any(|s| s.include_management != Some(false))
        }
        Selectors::Advanced(selectors) => {
            selectors.is_empty()
                || selectors.iter().any(|selector| {
                    !category_is_only(selector, "Data")
                        && !category_is_only(selector, "NetworkActivity")
                })
        }
    }
}

/// Whether an advanced selector's `eventCategory` is certainly `category`.
fn category_is_only(selector: &AdvancedSelector, category: &str) -> bool {
    selector
        .fields
        .iter()
        .find(|f| f.field == "eventCategory")
        .is_some_and(|field| {
            !field.equals.is_empty() && field.equals.iter().all(|v| v.as_lit() == Some(category))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, FileOutcome};
    use crate::source::{FileId, SourceFile};

    const TRAILS: &str = r#"
Resources:
  Named:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - IncludeManagementEvents: false
          DataResources: [{Type: AWS::S3::Object, Values: ["arn:aws:s3:::uploads/"]}]
  AllBuckets:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - IncludeManagementEvents: false
          DataResources: [{Type: AWS::S3::Object, Values: ["arn:aws:s3:::"]}]
  Management:
    Type: AWS::CloudTrail::Trail
    Properties: {S3BucketName: logs}
  Prefix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::S3::Object"]}
            - {Field: resources.ARN, StartsWith: ["arn:aws:s3:::upl"]}
  Bucket:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.ARN, StartsWith: ["arn:aws:s3:::reports/"]}
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Management]}
"#;

    /// The trails a candidate tries first: by the resource named, or among those that name
    /// none. Only the time of a verdict depends on this, so nothing else would notice a
    /// mistake here.
    #[test]
    fn trails_are_indexed_by_the_resources_they_name() {
        let file = SourceFile::new("trails.yaml", TRAILS.to_owned(), true);
        let FileOutcome::Input(contents) =
            ingest::ingest(FileId(0), &file, &ingest::Options::default())
        else {
            panic!("a template");
        };
        let names: Vec<&str> = contents
            .items
            .trails
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["Named", "AllBuckets", "Management", "Prefix", "Bucket"]
        );
        let hints = TrailHints::new(&contents.items.trails);
        assert_eq!(hints.by_name["uploads"], [0]);
        assert_eq!(hints.by_name["reports"], [4]);
        assert!(!hints.by_name.contains_key("upl"));
        assert_eq!(hints.data_unnamed, [1, 3]);
        assert_eq!(hints.management, [2, 4]);
    }
}
