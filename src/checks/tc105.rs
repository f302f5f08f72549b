//! TC105 `management-events-not-logged`: the rule matches management events that every
//! logging trail drops.

use super::fix::{Advanced, Edit, Property, Setting};
use super::notes::{miss_notes, misses};
use super::words::{events_phrase, name_span};
use super::{Context, Report, group_by};
use crate::analysis::coverage::MissReason;
use crate::analysis::events::Class;
use crate::analysis::{Delivery, Verdict};
use crate::model::Selectors;

/// Fires for management events that every logging trail drops, when none of them would log
/// them but for their read/write class (that is TC104's finding).
fn fires(verdict: &Verdict) -> bool {
    matches!(
        (&verdict.delivery, verdict.candidate.class),
        (Delivery::NotSelected { misses }, Class::Management { .. }) if misses.read_write.is_none()
    )
}

pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        let groups = group_by(verdicts.iter().filter(|v| fires(v)), |v| {
            v.candidate.source.clone()
        });
        for (source, members) in groups {
            let first = &members[0].candidate;
            let from = source
                .as_ref()
                .map_or(String::new(), |s| format!(" from `{}`", s.value));
            let span = source.as_ref().map_or_else(|| name_span(first), |s| s.span);
            let finding = out.on_rule(
                rule,
                span,
                format!(
                    "no logging trail logs management events{from}, so {} never reach this rule",
                    events_phrase(&members)
                ),
            );
            finding.label = "management events no trail logs".to_owned();
            if let Some((index, miss)) = misses(members[0]).first() {
                let trail = cx.trail(*index);
                let dialect = trail.dialect;
                finding.help = Some(match (&miss.reason, &trail.selectors) {
                    (MissReason::SourceExcluded(source), Selectors::Advanced(_)) => format!(
                        "remove the `eventSource` condition excluding `{source}` from the management events selector of trail `{}`",
                        trail.name
                    ),
                    (MissReason::SourceExcluded(source), _) => format!(
                        "remove `{source}` from `{}` of trail `{}`",
                        Property::ExcludeManagementEventSources.name(dialect),
                        trail.name
                    ),
                    (_, Selectors::Advanced(_)) => format!(
                        "add this advanced event selector to trail `{}`:\n{}",
                        trail.name,
                        Edit::AdvancedSelectors(&[Advanced::Management]).write(dialect)
                    ),
                    _ => format!(
                        "set `{}` in an event selector of trail `{}`",
                        Setting::new(Property::IncludeManagementEvents, true).written(dialect),
                        trail.name
                    ),
                });
            }
            finding.related = miss_notes(cx, members[0]);
        }
    }
}
