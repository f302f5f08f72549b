//! TC302 `target-key-unusable`: the topic or queue the rule targets (or its dead-letter queue)
//! is encrypted with a KMS key EventBridge may not use.

use super::fix::{Expr, TargetEdit, Value};
use super::target::{delivering, new_name, note};
use super::{Context, Report};
use crate::analysis::targets::{EVENTS, KeyFacts, TargetFacts, without_role};
use crate::model::policy::Principals;
use crate::model::{Dialect, Receiver, ReceiverKind, Setting};
use crate::source::{Loc, Span};
use crate::value::Tri;

/// Fires once per target (and once per dead-letter queue) whose key refuses EventBridge.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let index = &cx.targets.index;
    for fact in delivering(cx) {
        let target = fact.target;
        // Delivered with a role, the key is used by the role, not by EventBridge.
        if let Some(receiver) = fact.receiver
            && receiver.kind != ReceiverKind::Function
            && without_role(target)
        {
            report(cx, out, fact, receiver, target.arn_span, Role::Target);
        }
        if let Setting::Set(dead_letter) = &target.dead_letter
            && let Some(queue) = index.receiver(&dead_letter.text)
            && queue.kind == ReceiverKind::Queue
        {
            report(cx, out, fact, queue, dead_letter.span, Role::DeadLetter);
        }
    }
}

/// What the encrypted topic or queue is to the rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Target,
    DeadLetter,
}

impl Role {
    /// What the finding says of it, and what fails.
    fn words(self, what: &str) -> (String, &'static str) {
        match self {
            Role::Target => (
                format!("the target {what}"),
                "EventBridge cannot deliver this rule's events",
            ),
            Role::DeadLetter => (
                "the dead-letter queue".to_owned(),
                "EventBridge cannot keep the events it fails to deliver there",
            ),
        }
    }
}

fn report(
    cx: &Context<'_>,
    out: &mut Report<'_>,
    fact: &TargetFacts<'_>,
    receiver: &Receiver,
    span: Span,
    role: Role,
) {
    let Setting::Set(key) = &receiver.key else {
        return;
    };
    let topic = receiver.kind == ReceiverKind::Topic;
    let what = if topic { "topic" } else { "queue" };
    let (subject, fails) = role.words(what);
    let key_place = Loc {
        file: receiver.loc.file,
        span: key.span,
    };
    let dialect = fact.rule.dialect;
    match cx.targets.index.key_of(&key.text, topic) {
        KeyFacts::AwsManaged => {
            let finding = out.on_target(
                fact,
                span,
                format!(
                    "{subject} `{}` is encrypted with the AWS managed key `{}`, whose key policy cannot let `{EVENTS}` use it: {fails}",
                    receiver.name, key.text
                ),
            );
            finding.label = format!("{what} encrypted with an AWS managed key");
            finding.related.push(note(
                key_place,
                &receiver.name,
                format!("`{}` is encrypted with `{}`", receiver.name, key.text),
            ));
            finding.help = Some(help_managed(dialect, &receiver.name, topic));
        }
        KeyFacts::Declared {
            key: declared,
            policy,
            permits,
        } => {
            if permits != Tri::No {
                return;
            }
            // SNS passes no source to KMS for EventBridge: say so when a statement relies on one.
            let conditioned = topic
                && policy.is_some_and(|policy| {
                    policy.statements.iter().flatten().any(|statement| {
                        statement.conditions.as_ref().is_some_and(|c| !c.is_empty())
                            && matches!(&statement.principal, Principals::Listed(listed)
                                if listed.iter().any(|p| p.value.as_lit() == Some(EVENTS)))
                    })
                });
            let sns = if conditioned {
                " (its statement for EventBridge has a condition on the event's source, which SNS does not pass to KMS for EventBridge)"
            } else {
                ""
            };
            let finding = out.on_target(
                fact,
                span,
                format!(
                    "{subject} `{}` is encrypted with key `{}`, whose key policy does not let `{EVENTS}` use `kms:GenerateDataKey*` and `kms:Decrypt`{sns}: {fails}",
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
            finding.help = Some(if policy.is_some() {
                format!(
                    "add this statement to the key policy of `{}`{}:\n{}",
                    declared.name,
                    if topic { ", with no condition" } else { "" },
                    TargetEdit::Statement(key_statement()).write(dialect)
                )
            } else {
                format!(
                    "`{}` has the default key policy, which lets only the account's IAM principals use it. Give it a policy that keeps the account's administration and lets `{EVENTS}` use it:\n{}{}",
                    declared.name,
                    TargetEdit::Property(policy_property(dialect), key_policy(dialect))
                        .write(dialect),
                    data_sources(dialect)
                )
            });
        }
        KeyFacts::Unknown => {}
    }
}

/// The data sources a Terraform key policy refers to.
fn data_sources(dialect: Dialect) -> &'static str {
    if dialect == Dialect::Terraform {
        "\ndata \"aws_caller_identity\" \"current\" {}\ndata \"aws_partition\" \"current\" {}"
    } else {
        ""
    }
}

fn policy_property(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Terraform => "policy",
        _ => "KeyPolicy",
    }
}

