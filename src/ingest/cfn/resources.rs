//! One entry per CloudFormation resource type trailcheck knows: what `Ref` and `Fn::GetAtt`
//! return for it, and how a resource of the type becomes model items. Adding a type is adding
//! its entry in [`KINDS`] (and its reader below).

use super::targets;
use super::template::Template;
use crate::catalog::ArnForm;
use crate::model::{
    AdvancedSelector, BasicSelector, Bucket, Bus, DataResource, Dialect, EventBus, EventRule,
    FieldSelector, Implied, Inputs, Items, Notification, ReadWrite, RulePattern, RuleRef,
    RuleState, Selectors, Setting, Target, Trail,
};
use crate::parse::{Entry, Node, Value};
use crate::pattern::{self, Resolve};
use crate::source::{Loc, Span};
use crate::value::Text;

/// What trailcheck knows of a resource type.
pub(super) struct Kind {
    pub types: &'static [&'static str],
    /// The name `Ref` returns, when that is the resource's name.
    pub name: Option<Name>,
    /// What `Ref` returns, when it is not the name.
    pub refers: Option<Attribute>,
    /// What `Fn::GetAtt` returns for the attributes the analysis compares.
    pub attributes: &'static [(&'static str, Attribute)],
    /// Reads a resource of the type into model items.
    pub read: Option<Read>,
}

