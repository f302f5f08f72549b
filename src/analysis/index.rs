//! The index of trails that pairing goes through: which trails may deliver a candidate (every
//! other one certainly leaves its events out, and not for their read or write class), which
//! are likely to, and which candidates share a verdict. `analysis::analyse_exhaustively` gives
//! the same verdicts without it, and `tests/pairing.rs` holds the two to that.

use std::collections::{HashMap, HashSet};

use super::Delivery;
use super::coverage::{field_holds, strip_arn_partition};
use super::events::{self, Candidate, Class};
use crate::catalog::{ArnShape, catalog};
use crate::model::{AdvancedSelector, EventRule, FieldSelector, Selectors, Trail};
use crate::value::{Piece, Symbol, Text, Tri};

/// The trails by what they may select.
pub(super) struct TrailHints {
    /// Data selectors by the resource type they may select.
    data: HashMap<&'static str, TypeIndex>,
    /// Data selectors that may select any type.
    any_type: TypeIndex,
    /// Trails that may log management events (or give an undecided answer for them).
    management: Vec<usize>,
    /// Trails that may have insight selectors.
    insight: Vec<usize>,
    /// Trails that may log network activity events.
    network: Vec<usize>,
    all: Vec<usize>,
    /// Whether every trail decides S3 data events by the exact names its selectors write, so
    /// that a bucket no trail names fares as any other such bucket (see [`Unnamed`]).
    by_exact_names: bool,
    /// The generated names that some trail's selector values mention: a resource whose name
    /// is generated and not among them fares as any other such resource.
    mentioned: HashSet<Symbol>,
    unnamed: Unnamed,
}

/// The trails whose data selectors may select resources of one type.
#[derive(Default)]
struct TypeIndex {
    /// By the resource (bucket, function, table) their selectors name, or leave out by name.
    by_key: HashMap<String, Vec<usize>>,
    /// By the beginning of the names their selectors select (`StartsWith` ending inside a
    /// name).
    by_prefix: HashMap<String, Vec<usize>>,
    /// Trails in `by_prefix`.
    prefixed: Vec<usize>,
    /// Trails whose selectors may select resources they do not name.
    unnamed: Vec<usize>,
    /// Every trail with a selector of the type.
    all: Vec<usize>,
}

impl TypeIndex {
    fn add(&mut self, trail: usize, selected: Selected) {
        match selected {
            Selected::Name(key) => push_once(self.by_key.entry(key).or_default(), trail),
            Selected::Prefix(prefix) => {
                push_once(self.by_prefix.entry(prefix).or_default(), trail);
                push_once(&mut self.prefixed, trail);
            }
            Selected::Any => push_once(&mut self.unnamed, trail),
        }
        push_once(&mut self.all, trail);
    }

    /// The trails that may select the resource with this key: those naming it, those whose
    /// prefix begins it, those that select unnamed resources.
    fn may_select(&self, key: &Key, out: &mut Vec<usize>) {
        out.extend(self.by_key.get(key.text()).into_iter().flatten());
        match key {
            Key::Literal(name) => {
                let ends = name.char_indices().map(|(i, c)| i + c.len_utf8());
                for end in ends {
                    out.extend(self.by_prefix.get(&name[..end]).into_iter().flatten());
                }
            }
            // A generated name may begin with anything.
            Key::Generated(_) => out.extend(&self.prefixed),
        }
        out.extend(&self.unnamed);
    }

    fn named(&self, key: Option<&Key>) -> &[usize] {
        key.and_then(|k| self.by_key.get(k.text()))
            .map_or(&[][..], Vec::as_slice)
    }
}

/// What a selector value selects of a type's resources.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Selected {
    /// The one resource with this key.
    Name(String),
    /// The resources whose names begin with this.
    Prefix(String),
    /// Resources it does not name.
    Any,
}

/// The key of the resource a candidate names.
enum Key {
    Literal(String),
    Generated(String),
}

impl Key {
    fn text(&self) -> &str {
        match self {
            Key::Literal(text) | Key::Generated(text) => text,
        }
    }
}

fn push_once(list: &mut Vec<usize>, trail: usize) {
    if list.last() != Some(&trail) {
        list.push(trail);
    }
}

