//! Pattern → the CloudTrail events a rule can match.
//!
//! For each branch of a pattern (one combination of `$or` alternatives) this decides which
//! CloudTrail detail types it accepts, then which `(eventSource, eventName)` pairs, by asking the
//! branch's own matchers about the values the catalogue knows. Each pair is classified as a
//! data event (with its resource type, read/write class and the resource the branch names) or
//! a management event (read-only or write).
//!
//! A [`Candidate`] stands for a *set* of events and over-approximates it: a constraint this
//! module does not understand widens the set, never narrows it. A finding that every event of
//! the set is dropped therefore holds for the rule. Read-only findings, which need the
//! opposite, use only event names the branch matches exactly.

use std::sync::Arc;

use crate::catalog::{Access, DataEventType, DetailKind, catalog};
use crate::pattern::{Branch, FieldValue, Literal, Matcher, MatcherKind};
use crate::source::Span;
use crate::value::{Text, Tri};

/// A set of events one pattern branch can match.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub branch: usize,
    pub detail: DetailKind,
    /// Where the pattern selects CloudTrail events (the `detail-type` value, or the field that
    /// makes the branch a CloudTrail one).
    pub detail_span: Span,
    /// The event source, when the branch decides it.
    pub source: Option<Named>,
    pub name: EventName,
    pub class: Class,
    /// For data events: the resource the branch names (a bucket, function or table), or `None`
    /// for any.
    pub resource: Option<Named>,
    /// For S3 objects: the object keys the branch names.
    pub key: KeyFilter,
    /// For Insights events: the insight type the branch names, if it names one.
    pub insight_type: Option<Named>,
    /// The region of the rule, where its regional resources (a function, a table) live, when
    /// it is known.
    pub region: Option<Arc<str>>,
    /// When the branch's `eventName` matchers (a prefix, a wildcard) match both data and
    /// management events, the events were split by class: where those matchers are.
    pub part_of: Option<Span>,
}

/// A value written in the pattern, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub value: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventName {
    /// The branch matches exactly this event name.
    Exact(Named),
    /// Any name the branch's `eventName` matchers accept (any name when `span` is `None`).
    Open {
        span: Option<Span>,
        read_only_prefix: bool,
    },
}