/// Where a resource's name is written.
pub(super) enum Name {
    /// In this property; CloudFormation generates one when it is absent.
    Generated(&'static str),
    /// In this property, which the type requires.
    Required(&'static str),
}

impl Name {
    pub fn property(&self) -> &'static str {
        match self {
            Name::Generated(property) | Name::Required(property) => property,
        }
    }
}

pub(super) enum Attribute {
    /// The resource's ARN, built around its name.
    Arn(ArnForm),
    /// The resource's name.
    Name,
    /// Built from the resource's properties.
    Built(Build),
}

/// Builds a value of the resource `id` (its node given) in a template.
pub(super) type Build = fn(&Template<'_, '_>, &str, &Node<'_>, u8) -> Text;

/// Reads one resource.
pub(super) type Read = fn(&Template<'_, '_>, &Resource<'_, '_>, &mut Items);

/// One resource of a template, as a reader sees it.
pub(super) struct Resource<'r, 'a> {
    /// Its logical ID.
    pub id: &'r str,
    /// The whole resource (`Type`, `Properties`, `Metadata`, …).
    pub node: &'r Node<'a>,
    /// Its properties, with decidable conditions taken.
    pub properties: Option<&'r Node<'a>>,
    /// Where its logical ID is written.
    pub loc: Loc,
    /// Whether it is created: `None` when its `Condition` may be false.
    pub created: Option<bool>,
    pub dialect: Dialect,
}

impl Resource<'_, '_> {
    /// A property, with decidable conditions taken.
    pub(super) fn prop<'t>(
        &'t self,
        template: &Template<'_, '_>,
        key: &str,
    ) -> Option<&'t Node<'t>> {
        template.prop(self.properties, key)
    }
}

/// Every resource type trailcheck knows.
pub(super) static KINDS: &[Kind] = &[
    Kind {
        types: &["AWS::Events::Rule"],
        name: Some(Name::Generated("Name")),
        refers: None,
        attributes: &[("Arn", Attribute::Built(targets::built_rule_arn))],
        read: Some(rule),
    },
    Kind {
        types: &["AWS::Serverless::Function"],
        name: Some(Name::Generated("FunctionName")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::LAMBDA_FUNCTION))],
        read: Some(sam_function),
    },
    Kind {
        types: &["AWS::Serverless::StateMachine"],
        name: Some(Name::Generated("Name")),
        refers: Some(Attribute::Arn(ArnForm::STATE_MACHINE)),
        attributes: &[("Name", Attribute::Name)],
        read: Some(sam_events),
    },
    Kind {
        types: &["AWS::Lambda::Function"],
        name: Some(Name::Generated("FunctionName")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::LAMBDA_FUNCTION))],
        read: Some(targets::function),
    },
    Kind {
        types: &["AWS::Lambda::Alias"],
        name: None,
        refers: Some(Attribute::Built(targets::built_alias_arn)),
        attributes: &[],
        read: Some(targets::qualified_function),
    },
    Kind {
        types: &["AWS::Lambda::Version"],
        name: None,
        refers: Some(Attribute::Built(targets::built_version_arn)),
        attributes: &[],
        read: Some(targets::qualified_function),
    },
    Kind {
        types: &["AWS::Lambda::Permission"],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(targets::permission),
    },
    Kind {
        types: &["AWS::SNS::Topic"],
        name: Some(Name::Generated("TopicName")),
        refers: Some(Attribute::Arn(ArnForm::SNS_TOPIC)),
        attributes: &[
            ("TopicArn", Attribute::Arn(ArnForm::SNS_TOPIC)),
            ("TopicName", Attribute::Name),
        ],
        read: Some(targets::topic),
    },
    Kind {
        types: &["AWS::SQS::Queue"],
        name: Some(Name::Generated("QueueName")),
        refers: Some(Attribute::Built(targets::built_queue_url)),
        attributes: &[
            ("Arn", Attribute::Arn(ArnForm::SQS_QUEUE)),
            ("QueueName", Attribute::Name),
            ("QueueUrl", Attribute::Built(targets::built_queue_url)),
        ],
        read: Some(targets::queue),
    },
    Kind {
        types: &[
            "AWS::SNS::TopicPolicy",
            "AWS::SNS::TopicInlinePolicy",
            "AWS::SQS::QueuePolicy",
            "AWS::SQS::QueueInlinePolicy",
        ],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(targets::resource_policy),
    },
    Kind {
        types: &["AWS::KMS::Key"],
        name: None,
        refers: None,
        attributes: &[("Arn", Attribute::Built(targets::built_key_arn))],
        read: Some(targets::key),
    },
    Kind {
        types: &["AWS::KMS::Alias"],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(targets::key_alias),
    },
    Kind {
        types: &["AWS::IAM::Role"],
        name: Some(Name::Generated("RoleName")),
        refers: None,
        attributes: &[("Arn", Attribute::Built(targets::built_role_arn))],
        read: Some(targets::role),
    },
    Kind {
        types: &["AWS::IAM::ManagedPolicy"],
        name: Some(Name::Generated("ManagedPolicyName")),
        refers: Some(Attribute::Built(targets::built_policy_arn)),
        attributes: &[("PolicyArn", Attribute::Built(targets::built_policy_arn))],
        read: Some(targets::role_policy),
    },
    Kind {
        types: &["AWS::IAM::Policy", "AWS::IAM::RolePolicy"],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(targets::role_policy),
    },
    Kind {
        types: &["AWS::Serverless::Connector"],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(targets::connector),
    },
    Kind {
        types: &["AWS::StepFunctions::StateMachine"],
        name: Some(Name::Generated("StateMachineName")),
        refers: Some(Attribute::Arn(ArnForm::STATE_MACHINE)),
        attributes: &[
            ("Arn", Attribute::Arn(ArnForm::STATE_MACHINE)),
            ("Name", Attribute::Name),
        ],
        read: None,
    },
    Kind {
        types: &["AWS::Kinesis::Stream"],
        name: Some(Name::Generated("Name")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::KINESIS_STREAM))],
        read: None,
    },
    Kind {
        types: &["AWS::KinesisFirehose::DeliveryStream"],
        name: Some(Name::Generated("DeliveryStreamName")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::FIREHOSE_STREAM))],
        read: None,
    },
    Kind {
        types: &["AWS::CodeBuild::Project"],
        name: Some(Name::Generated("Name")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::CODEBUILD_PROJECT))],
        read: None,
    },
    Kind {
        types: &["AWS::ECS::Cluster"],
        name: Some(Name::Generated("ClusterName")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::ECS_CLUSTER))],
        read: None,
    },
    Kind {
        types: &["AWS::ECS::TaskDefinition"],
        name: Some(Name::Generated("Family")),
        refers: Some(Attribute::Built(targets::built_task_definition_arn)),
        attributes: &[(
            "TaskDefinitionArn",
            Attribute::Built(targets::built_task_definition_arn),
        )],
        read: None,
    },
    Kind {
        types: &["AWS::Batch::JobQueue"],
        name: Some(Name::Generated("JobQueueName")),
        refers: Some(Attribute::Arn(ArnForm::BATCH_JOB_QUEUE)),
        attributes: &[("JobQueueArn", Attribute::Arn(ArnForm::BATCH_JOB_QUEUE))],
        read: None,
    },
    Kind {
        types: &["AWS::Logs::LogGroup"],
        name: Some(Name::Generated("LogGroupName")),
        refers: None,
        attributes: &[("Arn", Attribute::Built(targets::built_log_group_arn))],
        read: None,
    },
    Kind {
        types: &["AWS::Events::ApiDestination"],
        name: Some(Name::Generated("Name")),
        refers: None,
        attributes: &[("Arn", Attribute::Built(targets::built_api_destination_arn))],
        read: None,
    },
    Kind {
        types: &["AWS::DynamoDB::Table"],
        name: Some(Name::Generated("TableName")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::DYNAMODB_TABLE))],
        read: None,
    },
    Kind {
        types: &["AWS::CloudTrail::Trail"],
        name: Some(Name::Generated("TrailName")),
        refers: None,
        attributes: &[],
        read: Some(trail),
    },
    Kind {
        types: &["AWS::S3::Bucket"],
        name: Some(Name::Generated("BucketName")),
        refers: None,
        attributes: &[("Arn", Attribute::Arn(ArnForm::S3_BUCKET))],
        read: Some(bucket),
    },
    Kind {
        types: &["AWS::Events::EventBus"],
        name: Some(Name::Required("Name")),
        refers: None,
        attributes: &[
            ("Arn", Attribute::Arn(ArnForm::EVENT_BUS)),
            ("Name", Attribute::Name),
        ],
        read: Some(bus),
    },
    Kind {
        types: &["AWS::Events::EventBusPolicy"],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(bus_policy),
    },
    // CDK writes bucket notifications through a custom resource that replaces the bucket's
    // whole notification configuration.
    Kind {
        types: &["Custom::S3BucketNotifications"],
        name: None,
        refers: None,
        attributes: &[],
        read: Some(bucket_notifications),
    },
];

