"""`python -m identity`: serve the API, run the outbox relay, consumers and jobs."""

from identity.main import create_app
from identity.settings import IdentitySettings
from shelfspace_kernel.app import serve

settings = IdentitySettings()
serve(create_app(settings), settings)
