//! Suggested fixes, written in the input's own language: CloudFormation YAML or JSON, or
//! Terraform HCL.
//!
//! Checks describe a fix as data ([`SelectorFix`]) and this module writes it out: a whole
//! trail declaration when none exists, or the selector to add to an existing trail, basic or
//! advanced to match what the trail already uses (CloudTrail rejects a trail with both).

use crate::model::{Dialect, ReadWrite};
use crate::value::{Piece, Pseudo, Symbol, Text};

/// What a trail must select to log a group of events.
#[derive(Debug, Clone)]
pub struct SelectorFix {
    /// Data events: the resource type and the ARN (or ARN prefix, for S3 objects) to select.
    pub data: Option<DataFix>,
    pub read_write: ReadWrite,
}

#[derive(Debug, Clone)]
pub struct DataFix {
    pub resource_type: String,
    /// The ARN (or prefix) to select; `None` to select every resource of the type.
    pub arn: Option<Text>,
    /// Whether `arn` is a prefix (S3 objects) rather than an exact ARN.
    pub prefix: bool,
    /// Whether basic event selectors can select the type; others need advanced selectors.
    pub basic: bool,
}

/// A complete trail that logs what `fix` describes.
pub fn trail_declaration(dialect: Dialect, fix: &SelectorFix) -> String {
    if let Some(data) = fix.data.as_ref().filter(|data| !data.basic) {
        return advanced_trail_declaration(dialect, data);
    }
    match dialect {
        Dialect::CfnYaml => {
            let mut out = String::from(
                "AuditTrail:\n  Type: AWS::CloudTrail::Trail\n  Properties:\n    IsLogging: true\n    IsMultiRegionTrail: true\n    S3BucketName: !Ref AuditTrailBucket\n",
            );
            if fix.data.is_some() || fix.read_write != ReadWrite::All {
                out.push_str("    EventSelectors:\n");
                out.push_str(&indent(&basic_selector(dialect, fix), 6));
            }
            out
        }
        Dialect::CfnJson => {
            let mut out = String::from(
                "\"AuditTrail\": {\n  \"Type\": \"AWS::CloudTrail::Trail\",\n  \"Properties\": {\n    \"IsLogging\": true,\n    \"IsMultiRegionTrail\": true,\n    \"S3BucketName\": {\"Ref\": \"AuditTrailBucket\"}",
            );
            if fix.data.is_some() || fix.read_write != ReadWrite::All {
                out.push_str(",\n    \"EventSelectors\": [\n");
                out.push_str(&indent(&basic_selector(dialect, fix), 6));
                out.push_str("\n    ]");
            }
            out.push_str("\n  }\n}");
            out
        }
        Dialect::Terraform => {
            let mut out = String::from(
                "resource \"aws_cloudtrail\" \"audit\" {\n  name                  = \"audit\"\n  s3_bucket_name        = aws_s3_bucket.audit_trail.id\n  enable_logging        = true\n  is_multi_region_trail = true\n",
            );
            if fix.data.is_some() || fix.read_write != ReadWrite::All {
                out.push('\n');
                out.push_str(&indent(&basic_selector(dialect, fix), 2));
            }
            out.push('}');
            out
        }
    }
}

/// A complete trail logging management events and, with advanced selectors, `data`.
fn advanced_trail_declaration(dialect: Dialect, data: &DataFix) -> String {
    let selectors = selector_list(
        dialect,
        &[
            advanced_selector(dialect, None),
            advanced_selector(dialect, Some(data)),
        ],
    );
    match dialect {
        Dialect::CfnYaml => format!(
            "AuditTrail:\n  Type: AWS::CloudTrail::Trail\n  Properties:\n    IsLogging: true\n    IsMultiRegionTrail: true\n    S3BucketName: !Ref AuditTrailBucket\n    AdvancedEventSelectors:\n{}",
            indent(&selectors, 6)
        ),
        Dialect::CfnJson => format!(
            "\"AuditTrail\": {{\n  \"Type\": \"AWS::CloudTrail::Trail\",\n  \"Properties\": {{\n    \"IsLogging\": true,\n    \"IsMultiRegionTrail\": true,\n    \"S3BucketName\": {{\"Ref\": \"AuditTrailBucket\"}},\n    \"AdvancedEventSelectors\": [\n{}\n    ]\n  }}\n}}",
            indent(&selectors, 6)
        ),
        Dialect::Terraform => format!(
            "resource \"aws_cloudtrail\" \"audit\" {{\n  name                  = \"audit\"\n  s3_bucket_name        = aws_s3_bucket.audit_trail.id\n  enable_logging        = true\n  is_multi_region_trail = true\n\n{}}}",
            indent(&selectors, 2)
        ),
    }
}

