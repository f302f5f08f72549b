//! Generated repositories in the shapes that scaling must not punish (SPEC §9): stacks of
//! seven rules each (S3, Lambda and DynamoDB data events, management events, S3
//! notifications), with their trails in other files, paired in different ways. The benchmark
//! times them at several sizes; `tests/pairing.rs` holds the trail index to trying every
//! trail on small ones.

#![allow(dead_code)] // each user takes the shapes it needs

use std::fs;
use std::path::Path;

/// How a repository's trails pair with its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A trail per stack that selects the stack's bucket, function and table: every rule's
    /// events arrive.
    TrailPerStack,
    /// A trail per stack that names the stack's resources but logs reads only: the writes
    /// never arrive.
    ReadsOnly,
    /// A trail per stack with advanced selectors on ARN prefixes that end inside the names.
    Prefixes,
    /// One organisation trail for every bucket, function and table.
    OrganisationTrail,
    /// No trail at all.
    NoTrail,
    /// A trail per stack selecting another stack's resources, and every rule suppressing
    /// what it finds in its own metadata: thousands of findings, all suppressed.
    Suppressed,
    /// A trail per stack, and a scheduled rule per stack invoking the stack's function, which
    /// a Lambda permission of its own lets it.
    Permissions,
    /// The same, but every permission names its function by a parameter and every stack
    /// hands out its names: each permission may be on any function.
    UnreadPermissions,
}

impl Shape {
    pub const ALL: [Shape; 8] = [
        Shape::TrailPerStack,
        Shape::ReadsOnly,
        Shape::Prefixes,
        Shape::OrganisationTrail,
        Shape::NoTrail,
        Shape::Suppressed,
        Shape::Permissions,
        Shape::UnreadPermissions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::TrailPerStack => "trail per stack, all delivered",
            Shape::ReadsOnly => "trail names the resources, logs reads only",
            Shape::Prefixes => "trail per stack, StartsWith prefixes",
            Shape::OrganisationTrail => "one organisation trail",
            Shape::NoTrail => "no trail anywhere",
            Shape::Suppressed => "findings everywhere, all suppressed",
            Shape::Permissions => "a permission per function target",
            Shape::UnreadPermissions => "permissions on functions by parameter",
        }
    }
}

/// Writes `stacks` stacks of `shape` under `dir` (created), each in `stacks/`, its trail in
/// `trails/`.
pub fn write(dir: &Path, shape: Shape, stacks: usize) {
    fs::create_dir_all(dir.join("stacks")).expect("scratch");
    fs::create_dir_all(dir.join("trails")).expect("scratch");
    for i in 0..stacks {
        let path = dir.join(format!("stacks/stack-{i:05}.yaml"));
        let mut text = stack(i, shape == Shape::Suppressed);
        text.push_str(&function_target(shape));
        fs::write(path, text).expect("scratch");
        if let Some(trail) = trail(shape, i, stacks) {
            let path = dir.join(format!("trails/trail-{i:05}.yaml"));
            fs::write(path, trail).expect("scratch");
        }
    }
}

fn stack(i: usize, suppressed: bool) -> String {
    let metadata = if suppressed {
        "\n    Metadata:\n      trailcheck:\n        ignore: [TC103, TC104, TC105]\n        reason: generated"
    } else {
        ""
    };
    let rule = |name: &str, pattern: &str| {
        format!(
            "  {name}:\n    Type: AWS::Events::Rule{metadata}\n    Properties:\n      EventPattern:\n{pattern}\n      Targets:\n        - {{Id: queue, Arn: !GetAtt Queue.Arn}}\n"
        )
    };
    let api = |source: &str, names: &str, filter: &str| {
        format!(
            "        source: [aws.{source}]\n        detail-type: [AWS API Call via CloudTrail]\n        detail:\n          eventSource: [{source}.amazonaws.com]\n          eventName: [{names}]{filter}"
        )
    };
    let mut out = format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: Stack {i}\nResources:\n  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: svc-{i}-data\n      NotificationConfiguration:\n        EventBridgeConfiguration:\n          EventBridgeEnabled: true\n  Scratch:\n    Type: AWS::S3::Bucket\n  Queue:\n    Type: AWS::SQS::Queue\n  QueuePolicy:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      Queues: [!Ref Queue]\n      PolicyDocument:\n        Statement:\n          - {{Effect: Allow, Principal: {{Service: events.amazonaws.com}}, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}}\n"
    );
    out.push_str(&rule(
        "Reads",
        &api(
            "s3",
            "GetObject",
            &format!("\n          requestParameters:\n            bucketName: [svc-{i}-data]"),
        ),
    ));
    out.push_str(&rule(
        "Writes",
        &api(
            "s3",
            "PutObject, DeleteObject",
            &format!("\n          requestParameters:\n            bucketName: [svc-{i}-data]"),
        ),
    ));
    out.push_str(&rule(
        "Invocations",
        &api(
            "lambda",
            "Invoke",
            &format!("\n          requestParameters:\n            functionName: [fn-{i}]"),
        ),
    ));
    out.push_str(&rule(
        "Items",
        &api(
            "dynamodb",
            "PutItem, GetItem",
            &format!("\n          requestParameters:\n            tableName: [table-{i}]"),
        ),
    ));
    out.push_str(&rule(
        "Secrets",
        &api("secretsmanager", "DeleteSecret, PutSecretValue", ""),
    ));
    // A bucket whose name the deployment generates: equal to no name a trail writes, but it
    // may begin like any.
    out.push_str(&rule(
        "ScratchReads",
        &api(
            "s3",
            "GetObject",
            "\n          requestParameters:\n            bucketName: [!Ref Scratch]",
        ),
    ));
    out.push_str(&rule(
        "Uploads",
        &format!(
            "        source: [aws.s3]\n        detail-type: [Object Created]\n        detail:\n          bucket:\n            name: [svc-{i}-data]"
        ),
    ));
    out
}

