//! Candidate events × trails → whether a trail logs them, and if not, why.
//!
//! Encodes CloudTrail's selector semantics: basic selectors (`ReadWriteType`,
//! `IncludeManagementEvents`, `ExcludeManagementEventSources`, `DataResources` with CloudTrail's
//! ARN prefix rules) and advanced selectors (OR across selectors, AND across field selectors,
//! `Equals`/`StartsWith`/`EndsWith` OR'd, `NotEquals`/`NotStartsWith`/`NotEndsWith` AND'd).
//! Sources: <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_EventSelector.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DataResource.html>,
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/filtering-data-events.html>.
//!
//! "Admitted" means *some* event of the candidate set is logged: a rule that receives some of
//! the events it waits for is not broken, so only [`Admission::No`] leads to a finding.

use super::events::{Candidate, Class, EventName, KeyFilter};
use crate::catalog::{Access, ArnShape, DetailKind, catalog};
use crate::model::{AdvancedSelector, BasicSelector, FieldSelector, ReadWrite, Selectors, Trail};
use crate::source::Span;
use crate::value::{Piece, Pseudo, Symbol, Text, Tri};

#[derive(Debug, Clone, PartialEq)]
pub enum Admission {
    Yes,
    Unknown,
    No(Miss),
}

/// Why a trail does not log a candidate, and the part of the trail responsible.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub reason: MissReason,
    /// Where in the trail the reason is written; the trail itself when nothing is.
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MissReason {
    /// The trail logs no management events at all (`IncludeManagementEvents: false`, only
    /// data selectors).
    ManagementExcluded,
    /// The trail excludes the event source from management events.
    SourceExcluded(String),
    /// The trail has no selector for this data event type.
    NoDataSelector,
    /// The trail selects this data event type, but for other resources.
    ResourceNotSelected,
    /// Advanced selectors for this type filter the event name out.
    NameExcluded,
    /// The trail has no insight selectors.
    NoInsightSelectors,
    /// The trail has no network activity selector for the event source.
    NoNetworkSelector,
    /// The trail selects the events' resource or category, but its read/write filter drops
    /// their class.
    ReadWriteExcluded { logs: ReadWrite },
}

impl MissReason {
    /// How close the trail came to logging the events; the closest miss explains best.
    fn closeness(&self) -> u8 {
        match self {
            MissReason::ReadWriteExcluded { .. } => 4,
            MissReason::ResourceNotSelected | MissReason::NameExcluded => 3,
            MissReason::SourceExcluded(_) => 2,
            MissReason::ManagementExcluded
            | MissReason::NoDataSelector
            | MissReason::NoInsightSelectors
            | MissReason::NoNetworkSelector => 1,
        }
    }
}

/// Whether `trail`'s selectors log some event of `candidate` (logging state aside).
pub fn admits(trail: &Trail, candidate: &Candidate) -> Admission {
    match candidate.class {
        // "You must have a trail that is currently logging Insights events."
        Class::Insight => {
            return match (&trail.insight_types, &candidate.insight_type) {
                (None, _) => Admission::Unknown,
                (Some(types), _) if types.is_empty() => no(MissReason::NoInsightSelectors, None),
                (Some(_), None) => Admission::Yes,
                (Some(types), Some(wanted)) => match wanted.value.as_lit() {
                    Some(wanted) if types.iter().any(|t| t == wanted) => Admission::Yes,
                    Some(_) => no(MissReason::NoInsightSelectors, None),
                    None => Admission::Unknown,
                },
            };
        }
        // Only advanced selectors log network activity events
        // (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html>).
        Class::NetworkActivity => {
            return match &trail.selectors {
                Selectors::Unknown => Admission::Unknown,
                Selectors::Advanced(selectors) => {
                    combine(selectors.iter().map(|s| advanced(s, candidate)))
                }
                Selectors::Default | Selectors::Basic(_) => no(MissReason::NoNetworkSelector, None),
            };
        }
        _ => {}
    }
    match &trail.selectors {
        Selectors::Unknown => Admission::Unknown,
        Selectors::Default => match candidate.class {
            // "log all read and write management events, and no data events"
            Class::Management { .. } => Admission::Yes,
            Class::Data { .. } => Admission::No(Miss {
                reason: MissReason::NoDataSelector,
                span: None,
            }),
            Class::Unclassified | Class::Insight | Class::NetworkActivity => Admission::Unknown,
        },
        Selectors::Basic(selectors) => combine(selectors.iter().map(|s| basic(s, candidate))),
        Selectors::Advanced(selectors) => {
            match combine(selectors.iter().map(|s| advanced(s, candidate))) {
                // A data selector of a type the catalogue does not know might log this very event,
                // if it is in fact a data event of that type.
                Admission::No(_)
                    if !matches!(candidate.class, Class::Data { .. })
                        && selects_uncatalogued_type(selectors) =>
                {
                    Admission::Unknown
                }
                admission => admission,
            }
        }
    }
}