/// The verdicts of data events on resources that no trail names, shared by every candidate
/// that differs from another only in such a resource: a repository of rules that no trail
/// delivers (or that only prefixes may deliver) would otherwise compare each with every trail.
///
/// Two kinds of resource qualify. A bucket with a literal name, when every trail's S3 values
/// and ARN conditions are literals compared whole (or as prefixes that end at a `/` or `:`):
/// each trail then treats all the buckets it does not name alike. And a bucket, function or
/// table whose name the deployment generates, when no trail's selector values mention that
/// name: a generated name equals no literal and no other generated name, and may begin or end
/// with anything, so each trail treats all such resources alike. The verdict is computed once,
/// for [`UNNAMED_BUCKET`] or [`unnamed_generated`], and reused.
#[derive(Default)]
struct Unnamed(std::sync::Mutex<HashMap<String, Delivery>>);

/// A bucket name no trail names (no valid bucket name has a control character).
const UNNAMED_BUCKET: &str = "\u{0}unnamed\u{0}";

/// A generated name no trail mentions (no logical ID has a control character).
fn unnamed_generated() -> Text {
    Text::sym(Symbol::Generated(UNNAMED_BUCKET.to_owned()))
}

impl TrailHints {
    pub(super) fn new(trails: &[Trail]) -> TrailHints {
        let mut hints = TrailHints {
            data: HashMap::new(),
            any_type: TypeIndex::default(),
            management: Vec::new(),
            insight: Vec::new(),
            network: Vec::new(),
            all: (0..trails.len()).collect(),
            by_exact_names: trails.iter().all(|t| by_exact_names(&t.selectors)),
            mentioned: trails
                .iter()
                .flat_map(|t| generated_names(&t.selectors))
                .collect(),
            unnamed: Unnamed::default(),
        };
        for (index, trail) in trails.iter().enumerate() {
            hints.add(index, trail);
        }
        hints
    }

    fn add(&mut self, index: usize, trail: &Trail) {
        if trail
            .insight_types
            .as_ref()
            .is_none_or(|types| !types.is_empty())
        {
            self.insight.push(index);
        }
        if may_log_management(&trail.selectors) {
            self.management.push(index);
        }
        match &trail.selectors {
            Selectors::Default => {}
            Selectors::Unknown => {
                self.any_type.add(index, Selected::Any);
                self.network.push(index);
            }
            Selectors::Basic(selectors) => {
                for resource in selectors.iter().flat_map(|s| &s.data_resources) {
                    let Some(kind) = resource.resource_type.as_deref() else {
                        self.any_type.add(index, Selected::Any);
                        continue;
                    };
                    let Some(data_type) = catalog().data_type(kind) else {
                        continue;
                    };
                    let shape = data_type.arn;
                    let types = self
                        .data
                        .entry(data_type.resource_type.as_str())
                        .or_default();
                    // Values of basic selectors are whole ARNs for functions and tables, and
                    // for S3 objects prefixes that must end at the `/` after the bucket (see
                    // `coverage::data_resource_text`): either way the bucket, function or table
                    // written whole is the one selected, and a value that names none (an S3
                    // value without the `/`, which CloudTrail rejects) may select any.
                    if resource.values.is_empty() {
                        types.add(index, Selected::Any);
                    }
                    for value in &resource.values {
                        let selected =
                            shape.map_or(Selected::Any, |s| selected(s, value, Compare::Whole));
                        types.add(index, selected);
                    }
                }
            }
            Selectors::Advanced(selectors) => {
                self.network.push(index);
                for selector in selectors {
                    self.add_advanced(index, selector);
                }
            }
        }
    }

    /// An advanced selector that may select data events: under each type it may select, by
    /// the resources its ARN conditions name.
    fn add_advanced(&mut self, index: usize, selector: &AdvancedSelector) {
        let fields = |name: &'static str| selector.fields.iter().filter(move |f| f.field == name);
        let data = Text::lit("Data");
        if fields("eventCategory").any(|f| field_holds(f, Some(&data)) == Tri::No) {
            return;
        }
        // A field the analysis does not read keeps every data event open.
        let undecided = selector
            .fields
            .iter()
            .any(|f| !DECIDED_FIELDS.contains(&f.field.as_str()));
        let keys = if undecided {
            vec![Selected::Any]
        } else {
            arn_keys(fields("resources.ARN").collect())
        };
        let typed: Vec<&FieldSelector> = fields("resources.type").collect();
        if typed.is_empty() {
            for key in &keys {
                self.any_type.add(index, key.clone());
            }
            return;
        }
        for data_type in &catalog().data_types {
            let name = Text::lit(data_type.resource_type.as_str());
            if typed.iter().any(|f| field_holds(f, Some(&name)) == Tri::No) {
                continue;
            }
            let types = self
                .data
                .entry(data_type.resource_type.as_str())
                .or_default();
            for key in &keys {
                let key = if data_type.arn.is_some() {
                    key.clone()
                } else {
                    Selected::Any
                };
                types.add(index, key);
            }
        }
    }

