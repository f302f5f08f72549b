# One rule per kind of S3 object notification, made with `for_each` over a map of detail
# types. The "uploads" entry misspells `Object Created` (two letters swapped): no event has
# that detail type, so that instance never fires (TC202). The "deletions" entry is right.

locals {
  object_notifications = {
    uploads   = ["Object Craeted"]
    deletions = ["Object Deleted"]
  }
}

resource "aws_cloudwatch_event_rule" "objects" {
  for_each = local.object_notifications

  name = "objects-${each.key}"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = each.value
    detail        = { bucket = { name = ["acme-uploads"] } }
  })
}
