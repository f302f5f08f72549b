# This environment turns EventBridge delivery off.
send_to_eventbridge = false
