# Lambda rules with a misspelt event name (`CreateFunction`; CloudTrail records
# `CreateFunction20150331`), on buses that AWS events may never reach. One listens on a custom
# bus that no rule in the inputs forwards to: AWS events never reach it (TC110), and TC204
# stays silent. The other's bus is a variable with no default and no value in the inputs:
# the bus is unknown, so TC204 stays silent, and so does TC110.

variable "bus_name" {
  type = string
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_bus" "platform" {
  name = "platform"
}

resource "aws_cloudwatch_event_rule" "platform_function_creations" {
  name           = "platform-function-creations"
  event_bus_name = aws_cloudwatch_event_bus.platform.name
  event_pattern = jsonencode({
    source        = ["aws.lambda"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["lambda.amazonaws.com"]
      eventName   = ["CreateFunction"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "function_creations" {
  name           = "function-creations"
  event_bus_name = var.bus_name
  event_pattern = jsonencode({
    source        = ["aws.lambda"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["lambda.amazonaws.com"]
      eventName   = ["CreateFunction"]
    }
  })
}
