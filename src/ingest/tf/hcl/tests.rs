//! The evaluator on small configurations, in memory: every kind of value (known, symbolic,
//! unknown) where it decides what the handlers see, and each unknown shown staying unknown.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::model::{Bus, RulePattern, Selectors, Trail};
use crate::pattern::{Literal, MatcherKind};
use crate::value::{Pseudo, Symbol, Text};

/// Folders of `(path, text)` files under a virtual root, each parsed.
fn folders(files: &[(&str, &str)]) -> Folders {
    let mut folders = Folders {
        scanned: vec![PathBuf::from("/virtual")],
        ..Folders::default()
    };
    for (index, (path, text)) in files.iter().enumerate() {
        let path = PathBuf::from("/virtual").join(path);
        let (kind, syntax) = kind_of(&path).expect("a Terraform file");
        let Parsed { body, places } = parse(text, syntax, kind).expect("parses");
        folders.add(
            HclFile {
                id: FileId(index as u32),
                path,
                text: Arc::new((*text).to_owned()),
                body,
                places,
                reported: true,
            },
            kind,
        );
    }
    folders
}

/// The one root module of `files`.
fn root(files: &[(&str, &str)]) -> Root {
    let mut roots = folders(files).read();
    assert_eq!(roots.len(), 1, "{roots:?}");
    roots.remove(0)
}

fn main_tf(text: &str) -> Root {
    root(&[("main.tf", text)])
}

/// The matchers of `path` in the only rule's pattern, as `Debug` text.
fn matchers(root: &Root, path: &str) -> Vec<MatcherKind> {
    let [rule] = root.items.rules.as_slice() else {
        panic!("one rule: {:?}", root.items.rules);
    };
    let RulePattern::Valid(pattern) = &rule.pattern else {
        panic!("a valid pattern: {:?}", rule.pattern);
    };
    let branches = pattern.branches().expect("branches");
    branches[0]
        .matchers(path)
        .unwrap_or_else(|| panic!("{path} in {pattern:?}"))
        .iter()
        .map(|m| m.kind.clone())
        .collect()
}

fn exact(text: Text) -> MatcherKind {
    MatcherKind::Exact(Literal::String(text))
}

const PATTERN_OF_BUCKET: &str = r#"
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = jsonencode({
    source = ["aws.s3"]
    detail = { requestParameters = { bucketName = [BUCKET] } }
  })
}
"#;

fn bucket_pattern(bucket: &str, rest: &str) -> Root {
    main_tf(&format!(
        "{}\n{rest}",
        PATTERN_OF_BUCKET.replace("BUCKET", bucket)
    ))
}

const BUCKET_PATH: &str = "detail.requestParameters.bucketName";

