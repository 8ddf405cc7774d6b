"""`python -m integrations`: serve the API, run the outbox relay, consumers and jobs."""

from integrations.main import create_app
from integrations.settings import IntegrationsSettings
from shelfspace_kernel.app import serve

settings = IntegrationsSettings()
serve(create_app(settings), settings)
