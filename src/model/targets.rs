//! The target side of a rule: where its events go, and what lets EventBridge deliver them
//! there: the functions, topics and queues targets name, the resource policies on them, the
//! KMS keys that encrypt them and the roles targets give EventBridge.

use super::policy::Policy;
use super::{Bus, Dialect};
use crate::source::{FileId, Loc, Span};
use crate::value::Text;

/// A value as written, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub text: Text,
    pub span: Span,
}

/// A property that may be written or not.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Setting {
    #[default]
    Absent,
    Set(Written),
    /// Whether it is written cannot be decided (a condition, a Terraform unknown block).
    Undecided,
}

impl Setting {
    pub fn written(&self) -> Option<&Written> {
        match self {
            Setting::Set(written) => Some(written),
            _ => None,
        }
    }
}

/// A rule target, with the rule that sends to it and that rule's bus.
#[derive(Debug, Clone)]
pub struct Target {
    pub rule: RuleRef,
    pub bus: Bus,
    pub arn: Text,
    /// The target entry (CloudFormation's `Targets` item, Terraform's
    /// `aws_cloudwatch_event_target`).
    pub loc: Loc,
    /// Where its `Arn` is written.
    pub arn_span: Span,
    pub dialect: Dialect,
    /// Whether it is created: `None` when an undecidable count or condition leaves it open.
    pub created: Option<bool>,
    /// `Id` / `target_id`; `None` when generated (each generated ID differs).
    pub id: Option<Text>,
    pub role: Setting,
    /// `DeadLetterConfig.Arn`.
    pub dead_letter: Setting,
    /// `SqsParameters.MessageGroupId`.
    pub message_group: Setting,
    pub inputs: Inputs,
    /// `EcsParameters.TaskDefinitionArn`.
    pub task_definition: Setting,
    /// What the input family creates alongside the target without writing it: SAM's
    /// permission, role and dead-letter queue policy.
    pub implied: Implied,
    /// The rule's region, when known.
    pub region: Option<String>,
}

/// What SAM (or a SAM connector) creates for an event source without it being written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Implied {
    /// A resource-based permission for this rule on the target.
    pub permission: bool,
    /// A role EventBridge may assume, allowed to reach the target.
    pub role: bool,
}

/// What a target sends instead of the whole event.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `Input`: JSON text.
    pub input: Setting,
    pub input_path: Setting,
    pub transformer: Option<Transformer>,
}

/// `InputTransformer` / `input_transformer`.
#[derive(Debug, Clone)]
pub struct Transformer {
    pub span: Span,
    /// `InputPathsMap`: each key with where it is written, and its path; `None` when it cannot
    /// be read.
    pub paths: Option<Vec<(String, Span, Written)>>,
    pub template: Setting,
}

/// How a target names the rule that sends to it.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleRef {
    /// Declared inside the rule (CloudFormation `Targets`): the rule's file and name.
    Declared { file: FileId, name: String },
    /// By the name AWS knows the rule by, on the target's bus (Terraform's
    /// `aws_cloudwatch_event_target.rule`).
    Named(Text),
}

/// A Lambda function (or alias or version), SNS topic or SQS queue declared in the inputs: what
/// a target's ARN may name.
#[derive(Debug, Clone)]
pub struct Receiver {
    /// Logical ID or Terraform address.
    pub name: String,
    pub loc: Loc,
    pub dialect: Dialect,
    pub kind: ReceiverKind,
    /// Its ARN (an alias's or version's qualified ARN).
    pub arn: Text,
    /// Other texts that name it in policies: a queue's URL.
    pub aliases: Vec<Text>,
    /// `KmsMasterKeyId` / `kms_master_key_id`.
    pub key: Setting,
    /// A FIFO topic or queue: `None` when undecidable.
    pub fifo: Option<bool>,
    /// `ContentBasedDeduplication`: `None` when undecidable.
    pub content_dedup: Option<bool>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiverKind {
    Function,
    Topic,
    Queue,
}

/// A resource-based policy, or a part of one: a Lambda permission, a topic or queue policy, a
/// SAM connector's grant.
#[derive(Debug, Clone)]
pub struct Grant {
    pub name: String,
    pub loc: Loc,
    /// What kind of resource it can be on.
    pub kind: ReceiverKind,
    /// What it is attached to, as written: ARNs, or queue URLs.
    pub on: Vec<Text>,
    pub policy: Policy,
}

/// A KMS key declared in the inputs.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub loc: Loc,
    /// Its ARN, what its policy's `Resource` names.
    pub arn: Text,
    /// The texts that name it: its ID, its ARN, its aliases.
    pub names: Vec<Text>,
    /// Its key policy: `None` when the default key policy applies (it lets only the account's
    /// IAM principals use the key).
    pub policy: Option<Policy>,
    /// Grants or policies declared apart may give others use of it (`aws_kms_grant`,
    /// `aws_kms_key_policy` that cannot be read).
    pub open: bool,
}

/// An alias or key policy declared apart from its key (`AWS::KMS::Alias`, `aws_kms_alias`,
/// `aws_kms_key_policy`).
#[derive(Debug, Clone)]
pub struct KeyExtra {
    /// The key it is for, as written.
    pub key: Text,
    pub extra: KeyExtraKind,
}

#[derive(Debug, Clone)]
pub enum KeyExtraKind {
    Alias(Text),
    Policy(Policy),
    /// A grant, or a policy that cannot be read: the key may be usable by anyone.
    Open,
}

/// An IAM role declared in the inputs.
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub loc: Loc,
    pub arn: Text,
    /// The name policies attach to it by.
    pub role_name: Text,
    /// Its trust policy (`AssumeRolePolicyDocument`).
    pub trust: Policy,
    /// Its inline policies.
    pub policies: Vec<Policy>,
    /// `ManagedPolicyArns` / `managed_policy_arns`; `None` when undecidable.
    pub managed: Option<Vec<Text>>,
}

/// A policy attached to roles apart from them: `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`,
/// `aws_iam_role_policy`, `aws_iam_policy` with its attachments.
#[derive(Debug, Clone)]
pub struct RolePolicy {
    pub name: String,
    /// The roles it is attached to, by name; `None` when undecidable.
    pub roles: Option<Vec<Text>>,
    /// The ARN it is known by, for managed policies attached by ARN.
    pub arn: Option<Text>,
    pub policy: Policy,
}

/// An attachment of a managed policy to a role, by ARN (`aws_iam_role_policy_attachment`).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub role: Text,
    pub policy_arn: Text,
}

/// A SAM connector from a rule to a destination: it writes the permission, policy or role
/// policy that lets the rule deliver there.
#[derive(Debug, Clone)]
pub struct Connector {
    /// Where it is declared.
    pub loc: Loc,
    /// The source's ARN (a rule's).
    pub source: Text,
    pub destination: Text,
}
