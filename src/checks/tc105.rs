//! TC105 `management-events-not-logged`: the rule matches management events that every
//! logging trail drops.

use super::{Context, events_phrase, finding, fix, group_by, misses, name_span, owned_by};
use crate::analysis::coverage::MissReason;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::model::Selectors;

pub static INFO: RuleInfo = RuleInfo {
    id: "TC105",
    name: "management-events-not-logged",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC105-management-events-not-logged.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let mine = owned_by(verdicts, INFO.id);
            let groups = group_by(mine, |v| v.candidate.source.clone());
            for (source, members) in groups {
                let first = &members[0].candidate;
                let from = source
                    .as_ref()
                    .map_or(String::new(), |s| format!(" from `{}`", s.value));
                let span = source.as_ref().map_or_else(|| name_span(first), |s| s.span);
                let mut finding = finding(
                    &INFO,
                    rule,
                    span,
                    format!(
                        "no logging trail logs management events{from}, so {} never reach this rule",
                        events_phrase(&members)
                    ),
                );
                finding.label = "management events no trail logs".to_owned();
                let misses = misses(members[0]);
                if let Some((index, miss)) = misses.first() {
                    let trail = cx.trail(*index);
                    finding.help = Some(match (&miss.reason, &trail.selectors) {
                        (MissReason::SourceExcluded(source), Selectors::Advanced(_)) => format!(
                            "remove the `eventSource` condition excluding `{source}` from the management events selector of trail `{}`",
                            trail.name
                        ),
                        (MissReason::SourceExcluded(source), _) => format!(
                            "remove `{source}` from `{}` of trail `{}`",
                            fix::key(
                                trail.dialect,
                                "ExcludeManagementEventSources",
                                "exclude_management_event_sources"
                            ),
                            trail.name
                        ),
                        (_, Selectors::Advanced(_)) => format!(
                            "add this advanced event selector to trail `{}`:\n{}",
                            trail.name,
                            fix::advanced_selector(trail.dialect, None)
                        ),
                        _ => format!(
                            "set `{}` in an event selector of trail `{}`",
                            fix::assignment(
                                trail.dialect,
                                "IncludeManagementEvents",
                                "include_management_events",
                                "true"
                            ),
                            trail.name
                        ),
                    });
                }
                finding.related = cx.miss_notes(members[0]);
                out.push(finding);
            }
        }
    }
}