/// OR across selectors; the closest miss when none admits.
fn combine(admissions: impl Iterator<Item = Admission>) -> Admission {
    let mut best: Option<Miss> = None;
    let mut unknown = false;
    for admission in admissions {
        match admission {
            Admission::Yes => return Admission::Yes,
            Admission::Unknown => unknown = true,
            Admission::No(miss) => {
                if best
                    .as_ref()
                    .is_none_or(|b| miss.reason.closeness() > b.reason.closeness())
                {
                    best = Some(miss);
                }
            }
        }
    }
    match (unknown, best) {
        (false, Some(miss)) => Admission::No(miss),
        _ => Admission::Unknown,
    }
}

fn no(reason: MissReason, span: Option<Span>) -> Admission {
    Admission::No(Miss { reason, span })
}

/// Whether the read/write filter keeps events of the candidate's class.
fn read_write_keeps(filter: Option<ReadWrite>, read_only: Option<bool>) -> Tri {
    match (filter, read_only) {
        (Some(ReadWrite::All), _) => Tri::Yes,
        (Some(ReadWrite::ReadOnly), Some(read_only)) => Tri::from_bool(read_only),
        (Some(ReadWrite::WriteOnly), Some(read_only)) => Tri::from_bool(!read_only),
        _ => Tri::Unknown,
    }
}

fn candidate_read_only(candidate: &Candidate) -> Option<bool> {
    match candidate.class {
        Class::Data { access, .. } => match access? {
            Access::Read => Some(true),
            Access::Write => Some(false),
            Access::Unclassified => None,
        },
        Class::Management { read_only } => read_only,
        _ => None,
    }
}

fn basic(selector: &BasicSelector, candidate: &Candidate) -> Admission {
    let read_only = candidate_read_only(candidate);
    let read_write_miss = || {
        no(
            MissReason::ReadWriteExcluded {
                logs: selector.read_write.unwrap_or(ReadWrite::All),
            },
            selector.read_write_span.or(Some(selector.span)),
        )
    };
    match candidate.class {
        Class::Management { .. } => {
            match selector.include_management {
                Some(false) => {
                    return no(
                        MissReason::ManagementExcluded,
                        selector.include_management_span,
                    );
                }
                None => return Admission::Unknown,
                Some(true) => {}
            }
            if let Some(source) = &candidate.source {
                match Tri::any(
                    selector
                        .exclude_sources
                        .iter()
                        .map(|s| s.equals(&source.value)),
                ) {
                    Tri::Yes => {
                        let source = source.value.as_lit().unwrap_or_default().to_owned();
                        return no(
                            MissReason::SourceExcluded(source),
                            selector.exclude_sources_span.or(Some(selector.span)),
                        );
                    }
                    Tri::Unknown => return Admission::Unknown,
                    Tri::No => {}
                }
            } else if !selector.exclude_sources.is_empty() {
                return Admission::Unknown;
            }
            match read_write_keeps(selector.read_write, read_only) {
                Tri::Yes => Admission::Yes,
                Tri::No => read_write_miss(),
                Tri::Unknown => Admission::Unknown,
            }
        }
        Class::Data { resource_type, .. } => {
            let mut typed = Tri::No;
            let mut selected = Tri::No;
            for resource in &selector.data_resources {
                let same_type = match &resource.resource_type {
                    Some(t) => Tri::from_bool(*t == resource_type.resource_type),
                    None => Tri::Unknown,
                };
                typed = typed.or(same_type);
                if same_type == Tri::No {
                    continue;
                }
                let values = Tri::any(resource.values.iter().map(|v| match resource_type.arn {
                    Some(shape) => data_resource_value(shape, v, candidate),
                    None => Tri::Unknown,
                }));
                selected = selected.or(same_type.and(values));
            }
            match (typed, selected) {
                (Tri::No, _) => no(MissReason::NoDataSelector, Some(selector.span)),
                (_, Tri::No) => no(MissReason::ResourceNotSelected, Some(selector.span)),
                (_, Tri::Unknown) => Admission::Unknown,
                (_, Tri::Yes) => match read_write_keeps(selector.read_write, read_only) {
                    Tri::Yes => Admission::Yes,
                    Tri::No => read_write_miss(),
                    Tri::Unknown => Admission::Unknown,
                },
            }
        }
        Class::Unclassified | Class::Insight | Class::NetworkActivity => Admission::Unknown,
    }
}

