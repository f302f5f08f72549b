provider "aws" {
  region = "eu-central-1"
}

locals {
  # High-volume sources kept out of the trail to save cost.
  noisy_sources = ["kms.amazonaws.com", "rdsdata.amazonaws.com"]
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-platform-trail-logs"
}

resource "aws_cloudtrail" "platform" {
  name                          = "platform"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  enable_logging                = true
  is_multi_region_trail         = true
  include_global_service_events = true

  event_selector {
    read_write_type                  = "All"
    include_management_events        = true
    exclude_management_event_sources = local.noisy_sources
  }
}

module "key_alarms" {
  source      = "./modules/key-alarms"
  name_prefix = "platform"
}
