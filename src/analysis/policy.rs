//! Whether IAM policies allow one request from an AWS service: a small part of the IAM policy
//! evaluation logic, exact where it answers
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//!
//! The answer is a [`Tri`]: `Yes` and `No` only when they hold for every value the unknown
//! parts of the inputs could take. Whatever is not modelled (operators and condition keys
//! other than a few, `NotPrincipal`, `NotAction` and `NotResource` in an `Allow`, policy
//! variables) is `Unknown`, never guessed. It evaluates the policies it is given and nothing
//! else: no organization policies, permission boundaries or session policies.

use crate::model::policy::{
    Condition, Effect, Matchers, Policy, Principal, PrincipalKind, Principals, Statement,
};
use crate::source::Span;
use crate::value::{Piece, Symbol, Text, Tri};

/// What the policies are to the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// On the resource (a Lambda permission, a topic, queue or key policy): statements name
    /// their principals.
    Resource,
    /// Attached to the role that makes the request: statements name no principal.
    Identity,
    /// A role's trust policy (`AssumeRolePolicyDocument`): statements have no resource.
    Trust,
}

/// A condition key's value in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context<'a> {
    Known(&'a Text),
    /// The request does not carry the key.
    Absent,
    Unknown,
}

/// A request from an AWS service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// A service principal, such as `events.amazonaws.com`.
    pub principal: &'a str,
    /// Such as `lambda:InvokeFunction` or `sts:AssumeRole`.
    pub action: &'a str,
    /// The resource's ARN (for a trust policy, the role's).
    pub resource: &'a Text,
    /// `aws:SourceArn`.
    pub source_arn: Context<'a>,
    /// `aws:SourceAccount`.
    pub source_account: Context<'a>,
}

/// The policies' answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: Tri,
    /// The first statement that certainly denies the request explicitly.
    pub deciding: Option<Span>,
}

/// Whether the policies allow the request.
pub fn allows(policies: &[&Policy], kind: Kind, request: &Request<'_>) -> Tri {
    decision(policies, kind, request).allowed
}

/// Whether the policies allow the request, and the explicit deny that refuses it: allowed
/// when some `Allow` statement applies and no `Deny` statement does.
pub fn decision(policies: &[&Policy], kind: Kind, request: &Request<'_>) -> Decision {
    let mut allow = Tri::No;
    let mut deny = Tri::No;
    let mut deciding = None;
    for policy in policies {
        let Some(statements) = &policy.statements else {
            allow = allow.or(Tri::Unknown);
            deny = deny.or(Tri::Unknown);
            continue;
        };
        for statement in statements {
            for side in [Effect::Allow, Effect::Deny] {
                let applies = match statement.effect {
                    Some(effect) if effect != side => continue,
                    Some(_) => applies(statement, side, kind, request),
                    None => applies(statement, side, kind, request).and(Tri::Unknown),
                };
                match side {
                    Effect::Allow => allow = allow.or(applies),
                    Effect::Deny => {
                        if applies == Tri::Yes && deciding.is_none() {
                            deciding = Some(statement.span);
                        }
                        deny = deny.or(applies);
                    }
                }
            }
        }
    }
    Decision {
        allowed: allow.and(deny.not()),
        deciding,
    }
}

/// The part of an `Allow` statement that keeps it from allowing a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It names other principals.
    Principal,
    /// It allows other actions.
    Action,
    /// It is on another resource.
    Resource,
    /// A condition fails (a `SourceArn` naming another rule).
    Condition,
}

/// Why the closest `Allow` statement of the policies does not allow the request: the first
/// one whose other parts all certainly match, with the one part that certainly does not and
/// where it is written. `None` when no statement is that close.
pub fn refusal(policies: &[&Policy], kind: Kind, request: &Request<'_>) -> Option<(Refusal, Span)> {
    let statements = policies
        .iter()
        .filter_map(|policy| policy.statements.as_ref())
        .flatten()
        .filter(|statement| statement.effect == Some(Effect::Allow));
    for statement in statements {
        let principal = principal_matches(&statement.principal, kind, request.principal);
        let action = matchers(&statement.actions, Effect::Allow, |pattern| {
            action_matches(pattern, request.action)
        });
        let resource = match &statement.resources {
            None if kind == Kind::Trust => Tri::Yes,
            None => Tri::Unknown,
            Some(resources) => matchers(resources, Effect::Allow, |pattern| {
                resource_matches(pattern, request.resource)
            }),
        };
        let failing = statement.conditions.as_ref().and_then(|conditions| {
            conditions
                .iter()
                .find(|condition| condition_holds(condition, request) == Tri::No)
        });
        let conditions = conditions_hold(statement.conditions.as_deref(), request);
        let principal_span = match &statement.principal {
            Principals::Listed(listed) => listed.first().map_or(statement.span, |p| p.span),
            _ => statement.span,
        };
        let parts = [
            (principal, Refusal::Principal, principal_span),
            (action, Refusal::Action, statement.actions.span),
            (
                resource,
                Refusal::Resource,
                statement
                    .resources
                    .as_ref()
                    .map_or(statement.span, |r| r.span),
            ),
            (
                conditions,
                Refusal::Condition,
                failing
                    .and_then(|c| c.values.first())
                    .map_or(statement.span, |(_, span)| *span),
            ),
        ];
        let refused: Vec<_> = parts.iter().filter(|(tri, ..)| *tri == Tri::No).collect();
        let others_hold = parts.iter().all(|(tri, ..)| *tri != Tri::Unknown);
        if let ([(_, why, span)], true) = (refused.as_slice(), others_hold) {
            return Some((*why, *span));
        }
    }
    None
}

/// Whether the statement, read with `effect`, applies to the request.
fn applies(statement: &Statement, effect: Effect, kind: Kind, request: &Request<'_>) -> Tri {
    let resource = match &statement.resources {
        None if kind == Kind::Trust => Tri::Yes,
        None => Tri::Unknown,
        Some(resources) => matchers(resources, effect, |pattern| {
            resource_matches(pattern, request.resource)
        }),
    };
    principal_matches(&statement.principal, kind, request.principal)
        .and(matchers(&statement.actions, effect, |pattern| {
            action_matches(pattern, request.action)
        }))
        .and(resource)
        .and(conditions_hold(statement.conditions.as_deref(), request))
}

