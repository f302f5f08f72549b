provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_log_group" "order_audit" {
  name              = "/aws/events/order-audit"
  retention_in_days = 30
}

resource "aws_cloudwatch_event_rule" "order_events" {
  name = "order-events-to-log"
  event_pattern = jsonencode({
    source        = ["com.acme.orders"]
    "detail-type" = ["OrderPlaced", "OrderCancelled"]
  })
}

# The one template shape a CloudWatch Logs target accepts.
resource "aws_cloudwatch_event_target" "audit_log" {
  rule      = aws_cloudwatch_event_rule.order_events.name
  target_id = "audit-log"
  arn       = aws_cloudwatch_log_group.order_audit.arn

  input_transformer {
    input_paths = {
      time   = "$.time"
      detail = "$.detail"
    }
    input_template = "{\"timestamp\": <time>, \"message\": <detail>}"
  }
}
