//! The target side of CloudFormation and SAM: rule targets, the functions, topics and queues
//! they name, Lambda permissions, topic and queue policies, KMS keys, IAM roles and their
//! policies, and SAM connectors. Each reader is the `read` of its type in
//! [`super::resources::KINDS`]; what `Ref` and `Fn::GetAtt` return for these types is built
//! here too.

use super::resources::Resource;
use super::template::Template;
use crate::model::policy::{Doc, DocValue, Policy};
use crate::model::{
    Bus, Connector, Grant, Implied, Inputs, Items, Key, KeyExtra, KeyExtraKind, Receiver,
    ReceiverKind, Role, RolePolicy, RuleRef, Setting, Target, Transformer, Written,
};
use crate::parse::{Node, Value};
use crate::source::Loc;
use crate::value::{Pseudo, Text};

/// A property that may be written: absent, `AWS::NoValue` and a false condition are absent; an
/// undecidable condition leaves it open.
pub(super) fn setting(t: &Template<'_, '_>, node: Option<&Node<'_>>, key: &str) -> Setting {
    let Some(value) = node.and_then(|n| n.get(key)) else {
        return Setting::Absent;
    };
    match t.pick(value) {
        None => Setting::Absent,
        Some(chosen) if is_if(chosen) => Setting::Undecided,
        Some(chosen) => Setting::Set(Written {
            text: t.text(chosen, 0),
            span: chosen.span,
        }),
    }
}

/// A property of a property (`DeadLetterConfig.Arn`): undecided when the outer one is.
pub(super) fn nested(t: &Template<'_, '_>, node: &Node<'_>, outer: &str, key: &str) -> Setting {
    match node.get(outer).map(|block| t.pick(block)) {
        None | Some(None) => Setting::Absent,
        Some(Some(block)) if is_if(block) => Setting::Undecided,
        Some(Some(block)) => setting(t, Some(block), key),
    }
}

fn is_if(node: &Node<'_>) -> bool {
    node.single_entry().is_some_and(|e| e.key == "Fn::If")
}

/// The targets of a rule (`Targets` of `AWS::Events::Rule`).
pub(super) fn rule_targets(
    t: &Template<'_, '_>,
    resource: &Resource<'_, '_>,
    bus: &Bus,
    items: &mut Items,
) {
    let targets = resource.prop(t, "Targets").and_then(Node::as_seq);
    for node in targets.unwrap_or_default() {
        let Some(node) = t.pick(node) else {
            continue;
        };
        let Some(arn) = node.get("Arn") else {
            continue;
        };
        items.targets.push(Target {
            rule: RuleRef::Declared {
                file: resource.loc.file,
                name: resource.id.to_owned(),
            },
            bus: bus.clone(),
            arn: t.text(arn, 0),
            loc: Loc {
                file: resource.loc.file,
                span: node.span,
            },
            arn_span: arn.span,
            dialect: resource.dialect,
            created: resource.created,
            id: node.get("Id").map(|id| t.text(id, 0)),
            role: setting(t, Some(node), "RoleArn"),
            dead_letter: nested(t, node, "DeadLetterConfig", "Arn"),
            message_group: nested(t, node, "SqsParameters", "MessageGroupId"),
            task_definition: nested(t, node, "EcsParameters", "TaskDefinitionArn"),
            implied: Implied::default(),
            inputs: inputs(t, node),
            region: t.region.clone(),
        });
    }
}

/// A target's `Input`, `InputPath` and `InputTransformer`.
pub(super) fn inputs(t: &Template<'_, '_>, node: &Node<'_>) -> Inputs {
    let transformer = node.get("InputTransformer").and_then(|n| t.pick(n));
    Inputs {
        input: setting(t, Some(node), "Input"),
        input_path: setting(t, Some(node), "InputPath"),
        transformer: transformer.map(|n| Transformer {
            span: n.span,
            paths: match n.get("InputPathsMap").and_then(|m| t.pick(m)) {
                None => Some(Vec::new()),
                Some(map) if t_resolves(t, map) => None,
                Some(map) => map.as_map().map(|entries| {
                    entries
                        .iter()
                        .map(|e| {
                            let text = t.text(&e.value, 0);
                            (
                                e.key.to_string(),
                                e.key_span,
                                Written {
                                    text,
                                    span: e.value.span,
                                },
                            )
                        })
                        .collect()
                }),
            },
            template: setting(t, Some(n), "InputTemplate"),
        }),
    }
}

