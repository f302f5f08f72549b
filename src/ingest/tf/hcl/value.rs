//! The values of the partial evaluator: known, symbolic (a string that names a resource or a
//! variable without a value, as `!Ref` does in a template) or unknown, each with the place it
//! was written.

use crate::ingest::tf::attributes::{Attr, AttrValue};
use crate::source::{FileId, Span};
use crate::value::Text;

/// Most nodes one value may have: a bigger one (a `for` over a huge range) is unknown.
pub const MAX_NODES: usize = 20_000;

/// Where a value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub file: FileId,
    pub span: Span,
}

/// One value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct V {
    pub at: At,
    pub val: Val,
    /// Where its key is written, when it is an attribute of an object written out.
    pub key: Option<Span>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Known only at apply, or beyond what the evaluator knows.
    Unknown,
    /// What Terraform rejects (an attribute a known object lacks, an index out of range):
    /// `try` and `can` catch it; anywhere else it is unknown.
    Error,
    Null,
    Bool(bool),
    Number(f64),
    Str(Text),
    /// A tuple, list or set.
    List(Vec<V>),
    /// An object or a map, keys in the order written. An open one may have more attributes,
    /// each unknown (a resource's attributes the evaluator does not derive).
    Map(Vec<(String, V)>, bool),
    /// `jsonencode` of the value: a string, its JSON text.
    Json(Box<V>),
}

impl V {
    pub fn new(at: At, val: Val) -> V {
        V { at, val, key: None }
    }

    pub fn unknown(at: At) -> V {
        V::new(at, Val::Unknown)
    }

    pub fn error(at: At) -> V {
        V::new(at, Val::Error)
    }

    pub fn str(at: At, text: Text) -> V {
        V::new(at, Val::Str(text))
    }

    /// Whether the value is unknown or an error as a whole.
    pub fn is_unknown(&self) -> bool {
        matches!(self.val, Val::Unknown | Val::Error)
    }

    /// Whether any part of the value is unknown or an error.
    pub fn has_unknown(&self) -> bool {
        match &self.val {
            Val::Unknown | Val::Error => true,
            Val::Str(text) => text.is_unknown(),
            Val::List(items) => items.iter().any(V::has_unknown),
            Val::Map(entries, open) => *open || entries.iter().any(|(_, v)| v.has_unknown()),
            Val::Json(inner) => inner.has_unknown(),
            _ => false,
        }
    }

    /// Whether any part of the value is an error.
    pub fn has_error(&self) -> bool {
        match &self.val {
            Val::Error => true,
            Val::List(items) => items.iter().any(V::has_error),
            Val::Map(entries, _) => entries.iter().any(|(_, v)| v.has_error()),
            Val::Json(inner) => inner.has_error(),
            _ => false,
        }
    }

    /// How many nodes the value has.
    pub fn nodes(&self) -> usize {
        1 + match &self.val {
            Val::List(items) => items.iter().map(V::nodes).sum(),
            Val::Map(entries, _) => entries.iter().map(|(_, v)| v.nodes()).sum(),
            Val::Json(inner) => inner.nodes(),
            _ => 0,
        }
    }

    /// The value, or unknown when it has grown past [`MAX_NODES`].
    pub fn bounded(self) -> V {
        if self.nodes() > MAX_NODES {
            V::unknown(self.at)
        } else {
            self
        }
    }

    /// The attribute `key` of an object: unknown in an open one that lacks it, an error in a
    /// closed one.
    pub fn attr(&self, key: &str) -> V {
        match &self.val {
            Val::Map(entries, open) => match entries.iter().rev().find(|(k, _)| k == key) {
                Some((_, v)) => v.clone(),
                None if *open => V::unknown(self.at),
                None => V::error(self.at),
            },
            Val::Unknown => V::unknown(self.at),
            _ => V::error(self.at),
        }
    }

    /// The string the value converts to, as Terraform converts primitives; unknown for what
    /// is not one.
    pub fn text(&self) -> Option<Text> {
        Some(match &self.val {
            Val::Str(text) => text.clone(),
            Val::Number(n) => Text::lit(number_text(*n)),
            Val::Bool(b) => Text::lit(if *b { "true" } else { "false" }),
            Val::Json(inner) => inner.to_attr(self.at.file, self.at.span).json(),
            Val::Unknown => Text::unknown(),
            Val::Error | Val::Null | Val::List(_) | Val::Map(..) => return None,
        })
    }

    /// The literal string the value converts to, when it is one.
    pub fn lit(&self) -> Option<String> {
        self.text()?.as_lit().map(str::to_owned)
    }

