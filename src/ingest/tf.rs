//! Terraform plans and state (`terraform show -json`) → model.
//!
//! Reads the resources of `planned_values` (a plan) or `values` (a state) at every module
//! depth, by full address. Values Terraform does not know until apply are omitted from those
//! trees or `null` inside lists; `resource_changes[].change.after_unknown` says which, and such
//! values become unknown here, never empty. Terraform's own defaults apply to attributes that
//! are absent because they were not set (`enable_logging` defaults to true).

use std::collections::HashMap;

use super::{Contents, InputKind};
use crate::model::{
    AdvancedSelector, BasicSelector, Bucket, Bus, DataResource, Dialect, EventBus, EventRule,
    FieldSelector, Notification, ReadWrite, RulePattern, RuleState, Selectors, Target, Text, Trail,
};
use crate::parse::{Node, Value};
use crate::pattern;
use crate::source::{FileId, Loc};

pub(super) fn is_plan(root: &Node<'_>) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root.get("values").is_some())
}

pub(super) fn ingest(file: FileId, text: &str, root: &Node<'_>) -> Contents {
    let mut contents = Contents::new(InputKind::Plan);
    let unknowns = after_unknown_by_address(root);
    let regions = ProviderRegions::new(root);
    let module = root
        .at(&["planned_values", "root_module"])
        .or_else(|| root.at(&["values", "root_module"]));
    let mut modules: Vec<&Node<'_>> = module.into_iter().collect();
    while let Some(module) = modules.pop() {
        for resource in module
            .get("resources")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            if resource
                .get("mode")
                .and_then(Node::as_str)
                .is_some_and(|mode| mode != "managed")
            {
                continue;
            }
            let (Some(kind), Some(address), Some(values)) = (
                resource.get("type").and_then(Node::as_str),
                resource.get("address").and_then(Node::as_str),
                resource.get("values"),
            ) else {
                continue;
            };
            let attrs = Attributes {
                values,
                unknown: unknowns.get(address).copied(),
            };
            let loc = Loc {
                file,
                span: values.span,
            };
            match kind {
                "aws_cloudwatch_event_rule" => {
                    let mut rule = rule(text, address, loc, &attrs);
                    rule.region = regions.of(address, &attrs);
                    contents.rules.push(rule);
                }
                "aws_cloudtrail" => {
                    let mut trail = trail(address, loc, &attrs);
                    trail.region = regions.of(address, &attrs);
                    contents.trails.push(trail);
                }
                // Since provider 4.0 notifications live in `aws_s3_bucket_notification` only.
                "aws_s3_bucket" => contents.buckets.push(Bucket {
                    name: address.to_owned(),
                    loc,
                    dialect: Dialect::Terraform,
                    bucket_name: attrs.text("bucket"),
                    eventbridge: Some(false),
                }),
                "aws_s3_bucket_notification" => contents.notifications.push(Notification {
                    bucket: attrs.text("bucket"),
                    eventbridge: attrs.boolean("eventbridge", false),
                }),
                "aws_cloudwatch_event_bus" => contents.buses.push(EventBus {
                    name: attrs.text("name"),
                    has_policy: Some(false),
                }),
                "aws_cloudwatch_event_bus_policy" | "aws_cloudwatch_event_permission" => contents
                    .bus_policies
                    .push(match attrs.get("event_bus_name") {
                        None if !attrs.is_unknown("event_bus_name") => Text::lit("default"),
                        _ => attrs.text("event_bus_name"),
                    }),
                "aws_cloudwatch_event_target" => contents.targets.push(Target {
                    bus: if attrs.is_unknown("event_bus_name") {
                        Bus::Unknown
                    } else {
                        attrs
                            .get("event_bus_name")
                            .map_or(Bus::Default, |name| Bus::from_name(&node_text(name)))
                    },
                    arn: attrs.text("arn"),
                }),
                _ => {}
            }
        }
        // Children are pushed in reverse so resources come out in document order.
        let children = module
            .get("child_modules")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        modules.extend(children.iter().rev());
    }
    contents
}

