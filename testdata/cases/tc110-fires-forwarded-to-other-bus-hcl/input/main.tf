locals {
  bus_name = "orders"
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = local.bus_name
}

resource "aws_cloudwatch_event_bus" "audit" {
  name = "audit"
}

# On the custom bus `orders`: EC2 state changes reach the default bus only (TC110).
resource "aws_cloudwatch_event_rule" "instance_state" {
  name           = "instance-state"
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
  })
}

# A rule on the default bus forwards EC2 events, but to `audit`, not to `orders`.
resource "aws_cloudwatch_event_rule" "forward_ec2" {
  name = "forward-ec2"
  event_pattern = jsonencode({
    source = ["aws.ec2"]
  })
}

resource "aws_cloudwatch_event_target" "to_audit" {
  rule     = aws_cloudwatch_event_rule.forward_ec2.name
  arn      = aws_cloudwatch_event_bus.audit.arn
  role_arn = "arn:aws:iam::111122223333:role/forward-events"
}
