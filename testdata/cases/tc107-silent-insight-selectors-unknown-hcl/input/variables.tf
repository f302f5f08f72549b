# Set at apply time (no default, no .tfvars): the insight types are unknown.
variable "insight_types" {
  type = list(string)
}
