# No region in the provider: the trail's home region is unknown (AWS_REGION at apply time).
provider "aws" {}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "trail-logs-111122223333"
}

# The rule sets its own region (AWS provider 6): eu-west-1.
resource "aws_cloudwatch_event_rule" "stopped" {
  region        = "eu-west-1"
  name          = "instance-stopped"
  event_pattern = <<-EOT
    {
      "source": ["aws.ec2"],
      "detail-type": ["AWS API Call via CloudTrail"],
      "detail": {
        "eventSource": ["ec2.amazonaws.com"],
        "eventName": ["StopInstances"]
      }
    }
  EOT
}
