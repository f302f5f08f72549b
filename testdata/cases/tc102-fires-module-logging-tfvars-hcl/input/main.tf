provider "aws" {
  region = "eu-west-1"
}

variable "audit_logging" {
  type        = bool
  description = "Whether the audit trail records events"
  default     = true
}

module "audit" {
  source         = "./modules/audit-trail"
  name           = "ec2-audit"
  enable_logging = var.audit_logging
}

locals {
  watched = {
    terminate = "TerminateInstances"
    stop      = "StopInstances"
  }
}

resource "aws_cloudwatch_event_rule" "ec2_lifecycle" {
  for_each = local.watched

  name          = "ec2-${each.key}"
  event_pattern = <<-EOT
    {
      "source": ["aws.ec2"],
      "detail-type": ["AWS API Call via CloudTrail"],
      "detail": {
        "eventSource": ["ec2.amazonaws.com"],
        "eventName": ["${each.value}"]
      }
    }
  EOT
}
