//! TC109 `trail-region-not-covered`: every trail that would log the events is a single-region
//! trail of another region than the one the events are recorded in.

use super::{Context, events_phrase, finding, group_by_trails, related, trails_phrase};
use crate::analysis::Delivery;
use crate::finding::{Finding, RuleInfo, Severity};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC109",
    name: "trail-region-not-covered",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC109-trail-region-not-covered.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let groups = group_by_trails(verdicts, |d| match d {
                Delivery::WrongRegion { trails } => Some(trails),
                _ => None,
            });
            for (trails, members) in groups {
                // Global service events are recorded in the global region, wherever the rule is.
                let region = if crate::analysis::is_global(&members[0].candidate) {
                    crate::catalog::catalog().global_region.as_str()
                } else {
                    rule.region.as_deref().unwrap_or("the rule's region")
                };
                let homes: Vec<String> = trails
                    .iter()
                    .filter_map(|&i| cx.trail(i).region.as_deref().map(|r| format!("`{r}`")))
                    .collect();
                let mut finding = finding(
                    &INFO,
                    rule,
                    members[0].candidate.detail_span,
                    format!(
                        "{} {} single-region in {}, so {} recorded in `{region}` are never logged",
                        trails_phrase(cx, &trails),
                        if trails.len() == 1 { "is" } else { "are" },
                        super::list(&homes),
                        events_phrase(&members)
                    ),
                );
                finding.label = format!("recorded in `{region}`");
                finding.help = Some(format!(
                    "{}, or add a trail in `{region}`",
                    cx.set_on_trails(
                        &trails,
                        "IsMultiRegionTrail",
                        "is_multi_region_trail",
                        "true"
                    )
                ));
                finding.related = trails
                    .iter()
                    .map(|&i| {
                        let trail = cx.trail(i);
                        let home = trail.region.as_deref().unwrap_or("another region");
                        related(
                            trail,
                            None,
                            format!("trail `{}` records events of `{home}` only", trail.name),
                        )
                    })
                    .collect();
                out.push(finding);
            }
        }
    }
}