/// One basic event selector (an item of `EventSelectors`, an `event_selector` block).
pub fn basic_selector(dialect: Dialect, fix: &SelectorFix) -> String {
    let rw = fix.read_write.as_str();
    match dialect {
        Dialect::CfnYaml => {
            let mut out = format!("- ReadWriteType: {rw}\n  IncludeManagementEvents: true\n");
            if let Some(data) = &fix.data {
                out.push_str(&format!(
                    "  DataResources:\n    - Type: {}\n      Values:\n        - {}\n",
                    data.resource_type,
                    arn_value(dialect, data)
                ));
            }
            out
        }
        Dialect::CfnJson => {
            let mut out =
                format!("{{\n  \"ReadWriteType\": \"{rw}\",\n  \"IncludeManagementEvents\": true");
            if let Some(data) = &fix.data {
                out.push_str(&format!(
                    ",\n  \"DataResources\": [\n    {{\"Type\": \"{}\", \"Values\": [{}]}}\n  ]",
                    data.resource_type,
                    arn_value(dialect, data)
                ));
            }
            out.push_str("\n}");
            out
        }
        Dialect::Terraform => {
            let mut out = format!(
                "event_selector {{\n  read_write_type           = \"{rw}\"\n  include_management_events = true\n"
            );
            if let Some(data) = &fix.data {
                out.push_str(&format!(
                    "\n  data_resource {{\n    type   = \"{}\"\n    values = [{}]\n  }}\n",
                    data.resource_type,
                    arn_value(dialect, data)
                ));
            }
            out.push_str("}\n");
            out
        }
    }
}

/// The `EventSelectors` property (or `event_selector` block) for a trail that has none.
pub fn basic_selectors(dialect: Dialect, fix: &SelectorFix) -> String {
    match dialect {
        Dialect::CfnYaml => format!(
            "EventSelectors:\n{}",
            indent(&basic_selector(dialect, fix), 2)
        ),
        Dialect::CfnJson => format!(
            "\"EventSelectors\": [\n{}\n]",
            indent(&basic_selector(dialect, fix), 2)
        ),
        Dialect::Terraform => basic_selector(dialect, fix),
    }
}

/// One advanced event selector logging the data events of `data`, or all management events.
pub fn advanced_selector(dialect: Dialect, data: Option<&DataFix>) -> String {
    let mut fields: Vec<(&str, &str, String)> = Vec::new();
    let quoted = |text: &str| match dialect {
        Dialect::CfnYaml => text.to_owned(),
        _ => format!("\"{text}\""),
    };
    match data {
        Some(data) => {
            fields.push(("eventCategory", "Equals", quoted("Data")));
            fields.push(("resources.type", "Equals", quoted(&data.resource_type)));
            let operator = if data.prefix { "StartsWith" } else { "Equals" };
            if data.arn.is_some() {
                fields.push(("resources.ARN", operator, arn_value(dialect, data)));
            }
        }
        None => fields.push(("eventCategory", "Equals", quoted("Management"))),
    }
    let name = if data.is_some() {
        "Data events"
    } else {
        "Management events"
    };
    match dialect {
        Dialect::CfnYaml => {
            let mut out = format!("- Name: {name}\n  FieldSelectors:\n");
            for (field, operator, value) in fields {
                out.push_str(&format!(
                    "    - Field: {field}\n      {operator}:\n        - {value}\n"
                ));
            }
            out
        }
        Dialect::CfnJson => {
            let items: Vec<String> = fields
                .into_iter()
                .map(|(field, operator, value)| {
                    format!("    {{\"Field\": \"{field}\", \"{operator}\": [{value}]}}")
                })
                .collect();
            format!(
                "{{\n  \"Name\": \"{name}\",\n  \"FieldSelectors\": [\n{}\n  ]\n}}",
                items.join(",\n")
            )
        }
        Dialect::Terraform => {
            let mut out = format!("advanced_event_selector {{\n  name = \"{name}\"\n");
            for (field, operator, value) in fields {
                let operator = match operator {
                    "StartsWith" => "starts_with",
                    _ => "equals",
                };
                out.push_str(&format!(
                    "\n  field_selector {{\n    field = \"{field}\"\n    {operator:<6} = [{value}]\n  }}\n"
                ));
            }
            out.push_str("}\n");
            out
        }
    }
}

