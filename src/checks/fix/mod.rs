//! Fixes as data, and the one place that writes them in the input's own language:
//! CloudFormation YAML or JSON, or Terraform HCL.
//!
//! A check describes what to change ([`Edit`]: a property to set, a trail to declare, the
//! selectors to add, a bucket's notifications to turn on) and which language the resource is
//! written in; [`Edit::write`] writes it out. The selectors suggested match what a trail
//! already uses, basic or advanced (CloudTrail rejects a trail with both). Checks hold no
//! property names and no YAML, JSON or HCL of their own.

mod target;

pub use target::{Expr, TargetEdit, Value};

use crate::model::{Dialect, ReadWrite};
use crate::value::{Piece, Pseudo, Symbol, Text};

/// A change to the user's input that mends a finding.
#[derive(Debug, Clone)]
pub enum Edit<'a> {
    /// `property: value` on a resource.
    Set(Setting),
    /// A whole new trail logging what the selection says (with advanced selectors when its
    /// data events need them).
    DeclareTrail(&'a Selection),
    /// One basic event selector: an item of `EventSelectors`, an `event_selector` block.
    BasicSelector(&'a Selection),
    /// The basic event selectors of a trail that has none.
    BasicSelectors(&'a Selection),
    /// Advanced event selectors, one after the other.
    AdvancedSelectors(&'a [Advanced<'a>]),
    /// Insight selectors for these insight types.
    InsightSelectors(&'a [&'a str]),
    /// A string value (an ARN) as the language writes it.
    Value(&'a Text),
    /// EventBridge notifications turned on for the bucket declared as `bucket`.
    BucketNotifications { bucket: &'a str },
    /// A pattern field's value, written as `written`, listed in an array.
    PatternArray { key: &'a str, written: &'a str },
}

/// A property a fix names, as each language spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Property {
    /// A trail's logging switch.
    IsLogging,
    IsMultiRegionTrail,
    IncludeGlobalServiceEvents,
    /// An event selector's read/write filter.
    ReadWriteType,
    IncludeManagementEvents,
    ExcludeManagementEventSources,
    /// A rule's state.
    State,
    /// The bus a rule listens on.
    EventBusName,
}

impl Property {
    /// The property's name in `dialect`.
    pub fn name(self, dialect: Dialect) -> &'static str {
        let (cloudformation, terraform) = match self {
            Property::IsLogging => ("IsLogging", "enable_logging"),
            Property::IsMultiRegionTrail => ("IsMultiRegionTrail", "is_multi_region_trail"),
            Property::IncludeGlobalServiceEvents => (
                "IncludeGlobalServiceEvents",
                "include_global_service_events",
            ),
            Property::ReadWriteType => ("ReadWriteType", "read_write_type"),
            Property::IncludeManagementEvents => {
                ("IncludeManagementEvents", "include_management_events")
            }
            Property::ExcludeManagementEventSources => (
                "ExcludeManagementEventSources",
                "exclude_management_event_sources",
            ),
            Property::State => ("State", "state"),
            Property::EventBusName => ("EventBusName", "event_bus_name"),
        };
        match dialect {
            Dialect::Terraform => terraform,
            Dialect::CfnYaml | Dialect::CfnJson => cloudformation,
        }
    }
}

/// A property and the value to give it.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub property: Property,
    pub value: Scalar,
}

/// A value a [`Setting`] gives.
#[derive(Debug, Clone, Copy)]
pub enum Scalar {
    Bool(bool),
    Str(&'static str),
}

impl Setting {
    pub fn new(property: Property, value: impl Into<Scalar>) -> Setting {
        Setting {
            property,
            value: value.into(),
        }
    }

    /// `Key: value` in YAML, `"Key": value` in JSON, `key = value` in HCL.
    pub fn written(self, dialect: Dialect) -> String {
        Edit::Set(self).write(dialect)
    }
}

impl From<bool> for Scalar {
    fn from(value: bool) -> Scalar {
        Scalar::Bool(value)
    }
}

impl From<&'static str> for Scalar {
    fn from(value: &'static str) -> Scalar {
        Scalar::Str(value)
    }
}

