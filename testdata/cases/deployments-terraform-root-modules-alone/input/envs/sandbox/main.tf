provider "aws" {
  region = "eu-west-1"
}

# The sandbox account's trail: it logs nothing of prod's.
resource "aws_cloudtrail" "sandbox" {
  name                  = "sandbox"
  s3_bucket_name        = "sandbox-trail-logs"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "key_deletion" {
  name = "key-deletion"
  event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail        = { eventName = ["ScheduleKeyDeletion"] }
  })
}
