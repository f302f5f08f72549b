provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-secrets-trail-logs"
}

# Logs every management event, reads included.
resource "aws_cloudtrail" "secrets" {
  name                          = "secrets-audit"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  enable_logging                = true
  is_multi_region_trail         = true
  include_global_service_events = true
}

resource "aws_kms_key" "payments" {
  description = "Payments data key"
}

resource "aws_cloudwatch_event_rule" "payments_key_use" {
  name        = "payments-key-decrypt"
  description = "Someone in this account decrypts with the payments key"
  is_enabled  = true
  event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["kms.amazonaws.com"]
      eventName   = ["Decrypt"]
      userIdentity = {
        accountId = [data.aws_caller_identity.current.account_id]
      }
    }
  })
}
