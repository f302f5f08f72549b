provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "ireland"
  region = "eu-west-1"
}

provider "aws" {
  alias  = "frankfurt"
  region = "eu-central-1"
}

variable "forward_pattern" {
  type    = string
  default = null
}

variable "forward_schedule" {
  type    = string
  default = null
}

resource "aws_cloudtrail" "audit" {
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

# In eu-west-1, where IAM events are not recorded. The rule in us-east-1 that targets this
# region's default bus runs on a schedule and has no pattern: it forwards no IAM event (TC108).
resource "aws_cloudwatch_event_rule" "new_keys" {
  provider      = aws.ireland
  name          = "new-access-keys"
  event_pattern = jsonencode(local.iam_calls)
}

resource "aws_cloudwatch_event_rule" "hourly" {
  name                = "hourly"
  schedule_expression = "rate(1 hour)"
}

resource "aws_cloudwatch_event_target" "hourly_to_ireland" {
  rule     = aws_cloudwatch_event_rule.hourly.name
  arn      = "arn:aws:events:eu-west-1:111122223333:event-bus/default"
  role_arn = "arn:aws:iam::111122223333:role/forward-events"
}

# In eu-central-1. The rule that targets this region's default bus has neither a pattern nor a
# schedule in these inputs (both variables are null): what it forwards is unknown, so no TC108.
resource "aws_cloudwatch_event_rule" "new_roles" {
  provider = aws.frankfurt
  name     = "new-roles"
  event_pattern = jsonencode({
    source        = ["aws.iam"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateRole"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "forward_iam" {
  name                = "forward-iam"
  event_pattern       = var.forward_pattern
  schedule_expression = var.forward_schedule
}

resource "aws_cloudwatch_event_target" "to_frankfurt" {
  rule     = aws_cloudwatch_event_rule.forward_iam.name
  arn      = "arn:aws:events:eu-central-1:111122223333:event-bus/default"
  role_arn = "arn:aws:iam::111122223333:role/forward-events"
}