/// Whether the statement's principal element names the service.
fn principal_matches(principals: &Principals, kind: Kind, service: &str) -> Tri {
    match (kind, principals) {
        (Kind::Identity, Principals::Absent) => Tri::Yes,
        (Kind::Identity, _)
        | (_, Principals::Absent | Principals::Not(_) | Principals::Unknown(_)) => Tri::Unknown,
        (_, Principals::Any(_)) => Tri::Yes,
        (_, Principals::Listed(listed)) => Tri::any(
            listed
                .iter()
                .map(|principal| listed_matches(principal, service)),
        ),
    }
}

/// Whether a listed principal is the service. A service principal is no identity of any
/// account, so only `*` among the others matches it; a symbol there stands for an account
/// or an identity, never `*`.
fn listed_matches(principal: &Principal, service: &str) -> Tri {
    if principal.kind == PrincipalKind::Service {
        return principal.value.equals(&Text::lit(service));
    }
    match principal.value.equals(&Text::lit("*")) {
        Tri::Unknown
            if principal
                .value
                .pieces()
                .iter()
                .all(|piece| matches!(piece, Piece::Lit(_) | Piece::Sym(_))) =>
        {
            Tri::No
        }
        star => star,
    }
}

/// Whether an `Action`/`Resource` element, read in a statement with `effect`, covers what
/// `matches` tests. A negated element in an `Allow` grants nearly everything: undecided.
fn matchers(element: &Matchers, effect: Effect, matches: impl Fn(&Text) -> Tri) -> Tri {
    let Some(patterns) = &element.patterns else {
        return Tri::Unknown;
    };
    let any = Tri::any(patterns.iter().map(|(pattern, _)| matches(pattern)));
    match (element.not, effect) {
        (false, _) => any,
        (true, Effect::Allow) => Tri::Unknown,
        (true, Effect::Deny) => any.not(),
    }
}

/// Whether an action pattern matches the action; actions match case-insensitively.
fn action_matches(pattern: &Text, action: &str) -> Tri {
    decided(pattern, |pattern| match pattern.as_lit() {
        Some(pattern) if pattern.len() <= MAX_TOKENS => {
            Tri::from_bool(glob_str(pattern, action, true))
        }
        _ => Tri::Unknown,
    })
}

/// `*`/`?` wildcard matching of literal strings, ASCII case folded when `fold`.
fn glob_str(pattern: &str, text: &str, fold: bool) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let same = |a: u8, b: u8| a == b || (fold && a.eq_ignore_ascii_case(&b));
    let (mut p, mut t) = (0, 0);
    // The last `*` seen, and the text position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || same(c, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Whether a resource pattern matches the resource ARN.
fn resource_matches(pattern: &Text, resource: &Text) -> Tri {
    if has_variable(pattern) {
        return Tri::Unknown;
    }
    glob(pattern, resource)
}

/// Whether every condition of a statement holds.
fn conditions_hold(conditions: Option<&[Condition]>, request: &Request<'_>) -> Tri {
    conditions.map_or(Tri::Unknown, |conditions| {
        Tri::all(
            conditions
                .iter()
                .map(|condition| condition_holds(condition, request)),
        )
    })
}

/// Whether one key's condition holds: any of its values matches the request's.
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>)
fn condition_holds(condition: &Condition, request: &Request<'_>) -> Tri {
    let context = match condition.key.to_ascii_lowercase().as_str() {
        "aws:sourcearn" => request.source_arn,
        "aws:sourceaccount" => request.source_account,
        _ => return Tri::Unknown,
    };
    let compare: fn(&Text, &Text) -> Tri = match condition.operator.as_str() {
        "StringEquals" => Text::equals,
        "StringLike" => glob,
        // ArnEquals matches exactly as ArnLike does, wildcards included.
        "ArnEquals" | "ArnLike" => arn_like,
        _ => return Tri::Unknown,
    };
    match context {
        // A key the request lacks fails every operator modelled here.
        Context::Absent => Tri::No,
        Context::Unknown => Tri::Unknown,
        Context::Known(value) => Tri::any(condition.values.iter().map(|(pattern, _)| {
            if has_variable(pattern) {
                Tri::Unknown
            } else {
                compare(pattern, value)
            }
        })),
    }
}

/// Whether the ARN `value` matches `pattern`: each of the six colon-delimited components
/// separately, so `*` never crosses a colon before the resource part.
fn arn_like(pattern: &Text, value: &Text) -> Tri {
    // IAM documents nothing of a lone `*`, which is not an ARN.
    if pattern
        .as_lit()
        .is_some_and(|p| p.chars().all(|c| c == '*'))
    {
        return Tri::Unknown;
    }
    decided(pattern, |pattern| {
        decided(value, |value| {
            match (arn_parts(pattern), arn_parts(value)) {
                (Ok(pattern), Ok(value)) => {
                    Tri::all(pattern.iter().zip(&value).map(|(p, v)| glob(p, v)))
                }
                (Err(Tri::Unknown), _) | (_, Err(Tri::Unknown)) => Tri::Unknown,
                _ => Tri::No,
            }
        })
    })
}

/// The six components of an ARN (`arn`, partition, service, region, account, resource);
/// `Err(No)` for a literal that is not an ARN, `Err(Unknown)` when where its colons are
/// cannot be known. Symbols are taken to hold no colon, as everywhere ARNs are split.
fn arn_parts(arn: &Text) -> Result<Vec<Text>, Tri> {
    let mut parts = Vec::with_capacity(6);
    let mut rest = arn.clone();
    for _ in 0..5 {
        match rest.split_once(':') {
            Some((head, _)) if head.is_unknown() => return Err(Tri::Unknown),
            Some((head, tail)) => {
                parts.push(head);
                rest = tail;
            }
            None if rest.as_lit().is_some() => return Err(Tri::No),
            None => return Err(Tri::Unknown),
        }
    }
    parts.push(rest);
    Ok(parts)
}

