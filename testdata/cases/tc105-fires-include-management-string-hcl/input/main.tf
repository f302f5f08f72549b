provider "aws" {
  region = "eu-west-1"
}

variable "log_management_events" {
  type    = string
  default = "false"
}

# Logs the uploads bucket's object events only: `include_management_events` is the string
# "false", which Terraform converts to the boolean.
resource "aws_cloudtrail" "uploads" {
  name                  = "uploads"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true

  event_selector {
    read_write_type           = "All"
    include_management_events = var.log_management_events

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::acme-uploads/"]
    }
  }
}

resource "aws_cloudwatch_event_rule" "instance_launched" {
  name = "instance-launched"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["RunInstances"]
    }
  })
}
