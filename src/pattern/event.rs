//! Whether a concrete event matches a pattern, with event-ruler's semantics.
//!
//! The event is flattened into leaves: each scalar with its dotted path and the array elements
//! it sits in. A branch of the pattern matches when every field finds a leaf its matchers
//! accept, and the chosen leaves are *array-consistent*: two fields never take their values
//! from different elements of the same array (event-ruler's `rulesForJSONEvent`, README "JSON
//! Array Matching"). `exists` looks at leaves only, so an object at the path counts as absent;
//! an empty array holds no leaf. Each scalar is judged by [`Matcher::accepts_scalar`], the same
//! matcher the analysis asks about known values.

use super::{Branch, FieldValue, Matcher, Pattern};
use crate::parse::{Node, Value};

/// Most combinations of leaves tried for one branch; a pathological event stops there.
const MAX_STEPS: usize = 1_000_000;

/// A scalar of an event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'e> {
    String(&'e str),
    /// A number as written.
    Number(&'e str),
    Bool(bool),
    Null,
}

/// The result of matching one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventMatch {
    Match,
    /// Why not, in the words printed by `test-pattern`.
    NoMatch(String),
}

/// One scalar of the event, where it is, and which array elements hold it.
#[derive(Debug)]
struct EventLeaf<'e> {
    path: String,
    value: Scalar<'e>,
    /// `(array, element)` for every array on the way from the root.
    elements: Vec<(u32, u32)>,
}

/// Whether `event` matches `pattern`.
pub fn match_event(pattern: &Pattern, event: &Node<'_>) -> EventMatch {
    let Some(branches) = pattern.branches() else {
        return EventMatch::NoMatch(
            "the pattern has too many `$or` combinations to try".to_owned(),
        );
    };
    let leaves = flatten(event);
    let mut best: Option<(usize, String)> = None;
    for branch in &branches {
        match match_branch(branch, &leaves) {
            Ok(()) => return EventMatch::Match,
            Err((satisfied, reason)) => {
                if best.as_ref().is_none_or(|(s, _)| satisfied > *s) {
                    best = Some((satisfied, reason));
                }
            }
        }
    }
    EventMatch::NoMatch(
        best.map_or_else(|| "no branch of the pattern matches".to_owned(), |(_, r)| r),
    )
}

/// Matches one branch; on failure, how many fields were satisfied on their own and why the
/// branch fails.
fn match_branch(branch: &Branch<'_>, leaves: &[EventLeaf<'_>]) -> Result<(), (usize, String)> {
    let mut required: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut satisfied = 0;
    for (index, leaf) in branch.leaves.iter().enumerate() {
        // A later duplicate of a path overrides the earlier one.
        if branch.leaves[index + 1..]
            .iter()
            .any(|later| later.path == leaf.path)
        {
            continue;
        }
        let FieldValue::Leaf(matchers) = leaf.value else {
            return Err((
                satisfied,
                format!("`{}` is not known before deployment", leaf.path),
            ));
        };
        let at_path: Vec<usize> = (0..leaves.len())
            .filter(|&i| leaves[i].path == leaf.path)
            .collect();
        let absent_ok = matchers.iter().any(|m| m.accepts_absent());
        let candidates: Vec<usize> = at_path
            .iter()
            .copied()
            .filter(|&i| matchers.iter().any(|m| m.accepts_scalar(leaves[i].value)))
            .collect();
        if at_path.is_empty() && absent_ok {
            satisfied += 1;
            continue;
        }
        if candidates.is_empty() {
            let reason = if at_path.is_empty() {
                format!("`{}` is not in the event", leaf.path)
            } else {
                format!("`{}` has no value the pattern accepts", leaf.path)
            };
            return Err((satisfied, reason));
        }
        satisfied += 1;
        required.push((leaf.path, candidates));
    }
    // Fewest candidates first keeps the search small.
    required.sort_by_key(|(_, candidates)| candidates.len());
    let mut chosen: Vec<usize> = Vec::with_capacity(required.len());
    let mut steps = 0;
    if consistent_choice(&required, leaves, &mut chosen, &mut steps) {
        Ok(())
    } else {
        let paths: Vec<String> = required
            .iter()
            .map(|(path, _)| format!("`{path}`"))
            .collect();
        Err((
            satisfied,
            format!(
                "{} match only in different elements of the same array",
                paths.join(", ")
            ),
        ))
    }
}

