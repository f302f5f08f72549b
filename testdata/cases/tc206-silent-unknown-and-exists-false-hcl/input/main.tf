# EC2 state-change rules whose fields cannot be proven wrong. One field's name is a variable
# with no default and no value in the inputs; another rule's detail types are such a
# variable, so which schema applies is unknown. A near-miss field under `exists: false` holds
# whenever the field is absent, and the heredoc writes the fields as EC2 sends them. TC206
# stays silent.

variable "state_field" {
  description = "The detail field that holds the instance state"
  type        = string
}

variable "instance_detail_types" {
  type = list(string)
}

resource "aws_cloudwatch_event_rule" "instance_stopped" {
  name = "instance-stopped"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail = {
      (var.state_field) = ["stopped"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "instance_events" {
  name = "instance-events"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = var.instance_detail_types
    detail        = { State = ["stopped"] }
  })
}

resource "aws_cloudwatch_event_rule" "unnamed_instance_stopped" {
  name = "unnamed-instance-stopped"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail = {
      state      = ["stopped"]
      instanceId = [{ exists = false }]
    }
  })
}

resource "aws_cloudwatch_event_rule" "bastion_state" {
  name = "bastion-state"

  event_pattern = <<-EOT
    {
      "source": ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      "detail": {
        "instance-id": ["i-0123456789abcdef0"],
        "state": ["stopped", "terminated"]
      }
    }
  EOT
}
