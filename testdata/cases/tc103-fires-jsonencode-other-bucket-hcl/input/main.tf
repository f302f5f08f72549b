provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-data-trail-logs"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-customer-data"
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-customer-archive"
}

# Object-level logging was set up for the archive only.
resource "aws_cloudtrail" "data_events" {
  name                          = "data-events"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.archive.arn}/"]
    }
  }
}

resource "aws_cloudwatch_event_rule" "customer_download" {
  name = "customer-data-download"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["s3.amazonaws.com"]
      eventName   = ["GetObject"]
      requestParameters = {
        bucketName = [aws_s3_bucket.data.id]
      }
    }
  })
}
