//! The AWS knowledge the analysis needs, read from the YAML files in `rules/catalog/`.
//!
//! The files are embedded at build time and parsed once, on first use, with the same parser
//! as the inputs. Each file cites its sources; this module only gives them a typed shape and
//! answers lookups. It holds no AWS fact of its own.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::parse::{self, Node, Syntax};
use crate::value::{Pseudo, Text};

const DETAIL_TYPES: &str = include_str!("../rules/catalog/detail-types.yaml");
const DATA_EVENTS: &str = include_str!("../rules/catalog/data-events.yaml");
const MANAGEMENT_EVENTS: &str = include_str!("../rules/catalog/management-events.yaml");
const GLOBAL_SERVICES: &str = include_str!("../rules/catalog/global-services.yaml");
const EVENT_NAMES: &str = include_str!("../rules/catalog/event-names.json");
const EVENT_SCHEMAS: &str = include_str!("../rules/catalog/event-schemas.json");

/// What a CloudTrail detail type carries, which decides what a trail must log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailKind {
    ApiCall,
    ConsoleSignIn,
    ConsoleAction,
    ServiceEvent,
    Insight,
    NetworkActivity,
}

#[derive(Debug)]
pub struct DetailType {
    pub name: String,
    pub kind: DetailKind,
}

/// How the ARN of a data event's resource is built from the names in the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnShape {
    /// `arn:<partition>:s3:::<bucket>/<key>`
    S3Object,
    /// `arn:<partition>:lambda:<region>:<account>:function:<name>`
    LambdaFunction,
    /// `arn:<partition>:dynamodb:<region>:<account>:table/<name>`
    DynamoDbTable,
}

impl ArnShape {
    /// The service part of the ARN.
    pub fn service(self) -> &'static str {
        self.resource().service
    }

    /// How the ARN of the resource the events name is written: the bucket of an object, the
    /// function, the table.
    pub fn resource(self) -> &'static ArnForm {
        match self {
            ArnShape::S3Object => &ArnForm::S3_BUCKET,
            ArnShape::LambdaFunction => &ArnForm::LAMBDA_FUNCTION,
            ArnShape::DynamoDbTable => &ArnForm::DYNAMODB_TABLE,
        }
    }
}

/// How the ARN of a kind of resource is written around its name
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>): `arn:`, the
/// partition, the service, the region and account for regional resources, then the name
/// behind its resource-type prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnForm {
    pub service: &'static str,
    /// Whether the ARN holds a region and an account (`arn:aws:s3:::bucket` holds neither).
    pub regional: bool,
    /// What comes before the name: `function:`, `table/`.
    pub before_name: &'static str,
}

impl ArnForm {
    pub const S3_BUCKET: ArnForm = ArnForm::new("s3", false, "");
    pub const LAMBDA_FUNCTION: ArnForm = ArnForm::new("lambda", true, "function:");
    pub const DYNAMODB_TABLE: ArnForm = ArnForm::new("dynamodb", true, "table/");
    pub const EVENT_BUS: ArnForm = ArnForm::new("events", true, "event-bus/");
    pub const SNS_TOPIC: ArnForm = ArnForm::new("sns", true, "");
    pub const SQS_QUEUE: ArnForm = ArnForm::new("sqs", true, "");
    pub const STATE_MACHINE: ArnForm = ArnForm::new("states", true, "stateMachine:");
    pub const KINESIS_STREAM: ArnForm = ArnForm::new("kinesis", true, "stream/");
    pub const FIREHOSE_STREAM: ArnForm = ArnForm::new("firehose", true, "deliverystream/");
    pub const CODEBUILD_PROJECT: ArnForm = ArnForm::new("codebuild", true, "project/");
    pub const ECS_CLUSTER: ArnForm = ArnForm::new("ecs", true, "cluster/");
    pub const BATCH_JOB_QUEUE: ArnForm = ArnForm::new("batch", true, "job-queue/");

