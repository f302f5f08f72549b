//! What a trail must select to log a candidate's events, as fix data.

use super::fix::DataSelection;
use crate::analysis::events::{Candidate, Class};
use crate::catalog::ArnShape;
use crate::value::Text;

/// The data events a trail must select for a data candidate: its type and the ARN (prefix) of
/// its resource, or of every resource of the type when the branch names none.
pub(super) fn data(candidate: &Candidate) -> Option<DataSelection> {
    let Class::Data { resource_type, .. } = candidate.class else {
        return None;
    };
    let arn = resource_type.arn.map(|shape| {
        let Some(named) = &candidate.resource else {
            return Text::lit(format!("arn:aws:{}", shape.service()));
        };
        if named.value.as_lit().is_some_and(|v| v.starts_with("arn:")) {
            return named.value.clone();
        }
        match (shape, named.value.as_lit()) {
            // Objects are selected by the prefix of their bucket; a literal ARN where it can
            // be one.
            (ArnShape::S3Object, Some(bucket)) => Text::lit(format!("arn:aws:s3:::{bucket}/")),
            (ArnShape::S3Object, None) => {
                let mut arn = shape.resource().of(&named.value);
                arn.push_str("/");
                arn
            }
            (ArnShape::LambdaFunction | ArnShape::DynamoDbTable, _) => {
                shape.resource().of(&named.value)
            }
        }
    });
    Some(DataSelection {
        resource_type: resource_type.resource_type.clone(),
        prefix: resource_type.arn == Some(ArnShape::S3Object) || candidate.resource.is_none(),
        basic: resource_type.basic_selectors,
        arn,
    })
}
