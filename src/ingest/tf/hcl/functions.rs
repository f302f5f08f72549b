//! Terraform's built-in functions the evaluator knows, with Terraform's meaning
//! (<https://developer.hashicorp.com/terraform/language/functions>). A function it does not
//! know, or arguments it cannot decide, give an unknown value.

use hcl_edit::expr::{Expression, FuncCall};

use super::eval::{Eval, NoNames, same};
use super::value::{At, MAX_NODES, V, Val};
use crate::source::FileId;
use crate::value::{Text, Tri};

/// Largest file `file` and `templatefile` read.
pub const MAX_TEMPLATE_FILE: u64 = 1 << 20;

pub fn call(ev: &mut Eval<'_>, call: &FuncCall, at: At) -> V {
    if call.name.is_namespaced() {
        // Provider-defined functions (`provider::aws::arn_parse`).
        return V::unknown(at);
    }
    let name = call.name.name.value().as_str();
    let exprs: Vec<&Expression> = call.args.iter().collect();
    // The functions that catch errors see their arguments unevaluated.
    match name {
        "try" => return try_(ev, &exprs, at),
        "can" => {
            let [expr] = exprs.as_slice() else {
                return V::error(at);
            };
            let v = ev.expr(expr);
            return if v.has_error() {
                V::new(at, Val::Bool(false))
            } else if v.has_unknown() {
                V::unknown(at)
            } else {
                V::new(at, Val::Bool(true))
            };
        }
        _ => {}
    }
    let mut args: Vec<V> = exprs.iter().map(|e| ev.expr(e)).collect();
    if call.args.expand_final() {
        match args.pop() {
            Some(V {
                val: Val::List(items),
                ..
            }) => args.extend(items),
            _ => return V::unknown(at),
        }
    }
    // An error in an argument is the call's error.
    if args.iter().any(|a| matches!(a.val, Val::Error)) {
        return V::error(at);
    }
    let v = match name {
        "jsonencode" => match args.as_slice() {
            [v] if v.has_error() => V::error(at),
            [v] => V::new(at, Val::Json(Box::new(v.clone()))),
            _ => V::error(at),
        },
        "yamlencode" => match args.as_slice() {
            [v] => {
                let mut out = String::new();
                if yaml(v, 0, &mut out) {
                    V::str(at, Text::lit(out))
                } else {
                    V::unknown(at)
                }
            }
            _ => V::error(at),
        },
        "jsondecode" => lit_arg(&args, 0).map_or_else(
            || V::unknown(at),
            |text| match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(json) => from_json(&json, at, 0),
                Err(_) => V::error(at),
            },
        ),
        "merge" => merge(&args, at),
        "concat" => {
            let mut out = Vec::new();
            for arg in &args {
                match &arg.val {
                    Val::List(items) => out.extend(items.iter().cloned()),
                    _ if arg.is_unknown() => return V::unknown(at),
                    _ => return V::error(at),
                }
            }
            V::new(at, Val::List(out))
        }
        "flatten" => match args.as_slice() {
            [list] => match flatten(list, 0) {
                Some(items) => V::new(at, Val::List(items)),
                None => V::unknown(at),
            },
            _ => V::error(at),
        },
        "lookup" => match args.as_slice() {
            [map, key] | [map, key, _] => {
                let Some(key) = key.lit() else {
                    return V::unknown(at);
                };
                let found = map.attr(&key);
                match (&found.val, args.get(2)) {
                    (Val::Error, Some(default)) if matches!(map.val, Val::Map(..)) => {
                        default.clone()
                    }
                    _ => found,
                }
            }
            _ => V::error(at),
        },
        "coalesce" => {
            for arg in &args {
                match &arg.val {
                    Val::Null => continue,
                    Val::Str(text) if text.as_lit() == Some("") => continue,
                    Val::Str(text) if text.as_lit().is_none() => return V::unknown(at),
                    Val::Unknown => return V::unknown(at),
                    _ => return arg.clone(),
                }
            }
            V::error(at)
        }
        "coalescelist" => {
            for arg in &args {
                match &arg.val {
                    Val::List(items) if items.is_empty() => continue,
                    Val::List(_) => return arg.clone(),
                    _ => return V::unknown(at),
                }
            }
            V::error(at)
        }
        "format" => format(&args, at),
        "join" => match args.split_first() {
            Some((sep, lists)) => {
                let Some(sep) = sep.text() else {
                    return V::error(at);
                };
                let mut out = Text::default();
                let mut first = true;
                for list in lists {
                    let Val::List(items) = &list.val else {
                        return V::unknown(at);
                    };
                    for item in items {
                        if !first {
                            out.append(&sep);
                        }
                        first = false;
                        match item.text() {
                            Some(text) => out.append(&text),
                            None => return V::unknown(at),
                        }
                    }
                }
                V::str(at, out)
            }
            None => V::error(at),
        },
        "split" => match (lit_arg(&args, 0), lit_arg(&args, 1)) {
            (Some(sep), Some(text)) if !sep.is_empty() => V::new(
                at,
                Val::List(
                    text.split(sep.as_str())
                        .map(|part| V::str(at, Text::lit(part)))
                        .collect(),
                ),
            ),
            _ => V::unknown(at),
        },
        "replace" => match (lit_arg(&args, 0), lit_arg(&args, 1), lit_arg(&args, 2)) {
            // A `/…/` search string is a regular expression.
            (Some(text), Some(from), Some(to))
                if !(from.len() > 1 && from.starts_with('/') && from.ends_with('/')) =>
            {
                V::str(at, Text::lit(text.replace(from.as_str(), &to)))
            }
            _ => V::unknown(at),
        },
        "lower" | "upper" | "trimspace" => match lit_arg(&args, 0) {
            Some(text) => V::str(
                at,
                Text::lit(match name {
                    "lower" => text.to_lowercase(),
                    "upper" => text.to_uppercase(),
                    _ => text.trim().to_owned(),
                }),
            ),
            None => V::unknown(at),
        },
        "trimprefix" | "trimsuffix" => match (args.first(), lit_arg(&args, 1)) {
            (Some(text), Some(affix)) => match text.text() {
                Some(text) if name == "trimprefix" => match text.strip_prefix(&affix) {
                    Some(rest) => V::str(at, rest),
                    None if text.as_lit().is_some() => V::str(at, text),
                    None => V::unknown(at),
                },
                Some(text) => match text.as_lit() {
                    Some(lit) => V::str(at, Text::lit(lit.strip_suffix(&affix).unwrap_or(lit))),
                    None => V::unknown(at),
                },
                None => V::unknown(at),
            },
            _ => V::unknown(at),
        },
        "startswith" | "endswith" => match (
            args.first().and_then(V::text),
            args.get(1).and_then(V::text),
        ) {
            (Some(text), Some(affix)) => {
                let tri = if name == "startswith" {
                    text.starts_with(&affix)
                } else {
                    text.ends_with(&affix)
                };
                tri_value(tri, at)
            }
            _ => V::unknown(at),
        },
        "tostring" => match args.first() {
            Some(v) => match v.text() {
                Some(text) => V::str(at, text),
                None if matches!(v.val, Val::Null) => v.clone(),
                None => V::error(at),
            },
            None => V::error(at),
        },
        "tonumber" => match args.first().and_then(V::number) {
            Some(Some(n)) => V::new(at, Val::Number(n)),
            Some(None) => V::unknown(at),
            None => V::error(at),
        },
        "tobool" => match args.first().and_then(V::truth) {
            Some(Some(b)) => V::new(at, Val::Bool(b)),
            Some(None) => V::unknown(at),
            None => V::error(at),
        },
        "tolist" | "tomap" => args.first().cloned().unwrap_or_else(|| V::error(at)),
        "toset" | "distinct" => match args.first().map(|v| &v.val) {
            Some(Val::List(items)) => {
                let mut out: Vec<V> = Vec::new();
                for item in items {
                    match Tri::any(out.iter().map(|o| same(o, item))) {
                        Tri::Yes => {}
                        Tri::No => out.push(item.clone()),
                        Tri::Unknown => return V::unknown(at),
                    }
                }
                if name == "toset" {
                    // Terraform orders a set of strings lexically.
                    if out.iter().all(|v| v.lit().is_some()) {
                        out.sort_by_key(|v| v.lit());
                    }
                }
                V::new(at, Val::List(out))
            }
            _ => V::unknown(at),
        },
        "keys" | "values" => match args.first() {
            Some(
                map @ V {
                    val: Val::Map(_, false),
                    ..
                },
            ) => {
                let elements = map.elements().unwrap_or_default();
                V::new(
                    at,
                    Val::List(
                        elements
                            .into_iter()
                            .map(|(k, v)| if name == "keys" { k } else { v })
                            .collect(),
                    ),
                )
            }
            _ => V::unknown(at),
        },
        "length" => match args.first().map(|v| &v.val) {
            Some(Val::List(items)) => V::new(at, Val::Number(items.len() as f64)),
            Some(Val::Map(entries, false)) => V::new(at, Val::Number(entries.len() as f64)),
            Some(Val::Str(text)) => match text.as_lit() {
                Some(lit) => V::new(at, Val::Number(lit.chars().count() as f64)),
                None => V::unknown(at),
            },
            _ => V::unknown(at),
        },
        "element" => match (
            args.first().map(|v| &v.val),
            args.get(1).and_then(V::number),
        ) {
            (Some(Val::List(items)), Some(Some(n))) if !items.is_empty() && n >= 0.0 => {
                items[(n as usize) % items.len()].clone()
            }
            _ => V::unknown(at),
        },
        "one" => match args.first().map(|v| &v.val) {
            Some(Val::List(items)) => match items.as_slice() {
                [] => V::new(at, Val::Null),
                [one] => one.clone(),
                _ => V::error(at),
            },
            _ => V::unknown(at),
        },
        "contains" => match (args.first().map(|v| &v.val), args.get(1)) {
            (Some(Val::List(items)), Some(value)) => {
                tri_value(Tri::any(items.iter().map(|i| same(i, value))), at)
            }
            _ => V::unknown(at),
        },
        "compact" => match args.first().map(|v| &v.val) {
            Some(Val::List(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.val {
                        Val::Null => {}
                        Val::Str(text) => match text.as_lit() {
                            Some("") => {}
                            Some(_) => out.push(item.clone()),
                            None => return V::unknown(at),
                        },
                        _ => return V::unknown(at),
                    }
                }
                V::new(at, Val::List(out))
            }
            _ => V::unknown(at),
        },
        "zipmap" => match (args.first().map(|v| &v.val), args.get(1).map(|v| &v.val)) {
            (Some(Val::List(keys)), Some(Val::List(values))) if keys.len() == values.len() => {
                let mut entries = Vec::new();
                for (key, value) in keys.iter().zip(values) {
                    match key.lit() {
                        Some(key) => entries.push((key, value.clone())),
                        None => return V::unknown(at),
                    }
                }
                V::new(at, Val::Map(entries, false))
            }
            _ => V::unknown(at),
        },
        "range" => {
            let numbers: Option<Vec<f64>> = args.iter().map(|a| a.number().flatten()).collect();
            let (start, end, step) = match numbers.as_deref() {
                Some([end]) => (0.0, *end, 1.0),
                Some([start, end]) => (*start, *end, if start <= end { 1.0 } else { -1.0 }),
                Some([start, end, step]) => (*start, *end, *step),
                _ => return V::unknown(at),
            };
            if step == 0.0 || ((end - start) / step) > MAX_NODES as f64 {
                return V::unknown(at);
            }
            let mut out = Vec::new();
            let mut n = start;
            while (step > 0.0 && n < end) || (step < 0.0 && n > end) {
                out.push(V::new(at, Val::Number(n)));
                n += step;
            }
            V::new(at, Val::List(out))
        }
        "file" => match lit_arg(&args, 0).and_then(|path| ev.env.read_file(&path)) {
            Some(text) => V::str(at, Text::lit(text)),
            None => V::unknown(at),
        },
        "templatefile" => templatefile(ev, &args, at),
        _ => V::unknown(at),
    };
    v.bounded()
}