/// A scheduled rule invoking the stack's function, and the permission that lets it, for the
/// target-side shapes.
fn function_target(shape: Shape) -> String {
    let function = match shape {
        Shape::Permissions => "!Ref Handler",
        Shape::UnreadPermissions => "!Ref HandlerName",
        _ => return String::new(),
    };
    let mut out = format!(
        "  Handler:\n    Type: AWS::Lambda::Function\n  Nightly:\n    Type: AWS::Events::Rule\n    Properties:\n      ScheduleExpression: rate(1 day)\n      Targets:\n        - {{Id: handler, Arn: !GetAtt Handler.Arn}}\n  Invoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: {function}\n      Action: lambda:InvokeFunction\n      Principal: events.amazonaws.com\n      SourceArn: !GetAtt Nightly.Arn\n"
    );
    if shape == Shape::UnreadPermissions {
        out.push_str(
            "Parameters:\n  HandlerName: {Type: String}\nOutputs:\n  Handler: {Value: !Ref Handler}\n",
        );
    }
    out
}

fn trail(shape: Shape, i: usize, stacks: usize) -> Option<String> {
    let head = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      IsMultiRegionTrail: true\n      S3BucketName: audit-logs\n";
    let function = |j: usize| {
        format!(
            "!Sub \"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:fn-{j}\""
        )
    };
    let table = |j: usize| {
        format!(
            "!Sub \"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/table-{j}\""
        )
    };
    let basic = |j: usize, read_write: &str| {
        format!(
            "{head}      EventSelectors:\n        - ReadWriteType: {read_write}\n          IncludeManagementEvents: true\n          DataResources:\n            - Type: AWS::S3::Object\n              Values: [\"arn:aws:s3:::svc-{j}-data/\"]\n            - Type: AWS::Lambda::Function\n              Values: [{}]\n            - Type: AWS::DynamoDB::Table\n              Values: [{}]\n",
            function(j),
            table(j)
        )
    };
    Some(match shape {
        Shape::TrailPerStack | Shape::Permissions | Shape::UnreadPermissions => basic(i, "All"),
        Shape::ReadsOnly => basic(i, "ReadOnly"),
        Shape::Suppressed => basic((i + 1) % stacks, "All"),
        Shape::Prefixes => format!(
            "{head}      AdvancedEventSelectors:\n        - FieldSelectors:\n            - {{Field: eventCategory, Equals: [Management]}}\n        - FieldSelectors:\n            - {{Field: eventCategory, Equals: [Data]}}\n            - {{Field: resources.type, Equals: [\"AWS::S3::Object\"]}}\n            - {{Field: resources.ARN, StartsWith: [\"arn:aws:s3:::svc-{i}-d\"]}}\n        - FieldSelectors:\n            - {{Field: eventCategory, Equals: [Data]}}\n            - {{Field: resources.type, Equals: [\"AWS::Lambda::Function\"]}}\n            - Field: resources.ARN\n              StartsWith: [!Sub \"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:fn-{i}\"]\n"
        ),
        Shape::OrganisationTrail if i == 0 => format!(
            "{head}      IsOrganizationTrail: true\n      EventSelectors:\n        - ReadWriteType: All\n          IncludeManagementEvents: true\n          DataResources:\n            - {{Type: AWS::S3::Object, Values: [\"arn:aws:s3\"]}}\n            - {{Type: AWS::Lambda::Function, Values: [\"arn:aws:lambda\"]}}\n            - {{Type: AWS::DynamoDB::Table, Values: [\"arn:aws:dynamodb\"]}}\n"
        ),
        Shape::OrganisationTrail | Shape::NoTrail => return None,
    })
}