/// The regions of resources: their own `region` (provider 6 and later), else the region of the
/// provider configuration they use, when the plan states it as a constant.
struct ProviderRegions {
    /// Region of each `aws` provider configuration key that has a constant one.
    by_key: HashMap<String, String>,
    /// Provider configuration key of each resource, by address without instance keys.
    keys: HashMap<String, String>,
    /// The region of the only `aws` provider configuration, when there is exactly one.
    only: Option<String>,
}

impl ProviderRegions {
    fn new(root: &Node<'_>) -> ProviderRegions {
        let configs = root
            .at(&["configuration", "provider_config"])
            .and_then(Node::as_map)
            .unwrap_or_default();
        let aws: Vec<(&str, Option<&str>)> = configs
            .iter()
            .filter(|e| e.value.get("name").and_then(Node::as_str) == Some("aws"))
            .map(|e| {
                let region = e
                    .value
                    .at(&["expressions", "region", "constant_value"])
                    .and_then(Node::as_str);
                (e.key.as_ref(), region)
            })
            .collect();
        let mut keys = HashMap::new();
        if let Some(module) = root.at(&["configuration", "root_module"]) {
            collect_provider_keys(module, "", &mut keys);
        }
        ProviderRegions {
            by_key: aws
                .iter()
                .filter_map(|(key, region)| Some(((*key).to_owned(), (*region)?.to_owned())))
                .collect(),
            keys,
            only: match aws.as_slice() {
                [(_, Some(region))] => Some((*region).to_owned()),
                _ => None,
            },
        }
    }

    fn of(&self, address: &str, attrs: &Attributes<'_, '_>) -> Option<String> {
        if attrs.is_unknown("region") {
            return None;
        }
        if let Some(region) = attrs.get("region").and_then(Node::as_str) {
            return Some(region.to_owned());
        }
        match self.keys.get(&without_instance_keys(address)) {
            // A key that names no configuration of its own (a provider passed into a module)
            // resolves only when the plan has a single AWS provider.
            Some(key) => self.by_key.get(key).cloned().or_else(|| self.only.clone()),
            None => self.only.clone(),
        }
    }
}

fn collect_provider_keys(module: &Node<'_>, prefix: &str, out: &mut HashMap<String, String>) {
    for resource in module
        .get("resources")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        if let (Some(address), Some(key)) = (
            resource.get("address").and_then(Node::as_str),
            resource.get("provider_config_key").and_then(Node::as_str),
        ) {
            out.insert(format!("{prefix}{address}"), key.to_owned());
        }
    }
    for call in module
        .get("module_calls")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(inner) = call.value.get("module") {
            collect_provider_keys(inner, &format!("{prefix}module.{}.", call.key), out);
        }
    }
}

/// `module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`.
fn without_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `after_unknown` of every resource change, by address.
fn after_unknown_by_address<'d, 'a>(root: &'d Node<'a>) -> HashMap<&'d str, &'d Node<'a>> {
    root.get("resource_changes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|change| {
            let address = change.get("address").and_then(Node::as_str)?;
            let unknown = change.at(&["change", "after_unknown"])?;
            Some((address, unknown))
        })
        .collect()
}

/// A resource's values with what is unknown about them.
struct Attributes<'d, 'a> {
    values: &'d Node<'a>,
    unknown: Option<&'d Node<'a>>,
}

impl Attributes<'_, '_> {
    /// Whether Terraform marks the attribute (or anything inside it) unknown until apply.
    fn is_unknown(&self, key: &str) -> bool {
        self.unknown
            .and_then(|u| u.get(key))
            .is_some_and(contains_true)
    }

