//! TC306 `fifo-target-without-group`: an SQS FIFO queue target without a message group, or
//! whose queue lacks content-based deduplication.

use super::fix::{TargetEdit, Value};
use super::target::{judged, note};
use super::{Context, Report};
use crate::analysis::targets::TargetKind;
use crate::model::{Dialect, Setting};
use crate::value::Piece;

/// Fires once per FIFO queue target, for the first reason that holds.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for fact in judged(cx) {
        let target = fact.target;
        if fact.kind != TargetKind::Queue {
            continue;
        }
        // A queue's ARN ends with its name.
        let named_fifo = matches!(
            target.arn.pieces().last(),
            Some(Piece::Lit(last)) if last.ends_with(".fifo")
        );
        let declared_fifo = fact.receiver.is_some_and(|q| q.fifo == Some(true));
        if !named_fifo && !declared_fifo {
            continue;
        }
        let dialect = fact.rule.dialect;
        if target.message_group == Setting::Absent {
            let finding = out.on_target(
                fact,
                target.arn_span,
                "this target is an SQS FIFO queue and gives no message group: `PutTargets` rejects a FIFO queue target without `SqsParameters.MessageGroupId`".to_owned(),
            );
            finding.label = "FIFO queue without a message group".to_owned();
            let edit = match dialect {
                Dialect::Terraform => TargetEdit::Property(
                    "sqs_target",
                    Value::Block(vec![("message_group_id", Value::str("events"))]),
                ),
                _ => TargetEdit::Property(
                    "SqsParameters",
                    Value::Map(vec![("MessageGroupId", Value::str("events"))]),
                ),
            };
            finding.help = Some(format!(
                "give the target a message group (events of one group are delivered in order):\n{}",
                edit.write(dialect)
            ));
            continue;
        }
        let Some(queue) = fact.receiver.filter(|q| q.content_dedup == Some(false)) else {
            continue;
        };
        let finding = out.on_target(
            fact,
            target.arn_span,
            format!(
                "this target is the FIFO queue `{}`, which lacks content-based deduplication: EventBridge requires it of a FIFO queue target",
                queue.name
            ),
        );
        finding.label = "FIFO queue without content-based deduplication".to_owned();
        finding.related.push(note(
            queue.loc,
            &queue.name,
            format!("queue `{}` is declared here", queue.name),
        ));
        let property = match queue.dialect {
            Dialect::Terraform => "content_based_deduplication",
            _ => "ContentBasedDeduplication",
        };
        finding.help = Some(format!(
            "turn content-based deduplication on for `{}`:\n{}",
            queue.name,
            TargetEdit::Property(property, Value::Expr(super::fix::Expr::Written("true")))
                .write(queue.dialect)
        ));
    }
}
