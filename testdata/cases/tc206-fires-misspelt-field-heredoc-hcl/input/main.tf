# One instance's state changes, written as JSON in a heredoc. The field is misspelt
# `instnace-id` (two letters swapped); EC2 state-change events carry `detail.instance-id`, so
# the rule never fires (TC206).

resource "aws_cloudwatch_event_rule" "bastion_state" {
  name        = "bastion-state"
  description = "State changes of the bastion host"

  event_pattern = <<EOF
{
  "source": ["aws.ec2"],
  "detail-type": ["EC2 Instance State-change Notification"],
  "detail": {
    "instnace-id": ["i-0123456789abcdef0"],
    "state": ["stopped", "terminated"]
  }
}
EOF
}
