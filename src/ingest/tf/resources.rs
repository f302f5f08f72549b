//! One handler per Terraform resource type: the table of what is read, and how each type's
//! attributes become model items. Plans and `.tf` configuration feed the same handlers the
//! same attribute trees ([`Attr`]); the plan parser prunes the values of every type not in
//! [`HANDLERS`].
//!
//! Terraform's own defaults apply to attributes that are absent because they were not set
//! (`enable_logging` defaults to true); an unknown value stays unknown.

use super::attributes::{Attr, AttrValue};
use super::targets;
use crate::model::{
    AdvancedSelector, BasicSelector, Bucket, Bus, DataResource, Dialect, EventBus, EventRule,
    FieldSelector, Items, Notification, ReadWrite, RulePattern, RuleState, Selectors, Trail,
};
use crate::parse::Prune;
use crate::pattern;
use crate::source::Loc;
use crate::value::{Pseudo, Text};

/// One resource to read, whatever Terraform input it came from.
pub(super) struct Resource<'a> {
    /// Its full address: `module.audit.aws_cloudtrail.this[0]`.
    pub address: &'a str,
    /// Where it is written: its `values` in a plan.
    pub loc: Loc,
    pub attrs: &'a Attr,
    /// The region it is deployed in, when known.
    pub region: Option<String>,
    /// The text of its file, for positions inside `event_pattern`'s JSON.
    pub text: &'a str,
}

