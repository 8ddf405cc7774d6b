"""Errors a provider call can end in, as values of the shared error model (codes in contracts)."""

from shelfspace_kernel.errors import AppError


class ProviderNotConfigured(AppError):
    status, code = 409, "provider_not_configured"
    message = "This integration is not set up for the space; an owner or admin can configure it."


class SecretUndecryptable(AppError):
    status, code = 409, "secret_undecryptable"
    message = (
        "The stored secret cannot be decrypted with the configured keys: restore the previous "
        "INTEGRATION_ENCRYPTION_KEY (or list it in INTEGRATION_ENCRYPTION_OLD_KEYS), or enter the secret again."
    )


class ProviderNotLinked(AppError):
    status, code = 404, "provider_not_linked"
    message = "No account at this provider is linked for this user and space."


class ProviderUnauthorized(AppError):
    status, code = 502, "provider_unauthorized"
    message = "The provider rejected the stored credentials."


class ProviderUnreachable(AppError):
    status, code = 503, "provider_unreachable"
    message = "The provider could not be reached."


class ProviderRateLimited(AppError):
    status, code = 503, "provider_rate_limited"
    message = "The provider is rate limiting requests; try again later."


class ProviderBadResponse(AppError):
    status, code = 502, "provider_error"
    message = "The provider answered with something unexpected."


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The upload is too large."


class UnsupportedMediaType(AppError):
    status, code, message = 415, "unsupported_media_type", "This file type is not supported."


class SecretRequired(AppError):
    status, code = 422, "secret_required"
    message = (
        "The address points to a different host than the secret was entered for: enter the secret for the new host."
    )


class UnsupportedArtwork(AppError):
    status, code = 502, "unsupported_artwork"
    message = "The artwork is not a JPEG, PNG, WebP or GIF image, so it is not served."
