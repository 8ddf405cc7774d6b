"""Use cases of the library: one function per command, one per consumed event."""
