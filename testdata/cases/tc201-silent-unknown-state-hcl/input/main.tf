# Rules whose state is a variable with no default and no value in the inputs: each may be
# deployed DISABLED, so nothing about its pattern is reported. Each pattern breaks one of
# TC201-TC206, and each would be reported were its state known to be enabled.

variable "rule_state" {
  description = "ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
  type        = string
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

# TC201: a scalar where an array is needed.
resource "aws_cloudwatch_event_rule" "key_deletion" {
  name  = "key-deletion"
  state = var.rule_state
  event_pattern = jsonencode({
    source        = "aws.kms"
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail        = { eventName = ["ScheduleKeyDeletion"] }
  })
}

# TC202: `Via` for `via`.
resource "aws_cloudwatch_event_rule" "iam_user_changes" {
  name  = "iam-user-changes"
  state = var.rule_state
  event_pattern = jsonencode({
    source        = ["aws.iam"]
    "detail-type" = ["AWS API Call Via CloudTrail"]
    detail        = { eventName = ["CreateUser"] }
  })
}

# TC203: S3 events from EC2.
resource "aws_cloudwatch_event_rule" "terminations" {
  name  = "terminations"
  state = var.rule_state
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["TerminateInstances"]
    }
  })
}

# TC204: Lambda records `CreateFunction20150331`.
resource "aws_cloudwatch_event_rule" "function_creations" {
  name  = "function-creations"
  state = var.rule_state
  event_pattern = jsonencode({
    source        = ["aws.lambda"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["lambda.amazonaws.com"]
      eventName   = ["CreateFunction"]
    }
  })
}

# TC205: CloudTrail events have an empty `resources`.
resource "aws_cloudwatch_event_rule" "report_policy_changes" {
  name  = "report-policy-changes"
  state = var.rule_state
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    resources     = ["arn:aws:s3:::acme-reports"]
    detail        = { eventName = ["PutBucketPolicy"] }
  })
}

# TC206: EC2 state changes carry `detail.state`.
resource "aws_cloudwatch_event_rule" "instance_stopped" {
  name  = "instance-stopped"
  state = var.rule_state
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail        = { State = ["stopped"] }
  })
}
