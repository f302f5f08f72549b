# The queue is encrypted with a customer managed key named by its alias (aws_kms_alias.name).
# The key's policy lets the account administer the key but gives events.amazonaws.com nothing,
# so EventBridge cannot encrypt the messages it sends (TC302).

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "cleanup_jobs" {
  description = "Encrypts the cleanup-jobs queue"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "cleanup_jobs" {
  name          = "alias/acme-cleanup-jobs"
  target_key_id = aws_kms_key.cleanup_jobs.key_id
}

resource "aws_sqs_queue" "cleanup_jobs" {
  name              = "cleanup-jobs"
  kms_master_key_id = aws_kms_alias.cleanup_jobs.name
}

resource "aws_cloudwatch_event_rule" "hourly_cleanup" {
  name                = "hourly-cleanup"
  schedule_expression = "rate(1 hour)"
}

resource "aws_cloudwatch_event_target" "cleanup_jobs" {
  rule      = aws_cloudwatch_event_rule.hourly_cleanup.name
  target_id = "cleanup-jobs"
  arn       = aws_sqs_queue.cleanup_jobs.arn
}

resource "aws_sqs_queue_policy" "cleanup_jobs" {
  queue_url = aws_sqs_queue.cleanup_jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "HourlyCleanupSends"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.cleanup_jobs.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.hourly_cleanup.arn }
      }
    }]
  })
}