/// Whether `text` matches `pattern`, in which `*` stands for any run of characters and `?`
/// for one (case-sensitive).
fn glob(pattern: &Text, text: &Text) -> Tri {
    let wild = pattern
        .pieces()
        .iter()
        .any(|piece| matches!(piece, Piece::Lit(lit) if lit.contains(['*', '?'])));
    if !wild {
        return pattern.equals(text);
    }
    if let (Some(p), Some(t)) = (pattern.as_lit(), text.as_lit())
        && p.is_ascii()
        && t.is_ascii()
        && p.len() <= MAX_TOKENS
        && t.len() <= MAX_TOKENS
    {
        return Tri::from_bool(glob_str(p, t, false));
    }
    decided(pattern, |pattern| {
        decided(text, |text| wildcard_match(pattern, text))
    })
}

/// Most characters and symbols on either side of a wildcard match; beyond it the answer is
/// unknown.
const MAX_TOKENS: usize = 2048;

/// One character or symbol of a string, as a wildcard match sees it.
#[derive(Clone, Copy, PartialEq)]
enum Token<'a> {
    /// `*` in a pattern.
    Star,
    /// `?` in a pattern.
    One,
    Char(char),
    Sym(&'a Symbol),
    /// A choice or an unknown piece.
    Unknown,
}

/// The tokens of a string; `*` and `?` are wildcards only in a pattern.
fn tokens(text: &Text, wildcards: bool) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    for piece in text.pieces() {
        match piece {
            Piece::Lit(lit) => tokens.extend(lit.chars().map(|c| match c {
                '*' if wildcards => Token::Star,
                '?' if wildcards => Token::One,
                c => Token::Char(c),
            })),
            Piece::Sym(symbol) => tokens.push(Token::Sym(symbol)),
            Piece::Choice(..) | Piece::Unknown => tokens.push(Token::Unknown),
        }
    }
    tokens
}

/// [`glob`] over characters and whole symbols: `*` may swallow any of them; a symbol meets
/// only itself for certain, and may be empty. `Yes` when some alignment certainly matches,
/// `No` when every one certainly fails.
fn wildcard_match(pattern: &Text, text: &Text) -> Tri {
    let (pattern, text) = (tokens(pattern, true), tokens(text, false));
    if pattern.len() > MAX_TOKENS || text.len() > MAX_TOKENS {
        return Tri::Unknown;
    }
    // `table[i * width + j]`: whether `pattern[i..]` matches `text[j..]`.
    let width = text.len() + 1;
    let mut table = vec![Tri::No; (pattern.len() + 1) * width];
    for i in (0..=pattern.len()).rev() {
        for j in (0..=text.len()).rev() {
            let at = |i: usize, j: usize| table[i * width + j];
            let cell = match (pattern.get(i), text.get(j)) {
                (None, None) => Tri::Yes,
                (None, Some(Token::Char(_))) | (Some(Token::Char(_) | Token::One), None) => Tri::No,
                (None, Some(_)) => Tri::Unknown.and(at(i, j + 1)),
                (Some(Token::Star), None) => at(i + 1, j),
                (Some(Token::Star), Some(_)) => at(i + 1, j).or(at(i, j + 1)),
                (Some(_), None) => Tri::Unknown.and(at(i + 1, j)),
                (Some(Token::Char(a)), Some(Token::Char(b))) if a != b => Tri::No,
                (Some(Token::Char(_) | Token::One), Some(Token::Char(_))) => at(i + 1, j + 1),
                (Some(Token::Sym(a)), Some(Token::Sym(b))) if a == b => at(i + 1, j + 1),
                _ => Tri::Unknown,
            };
            table[i * width + j] = cell;
        }
    }
    table[0]
}

/// What `compare` says of the text for every value its choices may take, when it says the
/// same for all of them.
fn decided(text: &Text, compare: impl Fn(&Text) -> Tri + Copy) -> Tri {
    text.decide(move |text| Some(compare(text)).filter(|&answer| answer != Tri::Unknown))
        .unwrap_or(Tri::Unknown)
}

