# Logging switched off while the log bucket is migrated.
audit_logging = false
