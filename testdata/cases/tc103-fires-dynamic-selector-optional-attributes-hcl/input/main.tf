terraform {
  required_version = ">= 1.3" # optional object attributes
}

provider "aws" {
  region = "us-east-1"
}

# `optional` attributes left out of an element are null (Terraform fills them in when it
# converts the value to the type), so every selector below is fully known.
variable "trail_selectors" {
  type = list(object({
    name      = string
    category  = string
    type      = optional(string)
    arn_start = optional(list(string))
  }))
  default = [
    {
      name     = "Management events"
      category = "Management"
    },
    {
      name      = "Legacy media"
      category  = "Data"
      type      = "AWS::S3::Object"
      arn_start = ["arn:aws:s3:::acme-legacy-media/"]
    },
  ]
}

resource "aws_cloudtrail" "media" {
  name                          = "media-audit"
  s3_bucket_name                = "acme-media-trail-logs"
  is_multi_region_trail         = true
  include_global_service_events = true

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

resource "aws_cloudwatch_event_rule" "media_upload" {
  name = "media-upload"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["s3.amazonaws.com"]
      eventName   = ["PutObject"]
      requestParameters = {
        bucketName = ["acme-media"]
      }
    }
  })
}
