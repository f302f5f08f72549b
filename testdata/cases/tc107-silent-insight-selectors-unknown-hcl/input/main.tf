provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true

  dynamic "insight_selector" {
    for_each = var.insight_types
    content {
      insight_type = insight_selector.value
    }
  }
}

resource "aws_cloudwatch_event_rule" "insights" {
  name = "all-insights"
  event_pattern = jsonencode({
    "detail-type" = ["AWS Insight via CloudTrail"]
  })
}
