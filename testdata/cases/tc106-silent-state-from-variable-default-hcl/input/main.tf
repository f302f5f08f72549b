provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-identity-trail-logs"
}

resource "aws_cloudtrail" "identity" {
  name                          = "identity-audit"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

resource "aws_cloudwatch_event_rule" "break_glass" {
  name          = "break-glass-assumed"
  state         = var.rule_state
  event_pattern = <<-EOT
    {
      "source": ["aws.sts"],
      "detail-type": ["AWS API Call via CloudTrail"],
      "detail": {
        "eventSource": ["sts.amazonaws.com"],
        "eventName": ["AssumeRole"],
        "requestParameters": {
          "roleArn": [{"suffix": ":role/${var.break_glass_role}"}]
        }
      }
    }
  EOT
}
