provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudwatch_event_rule" "instance_stopped" {
  name = "instance-stopped"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail = {
      state = ["stopped"]
    }
  })
}

# The placeholder names copy the event's field paths, dots included. An InputPathsMap key
# may only hold letters, digits, `_` and `-`: PutTargets rejects this target.
resource "aws_cloudwatch_event_target" "notify" {
  rule      = aws_cloudwatch_event_rule.instance_stopped.name
  target_id = "notify-ops"
  arn       = "arn:aws:sns:eu-west-1:123456789012:ops-notifications"

  input_transformer {
    input_paths = {
      "detail.instance-id" = "$.detail.instance-id"
      state                = "$.detail.state"
    }
    input_template = "\"Instance <detail.instance-id> is now <state>\""
  }
}
