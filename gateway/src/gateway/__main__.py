"""`python -m gateway`: serve the public API (and the web app in local runs)."""

from gateway.main import create_app
from gateway.settings import GatewaySettings
from shelfspace_kernel.app import serve

settings = GatewaySettings()
serve(create_app(settings), settings)
