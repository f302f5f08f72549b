# One EventBridge rule on the default bus; the caller gives its pattern.

variable "name" {
  type = string
}

variable "event_pattern" {
  description = "The rule's event pattern, as JSON"
  type        = string
}

resource "aws_cloudwatch_event_rule" "this" {
  name          = var.name
  event_pattern = var.event_pattern
}