    /// The trails that may deliver the candidate, in order: every other trail certainly leaves
    /// its events out, and not for their read/write class.
    pub(super) fn relevant(&self, candidate: &Candidate) -> Vec<usize> {
        let mut out: Vec<usize> = match candidate.class {
            Class::Data { resource_type, .. } => {
                let types = self.data.get(resource_type.resource_type.as_str());
                match candidate_key(candidate) {
                    Some(key) => {
                        let mut out = Vec::new();
                        if let Some(types) = types {
                            types.may_select(&key, &mut out);
                        }
                        self.any_type.may_select(&key, &mut out);
                        out
                    }
                    None => [types.map_or(&[][..], |t| &t.all), &self.any_type.all].concat(),
                }
            }
            Class::Management { .. } => self.management.clone(),
            Class::Insight => self.insight.clone(),
            Class::NetworkActivity => self.network.clone(),
            Class::Unclassified => return self.all.clone(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The trails that may deliver the candidate, most likely first. A trail may come twice.
    pub(super) fn of<'h>(&'h self, candidate: &Candidate) -> impl Iterator<Item = usize> + 'h {
        let lists: [&[usize]; 4] = match candidate.class {
            Class::Data { resource_type, .. } => {
                let types = self.data.get(resource_type.resource_type.as_str());
                let key = candidate_key(candidate);
                [
                    types.map_or(&[][..], |t| t.named(key.as_ref())),
                    self.any_type.named(key.as_ref()),
                    types.map_or(&[][..], |t| &t.unnamed),
                    &self.any_type.unnamed,
                ]
            }
            Class::Management { .. } => [&self.management, &[], &[], &[]],
            Class::Unclassified => [&self.management, &self.any_type.unnamed, &[], &[]],
            Class::Insight => [&self.insight, &[], &[], &[]],
            Class::NetworkActivity => [&self.network, &[], &[], &[]],
        };
        lists.into_iter().flatten().copied()
    }

    /// The verdict of a candidate on a resource no trail names, shared with every other that
    /// differs from it only in such a resource (see [`Unnamed`]): `verdict` decides it once.
    /// `None` when the candidate is not one of them.
    pub(super) fn shared_verdict(
        &self,
        rule: &EventRule,
        candidate: &Candidate,
        verdict: impl FnOnce(&Candidate) -> Delivery,
    ) -> Option<Delivery> {
        let (key, stands_for) = self.unnamed_key(rule, candidate)?;
        let known = self.unnamed.0.lock().map(|cache| cache.get(&key).cloned());
        if let Ok(Some(shared)) = known {
            return Some(shared);
        }
        let mut unnamed = candidate.clone();
        if let Some(resource) = &mut unnamed.resource {
            resource.value = stands_for;
        }
        let shared = verdict(&unnamed);
        if let Ok(mut cache) = self.unnamed.0.lock() {
            cache.insert(key, shared.clone());
        }
        Some(shared)
    }

    /// What a candidate shares with every other that differs from it only in a resource no
    /// trail names, when it is one of them, and the name that stands for all of them.
    fn unnamed_key(&self, rule: &EventRule, candidate: &Candidate) -> Option<(String, Text)> {
        let Class::Data { resource_type, .. } = candidate.class else {
            return None;
        };
        let resource = &candidate.resource.as_ref()?.value;
        if let [Piece::Sym(symbol @ Symbol::Generated(_))] = resource.pieces() {
            let shared = resource_type.arn.is_some() && !self.mentioned.contains(symbol);
            return shared.then(|| {
                let key = format!("generated|{}", semantic_key(rule, candidate, false));
                (key, unnamed_generated())
            });
        }
        let bucket = resource.as_lit()?;
        let s3 = self.data.get(resource_type.resource_type.as_str());
        let named = |index: Option<&TypeIndex>| {
            index.is_some_and(|t| {
                t.by_key.contains_key(bucket) || t.by_key.contains_key(UNNAMED_BUCKET)
            })
        };
        if !self.by_exact_names
            || resource_type.arn != Some(ArnShape::S3Object)
            || bucket.contains([':', '/'])
            || named(s3)
            || named(Some(&self.any_type))
        {
            return None;
        }
        Some((
            semantic_key(rule, candidate, false),
            Text::lit(UNNAMED_BUCKET),
        ))
    }

    /// What decides the verdict of a candidate that names no resource of its own: every
    /// candidate with the same key gets the same one. `None` for a candidate that names one.
    pub(super) fn sharing_key(&self, rule: &EventRule, candidate: &Candidate) -> Option<String> {
        let names_one =
            matches!(candidate.class, Class::Data { .. }) && candidate.resource.is_some();
        (!names_one).then(|| semantic_key(rule, candidate, true))
    }
}

/// The fields of advanced selectors whose value the analysis knows for a candidate.
const DECIDED_FIELDS: &[&str] = &[
    "eventCategory",
    "resources.type",
    "resources.ARN",
    "readOnly",
    "eventName",
    "eventSource",
    "eventType",
];

/// Everything of a candidate and its rule that its verdict depends on (spans aside), with its
/// resource when `with_resource`.
fn semantic_key(rule: &EventRule, candidate: &Candidate, with_resource: bool) -> String {
    let name = match &candidate.name {
        events::EventName::Exact(named) => format!("{:?}", named.value),
        events::EventName::Open {
            span,
            read_only_prefix,
        } => format!("open {} {read_only_prefix}", span.is_some()),
    };
    let class = match candidate.class {
        Class::Data {
            resource_type,
            access,
        } => format!("data {} {access:?}", resource_type.resource_type),
        other => format!("{other:?}"),
    };
    let resource = candidate
        .resource
        .as_ref()
        .filter(|_| with_resource)
        .map(|r| &r.value);
    format!(
        "{:?}|{:?}|{:?}|{name}|{class}|{resource:?}|{:?}|{:?}|{:?}",
        rule.region,
        candidate.detail,
        candidate.source.as_ref().map(|s| &s.value),
        candidate.key,
        candidate.insight_type.as_ref().map(|i| &i.value),
        candidate.region,
    )
}

/// How a selector value is compared with an ARN.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compare {
    Whole,
    Prefix,
    Suffix,
}

