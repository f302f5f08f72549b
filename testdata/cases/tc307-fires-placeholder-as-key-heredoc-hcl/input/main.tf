resource "aws_cloudwatch_event_rule" "instance_state" {
  name = "instance-state"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
  })
}

# The inventory function wants {"i-0abc…": "running"}; EventBridge does not allow a
# placeholder as an object key in a JSON template.
resource "aws_cloudwatch_event_target" "inventory" {
  rule      = aws_cloudwatch_event_rule.instance_state.name
  target_id = "inventory"
  arn       = "arn:aws:lambda:eu-west-1:123456789012:function:instance-inventory"

  input_transformer {
    input_paths = {
      instance = "$.detail.instance-id"
      state    = "$.detail.state"
    }
    input_template = <<EOF
{
  "<instance>": "<state>"
}
EOF
  }
}