    const fn new(service: &'static str, regional: bool, before_name: &'static str) -> ArnForm {
        ArnForm {
            service,
            regional,
            before_name,
        }
    }

    /// The ARN of the resource called `name` in the deployment: partition, region and
    /// account are the deployment's own pseudo parameters.
    pub fn of(&self, name: &Text) -> Text {
        self.of_in(name, None)
    }

    /// [`ArnForm::of`] in `region` when it is known.
    pub fn of_in(&self, name: &Text, region: Option<&str>) -> Text {
        let mut arn = Text::lit("arn:");
        arn.append(&Text::pseudo(Pseudo::Partition));
        arn.push_str(&format!(":{}:", self.service));
        if self.regional {
            arn.append(&region.map_or_else(|| Text::pseudo(Pseudo::Region), Text::lit));
            arn.push_str(":");
            arn.append(&Text::pseudo(Pseudo::AccountId));
        } else {
            arn.push_str(":");
        }
        arn.push_str(&format!(":{}", self.before_name));
        arn.append(name);
        arn.shrunk()
    }
}

/// The URL of the SQS queue `name` in `region`: `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`
/// (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html>).
pub fn queue_url(region: &Text, name: &Text) -> Text {
    let mut url = Text::lit("https://sqs.");
    url.append(region);
    url.push_str(".");
    url.append(&Text::pseudo(Pseudo::UrlSuffix));
    url.push_str("/");
    url.append(&Text::pseudo(Pseudo::AccountId));
    url.push_str("/");
    url.append(name);
    url.shrunk()
}

/// Read/write class of an event (the CloudTrail record's `readOnly`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    /// Not documented; never the basis of a finding.
    Unclassified,
}

#[derive(Debug)]
pub struct DataEventType {
    pub resource_type: String,
    pub event_source: String,
    /// Whether basic event selectors (`DataResources`) accept this type.
    pub basic_selectors: bool,
    /// How the resource's ARN is built, for the types whose selectors the analysis compares
    /// ARN by ARN; `None` for the others.
    pub arn: Option<ArnShape>,
    /// Path under `detail` of the field that names the resource, when known.
    pub resource_field: Option<String>,
    /// Path under `detail` of the S3 object key, for object types.
    pub key_field: Option<String>,
    events: HashMap<String, Access>,
    /// Whether `events` lists every data event of the type.
    complete: bool,
    /// Names that are data events of this type in some calls and management events in others
    /// (S3 bucket reads through an access point): never classified.
    ambiguous: HashSet<String>,
}

/// Types are identified by name: there is one entry per type.
impl PartialEq for DataEventType {
    fn eq(&self, other: &Self) -> bool {
        self.resource_type == other.resource_type
    }
}

impl DataEventType {
    pub fn access(&self, event_name: &str) -> Option<Access> {
        self.events.get(event_name).copied()
    }

