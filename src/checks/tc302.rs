//! TC302 `target-key-unusable`: the topic or queue the rule targets (or its dead-letter queue)
//! is encrypted with a KMS key EventBridge may not use.

use super::fix::{Expr, TargetEdit, Value};
use super::target::{judged, new_name, note};
use super::{Context, Report};
use crate::analysis::targets::{EVENTS, KeyFacts, TargetFacts, has_role};
use crate::model::{Dialect, Receiver, ReceiverKind, Setting};
use crate::source::{Loc, Span};
use crate::value::Tri;

/// Fires once per target (and once per dead-letter queue) whose key refuses EventBridge.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let index = &cx.targets.index;
    for fact in judged(cx) {
        let target = fact.target;
        // Delivered with a role, the key is used by the role, not by EventBridge.
        if let Some(receiver) = fact.receiver
            && receiver.kind != ReceiverKind::Function
            && has_role(target) == Tri::No
        {
            report(cx, out, fact, receiver, target.arn_span, "target ");
        }
        if let Setting::Set(dead_letter) = &target.dead_letter
            && let Some(queue) = index.receiver(&dead_letter.text)
            && queue.kind == ReceiverKind::Queue
        {
            report(cx, out, fact, queue, dead_letter.span, "dead-letter ");
        }
    }
}

fn report(
    cx: &Context<'_>,
    out: &mut Report<'_>,
    fact: &TargetFacts<'_>,
    receiver: &Receiver,
    span: Span,
    role: &str,
) {
    let Setting::Set(key) = &receiver.key else {
        return;
    };
    let topic = receiver.kind == ReceiverKind::Topic;
    let what = if topic { "topic" } else { "queue" };
    let key_place = Loc {
        file: receiver.loc.file,
        span: key.span,
    };
    match cx.targets.index.key_of(&key.text, topic) {
        KeyFacts::AwsManaged => {
            let finding = out.on_target(
                fact,
                span,
                format!(
                    "the {role}{what} `{}` is encrypted with the AWS managed key `{}`, whose key policy cannot let `{EVENTS}` use it: EventBridge cannot deliver this rule's events",
                    receiver.name, key.text
                ),
            );
            finding.label = format!("{what} encrypted with an AWS managed key");
            finding.related.push(note(
                key_place,
                &receiver.name,
                format!("`{}` is encrypted with `{}`", receiver.name, key.text),
            ));
            finding.help = Some(help_managed(fact.rule.dialect, &receiver.name, topic));
        }
        KeyFacts::Declared {
            key: declared,
            permits,
        } => {
            if permits != Tri::No {
                return;
            }
            let sns = if topic {
                " (for a topic, a statement conditioned on `aws:SourceArn` or `aws:SourceAccount` does not count: SNS does not pass them to KMS for EventBridge)"
            } else {
                ""
            };
            let finding = out.on_target(
                fact,
                span,
                format!(
                    "the {role}{what} `{}` is encrypted with key `{}`, whose key policy does not let `{EVENTS}` use `kms:GenerateDataKey*` and `kms:Decrypt`{sns}: EventBridge cannot deliver this rule's events",
                    receiver.name, declared.name
                ),
            );
            finding.label = format!("{what}'s key refuses EventBridge");
            finding.related.push(note(
                key_place,
                &receiver.name,
                format!("`{}` is encrypted with `{}`", receiver.name, declared.name),
            ));
            finding.related.push(note(
                declared.loc,
                &declared.name,
                format!("key `{}` is declared here", declared.name),
            ));
            finding.help = Some(format!(
                "add this statement to the key policy of `{}`{}:\n{}",
                declared.name,
                if topic { ", with no condition" } else { "" },
                TargetEdit::Statement(key_statement()).write(fact.rule.dialect)
            ));
        }
        KeyFacts::Unknown => {}
    }
}

/// The key policy statement EventBridge needs (SNS and SQS key management pages).
fn key_statement() -> Value<'static> {
    Value::Map(vec![
        ("Sid", Value::str("AllowEventBridge")),
        ("Effect", Value::str("Allow")),
        ("Principal", Value::Map(vec![("Service", Value::str(EVENTS))])),
        (
            "Action",
            Value::List(vec![
                Value::str("kms:GenerateDataKey*"),
                Value::str("kms:Decrypt"),
            ]),
        ),
        ("Resource", Value::str("*")),
    ])
}

/// A customer managed key to use instead of the AWS managed one.
fn help_managed(dialect: Dialect, receiver: &str, topic: bool) -> String {
    let name = new_name(dialect, receiver, "Key");
    let policy = Value::Document(Box::new(Value::Map(vec![
        ("Version", Value::str("2012-10-17")),
        (
            "Statement",
            Value::List(vec![
                Value::Map(vec![
                    ("Sid", Value::str("AccountAdministers")),
                    ("Effect", Value::str("Allow")),
                    (
                        "Principal",
                        Value::Map(vec![(
                            "AWS",
                            match dialect {
                                Dialect::Terraform => Value::Expr(Expr::Written(
                                    "\"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root\"",
                                )),
                                _ => Value::Expr(Expr::Written(match dialect {
                                    Dialect::CfnJson => {
                                        "{\"Fn::Sub\": \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}"
                                    }
                                    _ => "!Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"",
                                })),
                            },
                        )]),
                    ),
                    ("Action", Value::str("kms:*")),
                    ("Resource", Value::str("*")),
                ]),
                key_statement(),
            ]),
        ),
    ])));
    let (kind, properties) = match dialect {
        Dialect::Terraform => (
            ("AWS::KMS::Key", "aws_kms_key"),
            vec![("policy", policy)],
        ),
        _ => (("AWS::KMS::Key", "aws_kms_key"), vec![("KeyPolicy", policy)]),
    };
    let key = TargetEdit::Resource {
        kind,
        name: &name,
        properties,
    };
    let local = super::target::local_address(&name);
    let reference = match dialect {
        Dialect::Terraform => Expr::Attribute(local, "arn"),
        _ => Expr::Ref(&name),
    };
    let property = match dialect {
        Dialect::Terraform => "kms_master_key_id",
        _ => "KmsMasterKeyId",
    };
    let what = if topic { "topic" } else { "queue" };
    format!(
        "an AWS managed key's policy cannot be changed. Encrypt the {what} with a customer managed key whose policy lets `{EVENTS}` use it (or, for a queue, use SSE-SQS):\n{}\nand on the {what}:\n{}",
        key.write(dialect),
        TargetEdit::Property(property, Value::Expr(reference)).write(dialect)
    )
}