/// How a resource type becomes model items.
pub(super) struct Handler {
    pub kind: &'static str,
    /// The attributes `read` reads: a plan's other values are never built.
    pub values: Prune,
    /// The same of a resource change: what its `after_unknown` says of those attributes.
    pub change: Prune,
    pub read: fn(&Resource<'_>, &mut Items),
}

/// A handler of `kind` that reads the attributes `fields` with `read`: a plan keeps those
/// attributes of its `values`, and what its `after_unknown` says of them, and nothing else.
macro_rules! handler {
    ($kind:literal, [$($field:literal),* $(,)?], $read:expr) => {
        Handler {
            kind: $kind,
            values: Prune::Fields(&[$($field),*]),
            change: Prune::Only(&[("after_unknown", &Prune::Fields(&[$($field),*]))]),
            read: $read,
        }
    };
}

/// Every resource type read, and its handler.
pub(super) static HANDLERS: &[Handler] = &[
    handler!(
        "aws_cloudwatch_event_rule",
        [
            "name",
            "event_pattern",
            "schedule_expression",
            "state",
            "is_enabled",
            "event_bus_name",
            "arn",
            "region"
        ],
        rule
    ),
    handler!(
        "aws_cloudtrail",
        [
            "event_selector",
            "advanced_event_selector",
            "enable_logging",
            "is_multi_region_trail",
            "include_global_service_events",
            "insight_selector",
            "region"
        ],
        trail
    ),
    handler!("aws_s3_bucket", ["bucket", "region"], bucket),
    handler!(
        "aws_s3_bucket_notification",
        ["bucket", "eventbridge", "region"],
        bucket_notification
    ),
    handler!("aws_cloudwatch_event_bus", ["name", "region"], bus),
    handler!(
        "aws_cloudwatch_event_bus_policy",
        ["event_bus_name", "region"],
        bus_policy
    ),
    handler!(
        "aws_cloudwatch_event_permission",
        ["event_bus_name", "region"],
        bus_policy
    ),
    handler!(
        "aws_cloudwatch_event_target",
        [
            "rule",
            "event_bus_name",
            "arn",
            "target_id",
            "role_arn",
            "dead_letter_config",
            "sqs_target",
            "input",
            "input_path",
            "input_transformer",
            "ecs_target",
            "region"
        ],
        targets::target
    ),
    handler!(
        "aws_lambda_function",
        ["function_name", "arn", "region"],
        targets::function
    ),
    handler!(
        "aws_lambda_alias",
        ["name", "function_name", "arn", "region"],
        targets::function
    ),
    handler!(
        "aws_lambda_permission",
        [
            "function_name",
            "qualifier",
            "action",
            "principal",
            "source_arn",
            "source_account",
            "principal_org_id",
            "event_source_token",
            "region"
        ],
        targets::permission
    ),
    handler!(
        "aws_sns_topic",
        [
            "name",
            "arn",
            "kms_master_key_id",
            "fifo_topic",
            "content_based_deduplication",
            "policy",
            "region"
        ],
        targets::topic
    ),
    handler!(
        "aws_sqs_queue",
        [
            "name",
            "arn",
            "url",
            "kms_master_key_id",
            "fifo_queue",
            "content_based_deduplication",
            "policy",
            "region"
        ],
        targets::queue
    ),
    handler!(
        "aws_sns_topic_policy",
        ["arn", "policy", "region"],
        targets::resource_policy
    ),
    handler!(
        "aws_sqs_queue_policy",
        ["queue_url", "policy", "region"],
        targets::resource_policy
    ),
    handler!(
        "aws_kms_key",
        ["id", "key_id", "arn", "policy", "region"],
        targets::key
    ),
    handler!(
        "aws_kms_alias",
        ["name", "target_key_id", "region"],
        targets::key_extra
    ),
    handler!(
        "aws_kms_key_policy",
        ["key_id", "policy", "region"],
        targets::key_extra
    ),
    handler!("aws_kms_grant", ["key_id", "region"], targets::key_extra),
    handler!(
        "aws_iam_role",
        [
            "name",
            "path",
            "arn",
            "assume_role_policy",
            "inline_policy",
            "managed_policy_arns"
        ],
        targets::role
    ),
    handler!(
        "aws_iam_role_policy",
        ["role", "policy"],
        targets::role_policy
    ),
    handler!(
        "aws_iam_policy",
        ["name", "path", "arn", "policy"],
        targets::role_policy
    ),
    handler!(
        "aws_iam_role_policy_attachment",
        ["role", "policy_arn"],
        targets::attachment
    ),
    handler!(
        "aws_iam_policy_attachment",
        ["roles", "policy_arn"],
        targets::attachment
    ),
    // Named by targets and policies: nothing of them is an item, but a plan's references to
    // their ARN are resolved from their names.
    handler!("aws_sfn_state_machine", ["name", "arn", "region"], named),
    handler!("aws_kinesis_stream", ["name", "arn", "region"], named),
    handler!("aws_cloudwatch_log_group", ["name", "arn", "region"], named),
];

/// A resource read only for what Terraform derives from its name.
fn named(_: &Resource<'_>, _: &mut Items) {}

/// The handler of a resource type, when it is read.
pub(super) fn handler(kind: &str) -> Option<&'static Handler> {
    HANDLERS.iter().find(|handler| handler.kind == kind)
}

/// What of a resource's values the plan parser builds: the attributes its handler reads,
/// none of a type that is not read.
pub(super) fn values_read(kind: &str) -> &'static Prune {
    handler(kind).map_or(&Prune::Skip, |handler| &handler.values)
}

/// What of a resource change the plan parser builds: what `after_unknown` says of the
/// attributes its handler reads, nothing of a type that is not read.
pub(super) fn change_read(kind: &str) -> &'static Prune {
    handler(kind).map_or(&Prune::Skip, |handler| &handler.change)
}

