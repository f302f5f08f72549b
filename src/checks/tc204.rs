//! TC204 `unknown-event-name`: an `eventName` CloudTrail never records for the pattern's
//! event sources, close to one it does (`GetObjects`, Lambda's `CreateFunction`).

use super::{Context, Report};
use crate::analysis::Outcome;
use crate::analysis::shape::ShapeIssue;

/// Fires for each `eventName` CloudTrail never records for the pattern's event sources that
/// nearly names one it does.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    // Only where AWS events arrive: on a bus that is unknown, or that nothing forwards them to
    // (TC110), no event name matters.
    let receiving = cx.reports.iter().filter(|r| {
        !matches!(
            r.outcome,
            Outcome::NotAnalysed | Outcome::BusUnreached { .. }
        )
    });
    for (rule, issue) in receiving.flat_map(|r| r.shape.iter().map(move |i| (r.rule, i))) {
        let ShapeIssue::UnknownEventName { name, suggestions } = issue else {
            continue;
        };
        let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
        let finding = out.on_rule(
            rule,
            name.span,
            format!(
                "CloudTrail records no event named `{}` for this service",
                name.value
            ),
        );
        finding.label = format!("did you mean {}?", list_or(&quoted));
        let written = name.value.to_string();
        // CloudTrail records some APIs under versioned names (Lambda's
        // `CreateFunction20150331`): a prefix keeps matching when the version changes.
        let versioned = suggestions.iter().all(|s| {
            s.strip_prefix(written.as_str()).is_some_and(|version| {
                version.len() >= 8 && version[..8].bytes().all(|b| b.is_ascii_digit())
            })
        });
        let iam_action = written
            .split_once(':')
            .is_some_and(|(_, bare)| suggestions.iter().any(|s| s == bare));
        finding.help = Some(if iam_action {
            format!(
                "write {}: CloudTrail records the API's name, without the service prefix of IAM's action syntax",
                list_or(&quoted)
            )
        } else if versioned {
            format!(
                "write {}, or `{{\"prefix\": \"{written}\"}}` to match every version of the name",
                list_or(&quoted)
            )
        } else {
            format!("write {}; event names are case-sensitive", list_or(&quoted))
        });
    }
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn list_or(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
