//! TC301 `target-not-permitted`: EventBridge may not invoke the function, publish to the topic
//! or send to the queue the rule targets: no resource-based statement admits this rule.

use super::fix::{Expr, TargetEdit, Value};
use super::target::{delivering, new_name, note, rule_arn, shown, target_arn};
use super::{Context, Report};
use crate::analysis::policy::{self, Context as Key, Kind, Refusal, Request};
use crate::analysis::targets::{EVENTS, TargetFacts, arn_parts, without_role};
use crate::model::{Dialect, Receiver, ReceiverKind};
use crate::value::{Pseudo, Text, Tri};

/// Fires once per target whose resource policy certainly refuses the rule's events.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for fact in delivering(cx) {
        let target = fact.target;
        let Some(receiver) = fact.receiver else {
            continue;
        };
        // A target with a role is delivered with the role (TC304); SAM writes the permission
        // of its own events.
        if !without_role(target) || target.implied.permission {
            continue;
        }
        let (permitted, grants) =
            cx.targets
                .index
                .resource_permits(receiver, &target.arn, fact.rule);
        if permitted != Tri::No {
            continue;
        }
        let (what, verb, action, policy_word) = words(receiver.kind);
        let qualified = receiver.kind == ReceiverKind::Function
            && arn_parts(&target.arn).is_some_and(|parts| {
                parts[5]
                    .strip_prefix("function:")
                    .is_some_and(|rest| rest.split_once(':').is_some())
            });
        let what = if qualified {
            "function alias or version"
        } else {
            what
        };
        let account = Text::pseudo(Pseudo::AccountId);
        let request = Request {
            principal: EVENTS,
            action,
            resource: &target.arn,
            source_arn: Key::Known(&fact.rule.arn),
            source_account: Key::Known(&account),
        };
        let denied = grants.iter().find_map(|grant| {
            let decision = policy::decision(&[&grant.policy], Kind::Resource, &request);
            decision.deciding.map(|span| (*grant, span))
        });
        let why = match (receiver.kind, grants.is_empty()) {
            _ if denied.is_some() => format!(
                "its {policy_word} denies `{EVENTS}` `{action}` explicitly, which no statement that allows it overrides"
            ),
            (ReceiverKind::Function, true) => {
                format!("no Lambda permission lets `{EVENTS}` invoke it")
            }
            (ReceiverKind::Function, false) => {
                format!("none of its Lambda permissions lets `{EVENTS}` invoke it for this rule")
            }
            (_, true) => format!("it has no {policy_word} letting `{EVENTS}` `{action}`"),
            (_, false) => {
                format!("its {policy_word} does not let `{EVENTS}` `{action}` for this rule")
            }
        };
        let message = format!(
            "EventBridge may not {verb} {what} `{}`: {why}, so this rule's events are never delivered",
            receiver.name
        );
        let finding = out.on_target(fact, target.arn_span, message);
        finding.label = format!("no `{action}` for `{EVENTS}` from this rule");
        finding.related.push(note(
            receiver.loc,
            &receiver.name,
            format!("{what} `{}` is declared here", receiver.name),
        ));
        if let Some((grant, span)) = denied {
            finding.related.push(note(
                crate::source::Loc {
                    file: grant.loc.file,
                    span,
                },
                &grant.name,
                format!("`{}`: this statement denies it", grant.name),
            ));
            finding.help = Some(
                "an explicit `Deny` wins over every `Allow`: narrow the statement (for instance with a condition that leaves out this rule's ARN) or remove it".to_owned(),
            );
            continue;
        }
        for grant in &grants {
            let why = policy::refusal(&[&grant.policy], Kind::Resource, &request);
            let (span, reason) = match why {
                Some((Refusal::Condition, span)) => (
                    span,
                    format!(
                        "its source condition does not match this rule's ARN `{}` (another rule, the bus, or `rule/NAME` for `rule/BUS/NAME`)",
                        shown(&fact.rule.arn.to_string())
                    ),
                ),
                Some((Refusal::Resource, span)) => (
                    span,
                    format!(
                        "it is on another resource than the target `{}` (a permission on an alias does not cover the function, nor the reverse)",
                        shown(&target.arn.to_string())
                    ),
                ),
                Some((Refusal::Principal, span)) => {
                    (span, format!("its principal is not `{EVENTS}`"))
                }
                Some((Refusal::Action, span)) => (span, format!("it does not allow `{action}`")),
                None => (grant.loc.span, "it does not admit this rule".to_owned()),
            };
            finding.related.push(note(
                crate::source::Loc {
                    file: grant.loc.file,
                    span,
                },
                &grant.name,
                format!("`{}`: {reason}", grant.name),
            ));
        }
        // Permissions on the same function that are not on this exact function or alias.
        if receiver.kind == ReceiverKind::Function {
            for grant in cx.targets.index.grants_beside(receiver, &target.arn) {
                let on = grant
                    .on
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                finding.related.push(note(
                    grant.loc,
                    &grant.name,
                    format!(
                        "`{}` is on `{}`, not on the target: a permission covers only the exact function, alias or version it names",
                        grant.name,
                        shown(&on)
                    ),
                ));
            }
        }
        finding.help = Some(help(cx, fact, receiver, grants.is_empty()));
    }
}

