//! Whether a concrete event matches a pattern, with event-ruler's semantics.
//!
//! The event is flattened into leaves: each scalar with its dotted path and the array elements
//! it sits in. Only the scalars at a path the pattern names are kept, and a leaf refers to its
//! path and its innermost array element rather than holding copies: an event is any JSON, and
//! a full path and element list per scalar would grow with its depth times its size. A branch of the pattern matches when every field finds a leaf its matchers
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

/// One scalar of the event at a path the pattern names, and which array elements hold it.
#[derive(Debug)]
struct EventLeaf<'e> {
    /// Its path, as an index into [`Flat::paths`].
    path: usize,
    value: Scalar<'e>,
    /// The innermost array element holding it, in [`Flat::elements`].
    element: Option<u32>,
}

/// One element of an array of the event (two leaves in it come from the same element), and
/// the element of an array around that array.
#[derive(Debug)]
struct Element {
    /// Arrays are numbered in the order they open, so an array's number is above those of the
    /// arrays around it.
    array: u32,
    outer: Option<u32>,
}

/// The leaves of an event that a pattern can ask about.
struct Flat<'p, 'e> {
    /// The pattern's dotted paths, sorted, once each.
    paths: Vec<&'p str>,
    leaves: Vec<EventLeaf<'e>>,
    /// The indices of the leaves at each path.
    by_path: Vec<Vec<usize>>,
    elements: Vec<Element>,
}

/// Whether `event` matches `pattern`.
pub fn match_event(pattern: &Pattern, event: &Node<'_>) -> EventMatch {
    let Some(branches) = pattern.branches() else {
        return EventMatch::NoMatch(
            "the pattern has too many `$or` combinations to try".to_owned(),
        );
    };
    let mut paths: Vec<&str> = branches
        .iter()
        .flat_map(|branch| branch.leaves.iter().map(|leaf| leaf.path))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let flat = flatten(event, paths);
    let mut best: Option<(usize, String)> = None;
    for branch in &branches {
        match match_branch(branch, &flat) {
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
fn match_branch(branch: &Branch<'_>, flat: &Flat<'_, '_>) -> Result<(), (usize, String)> {
    let leaves = &flat.leaves;
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
        let at_path: &[usize] = flat
            .paths
            .binary_search(&leaf.path)
            .map_or(&[], |path| &flat.by_path[path]);
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
    if consistent_choice(&required, flat, &mut chosen, &mut steps) {
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
    flat: &Flat<'_, '_>,
    chosen: &mut Vec<usize>,
    steps: &mut usize,
) -> bool {
    let leaves = &flat.leaves;
    let Some((_, candidates)) = required.get(chosen.len()) else {
        return true;
    };
    for &candidate in candidates {
        *steps += 1;
        if *steps > MAX_STEPS {
            return false;
        }
        if chosen.iter().all(|&other| {
            compatible(
                &flat.elements,
                leaves[candidate].element,
                leaves[other].element,
            )
        }) {
            chosen.push(candidate);
            if consistent_choice(required, flat, chosen, steps) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}

/// Whether two leaves, held by array elements `a` and `b` (innermost first), may be used
/// together: wherever they pass through the same array, they come from the same element.
/// Walking both chains outwards, an array in only one of them is passed over; at the first one
/// in both the elements decide, as everything outside them is then shared.
fn compatible(elements: &[Element], mut a: Option<u32>, mut b: Option<u32>) -> bool {
    while let (Some(x), Some(y)) = (a, b) {
        if x == y {
            return true;
        }
        let (outer_a, outer_b) = (&elements[x as usize], &elements[y as usize]);
        match outer_a.array.cmp(&outer_b.array) {
            // The same array, another element.
            std::cmp::Ordering::Equal => return false,
            // Opened later: not around the other leaf.
            std::cmp::Ordering::Greater => a = outer_a.outer,
            std::cmp::Ordering::Less => b = outer_b.outer,
        }
    }
    true
}

/// The leaves of `event` at the dotted `paths` (sorted).
fn flatten<'p, 'e>(event: &'e Node<'_>, paths: Vec<&'p str>) -> Flat<'p, 'e> {
    let mut flat = Flat {
        by_path: vec![Vec::new(); paths.len()],
        paths,
        leaves: Vec::new(),
        elements: Vec::new(),
    };
    let mut arrays = 0;
    walk(event, &mut String::new(), None, &mut arrays, &mut flat);
    for (index, leaf) in flat.leaves.iter().enumerate() {
        flat.by_path[leaf.path].push(index);
    }
    flat
}

/// Whether `path` is one of the pattern's paths or leads to one (a prefix ending at a dot).
fn leads_to(paths: &[&str], path: &str) -> bool {
    let from = paths.partition_point(|p| *p < path);
    paths[from..]
        .iter()
        .take_while(|p| p.starts_with(path))
        .any(|p| p.len() == path.len() || p.as_bytes()[path.len()] == b'.')
}

fn walk<'e>(
    node: &'e Node<'_>,
    path: &mut String,
    element: Option<u32>,
    arrays: &mut u32,
    flat: &mut Flat<'_, 'e>,
) {
    let value = match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                let outer = path.len();
                if outer > 0 {
                    path.push('.');
                }
                path.push_str(&entry.key);
                if leads_to(&flat.paths, path) {
                    walk(&entry.value, path, element, arrays, flat);
                }
                path.truncate(outer);
            }
            return;
        }
        Value::Seq(items) => {
            let array = *arrays;
            *arrays += 1;
            for item in items {
                let inner = flat.elements.len() as u32;
                flat.elements.push(Element {
                    array,
                    outer: element,
                });
                walk(item, path, Some(inner), arrays, flat);
            }
            return;
        }
        Value::String(text) => Scalar::String(text),
        Value::Number(text) => Scalar::Number(text),
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Null => Scalar::Null,
    };
    if let Ok(index) = flat.paths.binary_search(&path.as_str()) {
        flat.leaves.push(EventLeaf {
            path: index,
            value,
            element,
        });
    }
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
    fn nested_arrays_match_within_one_element_at_every_level() {
        let pattern = r#"{"a": {"x": [1], "b": {"y": [2]}}}"#;
        assert!(matches(
            pattern,
            r#"{"a": [{"x": 5, "b": [{"y": 2}]}, {"x": 1, "b": [{"y": 3}, {"y": 2}]}]}"#
        ));
        assert!(!matches(
            pattern,
            r#"{"a": [{"x": 1, "b": [{"y": 3}]}, {"x": 5, "b": [{"y": 2}]}]}"#
        ));
        let pattern = r#"{"a": {"x": [1], "y": [2]}}"#;
        assert!(matches(
            pattern,
            r#"{"a": [[{"x": 1, "y": 3}], [{"x": 1, "y": 2}]]}"#
        ));
        assert!(!matches(pattern, r#"{"a": [[{"x": 1}, {"y": 2}]]}"#));
        assert!(!matches(pattern, r#"{"a": [[{"x": 1}], [{"y": 2}]]}"#));
    }

    #[test]
    fn paths_are_dotted_whatever_the_keys_hold() {
        assert!(matches(r#"{"a.b": [1]}"#, r#"{"a": {"b": 1}}"#));
        assert!(matches(r#"{"a": {"b": [1]}}"#, r#"{"a.b": 1}"#));
        assert!(matches(r#"{"a": {"b.c": [1]}}"#, r#"{"a.b": {"c": 1}}"#));
        assert!(!matches(
            r#"{"a": {"b": [1]}}"#,
            r#"{"a": {"bc": 1}, "ab": 1}"#
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
