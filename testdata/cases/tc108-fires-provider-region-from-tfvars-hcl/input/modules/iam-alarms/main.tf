variable "enabled" {
  type    = bool
  default = false
}

variable "event_names" {
  type = list(string)
}

resource "aws_cloudwatch_event_rule" "this" {
  count = var.enabled ? 1 : 0
  name  = "iam-alarms"
  event_pattern = jsonencode({
    source        = ["aws.iam"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = var.event_names
    }
  })
}