impl EventName {
    pub fn exact(&self) -> Option<&str> {
        match self {
            EventName::Exact(named) => named.value.as_lit(),
            EventName::Open { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Class {
    Data {
        resource_type: &'static DataEventType,
        access: Option<Access>,
    },
    /// `read_only` is `None` when the set may hold both.
    Management { read_only: Option<bool> },
    /// A management or a data event: not decided.
    Unclassified,
    /// CloudTrail Insights events: logged by trails with insight selectors.
    Insight,
    /// VPC endpoint network activity events: logged by advanced selectors with the
    /// `NetworkActivity` category for their event source.
    NetworkActivity,
}

#[derive(Debug, Clone, PartialEq)]
pub enum KeyFilter {
    Any,
    /// The key equals one of these, or starts with one of the prefixes.
    Some {
        exact: Vec<Text>,
        prefixes: Vec<Text>,
    },
}

/// The candidates of one branch; `None` when an unknown value decides which events it matches.
/// A branch anyone's events may match has none: no trail is needed to make it fire.
pub fn candidates(branch_index: usize, branch: &Branch<'_>) -> Option<Vec<Candidate>> {
    if may_be_custom(branch) {
        return Some(Vec::new());
    }
    let kinds = detail_kinds(branch)?;
    let mut out = Vec::new();
    for (kind, detail_span) in kinds {
        match kind {
            DetailKind::ApiCall
            | DetailKind::ServiceEvent
            | DetailKind::ConsoleAction
            | DetailKind::ConsoleSignIn => {
                api_candidates(branch_index, branch, kind, detail_span, &mut out);
            }
            DetailKind::Insight => {
                // One candidate per insight type the branch names; one for any otherwise.
                let types = match exact_values(branch, "detail.insightDetails.insightType") {
                    Some(types) => types.into_iter().map(Some).collect(),
                    None => vec![None],
                };
                out.extend(types.into_iter().map(|insight_type| Candidate {
                    branch: branch_index,
                    detail: kind,
                    detail_span,
                    source: None,
                    name: EventName::Open {
                        span: None,
                        read_only_prefix: false,
                    },
                    class: Class::Insight,
                    resource: None,
                    key: KeyFilter::Any,
                    insight_type,
                    region: None,
                    part_of: None,
                }));
            }
            DetailKind::NetworkActivity => {
                out.extend(event_sources(branch).into_iter().map(|source| Candidate {
                    branch: branch_index,
                    detail: kind,
                    detail_span,
                    source,
                    name: EventName::Open {
                        span: None,
                        read_only_prefix: false,
                    },
                    class: Class::NetworkActivity,
                    resource: None,
                    key: KeyFilter::Any,
                    insight_type: None,
                    region: None,
                    part_of: None,
                }));
            }
        }
    }
    Some(out)
}

/// The buckets a branch names in `detail.bucket.name` when it asks only for S3's own
/// notification events (`Object Created`, …).
pub fn s3_notification_buckets(branch: &Branch<'_>) -> Vec<Named> {
    let Some(detail_types) = branch.matchers("detail-type") else {
        return Vec::new();
    };
    let notification_types = &catalog().s3_notification_types;
    let only_s3 = detail_types
        .iter()
        .all(|m| exact_string(m).is_some_and(|t| notification_types.iter().any(|n| n == t)));
    let from_s3 = branch.leaf("source").is_none_or(|leaf| {
        crate::pattern::leaf_accepts(leaf.value, &Text::lit("aws.s3")) == Tri::Yes
    });
    if !(only_s3 && from_s3) || may_be_custom(branch) {
        return Vec::new();
    }
    exact_values(branch, "detail.bucket.name").unwrap_or_default()
}

/// Where a branch asks for AWS events (CloudTrail or service events): a CloudTrail detail
/// type, or a `source` that names only `aws.` services.
pub fn aws_events_span(branch: &Branch<'_>) -> Option<Span> {
    if may_be_custom(branch) {
        return None;
    }
    if let Some(kinds) = detail_kinds(branch)
        && let Some((_, span)) = kinds.first()
    {
        return Some(*span);
    }
    let source = branch.matchers("source")?;
    source
        .iter()
        .all(|m| exact_string(m).is_some_and(|s| s.starts_with("aws.")))
        .then(|| source.first().map(|m| m.span))
        .flatten()
}

/// Whether anyone's `PutEvents` may send an event the branch matches. Only sources starting
/// with `aws.` are reserved for AWS services; an event's `DetailType` and `Detail` are
/// free-form (<https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html>).
/// So a branch whose `source` admits another value may match an application's events, and so
/// may a branch without `source` whose `detail-type` admits a type no AWS event has. Undecided
/// values count as admitting.
pub fn may_be_custom(branch: &Branch<'_>) -> bool {
    match branch.leaf("source").map(|leaf| leaf.value) {
        Some(FieldValue::Leaf(matchers)) => matchers.iter().any(admits_custom_source),
        Some(_) => true,
        None => branch.matchers("detail-type").is_some_and(|matchers| {
            matchers.iter().any(|m| match &m.kind {
                MatcherKind::Exact(Literal::String(text)) => {
                    text.as_lit().is_none_or(|t| !is_aws_detail_type(t))
                }
                MatcherKind::Exact(_) | MatcherKind::Numeric(_) | MatcherKind::Cidr(_) => false,
                MatcherKind::Exists(present) => *present,
                _ => true,
            })
        }),
    }
}

/// Whether a `source` matcher accepts a value that does not start with `aws.`.
fn admits_custom_source(matcher: &Matcher) -> bool {
    let reserved = |text: &Text, before_wildcard: bool| {
        text.as_lit().is_some_and(|t| {
            let fixed = if before_wildcard {
                t.split('*').next().unwrap_or_default()
            } else {
                t
            };
            fixed.starts_with("aws.")
        })
    };
    match &matcher.kind {
        MatcherKind::Exact(Literal::String(text)) => !reserved(text, false),
        MatcherKind::Prefix {
            value,
            ignore_case: false,
        } => !reserved(value, false),
        MatcherKind::Wildcard(pattern) => !reserved(pattern, true),
        MatcherKind::Exact(_) | MatcherKind::Numeric(_) | MatcherKind::Cidr(_) => false,
        MatcherKind::Exists(present) => *present,
        // Suffixes, other cases, `anything-but`, unknown values.
        _ => true,
    }
}

/// Whether an AWS event has this detail type, as far as the catalogue knows.
fn is_aws_detail_type(detail_type: &str) -> bool {
    let catalog = catalog();
    catalog
        .cloudtrail_detail_types
        .iter()
        .any(|d| d.name == detail_type)
        || catalog
            .s3_notification_types
            .iter()
            .any(|t| t == detail_type)
}

/// The CloudTrail detail types a branch accepts, each with the span that accepts it.
///
/// A branch counts as a CloudTrail one only when it asks for CloudTrail events: it names a
/// CloudTrail detail type, or filters on fields only CloudTrail records have. A branch whose
/// `detail-type` accepts CloudTrail types only through `anything-but` or `exists` also
/// matches other events, so it can fire without a trail.
fn detail_kinds(branch: &Branch<'_>) -> Option<Vec<(DetailKind, Span)>> {
    // A CloudTrail event's `source` is always `aws.<service>`.
    if let Some(source) = branch.matchers("source")
        && source
            .iter()
            .all(|m| exact_string(m).is_some_and(|s| !s.starts_with("aws.")))
    {
        return Some(Vec::new());
    }
    let cloudtrail_field = ["detail.eventSource", "detail.eventName"]
        .into_iter()
        .find_map(|path| branch.leaf(path))
        .filter(|_| {
            branch
                .matchers("source")
                .is_none_or(|m| m.iter().all(|m| exact_string(m).is_some()))
        });
    let Some(leaf) = branch.leaf("detail-type") else {
        return Some(
            cloudtrail_field
                .map_or_else(Vec::new, |leaf| vec![(DetailKind::ApiCall, leaf.key_span)]),
        );
    };
    let FieldValue::Leaf(matchers) = leaf.value else {
        return None;
    };
    let mut kinds: Vec<(DetailKind, Span)> = Vec::new();
    for detail in &catalog().cloudtrail_detail_types {
        let name = Text::lit(detail.name.as_str());
        let mut accepted = None;
        for matcher in matchers {
            match matcher.accepts(&name) {
                Tri::Yes => {
                    let names_it = !matches!(
                        matcher.kind,
                        MatcherKind::AnythingBut(_) | MatcherKind::Exists(_)
                    );
                    // Insights and network activity records have no top-level `eventName`: a
                    // filter on it does not make a branch ask for them.
                    let by_field = cloudtrail_field.is_some()
                        && !matches!(
                            detail.kind,
                            DetailKind::Insight | DetailKind::NetworkActivity
                        );
                    if names_it || by_field {
                        accepted = Some(matcher.span);
                        break;
                    }
                }
                Tri::Unknown => return None,
                Tri::No => {}
            }
        }
        if let Some(span) = accepted
            && !kinds.iter().any(|(kind, _)| *kind == detail.kind)
        {
            kinds.push((detail.kind, span));
        }
    }
    Some(kinds)
}

fn api_candidates(
    index: usize,
    branch: &Branch<'_>,
    kind: DetailKind,
    detail_span: Span,
    out: &mut Vec<Candidate>,
) {
    let sources = match kind {
        DetailKind::ConsoleSignIn => vec![Some(Named {
            value: Text::lit("signin.amazonaws.com"),
            span: detail_span,
        })],
        _ => event_sources(branch),
    };
    // Every event source the branch lists, those its `source` rules out included.
    let listed = match kind {
        DetailKind::ConsoleSignIn => sources.clone(),
        _ => exact_values(branch, "detail.eventSource").map_or_else(
            || sources.clone(),
            |values| values.into_iter().map(Some).collect(),
        ),
    };
    let names = event_names(branch);
    let recorded = crate::catalog::event_names();
    let records = |source: &Option<Named>, name: &EventName| -> Option<bool> {
        let source = source.as_ref()?.value.as_lit()?;
        let name = name.exact()?;
        recorded
            .is_complete(source)
            .then(|| recorded.records(source, name))
    };
    for source in &sources {
        for (name, class, part_of) in split_by_class(branch, kind, source.as_ref(), &names) {
            let name = &name;
            // A branch listing several sources and names pairs them all; a name recorded under
            // one source the branch lists but not under this one is no event of this source.
            if records(source, name) == Some(false)
                && listed
                    .iter()
                    .any(|other| records(other, name) == Some(true))
            {
                continue;
            }
            let source = source.clone();
            let class = narrow_by_read_only(branch, class);
            let class = match excluded_by_branch(branch, kind, class) {
                Tri::Yes => continue,
                // A filter that may rule the events out (an unknown value) leaves open whether
                // the rule waits for them: no finding may rest on them.
                Tri::Unknown => Class::Unclassified,
                Tri::No => class,
            };
            let base = Candidate {
                branch: index,
                detail: kind,
                detail_span,
                source: source.clone(),
                name: name.clone(),
                class,
                resource: None,
                key: KeyFilter::Any,
                insight_type: None,
                region: None,
                part_of,
            };
            match class {
                Class::Data { resource_type, .. } => {
                    let key = resource_type
                        .key_field
                        .as_deref()
                        .map_or(KeyFilter::Any, |field| key_filter(branch, field));
                    let resources = resource_type
                        .resource_field
                        .as_deref()
                        .and_then(|field| exact_values(branch, &format!("detail.{field}")));
                    match resources {
                        Some(resources) => {
                            out.extend(resources.into_iter().map(|resource| Candidate {
                                resource: Some(resource),
                                key: key.clone(),
                                ..base.clone()
                            }))
                        }
                        None => out.push(Candidate { key, ..base }),
                    }
                }
                _ => out.push(base),
            }
        }
    }
}

/// The branch's event names for one source, each with its class. An `eventName` that a prefix,
/// suffix or wildcard matches is one set of events, unless it spans the source's data events
/// and others: then each data event it matches is a name of its own (a trail may drop exactly
/// those), and the rest, if any, one management set. Every name keeps where it is matched.
fn split_by_class(
    branch: &Branch<'_>,
    kind: DetailKind,
    source: Option<&Named>,
    names: &[EventName],
) -> Vec<(EventName, Class, Option<Span>)> {
    let whole = |name: &EventName| (name.clone(), classify(kind, source, name), None);
    let Some(source) = source.and_then(|s| s.value.as_lit()) else {
        return names.iter().map(whole).collect();
    };
    let mut out = Vec::new();
    for name in names {
        match split_open_name(branch, kind, source, name) {
            Some(split) => out.extend(split),
            None => out.push(whole(name)),
        }
    }
    out
}

/// [`split_by_class`] for one open name, when it spans data events and others.
fn split_open_name(
    branch: &Branch<'_>,
    kind: DetailKind,
    source: &str,
    name: &EventName,
) -> Option<Vec<(EventName, Class, Option<Span>)>> {
    let EventName::Open {
        span: Some(at),
        read_only_prefix,
    } = name
    else {
        return None;
    };
    let catalog = catalog();
    if kind == DetailKind::ConsoleAction || catalog.data_types_of(source).next().is_none() {
        return None;
    }
    let matchers = branch.matchers("detail.eventName")?;
    let positive = matchers.iter().all(|m| {
        matches!(
            m.kind,
            MatcherKind::Exact(_)
                | MatcherKind::Prefix { .. }
                | MatcherKind::Suffix { .. }
                | MatcherKind::EqualsIgnoreCase(_)
                | MatcherKind::Wildcard(_)
        )
    });
    if !positive {
        return None;
    }
    // The matcher that accepts a name, `None` when none does; unknown aborts the split.
    let accepting = |event: &str| -> Option<Option<Span>> {
        let event = Text::lit(event);
        let mut unknown = false;
        for matcher in matchers {
            match matcher.accepts(&event) {
                Tri::Yes => return Some(Some(matcher.span)),
                Tri::Unknown => unknown = true,
                Tri::No => {}
            }
        }
        (!unknown).then_some(None)
    };
    let mut data = Vec::new();
    for data_type in catalog.data_types_of(source) {
        for event in data_type.event_names() {
            let Some(span) = accepting(event)? else {
                continue;
            };
            let exact = EventName::Exact(Named {
                value: Text::lit(event),
                span,
            });
            let class = classify(
                kind,
                Some(&Named {
                    value: Text::lit(source),
                    span,
                }),
                &exact,
            );
            if matches!(class, Class::Data { .. }) && !data.iter().any(|(n, _, _)| *n == exact) {
                data.push((exact, class, Some(*at)));
            }
        }
    }
    if data.is_empty() {
        return None;
    }
    // What else the matchers accept: nothing, when the source's complete list of names says
    // so; else management events, when every data event of the source is catalogued.
    let recorded = crate::catalog::event_names();
    let rest = !recorded.is_complete(source)
        || recorded.names(source).into_iter().any(|event| {
            catalog.data_event(source, event).is_none() && accepting(event) != Some(None)
        });
    if rest {
        // A name that is a data event in some calls keeps the rest from being management only.
        let mut ambiguous = false;
        for event in catalog.ambiguous_names(source) {
            ambiguous |= accepting(event)?.is_some();
        }
        let class = if catalog.is_fully_classified(source) && !ambiguous {
            Class::Management {
                read_only: read_only_prefix.then_some(true),
            }
        } else {
            Class::Unclassified
        };
        data.push((name.clone(), class, Some(*at)));
    }
    Some(data)
}

/// The event sources a branch names: `detail.eventSource` values, else `aws.X` sources read
/// as `X.amazonaws.com` (the convention of every EventBridge events reference page). `None`
/// entries stand for sources not decided by the branch.
fn event_sources(branch: &Branch<'_>) -> Vec<Option<Named>> {
    let source_leaf = branch.leaf("source");
    if let Some(values) = exact_values(branch, "detail.eventSource") {
        return values
            .into_iter()
            .filter(|named| {
                // Pairs the `source` field rules out never match: a shape issue, not events.
                let service = named
                    .value
                    .as_lit()
                    .and_then(|s| s.strip_suffix(".amazonaws.com"))
                    .map(|s| Text::lit(format!("aws.{s}")));
                match (source_leaf, service) {
                    (Some(leaf), Some(service)) => {
                        crate::pattern::leaf_accepts(leaf.value, &service) != Tri::No
                    }
                    _ => true,
                }
            })
            .map(Some)
            .collect();
    }
    if branch.constrains("detail.eventSource") {
        return vec![None];
    }
    match exact_values(branch, "source") {
        Some(values) => values
            .into_iter()
            .map(|named| {
                let service = named
                    .value
                    .as_lit()
                    .and_then(|s| s.strip_prefix("aws."))?
                    .to_owned();
                Some(Named {
                    value: Text::lit(format!("{service}.amazonaws.com")),
                    span: named.span,
                })
            })
            .collect(),
        None => vec![None],
    }
}

fn event_names(branch: &Branch<'_>) -> Vec<EventName> {
    if let Some(values) = exact_values(branch, "detail.eventName") {
        return values.into_iter().map(EventName::Exact).collect();
    }
    match branch.leaf("detail.eventName") {
        None => vec![EventName::Open {
            span: None,
            read_only_prefix: false,
        }],
        Some(leaf) => {
            let read_only_prefix = match leaf.value {
                FieldValue::Leaf(matchers) => matchers.iter().all(|m| match &m.kind {
                    MatcherKind::Prefix {
                        value,
                        ignore_case: false,
                    } => value
                        .as_lit()
                        .is_some_and(|prefix| catalog().prefix_is_read_only(None, prefix)),
                    _ => false,
                }),
                _ => false,
            };
            vec![EventName::Open {
                span: Some(leaf.key_span),
                read_only_prefix,
            }]
        }
    }
}

fn classify(kind: DetailKind, source: Option<&Named>, name: &EventName) -> Class {
    if kind == DetailKind::ConsoleSignIn {
        // Sign-in events are write management events (`readOnly: false` in AWS's samples).
        return Class::Management {
            read_only: Some(false),
        };
    }
    let Some(source) = source.and_then(|s| s.value.as_lit()) else {
        return Class::Unclassified;
    };
    let catalog = catalog();
    match name.exact() {
        Some(name) if catalog.is_ambiguous(source, name) => Class::Unclassified,
        Some(name) => match catalog.data_event(source, name) {
            Some((resource_type, access)) => Class::Data {
                resource_type,
                access: Some(access),
            },
            // A management event, but one whose read/write class is known only when the name
            // is one CloudTrail records (or one the catalogue lists): a verb prefix says
            // nothing of a name no API has.
            None if catalog.is_fully_classified(source) => Class::Management {
                read_only: match kind {
                    DetailKind::ConsoleAction => None,
                    _ if !is_known_name(source, name) => None,
                    _ => Some(catalog.is_read_only(source, name)),
                },
            },
            None => Class::Unclassified,
        },
        None => {
            let read_only_prefix = matches!(
                name,
                EventName::Open {
                    read_only_prefix: true,
                    ..
                }
            );
            if catalog.data_types_of(source).next().is_none() && catalog.is_fully_classified(source)
            {
                Class::Management {
                    // Console actions are named by the console, not by API verbs.
                    read_only: (read_only_prefix && kind != DetailKind::ConsoleAction)
                        .then_some(true),
                }
            } else {
                Class::Unclassified
            }
        }
    }
}

/// Whether CloudTrail records the event name for the source (or the catalogue lists it).
fn is_known_name(source: &str, name: &str) -> bool {
    crate::catalog::event_names().records(source, name) || catalog().lists_read_only(source, name)
}

/// A management class whose read/write class the name leaves open takes it from a
/// `detail.readOnly` filter that accepts only one of `true` and `false`.
fn narrow_by_read_only(branch: &Branch<'_>, class: Class) -> Class {
    let (Class::Management { read_only: None }, Some(matchers)) =
        (class, branch.matchers("detail.readOnly"))
    else {
        return class;
    };
    let accepts = |value| Tri::any(matchers.iter().map(|m| accepts_bool(m, value)));
    match (accepts(true), accepts(false)) {
        (Tri::Yes, Tri::No) => Class::Management {
            read_only: Some(true),
        },
        (Tri::No, Tri::Yes) => Class::Management {
            read_only: Some(false),
        },
        _ => class,
    }
}

/// Whether the branch's own filters on CloudTrail record fields rule the class out
/// (`detail.readOnly: [false]` never matches a read-only event); unknown when a filter's value
/// is.
fn excluded_by_branch(branch: &Branch<'_>, kind: DetailKind, class: Class) -> Tri {
    let read_only = match class {
        Class::Data { access, .. } => match access {
            Some(Access::Read) => Some(true),
            Some(Access::Write) => Some(false),
            _ => None,
        },
        Class::Management { read_only } => read_only,
        _ => None,
    };
    let category = match class {
        Class::Data { .. } => Some("Data"),
        Class::Management { .. } => Some("Management"),
        _ => None,
    };
    let event_type = match kind {
        DetailKind::ApiCall => Some("AwsApiCall"),
        DetailKind::ServiceEvent => Some("AwsServiceEvent"),
        DetailKind::ConsoleSignIn => Some("AwsConsoleSignIn"),
        DetailKind::ConsoleAction => Some("AwsConsoleAction"),
        _ => None,
    };
    let refutes_bool = |path: &str, value: Option<bool>| match (branch.matchers(path), value) {
        (Some(matchers), Some(value)) => {
            Tri::any(matchers.iter().map(|m| accepts_bool(m, value))).not()
        }
        _ => Tri::No,
    };
    let refutes_str = |path: &str, value: Option<&str>| match (branch.matchers(path), value) {
        (Some(matchers), Some(value)) => {
            Tri::any(matchers.iter().map(|m| m.accepts(&Text::lit(value)))).not()
        }
        _ => Tri::No,
    };
    refutes_bool("detail.readOnly", read_only)
        .or(refutes_bool(
            "detail.managementEvent",
            category.map(|c| c == "Management"),
        ))
        .or(refutes_str("detail.eventCategory", category))
        .or(refutes_str("detail.eventType", event_type))
}

/// Whether a matcher accepts a JSON boolean.
fn accepts_bool(matcher: &Matcher, value: bool) -> Tri {
    match &matcher.kind {
        MatcherKind::Exact(Literal::Bool(b)) => Tri::from_bool(*b == value),
        MatcherKind::Exists(present) => Tri::from_bool(*present),
        // `anything-but` lists hold strings or numbers only, so they accept every boolean.
        MatcherKind::AnythingBut(_) => Tri::Yes,
        MatcherKind::Unknown => Tri::Unknown,
        _ => Tri::No,
    }
}

/// The values of a leaf whose matchers are all exact strings.
fn exact_values(branch: &Branch<'_>, path: &str) -> Option<Vec<Named>> {
    let matchers = branch.matchers(path)?;
    matchers
        .iter()
        .map(|m| match &m.kind {
            MatcherKind::Exact(Literal::String(text)) => Some(Named {
                value: text.clone(),
                span: m.span,
            }),
            _ => None,
        })
        .collect()
}

fn exact_string(matcher: &Matcher) -> Option<&str> {
    match &matcher.kind {
        MatcherKind::Exact(Literal::String(text)) => text.as_lit(),
        _ => None,
    }
}

fn key_filter(branch: &Branch<'_>, field: &str) -> KeyFilter {
    let Some(matchers) = branch.matchers(&format!("detail.{field}")) else {
        return KeyFilter::Any;
    };
    let mut exact = Vec::new();
    let mut prefixes = Vec::new();
    for matcher in matchers {
        match &matcher.kind {
            MatcherKind::Exact(Literal::String(text)) => exact.push(text.clone()),
            MatcherKind::Prefix {
                value,
                ignore_case: false,
            } => prefixes.push(value.clone()),
            _ => return KeyFilter::Any,
        }
    }
    KeyFilter::Some { exact, prefixes }
}
