provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "oregon"
  region = "us-west-2"
}

variable "watch_stops" {
  type    = bool
  default = true
}

# Single-region (the default) in us-west-2: it records nothing of eu-west-1.
resource "aws_cloudtrail" "oregon" {
  provider       = aws.oregon
  name           = "oregon"
  s3_bucket_name = "trail-logs-111122223333"
}

resource "aws_cloudwatch_event_rule" "stopped" {
  count = var.watch_stops ? 1 : 0
  name  = "instance-stopped"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["StopInstances"]
    }
  })
}
