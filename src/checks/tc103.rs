//! TC103 `data-events-not-logged`: the rule matches data events for a resource that no logging
//! trail selects.

use super::{
    Context, events_phrase, finding, fix, group_by, misses, name_span, owned_by, resource_kind,
    resource_phrase,
};
use crate::analysis::coverage::MissReason;
use crate::analysis::events::Class;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::model::{ReadWrite, Selectors};
use crate::value::Text;

pub static INFO: RuleInfo = RuleInfo {
    id: "TC103",
    name: "data-events-not-logged",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC103-data-events-not-logged.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let mine = owned_by(verdicts, INFO.id);
            // One finding per resource the rule names (or per type when it names none): the
            // fix is one selector for each.
            let groups = group_by(mine, |v| {
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
                let target = match resource_phrase(first) {
                    Some(resource) => format!("`{resource_type}` data events for {resource}"),
                    None => format!("`{resource_type}` data events"),
                };
                let mut finding = finding(
                    &INFO,
                    rule,
                    span,
                    format!(
                        "no logging trail selects {target}, so {} never reach this rule",
                        events_phrase(&members)
                    ),
                );
                finding.label = match resource_kind(first) {
                    Some(kind) => format!("no logging trail selects this {kind}"),
                    None => "no logging trail selects these data events".to_owned(),
                };
                let misses = misses(members[0]);
                if let (Some((index, miss)), Some(data)) = (misses.first(), super::data_fix(first))
                {
                    let trail = cx.trail(*index);
                    finding.help = Some(match trail.selectors {
                        // Basic selectors cannot select this type at all.
                        Selectors::Basic(_) | Selectors::Default if !data.basic => format!(
                            "CloudTrail logs `{resource_type}` data events only through advanced event selectors; replace the event selectors of trail `{}` with advanced ones, for example:\n{}",
                            trail.name,
                            fix::selector_list(
                                trail.dialect,
                                &[
                                    fix::advanced_selector(trail.dialect, None),
                                    fix::advanced_selector(trail.dialect, Some(&data))
                                ]
                            )
                        ),
                        // The trail already selects this type: the resource joins its values.
                        Selectors::Basic(_)
                            if miss.reason == MissReason::ResourceNotSelected
                                && data.arn.is_some() =>
                        {
                            format!(
                                "add `{}` to the `Values` of the `{resource_type}` data resource of trail `{}`",
                                fix::value(
                                    trail.dialect,
                                    data.arn.as_ref().unwrap_or(&Text::unknown())
                                ),
                                trail.name
                            )
                        }
                        Selectors::Advanced(_) => format!(
                            "add this advanced event selector to trail `{}`:\n{}",
                            trail.name,
                            fix::advanced_selector(trail.dialect, Some(&data))
                        ),
                        Selectors::Default => format!(
                            "give trail `{}` event selectors that keep its management events and add these data events:\n{}",
                            trail.name,
                            fix::basic_selectors(
                                trail.dialect,
                                &fix::SelectorFix {
                                    data: Some(data),
                                    read_write: ReadWrite::All,
                                }
                            )
                        ),
                        _ => format!(
                            "add this event selector to trail `{}`:\n{}",
                            trail.name,
                            fix::basic_selector(
                                trail.dialect,
                                &fix::SelectorFix {
                                    data: Some(data),
                                    read_write: ReadWrite::All,
                                }
                            )
                        ),
                    });
                }
                finding.related = cx.miss_notes(members[0]);
                out.push(finding);
            }
        }
    }
}
