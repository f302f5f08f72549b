# A module that sends a heartbeat to a queue created elsewhere; the caller passes the queue's
# name, which may or may not end in ".fifo".
variable "queue_name" {
  type        = string
  description = "Name of the queue that receives heartbeats"
}

variable "account_id" {
  type    = string
  default = "123456789012"
}

resource "aws_cloudwatch_event_rule" "heartbeat" {
  name                = "service-heartbeat"
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "heartbeat" {
  rule      = aws_cloudwatch_event_rule.heartbeat.name
  target_id = "heartbeat-queue"
  arn       = "arn:aws:sqs:eu-west-1:${var.account_id}:${var.queue_name}"
}