/// What trailcheck knows of the resource type `type_name`.
pub(super) fn kind(type_name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|kind| kind.types.contains(&type_name))
}

/// `AWS::Events::Rule`, with its targets.
fn rule(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let bus = bus_named(t, resource.prop(t, "EventBusName"));
    targets::rule_targets(t, resource, &bus, items);
    let aws_name = t.resource_name(resource.id, 0);
    items.rules.push(EventRule {
        arn: targets::rule_arn(t, &aws_name, &bus),
        aws_name,
        name: resource.id.to_owned(),
        loc: resource.loc,
        dialect: resource.dialect,
        state: resource
            .prop(t, "State")
            .map_or(RuleState::Enabled, |state| rule_state(t, state)),
        bus,
        pattern: rule_pattern(t, resource.prop(t, "EventPattern")),
        region: t.region.clone(),
        suppressed: suppressions(resource.node),
        unexplained: unexplained(resource.node),
    });
}

/// `AWS::Serverless::Function`: the function (and its published alias), and its events.
fn sam_function(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    targets::function(t, resource, items);
    sam_events(t, resource, items);
}

/// The `EventBridgeRule`, `CloudWatchEvent` and `Schedule` events of a SAM function or state
/// machine: each is a rule of its own, `Function.EventKey`, whose one target is the function
/// (its published alias, when there is one) or state machine, with the permission or role SAM
/// creates for it.
fn sam_events(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let events = resource.properties.and_then(|p| p.get("Events"));
    for event in events.map(Node::distinct_entries).unwrap_or_default() {
        if let Some(mut rule) = sam_rule(t, resource, event) {
            rule.suppressed = suppressions(resource.node);
            rule.unexplained = unexplained(resource.node);
            items.targets.push(sam_target(t, resource, event, &rule));
            items.rules.push(rule);
        }
    }
}

