//! Pairing rules with trails through the index (`analysis::analyse`) gives exactly the verdicts
//! of comparing every candidate with every trail (`analysis::analyse_exhaustively`): the index
//! may only change how long a verdict takes. Checked on every case of `testdata/cases`, on a
//! generated repository of many trails (delivered, undelivered, conditioned and switched-off
//! ones), and, when it is checked out, on the public corpus as one deployment (under `CI=true`
//! a missing corpus fails).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use trailcheck::analysis;
use trailcheck::ingest;

fn same_verdicts(roots: &[PathBuf], options: &ingest::Options) {
    let run = trailcheck::check(roots, &[], options);
    let indexed = format!("{:#?}", analysis::analyse(&run.deployment));
    let exhaustive = format!("{:#?}", analysis::analyse_exhaustively(&run.deployment));
    if indexed != exhaustive {
        let diff = similar::TextDiff::from_lines(&exhaustive, &indexed);
        panic!(
            "the index changed verdicts for {roots:?}:\n{}",
            diff.unified_diff().context_radius(8)
        );
    }
}

#[test]
fn every_case_gets_the_same_verdicts() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases");
    let mut checked = 0;
    for entry in fs::read_dir(&cases).expect("testdata/cases") {
        let input = entry.expect("an entry").path().join("input");
        if input.is_dir() {
            same_verdicts(&[input], &ingest::Options::default());
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} cases");
}

/// Services each with a trail and rules: trails naming their own buckets or other ones,
/// trails for all buckets, management-only ones, advanced selectors with prefixes or leaving
/// resources out by name (`NotStartsWith`, `NotEquals`), switched off, single-region or under
/// a condition, and a bucket whose name is generated, which some trails mention. With `exact_names`, every prefix ends at a `/`, so
/// that a bucket no trail names shares its verdict with every other such bucket (the `Archive`
/// rule's); without, one prefix ends inside a name.
fn service(i: usize, exact_names: bool, mentions: bool) -> String {
    let prefix = if exact_names {
        format!("arn:aws:s3:::svc-{i}-data/")
    } else {
        format!("arn:aws:s3:::svc-{i}")
    };
    let selected = match i % 5 {
        0 | 1 => format!("arn:aws:s3:::svc-{i}-data/"),
        2 => format!("arn:aws:s3:::svc-{}-data/", i + 1),
        3 => "arn:aws:s3:::".to_owned(),
        _ => format!("arn:aws:s3:::svc-{}-data/logs/", i + 2),
    };
    // With `mentions`, some trails mention the generated name of their service's scratch
    // bucket, as a prefix or whole: the others treat every generated name alike.
    let (scratch_prefix, scratch_whole) = if mentions && i.is_multiple_of(2) {
        (
            r#", !Sub "arn:aws:s3:::${Scratch}""#,
            r#", !Sub "arn:aws:s3:::${Scratch}/""#,
        )
    } else {
        ("", "")
    };
    let trail = match i % 7 {
        0 => format!(
            r#"
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {{Field: eventCategory, Equals: [Data]}}
            - {{Field: resources.type, Equals: ["AWS::S3::Object"]}}
            - {{Field: resources.ARN, StartsWith: ["{prefix}"{scratch_prefix}]}}
            - {{Field: readOnly, Equals: ["{}"]}}"#,
            i.is_multiple_of(2)
        ),
        1 => format!(
            r#"
  Trail:
    Type: AWS::CloudTrail::Trail
    Condition: InProduction
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: logs
      EventSelectors:
        - DataResources: [{{Type: AWS::S3::Object, Values: ["arn:aws:s3:::svc-{i}-data/"]}}]"#
        ),
        2 => r#"
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: false
      S3BucketName: logs"#
            .to_owned(),
        // Reads of every bucket but the service's own, and the functions whose names start with
        // the service's function's name but that one, left out by name.
        3 => format!(
            r#"
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: logs
      AdvancedEventSelectors:
        - FieldSelectors:
            - {{Field: eventCategory, Equals: [Management]}}
        - FieldSelectors:
            - {{Field: eventCategory, Equals: [Data]}}
            - {{Field: resources.type, Equals: ["AWS::S3::Object"]}}
            - {{Field: resources.ARN, NotStartsWith: ["{prefix}"]}}
            - {{Field: readOnly, Equals: ["true"]}}
        - FieldSelectors:
            - {{Field: eventCategory, Equals: [Data]}}
            - {{Field: resources.type, Equals: ["AWS::Lambda::Function"]}}
            - Field: resources.ARN
              StartsWith: [!Sub "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:fn-{i}"]
              NotEquals: [!Sub "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:fn-{i}"]"#
        ),
        _ => format!(
            r#"
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: {}
      S3BucketName: logs
      EventSelectors:
        - ReadWriteType: {}
          IncludeManagementEvents: {}
          DataResources: [{{Type: AWS::S3::Object, Values: ["{selected}"{scratch_whole}]}}]"#,
            !i.is_multiple_of(3),
            // A trail for all buckets logs reads only: writes are left to the named ones.
            if i % 5 == 3 {
                "ReadOnly"
            } else {
                ["All", "WriteOnly", "ReadOnly"][i % 3]
            },
            !i.is_multiple_of(4)
        ),
    };
    format!(
        r#"Parameters:
  Stage: {{Type: String, AllowedValues: [dev, prod]}}
Conditions:
  InProduction: !Equals [!Ref Stage, prod]
Resources:{trail}
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {{BucketName: svc-{i}-data}}
  Scratch:
    Type: AWS::S3::Bucket
  ScratchWrites:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [PutObject]
          requestParameters: {{bucketName: [!Ref Scratch]}}
  Reads:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [GetObject]
          requestParameters: {{bucketName: [svc-{i}-data]}}
  Writes:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [PutObject]
          requestParameters: {{bucketName: [svc-{}-data], key: [{{prefix: uploads/}}]}}
  Archive:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [s3.amazonaws.com]
          eventName: [DeleteObject, GetObject]
          requestParameters: {{bucketName: [svc-{i}-archive]}}
  Invocations:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.lambda]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [lambda.amazonaws.com]
          eventName: [Invoke]
          requestParameters: {{functionName: [fn-{i}]}}
  Management:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.iam]
        detail-type: [AWS API Call via CloudTrail]
        detail:
          eventSource: [iam.amazonaws.com]
          eventName: [CreateUser, ListUsers]
