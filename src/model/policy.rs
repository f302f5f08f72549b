//! IAM policy documents as the inputs give them: resource policies (Lambda permissions, topic,
//! queue and key policies), role trust policies and role (identity) policies.
//!
//! Every input family converts its document into one neutral tree ([`Doc`]): each leaf a
//! [`Text`] (literal, symbolic or unknown), each part with the place it is written. A
//! [`Policy`] is read from that tree once; `analysis::policy` evaluates it.

use crate::source::Span;
use crate::value::Text;

/// A JSON value with its place: a policy document before it is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub span: Span,
    pub value: DocValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DocValue {
    /// Cannot be read before deployment (an intrinsic that builds a whole part, a Terraform
    /// unknown).
    Unknown,
    Null,
    /// A string, number or boolean, as text.
    Text(Text),
    List(Vec<Doc>),
    /// An object's entries in order.
    Map(Vec<(String, Doc)>),
}

impl Doc {
    pub fn unknown(span: Span) -> Doc {
        Doc {
            span,
            value: DocValue::Unknown,
        }
    }

    /// An object of `entries`.
    pub fn map(span: Span, entries: Vec<(&str, Doc)>) -> Doc {
        Doc {
            span,
            value: DocValue::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.to_owned(), value))
                    .collect(),
            ),
        }
    }

    /// A string.
    pub fn text(span: Span, text: Text) -> Doc {
        Doc {
            span,
            value: DocValue::Text(text),
        }
    }

    /// The entry `key` of an object (the last one written).
    pub fn get(&self, key: &str) -> Option<&Doc> {
        match &self.value {
            DocValue::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A policy document read into statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub span: Span,
    /// `None` when the statements cannot be read: the document or its `Statement` is unknown
    /// or malformed.
    pub statements: Option<Vec<Statement>>,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub span: Span,
    /// `None` when unknown or neither `Allow` nor `Deny`.
    pub effect: Option<Effect>,
    pub principal: Principals,
    /// `Action` or `NotAction` (unreadable when the statement has neither or both).
    pub actions: Matchers,
    /// `Resource` or `NotResource`; `None` when the statement has neither.
    pub resources: Option<Matchers>,
    /// Every condition of the `Condition` block (empty without one); `None` when the block
    /// cannot be read.
    pub conditions: Option<Vec<Condition>>,
}

/// What a statement does to the requests it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// The `Principal` or `NotPrincipal` element of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Principals {
    /// Neither element: as in identity policies.
    Absent,
    /// `"Principal": "*"`: every principal.
    Any(Span),
    /// `"Principal": {"Service": …, "AWS": …}`: each value listed.
    Listed(Vec<Principal>),
    /// `NotPrincipal`: every principal but those listed.
    Not(Span),
    /// An element that cannot be read.
    Unknown(Span),
}

/// One principal listed in a `Principal` element.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub value: Text,
    pub span: Span,
}

/// The key a principal is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Service,
    /// `AWS`: accounts, users, roles, sessions; `*` here is every principal.
    Aws,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    /// The kind listed under `key`. Terraform's `aws_iam_policy_document` writes `"*"` for
    /// `"Principal": "*"`, which `{"AWS": "*"}` equals.
    fn parse(key: &str) -> Option<PrincipalKind> {
        Some(match key {
            "Service" => PrincipalKind::Service,
            "AWS" | "*" => PrincipalKind::Aws,
            "Federated" => PrincipalKind::Federated,
            "CanonicalUser" => PrincipalKind::CanonicalUser,
            _ => return None,
        })
    }
}

/// An `Action`/`NotAction` or `Resource`/`NotResource` element: the patterns it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Matchers {
    pub span: Span,
    /// `NotAction` or `NotResource`: the statement applies to what no pattern matches.
    pub not: bool,
    /// `None` when the element is not a string or a non-empty list of strings.
    pub patterns: Option<Vec<(Text, Span)>>,
}

/// One key of a `Condition` block under one operator: `{"ArnLike": {"aws:SourceArn": […]}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    /// The values, any of which may match.
    pub values: Vec<(Text, Span)>,
}