/// Insight selectors for both insight types.
pub fn insight_selectors(dialect: Dialect) -> String {
    match dialect {
        Dialect::CfnYaml => "InsightSelectors:\n  - InsightType: ApiCallRateInsight\n  - InsightType: ApiErrorRateInsight".to_owned(),
        Dialect::CfnJson => "\"InsightSelectors\": [{\"InsightType\": \"ApiCallRateInsight\"}, {\"InsightType\": \"ApiErrorRateInsight\"}]".to_owned(),
        Dialect::Terraform => "insight_selector {\n  insight_type = \"ApiCallRateInsight\"\n}\n\ninsight_selector {\n  insight_type = \"ApiErrorRateInsight\"\n}".to_owned(),
    }
}

/// An advanced selector logging the network activity events of one event source.
pub fn network_selector(dialect: Dialect, event_source: &Text) -> String {
    let source = value(dialect, event_source);
    match dialect {
        Dialect::CfnYaml => format!(
            "- Name: Network activity\n  FieldSelectors:\n    - Field: eventCategory\n      Equals: [NetworkActivity]\n    - Field: eventSource\n      Equals: [{source}]"
        ),
        Dialect::CfnJson => format!(
            "{{\n  \"Name\": \"Network activity\",\n  \"FieldSelectors\": [\n    {{\"Field\": \"eventCategory\", \"Equals\": [\"NetworkActivity\"]}},\n    {{\"Field\": \"eventSource\", \"Equals\": [{source}]}}\n  ]\n}}"
        ),
        Dialect::Terraform => format!(
            "advanced_event_selector {{\n  name = \"Network activity\"\n\n  field_selector {{\n    field  = \"eventCategory\"\n    equals = [\"NetworkActivity\"]\n  }}\n\n  field_selector {{\n    field  = \"eventSource\"\n    equals = [{source}]\n  }}\n}}"
        ),
    }
}

/// Several advanced selectors, one after the other as the dialect lists them.
pub fn selector_list(dialect: Dialect, selectors: &[String]) -> String {
    let trimmed: Vec<&str> = selectors.iter().map(|s| s.trim_end()).collect();
    match dialect {
        Dialect::CfnJson => trimmed.join(",\n"),
        Dialect::CfnYaml => trimmed.join("\n"),
        Dialect::Terraform => trimmed.join("\n\n"),
    }
}

/// The ARN a data fix selects, written in the dialect.
fn arn_value(dialect: Dialect, data: &DataFix) -> String {
    match &data.arn {
        Some(arn) => value(dialect, arn),
        None => value(dialect, &Text::unknown()),
    }
}

/// A property name: CloudFormation's or Terraform's.
pub fn key<'k>(dialect: Dialect, cfn_key: &'k str, tf_key: &'k str) -> &'k str {
    if dialect == Dialect::Terraform {
        tf_key
    } else {
        cfn_key
    }
}

