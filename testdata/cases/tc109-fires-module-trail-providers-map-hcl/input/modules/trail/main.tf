# Uses whatever `aws` provider the caller passes.
resource "aws_cloudtrail" "this" {
  name           = "main"
  s3_bucket_name = "trail-logs-111122223333"
}
