# Two rules that can never match. Policy changes of the report buckets filter on the
# top-level `resources`, built with a `for` expression from a variable's default: events
# delivered by CloudTrail have an empty `resources` array. Uploaded pictures write the
# `suffix` matcher outside an array, where it is a field name below `detail.object.key`, a
# string in `Object Created` events. Both are TC205; neither rule gets a trail finding.

variable "report_buckets" {
  description = "Buckets whose policy changes are reported"
  type        = list(string)
  default     = ["acme-reports", "acme-exports"]
}

resource "aws_cloudwatch_event_rule" "report_policy_changes" {
  name = "report-policy-changes"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    resources     = [for b in var.report_buckets : "arn:aws:s3:::${b}"]
    detail        = { eventName = ["PutBucketPolicy", "DeleteBucketPolicy"] }
  })
}

resource "aws_cloudwatch_event_rule" "picture_uploaded" {
  name = "picture-uploaded"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = ["acme-uploads"] }
      object = {
        key = {
          suffix = [".jpg"]
        }
      }
    }
  })
}
