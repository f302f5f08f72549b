provider "aws" {
  region = "eu-west-1"
}

resource "aws_lambda_function" "cleanup" {
  function_name = "cleanup"
  role          = "arn:aws:iam::123456789012:role/cleanup-function"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "cleanup.zip"
}

resource "aws_sqs_queue" "cleanup_dlq" {
  name = "cleanup-dlq"
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

resource "aws_sqs_queue_policy" "cleanup_dlq" {
  queue_url = aws_sqs_queue.cleanup_dlq.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.cleanup_dlq.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.cleanup.arn }
      }
    }]
  })
}

resource "aws_cloudwatch_event_target" "cleanup" {
  rule      = aws_cloudwatch_event_rule.cleanup.name
  target_id = "cleanup"
  arn       = aws_lambda_function.cleanup.arn

  dead_letter_config {
    arn = aws_sqs_queue.cleanup_dlq.arn
  }
}
