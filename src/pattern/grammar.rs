//! Reading a pattern from the document tree, with EventBridge's grammar.
//!
//! The rules and their wording follow `aws/event-ruler`'s `JsonRuleCompiler` (the matcher
//! EventBridge is built on): leaves are non-empty arrays, objects are non-empty, an operator
//! object has exactly one key, and each operator takes the operand types listed in the
//! EventBridge user guide ("Comparison operators for use in event patterns",
//! <https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html>).
//! The first offence found is reported; EventBridge also stops at the first.

use std::net::IpAddr;

use super::{
    AnythingBut, Field, FieldValue, Literal, MAX_PATTERN_LEN, Matcher, MatcherKind, NumericOp,
    Object, Or, Pattern, PatternError,
};
use crate::parse::{self, Node, OffsetMap, Syntax, Value};
use crate::source::Span;
use crate::value::Text;

/// What an intrinsic function inside a pattern stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Text(Text),
    List(Vec<Text>),
    Unknown,
}

/// Resolves intrinsic functions (CloudFormation's `Ref`, `Fn::Sub`, …) found inside a
/// pattern. Returns `None` when the node is not an intrinsic.
pub trait Resolve {
    fn resolve(&self, node: &Node<'_>) -> Option<Resolved>;
}

/// For patterns that cannot contain intrinsics (JSON strings, Terraform).
pub struct NoIntrinsics;

impl Resolve for NoIntrinsics {
    fn resolve(&self, _: &Node<'_>) -> Option<Resolved> {
        None
    }
}

/// Reads a pattern written as a document node (a CloudFormation `EventPattern` object).
pub fn parse_pattern(node: &Node<'_>, resolver: &dyn Resolve) -> Result<Pattern, PatternError> {
    let reader = Reader {
        resolver,
        spans: None,
    };
    // An intrinsic gives at least `""`: a pattern too long whatever it gives is rejected.
    let len = compact_len(node);
    if len > MAX_PATTERN_LEN {
        return Err(too_long(node.span, len));
    }
    reader.pattern(node)
}

/// Reads a pattern written as JSON text (a string `EventPattern`, a Terraform
/// `event_pattern`). `host` is where the string is written in the file and `file_text` the
/// file: spans inside the text are mapped back to the file when the string's source aligns
/// with its value, and are `host` otherwise.
pub fn parse_pattern_text(
    text: &str,
    host: Span,
    file_text: &str,
) -> Result<Pattern, PatternError> {
    let map = file_text
        .get(host.range())
        .and_then(|source| OffsetMap::align(text, source, host.start as usize));
    let spans = Spans { host, map };
    let len = text.chars().count();
    if len > MAX_PATTERN_LEN {
        return Err(too_long(host, len));
    }
    let node = parse::parse(text, Syntax::Json).map_err(|error| PatternError {
        span: spans.map(Span::new(error.offset as usize, error.offset as usize + 1)),
        path: String::new(),
        reason: format!("the pattern is not valid JSON: {error}"),
    })?;
    let reader = Reader {
        resolver: &NoIntrinsics,
        spans: Some(spans),
    };
    reader.pattern(&node)
}

/// Spans of a pattern parsed from a string, mapped to the file.
struct Spans {
    host: Span,
    map: Option<OffsetMap>,
}

impl Spans {
    fn map(&self, span: Span) -> Span {
        self.map
            .as_ref()
            .and_then(|m| m.map(span))
            .unwrap_or(self.host)
    }
}

fn too_long(span: Span, len: usize) -> PatternError {
    PatternError {
        span,
        path: String::new(),
        reason: format!(
            "the pattern is {len} characters long; EventBridge accepts at most {MAX_PATTERN_LEN}"
        ),
    }
}

/// Words event-ruler reserves inside `$or` (`Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`).
const RESERVED_IN_OR: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

struct Reader<'r> {
    resolver: &'r dyn Resolve,
    /// For patterns parsed from a string: how their spans map to the file.
    spans: Option<Spans>,
}

type Result<T, E = PatternError> = std::result::Result<T, E>;

