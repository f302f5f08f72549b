//! What the target-side checks (TC3xx) share: where a finding about a target goes, and how a
//! fix refers to the rule and the target in the input's own language.

use super::fix::Expr;
use super::{Context, Report};
use crate::analysis::targets::TargetFacts;
use crate::finding::{Finding, Related};
use crate::model::{Dialect, EventRule, RuleState, Target};
use crate::source::{FileId, Loc, Span};

impl Report<'_> {
    /// A finding about a target of `fact`'s rule, at `span` in the target's file.
    pub(super) fn on_target(
        &mut self,
        fact: &TargetFacts<'_>,
        span: Span,
        message: String,
    ) -> &mut Finding {
        let loc = Loc {
            file: fact.target.loc.file,
            span,
        };
        self.at(loc, &fact.rule.name, message)
    }
}

/// A note pointing at another resource.
pub(super) fn note(loc: Loc, resource: &str, message: String) -> Related {
    Related {
        loc,
        resource: resource.to_owned(),
        message,
    }
}

/// The targets the target-side checks judge: created for certain, with a rule that certainly
/// sends to them.
pub(super) fn judged<'c, 'd>(cx: &'c Context<'d>) -> impl Iterator<Item = &'c TargetFacts<'d>> {
    cx.targets
        .facts
        .iter()
        .filter(|fact| fact.target.created == Some(true))
}

/// The targets whose delivery the checks judge: those of [`judged`] whose rule is not
/// `DISABLED` (a disabled rule delivers nothing; what `PutTargets` rejects, it rejects all
/// the same).
pub(super) fn delivering<'c, 'd>(cx: &'c Context<'d>) -> impl Iterator<Item = &'c TargetFacts<'d>> {
    judged(cx).filter(|fact| fact.rule.state != RuleState::Disabled)
}

/// The rule's ARN, as a fix writes it. SAM names the rule of a function's event
/// `FunctionEvent` (`Function.Event` here).
pub(super) fn rule_arn(rule: &EventRule) -> Expr<'_> {
    match rule.dialect {
        Dialect::Terraform => Expr::Attribute(local_address(&rule.name), "arn"),
        Dialect::CfnYaml | Dialect::CfnJson => match rule.name.split_once('.') {
            Some((function, event)) => Expr::SamRuleArn(function, event),
            None => Expr::GetAtt(&rule.name, "Arn"),
        },
    }
}

/// The target's ARN as the input writes it.
pub(super) fn target_arn<'a>(cx: &'a Context<'_>, target: &Target) -> Expr<'a> {
    written(cx, target.loc.file, target.arn_span)
}

/// The text at `span` of a file, as a fix refers to it.
pub(super) fn written<'a>(cx: &'a Context<'_>, file: FileId, span: Span) -> Expr<'a> {
    let text = cx.deployment.file(file).text.get(span.range());
    Expr::Written(text.unwrap_or_default().trim())
}

/// An ARN as a message shows it: the deployment's own partition, region and account as
/// placeholders in capitals, the way AWS documentation writes them, in every input family.
pub(super) fn shown(arn: &str) -> String {
    arn.replace("${AWS::Partition}", "PARTITION")
        .replace("${AWS::Region}", "REGION")
        .replace("${AWS::AccountId}", "ACCOUNT")
}

/// A Terraform address as written in its own module: `module.x.aws_sqs_queue.q` is
/// `aws_sqs_queue.q` there.
pub(super) fn local_address(address: &str) -> &str {
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        // Past the module's name and instance key, if any.
        let mut depth = 0;
        let mut end = None;
        for (index, c) in after.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                '.' if depth == 0 => {
                    end = Some(index);
                    break;
                }
                _ => {}
            }
        }
        match end {
            Some(end) => rest = &after[end + 1..],
            None => break,
        }
    }
    rest
}

/// A name for a resource a fix declares, from the name of `resource` (a logical ID or an
/// address) and `suffix`: `OrdersRuleQueuePolicy`, `orders_queue_policy`.
pub(super) fn new_name(dialect: Dialect, resource: &str, suffix: &str) -> String {
    match dialect {
        Dialect::Terraform => {
            let local = local_address(resource);
            let name = local
                .rsplit_once('.')
                .map_or(local, |(_, name)| name)
                .split('[')
                .next()
                .unwrap_or(local);
            let snake: String = suffix
                .chars()
                .flat_map(|c| {
                    if c.is_ascii_uppercase() {
                        vec!['_', c.to_ascii_lowercase()]
                    } else {
                        vec![c]
                    }
                })
                .collect();
            format!("{name}{snake}")
        }
        Dialect::CfnYaml | Dialect::CfnJson => {
            let id: String = resource
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            format!("{id}{suffix}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_written_as_in_their_module() {
        assert_eq!(local_address("aws_sqs_queue.q"), "aws_sqs_queue.q");
        assert_eq!(local_address("module.a.aws_sqs_queue.q"), "aws_sqs_queue.q");
        assert_eq!(
            local_address("module.a[\"x.y\"].module.b[0].aws_sqs_queue.q[1]"),
            "aws_sqs_queue.q[1]"
        );
        assert_eq!(
            new_name(
                Dialect::Terraform,
                "module.a.aws_cloudwatch_event_rule.orders[0]",
                "Permission"
            ),
            "orders_permission"
        );
        assert_eq!(
            new_name(Dialect::CfnYaml, "Orders.Rule", "Permission"),
            "OrdersRulePermission"
        );
    }
}