    /// Event names in a stable order.
    pub fn event_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.events.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

#[derive(Debug)]
pub struct Catalog {
    pub cloudtrail_detail_types: Vec<DetailType>,
    /// Detail types of the events S3 itself sends to EventBridge.
    pub s3_notification_types: Vec<String>,
    pub data_types: Vec<DataEventType>,
    other_data_sources: HashSet<String>,
    read_only_prefixes: Vec<String>,
    /// Event sources whose events are recorded only in [`Catalog::global_region`].
    global_sources: Vec<String>,
    pub global_region: String,
    not_read_only: HashSet<(String, String)>,
    read_only: HashSet<(String, String)>,
}

/// The event names CloudTrail records for each event source, generated from the AWS SDK's
/// service models by `scripts/gen-event-names.py` (see `rules/catalog/event-names.md`).
#[derive(Debug)]
pub struct EventNames {
    sources: HashMap<String, HashSet<String>>,
    /// Operation names CloudTrail records under other names, by event source.
    aliases: HashMap<String, HashMap<String, Vec<String>>>,
    /// Sources whose list is known to miss names.
    incomplete: HashSet<String>,
}

impl EventNames {
    fn load() -> Result<EventNames, String> {
        let root = parse::parse(EVENT_NAMES, Syntax::Json)
            .map_err(|e| format!("event-names.json: {e}"))?;
        let names = |node: &Node<'_>| -> Result<Vec<String>, String> {
            node.as_seq()
                .ok_or("event names must be a list")?
                .iter()
                .map(|n| {
                    n.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| "an event name must be a string".to_owned())
                })
                .collect()
        };
        let mut sources = HashMap::new();
        for entry in root
            .get("sources")
            .and_then(Node::as_map)
            .ok_or("`sources` must be a map")?
        {
            sources.insert(
                entry.key.to_string(),
                names(&entry.value)?.into_iter().collect(),
            );
        }
        let mut aliases = HashMap::new();
        for entry in root
            .get("aliases")
            .and_then(Node::as_map)
            .ok_or("`aliases` must be a map")?
        {
            let mut by_operation = HashMap::new();
            for alias in entry.value.as_map().ok_or("aliases must be maps")? {
                by_operation.insert(alias.key.to_string(), names(&alias.value)?);
            }
            aliases.insert(entry.key.to_string(), by_operation);
        }
        let incomplete = match root.get("incomplete") {
            Some(node) => names(node)?.into_iter().collect(),
            None => HashSet::new(),
        };
        Ok(EventNames {
            sources,
            aliases,
            incomplete,
        })
    }

    /// Whether CloudTrail records events from `event_source` at all (as far as the AWS SDK's
    /// models tell).
    pub fn knows_source(&self, event_source: &str) -> bool {
        self.sources.contains_key(event_source)
    }

    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// Whether the list for `event_source` is complete, so that a name missing from it is
    /// never recorded.
    pub fn is_complete(&self, event_source: &str) -> bool {
        self.sources.contains_key(event_source) && !self.incomplete.contains(event_source)
    }

    pub fn records(&self, event_source: &str, event_name: &str) -> bool {
        self.sources
            .get(event_source)
            .is_some_and(|names| names.contains(event_name))
    }

    /// The names CloudTrail records instead of the operation `event_name`.
    pub fn renamed(&self, event_source: &str, event_name: &str) -> &[String] {
        self.aliases
            .get(event_source)
            .and_then(|by_operation| by_operation.get(event_name))
            .map_or(&[], Vec::as_slice)
    }

    /// The names of `event_source`, in a stable order.
    pub fn names(&self, event_source: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .sources
            .get(event_source)
            .map(|names| names.iter().map(String::as_str).collect())
            .unwrap_or_default();
        names.sort_unstable();
        names
    }
}

/// The event names, parsed on first use: most runs never need them.
pub fn event_names() -> &'static EventNames {
    static NAMES: LazyLock<EventNames> = LazyLock::new(|| {
        EventNames::load()
            .unwrap_or_else(|error| panic!("embedded event names are invalid: {error}"))
    });
    &NAMES
}

/// A field of an event's `detail` as its schema types it. Arrays are transparent (a pattern
/// value is matched against each element), so an array is its element's type.
#[derive(Debug, PartialEq)]
pub enum Field {
    String,
    Number,
    Boolean,
    /// A JSON value, a map or a union: anything may be below it.
    Any,
    Object(HashMap<String, Field>),
}

impl Field {
    fn read(value: &serde_json::Value) -> Result<Field, String> {
        Ok(match value {
            serde_json::Value::String(kind) => match kind.as_str() {
                "string" => Field::String,
                "number" => Field::Number,
                "boolean" => Field::Boolean,
                "any" => Field::Any,
                other => return Err(format!("unknown field type `{other}`")),
            },
            serde_json::Value::Object(fields) => Field::Object(
                fields
                    .iter()
                    .map(|(name, field)| Ok((name.clone(), Field::read(field)?)))
                    .collect::<Result<_, String>>()?,
            ),
            other => return Err(format!("not a field: {other}")),
        })
    }

