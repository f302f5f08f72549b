provider "aws" {
  region = "eu-west-1"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

locals {
  events_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "alerts" {
  name               = "events-alerts"
  assume_role_policy = local.events_trust
}

resource "aws_iam_role" "audit" {
  name               = "events-audit"
  assume_role_policy = local.events_trust
}

resource "aws_iam_policy" "publish_alerts" {
  name = "publish-alerts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sns:Publish"
      Resource = aws_sns_topic.alerts.arn
    }]
  })
}

# Attaches the publishing policy to the alerts role only (an exclusive attachment: `roles`).
resource "aws_iam_policy_attachment" "publish_alerts" {
  name       = "publish-alerts"
  roles      = [aws_iam_role.alerts.name]
  policy_arn = aws_iam_policy.publish_alerts.arn
}

resource "aws_cloudwatch_event_rule" "heartbeat" {
  name                = "alerts-heartbeat"
  schedule_expression = "rate(5 minutes)"
}

# Through the alerts role: it may publish.
resource "aws_cloudwatch_event_target" "heartbeat" {
  rule     = aws_cloudwatch_event_rule.heartbeat.name
  arn      = aws_sns_topic.alerts.arn
  role_arn = aws_iam_role.alerts.arn
}

resource "aws_cloudwatch_event_rule" "audit_tick" {
  name                = "audit-tick"
  schedule_expression = "rate(1 hour)"
}

# Through the audit role, to which nothing is attached: it may not publish (TC304).
resource "aws_cloudwatch_event_target" "audit_tick" {
  rule     = aws_cloudwatch_event_rule.audit_tick.name
  arn      = aws_sns_topic.alerts.arn
  role_arn = aws_iam_role.audit.arn
}
