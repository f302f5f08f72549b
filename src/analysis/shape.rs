//! Pattern branches that can never match because of their own shape: a misspelt detail type,
//! a `source` and `eventSource` that never go together, a field the matched events never carry.
//!
//! Each finding here needs no trail: it is about the pattern against the shape of the events
//! AWS sends. The checks are deliberately narrow. A detail type counts as misspelt only when
//! it is close to one the catalogue knows (the catalogue does not list every service's detail
//! types), and a field counts as never present only for branches that match a single family
//! of events (CloudTrail records or S3 notifications) whose shape is documented.

use super::events::Named;
use crate::catalog::{Field, catalog};
use crate::pattern::{Branch, FieldValue, Leaf, Literal, MatcherKind};
use crate::source::Span;
use crate::value::Text;

/// Something about a branch's shape that keeps it from ever matching.
#[derive(Debug, Clone, PartialEq)]
pub enum ShapeIssue {
    /// A `detail-type` value no event has, close to one that exists: one the branch's
    /// `source` emits (`source` names it), or a CloudTrail or S3 notification type.
    UnknownDetailType {
        value: Named,
        meant: String,
        source: Option<String>,
    },
    /// An `eventSource` whose events come from a `source` the branch does not accept.
    SourceMismatch {
        event_source: Named,
        sources: Vec<String>,
    },
    /// An `eventSource` no AWS service has, close to one that exists.
    UnknownEventSource { value: Named, meant: String },
    /// An `eventName` CloudTrail never records for the branch's event sources, close to names
    /// it does record.
    UnknownEventName {
        name: Named,
        suggestions: Vec<String>,
    },
    /// A field the matched events never carry.
    FieldNeverPresent {
        span: Span,
        path: String,
        family: Family,
    },
    /// A path that goes on below a field the schemas of every matched event type give as a
    /// string, number or boolean (`detail.object.key.suffix`: outside an array, `suffix` is a
    /// field name, not a matcher).
    BelowScalar {
        span: Span,
        path: String,
        /// The scalar field, and what it is (`a string`).
        scalar: String,
        kind: &'static str,
        detail_types: Vec<String>,
    },
    /// A `detail` field no schema of the matched event types has, close to one they have.
    UnknownDetailField {
        span: Span,
        path: String,
        meant: String,
        detail_types: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Events CloudTrail delivers: the record is `detail`, and `resources` is empty.
    CloudTrail,
    /// Events S3 sends itself: `detail` holds `bucket`, `object`, `reason`, ….
    S3Notification,
}

/// The shape issues of one branch.
pub fn issues(branch: &Branch<'_>) -> Vec<ShapeIssue> {
    let mut out = Vec::new();
    unknown_detail_types(branch, &mut out);
    source_mismatches(branch, &mut out);
    unknown_event_names(branch, &mut out);
    fields_never_present(branch, &mut out);
    schema_fields(branch, &mut out);
    out
}

/// Exact `detail-type` values that no catalogued type equals but one nearly does: a
/// different case, or a few characters off.
fn unknown_detail_types(branch: &Branch<'_>, out: &mut Vec<ShapeIssue>) {
    // Applications choose their own detail types; only AWS events have the catalogued ones.
    if branch.leaf("source").is_some() && aws_sources(branch).is_none() {
        return;
    }
    let catalog = catalog();
    let schemas = crate::catalog::event_schemas();
    let known: Vec<&str> = catalog
        .cloudtrail_detail_types
        .iter()
        .map(|d| d.name.as_str())
        .chain(catalog.s3_notification_types.iter().map(String::as_str))
        .collect();
    // The detail types the branch's sources emit, when every source has schemas.
    let emitted: Option<Vec<(&str, String)>> = aws_sources(branch)
        .filter(|sources| sources.iter().all(|s| schemas.knows(s)))
        .map(|sources| {
            sources
                .into_iter()
                .flat_map(|source| {
                    schemas
                        .detail_types(&source)
                        .into_iter()
                        .map(move |t| (t, source.clone()))
                })
                .collect()
        });
    for value in exact_values(branch, "detail-type") {
        let Some(text) = value.value.as_lit() else {
            continue;
        };
        // A type some AWS event has is no typo.
        if known.contains(&text) || schemas.any_has(text) {
            continue;
        }
        let closest = known
            .iter()
            .map(|k| (distance(text, k), *k))
            .min()
            .filter(|(d, k)| *d <= 3 && k.len() >= 8);
        if let Some((_, meant)) = closest {
            out.push(ShapeIssue::UnknownDetailType {
                value: value.clone(),
                meant: meant.to_owned(),
                source: None,
            });
            continue;
        }
        let nearest = emitted
            .iter()
            .flatten()
            .filter(|(t, _)| near_detail_type(text, t))
            .min_by_key(|(t, _)| distance(text, t));
        if let Some((meant, source)) = nearest {
            out.push(ShapeIssue::UnknownDetailType {
                value: value.clone(),
                meant: (*meant).to_owned(),
                source: Some(source.clone()),
            });
        }
    }
}

/// Whether `text` nearly names the detail type `known`: the same letters and digits whatever
/// the case, spaces and hyphens (`EC2 Instance State Change Notification` for
/// `EC2 Instance State-change Notification`), or the same words but one misspelt
/// (`Notifcation`): a word no AWS detail type has, a letter or two off (one for short words).
/// A real word in its place is not near: one source's real types are often a word apart
/// (`Export Job Completed`, `Import Job Completed`), and a schema may lack one of them.
fn near_detail_type(text: &str, known: &str) -> bool {
    if letters(text) == letters(known) {
        return true;
    }
    let schemas = crate::catalog::event_schemas();
    let written: Vec<&str> = text.split_whitespace().collect();
    let theirs: Vec<&str> = known.split_whitespace().collect();
    if written.len() != theirs.len() {
        return false;
    }
    let differing: Vec<(&str, &str)> = written
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| !a.eq_ignore_ascii_case(b))
        .map(|(a, b)| (*a, *b))
        .collect();
    match differing.as_slice() {
        [(word, meant)] => misspelt(word, meant) && !schemas.is_type_word(word),
        _ => false,
    }
}