    /// The name of a scalar type, as a finding says it.
    pub fn scalar_name(&self) -> Option<&'static str> {
        match self {
            Field::String => Some("a string"),
            Field::Number => Some("a number"),
            Field::Boolean => Some("a boolean"),
            Field::Any | Field::Object(_) => None,
        }
    }
}

/// The detail types each AWS source emits and the shape of each one's `detail`, from the
/// schemas of the `aws.events` schema registry as the AWS CDK service specification publishes
/// them (`scripts/gen-event-schemas.py`). A schema is a sample of the events, not a contract:
/// a detail type or field missing from it proves nothing alone.
#[derive(Debug)]
pub struct EventSchemas {
    sources: HashMap<String, HashMap<String, Field>>,
    /// Every word of every detail type, lower-cased.
    type_words: HashSet<String>,
    /// Every field name at any depth of any schema, lower-cased.
    field_names: HashSet<String>,
}

impl EventSchemas {
    fn load() -> Result<EventSchemas, String> {
        let document: serde_json::Value =
            serde_json::from_str(EVENT_SCHEMAS).map_err(|e| format!("event-schemas.json: {e}"))?;
        let sources = document["sources"]
            .as_object()
            .ok_or("event-schemas.json: no `sources`")?
            .iter()
            .map(|(source, types)| {
                let types = types
                    .as_object()
                    .ok_or_else(|| format!("event-schemas.json: `{source}` is no object"))?
                    .iter()
                    .map(|(detail_type, field)| {
                        Field::read(field)
                            .map(|field| (detail_type.clone(), field))
                            .map_err(|e| {
                                format!("event-schemas.json: {source} / {detail_type}: {e}")
                            })
                    })
                    .collect::<Result<_, String>>()?;
                Ok((source.clone(), types))
            })
            .collect::<Result<HashMap<String, HashMap<String, Field>>, String>>()?;
        let mut type_words = HashSet::new();
        let mut field_names = HashSet::new();
        fn names(field: &Field, out: &mut HashSet<String>) {
            if let Field::Object(fields) = field {
                for (name, field) in fields {
                    out.insert(name.to_lowercase());
                    names(field, out);
                }
            }
        }
        for types in sources.values() {
            for (detail_type, field) in types {
                type_words.extend(detail_type.split_whitespace().map(str::to_lowercase));
                names(field, &mut field_names);
            }
        }
        Ok(EventSchemas {
            sources,
            type_words,
            field_names,
        })
    }

    /// Whether some detail type has this word (case aside): a word of AWS's vocabulary, not a
    /// typo.
    pub fn is_type_word(&self, word: &str) -> bool {
        self.type_words.contains(&word.to_lowercase())
    }

    /// Whether some schema has a field of this name (case aside) anywhere.
    pub fn is_field_name(&self, name: &str) -> bool {
        self.field_names.contains(&name.to_lowercase())
    }

    /// Whether the source has schemas.
    pub fn knows(&self, source: &str) -> bool {
        self.sources.contains_key(source)
    }

    /// The detail types the source's schemas have, in a stable order.
    pub fn detail_types(&self, source: &str) -> Vec<&str> {
        let mut types: Vec<&str> = self
            .sources
            .get(source)
            .map(|types| types.keys().map(String::as_str).collect())
            .unwrap_or_default();
        types.sort_unstable();
        types
    }

    /// Whether any source's schemas have this detail type.
    pub fn any_has(&self, detail_type: &str) -> bool {
        self.sources
            .values()
            .any(|types| types.contains_key(detail_type))
    }

    /// The shape of `detail` in the source's events of this detail type.
    pub fn detail(&self, source: &str, detail_type: &str) -> Option<&Field> {
        self.sources.get(source)?.get(detail_type)
    }
}

/// The event schemas, parsed on first use.
pub fn event_schemas() -> &'static EventSchemas {
    static SCHEMAS: LazyLock<EventSchemas> = LazyLock::new(|| {
        EventSchemas::load()
            .unwrap_or_else(|error| panic!("embedded event schemas are invalid: {error}"))
    });
    &SCHEMAS
}

