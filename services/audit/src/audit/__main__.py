"""`python -m audit`: serve the API, run the outbox relay, consumers and jobs."""

from audit.main import create_app
from audit.settings import AuditSettings
from shelfspace_kernel.app import serve

settings = AuditSettings()
serve(create_app(settings), settings)
