"""`python -m integrations`: serve the API, run the outbox relay, consumers and jobs."""

import sys

from integrations.crypto import WeakKeyError
from integrations.main import create_app
from integrations.settings import IntegrationsSettings
from shelfspace_kernel.app import serve

settings = IntegrationsSettings()
try:
    app = create_app(settings)
except WeakKeyError as exc:
    print(f"integrations: refusing to start: {exc}", file=sys.stderr)
    sys.exit(2)
serve(app, settings)
