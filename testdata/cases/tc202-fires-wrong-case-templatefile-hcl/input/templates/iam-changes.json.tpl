{
  "source": ${jsonencode(sources)},
  "detail-type": ["AWS API Call Via CloudTrail"],
  "detail": {
    "eventSource": ["iam.amazonaws.com"],
    "eventName": ${jsonencode(event_names)}
  }
}
