//! TC113 `invalid-trail-selector`: a trail selector CloudTrail rejects, or one that can never
//! match. Unlike the other checks this one reads trails, not rules: a broken selector breaks
//! every rule that relies on it.

use super::{Context, Report};
use crate::model::{Dialect, Selectors};
use crate::source::{Loc, Span};
use crate::value::{Piece, Text};

/// The data resource types basic event selectors accept
/// (<https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DataResource.html>), and
/// those an older CloudFormation schema also listed: only a type in neither is reported.
const BASIC_TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
    "AWS::S3Outposts::Object",
    "AWS::ManagedBlockchain::Node",
    "AWS::S3ObjectLambda::AccessPoint",
    "AWS::EC2::Snapshot",
    "AWS::S3::AccessPoint",
    "AWS::DynamoDB::Stream",
];

/// Fires for every part of a trail's selectors that CloudTrail rejects or that can never
/// match, whatever the rules.
pub(super) fn check(cx: &Context<'_>, out: &mut Report<'_>) {
    for trail in &cx.deployment.trails {
        let mut report = |span: Span, message: String, label: &str, help: String| {
            let loc = Loc {
                file: trail.loc.file,
                span,
            };
            let finding = out.at(loc, &trail.name, message);
            finding.label = label.to_owned();
            finding.help = Some(help);
        };
        let words = Words::of(trail.dialect);
        if let Some(span) = trail.mixed_selectors {
            report(
                span,
                format!(
                    "trail `{}` sets both basic and advanced event selectors; CloudTrail takes one kind per trail, and advanced selectors replace basic ones",
                    trail.name
                ),
                "a trail takes one kind of selector",
                format!(
                    "keep one kind: move what the basic `{}` log into `{}`",
                    words.basic, words.advanced
                ),
            );
        }
        match &trail.selectors {
            Selectors::Basic(selectors) => {
                for resource in selectors.iter().flat_map(|s| &s.data_resources) {
                    let Some(kind) = resource.resource_type.as_deref() else {
                        continue;
                    };
                    if !BASIC_TYPES.contains(&kind) {
                        report(
                            resource.span,
                            format!(
                                "basic event selectors of trail `{}` cannot select `{kind}` data events; CloudTrail rejects the selector",
                                trail.name
                            ),
                            "only advanced event selectors accept this type",
                            format!(
                                "log `{kind}` data events with an advanced event selector (`eventCategory` `Data`, `resources.type` `{kind}`)"
                            ),
                        );
                        continue;
                    }
                    for (value, span) in resource.values.iter().zip(&resource.value_spans) {
                        if let Some(problem) = data_resource_problem(kind, value, &words) {
                            report(
                                *span,
                                format!("trail `{}`: {problem}", trail.name),
                                "CloudTrail rejects this value",
                                fix_for(kind, value),
                            );
                        }
                    }
                }
            }
            Selectors::Advanced(selectors) => {
                for selector in selectors {
                    let object_type = selector.fields.iter().any(|f| {
                        f.field == "resources.type"
                            && f.equals
                                .iter()
                                .any(|t| t.as_lit() == Some("AWS::S3::Object"))
                    });
                    for field in selector
                        .fields
                        .iter()
                        .filter(|f| f.field == "resources.ARN")
                    {
                        for (value, span) in field.equals.iter().zip(&field.equals_spans) {
                            if object_type && is_bucket_arn(value) {
                                report(
                                    *span,
                                    format!(
                                        "an advanced selector of trail `{}` selects `AWS::S3::Object` events whose ARN equals a bucket's ARN, which no object has",
                                        trail.name
                                    ),
                                    "a bucket ARN, not an object ARN",
                                    format!(
                                        "use `{}` with `{value}/` to select every object in the bucket",
                                        words.starts_with
                                    ),
                                );
                            }
                        }
                        let wildcard = [&field.equals, &field.starts_with, &field.ends_with]
                            .into_iter()
                            .flatten()
                            .any(has_wildcard);
                        if wildcard {
                            report(
                                field.span,
                                format!(
                                    "an advanced selector of trail `{}` uses `*` in `resources.ARN`, but selectors take no wildcards",
                                    trail.name
                                ),
                                "no wildcards in selectors",
                                format!(
                                    "use `{}` or `{}` with the fixed part of the ARN",
                                    words.starts_with, words.ends_with
                                ),
                            );
                        }
                    }
                }
            }
            Selectors::Default | Selectors::Unknown => {}
        }
    }
}

/// The names of the selector parts in the input's own syntax.
struct Words {
    basic: &'static str,
    advanced: &'static str,
    starts_with: &'static str,
    ends_with: &'static str,
    values: &'static str,
}

impl Words {
    fn of(dialect: Dialect) -> Words {
        match dialect {
            Dialect::Terraform => Words {
                basic: "event_selector",
                advanced: "advanced_event_selector",
                starts_with: "starts_with",
                ends_with: "ends_with",
                values: "data_resource",
            },
            _ => Words {
                basic: "EventSelectors",
                advanced: "AdvancedEventSelectors",
                starts_with: "StartsWith",
                ends_with: "EndsWith",
                values: "DataResources",
            },
        }
    }
}

/// Why CloudTrail rejects a `DataResources` value, if it does.
fn data_resource_problem(kind: &str, value: &Text, words: &Words) -> Option<String> {
    if has_wildcard(value) {
        return Some(format!(
            "`{value}` uses a wildcard; `{}` values are ARN prefixes and take no wildcards",
            words.values
        ));
    }
    if kind == "AWS::S3::Object" && is_bucket_arn(value) {
        return Some(format!(
            "`{value}` names a bucket without the `/` that must follow it; CloudTrail rejects the value"
        ));
    }
    None
}

fn fix_for(kind: &str, value: &Text) -> String {
    if kind == "AWS::S3::Object" && is_bucket_arn(value) {
        format!("write `{value}/` to select every object in the bucket")
    } else {
        "write an ARN prefix without wildcards, such as `arn:aws:s3:::my-bucket/` or `arn:aws:s3` for every bucket".to_owned()
    }
}

fn has_wildcard(value: &Text) -> bool {
    value
        .pieces()
        .iter()
        .any(|p| matches!(p, Piece::Lit(text) if text.contains('*')))
}

/// `arn:<partition>:s3:::<bucket>` with nothing after the bucket, written literally.
fn is_bucket_arn(value: &Text) -> bool {
    let Some(text) = value.as_lit() else {
        return false;
    };
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("s3"), Some(""), Some(""), Some(bucket)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    !bucket.is_empty() && !bucket.contains('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_arns_without_the_slash() {
        assert!(is_bucket_arn(&Text::lit("arn:aws:s3:::my-bucket")));
        assert!(!is_bucket_arn(&Text::lit("arn:aws:s3:::my-bucket/")));
        assert!(!is_bucket_arn(&Text::lit("arn:aws:s3:::")));
        assert!(!is_bucket_arn(&Text::lit("arn:aws:s3")));
        assert!(!is_bucket_arn(&Text::lit(
            "arn:aws:lambda:us-east-1:1:function:f"
        )));
    }
}