/// Whether a `DataResources` value selects some of the candidate's resources.
fn data_resource_value(shape: ArnShape, value: &Text, candidate: &Candidate) -> Tri {
    if shape == ArnShape::S3Object
        && let Some(value) = value.as_lit()
        && let Some(tri) = literal_s3_value(value, candidate)
    {
        return tri;
    }
    data_resource_text(shape, value, candidate)
}

/// [`data_resource_text`] for the common case of an S3 value and a bucket both written
/// literally, without building texts: a rule unlike any trail is compared with each of them.
/// `None` when the general case must decide.
fn literal_s3_value(value: &str, candidate: &Candidate) -> Option<Tri> {
    let (_partition, rest) = value.strip_prefix("arn:")?.split_once(':')?;
    if rest == "s3" || rest == "s3:::" {
        return Some(Tri::Yes);
    }
    let Some(path) = rest.strip_prefix("s3:::") else {
        return Some(Tri::No);
    };
    let (bucket, key_prefix) = path.split_once('/')?;
    let named = candidate.resource.as_ref()?.value.as_lit()?;
    if named != bucket {
        return Some(Tri::No);
    }
    (key_prefix.is_empty() || candidate.key == KeyFilter::Any).then_some(Tri::Yes)
}

/// [`data_resource_value`] on texts of any kind.
fn data_resource_text(shape: ArnShape, value: &Text, candidate: &Candidate) -> Tri {
    let Some(rest) = strip_arn_partition(value) else {
        return Tri::Unknown;
    };
    let service = match shape {
        ArnShape::S3Object => "s3",
        ArnShape::LambdaFunction => "lambda",
        ArnShape::DynamoDbTable => "dynamodb",
    };
    // `arn:aws:s3`, `arn:aws:lambda`, `arn:aws:dynamodb`: every resource of the type (and the
    // historical `arn:aws:s3:::` for every bucket).
    if rest.as_lit() == Some(service)
        || (shape == ArnShape::S3Object && rest.as_lit() == Some("s3:::"))
    {
        return Tri::Yes;
    }
    match shape {
        ArnShape::S3Object => {
            let Some(path) = rest.strip_prefix("s3:::") else {
                return Tri::No;
            };
            // Without the `/` after the bucket CloudTrail rejects the value: no trail to judge.
            let Some((bucket, key_prefix)) = path.split_once('/') else {
                return Tri::Unknown;
            };
            let bucket_match = match &candidate.resource {
                None => Tri::Yes,
                Some(named) => named.value.equals(&bucket),
            };
            bucket_match.and(key_overlaps(&candidate.key, &key_prefix))
        }
        ArnShape::LambdaFunction | ArnShape::DynamoDbTable => match &candidate.resource {
            None => Tri::Yes,
            Some(_) => {
                match resource_arn(shape, candidate).and_then(|arn| strip_arn_partition(&arn)) {
                    Some(arn) => rest.equals(&arn),
                    None => Tri::Unknown,
                }
            }
        },
    }
}

/// Whether some key the candidate accepts starts with `prefix`.
fn key_overlaps(filter: &KeyFilter, prefix: &Text) -> Tri {
    if prefix.as_lit() == Some("") {
        return Tri::Yes;
    }
    match filter {
        KeyFilter::Any => Tri::Yes,
        KeyFilter::Some { exact, prefixes } => Tri::any(
            exact.iter().map(|key| key.starts_with(prefix)).chain(
                prefixes
                    .iter()
                    .map(|p| p.starts_with(prefix).or(prefix.starts_with(p))),
            ),
        ),
    }
}