"#,
        (i + 2) % 60
    )
}

#[test]
fn a_repository_of_many_trails_gets_the_same_verdicts() {
    many_trails(false, false);
}

#[test]
fn a_repository_whose_trails_name_whole_buckets_gets_the_same_verdicts() {
    many_trails(true, false);
}

/// Prefixes that end inside a name make every generated name undecided; with whole names,
/// the trails that mention a generated name deliver it (or leave its reads out) unlike the
/// others.
#[test]
fn a_repository_whose_trails_mention_generated_names_gets_the_same_verdicts() {
    many_trails(true, true);
}

fn many_trails(exact_names: bool, mentions: bool) {
    let dir = std::env::temp_dir().join(format!(
        "trailcheck-pairing-{}-{exact_names}-{mentions}",
        std::process::id()
    ));
    fs::create_dir_all(&dir).expect("a scratch folder");
    for i in 0..60 {
        let text = service(i, exact_names, mentions);
        fs::write(dir.join(format!("service-{i:02}.yaml")), text).expect("scratch");
    }
    // With one region, single-region trails cover the rules: verdicts are decided.
    let options = ingest::Options {
        cfn_region: Some("eu-west-1".to_owned()),
        ..ingest::Options::default()
    };
    same_verdicts(std::slice::from_ref(&dir), &options);
    let run = trailcheck::check(std::slice::from_ref(&dir), &[], &options);
    let _ = fs::remove_dir_all(&dir);
    // The repository exercises both paths: delivered rules and every kind of miss.
    assert_eq!(run.summary.trails, 60);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    let fired: std::collections::BTreeSet<&str> = run.findings.iter().map(|f| f.rule.id).collect();
    for rule in ["TC103", "TC104"] {
        assert!(fired.contains(rule), "no {rule} among {fired:?}");
    }
}

#[test]
fn the_corpus_gets_the_same_verdicts() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    same_verdicts(&[corpus], &ingest::Options::default());
}

/// Every repository shape the benchmark times (`tests/common/shapes.rs`), small: alone, with a
/// region, and all of them in one deployment, where the same bucket, function and table names
/// meet trails of every kind.
#[test]
fn every_repository_shape_gets_the_same_verdicts() {
    let root =
        std::env::temp_dir().join(format!("trailcheck-pairing-shapes-{}", std::process::id()));
    let mut dirs = Vec::new();
    for shape in common::shapes::Shape::ALL {
        let dir = root.join(format!("{shape:?}"));
        common::shapes::write(&dir, shape, 24);
        same_verdicts(std::slice::from_ref(&dir), &ingest::Options::default());
        let regional = ingest::Options {
            cfn_region: Some("eu-west-1".to_owned()),
            ..ingest::Options::default()
        };
        same_verdicts(std::slice::from_ref(&dir), &regional);
        dirs.push(dir);
    }
    same_verdicts(&dirs, &ingest::Options::default());
    let _ = fs::remove_dir_all(&root);
}
