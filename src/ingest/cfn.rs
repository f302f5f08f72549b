//! CloudFormation and SAM templates → model.
//!
//! Reads `AWS::Events::Rule`, SAM `EventBridgeRule` / `CloudWatchEvent` events,
//! `AWS::CloudTrail::Trail` and `AWS::S3::Bucket`, and evaluates the intrinsic functions their
//! properties use (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`) as far
//! as the template decides them. What the template cannot decide stays symbolic (a resource's
//! generated name, a parameter, a pseudo parameter) or unknown; nothing is guessed. Conditions,
//! mappings and imports are not evaluated here: they give unknown values.

use std::collections::HashMap;

use super::{Contents, InputKind};
use crate::catalog::ArnForm;
use crate::model::{
    AdvancedSelector, BasicSelector, Bucket, Bus, DataResource, Dialect, EventBus, EventRule,
    FieldSelector, Notification, ReadWrite, RulePattern, RuleState, Selectors, Target, Trail,
};
use crate::parse::{Node, Value};
use crate::pattern::{self, Resolve, Resolved};
use crate::source::{FileId, Loc, SourceFile};
use crate::value::{Piece, Pseudo, Symbol, Text, Tri};

/// Deepest chain of references followed (`Ref` → `BucketName` → `Fn::Sub` → …).
const MAX_EVAL_DEPTH: u8 = 16;

pub(super) fn is_template(root: &Node<'_>) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    // Some entry, not every one: a template with one resource CloudFormation would refuse (no
    // `Type`, a Rain module's `!Rain::Module`) still holds the others.
    root.get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|resources| {
            resources
                .iter()
                .any(|r| r.value.get("Type").and_then(Node::as_str).is_some())
        })
}

pub(super) fn ingest(
    file: FileId,
    source: &SourceFile,
    root: &Node<'_>,
    options: &super::Options,
) -> Contents {
    let dialect = if source
        .text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        Dialect::CfnJson
    } else {
        Dialect::CfnYaml
    };
    let template = Template::new(
        file,
        root,
        &source.text,
        options.cfn_region.clone(),
        &options.exports,
    );
    let mut contents = Contents::new(InputKind::Template);
    for output in root
        .get("Outputs")
        .map(Node::distinct_entries)
        .unwrap_or_default()
    {
        let name = output
            .value
            .at(&["Export", "Name"])
            .map(|n| template.text(n, 0));
        if let (Some(name), Some(value)) = (
            name.as_ref().and_then(Text::as_lit),
            output.value.get("Value"),
        ) {
            contents
                .exports
                .push((name.to_owned(), template.text(value, 0)));
        }
    }
    let Some(resources) = root
        .get("Resources")
        .filter(|r| r.as_map().is_some())
        .map(Node::distinct_entries)
    else {
        return contents;
    };
    for entry in resources {
        let id = entry.key.as_ref();
        let resource = &entry.value;
        let loc = Loc {
            file,
            span: entry.key_span,
        };
        let properties = resource.get("Properties").and_then(|p| template.pick(p));
        // A resource whose condition is false does not exist.
        let created = template.created(resource);
        if created == Some(false) {
            continue;
        }
        match resource.get("Type").and_then(Node::as_str) {
            Some("AWS::Events::Rule") => {
                let bus = template.bus(template.prop(properties, "EventBusName"));
                let targets = properties
                    .and_then(|p| p.get("Targets"))
                    .and_then(Node::as_seq);
                for target in targets.unwrap_or_default() {
                    if let Some(arn) = target.get("Arn") {
                        contents.items.targets.push(Target {
                            bus: bus.clone(),
                            arn: template.text(arn, 0),
                        });
                    }
                }
                contents.items.rules.push(EventRule {
                    name: id.to_owned(),
                    loc,
                    dialect,
                    state: template
                        .prop(properties, "State")
                        .map_or(RuleState::Enabled, |state| template.state(state)),
                    bus,
                    pattern: template.pattern(template.prop(properties, "EventPattern")),
                    region: template.region.clone(),
                    suppressed: suppressions(resource),
                });
            }
            Some("AWS::Serverless::Function" | "AWS::Serverless::StateMachine") => {
                let events = properties.and_then(|p| p.get("Events"));
                for event in events.map(Node::distinct_entries).unwrap_or_default() {
                    if let Some(mut rule) = template.sam_rule(id, event, dialect) {
                        rule.suppressed = suppressions(resource);
                        contents.items.rules.push(rule);
                    }
                }
            }
            Some("AWS::CloudTrail::Trail") => {
                let mut trail = template.trail(id, loc, properties, dialect);
                trail.created = created;
                contents.items.trails.push(trail);
            }
            Some("AWS::S3::Bucket") => contents.items.buckets.push(Bucket {
                name: id.to_owned(),
                loc,
                dialect,
                bucket_name: template.resource_name(id, 0),
                eventbridge: match properties.and_then(|p| p.get("NotificationConfiguration")) {
                    None => Some(false),
                    Some(config) => template.eventbridge_enabled(config),
                },
            }),
            Some("AWS::Events::EventBus") => {
                if let Some(name) = properties.and_then(|p| p.get("Name")) {
                    contents.items.buses.push(EventBus {
                        name: template.text(name, 0),
                        has_policy: Some(properties.and_then(|p| p.get("Policy")).is_some()),
                    });
                }
            }
            Some("AWS::Events::EventBusPolicy") => contents.items.bus_policies.push(
                properties
                    .and_then(|p| p.get("EventBusName"))
                    .map_or_else(|| Text::lit("default"), |name| template.text(name, 0)),
            ),
            // CDK writes bucket notifications through a custom resource that replaces the
            // bucket's whole notification configuration.
            Some("Custom::S3BucketNotifications") => {
                if let Some(bucket) = properties.and_then(|p| p.get("BucketName")) {
                    contents.items.notifications.push(Notification {
                        bucket: template.text(bucket, 0),
                        eventbridge: match properties
                            .and_then(|p| p.get("NotificationConfiguration"))
                        {
                            None => Some(false),
                            Some(config) => template.eventbridge_enabled(config),
                        },
                    });
                }
            }
            _ => {}
        }
    }
    contents
}

