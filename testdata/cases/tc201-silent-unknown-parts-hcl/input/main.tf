# Patterns that are only partly known before deployment: a part of each is a variable with no
# default and no value in the inputs. The known parts are valid, and any value the variables
# may take could make a valid pattern, so nothing is proven and TC201 stays silent.

variable "sources" {
  description = "Event sources of the fleet rule"
  type        = list(string)
}

variable "state_prefix" {
  type = string
}

variable "excluded_instances" {
  type = list(string)
}

variable "min_total" {
  type = number
}

variable "detail_filter" {
  type = any
}

# The whole `source` leaf is unknown: it may well be a list.
resource "aws_cloudwatch_event_rule" "fleet_state" {
  name = "fleet-state"
  event_pattern = jsonencode({
    source        = var.sources
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail        = { state = ["stopped", "terminated"] }
  })
}

# Operands of `prefix` and `anything-but` are unknown.
resource "aws_cloudwatch_event_rule" "instance_stopping" {
  name = "instance-stopping"
  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Instance State-change Notification"]
    detail = {
      state         = [{ prefix = var.state_prefix }]
      "instance-id" = [{ "anything-but" = var.excluded_instances }]
    }
  })
}

# A bound of `numeric` is unknown, in an application's own events.
resource "aws_cloudwatch_event_rule" "large_orders" {
  name = "large-orders"
  event_pattern = jsonencode({
    source        = ["acme.orders"]
    "detail-type" = ["Order Placed"]
    detail        = { total = [{ numeric = [">=", var.min_total] }] }
  })
}

# The whole `detail` object is unknown.
resource "aws_cloudwatch_event_rule" "filtered_orders" {
  name = "filtered-orders"
  event_pattern = jsonencode({
    source        = ["acme.orders"]
    "detail-type" = ["Order Placed"]
    detail        = var.detail_filter
  })
}
