"""The integrations service's composition root: its routers, consumers and jobs on the shared app."""

from dataclasses import replace

from fastapi import FastAPI

from integrations import SERVICE
from integrations.adapters.http import ProviderKit, RateLimiter, RetryPolicy
from integrations.api import internal, lookups, public, trakt
from integrations.crypto import Keyring
from integrations.events import CONSUMERS
from integrations.settings import IntegrationsSettings
from shelfspace_kernel.app import create_service_app
from shelfspace_kernel.outbound.settings import outbound_policy


def create_app(settings: IntegrationsSettings | None = None) -> FastAPI:
    settings = settings or IntegrationsSettings()
    # Refuses to start without a strong key (outside development): raises WeakKeyError.
    keyring = Keyring.from_settings(settings)
    app = create_service_app(
        SERVICE, settings, routers=[public.router, lookups.router, trakt.router, internal.router], consumers=CONSUMERS
    )
    app.state.keyring = keyring
    app.state.integrations_settings = settings
    app.state.provider_kit = ProviderKit(
        RetryPolicy.from_settings(settings), RateLimiter(settings.provider_rate_per_minute), outbound_policy(settings)
    )
    app.state.import_provider_kit = replace(
        app.state.provider_kit, limiter=RateLimiter(settings.import_provider_rate_per_minute)
    )
    app.state.artwork_limiter = RateLimiter(settings.artwork_rate_per_minute)
    return app
