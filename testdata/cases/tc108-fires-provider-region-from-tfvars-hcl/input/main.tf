variable "region" {
  type    = string
  default = "us-east-1"
}

# terraform.tfvars moves this deployment to eu-west-1.
provider "aws" {
  region = var.region
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = "trail-logs-111122223333"
  is_multi_region_trail = true
}

module "iam_alarms" {
  source      = "./modules/iam-alarms"
  enabled     = true
  event_names = ["AttachUserPolicy", "PutUserPolicy"]
}
