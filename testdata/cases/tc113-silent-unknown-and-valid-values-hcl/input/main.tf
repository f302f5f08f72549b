# Given at apply time: not a literal, so not checked.
variable "archive_bucket_arn" {
  type = string
}

data "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
}

resource "aws_cloudtrail" "basic" {
  name           = "basic"
  s3_bucket_name = "trail-logs-111122223333"

  event_selector {
    read_write_type = "All"

    data_resource {
      type = "AWS::S3::Object"
      values = [
        "${var.archive_bucket_arn}/",
        "${data.aws_s3_bucket.legacy.arn}/",
        "arn:aws:s3:::acme-reports/",
        "arn:aws:s3:::acme-exports/daily/",
      ]
    }

    data_resource {
      type   = "AWS::Lambda::Function"
      values = ["arn:aws:lambda"]
    }
  }
}

resource "aws_cloudtrail" "advanced" {
  name           = "advanced"
  s3_bucket_name = "trail-logs-111122223333"

  advanced_event_selector {
    name = "Objects of the reports bucket"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:s3:::acme-reports"]
    }
  }

  advanced_event_selector {
    name = "Objects of every bucket but the archive"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field      = "resources.ARN"
      not_equals = [var.archive_bucket_arn, "arn:aws:s3:::acme-archive"]
    }
  }
}
