//! Terraform's JSON syntax (`.tf.json`,
//! <https://developer.hashicorp.com/terraform/language/syntax/json>) written out as native
//! syntax, so that one evaluator reads both: strings are templates, block types and labels
//! are levels of objects. Every value written out remembers where its JSON is ([`Places`]), so
//! findings point into the `.tf.json` file.
//!
//! JSON does not say which keys of a body are nested blocks: the ones trailcheck reads are
//! known by name ([`BLOCKS`]); any other object is an argument, as it is for most resource
//! types.

use std::fmt::Write as _;

use crate::parse::{Node, Value};
use crate::source::Span;

/// Nested blocks of the resources and data sources trailcheck reads.
const BLOCKS: &[&str] = &[
    "event_selector",
    "advanced_event_selector",
    "data_resource",
    "field_selector",
    "insight_selector",
    "statement",
    "principals",
    "not_principals",
    "condition",
    "content",
    "dead_letter_config",
    "retry_policy",
    "input_transformer",
    "sqs_target",
];

/// Whether the JSON string of argument `key` of a `kind` block is an expression, not a
/// template: a variable's type, a resource's provider, a dynamic block's iterator.
fn is_expression(kind: &str, key: &str) -> bool {
    matches!(
        (kind, key),
        ("variable", "type")
            | ("resource" | "data" | "module", "provider" | "depends_on")
            | ("dynamic", "iterator")
    )
}

/// Where each piece of the native text came from in the JSON file.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// `(start, end)` in the native text and the JSON span, by start.
    entries: Vec<(usize, usize, Span)>,
}

impl Places {
    /// The JSON span of the innermost piece holding `start..end` of the native text.
    pub fn map(&self, start: usize, end: usize) -> Option<Span> {
        let upto = self.entries.partition_point(|(s, _, _)| *s <= start);
        self.entries[..upto]
            .iter()
            .rev()
            .find(|(s, e, _)| *s <= start && end <= *e)
            .map(|(_, _, span)| *span)
    }
}

/// The native text of JSON variable values (`.tfvars.json`): one argument per variable.
pub fn values_to_native(root: &Node<'_>) -> Option<(String, Places)> {
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let mut writer = Writer::default();
    for entry in entries {
        if is_identifier(&entry.key) {
            let _ = write!(writer.text, "{} = ", entry.key);
            writer.value(&entry.value, 0);
            writer.text.push('\n');
        }
    }
    let Writer { text, mut places } = writer;
    places.entries.sort_by_key(|(start, _, _)| *start);
    Some((text, places))
}

/// The native text of a JSON configuration, and where its pieces came from; `None` when it is
/// not a JSON object.
pub fn to_native(root: &Node<'_>) -> Option<(String, Places)> {
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let mut writer = Writer::default();
    for entry in entries {
        let labels = match entry.key.as_ref() {
            "resource" | "data" => 2,
            "module" | "variable" | "output" | "provider" => 1,
            "locals" => 0,
            _ => continue,
        };
        writer.blocks(&entry.key, &mut Vec::new(), &entry.value, labels, 0);
    }
    let Writer { text, mut places } = writer;
    places.entries.sort_by_key(|(start, _, _)| *start);
    Some((text, places))
}

#[derive(Default)]
struct Writer {
    text: String,
    places: Places,
}