fn tri_value(tri: Tri, at: At) -> V {
    match tri {
        Tri::Yes => V::new(at, Val::Bool(true)),
        Tri::No => V::new(at, Val::Bool(false)),
        Tri::Unknown => V::unknown(at),
    }
}

/// The literal string argument `index`.
fn lit_arg(args: &[V], index: usize) -> Option<String> {
    args.get(index)?.lit()
}

/// `try(a, b, …)`: the first argument that evaluates without an error. One the evaluator
/// cannot decide may be an error or not: the call is unknown.
fn try_(ev: &mut Eval<'_>, exprs: &[&Expression], at: At) -> V {
    for expr in exprs {
        let v = ev.expr(expr);
        if v.has_error() {
            continue;
        }
        if v.is_unknown() {
            return V::unknown(at);
        }
        return v;
    }
    V::error(at)
}

fn merge(args: &[V], at: At) -> V {
    let mut entries: Vec<(String, V)> = Vec::new();
    for arg in args {
        match &arg.val {
            Val::Null => {}
            Val::Map(more, false) => {
                for (key, value) in more {
                    entries.retain(|(k, _)| k != key);
                    entries.push((key.clone(), value.clone()));
                }
            }
            Val::Map(_, true) | Val::Unknown => return V::unknown(at),
            _ => return V::error(at),
        }
    }
    V::new(at, Val::Map(entries, false))
}

