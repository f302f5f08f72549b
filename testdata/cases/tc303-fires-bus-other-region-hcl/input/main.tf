provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudwatch_event_rule" "heartbeat" {
  name                = "heartbeat"
  schedule_expression = "rate(5 minutes)"
}

# Forwards to the central bus, which lives in eu-west-1: a bus in another region is a target
# only through a role.
resource "aws_cloudwatch_event_target" "central" {
  rule      = aws_cloudwatch_event_rule.heartbeat.name
  target_id = "central-bus"
  arn       = "arn:aws:events:eu-west-1:123456789012:event-bus/central"
}