/// A property assignment: `Key: value` in YAML, `"Key": value` in JSON, `key = value` in HCL.
pub fn assignment(dialect: Dialect, cfn_key: &str, tf_key: &str, value: &str) -> String {
    match dialect {
        Dialect::CfnYaml => format!("{cfn_key}: {value}"),
        Dialect::CfnJson => {
            let value = if value == "true" || value == "false" {
                value.to_owned()
            } else {
                format!("\"{value}\"")
            };
            format!("\"{cfn_key}\": {value}")
        }
        Dialect::Terraform => {
            let value = if value == "true" || value == "false" {
                value.to_owned()
            } else {
                format!("\"{value}\"")
            };
            format!("{tf_key} = {value}")
        }
    }
}

/// A string value in the dialect: literal when known, `Fn::Sub` when it names template
/// resources or parameters, a `<placeholder>` where nothing is known.
pub fn value(dialect: Dialect, text: &Text) -> String {
    let literal = text.as_lit();
    match (dialect, literal) {
        (Dialect::CfnYaml, Some(lit)) => lit.to_owned(),
        (Dialect::CfnJson | Dialect::Terraform, Some(lit)) => format!("\"{lit}\""),
        (Dialect::CfnYaml, None) => format!("!Sub \"{}\"", sub_template(text)),
        (Dialect::CfnJson, None) => format!("{{\"Fn::Sub\": \"{}\"}}", sub_template(text)),
        (Dialect::Terraform, None) => {
            let mut out = String::new();
            for piece in text.pieces() {
                match piece {
                    Piece::Lit(lit) => out.push_str(lit),
                    Piece::Sym(Symbol::Pseudo(Pseudo::Partition)) => out.push_str("aws"),
                    Piece::Sym(_) | Piece::Choice(..) | Piece::Unknown => out.push_str("<name>"),
                }
            }
            format!("\"{out}\"")
        }
    }
}

fn sub_template(text: &Text) -> String {
    let mut out = String::new();
    for piece in text.pieces() {
        match piece {
            Piece::Lit(lit) => out.push_str(&lit.replace("${", "${!")),
            Piece::Sym(symbol) | Piece::Choice(symbol, _) => {
                out.push_str(&format!("${{{}}}", symbol.label()))
            }
            Piece::Unknown => out.push_str("<name>"),
        }
    }
    out
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3_fix(arn: Text) -> SelectorFix {
        SelectorFix {
            data: Some(DataFix {
                resource_type: "AWS::S3::Object".into(),
                arn: Some(arn),
                prefix: true,
                basic: true,
            }),
            read_write: ReadWrite::All,
        }
    }

    #[test]
    fn symbolic_values_become_fn_sub() {
        let arn = Text::concat([
            Text::lit("arn:"),
            Text::pseudo(Pseudo::Partition),
            Text::lit(":s3:::"),
            Text::sym(Symbol::Generated("0#Uploads".into())),
            Text::lit("/"),
        ]);
        assert_eq!(
            value(Dialect::CfnYaml, &arn),
            "!Sub \"arn:${AWS::Partition}:s3:::${Uploads}/\""
        );
        assert_eq!(
            value(Dialect::CfnJson, &arn),
            "{\"Fn::Sub\": \"arn:${AWS::Partition}:s3:::${Uploads}/\"}"
        );
    }

    #[test]
    fn declarations_in_each_dialect() {
        let fix = s3_fix(Text::lit("arn:aws:s3:::my-bucket/"));
        let yaml = trail_declaration(Dialect::CfnYaml, &fix);
        assert!(yaml.contains("          - Type: AWS::S3::Object\n            Values:\n              - arn:aws:s3:::my-bucket/"));
        let json = trail_declaration(Dialect::CfnJson, &fix);
        assert!(json.contains(
            "{\"Type\": \"AWS::S3::Object\", \"Values\": [\"arn:aws:s3:::my-bucket/\"]}"
        ));
        let hcl = trail_declaration(Dialect::Terraform, &fix);
        assert!(hcl.contains("    values = [\"arn:aws:s3:::my-bucket/\"]"));
    }
}