/// The words for a receiver: what it is, the verb, the action, its policy's name.
fn words(kind: ReceiverKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        ReceiverKind::Function => (
            "function",
            "invoke",
            "lambda:InvokeFunction",
            "resource-based policy",
        ),
        ReceiverKind::Topic => ("topic", "publish to", "sns:Publish", "topic policy"),
        ReceiverKind::Queue => ("queue", "send to", "sqs:SendMessage", "queue policy"),
    }
}

/// The permission or statement to add.
fn help(cx: &Context<'_>, fact: &TargetFacts<'_>, receiver: &Receiver, none: bool) -> String {
    let dialect = fact.rule.dialect;
    let rule = rule_arn(fact.rule);
    let target = target_arn(cx, fact.target);
    if receiver.kind == ReceiverKind::Function {
        let name = new_name(dialect, &fact.rule.name, "Permission");
        let edit = TargetEdit::Resource {
            kind: ("AWS::Lambda::Permission", "aws_lambda_permission"),
            name: &name,
            properties: match dialect {
                Dialect::Terraform => vec![
                    ("action", Value::str("lambda:InvokeFunction")),
                    ("function_name", Value::Expr(target)),
                    ("principal", Value::str(EVENTS)),
                    ("source_arn", Value::Expr(rule)),
                ],
                _ => vec![
                    ("Action", Value::str("lambda:InvokeFunction")),
                    ("FunctionName", Value::Expr(target)),
                    ("Principal", Value::str(EVENTS)),
                    ("SourceArn", Value::Expr(rule)),
                ],
            },
        };
        return format!(
            "EventBridge invokes a function only when its resource-based policy lets it; CloudFormation and Terraform do not add that permission as the console does. Add the permission, for this exact function or alias:\n{}",
            edit.write(dialect)
        );
    }
    let (_, _, action, _) = words(receiver.kind);
    let statement = statement(action, target, rule);
    if !none {
        return format!(
            "add this statement to the policy, or correct the one that is meant to admit this rule:\n{}",
            TargetEdit::Statement(statement).write(dialect)
        );
    }
    format!(
        "EventBridge delivers to a topic or queue only when its policy lets it; CloudFormation and Terraform do not add that statement as the console does. Add a policy:\n{}",
        resource_policy(dialect, receiver, statement)
    )
}

/// A new topic or queue policy on `receiver` holding `statement`.
pub(super) fn resource_policy(
    dialect: Dialect,
    receiver: &Receiver,
    statement: Value<'_>,
) -> String {
    let topic = receiver.kind == ReceiverKind::Topic;
    let name = new_name(dialect, &receiver.name, "Policy");
    let local = super::target::local_address(&receiver.name);
    let properties = match (dialect, topic) {
        (Dialect::Terraform, true) => vec![
            ("arn", Value::Expr(Expr::Attribute(local, "arn"))),
            ("policy", document(vec![statement])),
        ],
        (Dialect::Terraform, false) => vec![
            ("queue_url", Value::Expr(Expr::Attribute(local, "id"))),
            ("policy", document(vec![statement])),
        ],
        (_, true) => vec![
            (
                "Topics",
                Value::List(vec![Value::Expr(Expr::Ref(&receiver.name))]),
            ),
            ("PolicyDocument", document(vec![statement])),
        ],
        (_, false) => vec![
            (
                "Queues",
                Value::List(vec![Value::Expr(Expr::Ref(&receiver.name))]),
            ),
            ("PolicyDocument", document(vec![statement])),
        ],
    };
    let kind = if topic {
        ("AWS::SNS::TopicPolicy", "aws_sns_topic_policy")
    } else {
        ("AWS::SQS::QueuePolicy", "aws_sqs_queue_policy")
    };
    TargetEdit::Resource {
        kind,
        name: &name,
        properties,
    }
    .write(dialect)
}

/// `{"Version": …, "Statement": [...]}`.
pub(super) fn document(statements: Vec<Value<'_>>) -> Value<'_> {
    Value::Document(Box::new(Value::Map(vec![
        ("Version", Value::str("2012-10-17")),
        ("Statement", Value::List(statements)),
    ])))
}

/// A statement letting EventBridge `action` on `resource` for the rule.
pub(super) fn statement<'a>(action: &str, resource: Expr<'a>, rule: Expr<'a>) -> Value<'a> {
    Value::Map(vec![
        ("Effect", Value::str("Allow")),
        (
            "Principal",
            Value::Map(vec![("Service", Value::str(EVENTS))]),
        ),
        ("Action", Value::str(action)),
        ("Resource", Value::Expr(resource)),
        (
            "Condition",
            Value::Map(vec![(
                "ArnEquals",
                Value::Map(vec![("aws:SourceArn", Value::Expr(rule))]),
            )]),
        ),
    ])
}
