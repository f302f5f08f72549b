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

# A policy without `event_bus_name` opens the default bus, not `orders`: TC110 still fires.
resource "aws_cloudwatch_event_bus_policy" "default" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "events:PutEvents"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Resource  = "arn:aws:events:eu-west-1:111122223333:event-bus/default"
    }]
  })
}