/// Whether `word` is `meant` misspelt: at most two edits (one for words under eight letters),
/// in a word of four letters or more.
fn misspelt(word: &str, meant: &str) -> bool {
    let shorter = word.chars().count().min(meant.chars().count());
    let limit = if shorter >= 8 { 2 } else { 1 };
    shorter >= 4
        && strsim::damerau_levenshtein(&word.to_lowercase(), &meant.to_lowercase()) <= limit
}

/// The letters and digits of a name, lower-cased: what is left when case, spaces, hyphens and
/// underscores are not counted.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Edit distance where a difference of case alone counts as one edit.
fn distance(a: &str, b: &str) -> usize {
    if a.eq_ignore_ascii_case(b) {
        return 1;
    }
    strsim::damerau_levenshtein(a, b)
}

/// `eventSource` values whose service's `source` (`aws.<service>` for `<service>.amazonaws.com`,
/// the convention of every EventBridge events reference page) the branch's exact `source`
/// values leave out.
fn source_mismatches(branch: &Branch<'_>, out: &mut Vec<ShapeIssue>) {
    // A parameter or other non-literal source could be anything.
    let Some(sources) = aws_sources(branch) else {
        return;
    };
    for event_source in exact_values(branch, "detail.eventSource") {
        let Some(service) = event_source
            .value
            .as_lit()
            .and_then(|s| s.strip_suffix(".amazonaws.com"))
        else {
            continue;
        };
        // A source no service has is reported as such, not as a mismatch.
        if !crate::catalog::event_names()
            .knows_source(event_source.value.as_lit().unwrap_or_default())
        {
            continue;
        }
        let expected = format!("aws.{service}");
        if !sources.contains(&expected) {
            out.push(ShapeIssue::SourceMismatch {
                event_source,
                sources: sources.clone(),
            });
        }
    }
}

