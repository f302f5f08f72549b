provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}

# `event_bus_name` takes the bus's ARN as well as its name.
resource "aws_cloudwatch_event_rule" "table_writes" {
  name           = "table-writes"
  event_bus_name = aws_cloudwatch_event_bus.orders.arn
  event_pattern  = <<-EOT
    {
      "source": ["aws.dynamodb"],
      "detail-type": ["AWS API Call via CloudTrail"],
      "detail": {
        "eventSource": ["dynamodb.amazonaws.com"],
        "eventName": ["DeleteTable"]
      }
    }
  EOT
}