impl Writer {
    /// Blocks of `kind` with `labels` more labels to take from the levels of `node`.
    fn blocks<'n>(
        &mut self,
        kind: &str,
        taken: &mut Vec<&'n str>,
        node: &'n Node<'_>,
        labels: usize,
        depth: usize,
    ) {
        if depth > crate::parse::MAX_DEPTH {
            return;
        }
        if taken.len() < labels {
            if let Value::Map(entries) = &node.value {
                for entry in entries {
                    taken.push(&entry.key);
                    self.blocks(kind, taken, &entry.value, labels, depth + 1);
                    taken.pop();
                }
            }
            return;
        }
        match &node.value {
            // A block given several times.
            Value::Seq(items) => {
                for item in items {
                    self.block(kind, taken, item, depth + 1);
                }
            }
            _ => self.block(kind, taken, node, depth + 1),
        }
    }

    fn block(&mut self, kind: &str, labels: &[&str], node: &Node<'_>, depth: usize) {
        let Value::Map(entries) = &node.value else {
            return;
        };
        let start = self.text.len();
        self.text.push_str(kind);
        for label in labels {
            self.text.push(' ');
            self.string(label);
        }
        self.text.push_str(" {\n");
        for entry in entries {
            let key = entry.key.as_ref();
            if key == "//" {
                continue;
            }
            if kind == "locals" || !(BLOCKS.contains(&key) || key == "dynamic") {
                if !is_identifier(key) {
                    continue;
                }
                let at = self.text.len();
                let _ = write!(self.text, "{key} = ");
                if is_expression(kind, key)
                    && let Value::String(expr) = &entry.value.value
                {
                    self.place(entry.value.span, |w| w.text.push_str(expr));
                } else {
                    self.value(&entry.value, depth + 1);
                }
                self.text.push('\n');
                self.places.entries.push((
                    at,
                    self.text.len(),
                    Span::new(entry.key_span.start as usize, entry.value.span.end as usize),
                ));
            } else if key == "dynamic" {
                self.blocks("dynamic", &mut Vec::new(), &entry.value, 1, depth + 1);
            } else {
                self.blocks(key, &mut Vec::new(), &entry.value, 0, depth + 1);
            }
        }
        self.text.push_str("}\n");
        self.places
            .entries
            .push((start, self.text.len(), node.span));
    }

    /// Writes what `write` writes, placed at `span`.
    fn place(&mut self, span: Span, write: impl FnOnce(&mut Writer)) {
        let start = self.text.len();
        write(self);
        self.places.entries.push((start, self.text.len(), span));
    }

    fn value(&mut self, node: &Node<'_>, depth: usize) {
        if depth > crate::parse::MAX_DEPTH {
            self.text.push_str("null");
            return;
        }
        self.place(node.span, |w| match &node.value {
            Value::Null => w.text.push_str("null"),
            Value::Bool(b) => w.text.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => w.text.push_str(n),
            Value::String(s) => w.string(s),
            Value::Seq(items) => {
                w.text.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        w.text.push_str(", ");
                    }
                    w.value(item, depth + 1);
                }
                w.text.push(']');
            }
            Value::Map(entries) => {
                w.text.push_str("{\n");
                for entry in entries {
                    w.string(&entry.key);
                    w.text.push_str(" = ");
                    w.value(&entry.value, depth + 1);
                    w.text.push('\n');
                }
                w.text.push('}');
            }
        });
    }

    /// A quoted template: `${` and `%{` stay what they are in JSON syntax, and what is inside
    /// them is an expression, written as it is.
    fn string(&mut self, s: &str) {
        self.text.push('"');
        let mut chars = s.chars().peekable();
        // Braces open inside a template sequence.
        let mut depth = 0usize;
        let mut escaped = false;
        while let Some(c) = chars.next() {
            if depth > 0 {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    '\n' => {
                        self.text.push(' ');
                        continue;
                    }
                    _ => {}
                }
                self.text.push(c);
                continue;
            }
            if (c == '$' || c == '%') && chars.peek() == Some(&'{') && !escaped {
                self.text.push(c);
                self.text.push('{');
                chars.next();
                depth = 1;
                continue;
            }
            // `$${` is a literal `${`.
            escaped = c == '$' && chars.peek() == Some(&'$');
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                c if c.is_control() => {
                    let _ = write!(self.text, "\\u{:04x}", c as u32);
                }
                c => self.text.push(c),
            }
        }
        self.text.push('"');
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Syntax, parse};

    #[test]
    fn blocks_labels_and_templates_are_written_natively() {
        let json = r#"{"resource": {"aws_cloudwatch_event_rule": {"r": {"name": "x-${var.env}",
            "event_pattern": "${jsonencode({source = [\"aws.s3\"]})}"}}},
          "variable": {"env": {"default": "prod", "type": "string"}},
          "locals": {"a": 1}}"#;
        let root = parse(json, Syntax::Json).unwrap();
        let (text, places) = to_native(&root).unwrap();
        let body = hcl_edit::parser::parse_body(&text).expect(&text);
        assert_eq!(body.blocks().count(), 3, "{text}");
        assert!(text.contains("type = string"), "{text}");
        // The rule's name, written natively, is placed at its JSON string.
        let at = text.find("\"x-${var.env}\"").unwrap();
        let span = places.map(at, at + 14).unwrap();
        assert_eq!(&json[span.range()], "\"x-${var.env}\"");
    }

    #[test]
    fn repeated_blocks_and_dynamic_blocks() {
        let json = r#"{"resource": {"aws_cloudtrail": {"t": {
            "event_selector": [{"read_write_type": "All"}, {"read_write_type": "ReadOnly"}],
            "dynamic": {"advanced_event_selector": {"for_each": "${var.s}",
              "content": {"name": "${advanced_event_selector.value}"}}}}}}}"#;
        let root = parse(json, Syntax::Json).unwrap();
        let (text, _) = to_native(&root).unwrap();
        let body = hcl_edit::parser::parse_body(&text).expect(&text);
        let trail = body.blocks().next().unwrap();
        assert_eq!(trail.body.get_blocks("event_selector").count(), 2, "{text}");
        assert_eq!(trail.body.get_blocks("dynamic").count(), 1, "{text}");
    }
}