fn t_resolves(t: &Template<'_, '_>, node: &Node<'_>) -> bool {
    use crate::pattern::Resolve;
    t.resolve(node).is_some()
}

/// The ARN of a rule called `name` on `bus`: `rule/NAME` on the default bus, `rule/BUS/NAME`
/// on a custom one.
pub(super) fn rule_arn(t: &Template<'_, '_>, name: &Text, bus: &Bus) -> Text {
    bus.rule_arn(name, Text::pseudo(Pseudo::Partition), t.region_text())
}

/// The ARN a `FunctionName` stands for, in the template's region.
pub(super) fn function_arn(t: &Template<'_, '_>, name: &Text) -> Text {
    crate::ingest::function_arn(name, Text::pseudo(Pseudo::Partition), t.region_text())
}

// What `Ref` and `Fn::GetAtt` return for the target-side types.

/// `AWS::Events::Rule`'s `Arn`.
pub(super) fn built_rule_arn(t: &Template<'_, '_>, id: &str, node: &Node<'_>, _: u8) -> Text {
    let bus = super::resources::bus_named(t, t.prop(node.get("Properties"), "EventBusName"));
    rule_arn(t, &t.resource_name(id, 0), &bus)
}

/// `Ref` of an `AWS::Lambda::Alias`: the function's ARN qualified by the alias's name.
pub(super) fn built_alias_arn(t: &Template<'_, '_>, _: &str, node: &Node<'_>, _: u8) -> Text {
    let properties = node.get("Properties");
    match (
        t.prop(properties, "FunctionName"),
        t.prop(properties, "Name"),
    ) {
        (Some(function), Some(name)) => {
            let mut arn = function_arn(t, &t.text(function, 0));
            arn.push_str(":");
            arn.append(&t.text(name, 0));
            arn
        }
        _ => Text::unknown(),
    }
}

/// `Ref` of an `AWS::Lambda::Version`: the function's ARN qualified by the version number
/// CloudFormation assigns.
pub(super) fn built_version_arn(t: &Template<'_, '_>, id: &str, node: &Node<'_>, _: u8) -> Text {
    match t.prop(node.get("Properties"), "FunctionName") {
        Some(function) => {
            let mut arn = function_arn(t, &t.text(function, 0));
            arn.push_str(":");
            arn.append(&t.assigned(id, "Version"));
            arn
        }
        None => Text::unknown(),
    }
}

/// `Ref` (and `QueueUrl`) of an `AWS::SQS::Queue`.
pub(super) fn built_queue_url(t: &Template<'_, '_>, id: &str, _: &Node<'_>, _: u8) -> Text {
    crate::catalog::queue_url(&t.region_text(), &t.resource_name(id, 0))
}

/// `Arn` of an `AWS::KMS::Key`: its ID, assigned at deployment, in `key/ID`.
pub(super) fn built_key_arn(t: &Template<'_, '_>, id: &str, _: &Node<'_>, _: u8) -> Text {
    let mut resource = Text::lit("key/");
    resource.append(&t.referenced(id, 0));
    regional_arn(t, "kms", resource)
}

/// `Arn` of an `AWS::IAM::Role`: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`.
pub(super) fn built_role_arn(t: &Template<'_, '_>, id: &str, node: &Node<'_>, _: u8) -> Text {
    iam_arn(t, "role", id, node)
}

/// `Ref` of an `AWS::IAM::ManagedPolicy`: its ARN.
pub(super) fn built_policy_arn(t: &Template<'_, '_>, id: &str, node: &Node<'_>, _: u8) -> Text {
    iam_arn(t, "policy", id, node)
}

