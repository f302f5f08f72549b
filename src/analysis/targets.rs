//! Facts about the target side: for every target of every rule, what it is, whether it is
//! declared in the inputs, and whether EventBridge may deliver there: the resource policy
//! (Lambda permissions, topic and queue policies), the KMS key, the role, the dead-letter
//! queue. Each answer is a [`Tri`] that is `No` only when the inputs prove it; the checks
//! decide which `No` is whose finding.
//!
//! Policies, keys and roles are found by index (the name of the function, queue, topic or
//! role they name), so the cost is linear in targets and policies.

use std::collections::{HashMap, HashSet};

use super::lookup::{self, ByName};
use super::policy::{self, Context, Decision, Kind, Request};
use crate::model::policy::Policy;
use crate::model::{
    Deployment, EventRule, Grant, Key, KeyExtraKind, Receiver, ReceiverKind, Role, RuleRef,
    Setting, Target,
};
use crate::source::FileId;
use crate::value::{Piece, Pseudo, Symbol, Text, Tri};

/// The most policies of unreadable names weighed for one question: beyond, the answer is
/// unknown, so that a repository of many such policies costs linear time.
const MAX_UNREAD: usize = 256;

/// The service principal EventBridge delivers as.
pub const EVENTS: &str = "events.amazonaws.com";

/// What a target's ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    Function,
    Topic,
    Queue,
    StateMachine,
    Kinesis,
    Firehose,
    Ecs,
    Batch,
    CodeBuild,
    CodePipeline,
    /// SSM Run Command or Automation.
    Ssm,
    ApiDestination,
    Logs,
    Bus,
    /// Another service (an API Gateway stage, an EC2 action…).
    Other,
    /// The ARN cannot be read before deployment.
    Unknown,
}

impl TargetKind {
    /// The kind of what `arn` names, from its service and resource type.
    pub fn of(arn: &Text) -> TargetKind {
        // Most services are told by their name alone, read without building the parts.
        match quick_service(arn) {
            Some("lambda" | "events") | None => {}
            Some(service) => return TargetKind::of_service(service, &Text::default()),
        }
        let Some(parts) = arn_parts(arn) else {
            return TargetKind::Unknown;
        };
        let Some(service) = parts[2].as_lit() else {
            return TargetKind::Unknown;
        };
        TargetKind::of_service(service, &parts[5])
    }

    /// The kind of a resource of `service` whose resource part is `resource`.
    fn of_service(service: &str, resource: &Text) -> TargetKind {
        let starts = |prefix: &str| resource.starts_with(&Text::lit(prefix)) == Tri::Yes;
        match service {
            "lambda" if starts("function:") => TargetKind::Function,
            "sns" => TargetKind::Topic,
            "sqs" => TargetKind::Queue,
            "states" => TargetKind::StateMachine,
            "kinesis" => TargetKind::Kinesis,
            "firehose" => TargetKind::Firehose,
            "ecs" => TargetKind::Ecs,
            "batch" => TargetKind::Batch,
            "codebuild" => TargetKind::CodeBuild,
            "codepipeline" => TargetKind::CodePipeline,
            "ssm" => TargetKind::Ssm,
            "logs" => TargetKind::Logs,
            "events" if starts("api-destination/") => TargetKind::ApiDestination,
            "events" if starts("event-bus/") => TargetKind::Bus,
            _ => TargetKind::Other,
        }
    }

    /// What EventBridge calls on a target of this kind, with a role (or, for functions,
    /// topics and queues, with their resource policy).
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            TargetKind::Function => &["lambda:InvokeFunction"],
            TargetKind::Topic => &["sns:Publish"],
            TargetKind::Queue => &["sqs:SendMessage"],
            TargetKind::StateMachine => &["states:StartExecution"],
            TargetKind::Kinesis => &["kinesis:PutRecord"],
            TargetKind::Firehose => &["firehose:PutRecord", "firehose:PutRecordBatch"],
            TargetKind::Ecs => &["ecs:RunTask"],
            TargetKind::Batch => &["batch:SubmitJob"],
            TargetKind::CodeBuild => &["codebuild:StartBuild"],
            TargetKind::CodePipeline => &["codepipeline:StartPipelineExecution"],
            TargetKind::ApiDestination => &["events:InvokeApiDestination"],
            TargetKind::Bus => &["events:PutEvents"],
            TargetKind::Ssm | TargetKind::Logs | TargetKind::Other | TargetKind::Unknown => &[],
        }
    }
}

/// The service of an ARN when its first pieces say it plainly: `arn:aws:sqs:…` written out,
/// or `arn:` and a partition symbol followed by `:sqs:…`.
fn quick_service(arn: &Text) -> Option<&str> {
    match arn.pieces() {
        [Piece::Lit(first), ..] if first.matches(':').count() >= 3 => {
            let mut parts = first.split(':');
            (parts.next() == Some("arn")).then_some(())?;
            parts.nth(1)
        }
        [Piece::Lit(first), Piece::Sym(_), Piece::Lit(third), ..] if first == "arn:" => {
            let service = third.strip_prefix(':')?;
            let (service, _) = service.split_once(':')?;
            Some(service)
        }
        _ => None,
    }
}

/// The six colon-separated parts of an ARN (the last keeps its colons); `None` when the text
/// is not certainly an ARN or its parts cannot be told apart.
pub fn arn_parts(arn: &Text) -> Option<Vec<Text>> {
    let mut parts = Vec::with_capacity(6);
    let mut rest = arn.clone();
    for _ in 0..5 {
        let (head, tail) = rest.split_once(':')?;
        if head.pieces().iter().any(|p| matches!(p, Piece::Unknown)) {
            return None;
        }
        parts.push(head);
        rest = tail;
    }
    parts.push(rest);
    (parts[0].as_lit() == Some("arn")).then_some(parts)
}

/// The name part of an ARN or URL: a function's name (without qualifier), a queue's, topic's
/// or role's name; what the index of policies and roles is keyed by.
fn name_of(text: &Text) -> Text {
    // Most ARNs the inputs build end with the name, a symbol, after a separator (but after a
    // function's name, written or a symbol, the symbol is its qualifier).
    let function = text
        .pieces()
        .iter()
        .any(|piece| matches!(piece, Piece::Lit(lit) if lit.contains("function:")));
    if let [.., Piece::Lit(before), Piece::Sym(name)] = text.pieces()
        && (before.ends_with(':') || before.ends_with('/'))
        && (!function || before.ends_with("function:"))
    {
        return Text::sym(name.clone());
    }
    if let Some(parts) = arn_parts(text) {
        let resource = &parts[5];
        if let Some(function) = resource.strip_prefix("function:") {
            return function.split_once(':').map_or(function, |(name, _)| name);
        }
        let mut last = resource.clone();
        while let Some((_, tail)) = last.split_once('/') {
            last = tail;
        }
        return last;
    }
    let mut last = text.clone();
    while let Some((_, tail)) = last.split_once('/') {
        last = tail;
    }
    last
}

/// The target side of a deployment: the facts of each target and the index that answers
/// questions about them.
pub struct TargetReport<'d> {
    pub facts: Vec<TargetFacts<'d>>,
    pub index: Targets<'d>,
}

