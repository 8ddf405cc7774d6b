"""`python -m library`: serve the API, run the outbox relay, consumers and jobs."""

from library.main import create_app
from library.settings import LibrarySettings
from shelfspace_kernel.app import serve

settings = LibrarySettings()
serve(create_app(settings), settings)
