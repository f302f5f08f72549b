variable "name_prefix" {
  type = string
}

resource "aws_sns_topic" "alarms" {
  name = "${var.name_prefix}-key-alarms"
}

resource "aws_cloudwatch_event_rule" "key_deletion" {
  name        = "${var.name_prefix}-key-deletion"
  description = "A KMS key is scheduled for deletion or disabled"
  event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["kms.amazonaws.com"]
      eventName   = ["ScheduleKeyDeletion", "DisableKey"]
    }
  })
}

resource "aws_cloudwatch_event_target" "alarms" {
  rule = aws_cloudwatch_event_rule.key_deletion.name
  arn  = aws_sns_topic.alarms.arn
}