/// Finds every target's facts.
pub fn analyse(deployment: &Deployment) -> TargetReport<'_> {
    let index = Targets::new(deployment);
    let facts = index.facts();
    TargetReport { facts, index }
}

/// One target with the rule that certainly sends to it.
pub struct TargetFacts<'d> {
    pub target: &'d Target,
    pub rule: &'d EventRule,
    pub kind: TargetKind,
    /// The function, topic or queue the target names, when it is declared in the inputs.
    pub receiver: Option<&'d Receiver>,
}

/// The deployment's target side, indexed.
pub struct Targets<'d> {
    deployment: &'d Deployment,
    receivers: HashMap<&'d Text, Vec<usize>>,
    grants: ByName,
    /// Grants on names that cannot be read, by their file.
    unkeyed_grants: HashMap<FileId, Vec<usize>>,
    connectors: ByName,
    roles: HashMap<&'d Text, Vec<usize>>,
    role_policies: ByName,
    /// Managed policies by the name their ARN ends with.
    managed: ByName,
    attachments: ByName,
    keys: Vec<KeyNames<'d>>,
    /// Keys by each text that names them.
    key_names: HashMap<Text, Vec<usize>>,
    /// Templates that hand out their resources' names.
    open_templates: HashSet<FileId>,
}

/// A key with every text that names it, its aliases and policies declared apart included.
struct KeyNames<'d> {
    key: &'d Key,
    names: Vec<Text>,
    /// Policies declared apart (`aws_kms_key_policy`) that are certainly this key's.
    policies: Vec<&'d Policy>,
    /// A grant or unreadable policy that may be this key's.
    open: Tri,
}

impl<'d> Targets<'d> {
    pub fn new(deployment: &'d Deployment) -> Targets<'d> {
        let mut receivers: HashMap<&Text, Vec<usize>> = HashMap::new();
        for (index, receiver) in deployment.receivers.iter().enumerate() {
            receivers.entry(&receiver.arn).or_default().push(index);
        }
        let mut roles: HashMap<&Text, Vec<usize>> = HashMap::new();
        for (index, role) in deployment.roles.iter().enumerate() {
            roles.entry(&role.arn).or_default().push(index);
        }
        // A grant is found under the name of each resource it is on; one on a name that has no
        // key is found for every question.
        let grant_names: Vec<Vec<Text>> = deployment
            .grants
            .iter()
            .map(|grant| grant.on.iter().map(name_of).collect())
            .collect();
        let grants = ByName::new_multi(grant_names.iter().map(|names| names.as_slice()));
        let connector_names: Vec<Text> = deployment
            .connectors
            .iter()
            .map(|c| name_of(&c.destination))
            .collect();
        let role_policy_names: Vec<Vec<Text>> = deployment
            .role_policies
            .iter()
            .map(|p| p.roles.clone().unwrap_or_else(|| vec![Text::unknown()]))
            .collect();
        let policy_names: Vec<Option<Text>> = deployment
            .role_policies
            .iter()
            .map(|p| p.arn.as_ref().map(name_of))
            .collect();
        let attachment_roles: Vec<&Text> = deployment.attachments.iter().map(|a| &a.role).collect();
        let (keys, key_names) = keys(deployment);
        let mut unkeyed_grants: HashMap<FileId, Vec<usize>> = HashMap::new();
        for &index in grants.unkeyed() {
            let file = deployment.grants[index].loc.file;
            unkeyed_grants.entry(file).or_default().push(index);
        }
        Targets {
            deployment,
            unkeyed_grants,
            key_names,
            receivers,
            grants,
            connectors: ByName::new(connector_names.iter().map(Some)),
            roles,
            role_policies: ByName::new_multi(role_policy_names.iter().map(|n| n.as_slice())),
            managed: ByName::new(policy_names.iter().map(Option::as_ref)),
            attachments: ByName::new(attachment_roles.into_iter().map(Some)),
            keys,
            open_templates: deployment.open_templates.iter().copied().collect(),
        }
    }

    /// Every target with the rule that certainly sends to it: the rule it is declared in, or
    /// (Terraform) the rule its `rule` certainly names on its bus.
    fn facts(&self) -> Vec<TargetFacts<'d>> {
        let deployment = self.deployment;
        let declared: HashMap<(FileId, &str), &EventRule> = deployment
            .rules
            .iter()
            .map(|rule| ((rule.loc.file, rule.name.as_str()), rule))
            .collect();
        let named = deployment
            .targets
            .iter()
            .any(|target| matches!(target.rule, RuleRef::Named(_)))
            .then(|| lookup::rules_by_name(deployment));
        let mut out = Vec::new();
        for target in &deployment.targets {
            let rules: Vec<&EventRule> = match (&target.rule, &named) {
                (RuleRef::Declared { file, name }, _) => declared
                    .get(&(*file, name.as_str()))
                    .copied()
                    .into_iter()
                    .collect(),
                (RuleRef::Named(name), Some(by_name)) => {
                    lookup::named_senders(by_name, deployment, name, target)
                        .into_iter()
                        .filter(|(sends, _)| *sends == Tri::Yes)
                        .map(|(_, rule)| rule)
                        .collect()
                }
                (RuleRef::Named(_), None) => Vec::new(),
            };
            if rules.is_empty() {
                continue;
            }
            let kind = TargetKind::of(&target.arn);
            let receiver = self.receiver(&target.arn);
            for rule in rules {
                out.push(TargetFacts {
                    target,
                    rule,
                    kind,
                    receiver,
                });
            }
        }
        out
    }