/// The catalogue. The embedded files are checked by this module's tests, so failing to read
/// them is a build defect, not an input error.
pub fn catalog() -> &'static Catalog {
    static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
        Catalog::load().unwrap_or_else(|error| panic!("embedded catalogue is invalid: {error}"))
    });
    &CATALOG
}

impl Catalog {
    fn load() -> Result<Catalog, String> {
        let detail_types = parse::parse(DETAIL_TYPES, Syntax::Yaml)
            .map_err(|e| format!("detail-types.yaml: {e}"))?;
        let data_events = parse::parse(DATA_EVENTS, Syntax::Yaml)
            .map_err(|e| format!("data-events.yaml: {e}"))?;
        let global = parse::parse(GLOBAL_SERVICES, Syntax::Yaml)
            .map_err(|e| format!("global-services.yaml: {e}"))?;
        let management = parse::parse(MANAGEMENT_EVENTS, Syntax::Yaml)
            .map_err(|e| format!("management-events.yaml: {e}"))?;

        let mut cloudtrail_detail_types = Vec::new();
        for item in seq(&detail_types, "cloudtrail")? {
            let kind = match string(item, "kind")? {
                "api-call" => DetailKind::ApiCall,
                "console-sign-in" => DetailKind::ConsoleSignIn,
                "console-action" => DetailKind::ConsoleAction,
                "service-event" => DetailKind::ServiceEvent,
                "insight" => DetailKind::Insight,
                "network-activity" => DetailKind::NetworkActivity,
                other => return Err(format!("unknown detail kind `{other}`")),
            };
            cloudtrail_detail_types.push(DetailType {
                name: string(item, "detail_type")?.to_owned(),
                kind,
            });
        }

        let mut data_types = Vec::new();
        for item in seq(&data_events, "types")? {
            let arn = match item.get("arn").and_then(Node::as_str) {
                None => None,
                Some("s3-object") => Some(ArnShape::S3Object),
                Some("lambda-function") => Some(ArnShape::LambdaFunction),
                Some("dynamodb-table") => Some(ArnShape::DynamoDbTable),
                Some(other) => return Err(format!("unknown ARN shape `{other}`")),
            };
            let mut events = HashMap::new();
            for (key, access) in [
                ("read", Access::Read),
                ("write", Access::Write),
                ("unclassified", Access::Unclassified),
            ] {
                if item.get(key).is_some() {
                    for name in strings(item, key)? {
                        events.insert(name.to_owned(), access);
                    }
                }
            }
            data_types.push(DataEventType {
                resource_type: string(item, "type")?.to_owned(),
                event_source: string(item, "event_source")?.to_owned(),
                basic_selectors: item
                    .get("basic_selectors")
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                arn,
                resource_field: item
                    .get("resource_field")
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                key_field: item
                    .get("key_field")
                    .and_then(Node::as_str)
                    .map(str::to_owned),
                events,
                complete: item
                    .get("complete")
                    .and_then(Node::as_bool)
                    .unwrap_or(false),
                ambiguous: match item.get("ambiguous") {
                    Some(_) => strings(item, "ambiguous")?
                        .into_iter()
                        .map(str::to_owned)
                        .collect(),
                    None => HashSet::new(),
                },
            });
        }

        let pairs = |key: &str| -> Result<HashSet<(String, String)>, String> {
            let mut out = HashSet::new();
            for item in seq(&management, key)? {
                let source = string(item, "event_source")?;
                for name in strings(item, "names")? {
                    out.insert((source.to_owned(), name.to_owned()));
                }
            }
            Ok(out)
        };
        Ok(Catalog {
            cloudtrail_detail_types,
            s3_notification_types: strings(&detail_types, "s3_notifications")?
                .into_iter()
                .map(str::to_owned)
                .collect(),
            data_types,
            other_data_sources: strings(&data_events, "other_sources")?
                .into_iter()
                .map(str::to_owned)
                .collect(),
            read_only_prefixes: strings(&management, "read_only_prefixes")?
                .into_iter()
                .map(str::to_owned)
                .collect(),
            global_sources: strings(&global, "event_sources")?
                .into_iter()
                .map(str::to_owned)
                .collect(),
            global_region: global
                .get("region")
                .and_then(Node::as_str)
                .ok_or("`region` must be a string")?
                .to_owned(),
            not_read_only: pairs("not_read_only")?,
            read_only: pairs("read_only")?,
        })
    }

