# Lambda event names not known before deployment: a variable with no default and no value in
# the inputs, whole or as part of a name. They may be names CloudTrail records, so TC204
# proves nothing and stays silent; so does a `prefix` matcher, which is no exact name.

variable "function_event_names" {
  type = list(string)
}

variable "verb" {
  description = "Which function call to follow: Create, Delete, ..."
  type        = string
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "function_calls" {
  name = "function-calls"
  event_pattern = jsonencode({
    source        = ["aws.lambda"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["lambda.amazonaws.com"]
      eventName   = var.function_event_names
    }
  })
}

resource "aws_cloudwatch_event_rule" "one_function_call" {
  name = "one-function-call"
  event_pattern = jsonencode({
    source        = ["aws.lambda"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["lambda.amazonaws.com"]
      eventName   = ["${var.verb}Function20150331"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "function_creations" {
  name = "function-creations"

  event_pattern = <<-EOT
    {
      "source": ["aws.lambda"],
      "detail-type": ["AWS API Call via CloudTrail"],
      "detail": {
        "eventSource": ["lambda.amazonaws.com"],
        "eventName": [{"prefix": "CreateFunction"}]
      }
    }
  EOT
}