/// Backtracking search for one leaf per field with no two from different elements of one
/// array.
fn consistent_choice(
    required: &[(&str, Vec<usize>)],
    leaves: &[EventLeaf<'_>],
    chosen: &mut Vec<usize>,
    steps: &mut usize,
) -> bool {
    let Some((_, candidates)) = required.get(chosen.len()) else {
        return true;
    };
    for &candidate in candidates {
        *steps += 1;
        if *steps > MAX_STEPS {
            return false;
        }
        if chosen
            .iter()
            .all(|&other| compatible(&leaves[candidate], &leaves[other]))
        {
            chosen.push(candidate);
            if consistent_choice(required, leaves, chosen, steps) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}

/// Whether two leaves may be used together: wherever they pass through the same array, they
/// come from the same element.
fn compatible(a: &EventLeaf<'_>, b: &EventLeaf<'_>) -> bool {
    a.elements.iter().all(|(array, element)| {
        b.elements
            .iter()
            .find(|(other, _)| other == array)
            .is_none_or(|(_, other_element)| other_element == element)
    })
}

fn flatten<'e>(event: &'e Node<'_>) -> Vec<EventLeaf<'e>> {
    let mut leaves = Vec::new();
    let mut arrays = 0;
    walk(
        event,
        String::new(),
        &mut Vec::new(),
        &mut arrays,
        &mut leaves,
    );
    leaves
}

fn walk<'e>(
    node: &'e Node<'_>,
    path: String,
    elements: &mut Vec<(u32, u32)>,
    arrays: &mut u32,
    out: &mut Vec<EventLeaf<'e>>,
) {
    let value = match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                let child = if path.is_empty() {
                    entry.key.to_string()
                } else {
                    format!("{path}.{}", entry.key)
                };
                walk(&entry.value, child, elements, arrays, out);
            }
            return;
        }
        Value::Seq(items) => {
            let array = *arrays;
            *arrays += 1;
            for (index, item) in items.iter().enumerate() {
                elements.push((array, index as u32));
                walk(item, path.clone(), elements, arrays, out);
                elements.pop();
            }
            return;
        }
        Value::String(text) => Scalar::String(text),
        Value::Number(text) => Scalar::Number(text),
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Null => Scalar::Null,
    };
    out.push(EventLeaf {
        path,
        value,
        elements: elements.clone(),
    });
}

impl Matcher {
    /// Whether the matcher holds for a field the event does not have (`exists: false`).
    pub fn accepts_absent(&self) -> bool {
        matches!(self.kind, super::MatcherKind::Exists(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Syntax, parse};
    use crate::pattern::parse_pattern_text;
    use crate::source::Span;

    fn matches(pattern: &str, event: &str) -> bool {
        let pattern = parse_pattern_text(pattern, Span::new(0, pattern.len()), pattern)
            .expect("valid pattern");
        let event = parse(event, Syntax::Json).expect("valid event");
        match_event(&pattern, &event) == EventMatch::Match
    }

    #[test]
    fn arrays_match_any_element() {
        assert!(matches(r#"{"a": ["x"]}"#, r#"{"a": ["y", "x"]}"#));
        assert!(!matches(r#"{"a": ["x"]}"#, r#"{"a": ["y"]}"#));
    }

    #[test]
    fn fields_from_different_array_elements_do_not_match_together() {
        let pattern = r#"{"e": {"first": ["Anna"], "last": ["Jones"]}}"#;
        assert!(matches(
            pattern,
            r#"{"e": [{"first": "Anna", "last": "Jones"}]}"#
        ));
        assert!(!matches(
            pattern,
            r#"{"e": [{"first": "Anna", "last": "Smith"}, {"first": "Ben", "last": "Jones"}]}"#
        ));
    }

    #[test]
    fn exists_looks_at_leaves_only() {
        assert!(matches(
            r#"{"a": [{"exists": false}]}"#,
            r#"{"a": {"b": 1}}"#
        ));
        assert!(!matches(
            r#"{"a": [{"exists": true}]}"#,
            r#"{"a": {"b": 1}}"#
        ));
        assert!(matches(r#"{"a": [{"exists": false}]}"#, r#"{"a": []}"#));
        assert!(matches(r#"{"a": [{"exists": true}]}"#, r#"{"a": null}"#));
    }

    #[test]
    fn types_never_mix() {
        assert!(!matches(r#"{"a": ["1"]}"#, r#"{"a": 1}"#));
        assert!(!matches(r#"{"a": [1]}"#, r#"{"a": "1"}"#));
        assert!(matches(r#"{"a": [300]}"#, r#"{"a": 3.0e2}"#));
        assert!(!matches(r#"{"a": [null]}"#, r#"{"a": ""}"#));
        assert!(!matches(r#"{"a": [""]}"#, r#"{}"#));
        assert!(matches(r#"{"a": [true]}"#, r#"{"a": true}"#));
    }

    #[test]
    fn several_anything_but_are_ored() {
        let pattern = r#"{"a": [{"anything-but": "x"}, {"anything-but": "y"}]}"#;
        assert!(matches(pattern, r#"{"a": "x"}"#));
        assert!(!matches(
            r#"{"a": [{"anything-but": ["x", "y"]}]}"#,
            r#"{"a": "x"}"#
        ));
        assert!(!matches(r#"{"a": [{"anything-but": "x"}]}"#, r#"{}"#));
    }

    #[test]
    fn or_branches() {
        let pattern = r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#;
        assert!(matches(pattern, r#"{"b": "2"}"#));
        assert!(!matches(pattern, r#"{"a": "2"}"#));
    }
}
