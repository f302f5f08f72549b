//! TC304 `target-role-cannot-deliver`: the target's role is one EventBridge may not assume, or
//! one whose policies do not allow what EventBridge must call on the target.

use super::fix::{Expr, TargetEdit};
use super::target::{delivering, note, target_arn, written};
use super::tc303::{allow_statement, trust_statement};
use super::{Context, Report};
use crate::analysis::targets::{EVENTS, TargetKind};
use crate::model::Setting;
use crate::value::Text;
use crate::value::Tri;

/// Fires once per target: for the trust policy first, else for the permissions.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    let index = &cx.targets.index;
    for fact in delivering(cx) {
        let target = fact.target;
        let Setting::Set(given) = &target.role else {
            continue;
        };
        let Some(role) = index.role(&given.text) else {
            continue;
        };
        // AWS documents both that EventBridge ignores a role for functions, topics and queues
        // (their resource policy decides) and that it uses one: only when the resource
        // policy refuses too is delivery certainly broken.
        if matches!(
            fact.kind,
            TargetKind::Function | TargetKind::Topic | TargetKind::Queue
        ) {
            let refused = fact.receiver.is_some_and(|receiver| {
                index.resource_permits(receiver, &target.arn, fact.rule).0 == Tri::No
            });
            if !refused {
                continue;
            }
        }
        let dialect = fact.rule.dialect;
        let trusted = index.role_trusted(role, fact.rule);
        if trusted.allowed == Tri::No {
            let finding = out.on_target(
                fact,
                given.span,
                format!(
                    "`{EVENTS}` may not assume the target's role `{}`: its trust policy does not let it, so EventBridge never delivers this rule's events",
                    role.name
                ),
            );
            finding.label = "EventBridge may not assume this role".to_owned();
            finding.related.push(note(
                role.loc,
                &role.name,
                format!("role `{}` is declared here", role.name),
            ));
            if let Some(span) = trusted.deciding {
                finding.related.push(note(
                    crate::source::Loc {
                        file: role.loc.file,
                        span,
                    },
                    &role.name,
                    "this statement denies it".to_owned(),
                ));
            }
            finding.help = Some(format!(
                "add this statement to the trust policy of `{}`:\n{}",
                role.name,
                TargetEdit::Statement(trust_statement()).write(dialect)
            ));
            continue;
        }
        let actions = fact.kind.actions();
        if actions.is_empty() {
            continue;
        }
        let (resource, resource_expr): (&Text, Expr<'_>) = match fact.kind {
            TargetKind::Ecs => match &target.task_definition {
                Setting::Set(task) => (&task.text, written(cx, target.loc.file, task.span)),
                _ => continue,
            },
            _ => (&target.arn, target_arn(cx, target)),
        };
        if index.role_allows(role, actions, resource) != Tri::No {
            continue;
        }
        let wanted = actions
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        let on = if fact.kind == TargetKind::Ecs {
            "the task definition"
        } else {
            "the target"
        };
        let finding = out.on_target(
            fact,
            given.span,
            format!(
                "the target's role `{}` may not {wanted} on {on} (`{}`): none of its policies in the inputs allows it, so EventBridge's calls fail",
                role.name,
                match resource_expr {
                    Expr::Written(text) => text.to_owned(),
                    _ => resource.to_string(),
                }
            ),
        );
        finding.label = format!("role lacks {wanted}");
        finding.related.push(note(
            role.loc,
            &role.name,
            format!("role `{}` is declared here", role.name),
        ));
        let ecs = if fact.kind == TargetKind::Ecs {
            " (an ECS task also needs `iam:PassRole` for its task and execution roles)"
        } else {
            ""
        };
        finding.help = Some(format!(
            "add this statement to a policy of `{}`{ecs}:\n{}",
            role.name,
            TargetEdit::Statement(allow_statement(actions, resource_expr)).write(dialect)
        ));
    }
}
