sources = ["aws.s3"]