/// The ARN of the candidate's resource, from the name (or ARN) the branch gives for it: for
/// S3, the ARN of the object.
pub fn resource_arn(shape: ArnShape, candidate: &Candidate) -> Option<Text> {
    let named = candidate.resource.as_ref()?;
    if named.value.as_lit().is_some_and(|v| v.starts_with("arn:")) {
        return Some(named.value.clone());
    }
    let mut arn = shape
        .resource()
        .of_in(&named.value, candidate.region.as_deref());
    if shape == ArnShape::S3Object {
        arn.push_str("/");
        match &candidate.key {
            KeyFilter::Some { exact, prefixes } if exact.len() == 1 && prefixes.is_empty() => {
                arn.append(&exact[0])
            }
            _ => arn.push(Piece::Unknown),
        }
    }
    Some(arn)
}

/// The part of an ARN after `arn:<partition>:`. Every partition compares alike: a selector is
/// written for the partition its deployment runs in.
pub(super) fn strip_arn_partition(arn: &Text) -> Option<Text> {
    let rest = arn.strip_prefix("arn:")?;
    match rest.pieces().first()? {
        // The partition pseudo parameter, or a parameter whose every allowed value is a
        // partition.
        Piece::Sym(Symbol::Pseudo(Pseudo::Partition)) => after_first(&rest),
        Piece::Choice(_, values)
            if !values.is_empty()
                && values
                    .iter()
                    .all(|v| v.starts_with("aws") && !v.contains(':')) =>
        {
            after_first(&rest)
        }
        Piece::Lit(_) => {
            let (partition, tail) = rest.split_once(':')?;
            partition.as_lit().filter(|p| p.starts_with("aws"))?;
            Some(tail)
        }
        _ => None,
    }
}

/// What follows the first piece of an ARN's rest and the `:` after it.
fn after_first(rest: &Text) -> Option<Text> {
    let mut out = Text::default();
    for piece in &rest.pieces()[1..] {
        out.push(piece.clone());
    }
    out.strip_prefix(":")
}

fn advanced(selector: &AdvancedSelector, candidate: &Candidate) -> Admission {
    let mut unknown = false;
    let mut miss: Option<Miss> = None;
    // The read/write filter is the reason only when the selector selects the events
    // otherwise: a selector for another bucket does not drop these events for their class.
    let mut read_write: Option<Miss> = None;
    for field in &selector.fields {
        match field_holds(field, event_field(&field.field, candidate).as_ref()) {
            Tri::Yes => {}
            Tri::Unknown => unknown = true,
            Tri::No => {
                // A category or type mismatch means the selector is about other events; it
                // explains the miss better than any other field of that selector.
                let decisive = matches!(field.field.as_str(), "eventCategory" | "resources.type");
                let this = Miss {
                    reason: advanced_reason(field, candidate),
                    // A selector about other events is no place to point at: the trail is.
                    span: (!decisive).then_some(field.span),
                };
                if decisive {
                    miss = Some(this);
                    break;
                }
                let slot = if field.field == "readOnly" {
                    &mut read_write
                } else {
                    &mut miss
                };
                if slot.is_none() {
                    *slot = Some(this);
                }
            }
        }
    }
    match miss.or(read_write) {
        Some(miss) => Admission::No(miss),
        None if unknown => Admission::Unknown,
        None => Admission::Yes,
    }
}

fn advanced_reason(field: &FieldSelector, candidate: &Candidate) -> MissReason {
    match field.field.as_str() {
        "readOnly" => MissReason::ReadWriteExcluded {
            logs: match field.equals.first().and_then(Text::as_lit) {
                Some("true") => ReadWrite::ReadOnly,
                Some("false") => ReadWrite::WriteOnly,
                _ => ReadWrite::All,
            },
        },
        "eventName" => MissReason::NameExcluded,
        "resources.ARN" => MissReason::ResourceNotSelected,
        "eventSource" if matches!(candidate.class, Class::Management { .. }) => {
            MissReason::SourceExcluded(
                candidate
                    .source
                    .as_ref()
                    .and_then(|s| s.value.as_lit())
                    .unwrap_or_default()
                    .to_owned(),
            )
        }
        _ => match candidate.class {
            Class::Management { .. } => MissReason::ManagementExcluded,
            Class::NetworkActivity => MissReason::NoNetworkSelector,
            _ => MissReason::NoDataSelector,
        },
    }
}