fn flatten(list: &V, depth: usize) -> Option<Vec<V>> {
    match &list.val {
        Val::List(items) if depth < 32 => {
            let mut out = Vec::new();
            for item in items {
                match &item.val {
                    Val::List(_) => out.extend(flatten(item, depth + 1)?),
                    Val::Unknown => return None,
                    _ => out.push(item.clone()),
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// `format` with the verbs that print a value as it is: `%s`, `%d`, `%v`, `%%`.
fn format(args: &[V], at: At) -> V {
    let Some((spec, values)) = args.split_first() else {
        return V::error(at);
    };
    let Some(spec) = spec.lit() else {
        return V::unknown(at);
    };
    let mut out = Text::default();
    let mut values = values.iter();
    let mut chars = spec.chars();
    let mut lit = String::new();
    while let Some(c) = chars.next() {
        if c != '%' {
            lit.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => lit.push('%'),
            Some('s' | 'd' | 'v') => {
                out.push_str(&std::mem::take(&mut lit));
                match values.next().and_then(V::text) {
                    Some(text) => out.append(&text),
                    None => return V::unknown(at),
                }
            }
            _ => return V::unknown(at),
        }
    }
    out.push_str(&lit);
    V::str(at, out)
}

/// Writes `v` in YAML's block style, as `yamlencode` does: `false` when a part of it is not
/// known.
fn yaml(v: &V, indent: usize, out: &mut String) -> bool {
    let pad = " ".repeat(indent);
    match &v.val {
        Val::Map(entries, false) if !entries.is_empty() => {
            for (key, value) in entries {
                out.push_str(&pad);
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push(':');
                if !yaml_nested(value, indent, out) {
                    return false;
                }
            }
            true
        }
        Val::List(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                if !yaml_nested(item, indent, out) {
                    return false;
                }
            }
            true
        }
        _ => match yaml_scalar(v) {
            Some(scalar) => {
                out.push_str(&pad);
                out.push_str(&scalar);
                out.push('\n');
                true
            }
            None => false,
        },
    }
}

/// What follows a key or a dash: a scalar on the same line, a collection on the next ones.
fn yaml_nested(v: &V, indent: usize, out: &mut String) -> bool {
    match &v.val {
        Val::Map(entries, false) if !entries.is_empty() => {
            out.push('\n');
            yaml(v, indent + 2, out)
        }
        Val::List(items) if !items.is_empty() => {
            out.push('\n');
            yaml(v, indent, out)
        }
        _ => match yaml_scalar(v) {
            Some(scalar) => {
                out.push(' ');
                out.push_str(&scalar);
                out.push('\n');
                true
            }
            None => false,
        },
    }
}

fn yaml_scalar(v: &V) -> Option<String> {
    Some(match &v.val {
        Val::Null => "null".to_owned(),
        Val::Bool(b) => b.to_string(),
        Val::Number(n) => super::value::number_text(*n),
        Val::Str(text) => serde_json::to_string(text.as_lit()?).ok()?,
        Val::Map(entries, false) if entries.is_empty() => "{}".to_owned(),
        Val::List(items) if items.is_empty() => "[]".to_owned(),
        _ => return None,
    })
}

/// A decoded JSON value.
fn from_json(json: &serde_json::Value, at: At, depth: usize) -> V {
    if depth > 64 {
        return V::unknown(at);
    }
    let val = match json {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Val::Unknown, Val::Number),
        serde_json::Value::String(s) => Val::Str(Text::lit(s.as_str())),
        serde_json::Value::Array(items) => Val::List(
            items
                .iter()
                .map(|item| from_json(item, at, depth + 1))
                .collect(),
        ),
        serde_json::Value::Object(entries) => Val::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v, at, depth + 1)))
                .collect(),
            false,
        ),
    };
    V::new(at, val)
}

/// `templatefile(path, vars)`: the file's template, which sees only `vars` (and functions);
/// its values are placed at the call, the template file being no input of the run.
fn templatefile(ev: &mut Eval<'_>, args: &[V], at: At) -> V {
    let (Some(path), Some(vars)) = (lit_arg(args, 0), args.get(1)) else {
        return V::unknown(at);
    };
    let Some(text) = ev.env.read_file(&path) else {
        return V::unknown(at);
    };
    let Val::Map(vars, false) = &vars.val else {
        return V::unknown(at);
    };
    let Ok(template) = hcl_edit::parser::parse_template(&text) else {
        return V::error(at);
    };
    let mut inner = Eval::new(&NoNames, FileId(u32::MAX), ev.budget);
    inner.bindings = vars.clone();
    let v = inner.template(&template, at);
    V::new(at, v.val)
}