/// One template, indexed for evaluating intrinsics.
struct Template<'d, 'a> {
    file: FileId,
    text: &'d str,
    /// The region the template deploys to, when known.
    region: Option<String>,
    resources: HashMap<&'d str, &'d Node<'a>>,
    parameters: HashMap<&'d str, &'d Node<'a>>,
    conditions: HashMap<&'d str, &'d Node<'a>>,
    mappings: Option<&'d Node<'a>>,
    /// Values other templates of the run export, by export name.
    exports: &'d Exports,
}

/// `Outputs` exported by the templates of a run: export name → value.
pub type Exports = HashMap<String, Text>;

impl<'d, 'a> Template<'d, 'a> {
    fn new(
        file: FileId,
        root: &'d Node<'a>,
        text: &'d str,
        region: Option<String>,
        exports: &'d Exports,
    ) -> Self {
        let index = |key: &str| -> HashMap<&'d str, &'d Node<'a>> {
            root.get(key)
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .map(|e| (e.key.as_ref(), &e.value))
                .collect()
        };
        Template {
            file,
            text,
            region,
            resources: index("Resources"),
            parameters: index("Parameters"),
            conditions: index("Conditions"),
            mappings: root.get("Mappings"),
            exports,
        }
    }

    /// The value a node stands for once decidable `Fn::If`s are taken; `None` when it is
    /// `AWS::NoValue` (the property is absent).
    fn pick<'n, 'x>(&self, node: &'n Node<'x>) -> Option<&'n Node<'x>> {
        let mut node = node;
        for _ in 0..MAX_EVAL_DEPTH {
            if node.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue") {
                return None;
            }
            let Some(entry) = node.single_entry().filter(|e| e.key == "Fn::If") else {
                return Some(node);
            };
            let Some([condition, yes, no]) = entry.value.as_seq() else {
                return Some(node);
            };
            node = match condition.as_str().map(|name| self.condition(name, 0)) {
                Some(Tri::Yes) => yes,
                Some(Tri::No) => no,
                _ => return Some(node),
            };
        }
        Some(node)
    }

    /// A property, with decidable conditions taken.
    fn prop<'n, 'x>(&self, properties: Option<&'n Node<'x>>, key: &str) -> Option<&'n Node<'x>> {
        properties
            .and_then(|p| p.get(key))
            .and_then(|value| self.pick(value))
    }

    /// Whether the template's condition `name` holds.
    fn condition(&self, name: &str, depth: u8) -> Tri {
        match self.conditions.get(name) {
            Some(node) if depth <= MAX_EVAL_DEPTH => self.condition_expr(node, depth + 1),
            _ => Tri::Unknown,
        }
    }

    fn condition_expr(&self, node: &Node<'_>, depth: u8) -> Tri {
        if depth > MAX_EVAL_DEPTH {
            return Tri::Unknown;
        }
        let Some(entry) = node.single_entry() else {
            return node.as_bool().map_or(Tri::Unknown, Tri::from_bool);
        };
        let args = entry.value.as_seq().unwrap_or_default();
        match (entry.key.as_ref(), args) {
            ("Fn::Equals", [a, b]) => self.text(a, depth + 1).equals(&self.text(b, depth + 1)),
            ("Fn::And", items) if !items.is_empty() => {
                Tri::all(items.iter().map(|c| self.condition_expr(c, depth + 1)))
            }
            ("Fn::Or", items) if !items.is_empty() => {
                Tri::any(items.iter().map(|c| self.condition_expr(c, depth + 1)))
            }
            ("Fn::Not", [c]) => self.condition_expr(c, depth + 1).not(),
            ("Condition", _) => entry
                .value
                .as_str()
                .map_or(Tri::Unknown, |name| self.condition(name, depth + 1)),
            _ => Tri::Unknown,
        }
    }

    /// Whether a resource is created: its `Condition` holds, may not hold (`None`), or does
    /// not hold.
    fn created(&self, resource: &Node<'_>) -> Option<bool> {
        match resource.get("Condition").and_then(Node::as_str) {
            None => Some(true),
            Some(name) => match self.condition(name, 0) {
                Tri::Yes => Some(true),
                Tri::No => Some(false),
                Tri::Unknown => None,
            },
        }
    }

    /// `Fn::FindInMap [Map, TopKey, SecondKey]` when every key is decided.
    fn find_in_map<'n>(&'n self, args: &Node<'_>, depth: u8) -> Option<&'n Node<'a>> {
        let [map, top, second, ..] = args.as_seq()? else {
            return None;
        };
        let key = |node: &Node<'_>| self.text(node, depth + 1).as_lit().map(str::to_owned);
        self.mappings?.at(&[&key(map)?, &key(top)?, &key(second)?])
    }

    /// A symbol scoped to this template (logical IDs and parameters are per template).
    fn scoped(&self, name: &str) -> String {
        format!("{}#{name}", self.file.0)
    }

    fn state(&self, node: &Node<'_>) -> RuleState {
        self.text(node, 0)
            .as_lit()
            .map_or(RuleState::Unknown, RuleState::parse)
    }

    fn bus(&self, node: Option<&Node<'_>>) -> Bus {
        match node {
            None => Bus::Default,
            Some(node) => Bus::from_name(&self.text(node, 0)),
        }
    }

    fn pattern(&self, node: Option<&Node<'_>>) -> RulePattern {
        let Some(node) = node else {
            return RulePattern::None;
        };
        let result = match &node.value {
            Value::String(text) => pattern::parse_pattern_text(text, node.span, self.text),
            Value::Map(_) if self.resolve(node).is_some() => {
                // A pattern built by an intrinsic (`Fn::Sub` of JSON text) is decided at
                // deployment only when fully literal.
                return match self.text(node, 0).as_lit() {
                    Some(text) => {
                        to_rule_pattern(pattern::parse_pattern_text(text, node.span, self.text))
                    }
                    None => RulePattern::Unknown,
                };
            }
            _ => pattern::parse_pattern(node, self),
        };
        to_rule_pattern(result)
    }

    fn sam_rule(
        &self,
        function: &str,
        event: &crate::parse::Entry<'_>,
        dialect: Dialect,
    ) -> Option<EventRule> {
        let kind = event.value.get("Type").and_then(Node::as_str)?;
        if kind != "EventBridgeRule" && kind != "CloudWatchEvent" {
            return None;
        }
        let properties = event.value.get("Properties");
        let get = |key: &str| self.prop(properties, key);
        let state = match (get("State"), get("Enabled")) {
            (Some(state), _) => self.state(state),
            (None, Some(enabled)) => match enabled.as_bool() {
                Some(true) => RuleState::Enabled,
                Some(false) => RuleState::Disabled,
                None => RuleState::Unknown,
            },
            (None, None) => RuleState::Enabled,
        };
        Some(EventRule {
            name: format!("{function}.{}", event.key),
            loc: Loc {
                file: self.file,
                span: event.key_span,
            },
            dialect,
            state,
            bus: self.bus(get("EventBusName")),
            pattern: self.pattern(get("Pattern")),
            region: self.region.clone(),
            suppressed: Vec::new(),
        })
    }

    fn trail(&self, id: &str, loc: Loc, properties: Option<&Node<'_>>, dialect: Dialect) -> Trail {
        let get = |key: &str| self.prop(properties, key);
        let is_logging = get("IsLogging");
        let selectors = match (get("EventSelectors"), get("AdvancedEventSelectors")) {
            (None, None) => Selectors::Default,
            (Some(basic), None) => self.basic_selectors(basic),
            (None, Some(advanced)) => self.advanced_selectors(advanced),
            // CloudTrail rejects a trail with both; what it would log is not decided here.
            (Some(_), Some(_)) => Selectors::Unknown,
        };
        Trail {
            name: id.to_owned(),
            loc,
            dialect,
            is_logging: is_logging.and_then(|node| self.boolean(node)),
            is_logging_span: is_logging.map(|node| node.span),
            selectors,
            mixed_selectors: get("EventSelectors")
                .and(get("AdvancedEventSelectors"))
                .map(|n| n.span),
            region: self.region.clone(),
            created: Some(true),
            multi_region: get("IsMultiRegionTrail").map_or(Some(false), |node| self.boolean(node)),
            include_global: get("IncludeGlobalServiceEvents")
                .map_or(Some(true), |node| self.boolean(node)),
            insight_types: match get("InsightSelectors") {
                None => Some(Vec::new()),
                Some(node) => node.as_seq().and_then(|items| {
                    items
                        .iter()
                        .map(|item| {
                            let kind = item.get("InsightType")?;
                            self.text(kind, 0).as_lit().map(str::to_owned)
                        })
                        .collect()
                }),
            },
        }
    }

    fn basic_selectors(&self, node: &Node<'_>) -> Selectors {
        let Some(items) = node.as_seq() else {
            return Selectors::Unknown;
        };
        if items.is_empty() {
            return Selectors::Default;
        }
        let mut selectors = Vec::with_capacity(items.len());
        for item in items {
            if item.as_map().is_none() || self.resolve(item).is_some() {
                return Selectors::Unknown;
            }
            let read_write = item.get("ReadWriteType");
            let include = item.get("IncludeManagementEvents");
            let mut data_resources = Vec::new();
            match item.get("DataResources") {
                None => {}
                Some(resources) => {
                    let Some(resources) = resources.as_seq() else {
                        return Selectors::Unknown;
                    };
                    for resource in resources {
                        let values = resource
                            .get("Values")
                            .map_or_else(Vec::new, |values| self.texts(values));
                        data_resources.push(DataResource {
                            span: resource.span,
                            resource_type: resource
                                .get("Type")
                                .and_then(|t| self.text(t, 0).as_lit().map(str::to_owned)),
                            value_spans: super::element_spans(resource.get("Values"), values.len()),
                            values,
                        });
                    }
                }
            }
            selectors.push(BasicSelector {
                span: item.span,
                read_write: match read_write {
                    None => Some(ReadWrite::All),
                    Some(node) => self.text(node, 0).as_lit().and_then(ReadWrite::parse),
                },
                read_write_span: read_write.map(|n| n.span),
                include_management: include.map_or(Some(true), |node| self.boolean(node)),
                include_management_span: include.map(|n| n.span),
                exclude_sources: item
                    .get("ExcludeManagementEventSources")
                    .map_or_else(Vec::new, |n| self.texts(n)),
                exclude_sources_span: item.get("ExcludeManagementEventSources").map(|n| n.span),
                data_resources,
            });
        }
        Selectors::Basic(selectors)
    }

    fn advanced_selectors(&self, node: &Node<'_>) -> Selectors {
        let Some(items) = node.as_seq() else {
            return Selectors::Unknown;
        };
        let mut selectors = Vec::with_capacity(items.len());
        for item in items {
            let Some(fields) = item.get("FieldSelectors").and_then(Node::as_seq) else {
                return Selectors::Unknown;
            };
            let mut out = Vec::with_capacity(fields.len());
            for field in fields {
                let Some(name) = field
                    .get("Field")
                    .and_then(|f| self.text(f, 0).as_lit().map(str::to_owned))
                else {
                    return Selectors::Unknown;
                };
                let values = |key: &str| field.get(key).map_or_else(Vec::new, |n| self.texts(n));
                out.push(FieldSelector {
                    span: field.span,
                    field: name,
                    equals_spans: super::element_spans(field.get("Equals"), values("Equals").len()),
                    equals: values("Equals"),
                    starts_with: values("StartsWith"),
                    ends_with: values("EndsWith"),
                    not_equals: values("NotEquals"),
                    not_starts_with: values("NotStartsWith"),
                    not_ends_with: values("NotEndsWith"),
                });
            }
            selectors.push(AdvancedSelector {
                span: item.span,
                name: item.get("Name").and_then(Node::as_str).map(str::to_owned),
                fields: out,
            });
        }
        Selectors::Advanced(selectors)
    }

    /// Whether a `NotificationConfiguration` sends the bucket's events to EventBridge. CDK
    /// writes an empty `EventBridgeConfiguration: {}`, and `EventBridgeEnabled` defaults to
    /// true in the resource schema.
    fn eventbridge_enabled(&self, config: &Node<'_>) -> Option<bool> {
        if self.resolve(config).is_some() {
            return None;
        }
        match config.get("EventBridgeConfiguration") {
            None => Some(false),
            Some(eventbridge) if self.resolve(eventbridge).is_some() => None,
            Some(eventbridge) => match eventbridge.get("EventBridgeEnabled") {
                None => Some(true),
                Some(enabled) => self.boolean(enabled),
            },
        }
    }

    fn boolean(&self, node: &Node<'_>) -> Option<bool> {
        node.as_bool()
            .or_else(|| match self.text(node, 0).as_lit()? {
                text if text.eq_ignore_ascii_case("true") => Some(true),
                text if text.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            })
    }

    /// A list of strings; an element or a whole list that cannot be decided is unknown.
    fn texts(&self, node: &Node<'_>) -> Vec<Text> {
        match self.list(node, 0) {
            Some(items) => items,
            None => vec![Text::unknown()],
        }
    }

    /// A list value: a sequence, or an intrinsic that yields one.
    fn list(&self, node: &Node<'_>, depth: u8) -> Option<Vec<Text>> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        match &node.value {
            Value::Seq(items) => Some(
                items
                    .iter()
                    .map(|item| self.text(item, depth + 1))
                    .collect(),
            ),
            _ => {
                let entry = node.single_entry()?;
                let args = entry.value.as_seq();
                match (entry.key.as_ref(), args) {
                    ("Fn::If", _) => match self.pick(node) {
                        Some(chosen) if !std::ptr::eq(chosen, node) => self.list(chosen, depth + 1),
                        _ => None,
                    },
                    ("Fn::FindInMap", _) => self
                        .find_in_map(&entry.value, depth)
                        .and_then(|value| self.list(value, depth + 1)),
                    ("Fn::Split", Some([delimiter, source])) => {
                        let delimiter = self.text(delimiter, depth + 1);
                        let source = self.text(source, depth + 1);
                        match (delimiter.as_lit(), source.as_lit()) {
                            (Some(d), Some(s)) if !d.is_empty() => {
                                Some(s.split(d).map(Text::lit).collect())
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                }
            }
        }
    }

    /// The string a node stands for.
    fn text(&self, node: &Node<'_>, depth: u8) -> Text {
        if depth > MAX_EVAL_DEPTH {
            return Text::unknown();
        }
        match &node.value {
            Value::String(text) | Value::Number(text) => Text::lit(text.as_ref()),
            Value::Bool(b) => Text::lit(if *b { "true" } else { "false" }),
            Value::Null | Value::Seq(_) => Text::unknown(),
            Value::Map(_) => {
                let Some(entry) = node.single_entry() else {
                    return Text::unknown();
                };
                let arg = &entry.value;
                match entry.key.as_ref() {
                    "Ref" => arg
                        .as_str()
                        .map_or_else(Text::unknown, |name| self.reference(name, depth + 1)),
                    "Fn::GetAtt" => match get_att_args(arg) {
                        Some((resource, attribute)) => {
                            self.attribute(&resource, &attribute, depth + 1)
                        }
                        None => Text::unknown(),
                    },
                    "Fn::Sub" => self.sub(arg, depth + 1),
                    "Fn::If" => match self.pick(node) {
                        Some(chosen) if !std::ptr::eq(chosen, node) => self.text(chosen, depth + 1),
                        _ => Text::unknown(),
                    },
                    "Fn::FindInMap" => self
                        .find_in_map(arg, depth)
                        .map_or_else(Text::unknown, |value| self.text(value, depth + 1)),
                    // Resolved against the `Outputs` other templates of the run export.
                    "Fn::ImportValue" => match self.text(arg, depth + 1).as_lit() {
                        Some(name) => self
                            .exports
                            .get(name)
                            .cloned()
                            .unwrap_or_else(Text::unknown),
                        None => Text::unknown(),
                    },
                    "Fn::Join" => match arg.as_seq() {
                        Some([delimiter, items]) => {
                            let delimiter = self.text(delimiter, depth + 1);
                            match self.list(items, depth + 1) {
                                Some(items) => {
                                    let mut out = Text::default();
                                    for (index, item) in items.iter().enumerate() {
                                        if index > 0 {
                                            out.append(&delimiter);
                                        }
                                        out.append(item);
                                    }
                                    out
                                }
                                None => Text::unknown(),
                            }
                        }
                        _ => Text::unknown(),
                    },
                    "Fn::Select" => match arg.as_seq() {
                        Some([index, items]) => {
                            let index = self.text(index, depth + 1);
                            let index = index.as_lit().and_then(|i| i.parse::<usize>().ok());
                            match (index, self.list(items, depth + 1)) {
                                (Some(i), Some(items)) => {
                                    items.get(i).cloned().unwrap_or_else(Text::unknown)
                                }
                                _ => Text::unknown(),
                            }
                        }
                        _ => Text::unknown(),
                    },
                    _ => Text::unknown(),
                }
            }
        }
    }

    /// `Ref name`: a pseudo parameter, a parameter, or a resource.
    fn reference(&self, name: &str, depth: u8) -> Text {
        match name {
            "AWS::Region" if self.region.is_some() => {
                Text::lit(self.region.as_deref().unwrap_or_default())
            }
            // One deployment shares its partition, region and account.
            _ if Pseudo::parse(name).is_some() => {
                Pseudo::parse(name).map_or_else(Text::unknown, Text::pseudo)
            }
            "AWS::StackName" | "AWS::StackId" => Text::sym(Symbol::Opaque(self.scoped(name))),
            _ if self.parameters.contains_key(name) => self.parameter(name),
            _ if self.resources.contains_key(name) => self.resource_name(name, depth),
            _ => Text::unknown(),
        }
    }

    /// A parameter: a value fixed at deployment, one of its `AllowedValues` when it lists them.
    /// Its `Default` is no fact: the deployment may pass another value.
    fn parameter(&self, name: &str) -> Text {
        let symbol = Symbol::Opaque(self.scoped(name));
        let allowed = self
            .parameters
            .get(name)
            .and_then(|p| p.get("AllowedValues"))
            .and_then(Node::as_seq)
            .and_then(|values| {
                values
                    .iter()
                    .map(|v| v.scalar_text().map(|t| t.into_owned()))
                    .collect::<Option<Vec<_>>>()
            });
        match allowed {
            Some(values) if !values.is_empty() => {
                let mut text = Text::default();
                text.push(Piece::Choice(symbol, values));
                text
            }
            _ => Text::sym(symbol),
        }
    }

    /// What `Ref` returns for a resource: its name, where the name is what `Ref` returns and is
    /// either written in the template or generated by CloudFormation.
    fn resource_name(&self, id: &str, depth: u8) -> Text {
        let Some(resource) = self.resources.get(id) else {
            return Text::unknown();
        };
        let name_property = match resource.get("Type").and_then(Node::as_str) {
            Some("AWS::S3::Bucket") => "BucketName",
            Some("AWS::CloudTrail::Trail") => "TrailName",
            Some("AWS::Events::EventBus") => "Name",
            Some("AWS::Lambda::Function" | "AWS::Serverless::Function") => "FunctionName",
            Some("AWS::DynamoDB::Table") => "TableName",
            _ => return Text::sym(Symbol::Opaque(self.scoped(&format!("Ref.{id}")))),
        };
        match resource.at(&["Properties", name_property]) {
            Some(name) => self.text(name, depth + 1),
            // An event bus always has a name; the others get a generated one.
            None if name_property == "Name" => Text::unknown(),
            None => Text::sym(Symbol::Generated(self.scoped(id))),
        }
    }

    /// `Fn::GetAtt resource.attribute`, for the ARNs the analysis compares.
    fn attribute(&self, id: &str, attribute: &str, depth: u8) -> Text {
        let Some(resource) = self.resources.get(id) else {
            return Text::unknown();
        };
        let arn = |form: ArnForm| form.of(&self.resource_name(id, depth));
        match (resource.get("Type").and_then(Node::as_str), attribute) {
            (Some("AWS::S3::Bucket"), "Arn") => arn(ArnForm::S3_BUCKET),
            (Some("AWS::Lambda::Function" | "AWS::Serverless::Function"), "Arn") => {
                arn(ArnForm::LAMBDA_FUNCTION)
            }
            (Some("AWS::DynamoDB::Table"), "Arn") => arn(ArnForm::DYNAMODB_TABLE),
            (Some("AWS::Events::EventBus"), "Arn") => arn(ArnForm::EVENT_BUS),
            (Some("AWS::Events::EventBus"), "Name") => self.resource_name(id, depth),
            _ => Text::sym(Symbol::Opaque(self.scoped(&format!("{id}.{attribute}")))),
        }
    }

    /// `Fn::Sub` in its string and `[string, variables]` forms.
    fn sub(&self, arg: &Node<'_>, depth: u8) -> Text {
        let (template, variables) = match &arg.value {
            Value::String(text) => (text.as_ref(), None),
            Value::Seq(items) => match items.as_slice() {
                [template, variables] => match template.as_str() {
                    Some(text) => (text, variables.as_map()),
                    None => return Text::unknown(),
                },
                _ => return Text::unknown(),
            },
            _ => return Text::unknown(),
        };
        let mut out = Text::default();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                // `${!Literal}` writes `${Literal}`.
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = after[..end].trim();
            let value = match variables.and_then(|vars| vars.iter().rev().find(|v| v.key == name)) {
                Some(variable) => self.text(&variable.value, depth + 1),
                None => match name.split_once('.') {
                    Some((resource, attribute)) if !name.starts_with("AWS::") => {
                        self.attribute(resource, attribute, depth + 1)
                    }
                    _ => self.reference(name, depth + 1),
                },
            };
            out.append(&value);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

impl Resolve for Template<'_, '_> {
    fn resolve(&self, node: &Node<'_>) -> Option<Resolved> {
        let entry = node.single_entry()?;
        let key = entry.key.as_ref();
        if key != "Ref" && !key.starts_with("Fn::") {
            return None;
        }
        Some(match key {
            "Fn::If" => match self.pick(node) {
                Some(chosen) if !std::ptr::eq(chosen, node) => match &chosen.value {
                    Value::Seq(_) => self
                        .list(chosen, 0)
                        .map_or(Resolved::Unknown, Resolved::List),
                    _ => self
                        .resolve(chosen)
                        .unwrap_or_else(|| Resolved::Text(self.text(chosen, 0))),
                },
                _ => Resolved::Unknown,
            },
            "Fn::Split" => self.list(node, 0).map_or(Resolved::Unknown, Resolved::List),
            "Ref" | "Fn::Sub" | "Fn::GetAtt" | "Fn::Join" | "Fn::Select" | "Fn::FindInMap"
            | "Fn::ImportValue" => Resolved::Text(self.text(node, 0)),
            _ => Resolved::Unknown,
        })
    }
}

/// `Metadata: {trailcheck: {ignore: [TC103, …], reason: …}}` on a rule or SAM function.
fn suppressions(resource: &Node<'_>) -> Vec<(String, crate::source::Span)> {
    let Some(ignore) = resource.at(&["Metadata", "trailcheck", "ignore"]) else {
        return Vec::new();
    };
    match &ignore.value {
        Value::Seq(items) => items
            .iter()
            .map(|item| {
                (
                    item.scalar_text().unwrap_or_default().into_owned(),
                    item.span,
                )
            })
            .collect(),
        _ => vec![(
            ignore.scalar_text().unwrap_or_default().into_owned(),
            ignore.span,
        )],
    }
}

/// A trail declared outside the templates (the config, the AWS CLI's output), from properties
/// in the vocabulary of `AWS::CloudTrail::Trail`; every part of it points at `loc`.
pub fn external_trail(
    loc: Loc,
    name: &str,
    properties: &Node<'_>,
    region: Option<String>,
) -> Trail {
    let root = Node::new(crate::source::Span::default(), Value::Map(Vec::new()));
    let exports = Exports::new();
    let template = Template::new(loc.file, &root, "", region, &exports);
    // The selectors a fix suggests for such a trail are the JSON the AWS CLI takes.
    let mut trail = template.trail(name, loc, Some(properties), Dialect::CfnJson);
    trail.relocate(loc.span);
    trail
}

fn to_rule_pattern(result: Result<pattern::Pattern, pattern::PatternError>) -> RulePattern {
    match result {
        Ok(pattern) => RulePattern::Valid(pattern),
        Err(error) => RulePattern::Invalid(error),
    }
}

/// `["Res", "Attr"]` or `"Res.Attr"`.
fn get_att_args(arg: &Node<'_>) -> Option<(String, String)> {
    match &arg.value {
        Value::String(text) => {
            let (resource, attribute) = text.split_once('.')?;
            Some((resource.to_owned(), attribute.to_owned()))
        }
        Value::Seq(items) => match items.as_slice() {
            [resource, attribute] => Some((
                resource.as_str()?.to_owned(),
                attribute.as_str()?.to_owned(),
            )),
            _ => None,
        },
        _ => None,
    }
}
