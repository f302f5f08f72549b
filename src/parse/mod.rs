//! Text → [`Node`]: one spanned document tree for JSON and YAML.
//!
//! Both parsers produce the same tree, every node carrying the byte span of its text, so the
//! stages after this one never ask which syntax a file used. CloudFormation's YAML short-form
//! tags are rewritten here to their long forms (`!GetAtt a.b` becomes
//! `{"Fn::GetAtt": ["a", "b"]}`), because that is a property of the syntax, not of the
//! template. This module does not know what a template is: recognising one is `ingest`'s job.
//!
//! Strings borrow from the source text where they contain no escapes, so a tree costs little
//! more than the text it came from.

mod json;
mod offsets;
mod relaxed;
mod yaml;

pub use offsets::OffsetMap;

use std::borrow::Cow;

use crate::source::Span;

/// Deepest nesting of arrays and objects accepted. Real templates and plans stay far below it;
/// deeper input is rejected so that no later recursive walk can overflow the stack.
pub const MAX_DEPTH: usize = 200;

/// One value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub span: Span,
    pub value: Value<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// A number, kept as written (`3.0e2` stays `3.0e2`): event patterns compare number text.
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
}

/// One `key: value` of a mapping. Keys keep their order and duplicates; lookups take the last
/// duplicate, as JSON and YAML parsers conventionally do.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Node<'a>,
}

/// Which syntax to read a text as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

/// Why a text could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// Byte offset at which parsing failed.
    pub offset: u32,
    pub message: String,
}

impl ParseError {
    pub fn new(offset: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            offset: offset as u32,
            message: message.into(),
        }
    }
}

/// Parses `text` as `syntax`.
pub fn parse(text: &str, syntax: Syntax) -> Result<Node<'_>, ParseError> {
    parse_pruned(text, syntax, &Prune::Keep)
}

/// Parses `text` as `syntax`, building nothing for the parts of a JSON document that `prune`
/// says will never be read. Their syntax is checked all the same, so a document is accepted
/// or refused, and at the same place, whatever `prune` says. YAML is always built whole.
pub fn parse_pruned<'a>(
    text: &'a str,
    syntax: Syntax,
    prune: &'static Prune,
) -> Result<Node<'a>, ParseError> {
    match syntax {
        Syntax::Json => json::parse(text, prune),
        Syntax::Yaml => relaxed::parse(text),
    }
}

/// Reads a JSON text only as far as it takes to recognise it. The members of its top-level
/// object are read as `prune` says, and after each one kept, `decided` is asked whether the
/// members kept so far settle what the document is. `Ok(None)` when they do: the rest is not
/// read, not even checked. Otherwise the whole document as `prune` builds it, or the error
/// [`parse`] would report, at the same place.
pub fn recognise_json<'a>(
    text: &'a str,
    prune: &'static Prune,
    decided: fn(&[Entry<'_>]) -> bool,
) -> Result<Option<Node<'a>>, ParseError> {
    json::parse_until(text, prune, decided)
}

/// Which parts of a document to build: a reader that knows it will never look at a subtree
/// says so, and the parser skips over it instead of building what would be thrown away.
#[derive(Debug)]
pub enum Prune {
    /// Build the whole value.
    Keep,
    /// Build nothing. A mapping leaves the member out; a sequence, the element.
    Skip,
    /// In a mapping, how to read the value of each key named; other keys are kept whole.
    Keys(&'static [(&'static str, &'static Prune)]),
    /// In a mapping, how to read the value of each key named; other keys are left out. A
    /// sequence keeps no element. `Only(&[])` keeps a scalar, and of a collection only its
    /// kind: what it takes to know that a key is there.
    Only(&'static [(&'static str, &'static Prune)]),
    /// In a sequence, how to read every element; in a mapping, every value.
    Each(&'static Prune),
    /// In a mapping, the members named are kept whole and the others left out.
    Fields(&'static [&'static str]),
    /// Read this mapping member as `by` says for the string an earlier member of the same
    /// mapping, `sibling`, holds; as `otherwise` says when the sibling comes later or is not a
    /// string.
    BySibling {
        sibling: &'static str,
        by: fn(&str) -> &'static Prune,
        otherwise: &'static Prune,
    },
}

impl Prune {
    /// How to read the value of the mapping member `key`, given the members before it.
    fn member(&'static self, key: &str, before: &[Entry<'_>]) -> &'static Prune {
        let prune = match self {
            Prune::Keep => &Prune::Keep,
            Prune::Skip => &Prune::Skip,
            Prune::Keys(keys) => keys
                .iter()
                .find(|(name, _)| *name == key)
                .map_or(&Prune::Keep, |(_, prune)| prune),
            Prune::Only(keys) => keys
                .iter()
                .find(|(name, _)| *name == key)
                .map_or(&Prune::Skip, |(_, prune)| prune),
            Prune::Fields(fields) => {
                if fields.contains(&key) {
                    &Prune::Keep
                } else {
                    &Prune::Skip
                }
            }
            Prune::Each(prune) => prune,
            Prune::BySibling { .. } => &Prune::Keep,
        };
        match prune {
            Prune::BySibling {
                sibling,
                by,
                otherwise,
            } => {
                let sibling = before.iter().rev().find(|entry| entry.key == *sibling);
                match sibling.and_then(|entry| entry.value.as_str()) {
                    Some(text) => by(text),
                    None => otherwise,
                }
            }
            _ => prune,
        }
    }

