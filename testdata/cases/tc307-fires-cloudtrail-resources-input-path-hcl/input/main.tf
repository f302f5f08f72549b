# A rule on CloudTrail's records of new EC2 instances sends the target only `$.resources[0]`,
# as one would for an EC2 state-change event. CloudTrail records leave `resources` empty, so
# the target receives nothing from the path (TC307).

resource "aws_s3_bucket" "trail_logs" {
  bucket = "acme-trail-logs"
}

resource "aws_cloudtrail" "management" {
  name           = "management"
  s3_bucket_name = aws_s3_bucket.trail_logs.id
}

resource "aws_sqs_queue" "launches" {
  name = "instance-launches"
}

resource "aws_sqs_queue_policy" "launches" {
  queue_url = aws_sqs_queue.launches.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.launches.arn
    }]
  })
}

resource "aws_cloudwatch_event_rule" "instance_launched" {
  name = "instance-launched"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["ec2.amazonaws.com"]
      eventName   = ["RunInstances"]
    }
  })
}

resource "aws_cloudwatch_event_target" "launches" {
  rule       = aws_cloudwatch_event_rule.instance_launched.name
  target_id  = "launches"
  arn        = aws_sqs_queue.launches.arn
  input_path = "$.resources[0]"
}
