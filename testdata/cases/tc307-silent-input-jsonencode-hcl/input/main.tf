variable "environment" {
  type    = string
  default = "staging"
}

resource "aws_cloudwatch_event_rule" "nightly_restart" {
  name                = "nightly-cache-restart"
  schedule_expression = "cron(30 1 * * ? *)"
}

# jsonencode always yields JSON text, whatever the values.
resource "aws_cloudwatch_event_target" "cache_warmer" {
  rule      = aws_cloudwatch_event_rule.nightly_restart.name
  target_id = "cache-warmer"
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:cache-warmer"
  input = jsonencode({
    action      = "restart"
    environment = var.environment
    scopes      = ["sessions", "catalog"]
  })
}
