# Lambda function changes, the pattern merged from a shared CloudTrail base in `locals`.
# CloudTrail records Lambda's create call as `CreateFunction20150331`, never `CreateFunction`,
# so that name never matches (TC204). `DeleteFunction20150331` is recorded as written.

locals {
  cloudtrail_api_calls = {
    "detail-type" = ["AWS API Call via CloudTrail"]
  }
  lambda = {
    source = ["aws.lambda"]
    detail = { eventSource = ["lambda.amazonaws.com"] }
  }
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "function_changes" {
  name        = "function-changes"
  description = "Lambda functions created or deleted"
  event_pattern = jsonencode(merge(local.cloudtrail_api_calls, local.lambda, {
    detail = merge(local.lambda.detail, {
      eventName = [
        "CreateFunction",
        "DeleteFunction20150331",
      ]
    })
  }))
}
