provider "aws" {
  region = "eu-west-1"
}

locals {
  network_sources = ["kms.amazonaws.com"]
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  dynamic "advanced_event_selector" {
    for_each = local.network_sources
    content {
      name = "Network activity of ${advanced_event_selector.value}"
      field_selector {
        field  = "eventCategory"
        equals = ["NetworkActivity"]
      }
      field_selector {
        field  = "eventSource"
        equals = [advanced_event_selector.value]
      }
    }
  }
}

# Secrets Manager calls through VPC endpoints: the trail logs network activity of KMS only.
resource "aws_cloudwatch_event_rule" "denied_secrets" {
  name = "denied-secrets-calls"
  event_pattern = jsonencode({
    source        = ["aws.secretsmanager"]
    "detail-type" = ["AWS Network Activity Event via CloudTrail"]
    detail = {
      eventSource = ["secretsmanager.amazonaws.com"]
      errorCode   = ["VpceAccessDenied"]
    }
  })
}
