//! Whether a matcher accepts a string value, with event-ruler's semantics: exact matching is
//! case-sensitive, only the `equals-ignore-case` family folds case, strings never equal
//! numbers, booleans or null, and `numeric` never accepts a string.
//!
//! Values are [`Text`]s, so an answer may be [`Tri::Unknown`] when a symbolic piece decides it.

use super::event::Scalar;
use super::grammar::number_value;
use super::{AnythingBut, FieldValue, Literal, Matcher, MatcherKind, NumericOp};
use crate::value::{Text, Tri};

impl Matcher {
    /// Whether this matcher accepts the string `value`.
    pub fn accepts(&self, value: &Text) -> Tri {
        match &self.kind {
            MatcherKind::Exact(Literal::String(text)) => match value.equals(text) {
                // A string that is an IP address matches the same address written otherwise.
                Tri::No => fold(value, text, same_ip_address),
                other => other,
            },
            MatcherKind::Exact(_) => Tri::No,
            MatcherKind::Prefix {
                value: prefix,
                ignore_case,
            } => affix(value, prefix, *ignore_case, Text::starts_with),
            MatcherKind::Suffix {
                value: suffix,
                ignore_case,
            } => affix(value, suffix, *ignore_case, Text::ends_with),
            MatcherKind::EqualsIgnoreCase(text) => fold(value, text, |a, b| {
                a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
            }),
            MatcherKind::Wildcard(pattern) => fold(value, pattern, |v, p| wildcard_match(p, v)),
            MatcherKind::AnythingBut(but) => anything_but(but, value),
            MatcherKind::Numeric(_) => Tri::No,
            MatcherKind::Exists(present) => Tri::from_bool(*present),
            MatcherKind::Cidr(range) => fold(value, range, cidr_contains),
            MatcherKind::Unknown => Tri::Unknown,
        }
    }
}

impl Matcher {
    /// Whether this matcher accepts a scalar of a concrete event. Strings go through
    /// [`Matcher::accepts`]; numbers compare numerically, and no type equals another.
    pub fn accepts_scalar(&self, value: Scalar<'_>) -> bool {
        let kind = &self.kind;
        match value {
            Scalar::String(text) => self.accepts(&Text::lit(text)) == Tri::Yes,
            Scalar::Number(text) => match kind {
                MatcherKind::Exact(Literal::Number { text: wanted, value }) => {
                    wanted == text || value.is_some_and(|v| number_value(text) == Some(v))
                }
                MatcherKind::Numeric(conditions) => number_value(text).is_some_and(|n| {
                    conditions.iter().all(|(op, bound)| match op {
                        NumericOp::Eq => n == *bound,
                        NumericOp::Lt => n < *bound,
                        NumericOp::Le => n <= *bound,
                        NumericOp::Gt => n > *bound,
                        NumericOp::Ge => n >= *bound,
                    })
                }),
                MatcherKind::AnythingBut(AnythingBut::Values(values)) => !values.iter().any(|literal| {
                    matches!(literal, Literal::Number { text: t, value } if t == text || value.is_some_and(|v| number_value(text) == Some(v)))
                }),
                // The string forms of `anything-but` exclude strings only.
                MatcherKind::AnythingBut(_) => true,
                MatcherKind::Exists(present) => *present,
                _ => false,
            },
            Scalar::Bool(b) => match kind {
                MatcherKind::Exact(Literal::Bool(wanted)) => *wanted == b,
                MatcherKind::AnythingBut(_) => true,
                MatcherKind::Exists(present) => *present,
                _ => false,
            },
            Scalar::Null => match kind {
                MatcherKind::Exact(Literal::Null) => true,
                MatcherKind::AnythingBut(_) => true,
                MatcherKind::Exists(present) => *present,
                _ => false,
            },
        }
    }
}

fn same_ip_address(a: &str, b: &str) -> bool {
    use std::net::IpAddr;
    match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Whether any of a leaf's matchers accepts `value` (the alternatives of a leaf are OR'd).