fn rule(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let written = attrs.get("event_pattern");
    let pattern = match written {
        Some(node) => {
            let parsed = match &node.value {
                AttrValue::String(text) => {
                    let source = resource.text.get(node.span.range());
                    // A template's text is placed by the template's own JSON: the text it
                    // gives differs wherever it interpolates.
                    let templated = source.is_some_and(|s| s.contains("${") || s.contains("%{"));
                    match text.as_lit() {
                        Some(pattern) if !templated => Some(pattern::parse_pattern_text(
                            pattern,
                            node.span,
                            resource.text,
                        )),
                        _ => pattern::parse_pattern_pieces(text, node.span, source),
                    }
                }
                AttrValue::Encoded(inner) => {
                    let mut holes = pattern::Holes::default();
                    let node = inner.to_node(&mut holes);
                    holes.pattern(&node)
                }
                _ => None,
            };
            match parsed {
                Some(Ok(pattern)) => RulePattern::Valid(pattern),
                Some(Err(error)) => RulePattern::Invalid(error),
                None => RulePattern::Unknown,
            }
        }
        None if attrs.get("schedule_expression").is_some() => RulePattern::None,
        None => RulePattern::Unknown,
    };
    // A `state` that is not a literal (a variable without a value) may be `DISABLED`.
    let state = if attrs.is_unknown("state")
        || attrs
            .get("state")
            .is_some_and(|state| state.as_str().is_none())
    {
        RuleState::Unknown
    } else {
        match (
            attrs.get("state").and_then(Attr::as_str),
            attrs.boolean("is_enabled", true),
        ) {
            (Some(state), _) => RuleState::parse(state),
            (None, Some(true)) => RuleState::Enabled,
            (None, Some(false)) => RuleState::Disabled,
            (None, None) => RuleState::Unknown,
        }
    };
    let aws_name = attrs.text_of("name");
    let bus = bus_of(attrs);
    let arn = match attrs.field("arn") {
        Some(arn) => arn.text(),
        None => bus.rule_arn(
            &aws_name,
            targets::partition_text(resource.region.as_deref()),
            resource
                .region
                .as_deref()
                .map_or_else(|| Text::pseudo(Pseudo::Region), Text::lit),
        ),
    };
    items.rules.push(EventRule {
        name: resource.address.to_owned(),
        // `name_prefix` or neither: a name generated at apply.
        aws_name,
        arn,
        loc: match written {
            Some(node) => Loc {
                file: resource.loc.file,
                span: node.span,
            },
            None => resource.loc,
        },
        dialect: Dialect::Terraform,
        state,
        bus,
        pattern,
        region: resource.region.clone(),
        suppressed: Vec::new(),
        unexplained: None,
    });
}

/// The bus named by `event_bus_name`: the default bus when unset.
pub(super) fn bus_of(attrs: &Attr) -> Bus {
    if attrs.is_unknown("event_bus_name") {
        return Bus::Unknown;
    }
    attrs
        .get("event_bus_name")
        .map_or(Bus::Default, |name| Bus::from_name(&name.text()))
}

fn trail(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let basic = attrs.field("event_selector");
    let advanced = attrs.field("advanced_event_selector");
    let present = |attr: Option<&Attr>| {
        attr.and_then(Attr::as_list)
            .is_some_and(|items| !items.is_empty())
    };
    let selectors =
        if attrs.is_unknown("event_selector") || attrs.is_unknown("advanced_event_selector") {
            Selectors::Unknown
        } else {
            match (present(basic), present(advanced)) {
                // A plan or state that records only one of the two attributes (a provider
                // older than advanced selectors) cannot show the selectors of the other.
                (false, false) if basic.is_none() || advanced.is_none() => Selectors::Unknown,
                (false, false) => Selectors::Default,
                (true, false) => basic_selectors(basic.and_then(Attr::as_list).unwrap_or_default()),
                (false, true) => {
                    advanced_selectors(advanced.and_then(Attr::as_list).unwrap_or_default())
                }
                (true, true) => Selectors::Unknown,
            }
        };
    items.trails.push(Trail {
        name: resource.address.to_owned(),
        loc: resource.loc,
        dialect: Dialect::Terraform,
        is_logging: attrs.boolean("enable_logging", true),
        region: resource.region.clone(),
        created: Some(true),
        multi_region: attrs.boolean("is_multi_region_trail", false),
        include_global: attrs.boolean("include_global_service_events", true),
        is_logging_span: attrs.field("enable_logging").map(|n| n.span),
        selectors,
        mixed_selectors: (present(basic) && present(advanced))
            .then(|| advanced.map(|n| n.span))
            .flatten(),
        insight_types: if attrs.is_unknown("insight_selector") {
            None
        } else {
            match attrs.field("insight_selector").map(|n| &n.value) {
                None | Some(AttrValue::Null) => Some(Vec::new()),
                Some(AttrValue::List(items)) => items
                    .iter()
                    .map(|item| {
                        item.field("insight_type")
                            .and_then(Attr::as_str)
                            .map(str::to_owned)
                    })
                    .collect(),
                Some(_) => None,
            }
        },
    });
}