impl Policy {
    /// Reads a policy document; what cannot be read stays unknown.
    pub fn read(doc: &Doc) -> Policy {
        let statements = doc
            .get("Statement")
            .and_then(|element| match &element.value {
                DocValue::Map(_) => Some(vec![Statement::read(element)]),
                DocValue::List(items) => items
                    .iter()
                    .map(|item| {
                        matches!(item.value, DocValue::Map(_)).then(|| Statement::read(item))
                    })
                    .collect(),
                _ => None,
            });
        Policy {
            span: doc.span,
            statements,
        }
    }
}

impl Statement {
    /// Reads one statement object.
    fn read(doc: &Doc) -> Statement {
        let effect = match doc.get("Effect").map(|effect| &effect.value) {
            Some(DocValue::Text(text)) => match text.decided_lit().as_deref() {
                Some("Allow") => Some(Effect::Allow),
                Some("Deny") => Some(Effect::Deny),
                _ => None,
            },
            _ => None,
        };
        let principal = match (doc.get("Principal"), doc.get("NotPrincipal")) {
            (None, None) => Principals::Absent,
            (Some(element), None) => read_principal(element),
            (None, Some(element)) => Principals::Not(element.span),
            (Some(element), Some(_)) => Principals::Unknown(element.span),
        };
        let conditions = match doc.get("Condition") {
            None => Some(Vec::new()),
            Some(block) => read_conditions(block),
        };
        Statement {
            span: doc.span,
            effect,
            principal,
            actions: read_matchers(doc, "Action", "NotAction").unwrap_or(Matchers {
                span: doc.span,
                not: false,
                patterns: None,
            }),
            resources: read_matchers(doc, "Resource", "NotResource"),
            conditions,
        }
    }
}

/// A `Principal` element: `*` or a map of kinds to values.
fn read_principal(element: &Doc) -> Principals {
    let listed = |entries: &[(String, Doc)]| -> Option<Vec<Principal>> {
        let mut principals = Vec::new();
        for (key, values) in entries {
            let kind = PrincipalKind::parse(key)?;
            principals.extend(strings(values)?.into_iter().map(|(value, span)| Principal {
                kind,
                value,
                span,
            }));
        }
        (!principals.is_empty()).then_some(principals)
    };
    match &element.value {
        DocValue::Text(text) if text.decided_lit().as_deref() == Some("*") => {
            Principals::Any(element.span)
        }
        DocValue::Map(entries) => {
            listed(entries).map_or(Principals::Unknown(element.span), Principals::Listed)
        }
        _ => Principals::Unknown(element.span),
    }
}

/// The element `key` or its negation `not_key`; `None` when the statement has neither.
fn read_matchers(doc: &Doc, key: &str, not_key: &str) -> Option<Matchers> {
    let (element, not, patterns) = match (doc.get(key), doc.get(not_key)) {
        (None, None) => return None,
        (Some(element), None) => (element, false, strings(element)),
        (None, Some(element)) => (element, true, strings(element)),
        (Some(element), Some(_)) => (element, false, None),
    };
    Some(Matchers {
        span: element.span,
        not,
        patterns,
    })
}

/// A `Condition` block: operators, each a map of keys to values.
fn read_conditions(block: &Doc) -> Option<Vec<Condition>> {
    let DocValue::Map(operators) = &block.value else {
        return None;
    };
    let mut conditions = Vec::new();
    for (operator, keys) in operators {
        match &keys.value {
            DocValue::Map(keys) if !keys.is_empty() => {
                for (key, values) in keys {
                    conditions.push(Condition {
                        operator: operator.clone(),
                        key: key.clone(),
                        values: strings(values)?,
                    });
                }
            }
            _ => return None,
        }
    }
    Some(conditions)
}

/// A string or a non-empty list of strings, each with its place; an unknown value or item
/// stands for one unknown string.
fn strings(doc: &Doc) -> Option<Vec<(Text, Span)>> {
    let one = |doc: &Doc| match &doc.value {
        DocValue::Text(text) => Some((text.clone(), doc.span)),
        DocValue::Unknown => Some((Text::unknown(), doc.span)),
        _ => None,
    };
    match &doc.value {
        DocValue::List(items) if items.is_empty() => None,
        DocValue::List(items) => items.iter().map(one).collect(),
        _ => one(doc).map(|item| vec![item]),
    }
}
