"""`python -m gateway`: serve the public API (and the web app in local runs)."""

from gateway.main import create_app
from gateway.settings import GatewaySettings
from shelfspace_kernel.app import serve
from shelfspace_kernel.metrics import start_metrics_server

settings = GatewaySettings()
app = create_app(settings)
if settings.gateway_metrics_port:
    start_metrics_server(app.state.metrics, settings.gateway_metrics_port, settings.host)
serve(app, settings)
