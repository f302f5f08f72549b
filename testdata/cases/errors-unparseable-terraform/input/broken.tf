resource "aws_cloudtrail" "main" {
  name = "main"
  s3_bucket_name = "logs"
  event_selector {
    read_write_type = "All"
  # the block is never closed
