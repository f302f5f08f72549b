provider "aws" {
  region = "eu-west-1"
}

module "audit_trail" {
  source          = "./modules/audit-trail"
  network_sources = ["kms.amazonaws.com", "secretsmanager.amazonaws.com"]
}

resource "aws_cloudwatch_event_rule" "denied_secrets" {
  name          = "denied-secrets-calls"
  event_pattern = <<-EOT
    {
      "source": ["aws.secretsmanager"],
      "detail-type": ["AWS Network Activity Event via CloudTrail"],
      "detail": {
        "eventSource": ["secretsmanager.amazonaws.com"]
      }
    }
  EOT
}
