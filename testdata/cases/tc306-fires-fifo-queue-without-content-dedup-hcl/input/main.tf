# A scheduled rule sends a "sweep" message to a FIFO queue with a message group, but the queue
# leaves content-based deduplication off (its default), which EventBridge requires of a FIFO
# queue target (TC306).

resource "aws_sqs_queue" "sweeps" {
  name       = "shipment-sweeps.fifo"
  fifo_queue = true
}

resource "aws_sqs_queue_policy" "sweeps" {
  queue_url = aws_sqs_queue.sweeps.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.sweeps.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = aws_cloudwatch_event_rule.sweep.arn }
      }
    }]
  })
}

resource "aws_cloudwatch_event_rule" "sweep" {
  name                = "shipment-sweep"
  schedule_expression = "rate(15 minutes)"
}

resource "aws_cloudwatch_event_target" "sweep" {
  rule      = aws_cloudwatch_event_rule.sweep.name
  target_id = "sweep"
  arn       = aws_sqs_queue.sweeps.arn
  input     = jsonencode({ task = "sweep" })

  sqs_target {
    message_group_id = "sweeps"
  }
}