    /// The function, topic or queue declared in the inputs that `arn` certainly names.
    pub fn receiver(&self, arn: &Text) -> Option<&'d Receiver> {
        self.receivers
            .get(arn)
            .into_iter()
            .flatten()
            .map(|&index| &self.deployment.receivers[index])
            .find(|receiver| receiver.arn.equals(arn) == Tri::Yes)
    }

    /// The role declared in the inputs that `arn` certainly names.
    pub fn role(&self, arn: &Text) -> Option<&'d Role> {
        self.roles
            .get(arn)
            .into_iter()
            .flatten()
            .map(|&index| &self.deployment.roles[index])
            .find(|role| role.arn.equals(arn) == Tri::Yes)
    }

    /// Whether the resource policy of `receiver` (the grants on it, and SAM connectors) lets
    /// EventBridge deliver `rule`'s events to `arn` (the receiver's ARN as the target names
    /// it). Returns the decision and the grants that were read.
    pub fn resource_permits(
        &self,
        receiver: &Receiver,
        arn: &Text,
        rule: &EventRule,
    ) -> (Tri, Vec<&'d Grant>) {
        let action = match receiver.kind {
            ReceiverKind::Function => "lambda:InvokeFunction",
            ReceiverKind::Topic => "sns:Publish",
            ReceiverKind::Queue => "sqs:SendMessage",
        };
        let account = Text::pseudo(Pseudo::AccountId);
        let request = Request {
            principal: EVENTS,
            action,
            resource: arn,
            source_arn: Context::Known(&rule.arn),
            source_account: Context::Known(&account),
        };
        let mut certain = Vec::new();
        let mut uncertain = Vec::new();
        let mut grants = Vec::new();
        // Grants on names that cannot be read may be on any resource: of another template only
        // when the receiver's name can reach it. (No grant of another template is keyed by a
        // closed receiver's name: generated names are scoped to their template.)
        let closed = self.closed(receiver);
        let unkeyed: &[usize] = if closed {
            self.unkeyed_grants
                .get(&receiver.loc.file)
                .map_or(&[], Vec::as_slice)
        } else {
            self.grants.unkeyed()
        };
        let name = name_of(arn);
        let Some(keyed) = self.grants.keyed(&name) else {
            return (Tri::Unknown, grants);
        };
        // Past a few hundred grants on one name, weighing them for each of its targets would
        // cost their product: unknown.
        if unkeyed.len() > MAX_UNREAD || keyed.len() > MAX_UNREAD {
            return (Tri::Unknown, grants);
        }
        let mut candidates: Vec<usize> = keyed.iter().chain(unkeyed).copied().collect();
        candidates.sort_unstable();
        candidates.dedup();
        for index in candidates {
            let grant = &self.deployment.grants[index];
            if grant.kind != receiver.kind {
                continue;
            }
            let on = Tri::any(grant.on.iter().map(|on| {
                on.equals(&receiver.arn)
                    .or(Tri::any(receiver.aliases.iter().map(|a| on.equals(a))))
            }));
            match on {
                Tri::Yes => certain.push(&grant.policy),
                Tri::Unknown => uncertain.push(&grant.policy),
                Tri::No => continue,
            }
            grants.push(grant);
        }
        let connected = self.connected(&rule.arn, arn, &name, receiver);
        let decided = unless_uncertain(&certain, &uncertain, Kind::Resource, &request);
        (decided.or(connected), grants)
    }

    /// The grants on the same function, topic or queue name as `arn` that are certainly on
    /// something else: a permission on the function when the target is an alias, or on
    /// another alias.
    pub fn grants_beside(&self, receiver: &Receiver, arn: &Text) -> Vec<&'d Grant> {
        self.grants
            .keyed(&name_of(arn))
            .unwrap_or_default()
            .iter()
            .take(MAX_UNREAD)
            .map(|&index| &self.deployment.grants[index])
            .filter(|grant| {
                grant.kind == receiver.kind
                    && Tri::all(grant.on.iter().map(|on| on.equals(arn).not())) == Tri::Yes
            })
            .collect()
    }

    /// Whether no other template can name the receiver: its name is generated and its
    /// template hands out no names (no `Outputs`, no nested stacks).
    fn closed(&self, receiver: &Receiver) -> bool {
        let generated = receiver
            .arn
            .pieces()
            .iter()
            .any(|piece| matches!(piece, Piece::Sym(Symbol::Generated(_))));
        generated
            && receiver.dialect != crate::model::Dialect::Terraform
            && !self.open_templates.contains(&receiver.loc.file)
    }

    /// Whether a SAM connector from `source` to `destination` writes the permission.
    fn connected(
        &self,
        source: &Text,
        destination: &Text,
        name: &Text,
        receiver: &Receiver,
    ) -> Tri {
        if self.connectors.len() == 0 {
            return Tri::No;
        }
        let Some(keyed) = self.connectors.keyed(name) else {
            // A destination that cannot be read may be any connector's.
            return Tri::Unknown;
        };
        let unkeyed = self.connectors.unkeyed();
        if unkeyed.len() > MAX_UNREAD {
            return Tri::Unknown;
        }
        Tri::any(
            keyed
                .iter()
                .chain(unkeyed)
                .map(|&index| &self.deployment.connectors[index])
                .map(|c| {
                    let to = c.destination.equals(destination);
                    let to = if to == Tri::Unknown
                        && c.loc.file != receiver.loc.file
                        && self.closed(receiver)
                    {
                        Tri::No
                    } else {
                        to
                    };
                    c.source.equals(source).and(to)
                }),
        )
    }

    /// What the key that encrypts a topic (`for_topic`) or queue is, and whether its policy
    /// lets EventBridge use it.
    pub fn key_of(&self, key: &Text, for_topic: bool) -> KeyFacts<'d> {
        let managed = key
            .starts_with(&Text::lit("alias/aws/"))
            .or(key.split_once('/').map_or(Tri::No, |(head, tail)| {
                head.ends_with(&Text::lit(":alias"))
                    .and(tail.starts_with(&Text::lit("aws/")))
            }));
        if managed == Tri::Yes {
            return KeyFacts::AwsManaged;
        }
        let mut found: Vec<usize> = self
            .key_names
            .get(key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&index| {
                Tri::any(self.keys[index].names.iter().map(|n| n.equals(key))) == Tri::Yes
            })
            .collect();
        found.dedup();
        match found.as_slice() {
            [one] => {
                let names = &self.keys[*one];
                let key = names.key;
                // A policy declared apart replaces the key's own (`None`: the default one). Of
                // two, which one holds is unknown, as is what a grant, or a policy that may be
                // this key's, lets others do.
                let holds = match names.policies.as_slice() {
                    _ if names.open != Tri::No => None,
                    [] => Some(key.policy.as_ref()),
                    [apart] => Some(Some(*apart)),
                    _ => None,
                };
                let (policy, permits) = match holds {
                    Some(policy) => (policy, Targets::key_permits(key, policy, for_topic)),
                    None => (None, Tri::Unknown),
                };
                KeyFacts::Declared {
                    key,
                    policy,
                    permits,
                }
            }
            _ => KeyFacts::Unknown,
        }
    }

    /// Whether a key's policy lets EventBridge encrypt and decrypt with it, for a topic
    /// (`for_topic`: SNS does not pass `aws:SourceArn` or `aws:SourceAccount` to KMS for
    /// EventBridge) or a queue (what it passes is not documented: unknown).
    fn key_permits(key: &Key, policy: Option<&Policy>, for_topic: bool) -> Tri {
        // Without a policy, a key has the default policy: the account's IAM principals only,
        // no service.
        let default_policy = Policy {
            span: key.loc.span,
            statements: Some(Vec::new()),
        };
        let chosen = policy.unwrap_or(&default_policy);
        let arn = &key.arn;
        let context = if for_topic {
            Context::Absent
        } else {
            Context::Unknown
        };
        Tri::all(["kms:GenerateDataKey", "kms:Decrypt"].iter().map(|action| {
            policy::allows(
                &[chosen],
                Kind::Resource,
                &Request {
                    principal: EVENTS,
                    action,
                    resource: arn,
                    source_arn: context,
                    source_account: context,
                },
            )
        }))
    }

    /// Whether `events.amazonaws.com` may assume the role for `rule`.
    pub fn role_trusted(&self, role: &Role, rule: &EventRule) -> Decision {
        let account = Text::pseudo(Pseudo::AccountId);
        policy::decision(
            &[&role.trust],
            Kind::Trust,
            &Request {
                principal: EVENTS,
                action: "sts:AssumeRole",
                resource: &role.arn,
                source_arn: Context::Known(&rule.arn),
                source_account: Context::Known(&account),
            },
        )
    }

    /// Whether the role's policies allow one of `actions` on `resource`.
    pub fn role_allows(&self, role: &Role, actions: &[&str], resource: &Text) -> Tri {
        let deployment = self.deployment;
        let mut certain: Vec<&Policy> = role.policies.iter().collect();
        let mut uncertain: Vec<&Policy> = Vec::new();
        let mut unread = false;
        let (Some(keyed), unkeyed) = (
            self.role_policies.keyed(&role.role_name),
            self.role_policies.unkeyed(),
        ) else {
            return Tri::Unknown;
        };
        if unkeyed.len() > MAX_UNREAD {
            return Tri::Unknown;
        }
        for &index in keyed.iter().chain(unkeyed) {
            let policy = &deployment.role_policies[index];
            let attached = match &policy.roles {
                Some(roles) => Tri::any(roles.iter().map(|r| r.equals(&role.role_name))),
                None => Tri::Unknown,
            };
            match attached {
                Tri::Yes => certain.push(&policy.policy),
                Tri::Unknown => uncertain.push(&policy.policy),
                Tri::No => {}
            }
        }
        let mut attached_arns: Vec<(Tri, &Text)> = Vec::new();
        match &role.managed {
            Some(arns) => attached_arns.extend(arns.iter().map(|arn| (Tri::Yes, arn))),
            None => unread = true,
        }
        let attachments = self.attachments.keyed(&role.role_name).unwrap_or_default();
        if self.attachments.unkeyed().len() > MAX_UNREAD {
            return Tri::Unknown;
        }
        for &index in attachments.iter().chain(self.attachments.unkeyed()) {
            let attachment = &deployment.attachments[index];
            let this = attachment.role.equals(&role.role_name);
            if this != Tri::No {
                attached_arns.push((this, &attachment.policy_arn));
            }
        }
        if !attached_arns.is_empty() && self.managed.unkeyed().len() > MAX_UNREAD {
            return Tri::Unknown;
        }
        for (this, arn) in attached_arns {
            // An ARN that cannot be read is no declared policy for certain.
            let Some(keyed) = self.managed.keyed(&name_of(arn)) else {
                unread = true;
                continue;
            };
            if keyed.len() > MAX_UNREAD {
                return Tri::Unknown;
            }
            let found: Vec<(Tri, &Policy)> = keyed
                .iter()
                .chain(self.managed.unkeyed())
                .map(|&i| &deployment.role_policies[i])
                .filter_map(|p| {
                    let same = p.arn.as_ref().map_or(Tri::No, |a| a.equals(arn));
                    (same != Tri::No).then_some((same, &p.policy))
                })
                .collect();
            match found.iter().find(|(same, _)| *same == Tri::Yes) {
                // A managed policy declared in the inputs.
                Some((_, policy)) if this == Tri::Yes => certain.push(policy),
                Some((_, policy)) => uncertain.push(policy),
                // An AWS managed policy, or one declared elsewhere: what it allows is unknown.
                None => unread = true,
            }
        }
        let allowed = Tri::any(actions.iter().map(|action| {
            let request = Request {
                principal: EVENTS,
                action,
                resource,
                source_arn: Context::Unknown,
                source_account: Context::Unknown,
            };
            unless_uncertain(&certain, &uncertain, Kind::Identity, &request)
        }));
        if unread && allowed == Tri::No {
            Tri::Unknown
        } else {
            allowed
        }
    }
}