    /// A set attribute. Null, and the empty string that state read back from older providers
    /// holds for unset optional strings, are unset.
    fn get(&self, key: &str) -> Option<&Node<'_>> {
        self.values
            .get(key)
            .filter(|node| !node.is_null() && node.as_str() != Some(""))
    }

    fn text(&self, key: &str) -> Text {
        match self.get(key) {
            Some(node) if !self.is_unknown(key) => node_text(node),
            _ => Text::unknown(),
        }
    }

    /// A boolean with Terraform's default when unset; `None` when unknown.
    fn boolean(&self, key: &str, default: bool) -> Option<bool> {
        if self.is_unknown(key) {
            return None;
        }
        match self.values.get(key) {
            None => Some(default),
            Some(node) if node.is_null() => Some(default),
            Some(node) => node.as_bool(),
        }
    }
}

fn contains_true(node: &Node<'_>) -> bool {
    match &node.value {
        Value::Bool(b) => *b,
        Value::Seq(items) => items.iter().any(contains_true),
        Value::Map(entries) => entries.iter().any(|e| contains_true(&e.value)),
        _ => false,
    }
}

fn node_text(node: &Node<'_>) -> Text {
    node.scalar_text()
        .map_or_else(Text::unknown, |text| Text::lit(text.as_ref()))
}

fn texts(node: Option<&Node<'_>>) -> Vec<Text> {
    match node.map(|n| &n.value) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Seq(items)) => items.iter().map(node_text).collect(),
        Some(_) => vec![Text::unknown()],
    }
}

fn rule(text: &str, address: &str, loc: Loc, attrs: &Attributes<'_, '_>) -> EventRule {
    let pattern = match attrs.get("event_pattern") {
        _ if attrs.is_unknown("event_pattern") => RulePattern::Unknown,
        Some(node) => match node.as_str() {
            Some(pattern) => match pattern::parse_pattern_text(pattern, node.span, text) {
                Ok(pattern) => RulePattern::Valid(pattern),
                Err(error) => RulePattern::Invalid(error),
            },
            None => RulePattern::Unknown,
        },
        None if attrs.get("schedule_expression").is_some() => RulePattern::None,
        None => RulePattern::Unknown,
    };
    let state = if attrs.is_unknown("state") {
        RuleState::Unknown
    } else {
        match (
            attrs.get("state").and_then(Node::as_str),
            attrs.boolean("is_enabled", true),
        ) {
            (Some(state), _) => RuleState::parse(state),
            (None, Some(true)) => RuleState::Enabled,
            (None, Some(false)) => RuleState::Disabled,
            (None, None) => RuleState::Unknown,
        }
    };
    let bus = if attrs.is_unknown("event_bus_name") {
        Bus::Unknown
    } else {
        match attrs.get("event_bus_name") {
            None => Bus::Default,
            Some(name) => Bus::from_name(&node_text(name)),
        }
    };
    EventRule {
        name: address.to_owned(),
        loc: match attrs.get("event_pattern") {
            Some(node) => Loc {
                file: loc.file,
                span: node.span,
            },
            None => loc,
        },
        dialect: Dialect::Terraform,
        state,
        bus,
        pattern,
        region: None,
        suppressed: Vec::new(),
    }
}

fn trail(address: &str, loc: Loc, attrs: &Attributes<'_, '_>) -> Trail {
    let basic = attrs.values.get("event_selector");
    let advanced = attrs.values.get("advanced_event_selector");
    let present = |node: Option<&Node<'_>>| {
        node.and_then(Node::as_seq)
            .is_some_and(|items| !items.is_empty())
    };
    let selectors =
        if attrs.is_unknown("event_selector") || attrs.is_unknown("advanced_event_selector") {
            Selectors::Unknown
        } else {
            match (present(basic), present(advanced)) {
                (false, false) if basic.is_none() && advanced.is_none() => Selectors::Unknown,
                (false, false) => Selectors::Default,
                (true, false) => basic_selectors(basic.and_then(Node::as_seq).unwrap_or_default()),
                (false, true) => {
                    advanced_selectors(advanced.and_then(Node::as_seq).unwrap_or_default())
                }
                (true, true) => Selectors::Unknown,
            }
        };
    Trail {
        name: address.to_owned(),
        loc,
        dialect: Dialect::Terraform,
        is_logging: attrs.boolean("enable_logging", true),
        region: None,
        created: Some(true),
        multi_region: attrs.boolean("is_multi_region_trail", false),
        include_global: attrs.boolean("include_global_service_events", true),
        is_logging_span: attrs.values.get("enable_logging").map(|n| n.span),
        selectors,
        mixed_selectors: (present(basic) && present(advanced))
            .then(|| advanced.map(|n| n.span))
            .flatten(),
        insight_types: if attrs.is_unknown("insight_selector") {
            None
        } else {
            match attrs.values.get("insight_selector").map(|n| &n.value) {
                None | Some(Value::Null) => Some(Vec::new()),
                Some(Value::Seq(items)) => items
                    .iter()
                    .map(|item| {
                        item.get("insight_type")
                            .and_then(Node::as_str)
                            .map(str::to_owned)
                    })
                    .collect(),
                Some(_) => None,
            }
        },
    }
}