/// `eventSource` values no service has and `eventName` values CloudTrail never records for the
/// branch's sources, when they are close to real ones: a typo, a different case, or an API name
/// that CloudTrail records under a versioned name (Lambda's `CreateFunction20150331`). Names
/// with nothing close are left alone: the generated list may miss service and console events.
fn unknown_event_names(branch: &Branch<'_>, out: &mut Vec<ShapeIssue>) {
    // Only CloudTrail records have these fields, and an application's events, which a
    // `source` admitting other values than `aws.` ones may match, carry what it likes.
    if (branch.leaf("detail-type").is_some() && family(branch) != Some(Family::CloudTrail))
        || super::events::may_be_custom(branch)
    {
        return;
    }
    let names = crate::catalog::event_names();
    // A source matched by an operator could be any source. The event source decides which
    // names are recorded: `source` matters only without it.
    let inexact = |path: &str| {
        branch
            .matchers(path)
            .is_some_and(|m| exact_values(branch, path).len() != m.len())
    };
    let by_event_source = branch.leaf("detail.eventSource").is_some();
    if inexact("detail.eventSource") || (!by_event_source && inexact("source")) {
        return;
    }
    let mut sources: Vec<String> = Vec::new();
    for value in exact_values(branch, "detail.eventSource") {
        let Some(source) = value.value.as_lit() else {
            continue;
        };
        if names.knows_source(source) {
            sources.push(source.to_owned());
        } else if let Some(meant) = closest(source, names.sources(), 3).into_iter().next() {
            out.push(ShapeIssue::UnknownEventSource { value, meant });
        }
    }
    if !by_event_source {
        sources.extend(exact_values(branch, "source").iter().filter_map(|s| {
            let service = s.value.as_lit()?.strip_prefix("aws.")?;
            Some(format!("{service}.amazonaws.com"))
        }));
    }
    // A name is unknown only if no source of the branch records it, and every source's list
    // is complete.
    if sources.is_empty() || !sources.iter().all(|s| names.is_complete(s)) {
        return;
    }
    for name in exact_values(branch, "detail.eventName") {
        let Some(text) = name.value.as_lit() else {
            continue;
        };
        if sources.iter().any(|s| names.records(s, text)) {
            continue;
        }
        // IAM's action syntax (`s3:GetObject`): CloudTrail records the bare API name.
        let bare = iam_action_name(text, &sources);
        let text = bare.unwrap_or(text);
        let mut suggestions: Vec<String> = sources
            .iter()
            .filter(|s| bare.is_some() && names.records(s, text))
            .map(|_| text.to_owned())
            .collect();
        if suggestions.is_empty() {
            suggestions.extend(
                sources
                    .iter()
                    .flat_map(|s| names.renamed(s, text).iter().cloned()),
            );
        }
        if suggestions.is_empty() {
            let limit = if text.len() > 12 { 3 } else { 2 };
            for source in &sources {
                suggestions.extend(closest(text, names.names(source).into_iter(), limit));
            }
        }
        suggestions.dedup();
        suggestions.truncate(3);
        if !suggestions.is_empty() {
            out.push(ShapeIssue::UnknownEventName { name, suggestions });
        }
    }
}

/// The API name of an IAM action (`s3:GetObject`) whose service prefix names one of the event
/// sources (`s3.amazonaws.com`).
fn iam_action_name<'t>(text: &'t str, sources: &[String]) -> Option<&'t str> {
    let (service, name) = text.split_once(':')?;
    sources
        .iter()
        .any(|source| {
            source
                .strip_suffix(".amazonaws.com")
                .is_some_and(|s| s.eq_ignore_ascii_case(service))
        })
        .then_some(name)
        .filter(|name| !name.is_empty())
}

