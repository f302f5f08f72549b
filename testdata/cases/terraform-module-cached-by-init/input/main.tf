module "events" {
  source  = "acme/events/aws"
  version = "1.4.0"
  bucket  = "invoices"
}

module "not_cached" {
  source = "git::https://example.com/modules.git//rules"
}