fn iam_arn(t: &Template<'_, '_>, kind: &str, id: &str, node: &Node<'_>) -> Text {
    let path = match t.prop(node.get("Properties"), "Path") {
        None => Some("/".to_owned()),
        Some(path) => t.text(path, 0).decided_lit(),
    };
    let Some(path) = path else {
        return Text::unknown();
    };
    let mut arn = Text::lit("arn:");
    arn.append(&Text::pseudo(Pseudo::Partition));
    arn.push_str(":iam::");
    arn.append(&Text::pseudo(Pseudo::AccountId));
    arn.push_str(&format!(":{kind}{path}"));
    arn.append(&t.resource_name(id, 0));
    arn
}

/// `Arn` of an `AWS::Logs::LogGroup`: `…:log-group:NAME:*`.
pub(super) fn built_log_group_arn(t: &Template<'_, '_>, id: &str, _: &Node<'_>, _: u8) -> Text {
    let mut resource = Text::lit("log-group:");
    resource.append(&t.resource_name(id, 0));
    resource.push_str(":*");
    regional_arn(t, "logs", resource)
}

/// `Arn` of an `AWS::Events::ApiDestination`: `…:api-destination/NAME/ID`.
pub(super) fn built_api_destination_arn(
    t: &Template<'_, '_>,
    id: &str,
    _: &Node<'_>,
    _: u8,
) -> Text {
    let mut resource = Text::lit("api-destination/");
    resource.append(&t.resource_name(id, 0));
    resource.push_str("/");
    resource.append(&t.assigned(id, "ApiDestinationId"));
    regional_arn(t, "events", resource)
}

/// `Ref` of an `AWS::ECS::TaskDefinition`: `…:task-definition/FAMILY:REVISION`.
pub(super) fn built_task_definition_arn(
    t: &Template<'_, '_>,
    id: &str,
    _: &Node<'_>,
    _: u8,
) -> Text {
    let mut resource = Text::lit("task-definition/");
    resource.append(&t.resource_name(id, 0));
    resource.push_str(":");
    resource.append(&t.assigned(id, "Revision"));
    regional_arn(t, "ecs", resource)
}

fn regional_arn(t: &Template<'_, '_>, service: &str, resource: Text) -> Text {
    let mut arn = Text::lit("arn:");
    arn.append(&Text::pseudo(Pseudo::Partition));
    arn.push_str(&format!(":{service}:"));
    arn.append(&t.region_text());
    arn.push_str(":");
    arn.append(&Text::pseudo(Pseudo::AccountId));
    arn.push_str(":");
    arn.append(&resource);
    arn
}

// Readers.

/// A receiver of `kind` whose ARN is `arn`.
fn receiver(
    resource: &Resource<'_, '_>,
    kind: ReceiverKind,
    arn: Text,
    t: &Template<'_, '_>,
) -> Receiver {
    Receiver {
        name: resource.id.to_owned(),
        loc: resource.loc,
        dialect: resource.dialect,
        kind,
        arn,
        aliases: Vec::new(),
        key: Setting::Absent,
        fifo: Some(false),
        content_dedup: Some(false),
        region: t.region.clone(),
    }
}

/// `AWS::Lambda::Function` and `AWS::Serverless::Function` (with the alias SAM publishes for
/// `AutoPublishAlias`).
pub(super) fn function(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    if resource.created != Some(true) {
        return;
    }
    let arn = t.arn_attribute(resource.id);
    if let Some(alias) = resource
        .prop(t, "AutoPublishAlias")
        .and_then(|a| t.text(a, 0).decided_lit())
    {
        let mut qualified = arn.clone();
        qualified.push_str(&format!(":{alias}"));
        let mut alias = receiver(resource, ReceiverKind::Function, qualified, t);
        alias.name = format!("{}.Alias", resource.id);
        items.receivers.push(alias);
    }
    items
        .receivers
        .push(receiver(resource, ReceiverKind::Function, arn, t));
}