    /// How to read the elements of a sequence.
    fn element(&'static self) -> &'static Prune {
        match self {
            Prune::Keep | Prune::Keys(_) | Prune::BySibling { .. } => &Prune::Keep,
            Prune::Skip | Prune::Only(_) | Prune::Fields(_) => &Prune::Skip,
            Prune::Each(prune) => prune,
        }
    }
}

/// The syntax a text is most likely written in: JSON when its first significant character
/// opens an object or array, YAML otherwise (JSON files with a `.yaml` name still parse, as
/// YAML is a superset for every document CloudFormation accepts).
pub fn sniff(text: &str) -> Syntax {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .as_bytes()
        .first()
    {
        Some(b'{' | b'[') => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

impl<'a> Node<'a> {
    pub fn new(span: Span, value: Value<'a>) -> Node<'a> {
        Node { span, value }
    }

    /// The value of `key` if this is a mapping that has it (the last one when duplicated).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry of `key` if this is a mapping that has it (the last one when duplicated).
    pub fn entry(&self, key: &str) -> Option<&Entry<'a>> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|entry| entry.key == key),
            _ => None,
        }
    }

    /// Follows a path of mapping keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node<'a>> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a mapping in order, a duplicated key only at its last occurrence: the
    /// one [`Node::get`] reads, and the one CloudFormation deploys, in YAML and JSON alike
    /// (<https://github.com/aws-cloudformation/cfn-language-discussion/issues/96>).
    pub fn distinct_entries(&self) -> Vec<&Entry<'a>> {
        let entries = self.as_map().unwrap_or_default();
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        let mut distinct: Vec<&Entry<'a>> = entries
            .iter()
            .rev()
            .filter(|entry| seen.insert(entry.key.as_ref()))
            .collect();
        distinct.reverse();
        distinct
    }

    pub fn as_map(&self) -> Option<&[Entry<'a>]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A boolean, also from the strings `"true"` / `"false"` (any case), which CloudFormation
    /// and Terraform accept wherever a boolean is expected.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A scalar as text: strings as they are, numbers as written, booleans as `true`/`false`.
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::String(text) | Value::Number(text) => Some(Cow::Borrowed(text)),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            _ => None,
        }
    }

    /// The key and argument of a single-key mapping, the shape of every intrinsic function
    /// (`{"Ref": "X"}`, `{"Fn::Sub": "…"}`).
    pub fn single_entry(&self) -> Option<&Entry<'a>> {
        match self.as_map() {
            Some([entry]) => Some(entry),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn sniff_picks_json_for_objects_and_arrays() {
        assert_eq!(sniff("  {\"a\": 1}"), Syntax::Json);
        assert_eq!(sniff("\u{feff}[1]"), Syntax::Json);
        assert_eq!(sniff("Resources: {}"), Syntax::Yaml);
        assert_eq!(sniff(""), Syntax::Yaml);
    }

    #[test]
    fn both_syntaxes_give_the_same_tree_shape() {
        let json = parse(r#"{"a": [1, "x", true, null]}"#, Syntax::Json).unwrap();
        let yaml = parse("a: [1, x, true, null]\n", Syntax::Yaml).unwrap();
        let strip = |node: &Node| format!("{:?}", strip_spans(node));
        assert_eq!(strip(&json), strip(&yaml));
    }

    /// The tree without spans, to compare shapes.
    pub(crate) fn strip_spans<'a>(node: &Node<'a>) -> Node<'a> {
        let value = match &node.value {
            Value::Seq(items) => Value::Seq(items.iter().map(strip_spans).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: Span::default(),
                        value: strip_spans(&e.value),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Node::new(Span::default(), value)
    }
}
