//! A Terraform resource's attribute values as they are known before apply: a tree whose
//! leaves are known, symbolic (a string that names another resource, as `!Ref` does in a
//! template) or unknown, each with the place it was written.
//!
//! The resource handlers read only this tree, whatever it came from: a plan's `values` with
//! its `after_unknown` folded in ([`Attr::from_plan`]), or evaluated `.tf` configuration.
//! Nothing here knows what any attribute means.

use std::borrow::Cow;

use crate::parse::{Node, Value};
use crate::source::Span;
use crate::value::Text;

/// One attribute value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub span: Span,
    pub value: AttrValue,
    /// Where its key is written, when it is an object's attribute and that is known.
    pub key: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AttrValue {
    /// Known only after apply.
    Unknown,
    Null,
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string: literal, or with symbolic or unknown pieces.
    String(Text),
    List(Vec<Attr>),
    /// An object or a block: its attributes in order.
    Object(Vec<(String, Attr)>),
    /// The JSON text of a value, as `jsonencode` writes it in configuration: kept as the value,
    /// so that what is inside keeps the places it was written.
    Encoded(Box<Attr>),
}

impl Attr {
    /// A plan's (or a state's) values for one resource, with what `after_unknown` marks
    /// unknown: Terraform leaves such values out of `values` (or writes `null` in a list).
    pub fn from_plan(values: &Node<'_>, unknown: Option<&Node<'_>>) -> Attr {
        fold(Some(values), unknown, values.span)
    }

    /// The attribute `key` of an object, when it is set: null and the empty string (what state
    /// read back from older providers holds for unset optional strings) are unset, and so is
    /// anything that is not an object.
    pub fn get(&self, key: &str) -> Option<&Attr> {
        self.field(key).filter(|attr| {
            !matches!(&attr.value, AttrValue::Null)
                && !matches!(&attr.value, AttrValue::String(text) if text.as_lit() == Some(""))
        })
    }

    /// The attribute `key` of an object as written, null included.
    pub fn field(&self, key: &str) -> Option<&Attr> {
        match &self.value {
            AttrValue::Object(entries) => {
                entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// Whether the attribute `key`, or anything inside it, is known only after apply.
    pub fn is_unknown(&self, key: &str) -> bool {
        self.field(key).is_some_and(Attr::contains_unknown)
    }

    pub fn contains_unknown(&self) -> bool {
        match &self.value {
            AttrValue::Unknown => true,
            AttrValue::List(items) => items.iter().any(Attr::contains_unknown),
            AttrValue::Object(entries) => entries.iter().any(|(_, v)| v.contains_unknown()),
            // The text of a known structure is known, whatever pieces it holds.
            AttrValue::Encoded(inner) => matches!(inner.value, AttrValue::Unknown),
            _ => false,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, AttrValue::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            AttrValue::String(text) => text.as_lit(),
            _ => None,
        }
    }

    /// A boolean, or a string Terraform converts to one (configuration may write `"false"`).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            AttrValue::Bool(b) => Some(*b),
            AttrValue::String(text) => match text.as_lit() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Attr]> {
        match &self.value {
            AttrValue::List(items) => Some(items),
            _ => None,
        }
    }

    /// The string a scalar stands for; unknown for anything else.
    pub fn text(&self) -> Text {
        match &self.value {
            AttrValue::String(text) => text.clone(),
            AttrValue::Number(number) => Text::lit(number.as_str()),
            AttrValue::Bool(b) => Text::lit(if *b { "true" } else { "false" }),
            AttrValue::Encoded(inner) => inner.json(),
            AttrValue::Unknown | AttrValue::Null | AttrValue::List(_) | AttrValue::Object(_) => {
                Text::unknown()
            }
        }
    }

    /// The attribute `key` as a string: unknown when unset or unknown.
    pub fn text_of(&self, key: &str) -> Text {
        self.get(key).map_or_else(Text::unknown, Attr::text)
    }

    /// The boolean attribute `key`, with Terraform's default when it is unset; `None` when it
    /// is unknown or not a boolean.
    pub fn boolean(&self, key: &str, default: bool) -> Option<bool> {
        match self.field(key) {
            None => Some(default),
            Some(attr) if attr.is_null() => Some(default),
            Some(attr) => attr.as_bool(),
        }
    }

    /// A list of strings: empty when unset, each element's string (unknown where it is not
    /// one), or one unknown string when the value is not a list.
    pub fn texts(attr: Option<&Attr>) -> Vec<Text> {
        match attr.map(|attr| &attr.value) {
            None | Some(AttrValue::Null) => Vec::new(),
            Some(AttrValue::List(items)) => items.iter().map(Attr::text).collect(),
            Some(_) => vec![Text::unknown()],
        }
    }

    /// Where each of `count` values read from this value is written: the elements of a list
    /// (which [`Attr::texts`] reads one value each from), or the whole value.
    pub fn element_spans(&self, count: usize) -> Vec<Span> {
        match self.as_list() {
            Some(items) => items.iter().map(|item| item.span).collect(),
            None => vec![self.span; count],
        }
    }
}

impl Attr {
    /// The JSON text of the value, as `jsonencode` writes it: keys in order, symbolic pieces
    /// kept; unknown when any part is.
    pub fn json(&self) -> Text {
        let mut out = Text::default();
        if self.write_json(&mut out) {
            out
        } else {
            Text::unknown()
        }
    }

    fn write_json(&self, out: &mut Text) -> bool {
        match &self.value {
            AttrValue::Unknown => return false,
            AttrValue::Null => out.push_str("null"),
            AttrValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            AttrValue::Number(number) => out.push_str(number),
            AttrValue::String(text) => json_string(text, out),
            AttrValue::Encoded(inner) => json_string(&inner.json(), out),
            AttrValue::List(items) => {
                out.push_str("[");
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(",");
                    }
                    if !item.write_json(out) {
                        return false;
                    }
                }
                out.push_str("]");
            }
            AttrValue::Object(entries) => {
                let mut sorted: Vec<&(String, Attr)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                out.push_str("{");
                for (index, (key, value)) in sorted.into_iter().enumerate() {
                    if index > 0 {
                        out.push_str(",");
                    }
                    json_string(&Text::lit(key.as_str()), out);
                    out.push_str(":");
                    if !value.write_json(out) {
                        return false;
                    }
                }
                out.push_str("}");
            }
        }
        true
    }

