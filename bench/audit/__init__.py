"""Benchmark of the audit consumer: sustained events/s and commit-to-row lag."""
