//! TC104 `read-write-excluded`: a logging trail selects the events, but its read/write filter
//! drops their class.

use super::fix::{Property, Setting};
use super::notes::miss_note;
use super::words::{events_phrase, name_span};
use super::{Context, Report, group_by};
use crate::analysis::coverage::{Miss, MissReason};
use crate::analysis::events::Class;
use crate::analysis::{Delivery, Verdict};
use crate::model::{ReadWrite, Selectors};

/// Fires for events that every logging trail drops, when one of those trails selects them but
/// its read/write filter leaves their class out: that trail's filter is the link to mend. The
/// trail and its miss.
fn fires(verdict: &Verdict) -> Option<&(usize, Miss)> {
    match &verdict.delivery {
        Delivery::NotSelected { misses } => misses.read_write.as_ref(),
        _ => None,
    }
}

pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for (rule, verdicts) in cx.verdicts() {
        // The trail whose filter drops the events is the root cause: one finding per trail
        // and filter.
        let groups = group_by(verdicts.iter().filter(|v| fires(v).is_some()), |v| {
            fires(v).cloned()
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
            let finding = out.on_rule(
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
                    Setting::new(Property::ReadWriteType, "All").written(trail.dialect),
                    trail.name
                ),
            });
            finding.related = vec![miss_note(cx, index, &miss, first)];
        }
    }
}
