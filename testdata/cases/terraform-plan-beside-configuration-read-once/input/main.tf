resource "aws_s3_bucket" "data" {
  bucket = "invoices"
}

resource "aws_cloudwatch_event_rule" "reads" {
  name = "invoice-reads"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventName         = ["GetObject"]
      requestParameters = { bucketName = [aws_s3_bucket.data.id] }
    }
  })
}
