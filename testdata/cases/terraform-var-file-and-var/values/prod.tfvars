bucket = "reports"
