# KMS events are kept; only the RDS Data API is too chatty to log.
excluded_sources = ["rdsdata.amazonaws.com"]
