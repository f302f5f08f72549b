# Instances that are stopping or stopped, written as JSON in an indented heredoc. The
# operator is misspelt (`prefixx`), so EventBridge rejects the pattern (TC201) and the apply
# fails.

resource "aws_cloudwatch_event_rule" "instance_stopping" {
  name        = "instance-stopping"
  description = "Instances that are stopping or stopped"

  event_pattern = <<-EOT
    {
      "source": ["aws.ec2"],
      "detail-type": ["EC2 Instance State-change Notification"],
      "detail": {
        "state": [{"prefixx": "stop"}]
      }
    }
  EOT
}
