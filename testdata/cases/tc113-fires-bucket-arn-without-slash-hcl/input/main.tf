locals {
  reports_bucket = "acme-reports"
}

resource "aws_cloudtrail" "data" {
  name           = "data"
  s3_bucket_name = "trail-logs-111122223333"

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type = "AWS::S3::Object"
      values = [
        "arn:aws:s3:::${local.reports_bucket}",
        "arn:aws:s3:::exports-*/",
      ]
    }
  }
}

# Basic and advanced selectors on one trail.
resource "aws_cloudtrail" "mixed" {
  count          = 1
  name           = "mixed"
  s3_bucket_name = "trail-logs-111122223333"

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}
