# An hourly rule sends to an SQS queue, and no aws_sqs_queue_policy (nor a `policy` on the
# queue) lets events.amazonaws.com send to it: a queue's default policy admits only its own
# account's principals, so every delivery fails (TC301).

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
