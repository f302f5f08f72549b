terraform {
  required_version = ">= 1.3"
}

provider "aws" {
  region = "us-east-1"
}

variable "alerts_enabled" {
  type    = bool
  default = true
}

# Object-level logging: which buckets, and which class of calls.
variable "object_logging" {
  type = list(object({
    read_write_type = string
    buckets         = list(string)
  }))
  default = [
    {
      read_write_type = "WriteOnly"
      buckets         = ["acme-finance-reports", "acme-finance-exports"]
    },
  ]
}

resource "aws_cloudtrail" "finance" {
  name                          = "finance-audit"
  s3_bucket_name                = "acme-finance-trail-logs"
  is_multi_region_trail         = true
  include_global_service_events = true

  dynamic "event_selector" {
    for_each = var.object_logging
    content {
      read_write_type           = event_selector.value.read_write_type
      include_management_events = true

      data_resource {
        type   = "AWS::S3::Object"
        values = [for b in event_selector.value.buckets : "arn:aws:s3:::${b}/"]
      }
    }
  }
}

resource "aws_cloudwatch_event_rule" "report_download" {
  count = var.alerts_enabled ? 1 : 0

  name          = "finance-report-download"
  event_pattern = <<EOF
{
  "source": ["aws.s3"],
  "detail-type": ["AWS API Call via CloudTrail"],
  "detail": {
    "eventSource": ["s3.amazonaws.com"],
    "eventName": ["GetObject"],
    "requestParameters": {
      "bucketName": ["acme-finance-reports"]
    }
  }
}
EOF
}