    /// The data event type of an event, and its read/write class, if it is a data event.
    pub fn data_event(
        &self,
        event_source: &str,
        event_name: &str,
    ) -> Option<(&DataEventType, Access)> {
        self.data_types
            .iter()
            .filter(|t| t.event_source == event_source)
            .find_map(|t| Some((t, t.access(event_name)?)))
    }

    /// Whether `event_name` of `event_source` is a data event in some calls and a management
    /// event in others.
    pub fn is_ambiguous(&self, event_source: &str, event_name: &str) -> bool {
        self.data_types
            .iter()
            .any(|t| t.event_source == event_source && t.ambiguous.contains(event_name))
    }

    /// The names of `event_source` that are data events in some calls and management events in
    /// others (see [`Catalog::is_ambiguous`]).
    pub fn ambiguous_names(&self, event_source: &str) -> impl Iterator<Item = &str> {
        self.data_types_of(event_source)
            .flat_map(|t| t.ambiguous.iter().map(String::as_str))
    }

    /// The data event types whose events come from `event_source`.
    pub fn data_types_of(&self, event_source: &str) -> impl Iterator<Item = &DataEventType> {
        self.data_types
            .iter()
            .filter(move |t| t.event_source == event_source)
    }

    /// Whether every event of `event_source` that is not a catalogued data event is a
    /// management event (the source has no uncatalogued data events).
    pub fn is_fully_classified(&self, event_source: &str) -> bool {
        !self.other_data_sources.contains(event_source)
            && self.data_types_of(event_source).all(|t| t.complete)
    }

    /// Whether events of `event_source` are recorded only in the global region.
    pub fn is_global(&self, event_source: &str) -> bool {
        self.global_sources.iter().any(|s| s == event_source)
    }

    pub fn data_type(&self, resource_type: &str) -> Option<&DataEventType> {
        self.data_types
            .iter()
            .find(|t| t.resource_type == resource_type)
    }

    /// Whether the management event `event_name` of `event_source` is read-only.
    pub fn is_read_only(&self, event_source: &str, event_name: &str) -> bool {
        let key = (event_source.to_owned(), event_name.to_owned());
        if self.not_read_only.contains(&key) {
            return false;
        }
        self.read_only.contains(&key) || self.has_read_only_verb(event_name, false)
    }

    /// Whether the catalogue lists the event as a read-only one without the usual verb.
    pub fn lists_read_only(&self, event_source: &str, event_name: &str) -> bool {
        self.read_only
            .contains(&(event_source.to_owned(), event_name.to_owned()))
    }

    /// Whether every event whose name starts with `prefix` is read-only (by naming convention,
    /// and no exception of `event_source` starts with it).
    pub fn prefix_is_read_only(&self, event_source: Option<&str>, prefix: &str) -> bool {
        self.has_read_only_verb(prefix, true)
            && !self.not_read_only.iter().any(|(source, name)| {
                event_source.is_none_or(|s| s == source) && name.starts_with(prefix)
            })
    }

    /// Whether `text` starts with a read-only verb as a word (`GetObject`, not `Getaway`);
    /// `whole_verb` accepts the bare verb, for name prefixes.
    fn has_read_only_verb(&self, text: &str, whole_verb: bool) -> bool {
        self.read_only_prefixes
            .iter()
            .any(|verb| match text.strip_prefix(verb.as_str()) {
                Some("") => whole_verb,
                Some(rest) => {
                    rest.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
                }
                None => false,
            })
    }
}

