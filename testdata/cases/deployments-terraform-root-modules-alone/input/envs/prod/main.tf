provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_event_rule" "key_deletion" {
  name = "key-deletion"
  event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail        = { eventName = ["ScheduleKeyDeletion"] }
  })
}