impl Reader<'_> {
    fn span(&self, span: Span) -> Span {
        match &self.spans {
            Some(spans) => spans.map(span),
            None => span,
        }
    }

    fn error(&self, span: Span, path: &str, reason: impl Into<String>) -> PatternError {
        PatternError {
            span: self.span(span),
            path: path.to_owned(),
            reason: reason.into(),
        }
    }

    fn pattern(&self, node: &Node<'_>) -> Result<Pattern> {
        if !matches!(node.value, Value::Map(_)) {
            return Err(self.error(
                node.span,
                "",
                "the pattern must be a JSON object (\"Filter is not an object\")",
            ));
        }
        Ok(Pattern {
            span: self.span(node.span),
            root: self.object(node, "")?,
        })
    }

    fn object(&self, node: &Node<'_>, path: &str) -> Result<Object> {
        let entries = node.as_map().unwrap_or_default();
        if entries.is_empty() {
            return Err(self.error(node.span, path, "Empty objects are not allowed"));
        }
        let mut object = Object::default();
        for (index, entry) in entries.iter().enumerate() {
            // A later duplicate of a key overrides the earlier one, as in EventBridge.
            if entries[index + 1..]
                .iter()
                .any(|later| later.key == entry.key)
            {
                continue;
            }
            let child_path = join(path, &entry.key);
            if entry.key == "$or" {
                // event-ruler's legacy compiler would take `$or` for a field name; the
                // compiler EventBridge documents refuses it.
                let Value::Seq(items) = &entry.value.value else {
                    return Err(self.error(
                        entry.value.span,
                        &child_path,
                        "It must be an Array followed with $or.",
                    ));
                };
                object.ors.push(self.or(&entry.value, items, &child_path)?);
                continue;
            }
            let value = self.field_value(&entry.value, &entry.key, &child_path)?;
            object.fields.push(Field {
                key: entry.key.to_string(),
                path: child_path,
                key_span: self.span(entry.key_span),
                value,
            });
        }
        Ok(object)
    }

    fn or(&self, node: &Node<'_>, items: &[Node<'_>], path: &str) -> Result<Or> {
        if items.len() < 2 {
            return Err(self.error(
                node.span,
                path,
                "There must have at least 2 Objects in $or relationship.",
            ));
        }
        let mut alternatives = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            let Some(entries) = item.as_map() else {
                return Err(self.error(
                    item.span,
                    &item_path,
                    "Only JSON object is allowed in array of $or relationship.",
                ));
            };
            if let Some(reserved) = reserved_field(entries) {
                return Err(self.error(
                    reserved.key_span,
                    &item_path,
                    format!(
                        "{} is Ruler reserved fieldName which cannot be used inside $or.",
                        reserved.key
                    ),
                ));
            }
            // Alternatives extend the enclosing level: their fields have its paths.
            let parent = path
                .strip_suffix("$or")
                .unwrap_or(path)
                .trim_end_matches('.');
            alternatives.push(self.object(item, parent)?);
        }
        Ok(Or {
            span: self.span(node.span),
            alternatives,
        })
    }

    fn field_value(&self, node: &Node<'_>, key: &str, path: &str) -> Result<FieldValue> {
        if let Some(resolved) = self.resolver.resolve(node) {
            return Ok(match resolved {
                Resolved::List(items) => FieldValue::Leaf(
                    items
                        .into_iter()
                        .map(|text| Matcher {
                            span: self.span(node.span),
                            kind: MatcherKind::Exact(Literal::String(text)),
                        })
                        .collect(),
                ),
                _ => FieldValue::Unknown(self.span(node.span)),
            });
        }
        match &node.value {
            Value::Map(_) => Ok(FieldValue::Object(self.object(node, path)?)),
            Value::Seq(items) => {
                if items.is_empty() {
                    return Err(self.error(node.span, path, "Empty arrays are not allowed"));
                }
                let mut matchers = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    self.matchers(item, &format!("{path}[{index}]"), &mut matchers)?;
                }
                Ok(FieldValue::Leaf(matchers))
            }
            _ => Err(self.error(
                node.span,
                path,
                format!("\"{key}\" must be an object or an array"),
            )),
        }
    }

    /// One element of a leaf array (an intrinsic may stand for several).
    fn matchers(&self, node: &Node<'_>, path: &str, out: &mut Vec<Matcher>) -> Result<()> {
        let span = self.span(node.span);
        if let Some(resolved) = self.resolver.resolve(node) {
            match resolved {
                Resolved::Text(text) => out.push(Matcher {
                    span,
                    kind: MatcherKind::Exact(Literal::String(text)),
                }),
                Resolved::List(items) => out.extend(items.into_iter().map(|text| Matcher {
                    span,
                    kind: MatcherKind::Exact(Literal::String(text)),
                })),
                Resolved::Unknown => out.push(Matcher {
                    span,
                    kind: MatcherKind::Unknown,
                }),
            }
            return Ok(());
        }
        let kind = match &node.value {
            Value::Map(entries) => self.operator(node, entries, path)?,
            Value::Seq(_) => {
                return Err(self.error(
                    node.span,
                    path,
                    "Match value must be String, number, true, false, or null",
                ));
            }
            _ => MatcherKind::Exact(self.literal(node, path)?),
        };
        out.push(Matcher { span, kind });
        Ok(())
    }

    fn literal(&self, node: &Node<'_>, path: &str) -> Result<Literal> {
        Ok(match &node.value {
            Value::String(text) => Literal::String(Text::lit(text.as_ref())),
            Value::Number(text) => Literal::Number {
                value: number_value(text),
                text: text.to_string(),
            },
            Value::Bool(b) => Literal::Bool(*b),
            Value::Null => Literal::Null,
            _ => {
                return Err(self.error(
                    node.span,
                    path,
                    "Match value must be String, number, true, false, or null",
                ));
            }
        })
    }

    /// The one member of a match expression's mapping, which event-ruler requires; `title`
    /// names the expression when there is none (`Match`, `Prefix`, `Anything-But`).
    fn only_entry<'n, 'a>(
        &self,
        node: &Node<'_>,
        entries: &'n [parse::Entry<'a>],
        path: &str,
        title: &str,
    ) -> Result<&'n parse::Entry<'a>> {
        match entries {
            [entry] => Ok(entry),
            [] => Err(self.error(
                node.span,
                path,
                format!("{title} expression name not found"),
            )),
            _ => Err(self.error(node.span, path, "Only one key allowed in match expression")),
        }
    }

    fn operator(
        &self,
        node: &Node<'_>,
        entries: &[parse::Entry<'_>],
        path: &str,
    ) -> Result<MatcherKind> {
        let entry = self.only_entry(node, entries, path, "Match")?;
        let operand = &entry.value;
        let op_path = join(path, &entry.key);
        match entry.key.as_ref() {
            "prefix" | "suffix" => self.affix(&entry.key, operand, &op_path),
            "equals-ignore-case" => Ok(MatcherKind::EqualsIgnoreCase(self.string(
                operand,
                &op_path,
                "equals-ignore-case match pattern must be a string",
            )?)),
            "exactly" => Ok(MatcherKind::Exact(Literal::String(self.string(
                operand,
                &op_path,
                "exactly match pattern must be a string",
            )?))),
            "wildcard" => {
                let value =
                    self.string(operand, &op_path, "wildcard match pattern must be a string")?;
                self.check_wildcard(operand, &value, &op_path)?;
                Ok(MatcherKind::Wildcard(value))
            }
            "anything-but" => Ok(MatcherKind::AnythingBut(
                self.anything_but(operand, &op_path)?,
            )),
            "numeric" => Ok(MatcherKind::Numeric(self.numeric(operand, &op_path)?)),
            "exists" => match operand.value {
                Value::Bool(b) => Ok(MatcherKind::Exists(b)),
                _ => Err(self.error(
                    operand.span,
                    &op_path,
                    "exists match pattern must be either true or false.",
                )),
            },
            "cidr" => {
                let value =
                    self.string(operand, &op_path, "cidr match pattern must be a string")?;
                if let Some(text) = value.as_lit()
                    && let Err(reason) = check_cidr(text)
                {
                    return Err(self.error(operand.span, &op_path, reason));
                }
                Ok(MatcherKind::Cidr(value))
            }
            other => Err(self.error(
                entry.key_span,
                path,
                format!("Unrecognized match type {other}"),
            )),
        }
    }

    /// `prefix` / `suffix`: a string, or `{"equals-ignore-case": string}`.
    fn affix(&self, operator: &str, operand: &Node<'_>, path: &str) -> Result<MatcherKind> {
        let (value, ignore_case, value_path) = match operand.as_map() {
            Some(entries) if self.resolver.resolve(operand).is_none() => {
                let title = if operator == "prefix" {
                    "Prefix"
                } else {
                    "Suffix"
                };
                let entry = self.only_entry(operand, entries, path, title)?;
                if entry.key != "equals-ignore-case" {
                    return Err(self.error(
                        entry.key_span,
                        path,
                        format!("Unsupported {operator} pattern: {}", entry.key),
                    ));
                }
                (&entry.value, true, join(path, "equals-ignore-case"))
            }
            _ => (operand, false, path.to_owned()),
        };
        let reason = if ignore_case {
            "equals-ignore-case match pattern must be a string".to_owned()
        } else {
            format!("{operator} match pattern must be a string")
        };
        let value = self.string(value, &value_path, &reason)?;
        Ok(if operator == "prefix" {
            MatcherKind::Prefix { value, ignore_case }
        } else {
            MatcherKind::Suffix { value, ignore_case }
        })
    }

    /// A string operand, which may be an intrinsic resolving to one.
    fn string(&self, node: &Node<'_>, path: &str, reason: &str) -> Result<Text> {
        if let Some(resolved) = self.resolver.resolve(node) {
            return Ok(match resolved {
                Resolved::Text(text) => text,
                _ => Text::unknown(),
            });
        }
        match &node.value {
            Value::String(text) => Ok(Text::lit(text.as_ref())),
            _ => Err(self.error(node.span, path, reason)),
        }
    }

    /// Strings or a list of strings (the operands of `anything-but`'s forms).
    fn strings(&self, node: &Node<'_>, path: &str, reason: &str) -> Result<Vec<Text>> {
        match &node.value {
            Value::Seq(items) if self.resolver.resolve(node).is_none() => {
                if items.is_empty() {
                    return Err(self.error(node.span, path, "Empty arrays are not allowed"));
                }
                items
                    .iter()
                    .map(|item| self.string(item, path, reason))
                    .collect()
            }
            _ => Ok(vec![self.string(node, path, reason)?]),
        }
    }

    fn anything_but(&self, operand: &Node<'_>, path: &str) -> Result<AnythingBut> {
        const NOT_SUPPORTED: &str =
            "Inside anything but list, start|null|boolean is not supported.";
        if self.resolver.resolve(operand).is_some() {
            return Ok(AnythingBut::Values(vec![Literal::String(
                self.string(operand, path, "")?,
            )]));
        }
        match &operand.value {
            Value::String(_) | Value::Number(_) => Ok(AnythingBut::Values(vec![
                self.number_checked(operand, path)?,
            ])),
            Value::Seq(items) => {
                if items.is_empty() {
                    return Err(self.error(
                        operand.span,
                        path,
                        "Inside anything but list, either all values are number or string.",
                    ));
                }
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    let value = match &item.value {
                        Value::String(_) | Value::Number(_) => self.number_checked(item, path)?,
                        _ if self.resolver.resolve(item).is_some() => {
                            Literal::String(self.string(item, path, NOT_SUPPORTED)?)
                        }
                        _ => return Err(self.error(item.span, path, NOT_SUPPORTED)),
                    };
                    values.push(value);
                }
                let strings = values
                    .iter()
                    .filter(|v| matches!(v, Literal::String(_)))
                    .count();
                if strings != 0 && strings != values.len() {
                    return Err(self.error(
                        operand.span,
                        path,
                        "Inside anything but list, mixed type is not supported.",
                    ));
                }
                Ok(AnythingBut::Values(values))
            }
            Value::Map(entries) => {
                let entry = self.only_entry(operand, entries, path, "Anything-But")?;
                let inner_path = join(path, &entry.key);
                match entry.key.as_ref() {
                    "prefix" | "suffix" => {
                        let reason = format!("{} match pattern must be a string", entry.key);
                        let values = self.strings(&entry.value, &inner_path, &reason)?;
                        if values.iter().any(|v| v.as_lit() == Some("")) {
                            return Err(self.error(entry.value.span, &inner_path, "Null prefix/suffix not allowed"));
                        }
                        Ok(if entry.key == "prefix" {
                            AnythingBut::Prefix(values)
                        } else {
                            AnythingBut::Suffix(values)
                        })
                    }
                    "equals-ignore-case" => Ok(AnythingBut::EqualsIgnoreCase(self.strings(
                        &entry.value,
                        &inner_path,
                        "Inside anything-but/ignore-case list, number|start|null|boolean is not supported.",
                    )?)),
                    "wildcard" => {
                        let values =
                            self.strings(&entry.value, &inner_path, "wildcard match pattern must be a string")?;
                        for value in &values {
                            self.check_wildcard(&entry.value, value, &inner_path)?;
                        }
                        Ok(AnythingBut::Wildcard(values))
                    }
                    other => Err(self.error(entry.key_span, path, format!("Unsupported anything-but pattern: {other}"))),
                }
            }
            _ => Err(self.error(
                operand.span,
                path,
                "Value of anything-but must be an array or single string/number value.",
            )),
        }
    }

    /// A literal, refusing numbers a double cannot hold (event-ruler's `ComparableNumber`).
    fn number_checked(&self, node: &Node<'_>, path: &str) -> Result<Literal> {
        let literal = self.literal(node, path)?;
        if let Literal::Number { text, value: None } = &literal {
            return Err(self.error(node.span, path, format!("Cannot compare number {text}")));
        }
        Ok(literal)
    }

    /// Wildcard syntax. Positions count as event-ruler does: in UTF-8 bytes, after the opening
    /// quote of the JSON string.
    fn check_wildcard(&self, node: &Node<'_>, value: &Text, path: &str) -> Result<()> {
        let Some(text) = value.as_lit() else {
            return Ok(());
        };
        let mut chars = text.char_indices().peekable();
        // Where the previous character was a `*`, its position.
        let mut previous_star: Option<usize> = None;
        while let Some((at, c)) = chars.next() {
            let pos = at + 1;
            match c {
                '*' if previous_star.is_some() => {
                    let first = previous_star.unwrap_or(pos);
                    return Err(self.error(
                        node.span,
                        path,
                        format!("Consecutive wildcard characters at pos {first}"),
                    ));
                }
                '*' => previous_star = Some(pos),
                '\\' => {
                    previous_star = None;
                    match chars.next() {
                        Some((_, '*' | '\\')) => {}
                        _ => {
                            return Err(self.error(
                                node.span,
                                path,
                                format!("Invalid escape character at pos {pos}"),
                            ));
                        }
                    }
                }
                _ => previous_star = None,
            }
        }
        Ok(())
    }

    /// `numeric`: `[op, n]` or a range `[">"|">=", lo, "<"|"<=", hi]`, read in the order and
    /// with the messages of event-ruler's compiler.
    fn numeric(&self, operand: &Node<'_>, path: &str) -> Result<Vec<(NumericOp, f64)>> {
        let Some(items) = operand.as_seq() else {
            return Err(self.error(operand.span, path, "Value of numeric must be an array."));
        };
        let mut items = items.iter();
        let (op, value) = self.numeric_term(items.next(), items.next(), operand, path)?;
        let mut out = vec![(op, value)];
        let Some(next) = items.next() else {
            return Ok(out);
        };
        if !matches!(op, NumericOp::Gt | NumericOp::Ge) {
            return Err(self.error(
                operand.span,
                path,
                "Too many elements in numeric expression",
            ));
        }
        let (upper, bound) = self.numeric_term(Some(next), items.next(), operand, path)?;
        if !matches!(upper, NumericOp::Lt | NumericOp::Le) {
            return Err(self.error(
                operand.span,
                path,
                "Bad numeric range: a range is a lower bound (\">\" or \">=\") followed by an upper bound (\"<\" or \"<=\")",
            ));
        }
        if items.next().is_some() {
            return Err(self.error(
                operand.span,
                path,
                "Too many terms in numeric range expression",
            ));
        }
        if value >= bound {
            return Err(self.error(
                operand.span,
                path,
                format!("Bad numeric range: the bottom of the range, {value}, must be less than the top, {bound}"),
            ));
        }
        out.push((upper, bound));
        Ok(out)
    }

    /// One `operator, number` pair of a `numeric` array.
    fn numeric_term(
        &self,
        op: Option<&Node<'_>>,
        value: Option<&Node<'_>>,
        operand: &Node<'_>,
        path: &str,
    ) -> Result<(NumericOp, f64)> {
        let Some(op) = op else {
            return Err(self.error(
                operand.span,
                path,
                "Invalid member in numeric match: the array is empty",
            ));
        };
        let op_name = match &op.value {
            Value::String(name) => name.as_ref(),
            _ => {
                return Err(self.error(
                    op.span,
                    path,
                    "Invalid member in numeric match: an operator must be a string",
                ));
            }
        };
        let kind = match op_name {
            "=" => NumericOp::Eq,
            "<" => NumericOp::Lt,
            "<=" => NumericOp::Le,
            ">" => NumericOp::Gt,
            ">=" => NumericOp::Ge,
            other => {
                return Err(self.error(
                    op.span,
                    path,
                    format!("Unrecognized numeric range operator: {other}"),
                ));
            }
        };
        let Some(value_node) = value else {
            return Err(self.error(
                operand.span,
                path,
                format!("Value of {op_name} must be numeric"),
            ));
        };
        let Value::Number(text) = &value_node.value else {
            return Err(self.error(
                value_node.span,
                path,
                format!("Value of {op_name} must be numeric"),
            ));
        };
        let Some(value) = number_value(text) else {
            return Err(self.error(
                value_node.span,
                path,
                format!("Cannot compare number {text}"),
            ));
        };
        Ok((kind, value))
    }
}