#[test]
fn a_variable_takes_its_default_else_a_symbol_of_its_own() {
    let with_default = bucket_pattern("var.b", r#"variable "b" { default = "data" }"#);
    assert_eq!(
        matchers(&with_default, BUCKET_PATH),
        [exact(Text::lit("data"))]
    );
    let without = bucket_pattern("var.b", r#"variable "b" { type = string }"#);
    assert_eq!(
        matchers(&without, BUCKET_PATH),
        [exact(Text::sym(Symbol::Opaque("/virtual#var.b".into())))]
    );
    // A variable of another type, without a value: unknown.
    let list = bucket_pattern("var.b[0]", r#"variable "b" { type = list(string) }"#);
    assert_eq!(matchers(&list, BUCKET_PATH), [MatcherKind::Unknown]);
}

#[test]
fn values_files_and_the_command_line_override_defaults_in_order() {
    let files = [
        ("main.tf", PATTERN_OF_BUCKET.replace("BUCKET", "var.b")),
        (
            "vars.tf",
            r#"variable "b" { default = "default" }"#.to_owned(),
        ),
        ("terraform.tfvars", "b = \"tfvars\"".to_owned()),
        ("x.auto.tfvars", "b = \"auto\"".to_owned()),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let roots = folders(&files[..3]).read();
    assert_eq!(
        matchers(&roots[0], BUCKET_PATH),
        [exact(Text::lit("tfvars"))]
    );
    let roots = folders(&files).read();
    assert_eq!(matchers(&roots[0], BUCKET_PATH), [exact(Text::lit("auto"))]);
    let mut given = folders(&files);
    given.vars.push(("b".into(), "command-line".into()));
    assert_eq!(
        matchers(&given.read()[0], BUCKET_PATH),
        [exact(Text::lit("command-line"))]
    );
}

#[test]
fn resource_identities_are_symbols_the_trail_side_shares() {
    let named = bucket_pattern(
        "aws_s3_bucket.b.id",
        r#"resource "aws_s3_bucket" "b" { bucket = "named" }"#,
    );
    assert_eq!(matchers(&named, BUCKET_PATH), [exact(Text::lit("named"))]);
    let generated = bucket_pattern(
        "aws_s3_bucket.b.bucket",
        r#"resource "aws_s3_bucket" "b" {}"#,
    );
    assert_eq!(
        matchers(&generated, BUCKET_PATH),
        [exact(Text::sym(Symbol::Generated(
            "/virtual#aws_s3_bucket.b".into()
        )))]
    );
    // A computed attribute the evaluator does not derive: unknown.
    let computed = bucket_pattern(
        "aws_s3_bucket.b.bucket_domain_name",
        r#"resource "aws_s3_bucket" "b" { bucket = "x" }"#,
    );
    assert_eq!(matchers(&computed, BUCKET_PATH), [MatcherKind::Unknown]);
    // The bucket itself is read with the same name.
    assert_eq!(
        generated.items.buckets[0].bucket_name,
        Text::sym(Symbol::Generated("/virtual#aws_s3_bucket.b".into()))
    );
}

#[test]
fn data_sources_are_unknown_but_the_deployment_s_own_identity() {
    let other = bucket_pattern(
        "data.aws_s3_bucket.b.id",
        r#"data "aws_s3_bucket" "b" { bucket = "x" }"#,
    );
    assert_eq!(matchers(&other, BUCKET_PATH), [MatcherKind::Unknown]);
    let account = bucket_pattern(
        "\"logs-${data.aws_caller_identity.me.account_id}\"",
        r#"data "aws_caller_identity" "me" {}"#,
    );
    let mut text = Text::lit("logs-");
    text.append(&Text::pseudo(Pseudo::AccountId));
    assert_eq!(matchers(&account, BUCKET_PATH), [exact(text)]);
}

#[test]
fn a_pattern_element_points_at_its_place_in_jsonencode() {
    let text = PATTERN_OF_BUCKET.replace("BUCKET", "\"data\"");
    let root = main_tf(&text);
    let RulePattern::Valid(pattern) = &root.items.rules[0].pattern else {
        panic!()
    };
    let span = pattern.branches().unwrap()[0]
        .matchers(BUCKET_PATH)
        .unwrap()[0]
        .span;
    assert_eq!(&text[span.range()], "\"data\"");
}

#[test]
fn conditionals_decide_only_on_known_conditions() {
    let known = bucket_pattern(
        "var.on ? \"a\" : \"b\"",
        r#"variable "on" { default = false }"#,
    );
    assert_eq!(matchers(&known, BUCKET_PATH), [exact(Text::lit("b"))]);
    let unknown = bucket_pattern("var.on ? \"a\" : \"b\"", r#"variable "on" { type = bool }"#);
    assert_eq!(matchers(&unknown, BUCKET_PATH), [MatcherKind::Unknown]);
    // Both branches alike: whatever the condition.
    let same = bucket_pattern("var.on ? \"a\" : \"a\"", r#"variable "on" { type = bool }"#);
    assert_eq!(matchers(&same, BUCKET_PATH), [exact(Text::lit("a"))]);
}

#[test]
fn try_catches_errors_but_not_unknowns() {
    let caught = bucket_pattern(
        "try(local.m.missing, \"fallback\")",
        r#"locals { m = { present = "p" } }"#,
    );
    assert_eq!(
        matchers(&caught, BUCKET_PATH),
        [exact(Text::lit("fallback"))]
    );
    let unknown = bucket_pattern(
        "try(var.m.missing, \"fallback\")",
        r#"variable "m" { type = map(string) }"#,
    );
    assert_eq!(matchers(&unknown, BUCKET_PATH), [MatcherKind::Unknown]);
}

#[test]
fn functions_compute_known_values() {
    let root = bucket_pattern(
        r#"format("%s-%s", lower(local.a), join("-", concat(["x"], [lookup(local.m, "k", "d")])))"#,
        r#"locals {
  a = "ENV"
  m = merge({ k = "one" }, { k = "two" })
}"#,
    );
    assert_eq!(
        matchers(&root, BUCKET_PATH),
        [exact(Text::lit("env-x-two"))]
    );
    let unknown_function = bucket_pattern("sha256(\"x\")", "");
    assert_eq!(
        matchers(&unknown_function, BUCKET_PATH),
        [MatcherKind::Unknown]
    );
}

#[test]
fn for_expressions_and_splats() {
    let root = main_tf(
        r#"
locals { names = ["a", "b", "c"] }
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = jsonencode({
    source = [for n in local.names : "aws.${n}" if n != "b"]
    detail = { bucket = aws_s3_bucket.b[*].bucket }
  })
}
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "bucket-${count.index}"
}
"#,
    );
    assert_eq!(
        matchers(&root, "source"),
        [exact(Text::lit("aws.a")), exact(Text::lit("aws.c"))]
    );
    assert_eq!(
        matchers(&root, "detail.bucket"),
        [exact(Text::lit("bucket-0")), exact(Text::lit("bucket-1"))]
    );
    let names: Vec<&str> = root.items.buckets.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["aws_s3_bucket.b[0]", "aws_s3_bucket.b[1]"]);
}

fn trails(root: &Root) -> Vec<&Trail> {
    root.items.trails.iter().collect()
}

#[test]
fn count_and_for_each_make_instances_when_known() {
    let root = main_tf(
        r#"
resource "aws_cloudtrail" "each" {
  for_each       = { eu = "eu-west-1", us = "us-east-1" }
  name           = each.key
  s3_bucket_name = "logs"
}
resource "aws_cloudtrail" "none" {
  count          = 0
  name           = "none"
  s3_bucket_name = "logs"
}
"#,
    );
    let names: Vec<&str> = trails(&root).iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["aws_cloudtrail.each[\"eu\"]", "aws_cloudtrail.each[\"us\"]"]
    );
    assert!(trails(&root).iter().all(|t| t.created == Some(true)));
}

#[test]
fn a_trail_behind_an_unknown_count_may_not_exist() {
    let root = main_tf(
        r#"
variable "enabled" { type = bool }
resource "aws_cloudtrail" "t" {
  count          = var.enabled ? 1 : 0
  name           = "t"
  s3_bucket_name = "logs"
}
"#,
    );
    let [trail] = trails(&root)[..] else { panic!() };
    assert_eq!(trail.created, None);
    assert_eq!(trail.name, "aws_cloudtrail.t");
}

#[test]
fn dynamic_blocks_expand_when_their_collection_is_known() {
    let trail = |selectors: &str| {
        main_tf(&format!(
            r#"
variable "selectors" {{ {selectors} }}
resource "aws_cloudtrail" "t" {{
  name           = "t"
  s3_bucket_name = "logs"
  dynamic "advanced_event_selector" {{
    for_each = var.selectors
    iterator = s
    content {{
      name = s.value
      field_selector {{
        field  = "eventCategory"
        equals = ["Data"]
      }}
    }}
  }}
}}
"#
        ))
    };
    let known = trail(r#"default = ["a", "b"]"#);
    match &trails(&known)[0].selectors {
        Selectors::Advanced(selectors) => {
            let names: Vec<_> = selectors.iter().map(|s| s.name.clone()).collect();
            assert_eq!(names, [Some("a".to_owned()), Some("b".to_owned())]);
        }
        other => panic!("{other:?}"),
    }
    let none = trail("default = []");
    assert!(matches!(trails(&none)[0].selectors, Selectors::Default));
    let unknown = trail("type = list(string)");
    assert!(matches!(trails(&unknown)[0].selectors, Selectors::Unknown));
}

#[test]
fn local_modules_are_followed_with_their_inputs() {
    let roots = folders(&[
        (
            "live/main.tf",
            r#"
module "events" {
  source = "../modules/events"
  bucket = "from-caller"
}
module "remote" {
  source = "terraform-aws-modules/eventbridge/aws"
}
"#,
        ),
        (
            "modules/events/main.tf",
            &PATTERN_OF_BUCKET.replace("BUCKET", "var.bucket"),
        ),
        ("modules/events/variables.tf", r#"variable "bucket" {}"#),
    ])
    .read();
    // The module's folder is no root of its own.
    assert_eq!(roots.len(), 1);
    assert_eq!(
        roots[0].items.rules[0].name,
        "module.events.aws_cloudwatch_event_rule.r"
    );
    assert_eq!(
        matchers(&roots[0], BUCKET_PATH),
        [exact(Text::lit("from-caller"))]
    );
}

#[test]
fn a_module_that_calls_itself_ends() {
    let roots = folders(&[
        ("live/main.tf", r#"module "loop" { source = "../loop" }"#),
        (
            "loop/main.tf",
            r#"module "again" { source = "../loop" }
resource "aws_cloudwatch_event_rule" "r" { schedule_expression = "rate(1 hour)" }"#,
        ),
    ])
    .read();
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].items.rules.len(), 1);
}

#[test]
fn regions_come_from_the_provider_the_resource_uses() {
    let root = main_tf(
        r#"
provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}
variable "region" { type = string }
provider "aws" {
  alias  = "unknown"
  region = var.region
}
resource "aws_cloudwatch_event_rule" "home" { schedule_expression = "rate(1 hour)" }
resource "aws_cloudwatch_event_rule" "eu" {
  provider            = aws.eu
  schedule_expression = "rate(1 hour)"
}
resource "aws_cloudwatch_event_rule" "elsewhere" {
  provider            = aws.unknown
  schedule_expression = "rate(1 hour)"
}
"#,
    );
    let regions: Vec<Option<&str>> = root
        .items
        .rules
        .iter()
        .map(|r| r.region.as_deref())
        .collect();
    assert_eq!(regions, [Some("us-east-1"), Some("eu-west-1"), None]);
}

#[test]
fn rule_buses_and_names() {
    let root = main_tf(
        r#"
resource "aws_cloudwatch_event_bus" "app" { name = "app" }
resource "aws_cloudwatch_event_rule" "r" {
  event_bus_name      = aws_cloudwatch_event_bus.app.name
  schedule_expression = "rate(1 hour)"
}
"#,
    );
    let rule = &root.items.rules[0];
    assert_eq!(rule.bus, Bus::from_name(&Text::lit("app")));
    assert_eq!(
        rule.aws_name,
        Text::sym(Symbol::Generated(
            "/virtual#aws_cloudwatch_event_rule.r".into()
        ))
    );
}

#[test]
fn hostile_configurations_end_in_unknowns() {
    // A cycle of locals.
    let cycle = bucket_pattern("local.a", "locals {\n a = local.b\n b = local.a\n}");
    assert_eq!(matchers(&cycle, BUCKET_PATH), [MatcherKind::Unknown]);
    // A chain of references far deeper than evaluation goes.
    let mut locals = String::from("locals {\n");
    for i in 0..2_000 {
        locals.push_str(&format!("  l{i} = local.l{}\n", i + 1));
    }
    locals.push_str("  l2000 = \"end\"\n}\n");
    let deep = bucket_pattern("local.l0", &locals);
    assert_eq!(matchers(&deep, BUCKET_PATH), [MatcherKind::Unknown]);
    // Values that double at every step.
    let mut doubling = String::from("locals {\n  d0 = [\"x\"]\n");
    for i in 1..64 {
        doubling.push_str(&format!(
            "  d{i} = concat(local.d{}, local.d{})\n",
            i - 1,
            i - 1
        ));
    }
    doubling.push_str("}\n");
    let big = bucket_pattern("local.d63[0]", &doubling);
    assert_eq!(matchers(&big, BUCKET_PATH), [MatcherKind::Unknown]);
    // A huge range.
    let range = bucket_pattern("[for i in range(100000000) : \"x\"][0]", "");
    assert_eq!(matchers(&range, BUCKET_PATH), [MatcherKind::Unknown]);
}

#[test]
fn files_outside_the_scanned_folders_are_not_read() {
    let root = bucket_pattern("file(\"/etc/hostname\")", "");
    assert_eq!(matchers(&root, BUCKET_PATH), [MatcherKind::Unknown]);
}

#[test]
fn heredoc_patterns_with_interpolations() {
    let root = main_tf(
        r#"
resource "aws_s3_bucket" "b" { bucket = "named" }
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = <<EOF
{"source": ["aws.s3"], "detail": {"requestParameters": {"bucketName": ["${aws_s3_bucket.b.id}"]}}}
EOF
}
"#,
    );
    assert_eq!(matchers(&root, BUCKET_PATH), [exact(Text::lit("named"))]);
    // An interpolation outside a JSON string: the pattern is decided at apply.
    let number = main_tf(
        r#"
variable "n" { type = number }
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = <<EOF
{"source": ["aws.s3"], "detail": {"size": [${var.n}]}}
EOF
}
"#,
    );
    assert!(matches!(
        number.items.rules[0].pattern,
        RulePattern::Unknown
    ));
}