fn seq<'n, 'a>(node: &'n Node<'a>, key: &str) -> Result<&'n [Node<'a>], String> {
    node.get(key)
        .and_then(Node::as_seq)
        .ok_or_else(|| format!("`{key}` must be a list"))
}

fn string<'n>(node: &'n Node<'_>, key: &str) -> Result<&'n str, String> {
    node.get(key)
        .and_then(Node::as_str)
        .ok_or_else(|| format!("`{key}` must be a string"))
}

fn strings<'n>(node: &'n Node<'_>, key: &str) -> Result<Vec<&'n str>, String> {
    seq(node, key)?
        .iter()
        .map(|item| {
            item.as_str()
                .ok_or_else(|| format!("`{key}` must list strings"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalogue_loads() {
        let catalog = Catalog::load().unwrap();
        assert_eq!(catalog.cloudtrail_detail_types.len(), 7);
        assert!(catalog.data_types.len() >= 3);
    }

    #[test]
    fn the_generated_event_schemas_load() {
        let schemas = event_schemas();
        assert!(schemas.sources.len() > 80, "{}", schemas.sources.len());
        assert!(schemas.knows("aws.ec2"));
        assert!(
            schemas
                .detail_types("aws.ec2")
                .contains(&"EC2 Instance State-change Notification")
        );
        let Some(Field::Object(created)) = schemas.detail("aws.s3", "Object Created") else {
            panic!("S3's Object Created has a schema");
        };
        let Some(Field::Object(object)) = created.get("object") else {
            panic!("with an object");
        };
        assert_eq!(object.get("key"), Some(&Field::String));
        assert_eq!(object.get("size"), Some(&Field::Number));
        assert_eq!(
            schemas.detail("aws.s3", "AWS API Call via CloudTrail"),
            Some(&Field::Any)
        );
    }

    #[test]
    fn the_generated_event_names_load() {
        let names = EventNames::load().unwrap();
        assert!(names.records("s3.amazonaws.com", "GetObject"));
        assert!(!names.records("s3.amazonaws.com", "GetObjects"));
        assert!(names.records("lambda.amazonaws.com", "CreateFunction20150331"));
        assert_eq!(
            names.renamed("lambda.amazonaws.com", "CreateFunction"),
            ["CreateFunction20150331"]
        );
        assert!(!names.is_complete("signin.amazonaws.com"));
    }

    #[test]
    fn data_events_are_classified() {
        let catalog = catalog();
        let (t, access) = catalog.data_event("s3.amazonaws.com", "GetObject").unwrap();
        assert_eq!(
            (t.resource_type.as_str(), access),
            ("AWS::S3::Object", Access::Read)
        );
        let (t, access) = catalog
            .data_event("lambda.amazonaws.com", "Invoke")
            .unwrap();
        assert_eq!(
            (t.resource_type.as_str(), access),
            ("AWS::Lambda::Function", Access::Write)
        );
        assert!(
            catalog
                .data_event("s3.amazonaws.com", "PutBucketPolicy")
                .is_none()
        );
        assert!(
            catalog
                .data_event("s3.amazonaws.com", "HeadBucket")
                .is_none()
        );
    }

    #[test]
    fn read_only_management_events() {
        let catalog = catalog();
        assert!(catalog.is_read_only("ec2.amazonaws.com", "DescribeInstances"));
        assert!(catalog.is_read_only("sts.amazonaws.com", "AssumeRole"));
        assert!(catalog.is_read_only("kms.amazonaws.com", "Decrypt"));
        assert!(!catalog.is_read_only("sts.amazonaws.com", "GetSessionToken"));
        assert!(!catalog.is_read_only("ec2.amazonaws.com", "TerminateInstances"));
        assert!(!catalog.is_read_only("x.amazonaws.com", "Getaway"));
        assert!(catalog.prefix_is_read_only(Some("ec2.amazonaws.com"), "Describe"));
        assert!(!catalog.prefix_is_read_only(Some("sts.amazonaws.com"), "Get"));
        assert!(!catalog.prefix_is_read_only(None, "Put"));
    }
}
