# The region is given at apply time: it may be us-east-1.
variable "region" {
  type = string
}

provider "aws" {
  region = var.region
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "new_users" {
  name          = "new-iam-users"
  event_pattern = <<EOF
{
  "source": ["aws.iam"],
  "detail-type": ["AWS API Call via CloudTrail"],
  "detail": {
    "eventSource": ["iam.amazonaws.com"],
    "eventName": ["CreateUser"]
  }
}
EOF
}
