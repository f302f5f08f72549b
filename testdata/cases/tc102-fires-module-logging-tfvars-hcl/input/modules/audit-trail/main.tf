variable "name" {
  type = string
}

variable "enable_logging" {
  type    = bool
  default = true
}

resource "aws_s3_bucket" "logs" {
  bucket_prefix = "${var.name}-logs-"
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = aws_s3_bucket.logs.id
  enable_logging                = var.enable_logging
  is_multi_region_trail         = true
  include_global_service_events = true
}

output "arn" {
  value = aws_cloudtrail.this.arn
}
