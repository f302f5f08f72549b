# An hourly rule sends to a queue whose policy allows sqs:SendMessage to any principal ("*") on
# condition that aws:SourceArn is the rule's ARN. "*" includes events.amazonaws.com and the
# condition admits this rule: nothing to report.

resource "aws_sqs_queue" "cleanup_jobs" {
  name = "cleanup-jobs"
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
      Principal = "*"
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.cleanup_jobs.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.hourly_cleanup.arn }
      }
    }]
  })
}
