//! TC103 `data-events-not-logged`: the rule matches data events for a resource that no logging
//! trail selects.

use std::collections::HashSet;

use super::fix::{Advanced, Edit, Selection};
use super::notes::{miss_notes, misses};
use super::words::{events_phrase, keys_phrase, name_span, resource_kind, resource_with_keys};
use super::{Context, Report, group_by, wanted};
use crate::analysis::coverage::MissReason;
use crate::analysis::events::{Class, KeyFilter};
use crate::analysis::{Delivery, Verdict};
use crate::model::{Dialect, ReadWrite, Selectors};
use crate::value::Text;

/// Fires for data events that every logging trail drops, when none of them would log them
/// but for their read/write class (that is TC104's finding).
fn fires(verdict: &Verdict) -> bool {
    matches!(
        (&verdict.delivery, verdict.candidate.class),
        (Delivery::NotSelected { misses }, Class::Data { .. }) if misses.read_write.is_none()
    )
}

pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        // One finding per resource the rule names (or per type when it names none): the fix
        // is one selector for each.
        let groups = group_by(verdicts.iter().filter(|v| fires(v)), |v| {
            let resource_type = match v.candidate.class {
                Class::Data { resource_type, .. } => resource_type.resource_type.clone(),
                _ => String::new(),
            };
            (
                resource_type,
                v.candidate
                    .resource
                    .as_ref()
                    .map(|r| (r.value.clone(), r.span)),
            )
        });
        for ((resource_type, resource), members) in groups {
            let first = &members[0].candidate;
            let span = resource
                .as_ref()
                .map_or_else(|| name_span(first), |(_, span)| *span);
            let keys = keys_of(&members);
            let keys_named = keys_phrase(&keys);
            let target = match (resource_with_keys(first, &keys), &keys_named) {
                (Some(resource), _) => format!("`{resource_type}` data events for {resource}"),
                (None, Some(keys)) => format!("`{resource_type}` data events for {keys}"),
                (None, None) => format!("`{resource_type}` data events"),
            };
            // The other events a prefix or wildcard matches may still arrive: say so when they
            // do.
            let rest_arrives = first.part_of.is_some_and(|at| {
                verdicts.iter().any(|v| {
                    v.candidate.part_of == Some(at)
                        && !matches!(v.candidate.class, Class::Data { .. })
                        && v.delivery == Delivery::Delivered
                })
            });
            let rest = if rest_arrives {
                "; the management events its `eventName` matches still do"
            } else {
                ""
            };
            let finding = out.on_rule(
                rule,
                span,
                format!(
                    "no logging trail selects {target}, so {} never reach this rule{rest}",
                    events_phrase(&members)
                ),
            );
            finding.label = match (resource_kind(first), &keys_named) {
                (Some(kind), Some(_)) => {
                    format!("no logging trail selects these objects of this {kind}")
                }
                (Some(kind), None) => format!("no logging trail selects this {kind}"),
                (None, _) => "no logging trail selects these data events".to_owned(),
            };
            let misses = misses(members[0]);
            if let (Some((index, miss)), Some(data)) = (misses.first(), wanted::data(first)) {
                let trail = cx.trail(*index);
                let dialect = trail.dialect;
                let selection = Selection {
                    data: Some(data.clone()),
                    read_write: ReadWrite::All,
                };
                finding.help = Some(match trail.selectors {
                    // Basic selectors cannot select this type at all.
                    Selectors::Basic(_) | Selectors::Default if !data.basic => format!(
                        "CloudTrail logs `{resource_type}` data events only through advanced event selectors; replace the event selectors of trail `{}` with advanced ones, for example:\n{}",
                        trail.name,
                        Edit::AdvancedSelectors(&[Advanced::Management, Advanced::Data(&data)])
                            .write(dialect)
                    ),
                    // The trail already selects this type: the resource joins its values.
                    Selectors::Basic(_)
                        if miss.reason == MissReason::ResourceNotSelected && data.arn.is_some() =>
                    {
                        // In the input's own words: a Terraform block, a template property.
                        let (values, resource) = match dialect {
                            Dialect::Terraform => ("values", "`data_resource` block"),
                            _ => ("Values", "data resource"),
                        };
                        format!(
                            "add `{}` to the `{values}` of the `{resource_type}` {resource} of trail `{}`",
                            Edit::Value(data.arn.as_ref().unwrap_or(&Text::unknown()))
                                .write(dialect),
                            trail.name
                        )
                    }
                    Selectors::Advanced(_) => format!(
                        "add this advanced event selector to trail `{}`:\n{}",
                        trail.name,
                        Edit::AdvancedSelectors(&[Advanced::Data(&data)]).write(dialect)
                    ),
                    Selectors::Default => format!(
                        "give trail `{}` event selectors that keep its management events and add these data events:\n{}",
                        trail.name,
                        Edit::BasicSelectors(&selection).write(dialect)
                    ),
                    _ => format!(
                        "add this event selector to trail `{}`:\n{}",
                        trail.name,
                        Edit::BasicSelector(&selection).write(dialect)
                    ),
                });
            }
            finding.related = miss_notes(cx, members[0]);
        }
    }
}

/// The object keys the branches of a group name between them: any key when one names none.
fn keys_of(members: &[&Verdict]) -> KeyFilter {
    let (mut exact, mut prefixes): (Vec<Text>, Vec<Text>) = (Vec::new(), Vec::new());
    let (mut seen_exact, mut seen_prefixes) = (HashSet::new(), HashSet::new());
    for member in members {
        let KeyFilter::Some {
            exact: keys,
            prefixes: starts,
        } = &member.candidate.key
        else {
            return KeyFilter::Any;
        };
        exact.extend(keys.iter().filter(|k| seen_exact.insert(*k)).cloned());
        prefixes.extend(starts.iter().filter(|p| seen_prefixes.insert(*p)).cloned());
    }
    KeyFilter::Some { exact, prefixes }
}
