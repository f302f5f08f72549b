//! `data "aws_iam_policy_document"`: pure, so evaluated into the policy JSON it gives
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document>),
//! for the resource and role policies the target rules read.

use hcl_edit::structure::Body;

use super::eval::Eval;
use super::module::body_attr;
use super::value::{At, V, Val};
use crate::ingest::tf::attributes::{Attr, AttrValue};
use crate::value::Text;

/// The data source's attributes: `json` (and `minified_json`) as `jsonencode` of the policy;
/// unknown when it merges other documents or a part is unknown.
pub fn document(eval: &mut Eval<'_>, body: &Body, at: At) -> V {
    let attrs = body_attr(eval, body, None);
    let merged = [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ]
    .iter()
    .any(|key| attrs.get(key).is_some());
    let policy = if merged { None } else { policy(&attrs, at) };
    let json = match policy {
        Some(policy) => V::new(at, Val::Json(Box::new(policy))),
        None => V::unknown(at),
    };
    V::new(
        at,
        Val::Map(
            vec![
                ("json".into(), json.clone()),
                ("minified_json".into(), json),
            ],
            true,
        ),
    )
}

fn policy(attrs: &Attr, at: At) -> Option<V> {
    let text = |t: &str| V::str(at, Text::lit(t));
    let mut entries = vec![(
        "Version".to_owned(),
        match attrs.get("version") {
            Some(version) => V::from_attr(version, at.file),
            None => text("2012-10-17"),
        },
    )];
    if let Some(id) = attrs.get("policy_id") {
        entries.push(("Id".into(), V::from_attr(id, at.file)));
    }
    let statements = match attrs.get("statement").map(|s| &s.value) {
        None => Vec::new(),
        Some(AttrValue::List(items)) => items
            .iter()
            .map(|item| statement(item, at))
            .collect::<Option<_>>()?,
        Some(_) => return None,
    };
    entries.push(("Statement".into(), V::new(at, Val::List(statements))));
    Some(V::new(at, Val::Map(entries, false)))
}

fn statement(item: &Attr, at: At) -> Option<V> {
    let file = at.file;
    let mut entries = Vec::new();
    if let Some(sid) = item.get("sid") {
        entries.push(("Sid".to_owned(), V::from_attr(sid, file)));
    }
    entries.push((
        "Effect".to_owned(),
        match item.get("effect") {
            Some(effect) => V::from_attr(effect, file),
            None => V::str(at, Text::lit("Allow")),
        },
    ));
    for (field, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(values) = item.get(field) {
            if matches!(values.value, AttrValue::Unknown) {
                return None;
            }
            entries.push((key.to_owned(), V::from_attr(values, file)));
        }
    }
    for (field, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let Some(blocks) = item.get(field) else {
            continue;
        };
        let AttrValue::List(blocks) = &blocks.value else {
            return None;
        };
        let mut principals: Vec<(String, V)> = Vec::new();
        for block in blocks {
            let kind = block.get("type")?.as_str()?.to_owned();
            let identifiers = V::from_attr(block.get("identifiers")?, file);
            match principals.iter_mut().find(|(k, _)| *k == kind) {
                Some((
                    _,
                    V {
                        val: Val::List(items),
                        ..
                    },
                )) => match identifiers.val {
                    Val::List(more) => items.extend(more),
                    _ => return None,
                },
                _ => principals.push((kind, identifiers)),
            }
        }
        entries.push((key.to_owned(), V::new(at, Val::Map(principals, false))));
    }
    if let Some(conditions) = item.get("condition") {
        let AttrValue::List(blocks) = &conditions.value else {
            return None;
        };
        let mut tests: Vec<(String, V)> = Vec::new();
        for block in blocks {
            let test = block.get("test")?.as_str()?.to_owned();
            let variable = block.get("variable")?.as_str()?.to_owned();
            let values = V::from_attr(block.get("values")?, file);
            match tests.iter_mut().find(|(k, _)| *k == test) {
                Some((
                    _,
                    V {
                        val: Val::Map(vars, _),
                        ..
                    },
                )) => vars.push((variable, values)),
                _ => tests.push((test, V::new(at, Val::Map(vec![(variable, values)], false)))),
            }
        }
        entries.push(("Condition".into(), V::new(at, Val::Map(tests, false))));
    }
    Some(V::new(at, Val::Map(entries, false)))
}
