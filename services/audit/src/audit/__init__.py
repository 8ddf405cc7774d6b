"""The audit service: the activity log of every event."""

SERVICE = "audit"
