resource "aws_cloudwatch_event_rule" "nightly_close" {
  name                = "nightly-close"
  schedule_expression = "cron(0 0 * * ? *)"
}

resource "aws_cloudwatch_event_target" "ledger" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "close-ledger"
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:close-ledger"
}

# Copied from the block above while migrating to the new function and never renamed: the same
# target_id on the same rule is the same EventBridge target, which the two resources overwrite
# in turn. The rule has five targets, not six.
resource "aws_cloudwatch_event_target" "ledger_v2" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "close-ledger"
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:close-ledger-v2"
}

resource "aws_cloudwatch_event_target" "invoices" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "issue-invoices"
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:issue-invoices"
}

resource "aws_cloudwatch_event_target" "reports" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "build-reports"
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:build-reports"
}

resource "aws_cloudwatch_event_target" "archive" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "archive"
  arn       = "arn:aws:sqs:eu-west-1:123456789012:archive-requests"
}

resource "aws_cloudwatch_event_target" "notify" {
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = "notify"
  arn       = "arn:aws:sns:eu-west-1:123456789012:finance-notifications"
}
