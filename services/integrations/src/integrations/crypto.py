"""Provider secrets at rest, sealed with INTEGRATION_ENCRYPTION_KEY (shelfspace_kernel.sealing)."""

from integrations.settings import IntegrationsSettings
from shelfspace_kernel import sealing
from shelfspace_kernel.sealing import KEY_BYTES, NONCE_BYTES, CannotDecrypt, Sealed, WeakKeyError, key_id_of, parse_key

__all__ = ["KEY_BYTES", "NONCE_BYTES", "CannotDecrypt", "Keyring", "Sealed", "WeakKeyError", "key_id_of", "parse_key"]

_DEV_KEY_SEED = b"shelfspace development-only integration key; never use in production"


class Keyring(sealing.Keyring):
    @classmethod
    def from_settings(cls, settings: IntegrationsSettings) -> "Keyring":
        return cls.configured(
            settings.integration_encryption_key,
            settings.integration_encryption_old_keys,
            name="INTEGRATION_ENCRYPTION_KEY",
            environment=settings.environment,
            dev_seed=_DEV_KEY_SEED,
            service="integrations",
        )
