# Terminated instances, a rule copied from an S3 rule and edited halfway: the sources come
# from terraform.tfvars and still say aws.s3, while `eventSource` says EC2. Events from
# ec2.amazonaws.com have the source aws.ec2, so nothing matches (TC203). The pattern is passed
# to a local module as an input.

variable "sources" {
  description = "Event sources of the termination rule"
  type        = list(string)
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

module "terminations" {
  source = "./modules/rule"

  name = "terminated-instances"
  event_pattern = jsonencode({
    source        = var.sources
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["TerminateInstances"]
    }
  })
}
