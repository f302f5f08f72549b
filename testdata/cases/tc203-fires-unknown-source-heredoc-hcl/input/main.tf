# Bucket policy changes, written as JSON in a heredoc. The event source lost its last letter
# (`s3.amazonaws.co`): no AWS service has it, so nothing matches (TC203).

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "bucket_policy_changes" {
  name        = "bucket-policy-changes"
  description = "Bucket policies changed or deleted"

  event_pattern = <<EOF
{
  "source": ["aws.s3"],
  "detail-type": ["AWS API Call via CloudTrail"],
  "detail": {
    "eventSource": ["s3.amazonaws.co"],
    "eventName": ["PutBucketPolicy", "DeleteBucketPolicy"]
  }
}
EOF
}