/// What a trail must select to log a group of events.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Data events: the resource type and the ARN (or ARN prefix, for S3 objects) to select.
    pub data: Option<DataSelection>,
    pub read_write: ReadWrite,
}

#[derive(Debug, Clone)]
pub struct DataSelection {
    pub resource_type: String,
    /// The ARN (or prefix) to select; `None` to select every resource of the type.
    pub arn: Option<Text>,
    /// Whether `arn` is a prefix (S3 objects) rather than an exact ARN.
    pub prefix: bool,
    /// Whether basic event selectors can select the type; others need advanced selectors.
    pub basic: bool,
}

/// One advanced event selector to add.
#[derive(Debug, Clone, Copy)]
pub enum Advanced<'a> {
    /// Every management event.
    Management,
    /// The data events of a selection.
    Data(&'a DataSelection),
    /// The network activity events of one event source.
    NetworkActivity(&'a Text),
}

impl Edit<'_> {
    /// The edit, written in `dialect`.
    pub fn write(&self, dialect: Dialect) -> String {
        match self {
            Edit::Set(setting) => assignment(dialect, *setting),
            Edit::DeclareTrail(selection) => trail_declaration(dialect, selection),
            Edit::BasicSelector(selection) => basic_selector(dialect, selection),
            Edit::BasicSelectors(selection) => basic_selectors(dialect, selection),
            Edit::AdvancedSelectors(selectors) => {
                let written: Vec<String> = selectors
                    .iter()
                    .map(|selector| match selector {
                        Advanced::Management => advanced_selector(dialect, None),
                        Advanced::Data(data) => advanced_selector(dialect, Some(data)),
                        Advanced::NetworkActivity(source) => network_selector(dialect, source),
                    })
                    .collect();
                selector_list(dialect, &written)
            }
            Edit::InsightSelectors(types) => insight_selectors(dialect, types),
            Edit::Value(text) => value(dialect, text),
            Edit::BucketNotifications { bucket } => bucket_notifications(dialect, bucket),
            Edit::PatternArray { key, written } => pattern_array(dialect, key, written),
        }
    }
}

/// A complete trail that logs what `fix` describes.
fn trail_declaration(dialect: Dialect, fix: &Selection) -> String {
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
fn advanced_trail_declaration(dialect: Dialect, data: &DataSelection) -> String {
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
            "resource \"aws_cloudtrail\" \"audit\" {{\n  name                  = \"audit\"\n  s3_bucket_name        = aws_s3_bucket.audit_trail.id\n  enable_logging        = true\n  is_multi_region_trail = true\n\n{}\n}}",
            indent(&selectors, 2)
        ),
    }
}

/// One basic event selector (an item of `EventSelectors`, an `event_selector` block).
fn basic_selector(dialect: Dialect, fix: &Selection) -> String {
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
fn basic_selectors(dialect: Dialect, fix: &Selection) -> String {
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
fn advanced_selector(dialect: Dialect, data: Option<&DataSelection>) -> String {
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
                // Aligned on `=`, as `terraform fmt` writes consecutive attributes.
                let width = operator.len();
                out.push_str(&format!(
                    "\n  field_selector {{\n    {:<width$} = \"{field}\"\n    {operator} = [{value}]\n  }}\n",
                    "field"
                ));
            }
            out.push_str("}\n");
            out
        }
    }
}

/// Insight selectors for the insight types given.
fn insight_selectors(dialect: Dialect, types: &[&str]) -> String {
    match dialect {
        Dialect::CfnYaml => {
            let items: Vec<String> = types
                .iter()
                .map(|t| format!("  - InsightType: {t}"))
                .collect();
            format!("InsightSelectors:\n{}", items.join("\n"))
        }
        Dialect::CfnJson => {
            let items: Vec<String> = types
                .iter()
                .map(|t| format!("{{\"InsightType\": \"{t}\"}}"))
                .collect();
            format!("\"InsightSelectors\": [{}]", items.join(", "))
        }
        Dialect::Terraform => {
            let blocks: Vec<String> = types
                .iter()
                .map(|t| format!("insight_selector {{\n  insight_type = \"{t}\"\n}}"))
                .collect();
            blocks.join("\n\n")
        }
    }
}

