resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}

resource "aws_cloudwatch_event_rule" "instance_state" {
  name           = "instance-state"
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
  })
}

# On the default bus: forwards EC2 events to `orders`.
resource "aws_cloudwatch_event_rule" "forward_ec2" {
  name = "forward-ec2"
  event_pattern = jsonencode({
    source = ["aws.ec2"]
  })
}

resource "aws_cloudwatch_event_target" "to_orders" {
  rule     = aws_cloudwatch_event_rule.forward_ec2.name
  arn      = aws_cloudwatch_event_bus.orders.arn
  role_arn = "arn:aws:iam::111122223333:role/forward-events"
}
