//! TC305 `dead-letter-queue-unusable`: the target's dead-letter queue cannot take the events
//! EventBridge fails to deliver: it is a FIFO queue, lives in another region than the rule, or
//! its queue policy does not let EventBridge send to it for this rule.

use super::fix::TargetEdit;
use super::target::{delivering, note, rule_arn, written};
use super::tc301::statement;
use super::{Context, Report};
use crate::analysis::targets::{EVENTS, arn_parts};
use crate::model::{ReceiverKind, Setting};
use crate::value::{Text, Tri};

/// Fires once per target, for the first reason that holds.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let index = &cx.targets.index;
    for fact in delivering(cx) {
        let target = fact.target;
        let Setting::Set(dead_letter) = &target.dead_letter else {
            continue;
        };
        let queue = index
            .receiver(&dead_letter.text)
            .filter(|q| q.kind == ReceiverKind::Queue);
        let parts = arn_parts(&dead_letter.text);
        let named_fifo = parts
            .as_ref()
            .map_or(Tri::Unknown, |p| p[5].ends_with(&Text::lit(".fifo")));
        let fifo = named_fifo == Tri::Yes || queue.is_some_and(|q| q.fifo == Some(true));
        let region = parts
            .as_ref()
            .and_then(|p| p[3].as_lit().map(str::to_owned));
        let other_region = match (fact.rule.region.as_deref(), region.as_deref()) {
            (Some(rule), Some(queue)) if rule != queue => Some((rule, queue.to_owned())),
            _ => None,
        };
        let dialect = fact.rule.dialect;
        let (message, help) = if fifo {
            (
                "the target's dead-letter queue is a FIFO queue; EventBridge takes only standard queues as dead-letter queues".to_owned(),
                "use a standard queue as the dead-letter queue".to_owned(),
            )
        } else if let Some((rule, queue)) = other_region {
            (
                format!(
                    "the target's dead-letter queue is in `{queue}`, the rule in `{rule}`; a dead-letter queue must be in the rule's region"
                ),
                format!("use a queue in `{rule}` as the dead-letter queue"),
            )
        } else if let Some(queue) = queue {
            let (permitted, grants) = index.resource_permits(queue, &queue.arn, fact.rule);
            if permitted != Tri::No {
                continue;
            }
            let statement = statement(
                "sqs:SendMessage",
                written(cx, target.loc.file, dead_letter.span),
                rule_arn(fact.rule),
            );
            let what = if grants.is_empty() {
                "it has no queue policy".to_owned()
            } else {
                "its queue policy has no statement".to_owned()
            };
            (
                format!(
                    "EventBridge may not send failed events to the dead-letter queue `{}`: {what} letting `{EVENTS}` `sqs:SendMessage` for this rule, so failed deliveries are lost",
                    queue.name
                ),
                if grants.is_empty() {
                    format!(
                        "give the queue a policy that lets EventBridge send this rule's failed events to it:\n{}",
                        super::tc301::resource_policy(dialect, queue, statement)
                    )
                } else {
                    format!(
                        "add this statement to the queue policy of `{}`:\n{}",
                        queue.name,
                        TargetEdit::Statement(statement).write(dialect)
                    )
                },
            )
        } else {
            continue;
        };
        let finding = out.on_target(fact, dead_letter.span, message);
        finding.label = "dead-letter queue unusable".to_owned();
        if let Some(queue) = queue {
            finding.related.push(note(
                queue.loc,
                &queue.name,
                format!("queue `{}` is declared here", queue.name),
            ));
        }
        finding.help = Some(help);
    }
}