/// The candidates nearest to `text`, if within `limit` edits (a change of case alone counts
/// as one): all those at the smallest distance, in order.
fn closest<'c>(text: &str, candidates: impl Iterator<Item = &'c str>, limit: usize) -> Vec<String> {
    let mut near: Vec<(usize, &str)> = candidates
        .map(|c| (distance(text, c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    near.sort_unstable();
    let best = near.first().map_or(0, |(d, _)| *d);
    near.into_iter()
        .take_while(|(d, _)| *d == best)
        .map(|(_, c)| c.to_owned())
        .collect()
}

/// The branch's `source` values, when they are all literal `aws.` sources.
fn aws_sources(branch: &Branch<'_>) -> Option<Vec<String>> {
    let matchers = branch.matchers("source")?;
    let values = exact_values(branch, "source");
    if values.len() != matchers.len() {
        return None;
    }
    values
        .iter()
        .map(|v| {
            v.value
                .as_lit()
                .filter(|s| s.starts_with("aws."))
                .map(str::to_owned)
        })
        .collect()
}

/// The leaves that need their field to be there: `exists: false` holds for an absent field,
/// and a matcher that cannot be read could be that; every other matcher needs a value.
fn required_leaves<'b, 'p>(branch: &'b Branch<'p>) -> impl Iterator<Item = &'b Leaf<'p>> {
    branch.leaves.iter().filter(|leaf| {
        matches!(leaf.value, FieldValue::Leaf(matchers) if !matchers
            .iter()
            .any(|m| m.kind == MatcherKind::Exists(false) || m.kind == MatcherKind::Unknown))
    })
}

/// Whether the events of `family` never carry a field at `path` (pattern paths: `resources`
/// matches elements of the array, which CloudTrail events leave empty).
fn family_lacks(family: Family, path: &str) -> bool {
    match family {
        // "Some events, such as AWS API call events from CloudTrail, don't have anything in
        // the resources field" (EventBridge troubleshooting guide).
        Family::CloudTrail => {
            path == "resources" || under(path, "detail.bucket") || under(path, "detail.object")
        }
        Family::S3Notification => [
            "detail.eventName",
            "detail.eventSource",
            "detail.requestParameters",
            "detail.userIdentity",
        ]
        .iter()
        .any(|prefix| under(path, prefix)),
    }
}

/// Whether no event a branch matches has a value at the JSON path `path` (`$.detail.x.y`,
/// `$.resources[0]`): proven for branches of one family of events (CloudTrail's, S3's own),
/// and for a path that goes on below a field the matched types' schemas make a string, number
/// or boolean. A bracket (`$.detail.bucket['name']`) is read only as going below the path before
/// it; anything else is not proven absent.
pub fn never_has(branch: &Branch<'_>, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("$.") else {
        return false;
    };
    // A bracket reads below the path before it: `resources[0]` is an element of `resources`,
    // and nothing is below a field that is never there.
    let (dotted, element) = match rest.split_once('[') {
        Some((head, tail)) if tail.ends_with(']') => (head, true),
        Some(_) => return false,
        None => (rest, false),
    };
    if dotted.split('.').any(str::is_empty) {
        return false;
    }
    if let Some(family) = family(branch) {
        let lacks = match (family, dotted) {
            // The array is there, empty: only its elements are absent.
            (Family::CloudTrail, "resources") => element,
            _ => family_lacks(family, dotted),
        };
        if lacks {
            return true;
        }
    }
    let Some((shapes, _)) = schemas_of(branch) else {
        return false;
    };
    let Some(rest) = dotted.strip_prefix("detail.") else {
        return false;
    };
    let segments: Vec<&str> = rest.split('.').collect();
    shapes
        .iter()
        .all(|shape| matches!(lookup(shape, &segments), Lookup::BelowScalar { .. }))
}

/// Fields of CloudTrail-only branches that CloudTrail records never carry, and the other way
/// round for S3 notifications.
fn fields_never_present(branch: &Branch<'_>, out: &mut Vec<ShapeIssue>) {
    let Some(family) = family(branch) else {
        return;
    };
    for leaf in required_leaves(branch) {
        let path = leaf.path;
        if family_lacks(family, path) {
            out.push(ShapeIssue::FieldNeverPresent {
                span: leaf.key_span,
                path: path.to_owned(),
                family,
            });
        }
    }
}

/// `detail` fields checked against the schemas of the event types the branch matches: a path
/// below a scalar, or a field no schema has that nearly names one they have.
/// Only for branches whose `source` and `detail-type` are all literal, whose sources all have
/// schemas, and whose every detail type has one for some source; CloudTrail's types are left
/// to the checks above (their `detail` is the API call's record).
fn schema_fields(branch: &Branch<'_>, out: &mut Vec<ShapeIssue>) {
    let Some((shapes, names)) = schemas_of(branch) else {
        return;
    };
    for leaf in required_leaves(branch) {
        let Some(rest) = leaf.path.strip_prefix("detail.") else {
            continue;
        };
        let segments: Vec<&str> = rest.split('.').collect();
        let found: Vec<Lookup> = shapes.iter().map(|s| lookup(s, &segments)).collect();
        let first = found.first();
        if let Some(Lookup::BelowScalar { depth, kind }) = first
            && found.iter().all(|f| f == &found[0])
        {
            out.push(ShapeIssue::BelowScalar {
                span: leaf.key_span,
                path: leaf.path.to_owned(),
                scalar: format!("detail.{}", segments[..*depth].join(".")),
                kind,
                detail_types: names.clone(),
            });
        } else if found.iter().all(|f| matches!(f, Lookup::Missing { .. })) {
            let meant = found.iter().find_map(|f| match f {
                Lookup::Missing { meant: Some(meant) } => Some(meant.clone()),
                _ => None,
            });
            if let Some(meant) = meant {
                out.push(ShapeIssue::UnknownDetailField {
                    span: leaf.key_span,
                    path: leaf.path.to_owned(),
                    meant: format!("detail.{meant}"),
                    detail_types: names.clone(),
                });
            }
        }
    }
}

/// The `detail` schemas of the event types a branch matches, and the types' names: only for
/// branches whose `source` and `detail-type` are all literal, whose sources all have schemas,
/// and whose every detail type has one for some source.
fn schemas_of(branch: &Branch<'_>) -> Option<(Vec<&'static Field>, Vec<String>)> {
    let schemas = crate::catalog::event_schemas();
    let sources = aws_sources(branch).filter(|s| !s.is_empty())?;
    if !sources.iter().all(|s| schemas.knows(s)) {
        return None;
    }
    let matchers = branch.matchers("detail-type")?;
    let types = exact_values(branch, "detail-type");
    if types.len() != matchers.len() || types.is_empty() {
        return None;
    }
    let mut shapes = Vec::new();
    let mut names = Vec::new();
    for detail_type in &types {
        let text = detail_type.value.as_lit()?;
        let found: Vec<&Field> = sources
            .iter()
            .filter_map(|source| schemas.detail(source, text))
            .collect();
        // A type without a schema could have any field.
        if found.is_empty() || found.iter().any(|f| matches!(f, Field::Any)) {
            return None;
        }
        shapes.extend(found);
        names.push(text.to_owned());
    }
    Some((shapes, names))
}

/// What a schema says of a path below `detail`.
#[derive(Debug, PartialEq)]
enum Lookup {
    /// The path exists, or may (it goes below a value of any shape).
    Possible,
    /// The first `depth` segments name a scalar and the path goes on.
    BelowScalar { depth: usize, kind: &'static str },
    /// A segment is not there; `meant` is the path with it corrected, when one field nearly
    /// names it.
    Missing { meant: Option<String> },
}

fn lookup(shape: &Field, segments: &[&str]) -> Lookup {
    let mut field = shape;
    for (depth, segment) in segments.iter().enumerate() {
        match field {
            Field::Any => return Lookup::Possible,
            Field::String | Field::Number | Field::Boolean => {
                return Lookup::BelowScalar {
                    depth,
                    kind: field.scalar_name().unwrap_or_default(),
                };
            }
            Field::Object(fields) => match fields.get(*segment) {
                Some(next) => field = next,
                None => {
                    let mut names: Vec<&String> = fields.keys().collect();
                    names.sort_unstable();
                    let meant = names
                        .into_iter()
                        .find(|name| near_field(segment, name))
                        .map(|name| {
                            let mut path: Vec<&str> = segments[..depth].to_vec();
                            path.push(name);
                            // The rest as written: only the first wrong segment is corrected.
                            path.extend(&segments[depth + 1..]);
                            path.join(".")
                        });
                    return Lookup::Missing { meant };
                }
            },
        }
    }
    Lookup::Possible
}

/// Whether `written` nearly names the field `known`: the same but for case, `-` and `_`
/// (`instanceId` for `instance-id`, `State` for `state`), or misspelt (`instnace-id`) as a name
/// no schema has anywhere. A real name in its place is not near: real fields of one event are
/// often a letter apart (`stage` and `state`, `minWorkers` and `maxWorkers`), and a schema is a
/// sample that may lack one.
fn near_field(written: &str, known: &str) -> bool {
    letters(written) == letters(known)
        || (misspelt(written, known) && !crate::catalog::event_schemas().is_field_name(written))
}

/// The one family of events a branch's `detail-type` admits, if it names only types of one and
/// the branch is about AWS events (applications may reuse the names for their own): its
/// `source`, when written, admits only `aws.` values (`aws.s3`, `{"prefix": "aws."}`).
fn family(branch: &Branch<'_>) -> Option<Family> {
    if branch.leaf("source").is_some() && super::events::may_be_custom(branch) {
        return None;
    }
    let matchers = branch.matchers("detail-type")?;
    let values = exact_values(branch, "detail-type");
    if values.len() != matchers.len() || values.is_empty() {
        return None;
    }
    let catalog = catalog();
    let is =
        |pred: &dyn Fn(&str) -> bool| values.iter().all(|v| v.value.as_lit().is_some_and(pred));
    if is(&|t| catalog.cloudtrail_detail_types.iter().any(|d| d.name == t)) {
        Some(Family::CloudTrail)
    } else if is(&|t| catalog.s3_notification_types.iter().any(|n| n == t)) {
        Some(Family::S3Notification)
    } else {
        None
    }
}

fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The exact string values of a leaf, with where each is written (matchers of other kinds are
/// left out).
fn exact_values(branch: &Branch<'_>, path: &str) -> Vec<Named> {
    branch
        .matchers(path)
        .unwrap_or_default()
        .iter()
        .filter_map(|m| match &m.kind {
            MatcherKind::Exact(Literal::String(text)) => Some(Named {
                value: Text::clone(text),
                span: m.span,
            }),
            _ => None,
        })
        .collect()
}
