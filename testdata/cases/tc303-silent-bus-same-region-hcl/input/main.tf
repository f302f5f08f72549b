provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_event_rule" "heartbeat" {
  name                = "heartbeat"
  schedule_expression = "rate(5 minutes)"
}

# Forwards to the central bus in the same region: no role needed.
resource "aws_cloudwatch_event_target" "central" {
  rule      = aws_cloudwatch_event_rule.heartbeat.name
  target_id = "central-bus"
  arn       = "arn:aws:events:eu-west-1:123456789012:event-bus/central"
}
