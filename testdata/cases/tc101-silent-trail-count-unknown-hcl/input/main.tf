resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-audit-trail-logs"
}

# The trail may or may not exist (count depends on an unknown variable), so trailcheck
# cannot prove that no trail exists.
resource "aws_cloudtrail" "audit" {
  count = var.create_trail ? 1 : 0

  name                          = "audit"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true
}

resource "aws_cloudwatch_event_rule" "bucket_deleted" {
  name          = "bucket-deleted"
  event_pattern = <<EOF
{
  "source": ["aws.s3"],
  "detail-type": ["AWS API Call via CloudTrail"],
  "detail": {
    "eventSource": ["s3.amazonaws.com"],
    "eventName": ["DeleteBucket"]
  }
}
EOF
}
