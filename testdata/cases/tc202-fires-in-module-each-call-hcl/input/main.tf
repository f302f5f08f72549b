# Two calls of a local module whose rule misspells the CloudTrail detail type: each instance
# of the rule never fires (TC202), and as their branches match no CloudTrail event, the
# missing trail is no finding.

module "iam_changes" {
  source      = "./modules/api-calls"
  service     = "iam"
  event_names = ["CreateUser", "DeleteUser"]
}

module "bucket_changes" {
  source      = "./modules/api-calls"
  service     = "s3"
  event_names = ["PutBucketPolicy", "DeleteBucketPolicy"]
}
