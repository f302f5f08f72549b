# Two schedules publish to one topic. The topic policy (written with aws_iam_policy_document)
# lets EventBridge publish only for the weekly rule (aws:SourceArn), so every delivery of the
# daily rule is refused (TC301 on the daily rule; the weekly rule is fine).

resource "aws_sns_topic" "digest" {
  name = "acme-digest"
}

resource "aws_cloudwatch_event_rule" "weekly_digest" {
  name                = "weekly-digest"
  schedule_expression = "cron(0 8 ? * MON *)"
}

resource "aws_cloudwatch_event_rule" "daily_digest" {
  name                = "daily-digest"
  schedule_expression = "cron(0 8 * * ? *)"
}

resource "aws_cloudwatch_event_target" "weekly_digest" {
  rule      = aws_cloudwatch_event_rule.weekly_digest.name
  target_id = "digest-topic"
  arn       = aws_sns_topic.digest.arn
}

resource "aws_cloudwatch_event_target" "daily_digest" {
  rule      = aws_cloudwatch_event_rule.daily_digest.name
  target_id = "digest-topic"
  arn       = aws_sns_topic.digest.arn
}

data "aws_iam_policy_document" "digest" {
  statement {
    sid       = "WeeklyDigestPublishes"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.digest.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.weekly_digest.arn]
    }
  }
}

resource "aws_sns_topic_policy" "digest" {
  arn    = aws_sns_topic.digest.arn
  policy = data.aws_iam_policy_document.digest.json
}
