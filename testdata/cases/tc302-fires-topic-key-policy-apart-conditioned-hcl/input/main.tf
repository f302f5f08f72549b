# The topic's key takes its policy from a separate aws_kms_key_policy. Its statement for
# EventBridge is conditioned on aws:SourceAccount, which SNS does not pass to KMS for
# EventBridge deliveries: the statement never applies, and EventBridge cannot publish to the
# encrypted topic (TC302).

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "alerts" {
  description = "Encrypts the alerts topic"
}

resource "aws_kms_key_policy" "alerts" {
  key_id = aws_kms_key.alerts.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "EventBridgeEncrypts"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
        }
      },
    ]
  })
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = aws_kms_key.alerts.arn
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alerts.arn
    }]
  })
}

resource "aws_cloudwatch_event_rule" "instance_stopped" {
  name = "instance-stopped"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail        = { state = ["stopped"] }
  })
}

resource "aws_cloudwatch_event_target" "alerts" {
  rule      = aws_cloudwatch_event_rule.instance_stopped.name
  target_id = "alerts"
  arn       = aws_sns_topic.alerts.arn
}
