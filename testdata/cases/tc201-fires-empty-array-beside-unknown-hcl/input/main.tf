# A pattern only partly known before deployment: its sources are a variable with no default
# and no value in the inputs. Its `detail.state` is an empty array whatever the sources are,
# and EventBridge rejects empty arrays: the pattern is invalid for every value the variable
# can take (TC201), as it is in a template whose `source` is `!Ref` a parameter.
# (jsonencode writes the keys sorted, so `detail` also comes first in the JSON EventBridge
# reads: no unknown can give an earlier offence.)

variable "sources" {
  description = "Event sources of the fleet rule"
  type        = list(string)
}

resource "aws_cloudwatch_event_rule" "fleet_stopped" {
  name = "fleet-stopped"
  event_pattern = jsonencode({
    source        = var.sources
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail        = { state = [] }
  })
}