/// What an advanced selector's ARN conditions select: one entry per value they select by;
/// the resources their `NotEquals` and `NotStartsWith` leave out are named too (such a trail
/// treats them unlike the others). No condition selects every resource.
fn arn_keys(fields: Vec<&FieldSelector>) -> Vec<Selected> {
    let mut keys = Vec::new();
    let mut selects = false;
    for field in fields {
        let values = [
            (&field.equals, Compare::Whole, true),
            (&field.starts_with, Compare::Prefix, true),
            (&field.ends_with, Compare::Suffix, true),
            (&field.not_equals, Compare::Whole, false),
            (&field.not_starts_with, Compare::Prefix, false),
        ];
        for (list, how, select) in values {
            selects |= select && !list.is_empty();
            for value in list {
                let chosen = [
                    ArnShape::S3Object,
                    ArnShape::LambdaFunction,
                    ArnShape::DynamoDbTable,
                ]
                .into_iter()
                .map(|shape| selected(shape, value, how))
                .find(|s| *s != Selected::Any)
                .unwrap_or(Selected::Any);
                if select || matches!(chosen, Selected::Name(_)) {
                    keys.push(chosen);
                }
            }
        }
    }
    if !selects {
        keys.push(Selected::Any);
    }
    keys
}

/// What an ARN value selects (compared as `how`) of the resources of a type: the bucket of
/// `arn:aws:s3:::bucket/…`, the function of `…:function:name`, the table of `…:table/name`,
/// the names a prefix ending inside one begins; any resource for all of a type, a suffix, or
/// an unknown part.
fn selected(shape: ArnShape, value: &Text, how: Compare) -> Selected {
    let named = |name: Option<Text>, prefix: bool| match name {
        Some(name) if prefix => name
            .as_lit()
            .filter(|p| !p.is_empty())
            .map_or(Selected::Any, |p| Selected::Prefix(p.to_owned())),
        Some(name) => key_of(&name).map_or(Selected::Any, Selected::Name),
        None => Selected::Any,
    };
    if how == Compare::Suffix {
        return Selected::Any;
    }
    let Some(rest) = strip_arn_partition(value) else {
        return Selected::Any;
    };
    match shape {
        ArnShape::S3Object => {
            let Some(path) = rest.strip_prefix("s3:::") else {
                return Selected::Any;
            };
            match path.split_once('/') {
                Some((bucket, _)) => named(Some(bucket), false),
                None if how == Compare::Prefix => named(Some(path), true),
                None => Selected::Any,
            }
        }
        ArnShape::LambdaFunction => named(
            rest.strip_prefix("lambda:")
                .and_then(|r| after(&r, "function:")),
            how == Compare::Prefix,
        ),
        ArnShape::DynamoDbTable => named(
            rest.strip_prefix("dynamodb:")
                .and_then(|r| after(&r, "table/")),
            how == Compare::Prefix,
        ),
    }
}

