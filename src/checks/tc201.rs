//! TC201 `invalid-event-pattern`: the pattern breaks EventBridge's grammar, so the rule cannot
//! be deployed.

use super::fix::Edit;
use super::{Context, Report};
use crate::analysis::Outcome;
use crate::model::{Dialect, RulePattern};
use crate::pattern::OPERATORS;

/// Fires once per rule whose pattern EventBridge rejects.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for report in cx.reports {
        let (Outcome::InvalidPattern, RulePattern::Invalid(error)) =
            (&report.outcome, &report.rule.pattern)
        else {
            continue;
        };
        let at = if error.path.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", error.path)
        };
        let finding = out.on_rule(
            report.rule,
            error.span,
            format!(
                "EventBridge rejects this event pattern{at}: {}",
                error.reason
            ),
        );
        finding.label = error.reason.clone();
        let written = cx
            .deployment
            .file(report.rule.loc.file)
            .text
            .get(error.span.range())
            .unwrap_or_default();
        finding.help = Some(help(
            report.rule.dialect,
            &error.path,
            &error.reason,
            written,
        ));
    }
}

/// The concrete fix for the common mistakes; the grammar's page for the rest. `written` is the
/// offending element as written in the file.
fn help(dialect: Dialect, path: &str, reason: &str, written: &str) -> String {
    let key = path.rsplit('.').next().unwrap_or(path);
    if reason.ends_with("must be an object or an array") {
        format!(
            "list the value in an array: `{}`; a pattern lists the values it matches",
            Edit::PatternArray { key, written }.write(dialect)
        )
    } else if reason.starts_with("Empty arrays") {
        "list at least one value, or remove the field".to_owned()
    } else if reason.starts_with("Empty objects") {
        "give the object at least one field, or remove it".to_owned()
    } else if let Some(operator) = reason.strip_prefix("Unrecognized match type ") {
        let closest = OPERATORS
            .iter()
            .map(|known| (strsim::damerau_levenshtein(operator, known), *known))
            .min()
            .filter(|(distance, _)| *distance <= 3);
        match closest {
            Some((_, known)) => format!("did you mean `{known}`?"),
            None => "use one of the operators `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric`, `exists`, `cidr` or `wildcard`, or list plain values".to_owned(),
        }
    } else if reason.starts_with("Only one key allowed") {
        "write each operator as its own object in the array: `[{\"prefix\": \"a\"}, {\"suffix\": \"b\"}]`".to_owned()
    } else {
        "see the event pattern grammar: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html".to_owned()
    }
}
