//! TC307 `target-input-invalid`: what the target is to receive instead of the event cannot be
//! built: `Input` that is not JSON, more than one of `Input`, `InputPath` and
//! `InputTransformer`, an `InputPathsMap` key EventBridge rejects, a placeholder used as an
//! object key, a CloudWatch Logs template that is not `{"timestamp": …, "message": …}`, or a
//! path no event the rule matches has (the placeholder is then never filled).

use super::target::judged;
use super::{Context, Report};
use crate::analysis::shape;
use crate::analysis::targets::{TargetFacts, TargetKind};
use crate::model::{Dialect, RulePattern, Setting, Written};
use crate::source::Span;

/// Fires once per target, for the first fault found.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for fact in judged(cx) {
        if let Some((span, message, help)) = fault(fact) {
            let finding = out.on_target(fact, span, message);
            finding.label = "invalid target input".to_owned();
            finding.help = Some(help);
        }
    }
}

/// The first fault of the target's input, where it is, and how to mend it.
fn fault(fact: &TargetFacts<'_>) -> Option<(Span, String, String)> {
    let inputs = &fact.target.inputs;
    let dialect = fact.rule.dialect;
    let [input, path, transformer] = names(dialect);
    let given: Vec<(&str, Span)> = [
        (input, inputs.input.written().map(|w| w.span)),
        (path, inputs.input_path.written().map(|w| w.span)),
        (transformer, inputs.transformer.as_ref().map(|t| t.span)),
    ]
    .into_iter()
    .filter_map(|(name, span)| Some((name, span?)))
    .collect();
    if let [(first, _), (second, span), ..] = given.as_slice() {
        return Some((
            *span,
            format!(
                "this target sets both `{first}` and `{second}`; EventBridge takes at most one of `{input}`, `{path}` and `{transformer}`"
            ),
            format!(
                "keep one of them: `{input}` sends constant JSON, `{path}` a part of the event, `{transformer}` a template filled from the event"
            ),
        ));
    }
    if let Some(Written { text, span }) = inputs.input.written()
        && let Some(json) = text.as_lit()
        && let Err(error) = serde_json::from_str::<serde_json::Value>(json)
    {
        return Some((
            *span,
            format!("`{input}` is not valid JSON ({error}); EventBridge rejects the target"),
            format!("write `{input}` as JSON text, such as `{{\"action\": \"restart\"}}`"),
        ));
    }
    if let Some(Written { text, span }) = inputs.input_path.written()
        && let Some(path) = text.as_lit()
        && never_has(fact, path)
    {
        return Some((
            *span,
            format!("no event this rule matches has a value at `{path}`, so the target receives nothing from it"),
            "point the path at a field of the events the rule matches (see the event's sample in the EventBridge console or the AWS service's event reference)".to_owned(),
        ));
    }
    let transformer = inputs.transformer.as_ref()?;
    let paths = transformer.paths.as_deref().unwrap_or_default();
    for (key, _, Written { text, span }) in paths {
        if let Some(path) = text.as_lit()
            && never_has(fact, path)
        {
            return Some((
                *span,
                format!("no event this rule matches has a value at `{path}`, so the placeholder `<{key}>` is never filled"),
                "point the path at a field of the events the rule matches (see the event's sample in the EventBridge console or the AWS service's event reference)".to_owned(),
            ));
        }
    }
    for (key, span, _) in paths {
        let allowed = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if key.starts_with("aws.") || !allowed {
            let why = if key.starts_with("aws.") {
                "names starting `aws.` are reserved for EventBridge's own variables"
            } else {
                "a name has only letters, digits, `_` and `-`"
            };
            return Some((
                *span,
                format!("the input path name `{key}` is rejected: {why}"),
                "rename the placeholder (and its uses in the template), e.g. `bucket_name`"
                    .to_owned(),
            ));
        }
    }
    let Setting::Set(Written { text, span }) = &transformer.template else {
        return None;
    };
    let template = text.as_lit()?;
    let mut placeholders: Vec<&str> = paths.iter().map(|(key, ..)| key.as_str()).collect();
    placeholders.extend(RESERVED);
    if let Some(key) = placeholders.iter().find(|key| used_as_key(template, key)) {
        return Some((
            *span,
            format!(
                "the template uses the placeholder `<{key}>` as an object key, which EventBridge does not allow"
            ),
            format!("use the placeholder as a value: `{{\"key\": <{key}>}}`"),
        ));
    }
    if fact.kind == TargetKind::Logs && !logs_shape(template)? {
        return Some((
            *span,
            "a CloudWatch Logs target's template must be `{\"timestamp\": …, \"message\": …}`; EventBridge does not deliver any other".to_owned(),
            "write the template as `{\"timestamp\": <time>, \"message\": <detail>}`, with `time` mapped to `$.time`".to_owned(),
        ));
    }
    None
}

