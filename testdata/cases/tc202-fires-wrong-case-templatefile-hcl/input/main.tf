# IAM user changes, with the pattern rendered from a template file. The template spells the
# detail type `AWS API Call Via CloudTrail` (capital V): EventBridge matches exactly, so no
# event matches and the rule never fires (TC202). The misspelt branch matches no CloudTrail
# event, so the missing trail is no finding.

resource "aws_cloudwatch_event_rule" "iam_user_changes" {
  name        = "iam-user-changes"
  description = "IAM users created or deleted"
  event_pattern = templatefile("${path.module}/templates/iam-changes.json.tpl", {
    sources     = ["aws.iam"]
    event_names = ["CreateUser", "DeleteUser"]
  })
}
