provider "aws" {
  region = "eu-west-1"
}

# Decided at apply time (no default, no .tfvars): the network trail may exist.
variable "network_trail" {
  type = bool
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudtrail" "network" {
  count                 = var.network_trail ? 1 : 0
  name                  = "network"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true

  advanced_event_selector {
    name = "KMS network activity"
    field_selector {
      field  = "eventCategory"
      equals = ["NetworkActivity"]
    }
    field_selector {
      field  = "eventSource"
      equals = ["kms.amazonaws.com"]
    }
  }
}

resource "aws_cloudwatch_event_rule" "denied_kms" {
  name = "denied-kms-calls"
  event_pattern = jsonencode({
    source        = ["aws.kms"]
    "detail-type" = ["AWS Network Activity Event via CloudTrail"]
    detail = {
      eventSource = ["kms.amazonaws.com"]
    }
  })
}
