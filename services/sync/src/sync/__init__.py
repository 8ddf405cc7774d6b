"""The sync service: durable import jobs, schedules and watchlists."""

SERVICE = "sync"
