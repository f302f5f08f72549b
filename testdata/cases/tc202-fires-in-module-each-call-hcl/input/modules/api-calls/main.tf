# A rule on one service's API calls, delivered by CloudTrail. The detail type is spelt
# `AWS API Call Via CloudTrail` (capital V), so no event matches.

variable "service" {
  description = "The service prefix: iam, s3, ..."
  type        = string
}

variable "event_names" {
  type = list(string)
}

resource "aws_cloudwatch_event_rule" "this" {
  name = "${var.service}-api-calls"
  event_pattern = jsonencode({
    source        = ["aws.${var.service}"]
    "detail-type" = ["AWS API Call Via CloudTrail"]
    detail = {
      eventSource = ["${var.service}.amazonaws.com"]
      eventName   = var.event_names
    }
  })
}
