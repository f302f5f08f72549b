# Reports EC2 instances leaving the watched states. The state list is filtered with a `for`
# expression that drops "running", and the variable's default holds nothing else: the
# filter leaves an empty array, which EventBridge rejects (TC201), so the apply fails.

variable "watched_states" {
  description = "Instance states that page the on-call engineer"
  type        = list(string)
  default     = ["running"]
}

locals {
  ec2_state_change = {
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
  }
}

resource "aws_cloudwatch_event_rule" "instance_left_service" {
  name        = "instance-left-service"
  description = "An instance left the running state"
  event_pattern = jsonencode(merge(local.ec2_state_change, {
    detail = { state = [for s in var.watched_states : s if s != "running"] }
  }))
}
