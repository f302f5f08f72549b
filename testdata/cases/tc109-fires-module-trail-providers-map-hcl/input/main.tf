provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "oregon"
  region = "us-west-2"
}

module "trail" {
  source = "./modules/trail"
  providers = {
    aws = aws.oregon
  }
}

locals {
  lifecycle_events = {
    stop      = "StopInstances"
    terminate = "TerminateInstances"
  }
}

resource "aws_cloudwatch_event_rule" "ec2" {
  for_each = local.lifecycle_events
  name     = "ec2-${each.key}"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = [each.value]
    }
  })
}