/// The value a CloudTrail record of the candidate has for an advanced-selector field: `None`
/// when the record has no such field, unknown pieces when it is not decided.
fn event_field(field: &str, candidate: &Candidate) -> Option<Text> {
    let lit = |s: &str| Some(Text::lit(s));
    match field {
        "eventCategory" => match candidate.class {
            Class::Management { .. } => lit("Management"),
            Class::Data { .. } => lit("Data"),
            Class::NetworkActivity => lit("NetworkActivity"),
            _ => Some(Text::unknown()),
        },
        "readOnly" => match candidate_read_only(candidate) {
            Some(true) => lit("true"),
            Some(false) => lit("false"),
            None => Some(Text::unknown()),
        },
        "eventSource" => Some(
            candidate
                .source
                .as_ref()
                .map_or_else(Text::unknown, |s| s.value.clone()),
        ),
        "eventName" => Some(match &candidate.name {
            EventName::Exact(named) => named.value.clone(),
            EventName::Open { .. } => Text::unknown(),
        }),
        "resources.type" => match candidate.class {
            Class::Data { resource_type, .. } => lit(&resource_type.resource_type),
            Class::Management { .. } => None,
            _ => Some(Text::unknown()),
        },
        "resources.ARN" => match candidate.class {
            Class::Data { resource_type, .. } => Some(
                resource_type
                    .arn
                    .and_then(|shape| resource_arn(shape, candidate))
                    .unwrap_or_else(Text::unknown),
            ),
            Class::Management { .. } => None,
            _ => Some(Text::unknown()),
        },
        "eventType" => match candidate.detail {
            DetailKind::ApiCall => lit("AwsApiCall"),
            DetailKind::ServiceEvent => lit("AwsServiceEvent"),
            DetailKind::ConsoleSignIn => lit("AwsConsoleSignIn"),
            _ => Some(Text::unknown()),
        },
        _ => Some(Text::unknown()),
    }
}

/// SELECT operators OR'd, DESELECT operators AND'd ("if any of the DESELECT operator conditions
/// are met, the event is not delivered").
pub(super) fn field_holds(field: &FieldSelector, value: Option<&Text>) -> Tri {
    let normalise = |text: &Text| strip_arn_partition(text).unwrap_or_else(|| text.clone());
    let arn_field = field.field == "resources.ARN";
    let Some(value) = value else {
        // The record has no such field: no SELECT value matches, every DESELECT holds.
        let selects = !(field.equals.is_empty()
            && field.starts_with.is_empty()
            && field.ends_with.is_empty());
        return Tri::from_bool(!selects);
    };
    let value = if arn_field {
        normalise(value)
    } else {
        value.clone()
    };
    let operand = |text: &Text| {
        if arn_field {
            normalise(text)
        } else {
            text.clone()
        }
    };
    let equals = |list: &[Text]| Tri::any(list.iter().map(|t| value.equals(&operand(t))));
    let starts = |list: &[Text]| Tri::any(list.iter().map(|t| value.starts_with(&operand(t))));
    let ends = |list: &[Text]| Tri::any(list.iter().map(|t| value.ends_with(t)));
    let has_select =
        !(field.equals.is_empty() && field.starts_with.is_empty() && field.ends_with.is_empty());
    let select = if has_select {
        equals(&field.equals)
            .or(starts(&field.starts_with))
            .or(ends(&field.ends_with))
    } else {
        Tri::Yes
    };
    let deselect = equals(&field.not_equals)
        .or(starts(&field.not_starts_with))
        .or(ends(&field.not_ends_with));
    select.and(deselect.not())
}

