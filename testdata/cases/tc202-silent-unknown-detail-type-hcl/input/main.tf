# Detail types that are not known before deployment: variables with no default and no value
# in the inputs, whole or as part of a string. Whatever they are, they may be right, so TC202
# proves nothing and stays silent. A detail type from a variable's default is read, and
# `Object Created` is right.

variable "instance_detail_type" {
  type = string
}

variable "fleet_detail_types" {
  type = list(string)
}

variable "api_call_via" {
  description = "The word between `AWS API Call` and `CloudTrail`"
  type        = string
}

variable "upload_detail_type" {
  type    = string
  default = "Object Created"
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-trail-logs-111122223333"
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = aws_s3_bucket.trail_logs.id
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "instance_state" {
  name = "instance-state"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = [var.instance_detail_type]
  })
}

resource "aws_cloudwatch_event_rule" "fleet_events" {
  name = "fleet-events"
  event_pattern = jsonencode({
    source        = ["aws.ec2", "aws.autoscaling"]
    "detail-type" = var.fleet_detail_types
  })
}

resource "aws_cloudwatch_event_rule" "terminations" {
  name = "terminations"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["AWS API Call ${var.api_call_via} CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["TerminateInstances"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "uploads" {
  name = "uploads"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = [var.upload_detail_type]
    detail        = { bucket = { name = ["acme-uploads"] } }
  })
}
