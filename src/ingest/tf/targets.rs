//! The target side of Terraform: `aws_cloudwatch_event_target`, the functions, aliases,
//! topics and queues targets name, Lambda permissions, topic and queue policies, KMS keys and
//! their aliases, grants and policies, IAM roles, their policies and attachments. Each reader
//! is the `read` of its type in [`super::resources::HANDLERS`].

use super::attributes::{Attr, AttrValue};
use super::resources::{Resource, bus_of};
use crate::model::policy::{Doc, DocValue, Policy};
use crate::model::{
    Attachment, Dialect, Grant, Implied, Inputs, Items, Key, KeyExtra, KeyExtraKind, Receiver,
    ReceiverKind, Role, RolePolicy, RuleRef, Setting, Target, Transformer, Written,
};
use crate::value::{Pseudo, Text, Tri};

/// An argument that may be set: null and unset are absent, an unknown value undecided.
fn setting(attrs: Option<&Attr>, key: &str) -> Setting {
    match attrs.and_then(|a| a.field(key)) {
        None => Setting::Absent,
        Some(attr) => match &attr.value {
            AttrValue::Null => Setting::Absent,
            AttrValue::String(text) if text.as_lit() == Some("") => Setting::Absent,
            AttrValue::Unknown => Setting::Undecided,
            _ => Setting::Set(Written {
                text: attr.text(),
                span: attr.span,
            }),
        },
    }
}

/// The one block `key` (a list of at most one object): `Ok(None)` when absent, `Err` when
/// undecidable.
fn block<'a>(attrs: &'a Attr, key: &str) -> Result<Option<&'a Attr>, ()> {
    match attrs.field(key).map(|a| &a.value) {
        None | Some(AttrValue::Null) => Ok(None),
        Some(AttrValue::List(items)) => match items.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(()),
        },
        Some(AttrValue::Object(_)) => Ok(attrs.field(key)),
        Some(_) => Err(()),
    }
}

/// An argument of a nested block.
fn nested(attrs: &Attr, block_key: &str, key: &str) -> Setting {
    match block(attrs, block_key) {
        Ok(None) => Setting::Absent,
        Ok(Some(inner)) => setting(Some(inner), key),
        Err(()) => Setting::Undecided,
    }
}

/// `aws_cloudwatch_event_target`.
pub(super) fn target(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let arn = attrs.field("arn");
    items.targets.push(Target {
        rule: RuleRef::Named(attrs.text_of("rule")),
        bus: bus_of(attrs),
        arn: attrs.text_of("arn"),
        loc: resource.loc,
        arn_span: arn.map_or(resource.loc.span, |a| a.span),
        dialect: Dialect::Terraform,
        created: Some(true),
        id: match setting(Some(attrs), "target_id") {
            Setting::Absent => None,
            Setting::Set(written) => Some(written.text),
            Setting::Undecided => Some(Text::unknown()),
        },
        role: setting(Some(attrs), "role_arn"),
        dead_letter: nested(attrs, "dead_letter_config", "arn"),
        message_group: nested(attrs, "sqs_target", "message_group_id"),
        inputs: Inputs {
            input: setting(Some(attrs), "input"),
            input_path: setting(Some(attrs), "input_path"),
            transformer: match block(attrs, "input_transformer") {
                Ok(None) => None,
                Ok(Some(inner)) => Some(transformer(inner)),
                Err(()) => Some(Transformer {
                    span: attrs.span,
                    paths: None,
                    template: Setting::Undecided,
                }),
            },
        },
        task_definition: nested(attrs, "ecs_target", "task_definition_arn"),
        implied: Implied::default(),
        region: resource.region.clone(),
    });
}

fn transformer(attrs: &Attr) -> Transformer {
    Transformer {
        span: attrs.span,
        paths: match attrs.field("input_paths").map(|a| &a.value) {
            None | Some(AttrValue::Null) => Some(Vec::new()),
            Some(AttrValue::Object(entries)) => Some(
                entries
                    .iter()
                    .map(|(key, value)| {
                        (
                            key.clone(),
                            value.key.unwrap_or(value.span),
                            Written {
                                text: value.text(),
                                span: value.span,
                            },
                        )
                    })
                    .collect(),
            ),
            Some(_) => None,
        },
        template: setting(Some(attrs), "input_template"),
    }
}

fn receiver(resource: &Resource<'_>, kind: ReceiverKind, arn: Text) -> Receiver {
    Receiver {
        name: resource.address.to_owned(),
        loc: resource.loc,
        dialect: Dialect::Terraform,
        kind,
        arn,
        aliases: Vec::new(),
        key: Setting::Absent,
        fifo: Some(false),
        content_dedup: Some(false),
        region: resource.region.clone(),
    }
}

/// `aws_lambda_function` and `aws_lambda_alias`.
pub(super) fn function(resource: &Resource<'_>, items: &mut Items) {
    let arn = resource.attrs.text_of("arn");
    items
        .receivers
        .push(receiver(resource, ReceiverKind::Function, arn));
}

