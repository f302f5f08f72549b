provider "aws" {
  region = "eu-west-1"
}

locals {
  # The trail computes API call rate Insights only.
  insight_types = ["ApiCallRateInsight"]
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true

  dynamic "insight_selector" {
    for_each = local.insight_types
    content {
      insight_type = insight_selector.value
    }
  }
}