/// The target SAM writes for an event.
fn sam_target(
    t: &Template<'_, '_>,
    resource: &Resource<'_, '_>,
    event: &Entry<'_>,
    rule: &EventRule,
) -> Target {
    let properties = event.value.get("Properties");
    let function =
        resource.node.get("Type").and_then(Node::as_str) == Some("AWS::Serverless::Function");
    let mut arn = t.arn_attribute(resource.id);
    if let Some(alias) = resource
        .prop(t, "AutoPublishAlias")
        .and_then(|a| t.text(a, 0).decided_lit())
    {
        arn.push_str(&format!(":{alias}"));
    }
    // `Arn:` names a queue of the user's, whose policy is the user's to write. `Type: SQS` has
    // SAM create the queue and its policy instead, and leaves no `Arn` to judge (SAM takes one
    // or the other, never both).
    let dead_letter = match properties {
        Some(properties) => targets::nested(t, properties, "DeadLetterConfig", "Arn"),
        None => Setting::Absent,
    };
    Target {
        rule: RuleRef::Declared {
            file: resource.loc.file,
            name: rule.name.clone(),
        },
        bus: rule.bus.clone(),
        arn,
        loc: rule.loc,
        arn_span: rule.loc.span,
        dialect: resource.dialect,
        created: resource.created,
        id: properties
            .and_then(|p| p.at(&["Target", "Id"]))
            .map(|id| t.text(id, 0)),
        role: targets::setting(t, properties, "RoleArn"),
        dead_letter,
        message_group: Setting::Absent,
        inputs: properties.map_or_else(Inputs::default, |p| targets::inputs(t, p)),
        task_definition: Setting::Absent,
        implied: Implied {
            permission: function,
            role: !function,
        },
        region: t.region.clone(),
    }
}

fn sam_rule(
    t: &Template<'_, '_>,
    resource: &Resource<'_, '_>,
    event: &Entry<'_>,
) -> Option<EventRule> {
    let kind = event.value.get("Type").and_then(Node::as_str)?;
    let scheduled = kind == "Schedule";
    if kind != "EventBridgeRule" && kind != "CloudWatchEvent" && !scheduled {
        return None;
    }
    let properties = event.value.get("Properties");
    let get = |key: &str| t.prop(properties, key);
    let state = match (get("State"), get("Enabled")) {
        (Some(state), _) => rule_state(t, state),
        (None, Some(enabled)) => match enabled.as_bool() {
            Some(true) => RuleState::Enabled,
            Some(false) => RuleState::Disabled,
            None => RuleState::Unknown,
        },
        (None, None) => RuleState::Enabled,
    };
    let name = format!("{}.{}", resource.id, event.key);
    let aws_name = match get("Name") {
        Some(written) => t.text(written, 0),
        None => t.generated(&name),
    };
    let bus = if scheduled {
        Bus::Default
    } else {
        bus_named(t, get("EventBusName"))
    };
    Some(EventRule {
        arn: targets::rule_arn(t, &aws_name, &bus),
        aws_name,
        name,
        loc: Loc {
            file: resource.loc.file,
            span: event.key_span,
        },
        dialect: resource.dialect,
        state,
        bus,
        pattern: if scheduled {
            RulePattern::None
        } else {
            rule_pattern(t, get("Pattern"))
        },
        region: t.region.clone(),
        suppressed: Vec::new(),
        unexplained: None,
    })
}

fn rule_state(t: &Template<'_, '_>, node: &Node<'_>) -> RuleState {
    t.text(node, 0)
        .decide(|state| state.as_lit().map(RuleState::parse))
        .unwrap_or(RuleState::Unknown)
}

pub(super) fn bus_named(t: &Template<'_, '_>, node: Option<&Node<'_>>) -> Bus {
    match node {
        None => Bus::Default,
        Some(node) => Bus::from_name(&t.text(node, 0)),
    }
}

