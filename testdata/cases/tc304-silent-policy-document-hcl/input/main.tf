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

data "aws_iam_policy_document" "events_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "start_refunds" {
  statement {
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.refunds.arn]
  }
}

resource "aws_iam_role" "start_refunds" {
  name               = "start-refunds"
  assume_role_policy = data.aws_iam_policy_document.events_trust.json
}

resource "aws_iam_role_policy" "start_refunds" {
  name   = "start-refunds"
  role   = aws_iam_role.start_refunds.id
  policy = data.aws_iam_policy_document.start_refunds.json
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