/// An advanced selector logging the network activity events of one event source.
fn network_selector(dialect: Dialect, event_source: &Text) -> String {
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
fn selector_list(dialect: Dialect, selectors: &[String]) -> String {
    let trimmed: Vec<&str> = selectors.iter().map(|s| s.trim_end()).collect();
    match dialect {
        Dialect::CfnJson => trimmed.join(",\n"),
        Dialect::CfnYaml => trimmed.join("\n"),
        Dialect::Terraform => trimmed.join("\n\n"),
    }
}

/// The ARN a data fix selects, written in the dialect.
fn arn_value(dialect: Dialect, data: &DataSelection) -> String {
    match &data.arn {
        Some(arn) => value(dialect, arn),
        None => value(dialect, &Text::unknown()),
    }
}

/// A property assignment: `Key: value` in YAML, `"Key": value` in JSON, `key = value` in HCL.
fn assignment(dialect: Dialect, setting: Setting) -> String {
    let key = setting.property.name(dialect);
    let value = match (setting.value, dialect) {
        (Scalar::Bool(b), _) => b.to_string(),
        (Scalar::Str(text), Dialect::CfnYaml) => text.to_owned(),
        (Scalar::Str(text), Dialect::CfnJson | Dialect::Terraform) => format!("\"{text}\""),
    };
    match dialect {
        Dialect::CfnYaml => format!("{key}: {value}"),
        Dialect::CfnJson => format!("\"{key}\": {value}"),
        Dialect::Terraform => format!("{key} = {value}"),
    }
}

/// The notification configuration that sends a bucket's events to EventBridge: a property of
/// the bucket in CloudFormation, a resource of its own in Terraform (provider 4 and later).
fn bucket_notifications(dialect: Dialect, bucket: &str) -> String {
    match dialect {
        Dialect::Terraform => format!(
            "add a notification resource for the bucket:\nresource \"aws_s3_bucket_notification\" \"eventbridge\" {{\n  bucket      = {bucket}.id\n  eventbridge = true\n}}"
        ),
        Dialect::CfnJson => format!(
            "turn EventBridge notifications on in bucket `{bucket}`:\n\"NotificationConfiguration\": {{\"EventBridgeConfiguration\": {{\"EventBridgeEnabled\": true}}}}"
        ),
        Dialect::CfnYaml => format!(
            "turn EventBridge notifications on in bucket `{bucket}`:\nNotificationConfiguration:\n  EventBridgeConfiguration:\n    EventBridgeEnabled: true"
        ),
    }
}

/// A pattern field whose value, as `written`, is not in an array: the same value listed in
/// one.
fn pattern_array(dialect: Dialect, key: &str, written: &str) -> String {
    let value = written.trim();
    match dialect {
        Dialect::CfnYaml if !value.starts_with(['{', '"', '\\']) => format!("{key}: [{value}]"),
        _ => format!("\"{key}\": [{}]", value.replace("\\\"", "\"")),
    }
}

/// A string value in the dialect: literal when known, `Fn::Sub` when it names template
/// resources or parameters, a `<placeholder>` where nothing is known.
fn value(dialect: Dialect, text: &Text) -> String {
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

/// A trail that exists outside the inputs, described for `trailcheck.toml`: the
/// organization-management preset, with the data events `selection` needs.
pub fn outside_trail(selection: &Selection) -> String {
    let mut config =
        "[[trails]]\nName = \"org-trail\"\npreset = \"organization-management\"".to_owned();
    match &selection.data {
        Some(data) if data.basic => {
            let values = match &data.arn {
                Some(arn) => format!(", Values = [{}]", toml_string(&arn.to_string())),
                None => String::new(),
            };
            config.push_str(&format!(
                "\nEventSelectors = [{{ ReadWriteType = \"{}\", IncludeManagementEvents = false, DataResources = [{{ Type = {}{values} }}] }}]",
                match selection.read_write {
                    ReadWrite::All => "All",
                    ReadWrite::ReadOnly => "ReadOnly",
                    ReadWrite::WriteOnly => "WriteOnly",
                },
                toml_string(&data.resource_type),
            ));
        }
        Some(data) => {
            let arn = match &data.arn {
                Some(arn) => format!(
                    ", {{ Field = \"resources.ARN\", {} = [{}] }}",
                    if data.prefix { "StartsWith" } else { "Equals" },
                    toml_string(&arn.to_string())
                ),
                None => String::new(),
            };
            let read_only = match selection.read_write {
                ReadWrite::All => "",
                ReadWrite::ReadOnly => ", { Field = \"readOnly\", Equals = [\"true\"] }",
                ReadWrite::WriteOnly => ", { Field = \"readOnly\", Equals = [\"false\"] }",
            };
            config.push_str(&format!(
                "\nAdvancedEventSelectors = [{{ FieldSelectors = [{{ Field = \"eventCategory\", Equals = [\"Data\"] }}, {{ Field = \"resources.type\", Equals = [{}] }}{arn}{read_only}] }}]",
                toml_string(&data.resource_type),
            ));
        }
        None => {}
    }
    config
}

/// A TOML basic string: quoted, with quotes, backslashes and control characters escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    /// The `[[trails]]` a TC101 help suggests is a config trailcheck reads, with the data
    /// events asked for, in basic or advanced selectors as the resource type needs.
    #[test]
    fn outside_trails_are_configs_that_load() {
        let load = |selection: &Selection| -> serde_json::Value {
            let text = outside_trail(selection);
            let config = crate::config::from_text(std::path::Path::new("trailcheck.toml"), text)
                .expect("the suggested config loads");
            serde_json::from_str(&config.trails[0].properties).expect("JSON")
        };
        let bare = load(&Selection {
            data: None,
            read_write: ReadWrite::All,
        });
        assert_eq!(bare["IsOrganizationTrail"], true);
        assert_eq!(bare["EventSelectors"].as_array().unwrap().len(), 1);
        let basic = load(&Selection {
            data: Some(DataSelection {
                resource_type: "AWS::S3::Object".to_owned(),
                arn: Some(Text::lit("arn:aws:s3:::my \"bucket\"/")),
                prefix: true,
                basic: true,
            }),
            read_write: ReadWrite::ReadOnly,
        });
        let data = &basic["EventSelectors"][1];
        assert_eq!(data["ReadWriteType"], "ReadOnly");
        assert_eq!(data["IncludeManagementEvents"], false);
        assert_eq!(
            data["DataResources"][0]["Values"][0],
            "arn:aws:s3:::my \"bucket\"/"
        );
        let advanced = load(&Selection {
            data: Some(DataSelection {
                resource_type: "AWS::SNS::Topic".to_owned(),
                arn: Some(Text::lit("arn:aws:sns:eu-west-1:123456789012:alerts")),
                prefix: false,
                basic: false,
            }),
            read_write: ReadWrite::WriteOnly,
        });
        let fields = &advanced["AdvancedEventSelectors"][1]["FieldSelectors"];
        assert_eq!(fields[1]["Equals"][0], "AWS::SNS::Topic");
        assert_eq!(
            fields[2]["Equals"][0],
            "arn:aws:sns:eu-west-1:123456789012:alerts"
        );
        assert_eq!(
            fields[3],
            serde_json::json!({"Field": "readOnly", "Equals": ["false"]})
        );
        assert_eq!(
            advanced["AdvancedEventSelectors"][0]["FieldSelectors"][0]["Equals"][0],
            "Management"
        );
    }

    use super::*;

    fn s3_fix(arn: Text) -> Selection {
        Selection {
            data: Some(DataSelection {
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