/// `AWS::Lambda::Alias` and `AWS::Lambda::Version`: what `Ref` returns is the qualified ARN.
pub(super) fn qualified_function(
    t: &Template<'_, '_>,
    resource: &Resource<'_, '_>,
    items: &mut Items,
) {
    if resource.created != Some(true) {
        return;
    }
    let arn = t.referenced(resource.id, 0);
    items
        .receivers
        .push(receiver(resource, ReceiverKind::Function, arn, t));
}

/// `AWS::SNS::Topic`, with its key and inline policy-free settings.
pub(super) fn topic(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    if resource.created != Some(true) {
        return;
    }
    let mut topic = receiver(
        resource,
        ReceiverKind::Topic,
        t.referenced(resource.id, 0),
        t,
    );
    topic.key = setting(t, resource.properties, "KmsMasterKeyId");
    topic.fifo = fifo(t, resource, "FifoTopic", "TopicName");
    topic.content_dedup = flag(t, resource, "ContentBasedDeduplication");
    items.receivers.push(topic);
}

/// `AWS::SQS::Queue`.
pub(super) fn queue(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    if resource.created != Some(true) {
        return;
    }
    let mut queue = receiver(
        resource,
        ReceiverKind::Queue,
        t.arn_attribute(resource.id),
        t,
    );
    queue.aliases.push(t.referenced(resource.id, 0));
    queue.key = setting(t, resource.properties, "KmsMasterKeyId");
    queue.fifo = fifo(t, resource, "FifoQueue", "QueueName");
    queue.content_dedup = flag(t, resource, "ContentBasedDeduplication");
    items.receivers.push(queue);
}

/// A boolean property that defaults to false.
fn flag(t: &Template<'_, '_>, resource: &Resource<'_, '_>, key: &str) -> Option<bool> {
    match resource.prop(t, key) {
        None => Some(false),
        Some(node) => t.boolean(node),
    }
}

/// Whether a topic or queue is FIFO: its flag, or a name ending `.fifo`.
fn fifo(t: &Template<'_, '_>, resource: &Resource<'_, '_>, key: &str, name: &str) -> Option<bool> {
    let named = resource
        .prop(t, name)
        .map(|n| t.text(n, 0).ends_with(&Text::lit(".fifo")));
    match (flag(t, resource, key), named) {
        (Some(true), _) | (_, Some(crate::value::Tri::Yes)) => Some(true),
        (Some(false), None | Some(crate::value::Tri::No)) => Some(false),
        _ => None,
    }
}

/// `AWS::Lambda::Permission`: one statement of the function's resource policy.
pub(super) fn permission(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let get = |key: &str| resource.prop(t, key);
    let (Some(function), Some(action), Some(principal)) =
        (get("FunctionName"), get("Action"), get("Principal"))
    else {
        return;
    };
    let leaf = |node: &Node<'_>| Doc::text(node.span, t.text(node, 0));
    let arn = function_arn(t, &t.text(function, 0));
    let conditions = [
        ("SourceArn", "ArnLike", "AWS:SourceArn"),
        ("SourceAccount", "StringEquals", "AWS:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        (
            "EventSourceToken",
            "StringEquals",
            "lambda:EventSourceToken",
        ),
    ]
    .into_iter()
    .filter_map(|(property, operator, key)| Some((operator, key, leaf(get(property)?))))
    .collect();
    let policy = crate::ingest::permission_policy(
        resource.properties.map_or(resource.loc.span, |p| p.span),
        leaf(principal),
        leaf(action),
        Doc::text(function.span, arn.clone()),
        conditions,
    );
    push_grant(resource, ReceiverKind::Function, vec![arn], policy, items);
}

/// A grant on `on`; one whose condition may be false may or may not exist.
fn push_grant(
    resource: &Resource<'_, '_>,
    kind: ReceiverKind,
    on: Vec<Text>,
    mut policy: Policy,
    items: &mut Items,
) {
    if resource.created != Some(true) {
        policy.statements = None;
    }
    items.grants.push(Grant {
        name: resource.id.to_owned(),
        loc: resource.loc,
        kind,
        on,
        policy,
    });
}