/// `aws_sns_topic`, with its inline policy.
pub(super) fn topic(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let mut topic = receiver(resource, ReceiverKind::Topic, attrs.text_of("arn"));
    topic.key = setting(Some(attrs), "kms_master_key_id");
    topic.fifo = fifo(attrs, "fifo_topic");
    topic.content_dedup = attrs.boolean("content_based_deduplication", false);
    inline_policy(
        resource,
        ReceiverKind::Topic,
        vec![topic.arn.clone()],
        items,
    );
    items.receivers.push(topic);
}

/// `aws_sqs_queue`, with its inline policy.
pub(super) fn queue(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let mut queue = receiver(resource, ReceiverKind::Queue, attrs.text_of("arn"));
    queue.aliases.push(attrs.text_of("url"));
    queue.key = setting(Some(attrs), "kms_master_key_id");
    queue.fifo = fifo(attrs, "fifo_queue");
    queue.content_dedup = attrs.boolean("content_based_deduplication", false);
    inline_policy(
        resource,
        ReceiverKind::Queue,
        vec![queue.arn.clone()],
        items,
    );
    items.receivers.push(queue);
}

/// Whether a topic or queue is FIFO: its flag, or a name ending `.fifo`.
fn fifo(attrs: &Attr, key: &str) -> Option<bool> {
    let named = attrs
        .get("name")
        .map(|name| name.text().ends_with(&Text::lit(".fifo")));
    match (attrs.boolean(key, false), named) {
        (Some(true), _) | (_, Some(Tri::Yes)) => Some(true),
        (Some(false), None | Some(Tri::No)) => Some(false),
        _ => None,
    }
}

/// A topic's or queue's `policy` argument, when set.
fn inline_policy(resource: &Resource<'_>, kind: ReceiverKind, on: Vec<Text>, items: &mut Items) {
    // Unset, `null` and `""` (what state holds for no policy) are no policy.
    match resource.attrs.get("policy") {
        None => {}
        Some(attr) => items.grants.push(Grant {
            name: resource.address.to_owned(),
            loc: resource.loc,
            kind,
            on,
            policy: Policy::read(&doc(attr)),
        }),
    }
}

/// `aws_sns_topic_policy` (`arn`) and `aws_sqs_queue_policy` (`queue_url`).
pub(super) fn resource_policy(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let (on, kind) = match (attrs.field("arn"), attrs.field("queue_url")) {
        (Some(arn), _) => (arn.text(), ReceiverKind::Topic),
        (None, Some(url)) => (url.text(), ReceiverKind::Queue),
        (None, None) => return,
    };
    items.grants.push(Grant {
        name: resource.address.to_owned(),
        loc: resource.loc,
        kind,
        on: vec![on],
        policy: Policy::read(
            &attrs
                .field("policy")
                .map_or_else(|| Doc::unknown(attrs.span), doc),
        ),
    });
}

/// `aws_lambda_permission`: one statement of the function's resource policy.
pub(super) fn permission(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let leaf = |key: &str| -> Option<Doc> {
        let attr = attrs.get(key)?;
        Some(match attr.value {
            AttrValue::Unknown => Doc::unknown(attr.span),
            _ => Doc::text(attr.span, attr.text()),
        })
    };
    let (Some(action), Some(principal)) = (leaf("action"), leaf("principal")) else {
        return;
    };
    let region = resource.region.as_deref();
    let function = crate::ingest::function_arn(
        &attrs.text_of("function_name"),
        partition_text(region),
        region.map_or_else(|| Text::pseudo(Pseudo::Region), Text::lit),
    );
    let function = match setting(Some(attrs), "qualifier") {
        Setting::Absent => function,
        Setting::Set(qualifier) => Text::concat([function, Text::lit(":"), qualifier.text]),
        Setting::Undecided => Text::unknown(),
    };
    let conditions = [
        ("source_arn", "ArnLike", "AWS:SourceArn"),
        ("source_account", "StringEquals", "AWS:SourceAccount"),
        ("principal_org_id", "StringEquals", "aws:PrincipalOrgID"),
        (
            "event_source_token",
            "StringEquals",
            "lambda:EventSourceToken",
        ),
    ]
    .into_iter()
    // Unset, null or empty is no condition; a value known only after apply is an unknown one.
    .filter_map(|(argument, operator, key)| Some((operator, key, leaf(argument)?)))
    .collect();
    let policy = crate::ingest::permission_policy(
        attrs.span,
        principal,
        action,
        Doc::text(attrs.span, function.clone()),
        conditions,
    );
    items.grants.push(Grant {
        name: resource.address.to_owned(),
        loc: resource.loc,
        kind: ReceiverKind::Function,
        on: vec![function],
        policy,
    });
}

/// The partition of a region, as a text; the deployment's when the region is not known.
pub(crate) fn partition_text(region: Option<&str>) -> Text {
    match region {
        Some(region) if region.starts_with("cn-") => Text::lit("aws-cn"),
        Some(region) if region.starts_with("us-gov-") => Text::lit("aws-us-gov"),
        Some(_) => Text::lit("aws"),
        None => Text::pseudo(Pseudo::Partition),
    }
}

