# Instances that stopped or terminated; the states are a local. The field is written
# `State`, but EC2 state-change events carry `detail.state`: field names match exactly, so the
# rule never fires (TC206).

locals {
  stopped_states = ["stopped", "terminated"]
}

resource "aws_cloudwatch_event_rule" "instance_stopped" {
  name        = "instance-stopped"
  description = "Instances that stopped or terminated"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail = {
      State = local.stopped_states
    }
  })
}
