resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}

# Another account may put events on the bus (it may forward AWS events to it).
data "aws_iam_policy_document" "orders" {
  statement {
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.orders.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "orders" {
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  policy         = data.aws_iam_policy_document.orders.json
}

resource "aws_cloudwatch_event_rule" "instance_state" {
  name           = "instance-state"
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
  })
}
