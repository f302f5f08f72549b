provider "aws" {
  region = "eu-west-1"
}

variable "opened_bus" {
  type = string
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}

# The policy's bus is a variable without a value: it may be `orders`, and open it to an
# account that forwards AWS events there. No TC110.
resource "aws_cloudwatch_event_bus_policy" "opened" {
  event_bus_name = var.opened_bus
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "events:PutEvents"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Resource  = "*"
    }]
  })
}

resource "aws_cloudwatch_event_rule" "instance_state" {
  name           = "instance-state"
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
  })
}
