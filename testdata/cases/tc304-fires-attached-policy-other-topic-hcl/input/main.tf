provider "aws" {
  region = "eu-west-1"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_sns_topic" "audit" {
  name = "audit"
}

resource "aws_iam_role" "publish" {
  name = "events-publish"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Grants sns:Publish on the audit topic only.
resource "aws_iam_policy" "publish" {
  name = "events-publish"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sns:Publish"
      Resource = aws_sns_topic.audit.arn
    }]
  })
}

resource "aws_iam_role_policy_attachment" "publish" {
  role       = aws_iam_role.publish.name
  policy_arn = aws_iam_policy.publish.arn
}

resource "aws_cloudwatch_event_rule" "heartbeat" {
  name                = "alerts-heartbeat"
  schedule_expression = "rate(5 minutes)"
}

# Delivers through the role (no topic policy needed), but the role may not publish to alerts.
resource "aws_cloudwatch_event_target" "alerts" {
  rule      = aws_cloudwatch_event_rule.heartbeat.name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.alerts.arn
  role_arn  = aws_iam_role.publish.arn
}
