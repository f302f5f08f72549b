# The permission limits the invoker by source_arn (this rule) and by source_account, the account
# from data.aws_caller_identity (the deployment's own). EventBridge invokes with this rule's ARN
# from this account: nothing to report.

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "report_worker" {
  name = "acme-report-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_lambda_function" "report_worker" {
  function_name = "acme-report-worker"
  role          = aws_iam_role.report_worker.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "report_worker.zip"
}

resource "aws_cloudwatch_event_rule" "nightly_report" {
  name                = "nightly-report"
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "report_worker" {
  rule      = aws_cloudwatch_event_rule.nightly_report.name
  target_id = "report-worker"
  arn       = aws_lambda_function.report_worker.arn
}

resource "aws_lambda_permission" "nightly_report" {
  statement_id   = "AllowNightlyReport"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.report_worker.function_name
  principal      = "events.amazonaws.com"
  source_arn     = aws_cloudwatch_event_rule.nightly_report.arn
  source_account = data.aws_caller_identity.current.account_id
}
