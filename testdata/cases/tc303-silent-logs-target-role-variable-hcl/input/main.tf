provider "aws" {
  region = "eu-west-1"
}

# Given by the caller, or left null: whether the target has a role is not known here.
variable "delivery_role_arn" {
  type = string
}

resource "aws_cloudwatch_log_group" "audit" {
  name              = "/aws/events/audit"
  retention_in_days = 30
}

resource "aws_cloudwatch_event_rule" "audit_tick" {
  name                = "audit-tick"
  schedule_expression = "rate(5 minutes)"
}

resource "aws_cloudwatch_event_target" "audit" {
  rule      = aws_cloudwatch_event_rule.audit_tick.name
  target_id = "audit-log"
  arn       = aws_cloudwatch_log_group.audit.arn
  role_arn  = var.delivery_role_arn
}
