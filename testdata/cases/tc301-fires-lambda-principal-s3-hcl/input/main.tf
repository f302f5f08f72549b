# The permission beside the function was copied from an S3 trigger: its principal is
# s3.amazonaws.com. It lets S3 invoke the function, not EventBridge, so the schedule's
# invocations are refused (TC301).

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

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
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

resource "aws_lambda_permission" "report_worker" {
  statement_id  = "AllowInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.report_worker.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.reports.arn
}
