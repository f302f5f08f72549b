variable "region" {
  type    = string
  default = "us-east-1"
}

variable "uploads_bucket" {
  type    = string
  default = "acme-partner-uploads"
}

# One advanced event selector per entry; `type` and `arn_start` are null for management events.
variable "trail_selectors" {
  type = list(object({
    name      = string
    category  = string
    type      = string
    arn_start = list(string)
  }))
  default = [
    {
      name      = "Management events"
      category  = "Management"
      type      = null
      arn_start = null
    },
    {
      name      = "Partner uploads"
      category  = "Data"
      type      = "AWS::S3::Object"
      arn_start = ["arn:aws:s3:::acme-partner-uploads/"]
    },
  ]
}
