variable "uploads_bucket" {
  type    = string
  default = "acme-uploads"
}

variable "send_to_eventbridge" {
  type    = bool
  default = true
}