fn rule_pattern(t: &Template<'_, '_>, node: Option<&Node<'_>>) -> RulePattern {
    let Some(node) = node else {
        return RulePattern::None;
    };
    let result = match &node.value {
        Value::String(text) => pattern::parse_pattern_text(text, node.span, t.text),
        Value::Map(_) if t.resolve(node).is_some() => {
            // A pattern built by an intrinsic (`Fn::Sub` of JSON text) is decided at
            // deployment only when fully literal.
            return match t.text(node, 0).decided_lit() {
                Some(text) => {
                    to_rule_pattern(pattern::parse_pattern_text(&text, node.span, t.text))
                }
                None => RulePattern::Unknown,
            };
        }
        _ => pattern::parse_pattern(node, t),
    };
    to_rule_pattern(result)
}

fn to_rule_pattern(result: Result<pattern::Pattern, pattern::PatternError>) -> RulePattern {
    match result {
        Ok(pattern) => RulePattern::Valid(pattern),
        Err(error) => RulePattern::Invalid(error),
    }
}

/// `Metadata: {trailcheck: {ignore: [TC103, …], reason: …}}` on a rule or SAM function.
fn suppressions(resource: &Node<'_>) -> Vec<(String, Span)> {
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

/// Where a `Metadata` suppression is written when it gives no `reason` (or an empty one).
fn unexplained(resource: &Node<'_>) -> Option<Span> {
    let ignore = resource.at(&["Metadata", "trailcheck", "ignore"])?;
    let reason = resource
        .at(&["Metadata", "trailcheck", "reason"])
        .and_then(|r| r.scalar_text())
        .is_some_and(|r| !r.trim().is_empty());
    (!reason).then_some(ignore.span)
}

fn trail(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let mut trail = read_trail(
        t,
        resource.id,
        resource.loc,
        resource.properties,
        resource.dialect,
    );
    trail.created = resource.created;
    items.trails.push(trail);
}

/// A trail from properties in the vocabulary of `AWS::CloudTrail::Trail`.
pub(super) fn read_trail(
    t: &Template<'_, '_>,
    id: &str,
    loc: Loc,
    properties: Option<&Node<'_>>,
    dialect: Dialect,
) -> Trail {
    let get = |key: &str| t.prop(properties, key);
    let is_logging = get("IsLogging");
    let selectors = match (get("EventSelectors"), get("AdvancedEventSelectors")) {
        (None, None) => Selectors::Default,
        (Some(basic), None) => basic_selectors(t, basic),
        (None, Some(advanced)) => advanced_selectors(t, advanced),
        // CloudTrail rejects a trail with both; what it would log is not decided here.
        (Some(_), Some(_)) => Selectors::Unknown,
    };
    Trail {
        name: id.to_owned(),
        loc,
        dialect,
        is_logging: is_logging.and_then(|node| t.boolean(node)),
        is_logging_span: is_logging.map(|node| node.span),
        selectors,
        mixed_selectors: get("EventSelectors")
            .and(get("AdvancedEventSelectors"))
            .map(|n| n.span),
        region: t.region.clone(),
        created: Some(true),
        multi_region: get("IsMultiRegionTrail").map_or(Some(false), |node| t.boolean(node)),
        include_global: get("IncludeGlobalServiceEvents")
            .map_or(Some(true), |node| t.boolean(node)),
        insight_types: match get("InsightSelectors") {
            None => Some(Vec::new()),
            Some(node) => node.as_seq().and_then(|items| {
                items
                    .iter()
                    .map(|item| {
                        let kind = item.get("InsightType")?;
                        t.text(kind, 0).decided_lit()
                    })
                    .collect()
            }),
        },
    }
}

fn basic_selectors(t: &Template<'_, '_>, node: &Node<'_>) -> Selectors {
    let Some(items) = node.as_seq() else {
        return Selectors::Unknown;
    };
    if items.is_empty() {
        return Selectors::Default;
    }
    let mut selectors = Vec::with_capacity(items.len());
    for item in items {
        if item.as_map().is_none() || t.resolve(item).is_some() {
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
                        .map_or_else(Vec::new, |values| t.texts(values));
                    data_resources.push(DataResource {
                        span: resource.span,
                        resource_type: resource
                            .get("Type")
                            .and_then(|kind| t.text(kind, 0).decided_lit()),
                        value_spans: element_spans(resource.get("Values"), values.len()),
                        values,
                    });
                }
            }
        }
        selectors.push(BasicSelector {
            span: item.span,
            read_write: match read_write {
                None => Some(ReadWrite::All),
                Some(node) => t.text(node, 0).decide(|rw| ReadWrite::parse(rw.as_lit()?)),
            },
            read_write_span: read_write.map(|n| n.span),
            include_management: include.map_or(Some(true), |node| t.boolean(node)),
            include_management_span: include.map(|n| n.span),
            exclude_sources: item
                .get("ExcludeManagementEventSources")
                .map_or_else(Vec::new, |n| t.texts(n)),
            exclude_sources_span: item.get("ExcludeManagementEventSources").map(|n| n.span),
            data_resources,
        });
    }
    Selectors::Basic(selectors)
}

