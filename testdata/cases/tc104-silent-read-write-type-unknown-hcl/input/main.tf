provider "aws" {
  region = "us-west-2"
}

# Set per environment by the pipeline (-var); no default, no tfvars here.
variable "trail_read_write_type" {
  type        = string
  description = "ReadOnly, WriteOnly or All"
}

module "orders_trail" {
  source = "./modules/trail"

  name            = "orders-audit"
  read_write_type = var.trail_read_write_type
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_cloudwatch_event_rule" "order_lookup" {
  name = "order-lookup"
  event_pattern = jsonencode({
    source        = ["aws.dynamodb"]
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["dynamodb.amazonaws.com"]
      eventName   = ["GetItem"]
      requestParameters = {
        tableName = [aws_dynamodb_table.orders.name]
      }
    }
  })
}