/// Whether some selector logs data events of a type the catalogue does not know.
fn selects_uncatalogued_type(selectors: &[AdvancedSelector]) -> bool {
    selectors.iter().any(|selector| {
        selector.fields.iter().any(|f| {
            f.field == "resources.type"
                && f.equals
                    .iter()
                    .any(|t| t.as_lit().is_none_or(|t| catalog().data_type(t).is_none()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::events::Named;
    use crate::catalog::catalog;

    fn partition() -> Text {
        Text::pseudo(Pseudo::Partition)
    }

    /// A trail logging reads and writes keeps events whose class is not documented; a filter
    /// on one class decides only events of a known class.
    #[test]
    fn read_write_filters_decide_by_class() {
        assert_eq!(read_write_keeps(Some(ReadWrite::All), None), Tri::Yes);
        assert_eq!(
            read_write_keeps(Some(ReadWrite::All), Some(false)),
            Tri::Yes
        );
        assert_eq!(
            read_write_keeps(Some(ReadWrite::ReadOnly), Some(true)),
            Tri::Yes
        );
        assert_eq!(
            read_write_keeps(Some(ReadWrite::ReadOnly), Some(false)),
            Tri::No
        );
        assert_eq!(
            read_write_keeps(Some(ReadWrite::WriteOnly), Some(false)),
            Tri::Yes
        );
        assert_eq!(
            read_write_keeps(Some(ReadWrite::WriteOnly), None),
            Tri::Unknown
        );
        assert_eq!(read_write_keeps(None, Some(true)), Tri::Unknown);
    }

    /// Across a trail's selectors, the closest miss explains; of two equally close, the first
    /// written, where the note points.
    #[test]
    fn the_closest_first_miss_explains() {
        let miss = |reason: MissReason, at: u32| {
            Admission::No(Miss {
                reason,
                span: Some(Span::new(at as usize, at as usize + 1)),
            })
        };
        let spans = |admission: Admission| match admission {
            Admission::No(miss) => miss.span.map(|s| s.start),
            _ => None,
        };
        let two_others = [
            miss(MissReason::ResourceNotSelected, 10),
            miss(MissReason::ResourceNotSelected, 20),
        ];
        assert_eq!(spans(combine(two_others.into_iter())), Some(10));
        let closer_second = [
            miss(MissReason::NoDataSelector, 10),
            miss(
                MissReason::ReadWriteExcluded {
                    logs: ReadWrite::WriteOnly,
                },
                20,
            ),
        ];
        assert_eq!(spans(combine(closer_second.into_iter())), Some(20));
        let undecided = [miss(MissReason::NoDataSelector, 10), Admission::Unknown];
        assert!(matches!(combine(undecided.into_iter()), Admission::Unknown));
    }

    /// A field selector with `Equals` and `NotEquals` values.
    fn field_selector(name: &str, equals: Vec<Text>, not_equals: Vec<Text>) -> FieldSelector {
        FieldSelector {
            span: Span::default(),
            field: name.to_owned(),
            equals,
            equals_spans: Vec::new(),
            starts_with: Vec::new(),
            ends_with: Vec::new(),
            not_equals,
            not_starts_with: Vec::new(),
            not_ends_with: Vec::new(),
        }
    }

    fn s3_candidate(bucket: Option<Text>, key: KeyFilter) -> Candidate {
        let resource_type = catalog()
            .data_type("AWS::S3::Object")
            .expect("S3 objects are catalogued");
        Candidate {
            branch: 0,
            detail: DetailKind::ApiCall,
            detail_span: Span::default(),
            source: None,
            name: EventName::Open {
                span: None,
                read_only_prefix: false,
            },
            class: Class::Data {
                resource_type,
                access: Some(Access::Read),
            },
            resource: bucket.map(|value| Named {
                value,
                span: Span::default(),
            }),
            key,
            insight_type: None,
            region: None,
            part_of: None,
        }
    }

    /// An advanced selector admits events when every field holds, leaves them undecided when
    /// a field is undecided and none fails, and drops them when one fails.
    #[test]
    fn advanced_selectors_hold_when_every_field_does() {
        let field = |name: &str, equals: Vec<Text>, starts_with: Vec<Text>| FieldSelector {
            starts_with,
            ..field_selector(name, equals, Vec::new())
        };
        let selector = |arn: Text| AdvancedSelector {
            span: Span::default(),
            name: None,
            fields: vec![
                field("eventCategory", vec![Text::lit("Data")], Vec::new()),
                field(
                    "resources.type",
                    vec![Text::lit("AWS::S3::Object")],
                    Vec::new(),
                ),
                field("resources.ARN", Vec::new(), vec![arn]),
            ],
        };
        let reads = s3_candidate(Some(Text::lit("my-bucket")), KeyFilter::Any);
        let decided = |arn: &str| advanced(&selector(Text::lit(arn)), &reads);
        assert_eq!(decided("arn:aws:s3:::my-bucket/"), Admission::Yes);
        assert!(matches!(
            decided("arn:aws:s3:::other/"),
            Admission::No(Miss {
                reason: MissReason::ResourceNotSelected,
                ..
            })
        ));
        let parameter = Text::concat([
            Text::lit("arn:aws:s3:::"),
            Text::sym(Symbol::Opaque("0#Bucket".into())),
            Text::lit("/"),
        ]);
        assert_eq!(advanced(&selector(parameter), &reads), Admission::Unknown);
        // An `eventSource` condition that drops data events: the trail has no selector for
        // them, not an excluded management source.
        let source = field(
            "eventSource",
            vec![Text::lit("lambda.amazonaws.com")],
            Vec::new(),
        );
        assert_eq!(advanced_reason(&source, &reads), MissReason::NoDataSelector);
    }

    /// A record without the field: every SELECT operator fails, every DESELECT holds.
    #[test]
    fn a_field_the_record_lacks() {
        let field = |equals, not_equals| field_selector("resources.type", equals, not_equals);
        let s3 = || vec![Text::lit("AWS::S3::Object")];
        assert_eq!(field_holds(&field(s3(), Vec::new()), None), Tri::No);
        assert_eq!(field_holds(&field(Vec::new(), s3()), None), Tri::Yes);
        assert_eq!(
            field_holds(
                &field(s3(), Vec::new()),
                Some(&Text::lit("AWS::S3::Object"))
            ),
            Tri::Yes
        );
        assert_eq!(
            field_holds(
                &field(Vec::new(), s3()),
                Some(&Text::lit("AWS::S3::Object"))
            ),
            Tri::No
        );
    }

    /// What a CloudTrail record of a candidate holds for each advanced-selector field.
    #[test]
    fn record_fields_of_a_candidate() {
        let reads = s3_candidate(Some(Text::lit("my-bucket")), KeyFilter::Any);
        let field = |name: &str, candidate: &Candidate| event_field(name, candidate);
        assert_eq!(field("eventCategory", &reads), Some(Text::lit("Data")));
        assert_eq!(
            field("resources.type", &reads),
            Some(Text::lit("AWS::S3::Object"))
        );
        assert_eq!(field("readOnly", &reads), Some(Text::lit("true")));
        assert_eq!(field("eventType", &reads), Some(Text::lit("AwsApiCall")));
        let mut management = reads.clone();
        management.class = Class::Management {
            read_only: Some(false),
        };
        management.source = Some(Named {
            value: Text::lit("iam.amazonaws.com"),
            span: Span::default(),
        });
        assert_eq!(
            field("eventCategory", &management),
            Some(Text::lit("Management"))
        );
        assert_eq!(field("resources.type", &management), None);
        assert_eq!(field("resources.ARN", &management), None);
        assert_eq!(field("readOnly", &management), Some(Text::lit("false")));
        assert_eq!(
            field("eventSource", &management),
            Some(Text::lit("iam.amazonaws.com"))
        );
        let mut network = reads.clone();
        network.class = Class::NetworkActivity;
        assert_eq!(
            field("eventCategory", &network),
            Some(Text::lit("NetworkActivity"))
        );
        let mut sign_in = management.clone();
        sign_in.detail = DetailKind::ConsoleSignIn;
        assert_eq!(
            field("eventType", &sign_in),
            Some(Text::lit("AwsConsoleSignIn"))
        );
        let mut service = management;
        service.detail = DetailKind::ServiceEvent;
        assert_eq!(
            field("eventType", &service),
            Some(Text::lit("AwsServiceEvent"))
        );
    }

    #[test]
    fn partitions_compare_alike() {
        let symbolic = Text::concat([Text::lit("arn:"), partition(), Text::lit(":s3:::b/")]);
        assert_eq!(strip_arn_partition(&symbolic), Some(Text::lit("s3:::b/")));
        assert_eq!(
            strip_arn_partition(&Text::lit("arn:aws-cn:s3:::b/")),
            Some(Text::lit("s3:::b/"))
        );
        assert_eq!(strip_arn_partition(&Text::lit("s3:::b/")), None);
        let parameter = |values: &[&str]| {
            let mut text = Text::lit("arn:");
            text.push(Piece::Choice(
                Symbol::Opaque("0#Partition".into()),
                values.iter().map(|v| v.to_string()).collect(),
            ));
            text.push_str(":s3:::b/");
            text
        };
        assert_eq!(
            strip_arn_partition(&parameter(&["aws", "aws-cn"])),
            Some(Text::lit("s3:::b/"))
        );
        assert_eq!(strip_arn_partition(&parameter(&["aws", "x"])), None);
    }

    #[test]
    fn s3_data_resource_prefixes() {
        let bucket = |name: &str| s3_candidate(Some(Text::lit(name)), KeyFilter::Any);
        let value =
            |v: &str| data_resource_value(ArnShape::S3Object, &Text::lit(v), &bucket("my-bucket"));
        assert_eq!(value("arn:aws:s3"), Tri::Yes);
        assert_eq!(value("arn:aws:s3:::"), Tri::Yes);
        assert_eq!(value("arn:aws:s3:::my-bucket/"), Tri::Yes);
        assert_eq!(value("arn:aws:s3:::my-bucket/logs/"), Tri::Yes);
        assert_eq!(value("arn:aws:s3:::other/"), Tri::No);
        // Rejected by CloudTrail (a broken selector of its own), so undecided here.
        assert_eq!(value("arn:aws:s3:::my-bucket"), Tri::Unknown);
        assert_eq!(value("arn:aws:lambda"), Tri::No);
    }

    #[test]
    fn literal_s3_values_are_decided_as_texts_are() {
        let keys = KeyFilter::Some {
            exact: vec![Text::lit("a/b")],
            prefixes: vec![],
        };
        let candidates = [
            s3_candidate(Some(Text::lit("my-bucket")), KeyFilter::Any),
            s3_candidate(Some(Text::lit("my-bucket")), keys),
            s3_candidate(None, KeyFilter::Any),
            s3_candidate(Some(partition()), KeyFilter::Any),
        ];
        let values = [
            "arn:aws:s3",
            "arn:aws-cn:s3:::",
            "arn:aws:s3:::my-bucket/",
            "arn:aws:s3:::my-bucket/a/",
            "arn:aws:s3:::my-bucket/b",
            "arn:aws:s3:::my-bucket",
            "arn:aws:s3:::other/",
            "arn:aws:lambda",
            "arn:aws",
            "s3:::my-bucket/",
            "arn:aws:s3:::/",
        ];
        let mut decided = 0;
        for candidate in &candidates {
            for value in values {
                let general = data_resource_text(ArnShape::S3Object, &Text::lit(value), candidate);
                if let Some(fast) = literal_s3_value(value, candidate) {
                    assert_eq!(fast, general, "{value} for {:?}", candidate.resource);
                    decided += 1;
                }
            }
        }
        assert!(decided >= 20, "only {decided} decided without texts");
    }

    #[test]
    fn s3_keys_must_overlap_the_selected_prefix() {
        let keys = KeyFilter::Some {
            exact: vec![],
            prefixes: vec![Text::lit("uploads/")],
        };
        let candidate = s3_candidate(Some(Text::lit("b")), keys);
        let value = |v: &str| data_resource_value(ArnShape::S3Object, &Text::lit(v), &candidate);
        assert_eq!(value("arn:aws:s3:::b/logs/"), Tri::No);
        assert_eq!(value("arn:aws:s3:::b/uploads/images/"), Tri::Yes);
        assert_eq!(value("arn:aws:s3:::b/up"), Tri::Yes);
    }

    #[test]
    fn generated_bucket_names_match_only_themselves() {
        let uploads = Text::sym(Symbol::Generated("0#Uploads".into()));
        let candidate = s3_candidate(Some(uploads.clone()), KeyFilter::Any);
        let same = Text::concat([
            Text::lit("arn:"),
            partition(),
            Text::lit(":s3:::"),
            uploads,
            Text::lit("/"),
        ]);
        assert_eq!(
            data_resource_value(ArnShape::S3Object, &same, &candidate),
            Tri::Yes
        );
        let other = Text::lit("arn:aws:s3:::my-bucket/");
        assert_eq!(
            data_resource_value(ArnShape::S3Object, &other, &candidate),
            Tri::No
        );
    }
}
