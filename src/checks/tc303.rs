//! TC303 `target-role-required`: a target whose type EventBridge reaches only through a role
//! has none, or a CloudWatch Logs target has one.

use super::fix::{Expr, TargetEdit, Value};
use super::target::{judged, new_name};
use super::{Context, Report};
use crate::analysis::targets::{EVENTS, TargetFacts, TargetKind, arn_parts};
use crate::model::{Dialect, Setting};
use crate::value::{Text, Tri};

/// Fires once per target.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for fact in judged(cx) {
        let target = fact.target;
        match (&target.role, fact.kind) {
            // A parameter or variable may be empty or null, which sets no role.
            (Setting::Set(role), TargetKind::Logs)
                if role.text.equals(&Text::lit("")) == Tri::No =>
            {
                let finding = out.on_target(
                    fact,
                    role.span,
                    "a CloudWatch Logs target takes no role: EventBridge rejects `RoleArn` for it and writes to the log group through the log group's resource policy".to_owned(),
                );
                finding.label = "no role for a log group".to_owned();
                finding.help = Some(format!(
                    "remove `{}` from this target; CloudWatch Logs needs a resource policy that lets `{EVENTS}` write to the group",
                    role_property(fact.rule.dialect)
                ));
            }
            (Setting::Absent, kind) if !target.implied.role => {
                let Some(what) = needs_role(fact, kind) else {
                    continue;
                };
                let finding = out.on_target(
                    fact,
                    target.arn_span,
                    format!(
                        "this target is {what}, which EventBridge reaches only with a role, and it has none: `PutTargets` rejects it"
                    ),
                );
                finding.label = "needs a role".to_owned();
                finding.help = Some(help(cx, fact, kind));
            }
            _ => {}
        }
    }
}

/// What the target is, when EventBridge needs a role to reach it.
fn needs_role(fact: &TargetFacts<'_>, kind: TargetKind) -> Option<String> {
    Some(match kind {
        TargetKind::StateMachine => "a Step Functions state machine".to_owned(),
        TargetKind::Kinesis => "a Kinesis stream".to_owned(),
        TargetKind::Firehose => "a Firehose stream".to_owned(),
        TargetKind::Ecs => "an ECS cluster (a task to run)".to_owned(),
        TargetKind::Batch => "a Batch job queue".to_owned(),
        TargetKind::CodeBuild => "a CodeBuild project".to_owned(),
        TargetKind::CodePipeline => "a CodePipeline pipeline".to_owned(),
        TargetKind::Ssm => "an SSM Run Command or Automation document".to_owned(),
        TargetKind::ApiDestination => "an API destination".to_owned(),
        TargetKind::Bus => {
            let rule_region = fact.rule.region.as_deref()?;
            let parts = arn_parts(&fact.target.arn)?;
            let region = parts[3].as_lit()?;
            (parts[3].equals(&Text::lit(rule_region)) == Tri::No).then_some(())?;
            format!("an event bus in another region (`{region}`, the rule is in `{rule_region}`)")
        }
        _ => return None,
    })
}

fn role_property(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Terraform => "role_arn",
        _ => "RoleArn",
    }
}

/// The role to give the target.
fn help(cx: &Context<'_>, fact: &TargetFacts<'_>, kind: TargetKind) -> String {
    let dialect = fact.rule.dialect;
    let name = new_name(dialect, &fact.rule.name, "TargetRole");
    let target = super::target::target_arn(cx, fact.target);
    let address = format!("aws_iam_role.{name}");
    let reference = match dialect {
        Dialect::Terraform => Expr::Attribute(&address, "arn"),
        _ => Expr::GetAtt(&name, "Arn"),
    };
    let role = role(dialect, &name, kind.actions(), target);
    format!(
        "give the target a role that `{EVENTS}` may assume and that may {}; on the target:\n{}\nand the role:\n{}",
        kind.actions()
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(" or "),
        TargetEdit::Property(role_property(dialect), Value::Expr(reference)).write(dialect),
        role
    )
}

/// A role EventBridge may assume, allowed `actions` on `resource`.
pub(super) fn role(dialect: Dialect, name: &str, actions: &[&str], resource: Expr<'_>) -> String {
    let trust = super::tc301::document(vec![trust_statement()]);
    let permissions = super::tc301::document(vec![allow_statement(actions, resource)]);
    let edit = match dialect {
        Dialect::Terraform => TargetEdit::Resource {
            kind: ("AWS::IAM::Role", "aws_iam_role"),
            name,
            properties: vec![
                ("assume_role_policy", trust),
                (
                    "inline_policy",
                    Value::Block(vec![
                        ("name", Value::str("deliver")),
                        ("policy", permissions),
                    ]),
                ),
            ],
        },
        _ => TargetEdit::Resource {
            kind: ("AWS::IAM::Role", "aws_iam_role"),
            name,
            properties: vec![
                ("AssumeRolePolicyDocument", trust),
                (
                    "Policies",
                    Value::List(vec![Value::Map(vec![
                        ("PolicyName", Value::str("deliver")),
                        ("PolicyDocument", permissions),
                    ])]),
                ),
            ],
        },
    };
    edit.write(dialect)
}

/// `events.amazonaws.com` may assume the role.
pub(super) fn trust_statement() -> Value<'static> {
    Value::Map(vec![
        ("Effect", Value::str("Allow")),
        (
            "Principal",
            Value::Map(vec![("Service", Value::str(EVENTS))]),
        ),
        ("Action", Value::str("sts:AssumeRole")),
    ])
}

/// The role may `actions` on `resource`.
pub(super) fn allow_statement<'a>(actions: &[&str], resource: Expr<'a>) -> Value<'a> {
    let action = match actions {
        [one] => Value::str(*one),
        many => Value::List(many.iter().map(|a| Value::str(*a)).collect()),
    };
    Value::Map(vec![
        ("Effect", Value::str("Allow")),
        ("Action", action),
        ("Resource", Value::Expr(resource)),
    ])
}