/// What follows the first `marker` written in a literal piece of `text`.
fn after(text: &Text, marker: &str) -> Option<Text> {
    let pieces = text.pieces();
    let at = pieces
        .iter()
        .position(|p| matches!(p, Piece::Lit(lit) if lit.contains(marker)))?;
    let Piece::Lit(lit) = &pieces[at] else {
        return None;
    };
    let (_, rest) = lit.split_once(marker)?;
    let mut out = Text::lit(rest);
    for piece in &pieces[at + 1..] {
        out.push(piece.clone());
    }
    Some(out)
}

/// The key of a resource name that is one literal, or a name the deployment generates (which
/// equals no other name). A parameter may be any name: it has none.
fn key_of(name: &Text) -> Option<String> {
    candidate_key_of(name).map(|key| match key {
        Key::Literal(text) | Key::Generated(text) => text,
    })
}

fn candidate_key_of(name: &Text) -> Option<Key> {
    match name.pieces() {
        [Piece::Lit(name)] if !name.is_empty() => Some(Key::Literal(name.clone())),
        [Piece::Sym(symbol @ Symbol::Generated(_))] => {
            Some(Key::Generated(format!("\u{0}{symbol:?}")))
        }
        _ => None,
    }
}

/// The key of the resource a data candidate names.
fn candidate_key(candidate: &Candidate) -> Option<Key> {
    let Class::Data { resource_type, .. } = candidate.class else {
        return None;
    };
    let shape = resource_type.arn?;
    let named = &candidate.resource.as_ref()?.value;
    if named.as_lit().is_some_and(|v| v.starts_with("arn:")) {
        return match selected(shape, named, Compare::Whole) {
            Selected::Name(key) => Some(Key::Literal(key)),
            Selected::Prefix(_) | Selected::Any => None,
        };
    }
    candidate_key_of(named)
}

/// The generated names a trail's selector values mention, wherever in a value.
fn generated_names(selectors: &Selectors) -> Vec<Symbol> {
    let values: Vec<&Text> = match selectors {
        Selectors::Default | Selectors::Unknown => Vec::new(),
        Selectors::Basic(selectors) => selectors
            .iter()
            .flat_map(|s| &s.data_resources)
            .flat_map(|r| &r.values)
            .collect(),
        Selectors::Advanced(selectors) => selectors
            .iter()
            .flat_map(|s| &s.fields)
            .flat_map(|f| {
                [
                    &f.equals,
                    &f.starts_with,
                    &f.ends_with,
                    &f.not_equals,
                    &f.not_starts_with,
                    &f.not_ends_with,
                ]
            })
            .flatten()
            .collect(),
    };
    values
        .into_iter()
        .flat_map(Text::pieces)
        .filter_map(|piece| match piece {
            Piece::Sym(symbol @ Symbol::Generated(_)) => Some(symbol.clone()),
            _ => None,
        })
        .collect()
}

/// Whether a trail's selectors compare a bucket name only whole with literals they write.
fn by_exact_names(selectors: &Selectors) -> bool {
    let whole = |text: &Text| text.as_lit().is_some();
    let boundary = |text: &Text| text.as_lit().is_some_and(|v| v.ends_with(['/', ':']));
    match selectors {
        Selectors::Default | Selectors::Unknown => true,
        Selectors::Basic(selectors) => selectors
            .iter()
            .flat_map(|s| &s.data_resources)
            .all(|r| r.values.iter().all(whole)),
        Selectors::Advanced(selectors) => selectors
            .iter()
            .filter(|s| !certainly_other_types(s))
            .flat_map(|s| &s.fields)
            .filter(|f| f.field == "resources.ARN")
            .all(|f| {
                f.equals.iter().chain(&f.not_equals).all(whole)
                    && f.starts_with.iter().chain(&f.not_starts_with).all(boundary)
                    && f.ends_with.is_empty()
                    && f.not_ends_with.is_empty()
            }),
    }
}