/// A whole key policy: the account administers the key, EventBridge uses it.
fn key_policy(dialect: Dialect) -> Value<'static> {
    let root = match dialect {
        Dialect::Terraform => Expr::Written(
            "\"arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root\"",
        ),
        Dialect::CfnJson => {
            Expr::Written("{\"Fn::Sub\": \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"}")
        }
        Dialect::CfnYaml => {
            Expr::Written("!Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:root\"")
        }
    };
    Value::Document(Box::new(Value::Map(vec![
        ("Version", Value::str("2012-10-17")),
        (
            "Statement",
            Value::List(vec![
                Value::Map(vec![
                    ("Sid", Value::str("AccountAdministers")),
                    ("Effect", Value::str("Allow")),
                    ("Principal", Value::Map(vec![("AWS", Value::Expr(root))])),
                    ("Action", Value::str("kms:*")),
                    ("Resource", Value::str("*")),
                ]),
                key_statement(),
            ]),
        ),
    ])))
}

/// The key policy statement EventBridge needs (SNS and SQS key management pages).
fn key_statement() -> Value<'static> {
    Value::Map(vec![
        ("Sid", Value::str("AllowEventBridge")),
        ("Effect", Value::str("Allow")),
        (
            "Principal",
            Value::Map(vec![("Service", Value::str(EVENTS))]),
        ),
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
    let key = TargetEdit::Resource {
        kind: ("AWS::KMS::Key", "aws_kms_key"),
        name: &name,
        properties: vec![(policy_property(dialect), key_policy(dialect))],
    };
    let address = format!("aws_kms_key.{name}");
    let reference = match dialect {
        Dialect::Terraform => Expr::Attribute(&address, "arn"),
        _ => Expr::Ref(&name),
    };
    let property = match dialect {
        Dialect::Terraform => "kms_master_key_id",
        _ => "KmsMasterKeyId",
    };
    let (what, sse) = match (topic, dialect) {
        (true, _) => ("topic", ""),
        (false, Dialect::Terraform) => (
            "queue",
            " (or SSE-SQS, `sqs_managed_sse_enabled = true`, instead of KMS)",
        ),
        (false, _) => (
            "queue",
            " (or SSE-SQS, `SqsManagedSseEnabled: true`, instead of KMS)",
        ),
    };
    let data = data_sources(dialect);
    format!(
        "an AWS managed key's policy cannot be changed. Encrypt the {what} with a customer managed key whose policy lets `{EVENTS}` use it{sse}:\n{}{data}\nand on the {what}:\n{}",
        key.write(dialect),
        TargetEdit::Property(property, Value::Expr(reference)).write(dialect)
    )
}