/// A field name inside an `$or` alternative, at any depth, that event-ruler reserves.
fn reserved_field<'n, 'a>(entries: &'n [parse::Entry<'a>]) -> Option<&'n parse::Entry<'a>> {
    entries.iter().find_map(|entry| {
        if RESERVED_IN_OR.contains(&entry.key.as_ref()) {
            Some(entry)
        } else if entry.key != "$or" {
            entry.value.as_map().and_then(reserved_field)
        } else {
            None
        }
    })
}

/// The operators a pattern may use, for "did you mean".
pub const OPERATORS: &[&str] = &[
    "prefix",
    "suffix",
    "equals-ignore-case",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "wildcard",
];

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The value of a JSON number, when a double represents it (event-ruler rejects the others:
/// overflow to infinity, or a non-zero value that underflows to zero).
pub(super) fn number_value(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let mantissa_is_zero = text
        .split(['e', 'E'])
        .next()
        .is_some_and(|m| m.chars().all(|c| matches!(c, '0' | '.' | '-' | '+')));
    if value == 0.0 && !mantissa_is_zero {
        return None;
    }
    Some(value)
}

/// Whether a `cidr` operand is an IP range as event-ruler's `CIDR.cidr` accepts it: an address,
/// a `/`, and fewer mask bits than the address has.
fn check_cidr(text: &str) -> std::result::Result<(), String> {
    let Some((address, bits)) = text.split_once('/') else {
        return Err("Malformed CIDR, one '/' required".to_owned());
    };
    let Ok(bits) = bits.parse::<u8>() else {
        return Err(format!(
            "Malformed CIDR, mask bits must be an integer: {text}"
        ));
    };
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) if bits >= 32 => Err("IPv4 mask bits must be < 32".to_owned()),
        Ok(IpAddr::V6(_)) if bits >= 128 => Err("IPv6 mask bits must be < 128".to_owned()),
        Ok(_) => Ok(()),
        Err(_) => Err(format!("Nonstandard IP address: {address}")),
    }
}

/// Length of a node written as compact JSON, when it contains no intrinsics that would change
/// it. An approximation of what CloudFormation sends (it may order keys differently, which
/// does not change the length).
fn compact_len(node: &Node<'_>) -> usize {
    match &node.value {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(text) => text.len(),
        Value::String(text) => json_string_len(text),
        Value::Seq(items) => {
            2 + items.len().saturating_sub(1) + items.iter().map(compact_len).sum::<usize>()
        }
        Value::Map(entries) => {
            if let [entry] = entries.as_slice()
                && (entry.key == "Ref" || entry.key.starts_with("Fn::"))
            {
                // The shortest value an intrinsic can give.
                return 2;
            }
            let mut len = 2 + entries.len().saturating_sub(1);
            for entry in entries {
                len += json_string_len(&entry.key) + 1 + compact_len(&entry.value);
            }
            len
        }
    }
}

fn json_string_len(text: &str) -> usize {
    2 + text
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            _ => 1,
        })
        .sum::<usize>()
}