#[test]
fn a_partly_unknown_pattern_is_never_invalid() {
    let root = bucket_pattern("var.b", r#"variable "b" { type = list(string) }"#);
    assert!(matches!(root.items.rules[0].pattern, RulePattern::Valid(_)));
    // A whole field unknown where an object or array must be: not proven invalid.
    let field = main_tf(
        r#"
variable "source" { type = list(string) }
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = jsonencode({ source = var.source, detail = { x = ["y"] } })
}
"#,
    );
    assert!(
        !matches!(field.items.rules[0].pattern, RulePattern::Invalid(_)),
        "{:?}",
        field.items.rules[0].pattern
    );
    let invalid = main_tf(
        r#"
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = jsonencode({ source = "aws.s3" })
}
"#,
    );
    assert!(matches!(
        invalid.items.rules[0].pattern,
        RulePattern::Invalid(_)
    ));
}

#[test]
fn json_syntax_reads_as_native_syntax() {
    let json = r#"{"variable": {"b": {"default": "json"}},
      "resource": {"aws_cloudwatch_event_rule": {"r": {
        "event_pattern": "${jsonencode({source = [\"aws.s3\"], detail = {requestParameters = {bucketName = [var.b]}}})}"}}}}"#;
    let root = root(&[("main.tf.json", json)]);
    assert_eq!(matchers(&root, BUCKET_PATH), [exact(Text::lit("json"))]);
    let loc = root.items.rules[0].loc;
    assert!(
        json[loc.span.range()].starts_with("\"${jsonencode"),
        "{:?}",
        loc
    );
}