/// Whether an advanced selector selects only data events of types other than S3 objects, so
/// that its ARN conditions never tell one bucket from another.
fn certainly_other_types(selector: &AdvancedSelector) -> bool {
    selector
        .fields
        .iter()
        .filter(|f| f.field == "resources.type")
        .any(|f| {
            !f.equals.is_empty()
                && f.equals
                    .iter()
                    .all(|t| t.as_lit().is_some_and(|t| t != "AWS::S3::Object"))
        })
}

/// Whether a trail's selectors may log management events, or answer undecided for them.
fn may_log_management(selectors: &Selectors) -> bool {
    match selectors {
        Selectors::Default | Selectors::Unknown => true,
        Selectors::Basic(selectors) => {
            selectors.is_empty()
                || selectors
                    .iter()
                    .any(|s| s.include_management != Some(false))
        }
        // Any advanced selector: one for data events of a type the catalogue does not know
        // leaves other events undecided (see `coverage::admits`).
        Selectors::Advanced(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, FileOutcome};
    use crate::source::{FileId, SourceFile};

    const TRAILS: &str = r#"
Resources:
  Named:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - IncludeManagementEvents: false
          DataResources: [{Type: AWS::S3::Object, Values: ["arn:aws:s3:::uploads/"]}]
  AllBuckets:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - IncludeManagementEvents: false
          DataResources: [{Type: AWS::S3::Object, Values: ["arn:aws:s3:::"]}]
  Management:
    Type: AWS::CloudTrail::Trail
    Properties: {S3BucketName: logs}
  Prefix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::S3::Object"]}
            - {Field: resources.ARN, StartsWith: ["arn:aws:s3:::upl"]}
  Bucket:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.ARN, StartsWith: ["arn:aws:s3:::reports/"]}
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Management]}
  Functions:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - IncludeManagementEvents: false
          DataResources:
            - Type: AWS::Lambda::Function
              Values: [!Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:resize"]
"#;

    /// What a template declares.
    fn items_of(template: &str) -> crate::model::Items {
        let file = SourceFile::new("template.yaml", template.to_owned(), true);
        match ingest::ingest(FileId(0), &file, &ingest::Options::default()) {
            FileOutcome::Input(contents) => contents.items,
            other => panic!("not a template: {other:?}"),
        }
    }

    /// The trails a template declares.
    fn trails_of(template: &str) -> Vec<Trail> {
        items_of(template).trails
    }

    /// The rules a template declares, each with the candidates of its pattern.
    fn candidates_of(template: &str) -> Vec<(EventRule, Vec<Candidate>)> {
        items_of(template)
            .rules
            .into_iter()
            .map(|rule| {
                let crate::model::RulePattern::Valid(pattern) = &rule.pattern else {
                    panic!("{}: no valid pattern", rule.name);
                };
                let branches = pattern.branches().expect("branches");
                let candidates = branches
                    .iter()
                    .enumerate()
                    .flat_map(|(i, branch)| events::candidates(i, branch).expect("candidates"))
                    .collect();
                (rule, candidates)
            })
            .collect()
    }

    const RULES: &str = r#"
Resources:
  Generated:
    Type: AWS::S3::Bucket
  Reads:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [GetObject]
          requestParameters:
            bucketName: [uploads, other, reports, !Ref Generated, another]
  AnyReads:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [GetObject]
  Creates:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [CreateBucket]
"#;

    /// The candidate of `rules` on the bucket `name` (`None`: the generated name).
    fn on<'c>(rules: &'c [(EventRule, Vec<Candidate>)], name: Option<&str>) -> &'c Candidate {
        rules[0]
            .1
            .iter()
            .find(|c| {
                let value = &c.resource.as_ref().expect("a bucket").value;
                match name {
                    Some(name) => value.as_lit() == Some(name),
                    None => matches!(value.pieces(), [Piece::Sym(Symbol::Generated(_))]),
                }
            })
            .expect("a candidate on the bucket")
    }

    /// Pairing tries only the trails that may deliver a candidate, and those that name its
    /// resource first: what keeps it linear when every rule names its own bucket.
    #[test]
    fn a_candidate_is_paired_with_the_trails_that_may_select_its_resource() {
        let trails = trails_of(TRAILS);
        let hints = TrailHints::new(&trails);
        let rules = candidates_of(RULES);
        let relevant = |name| hints.relevant(on(&rules, name));
        let tried = |name| hints.of(on(&rules, name)).collect::<Vec<_>>();
        // Named by `Named`, begun by `Prefix`'s `upl`; `AllBuckets` selects any bucket.
        assert_eq!(relevant(Some("uploads")), [0, 1, 3]);
        assert_eq!(tried(Some("uploads")), [0, 1]);
        // Named by `Bucket`, whose selector has no `resources.type`.
        assert_eq!(relevant(Some("reports")), [1, 4]);
        assert_eq!(tried(Some("reports")), [4, 1]);
        assert_eq!(relevant(Some("other")), [1]);
        assert_eq!(tried(Some("other")), [1]);
        // A generated name equals no name a trail writes, but may begin with any prefix.
        assert_eq!(relevant(None), [1, 3]);
        // Without a bucket, every trail with an S3 selector may deliver.
        let any = &rules[1].1[0];
        assert_eq!(hints.relevant(any), [0, 1, 3, 4]);
        let create = &rules[2].1[0];
        assert!(matches!(create.class, Class::Management { .. }));
        assert_eq!(hints.relevant(create), [2, 3, 4]);
        assert_eq!(hints.of(create).collect::<Vec<_>>(), [2, 3, 4]);
    }

    /// Buckets no trail names share one verdict, decided once for a name no trail can write;
    /// a bucket a trail names has its own.
    #[test]
    fn buckets_no_trail_names_share_one_verdict() {
        let trails: Vec<Trail> = trails_of(TRAILS)
            .into_iter()
            .filter(|t| ["Named", "Management"].contains(&t.name.as_str()))
            .collect();
        let hints = TrailHints::new(&trails);
        let rules = candidates_of(RULES);
        let rule = &rules[0].0;
        let mut decided = Vec::new();
        let mut verdict = |name| {
            hints.shared_verdict(rule, on(&rules, name), |unnamed: &Candidate| {
                decided.push(unnamed.resource.as_ref().map(|r| r.value.clone()));
                Delivery::Delivered
            })
        };
        assert_eq!(verdict(Some("other")), Some(Delivery::Delivered));
        assert_eq!(verdict(Some("another")), Some(Delivery::Delivered));
        assert_eq!(verdict(Some("uploads")), None);
        assert_eq!(verdict(None), Some(Delivery::Delivered));
        let generated = Text::sym(Symbol::Generated("\u{0}unnamed\u{0}".to_owned()));
        assert_eq!(
            decided,
            [Some(Text::lit("\u{0}unnamed\u{0}")), Some(generated)],
            "decided once for the literal names, once for the generated one"
        );
    }

    /// A candidate that names no resource of its own (a management event, any bucket's data
    /// events) has a key that every candidate like it shares; one on a bucket has none.
    #[test]
    fn only_candidates_without_a_resource_share_by_key() {
        let rules = candidates_of(RULES);
        let hints = TrailHints::new(&trails_of(TRAILS));
        let key = |rule: usize, candidate: &Candidate| hints.sharing_key(&rules[rule].0, candidate);
        assert_eq!(key(0, on(&rules, Some("uploads"))), None);
        let any = key(1, &rules[1].1[0]).expect("any bucket's reads share");
        let create = key(2, &rules[2].1[0]).expect("a management event shares");
        assert_ne!(any, create);
        assert!(any.contains("GetObject") && create.contains("CreateBucket"));
    }

    /// The trails a candidate may be delivered by: by the resource named, or among those that
    /// may select resources they do not name. A mistake here changes verdicts of the indexed
    /// pairing; `tests/pairing.rs` compares them with trying every trail.
    #[test]
    fn trails_are_indexed_by_the_resources_they_name() {
        let trails = trails_of(TRAILS);
        let names: Vec<&str> = trails.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Named",
                "AllBuckets",
                "Management",
                "Prefix",
                "Bucket",
                "Functions"
            ]
        );
        let hints = TrailHints::new(&trails);
        let s3 = &hints.data["AWS::S3::Object"];
        assert_eq!(s3.by_key["uploads"], [0]);
        assert_eq!(s3.by_prefix["upl"], [3]);
        assert_eq!(s3.unnamed, [1]);
        assert_eq!(hints.any_type.by_key["reports"], [4]);
        assert_eq!(hints.data["AWS::Lambda::Function"].by_key["resize"], [5]);
        assert_eq!(hints.management, [2, 3, 4]);
    }

    /// A verdict shared by every bucket no trail names holds only if no selector could tell
    /// one such bucket from another: ARNs compared whole with literals, or by prefixes that end
    /// at a boundary, in selectors that may select S3 objects.
    #[test]
    fn only_exact_bucket_names_let_unnamed_buckets_share_a_verdict() {
        let template = r#"
Parameters:
  Bucket: {Type: String}
Resources:
  Literal:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - DataResources: [{Type: AWS::S3::Object, Values: ["arn:aws:s3:::uploads/"]}]
  FromParameter:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      EventSelectors:
        - DataResources: [{Type: AWS::S3::Object, Values: [!Sub "arn:aws:s3:::${Bucket}/"]}]
  BucketBoundary:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::S3::Object"]}
            - {Field: resources.ARN, StartsWith: ["arn:aws:s3:::uploads/"], NotEquals: ["arn:aws:s3:::uploads/a"]}
  NamePrefix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::S3::Object"]}
            - {Field: resources.ARN, StartsWith: ["arn:aws:s3:::upl"]}
  ObjectSuffix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::S3::Object"]}
            - {Field: resources.ARN, EndsWith: ["uploads/index.html"]}
  AnyTypeSuffix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.ARN, NotEndsWith: [".tmp"]}
  FunctionSuffix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::Lambda::Function"]}
            - {Field: resources.ARN, EndsWith: [":function:resize"]}
  MixedTypesSuffix:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {Field: eventCategory, Equals: [Data]}
            - {Field: resources.type, Equals: ["AWS::Lambda::Function", "AWS::S3::Object"]}
            - {Field: resources.ARN, EndsWith: ["index.html"]}
