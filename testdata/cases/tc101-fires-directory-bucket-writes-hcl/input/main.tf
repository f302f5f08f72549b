provider "aws" {
  region = "eu-west-1"
}

# Writes to an S3 directory bucket are data events of AWS::S3Express::Object, which only
# advanced event selectors select; no trail exists.
resource "aws_cloudwatch_event_rule" "express_writes" {
  name = "express-writes"
  event_pattern = jsonencode({
    source        = ["aws.s3express"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["s3express.amazonaws.com"]
      eventName   = ["PutObject"]
    }
  })
}
