# No region: it comes from the environment. Global service events are recorded in us-east-1
# wherever the rule is, and the only trail (of unknown region) leaves them out.
provider "aws" {}

module "audit" {
  source         = "./modules/trail"
  name           = "audit"
  include_global = false
}

resource "aws_cloudwatch_event_rule" "new_accounts" {
  name = "new-accounts"
  event_pattern = jsonencode({
    source        = ["aws.organizations"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventName = ["CreateAccount"]
    }
  })
}
