provider "aws" {
  region = "eu-west-1"
}

resource "aws_sfn_state_machine" "refunds" {
  name     = "refunds"
  role_arn = "arn:aws:iam::123456789012:role/refunds-execution"
  definition = jsonencode({
    StartAt = "Done"
    States  = { Done = { Type = "Succeed" } }
  })
}

resource "aws_iam_role" "start_refunds" {
  name = "start-refunds"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Everything but IAM: a NotAction in an Allow is not evaluated (unknown).
resource "aws_iam_role_policy" "start_refunds" {
  name = "all-but-iam"
  role = aws_iam_role.start_refunds.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      NotAction = ["iam:*"]
      Resource  = "*"
    }]
  })
}

resource "aws_cloudwatch_event_rule" "refunds" {
  name                = "refunds-batch"
  schedule_expression = "rate(5 minutes)"
}

resource "aws_cloudwatch_event_target" "refunds" {
  rule      = aws_cloudwatch_event_rule.refunds.name
  target_id = "refunds-flow"
  arn       = aws_sfn_state_machine.refunds.arn
  role_arn  = aws_iam_role.start_refunds.arn
}