#[test]
fn policy_documents_become_policy_json() {
    let root = bucket_pattern(
        "data.aws_iam_policy_document.p.json",
        r#"
data "aws_iam_policy_document" "p" {
  statement {
    actions = ["sqs:SendMessage"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}
"#,
    );
    let [MatcherKind::Exact(Literal::String(text))] = &matchers(&root, BUCKET_PATH)[..] else {
        panic!()
    };
    let policy: serde_json::Value =
        serde_json::from_str(text.as_lit().expect("literal")).expect("JSON");
    assert_eq!(
        policy["Statement"][0]["Principal"]["Service"][0],
        "events.amazonaws.com"
    );
    assert_eq!(policy["Statement"][0]["Effect"], "Allow");
}

#[test]
fn optional_attributes_left_out_take_their_default_or_null() {
    let root = bucket_pattern(
        "coalesce(var.s.bucket, var.s.fallback)",
        r#"
variable "s" {
  type = object({
    bucket   = optional(string)
    fallback = optional(string, "from-default")
  })
  default = {}
}
"#,
    );
    assert_eq!(
        matchers(&root, BUCKET_PATH),
        [exact(Text::lit("from-default"))]
    );
}

#[test]
fn a_yaml_pattern_is_no_json_pattern() {
    let root = main_tf(
        r#"
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = yamlencode({ source = ["aws.s3"] })
}
"#,
    );
    assert!(
        matches!(root.items.rules[0].pattern, RulePattern::Invalid(_)),
        "{:?}",
        root.items.rules[0].pattern
    );
    // Not known: not judged.
    let unknown = main_tf(
        r#"
variable "sources" { type = list(string) }
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = yamlencode({ source = var.sources })
}
"#,
    );
    assert!(matches!(
        unknown.items.rules[0].pattern,
        RulePattern::Unknown
    ));
}

