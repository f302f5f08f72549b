# Six aws_cloudwatch_event_target resources name the rule, but the sixth takes its target_id
# from a variable. If the variable names one of the other five IDs, the two resources manage
# one target and the rule has five: six targets are not certain, nothing to report.

variable "cleanup_target_id" {
  type = string
}

locals {
  account = "123456789012"
  region  = "eu-west-1"
}

resource "aws_cloudwatch_event_rule" "nightly_close" {
  name                = "nightly-close"
  schedule_expression = "cron(0 0 * * ? *)"
}

resource "aws_cloudwatch_event_target" "ledger" {
  target_id = "ledger"
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  arn       = "arn:aws:lambda:${local.region}:${local.account}:function:close-ledger"
}

resource "aws_cloudwatch_event_target" "invoices" {
  target_id = "invoices"
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  arn       = "arn:aws:lambda:${local.region}:${local.account}:function:issue-invoices"
}

resource "aws_cloudwatch_event_target" "reports" {
  target_id = "reports"
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  arn       = "arn:aws:lambda:${local.region}:${local.account}:function:build-reports"
}

resource "aws_cloudwatch_event_target" "archive" {
  target_id = "archive"
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  arn       = "arn:aws:sqs:${local.region}:${local.account}:archive-requests"
}

resource "aws_cloudwatch_event_target" "notify" {
  target_id = "notify"
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  arn       = "arn:aws:sns:${local.region}:${local.account}:finance-notifications"
}

# The sixth target, whose ID may be one of the others.
resource "aws_cloudwatch_event_target" "cleanup" {
  target_id = var.cleanup_target_id
  rule      = aws_cloudwatch_event_rule.nightly_close.name
  arn       = "arn:aws:lambda:${local.region}:${local.account}:function:purge-temp-files"
}
