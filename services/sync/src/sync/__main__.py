"""`python -m sync`: serve the API, run the outbox relay, consumers and jobs."""

from shelfspace_kernel.app import serve
from sync.main import create_app
from sync.settings import SyncSettings

settings = SyncSettings()
serve(create_app(settings), settings)
