provider "aws" {
  region = "us-east-1"
}

# The platform team flips this parameter; its value is only read at plan time.
data "aws_ssm_parameter" "audit_logging" {
  name = "/platform/audit/logging-enabled"
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-security-trail-logs"
}

resource "aws_cloudtrail" "security" {
  name                          = "security"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  enable_logging                = data.aws_ssm_parameter.audit_logging.value == "on"
  is_multi_region_trail         = true
  include_global_service_events = true
}

resource "aws_cloudwatch_event_rule" "trail_tampering" {
  name        = "trail-tampering"
  description = "Someone stops or deletes a trail"
  event_pattern = jsonencode({
    source        = ["aws.cloudtrail"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["cloudtrail.amazonaws.com"]
      eventName   = ["StopLogging", "DeleteTrail"]
    }
  })
}