/// Whether no event the rule matches has a value at the JSON path, in every branch of its
/// pattern.
fn never_has(fact: &TargetFacts<'_>, path: &str) -> bool {
    let RulePattern::Valid(pattern) = &fact.rule.pattern else {
        return false;
    };
    pattern.branches().is_some_and(|branches| {
        !branches.is_empty() && branches.iter().all(|branch| shape::never_has(branch, path))
    })
}

/// The variables EventBridge fills in itself (eb-transform-target-input).
const RESERVED: [&str; 5] = [
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
];

/// `Input`, `InputPath` and `InputTransformer` in the input's own words.
fn names(dialect: Dialect) -> [&'static str; 3] {
    match dialect {
        Dialect::Terraform => ["input", "input_path", "input_transformer"],
        _ => ["Input", "InputPath", "InputTransformer"],
    }
}

/// Whether `"<key>"` is an object key in the template: the quoted placeholder followed by a
/// colon.
fn used_as_key(template: &str, key: &str) -> bool {
    let quoted = format!("\"<{key}>\"");
    template
        .match_indices(&quoted)
        .any(|(at, _)| template[at + quoted.len()..].trim_start().starts_with(':'))
}

/// Whether a template is `{"timestamp": …, "message": …}`: placeholders outside strings are
/// read as values; `None` when it cannot be read as JSON then.
fn logs_shape(template: &str) -> Option<bool> {
    let mut text = String::with_capacity(template.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            text.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                text.push(c);
            }
            '<' => {
                // A placeholder outside a string stands for a value.
                for next in chars.by_ref() {
                    if next == '>' {
                        break;
                    }
                }
                text.push_str("null");
            }
            _ => text.push(c),
        }
    }
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(match value {
        serde_json::Value::Object(map) => {
            map.len() == 2 && map.contains_key("timestamp") && map.contains_key("message")
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_as_keys_are_found() {
        assert!(used_as_key(r#"{"<name>": 1}"#, "name"));
        assert!(used_as_key(r#"{"a": 1, "<name>"  : 2}"#, "name"));
        assert!(!used_as_key(r#"{"key": "<name>"}"#, "name"));
        assert!(!used_as_key(r#"["<name>", "b"]"#, "name"));
    }

    #[test]
    fn logs_templates_are_read() {
        assert_eq!(
            logs_shape(r#"{"timestamp": <t>, "message": <m>}"#),
            Some(true)
        );
        assert_eq!(
            logs_shape(r#"{"timestamp": <t>, "message": "at <m>"}"#),
            Some(true)
        );
        // An escaped quote does not end the string; the one after it does.
        assert_eq!(
            logs_shape(r#"{"message": "say \"hi\"", "timestamp": <t>}"#),
            Some(true)
        );
        assert_eq!(
            logs_shape(r#"{"message": "a \"", "timestamp": <t>}"#),
            Some(true)
        );
        // A `<` in a string is text, not a placeholder.
        assert_eq!(
            logs_shape(r#"{"timestamp": <t>, "message": "a < b"}"#),
            Some(true)
        );
        assert_eq!(logs_shape(r#"{"timestamp": <t>, "msg": <m>}"#), Some(false));
        assert_eq!(logs_shape(r#"{"time": <t>, "message": <m>}"#), Some(false));
        assert_eq!(logs_shape(r#"{"message": <m>}"#), Some(false));
        assert_eq!(logs_shape(r#""<m>""#), Some(false));
        assert_eq!(logs_shape(r#"{"timestamp": <t>, "message": <m>"#), None);
    }
}
