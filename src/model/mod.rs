//! The deployment as the analysis sees it: EventBridge rules, CloudTrail trails and S3
//! buckets, whatever syntax they were written in.
//!
//! `ingest` builds these from CloudFormation templates and Terraform plans; `analysis` reads
//! them. Values that are not literal stay [`Text`] with symbolic or unknown pieces, and
//! booleans that cannot be decided are `None`. Every item keeps the [`Loc`] of the text it
//! came from so findings can point at it.

pub mod policy;
mod targets;

pub use targets::*;

use crate::pattern::{Pattern, PatternError};
use crate::source::{FileId, Loc, SourceFile, Span};
use crate::value::{Text, Tri};

/// Declares the kinds of item the inputs hold, once: [`Items`], what one file contributes, and
/// [`Deployment`], everything a run read, hold a list of each.
macro_rules! items {
    ($($(#[$doc:meta])* $field:ident: $item:ty,)*) => {
        /// The items one input file declares.
        #[derive(Debug, Default, Clone)]
        pub struct Items {
            $($(#[$doc])* pub $field: Vec<$item>,)*
        }

        /// Everything read in one run: all the inputs together form one deployment, so a trail
        /// in one file covers rules in another.
        #[derive(Debug, Default, Clone)]
        pub struct Deployment {
            pub files: Vec<SourceFile>,
            $($(#[$doc])* pub $field: Vec<$item>,)*
        }

        impl Deployment {
            /// Adds one file's items.
            pub fn add(&mut self, items: Items) {
                $(self.$field.extend(items.$field);)*
            }
        }

        impl Items {
            /// Whether the file declares nothing the analysis reads.
            pub fn is_empty(&self) -> bool {
                true $(&& self.$field.is_empty())*
            }
        }
    };
}

items! {
    rules: EventRule,
    trails: Trail,
    buckets: Bucket,
    /// Targets of rules, for following events forwarded from one bus to another.
    targets: Target,
    /// Event buses declared in the inputs.
    buses: EventBus,
    /// Names of buses that a resource policy opens to other senders (other accounts may
    /// forward their AWS events to them).
    bus_policies: Text,
    /// Bucket notification settings declared apart from the bucket (CDK's
    /// `Custom::S3BucketNotifications`, Terraform's `aws_s3_bucket_notification`).
    notifications: Notification,
    /// Parameters that take a trail's name or ARN or a CloudTrail log group: the sign that a
    /// trail exists outside the inputs.
    trail_parameters: TrailParameter,
    /// Functions, aliases, versions, topics and queues that targets may name.
    receivers: Receiver,
    /// Resource-based policies on functions, topics and queues.
    grants: Grant,
    keys: Key,
    /// Aliases and policies of keys, declared apart from the key.
    key_extras: KeyExtra,
    roles: Role,
    role_policies: RolePolicy,
    attachments: Attachment,
    connectors: Connector,
    /// Templates that may hand their resources' names to other stacks (`Outputs`, nested
    /// stacks): only their generated names can reach another template's parameters.
    open_templates: FileId,
}

/// A template parameter that takes a trail's name, ARN or log group (`CloudTrailName`,
/// `TrailArn`, a parameter whose description names CloudTrail).
#[derive(Debug, Clone)]
pub struct TrailParameter {
    pub name: String,
    pub loc: Loc,
}

impl Deployment {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
}

/// Which language a resource was declared in; decides the syntax of suggested fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    CfnYaml,
    CfnJson,
    Terraform,
}

/// An EventBridge rule (`AWS::Events::Rule`, a SAM `EventBridgeRule` event,
/// `aws_cloudwatch_event_rule`).
#[derive(Debug, Clone)]
pub struct EventRule {
    /// Logical ID, `Function.EventKey` for SAM, or the full Terraform address.
    pub name: String,
    /// The name AWS knows the rule by (`Name`, `name`; generated when the input sets none).
    pub aws_name: Text,
    /// Its ARN: `…:rule/NAME` on the default bus, `…:rule/BUS/NAME` on a custom bus.
    pub arn: Text,
    pub loc: Loc,
    pub dialect: Dialect,
    pub state: RuleState,
    pub bus: Bus,
    pub pattern: RulePattern,
    /// The region the rule is deployed in, when known.
    pub region: Option<String>,
    /// Rules suppressed for this resource by its `Metadata: {trailcheck: {ignore: […]}}`, as
    /// written (an ID or a name) and where.
    pub suppressed: Vec<(String, Span)>,
    /// Where that suppression is written, when it gives no `reason`.
    pub unexplained: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleState {
    Enabled,
    Disabled,
    /// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`: also matches read-only management events.
    EnabledWithAllManagementEvents,
    Unknown,
}

impl RuleState {
    pub fn parse(text: &str) -> RuleState {
        match text {
            "ENABLED" => RuleState::Enabled,
            "DISABLED" => RuleState::Disabled,
            "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" => {
                RuleState::EnabledWithAllManagementEvents
            }
            _ => RuleState::Unknown,
        }
    }
}

/// The event bus a rule listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bus {
    Default,
    Custom(Text),
    Unknown,
}

impl Bus {
    /// Whether two buses are the same.
    pub fn same(&self, other: &Bus) -> Tri {
        match (self, other) {
            (Bus::Default, Bus::Default) => Tri::Yes,
            (Bus::Custom(a), Bus::Custom(b)) => a.equals(b),
            (Bus::Default, Bus::Custom(_)) | (Bus::Custom(_), Bus::Default) => Tri::No,
            (Bus::Unknown, _) | (_, Bus::Unknown) => Tri::Unknown,
        }
    }

    /// The ARN of the rule called `name` on this bus: `rule/NAME` on the default bus,
    /// `rule/BUS/NAME` on a custom one; unknown on an unknown bus.
    pub fn rule_arn(&self, name: &Text, partition: Text, region: Text) -> Text {
        let mut resource = Text::lit("rule/");
        match self {
            Bus::Default => {}
            Bus::Custom(bus) => {
                resource.append(&bus_name(bus));
                resource.push_str("/");
            }
            Bus::Unknown => return Text::unknown(),
        }
        resource.append(name);
        let mut arn = Text::lit("arn:");
        arn.append(&partition);
        arn.push_str(":events:");
        arn.append(&region);
        arn.push_str(":");
        arn.append(&Text::pseudo(crate::value::Pseudo::AccountId));
        arn.push_str(":");
        arn.append(&resource);
        arn.shrunk()
    }

    /// From an `EventBusName` value: a name or an ARN; `default` names the default bus.
    pub fn from_name(name: &Text) -> Bus {
        let default = name
            .equals(&Text::lit("default"))
            .or(name.ends_with(&Text::lit(":event-bus/default")));
        match default {
            Tri::Yes => Bus::Default,
            Tri::No => Bus::Custom(name.clone()),
            Tri::Unknown => Bus::Unknown,
        }
    }
}

/// The name of a bus given by name or ARN.
pub fn bus_name(text: &Text) -> Text {
    match text.split_once('/') {
        Some((head, tail)) if head.ends_with(&Text::lit(":event-bus")) == Tri::Yes => tail,
        _ => text.clone(),
    }
}

/// A rule's event pattern, when it has one.
#[derive(Debug, Clone)]
pub enum RulePattern {
    /// No pattern (a scheduled rule): nothing to deliver.
    None,
    /// The pattern cannot be read before deployment (a Terraform unknown, an unresolvable
    /// intrinsic around the whole pattern).
    Unknown,
    Invalid(PatternError),
    Valid(Pattern),
}

/// A CloudTrail trail.
#[derive(Debug, Clone)]
pub struct Trail {
    pub name: String,
    pub loc: Loc,
    pub dialect: Dialect,
    /// `IsLogging` / `enable_logging`; `None` when it cannot be decided.
    pub is_logging: Option<bool>,
    /// Where `IsLogging` is written, when it is.
    pub is_logging_span: Option<Span>,
    pub selectors: Selectors,
    /// Where the second kind of selectors is written when a trail has both basic and advanced
    /// selectors (CloudTrail rejects that).
    pub mixed_selectors: Option<Span>,
    /// `InsightSelectors`: the insight types logged; `None` when undecidable.
    pub insight_types: Option<Vec<String>>,
    /// The trail's home region, when known.
    pub region: Option<String>,
    /// Whether the trail is created: `Some(true)` unless its CloudFormation `Condition` may be
    /// false (`None`).
    pub created: Option<bool>,
    /// `IsMultiRegionTrail` / `is_multi_region_trail` (default false).
    pub multi_region: Option<bool>,
    /// `IncludeGlobalServiceEvents` / `include_global_service_events` (default true).
    pub include_global: Option<bool>,
}

impl Trail {
    /// Points every part of the trail at `span`: for trails read from somewhere else than a
    /// template (the config, the AWS CLI's output), whose parts have no place of their own.
    pub fn relocate(&mut self, span: Span) {
        self.loc.span = span;
        self.is_logging_span = None;
        self.mixed_selectors = self.mixed_selectors.map(|_| span);
        match &mut self.selectors {
            Selectors::Basic(selectors) => {
                for selector in selectors {
                    selector.span = span;
                    selector.read_write_span = selector.read_write_span.map(|_| span);
                    selector.include_management_span =
                        selector.include_management_span.map(|_| span);
                    selector.exclude_sources_span = selector.exclude_sources_span.map(|_| span);
                    for resource in &mut selector.data_resources {
                        resource.span = span;
                        resource.value_spans.fill(span);
                    }
                }
            }
            Selectors::Advanced(selectors) => {
                for selector in selectors {
                    selector.span = span;
                    for field in &mut selector.fields {
                        field.span = span;
                        field.equals_spans.fill(span);
                    }
                }
            }
            Selectors::Default | Selectors::Unknown => {}
        }
    }
}

#[derive(Debug, Clone)]
pub enum Selectors {
    /// No selectors: all read and write management events, no data events.
    Default,
    Basic(Vec<BasicSelector>),
    Advanced(Vec<AdvancedSelector>),
    /// The selectors cannot be read before deployment.
    Unknown,
}

/// One of `EventSelectors` / `event_selector`.
#[derive(Debug, Clone)]
pub struct BasicSelector {
    pub span: Span,
    pub read_write: Option<ReadWrite>,
    pub read_write_span: Option<Span>,
    /// `IncludeManagementEvents`, default true; `None` when undecidable.
    pub include_management: Option<bool>,
    pub include_management_span: Option<Span>,
    pub exclude_sources: Vec<Text>,
    pub exclude_sources_span: Option<Span>,
    pub data_resources: Vec<DataResource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadWrite {
    All,
    ReadOnly,
    WriteOnly,
}

impl ReadWrite {
    pub fn parse(text: &str) -> Option<ReadWrite> {
        match text {
            "All" => Some(ReadWrite::All),
            "ReadOnly" => Some(ReadWrite::ReadOnly),
            "WriteOnly" => Some(ReadWrite::WriteOnly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReadWrite::All => "All",
            ReadWrite::ReadOnly => "ReadOnly",
            ReadWrite::WriteOnly => "WriteOnly",
        }
    }
}

/// `DataResources` entry: a resource type and ARN prefixes.
#[derive(Debug, Clone)]
pub struct DataResource {
    pub span: Span,
    /// `None` when the type is not a literal.
    pub resource_type: Option<String>,
    pub values: Vec<Text>,
    /// Where each value is written.
    pub value_spans: Vec<Span>,
}

/// One of `AdvancedEventSelectors` / `advanced_event_selector`.
#[derive(Debug, Clone)]
pub struct AdvancedSelector {
    pub span: Span,
    pub name: Option<String>,
    pub fields: Vec<FieldSelector>,
}

#[derive(Debug, Clone)]
pub struct FieldSelector {
    pub span: Span,
    pub field: String,
    pub equals: Vec<Text>,
    /// Where each `Equals` value is written.
    pub equals_spans: Vec<Span>,
    pub starts_with: Vec<Text>,
    pub ends_with: Vec<Text>,
    pub not_equals: Vec<Text>,
    pub not_starts_with: Vec<Text>,
    pub not_ends_with: Vec<Text>,
}

/// An S3 bucket declared in the inputs.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: String,
    pub loc: Loc,
    pub dialect: Dialect,
    pub bucket_name: Text,
    /// Whether the bucket's own notification configuration sends events to EventBridge:
    /// `Some(false)` when it does not say so, `None` when undecidable.
    pub eventbridge: Option<bool>,
}

/// An event bus declared in the inputs (`AWS::Events::EventBus`, `aws_cloudwatch_event_bus`).
#[derive(Debug, Clone)]
pub struct EventBus {
    pub name: Text,
    /// Whether the bus's own `Policy` lets others send to it; `None` when undecidable.
    pub has_policy: Option<bool>,
}

/// EventBridge delivery of a bucket's notifications, declared apart from the bucket.
#[derive(Debug, Clone)]
pub struct Notification {
    pub bucket: Text,
    /// `None` when undecidable.
    pub eventbridge: Option<bool>,
    /// The resource that declares it, when it is one of its own (Terraform's
    /// `aws_s3_bucket_notification`): a fix changes it rather than adding another.
    pub declared: Option<(String, Loc)>,
}
