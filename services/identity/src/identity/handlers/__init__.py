"""Identity use cases: one function per command, each one transaction with its events."""