fn basic_selectors(items: &[Node<'_>]) -> Selectors {
    let selectors = items
        .iter()
        .map(|item| {
            let read_write = item.get("read_write_type").filter(|n| !n.is_null());
            let include = item
                .get("include_management_events")
                .filter(|n| !n.is_null());
            BasicSelector {
                span: item.span,
                read_write: match read_write {
                    None => Some(ReadWrite::All),
                    Some(node) => node.as_str().and_then(ReadWrite::parse),
                },
                read_write_span: read_write.map(|n| n.span),
                include_management: include.map_or(Some(true), Node::as_bool),
                include_management_span: include.map(|n| n.span),
                exclude_sources: texts(item.get("exclude_management_event_sources")),
                exclude_sources_span: item
                    .get("exclude_management_event_sources")
                    .filter(|n| n.as_seq().is_some_and(|items| !items.is_empty()))
                    .map(|n| n.span),
                data_resources: item
                    .get("data_resource")
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .map(data_resource)
                    .collect(),
            }
        })
        .collect();
    Selectors::Basic(selectors)
}

fn data_resource(resource: &Node<'_>) -> DataResource {
    // Values unknown until apply are null elements; a wholly unknown list is absent.
    let written = resource.get("values").filter(|values| !values.is_null());
    let values = match written {
        Some(values) => texts(Some(values)),
        None => vec![Text::unknown()],
    };
    DataResource {
        span: resource.span,
        resource_type: resource
            .get("type")
            .and_then(Node::as_str)
            .map(str::to_owned),
        value_spans: super::element_spans(written.or(Some(resource)), values.len()),
        values,
    }
}

fn advanced_selectors(items: &[Node<'_>]) -> Selectors {
    let mut selectors = Vec::with_capacity(items.len());
    for item in items {
        let mut fields = Vec::new();
        for field in item
            .get("field_selector")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let Some(name) = field.get("field").and_then(Node::as_str) else {
                return Selectors::Unknown;
            };
            let values = |key: &str| texts(field.get(key));
            fields.push(FieldSelector {
                span: field.span,
                field: name.to_owned(),
                equals_spans: super::element_spans(field.get("equals"), values("equals").len()),
                equals: values("equals"),
                starts_with: values("starts_with"),
                ends_with: values("ends_with"),
                not_equals: values("not_equals"),
                not_starts_with: values("not_starts_with"),
                not_ends_with: values("not_ends_with"),
            });
        }
        selectors.push(AdvancedSelector {
            span: item.span,
            name: item.get("name").and_then(Node::as_str).map(str::to_owned),
            fields,
        });
    }
    Selectors::Advanced(selectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_keys_are_dropped_from_addresses() {
        assert_eq!(
            without_instance_keys("aws_s3_bucket.b[0]"),
            "aws_s3_bucket.b"
        );
        assert_eq!(
            without_instance_keys("module.a[\"eu[1]\"].aws_cloudtrail.this[\"x\"]"),
            "module.a.aws_cloudtrail.this"
        );
        assert_eq!(
            without_instance_keys("aws_cloudtrail.t"),
            "aws_cloudtrail.t"
        );
    }
}