#[test]
fn a_count_terraform_rejects_or_too_many_instances_leaves_the_instances_unknown() {
    let trail = |count: &str| {
        let root = main_tf(&format!(
            "resource \"aws_cloudtrail\" \"t\" {{\n  count = {count}\n  name = \"t\"\n  s3_bucket_name = \"l\"\n}}\n"
        ));
        root.items
            .trails
            .iter()
            .map(|t| (t.name.clone(), t.created))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        trail("2"),
        [
            ("aws_cloudtrail.t[0]".to_owned(), Some(true)),
            ("aws_cloudtrail.t[1]".to_owned(), Some(true))
        ]
    );
    for undecided in ["-1", "1.5", "1001", "\"many\""] {
        assert_eq!(
            trail(undecided),
            [("aws_cloudtrail.t".to_owned(), None)],
            "count = {undecided}"
        );
    }
    assert_eq!(trail("1000").len(), 1000);
    let each = |n: usize| {
        let keys: Vec<String> = (0..n).map(|i| format!("\"k{i}\"")).collect();
        main_tf(&format!(
            "resource \"aws_cloudtrail\" \"t\" {{\n  for_each = toset([{}])\n  name = each.key\n  s3_bucket_name = \"l\"\n}}\n",
            keys.join(", ")
        ))
        .items
        .trails
        .len()
    };
    assert_eq!(each(1000), 1000);
    assert_eq!(each(1001), 1, "read once, its instances unknown");
}

