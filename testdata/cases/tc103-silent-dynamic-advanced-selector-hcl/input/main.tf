provider "aws" {
  region = var.region
}

locals {
  name_prefix = "partner"
}

resource "aws_s3_bucket" "uploads" {
  bucket = var.uploads_bucket
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "${local.name_prefix}-trail-logs"
}

resource "aws_cloudtrail" "partner" {
  name                          = "${local.name_prefix}-audit"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true

  dynamic "advanced_event_selector" {
    for_each = var.trail_selectors
    content {
      name = advanced_event_selector.value.name

      field_selector {
        field  = "eventCategory"
        equals = [advanced_event_selector.value.category]
      }

      dynamic "field_selector" {
        for_each = advanced_event_selector.value.type == null ? [] : [advanced_event_selector.value.type]
        content {
          field  = "resources.type"
          equals = [field_selector.value]
        }
      }

      dynamic "field_selector" {
        for_each = advanced_event_selector.value.arn_start == null ? [] : [advanced_event_selector.value.arn_start]
        content {
          field       = "resources.ARN"
          starts_with = field_selector.value
        }
      }
    }
  }
}

resource "aws_cloudwatch_event_rule" "partner_upload" {
  name = "${local.name_prefix}-upload"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["s3.amazonaws.com"]
      eventName   = ["PutObject", "CompleteMultipartUpload"]
      requestParameters = {
        bucketName = [aws_s3_bucket.uploads.bucket]
      }
    }
  })
}
