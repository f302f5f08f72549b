locals {
  buckets = toset(["acme-uploads", "acme-reports"])
}

resource "aws_s3_bucket" "data" {
  for_each = local.buckets
  bucket   = each.key
}

resource "aws_s3_bucket_notification" "data" {
  for_each    = aws_s3_bucket.data
  bucket      = each.value.id
  eventbridge = true
}

resource "aws_cloudwatch_event_rule" "new_objects" {
  name = "new-objects"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created", "Object Deleted"]
    detail = {
      bucket = {
        name = [for b in aws_s3_bucket.data : b.bucket]
      }
    }
  })
}