#[test]
fn module_outputs_by_name_and_by_instance() {
    let roots = folders(&[
        (
            "live/main.tf",
            &format!(
                "{}\n{}",
                r#"
module "a" {
  source = "../m"
  name   = "from-a"
}
module "b" {
  source = "../m"
  name   = "from-b"
}
module "each" {
  source   = "../m"
  for_each = { x = "from-x", y = "from-y" }
  name     = each.value
}
module "counted" {
  source = "../m"
  count  = 2
  name   = "from-${count.index}"
}
"#,
                r#"
resource "aws_cloudwatch_event_rule" "r" {
  event_pattern = jsonencode({
    source = [module.b.name, module.each["y"].name, module.counted[1].name]
  })
}
"#
            ),
        ),
        (
            "m/main.tf",
            "variable \"name\" {}\noutput \"name\" {\n  value = var.name\n}\n",
        ),
    ])
    .read();
    assert_eq!(
        matchers(&roots[0], "source"),
        [
            exact(Text::lit("from-b")),
            exact(Text::lit("from-y")),
            exact(Text::lit("from-1"))
        ]
    );
}

#[test]
fn the_region_and_partition_data_sources_are_the_provider_s() {
    let root = bucket_pattern(
        "\"${data.aws_partition.p.partition}:${data.aws_region.r.name}\"",
        r#"
provider "aws" { region = "cn-north-1" }
data "aws_partition" "p" {}
data "aws_region" "r" {}
"#,
    );
    assert_eq!(
        matchers(&root, BUCKET_PATH),
        [exact(Text::lit("aws-cn:cn-north-1"))]
    );
    // Without a region, the deployment's own.
    let root = bucket_pattern(
        "\"${data.aws_partition.p.partition}:${data.aws_region.r.name}\"",
        "data \"aws_partition\" \"p\" {}\ndata \"aws_region\" \"r\" {}\n",
    );
    let mut text = Text::pseudo(Pseudo::Partition);
    text.push_str(":");
    text.append(&Text::pseudo(Pseudo::Region));
    assert_eq!(matchers(&root, BUCKET_PATH), [exact(text)]);
}

#[test]
fn nested_optional_attributes_and_collections_of_objects() {
    let root = bucket_pattern(
        r#"join(",", [var.o.inner.x, var.o["quoted"], var.o.defaulted.y, var.l[0].a, var.m.k.a, var.n.items[0].a])"#,
        r#"
variable "o" {
  type = object({
    inner     = optional(object({ x = optional(string, "inner-x") }))
    "quoted"  = optional(string, "quoted")
    defaulted = optional(object({ y = optional(string, "default-y") }), {})
  })
  default = { inner = {} }
}
variable "l" {
  type    = list(object({ a = optional(string, "list-a") }))
  default = [{}]
}
variable "n" {
  type    = object({ items = list(object({ a = optional(string, "nested-a") })) })
  default = { items = [{}] }
}
variable "m" {
  type    = map(object({ a = optional(string, "map-a") }))
  default = { k = {} }
}
"#,
    );
    assert_eq!(
        matchers(&root, BUCKET_PATH),
        [exact(Text::lit(
            "inner-x,quoted,default-y,list-a,map-a,nested-a"
        ))]
    );
}