pub fn leaf_accepts(value: &FieldValue, text: &Text) -> Tri {
    match value {
        FieldValue::Leaf(matchers) => Tri::any(matchers.iter().map(|m| m.accepts(text))),
        FieldValue::Object(_) => Tri::No,
        FieldValue::Unknown(_) => Tri::Unknown,
    }
}

fn affix(value: &Text, operand: &Text, ignore_case: bool, test: fn(&Text, &Text) -> Tri) -> Tri {
    if !ignore_case {
        return test(value, operand);
    }
    match (value.as_lit(), operand.as_lit()) {
        (Some(v), Some(o)) => test(&Text::lit(v.to_lowercase()), &Text::lit(o.to_lowercase())),
        _ => Tri::Unknown,
    }
}

/// Applies a test on literal values; unknown when either side is not literal.
fn fold(value: &Text, operand: &Text, test: impl Fn(&str, &str) -> bool) -> Tri {
    match (value.as_lit(), operand.as_lit()) {
        (Some(v), Some(o)) => Tri::from_bool(test(v, o)),
        _ => Tri::Unknown,
    }
}

fn anything_but(but: &AnythingBut, value: &Text) -> Tri {
    let excluded = match but {
        AnythingBut::Values(values) => Tri::any(values.iter().map(|literal| match literal {
            Literal::String(text) => value.equals(text),
            _ => Tri::No,
        })),
        AnythingBut::Prefix(prefixes) => Tri::any(prefixes.iter().map(|p| value.starts_with(p))),
        AnythingBut::Suffix(suffixes) => Tri::any(suffixes.iter().map(|s| value.ends_with(s))),
        AnythingBut::EqualsIgnoreCase(texts) => Tri::any(
            texts
                .iter()
                .map(|t| fold(value, t, |a, b| a.to_lowercase() == b.to_lowercase())),
        ),
        AnythingBut::Wildcard(patterns) => Tri::any(
            patterns
                .iter()
                .map(|p| fold(value, p, |v, p| wildcard_match(p, v))),
        ),
    };
    excluded.not()
}

/// Wildcard matching: `*` matches any run of characters, `\*` and `\\` are literal.
pub fn wildcard_match(pattern: &str, value: &str) -> bool {
    enum Token {
        Star,
        Char(char),
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '*' => Token::Star,
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            c => Token::Char(c),
        });
    }
    let value: Vec<char> = value.chars().collect();
    // Greedy matching with backtracking to the last star: linear in practice, never exponential.
    let (mut t, mut v) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while v < value.len() {
        match tokens.get(t) {
            Some(Token::Char(c)) if *c == value[v] => {
                t += 1;
                v += 1;
            }
            Some(Token::Star) => {
                star = Some((t, v));
                t += 1;
            }
            _ => match star {
                Some((st, sv)) => {
                    t = st + 1;
                    v = sv + 1;
                    star = Some((st, sv + 1));
                }
                None => return false,
            },
        }
    }
    tokens[t..].iter().all(|token| matches!(token, Token::Star))
}

fn cidr_contains(value: &str, range: &str) -> bool {
    use std::net::IpAddr;
    let Ok(address) = value.parse::<IpAddr>() else {
        return false;
    };
    let (network, bits) = match range.split_once('/') {
        Some((network, bits)) => (network, bits.parse::<u32>().ok()),
        None => (range, None),
    };
    let Ok(network) = network.parse::<IpAddr>() else {
        return false;
    };
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("Get*", "GetObject"));
        assert!(wildcard_match("*Object", "GetObject"));
        assert!(wildcard_match("G*t*", "GetObject"));
        assert!(!wildcard_match("Put*", "GetObject"));
        assert!(wildcard_match("a\\*b", "a*b"));
        assert!(!wildcard_match("a\\*b", "axb"));
        assert!(wildcard_match("*", ""));
    }

    #[test]
    fn cidr_ranges() {
        assert!(cidr_contains("10.0.0.7", "10.0.0.0/24"));
        assert!(!cidr_contains("10.0.1.7", "10.0.0.0/24"));
        assert!(cidr_contains("2001:db8::1", "2001:db8::/32"));
        assert!(!cidr_contains("not-an-ip", "10.0.0.0/8"));
    }
}
