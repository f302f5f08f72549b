variable "name" {
  type = string
}

variable "include_global" {
  type    = bool
  default = true
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = "trail-logs-111122223333"
  include_global_service_events = var.include_global
}
