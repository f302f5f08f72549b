variable "rule_state" {
  type        = string
  description = "State of the break-glass rule"
  default     = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"

  validation {
    condition     = contains(["DISABLED", "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"], var.rule_state)
    error_message = "Not an EventBridge rule state."
  }
}

variable "break_glass_role" {
  type    = string
  default = "break-glass"
}
