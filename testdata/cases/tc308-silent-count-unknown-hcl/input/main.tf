variable "cleanup_enabled" {
  description = "Whether the nightly close also purges temporary files"
  type        = bool
}

resource "aws_cloudwatch_event_rule" "nightly_close" {
  name                = "nightly-close"
  schedule_expression = "cron(0 0 * * ? *)"
}

resource "aws_cloudwatch_event_target" "ledger" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:eu-west-1:123456789012:function:close-ledger"
}

resource "aws_cloudwatch_event_target" "invoices" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:eu-west-1:123456789012:function:issue-invoices"
}

resource "aws_cloudwatch_event_target" "reports" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:eu-west-1:123456789012:function:build-reports"
}

resource "aws_cloudwatch_event_target" "archive" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:sqs:eu-west-1:123456789012:archive-requests"
}

resource "aws_cloudwatch_event_target" "notify" {
  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:sns:eu-west-1:123456789012:finance-notifications"
}

# Created only when the caller turns it on: the variable has no default and no tfvars sets it.
resource "aws_cloudwatch_event_target" "cleanup" {
  count = var.cleanup_enabled ? 1 : 0

  rule = aws_cloudwatch_event_rule.nightly_close.name
  arn  = "arn:aws:lambda:eu-west-1:123456789012:function:purge-temp-files"
}
