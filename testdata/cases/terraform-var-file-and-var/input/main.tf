variable "bucket" {
  type = string
}

variable "trail_logging" {
  type    = bool
  default = true
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "logs"
  enable_logging = var.trail_logging

  event_selector {
    read_write_type = "All"
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::${var.bucket}/"]
    }
  }
}

resource "aws_cloudwatch_event_rule" "uploads" {
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventName         = ["PutObject"]
      requestParameters = { bucketName = ["uploads"] }
    }
  })
}