/// `aws_kms_key`.
pub(super) fn key(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    items.keys.push(Key {
        name: resource.address.to_owned(),
        loc: resource.loc,
        arn: attrs.text_of("arn"),
        names: ["id", "key_id", "arn"]
            .iter()
            .map(|key| attrs.text_of(key))
            .collect(),
        // Unset means the default key policy, which admits no service.
        policy: attrs.get("policy").map(|attr| Policy::read(&doc(attr))),
        open: false,
    });
}

/// `aws_kms_alias`, `aws_kms_key_policy` and `aws_kms_grant`.
pub(super) fn key_extra(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let extra = match (attrs.field("target_key_id"), attrs.field("policy")) {
        (Some(_), _) => KeyExtraKind::Alias(attrs.text_of("name")),
        (None, Some(policy)) => KeyExtraKind::Policy(Policy::read(&doc(policy))),
        (None, None) => KeyExtraKind::Open,
    };
    let key = attrs
        .field("target_key_id")
        .or(attrs.field("key_id"))
        .map_or_else(Text::unknown, Attr::text);
    items.key_extras.push(KeyExtra { key, extra });
}

/// `aws_iam_role`.
pub(super) fn role(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let policies = match attrs.field("inline_policy").map(|a| &a.value) {
        None | Some(AttrValue::Null) => Vec::new(),
        Some(AttrValue::List(blocks)) => blocks
            .iter()
            .filter_map(|block| block.field("policy"))
            .map(|policy| Policy::read(&doc(policy)))
            .collect(),
        Some(_) => vec![Policy::read(&Doc::unknown(attrs.span))],
    };
    items.roles.push(Role {
        name: resource.address.to_owned(),
        loc: resource.loc,
        arn: attrs.text_of("arn"),
        role_name: attrs.text_of("name"),
        trust: Policy::read(
            &attrs
                .field("assume_role_policy")
                .map_or_else(|| Doc::unknown(attrs.span), doc),
        ),
        policies,
        managed: match attrs.field("managed_policy_arns").map(|a| &a.value) {
            None | Some(AttrValue::Null) => Some(Vec::new()),
            Some(AttrValue::List(_)) => Some(Attr::texts(attrs.field("managed_policy_arns"))),
            Some(_) => None,
        },
    });
}

/// `aws_iam_role_policy` (one role) and `aws_iam_policy` (attached by ARN).
pub(super) fn role_policy(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let (roles, arn) = match attrs.field("role") {
        Some(role) => (Some(vec![role.text()]), None),
        None => (Some(Vec::new()), Some(attrs.text_of("arn"))),
    };
    items.role_policies.push(RolePolicy {
        name: resource.address.to_owned(),
        roles,
        arn,
        policy: Policy::read(
            &attrs
                .field("policy")
                .map_or_else(|| Doc::unknown(attrs.span), doc),
        ),
    });
}

/// `aws_iam_role_policy_attachment` (`role`) and `aws_iam_policy_attachment` (`roles`).
pub(super) fn attachment(resource: &Resource<'_>, items: &mut Items) {
    let attrs = resource.attrs;
    let policy_arn = attrs.text_of("policy_arn");
    // `roles` known only after apply, or with elements that are, holds roles not known here.
    let roles = match attrs.field("role") {
        Some(role) => vec![role.text()],
        None => Attr::texts(attrs.get("roles")),
    };
    for role in roles {
        items.attachments.push(Attachment {
            role,
            policy_arn: policy_arn.clone(),
        });
    }
}

/// A policy argument: JSON text (a heredoc, a policy document's `json`) or `jsonencode` of a
/// value, whose parts keep their places.
pub(super) fn doc(attr: &Attr) -> Doc {
    match &attr.value {
        AttrValue::Encoded(inner) => structure(inner, 0),
        AttrValue::String(text) => match text.as_lit() {
            Some(json) => crate::ingest::json_doc(json, attr.span),
            None => Doc::unknown(attr.span),
        },
        _ => Doc::unknown(attr.span),
    }
}

const MAX_DOC_DEPTH: u8 = 32;

fn structure(attr: &Attr, depth: u8) -> Doc {
    let span = attr.span;
    if depth > MAX_DOC_DEPTH {
        return Doc::unknown(span);
    }
    let value = match &attr.value {
        AttrValue::Unknown => DocValue::Unknown,
        AttrValue::Null => DocValue::Null,
        AttrValue::Bool(_) | AttrValue::Number(_) | AttrValue::String(_) => {
            DocValue::Text(attr.text())
        }
        AttrValue::Encoded(_) => DocValue::Text(attr.text()),
        AttrValue::List(items) => {
            DocValue::List(items.iter().map(|i| structure(i, depth + 1)).collect())
        }
        AttrValue::Object(entries) => DocValue::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), structure(v, depth + 1)))
                .collect(),
        ),
    };
    Doc { span, value }
}