/// `AWS::SNS::TopicPolicy`, `AWS::SQS::QueuePolicy` (a list of topics or queues) and their
/// inline forms (one).
pub(super) fn resource_policy(
    t: &Template<'_, '_>,
    resource: &Resource<'_, '_>,
    items: &mut Items,
) {
    let on = match (
        resource.prop(t, "Topics").or(resource.prop(t, "Queues")),
        resource.prop(t, "TopicArn").or(resource.prop(t, "Queue")),
    ) {
        (Some(list), _) => t.list(list, 0).unwrap_or_else(|| vec![Text::unknown()]),
        (None, Some(one)) => vec![t.text(one, 0)],
        (None, None) => return,
    };
    let document = resource
        .prop(t, "PolicyDocument")
        .map_or_else(|| Doc::unknown(resource.loc.span), |d| doc(t, d));
    let topic = resource
        .node
        .get("Type")
        .and_then(Node::as_str)
        .is_some_and(|kind| kind.starts_with("AWS::SNS::"));
    let kind = if topic {
        ReceiverKind::Topic
    } else {
        ReceiverKind::Queue
    };
    push_grant(resource, kind, on, Policy::read(&document), items);
}

/// `AWS::KMS::Key`.
pub(super) fn key(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    if resource.created != Some(true) {
        return;
    }
    items.keys.push(Key {
        name: resource.id.to_owned(),
        loc: resource.loc,
        arn: t.arn_attribute(resource.id),
        names: vec![t.referenced(resource.id, 0), t.arn_attribute(resource.id)],
        policy: resource
            .prop(t, "KeyPolicy")
            .map(|d| Policy::read(&doc(t, d))),
        open: false,
    });
}

/// `AWS::KMS::Alias`.
pub(super) fn key_alias(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let get = |key: &str| resource.prop(t, key).map(|n| t.text(n, 0));
    if let (Some(key), Some(alias)) = (get("TargetKeyId"), get("AliasName")) {
        items.key_extras.push(KeyExtra {
            key,
            extra: KeyExtraKind::Alias(alias),
        });
    }
}

/// `AWS::IAM::Role`.
pub(super) fn role(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    if resource.created != Some(true) {
        return;
    }
    let policies = match resource.prop(t, "Policies") {
        None => Vec::new(),
        Some(list) => match list.as_seq() {
            Some(entries) => entries
                .iter()
                .filter_map(|entry| t.pick(entry))
                .map(|entry| {
                    let document = entry
                        .get("PolicyDocument")
                        .map_or_else(|| Doc::unknown(entry.span), |d| doc(t, d));
                    Policy::read(&document)
                })
                .collect(),
            None => vec![Policy::read(&Doc::unknown(list.span))],
        },
    };
    items.roles.push(Role {
        name: resource.id.to_owned(),
        loc: resource.loc,
        arn: t.arn_attribute(resource.id),
        role_name: t.resource_name(resource.id, 0),
        trust: Policy::read(
            &resource
                .prop(t, "AssumeRolePolicyDocument")
                .map_or_else(|| Doc::unknown(resource.loc.span), |d| doc(t, d)),
        ),
        policies,
        managed: match resource.prop(t, "ManagedPolicyArns") {
            None => Some(Vec::new()),
            Some(list) => t.list(list, 0),
        },
    });
}

/// `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy`.
pub(super) fn role_policy(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let roles = match (resource.prop(t, "Roles"), resource.prop(t, "RoleName")) {
        (Some(list), _) => t.list(list, 0),
        (None, Some(one)) => Some(vec![t.text(one, 0)]),
        (None, None) => Some(Vec::new()),
    };
    let document = resource
        .prop(t, "PolicyDocument")
        .map_or_else(|| Doc::unknown(resource.loc.span), |d| doc(t, d));
    let mut policy = Policy::read(&document);
    if resource.created != Some(true) {
        policy = Policy::read(&Doc::unknown(document.span));
    }
    let managed =
        resource.node.get("Type").and_then(Node::as_str) == Some("AWS::IAM::ManagedPolicy");
    items.role_policies.push(RolePolicy {
        name: resource.id.to_owned(),
        roles,
        arn: managed.then(|| t.referenced(resource.id, 0)),
        policy,
    });
}