    /// The value as a document node for the pattern grammar, with what is not literal made
    /// holes.
    pub fn to_node(&self, holes: &mut crate::pattern::Holes) -> Node<'static> {
        use crate::pattern::Resolved;
        let value = match &self.value {
            AttrValue::Unknown => return holes.hole(Resolved::Unknown, self.span),
            AttrValue::Null => Value::Null,
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Number(number) => Value::Number(Cow::Owned(number.clone())),
            AttrValue::String(text) => match text.as_lit() {
                Some(lit) => Value::String(Cow::Owned(lit.to_owned())),
                None => return holes.hole(Resolved::Text(text.clone()), self.span),
            },
            AttrValue::Encoded(inner) => match inner.json().as_lit() {
                Some(lit) => Value::String(Cow::Owned(lit.to_owned())),
                None => return holes.hole(Resolved::Text(inner.json()), self.span),
            },
            AttrValue::List(items) => {
                Value::Seq(items.iter().map(|item| item.to_node(holes)).collect())
            }
            AttrValue::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(key, value)| crate::parse::Entry {
                        key: Cow::Owned(key.clone()),
                        key_span: value.key.unwrap_or(value.span),
                        value: value.to_node(holes),
                    })
                    .collect(),
            ),
        };
        Node::new(self.span, value)
    }
}

/// A JSON string of `text`, escaped as JSON requires; symbolic pieces are names, which need
/// no escaping.
fn json_string(text: &Text, out: &mut Text) {
    out.push_str("\"");
    for piece in text.pieces() {
        match piece {
            crate::value::Piece::Lit(lit) => {
                let quoted = serde_json::to_string(lit).unwrap_or_default();
                out.push_str(&quoted[1..quoted.len().saturating_sub(1)]);
            }
            other => out.push(other.clone()),
        }
    }
    out.push_str("\"");
}

/// `values` with `unknown` (the matching part of `after_unknown`) folded in: where `unknown`
/// is `true`, or holds a `true` for a value `values` leaves out, the value is unknown.
fn fold(values: Option<&Node<'_>>, unknown: Option<&Node<'_>>, at: Span) -> Attr {
    let span = values.map_or(at, |node| node.span);
    if matches!(unknown.map(|u| &u.value), Some(Value::Bool(true))) {
        return Attr {
            span,
            value: AttrValue::Unknown,
            key: None,
        };
    }
    let Some(values) = values else {
        let value = if unknown.is_some_and(contains_true) {
            AttrValue::Unknown
        } else {
            AttrValue::Null
        };
        return Attr {
            span,
            value,
            key: None,
        };
    };
    let value = match &values.value {
        Value::Null => AttrValue::Null,
        Value::Bool(b) => AttrValue::Bool(*b),
        Value::Number(number) => AttrValue::Number(number.to_string()),
        Value::String(text) => AttrValue::String(Text::lit(Cow::as_ref(text))),
        Value::Seq(items) => {
            let masks = unknown.and_then(Node::as_seq).unwrap_or_default();
            AttrValue::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| fold(Some(item), masks.get(index), item.span))
                    .collect(),
            )
        }
        Value::Map(entries) => {
            let mut out: Vec<(String, Attr)> = entries
                .iter()
                .map(|entry| {
                    let mask = unknown.and_then(|u| u.get(&entry.key));
                    (
                        entry.key.to_string(),
                        fold(Some(&entry.value), mask, entry.value.span),
                    )
                })
                .collect();
            // What `after_unknown` marks but `values` leaves out.
            for mask in unknown.and_then(Node::as_map).unwrap_or_default() {
                if values.get(&mask.key).is_none() && contains_true(&mask.value) {
                    out.push((
                        mask.key.to_string(),
                        Attr {
                            span,
                            value: AttrValue::Unknown,
                            key: None,
                        },
                    ));
                }
            }
            AttrValue::Object(out)
        }
    };
    Attr {
        span,
        value,
        key: None,
    }
}

