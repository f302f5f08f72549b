provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true
}

locals {
  watched = {
    users = ["CreateUser", "DeleteUser"]
    keys  = ["CreateAccessKey"]
  }
}

# One rule per group, all in us-east-1, where IAM events are recorded.
resource "aws_cloudwatch_event_rule" "iam" {
  for_each = local.watched
  provider = aws.virginia
  name     = "iam-${each.key}"
  event_pattern = jsonencode({
    source        = ["aws.iam"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = each.value
    }
  })
}
