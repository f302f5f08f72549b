variable "consumers" {
  description = "Functions that run when the day closes, by target id"
  type        = map(string)
  default = {
    ledger   = "close-ledger"
    invoices = "issue-invoices"
    reports  = "build-reports"
    archive  = "archive-day"
    notify   = "notify-finance"
    cleanup  = "purge-temp-files"
  }
}

resource "aws_cloudwatch_event_rule" "nightly_close" {
  name                = "nightly-close"
  schedule_expression = "cron(0 0 * * ? *)"
}

# One resource, six instances: six targets on one rule.
resource "aws_cloudwatch_event_target" "consumer" {
  for_each = var.consumers

  rule      = aws_cloudwatch_event_rule.nightly_close.name
  target_id = each.key
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:${each.value}"
}
