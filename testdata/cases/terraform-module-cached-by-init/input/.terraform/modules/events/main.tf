variable "bucket" {}

resource "aws_cloudwatch_event_rule" "reads" {
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventName         = ["GetObject"]
      requestParameters = { bucketName = [var.bucket] }
    }
  })
}
