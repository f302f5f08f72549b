//! How findings speak of the user's events, resources and trails: "`GetObject` and
//! `HeadObject` events", "bucket `my-bucket`", "trails `A` and `B`".

use super::Context;
use super::fix::Setting;
use crate::analysis::events::{Candidate, Class, EventName, KeyFilter};
use crate::analysis::{Misses, Verdict};
use crate::catalog::{ArnShape, DetailKind, catalog};
use crate::source::Span;
use crate::value::{Piece, Symbol, Text};

/// Where a candidate's event name is written (the `detail-type` when it names none).
pub(super) fn name_span(candidate: &Candidate) -> Span {
    match &candidate.name {
        EventName::Exact(named) => named.span,
        EventName::Open {
            span: Some(span), ..
        } => *span,
        EventName::Open { span: None, .. } => candidate.detail_span,
    }
}

/// "`GetObject` events", "`GetObject` and `HeadObject` events", "events from
/// `ec2.amazonaws.com`", "`AWS API Call via CloudTrail` events".
pub(super) fn events_phrase(verdicts: &[&Verdict]) -> String {
    let mut names: Vec<String> = Vec::new();
    for verdict in verdicts {
        if let EventName::Exact(named) = &verdict.candidate.name {
            let name = format!("`{}`", named.value);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if !names.is_empty() {
        return format!("{} events", list(&names));
    }
    let mut sources: Vec<String> = Vec::new();
    for verdict in verdicts {
        if let Some(source) = &verdict.candidate.source {
            let source = format!("`{}`", source.value);
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
    }
    // What is left of a prefix or wildcard once its data events are named one by one.
    let rest = verdicts.iter().all(|v| {
        v.candidate.part_of.is_some() && matches!(v.candidate.class, Class::Management { .. })
    });
    let events = if rest {
        "the management events"
    } else {
        "events"
    };
    if sources.is_empty() {
        let detail = verdicts
            .first()
            .map_or("CloudTrail", |v| detail_name(v.candidate.detail));
        format!("`{detail}` {events}")
    } else {
        format!("{events} from {}", list(&sources))
    }
}

fn detail_name(kind: DetailKind) -> &'static str {
    catalog()
        .cloudtrail_detail_types
        .iter()
        .find(|d| d.kind == kind)
        .map_or("CloudTrail", |d| d.name.as_str())
}

/// How many items a list names before it says how many more there are.
const SHOWN: usize = 3;

/// "a", "a and b", "a, b and c", "a, b, c and 4 more".
pub(super) fn list(items: &[String]) -> String {
    list_of(items, items.len())
}

/// [`list`] with each item in backticks: "`a` and `b`".
pub(super) fn quoted_list(items: &[String]) -> String {
    list(&quoted(items))
}

fn quoted(items: &[String]) -> Vec<String> {
    items.iter().map(|item| format!("`{item}`")).collect()
}

/// [`list`] of `total` items of which `first` are the first ones (at least `SHOWN + 1` of
/// them, when there are that many): a list of thousands needs only its first words.
pub(super) fn list_of(first: &[String], total: usize) -> String {
    joined(first, total, "and")
}

/// [`quoted_list`] of alternatives: "`a`, `b` or `c`".
fn quoted_alternatives(items: &[String]) -> String {
    joined(&quoted(items), items.len(), "or")
}

fn joined(first: &[String], total: usize, conjunction: &str) -> String {
    match first {
        [] => String::new(),
        [one] if total == 1 => one.clone(),
        _ if total <= SHOWN + 1 && first.len() == total => {
            let (last, rest) = first.split_last().unwrap_or((&first[0], &[]));
            format!("{} {conjunction} {last}", rest.join(", "))
        }
        _ => format!(
            "{} {conjunction} {} more",
            first[..SHOWN.min(first.len())].join(", "),
            total - SHOWN.min(first.len())
        ),
    }
}

/// "bucket", "function", "table": what a data candidate's resource is, when the branch names it.
pub(super) fn resource_kind(candidate: &Candidate) -> Option<&'static str> {
    let Class::Data { resource_type, .. } = candidate.class else {
        return None;
    };
    candidate.resource.as_ref()?;
    Some(match resource_type.arn? {
        ArnShape::S3Object => "bucket",
        ArnShape::LambdaFunction => "function",
        ArnShape::DynamoDbTable => "table",
    })
}

/// "bucket `my-bucket`", "function `resize`", "table `orders`"; "bucket resource `Uploads`"
/// when the name is the one CloudFormation generates for a resource; "key `a.csv` in bucket
/// `my-bucket`" when the branch names object keys.
pub(super) fn resource_phrase(candidate: &Candidate) -> Option<String> {
    resource_with_keys(candidate, &candidate.key)
}

/// [`resource_phrase`] with these object keys.
pub(super) fn resource_with_keys(candidate: &Candidate, keys: &KeyFilter) -> Option<String> {
    let kind = resource_kind(candidate)?;
    let named = candidate.resource.as_ref()?;
    let resource = match named.value.pieces() {
        [Piece::Sym(symbol @ Symbol::Generated(_))] => {
            format!("{kind} resource `{}`", symbol.label())
        }
        _ => format!("{kind} `{}`", named.value),
    };
    Some(match keys_phrase(keys) {
        Some(keys) => format!("{keys} in {resource}"),
        None => resource,
    })
}

/// "key `a.csv`", "keys `a` and `b`", "keys starting with `logs/`", "key `a` or keys starting
/// with `logs/`": the object keys a branch names, when it names some.
pub(super) fn keys_phrase(key: &KeyFilter) -> Option<String> {
    let KeyFilter::Some { exact, prefixes } = key else {
        return None;
    };
    let texts = |texts: &[Text]| -> Vec<String> { texts.iter().map(Text::to_string).collect() };
    let mut parts = Vec::new();
    match exact.as_slice() {
        [] => {}
        [one] => parts.push(format!("key `{one}`")),
        _ => parts.push(format!("keys {}", quoted_list(&texts(exact)))),
    }
    if !prefixes.is_empty() {
        let starts = quoted_alternatives(&texts(prefixes));
        parts.push(format!("keys starting with {starts}"));
    }
    (!parts.is_empty()).then(|| parts.join(" or "))
}

/// "trail `AuditTrail`", "trails `A` and `B`".
pub(super) fn trails_phrase(cx: &Context<'_>, indexes: &[usize]) -> String {
    let names: Vec<String> = indexes
        .iter()
        .take(SHOWN + 1)
        .map(|&i| format!("`{}`", cx.trail(i).name))
        .collect();
    if indexes.len() == 1 {
        format!("trail {}", names[0])
    } else {
        format!("trails {}", list_of(&names, indexes.len()))
    }
}

/// "set `IsLogging: true` on trail `A`; set … on trail `B`", in each trail's language: for the
/// first few trails, and how many more.
pub(super) fn set_on_trails(cx: &Context<'_>, trails: &[usize], setting: Setting) -> String {
    let mut out = trails
        .iter()
        .take(Misses::KEPT)
        .map(|&i| {
            let trail = cx.trail(i);
            format!(
                "set `{}` on trail `{}`",
                setting.written(trail.dialect),
                trail.name
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    match trails.len().saturating_sub(Misses::KEPT) {
        0 => {}
        1 => out.push_str("; and the same on the other trail"),
        more => out.push_str(&format!("; and the same on the {more} other trails")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        let items: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(list(&items[..0]), "");
        assert_eq!(list_of(&items[..1], 3), "a and 2 more");
        assert_eq!(list(&items[..1]), "a");
        assert_eq!(list(&items[..2]), "a and b");
        assert_eq!(list(&items[..4]), "a, b, c and d");
        assert_eq!(list(&items), "a, b, c and 2 more");
    }

    #[test]
    fn object_keys_read_as_alternatives() {
        let keys = |exact: &[&str], prefixes: &[&str]| {
            let texts = |items: &[&str]| items.iter().map(|t| Text::lit(*t)).collect();
            keys_phrase(&KeyFilter::Some {
                exact: texts(exact),
                prefixes: texts(prefixes),
            })
        };
        assert_eq!(keys_phrase(&KeyFilter::Any), None);
        assert_eq!(keys(&[], &[]), None);
        assert_eq!(keys(&["a.csv"], &[]).unwrap(), "key `a.csv`");
        assert_eq!(keys(&["a", "b"], &[]).unwrap(), "keys `a` and `b`");
        assert_eq!(keys(&[], &["logs/"]).unwrap(), "keys starting with `logs/`");
        assert_eq!(
            keys(&["a"], &["x/", "y/", "z/"]).unwrap(),
            "key `a` or keys starting with `x/`, `y/` or `z/`"
        );
    }
}