    /// The boolean the value converts to: `Some(None)` when unknown, `None` when it is not one.
    pub fn truth(&self) -> Option<Option<bool>> {
        match &self.val {
            Val::Bool(b) => Some(Some(*b)),
            Val::Unknown => Some(None),
            Val::Str(text) => match text.as_lit() {
                Some("true") => Some(Some(true)),
                Some("false") => Some(Some(false)),
                Some(_) => None,
                None => Some(None),
            },
            _ => None,
        }
    }

    /// The number the value converts to: `Some(None)` when unknown.
    pub fn number(&self) -> Option<Option<f64>> {
        match &self.val {
            Val::Number(n) => Some(Some(*n)),
            Val::Unknown => Some(None),
            Val::Str(text) => match text.as_lit() {
                Some(lit) => lit.trim().parse().ok().map(Some),
                None => Some(None),
            },
            _ => None,
        }
    }

    /// The elements of a collection: a list's items, a map's values in key order (as
    /// Terraform iterates maps), with their keys.
    pub fn elements(&self) -> Option<Vec<(V, V)>> {
        match &self.val {
            Val::List(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (V::new(v.at, Val::Number(i as f64)), v.clone()))
                    .collect(),
            ),
            Val::Map(entries, false) => {
                let mut sorted: Vec<&(String, V)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                sorted.dedup_by(|a, b| a.0 == b.0);
                Some(
                    sorted
                        .into_iter()
                        .map(|(k, v)| (V::str(v.at, Text::lit(k.as_str())), v.clone()))
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// The value as a resource's attribute, for the resource handlers: written in
    /// `file`, or at `fallback` (where the resource refers to it) when it was written in
    /// another file.
    pub fn to_attr(&self, file: FileId, fallback: Span) -> Attr {
        let span = if self.at.file == file {
            self.at.span
        } else {
            fallback
        };
        let value = match &self.val {
            Val::Unknown | Val::Error => AttrValue::Unknown,
            Val::Null => AttrValue::Null,
            Val::Bool(b) => AttrValue::Bool(*b),
            Val::Number(n) => AttrValue::Number(number_text(*n)),
            Val::Str(text) => AttrValue::String(text.clone()),
            Val::List(items) => {
                AttrValue::List(items.iter().map(|v| v.to_attr(file, span)).collect())
            }
            Val::Map(entries, _) => AttrValue::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_attr(file, span)))
                    .collect(),
            ),
            Val::Json(inner) if inner.is_unknown() => AttrValue::Unknown,
            Val::Json(inner) => AttrValue::Encoded(Box::new(inner.to_attr(file, span))),
        };
        Attr {
            span,
            value,
            key: self.key.filter(|_| self.at.file == file),
        }
    }
}

impl V {
    /// The value of an attribute tree built in `file`.
    pub fn from_attr(attr: &Attr, file: FileId) -> V {
        let at = At {
            file,
            span: attr.span,
        };
        let val = match &attr.value {
            AttrValue::Unknown => Val::Unknown,
            AttrValue::Null => Val::Null,
            AttrValue::Bool(b) => Val::Bool(*b),
            AttrValue::Number(n) => n.parse().map_or(Val::Unknown, Val::Number),
            AttrValue::String(text) => Val::Str(text.clone()),
            AttrValue::List(items) => {
                Val::List(items.iter().map(|item| V::from_attr(item, file)).collect())
            }
            AttrValue::Object(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), V::from_attr(v, file)))
                    .collect(),
                false,
            ),
            AttrValue::Encoded(inner) => Val::Json(Box::new(V::from_attr(inner, file))),
        };
        V::new(at, val)
    }
}

/// A number as Terraform prints it: whole numbers without a fraction.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> At {
        At {
            file: FileId(0),
            span: Span::new(0, 1),
        }
    }

    #[test]
    fn attributes_of_open_and_closed_objects() {
        let closed = V::new(
            at(),
            Val::Map(vec![("a".into(), V::new(at(), Val::Null))], false),
        );
        let open = V::new(at(), Val::Map(Vec::new(), true));
        assert_eq!(closed.attr("a").val, Val::Null);
        assert_eq!(closed.attr("b").val, Val::Error);
        assert_eq!(open.attr("b").val, Val::Unknown);
    }

    #[test]
    fn numbers_print_as_terraform_prints_them() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-2.5), "-2.5");
    }

    #[test]
    fn values_from_another_file_take_the_place_that_uses_them() {
        let elsewhere = At {
            file: FileId(1),
            span: Span::new(40, 50),
        };
        let v = V::new(at(), Val::List(vec![V::str(elsewhere, Text::lit("x"))]));
        let attr = v.to_attr(FileId(0), Span::new(7, 8));
        assert_eq!(attr.as_list().unwrap()[0].span, Span::new(0, 1));
        let attr = V::str(elsewhere, Text::lit("x")).to_attr(FileId(0), Span::new(7, 8));
        assert_eq!(attr.span, Span::new(7, 8));
    }
}
