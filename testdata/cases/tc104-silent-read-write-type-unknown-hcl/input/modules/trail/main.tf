variable "name" {
  type = string
}

variable "read_write_type" {
  type    = string
  default = "All"
}

resource "aws_s3_bucket" "logs" {
  bucket = "${var.name}-logs"
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = aws_s3_bucket.logs.id
  is_multi_region_trail         = true
  include_global_service_events = true

  event_selector {
    read_write_type           = var.read_write_type
    include_management_events = true

    # Every DynamoDB table of the account.
    data_resource {
      type   = "AWS::DynamoDB::Table"
      values = ["arn:aws:dynamodb"]
    }
  }
}
