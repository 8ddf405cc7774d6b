"""`python -m identity`: serve the API, run the outbox relay, consumers and jobs."""

import sys

from identity.main import create_app
from identity.settings import IdentitySettings
from shelfspace_kernel.app import serve
from shelfspace_kernel.sealing import WeakKeyError

settings = IdentitySettings()
try:
    app = create_app(settings)
except WeakKeyError as exc:
    # A set but unusable IDENTITY_ENCRYPTION_KEY (an empty one only turns two-factor set-up off).
    print(f"identity: refusing to start: {exc}", file=sys.stderr)
    sys.exit(2)
serve(app, settings)