/// `AWS::Serverless::Connector`.
pub(super) fn connector(t: &Template<'_, '_>, resource: &Resource<'_, '_>, items: &mut Items) {
    let source = resource.prop(t, "Source").map(|s| endpoint(t, s));
    let Some(source) = source else {
        return;
    };
    connect(
        t,
        resource.loc,
        source,
        resource.prop(t, "Destination"),
        items,
    );
}

/// The `Connectors` of a resource (SAM's embedded connectors): the resource is the source.
pub(super) fn embedded_connectors(
    t: &Template<'_, '_>,
    id: &str,
    node: &Node<'_>,
    items: &mut Items,
) {
    for connector in node
        .get("Connectors")
        .map(Node::distinct_entries)
        .unwrap_or_default()
    {
        let destination = connector.value.at(&["Properties", "Destination"]);
        let loc = Loc {
            file: t.file(),
            span: connector.key_span,
        };
        connect(t, loc, t.arn_attribute(id), destination, items);
    }
}

fn connect(
    t: &Template<'_, '_>,
    loc: Loc,
    source: Text,
    destination: Option<&Node<'_>>,
    items: &mut Items,
) {
    let destinations = match destination {
        None => return,
        Some(node) => match node.as_seq() {
            Some(list) => list.iter().map(|d| endpoint(t, d)).collect(),
            None => vec![endpoint(t, node)],
        },
    };
    for destination in destinations {
        items.connectors.push(Connector {
            loc,
            source: source.clone(),
            destination,
        });
    }
}

/// A connector's `Source` or `Destination`: `Id` (a resource of the template) or `Arn`.
fn endpoint(t: &Template<'_, '_>, node: &Node<'_>) -> Text {
    if let Some(id) = node.get("Id").and_then(|id| t.text(id, 0).decided_lit()) {
        return t.arn_attribute(&id);
    }
    node.get("Arn")
        .map_or_else(Text::unknown, |arn| t.text(arn, 0))
}

/// A policy document as written in a template: a map (intrinsics inside decided as far as the
/// template decides them) or JSON text.
pub(super) fn doc(t: &Template<'_, '_>, node: &Node<'_>) -> Doc {
    doc_at(t, node, 0)
}

const MAX_DOC_DEPTH: u8 = 32;

fn doc_at(t: &Template<'_, '_>, node: &Node<'_>, depth: u8) -> Doc {
    let span = node.span;
    if depth > MAX_DOC_DEPTH {
        return Doc::unknown(span);
    }
    let Some(node) = t.pick(node) else {
        return Doc {
            span,
            value: DocValue::Null,
        };
    };
    if t_resolves(t, node) {
        if is_if(node) {
            return Doc::unknown(span);
        }
        let key = node.single_entry().map(|e| e.key.as_ref());
        if matches!(key, Some("Fn::Split" | "Fn::GetAZs" | "Fn::Cidr")) {
            return match t.list(node, 0) {
                Some(items) => Doc {
                    span,
                    value: DocValue::List(
                        items
                            .into_iter()
                            .map(|text| Doc {
                                span,
                                value: DocValue::Text(text),
                            })
                            .collect(),
                    ),
                },
                None => Doc::unknown(span),
            };
        }
        return Doc {
            span,
            value: DocValue::Text(t.text(node, 0)),
        };
    }
    let value = match &node.value {
        Value::String(text) if depth == 0 => return crate::ingest::json_doc(text, span),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => DocValue::Text(t.text(node, 0)),
        Value::Null => DocValue::Null,
        Value::Seq(items) => DocValue::List(
            items
                .iter()
                .filter(|item| t.pick(item).is_some())
                .map(|item| doc_at(t, item, depth + 1))
                .collect(),
        ),
        Value::Map(entries) => DocValue::Map(
            entries
                .iter()
                .filter(|e| t.pick(&e.value).is_some())
                .map(|e| (e.key.to_string(), doc_at(t, &e.value, depth + 1)))
                .collect(),
        ),
    };
    Doc { span, value }
}