#[test]
fn blocks_and_names_terraform_fills_in() {
    let root = main_tf(
        r#"
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "l"
}
resource "aws_cloudwatch_event_rule" "named" {
  name                = "named"
  schedule_expression = "rate(1 hour)"
}
"#,
    );
    assert!(matches!(root.items.trails[0].selectors, Selectors::Default));
    assert_eq!(root.items.rules[0].aws_name, Text::lit("named"));
    // A dynamic block over more instances than are expanded: unknown selectors.
    let many = main_tf(
        r#"
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "l"
  dynamic "event_selector" {
    for_each = range(1001)
    content {
      read_write_type = "All"
    }
  }
}
"#,
    );
    assert!(matches!(many.items.trails[0].selectors, Selectors::Unknown));
}

#[test]
fn arns_terraform_derives_from_arguments() {
    let root = main_tf(
        r#"
provider "aws" { region = "us-east-1" }
resource "aws_cloudwatch_event_rule" "r" {
  name                = "r"
  schedule_expression = "rate(1 hour)"
}
resource "aws_cloudwatch_event_rule" "on_bus" {
  name                = "b"
  event_bus_name      = "orders"
  schedule_expression = "rate(1 hour)"
}
resource "aws_cloudwatch_event_rule" "default_bus" {
  name                = "d"
  event_bus_name      = "default"
  schedule_expression = "rate(1 hour)"
}
resource "aws_cloudwatch_event_bus" "bus" { name = "orders" }
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "l"
}
resource "aws_sns_topic" "s" { name = "s" }
resource "aws_sqs_queue" "q" { name = "q" }
resource "aws_lambda_function" "f" { function_name = "f" }
resource "aws_sfn_state_machine" "m" { name = "m" }
resource "aws_kinesis_stream" "k" { name = "k" }
resource "aws_cloudwatch_log_group" "g" { name = "g" }
resource "aws_iam_role" "plain" { name = "plain" }
resource "aws_iam_role" "pathed" {
  name = "pathed"
  path = "/service/"
}
resource "aws_s3_bucket" "b" { bucket = "b" }
resource "aws_cloudwatch_event_rule" "p" {
  event_pattern = jsonencode({
    source = [
      aws_cloudwatch_event_rule.r.arn,
      aws_cloudwatch_event_rule.on_bus.arn,
      aws_cloudwatch_event_rule.default_bus.arn,
      aws_cloudwatch_event_bus.bus.arn,
      aws_cloudtrail.t.arn,
      aws_sns_topic.s.arn,
      aws_sns_topic.s.id,
      aws_sqs_queue.q.arn,
      aws_lambda_function.f.arn,
      aws_sfn_state_machine.m.arn,
      aws_kinesis_stream.k.arn,
      aws_cloudwatch_log_group.g.arn,
      aws_iam_role.plain.arn,
      aws_iam_role.pathed.arn,
      aws_s3_bucket.b.arn,
    ]
  })
}
"#,
    );
    let arn = |service: &str, resource: &str| {
        let mut text = Text::lit(format!("arn:aws:{service}:us-east-1:"));
        text.append(&Text::pseudo(Pseudo::AccountId));
        text.push_str(&format!(":{resource}"));
        exact(text)
    };
    let global = |resource: &str| {
        let mut text = Text::lit("arn:aws:iam::");
        text.append(&Text::pseudo(Pseudo::AccountId));
        text.push_str(&format!(":{resource}"));
        exact(text)
    };
    let rule = root
        .items
        .rules
        .iter()
        .position(|r| r.name == "aws_cloudwatch_event_rule.p")
        .expect("the rule");
    let RulePattern::Valid(pattern) = &root.items.rules[rule].pattern else {
        panic!()
    };
    let branches = pattern.branches().unwrap();
    let found: Vec<MatcherKind> = branches[0]
        .matchers("source")
        .unwrap()
        .iter()
        .map(|m| m.kind.clone())
        .collect();
    assert_eq!(
        found,
        [
            arn("events", "rule/r"),
            arn("events", "rule/orders/b"),
            arn("events", "rule/d"),
            arn("events", "event-bus/orders"),
            arn("cloudtrail", "trail/t"),
            arn("sns", "s"),
            arn("sns", "s"),
            arn("sqs", "q"),
            arn("lambda", "function:f"),
            arn("states", "stateMachine:m"),
            arn("kinesis", "stream/k"),
            arn("logs", "log-group:g"),
            global("role/plain"),
            global("role/service/pathed"),
            exact(Text::lit("arn:aws:s3:::b")),
        ]
    );
}

