resource "aws_s3_bucket" "data" {
  for_each = toset(["acme-uploads", "acme-reports"])
  bucket   = each.key
}

# EventBridge delivery is turned on for the reports bucket only.
resource "aws_s3_bucket_notification" "reports" {
  bucket      = aws_s3_bucket.data["acme-reports"].id
  eventbridge = true
}

resource "aws_cloudwatch_event_rule" "new_objects" {
  name = "new-objects"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = {
        name = [
          "acme-uploads",
          "acme-reports",
        ]
      }
    }
  })
}
