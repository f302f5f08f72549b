# An hourly rule sends to a queue encrypted with the AWS managed key alias/aws/sqs. The queue
# policy lets EventBridge send, but the managed key's policy (which cannot be changed) does not
# let events.amazonaws.com use the key, so every delivery fails (TC302).

resource "aws_sqs_queue" "cleanup_jobs" {
  name              = "cleanup-jobs"
  kms_master_key_id = "alias/aws/sqs"
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
