//! EventBridge event patterns: the typed pattern, its grammar, and matching.
//!
//! A pattern is read from a [`Node`](crate::parse::Node) into [`Pattern`], validating
//! EventBridge's grammar on the way (the rules of `aws/event-ruler`'s `JsonRuleCompiler`), then
//! flattened into [`Branch`]es, one per combination of `$or` alternatives: the disjunctive form
//! event-ruler itself compiles to. The analysis asks a branch's matchers whether they accept a
//! known value (a detail type, an event name) through [`Matcher::accepts`], so there is one
//! matcher, not one per question.
//!
//! Values inside a CloudFormation pattern may be intrinsic functions (`!Ref Uploads`); the
//! caller resolves them through [`Resolve`], so this module knows nothing of CloudFormation.

mod event;
mod grammar;
mod holes;
mod matching;

pub use event::{EventMatch, Scalar, match_event};
pub use grammar::{NoIntrinsics, OPERATORS, Resolve, Resolved, parse_pattern, parse_pattern_text};
pub use holes::{Holes, parse_pattern_pieces};
pub use matching::{leaf_accepts, wildcard_match};

use crate::source::Span;
use crate::value::Text;

/// EventBridge's limit on the length of an event pattern, in characters.
pub const MAX_PATTERN_LEN: usize = 4096;

/// Most `$or` combinations expanded per pattern; beyond it the pattern is treated as unknown.
pub const MAX_BRANCHES: usize = 256;

/// A valid event pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub span: Span,
    pub root: Object,
}

/// An object level of a pattern: its fields (AND) and its `$or` groups.
#[derive(Debug, Clone, Default)]
pub struct Object {
    pub fields: Vec<Field>,
    pub ors: Vec<Or>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    /// Dotted path from the pattern root (`detail.eventName`).
    pub path: String,
    pub key_span: Span,
    pub value: FieldValue,
}

#[derive(Debug, Clone)]
pub enum FieldValue {
    Object(Object),
    /// The alternatives a leaf accepts (OR).
    Leaf(Vec<Matcher>),
    /// An intrinsic function that does not resolve before deployment.
    Unknown(Span),
}

/// `"$or": [ {…}, {…} ]`.
#[derive(Debug, Clone)]
pub struct Or {
    pub span: Span,
    pub alternatives: Vec<Object>,
}

/// One element of a leaf array.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub span: Span,
    pub kind: MatcherKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MatcherKind {
    /// A literal value: exact match.
    Exact(Literal),
    Prefix {
        value: Text,
        ignore_case: bool,
    },
    Suffix {
        value: Text,
        ignore_case: bool,
    },
    EqualsIgnoreCase(Text),
    Wildcard(Text),
    AnythingBut(AnythingBut),
    /// `numeric`: each comparison must hold.
    Numeric(Vec<(NumericOp, f64)>),
    Exists(bool),
    Cidr(Text),
    /// An intrinsic function that does not resolve before deployment.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    String(Text),
    /// A number as written, and its value when it is representable as a double.
    Number {
        text: String,
        value: Option<f64>,
    },
    Bool(bool),
    Null,
}

/// `anything-but` and its forms: matches when no listed value matches.
#[derive(Debug, Clone, PartialEq)]
pub enum AnythingBut {
    Values(Vec<Literal>),
    Prefix(Vec<Text>),
    Suffix(Vec<Text>),
    EqualsIgnoreCase(Vec<Text>),
    Wildcard(Vec<Text>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericOp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A pattern that EventBridge would reject: where, the JSON path of the offence, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub span: Span,
    /// Dotted path of the offending member, empty for the whole pattern.
    pub path: String,
    pub reason: String,
}

/// One alternative of a pattern after `$or` expansion: every leaf it requires, by dotted path.
#[derive(Debug, Clone, Default)]
pub struct Branch<'p> {
    pub leaves: Vec<Leaf<'p>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Leaf<'p> {
    pub path: &'p str,
    pub key_span: Span,
    pub value: &'p FieldValue,
}

impl Pattern {
    /// The pattern's alternatives, or `None` when `$or` expands to more than [`MAX_BRANCHES`].
    pub fn branches(&self) -> Option<Vec<Branch<'_>>> {
        let mut out = vec![Branch::default()];
        expand(&self.root, &mut out)?;
        Some(out)
    }
}

/// Multiplies `branches` by the alternatives of `object`.
fn expand<'p>(object: &'p Object, branches: &mut Vec<Branch<'p>>) -> Option<()> {
    for field in &object.fields {
        match &field.value {
            FieldValue::Object(inner) => expand(inner, branches)?,
            value => {
                for branch in branches.iter_mut() {
                    branch.leaves.push(Leaf {
                        path: &field.path,
                        key_span: field.key_span,
                        value,
                    });
                }
            }
        }
    }
    for or in &object.ors {
        let mut next = Vec::new();
        for alternative in &or.alternatives {
            let mut forked = branches.clone();
            expand(alternative, &mut forked)?;
            next.extend(forked);
            if next.len() > MAX_BRANCHES {
                return None;
            }
        }
        *branches = next;
    }
    Some(())
}

impl<'p> Branch<'p> {
    /// The leaf at a dotted path (`detail.eventName`), if the branch constrains it. A path
    /// written twice keeps the last, as EventBridge does.
    pub fn leaf(&self, path: &str) -> Option<&Leaf<'p>> {
        self.leaves.iter().rev().find(|leaf| leaf.path == path)
    }

    /// The matchers at a path, if the branch constrains it with a resolved leaf.
    pub fn matchers(&self, path: &str) -> Option<&'p [Matcher]> {
        match self.leaf(path)?.value {
            FieldValue::Leaf(matchers) => Some(matchers),
            _ => None,
        }
    }

    /// Whether the branch constrains the path at all (even with an unknown value).
    pub fn constrains(&self, path: &str) -> bool {
        self.leaf(path).is_some()
    }

    /// Whether any constrained path starts with `prefix`.
    pub fn constrains_under(&self, prefix: &str) -> bool {
        self.leaves.iter().any(|leaf| {
            leaf.path == prefix
                || leaf
                    .path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}
