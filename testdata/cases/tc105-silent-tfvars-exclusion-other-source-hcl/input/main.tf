provider "aws" {
  region = "us-east-1"
}

variable "excluded_sources" {
  type        = list(string)
  description = "Management event sources the trail leaves out"
  default     = ["kms.amazonaws.com"]
}

variable "key_events" {
  type = map(string)
  default = {
    deletion = "ScheduleKeyDeletion"
    disable  = "DisableKey"
  }
}

resource "aws_s3_bucket" "trail_logs" {}

resource "aws_cloudtrail" "org" {
  name                          = "org-audit"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true

  event_selector {
    read_write_type                  = "All"
    include_management_events        = true
    exclude_management_event_sources = var.excluded_sources
  }
}

resource "aws_cloudwatch_event_rule" "kms" {
  for_each = var.key_events

  name = "kms-${each.key}"
  event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["kms.amazonaws.com"]
      eventName   = [each.value]
    }
  })
}
