# The queue's customer managed key has the default key policy, which alone would not let
# EventBridge use it, but a grant on the key gives a principal that is only known at apply time
# (a variable) GenerateDataKey and Decrypt. What grants allow is not evaluated: the key may be
# usable, nothing to report.

variable "delivery_principal_arn" {
  type        = string
  description = "The principal that may encrypt messages for the cleanup-jobs queue."
}

resource "aws_kms_key" "cleanup_jobs" {
  description = "Encrypts the cleanup-jobs queue"
}

resource "aws_kms_grant" "cleanup_jobs_delivery" {
  name              = "cleanup-jobs-delivery"
  key_id            = aws_kms_key.cleanup_jobs.key_id
  grantee_principal = var.delivery_principal_arn
  operations        = ["GenerateDataKey", "Decrypt"]
}

resource "aws_sqs_queue" "cleanup_jobs" {
  name              = "cleanup-jobs"
  kms_master_key_id = aws_kms_key.cleanup_jobs.arn
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
