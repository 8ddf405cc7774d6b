"""The integrations service: per-space provider settings with encrypted secrets, and the provider adapters."""

SERVICE = "integrations"
