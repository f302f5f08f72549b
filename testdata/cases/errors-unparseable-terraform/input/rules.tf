resource "aws_cloudwatch_event_rule" "bad" {
  event_pattern = jsonencode({ source = "aws.ec2" })
}
