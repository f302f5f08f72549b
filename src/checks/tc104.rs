//! TC104 `read-write-excluded`: a logging trail selects the events, but its read/write filter
//! drops their class.

use super::{
    Context, Delivery, events_phrase, finding, fix, group_by, miss_note, name_span, owned_by,
};
use crate::analysis::coverage::MissReason;
use crate::analysis::events::Class;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::model::{ReadWrite, Selectors};

pub static INFO: RuleInfo = RuleInfo {
    id: "TC104",
    name: "read-write-excluded",
    severity: Severity::Error,
    doc: include_str!("../../rules/TC104-read-write-excluded.md"),
};

pub struct Check;

impl super::Check for Check {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn run(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (rule, verdicts) in cx.verdicts() {
            let mine = owned_by(verdicts, INFO.id);
            // The trail whose filter drops the events is the root cause: one finding per trail
            // and filter.
            let groups = group_by(mine, |v| match &v.delivery {
                Delivery::NotSelected { misses } => misses.read_write.clone(),
                _ => None,
            });
            for (key, members) in groups {
                let Some((index, miss)) = key else {
                    continue;
                };
                let MissReason::ReadWriteExcluded { logs } = miss.reason else {
                    continue;
                };
                let trail = cx.trail(index);
                let first = &members[0].candidate;
                let (kept, dropped) = if logs == ReadWrite::ReadOnly {
                    ("read", "write")
                } else {
                    ("write", "read")
                };
                let category = match first.class {
                    Class::Data { .. } => "data",
                    _ => "management",
                };
                let mut finding = finding(
                    &INFO,
                    rule,
                    name_span(first),
                    format!(
                        "trail `{}` logs only {kept} events, so {} ({dropped} {category} events) never reach this rule",
                        trail.name,
                        events_phrase(&members)
                    ),
                );
                finding.label = format!("a {dropped} event");
                finding.help = Some(match trail.selectors {
                    Selectors::Advanced(_) => format!(
                        "remove the `readOnly` field selector from that advanced event selector of trail `{}`, or add a selector for {dropped} events",
                        trail.name
                    ),
                    _ => format!(
                        "set `{}` in that event selector of trail `{}`",
                        fix::assignment(trail.dialect, "ReadWriteType", "read_write_type", "All"),
                        trail.name
                    ),
                });
                finding.related = vec![miss_note(cx, index, &miss, first)];
                out.push(finding);
            }
        }
    }
}
