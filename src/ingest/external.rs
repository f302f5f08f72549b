//! Trails that exist outside the scanned files: `[[trails]]` in the config, and the JSON the
//! AWS CLI prints for a real trail.
//!
//! Both use the vocabulary of `AWS::CloudTrail::Trail`, so they are read like a template's
//! trail properties. The AWS CLI's output comes from three commands, alone or merged into one
//! object or array (`jq -s add`): `describe-trails` (`trailList`: name, home region,
//! multi-region, global events), `get-event-selectors` (`TrailARN` with `EventSelectors` or
//! `AdvancedEventSelectors`), `get-insight-selectors` (`TrailARN` with `InsightSelectors`) and
//! `get-trail-status` (`IsLogging`). What none of them says stays unknown.

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use super::InputError;
use super::cfn::external_trail;
use crate::model::{Selectors, Trail};
use crate::parse::{self, Node, Syntax, Value};
use crate::source::{FileId, Loc, Span};

/// Largest `--external-trails` file read. The AWS CLI's output for a trail is a few kilobytes,
/// and a parsed tree takes some 40 times its text.
pub const MAX_SIZE: u64 = 16 << 20;

/// A `[[trails]]` entry of the config. A trail declared there is taken to be logging unless it
/// says `IsLogging = false`: declaring it is saying it exists and works.
pub fn config_trail(loc: Loc, name: &str, properties: &Node<'_>, region: Option<String>) -> Trail {
    let mut trail = external_trail(loc, name, properties, region);
    if properties.get("IsLogging").is_none() {
        trail.is_logging = Some(true);
    }
    trail
}

/// The trails described by the AWS CLI's JSON in `text`.
pub fn aws_cli_trails(file: FileId, text: &str) -> Result<Vec<Trail>, InputError> {
    let root = parse::parse(text, Syntax::Json).map_err(|error| InputError {
        file,
        offset: Some(error.offset),
        message: format!("invalid JSON: {}", error.message),
    })?;
    let objects: Vec<&Node<'_>> = match &root.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Map(_) => vec![&root],
        _ => Vec::new(),
    };
    let mut described: Vec<Described> = Vec::new();
    for object in &objects {
        for entry in object
            .get("trailList")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            described.push(Described::from_trail_list(entry));
        }
    }
    // `get-event-selectors` output names its trail by ARN: the first trail with that ARN.
    let mut by_arn: HashMap<String, usize> = HashMap::new();
    for (index, trail) in described.iter().enumerate() {
        if let Some(arn) = &trail.arn {
            by_arn.entry(arn.clone()).or_insert(index);
        }
    }
    for object in &objects {
        let Some(arn) = object.get("TrailARN").and_then(Node::as_str) else {
            continue;
        };
        let index = *by_arn.entry(arn.to_owned()).or_insert_with(|| {
            described.push(Described::from_arn(arn, object.span));
            described.len() - 1
        });
        let trail = &mut described[index];
        // `get-event-selectors` prints the event selectors, `get-insight-selectors` the insight
        // selectors: each output says only what it prints.
        for key in [
            "EventSelectors",
            "AdvancedEventSelectors",
            "InsightSelectors",
        ] {
            if let Some(value) = object.get(key) {
                trail.properties.insert(key.to_owned(), to_json(value));
                match key {
                    "InsightSelectors" => trail.insights_known = true,
                    _ => trail.selectors_known = true,
                }
            }
        }
    }
    // `get-trail-status` does not say which trail it is about: it applies when there is one.
    let status = objects
        .iter()
        .find_map(|o| o.get("IsLogging").and_then(Node::as_bool));
    if let ([trail], Some(logging)) = (described.as_mut_slice(), status) {
        trail
            .properties
            .insert("IsLogging".to_owned(), Json::Bool(logging));
    }
    if described.is_empty() {
        return Err(InputError {
            file,
            offset: None,
            message: "no trail here: expected the output of `aws cloudtrail describe-trails` or `get-event-selectors`"
                .to_owned(),
        });
    }
    Ok(described.into_iter().map(|d| d.into_trail(file)).collect())
}

/// What the AWS CLI said about one trail.
struct Described {
    name: String,
    arn: Option<String>,
    span: Span,
    region: Option<String>,
    properties: Map<String, Json>,
    multi_region_known: bool,
    selectors_known: bool,
    insights_known: bool,
}