/// The deployment's keys with their aliases and the policies declared apart, and the keys by
/// each text that names them. An alias or policy is found by the key it names; one whose key
/// cannot be read may be any key's, which leaves every key's policy unknown.
fn keys(deployment: &Deployment) -> (Vec<KeyNames<'_>>, HashMap<Text, Vec<usize>>) {
    let mut keys: Vec<KeyNames<'_>> = deployment
        .keys
        .iter()
        .map(|key| KeyNames {
            key,
            names: key.names.clone(),
            policies: Vec::new(),
            open: Tri::from_bool(key.open),
        })
        .collect();
    let mut by_name: HashMap<Text, Vec<usize>> = HashMap::new();
    for (index, key) in keys.iter().enumerate() {
        for name in &key.names {
            by_name.entry(name.clone()).or_default().push(index);
        }
    }
    let mut aliases = Vec::new();
    let mut any_open = false;
    for extra in &deployment.key_extras {
        let mut named: Vec<usize> = by_name
            .get(&extra.key)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&index| {
                Tri::any(keys[index].names.iter().map(|n| n.equals(&extra.key))) == Tri::Yes
            })
            .collect();
        // A key named twice the same way (Terraform's `id` is its `key_id`) is one key.
        named.dedup();
        let readable = extra
            .key
            .pieces()
            .iter()
            .all(|piece| matches!(piece, Piece::Lit(_) | Piece::Sym(Symbol::Generated(_))));
        match &extra.extra {
            KeyExtraKind::Alias(alias) => {
                if let [index] = named.as_slice() {
                    aliases.push((*index, alias.clone()));
                }
            }
            KeyExtraKind::Policy(policy) if !named.is_empty() => {
                for &index in &named {
                    keys[index].policies.push(policy);
                }
            }
            KeyExtraKind::Open if !named.is_empty() => {
                for &index in &named {
                    keys[index].open = Tri::Yes;
                }
            }
            // A literal that names no key here is about a key elsewhere.
            _ if readable => {}
            // A policy or grant that may be any key's leaves every key's policy unknown.
            KeyExtraKind::Policy(_) | KeyExtraKind::Open => any_open = true,
        }
    }
    if any_open {
        for key in &mut keys {
            key.open = key.open.or(Tri::Unknown);
        }
    }
    for (index, alias) in aliases {
        for name in [alias.clone(), alias_arn(&alias)] {
            keys[index].names.push(name.clone());
            by_name.entry(name).or_default().push(index);
        }
    }
    (keys, by_name)
}

/// What encrypts a topic or queue.
#[derive(Debug, Clone, Copy)]
pub enum KeyFacts<'d> {
    /// An AWS managed key (`alias/aws/sns`, `alias/aws/sqs`): its policy cannot be changed and
    /// admits no service principal.
    AwsManaged,
    Declared {
        key: &'d Key,
        /// Its key policy, declared with it or apart; `None` for the default key policy (or
        /// when `permits` is unknown).
        policy: Option<&'d Policy>,
        /// Whether its policy lets EventBridge use it.
        permits: Tri,
    },
    /// Not in the inputs, or not certainly one key.
    Unknown,
}

/// The policies' answer to the request, whether or not the uncertain ones apply: unknown when
/// they would change it.
fn unless_uncertain(
    certain: &[&Policy],
    uncertain: &[&Policy],
    kind: Kind,
    request: &Request<'_>,
) -> Tri {
    let base = policy::allows(certain, kind, request);
    if uncertain.is_empty() {
        return base;
    }
    let all: Vec<&Policy> = certain.iter().chain(uncertain).copied().collect();
    if policy::allows(&all, kind, request) == base {
        base
    } else {
        Tri::Unknown
    }
}

