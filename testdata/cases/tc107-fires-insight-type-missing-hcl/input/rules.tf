# Waits for error rate Insights, which no trail computes (TC107).
resource "aws_cloudwatch_event_rule" "error_spikes" {
  name          = "api-error-spikes"
  event_pattern = <<-EOT
    {
      "detail-type": ["AWS Insight via CloudTrail"],
      "detail": {
        "insightDetails": {
          "insightType": ["ApiErrorRateInsight"]
        }
      }
    }
  EOT
}