/// Whether the text holds a policy variable (`${aws:username}`), filled in per request.
fn has_variable(text: &Text) -> bool {
    text.pieces()
        .iter()
        .any(|piece| matches!(piece, Piece::Lit(lit) if lit.contains("${")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::{Doc, DocValue};
    use crate::value::Pseudo;
    use Tri::{No, Unknown, Yes};
    use serde_json::{Value, json};

    const RULE: &str = "arn:aws:events:us-east-1:111122223333:rule/orders";
    const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:handler";
    /// An `Allow` for the base request; rows replace its fields.
    const ALLOW: &str = r#"{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": "*"}"#;

    /// A condition key's value in a row's request.
    #[derive(Clone, Copy)]
    enum Ctx {
        Known(&'static str),
        Absent,
        Unknown,
    }

    impl Ctx {
        /// `-` for absent, `?` for unknown, else a [`text`] template.
        fn parse(cell: &'static str) -> Ctx {
            match cell {
                "-" => Ctx::Absent,
                "?" => Ctx::Unknown,
                value => Ctx::Known(value),
            }
        }
    }

    /// A row's request; strings are [`text`] templates.
    #[derive(Clone, Copy)]
    struct Req {
        kind: Kind,
        principal: &'static str,
        action: &'static str,
        resource: &'static str,
        source_arn: Ctx,
        source_account: Ctx,
    }

    /// EventBridge invoking a function from the rule `orders`.
    const BASE: Req = Req {
        kind: Kind::Resource,
        principal: "events.amazonaws.com",
        action: "lambda:InvokeFunction",
        resource: FUNCTION,
        source_arn: Ctx::Known(RULE),
        source_account: Ctx::Known("111122223333"),
    };

    /// A string with symbols written in angle brackets: `<Gen:Name>` (generated),
    /// `<Opaque:Name>`, `<AccountId>`, `<Region>`, `<Partition>`, `<Unknown>`,
    /// `<Choice:a,b>`.
    fn text(template: &str) -> Text {
        let mut out = Text::default();
        let mut rest = template;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let end = start + rest[start..].find('>').expect("a closed marker");
            let marker = &rest[start + 1..end];
            out.push(match marker.split_once(':') {
                Some(("Gen", name)) => Piece::Sym(Symbol::Generated(name.into())),
                Some(("Opaque", name)) => Piece::Sym(Symbol::Opaque(name.into())),
                Some(("Choice", values)) => Piece::Choice(
                    Symbol::Opaque("Choice".into()),
                    values.split(',').map(String::from).collect(),
                ),
                _ if marker == "Unknown" => Piece::Unknown,
                _ => Piece::Sym(Symbol::Pseudo(
                    Pseudo::parse(&format!("AWS::{marker}")).expect("a pseudo parameter"),
                )),
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A document from JSON, each part with a span of its own; the string `<UnknownDoc>` is
    /// an unknown part.
    fn doc(value: &Value, next: &mut usize) -> Doc {
        *next += 1;
        let span = Span::new(*next, *next + 1);
        let value = match value {
            Value::String(s) if s == "<UnknownDoc>" => DocValue::Unknown,
            Value::String(s) => DocValue::Text(text(s)),
            Value::Null => DocValue::Null,
            Value::Bool(_) | Value::Number(_) => DocValue::Text(Text::lit(value.to_string())),
            Value::Array(items) => DocValue::List(items.iter().map(|v| doc(v, next)).collect()),
            Value::Object(map) => {
                DocValue::Map(map.iter().map(|(k, v)| (k.clone(), doc(v, next))).collect())
            }
        };
        Doc { span, value }
    }

    /// A policy from JSON: a document, one statement, a list of statements, `"ALLOW"` for
    /// [`ALLOW`] or `"<UnknownDoc>"`.
    fn policy(value: &Value) -> Policy {
        let value = match value {
            Value::String(s) if s == "ALLOW" => json!({ "Statement": [parse_json(ALLOW)] }),
            Value::Object(map) if !map.contains_key("Statement") => {
                json!({ "Statement": [value] })
            }
            Value::Array(_) => json!({ "Statement": value }),
            value => value.clone(),
        };
        Policy::read(&doc(&value, &mut 0))
    }

    /// Parses JSON a test wrote.
    fn parse_json(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// [`ALLOW`] with the fields of `changes` replaced (removed where `null`).
    fn allow_with(changes: &str) -> Value {
        let mut statement = parse_json(ALLOW);
        let (Some(fields), Value::Object(changes)) =
            (statement.as_object_mut(), parse_json(changes))
        else {
            panic!("objects expected: {changes}");
        };
        for (key, value) in changes {
            match value {
                Value::Null => fields.remove(&key),
                value => fields.insert(key, value),
            };
        }
        statement
    }

    /// The decision on a row's request, which [`allows`] agrees with.
    fn decide(policies: &[Policy], req: &Req) -> Decision {
        fn context(ctx: Ctx, value: &Option<Text>) -> Context<'_> {
            match (ctx, value) {
                (Ctx::Known(_), Some(value)) => Context::Known(value),
                (Ctx::Unknown, _) => Context::Unknown,
                _ => Context::Absent,
            }
        }
        let resource = text(req.resource);
        let [arn, account] = [req.source_arn, req.source_account].map(|ctx| match ctx {
            Ctx::Known(value) => Some(text(value)),
            _ => None,
        });
        let request = Request {
            principal: req.principal,
            action: req.action,
            resource: &resource,
            source_arn: context(req.source_arn, &arn),
            source_account: context(req.source_account, &account),
        };
        let policies: Vec<&Policy> = policies.iter().collect();
        let decision = decision(&policies, req.kind, &request);
        assert_eq!(decision.allowed, allows(&policies, req.kind, &request));
        decision
    }

    /// The rows of a table: one a line, `cells` cells separated by `|`, the first the
    /// expected answer (`yes`, `no`, `unknown`), the second what the row shows.
    fn rows(table: &'static str, cells: usize) -> impl Iterator<Item = (Tri, Vec<&'static str>)> {
        table
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(move |line| {
                let row: Vec<&str> = line.splitn(cells, '|').map(str::trim).collect();
                assert_eq!(row.len(), cells, "{line}");
                let expected = match row[0] {
                    "yes" => Yes,
                    "no" => No,
                    "unknown" => Unknown,
                    other => panic!("not an answer: {other}"),
                };
                (expected, row)
            })
    }

    /// Asserts the answer to a row's request.
    fn check(name: &str, policies: &[Value], req: &Req, expected: Tri) {
        let policies: Vec<Policy> = policies.iter().map(policy).collect();
        assert_eq!(decide(&policies, req).allowed, expected, "{name}");
    }

    /// Whole policies against the base request: `answer | name | [policies]`.
    const EVALUATION: &str = r#"
        yes     | an allow                                     | ["ALLOW"]
        no      | no policy: implicit deny                     | []
        no      | nothing allows: implicit deny                | [{"Effect": "Allow", "Principal": "*", "Action": "lambda:GetFunction", "Resource": "*"}]
        no      | an explicit deny overrides the allow         | [[{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "lambda:*", "Resource": "*"}]]
        no      | a deny in another policy overrides the allow | ["ALLOW", {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]
        yes     | a deny for another action                    | ["ALLOW", {"Effect": "Deny", "Principal": "*", "Action": "lambda:Get*", "Resource": "*"}]
        unknown | a deny that may apply                        | ["ALLOW", {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
        no      | a deny of all but other actions              | ["ALLOW", {"Effect": "Deny", "Principal": "*", "NotAction": "lambda:Get*", "Resource": "*"}]
        yes     | a deny of all but the action                 | ["ALLOW", {"Effect": "Deny", "Principal": "*", "NotAction": "lambda:Invoke*", "Resource": "*"}]
        yes     | a deny of all but the resource               | ["ALLOW", {"Effect": "Deny", "Principal": "*", "Action": "*", "NotResource": "arn:aws:lambda:*:*:function:handler"}]
        no      | a deny of all but another resource           | ["ALLOW", {"Effect": "Deny", "Principal": "*", "Action": "*", "NotResource": "arn:aws:lambda:*:*:function:other"}]
        yes     | a deny on another rule's events              | ["ALLOW", {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/other"}}}]
        unknown | an unreadable policy                         | ["<UnknownDoc>"]
        unknown | an unreadable Statement                      | [{"Statement": "<UnknownDoc>"}]
        unknown | a statement that is not an object            | [[5]]
        no      | an unreadable policy beside a certain deny   | ["<UnknownDoc>", {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]
        yes     | Statement as a single object                 | [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}]
        no      | no statements                                | [{"Version": "2012-10-17", "Statement": []}]
        unknown | an unknown effect                            | [{"Effect": "<Opaque:Effect>", "Principal": "*", "Action": "*", "Resource": "*"}]
        unknown | an unrecognised effect                       | [{"Effect": "Permit", "Principal": "*", "Action": "*", "Resource": "*"}]
        yes     | an effect whose one allowed value is Allow   | [{"Effect": "<Choice:Allow>", "Principal": "*", "Action": "*", "Resource": "*"}]
        unknown | an unknown effect beside an allow            | ["ALLOW", {"Effect": "<Opaque:Effect>", "Principal": "*", "Action": "*", "Resource": "*"}]
        no      | an unknown effect on another action          | [{"Effect": "<Opaque:Effect>", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]
        unknown | an undecided allow beside one of nothing     | [{"Effect": "Allow", "Principal": "*", "Action": "<Opaque:Action>", "Resource": "*"}, {"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]
    "#;

    /// Principals of [`ALLOW`]: `answer | name | kind | changes`.
    const PRINCIPALS: &str = r#"
        yes     | everyone                        | resource | {"Principal": "*"}
        yes     | every AWS principal             | resource | {"Principal": {"AWS": "*"}}
        yes     | every AWS principal, listed     | resource | {"Principal": {"AWS": ["*"]}}
        yes     | Terraform's everyone            | resource | {"Principal": {"*": ["*"]}}
        yes     | the service                     | resource | {}
        no      | another service                 | resource | {"Principal": {"Service": "sns.amazonaws.com"}}
        yes     | a list with the service         | resource | {"Principal": {"Service": ["sns.amazonaws.com", "events.amazonaws.com"]}}
        no      | a list without the service      | resource | {"Principal": {"Service": ["sns.amazonaws.com", "sqs.amazonaws.com"]}}
        no      | service names are case-sensitive| resource | {"Principal": {"Service": "Events.amazonaws.com"}}
        unknown | a symbolic service              | resource | {"Principal": {"Service": "<Opaque:Service>"}}
        no      | an account                      | resource | {"Principal": {"AWS": "111122223333"}}
        no      | an account's root               | resource | {"Principal": {"AWS": "arn:aws:iam::111122223333:root"}}
        no      | a role                          | resource | {"Principal": {"AWS": "arn:aws:iam::111122223333:role/events"}}
        no      | the deploying account           | resource | {"Principal": {"AWS": "<AccountId>"}}
        no      | a parameter's account           | resource | {"Principal": {"AWS": "arn:aws:iam::<Opaque:Account>:root"}}
        no      | a parameter                     | resource | {"Principal": {"AWS": "<Opaque:Trusted>"}}
        unknown | an unknown AWS principal        | resource | {"Principal": {"AWS": "<Unknown>"}}
        unknown | an AWS principal that may be *  | resource | {"Principal": {"AWS": "<Choice:*,1>"}}
        yes     | an account or the service       | resource | {"Principal": {"AWS": "1", "Service": "events.amazonaws.com"}}
        no      | a federated principal           | resource | {"Principal": {"Federated": "cognito-identity.amazonaws.com"}}
        no      | a canonical user                | resource | {"Principal": {"CanonicalUser": "79a59df900b949e5"}}
        unknown | NotPrincipal                    | resource | {"Principal": null, "NotPrincipal": {"AWS": "111122223333"}}
        unknown | both Principal and NotPrincipal | resource | {"NotPrincipal": {"AWS": "111122223333"}}
        unknown | no principal                    | resource | {"Principal": null}
        unknown | a bare service name             | resource | {"Principal": "events.amazonaws.com"}
        unknown | an unrecognised kind            | resource | {"Principal": {"Service": "events.amazonaws.com", "Team": "x"}}
        unknown | an empty principal              | resource | {"Principal": {}}
        unknown | an unknown principal            | resource | {"Principal": "<UnknownDoc>"}
        yes     | a trust policy                  | trust    | {}
        no      | a trust policy, another service | trust    | {"Principal": {"Service": "ecs-tasks.amazonaws.com"}}
        unknown | a principal in a role policy    | identity | {}
        yes     | a role policy                   | identity | {"Principal": null}
    "#;

    #[test]
    fn principals() {
        for (expected, row) in rows(PRINCIPALS, 4) {
            let kind = match row[2] {
                "resource" => Kind::Resource,
                "identity" => Kind::Identity,
                "trust" => Kind::Trust,
                other => panic!("not a kind: {other}"),
            };
            check(
                row[1],
                &[allow_with(row[3])],
                &Req { kind, ..BASE },
                expected,
            );
        }
    }

    /// Actions of [`ALLOW`]: `answer | name | the request's action | changes`.
    const ACTIONS: &str = r#"
        yes     | a service's actions             | lambda:InvokeFunction | {"Action": "lambda:*"}
        no      | another service's actions       | lambda:InvokeFunction | {"Action": "sqs:*"}
        yes     | a prefix                        | lambda:InvokeFunction | {"Action": "lambda:Invoke*"}
        no      | another prefix                  | lambda:InvokeFunction | {"Action": "lambda:Get*"}
        yes     | every action                    | lambda:InvokeFunction | {"Action": "*"}
        yes     | case-insensitive                | sqs:SendMessage       | {"Action": "SQS:sendmessage"}
        yes     | one character                   | sns:Publish           | {"Action": "sns:Pub?ish"}
        no      | exactly one character           | sns:Publish           | {"Action": "sns:Pub?sh"}
        yes     | a list                          | lambda:InvokeFunction | {"Action": ["sqs:SendMessage", "lambda:InvokeFunction"]}
        unknown | a symbolic action               | lambda:InvokeFunction | {"Action": "<Opaque:Action>"}
        yes     | a symbolic action or a match    | lambda:InvokeFunction | {"Action": ["<Opaque:Action>", "lambda:*"]}
        unknown | a symbolic action or no match   | lambda:InvokeFunction | {"Action": ["<Opaque:Action>", "sqs:*"]}
        yes     | choices that all match          | lambda:InvokeFunction | {"Action": "lambda:<Choice:Invoke*,*>"}
        unknown | choices that disagree           | lambda:InvokeFunction | {"Action": "lambda:<Choice:Invoke*,Get*>"}
        unknown | NotAction in an allow           | lambda:InvokeFunction | {"Action": null, "NotAction": "sqs:*"}
        unknown | no action                       | lambda:InvokeFunction | {"Action": null}
        unknown | both Action and NotAction       | lambda:InvokeFunction | {"NotAction": "sqs:*"}
        unknown | an empty list                   | lambda:InvokeFunction | {"Action": []}
    "#;

    #[test]
    fn actions() {
        for (expected, row) in rows(ACTIONS, 4) {
            let req = Req {
                action: row[2],
                ..BASE
            };
            check(row[1], &[allow_with(row[3])], &req, expected);
        }
    }

    /// Resources of [`ALLOW`]: `answer | name | the request's resource | changes`.
    const RESOURCES: &str = r#"
        yes     | the same symbolic ARN           | arn:<Partition>:lambda:<Region>:<AccountId>:function:<Gen:Fn> | {"Resource": "arn:<Partition>:lambda:<Region>:<AccountId>:function:<Gen:Fn>"}
        no      | two generated names             | arn:aws:lambda:us-east-1:1:function:<Gen:Fn>            | {"Resource": "arn:aws:lambda:us-east-1:1:function:<Gen:Other>"}
        no      | a literal and a generated name  | arn:aws:lambda:us-east-1:1:function:<Gen:Fn>            | {"Resource": "arn:aws:lambda:us-east-1:1:function:handler"}
        unknown | a literal and a parameter       | arn:aws:lambda:us-east-1:1:function:<Opaque:Name>       | {"Resource": "arn:aws:lambda:us-east-1:1:function:handler"}
        yes     | a wildcard match                | arn:aws:sqs:us-east-1:1:q-orders                        | {"Resource": "arn:aws:sqs:*:*:q-*"}
        no      | a wildcard mismatch             | arn:aws:sqs:us-east-1:1:orders                          | {"Resource": "arn:aws:sqs:*:*:q-*"}
        unknown | a wildcard on pseudo parameters | arn:<Partition>:sqs:<Region>:<AccountId>:q-1            | {"Resource": "arn:aws:sqs:*:*:q-*"}
        yes     | every resource                  | <Opaque:Arn>                                            | {"Resource": "*"}
        yes     | the same pseudo parameters      | arn:<Partition>:sqs:<Region>:<AccountId>:<Gen:Queue>    | {"Resource": "arn:<Partition>:sqs:<Region>:<AccountId>:*"}
        no      | the same, another service       | arn:<Partition>:sqs:<Region>:<AccountId>:<Gen:Queue>    | {"Resource": "arn:<Partition>:sns:<Region>:<AccountId>:*"}
        yes     | a list                          | arn:aws:sqs:us-east-1:1:q-1                             | {"Resource": ["arn:aws:sqs:*:*:a", "arn:aws:sqs:*:*:q-*"]}
        no      | choices that all fail           | arn:aws:sqs:us-east-1:1:q-1                             | {"Resource": "arn:aws:sqs:*:*:<Choice:a,b>-*"}
        unknown | choices that disagree           | arn:aws:sqs:us-east-1:1:q-1                             | {"Resource": "arn:aws:sqs:*:*:<Choice:a,q>-*"}
        unknown | a policy variable               | arn:aws:sqs:us-east-1:1:q-1                             | {"Resource": "arn:aws:sqs:*:*:${aws:username}"}
        unknown | NotResource in an allow         | arn:aws:sqs:us-east-1:1:q-1                             | {"Resource": null, "NotResource": "arn:aws:sqs:*:*:x"}
        unknown | no resource                     | arn:aws:sqs:us-east-1:1:q-1                             | {"Resource": null}
    "#;

    #[test]
    fn resources() {
        for (expected, row) in rows(RESOURCES, 4) {
            let req = Req {
                resource: row[2],
                ..BASE
            };
            check(row[1], &[allow_with(row[3])], &req, expected);
        }
    }

    #[test]
    fn trust_and_role_policies_read_no_resource_or_principal() {
        let trust = Req {
            kind: Kind::Trust,
            action: "sts:AssumeRole",
            resource: "arn:aws:iam::111122223333:role/<Gen:Role>",
            ..BASE
        };
        let assume = json!({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sts:AssumeRole"});
        check("a trust policy", &[assume], &trust, Yes);
        let role = Req {
            kind: Kind::Identity,
            action: "sqs:SendMessage",
            resource: "arn:aws:sqs:us-east-1:1:q-orders",
            ..BASE
        };
        let send = |resource: &str| json!({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": resource});
        check(
            "a role's queues",
            &[send("arn:aws:sqs:*:*:q-*")],
            &role,
            Yes,
        );
        check("other queues", &[send("arn:aws:sqs:*:*:x-*")], &role, No);
        check(
            "no resource",
            &[json!({"Effect": "Allow", "Action": "*"})],
            &role,
            Unknown,
        );
    }

    /// `Condition` blocks on [`ALLOW`]: `answer | name | aws:SourceArn | aws:SourceAccount |
    /// block`, where `-` is absent and `?` unknown.
    const CONDITIONS: &str = r#"
        yes     | the rule                         | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/orders"}}
        no      | another rule                     | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/other"}}
        no      | the bus, not the rule            | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:event-bus/default"}}
        yes     | every rule                       | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/*"}}
        yes     | every rule anywhere              | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/*"}}
        no      | a wildcard crosses no colon      | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:rule/orders"}}
        yes     | StringLike crosses colons        | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"StringLike": {"aws:SourceArn": "arn:aws:events:*:rule/orders"}}
        no      | a value that is not an ARN       | orders                                            | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:*"}}
        unknown | a lone wildcard                  | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "*"}}
        yes     | ArnEquals takes wildcards too    | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnEquals": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}}
        yes     | keys are case-insensitive        | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"AWS:SourceArn": "arn:aws:events:*:*:rule/orders"}}
        no      | ARNs are case-sensitive          | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/Orders"}}
        yes     | the symbolic rule                | arn:<Partition>:events:<Region>:<AccountId>:rule/<Gen:Rule> | - | {"ArnLike": {"aws:SourceArn": "arn:<Partition>:events:<Region>:<AccountId>:rule/<Gen:Rule>"}}
        yes     | every rule of the account        | arn:<Partition>:events:<Region>:<AccountId>:rule/<Gen:Rule> | - | {"ArnLike": {"aws:SourceArn": "arn:<Partition>:events:<Region>:<AccountId>:rule/*"}}
        no      | a name against a generated one   | arn:<Partition>:events:<Region>:<AccountId>:rule/<Gen:Rule> | - | {"ArnLike": {"aws:SourceArn": "arn:<Partition>:events:<Region>:<AccountId>:rule/orders"}}
        no      | the symbolic bus, not the rule   | arn:<Partition>:events:<Region>:<AccountId>:rule/<Gen:Rule> | - | {"ArnLike": {"aws:SourceArn": "arn:<Partition>:events:<Region>:<AccountId>:event-bus/default"}}
        unknown | a literal ARN, symbolic partition| arn:<Partition>:events:<Region>:<AccountId>:rule/orders     | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/orders"}}
        unknown | a whole ARN in a parameter       | <Opaque:RuleArn>                                  | - | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}}
        yes     | the deploying account            | - | <AccountId>  | {"StringEquals": {"aws:SourceAccount": "<AccountId>"}}
        unknown | an account, the deploying one    | - | <AccountId>  | {"StringEquals": {"aws:SourceAccount": "111122223333"}}
        yes     | the account                      | - | 111122223333 | {"StringEquals": {"aws:SourceAccount": "111122223333"}}
        no      | another account                  | - | 111122223333 | {"StringEquals": {"aws:SourceAccount": "444455556666"}}
        no      | a key the request lacks          | - | 111122223333 | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}}
        unknown | a key the request may lack       | ? | 111122223333 | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}}
        unknown | an operator not modelled         | - | 111122223333 | {"StringNotEquals": {"aws:SourceAccount": "444455556666"}}
        unknown | IfExists                         | - | 111122223333 | {"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:events:*:*:rule/other"}}
        unknown | a key not modelled               | - | 111122223333 | {"StringEquals": {"aws:SourceOrgID": "o-1"}}
        unknown | a policy variable                | - | 111122223333 | {"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}
        yes     | any of several values            | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": ["arn:aws:events:*:*:rule/other", "arn:aws:events:*:*:rule/orders"]}}
        no      | none of several values           | arn:aws:events:us-east-1:111122223333:rule/orders | - | {"ArnLike": {"aws:SourceArn": ["arn:aws:events:*:*:rule/other", "arn:aws:events:*:*:rule/x"]}}
        yes     | all of several keys              | arn:aws:events:us-east-1:111122223333:rule/orders | 111122223333 | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}, "StringEquals": {"aws:SourceAccount": "111122223333"}}
        no      | one of several keys fails        | arn:aws:events:us-east-1:111122223333:rule/orders | 111122223333 | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/orders"}, "StringEquals": {"aws:SourceAccount": "444455556666"}}
        no      | a failing key, one not modelled  | arn:aws:events:us-east-1:111122223333:rule/orders | 111122223333 | {"ArnLike": {"aws:SourceArn": "arn:aws:events:*:*:rule/other"}, "Bool": {"aws:SecureTransport": "true"}}
        unknown | an unreadable block              | arn:aws:events:us-east-1:111122223333:rule/orders | 111122223333 | "<UnknownDoc>"
        unknown | an empty operator                | arn:aws:events:us-east-1:111122223333:rule/orders | 111122223333 | {"StringEquals": {}}
        yes     | an empty block                   | arn:aws:events:us-east-1:111122223333:rule/orders | 111122223333 | {}
    "#;

    #[test]
    fn conditions() {
        for (expected, row) in rows(CONDITIONS, 5) {
            let req = Req {
                source_arn: Ctx::parse(row[2]),
                source_account: Ctx::parse(row[3]),
                ..BASE
            };
            let statement = allow_with(&format!(r#"{{"Condition": {}}}"#, row[4]));
            check(row[1], &[statement], &req, expected);
        }
    }

    #[test]
    fn evaluation_logic() {
        for (expected, row) in rows(EVALUATION, 3) {
            let Value::Array(policies) = parse_json(row[2]) else {
                panic!("a list of policies: {}", row[2]);
            };
            check(row[1], &policies, &BASE, expected);
        }
    }

    #[test]
    fn the_deciding_deny_is_the_one_that_certainly_applies() {
        let policies = [
            policy(&json!("ALLOW")),
            policy(&json!([
                {"Effect": "Deny", "Principal": "*", "Action": "<Opaque:A>", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "lambda:*", "Resource": "*"}
            ])),
        ];
        let statements = policies[1].statements.as_ref().expect("readable");
        let decision = decide(&policies, &BASE);
        assert_eq!(decision.allowed, No);
        assert_eq!(decision.deciding, Some(statements[1].span));
        assert_eq!(decide(&policies[..1], &BASE).deciding, None);
    }

    /// Of several explicit denials the first decides; an earlier one that may not apply
    /// does not.
    #[test]
    fn the_first_certain_deny_decides() {
        let policies = [
            policy(&json!("ALLOW")),
            policy(&json!([
                {"Effect": "Deny", "Principal": "*", "Action": "lambda:Invoke*", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": "lambda:*", "Resource": "*"}
            ])),
        ];
        let statements = policies[1].statements.as_ref().expect("readable");
        assert_eq!(decide(&policies, &BASE).deciding, Some(statements[0].span));
    }

    /// The part of the closest `Allow` that refuses, and where it is written.
    #[test]
    fn refusals_name_the_one_part_that_fails() {
        let refused = |statement: Value, kind: Kind| {
            let policy = policy(&statement);
            let statements = policy.statements.clone().expect("readable");
            let base = BASE;
            let (resource, source_arn, account) =
                (text(base.resource), text(RULE), text("111122223333"));
            let request = super::Request {
                principal: base.principal,
                action: base.action,
                resource: &resource,
                source_arn: Context::Known(&source_arn),
                source_account: Context::Known(&account),
            };
            (refusal(&[&policy], kind, &request), statements)
        };
        let allow = parse_json(ALLOW);
        let with = |key: &str, value: Value| {
            let mut statement = allow.clone();
            statement[key] = value;
            statement
        };
        // The principal, at the listed principal.
        let (why, statements) = refused(
            with("Principal", json!({"Service": "s3.amazonaws.com"})),
            Kind::Resource,
        );
        let Principals::Listed(listed) = &statements[0].principal else {
            panic!("a listed principal");
        };
        assert_eq!(why, Some((Refusal::Principal, listed[0].span)));
        // The action, at the action element.
        let (why, statements) = refused(with("Action", json!("sqs:SendMessage")), Kind::Resource);
        assert_eq!(why, Some((Refusal::Action, statements[0].actions.span)));
        // The resource, at the resource element.
        let (why, statements) = refused(
            with(
                "Resource",
                json!("arn:aws:lambda:us-east-1:111122223333:function:other"),
            ),
            Kind::Resource,
        );
        let resources = statements[0].resources.as_ref().expect("a resource");
        assert_eq!(why, Some((Refusal::Resource, resources.span)));
        // A condition, at its value.
        let (why, statements) = refused(
            with(
                "Condition",
                json!({"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/other"}}),
            ),
            Kind::Resource,
        );
        let conditions = statements[0].conditions.as_ref().expect("conditions");
        assert_eq!(why, Some((Refusal::Condition, conditions[0].values[0].1)));
        // In a trust policy a statement has no resource: the condition is still the refusal.
        let mut trust = with(
            "Condition",
            json!({"StringEquals": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/other"}}),
        );
        trust.as_object_mut().expect("an object").remove("Resource");
        assert!(matches!(
            refused(trust.clone(), Kind::Trust).0,
            Some((Refusal::Condition, _))
        ));
        // Outside a trust policy, a statement without a resource may be on anything: no
        // refusal can be named.
        assert_eq!(refused(trust, Kind::Resource).0, None);
        // Two parts refused, or one unknown: no single refusal.
        let mut both = with("Action", json!("sqs:SendMessage"));
        both["Principal"] = json!({"Service": "s3.amazonaws.com"});
        assert_eq!(refused(both, Kind::Resource).0, None);
        let mut unknown = with("Action", json!("<Opaque:A>"));
        unknown["Principal"] = json!({"Service": "s3.amazonaws.com"});
        assert_eq!(refused(unknown, Kind::Resource).0, None);
        // A `Deny` is never the closest `Allow`.
        let mut deny = with("Effect", json!("Deny"));
        deny["Action"] = json!("sqs:SendMessage");
        assert_eq!(refused(deny, Kind::Resource).0, None);
    }

    /// Literal wildcards that need to try `*` more than once, and the bounds of the match.
    #[test]
    fn wildcards_backtrack_and_stay_bounded() {
        assert!(glob_str("a*bc", "abcbc", false));
        assert!(glob_str("*a*b", "xaxab", false));
        assert!(!glob_str("a*b*c", "acb", false));
        assert!(glob_str("LAMBDA:*", "lambda:InvokeFunction", true));
        assert!(!glob_str("LAMBDA:*", "lambda:InvokeFunction", false));
        let long = "*".repeat(MAX_TOKENS + 1);
        assert_eq!(glob(&text(&long), &text("ab")), Unknown);
        assert_eq!(
            action_matches(&text(&long), "lambda:InvokeFunction"),
            Unknown
        );
        // Exactly as many tokens as allowed are still matched.
        let pattern = format!("*{}", "a".repeat(MAX_TOKENS - 1));
        let value = format!("<Gen:G>{}", "a".repeat(MAX_TOKENS - 1));
        assert_eq!(glob(&text(&pattern), &text(&value)), Yes);
        // In the value, `*` and `?` are characters, not wildcards.
        assert_eq!(glob(&text("x?*"), &text("x*<Gen:G>")), Yes);
        assert_eq!(glob(&text("x?*"), &text("x?<Gen:G>")), Yes);
        // The pattern ends before a symbol (which may be empty) and a character of the value.
        assert_eq!(glob(&text("?"), &text("x<Gen:G>")), Unknown);
        assert_eq!(glob(&text("?"), &text("x<Gen:G>b")), No);
        // The value ends before a symbol of the pattern (which may be empty).
        assert_eq!(glob(&text("?<Opaque:P>"), &text("x")), Unknown);
        assert_eq!(glob(&text("?<Opaque:P>b"), &text("x")), No);
    }

    /// `answer | pattern | text`.
    const GLOBS: &str = r#"
        yes     | abc          | abc
        no      | abc          | abd
        yes     | a*c          | abbbc
        no      | a*c          | abbbd
        yes     | a?c          | abc
        no      | a?c          | abbc
        yes     | *            |
        no      | ?            |
        yes     | **a**        | bab
        no      | a*b*c        | acb
        no      | Abc          | abc
        yes     | *            | <Opaque:S>
        yes     | *            | <Unknown>
        yes     | x-*          | x-<Opaque:S>
        yes     | *<Opaque:S>  | x-<Opaque:S>
        yes     | <Opaque:S>*  | <Opaque:S>
        no      | <Opaque:S>a* | <Opaque:S>b
        unknown | <Opaque:S>*  | <Opaque:T>
        unknown | a*           | <Opaque:S>
        unknown | ?            | <Opaque:S>
        unknown | a*           | <Unknown>
        no      | a*           | b<Unknown>
        unknown | ab*          | a<Opaque:S>
        unknown | a?           | a<Opaque:S>b
        unknown | a*           | <Opaque:S>b<Opaque:T>
        no      | a*           | b<Opaque:S>
        yes     | a*           | <Choice:ab,ac>
        unknown | a*           | <Choice:ab,b>
        no      | <Choice:a,b>*| c
    "#;

    #[test]
    fn glob_matches_over_symbols() {
        for (expected, row) in rows(GLOBS, 3) {
            let (pattern, value) = (text(row[1]), text(row[2]));
            assert_eq!(glob(&pattern, &value), expected, "{} ~ {}", row[1], row[2]);
        }
        let long = "a".repeat(MAX_TOKENS + 1);
        assert_eq!(glob(&text("a*"), &text(&long)), Unknown);
    }

    #[test]
    fn arns_split_into_six_components() {
        let parts = arn_parts(&text("arn:aws:lambda:us-east-1:1:function:f:live")).expect("an ARN");
        assert_eq!(parts[5], text("function:f:live"));
        assert_eq!(arn_parts(&text("arn:aws:s3:::b")).map(|p| p.len()), Ok(6));
        assert_eq!(arn_parts(&text("arn:aws:s3")), Err(No));
        assert_eq!(arn_parts(&text("arn:aws:<Opaque:Rest>")), Err(Unknown));
        assert_eq!(arn_parts(&text("arn:<Unknown>:s3:::b")), Err(Unknown));
    }
}
