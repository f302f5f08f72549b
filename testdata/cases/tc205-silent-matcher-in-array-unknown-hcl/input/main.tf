# Rules whose fields the matched events may carry. The picture rule builds its `suffix`
# matchers with a `for` expression over a variable's default, each inside the array as it
# must be. The report rule requires `resources` to be absent (`exists: false`), which holds
# for CloudTrail events. The instance rule filters on `resources`, but its detail types are a
# variable with no default and no value in the inputs: they may be EC2's own events, which do
# carry the instance ARN. TC205 stays silent.

variable "picture_suffixes" {
  type    = list(string)
  default = [".jpg", ".png"]
}

variable "instance_detail_types" {
  type = list(string)
}

resource "aws_cloudtrail" "account" {
  name                  = "account"
  s3_bucket_name        = "acme-trail-logs-111122223333"
  is_multi_region_trail = true
}

resource "aws_cloudwatch_event_rule" "picture_uploaded" {
  name = "picture-uploaded"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = ["acme-uploads"] }
      object = { key = [for s in var.picture_suffixes : { suffix = s }] }
    }
  })
}

resource "aws_cloudwatch_event_rule" "report_policy_changes" {
  name = "report-policy-changes"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    resources     = [{ exists = false }]
    detail = {
      eventSource = ["s3.amazonaws.com"]
      eventName   = ["PutBucketPolicy", "DeleteBucketPolicy"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "bastion_events" {
  name = "bastion-events"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = var.instance_detail_types
    resources     = ["arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0"]
  })
}