impl Described {
    fn from_trail_list(entry: &Node<'_>) -> Described {
        let text = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_owned);
        let mut properties = Map::new();
        for key in [
            "IsMultiRegionTrail",
            "IncludeGlobalServiceEvents",
            "IsOrganizationTrail",
        ] {
            if let Some(value) = entry.get(key) {
                properties.insert(key.to_owned(), to_json(value));
            }
        }
        Described {
            name: text("Name")
                .or_else(|| text("TrailARN"))
                .unwrap_or_default(),
            arn: text("TrailARN"),
            span: entry.span,
            region: text("HomeRegion"),
            multi_region_known: entry.get("IsMultiRegionTrail").is_some(),
            // A trail without custom selectors logs management events only.
            selectors_known: entry.get("HasCustomEventSelectors").and_then(Node::as_bool)
                == Some(false),
            insights_known: entry.get("HasInsightSelectors").and_then(Node::as_bool) == Some(false),
            properties,
        }
    }

    fn from_arn(arn: &str, span: Span) -> Described {
        // arn:<partition>:cloudtrail:<region>:<account>:trail/<name>
        let region = arn
            .split(':')
            .nth(3)
            .filter(|r| !r.is_empty())
            .map(str::to_owned);
        Described {
            name: arn.rsplit('/').next().unwrap_or(arn).to_owned(),
            arn: Some(arn.to_owned()),
            span,
            region,
            properties: Map::new(),
            multi_region_known: false,
            selectors_known: false,
            insights_known: false,
        }
    }

    fn into_trail(self, file: FileId) -> Trail {
        let loc = Loc {
            file,
            span: self.span,
        };
        let text = Json::Object(self.properties).to_string();
        let mut trail = match parse::parse(&text, Syntax::Json) {
            Ok(properties) => external_trail(loc, &self.name, &properties, self.region),
            Err(_) => external_trail(
                loc,
                &self.name,
                &Node::new(Span::default(), Value::Map(Vec::new())),
                self.region,
            ),
        };
        if !self.multi_region_known {
            trail.multi_region = None;
        }
        if !self.selectors_known {
            trail.selectors = Selectors::Unknown;
        }
        if !self.insights_known {
            trail.insight_types = None;
        }
        trail
    }
}

/// A document node as JSON, to hand properties on.
fn to_json(node: &Node<'_>) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(text) => serde_json::from_str(text).unwrap_or(Json::Null),
        Value::String(text) => Json::String(text.to_string()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), to_json(&e.value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_trails_with_selectors_and_status() {
        let text = r#"[
          {"trailList": [{"Name": "org", "TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org",
                          "HomeRegion": "us-east-1", "IsMultiRegionTrail": true,
                          "IncludeGlobalServiceEvents": true, "HasCustomEventSelectors": true}]},
          {"TrailARN": "arn:aws:cloudtrail:us-east-1:111122223333:trail/org",
           "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true,
                               "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]},
          {"IsLogging": true}
        ]"#;
        let trails = aws_cli_trails(FileId(0), text).unwrap();
        assert_eq!(trails.len(), 1);
        let trail = &trails[0];
        assert_eq!(trail.name, "org");
        assert_eq!(trail.region.as_deref(), Some("us-east-1"));
        assert_eq!(trail.multi_region, Some(true));
        assert_eq!(trail.is_logging, Some(true));
        assert!(matches!(&trail.selectors, Selectors::Basic(s) if s.len() == 1));
    }

    #[test]
    fn event_selectors_alone_leave_the_rest_unknown() {
        let text = r#"{"TrailARN": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/app",
                       "AdvancedEventSelectors": [{"Name": "m", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]}"#;
        let trail = &aws_cli_trails(FileId(0), text).unwrap()[0];
        assert_eq!(trail.name, "app");
        assert_eq!(trail.region.as_deref(), Some("eu-west-1"));
        assert_eq!(trail.is_logging, None);
        assert_eq!(trail.multi_region, None);
        assert_eq!(trail.insight_types, None);
        assert!(matches!(&trail.selectors, Selectors::Advanced(_)));
    }

    #[test]
    fn insight_selectors_are_known_only_from_what_the_cli_printed() {
        let listed = |has_insights: bool| {
            format!(
                r#"{{"trailList": [{{"Name": "org", "HomeRegion": "eu-west-1",
                    "HasCustomEventSelectors": false, "HasInsightSelectors": {has_insights}}}]}}"#
            )
        };
        // `HasInsightSelectors: true` without `get-insight-selectors`: which types is unknown.
        let trail = &aws_cli_trails(FileId(0), &listed(true)).unwrap()[0];
        assert_eq!(trail.insight_types, None);
        assert!(matches!(trail.selectors, Selectors::Default));
        let trail = &aws_cli_trails(FileId(0), &listed(false)).unwrap()[0];
        assert_eq!(trail.insight_types, Some(Vec::new()));
        // `get-insight-selectors` alone says nothing of the event selectors.
        let text = r#"{"TrailARN": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org",
                       "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}"#;
        let trail = &aws_cli_trails(FileId(0), text).unwrap()[0];
        assert!(matches!(trail.selectors, Selectors::Unknown));
        assert_eq!(trail.insight_types.as_ref().map(Vec::len), Some(1));
    }

    #[test]
    fn other_json_is_an_error() {
        assert!(aws_cli_trails(FileId(0), r#"{"name": "x"}"#).is_err());
        assert!(aws_cli_trails(FileId(0), "{").is_err());
    }
}