fn contains_true(node: &Node<'_>) -> bool {
    match &node.value {
        Value::Bool(b) => *b,
        Value::Seq(items) => items.iter().any(contains_true),
        Value::Map(entries) => entries.iter().any(|e| contains_true(&e.value)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Syntax, parse};

    fn attr(values: &str, unknown: &str) -> Attr {
        let values = parse(values, Syntax::Json).unwrap();
        let unknown = parse(unknown, Syntax::Json).unwrap();
        Attr::from_plan(&values, Some(&unknown))
    }

    #[test]
    fn after_unknown_makes_values_unknown() {
        let a = attr(
            r#"{"name": "t", "tags": null, "list": ["a", null]}"#,
            r#"{"arn": true, "list": [false, true], "tags": {}}"#,
        );
        assert_eq!(a.text_of("name"), Text::lit("t"));
        assert!(
            a.is_unknown("arn"),
            "left out of values, unknown in the mask"
        );
        assert!(a.is_unknown("list"));
        assert_eq!(
            Attr::texts(a.get("list")),
            vec![Text::lit("a"), Text::unknown()]
        );
        assert!(!a.is_unknown("tags"));
        assert!(a.get("tags").is_none());
        assert_eq!(a.boolean("enabled", true), Some(true));
        assert_eq!(a.boolean("arn", true), None);
    }

    /// A value left out of `values` is unknown only where its mask holds a `true`, however
    /// deep; elsewhere it stays left out.
    #[test]
    fn masks_of_left_out_values_are_read_to_their_leaves() {
        let a = attr(
            r#"{}"#,
            r#"{"flag": false, "block": {}, "list": [false, {}], "deep": [{"x": [true]}],
                "map": {"y": {"z": true}}}"#,
        );
        for absent in ["flag", "block", "list"] {
            assert!(!a.is_unknown(absent), "{absent}");
            assert!(a.field(absent).is_none(), "{absent}");
        }
        for unknown in ["deep", "map"] {
            assert!(a.is_unknown(unknown), "{unknown}");
        }
    }

    /// Whether an attribute is unknown looks inside lists, objects and encoded values.
    #[test]
    fn unknown_inside_a_value_makes_it_unknown() {
        let a = attr(
            r#"{"selector": [{"type": "AWS::S3::Object", "values": null}], "known": [{"a": 1}]}"#,
            r#"{"selector": [{"values": true}]}"#,
        );
        assert!(
            a.is_unknown("selector"),
            "an object in a list holds an unknown"
        );
        assert!(!a.is_unknown("known"));
        let encoded = |value: AttrValue| Attr {
            span: Span::default(),
            value: AttrValue::Encoded(Box::new(Attr {
                span: Span::default(),
                value,
                key: None,
            })),
            key: None,
        };
        assert!(encoded(AttrValue::Unknown).contains_unknown());
        assert!(!encoded(AttrValue::Null).contains_unknown());
    }

    /// Terraform's default stands for an unset or null boolean; a string converts.
    #[test]
    fn booleans_default_when_unset_or_null() {
        let a = attr(
            r#"{"off": false, "null": null, "text": "false", "other": "yes"}"#,
            "{}",
        );
        assert_eq!(a.boolean("unset", true), Some(true));
        assert_eq!(a.boolean("null", true), Some(true));
        assert_eq!(a.boolean("off", true), Some(false));
        assert_eq!(a.boolean("text", true), Some(false));
        assert_eq!(a.boolean("other", true), None);
    }

    #[test]
    fn booleans_written_as_strings_are_booleans_and_others_undecided() {
        let a = attr(r#"{"t": "true", "f": "false", "x": "yes", "n": 1}"#, "{}");
        assert_eq!(a.boolean("t", false), Some(true));
        assert_eq!(a.boolean("f", true), Some(false));
        assert_eq!(a.boolean("x", true), None);
        assert_eq!(a.boolean("n", true), None);
        let mut symbolic = a.clone();
        if let AttrValue::Object(entries) = &mut symbolic.value {
            entries.push((
                "s".into(),
                Attr {
                    span: Span::new(0, 0),
                    value: AttrValue::String(Text::sym(crate::value::Symbol::Opaque(
                        "var.on".into(),
                    ))),
                    key: None,
                },
            ));
        }
        assert_eq!(
            symbolic.boolean("s", true),
            None,
            "a variable without a value"
        );
    }

    #[test]
    fn empty_strings_are_unset() {
        let a = attr(r#"{"bucket": "", "name": "x"}"#, "{}");
        assert!(a.get("bucket").is_none());
        assert!(a.field("bucket").is_some());
        assert_eq!(a.text_of("bucket"), Text::unknown());
    }
}
