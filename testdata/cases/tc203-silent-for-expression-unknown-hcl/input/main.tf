# `source` and `detail.eventSource` built from one list of services with `for` expressions:
# both name the same services, so they agree. In the other rules one side is a variable with
# no default and no value in the inputs: it may agree, so TC203 proves nothing and stays
# silent.

variable "teardown_source" {
  type = string
}

variable "bucket_event_sources" {
  type = list(string)
}

locals {
  teardown_services = ["ec2", "s3"]
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "teardown" {
  name = "teardown"
  event_pattern = jsonencode({
    source        = [for s in local.teardown_services : "aws.${s}"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = [for s in local.teardown_services : "${s}.amazonaws.com"]
      eventName   = ["TerminateInstances", "DeleteBucket"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "terminations" {
  name = "terminations"
  event_pattern = jsonencode({
    source        = [var.teardown_source]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["TerminateInstances"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "bucket_deletions" {
  name = "bucket-deletions"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = var.bucket_event_sources
      eventName   = ["DeleteBucket"]
    }
  })
}