#[test]
fn names_written_null_are_generated_and_required_ones_unknown() {
    let resources = r#"
resource "aws_sns_topic" "t" { name = null }
resource "aws_cloudwatch_event_bus" "b" {}
"#;
    let topic = bucket_pattern("aws_sns_topic.t.name", resources);
    assert_eq!(
        matchers(&topic, BUCKET_PATH),
        [exact(Text::sym(Symbol::Generated(
            "/virtual#aws_sns_topic.t".into()
        )))]
    );
    let bus = bucket_pattern("aws_cloudwatch_event_bus.b.name", resources);
    assert_eq!(matchers(&bus, BUCKET_PATH), [exact(Text::unknown())]);
}

/// Targets name functions, aliases, queues and keys by the identities Terraform derives, and
/// policies find them by the same texts.
#[test]
fn target_side_identities_meet() {
    let root = main_tf(
        r#"
provider "aws" { region = "eu-west-1" }
resource "aws_cloudwatch_event_rule" "r" {
  name                = "orders"
  schedule_expression = "rate(1 hour)"
}
resource "aws_lambda_function" "f" { function_name = "process" }
resource "aws_lambda_alias" "live" {
  name          = "live"
  function_name = aws_lambda_function.f.function_name
}
resource "aws_sqs_queue" "q" {}
resource "aws_kms_key" "k" {}
resource "aws_sns_topic" "t" { kms_master_key_id = aws_kms_key.k.arn }
resource "aws_cloudwatch_event_target" "alias" {
  rule = aws_cloudwatch_event_rule.r.name
  arn  = aws_lambda_alias.live.arn
}
resource "aws_sqs_queue_policy" "q" {
  queue_url = aws_sqs_queue.q.id
  policy    = "{}"
}
resource "aws_lambda_permission" "p" {
  function_name = aws_lambda_function.f.function_name
  qualifier     = aws_lambda_alias.live.name
  action        = "lambda:InvokeFunction"
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.r.arn
}
"#,
    );
    let items = &root.items;
    assert_eq!(
        items.rules[0].arn,
        Text::concat([
            Text::lit("arn:aws:events:eu-west-1:"),
            Text::pseudo(Pseudo::AccountId),
            Text::lit(":rule/orders")
        ])
    );
    let alias = Text::concat([
        Text::lit("arn:aws:lambda:eu-west-1:"),
        Text::pseudo(Pseudo::AccountId),
        Text::lit(":function:process:live"),
    ]);
    assert_eq!(items.targets[0].arn, alias);
    let receiver = |name: &str| {
        items
            .receivers
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", items.receivers))
    };
    assert_eq!(receiver("aws_lambda_alias.live").arn, alias);
    // The permission is on the qualified function, the queue policy on the queue's URL.
    let permission = items
        .grants
        .iter()
        .find(|g| g.name == "aws_lambda_permission.p");
    assert_eq!(permission.map(|g| g.on.clone()), Some(vec![alias]));
    let queue = receiver("aws_sqs_queue.q");
    let policy = items
        .grants
        .iter()
        .find(|g| g.name == "aws_sqs_queue_policy.q");
    assert_eq!(policy.map(|g| g.on.clone()), Some(queue.aliases.clone()));
    // A key's ID is assigned at apply: a symbol of its own, in its ARN too.
    let topic = receiver("aws_sns_topic.t");
    let key = &items.keys[0];
    assert!(
        key.names
            .contains(&topic.key.written().expect("a key").text)
    );
    assert!(!topic.key.written().expect("a key").text.is_unknown());
}