fn advanced_selectors(t: &Template<'_, '_>, node: &Node<'_>) -> Selectors {
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
            let Some(name) = field.get("Field").and_then(|f| t.text(f, 0).decided_lit()) else {
                return Selectors::Unknown;
            };
            let values = |key: &str| field.get(key).map_or_else(Vec::new, |n| t.texts(n));
            out.push(FieldSelector {
                span: field.span,
                field: name,
                equals_spans: element_spans(field.get("Equals"), values("Equals").len()),
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
fn eventbridge_enabled(t: &Template<'_, '_>, config: &Node<'_>) -> Option<bool> {
    if t.resolve(config).is_some() {
        return None;
    }
    match config.get("EventBridgeConfiguration") {
        None => Some(false),
        Some(eventbridge) if t.resolve(eventbridge).is_some() => None,
        Some(eventbridge) => match eventbridge.get("EventBridgeEnabled") {
            None => Some(true),
            Some(enabled) => t.boolean(enabled),
        },
    }
}

fn bucket(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let properties = resource.properties;
    items.buckets.push(Bucket {
        name: resource.id.to_owned(),
        loc: resource.loc,
        dialect: resource.dialect,
        bucket_name: t.resource_name(resource.id, 0),
        eventbridge: match properties.and_then(|p| p.get("NotificationConfiguration")) {
            None => Some(false),
            Some(config) => eventbridge_enabled(t, config),
        },
    });
}

fn bus(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let properties = resource.properties;
    if let Some(name) = properties.and_then(|p| p.get("Name")) {
        items.buses.push(EventBus {
            name: t.text(name, 0),
            has_policy: Some(properties.and_then(|p| p.get("Policy")).is_some()),
        });
    }
}

/// A bus policy opens the bus it names (the default bus when it names none).
fn bus_policy(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    items.bus_policies.push(
        resource
            .properties
            .and_then(|p| p.get("EventBusName"))
            .map_or_else(|| Text::lit("default"), |name| t.text(name, 0)),
    );
}

fn bucket_notifications(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let properties = resource.properties;
    if let Some(bucket) = properties.and_then(|p| p.get("BucketName")) {
        items.notifications.push(Notification {
            bucket: t.text(bucket, 0),
            eventbridge: match properties.and_then(|p| p.get("NotificationConfiguration")) {
                None => Some(false),
                Some(config) => eventbridge_enabled(t, config),
            },
            declared: None,
        });
    }
}

/// Where each of `count` values read from a list node is written: the items of a sequence
/// (which gives one value per item), or the whole node when an intrinsic produced the list.
fn element_spans(node: Option<&Node<'_>>, count: usize) -> Vec<Span> {
    match node {
        Some(node) => match node.as_seq() {
            Some(items) => items.iter().map(|item| item.span).collect(),
            None => vec![node.span; count],
        },
        None => Vec::new(),
    }
}
