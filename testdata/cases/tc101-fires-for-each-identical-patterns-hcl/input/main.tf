provider "aws" {
  region = "us-east-1"
}

variable "channels" {
  type = map(string)
  default = {
    pagerduty = "arn:aws:sns:us-east-1:111122223333:pagerduty"
    slack     = "arn:aws:sns:us-east-1:111122223333:slack"
  }
}

# One rule per notification channel, all with the same pattern; no trail is declared, so
# none of them ever fires.
resource "aws_cloudwatch_event_rule" "root_login" {
  for_each = var.channels

  name = "root-console-login-${each.key}"
  event_pattern = jsonencode({
    source        = ["aws.signin"]
    "detail-type" = ["AWS Console Sign In via CloudTrail"]
    detail = {
      userIdentity = {
        type = ["Root"]
      }
    }
  })
}

resource "aws_cloudwatch_event_target" "notify" {
  for_each = var.channels

  rule = aws_cloudwatch_event_rule.root_login[each.key].name
  arn  = each.value
}