"#;
        let trails = trails_of(template);
        let exact: Vec<(&str, bool)> = trails
            .iter()
            .map(|t| (t.name.as_str(), by_exact_names(&t.selectors)))
            .collect();
        assert_eq!(
            exact,
            [
                ("Literal", true),
                ("FromParameter", false),
                ("BucketBoundary", true),
                ("NamePrefix", false),
                ("ObjectSuffix", false),
                ("AnyTypeSuffix", false),
                ("FunctionSuffix", true),
                ("MixedTypesSuffix", false),
            ]
        );
        let all_exact = |names: &[&str]| {
            let some: Vec<Trail> = trails
                .iter()
                .filter(|t| names.contains(&t.name.as_str()))
                .cloned()
                .collect();
            TrailHints::new(&some).by_exact_names
        };
        assert!(all_exact(&["Literal", "FunctionSuffix"]));
        assert!(!all_exact(&["Literal", "ObjectSuffix"]));
    }

    #[test]
    fn resources_are_keyed_by_the_name_they_select() {
        let key = |shape, value: &str, how| selected(shape, &Text::lit(value), how);
        let name = |n: &str| Selected::Name(n.to_owned());
        let prefix = |n: &str| Selected::Prefix(n.to_owned());
        let (s3, lambda, table) = (
            ArnShape::S3Object,
            ArnShape::LambdaFunction,
            ArnShape::DynamoDbTable,
        );
        assert_eq!(key(s3, "arn:aws:s3:::b/", Compare::Prefix), name("b"));
        assert_eq!(key(s3, "arn:aws:s3:::b/logs/", Compare::Whole), name("b"));
        assert_eq!(key(s3, "arn:aws:s3:::bu", Compare::Prefix), prefix("bu"));
        assert_eq!(
            key(s3, "arn:aws:s3:::bu", Compare::Whole),
            Selected::Any,
            "CloudTrail rejects a basic value without the slash"
        );
        assert_eq!(key(s3, "arn:aws:s3", Compare::Prefix), Selected::Any);
        assert_eq!(key(s3, "arn:aws:s3:::", Compare::Prefix), Selected::Any);
        assert_eq!(key(s3, "arn:aws:s3:::b/", Compare::Suffix), Selected::Any);
        let function = "arn:aws:lambda:eu-west-1:1:function:f";
        assert_eq!(key(lambda, function, Compare::Whole), name("f"));
        assert_eq!(key(lambda, function, Compare::Prefix), prefix("f"));
        assert_eq!(key(lambda, "arn:aws:lambda", Compare::Whole), Selected::Any);
        let dynamodb = "arn:aws:dynamodb:eu-west-1:1:table/t";
        assert_eq!(key(table, dynamodb, Compare::Whole), name("t"));
        assert_eq!(
            key(table, "arn:aws:dynamodb", Compare::Whole),
            Selected::Any
        );
        let parameter = Text::concat([
            Text::lit("arn:aws:s3:::"),
            Text::sym(Symbol::Opaque("0#Bucket".into())),
            Text::lit("/"),
        ]);
        assert_eq!(
            selected(s3, &parameter, Compare::Prefix),
            Selected::Any,
            "a parameter may name any bucket"
        );
    }
}