/// `alias/NAME` as an ARN, in the deployment's partition, region and account.
fn alias_arn(alias: &Text) -> Text {
    let mut arn = Text::lit("arn:");
    arn.append(&Text::pseudo(Pseudo::Partition));
    arn.push_str(":kms:");
    arn.append(&Text::pseudo(Pseudo::Region));
    arn.push_str(":");
    arn.append(&Text::pseudo(Pseudo::AccountId));
    arn.push_str(":");
    arn.append(alias);
    arn
}

/// Whether a target is certainly delivered without a role: it has no `RoleArn`, and SAM
/// creates none for it.
pub fn without_role(target: &Target) -> bool {
    matches!(target.role, Setting::Absent) && !target.implied.role
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{FileOutcome, Options, ingest};
    use crate::source::SourceFile;

    /// The deployment the templates (or plans) give, each its own file.
    fn deployment(templates: &[&str]) -> Deployment {
        let mut deployment = Deployment::default();
        for (index, text) in templates.iter().enumerate() {
            let file = SourceFile::new(format!("t{index}.yaml"), (*text).to_owned(), true);
            match ingest(FileId(index as u32), &file, &Options::default()) {
                FileOutcome::Input(contents) => deployment.add(contents.items),
                other => panic!("not a template or plan: {other:?}"),
            }
            deployment.files.push(file);
        }
        deployment
    }

    /// Whether the resource policy of each rule's first target lets the rule deliver.
    fn permitted(templates: &[&str]) -> Vec<Tri> {
        let deployment = deployment(templates);
        let report = analyse(&deployment);
        report
            .facts
            .iter()
            .map(|fact| {
                let receiver = fact.receiver.expect("the target is declared");
                report
                    .index
                    .resource_permits(receiver, &fact.target.arn, fact.rule)
                    .0
            })
            .collect()
    }

    const RULE_TO_FUNCTION: &str = r"
Resources:
  Fn:
    Type: AWS::Lambda::Function
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - {Id: fn, Arn: !GetAtt Fn.Arn}
";

    fn with(extra: &str) -> String {
        format!("{RULE_TO_FUNCTION}{extra}")
    }

    #[test]
    fn a_permission_admits_its_rule_and_no_other() {
        let permission = |source: &str| {
            with(&format!(
                "  Allow:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: !Ref Fn\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\n      SourceArn: {source}\n"
            ))
        };
        assert_eq!(permitted(&[RULE_TO_FUNCTION]), [Tri::No]);
        assert_eq!(permitted(&[&permission("!GetAtt Rule.Arn")]), [Tri::Yes]);
        // The bus instead of the rule, and a rule name that is not this one's.
        assert_eq!(
            permitted(&[&permission(
                "!Sub arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"
            )]),
            [Tri::No]
        );
        assert_eq!(
            permitted(&[&permission(
                "!Sub arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/other"
            )]),
            [Tri::No]
        );
        // Another template's rule of unknown name may be this one.
        assert_eq!(permitted(&[&permission("!Ref RuleArn")]), [Tri::Unknown]);
    }

    #[test]
    fn grants_of_other_kinds_or_resources_do_not_count() {
        let topic_policy = with(
            "  Policy:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [!Ref SomeTopic]\n      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: '*', Resource: '*'}]}\n",
        );
        assert_eq!(permitted(&[&topic_policy]), [Tri::No]);
    }

    /// A permission whose function cannot be read may be on any function, but not on one whose
    /// name is generated in a template that hands out no names.
    #[test]
    fn unknown_grants_reach_only_the_functions_they_can_name() {
        let elsewhere = "
Parameters:
  Name: {Type: String}
Resources:
  Allow:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Name
      Action: lambda:InvokeFunction
      Principal: events.amazonaws.com
";
        assert_eq!(permitted(&[RULE_TO_FUNCTION, elsewhere]), [Tri::No]);
        let outputs = with("Outputs:\n  Name: {Value: !Ref Fn}\n");
        assert_eq!(permitted(&[&outputs, elsewhere]), [Tri::Unknown]);
        let named = RULE_TO_FUNCTION.replace(
            "Type: AWS::Lambda::Function",
            "Type: AWS::Lambda::Function\n    Properties: {FunctionName: orders}",
        );
        assert_eq!(permitted(&[&named, elsewhere]), [Tri::Unknown]);
        // In its own template, a parameter may name the function.
        let same = with(
            "  Allow:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: !Ref Name\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\nParameters:\n  Name: {Type: String}\n",
        );
        assert_eq!(permitted(&[&same]), [Tri::Unknown]);
    }

    /// Past `MAX_UNREAD` grants on one name, or with no name that can be read, the answer is
    /// unknown rather than weighed.
    #[test]
    fn hundreds_of_grants_on_one_name_are_not_weighed() {
        let permissions = |count: usize, function: &str| {
            let mut text = String::from("Parameters:\n  Name: {Type: String}\n");
            text.push_str(&RULE_TO_FUNCTION.replace("Resources:\n", ""));
            text = text.replacen("  Fn:", "Resources:\n  Fn:", 1);
            for index in 0..count {
                text.push_str(&format!(
                    "  Allow{index}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: {function}\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\n      SourceArn: !Sub 'arn:${{AWS::Partition}}:events:${{AWS::Region}}:${{AWS::AccountId}}:rule/other{index}'\n"
                ));
            }
            text
        };
        assert_eq!(permitted(&[&permissions(MAX_UNREAD, "!Ref Fn")]), [Tri::No]);
        assert_eq!(
            permitted(&[&permissions(MAX_UNREAD + 1, "!Ref Fn")]),
            [Tri::Unknown]
        );
        assert_eq!(
            permitted(&[&permissions(MAX_UNREAD, "!Ref Name")]),
            [Tri::No]
        );
        assert_eq!(
            permitted(&[&permissions(MAX_UNREAD + 1, "!Ref Name")]),
            [Tri::Unknown]
        );
    }

    #[test]
    fn connectors_write_the_permission() {
        let connector = |destination: &str| {
            with(&format!(
                "  Connect:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source: {{Id: Rule}}\n      Destination: {destination}\n      Permissions: [Write]\n"
            ))
        };
        assert_eq!(permitted(&[&connector("{Id: Fn}")]), [Tri::Yes]);
        let other = format!(
            "{}  Other:\n    Type: AWS::Lambda::Function\n",
            connector("{Id: Other}")
        );
        assert_eq!(permitted(&[&other]), [Tri::No]);
        assert_eq!(
            permitted(&[&connector("{Arn: !Ref Destination}")]),
            [Tri::Unknown]
        );
    }

    /// A connector of another template whose ends cannot be read may be this rule's, unless the
    /// function's name is generated in a template that hands out no names; past `MAX_UNREAD`
    /// such connectors, the answer is unknown.
    #[test]
    fn connectors_that_cannot_be_read() {
        let elsewhere = |count: usize| {
            let mut text = String::from(
                "Parameters:\n  RuleArn: {Type: String}\n  Destination: {Type: String}\nResources:\n",
            );
            for index in 0..count {
                text.push_str(&format!(
                    "  Connect{index}:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source: {{Arn: !Ref RuleArn}}\n      Destination: {{Arn: !Ref Destination}}\n      Permissions: [Write]\n"
                ));
            }
            text
        };
        assert_eq!(permitted(&[RULE_TO_FUNCTION, &elsewhere(1)]), [Tri::No]);
        let outputs = with("Outputs:\n  Name: {Value: !Ref Fn}\n");
        assert_eq!(permitted(&[&outputs, &elsewhere(1)]), [Tri::Unknown]);
        // Connectors from another source, in the same template.
        let others = |count: usize| {
            let mut text = with(
                "  Other:\n    Type: AWS::Events::Rule\n    Properties: {ScheduleExpression: rate(1 day)}\n",
            );
            text.push_str("Parameters:\n  Destination: {Type: String}\n");
            let connectors: String = (0..count)
                .map(|index| format!(
                    "  Connect{index}:\n    Type: AWS::Serverless::Connector\n    Properties:\n      Source: {{Id: Other}}\n      Destination: {{Arn: !Ref Destination}}\n      Permissions: [Write]\n"
                ))
                .collect();
            text.replacen("  Fn:\n", &format!("{connectors}  Fn:\n"), 1)
        };
        let decided = permitted(&[&others(MAX_UNREAD)]);
        assert_eq!(decided[0], Tri::No);
        assert_eq!(permitted(&[&others(MAX_UNREAD + 1)])[0], Tri::Unknown);
    }

    /// A policy declared apart may be attached to any role when its roles cannot be read;
    /// past `MAX_UNREAD` of them (or of managed policies whose ARN cannot be read), unknown.
    #[test]
    fn role_policies_that_cannot_be_read() {
        let base = "Parameters:
  RoleName: {Type: String}
  PolicyName: {Type: String}
Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - {Id: m, Arn: !Ref Machine, RoleArn: !GetAtt Role.Arn}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sts:AssumeRole}]
";
        let apart = |count: usize, head: &str| {
            let mut text = base.replace("{ATTACHED}", "");
            text = text.replacen(
                "      AssumeRolePolicyDocument:",
                &format!("{head}      AssumeRolePolicyDocument:"),
                1,
            );
            for index in 0..count {
                text.push_str(&format!(
                    "  Extra{index}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      ManagedPolicyName: !Sub '${{PolicyName}}-{index}'\n      Roles: [!Ref RoleName]\n      PolicyDocument: {{Statement: [{{Effect: Allow, Action: s3:GetObject, Resource: '*'}}]}}\n"
                ));
            }
            text
        };
        assert_eq!(role_facts(&apart(MAX_UNREAD, "")), (Tri::Yes, Tri::No));
        assert_eq!(
            role_facts(&apart(MAX_UNREAD + 1, "")),
            (Tri::Yes, Tri::Unknown)
        );
        // Managed policies whose ARN cannot be read matter only to a role that attaches some.
        let attaching = "      ManagedPolicyArns: [!Ref Own]\n";
        let own = "  Own:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]}\n";
        let unattached = |count: usize, head: &str| {
            let text = apart(count, head).replace("      Roles: [!Ref RoleName]\n", "");
            format!("{text}{own}")
        };
        assert_eq!(
            role_facts(&unattached(MAX_UNREAD + 1, "")),
            (Tri::Yes, Tri::No)
        );
        assert_eq!(role_facts(&unattached(1, attaching)).1, Tri::No);
        assert_eq!(role_facts(&unattached(MAX_UNREAD, attaching)).1, Tri::No);
        assert_eq!(
            role_facts(&unattached(MAX_UNREAD + 1, attaching)).1,
            Tri::Unknown
        );
        // Declared managed policies of one name, attached by ARN.
        let same_name = |count: usize| {
            let text = apart(
                count,
                "      ManagedPolicyArns: [!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/shared']\n",
            );
            text.replace("      Roles: [!Ref RoleName]\n", "")
                .replace("!Sub '${PolicyName}-", "shared #")
        };
        assert_eq!(role_facts(&same_name(MAX_UNREAD)).1, Tri::No);
        assert_eq!(role_facts(&same_name(MAX_UNREAD + 1)).1, Tri::Unknown);
    }

    /// Whether each target's role is trusted, and allowed `states:StartExecution` on it.
    fn role_facts(text: &str) -> (Tri, Tri) {
        let deployment = deployment(&[text]);
        let report = analyse(&deployment);
        let fact = &report.facts[0];
        let arn = &fact.target.role.written().expect("a role").text;
        let role = report.index.role(arn).expect("the role is declared");
        (
            report.index.role_trusted(role, fact.rule).allowed,
            report
                .index
                .role_allows(role, fact.kind.actions(), &fact.target.arn),
        )
    }

    #[test]
    fn roles_by_trust_and_policies() {
        let role = |trust: &str, rest: &str| {
            format!(
                "Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - {{Id: m, Arn: !Ref Machine, RoleArn: !GetAtt Role.Arn}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{{Effect: Allow, Principal: {{Service: {trust}}}, Action: sts:AssumeRole}}]
{rest}"
            )
        };
        let inline = "      Policies:\n        - PolicyName: p\n          PolicyDocument: {Statement: [{Effect: Allow, Action: states:StartExecution, Resource: !Ref Machine}]}\n";
        assert_eq!(
            role_facts(&role("events.amazonaws.com", inline)),
            (Tri::Yes, Tri::Yes)
        );
        assert_eq!(
            role_facts(&role("states.amazonaws.com", inline)),
            (Tri::No, Tri::Yes)
        );
        assert_eq!(
            role_facts(&role("events.amazonaws.com", "")),
            (Tri::Yes, Tri::No)
        );
        // A policy declared apart, naming the role.
        let apart = "  Extra:\n    Type: AWS::IAM::Policy\n    Properties:\n      Roles: [!Ref Role]\n      PolicyDocument: {Statement: [{Effect: Allow, Action: 'states:*', Resource: '*'}]}\n";
        assert_eq!(
            role_facts(&role("events.amazonaws.com", apart)),
            (Tri::Yes, Tri::Yes)
        );
        // An AWS managed policy is not catalogued: it may allow anything.
        let managed =
            "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess]\n";
        assert_eq!(
            role_facts(&role("events.amazonaws.com", managed)),
            (Tri::Yes, Tri::Unknown)
        );
        // A managed policy of the inputs, attached by reference, is read.
        let own = "      ManagedPolicyArns: [!Ref Own]\n  Own:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: '*'}]}\n";
        assert_eq!(
            role_facts(&role("events.amazonaws.com", own)),
            (Tri::Yes, Tri::No)
        );
    }

    #[test]
    fn target_kinds_come_from_the_arn() {
        let kind = |arn: &str| TargetKind::of(&Text::lit(arn));
        for (arn, expected) in [
            (
                "arn:aws:lambda:us-east-1:1:function:f:live",
                TargetKind::Function,
            ),
            ("arn:aws:lambda:us-east-1:1:layer:l:1", TargetKind::Other),
            ("arn:aws:sns:us-east-1:1:t", TargetKind::Topic),
            ("arn:aws:sqs:us-east-1:1:q", TargetKind::Queue),
            (
                "arn:aws:states:us-east-1:1:stateMachine:m",
                TargetKind::StateMachine,
            ),
            ("arn:aws:kinesis:us-east-1:1:stream/s", TargetKind::Kinesis),
            (
                "arn:aws:firehose:us-east-1:1:deliverystream/d",
                TargetKind::Firehose,
            ),
            ("arn:aws:ecs:us-east-1:1:cluster/c", TargetKind::Ecs),
            ("arn:aws:batch:us-east-1:1:job-queue/q", TargetKind::Batch),
            (
                "arn:aws:codebuild:us-east-1:1:project/p",
                TargetKind::CodeBuild,
            ),
            (
                "arn:aws:codepipeline:us-east-1:1:p",
                TargetKind::CodePipeline,
            ),
            ("arn:aws:ssm:us-east-1:1:document/d", TargetKind::Ssm),
            ("arn:aws:logs:us-east-1:1:log-group:g", TargetKind::Logs),
            ("arn:aws:events:us-east-1:1:event-bus/b", TargetKind::Bus),
            (
                "arn:aws:events:us-east-1:1:api-destination/d/1",
                TargetKind::ApiDestination,
            ),
            (
                "arn:aws:events:us-east-1:1:connection/c/1",
                TargetKind::Other,
            ),
            ("arn:aws:execute-api:us-east-1:1:a/b", TargetKind::Other),
        ] {
            assert_eq!(kind(arn), expected, "{arn}");
        }
        // Services other than Lambda's and EventBridge's are told by their name alone.
        assert_eq!(
            quick_service(&Text::lit("arn:aws:sqs:us-east-1:1:q")),
            Some("sqs")
        );
        assert_eq!(quick_service(&Text::lit("arn:aws")), None);
        assert_eq!(quick_service(&Text::lit("urn:aws:sqs:us-east-1:1:q")), None);
        assert_eq!(TargetKind::of(&Text::unknown()), TargetKind::Unknown);
        let mut symbolic = Text::lit("arn:");
        symbolic.append(&Text::pseudo(Pseudo::Partition));
        symbolic.push_str(":sqs:");
        symbolic.append(&Text::pseudo(Pseudo::Region));
        symbolic.push_str(":1:q");
        assert_eq!(TargetKind::of(&symbolic), TargetKind::Queue);
        assert_eq!(quick_service(&symbolic), Some("sqs"));
        // A service name that may go on in a symbol is not told.
        let mut open = Text::lit("arn:aws:sq");
        open.append(&Text::pseudo(Pseudo::Region));
        assert_eq!(quick_service(&open), None);
        let mut other = Text::lit("urn:");
        other.append(&Text::pseudo(Pseudo::Partition));
        other.push_str(":sqs:q");
        assert_eq!(quick_service(&other), None);
    }

    #[test]
    fn names_of_arns_and_urls() {
        let name = |text: &str| name_of(&Text::lit(text)).to_string();
        assert_eq!(name("arn:aws:lambda:us-east-1:1:function:f:live"), "f");
        assert_eq!(name("arn:aws:iam::1:role/service/r"), "r");
        assert_eq!(name("https://sqs.us-east-1.amazonaws.com/1/q"), "q");
        assert_eq!(name("arn:aws:sns:us-east-1:1:t"), "t");
        // A symbol at the end is the name, or the qualifier of a named function.
        let symbolic = |before: &str| {
            let mut text = Text::lit(before);
            text.append(&Text::pseudo(Pseudo::Region));
            name_of(&text).to_string()
        };
        assert_eq!(symbolic("arn:aws:lambda:us-east-1:1:function:f:"), "f");
        assert_eq!(
            symbolic("arn:aws:lambda:us-east-1:1:function:"),
            "${AWS::Region}"
        );
        assert_eq!(symbolic("arn:aws:iam::1:role/"), "${AWS::Region}");
        // `function:${Name}:${Version}`: the name, not the qualifier.
        let mut version = Text::lit("arn:aws:lambda:us-east-1:1:function:");
        version.append(&Text::sym(Symbol::Generated("0#Worker".into())));
        version.push_str(":");
        version.append(&Text::sym(Symbol::Opaque("0#Worker.Version".into())));
        assert_eq!(
            name_of(&version),
            Text::sym(Symbol::Generated("0#Worker".into()))
        );
    }

    /// The deployment of a plan with these resources, as `(type, values)`.
    fn plan(resources: &[(&str, serde_json::Value)]) -> Deployment {
        let resources: Vec<serde_json::Value> = resources
            .iter()
            .enumerate()
            .map(|(index, (kind, values))| {
                serde_json::json!({"address": format!("{kind}.r{index}"), "mode": "managed",
                    "type": kind, "name": format!("r{index}"), "values": values})
            })
            .collect();
        let plan = serde_json::json!({"format_version": "1.2",
            "planned_values": {"root_module": {"resources": resources}}});
        deployment(&[&plan.to_string()])
    }

    /// What `key_of` says of the key `k1` of a plan with these resources besides it.
    fn planned_key(extras: &[(&str, serde_json::Value)], asked: &Text) -> String {
        let key = serde_json::json!({"arn": "arn:aws:kms:us-east-1:111122223333:key/k1",
            "id": "k1", "key_id": "k1", "policy": null});
        let mut resources = vec![("aws_kms_key", key)];
        resources.extend(extras.iter().cloned());
        let deployment = plan(&resources);
        match Targets::new(&deployment).key_of(asked, true) {
            KeyFacts::AwsManaged => "managed".to_owned(),
            KeyFacts::Declared { permits, .. } => format!("declared {permits:?}"),
            KeyFacts::Unknown => "unknown".to_owned(),
        }
    }

    /// Whether the role `r` of a plan, the role of a state machine target, may start it, with
    /// these resources besides.
    fn planned_role(extras: &[(&str, serde_json::Value)]) -> Tri {
        let trust = serde_json::json!({"Statement": [{"Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        let mut resources = vec![
            (
                "aws_iam_role",
                serde_json::json!({"name": "r", "arn": "arn:aws:iam::111122223333:role/r",
                    "assume_role_policy": trust.to_string()}),
            ),
            (
                "aws_cloudwatch_event_rule",
                serde_json::json!({"name": "nightly", "schedule_expression": "rate(1 day)",
                    "arn": "arn:aws:events:us-east-1:111122223333:rule/nightly",
                    "event_bus_name": "default"}),
            ),
            (
                "aws_cloudwatch_event_target",
                serde_json::json!({"rule": "nightly", "event_bus_name": "default",
                    "target_id": "m", "role_arn": "arn:aws:iam::111122223333:role/r",
                    "arn": "arn:aws:states:us-east-1:111122223333:stateMachine:m"}),
            ),
        ];
        resources.extend(extras.iter().cloned());
        let deployment = plan(&resources);
        let report = analyse(&deployment);
        let fact = &report.facts[0];
        let role = report
            .index
            .role(&fact.target.role.written().expect("a role").text)
            .expect("the role is declared");
        report
            .index
            .role_allows(role, fact.kind.actions(), &fact.target.arn)
    }

    /// Terraform attaches managed policies to roles apart from both.
    #[test]
    fn attachments_apart() {
        let policy = |name: &str, action: &str| {
            let document = serde_json::json!({"Statement": [{"Effect": "Allow",
                "Action": action, "Resource": "*"}]});
            (
                "aws_iam_policy",
                serde_json::json!({"name": name, "policy": document.to_string(),
                    "arn": format!("arn:aws:iam::111122223333:policy/{name}")}),
            )
        };
        let attach = |role: serde_json::Value, name: &str| {
            (
                "aws_iam_role_policy_attachment",
                serde_json::json!({"role": role,
                    "policy_arn": format!("arn:aws:iam::111122223333:policy/{name}")}),
            )
        };
        let r = || serde_json::Value::from("r");
        let starts = policy("starts", "states:StartExecution");
        let reads = policy("reads", "s3:GetObject");
        assert_eq!(planned_role(&[]), Tri::No);
        assert_eq!(
            planned_role(&[starts.clone(), attach(r(), "starts")]),
            Tri::Yes
        );
        assert_eq!(
            planned_role(&[starts.clone(), attach("other".into(), "starts")]),
            Tri::No
        );
        // An attachment whose role cannot be read may be this role's.
        assert_eq!(
            planned_role(&[starts.clone(), attach(serde_json::Value::Null, "starts")]),
            Tri::Unknown
        );
        // A policy not declared here (an AWS managed one) may allow anything, as may one whose
        // ARN cannot be read.
        assert_eq!(planned_role(&[attach(r(), "starts")]), Tri::Unknown);
        let unreadable = (
            "aws_iam_role_policy_attachment",
            serde_json::json!({"role": "r", "policy_arn": null}),
        );
        assert_eq!(planned_role(&[reads.clone(), unreadable]), Tri::Unknown);
        // Past `MAX_UNREAD` attachments whose role cannot be read, unknown.
        let unread = |count: usize| {
            let mut resources = vec![reads.clone()];
            resources.extend((0..count).map(|_| attach(serde_json::Value::Null, "reads")));
            resources
        };
        assert_eq!(planned_role(&unread(MAX_UNREAD)), Tri::No);
        assert_eq!(planned_role(&unread(MAX_UNREAD + 1)), Tri::Unknown);
    }

    /// Terraform declares a key's policy, grants and aliases apart from the key.
    #[test]
    fn key_policies_grants_and_aliases_apart() {
        let k1 = Text::lit("k1");
        let allowing = serde_json::json!({"Statement": [{"Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"}]})
        .to_string();
        let policy = |key: serde_json::Value| {
            (
                "aws_kms_key_policy",
                serde_json::json!({"key_id": key, "policy": allowing}),
            )
        };
        let grant = |key: serde_json::Value| {
            (
                "aws_kms_grant",
                serde_json::json!({"key_id": key, "operations": ["Decrypt"]}),
            )
        };
        let k = |key: &str| serde_json::Value::from(key);
        let unknown = serde_json::Value::Null;
        // The default key policy admits no service; one declared apart replaces it.
        assert_eq!(planned_key(&[], &k1), "declared No");
        assert_eq!(planned_key(&[policy(k("k1"))], &k1), "declared Yes");
        assert_eq!(
            planned_key(
                &[policy(k("arn:aws:kms:us-east-1:111122223333:key/k1"))],
                &k1
            ),
            "declared Yes"
        );
        // Two policies for one key: which one holds is unknown.
        assert_eq!(
            planned_key(&[policy(k("k1")), policy(k("k1"))], &k1),
            "declared Unknown"
        );
        // A policy or grant for a key of another deployment says nothing of this one; one whose
        // key cannot be read may be this key's.
        assert_eq!(planned_key(&[policy(k("other"))], &k1), "declared No");
        assert_eq!(planned_key(&[grant(k("other"))], &k1), "declared No");
        assert_eq!(
            planned_key(&[policy(unknown.clone())], &k1),
            "declared Unknown"
        );
        assert_eq!(planned_key(&[grant(unknown)], &k1), "declared Unknown");
        // A grant on the key may give anyone its use.
        assert_eq!(planned_key(&[grant(k("k1"))], &k1), "declared Unknown");
        // An alias names the key, as a name and as an ARN.
        let alias = (
            "aws_kms_alias",
            serde_json::json!({"name": "alias/orders", "target_key_id": "k1"}),
        );
        let name = Text::lit("alias/orders");
        assert_eq!(
            planned_key(std::slice::from_ref(&alias), &name),
            "declared No"
        );
        let mut arn = Text::lit("arn:");
        arn.append(&Text::pseudo(Pseudo::Partition));
        arn.push_str(":kms:");
        arn.append(&Text::pseudo(Pseudo::Region));
        arn.push_str(":");
        arn.append(&Text::pseudo(Pseudo::AccountId));
        arn.push_str(":alias/orders");
        assert_eq!(
            planned_key(std::slice::from_ref(&alias), &arn),
            "declared No"
        );
        assert_eq!(planned_key(&[alias], &Text::lit("alias/other")), "unknown");
        assert_eq!(planned_key(&[], &Text::lit("alias/aws/sns")), "managed");
    }

    #[test]
    fn keys_by_alias_and_policies_declared_apart() {
        let topic = |key: &str, extra: &str| {
            format!(
                "Resources:\n  Key:\n    Type: AWS::KMS::Key\n{extra}  Alias:\n    Type: AWS::KMS::Alias\n    Properties: {{AliasName: alias/orders, TargetKeyId: !Ref Key}}\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {{KmsMasterKeyId: {key}}}\n"
            )
        };
        let facts = |text: &str| {
            let deployment = deployment(&[text]);
            let index = Targets::new(&deployment);
            let key = deployment.receivers[0]
                .key
                .written()
                .expect("a key")
                .text
                .clone();
            match index.key_of(&key, true) {
                KeyFacts::AwsManaged => "managed".to_owned(),
                KeyFacts::Declared { permits, .. } => format!("declared {permits:?}"),
                KeyFacts::Unknown => "unknown".to_owned(),
            }
        };
        assert_eq!(facts(&topic("alias/aws/sns", "")), "managed");
        assert_eq!(
            facts(&topic("arn:aws:kms:us-east-1:1:alias/aws/sns", "")),
            "managed"
        );
        // The default key policy admits no service.
        assert_eq!(facts(&topic("alias/orders", "")), "declared No");
        assert_eq!(facts(&topic("!GetAtt Key.Arn", "")), "declared No");
        assert_eq!(facts(&topic("alias/other", "")), "unknown");
        let allowing = "    Properties:\n      KeyPolicy:\n        Statement:\n          - {Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*'}\n";
        assert_eq!(facts(&topic("!Ref Key", allowing)), "declared Yes");
        // For a topic, SNS passes no source to KMS: a condition on it never holds.
        let conditioned = "    Properties:\n      KeyPolicy:\n        Statement:\n          - {Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: 'kms:*', Resource: '*', Condition: {StringEquals: {'aws:SourceAccount': !Ref AWS::AccountId}}}\n";
        assert_eq!(facts(&topic("!Ref Key", conditioned)), "declared No");
    }
}
