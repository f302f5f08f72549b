locals {
  account = "123456789012"
  region  = "eu-west-1"
}

resource "aws_cloudwatch_event_rule" "nightly_close" {
  name                = "nightly-close"
  schedule_expression = "cron(0 0 * * ? *)"
}

resource "aws_cloudwatch_event_target" "ledger" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:${local.region}:${local.account}:function:close-ledger"
}

resource "aws_cloudwatch_event_target" "invoices" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:${local.region}:${local.account}:function:issue-invoices"
}

resource "aws_cloudwatch_event_target" "reports" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:${local.region}:${local.account}:function:build-reports"
}

resource "aws_cloudwatch_event_target" "archive" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:sqs:${local.region}:${local.account}:archive-requests"
}

resource "aws_cloudwatch_event_target" "notify" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:sns:${local.region}:${local.account}:finance-notifications"
}

# The sixth target of the rule: PutTargets rejects it at apply time.
resource "aws_cloudwatch_event_target" "cleanup" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:${local.region}:${local.account}:function:purge-temp-files"
}
