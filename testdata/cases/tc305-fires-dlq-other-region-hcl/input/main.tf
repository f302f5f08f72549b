provider "aws" {
  region = "us-east-1"
}

resource "aws_lambda_function" "cleanup" {
  function_name = "cleanup"
  role          = "arn:aws:iam::123456789012:role/cleanup-function"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "cleanup.zip"
}

resource "aws_cloudwatch_event_rule" "cleanup" {
  name                = "cleanup"
  schedule_expression = "rate(5 minutes)"
}

resource "aws_lambda_permission" "cleanup_from_schedule" {
  statement_id  = "AllowCleanupSchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.cleanup.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.cleanup.arn
}

# The team's shared dead-letter queue lives in eu-west-1; this stack deploys to us-east-1.
resource "aws_cloudwatch_event_target" "cleanup" {
  rule      = aws_cloudwatch_event_rule.cleanup.name
  target_id = "cleanup"
  arn       = aws_lambda_function.cleanup.arn

  dead_letter_config {
    arn = "arn:aws:sqs:eu-west-1:123456789012:events-dlq"
  }
}
