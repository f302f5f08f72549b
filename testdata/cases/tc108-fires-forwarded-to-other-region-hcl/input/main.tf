provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "virginia"
  region = "us-east-1"
}

resource "aws_cloudtrail" "audit" {
  provider              = aws.virginia
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true
}

locals {
  iam_calls = {
    source        = ["aws.iam"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateAccessKey"]
    }
  }
}

# In eu-west-1 (the default provider): IAM events are recorded in us-east-1 only (TC108).
resource "aws_cloudwatch_event_rule" "new_keys" {
  name          = "new-access-keys"
  event_pattern = jsonencode(local.iam_calls)
}

# In us-east-1 a rule forwards the events, but to the default bus of eu-central-1.
resource "aws_cloudwatch_event_rule" "forward_iam" {
  provider      = aws.virginia
  name          = "forward-iam"
  event_pattern = jsonencode(local.iam_calls)
}

resource "aws_cloudwatch_event_target" "to_frankfurt" {
  provider = aws.virginia
  rule     = aws_cloudwatch_event_rule.forward_iam.name
  arn      = "arn:aws:events:eu-central-1:111122223333:event-bus/default"
  role_arn = "arn:aws:iam::111122223333:role/forward-events"
}