fn basic_selectors(items: &[Attr]) -> Selectors {
    let selectors = items
        .iter()
        .map(|item| {
            let read_write = item.field("read_write_type").filter(|n| !n.is_null());
            let include = item
                .field("include_management_events")
                .filter(|n| !n.is_null());
            let exclude = item.get("exclude_management_event_sources");
            BasicSelector {
                span: item.span,
                read_write: match read_write {
                    None => Some(ReadWrite::All),
                    Some(attr) => attr.as_str().and_then(ReadWrite::parse),
                },
                read_write_span: read_write.map(|n| n.span),
                include_management: item.boolean("include_management_events", true),
                include_management_span: include.map(|n| n.span),
                exclude_sources: Attr::texts(item.field("exclude_management_event_sources")),
                exclude_sources_span: exclude
                    .filter(|n| n.as_list().is_some_and(|items| !items.is_empty()))
                    .map(|n| n.span),
                data_resources: item
                    .get("data_resource")
                    .and_then(Attr::as_list)
                    .unwrap_or_default()
                    .iter()
                    .map(data_resource)
                    .collect(),
            }
        })
        .collect();
    Selectors::Basic(selectors)
}

fn data_resource(resource: &Attr) -> DataResource {
    // Values unknown until apply are unknown elements; a wholly unknown list is unknown.
    let written = resource.get("values");
    let values = match written {
        Some(values) => Attr::texts(Some(values)),
        None => vec![Text::unknown()],
    };
    DataResource {
        span: resource.span,
        resource_type: resource
            .field("type")
            .and_then(Attr::as_str)
            .map(str::to_owned),
        value_spans: written.unwrap_or(resource).element_spans(values.len()),
        values,
    }
}

fn advanced_selectors(items: &[Attr]) -> Selectors {
    let mut selectors = Vec::with_capacity(items.len());
    for item in items {
        let mut fields = Vec::new();
        for field in item
            .get("field_selector")
            .and_then(Attr::as_list)
            .unwrap_or_default()
        {
            let Some(name) = field.field("field").and_then(Attr::as_str) else {
                return Selectors::Unknown;
            };
            let values = |key: &str| Attr::texts(field.field(key));
            let equals = values("equals");
            fields.push(FieldSelector {
                span: field.span,
                field: name.to_owned(),
                equals_spans: field
                    .get("equals")
                    .map_or_else(Vec::new, |attr| attr.element_spans(equals.len())),
                equals,
                starts_with: values("starts_with"),
                ends_with: values("ends_with"),
                not_equals: values("not_equals"),
                not_starts_with: values("not_starts_with"),
                not_ends_with: values("not_ends_with"),
            });
        }
        selectors.push(AdvancedSelector {
            span: item.span,
            name: item.field("name").and_then(Attr::as_str).map(str::to_owned),
            fields,
        });
    }
    Selectors::Advanced(selectors)
}

/// Since provider 4.0 a bucket's notifications live in `aws_s3_bucket_notification` only.
fn bucket(resource: &Resource<'_>, items: &mut Items) {
    items.buckets.push(Bucket {
        name: resource.address.to_owned(),
        loc: resource.loc,
        dialect: Dialect::Terraform,
        bucket_name: resource.attrs.text_of("bucket"),
        eventbridge: Some(false),
    });
}

fn bucket_notification(resource: &Resource<'_>, items: &mut Items) {
    items.notifications.push(Notification {
        bucket: resource.attrs.text_of("bucket"),
        eventbridge: resource.attrs.boolean("eventbridge", false),
        declared: Some((resource.address.to_owned(), resource.loc)),
    });
}

fn bus(resource: &Resource<'_>, items: &mut Items) {
    items.buses.push(EventBus {
        name: resource.attrs.text_of("name"),
        has_policy: Some(false),
    });
}

/// A bus policy or permission opens the bus it names (the default bus when it names none).
fn bus_policy(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    // Unset (or null, or empty) is the default bus; an unknown value is an unknown bus.
    items.bus_policies.push(match attrs.get("event_bus_name") {
        None => Text::lit("default"),
        Some(name) => name.text(),
    });
}
