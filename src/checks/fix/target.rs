//! Fixes on the target side, written in each language: the Lambda permission or the topic or
//! queue policy to add, the key policy statement, the role a target needs and the statements
//! its trust and permissions policies lack.
//!
//! Each is built as one small tree ([`Value`]) and written out by one writer per language,
//! so a fix reads the same in YAML, JSON and HCL but for the words each language uses.

use crate::model::Dialect;

/// A reference to a value of the user's resources, as each language writes it.
#[derive(Debug, Clone, Copy)]
pub enum Expr<'a> {
    /// Text as written in the input itself (the target's `Arn`).
    Written(&'a str),
    /// `Fn::GetAtt ID.ATTRIBUTE` of a CloudFormation resource.
    GetAtt(&'a str, &'a str),
    /// `Ref ID`.
    Ref(&'a str),
    /// `ADDRESS.ATTRIBUTE` of a Terraform resource.
    Attribute(&'a str, &'a str),
    /// The ARN of the rule SAM writes for a function's event: `Fn::GetAtt FunctionEvent.Arn`.
    SamRuleArn(&'a str, &'a str),
}

/// A value in a fix.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Str(String),
    Expr(Expr<'a>),
    List(Vec<Value<'a>>),
    Map(Vec<(&'a str, Value<'a>)>),
    /// A policy document: an object in templates, `jsonencode` of one in HCL.
    Document(Box<Value<'a>>),
    /// A nested block in HCL (`inline_policy { … }`), an object elsewhere.
    Block(Vec<(&'a str, Value<'a>)>),
}

impl<'a> Value<'a> {
    pub fn str(text: impl Into<String>) -> Value<'a> {
        Value::Str(text.into())
    }
}

/// The target-side fixes.
#[derive(Debug, Clone)]
pub enum TargetEdit<'a> {
    /// A whole resource: its CloudFormation type or Terraform type, its name, its properties.
    Resource {
        kind: (&'a str, &'a str),
        name: &'a str,
        properties: Vec<(&'a str, Value<'a>)>,
    },
    /// A property (or argument) of an existing resource.
    Property(&'a str, Value<'a>),
    /// One statement to add to a policy.
    Statement(Value<'a>),
}

impl TargetEdit<'_> {
    pub fn write(&self, dialect: Dialect) -> String {
        match self {
            TargetEdit::Resource {
                kind,
                name,
                properties,
            } => resource(dialect, *kind, name, properties),
            TargetEdit::Property(key, value) => {
                let mut out = String::new();
                match dialect {
                    Dialect::CfnYaml => yaml_entry(&mut out, key, value, 0),
                    Dialect::CfnJson => {
                        out.push_str(&format!("\"{key}\": "));
                        json(&mut out, value, 0);
                    }
                    Dialect::Terraform => hcl_body(&mut out, &[(key, value.clone())], 0),
                }
                out.trim_matches('\n').trim_end().to_owned()
            }
            TargetEdit::Statement(statement) => {
                let mut out = String::new();
                match dialect {
                    Dialect::CfnYaml => yaml_item(&mut out, statement, 0),
                    Dialect::CfnJson => json(&mut out, statement, 0),
                    Dialect::Terraform => hcl(&mut out, statement, 0),
                }
                out.trim_end().to_owned()
            }
        }
    }
}

fn resource(
    dialect: Dialect,
    (cfn, tf): (&str, &str),
    name: &str,
    properties: &[(&str, Value<'_>)],
) -> String {
    let mut out = String::new();
    match dialect {
        Dialect::CfnYaml => {
            out.push_str(&format!("{name}:\n  Type: {cfn}\n  Properties:\n"));
            for (key, value) in properties {
                yaml_entry(&mut out, key, value, 4);
            }
        }
        Dialect::CfnJson => {
            out.push_str(&format!(
                "\"{name}\": {{\n  \"Type\": \"{cfn}\",\n  \"Properties\": "
            ));
            let map = Value::Map(properties.to_vec());
            json(&mut out, &map, 2);
            out.push_str("\n}");
        }
        Dialect::Terraform => {
            out.push_str(&format!("resource \"{tf}\" \"{name}\" {{\n"));
            hcl_body(&mut out, properties, 2);
            out.push('}');
        }
    }
    out.trim_end().to_owned()
}

/// The arguments and blocks of an HCL body at `depth`, one per line.
fn hcl_body(out: &mut String, entries: &[(&str, Value<'_>)], depth: usize) {
    let width = entries
        .iter()
        .filter(|(_, v)| !matches!(v, Value::Block(_)))
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    for (key, value) in entries {
        match value {
            Value::Block(inner) => {
                out.push_str(&format!("\n{}{key} {{\n", pad(depth)));
                hcl_body(out, inner, depth + 2);
                out.push_str(&format!("{}}}\n", pad(depth)));
            }
            _ => {
                out.push_str(&format!("{}{key:width$} = ", pad(depth)));
                hcl(out, value, depth);
                out.push('\n');
            }
        }
    }
}

fn pad(depth: usize) -> String {
    " ".repeat(depth)
}

/// `key: value` at `depth`, nested values below it.
fn yaml_entry(out: &mut String, key: &str, value: &Value<'_>, depth: usize) {
    out.push_str(&format!("{}{key}:", pad(depth)));
    yaml_value(out, value, depth);
}

fn yaml_value(out: &mut String, value: &Value<'_>, depth: usize) {
    match value {
        Value::Str(text) => out.push_str(&format!(" {}\n", yaml_scalar(text))),
        Value::Expr(expr) => out.push_str(&format!(" {}\n", yaml_expr(*expr))),
        Value::Document(inner) => yaml_value(out, inner, depth),
        Value::List(items) => {
            out.push('\n');
            for item in items {
                yaml_item(out, item, depth + 2);
            }
        }
        Value::Map(entries) | Value::Block(entries) => {
            out.push('\n');
            for (key, value) in entries {
                yaml_entry(out, key, value, depth + 2);
            }
        }
    }
}

/// `- value` at `depth`.
fn yaml_item(out: &mut String, value: &Value<'_>, depth: usize) {
    let value = match value {
        Value::Document(inner) => inner.as_ref(),
        other => other,
    };
    match value {
        Value::Map(entries) if !entries.is_empty() => {
            for (index, (key, value)) in entries.iter().enumerate() {
                if index == 0 {
                    out.push_str(&format!("{}- {key}:", pad(depth)));
                    yaml_value(out, value, depth + 2);
                } else {
                    yaml_entry(out, key, value, depth + 2);
                }
            }
        }
        Value::Str(text) => out.push_str(&format!("{}- {}\n", pad(depth), yaml_scalar(text))),
        Value::Expr(expr) => out.push_str(&format!("{}- {}\n", pad(depth), yaml_expr(*expr))),
        other => {
            out.push_str(&format!("{}-", pad(depth)));
            yaml_value(out, other, depth);
        }
    }
}

fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/".contains(c))
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && !matches!(text, "true" | "false" | "null" | "yes" | "no");
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn yaml_expr(expr: Expr<'_>) -> String {
    match expr {
        Expr::Written(text) => text.to_owned(),
        Expr::GetAtt(id, attribute) => format!("!GetAtt {id}.{attribute}"),
        Expr::Ref(id) => format!("!Ref {id}"),
        Expr::Attribute(address, attribute) => format!("{address}.{attribute}"),
        Expr::SamRuleArn(function, event) => format!("!GetAtt {function}{event}.Arn"),
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

fn json(out: &mut String, value: &Value<'_>, depth: usize) {
    match value {
        Value::Str(text) => out.push_str(&json_string(text)),
        Value::Expr(expr) => out.push_str(&match *expr {
            Expr::Written(text) => text.to_owned(),
            Expr::GetAtt(id, attribute) => {
                format!("{{\"Fn::GetAtt\": [\"{id}\", \"{attribute}\"]}}")
            }
            Expr::Ref(id) => format!("{{\"Ref\": \"{id}\"}}"),
            Expr::Attribute(address, attribute) => json_string(&format!("{address}.{attribute}")),
            Expr::SamRuleArn(function, event) => {
                format!("{{\"Fn::GetAtt\": [\"{function}{event}\", \"Arn\"]}}")
            }
        }),
        Value::Document(inner) => json(out, inner, depth),
        Value::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                out.push_str(&pad(depth + 2));
                json(out, item, depth + 2);
            }
            out.push_str(&format!("\n{}]", pad(depth)));
        }
        Value::Map(entries) | Value::Block(entries) => {
            out.push('{');
            for (index, (key, value)) in entries.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                out.push_str(&format!("{}\"{key}\": ", pad(depth + 2)));
                json(out, value, depth + 2);
            }
            out.push_str(&format!("\n{}}}", pad(depth)));
        }
    }
}

/// HCL: object and tuple syntax; a policy document is `jsonencode` of an object.
fn hcl(out: &mut String, value: &Value<'_>, depth: usize) {
    match value {
        Value::Str(text) => out.push_str(&json_string(text)),
        Value::Expr(expr) => out.push_str(&match expr {
            Expr::Written(text) => (*text).to_owned(),
            Expr::Attribute(address, attribute) => format!("{address}.{attribute}"),
            // References of templates do not occur in HCL fixes.
            Expr::GetAtt(id, attribute) => format!("{id}.{attribute}"),
            Expr::Ref(id) => (*id).to_owned(),
            Expr::SamRuleArn(function, event) => format!("{function}{event}.Arn"),
        }),
        Value::Document(inner) => {
            out.push_str("jsonencode(");
            hcl(out, inner, depth);
            out.push(')');
        }
        Value::List(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                out.push_str(if index == 0 { "\n" } else { ",\n" });
                out.push_str(&pad(depth + 2));
                hcl(out, item, depth + 2);
            }
            out.push_str(&format!("\n{}]", pad(depth)));
        }
        Value::Map(entries) | Value::Block(entries) => {
            out.push('{');
            let width = entries
                .iter()
                .map(|(k, _)| hcl_key(k).len())
                .max()
                .unwrap_or(0);
            for (key, value) in entries {
                let key = hcl_key(key);
                out.push_str(&format!("\n{}{key:width$} = ", pad(depth + 2)));
                hcl(out, value, depth + 2);
            }
            out.push_str(&format!("\n{}}}", pad(depth)));
        }
    }
}

/// An object key: bare when it is an identifier, quoted otherwise (`"aws:SourceArn"`).
fn hcl_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        json_string(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A statement whose first entry is a map, nested in a list, in each language.
    fn statement() -> TargetEdit<'static> {
        TargetEdit::Statement(Value::Map(vec![
            (
                "Principal",
                Value::Map(vec![("Service", Value::str("events.amazonaws.com"))]),
            ),
            ("Effect", Value::str("Allow")),
            (
                "Action",
                Value::List(vec![Value::str("kms:Decrypt"), Value::str("kms:*")]),
            ),
            (
                "Condition",
                Value::Map(vec![(
                    "ArnEquals",
                    Value::Map(vec![(
                        "aws:SourceArn",
                        Value::Expr(Expr::GetAtt("Rule", "Arn")),
                    )]),
                )]),
            ),
        ]))
    }

    #[test]
    fn hcl_keys_are_quoted_unless_identifiers() {
        assert_eq!(hcl_key("message_group_id"), "message_group_id");
        assert_eq!(hcl_key("x-amz-meta"), "x-amz-meta");
        assert_eq!(hcl_key("aws:SourceArn"), "\"aws:SourceArn\"");
    }

    #[test]
    fn statements_in_each_language() {
        assert_eq!(
            statement().write(Dialect::CfnYaml),
            "- Principal:\n    Service: events.amazonaws.com\n  Effect: Allow\n  Action:\n    - kms:Decrypt\n    - \"kms:*\"\n  Condition:\n    ArnEquals:\n      aws:SourceArn: !GetAtt Rule.Arn"
        );
        let json = statement().write(Dialect::CfnJson);
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(
            parsed,
            serde_json::json!({"Principal": {"Service": "events.amazonaws.com"}, "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:*"],
                "Condition": {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["Rule", "Arn"]}}}})
        );
        assert_eq!(
            statement().write(Dialect::Terraform),
            "{\n  Principal = {\n    Service = \"events.amazonaws.com\"\n  }\n  Effect    = \"Allow\"\n  Action    = [\n    \"kms:Decrypt\",\n    \"kms:*\"\n  ]\n  Condition = {\n    ArnEquals = {\n      \"aws:SourceArn\" = Rule.Arn\n    }\n  }\n}"
        );
    }
}
