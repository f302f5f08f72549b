# No default and no terraform.tfvars: the value is only known when someone runs plan.
variable "create_trail" {
  type        = bool
  description = "Whether this stack owns the account's audit trail"
}
