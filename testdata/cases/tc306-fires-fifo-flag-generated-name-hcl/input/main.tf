provider "aws" {
  region = "eu-west-1"
}

# A FIFO queue without a name: Terraform generates one (ending `.fifo`), so only the flag says
# the queue is FIFO.
resource "aws_sqs_queue" "ledger" {
  fifo_queue                  = true
  content_based_deduplication = true

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = "*"
    }]
  })
}

resource "aws_cloudwatch_event_rule" "nightly_close" {
  name                = "nightly-ledger-close"
  schedule_expression = "cron(0 0 * * ? *)"
}

# No sqs_target { message_group_id = ... }: PutTargets rejects a FIFO queue target without one.
resource "aws_cloudwatch_event_target" "ledger" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "ledger"
  arn       = aws_sqs_queue.ledger.arn
}
