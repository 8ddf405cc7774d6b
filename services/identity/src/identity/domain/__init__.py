"""Pure identity rules: credentials, tokens and role changes; no I/O."""
